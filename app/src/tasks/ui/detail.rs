//! The task page: status and its moves (with the review step), timer, details (edited in
//! place by those who may), checklist, booked hours and history.

use super::{action_label, status_label, IndicatorBadges};
use crate::domain::project_access::Denied;
use crate::domain::{Clock, Language, Priority, TaskAction};
use crate::error::{AppError, FieldProblem};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, format_hours, from_locale};
use crate::tasks::api::{
    act_on_task, change_checklist, delete_time, get_task, log_time, start_timer, stop_timer,
    UpdateTaskAction,
};
use crate::tasks::{HistoryEntry, TaskPage as Page};
use crate::ui::InBrowser;
use crate::ui::{
    error_text, form_error, kept, kept_checked, use_toasts, Changes, DateInput, ErrorAlert, Field,
    Icon, IconName, PageHeader, RecordPage,
};
use crate::users::UserSelect;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn TaskPage() -> impl IntoView {
    view! {
        <RecordPage load=get_task
            show={|page: Page, changes: Changes| view! { <TaskView page changes/> }}/>
    }
}

#[component]
fn TaskView(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let task = page.task.clone();
    let id = task.id;
    let version = task.version;
    let status = task.status;
    let title = task.title.clone();
    let comment = RwSignal::new(String::new());
    let act = move |action: TaskAction| {
        let text = comment.get_untracked();
        changes.run(act_on_task(id, version, action, text));
    };
    let actions = page.actions.clone();
    let send_back = actions.contains(&TaskAction::SendBack);
    let refusal = page.project_refusal;
    let timer_started = page.timer_started;
    view! {
        <Title text=title.clone()/>
        <PageHeader title=Signal::derive({ let title = title.clone(); move || title.clone() })>
            <span class=format!("badge badge--{}", status.as_str()) data-status=status.as_str()>
                {move || status_label(i18n.get_locale(), status)}
            </span>
            <IndicatorBadges indicators=task.indicators/>
        </PageHeader>
        {task.project.clone().map(|p| {
            let quoted = task.quoted_amount;
            view! {
                <p class="breadcrumb">
                    <a href=format!("/projects/{}", p.id)>{format!("{} {}", p.number, p.title)}</a>
                    {quoted.map(|amount| view! {
                        " · " <span data-testid="task-quoted">{move || format!("{} {}",
                            t_string!(i18n, tasks.quoted_amount),
                            amount.format(from_locale(i18n.get_locale())))}</span>
                    })}
                </p>
            }
        })}
        {task.opportunity.clone().map(|o| view! {
            <p class="breadcrumb" data-testid="task-opportunity">
                <span class="tag">"CRM"</span> " "
                <a href=format!("/crm/{}", o.id)>{o.title}</a>
            </p>
        })}
        // Without work rights (the project is closed or locked) there is nothing to press:
        // the reason shows instead of an empty box.
        {if page.may_work {
            view! {
                <section class="card task-actions" aria-labelledby="task-actions-title">
                    <h2 id="task-actions-title" class="visually-hidden">{t!(i18n, tasks.actions)}</h2>
                    <div class="button-row" data-testid="task-actions">
                        {actions.into_iter().filter(|a| *a != TaskAction::SendBack).map(|action| {
                            let primary = matches!(action, TaskAction::Start | TaskAction::Complete | TaskAction::Accept);
                            view! {
                                <button type="button" class="button" class:button--primary=primary
                                    data-action=format!("{action:?}").to_lowercase()
                                    on:click=move |_| act(action)>
                                    {move || action_label(i18n.get_locale(), action)}
                                </button>
                            }
                        }).collect_view()}
                        <TimerButton task=id started=timer_started changes/>
                    </div>
                    {send_back.then(|| view! {
                        <div class="send-back">
                            <label for="send-back-comment">{t!(i18n, tasks.send_back_comment)}</label>
                            <textarea id="send-back-comment" rows="2" prop:value=kept(comment)
                                on:input=move |e| comment.set(event_target_value(&e))></textarea>
                            <button type="button" class="button" data-action="sendback"
                                on:click=move |_| act(TaskAction::SendBack)>
                                {move || action_label(i18n.get_locale(), TaskAction::SendBack)}
                            </button>
                        </div>
                    })}
                    {(task.review_on_completion && status != crate::domain::TaskStatus::Completed).then(|| view! {
                        <p class="muted">{t!(i18n, tasks.review_note)}</p>
                    })}
                </section>
            }.into_any()
        } else {
            refusal.map(|refusal| view! {
                <p class="notice notice--warning" role="status" data-testid="task-no-actions">
                    {move || refusal_text(i18n.get_locale(), refusal)}
                </p>
            }).into_any()
        }}
        <div class="task-grid">
            <section class="card" aria-labelledby="task-details-title">
                <h2 id="task-details-title">{t!(i18n, tasks.details)}</h2>
                {if page.may_edit {
                    view! { <TaskForm page=page.clone() changes/> }.into_any()
                } else {
                    view! { <TaskFacts page=page.clone()/> }.into_any()
                }}
            </section>
            <div class="task-side">
                <Checklist page=page.clone() changes/>
                <TimeEntries page=page.clone() changes/>
                <History entries=page.history.clone()/>
            </div>
        </div>
        <crate::activities::ui::RecordActivity kind=crate::shared::RecordKind::Task record=page.task.id/>
    }
}

#[component]
fn TimerButton(
    task: Uuid,
    started: Option<chrono::DateTime<chrono::Utc>>,
    changes: Changes,
) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(chrono::Utc::now());
    // The running time ticks in the browser only.
    Effect::new(move |_| {
        if started.is_some() {
            if let Ok(handle) = set_interval_with_handle(
                move || now.set(chrono::Utc::now()),
                std::time::Duration::from_secs(1),
            ) {
                on_cleanup(move || handle.clear());
            }
        }
    });
    match started {
        Some(started) => view! {
            <button type="button" class="button button--danger" data-action="timer-stop"
                on:click=move |_| changes.run(stop_timer())>
                <Icon name=IconName::Clock/>
                <span>{move || {
                    let seconds = (now.get() - started).num_seconds().max(0);
                    t_string!(i18n, tasks.timer_stop, time = format!("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)).to_string()
                }}</span>
            </button>
        }.into_any(),
        None => view! {
            <button type="button" class="button" data-action="timer-start"
                on:click=move |_| changes.run(start_timer(task))>
                <Icon name=IconName::Clock/><span>{t!(i18n, tasks.timer_start)}</span>
            </button>
        }.into_any(),
    }
}

/// Why the task takes no work now, said the task's way for a closed or locked project.
fn refusal_text(locale: Locale, refusal: Denied) -> String {
    match refusal {
        Denied::Closed => td_string!(locale, tasks.no_actions_closed).to_string(),
        Denied::Locked => td_string!(locale, tasks.no_actions_locked).to_string(),
        other => error_text(locale, &AppError::Project(other)),
    }
}

fn priority_label(locale: Locale, priority: Priority) -> &'static str {
    match priority {
        Priority::Low => td_string!(locale, tasks.priority_low),
        Priority::Normal => td_string!(locale, tasks.priority_normal),
        Priority::High => td_string!(locale, tasks.priority_high),
    }
}

/// The task's details for those who may only look: the facts that are set (no rows of
/// dashes for the rest).
#[component]
fn TaskFacts(page: Page) -> impl IntoView {
    let i18n = use_i18n();
    let task = page.task;
    let language = move || from_locale(i18n.get_locale());
    let priority = task.priority;
    let participants = task
        .participants
        .iter()
        .map(|p| p.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <dl class="facts facts--stacked">
            {task.assignee.map(|a| view! { <div><dt>{t!(i18n, tasks.assignee)}</dt><dd>{a.name}</dd></div> })}
            {task.creator.map(|c| view! { <div><dt>{t!(i18n, tasks.creator)}</dt><dd>{c.name}</dd></div> })}
            {(!participants.is_empty()).then(|| view! { <div><dt>{t!(i18n, tasks.participants)}</dt><dd>{participants}</dd></div> })}
            {task.start_date.map(|d| view! {
                <div><dt>{t!(i18n, tasks.start_date)}</dt><dd>{move || format_date_short(language(), d)}</dd></div>
            })}
            {task.due_date.map(|d| view! {
                <div><dt>{t!(i18n, tasks.due_date)}</dt><dd>{move || format_date_short(language(), d)}</dd></div>
            })}
            <div><dt>{t!(i18n, tasks.priority)}</dt><dd>{move || priority_label(i18n.get_locale(), priority)}</dd></div>
            {task.planned_hours.map(|h| view! {
                <div><dt>{t!(i18n, tasks.planned_hours)}</dt><dd>{move || format_hours(language(), h)}</dd></div>
            })}
        </dl>
        {(!task.description.trim().is_empty()).then(|| view! { <p class="prose">{task.description.clone()}</p> })}
    }
}

/// The details form, saved with the version it showed.
#[component]
fn TaskForm(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let update = UpdateTaskAction::new();
    let result = update.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = result.get() {
            toasts.success(t_string!(i18n, tasks.saved_toast).to_string());
            changes.reload();
        }
    });
    let error = Signal::derive(move || result.get().and_then(Result::err));
    let field_errors = crate::ui::use_field_errors(error);
    let task = page.task.clone();
    let input = task.input();
    let value = |text: &str| {
        let text = text.to_string();
        Signal::derive(move || text.clone())
    };
    let participants = RwSignal::new(task.participants.iter().map(|p| p.id).collect::<Vec<_>>());
    let participants_text = move || {
        participants
            .get()
            .iter()
            .map(Uuid::to_string)
            .collect::<Vec<_>>()
            .join(",")
    };
    let initial_participants = participants_text();
    // Loaded in the browser: this part renders inside the page's suspense.
    let users = LocalResource::new(crate::shared::api::user_options);
    let assignee = task
        .assignee
        .as_ref()
        .map(|a| a.id.to_string())
        .unwrap_or_default();
    let conflict = move || matches!(result.get(), Some(Err(AppError::Conflict)));
    let needs_membership = move || {
        matches!(
            result.get(),
            Some(Err(AppError::Invalid {
                problem: FieldProblem::AssigneeNeedsMembership,
                ..
            }))
        )
    };
    view! {
        <ErrorAlert error=form_error(result)/>
        {move || conflict().then(|| view! {
            <p class="notice notice--warning">
                <a href="" on:click=move |event| { event.prevent_default(); changes.reload(); }>{t!(i18n, projects.reload)}</a>
            </p>
        })}
        <ActionForm action=update attr:novalidate=true attr:class="form">
            <input type="hidden" name="id" value=task.id.to_string()/>
            <input type="hidden" name="version" value=task.version.to_string()/>
            <input type="hidden" name="participants" value=initial_participants prop:value=participants_text/>
            <Field name="task[title]" required=true label=Signal::derive(move || t_string!(i18n, tasks.task_title).to_string())
                value=value(&input.title) error=field_errors.message("title")/>
            <div class="field">
                <label for="task-assignee">{t!(i18n, tasks.assignee)}</label>
                <UserSelect id="task-assignee" name="assignee" selected=assignee
                    empty=Signal::derive(move || t_string!(i18n, tasks.nobody).to_string())/>
                {field_errors.line("assignee")}
                // Assigning never makes a member by itself: one who may add members says so.
                {move || needs_membership().then(|| view! {
                    <label class="checkbox">
                        <input type="checkbox" name="add_member" value="true" data-testid="add-assignee-to-project"/>
                        {t!(i18n, tasks.add_assignee_to_project)}
                    </label>
                })}
            </div>
            <fieldset class="field">
                <legend>{t!(i18n, tasks.participants)}</legend>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let options = users.in_browser_later().await?.unwrap_or_default();
                        Some(view! {
                            <div class="checkbox-list">
                                {options.into_iter().map(|u| {
                                    let user = u.id;
                                    view! {
                                        <label class="checkbox">
                                            <input type="checkbox" prop:checked=move || participants.with(|p| p.contains(&user))
                                                on:change=move |_| participants.update(|p| {
                                                    if let Some(i) = p.iter().position(|x| *x == user) { p.remove(i); } else { p.push(user); }
                                                })/>
                                            {u.name}
                                        </label>
                                    }
                                }).collect_view()}
                            </div>
                        })
                    })}
                </Suspense>
            </fieldset>
            <div class="form--grid">
                <Field name="task[start_date]" kind="date" label=Signal::derive(move || t_string!(i18n, tasks.start_date).to_string())
                    value=value(&input.start_date) error=field_errors.message("start_date")/>
                {if page.may_change_due {
                    view! {
                        <Field name="task[due_date]" kind="date" label=Signal::derive(move || t_string!(i18n, tasks.due_date).to_string())
                            value=value(&input.due_date) error=field_errors.message("due_date")/>
                    }.into_any()
                } else {
                    view! {
                        <div class="field">
                            <label for="task-due-fixed">{t!(i18n, tasks.due_date)}</label>
                            <DateInput id="task-due-fixed" value=input.due_date.clone() disabled=true/>
                            <input type="hidden" name="task[due_date]" value=input.due_date.clone()/>
                            <p class="field__help">{t!(i18n, tasks.deadline_fixed)}</p>
                        </div>
                    }.into_any()
                }}
                <Field name="task[planned_hours]" label=Signal::derive(move || t_string!(i18n, tasks.planned_hours).to_string())
                    value=value(&input.planned_hours) error=field_errors.message("planned_hours")/>
                <div class="field">
                    <label for="task-priority">{t!(i18n, tasks.priority)}</label>
                    <select id="task-priority" name="task[priority]">
                        {Priority::ALL.into_iter().map(|p| view! {
                            <option value=p.as_str() selected=p == task.priority>{move || priority_label(i18n.get_locale(), p)}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <Field name="task[tags]" label=Signal::derive(move || t_string!(i18n, contacts.tags).to_string())
                value=value(&input.tags) error=field_errors.message("tags")/>
            <div class="field">
                <label for="task-description">{t!(i18n, tasks.description)}</label>
                <textarea id="task-description" name="task[description]" rows="5">{input.description.clone()}</textarea>
                {field_errors.line("description")}
            </div>
            <label class="checkbox">
                <input type="checkbox" name="task[review_on_completion]" value="true" checked=input.review_on_completion/>
                {t!(i18n, tasks.review_on_completion)}
            </label>
            <label class="checkbox">
                <input type="checkbox" name="task[assignee_may_change_due]" value="true" checked=input.assignee_may_change_due
                    disabled=!page.may_change_due/>
                {t!(i18n, tasks.assignee_may_change_due)}
            </label>
            {(!page.may_change_due).then(|| view! {
                <input type="hidden" name="task[assignee_may_change_due]" value=input.assignee_may_change_due.to_string()/>
            })}
            <div class="form__actions">
                <button type="submit" class="button button--primary" disabled=move || update.pending().get()>{t!(i18n, save)}</button>
            </div>
        </ActionForm>
    }
}

#[component]
fn Checklist(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.task.id;
    let may_work = page.may_work;
    let text = RwSignal::new(String::new());
    let done = page.checklist.iter().filter(|c| c.done).count();
    let total = page.checklist.len();
    view! {
        <section class="card" aria-labelledby="checklist-title">
            <h2 id="checklist-title">{t!(i18n, tasks.checklist)} " " <span class="muted">{format!("{done}/{total}")}</span></h2>
            <ul class="checklist">
                {page.checklist.into_iter().map(|item| {
                    let item_id = item.id;
                    view! {
                        <li>
                            <label class="checkbox">
                                <input type="checkbox" checked=item.done disabled=!may_work
                                    on:change=move |e| changes.run(change_checklist(id, Some(item_id), String::new(), Some(event_target_checked(&e))))/>
                                <span class:done=item.done>{item.text.clone()}</span>
                            </label>
                            {may_work.then(|| view! {
                                <button type="button" class="icon-button" aria-label=move || t_string!(i18n, projects.remove)
                                    on:click=move |_| changes.run(change_checklist(id, Some(item_id), String::new(), None))>
                                    <Icon name=IconName::Trash/>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {may_work.then(|| view! {
                <form class="inline-form" on:submit=move |event| {
                    event.prevent_default();
                    let value = text.get_untracked();
                    if !value.trim().is_empty() {
                        text.set(String::new());
                        changes.run(change_checklist(id, None, value, None));
                    }
                }>
                    <label for="checklist-new" class="visually-hidden">{t!(i18n, tasks.checklist_add)}</label>
                    <input id="checklist-new" autocomplete="off" prop:value=kept(text) on:input=move |e| text.set(event_target_value(&e))
                        placeholder=move || t_string!(i18n, tasks.checklist_add)/>
                    <button type="submit" class="button button--small">{t!(i18n, tasks.add)}</button>
                </form>
            })}
        </section>
    }
}

#[component]
fn TimeEntries(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.task.id;
    let language = move || from_locale(i18n.get_locale());
    let today = format_date_short(
        from_locale(i18n.get_locale_untracked()),
        crate::ui::use_clock().today(),
    );
    let date = RwSignal::new(today);
    let hours = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let billable = RwSignal::new(true);
    let log = Action::new(
        move |(date, hours, note, billable): &(String, String, String, bool)| {
            log_time(
                id,
                date.clone(),
                hours.clone(),
                note.clone(),
                Some(billable.to_string()),
            )
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(())) = log.value().get() {
            hours.set(String::new());
            note.set(String::new());
            changes.reload();
        }
    });
    let log_error = Signal::derive(move || log.value().get().and_then(Result::err));
    let hours_error = Signal::derive(move || {
        log_error
            .get()
            .filter(|e| e.field().is_some())
            .map(|e| error_text(i18n.get_locale(), &e))
    });
    let spent = page.task.hours_spent;
    let planned = page.task.planned_hours;
    view! {
        <section class="card" aria-labelledby="time-title">
            <h2 id="time-title">{t!(i18n, tasks.time)} " "
                <span class="muted" data-testid="task-hours">{move || match planned {
                    Some(p) => t_string!(i18n, projects.hours_of, spent = format_hours(language(), spent), planned = format_hours(language(), p)).to_string(),
                    None => format_hours(language(), spent),
                }}</span>
            </h2>
            <ul class="plain-list time-entries">
                {page.time_entries.into_iter().map(|entry| {
                    let entry_id = entry.id;
                    view! {
                        <li>
                            <span>{move || format_date_short(language(), entry.work_date)}</span>
                            " · " <strong>{move || format_hours(language(), entry.hours)}" h"</strong>
                            " · " {entry.user.clone().map(|u| u.name).unwrap_or_default()}
                            {(!entry.note.is_empty()).then(|| format!(" · {}", entry.note))}
                            {(!entry.billable).then(|| view! { " " <span class="badge">{t!(i18n, tasks.not_billable)}</span> })}
                            {page.may_work.then(|| view! {
                                <button type="button" class="icon-button" aria-label=move || t_string!(i18n, projects.remove)
                                    on:click=move |_| changes.run(delete_time(id, entry_id))>
                                    <Icon name=IconName::Trash/>
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {page.may_work.then(|| view! {
                <form class="inline-form" data-testid="log-time" on:submit=move |event| {
                    event.prevent_default();
                    log.dispatch((date.get_untracked(), hours.get_untracked(), note.get_untracked(), billable.get_untracked()));
                }>
                    <div class="field">
                        <label for="time-date">{t!(i18n, tasks.work_date)}</label>
                        <DateInput id="time-date" value=date on_input=Callback::new(move |value| date.set(value))/>
                    </div>
                    <div class="field" class:field--invalid=move || hours_error.get().is_some()>
                        <label for="time-hours">{t!(i18n, tasks.hours)}</label>
                        <input id="time-hours" inputmode="decimal" autocomplete="off" prop:value=kept(hours) on:input=move |e| hours.set(event_target_value(&e))/>
                    </div>
                    <div class="field field--grow">
                        <label for="time-note">{t!(i18n, tasks.note)}</label>
                        <input id="time-note" autocomplete="off" prop:value=kept(note) on:input=move |e| note.set(event_target_value(&e))/>
                    </div>
                    <label class="checkbox">
                        <input type="checkbox" prop:checked=kept_checked(billable) on:change=move |e| billable.set(event_target_checked(&e))/>
                        {t!(i18n, tasks.billable)}
                    </label>
                    <button type="submit" class="button" disabled=move || log.pending().get()>{t!(i18n, tasks.log_time)}</button>
                </form>
                {move || hours_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
            })}
        </section>
    }
}

/// A moment in the user's own time: "22/11/2026 14:05".
fn moment_text(language: Language, clock: Clock, at: DateTime<Utc>) -> String {
    let local = clock.local(at);
    format!(
        "{} {}",
        format_date_short(language, local.date()),
        local.format("%H:%M")
    )
}

/// A deadline as the history stored it, a day ("2026-12-03") or a moment
/// ("2026-12-03T10:00:00Z"), written the user's way; anything else is shown as it is.
fn deadline_text(language: Language, clock: Clock, value: Option<&str>) -> String {
    let Some(value) = value else {
        return "—".to_string();
    };
    if let Some(day) = crate::domain::day::parse_day(value) {
        format_date_short(language, day)
    } else if let Ok(at) = value.parse::<DateTime<Utc>>() {
        moment_text(language, clock, at)
    } else {
        value.to_string()
    }
}

fn history_text(locale: Locale, clock: Clock, entry: &HistoryEntry) -> String {
    let language = from_locale(locale);
    let status = |value: &Option<String>| {
        value
            .as_deref()
            .and_then(crate::domain::TaskStatus::parse)
            .map(|s| status_label(locale, s).to_string())
            .unwrap_or_default()
    };
    match entry.kind.as_str() {
        "created" => td_string!(locale, tasks.history_created).to_string(),
        "status" => td_string!(
            locale,
            tasks.history_status,
            from = status(&entry.old_value),
            to = status(&entry.new_value)
        )
        .to_string(),
        "deadline" => td_string!(
            locale,
            tasks.history_deadline,
            from = deadline_text(language, clock, entry.old_value.as_deref()),
            to = deadline_text(language, clock, entry.new_value.as_deref())
        )
        .to_string(),
        "assigned" => td_string!(locale, tasks.history_assigned).to_string(),
        "checklist" => td_string!(locale, tasks.history_checklist).to_string(),
        _ => td_string!(locale, tasks.history_edited).to_string(),
    }
}

#[component]
fn History(entries: Vec<HistoryEntry>) -> impl IntoView {
    let i18n = use_i18n();
    let clock = crate::ui::use_clock();
    view! {
        <section class="card" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, tasks.history)}</h2>
            <ol class="history" data-testid="task-history">
                {entries.into_iter().map(|entry| {
                    let when = entry.at;
                    let who = entry.user.clone().unwrap_or_default();
                    let comment = entry.comment.clone();
                    let kind = entry.kind.clone();
                    view! {
                        <li data-kind=kind>
                            <span class="muted">{move || moment_text(from_locale(i18n.get_locale()), clock, when)}</span>
                            " · " <strong>{who}</strong> " · "
                            {move || history_text(i18n.get_locale(), clock, &entry)}
                            {(!comment.is_empty()).then(|| view! { <blockquote>{comment.clone()}</blockquote> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_the_history_read_the_users_way() {
        let amsterdam = Clock::new(60);
        assert_eq!(
            deadline_text(Language::Nl, amsterdam, Some("2026-12-03")),
            "03-12-2026"
        );
        assert_eq!(
            deadline_text(Language::En, amsterdam, Some("2026-12-03T10:00:00Z")),
            "03/12/2026 11:00"
        );
        assert_eq!(deadline_text(Language::Fr, amsterdam, None), "—");
        assert_eq!(deadline_text(Language::It, amsterdam, Some("soon")), "soon");
    }
}
