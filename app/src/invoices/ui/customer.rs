//! The customer's money on a contact's page (seed 003): quoted, ordered, invoiced, paid, open
//! and overdue per currency, then each project with its own figures.

use crate::domain::Language;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{load_contact_billing, load_customer_money, save_contact_billing};
use crate::invoices::ContactBilling;
use crate::locale::from_locale;
use crate::ui::InBrowser;
use crate::ui::{kept, use_field_errors, use_may, use_toasts, ErrorAlert};
use leptos::prelude::*;
use uuid::Uuid;

#[component]
pub fn CustomerMoneyView(customer: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    let money = Resource::new(move || customer, load_customer_money);
    let may_invoice = use_may(crate::domain::policy::CompanyOp::Invoice);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let money = money.await.unwrap_or_default();
                if money.totals.is_empty() && !may_invoice {
                    return ().into_any();
                }
                view! {
                    <section class="card customer-money" data-testid="customer-money">
                        <h2>{t!(i18n, invoices.customer_money)}</h2>
                        {may_invoice.then(|| view! { <BillingForm contact=customer/> })}
                        {(!money.totals.is_empty()).then(|| view! {
                        <div class="table-wrap">
                            <table class="table">
                                <thead><tr>
                                    <th scope="col">{t!(i18n, quotes.currency)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.quoted)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.ordered)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.invoiced)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.paid)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.open)}</th>
                                    <th scope="col" class="numeric">{t!(i18n, invoices.status_overdue)}</th>
                                </tr></thead>
                                <tbody>
                                    {money.totals.into_iter().map(|row| view! {
                                        <tr data-currency=row.quoted.currency.code().to_string()>
                                            <th scope="row" data-label=move || t_string!(i18n, quotes.currency)>{row.quoted.currency.code().to_string()}</th>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.quoted)>{move || row.quoted.format(language())}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.ordered)>{move || row.ordered.format(language())}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.invoiced)>{move || row.invoiced.format(language())}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.paid)>{move || row.paid.format(language())}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.open) data-testid="customer-open">{move || row.open.format(language())}</td>
                                            <td class="numeric" class:overdue=!row.overdue.amount.is_zero() data-label=move || t_string!(i18n, invoices.status_overdue)>{move || row.overdue.format(language())}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        })}
                        {(!money.projects.is_empty()).then(|| view! {
                            <h3 class="subheading">{t!(i18n, projects.title)}</h3>
                            <div class="table-wrap">
                                <table class="table" data-testid="customer-project-money">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, projects.project_title)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, invoices.ordered)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, invoices.invoiced)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, invoices.paid)}</th>
                                        <th scope="col" class="numeric">{t!(i18n, invoices.open)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {money.projects.into_iter().map(|p| view! {
                                            <tr>
                                                <th scope="row" data-label=move || t_string!(i18n, projects.project_title)>
                                                    <a href=crate::shared::RecordKind::Project.href(p.id)>{p.label.clone()}</a>
                                                </th>
                                                <td class="numeric" data-label=move || t_string!(i18n, invoices.ordered)>{move || p.ordered.format(language())}</td>
                                                <td class="numeric" data-label=move || t_string!(i18n, invoices.invoiced)>{move || p.invoiced.format(language())}</td>
                                                <td class="numeric" data-label=move || t_string!(i18n, invoices.paid)>{move || p.paid.format(language())}</td>
                                                <td class="numeric" data-label=move || t_string!(i18n, invoices.open)>{move || p.open.format(language())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        })}
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}

/// The language of the customer's invoices and e-mails, and its own payment terms.
#[component]
fn BillingForm(contact: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let loaded = LocalResource::new(move || load_contact_billing(contact));
    let language = RwSignal::new(String::new());
    let days = RwSignal::new(String::new());
    let version = RwSignal::new(0);
    // The stored settings arrive after the page came alive: they fill the fields still empty,
    // not one the user already typed into (or picked from).
    Effect::new(move |_| {
        if let Some(Ok(billing)) = loaded.in_browser() {
            if language.with_untracked(String::is_empty) {
                language.set(
                    billing
                        .language
                        .map(|l| l.code().to_string())
                        .unwrap_or_default(),
                );
            }
            if days.with_untracked(String::is_empty) {
                days.set(billing.payment_terms_days);
            }
            version.set(billing.version);
        }
    });
    let error = RwSignal::new(None::<AppError>);
    let field_errors = use_field_errors(error);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let form = ContactBilling {
            contact,
            language: Language::parse(&language.get_untracked()),
            payment_terms_days: days.get_untracked(),
            version: version.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match save_contact_billing(form).await {
                Ok(()) => {
                    error.set(None);
                    version.update(|v| *v += 1);
                    toasts.success(t_string!(i18n, invoices.settings_saved).to_string());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <form class="inline-form" data-testid="contact-billing" on:submit=submit>
            <div class="field">
                <label for=format!("billing-language-{contact}")>{t!(i18n, invoices.document_language)}</label>
                <select id=format!("billing-language-{contact}") prop:value=kept(language)
                    on:change=move |e| language.set(event_target_value(&e))>
                    <option value="">{t!(i18n, invoices.language_from_country)}</option>
                    {Language::ALL.into_iter().map(|l| view! {
                        <option value=l.code() selected=move || language.get() == l.code()>{l.native_name()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for=format!("billing-terms-{contact}")>{t!(i18n, invoices.payment_terms)}</label>
                <input id=format!("billing-terms-{contact}") type="number" min="0" max="365" inputmode="numeric"
                    placeholder=move || t_string!(i18n, invoices.company_terms).to_string()
                    prop:value=kept(days) on:input=move |e| days.set(event_target_value(&e))/>
                {field_errors.line("payment_terms_days")}
            </div>
            <button type="submit" class="button">{t!(i18n, save)}</button>
            {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
        </form>
    }
}
