//! The quote page's dialogs: send by e-mail with the PDF, and confirm into a sales order.

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_money, from_locale};
use crate::quotes::api::{confirm_quote, quote_email, send_quote};
use crate::ui::InBrowser;
use crate::ui::{use_toasts, Dialog, ErrorAlert, Icon, IconName};
use leptos::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Send by e-mail: the standard text, editable, with the PDF attached (seed 001).
#[component]
pub(super) fn SendDialog(
    id: Uuid,
    /// The quote as it was read: a second submit of the same dialog finds it sent and
    /// changed, and mails nobody twice.
    version: i32,
    on_close: Callback<()>,
    on_sent: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let draft = LocalResource::new(move || quote_email(id));
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
        let (t, s, b) = (
            to.get_untracked(),
            subject.get_untracked(),
            body.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            match send_quote(id, version, t, s, b).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, quotes.sent_toast).to_string());
                    on_sent.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            sending.set(false);
        });
    };
    view! {
        <Dialog title_id="send-title" title=Signal::derive(move || t_string!(i18n, quotes.send_by_email).to_string()) on_close wide=true>
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
                    <a href=format!("/files/quotes/{id}") target="_blank" rel="noopener">
                        {move || draft.in_browser().and_then(Result::ok).map(|d| d.attachment)}
                    </a>
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

/// "Confirm this quote?": turns it into a sales order and creates the project.
#[component]
pub(super) fn ConfirmDialog(
    id: Uuid,
    total: Decimal,
    currency: String,
    on_close: Callback<()>,
    on_confirmed: Callback<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let error = RwSignal::new(None::<AppError>);
    let confirming = RwSignal::new(false);
    let confirm = move |_| {
        if confirming.get_untracked() {
            return;
        }
        confirming.set(true);
        leptos::task::spawn_local(async move {
            match confirm_quote(id).await {
                Ok(project) => {
                    toasts.success(t_string!(i18n, quotes.confirmed_toast).to_string());
                    on_confirmed.run(project);
                }
                Err(failure) => {
                    error.set(Some(failure));
                    confirming.set(false);
                }
            }
        });
    };
    let amount = move || format_money(from_locale(i18n.get_locale()), total, &currency);
    view! {
        <Dialog title_id="confirm-title" title=Signal::derive(move || t_string!(i18n, quotes.confirm_title).to_string()) on_close>
            <div class="form" data-testid="confirm-dialog">
                <p>{move || t_string!(i18n, quotes.confirm_text, total = amount()).to_string()}</p>
                {move || error.get().map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="form__actions">
                    <button type="button" class="button button--primary" data-action="confirm-order"
                        disabled=move || confirming.get() on:click=confirm>{t!(i18n, quotes.confirm)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </div>
        </Dialog>
    }
}
