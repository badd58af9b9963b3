//! A project's tasks on its page: the ordered task table with quick add and reordering, the
//! task board (generic kanban by status) and the timeline (generic Gantt view).

use crate::domain::{ProjectOp, TaskInput};
use crate::error::{AppError, FieldProblem};
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_short, format_hours, from_locale};
use crate::projects::ProjectPage;
use crate::registry::project_page::{load_project_billing, PartialInvoice, TaskLedger};
use crate::tasks::api::{create_task, move_task_to_status, reorder_task, set_task_dates};
use crate::tasks::list::TASKS;
use crate::tasks::ui::{status_label, IndicatorBadges};
use crate::tasks::{task_href, TaskLine, TaskPeople};
use crate::ui::InBrowser;
use crate::ui::{kept, Changes, DateInput, ErrorAlert, Icon, IconName};
use crate::users::UserSelect;
use crate::views::ui::{Kanban, Timeline, TimelineItem};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

#[component]
pub fn ProjectTasks(page: ProjectPage, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let project = page.project.id;
    let may_work = page.may(ProjectOp::WorkOnTasks);
    let language = move || from_locale(i18n.get_locale());
    let tasks = RwSignal::new(page.tasks.clone());
    let reorder = move |id: Uuid, before: Option<Uuid>, moved: Vec<TaskLine>| {
        let previous = tasks.get_untracked();
        tasks.set(moved);
        leptos::task::spawn_local(async move {
            if let Err(error) = reorder_task(id, before).await {
                tasks.set(previous);
                changes.fail(&error);
            }
        });
    };
    let move_by = move |index: usize, up: bool| {
        let mut list = tasks.get_untracked();
        let target = if up {
            index.checked_sub(1)
        } else {
            Some(index + 1)
        };
        let Some(target) = target.filter(|t| *t < list.len()) else {
            return;
        };
        list.swap(index, target);
        let moved = list[target].id;
        let before = list.get(target + 1).map(|t| t.id);
        reorder(moved, before, list);
    };
    let indexed = move || tasks.get().into_iter().enumerate().collect::<Vec<_>>();
    // What invoicing knows of each task (after hydration; the table reads fine without it).
    let billing = LocalResource::new(move || {
        changes.version();
        load_project_billing(project)
    });
    // Read once per answer, not once per row.
    let loaded = Memo::new(move |_| {
        billing
            .in_browser()
            .and_then(Result::ok)
            .map(|b| (b.ledgers(), b.may_invoice))
    });
    let ledger = move |task: Uuid| -> Option<TaskLedger> {
        loaded.with(|l| {
            l.as_ref()
                .and_then(|(ledgers, _)| ledgers.get(&task).cloned())
        })
    };
    let accepts_actions = page.project.standing().accepts_actions();
    let may_invoice =
        move || accepts_actions && loaded.with(|l| l.as_ref().is_some_and(|(_, may)| *may));
    let selected = RwSignal::new(Vec::<Uuid>::new());
    let toggle = move |task: Uuid, on: bool| {
        selected.update(|s| {
            s.retain(|t| *t != task);
            if on {
                s.push(task);
            }
        })
    };
    view! {
        {may_work.then(|| view! { <QuickAdd project changes/> })}
        {move || may_invoice().then(|| view! {
            <div class="button-row invoice-bar">
                <PartialInvoice project selected changes/>
            </div>
        })}
        {move || tasks.with(Vec::is_empty).then(|| view! {
            <p class="muted">{t!(i18n, tasks.none_yet)}</p>
        })}
        <div class="table-wrap">
            <table class="table task-table" data-testid="project-tasks">
                <thead>
                    <tr>
                        {move || may_invoice().then(|| view! { <th scope="col" class="select-cell"><span class="visually-hidden">{t!(i18n, invoices.select_task)}</span></th> })}
                        {may_work.then(|| view! { <th scope="col" class="order-cell"><span class="visually-hidden">{t!(i18n, tasks.order)}</span></th> })}
                        <th scope="col">{t!(i18n, tasks.task_title)}</th>
                        <th scope="col">{t!(i18n, tasks.status)}</th>
                        <th scope="col">{t!(i18n, tasks.assignee)}</th>
                        <th scope="col">{t!(i18n, tasks.start_date)}</th>
                        <th scope="col">{t!(i18n, tasks.due_date)}</th>
                        <th scope="col" class="numeric">{t!(i18n, tasks.hours)}</th>
                        <th scope="col" class="numeric">{t!(i18n, invoices.invoiced_of_quoted)}</th>
                        <th scope="col"><span class="visually-hidden">{t!(i18n, views.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    <For each=indexed key=|(index, task)| (*index, task.id) let:entry>
                        {
                            let (index, task) = entry;
                            let id = task.id;
                            let status = task.status;
                            let title = task.title.clone();
                            view! {
                                <tr data-id=id.to_string() data-status=status.as_str()>
                                    {move || may_invoice().then(|| {
                                        let line = ledger(id);
                                        let open = line.as_ref().is_some_and(|l| l.invoice.is_none() && l.amount.is_some());
                                        view! {
                                            <td class="select-cell">
                                                <input type="checkbox" data-action="select-task" disabled=!open
                                                    aria-label=move || t_string!(i18n, invoices.select_task).to_string()
                                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                                    on:change=move |e| toggle(id, event_target_checked(&e))/>
                                            </td>
                                        }
                                    })}
                                    {may_work.then(|| view! {
                                        <td class="order-cell">
                                            <button type="button" class="icon-button" disabled=index == 0
                                                aria-label=move || t_string!(i18n, tasks.move_up).to_string()
                                                on:click=move |_| move_by(index, true)>"↑"</button>
                                            <button type="button" class="icon-button"
                                                disabled={move || index + 1 >= tasks.with(Vec::len)}
                                                aria-label=move || t_string!(i18n, tasks.move_down).to_string()
                                                on:click=move |_| move_by(index, false)>"↓"</button>
                                        </td>
                                    })}
                                    <th scope="row" data-label=move || t_string!(i18n, tasks.task_title)>
                                        <a href=task_href(id)>{title.clone()}</a>
                                        <IndicatorBadges indicators=task.indicators/>
                                    </th>
                                    <td data-label=move || t_string!(i18n, tasks.status)>
                                        <span class=format!("badge badge--{}", status.as_str())>{move || status_label(i18n.get_locale(), status)}</span>
                                    </td>
                                    <td data-label=move || t_string!(i18n, tasks.assignee)>{task.assignee.clone().map(|a| a.name).unwrap_or_default()}</td>
                                    <td data-label=move || t_string!(i18n, tasks.start_date)>{move || task.start_date.map(|d| format_date_short(language(), d)).unwrap_or_default()}</td>
                                    <td data-label=move || t_string!(i18n, tasks.due_date) class:overdue=task.indicators.overdue>
                                        {move || task.due_date.map(|d| format_date_short(language(), d)).unwrap_or_default()}
                                    </td>
                                    <td class="numeric" data-label=move || t_string!(i18n, tasks.hours)>
                                        {move || match task.planned_hours {
                                            Some(planned) => format!("{} / {}", format_hours(language(), task.hours_spent), format_hours(language(), planned)),
                                            None => format_hours(language(), task.hours_spent),
                                        }}
                                    </td>
                                    <td class="numeric" data-label=move || t_string!(i18n, invoices.invoiced_of_quoted) data-testid="task-ledger">
                                        {move || ledger(id).map(|l| {
                                            let invoiced = l.invoice.is_some();
                                            let text = match (invoiced, l.quoted, l.amount) {
                                                (true, Some(quoted), _) => format!("{} / {}", l.invoiced.format(language()), quoted.format(language())),
                                                (true, None, _) => l.invoiced.format(language()),
                                                (false, _, Some(amount)) => amount.format(language()),
                                                (false, _, None) => "—".to_string(),
                                            };
                                            view! {
                                                <span class:muted=!invoiced
                                                    title=move || (!invoiced).then(|| t_string!(i18n, invoices.to_invoice).to_string())>{text}</span>
                                                {l.invoice.map(|i| view! {
                                                    " " <a class="badge" href=crate::shared::RecordKind::Invoice.href(i.id)>
                                                        {if i.label.is_empty() { t_string!(i18n, invoices.status_draft).to_string() } else { i.label }}
                                                    </a>
                                                })}
                                            }
                                        })}
                                    </td>
                                    <td class="actions-cell">
                                        <a class="icon-button" href=task_href(id)
                                            aria-label=move || t_string!(i18n, tasks.open_details, name = title.clone()).to_string()>
                                            <Icon name=IconName::Edit/>
                                        </a>
                                    </td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// Adds a task at the end of the project: title, assignee and deadline in one line.
#[component]
fn QuickAdd(project: Uuid, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let title = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let add = Action::new(
        move |(title, assignee, due, add_member): &(String, String, String, bool)| {
            let task = TaskInput {
                title: title.clone(),
                due_date: due.clone(),
                assignee_may_change_due: true,
                ..TaskInput::default()
            };
            let people = TaskPeople {
                assignee: assignee.trim().parse().ok(),
                participants: Vec::new(),
            };
            create_task(Some(project), people, *add_member, task)
        },
    );
    Effect::new(move |_| match add.value().get() {
        Some(Ok(_)) => {
            title.set(String::new());
            due.set(String::new());
            changes.reload();
        }
        // The assignee is outside the project and this user may add members: ask first.
        Some(Err(AppError::Invalid {
            problem: FieldProblem::AssigneeNeedsMembership,
            ..
        })) => {
            let question = t_string!(i18n, tasks.add_assignee_confirm).to_string();
            if window().confirm_with_message(&question).unwrap_or(false) {
                add.dispatch((
                    title.get_untracked(),
                    assignee.get_untracked(),
                    due.get_untracked(),
                    true,
                ));
            }
        }
        _ => {}
    });
    let error = Signal::derive(move || add.value().get().and_then(Result::err));
    view! {
        <form class="inline-form quick-add" on:submit=move |event| {
            event.prevent_default();
            add.dispatch((title.get_untracked(), assignee.get_untracked(), due.get_untracked(), false));
        }>
            <div class="field field--grow">
                <label for="quick-task-title">{t!(i18n, tasks.new_task)}</label>
                <input id="quick-task-title" name="title" autocomplete="off" required=true
                    placeholder=move || t_string!(i18n, tasks.new_task_placeholder)
                    prop:value=kept(title) on:input=move |e| title.set(event_target_value(&e))/>
            </div>
            <div class="field">
                <label for="quick-task-assignee">{t!(i18n, tasks.assignee)}</label>
                <UserSelect id="quick-task-assignee"
                    empty=Signal::derive(move || t_string!(i18n, tasks.nobody).to_string())
                    on_change=Callback::new(move |value| assignee.set(value))/>
            </div>
            <div class="field">
                <label for="quick-task-due">{t!(i18n, tasks.due_date)}</label>
                <DateInput id="quick-task-due" value=due on_input=Callback::new(move |value| due.set(value))/>
            </div>
            <button type="submit" class="button button--primary" disabled=move || add.pending().get()>
                <Icon name=IconName::Plus/><span>{t!(i18n, tasks.add)}</span>
            </button>
        </form>
        <ErrorAlert error/>
    }
}

fn move_task(id: Uuid, status: String) -> Pin<Box<dyn Future<Output = Result<(), AppError>>>> {
    Box::pin(move_task_to_status(id, status))
}

fn move_dates(
    id: Uuid,
    version: i32,
    start: Option<chrono::NaiveDate>,
    due: Option<chrono::NaiveDate>,
) -> Pin<Box<dyn Future<Output = Result<i32, AppError>>>> {
    let text = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Box::pin(set_task_dates(id, version, text(start), text(due)))
}

/// The project's tasks as a board by status.
#[component]
pub fn TaskBoard(project: Uuid) -> impl IntoView {
    let query = Signal::derive(move || format!("p=all&f=project:is:{project}"));
    view! {
        <Kanban schema=&TASKS field="status" query row_href=task_href move_card=move_task card_fields=&["assignee", "due_date", "hours_spent"]/>
    }
}

/// The project's tasks on a timeline by start and end date.
#[component]
pub fn TaskTimeline(page: ProjectPage) -> impl IntoView {
    let editable = page.may(ProjectOp::WorkOnTasks);
    let items: Vec<TimelineItem> = page
        .tasks
        .iter()
        .map(|t| TimelineItem {
            id: t.id,
            label: t.title.clone(),
            start: t.start_date,
            end: t.due_date,
            version: t.version,
            tone: t.status.as_str(),
            editable,
        })
        .collect();
    view! { <Timeline items row_href=task_href move_bar=move_dates/> }
}
