//! The pivot view of a list: the layout bar (rows, columns, measures, open groups, flip,
//! percentages) and the grid. Every choice is a link, so the URL holds the whole pivot and
//! Back undoes a click; every figure links to the list of the records it sums.

mod table;

use super::{use_list, ListContext};
use crate::domain::pivot::{
    Axis, DateBucket, Expansion, Level, Measure, Percentage, PivotGrid, PivotLayout,
};
use crate::i18n::{t, td_string, use_i18n};
use crate::ui::{ErrorAlert, Icon, IconName, InBrowser};
use crate::views::api::fetch_pivot;
use crate::views::pivot::text::{level_label, measure_label};
use crate::views::pivot::{
    axis_fields, compared_period, filter_kind, layout_of, measure_fields, Analysis, PivotAnswer,
};
use crate::views::schema::{FieldDef, FieldKind};
use crate::views::state::encode;
use crate::views::ViewState;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use table::{grid_view, Scrolled};

/// The link to the same view with another layout, shown the same way (pivot or graph).
pub(super) fn layout_href(list: &ListContext, layout: &PivotLayout) -> String {
    let analysis = list.analysis.get().unwrap_or(Analysis::Pivot);
    list.state
        .with(|state| list.href_keeping(state, &analysis.query(layout)))
}

/// The levels of a shown axis, to change them (after a flip, the rows are the columns).
fn levels_mut(layout: &mut PivotLayout, axis: Axis) -> &mut Vec<Level> {
    match (axis, layout.flipped) {
        (Axis::Rows, false) | (Axis::Columns, true) => &mut layout.rows,
        (Axis::Columns, false) | (Axis::Rows, true) => &mut layout.columns,
    }
}

/// The layout with the levels of a shown axis changed; its open groups start afresh.
fn with_levels(
    layout: &PivotLayout,
    axis: Axis,
    change: impl FnOnce(&mut Vec<Level>),
) -> PivotLayout {
    let mut next = layout.clone();
    change(levels_mut(&mut next, axis));
    next.expanded_rows = Expansion::default();
    next.expanded_columns = Expansion::default();
    next
}

/// The levels a field offers: a date by each bucket, others as they are.
fn level_choices(field: &FieldDef) -> Vec<Level> {
    if field.kind == FieldKind::Date {
        [
            DateBucket::Month,
            DateBucket::Week,
            DateBucket::Day,
            DateBucket::Quarter,
            DateBucket::Year,
        ]
        .into_iter()
        .map(|bucket| Level {
            field: field.key.to_string(),
            bucket: Some(bucket),
        })
        .collect()
    } else {
        vec![Level {
            field: field.key.to_string(),
            bucket: None,
        }]
    }
}

/// The figures of the view and the layout, asked again when the view, a grouping or a
/// measure changes; not when a group opens, the axes flip or percentages are shown.
pub(super) fn figures(
    list: ListContext,
    layout: Memo<PivotLayout>,
) -> LocalResource<Result<PivotAnswer, crate::error::AppError>> {
    let request = Memo::new(move |_| {
        let asked = layout.with(|l| PivotLayout {
            rows: l.rows.clone(),
            columns: l.columns.clone(),
            measures: l.measures.clone(),
            compare: l.compare,
            ..PivotLayout::default()
        });
        let view = list.state.with(ViewState::to_query);
        let pairs = asked
            .to_pairs()
            .into_iter()
            .map(|(key, value)| format!("{key}={}", encode(&value)))
            .collect::<Vec<_>>()
            .join("&");
        format!("{view}&{pairs}")
    });
    LocalResource::new(move || {
        list.changes.version();
        fetch_pivot(list.schema.key.to_string(), request.get())
    })
}

#[component]
pub fn PivotView() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let query_map = use_query_map();
    let layout = Memo::new(move |_| query_map.with(|m| layout_of(&m.to_query_string())));
    // The figures depend on the view, the groupings and the measures; opening a group, a
    // flip or a percentage only redraws them.
    let answer = figures(list, layout);
    // Where the frame is scrolled: the grid draws the rows and columns around it.
    let scrolled = Scrolled::new();
    let on_scroll = move |event: leptos::ev::Event| {
        scrolled.follow(&event_target::<web_sys::Element>(&event));
    };
    view! {
        <div class="pivot" data-testid="pivot">
            <PivotBar layout/>
            // Outside what redraws, so that opening a group keeps the scroll position.
            <div class="pivot-scroll" on:scroll=on_scroll>
                {move || match answer.in_browser() {
                    None => view! { <p class="muted" aria-busy="true">{t!(i18n, loading)}</p> }.into_any(),
                    Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Some(Ok(answer)) => layout.with(|layout| grid_view(i18n.get_locale(), list, layout, answer, scrolled)),
                }}
            </div>
        </div>
    }
}

/// The layout bar: rows and columns with their levels, measures, open groups, flip and
/// percentages; for a graph, one level of each (groups along the axis and series) and one
/// measure.
#[component]
pub(super) fn PivotBar(layout: Memo<PivotLayout>, #[prop(optional)] graph: bool) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let axis_bar = move |axis: Axis| {
        let locale = i18n.get_locale();
        let layout = layout.get();
        let title = match (axis, graph) {
            (Axis::Rows, false) => td_string!(locale, views.pivot_rows),
            (Axis::Columns, false) => td_string!(locale, views.pivot_columns),
            (Axis::Rows, true) => td_string!(locale, views.graph_groups),
            (Axis::Columns, true) => td_string!(locale, views.graph_series),
        };
        let most = if graph {
            1
        } else {
            crate::domain::pivot::MAX_LEVELS
        };
        let levels = layout.levels(axis).to_vec();
        let chips = levels.iter().enumerate().filter_map(|(at, level)| {
            let field = list.schema.field(&level.field)?;
            let label = level_label(locale, field, level.bucket);
            let removed = layout_href(&list, &with_levels(&layout, axis, |l| { l.remove(at); }));
            Some(view! {
                <span class="chip pivot-level">
                    <span>{label.clone()}</span>
                    <a class="chip__remove" href=removed aria-label=td_string!(locale, views.pivot_remove_level, name = label)>"×"</a>
                </span>
            })
        }).collect_view();
        let choices = (levels.len() < most).then(|| {
            let options = axis_fields(list.schema)
                .filter(|field| !levels.iter().any(|l| l.field == field.key))
                .flat_map(level_choices)
                .filter_map(|level| {
                    let field = list.schema.field(&level.field)?;
                    let label = level_label(locale, field, level.bucket);
                    let added = layout_href(&list, &with_levels(&layout, axis, |l| l.push(level.clone())));
                    Some(view! { <a class="menu__item" href=added data-level=level.to_string()>{label}</a> })
                })
                .collect_view();
            view! {
                <details class="menu">
                    <summary class="button button--small" data-action=format!("pivot-add-{}", axis_key(axis))>
                        <Icon name=IconName::Plus/><span>{td_string!(locale, views.pivot_add_level)}</span>
                    </summary>
                    <div class="menu__panel">{options}</div>
                </details>
            }
        });
        view! {
            <div class="pivot-bar__axis" data-axis=axis_key(axis)>
                <strong>{title}</strong>{chips}{choices}
            </div>
        }
    };
    let measures_menu = move || {
        let locale = i18n.get_locale();
        let layout = layout.get();
        let shown = layout.shown_measures();
        let items = std::iter::once(Measure::Count)
            .chain(measure_fields(list.schema).map(|f| Measure::Sum(f.key.to_string())))
            .map(|measure| {
                let on = if graph {
                    shown.first() == Some(&measure)
                } else {
                    shown.contains(&measure)
                };
                let mut next = layout.clone();
                next.measures = shown.clone();
                if graph {
                    next.measures = vec![measure.clone()];
                } else if on {
                    next.measures.retain(|m| *m != measure);
                } else if next.measures.len() < crate::domain::pivot::MAX_MEASURES {
                    next.measures.push(measure.clone());
                }
                let href = layout_href(&list, &next);
                view! {
                    <a class="menu__item" class:menu__item--active=on href=href
                        aria-current=on.then_some("true") data-measure=measure.key().to_string()>
                        {measure_label(locale, list.schema, &measure)}
                    </a>
                }
            })
            .collect_view();
        view! {
            <details class="menu">
                <summary class="button button--small" data-action="pivot-measures">{td_string!(locale, views.pivot_measures)}</summary>
                <div class="menu__panel">{items}</div>
            </details>
        }
    };
    let options = move || {
        let locale = i18n.get_locale();
        let layout = layout.get();
        let expand_all = layout_href(
            &list,
            &layout
                .with_all(Axis::Rows, true)
                .with_all(Axis::Columns, true),
        );
        let collapse_all = layout_href(
            &list,
            &layout
                .with_all(Axis::Rows, false)
                .with_all(Axis::Columns, false),
        );
        let flipped = layout_href(
            &list,
            &PivotLayout {
                flipped: !layout.flipped,
                ..layout.clone()
            },
        );
        let modes = [None, Some(Percentage::OfRow), Some(Percentage::OfColumn), Some(Percentage::OfTotal)]
            .into_iter()
            .map(|mode| {
                let label = match mode {
                    None => td_string!(locale, views.pivot_as_values),
                    Some(Percentage::OfRow) => td_string!(locale, views.pivot_of_row),
                    Some(Percentage::OfColumn) => td_string!(locale, views.pivot_of_column),
                    Some(Percentage::OfTotal) => td_string!(locale, views.pivot_of_total),
                };
                let href = layout_href(&list, &PivotLayout { percentage: mode, ..layout.clone() });
                let on = layout.percentage == mode;
                view! {
                    <a class="button button--small" class:button--pressed=on href=href
                        aria-current=on.then_some("true") data-percentage=mode.map_or("none", Percentage::as_str)>{label}</a>
                }
            })
            .collect_view();
        // "Compare" when the view has a date range to compare with the period before.
        let comparable = list
            .state
            .with(|state| compared_period(list.schema, state).is_some());
        let compare = comparable.then(|| {
            let href = layout_href(
                &list,
                &PivotLayout {
                    compare: !layout.compare,
                    ..layout.clone()
                },
            );
            view! {
                <a class="button button--small" class:button--pressed=layout.compare
                    aria-pressed=layout.compare.to_string() href=href data-action="pivot-compare">
                    {td_string!(locale, views.pivot_compare)}
                </a>
            }
        });
        let view = list.state.with(ViewState::to_query);
        let xlsx = format!(
            "/export/{}.xlsx?{view}&{}",
            list.schema.key,
            Analysis::Pivot.query(&layout)
        );
        view! {
            <a class="button button--small" href=xlsx download="" data-action="pivot-xlsx">
                <Icon name=IconName::Download/><span>"XLSX"</span>
            </a>
            <a class="button button--small" href=expand_all data-action="pivot-expand-all">{td_string!(locale, views.pivot_expand_all)}</a>
            <a class="button button--small" href=collapse_all data-action="pivot-collapse-all">{td_string!(locale, views.pivot_collapse_all)}</a>
            <a class="button button--small" href=flipped data-action="pivot-flip">{td_string!(locale, views.pivot_flip)}</a>
            {compare}
            <div class="segmented" role="group" aria-label=td_string!(locale, views.pivot_show_as)>{modes}</div>
        }
    };
    view! {
        <div class="pivot-bar">
            {move || axis_bar(Axis::Rows)}
            {move || axis_bar(Axis::Columns)}
            <div class="pivot-bar__options">{measures_menu}{(!graph).then_some(options)}</div>
        </div>
    }
}

/// The list of the records one figure sums: the view, without its grouping, with its own
/// filters on the figure's fields replaced by the figure's groups.
pub(super) fn drill_href(
    list: &ListContext,
    grid: &PivotGrid,
    row: usize,
    value_column: usize,
) -> Option<String> {
    let schema = list.schema;
    let filters = grid
        .drill_down(row, value_column, |key| schema.field(key).map(filter_kind))
        .ok()?;
    Some(list.state.with(|state| {
        let fields: Vec<&str> = filters.iter().map(|f| f.field.as_str()).collect();
        let mut next = ViewState {
            group_by: Vec::new(),
            ..state.clone()
        };
        next.filters.retain(|f| !fields.contains(&f.field.as_str()));
        next.filters
            .extend(filters.iter().map(|f| crate::views::Filter {
                field: f.field.clone(),
                op: f.op.clone(),
                value: f.value.clone(),
            }));
        list.href_keeping(&next, "")
    }))
}

fn axis_key(axis: Axis) -> &'static str {
    match axis {
        Axis::Rows => "rows",
        Axis::Columns => "columns",
    }
}
