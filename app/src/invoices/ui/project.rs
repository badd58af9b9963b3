//! What a project's page shows of invoicing: "Partial invoice" for the ticked tasks, the
//! invoice history tab, the question asked when the project is completed ("invoice what
//! remains?"), and unlocking a locked project with a reason.

use super::order::OrderPanel;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::invoices::api::{complete_project, invoice_tasks, load_project_billing, unlock_project};
use crate::invoices::{invoice_href, kind_label, status_label};
use crate::locale::{format_date_short, from_locale};
use crate::ui::{use_go_to, use_toasts, Changes, Dialog, ErrorAlert, Icon, IconName};
use leptos::prelude::*;
use uuid::Uuid;

/// "Partial invoice": a draft invoice of the ticked tasks, then its page.
#[component]
pub fn PartialInvoice(
    project: Uuid,
    selected: RwSignal<Vec<Uuid>>,
    changes: Changes,
) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let busy = RwSignal::new(false);
    let make = move |_| {
        let tasks = selected.get_untracked();
        if tasks.is_empty() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let go_to = go_to.clone();
        leptos::task::spawn_local(async move {
            match invoice_tasks(project, tasks).await {
                Ok(invoice) => go_to(&invoice_href(invoice)),
                Err(error) => {
                    changes.fail(&error);
                    // Someone else invoiced a task meanwhile: show the ledger as it is now.
                    selected.set(Vec::new());
                    changes.reload();
                }
            }
            busy.set(false);
        });
    };
    view! {
        <button type="button" class="button button--primary" data-action="partial-invoice"
            disabled=move || busy.get() || selected.with(Vec::is_empty) on:click=make>
            <Icon name=IconName::File/>
            <span>{move || t_string!(i18n, invoices.partial_invoice, count = selected.with(Vec::len)).to_string()}</span>
        </button>
    }
}

/// The project's invoices and credit notes: state, amounts, when and to whom they were sent.
#[component]
pub fn InvoiceHistory(project: Uuid, changes: Changes) -> impl IntoView {
    let billing = Resource::new(
        move || changes.version(),
        move |_| load_project_billing(project),
    );
    view! {
        <Transition fallback=|| ()>
            {move || billing.get().map(|loaded| match loaded {
                Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Ok(billing) => {
                    let order = billing.order.clone().map(|order| view! {
                        <OrderPanel project order may_invoice=billing.may_invoice changes/>
                    });
                    view! { {order} <HistoryTable billing/> }.into_any()
                }
            })}
        </Transition>
    }
}

#[component]
fn HistoryTable(billing: crate::invoices::ProjectBilling) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    match billing {
                billing if billing.history.is_empty() => view! {
                    <p class="muted">{t!(i18n, invoices.none_yet)}</p>
                }.into_any(),
                billing => view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="invoice-history">
                            <thead><tr>
                                <th scope="col">{t!(i18n, invoices.number)}</th>
                                <th scope="col">{t!(i18n, invoices.kind)}</th>
                                <th scope="col">{t!(i18n, invoices.status)}</th>
                                <th scope="col">{t!(i18n, invoices.invoice_date)}</th>
                                <th scope="col">{t!(i18n, invoices.due_date)}</th>
                                <th scope="col" class="numeric">{t!(i18n, invoices.total)}</th>
                                <th scope="col" class="numeric">{t!(i18n, invoices.open)}</th>
                                <th scope="col">{t!(i18n, invoices.sent_to)}</th>
                            </tr></thead>
                            <tbody>
                                {billing.history.into_iter().map(|row| {
                                    let label = row.number.clone().unwrap_or_else(|| t_string!(i18n, invoices.status_draft).to_string());
                                    view! {
                                        <tr data-status=row.status.as_str()>
                                            <th scope="row" data-label=move || t_string!(i18n, invoices.number)>
                                                <a href=invoice_href(row.id)>{label}</a>
                                            </th>
                                            <td data-label=move || t_string!(i18n, invoices.kind)>{move || kind_label(i18n.get_locale(), row.kind)}</td>
                                            <td data-label=move || t_string!(i18n, invoices.status)>
                                                <span class="status-badge" data-status=row.status.as_str()>{move || status_label(i18n.get_locale(), row.status)}</span>
                                            </td>
                                            <td data-label=move || t_string!(i18n, invoices.invoice_date)>{move || format_date_short(language(), row.invoice_date)}</td>
                                            <td data-label=move || t_string!(i18n, invoices.due_date)>{move || format_date_short(language(), row.due_date)}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.total)>{move || row.total.format(language())}</td>
                                            <td class="numeric" data-label=move || t_string!(i18n, invoices.open)>{move || row.open.format(language())}</td>
                                            <td data-label=move || t_string!(i18n, invoices.sent_to)>
                                                {row.sent_to.clone().zip(row.sent_at).map(|(to, at)| view! {
                                                    {to} <span class="muted">" · " {move || format_date_short(language(), at.date_naive())}</span>
                                                })}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
    }
}

/// Moving a project to Completed asks whether to invoice what remains; either way it locks.
#[component]
pub fn CompleteDialog(
    project: Uuid,
    version: i32,
    on_close: Callback<()>,
    on_done: Callback<Option<Uuid>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let may_invoice = crate::ui::use_may(crate::domain::policy::CompanyOp::Invoice);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    let complete = move |invoice_rest: bool| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match complete_project(project, version, invoice_rest).await {
                Ok(invoice) => {
                    toasts.success(t_string!(i18n, invoices.completed_toast).to_string());
                    on_done.run(invoice);
                }
                Err(failure) => {
                    error.set(Some(failure));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <Dialog title_id="complete-title" title=Signal::derive(move || t_string!(i18n, invoices.complete_title).to_string()) on_close>
            <div class="form" data-testid="complete-dialog">
                <p>{move || if may_invoice { t_string!(i18n, invoices.complete_question) } else { t_string!(i18n, invoices.complete_locks) }}</p>
                {move || error.get().map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="form__actions">
                    {may_invoice.then(|| view! {
                        <button type="button" class="button button--primary" data-action="complete-and-invoice"
                            disabled=move || busy.get() on:click=move |_| complete(true)>{t!(i18n, invoices.complete_yes)}</button>
                    })}
                    <button type="button" class="button" class:button--primary=!may_invoice data-action="complete-only"
                        disabled=move || busy.get() on:click=move |_| complete(false)>
                        {move || if may_invoice { t_string!(i18n, invoices.complete_no) } else { t_string!(i18n, invoices.complete) }}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </div>
        </Dialog>
    }
}

/// Unlocks a completed project, with a reason for the timeline; the draft invoice made at
/// completion is deleted.
#[component]
pub fn UnlockDialog(project: Uuid, on_close: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let field_errors = crate::ui::use_field_errors(error);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        busy.set(true);
        let text = reason.get_untracked();
        leptos::task::spawn_local(async move {
            match unlock_project(project, text).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, invoices.unlocked_toast).to_string());
                    on_done.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    view! {
        <Dialog title_id="unlock-title" title=Signal::derive(move || t_string!(i18n, invoices.unlock_title).to_string()) on_close>
            <form class="form" data-testid="unlock-form" on:submit=submit>
                <p>{t!(i18n, invoices.unlock_text)}</p>
                {move || error.get().filter(|e| e.field() != Some("reason")).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="unlock-reason">{t!(i18n, invoices.unlock_reason)}</label>
                    <textarea id="unlock-reason" rows="3" required=true maxlength="1000"
                        prop:value=reason on:input=move |e| reason.set(event_target_value(&e))></textarea>
                    {field_errors.line("reason")}
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--primary" data-action="unlock-project" disabled=move || busy.get()>
                        {t!(i18n, invoices.unlock)}
                    </button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}
