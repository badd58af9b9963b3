//! The calendar view: a month (weeks from Monday) or a week of day cells, each showing what
//! the page puts in it, with a "+" to add something on that day; and its toolbar (previous,
//! today, next, month or week). The period lives in the URL (`?show=…&date=…&scale=…`).

use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_long, from_locale};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarScale {
    Month,
    Week,
}

impl CalendarScale {
    pub fn parse(text: Option<&str>) -> CalendarScale {
        match text {
            Some("week") => CalendarScale::Week,
            _ => CalendarScale::Month,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            CalendarScale::Month => "month",
            CalendarScale::Week => "week",
        }
    }
}

fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The days a calendar shows around `day`: whole weeks from Monday covering the month, or
/// the week.
pub fn period_of(day: NaiveDate, scale: CalendarScale) -> (NaiveDate, NaiveDate) {
    match scale {
        CalendarScale::Week => {
            let first = monday_of(day);
            (first, first + Duration::days(6))
        }
        CalendarScale::Month => {
            let first_of_month = day.with_day(1).unwrap_or(day);
            let next_month = (first_of_month + Duration::days(32))
                .with_day(1)
                .unwrap_or(day);
            let last_of_month = next_month - Duration::days(1);
            let first = monday_of(first_of_month);
            let last = monday_of(last_of_month) + Duration::days(6);
            (first, last)
        }
    }
}

/// The day a step back or forward leads to.
fn step(day: NaiveDate, scale: CalendarScale, forward: bool) -> NaiveDate {
    let sign = if forward { 1 } else { -1 };
    match scale {
        CalendarScale::Week => day + Duration::days(7 * sign),
        CalendarScale::Month => {
            let first = day.with_day(1).unwrap_or(day);
            if forward {
                (first + Duration::days(32)).with_day(1).unwrap_or(first)
            } else {
                (first - Duration::days(1)).with_day(1).unwrap_or(first)
            }
        }
    }
}

/// Previous / today / next and month / week; `href` builds the URL of a (date, scale).
#[component]
pub fn CalendarToolbar(
    day: NaiveDate,
    scale: CalendarScale,
    today: NaiveDate,
    href: fn(NaiveDate, CalendarScale) -> String,
) -> impl IntoView {
    let i18n = use_i18n();
    let title = move || {
        let language = from_locale(i18n.get_locale());
        match scale {
            CalendarScale::Month => crate::locale::format_month_year(language, day),
            CalendarScale::Week => {
                let (first, last) = period_of(day, scale);
                format!(
                    "{} – {}",
                    format_date_long(language, first),
                    format_date_long(language, last)
                )
            }
        }
    };
    view! {
        <div class="calendar-toolbar">
            <div class="segmented" role="group">
                <a class="button" href=href(step(day, scale, false), scale) data-action="calendar-previous"
                    aria-label=move || t_string!(i18n, activities.previous)>"‹"</a>
                <a class="button" href=href(today, scale)>{t!(i18n, activities.this_period)}</a>
                <a class="button" href=href(step(day, scale, true), scale) data-action="calendar-next"
                    aria-label=move || t_string!(i18n, activities.next)>"›"</a>
            </div>
            <h2 class="calendar-toolbar__title" data-testid="calendar-title">{title}</h2>
            <div class="segmented" role="group">
                <a class="button" class:button--pressed=scale == CalendarScale::Month
                    href=href(day, CalendarScale::Month) data-action="calendar-month">{t!(i18n, activities.month)}</a>
                <a class="button" class:button--pressed=scale == CalendarScale::Week
                    href=href(day, CalendarScale::Week) data-action="calendar-week">{t!(i18n, activities.week)}</a>
            </div>
        </div>
    }
}

/// The grid of days. `cell` renders the content of a day; `on_add`, when given, puts a "+"
/// in every cell.
#[component]
pub fn CalendarGrid(
    day: NaiveDate,
    scale: CalendarScale,
    today: NaiveDate,
    cell: Callback<NaiveDate, AnyView>,
    #[prop(optional)] on_add: Option<Callback<NaiveDate>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (first, last) = period_of(day, scale);
    let month = day.month();
    let days: Vec<NaiveDate> = first.iter_days().take_while(|d| *d <= last).collect();
    let weekday_names = move || {
        let language = from_locale(i18n.get_locale());
        (0..7)
            .map(|n| {
                let date = first + Duration::days(n);
                let long = crate::locale::format_weekday(language, date);
                view! { <div class="calendar__weekday" role="columnheader">{long}</div> }
            })
            .collect_view()
    };
    view! {
        <div class="calendar" class:calendar--week=scale == CalendarScale::Week role="grid">
            <div class="calendar__row calendar__head" role="row">{weekday_names}</div>
            <div class="calendar__days">
                {days.into_iter().map(|date| {
                    let outside = scale == CalendarScale::Month && date.month() != month;
                    view! {
                        <div class="calendar__cell" role="gridcell" data-date=date.to_string()
                            class:calendar__cell--outside=outside class:calendar__cell--today=date == today>
                            <div class="calendar__cell-head">
                                <span class="calendar__day">{date.day()}</span>
                                {on_add.map(|add| view! {
                                    <button type="button" class="calendar__add" data-action="calendar-add"
                                        aria-label=move || t_string!(i18n, activities.add_on, date = date.to_string()).to_string()
                                        on:click=move |_| add.run(date)>"+"</button>
                                })}
                            </div>
                            {move || cell.run(date)}
                        </div>
                    }
                }).collect_view()}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_month_shows_whole_weeks_from_monday_and_a_week_its_seven_days() {
        // November 2026 starts on a Sunday and ends on a Monday.
        assert_eq!(
            period_of(day("2026-11-23"), CalendarScale::Month),
            (day("2026-10-26"), day("2026-12-06"))
        );
        assert_eq!(
            period_of(day("2026-11-23"), CalendarScale::Week),
            (day("2026-11-23"), day("2026-11-29"))
        );
        assert_eq!(
            step(day("2026-01-31"), CalendarScale::Month, true),
            day("2026-02-01")
        );
        assert_eq!(
            step(day("2026-03-15"), CalendarScale::Month, false),
            day("2026-02-01")
        );
        assert_eq!(
            step(day("2026-11-23"), CalendarScale::Week, false),
            day("2026-11-16")
        );
    }
}
