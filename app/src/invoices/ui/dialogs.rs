//! The invoice page's dialogs: send by e-mail with the stored PDF, and register a payment.

use crate::domain::invoice::PaymentMethod;
use crate::domain::Money;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{load_invoice_email, register_payment, send_invoice};
use crate::invoices::{method_label, InvoiceEmail, PaymentForm};
use crate::locale::{format_date_short, from_locale};
use crate::ui::InBrowser;
use crate::ui::{use_toasts, DateInput, Dialog, ErrorAlert, Icon, IconName};
use leptos::prelude::*;
use uuid::Uuid;

/// Send by e-mail: the standard text in the customer's language, editable, with the PDF
/// stored when the invoice was issued.
#[component]
pub(super) fn SendDialog(
    id: Uuid,
    version: i32,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let draft = LocalResource::new(move || load_invoice_email(id));
    let to = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let sending = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(d)) = draft.in_browser() {
            to.set(d.to);
            subject.set(d.subject);
            body.set(d.body);
        }
    });
    let field_errors = crate::ui::use_field_errors(error);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        sending.set(true);
        let email = InvoiceEmail {
            to: to.get_untracked(),
            subject: subject.get_untracked(),
            body: body.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match send_invoice(id, version, email).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, invoices.sent_toast).to_string());
                    on_sent.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            sending.set(false);
        });
    };
    view! {
        <Dialog title_id="send-title" title=Signal::derive(move || t_string!(i18n, invoices.send_by_email).to_string()) on_close wide=true>
            <form class="form" data-testid="send-form" on:submit=submit>
                {move || error.get().filter(|e| !matches!(e.field(), Some("to" | "subject" | "body"))).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="send-to">{t!(i18n, quotes.mail_to)}</label>
                    <input id="send-to" type="email" required=true prop:value=to on:input=move |e| to.set(event_target_value(&e))/>
                    {field_errors.line("to")}
                </div>
                <div class="field">
                    <label for="send-subject">{t!(i18n, quotes.mail_subject)}</label>
                    <input id="send-subject" required=true prop:value=subject on:input=move |e| subject.set(event_target_value(&e))/>
                    {field_errors.line("subject")}
                </div>
                <div class="field">
                    <label for="send-body">{t!(i18n, quotes.mail_body)}</label>
                    <textarea id="send-body" rows="10" prop:value=body on:input=move |e| body.set(event_target_value(&e))></textarea>
                    {field_errors.line("body")}
                </div>
                <p class="attachment">
                    <Icon name=IconName::File/>
                    <a href=format!("/files/invoices/{id}") target="_blank" rel="noopener">"PDF"</a>
                </p>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="send-email" disabled=move || sending.get()>
                        {t!(i18n, quotes.send)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// Register a payment: date (today), amount (what is open) and method.
#[component]
pub(super) fn PaymentDialog(
    id: Uuid,
    version: i32,
    open: Money,
    on_close: Callback<()>,
    on_paid: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let clock = crate::ui::use_clock();
    let date = RwSignal::new(format_date_short(
        from_locale(i18n.get_locale_untracked()),
        clock.today(),
    ));
    let amount = RwSignal::new(open.amount.to_string());
    let method = RwSignal::new(PaymentMethod::default());
    let error = RwSignal::new(None::<AppError>);
    let field_errors = crate::ui::use_field_errors(error);
    let saving = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        saving.set(true);
        let payment = PaymentForm {
            invoice: id,
            version,
            date: date.get_untracked(),
            amount: amount.get_untracked(),
            method: method.get_untracked(),
        };
        leptos::task::spawn_local(async move {
            match register_payment(payment).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, invoices.paid_toast).to_string());
                    on_paid.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            saving.set(false);
        });
    };
    view! {
        <Dialog title_id="pay-title" title=Signal::derive(move || t_string!(i18n, invoices.register_payment).to_string()) on_close>
            <form class="form" data-testid="payment-form" on:submit=submit>
                {move || error.get().filter(|e| !matches!(e.field(), Some("date" | "amount"))).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="pay-date">{t!(i18n, invoices.payment_date)}</label>
                    <DateInput id="pay-date" required=true value=date on_input=Callback::new(move |value| date.set(value))/>
                    {field_errors.line("date")}
                </div>
                <div class="field">
                    <label for="pay-amount">{t!(i18n, invoices.amount)}</label>
                    <input id="pay-amount" inputmode="decimal" required=true prop:value=amount on:input=move |e| amount.set(event_target_value(&e))/>
                    {field_errors.line("amount")}
                </div>
                <div class="field">
                    <label for="pay-method">{t!(i18n, invoices.method)}</label>
                    <select id="pay-method" on:change=move |e| {
                        if let Some(m) = PaymentMethod::parse(&event_target_value(&e)) { method.set(m); }
                    }>
                        {PaymentMethod::ALL.into_iter().map(|m| view! {
                            <option value=m.as_str() selected=m == PaymentMethod::default()>{move || method_label(i18n.get_locale(), m)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="save-payment" disabled=move || saving.get()>
                        {t!(i18n, invoices.register_payment)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
