//! My activities: the signed-in user's open activities as a list (overdue, today, upcoming)
//! or a month / week calendar; a calendar cell's "+" schedules one on that day.

use super::{ActivityDialog, ActivityIcon, ActivityLine};
use crate::activities::api::{activities_between, load_my_activities};
use crate::activities::Activity;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::shared::api::opportunity_choices;
use crate::shared::RecordKind;
use crate::ui::InBrowser;
use crate::ui::{
    use_changes, use_shown, ErrorAlert, IconName, PageHeader, ViewChoice, ViewSwitcher,
};
use crate::views::ui::{period_of, CalendarGrid, CalendarScale, CalendarToolbar};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

fn calendar_href(day: NaiveDate, scale: CalendarScale) -> String {
    format!("/activities?show=calendar&date={day}&scale={}", scale.key())
}

#[component]
pub fn MyActivitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let shown = use_shown(&["list", "calendar"]);
    let calendar = move || shown.get() == "calendar";
    let today = crate::ui::use_clock().today();
    view! {
        <Title text=move || t_string!(i18n, activities.my_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, activities.my_title).to_string())>
            <ViewSwitcher shown choices=vec![
                ViewChoice::new("list", "/activities", IconName::List, |l| td_string!(l, activities.list)),
                ViewChoice::new("calendar", calendar_href(today, CalendarScale::Month), IconName::Clock, |l| td_string!(l, crm.show_calendar)),
            ]/>
        </PageHeader>
        {move || if calendar() {
            let (day, scale) = query.with(|q| (
                q.get("date").and_then(|d| crate::domain::day::parse_day(&d)).unwrap_or(today),
                CalendarScale::parse(q.get("scale").as_deref()),
            ));
            view! { <ActivitiesCalendar day scale today/> }.into_any()
        } else {
            view! { <ActivitiesList/> }.into_any()
        }}
    }
}

#[component]
fn ActivitiesList() -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let mine = LocalResource::new(move || {
        changes.version();
        load_my_activities()
    });
    let bump = Callback::new(move |()| changes.reload());
    let editing = RwSignal::new(None::<Activity>);
    let edit = Callback::new(move |activity: Activity| editing.set(Some(activity)));
    let group = move |title: String, key: &'static str, list: Vec<Activity>| {
        (!list.is_empty()).then(|| {
            view! {
                <section class="card" data-group=key>
                    <h2>{title}" "<span class="badge">{list.len()}</span></h2>
                    <ul class="activity-list">
                        {list.into_iter().map(|activity| view! {
                            <ActivityLine activity on_edit=edit changes show_record=true/>
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    };
    view! {
        {move || match mine.in_browser() {
            None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
            Some(Ok(mine)) if mine.overdue.is_empty() && mine.due_today.is_empty() && mine.upcoming.is_empty() => view! {
                <p class="card muted">{t!(i18n, activities.none)}</p>
            }.into_any(),
            Some(Ok(mine)) => view! {
                {group(t_string!(i18n, activities.overdue).to_string(), "overdue", mine.overdue)}
                {group(t_string!(i18n, activities.today).to_string(), "today", mine.due_today)}
                {group(t_string!(i18n, activities.upcoming).to_string(), "upcoming", mine.upcoming)}
            }.into_any(),
        }}
        {move || editing.get().map(|activity| view! {
            <ActivityDialog kind=activity.record_kind record=activity.record_id existing=activity
                on_close=Callback::new(move |()| editing.set(None)) on_changed=bump/>
        })}
    }
}

#[component]
fn ActivitiesCalendar(day: NaiveDate, scale: CalendarScale, today: NaiveDate) -> impl IntoView {
    let changes = use_changes();
    let (first, last) = period_of(day, scale);
    let activities = LocalResource::new(move || {
        changes.version();
        activities_between(first, last)
    });
    let bump = Callback::new(move |()| changes.reload());
    let adding = RwSignal::new(None::<NaiveDate>);
    let editing = RwSignal::new(None::<Activity>);
    let cell = Callback::new(move |date: NaiveDate| {
        let list: Vec<Activity> = activities
            .in_browser()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|a| a.due_date == date)
            .collect();
        view! {
            <ul class="calendar__items">
                {list.into_iter().map(|activity| {
                    let label = format!("{} {}", activity.record_label, activity.summary);
                    let open = activity.clone();
                    view! {
                        <li>
                            <button type="button" class="calendar__item" data-id=activity.id.to_string()
                                on:click=move |_| editing.set(Some(open.clone()))>
                                <ActivityIcon icon=Some(activity.icon.clone()) state=activity.state/>
                                <span>{label}</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    });
    view! {
        <section class="card">
            <CalendarToolbar day scale today href=calendar_href/>
            {move || activities.in_browser().and_then(Result::err).map(|error| view! { <ErrorAlert error=Some(error)/> })}
            <CalendarGrid day scale today cell on_add=Callback::new(move |date| adding.set(Some(date)))/>
        </section>
        {move || adding.get().map(|date| view! {
            <ScheduleOnDay date on_close=Callback::new(move |()| adding.set(None)) on_changed=bump/>
        })}
        {move || editing.get().map(|activity| view! {
            <ActivityDialog kind=activity.record_kind record=activity.record_id existing=activity
                on_close=Callback::new(move |()| editing.set(None)) on_changed=bump/>
        })}
    }
}

/// A calendar cell's "+": first which deal, then the activity dialog on that day.
#[component]
fn ScheduleOnDay(
    date: NaiveDate,
    on_close: Callback<()>,
    on_changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choices = LocalResource::new(opportunity_choices);
    let picked = RwSignal::new(None::<Uuid>);
    move || {
        match picked.get() {
        Some(record) => view! {
            <ActivityDialog kind=RecordKind::Opportunity record due=date on_close on_changed/>
        }
        .into_any(),
        None => view! {
            <crate::ui::Dialog title_id="pick-record-title"
                title=Signal::derive(move || t_string!(i18n, activities.pick_record).to_string()) on_close>
                {move || match choices.in_browser() {
                    None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Some(Ok(list)) => view! {
                        <div class="field">
                            <label for="pick-deal">{t!(i18n, activities.pick_deal)}</label>
                            <select id="pick-deal" data-testid="pick-deal" on:change=move |event| {
                                picked.set(Uuid::parse_str(&event_target_value(&event)).ok());
                            }>
                                <option value="">"—"</option>
                                {list.into_iter().map(|deal| view! { <option value=deal.id.to_string()>{deal.title}</option> }).collect_view()}
                            </select>
                        </div>
                    }.into_any(),
                }}
            </crate::ui::Dialog>
        }
        .into_any(),
    }
    }
}
