//! The opportunity page: Won / Lost (with a reason) / Reopen, the stages as a clickable bar,
//! key figures, details, the tasks created from the deal (and a form to create one), planned
//! activities and the timeline.

use super::form::DetailsForm;
use crate::activities::ui::{RecordActivities, RecordTimeline};
use crate::crm::api::{act_on_opportunity, create_deal_task, get_opportunity, move_opportunity};
use crate::crm::OpportunityPage as Page;
use crate::domain::opportunity::{available, OpportunityAction, OpportunityStatus};
use crate::domain::TaskInput;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_short, from_locale};
use crate::registry::deal_page;
use crate::shared::RecordKind;
use crate::tasks::ui::status_label;
use crate::tasks::TaskPeople;
use crate::ui::{
    error_text, use_changes, use_toasts, Changes, DateInput, Dialog, ErrorAlert, PageHeader,
    RecordPage,
};
use crate::users::UserSelect;
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn OpportunityPage() -> impl IntoView {
    view! {
        <RecordPage load=get_opportunity
            show={|page: Page, changes: Changes| view! { <OpportunityView page changes/> }}/>
    }
}

pub fn status_text(locale: crate::i18n::Locale, status: OpportunityStatus) -> &'static str {
    match status {
        OpportunityStatus::Open => crate::i18n::td_string!(locale, crm.status_open),
        OpportunityStatus::Won => crate::i18n::td_string!(locale, crm.status_won),
        OpportunityStatus::Lost => crate::i18n::td_string!(locale, crm.status_lost),
    }
}

#[component]
fn OpportunityView(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let o = page.opportunity.clone();
    let id = o.id;
    let version = o.version;
    let reload = move || changes.reload();
    // The activities and the timeline reload on their own changes, and with the page.
    let timeline = use_changes();
    let asking_lost = RwSignal::new(false);
    let quoting = RwSignal::new(false);
    let deal_customer = o.customer.clone();
    let act = move |action: OpportunityAction| {
        if action == OpportunityAction::MarkLost {
            asking_lost.set(true);
            return;
        }
        // Refused or not, the page shows the deal as it now is.
        leptos::task::spawn_local(async move {
            match act_on_opportunity(id, version, action, None, String::new()).await {
                Ok(()) => toasts.success(match action {
                    OpportunityAction::MarkWon => t_string!(i18n, crm.won_toast),
                    _ => t_string!(i18n, crm.reopened_toast),
                }),
                Err(error) => changes.fail(&error),
            }
            changes.reload();
        });
    };
    let to_stage = move |stage: Uuid| {
        leptos::task::spawn_local(async move {
            if let Err(error) = move_opportunity(id, version, stage, None).await {
                changes.fail(&error);
            }
            changes.reload();
        });
    };
    let language = move || from_locale(i18n.get_locale());
    let status = o.status;
    let can_edit = page.rights.edit;
    let title = o.title.clone();
    let lost_reason = o.lost_reason.clone();
    let lost_note = o.lost_note.clone();
    let closed_at = o.closed_at;
    let stages = page.stages.clone();
    let current_stage = o.stage_id;
    let revenue = o.expected_revenue;
    view! {
        <Title text=title.clone()/>
        <PageHeader title=Signal::derive(move || title.clone())>
            <a class="button" href="/crm">{t!(i18n, crm.back_to_pipeline)}</a>
            {can_edit.then(|| view! {
                <button type="button" class="button button--primary" data-action="new-quote"
                    on:click=move |_| quoting.set(true)>{t!(i18n, quotes.new_quote)}</button>
            })}
            {can_edit.then(|| available(status).iter().map(|action| {
                let action = *action;
                let (key, primary) = match action {
                    OpportunityAction::MarkWon => ("mark-won", true),
                    OpportunityAction::MarkLost => ("mark-lost", false),
                    OpportunityAction::Reopen => ("reopen", false),
                };
                view! {
                    <button type="button" class="button" class:button--primary=primary data-action=key
                        on:click=move |_| act(action)>
                        {move || match action {
                            OpportunityAction::MarkWon => t_string!(i18n, crm.mark_won),
                            OpportunityAction::MarkLost => t_string!(i18n, crm.mark_lost),
                            OpportunityAction::Reopen => t_string!(i18n, crm.reopen),
                        }}
                    </button>
                }
            }).collect_view())}
        </PageHeader>
        <div class="opportunity-status">
            <span class="status-badge" data-status=status.as_str() data-testid="opportunity-status">
                {move || status_text(i18n.get_locale(), status)}
            </span>
            {(status == OpportunityStatus::Lost).then(|| {
                let reason = lost_reason.clone().unwrap_or_default();
                view! { <span class="muted">{move || t_string!(i18n, crm.lost_because, reason = reason.label(i18n.get_locale())).to_string()}</span>
                    {(!lost_note.is_empty()).then(|| view! { <span class="muted">" — "{lost_note.clone()}</span> })} }
            })}
            {(status == OpportunityStatus::Won).then(|| closed_at.map(|at| view! {
                <span class="muted">{move || t_string!(i18n, crm.won_on, date = format_date_short(language(), at.date_naive())).to_string()}</span>
            }))}
        </div>
        <nav class="stage-bar" aria-label=move || t_string!(i18n, crm.stage)>
            <ol>
                {stages.into_iter().map(|stage| {
                    let current = stage.id == current_stage;
                    let target = stage.id;
                    let named = stage.named.clone();
                    view! {
                        <li>
                            <button type="button" class="stage-bar__step" class:stage-bar__step--current=current
                                data-stage=target.to_string()
                                aria-current=current.then_some("step")
                                disabled=!can_edit || current || status == OpportunityStatus::Lost
                                on:click=move |_| to_stage(target)>
                                {move || named.label(i18n.get_locale())}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </nav>
        <dl class="key-figures">
            <div><dt>{t!(i18n, crm.customer)}</dt><dd>{o.customer.clone().map(|c| view! { <a href=format!("/contacts/{}", c.id)>{c.name}</a> })}</dd></div>
            <div><dt>{t!(i18n, crm.expected_revenue)}</dt><dd data-testid="opportunity-revenue">{revenue.map(|r| move || r.format(language()))}</dd></div>
            <div><dt>{t!(i18n, crm.probability)}</dt><dd>{o.probability.map(|p| format!("{p} %"))}</dd></div>
            <div><dt>{t!(i18n, crm.expected_closing)}</dt><dd>{o.expected_closing.map(|d| move || format_date_short(language(), d))}</dd></div>
            <div><dt>{t!(i18n, crm.salesperson)}</dt><dd>{o.salesperson.clone().map(|s| s.name)}</dd></div>
            <div><dt>{t!(i18n, crm.priority)}</dt><dd>{"★".repeat(o.priority.clamp(0, 3) as usize)}</dd></div>
        </dl>
        <div class="opportunity-layout">
            <div class="opportunity-layout__main">
                <deal_page::QuoteList opportunity=id/>
                <DealTasks page=page.clone() reload=Callback::new(move |()| reload())/>
                {can_edit.then(|| view! {
                    <details class="card" id="details">
                        <summary><h2>{t!(i18n, crm.details)}</h2></summary>
                        <DetailsForm opportunity=o.clone() on_saved=Callback::new(move |()| reload())/>
                    </details>
                })}
            </div>
            <div class="opportunity-layout__side">
                <RecordActivities kind=RecordKind::Opportunity record=id changes=timeline/>
                <RecordTimeline kind=RecordKind::Opportunity record=id changes=timeline/>
            </div>
        </div>
        {move || quoting.get().then(|| view! {
            <deal_page::NewQuoteDialog opportunity=id customer=deal_customer.clone()
                on_close=Callback::new(move |()| quoting.set(false))/>
        })}
        {move || asking_lost.get().then(|| {
            let page = page.clone();
            let on_close = Callback::new(move |()| asking_lost.set(false));
            let on_done = Callback::new(move |()| { asking_lost.set(false); reload(); });
            view! {
                <Suspense fallback=|| ()>{Suspend::new(lost_dialog(page.clone(), on_close, on_done))}</Suspense>
            }
        })}
    }
}

/// "Why was it lost?", fetched (a wasm chunk of its own) the first time it opens.
#[lazy]
fn lost_dialog(page: Page, on_close: Callback<()>, on_done: Callback<()>) -> AnyView {
    view! { <LostDialog page on_close on_done/> }.into_any()
}

/// "Why was it lost?": a reason (required) and an optional note.
#[component]
fn LostDialog(page: Page, on_close: Callback<()>, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<AppError>);
    let (id, version) = (page.opportunity.id, page.opportunity.version);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let picked = Uuid::parse_str(&reason.get_untracked()).ok();
        let text = note.get_untracked();
        leptos::task::spawn_local(async move {
            match act_on_opportunity(id, version, OpportunityAction::MarkLost, picked, text).await {
                Ok(()) => {
                    toasts.success(t_string!(i18n, crm.lost_toast).to_string());
                    on_done.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let reasons = page
        .lost_reasons
        .into_iter()
        .filter(|r| r.active)
        .collect::<Vec<_>>();
    view! {
        <Dialog title_id="lost-title" title=Signal::derive(move || t_string!(i18n, crm.lost_title).to_string()) on_close>
            <form class="form" data-testid="lost-form" on:submit=submit>
                {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                <div class="field">
                    <label for="lost-reason">{t!(i18n, crm.lost_reason)}</label>
                    <select id="lost-reason" data-testid="lost-reason" on:change=move |event| reason.set(event_target_value(&event))>
                        <option value="">"—"</option>
                        {reasons.into_iter().map(|r| {
                            let named = r.named.clone();
                            view! { <option value=r.id.to_string()>{move || named.label(i18n.get_locale())}</option> }
                        }).collect_view()}
                    </select>
                    {move || error.get().filter(|e| e.field() == Some("lost_reason")).map(|e| view! {
                        <p class="field__error" role="alert">{error_text(i18n.get_locale(), &e)}</p>
                    })}
                </div>
                <div class="field">
                    <label for="lost-note">{t!(i18n, crm.lost_note)}</label>
                    <textarea id="lost-note" rows="3" on:input=move |event| note.set(event_target_value(&event))></textarea>
                </div>
                <div class="form__actions">
                    <button type="submit" class="button button--danger" data-action="confirm-lost">{t!(i18n, crm.confirm_lost)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </form>
        </Dialog>
    }
}

/// The tasks created from the deal, and a form to create one (seed 004).
#[component]
fn DealTasks(page: Page, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let id = page.opportunity.id;
    let creating = RwSignal::new(false);
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let review = RwSignal::new(false);
    let error = RwSignal::new(None::<AppError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let task = TaskInput {
            title: title.get_untracked(),
            description: description.get_untracked(),
            due_date: due.get_untracked(),
            review_on_completion: review.get_untracked(),
            assignee_may_change_due: true,
            ..TaskInput::default()
        };
        let who = assignee.get_untracked();
        leptos::task::spawn_local(async move {
            let people = TaskPeople {
                assignee: who.trim().parse().ok(),
                participants: Vec::new(),
            };
            match create_deal_task(id, people, task).await {
                Ok(_) => {
                    toasts.success(t_string!(i18n, crm.task_created_toast).to_string());
                    title.set(String::new());
                    description.set(String::new());
                    due.set(String::new());
                    creating.set(false);
                    error.set(None);
                    reload.run(());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let field_errors = crate::ui::use_field_errors(error);
    let language = move || from_locale(i18n.get_locale());
    let can_edit = page.rights.edit;
    view! {
        <section class="card" data-testid="deal-tasks">
            <header class="card__header">
                <h2>{t!(i18n, crm.tasks)}</h2>
                {can_edit.then(|| view! {
                    <button type="button" class="button button--small" data-action="new-deal-task"
                        on:click=move |_| creating.update(|c| *c = !*c)>{t!(i18n, crm.new_task)}</button>
                })}
            </header>
            {move || creating.get().then(|| view! {
                <form class="form form--grid" data-testid="deal-task-form" on:submit=submit>
                    {move || error.get().filter(|e| e.field().is_none()).map(|e| view! { <ErrorAlert error=Some(e)/> })}
                    <div class="field field--wide">
                        <label for="deal-task-title">{t!(i18n, tasks.task_title)}</label>
                        <input id="deal-task-title" data-testid="deal-task-title" autocomplete="off" required=true
                            prop:value=move || title.get() on:input=move |event| title.set(event_target_value(&event))/>
                        {field_errors.line("title")}
                    </div>
                    <div class="field">
                        <label for="deal-task-assignee">{t!(i18n, crm.responsible)}</label>
                        <UserSelect id="deal-task-assignee" selected=String::new()
                            empty=Signal::derive(move || "—".to_string())
                            on_change=Callback::new(move |id| assignee.set(id))/>
                        {field_errors.line("assignee")}
                    </div>
                    <div class="field">
                        <label for="deal-task-due">{t!(i18n, crm.deadline)}</label>
                        <DateInput id="deal-task-due" testid="deal-task-due"
                            value=due on_input=Callback::new(move |value| due.set(value))/>
                        {field_errors.line("due_date")}
                    </div>
                    <div class="field field--wide">
                        <label for="deal-task-description">{t!(i18n, crm.description)}</label>
                        <textarea id="deal-task-description" rows="3" prop:value=move || description.get()
                            on:input=move |event| description.set(event_target_value(&event))></textarea>
                    </div>
                    <label class="checkbox field--wide">
                        <input type="checkbox" data-testid="deal-task-review" prop:checked=move || review.get()
                            on:change=move |event| review.set(event_target_checked(&event))/>
                        {t!(i18n, tasks.review_on_completion)}
                    </label>
                    <div class="form__actions field--wide">
                        <button type="submit" class="button button--primary" data-action="create-deal-task">{t!(i18n, crm.create_task)}</button>
                        <button type="button" class="button" on:click=move |_| creating.set(false)>{t!(i18n, cancel)}</button>
                    </div>
                </form>
            })}
            {if page.tasks.is_empty() {
                view! { <p class="muted">{t!(i18n, crm.no_tasks)}</p> }.into_any()
            } else {
                view! {
                    <ul class="deal-tasks">
                        {page.tasks.clone().into_iter().map(|task| view! {
                            <li data-task=task.id.to_string()>
                                <a href=crate::tasks::task_href(task.id)>{task.title.clone()}</a>
                                <span class="task-state" data-task-status=task.status.as_str()>{move || status_label(i18n.get_locale(), task.status)}</span>
                                {task.assignee.clone().map(|a| view! { <span class="muted">{a.name}</span> })}
                                {task.due_date.map(|d| view! { <span class="muted">{move || format_date_short(language(), d)}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
