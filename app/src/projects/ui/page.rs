//! The project page: header with state and its moves, key figures, and tabs for tasks,
//! timeline, board, client administration, members and settings. Each tab has its own URL
//! (`?tab=…`), so it can be linked and reloaded.

use super::admin::{ClientAdmin, Members};
use super::form::SettingsForm;
use super::tasks::{ProjectTasks, TaskBoard, TaskTimeline};
use crate::domain::policy::CompanyOp;
use crate::domain::{ProjectOp, ProjectState};
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, format_hours, from_locale, is_singular};
use crate::projects::api::{get_project, set_project_state};
use crate::projects::mail::ui::ProjectMailButtons;
use crate::projects::ProjectPage as Page;
use crate::registry::project_page::{
    AddFromCatalogue, CompleteDialog, InvoiceHistory, MergeDialog, UnlockDialog,
};
use crate::ui::{use_go_to, use_may, Changes, Dialog, PageHeader, RecordPage};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub fn state_label(locale: Locale, state: ProjectState) -> &'static str {
    match state {
        ProjectState::Planned => td_string!(locale, projects.state_planned),
        ProjectState::InProgress => td_string!(locale, projects.state_in_progress),
        ProjectState::OnHold => td_string!(locale, projects.state_on_hold),
        ProjectState::Completed => td_string!(locale, projects.state_completed),
        ProjectState::Closed => td_string!(locale, projects.state_closed),
    }
}

/// A project's period as people read it ("01/03/2027 – 30/06/2027", an open end as "—"), or
/// `None` when it has neither a start nor an end date.
pub fn period_text(
    language: crate::domain::Language,
    start: Option<chrono::NaiveDate>,
    end: Option<chrono::NaiveDate>,
) -> Option<String> {
    if start.is_none() && end.is_none() {
        return None;
    }
    let date = |d: Option<chrono::NaiveDate>| {
        d.map(|d| format_date_short(language, d))
            .unwrap_or_else(|| "—".to_string())
    };
    Some(format!("{} – {}", date(start), date(end)))
}

#[component]
pub fn ProjectPage() -> impl IntoView {
    view! {
        <RecordPage load=get_project
            show={|page: Page, changes: Changes| view! { <ProjectView page changes/> }}/>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Tasks,
    Timeline,
    Board,
    Client,
    Members,
    Invoices,
    Activity,
    Settings,
}

impl Tab {
    const ALL: [Tab; 8] = [
        Tab::Tasks,
        Tab::Timeline,
        Tab::Board,
        Tab::Client,
        Tab::Members,
        Tab::Invoices,
        Tab::Activity,
        Tab::Settings,
    ];

    fn key(self) -> &'static str {
        match self {
            Tab::Tasks => "tasks",
            Tab::Timeline => "timeline",
            Tab::Board => "board",
            Tab::Client => "client",
            Tab::Members => "members",
            Tab::Invoices => "invoices",
            Tab::Activity => "activity",
            Tab::Settings => "settings",
        }
    }

    fn label(self, locale: Locale) -> &'static str {
        match self {
            Tab::Tasks => td_string!(locale, projects.tab_tasks),
            Tab::Timeline => td_string!(locale, projects.tab_timeline),
            Tab::Board => td_string!(locale, projects.tab_board),
            Tab::Client => td_string!(locale, projects.tab_client),
            Tab::Members => td_string!(locale, projects.tab_members),
            Tab::Invoices => td_string!(locale, invoices.tab_invoices),
            Tab::Activity => td_string!(locale, projects.tab_activity),
            Tab::Settings => td_string!(locale, projects.tab_settings),
        }
    }
}

#[component]
fn ProjectView(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let project = page.project.clone();
    let id = project.id;
    let may_settings = page.may(ProjectOp::EditDetails);
    let may_see_invoices = use_may(CompanyOp::InvoicesView);
    let shown = move |t: &Tab| match t {
        Tab::Settings => may_settings,
        Tab::Invoices => may_see_invoices,
        _ => true,
    };
    let tab = move || {
        let key = query.with(|q| q.get("tab")).unwrap_or_default();
        Tab::ALL
            .into_iter()
            .find(|t| t.key() == key)
            .filter(shown)
            .unwrap_or(Tab::Tasks)
    };
    let title = format!("{} {}", project.number, project.title);
    let language = move || from_locale(i18n.get_locale());
    let (start, end) = (project.start_date, project.end_date);
    let done = page
        .tasks
        .iter()
        .filter(|t| t.status == crate::domain::TaskStatus::Completed)
        .count();
    let total = page.tasks.len();
    let progress = (done * 100).checked_div(total).unwrap_or(0);
    let (spent, planned) = (project.hours_spent, page.planned_hours);
    let budget = project.budget;
    let closed = project.state == ProjectState::Closed;
    let tabs_page = page.clone();
    view! {
        <Title text=title.clone()/>
        <PageHeader title=Signal::derive(move || title.clone())>
            <span class=format!("badge badge--state badge--{}", project.state.as_str()) data-state=project.state.as_str()>
                {move || state_label(i18n.get_locale(), project.state)}
            </span>
            <StateButtons page=page.clone() changes/>
            <ProjectMailButtons page=page.clone() changes/>
            {page.may(ProjectOp::ManageMembers).then(|| view! { <MergeButton project=id/> })}
        </PageHeader>
        {closed.then(|| view! {
            <p class="notice notice--warning" role="status">{t!(i18n, projects.closed_notice)}</p>
        })}
        {project.locked.then(|| view! { <LockedNotice project=id changes/> })}
        {project.quote.clone().map(|(quote, number)| view! {
            <p class="muted" data-testid="created-from-quote">{t!(i18n, quotes.created_from)} " "
                <a href=crate::shared::RecordKind::Quote.href(quote)>{number}</a></p>
        })}
        <dl class="facts">
            <div>
                <dt>{t!(i18n, projects.customer)}</dt>
                <dd>{match project.customer.clone() {
                    Some(c) => view! { <a href=format!("/contacts/{}", c.id)>{c.name}</a> }.into_any(),
                    None => view! { <span class="muted">"—"</span> }.into_any(),
                }}</dd>
            </div>
            <div>
                <dt>{t!(i18n, projects.manager)}</dt>
                <dd>{project.manager.clone().map(|m| m.name).unwrap_or_else(|| "—".into())}</dd>
            </div>
            <div>
                <dt>{t!(i18n, projects.period)}</dt>
                <dd data-testid="project-period">{move || match period_text(language(), start, end) {
                    Some(period) => period.into_any(),
                    None => view! { <span class="muted">{t!(i18n, projects.no_dates)}</span> }.into_any(),
                }}</dd>
            </div>
            <div>
                <dt>{t!(i18n, projects.budget)}</dt>
                <dd>{move || budget.map(|b| b.format(language())).unwrap_or_else(|| "—".into())}</dd>
            </div>
            <div>
                <dt>{t!(i18n, projects.hours)}</dt>
                <dd data-testid="project-hours">{move || t_string!(i18n, projects.hours_of,
                    spent = format_hours(language(), spent), planned = format_hours(language(), planned)).to_string()}</dd>
            </div>
            <div>
                <dt>{t!(i18n, projects.progress)}</dt>
                <dd>
                    <progress max="100" value=progress.to_string()></progress>
                    " " {move || if is_singular(language(), total as u64) {
                        t_string!(i18n, projects.progress_of_singular, done = done, total = total).to_string()
                    } else {
                        t_string!(i18n, projects.progress_of, done = done, total = total).to_string()
                    }}
                </dd>
            </div>
        </dl>
        <nav class="tabs" aria-label=move || t_string!(i18n, projects.sections)>
            {Tab::ALL.into_iter().filter(shown).map(|t| view! {
                <a class="tabs__tab" href=format!("/projects/{id}?tab={}", t.key())
                    aria-current=move || (tab() == t).then_some("page")>
                    {move || t.label(i18n.get_locale())}
                </a>
            }).collect_view()}
        </nav>
        <section class="tab-panel">
            {move || {
                let page = tabs_page.clone();
                match tab() {
                    Tab::Tasks => {
                        let add_from_catalogue = page
                            .may(ProjectOp::WorkOnTasks)
                            .then(|| view! { <AddFromCatalogue project=page.project.id changes/> });
                        view! { {add_from_catalogue} <ProjectTasks page changes/> }.into_any()
                    }
                    Tab::Timeline => view! { <TaskTimeline page/> }.into_any(),
                    Tab::Board => view! { <TaskBoard project=page.project.id/> }.into_any(),
                    Tab::Client => view! { <ClientAdmin page changes/> }.into_any(),
                    Tab::Members => view! { <Members page changes/> }.into_any(),
                    Tab::Invoices => view! { <InvoiceHistory project=page.project.id changes/> }.into_any(),
                    Tab::Activity => view! {
                        <crate::activities::ui::RecordActivity kind=crate::shared::RecordKind::Project record=page.project.id/>
                    }.into_any(),
                    Tab::Settings => view! {
                        <section class="card">
                            <SettingsForm project=page.project.clone() on_saved=Callback::new(move |_| changes.reload())/>
                        </section>
                    }.into_any(),
                }
            }}
        </section>
    }
}

/// "Merge into another project": a preview of what moves, then one transaction.
#[component]
fn MergeButton(project: uuid::Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let merging = RwSignal::new(false);
    let on_done = Callback::new(move |target: uuid::Uuid| {
        merging.set(false);
        go_to(&crate::shared::RecordKind::Project.href(target));
    });
    view! {
        <button type="button" class="button button--small" data-action="merge"
            on:click=move |_| merging.set(true)>{t!(i18n, invoices.merge)}</button>
        {move || merging.get().then(|| {
            let on_close = Callback::new(move |()| merging.set(false));
            view! { <Suspense fallback=|| ()>{Suspend::new(merge_dialog(project, on_close, on_done))}</Suspense> }
        })}
    }
}

/// The merge dialog is a wasm chunk of its own, fetched the first time it opens.
#[lazy]
fn merge_dialog(
    project: uuid::Uuid,
    on_close: Callback<()>,
    on_done: Callback<uuid::Uuid>,
) -> AnyView {
    view! { <MergeDialog project on_close on_done/> }.into_any()
}

/// A locked project says so, and managers and admins may unlock it (with a reason).
#[component]
fn LockedNotice(project: uuid::Uuid, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let may_unlock = use_may(CompanyOp::UnlockProjects);
    let unlocking = RwSignal::new(false);
    view! {
        <div class="notice notice--warning" role="status" data-testid="locked-notice">
            <span>{t!(i18n, projects.locked_notice)}</span>
            {may_unlock.then(|| view! {
                <button type="button" class="button button--small" data-action="unlock"
                    on:click=move |_| unlocking.set(true)>{t!(i18n, invoices.unlock)}</button>
            })}
        </div>
        {move || unlocking.get().then(|| view! {
            <UnlockDialog project on_close=Callback::new(move |()| unlocking.set(false))
                on_done=Callback::new(move |()| { unlocking.set(false); changes.reload(); })/>
        })}
    }
}

/// The moves the project's state machine allows from here, for its admins. Completing asks
/// whether to invoice what remains.
#[component]
fn StateButtons(page: Page, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let go_to = use_go_to();
    let id = page.project.id;
    let version = page.project.version;
    let completing = RwSignal::new(false);
    let closing = RwSignal::new(false);
    let set_state = Action::new(move |to: &ProjectState| set_project_state(id, Some(version), *to));
    Effect::new(move |_| match set_state.value().get() {
        Some(Ok(())) => changes.reload(),
        Some(Err(error)) => changes.fail(&error),
        None => {}
    });
    if !page.may(ProjectOp::ChangeState) {
        return ().into_any();
    }
    let on_completed = Callback::new(move |invoice: Option<uuid::Uuid>| {
        completing.set(false);
        match invoice {
            Some(invoice) => go_to(&crate::shared::RecordKind::Invoice.href(invoice)),
            None => changes.reload(),
        }
    });
    view! {
        <div class="button-row" role="group" aria-label=move || t_string!(i18n, projects.change_state)>
            {page.project.state.next_states().iter().map(|to| {
                let to = *to;
                let danger = to == ProjectState::Closed;
                view! {
                    <button type="button" class="button button--small" class:button--danger=danger
                        data-to=to.as_str()
                        disabled=move || set_state.pending().get()
                        on:click=move |_| {
                            if to == ProjectState::Completed {
                                completing.set(true);
                                return;
                            }
                            if to == ProjectState::Closed {
                                closing.set(true);
                                return;
                            }
                            set_state.dispatch(to);
                        }>
                        {move || t_string!(i18n, projects.move_to, state = state_label(i18n.get_locale(), to)).to_string()}
                    </button>
                }
            }).collect_view()}
        </div>
        {move || completing.get().then(|| view! {
            <CompleteDialog project=id version on_close=Callback::new(move |()| completing.set(false)) on_done=on_completed/>
        })}
        {move || closing.get().then(|| view! {
            <CloseDialog on_close=Callback::new(move |()| closing.set(false))
                on_confirm=Callback::new(move |()| {
                    closing.set(false);
                    set_state.dispatch(ProjectState::Closed);
                })/>
        })}
    }
    .into_any()
}

/// "Close this project?": closing stops all new work until an admin reopens it, so it is
/// asked first.
#[component]
fn CloseDialog(on_close: Callback<()>, on_confirm: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Dialog title_id="close-project-title" title=Signal::derive(move || t_string!(i18n, projects.close_project).to_string()) on_close>
            <div class="form" data-testid="close-project-dialog">
                <p>{t!(i18n, projects.close_confirm)}</p>
                <div class="form__actions">
                    <button type="button" class="button button--danger" data-action="confirm-close"
                        on:click=move |_| on_confirm.run(())>{t!(i18n, projects.close_project)}</button>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>{t!(i18n, cancel)}</button>
                </div>
            </div>
        </Dialog>
    }
}
