//! The Outbox page: e-mails written by Atrium, newest first, with their state (waiting,
//! sent, retrying with the last error, failed), the attachment, and "Try again".

use super::api::{load_outbox, retry_message};
use super::{attachment_href, OutboxStatus};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::from_locale;
use crate::shared::RecordKind;
use crate::ui::{use_changes, ErrorAlert, Icon, IconName, PageHeader};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let page = Resource::new(move || changes.version(), |_| load_outbox());
    let language = move || from_locale(i18n.get_locale());
    let retry = move |id| changes.run(retry_message(id));
    view! {
        <Title text=move || t_string!(i18n, outbox.page_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, outbox.page_title).to_string())>
            <button type="button" class="button" on:click=move |_| changes.reload()>{t!(i18n, outbox.refresh)}</button>
        </PageHeader>
        <Transition fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Ok(page) => view! {
                        {(!page.delivering).then(|| view! {
                            <p class="alert" data-testid="outbox-kept">{t!(i18n, outbox.not_configured)}</p>
                        })}
                        {page.messages.is_empty().then(|| view! { <p class="muted">{t!(i18n, outbox.empty)}</p> })}
                        <ul class="outbox" data-testid="outbox">
                            {page.messages.into_iter().map(|m| {
                                let status = m.status;
                                let id = m.id;
                                let created = m.created_at;
                                let waiting = status == OutboxStatus::Pending && m.attempts == 0;
                                view! {
                                    <li class="card outbox__message" data-status=status.as_str()>
                                        <header class="outbox__head">
                                            <strong>{m.subject.clone()}</strong>
                                            <span class="status-badge" data-status=status.as_str()>{move || match status {
                                                OutboxStatus::Pending if waiting => t_string!(i18n, outbox.status_waiting),
                                                OutboxStatus::Pending => t_string!(i18n, outbox.status_retrying),
                                                OutboxStatus::Sent => t_string!(i18n, outbox.status_sent),
                                                OutboxStatus::Failed => t_string!(i18n, outbox.status_failed),
                                            }}</span>
                                        </header>
                                        <p class="muted">
                                            {t!(i18n, outbox.to)} " " <span data-testid="outbox-to">{m.to.clone()}</span>
                                            " · " {move || crate::locale::format_date_short(language(), created.date_naive())}
                                            {m.created_by.clone().map(|who| format!(" · {who}"))}
                                            {m.quote.clone().map(|(quote, number)| view! { " · " <a href=RecordKind::Quote.href(quote)>{number}</a> })}
                                        </p>
                                        <details>
                                            <summary>{t!(i18n, outbox.show_text)}</summary>
                                            <pre class="outbox__body">{m.body.clone()}</pre>
                                        </details>
                                        {m.attachment_name.clone().map(|name| view! {
                                            <p class="attachment"><Icon name=IconName::File/>
                                                <a href=attachment_href(id) data-testid="outbox-attachment">{name}</a></p>
                                        })}
                                        {m.last_error.clone().map(|error| view! {
                                            <p class="field__error">{t!(i18n, outbox.last_error)} " (" {m.attempts} "): "
                                                {move || crate::shared::DeliveryFailure::from_stored(&error).text(i18n.get_locale())}</p>
                                        })}
                                        {(status != OutboxStatus::Sent && m.attempts > 0).then(|| view! {
                                            <button type="button" class="button button--small" on:click=move |_| retry(id)>{t!(i18n, outbox.retry)}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}
