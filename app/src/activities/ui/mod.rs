//! Activities and timelines on pages: the activity icon, the schedule dialog (Save, Mark as
//! done with feedback, Done & schedule next), a record's planned activities, the record
//! timeline, "My activities" (list and month/week calendar) and the navigation counter.

mod calendar;

pub use calendar::MyActivitiesPage;

use super::api::{
    activity_types, cancel_activity, load_activity_counts, load_timeline, log_note,
    mark_activity_done, record_activities, schedule_activity, update_activity,
};
use super::{
    Activity, ActivityCounts, ActivityType, RecordKind, TimelineCursor, TimelineEntry,
    TimelineEvent,
};
use crate::domain::activity::{proposed_due, ActivityInput, ActivityState};
use crate::error::AppError;
use crate::i18n::{t, t_string, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, from_locale, is_singular};
use crate::ui::InBrowser;
use crate::ui::{
    error_text, kept, use_changes, use_toasts, Changes, DateInput, Dialog, ErrorAlert, Icon,
    IconName,
};
use crate::users::UserSelect;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

/// The drawing of an activity icon (phone, e-mail, meeting, to-do, document), or the clock
/// when nothing is planned.
pub fn icon_name(icon: Option<&str>) -> IconName {
    match icon {
        Some("phone") => IconName::Phone,
        Some("email") => IconName::Mail,
        Some("meeting") => IconName::Users,
        Some("todo") => IconName::Tasks,
        Some("document") => IconName::File,
        _ => IconName::Clock,
    }
}

/// The icon alone, for lists and options.
#[component]
pub fn TypeIcon(#[prop(into)] icon: Option<String>) -> impl IntoView {
    view! { <Icon name=icon_name(icon.as_deref())/> }
}

pub fn state_label(locale: Locale, state: Option<ActivityState>) -> &'static str {
    match state {
        Some(ActivityState::Overdue) => td_string!(locale, crm.activity_overdue),
        Some(ActivityState::Today) => td_string!(locale, crm.activity_today),
        Some(ActivityState::Planned) => td_string!(locale, crm.activity_planned),
        None => td_string!(locale, crm.no_activity),
    }
}

pub fn state_key(state: Option<ActivityState>) -> &'static str {
    match state {
        Some(ActivityState::Overdue) => "overdue",
        Some(ActivityState::Today) => "today",
        Some(ActivityState::Planned) => "planned",
        None => "none",
    }
}

/// The coloured icon: red overdue, orange today, green planned, grey clock for nothing.
#[component]
pub fn ActivityIcon(icon: Option<String>, state: Option<ActivityState>) -> impl IntoView {
    let i18n = use_i18n();
    let key = state_key(state);
    view! {
        <span class=format!("activity-icon activity-icon--{key}") data-state=key
            data-icon=icon.clone().unwrap_or_else(|| "clock".into())
            title=move || state_label(i18n.get_locale(), state)>
            <Icon name=icon_name(icon.as_deref())/>
            <span class="visually-hidden">{move || state_label(i18n.get_locale(), state)}</span>
        </span>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Finish {
    /// The form as it is: Save.
    Editing,
    /// Asking for feedback before marking done; `next` opens a fresh dialog after.
    Feedback { next: bool },
}

/// Schedules (or edits) an activity on a record. `existing` edits that activity; `due`
/// proposes a date (a calendar cell). The dialog is a wasm chunk of its own, fetched the first
/// time one opens: the boards, calendars and record pages that offer it load without it.
#[component]
pub fn ActivityDialog(
    kind: RecordKind,
    record: Uuid,
    #[prop(optional)] existing: Option<Activity>,
    #[prop(optional)] due: Option<NaiveDate>,
    on_close: Callback<()>,
    /// Told after every saved change.
    on_changed: Callback<()>,
) -> impl IntoView {
    let dialog = activity_dialog(kind, record, existing, due, on_close, on_changed);
    view! { <Suspense fallback=|| ()>{Suspend::new(dialog)}</Suspense> }
}

#[lazy]
fn activity_dialog(
    kind: RecordKind,
    record: Uuid,
    existing: Option<Activity>,
    due: Option<NaiveDate>,
    on_close: Callback<()>,
    on_changed: Callback<()>,
) -> AnyView {
    view! { <ActivityForm kind record existing due on_close on_changed/> }.into_any()
}

#[component]
fn ActivityForm(
    kind: RecordKind,
    record: Uuid,
    existing: Option<Activity>,
    due: Option<NaiveDate>,
    on_close: Callback<()>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let clock = crate::ui::use_clock();
    let types = LocalResource::new(activity_types);
    let editing = RwSignal::new(existing.clone());
    let kind_id = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.type_id.to_string())
            .unwrap_or_default(),
    );
    // The due day as the field shows it: the user's way.
    let shown_day =
        move |day: NaiveDate| format_date_short(from_locale(i18n.get_locale_untracked()), day);
    let due_text = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.due_date)
            .or(due)
            .map(shown_day)
            .unwrap_or_default(),
    );
    let summary = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.summary.clone())
            .unwrap_or_default(),
    );
    let note = RwSignal::new(
        existing
            .as_ref()
            .map(|a| a.note.clone())
            .unwrap_or_default(),
    );
    // A new activity is the signed-in person's until they pick someone else.
    let assigned = RwSignal::new(
        existing
            .as_ref()
            .and_then(|a| a.assigned_to.as_ref().map(|u| u.id.to_string()))
            .or_else(|| crate::ui::use_me().map(|me| me.to_string()))
            .unwrap_or_default(),
    );
    let feedback = RwSignal::new(String::new());
    let finish = RwSignal::new(Finish::Editing);
    let error = RwSignal::new(None::<AppError>);
    let busy = RwSignal::new(false);
    // A new activity starts with the first type and the date it proposes.
    Effect::new(move |_| {
        if let Some(Ok(types)) = types.in_browser() {
            if kind_id.get_untracked().is_empty() {
                if let Some(first) = types.iter().find(|t| t.active) {
                    kind_id.set(first.id.to_string());
                    if due_text.get_untracked().is_empty() {
                        due_text.set(shown_day(proposed_due(clock.today(), first.delay_days)));
                    }
                }
            }
        }
    });
    let pick_type = move |id: String| {
        let delay = types
            .in_browser()
            .and_then(Result::ok)
            .and_then(|types| types.into_iter().find(|t| t.id.to_string() == id))
            .map(|t| t.delay_days);
        kind_id.set(id);
        if editing.get_untracked().is_none() && due.is_none() {
            if let Some(delay) = delay {
                due_text.set(shown_day(proposed_due(clock.today(), delay)));
            }
        }
    };
    let input = move || ActivityInput {
        kind: kind_id.get_untracked(),
        due: due_text.get_untracked(),
        summary: summary.get_untracked(),
        note: note.get_untracked(),
    };
    let reset_for_next = move || {
        editing.set(None);
        summary.set(String::new());
        note.set(String::new());
        feedback.set(String::new());
        finish.set(Finish::Editing);
        let delay = types
            .get_untracked()
            .and_then(Result::ok)
            .and_then(|types| {
                types
                    .into_iter()
                    .find(|t| t.id.to_string() == kind_id.get_untracked())
            })
            .map_or(0, |t| t.delay_days);
        due_text.set(shown_day(proposed_due(clock.today(), delay)));
    };
    // done: None saves; Some(next) marks done (and opens a fresh form when `next`).
    let submit = move |done: Option<bool>| {
        busy.set(true);
        error.set(None);
        let current = editing.get_untracked();
        let input = input();
        let assigned = assigned.get_untracked().parse().ok();
        let feedback_text = feedback.get_untracked();
        leptos::task::spawn_local(async move {
            let result = match (&current, done) {
                (None, done) => {
                    schedule_activity(kind, record, input, assigned, done.is_some(), feedback_text)
                        .await
                        .map(|_| ())
                }
                (Some(activity), None) => {
                    update_activity(activity.id, activity.version, input, assigned).await
                }
                (Some(activity), Some(_)) => {
                    match update_activity(activity.id, activity.version, input, assigned).await {
                        Ok(()) => mark_activity_done(activity.id, feedback_text).await,
                        Err(error) => Err(error),
                    }
                }
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    let locale = i18n.get_locale_untracked();
                    toasts.success(if done.is_some() {
                        td_string!(locale, activities.done_toast)
                    } else {
                        td_string!(locale, activities.scheduled_toast)
                    });
                    on_changed.run(());
                    if done == Some(true) {
                        reset_for_next();
                    } else {
                        on_close.run(());
                    }
                }
                Err(failure) => {
                    finish.set(Finish::Editing);
                    error.set(Some(failure));
                }
            }
        });
    };
    let field_errors = crate::ui::use_field_errors(error);
    let general_error = field_errors.general();
    let title = Signal::derive(move || {
        if editing.with(Option::is_some) {
            t_string!(i18n, activities.edit).to_string()
        } else {
            t_string!(i18n, activities.schedule).to_string()
        }
    });
    let type_options = move || {
        let locale = i18n.get_locale();
        types
            .in_browser()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|t: &ActivityType| t.active || t.id.to_string() == kind_id.get())
            .map(|t| (t.id.to_string(), t.named.label(locale)))
            .collect::<Vec<_>>()
    };
    view! {
        <Dialog title_id="activity-dialog-title" title on_close>
            <ErrorAlert error=general_error/>
            <form class="form form--grid" data-testid="activity-form" on:submit=move |event| {
                event.prevent_default();
                submit(None);
            }>
                <div class="field">
                    <label for="activity-kind">{t!(i18n, activities.kind)}</label>
                    <select id="activity-kind" name="kind" data-testid="activity-kind"
                        on:change=move |event| pick_type(event_target_value(&event))>
                        {move || type_options().into_iter().map(|(value, label)| {
                            let selected = value == kind_id.get();
                            view! { <option value=value selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                    {field_errors.line("kind")}
                </div>
                <div class="field">
                    <label for="activity-due">{t!(i18n, activities.due)}</label>
                    <DateInput id="activity-due" name="due" testid="activity-due"
                        value=due_text on_input=Callback::new(move |value| due_text.set(value))/>
                    {field_errors.line("due")}
                </div>
                <div class="field field--wide">
                    <label for="activity-summary">{t!(i18n, activities.summary)}</label>
                    <input id="activity-summary" name="summary" data-testid="activity-summary" autocomplete="off"
                        prop:value=move || summary.get()
                        on:input=move |event| summary.set(event_target_value(&event))/>
                    {field_errors.line("summary")}
                </div>
                <div class="field">
                    <label for="activity-assigned">{t!(i18n, activities.assigned_to)}</label>
                    <UserSelect id="activity-assigned" selected=assigned.get_untracked()
                        on_change=Callback::new(move |id| assigned.set(id))/>
                    {field_errors.line("assigned_to")}
                </div>
                <div class="field field--wide">
                    <label for="activity-note">{t!(i18n, activities.note)}</label>
                    <textarea id="activity-note" rows="3" prop:value=move || note.get()
                        on:input=move |event| note.set(event_target_value(&event))></textarea>
                    {field_errors.line("note")}
                </div>
                {move || match finish.get() {
                    Finish::Editing => view! {
                        <div class="form__actions field--wide">
                            <button type="submit" class="button button--primary" data-action="activity-save"
                                disabled=move || busy.get()>{t!(i18n, activities.save)}</button>
                            <button type="button" class="button" data-action="activity-mark-done"
                                disabled=move || busy.get()
                                on:click=move |_| finish.set(Finish::Feedback { next: false })>
                                {t!(i18n, activities.mark_done)}</button>
                            <button type="button" class="button" data-action="activity-done-next"
                                disabled=move || busy.get()
                                on:click=move |_| finish.set(Finish::Feedback { next: true })>
                                {t!(i18n, activities.done_next)}</button>
                            <button type="button" class="button button--ghost" on:click=move |_| on_close.run(())>
                                {t!(i18n, cancel)}</button>
                        </div>
                    }.into_any(),
                    Finish::Feedback { next } => view! {
                        <div class="field field--wide">
                            <label for="activity-feedback">{t!(i18n, activities.feedback)}</label>
                            <textarea id="activity-feedback" rows="3" data-testid="activity-feedback" autofocus=true
                                prop:value=move || feedback.get()
                                on:input=move |event| feedback.set(event_target_value(&event))></textarea>
                            {field_errors.line("feedback")}
                        </div>
                        <div class="form__actions field--wide">
                            <button type="button" class="button button--primary" data-action="activity-done-confirm"
                                disabled=move || busy.get()
                                on:click=move |_| submit(Some(next))>
                                {move || if next { t_string!(i18n, activities.done_next) } else { t_string!(i18n, activities.done_confirm) }}
                            </button>
                            <button type="button" class="button button--ghost"
                                on:click=move |_| finish.set(Finish::Editing)>{t!(i18n, cancel)}</button>
                        </div>
                    }.into_any(),
                }}
            </form>
        </Dialog>
    }
}

/// One planned activity with its icon, due date, summary and buttons.
#[component]
pub fn ActivityLine(
    activity: Activity,
    /// Edit opens the dialog on it.
    on_edit: Callback<Activity>,
    /// The list's changes: marking done or cancelling reloads it.
    changes: Changes,
    /// Told after each change, besides the reload.
    #[prop(optional)]
    on_changed: Option<Callback<()>>,
    /// Show which record it is on (lists across records).
    #[prop(optional)]
    show_record: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let asking = RwSignal::new(false);
    let feedback = RwSignal::new(String::new());
    let id = activity.id;
    let done = move || {
        let text = feedback.get_untracked();
        changes.run_then(mark_activity_done(id, text), move |()| {
            toasts.success(t_string!(i18n, activities.done_toast).to_string());
            if let Some(told) = on_changed {
                told.run(());
            }
        });
    };
    let cancel = move |_| {
        changes.run_then(cancel_activity(id), move |()| {
            if let Some(told) = on_changed {
                told.run(());
            }
        })
    };
    let language = move || from_locale(i18n.get_locale());
    let type_named = activity.type_named.clone();
    let record_href = activity.record_kind.href(activity.record_id);
    let edit_activity = activity.clone();
    view! {
        <li class="activity-line" data-id=id.to_string() data-state=state_key(activity.state)>
            <ActivityIcon icon=Some(activity.icon.clone()) state=activity.state/>
            <div class="activity-line__body">
                <p class="activity-line__title">
                    <strong>{move || type_named.label(i18n.get_locale())}</strong>
                    {(!activity.summary.is_empty()).then(|| format!(": {}", activity.summary))}
                </p>
                <p class="muted">
                    {move || t_string!(i18n, activities.due_on, date = format_date_short(language(), activity.due_date)).to_string()}
                    {activity.assigned_to.clone().map(|u| format!(" · {}", u.name))}
                    {show_record.then(|| view! { " · " <a href=record_href.clone()>{activity.record_label.clone()}</a> })}
                </p>
                {(!activity.note.is_empty()).then(|| view! { <p class="activity-line__note">{activity.note.clone()}</p> })}
                {move || asking.get().then(|| view! {
                    <form class="activity-line__done" on:submit=move |event| { event.prevent_default(); done(); }>
                        <label class="visually-hidden" for=format!("feedback-{id}")>{t!(i18n, activities.feedback)}</label>
                        <input id=format!("feedback-{id}") data-testid="line-feedback" autocomplete="off"
                            placeholder=move || t_string!(i18n, activities.feedback)
                            on:input=move |event| feedback.set(event_target_value(&event))/>
                        <button type="submit" class="button button--small button--primary" data-action="line-done-confirm">
                            {t!(i18n, activities.done_confirm)}</button>
                    </form>
                })}
            </div>
            <div class="activity-line__actions">
                <button type="button" class="button button--small" data-action="activity-done"
                    on:click=move |_| asking.update(|a| *a = !*a)>{t!(i18n, activities.mark_done)}</button>
                <button type="button" class="link-button" data-action="activity-edit"
                    on:click=move |_| on_edit.run(edit_activity.clone())>{t!(i18n, activities.edit)}</button>
                <button type="button" class="link-button" data-action="activity-cancel" on:click=cancel>
                    {t!(i18n, activities.cancel_activity)}</button>
            </div>
        </li>
    }
}

/// A record's planned activities and "Schedule an activity".
#[component]
pub fn RecordActivities(
    kind: RecordKind,
    record: Uuid,
    /// The changes of the record's activities (the timeline reloads with them).
    changes: Changes,
) -> impl IntoView {
    let i18n = use_i18n();
    let activities = LocalResource::new(move || {
        changes.version();
        record_activities(kind, record)
    });
    let dialog = RwSignal::new(None::<Option<Activity>>);
    let bump = Callback::new(move |()| changes.reload());
    let edit = Callback::new(move |activity: Activity| dialog.set(Some(Some(activity))));
    view! {
        <section class="card record-activities" data-testid="record-activities">
            <header class="card__header">
                <h2>{t!(i18n, activities.planned)}</h2>
                <button type="button" class="button button--small" data-action="schedule-activity"
                    on:click=move |_| dialog.set(Some(None))>{t!(i18n, activities.schedule)}</button>
            </header>
            {move || match activities.in_browser() {
                None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{t!(i18n, activities.none)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="activity-list">
                        {list.into_iter().map(|activity| view! { <ActivityLine activity on_edit=edit changes/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {move || dialog.get().map(|existing| match existing {
                Some(activity) => view! {
                    <ActivityDialog kind record existing=activity on_close=Callback::new(move |()| dialog.set(None)) on_changed=bump/>
                }.into_any(),
                None => view! {
                    <ActivityDialog kind record on_close=Callback::new(move |()| dialog.set(None)) on_changed=bump/>
                }.into_any(),
            })}
        </section>
    }
}

fn field_label(locale: Locale, field: &str) -> String {
    match field {
        "title" => td_string!(locale, crm.title),
        "customer" => td_string!(locale, crm.customer),
        "contact" => td_string!(locale, crm.contact),
        "salesperson" => td_string!(locale, crm.salesperson),
        "expected_revenue" => td_string!(locale, crm.expected_revenue),
        "probability" => td_string!(locale, crm.probability),
        "expected_closing" => td_string!(locale, crm.expected_closing),
        "priority" => td_string!(locale, crm.priority),
        "tags" => td_string!(locale, crm.tags),
        "source" => td_string!(locale, crm.source),
        "description" => td_string!(locale, crm.description),
        "merged_into" => td_string!(locale, projects.field_merged_into),
        "merged_from" => td_string!(locale, projects.field_merged_from),
        other => return other.to_string(),
    }
    .to_string()
}

/// One timeline entry: who, when, what.
#[component]
fn TimelineItem(entry: TimelineEntry) -> impl IntoView {
    let i18n = use_i18n();
    let at = entry.at;
    let clock = crate::ui::use_clock();
    let when = move || {
        let local = clock.local(at);
        format!(
            "{} {}",
            format_date_short(from_locale(i18n.get_locale()), local.date()),
            local.format("%H:%M")
        )
    };
    let user = entry.user.clone();
    let who = move || {
        user.clone()
            .unwrap_or_else(|| t_string!(i18n, timeline.someone).to_string())
    };
    let kind = entry.event.kind();
    let event = entry.event.clone();
    let body = move || {
        let locale = i18n.get_locale();
        let empty = || td_string!(locale, timeline.empty_value).to_string();
        match event.clone() {
            TimelineEvent::Created => view! { <p>{td_string!(locale, timeline.created)}</p> }.into_any(),
            TimelineEvent::Note { text } => view! {
                <p>{td_string!(locale, timeline.note)}</p>
                <blockquote class="timeline__note">{text}</blockquote>
            }.into_any(),
            TimelineEvent::ActivityDone { type_named, icon, summary, note, feedback } => {
                let activity = if summary.is_empty() { type_named.label(locale) } else { format!("{} — {summary}", type_named.label(locale)) };
                view! {
                    <p class="timeline__activity"><TypeIcon icon=Some(icon)/>{td_string!(locale, timeline.activity_done, activity = activity).to_string()}</p>
                    {(!note.is_empty()).then(|| view! { <p class="muted">{note}</p> })}
                    {(!feedback.is_empty()).then(|| view! {
                        <blockquote class="timeline__note"><strong>{td_string!(locale, timeline.feedback)} ": "</strong>{feedback}</blockquote>
                    })}
                }.into_any()
            }
            TimelineEvent::Stage { from, to } => view! {
                <p>{td_string!(locale, timeline.stage, from = from.label(locale), to = to.label(locale)).to_string()}</p>
            }.into_any(),
            TimelineEvent::Won => view! { <p class="timeline__won">{td_string!(locale, timeline.won)}</p> }.into_any(),
            TimelineEvent::Lost { reason, note } => view! {
                <p class="timeline__lost">{td_string!(locale, timeline.lost, reason = reason.label(locale)).to_string()}</p>
                {(!note.is_empty()).then(|| view! { <blockquote class="timeline__note">{note}</blockquote> })}
            }.into_any(),
            TimelineEvent::Reopened => view! { <p>{td_string!(locale, timeline.reopened)}</p> }.into_any(),
            TimelineEvent::Field { field, old, new } => {
                let old = if old.is_empty() { empty() } else { old };
                let new = if new.is_empty() { empty() } else { new };
                view! {
                    <p>{td_string!(locale, timeline.field, field = field_label(locale, &field)).to_string()}</p>
                    <p class="timeline__change"><del>{old}</del> " → " <ins>{new}</ins></p>
                }.into_any()
            }
            TimelineEvent::TaskCreated { task_id, title } => view! {
                <p>{td_string!(locale, timeline.task_created)} " "
                    <a href=RecordKind::Task.href(task_id)>{title}</a></p>
            }.into_any(),
            TimelineEvent::QuoteCreated { quote_id, number } => view! {
                <p>{td_string!(locale, timeline.quote_created)} " "
                    <a href=RecordKind::Quote.href(quote_id)>{number}</a></p>
            }.into_any(),
            TimelineEvent::QuoteSent { to } => view! {
                <p>{td_string!(locale, timeline.quote_sent)} " " <strong>{to}</strong></p>
            }.into_any(),
            TimelineEvent::QuoteState { state } => view! {
                <p>{td_string!(locale, timeline.quote_state)} " "
                    <strong>{crate::shared::quote_state_label(locale, state)}</strong></p>
            }.into_any(),
            TimelineEvent::QuoteConfirmed { project_id, project_number } => view! {
                <p>{td_string!(locale, timeline.quote_confirmed)} " "
                    <a href=RecordKind::Project.href(project_id)>{project_number}</a></p>
            }.into_any(),
            TimelineEvent::SendFailed { to, error } => view! {
                <p class="timeline__failed">{td_string!(locale, timeline.send_failed)} " "
                    <strong>{to}</strong> " — "
                    {crate::shared::DeliveryFailure::from_stored(&error).text(locale)}</p>
            }.into_any(),
            TimelineEvent::InvoiceCreated { invoice_id, .. } => view! {
                <p><a href=RecordKind::Invoice.href(invoice_id)>{td_string!(locale, timeline.invoice_created)}</a></p>
            }.into_any(),
            TimelineEvent::InvoiceIssued { invoice_id, number } => view! {
                <p>{td_string!(locale, timeline.invoice_issued)} " "
                    <a href=RecordKind::Invoice.href(invoice_id)>{number}</a></p>
            }.into_any(),
            TimelineEvent::InvoiceSent { invoice_id, number, to } => view! {
                <p>{td_string!(locale, timeline.invoice_sent)} " "
                    <a href=RecordKind::Invoice.href(invoice_id)>{number}</a> " → " <strong>{to}</strong></p>
            }.into_any(),
            TimelineEvent::Payment { amount } => view! {
                <p>{td_string!(locale, timeline.payment)} " " <strong>{amount.format(crate::locale::from_locale(locale))}</strong></p>
            }.into_any(),
            TimelineEvent::ProjectLocked => view! {
                <p>{td_string!(locale, timeline.project_locked)}</p>
            }.into_any(),
            TimelineEvent::ProjectUnlocked { reason } => view! {
                <p>{td_string!(locale, timeline.project_unlocked)} " — " <em>{reason}</em></p>
            }.into_any(),
            TimelineEvent::AppointmentSent { to, subject, starts } => {
                let local = clock.local(starts);
                let moment = format!(
                    "{} {}",
                    format_date_short(from_locale(locale), local.date()),
                    local.format("%H:%M")
                );
                view! {
                    <p>{td_string!(locale, project_mail.timeline_appointment, when = moment).to_string()}
                        " " <strong>{to}</strong></p>
                    <p class="muted">{subject}</p>
                }.into_any()
            }
            TimelineEvent::StatusSent { to, subject } => view! {
                <p>{td_string!(locale, project_mail.timeline_status)} " " <strong>{to}</strong></p>
                <p class="muted">{subject}</p>
            }.into_any(),
        }
    };
    view! {
        <li class="timeline__entry" data-kind=kind>
            <p class="timeline__meta"><strong>{who}</strong> " · " <time>{when}</time></p>
            {body}
        </li>
    }
}

/// The record timeline: log a note, then the entries, newest first, paged.
#[component]
pub fn RecordTimeline(kind: RecordKind, record: Uuid, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let first = LocalResource::new(move || {
        changes.version();
        load_timeline(kind, record, None)
    });
    let older = RwSignal::new(Vec::<TimelineEntry>::new());
    let next = RwSignal::new(None::<TimelineCursor>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.in_browser() {
            older.set(Vec::new());
            next.set(page.next.clone());
        }
    });
    let load_more = move |_| {
        let Some(cursor) = next.get_untracked() else {
            return;
        };
        leptos::task::spawn_local(async move {
            match load_timeline(kind, record, Some(cursor)).await {
                Ok(page) => {
                    older.update(|o| o.extend(page.entries));
                    next.set(page.next);
                }
                Err(error) => changes.fail(&error),
            }
        });
    };
    let text = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let post = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let body = text.get_untracked();
        leptos::task::spawn_local(async move {
            match log_note(kind, record, body).await {
                Ok(()) => {
                    text.set(String::new());
                    note_error.set(None);
                    toasts.success(t_string!(i18n, timeline.noted_toast).to_string());
                    changes.reload();
                }
                Err(error) => note_error.set(Some(error_text(i18n.get_locale_untracked(), &error))),
            }
        });
    };
    view! {
        <section class="card timeline" data-testid="record-timeline">
            <h2>{t!(i18n, timeline.title)}</h2>
            <form class="timeline__form" on:submit=post>
                <label class="visually-hidden" for=format!("note-{record}")>{t!(i18n, timeline.log_note)}</label>
                <textarea id=format!("note-{record}") rows="2" data-testid="timeline-note"
                    placeholder=move || t_string!(i18n, timeline.note_placeholder)
                    prop:value=kept(text)
                    on:input=move |event| text.set(event_target_value(&event))></textarea>
                {move || note_error.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
                <button type="submit" class="button button--small" data-action="log-note">{t!(i18n, timeline.log_note)}</button>
            </form>
            {move || match first.in_browser() {
                None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Some(Ok(page)) if page.entries.is_empty() => view! { <p class="muted">{t!(i18n, timeline.empty)}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ol class="timeline__entries">
                        {page.entries.into_iter().map(|entry| view! { <TimelineItem entry/> }).collect_view()}
                        {move || older.get().into_iter().map(|entry| view! { <TimelineItem entry/> }).collect_view()}
                    </ol>
                }.into_any(),
            }}
            {move || next.get().is_some().then(|| view! {
                <button type="button" class="button button--small" on:click=load_more>{t!(i18n, timeline.more)}</button>
            })}
        </section>
    }
}

/// Activities and timeline of a record, side by side on wide screens.
#[component]
pub fn RecordActivity(kind: RecordKind, record: Uuid) -> impl IntoView {
    let changes = use_changes();
    view! {
        <div class="record-activity">
            <RecordActivities kind record changes/>
            <RecordTimeline kind record changes/>
        </div>
    }
}

/// The number beside "My activities": overdue and due today, red when some are overdue.
#[component]
pub fn ActivityNavCounter() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let counts = LocalResource::new(move || {
        location.pathname.track();
        load_activity_counts()
    });
    move || {
        counts.in_browser().and_then(Result::ok).and_then(|c| {
            let shown = c.overdue + c.today;
            (shown > 0).then(|| view! {
                <span class="nav-count" class:nav-count--urgent={c.overdue > 0} data-testid="nav-activities-count"
                    title=move || count_title(i18n.get_locale(), c)>
                    {shown}
                </span>
            })
        })
    }
}

/// "1 overdue, 2 today": each count with the form of the words that follow it.
fn count_title(locale: Locale, counts: ActivityCounts) -> String {
    let singular = |count: i64| is_singular(from_locale(locale), count.unsigned_abs());
    let overdue = if singular(counts.overdue) {
        td_string!(
            locale,
            activities.count_overdue_singular,
            count = counts.overdue
        )
        .to_string()
    } else {
        td_string!(locale, activities.count_overdue, count = counts.overdue).to_string()
    };
    let today = if singular(counts.today) {
        td_string!(
            locale,
            activities.count_today_singular,
            count = counts.today
        )
        .to_string()
    } else {
        td_string!(locale, activities.count_today, count = counts.today).to_string()
    };
    td_string!(
        locale,
        activities.count_title,
        overdue = overdue,
        today = today
    )
    .to_string()
}
