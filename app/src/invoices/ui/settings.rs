//! Invoicing settings: the seller's details every invoice prints (name, address, country,
//! VAT number, e-mail, IBAN, BIC), the default payment terms and the terms text.

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{invoicing_settings, save_invoicing_settings};
use crate::invoices::CompanySettings;
use crate::ui::{kept, use_changes, use_field_errors, use_toasts, ErrorAlert, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn InvoiceSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let loaded = Resource::new(move || changes.version(), |_| invoicing_settings());
    view! {
        <Title text=move || t_string!(i18n, invoices.settings_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, invoices.settings_title).to_string())>
            <a class="button" href="/invoices">{t!(i18n, invoices.back_to_invoices)}</a>
        </PageHeader>
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match loaded.await {
                    Ok(settings) => view! { <SettingsForm settings on_saved=Callback::new(move |()| changes.reload())/> }.into_any(),
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SettingsForm(settings: CompanySettings, on_saved: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let version = settings.version;
    let fields = [
        ("name", settings.name.clone()),
        ("address", settings.address.clone()),
        ("country", settings.country.clone()),
        ("vat", settings.vat.clone()),
        ("email", settings.email.clone()),
        ("iban", settings.iban.clone()),
        ("bic", settings.bic.clone()),
        ("payment_terms_days", settings.payment_terms_days.clone()),
        ("invoice_terms", settings.invoice_terms.clone()),
    ]
    .map(|(key, value)| (key, RwSignal::new(value)));
    let value = move |key: &str| {
        fields
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.get_untracked())
            .unwrap_or_default()
    };
    let error = RwSignal::new(None::<AppError>);
    let field_errors = use_field_errors(error);
    let saving = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saving.set(true);
        let form = CompanySettings {
            name: value("name"),
            address: value("address"),
            country: value("country"),
            vat: value("vat"),
            email: value("email"),
            iban: value("iban"),
            bic: value("bic"),
            payment_terms_days: value("payment_terms_days"),
            invoice_terms: value("invoice_terms"),
            version,
        };
        leptos::task::spawn_local(async move {
            match save_invoicing_settings(form).await {
                Ok(()) => {
                    error.set(None);
                    toasts.success(t_string!(i18n, invoices.settings_saved).to_string());
                    on_saved.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            saving.set(false);
        });
    };
    let label = move |key: &'static str| match key {
        "name" => t_string!(i18n, invoices.company_name),
        "address" => t_string!(i18n, invoices.company_address),
        "country" => t_string!(i18n, contacts.country),
        "vat" => t_string!(i18n, quotes.vat_number),
        "email" => t_string!(i18n, invoices.company_email),
        "iban" => t_string!(i18n, invoices.iban),
        "bic" => t_string!(i18n, invoices.bic),
        "payment_terms_days" => t_string!(i18n, invoices.payment_terms),
        _ => t_string!(i18n, invoices.invoice_terms),
    };
    view! {
        <form class="card form form--grid" data-testid="invoice-settings" on:submit=submit>
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
            {fields.into_iter().map(|(key, signal)| {
                let id = format!("invoice-settings-{key}");
                let multiline = matches!(key, "address" | "invoice_terms");
                view! {
                    <div class="field" class:field--wide=multiline>
                        <label for=id.clone()>{move || label(key)}</label>
                        {if multiline {
                            view! {
                                <textarea id=id name=key rows="4" prop:value=kept(signal)
                                    on:input=move |e| signal.set(event_target_value(&e))>{signal.get_untracked()}</textarea>
                            }.into_any()
                        } else {
                            view! {
                                <input id=id name=key prop:value=kept(signal) autocomplete="off"
                                    on:input=move |e| signal.set(event_target_value(&e))/>
                            }.into_any()
                        }}
                        {field_errors.line(key)}
                    </div>
                }
            }).collect_view()}
            <div class="form__actions">
                <button type="submit" class="button button--primary" data-action="save-invoice-settings" disabled=move || saving.get()>
                    {t!(i18n, save)}
                </button>
            </div>
        </form>
    }
}
