//! The generic timeline (Gantt-style): one row per item, a bar from its start to its end
//! date. Dragging a bar moves both dates, dragging its ends moves one; arrow keys do the
//! same a day at a time (Shift: the end only). A change shows at once, is saved with the
//! version the item was read at, and is undone if the server refuses it (e.g. someone else
//! changed the item meanwhile).

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_date_short, from_locale};
use crate::ui::{use_pointer_drag, use_toasts, Dragging};
use chrono::{Datelike, Duration, NaiveDate};
use leptos::prelude::*;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineItem {
    pub id: Uuid,
    pub label: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub version: i32,
    /// A modifier for the bar's colour (e.g. the task's status).
    pub tone: &'static str,
    pub editable: bool,
}

/// Saves new dates for an item read at `version`; answers the item's new version.
pub type MoveBar = fn(
    Uuid,
    i32,
    Option<NaiveDate>,
    Option<NaiveDate>,
) -> Pin<Box<dyn Future<Output = Result<i32, AppError>>>>;

const DAY_WIDTH: i32 = 28;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Grip {
    Move,
    Start,
    End,
}

/// Whole days a horizontal pointer move of `dx` pixels stands for.
fn days_of(dx: i32) -> i64 {
    (f64::from(dx) / f64::from(DAY_WIDTH)).round() as i64
}

/// The dates after moving by `days` with `grip`; never an end before the start.
fn shifted(start: NaiveDate, end: NaiveDate, grip: Grip, days: i64) -> (NaiveDate, NaiveDate) {
    let by = Duration::days(days);
    match grip {
        Grip::Move => (start + by, end + by),
        Grip::Start => ((start + by).min(end), end),
        Grip::End => (start, (end + by).max(start)),
    }
}

#[component]
pub fn Timeline(
    items: Vec<TimelineItem>,
    row_href: fn(Uuid) -> String,
    move_bar: MoveBar,
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let today = crate::ui::use_clock().today();
    let dated: Vec<NaiveDate> = items
        .iter()
        .flat_map(|i| [i.start, i.end])
        .flatten()
        .collect();
    let first = dated.iter().min().copied().unwrap_or(today).min(today) - Duration::days(3);
    // Start on a Monday, so weeks line up.
    let origin = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let last = dated.iter().max().copied().unwrap_or(today).max(today) + Duration::days(14);
    let days = (last - origin).num_days().max(28);
    let items = RwSignal::new(items);

    let save = move |id: Uuid, start: NaiveDate, end: NaiveDate| {
        let Some(before) = items.with_untracked(|list| list.iter().find(|i| i.id == id).cloned())
        else {
            return;
        };
        let (new_start, new_end) = (
            before
                .start
                .map(|_| start)
                .or((before.end.is_none()).then_some(start)),
            Some(end),
        );
        if new_start == before.start && new_end == before.end {
            return;
        }
        let version = before.version;
        items.update(|list| {
            if let Some(item) = list.iter_mut().find(|i| i.id == id) {
                item.start = new_start;
                item.end = new_end;
            }
        });
        leptos::task::spawn_local(async move {
            match move_bar(id, version, new_start, new_end).await {
                Ok(version) => items.update(|list| {
                    if let Some(item) = list.iter_mut().find(|i| i.id == id) {
                        item.version = version;
                    }
                }),
                Err(error) => {
                    items.update(|list| {
                        if let Some(item) = list.iter_mut().find(|i| i.id == id) {
                            *item = before.clone();
                        }
                    });
                    toasts.failure(i18n.get_locale_untracked(), &error);
                }
            }
        });
    };

    let drag = use_pointer_drag(
        |_| {},
        move |done: Dragging<(Uuid, Grip)>, (x, _)| {
            let (id, grip) = done.item;
            let days = days_of(x - done.start.0);
            if days == 0 {
                return;
            }
            let span =
                items.with_untracked(|list| list.iter().find(|i| i.id == id).and_then(bar_dates));
            if let Some((start, end)) = span {
                let (start, end) = shifted(start, end, grip, days);
                save(id, start, end);
            }
        },
    );

    let language = move || from_locale(i18n.get_locale());
    let width = days * i64::from(DAY_WIDTH);
    let header = move || {
        (0..days)
        .map(|n| origin + Duration::days(n))
        .map(|day| {
            let weekend = day.weekday().num_days_from_monday() >= 5;
            let is_today = day == today;
            let month = (day.day() == 1 || day == origin).then_some(day);
            view! {
                <span class="timeline__day" class:timeline__day--weekend=weekend class:timeline__day--today=is_today
                    title=move || format_date_short(language(), day)>
                    {month.map(|m| view! { <strong class="timeline__month">{move || format!("{:02}/{}", m.month(), m.year())}</strong> })}
                    {day.day()}
                </span>
            }
        })
        .collect_view()
    };
    let today_left = (today - origin).num_days() * i64::from(DAY_WIDTH);

    // Drawn in the browser only: bars are placed through the CSS object model (the page's
    // policy refuses style attributes), and dragging needs the browser anyway.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let grid_width = format!("calc({width}px + var(--timeline-label))");
    let today_at = format!("calc({today_left}px + var(--timeline-label))");
    view! {
        <div class="timeline">
            <p class="muted timeline__help">{t!(i18n, views.timeline_help)}</p>
            <Show when=move || mounted.get() fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            <div class="timeline__scroll">
                <div class="timeline__grid" style:width=grid_width.clone()>
                    <div class="timeline__row timeline__row--header">
                        <span class="timeline__label"></span>
                        <div class="timeline__days">{header()}</div>
                    </div>
                    <For each=move || items.get() key=|item| (item.id, item.start, item.end, item.version) let:item>
                        {
                            let id = item.id;
                            let dates = bar_dates(&item);
                            let label = item.label.clone();
                            let editable = item.editable;
                            // The grip and the whole days of this bar's moving drag.
                            let offset = move || {
                                drag.moving_item()
                                    .filter(|((dragged, _), _)| *dragged == id)
                                    .map(|((_, grip), (dx, _))| (grip, days_of(dx)))
                            };
                            let geometry = move || {
                                dates.map(|(start, end)| {
                                    let (start, end) = match offset() {
                                        Some((grip, days)) => shifted(start, end, grip, days),
                                        None => (start, end),
                                    };
                                    let left = (start - origin).num_days() * i64::from(DAY_WIDTH);
                                    let span = ((end - start).num_days() + 1) * i64::from(DAY_WIDTH);
                                    (format!("{left}px"), format!("{span}px"))
                                })
                            };
                            let left = move || geometry().map(|g| g.0).unwrap_or_default();
                            let bar_width = move || geometry().map(|g| g.1).unwrap_or_default();
                            let grab = move |grip: Grip| {
                                move |event: leptos::ev::PointerEvent| {
                                    if !editable {
                                        return;
                                    }
                                    event.stop_propagation();
                                    // A bar is its own grip: touch drags it too.
                                    drag.start((id, grip), &event, true);
                                }
                            };
                            let keys = move |event: leptos::ev::KeyboardEvent| {
                                let days = match event.key().as_str() {
                                    "ArrowLeft" => -1,
                                    "ArrowRight" => 1,
                                    _ => return,
                                };
                                let Some((start, end)) = dates else { return };
                                if !editable {
                                    return;
                                }
                                event.prevent_default();
                                let grip = if event.shift_key() { Grip::End } else { Grip::Move };
                                let (start, end) = shifted(start, end, grip, days);
                                save(id, start, end);
                            };
                            let title = {
                                let label = label.clone();
                                move || match dates {
                                    Some((start, end)) => format!("{label}: {} – {}",
                                        format_date_short(language(), start), format_date_short(language(), end)),
                                    None => t_string!(i18n, views.timeline_no_dates, name = label.clone()).to_string(),
                                }
                            };
                            view! {
                                <div class="timeline__row" data-id=id.to_string()>
                                    <a class="timeline__label" href=row_href(id)>{label.clone()}</a>
                                    <div class="timeline__days">
                                        {dates.map(|_| view! {
                                            <div class=format!("timeline__bar timeline__bar--{}", item.tone)
                                                class:timeline__bar--editable=editable
                                                class:timeline__bar--dragging=move || offset().is_some()
                                                style:left=left style:width=bar_width role="slider" tabindex="0"
                                                aria-label=title.clone() title=title.clone()
                                                on:pointerdown=grab(Grip::Move) on:keydown=keys>
                                                {editable.then(|| view! {
                                                    <span class="timeline__grip timeline__grip--start" on:pointerdown=grab(Grip::Start)></span>
                                                    <span class="timeline__grip timeline__grip--end" on:pointerdown=grab(Grip::End)></span>
                                                })}
                                            </div>
                                        })}
                                        {dates.is_none().then(|| view! { <span class="timeline__none muted">{t!(i18n, views.timeline_undated)}</span> })}
                                    </div>
                                </div>
                            }
                        }
                    </For>
                    <span class="timeline__today" aria-hidden="true" style:left=today_at.clone()></span>
                </div>
            </div>
            </Show>
        </div>
    }
}

/// The days a bar covers: both dates, or the one date there is.
fn bar_dates(item: &TimelineItem) -> Option<(NaiveDate, NaiveDate)> {
    match (item.start, item.end) {
        (Some(start), Some(end)) => Some((start, end.max(start))),
        (Some(day), None) | (None, Some(day)) => Some((day, day)),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
    }

    #[test]
    fn bars_move_and_stretch_without_turning_inside_out() {
        assert_eq!(shifted(day(10), day(12), Grip::Move, 3), (day(13), day(15)));
        assert_eq!(shifted(day(10), day(12), Grip::End, -5), (day(10), day(10)));
        assert_eq!(
            shifted(day(10), day(12), Grip::Start, 5),
            (day(12), day(12))
        );
        assert_eq!(
            shifted(day(10), day(12), Grip::Start, -2),
            (day(8), day(12))
        );
    }
}
