//! The graph view of a list: bars (grouped or stacked), a line (which may add up) or a pie
//! of the pivot's first row level, first column level and first measure, drawn as SVG.
//! A bar, point or slice names its figure on hover or on a first touch, and opens the list
//! of its records on a click; the legend hides and shows series; a table under the graph
//! gives the same figures to screen readers.

use super::pivot::{drill_href, figures, PivotBar};
use super::{use_list, ListContext};
use crate::domain::pivot::{
    axis_steps, Axis, Chart, ChartKind, ChartOptions, PivotGrid, PivotLayout, PivotValue,
};
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::locale::{format_decimal, from_locale};
use crate::ui::{ErrorAlert, InBrowser};
use crate::views::pivot::text::PivotText;
use crate::views::pivot::{is_money, layout_of, Analysis, PivotAnswer};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

const COLORS: [&str; 10] = [
    "#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#f97316", "#84cc16",
    "#ec4899", "#64748b",
];
const OTHER_COLOR: &str = "#9ca3af";
const HEIGHT: f64 = 320.0;
const LEFT: f64 = 72.0;
const BOTTOM: f64 = 64.0;
const TOP: f64 = 12.0;

fn color(index: usize) -> &'static str {
    COLORS[index % COLORS.len()]
}

fn number(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

#[component]
pub fn GraphView() -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let query_map = use_query_map();
    let layout = Memo::new(move |_| query_map.with(|m| layout_of(&m.to_query_string())));
    let options = Memo::new(move |_| match list.analysis.get() {
        Some(Analysis::Graph(options)) => options,
        _ => ChartOptions::default(),
    });
    let answer = figures(list, layout);
    // Series the legend hides, by index, and the figure a touch or a hover names (its text
    // and the list it opens); new figures show every series and name none.
    let hidden = RwSignal::new(Vec::<usize>::new());
    let tip = RwSignal::new(None::<(String, Option<String>)>);
    Effect::new(move |_| {
        answer.track();
        hidden.set(Vec::new());
        tip.set(None);
    });
    view! {
        <div class="graph" data-testid="graph">
            <PivotBar layout graph=true/>
            <ChartOptionsBar layout options/>
            {move || match answer.in_browser() {
                None => view! { <p class="muted" aria-busy="true">{t!(i18n, loading)}</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Some(Ok(answer)) => layout.with(|layout| {
                    chart_view(i18n.get_locale(), list, layout, options.get(), &answer, hidden, tip)
                }),
            }}
        </div>
    }
}

/// Chart type, stacking and adding up: links, like every other choice of the view.
#[component]
fn ChartOptionsBar(layout: Memo<PivotLayout>, options: Memo<ChartOptions>) -> impl IntoView {
    let i18n = use_i18n();
    let list = use_list();
    let href = move |next: ChartOptions| -> String {
        let layout = layout.get();
        list.state
            .with(|state| list.href_keeping(state, &Analysis::Graph(next).query(&layout)))
    };
    move || {
        let locale = i18n.get_locale();
        let current = options.get();
        let kinds = ChartKind::ALL
            .into_iter()
            .map(|kind| {
                let label = match kind {
                    ChartKind::Bar => td_string!(locale, views.graph_bar),
                    ChartKind::Line => td_string!(locale, views.graph_line),
                    ChartKind::Pie => td_string!(locale, views.graph_pie),
                };
                let on = current.kind == kind;
                view! {
                    <a class="button button--small" class:button--pressed=on aria-current=on.then_some("true")
                        href=href(ChartOptions { kind, ..current }) data-chart=kind.as_str()>{label}</a>
                }
            })
            .collect_view();
        let toggle = |on: bool, next: ChartOptions, label: &'static str, action: &'static str| {
            view! {
                <a class="button button--small" class:button--pressed=on aria-pressed=on.to_string()
                    href=href(next) data-action=action>{label}</a>
            }
        };
        view! {
            <div class="pivot-bar__options">
                <div class="segmented" role="group" aria-label=td_string!(locale, views.graph_kind)>{kinds}</div>
                {(current.kind == ChartKind::Bar).then(|| toggle(
                    current.stacked,
                    ChartOptions { stacked: !current.stacked, ..current },
                    td_string!(locale, views.graph_stacked),
                    "graph-stacked",
                ))}
                {(current.kind == ChartKind::Line).then(|| toggle(
                    current.cumulative,
                    ChartOptions { cumulative: !current.cumulative, ..current },
                    td_string!(locale, views.graph_cumulative),
                    "graph-cumulative",
                ))}
            </div>
        }
    }
}

/// What one mark of the chart says and opens.
struct Mark {
    /// "Anna · March 2026: €12,000.00".
    text: String,
    /// The figure alone.
    figure: String,
    href: Option<String>,
}

/// The graph of one answer: the chart's marks with their texts and links, then the SVG.
fn chart_view(
    locale: Locale,
    list: ListContext,
    layout: &PivotLayout,
    options: ChartOptions,
    answer: &PivotAnswer,
    hidden: RwSignal<Vec<usize>>,
    tip: RwSignal<Option<(String, Option<String>)>>,
) -> AnyView {
    let schema = list.schema;
    // Every group closed: the first level of each axis is what the graph draws.
    let closed = PivotLayout {
        expanded_rows: Default::default(),
        expanded_columns: Default::default(),
        percentage: None,
        compare: false,
        ..layout.clone()
    };
    let grid = PivotGrid::build(&closed, |key| is_money(schema, key), &answer.cells, None);
    let text = PivotText::new(locale, schema, &grid, answer);
    let chart = Chart::of(&grid, 0, options);
    if chart.groups.is_empty() || chart.series.is_empty() {
        return view! { <p class="muted">{td_string!(locale, views.empty)}</p> }.into_any();
    }
    let group_names: Vec<String> = chart
        .groups
        .iter()
        .map(
            |group| match group.row.and_then(|row| grid.header(Axis::Rows, row)) {
                Some(header) => text.header(Axis::Rows, &header),
                None => td_string!(locale, views.graph_other, count = group.folded).to_string(),
            },
        )
        .collect();
    let series_names: Vec<String> = chart
        .series
        .iter()
        .map(|series| series_name(&grid, &text, series.column, series.value_column))
        .collect();
    let figure_text = |series: usize, value: Decimal| -> String {
        let slot = grid
            .value_column(chart.series[series].value_column)
            .and_then(|column| grid.slots().get(column.slot).copied());
        let shown = PivotValue {
            value: Some(value),
            ..PivotValue::default()
        };
        slot.map(|slot| text.figure(&slot, &shown, false))
            .unwrap_or_else(|| format_decimal(from_locale(locale), value, 2))
    };
    // marks[series][group]
    let marks: Vec<Vec<Option<Mark>>> = chart
        .series
        .iter()
        .enumerate()
        .map(|(s, series)| {
            series
                .values
                .iter()
                .enumerate()
                .map(|(g, value)| {
                    let value = (*value)?;
                    let name = if chart.series.len() > 1 {
                        format!("{} · {}", group_names[g], series_names[s])
                    } else {
                        group_names[g].clone()
                    };
                    let figure = figure_text(s, value);
                    Some(Mark {
                        text: format!("{name}: {figure}"),
                        figure,
                        href: chart.groups[g]
                            .row
                            .and_then(|row| drill_href(&list, &grid, row, series.value_column)),
                    })
                })
                .collect()
        })
        .collect();
    let shown: Vec<bool> = (0..chart.series.len())
        .map(|s| !hidden.with(|h| h.contains(&s)))
        .collect();
    let svg = match options.kind {
        ChartKind::Pie => pie(&chart, &marks, tip),
        ChartKind::Line => lines(&chart, &marks, &shown, &group_names, locale, tip),
        ChartKind::Bar => bars(
            &chart,
            &marks,
            &shown,
            &group_names,
            options.stacked,
            locale,
            tip,
        ),
    };
    let legend = legend(&chart, &series_names, &group_names, options.kind, hidden);
    let fold = (chart.folded > 0 || options.all_groups).then(|| {
        let next = ChartOptions {
            all_groups: !options.all_groups,
            ..options
        };
        let label = if options.all_groups {
            td_string!(locale, views.graph_show_top).to_string()
        } else {
            td_string!(
                locale,
                views.graph_show_all,
                count = chart.groups.len() - 1 + chart.folded
            )
            .to_string()
        };
        let href = list
            .state
            .with_untracked(|state| list.href_keeping(state, &Analysis::Graph(next).query(layout)));
        view! { <a class="link-button" href=href data-action="graph-all">{label}</a> }
    });
    let table = table(locale, &chart, &marks, &group_names, &series_names);
    view! {
        <div class="graph__frame">
            {move || tip.get().map(|(text, href)| view! {
                <p class="graph__tip" role="status">
                    <span>{text}</span>
                    {href.map(|href| view! { <a href=href>{td_string!(locale, views.graph_open)}</a> })}
                </p>
            })}
            {svg}
        </div>
        {legend}
        {fold}
        {table}
    }
    .into_any()
}

/// A series' name: its column group, with the currency where amounts differ in it; the
/// measure when there is no column level.
fn series_name(grid: &PivotGrid, text: &PivotText, column: usize, value_column: usize) -> String {
    let slot = grid
        .value_column(value_column)
        .and_then(|c| grid.slots().get(c.slot).copied());
    let header = grid.header(Axis::Columns, column);
    match (header, slot) {
        (Some(header), Some(slot)) if header.total => text.slot(&slot),
        (Some(header), Some(slot)) if slot.money && grid.has_currencies() => {
            let currency = slot
                .currency
                .map(|c| c.code().to_string())
                .unwrap_or_default();
            format!("{} ({currency})", text.header(Axis::Columns, &header))
        }
        (Some(header), _) => text.header(Axis::Columns, &header),
        (None, _) => String::new(),
    }
}

/// A mark: a link to its list, naming its figure on hover, and on a first touch (a second
/// touch, or the link in the tip, opens the list).
fn mark_link(
    mark: &Mark,
    tip: RwSignal<Option<(String, Option<String>)>>,
    shape: AnyView,
) -> AnyView {
    let text = mark.text.clone();
    let href = mark.href.clone();
    let touched = StoredValue::new(false);
    let (hover_text, hover_href) = (text.clone(), href.clone());
    let (tap_text, tap_href) = (text.clone(), href.clone());
    let label = text.clone();
    // The router takes clicks on HTML links only; an SVG link goes through it here, so
    // that a drill-down stays in the page (a click with a modifier opens a tab as usual).
    let navigate = leptos_router::hooks::use_navigate();
    // Inside a `g`, so that the `a` and its `title` are SVG elements, not HTML ones.
    view! {
        <g>
        <a href=href.clone().unwrap_or_default() class="graph__mark" aria-label=label
            on:pointerenter=move |event| {
                if event.pointer_type() == "mouse" {
                    tip.set(Some((hover_text.clone(), hover_href.clone())));
                }
            }
            on:pointerdown=move |event| touched.set_value(event.pointer_type() != "mouse")
            on:click=move |event| {
                let named = tip.with_untracked(|t| t.as_ref().is_some_and(|(shown, _)| *shown == tap_text));
                if tap_href.is_none() || (touched.get_value() && !named) {
                    event.prevent_default();
                    tip.set(Some((tap_text.clone(), tap_href.clone())));
                } else if let Some(href) = tap_href.as_deref() {
                    let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
                    if !modified && event.button() == 0 {
                        event.prevent_default();
                        navigate(href, Default::default());
                    }
                }
            }>
            <title>{text}</title>
            {shape}
        </a>
        </g>
    }
    .into_any()
}

/// The value axis: its round steps, and where a value sits between `top` and `bottom`.
struct Scale {
    steps: Vec<Decimal>,
    low: f64,
    high: f64,
}

impl Scale {
    fn new(low: Decimal, high: Decimal) -> Scale {
        let steps = axis_steps(low, high, 5);
        let low = steps.first().copied().map_or(0.0, number);
        let high = steps.last().copied().map_or(1.0, number);
        Scale {
            steps,
            low,
            high: if high > low { high } else { low + 1.0 },
        }
    }

    fn y(&self, value: f64) -> f64 {
        let plot = HEIGHT - TOP - BOTTOM;
        TOP + plot * (1.0 - (value - self.low) / (self.high - self.low))
    }
}

/// The value axis with its grid lines, and the group labels under the plot.
fn axes(scale: &Scale, width: f64, group_names: &[String], slot: f64, locale: Locale) -> AnyView {
    let language = from_locale(locale);
    let ticks = scale
        .steps
        .iter()
        .map(|step| {
            let y = scale.y(number(*step));
            let decimals = if step.fract().is_zero() { 0 } else { 2 };
            view! {
                <line class="graph__grid" x1=LEFT x2=width y1=y y2=y/>
                <text class="graph__tick" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{format_decimal(language, *step, decimals)}</text>
            }
        })
        .collect_view();
    let rotate = group_names.len() > 6;
    let labels = group_names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let x = LEFT + slot * (g as f64 + 0.5);
            let y = HEIGHT - BOTTOM + 16.0;
            let short: String = name.chars().take(18).collect();
            let transform = rotate.then(|| format!("rotate(-35 {x} {y})"));
            let anchor = if rotate { "end" } else { "middle" };
            view! { <text class="graph__label" x=x y=y text-anchor=anchor transform=transform>{short}</text> }
        })
        .collect_view();
    view! { <g>{ticks}{labels}</g> }.into_any()
}

fn plot_width(groups: usize, per_group: f64) -> f64 {
    (LEFT + groups as f64 * per_group + 12.0).max(360.0)
}

fn frame(width: f64, content: AnyView) -> AnyView {
    view! {
        <svg class="graph__svg" viewBox=format!("0 0 {width} {HEIGHT}") role="img"
            style:min-width=format!("{width}px") data-testid="graph-svg">
            {content}
        </svg>
    }
    .into_any()
}

fn bars(
    chart: &Chart,
    marks: &[Vec<Option<Mark>>],
    shown: &[bool],
    group_names: &[String],
    stacked: bool,
    locale: Locale,
    tip: RwSignal<Option<(String, Option<String>)>>,
) -> AnyView {
    let visible: Vec<usize> = (0..chart.series.len()).filter(|&s| shown[s]).collect();
    let per_group = if stacked {
        36.0
    } else {
        (visible.len().max(1) as f64 * 14.0 + 16.0).max(36.0)
    };
    let width = plot_width(chart.groups.len(), per_group);
    let slot = (width - LEFT - 12.0) / chart.groups.len() as f64;
    let (low, high) = chart.extent(stacked);
    let scale = Scale::new(low, high);
    let mut shapes = Vec::new();
    for (g, group) in chart.groups.iter().enumerate() {
        let (mut up, mut down) = (0.0, 0.0);
        let bar = if stacked {
            slot * 0.6
        } else {
            slot * 0.8 / visible.len().max(1) as f64
        };
        for (i, &s) in visible.iter().enumerate() {
            let (Some(value), Some(mark)) = (chart.series[s].values[g], marks[s][g].as_ref())
            else {
                continue;
            };
            let value = number(value);
            let (from, to) = if stacked {
                let base = if value >= 0.0 { &mut up } else { &mut down };
                let from = *base;
                *base += value;
                (from, *base)
            } else {
                (0.0, value)
            };
            let x = if stacked {
                LEFT + slot * g as f64 + slot * 0.2
            } else {
                LEFT + slot * g as f64 + slot * 0.1 + bar * i as f64
            };
            let (y1, y2) = (scale.y(from), scale.y(to));
            let fill = if group.row.is_none() && chart.series.len() == 1 {
                OTHER_COLOR
            } else {
                color(s)
            };
            let rect = view! {
                <rect x=x y=y1.min(y2) width=(bar - 1.0).max(1.0) height=(y1 - y2).abs().max(1.0) fill=fill/>
            }
            .into_any();
            shapes.push(mark_link(mark, tip, rect));
        }
    }
    frame(
        width,
        view! { {axes(&scale, width, group_names, slot, locale)}<g class="graph__bars">{shapes}</g> }.into_any(),
    )
}

fn lines(
    chart: &Chart,
    marks: &[Vec<Option<Mark>>],
    shown: &[bool],
    group_names: &[String],
    locale: Locale,
    tip: RwSignal<Option<(String, Option<String>)>>,
) -> AnyView {
    let width = plot_width(chart.groups.len(), 48.0);
    let slot = (width - LEFT - 12.0) / chart.groups.len() as f64;
    let (low, high) = chart.extent(false);
    let scale = Scale::new(low, high);
    let mut paths = Vec::new();
    let mut points = Vec::new();
    for (s, series) in chart.series.iter().enumerate().filter(|(s, _)| shown[*s]) {
        let coordinates: Vec<(usize, f64, f64)> = series
            .values
            .iter()
            .enumerate()
            .filter_map(|(g, value)| {
                let value = number((*value)?);
                Some((g, LEFT + slot * (g as f64 + 0.5), scale.y(value)))
            })
            .collect();
        let line = coordinates
            .iter()
            .map(|(_, x, y)| format!("{x:.1},{y:.1}"))
            .collect::<Vec<_>>()
            .join(" ");
        paths
            .push(view! { <polyline points=line fill="none" stroke=color(s) stroke-width="2.5"/> });
        for (g, x, y) in coordinates {
            if let Some(mark) = marks[s][g].as_ref() {
                let dot = view! { <circle cx=x cy=y r="5" fill=color(s)/> }.into_any();
                points.push(mark_link(mark, tip, dot));
            }
        }
    }
    frame(
        width,
        view! { {axes(&scale, width, group_names, slot, locale)}<g>{paths}</g><g class="graph__points">{points}</g> }
            .into_any(),
    )
}

/// The first series as slices of a whole: only figures above zero can be slices.
fn pie(
    chart: &Chart,
    marks: &[Vec<Option<Mark>>],
    tip: RwSignal<Option<(String, Option<String>)>>,
) -> AnyView {
    let (cx, cy, r) = (180.0, 150.0, 130.0);
    let series = &chart.series[0];
    let total: f64 = series
        .values
        .iter()
        .filter_map(|v| v.map(number))
        .filter(|v| *v > 0.0)
        .sum();
    let mut angle = -std::f64::consts::FRAC_PI_2;
    let mut slices = Vec::new();
    for (g, value) in series.values.iter().enumerate() {
        let (Some(value), Some(mark)) = (value.map(number), marks[0][g].as_ref()) else {
            continue;
        };
        if value <= 0.0 || total <= 0.0 {
            continue;
        }
        let sweep = value / total * std::f64::consts::TAU;
        let fill = if chart.groups[g].row.is_none() {
            OTHER_COLOR
        } else {
            color(g)
        };
        let shape = if sweep >= std::f64::consts::TAU - 1e-9 {
            view! { <circle cx=cx cy=cy r=r fill=fill/> }.into_any()
        } else {
            let (x1, y1) = (cx + r * angle.cos(), cy + r * angle.sin());
            let end = angle + sweep;
            let (x2, y2) = (cx + r * end.cos(), cy + r * end.sin());
            let large = if sweep > std::f64::consts::PI { 1 } else { 0 };
            let d = format!("M{cx},{cy} L{x1:.2},{y1:.2} A{r},{r} 0 {large} 1 {x2:.2},{y2:.2} Z");
            view! { <path d=d fill=fill stroke="#fff" stroke-width="1"/> }.into_any()
        };
        angle += sweep;
        slices.push(mark_link(mark, tip, shape));
    }
    view! {
        <svg class="graph__svg graph__svg--pie" viewBox="0 0 360 300" role="img" data-testid="graph-svg">
            <g class="graph__slices">{slices}</g>
        </svg>
    }
    .into_any()
}

/// The series, each a button that hides or shows it; for a pie, the groups' colours.
fn legend(
    chart: &Chart,
    series_names: &[String],
    group_names: &[String],
    kind: ChartKind,
    hidden: RwSignal<Vec<usize>>,
) -> AnyView {
    if kind == ChartKind::Pie {
        let items = group_names
            .iter()
            .enumerate()
            .map(|(g, name)| {
                let fill = if chart.groups[g].row.is_none() { OTHER_COLOR } else { color(g) };
                view! { <li><span class="graph__swatch" style:background=fill></span>{name.clone()}</li> }
            })
            .collect_view();
        return view! { <ul class="graph__legend">{items}</ul> }.into_any();
    }
    let items = series_names
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let off = move || hidden.with(|h| h.contains(&s));
            view! {
                <li>
                    <button type="button" class="graph__legend-item" aria-pressed=move || (!off()).to_string()
                        on:click=move |_| hidden.update(|h| {
                            if let Some(at) = h.iter().position(|x| *x == s) { h.remove(at); } else { h.push(s); }
                        })>
                        <span class="graph__swatch" style:background=color(s)></span>
                        {name.clone()}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="graph__legend">{items}</ul> }.into_any()
}

/// The figures as a table, for screen readers.
fn table(
    locale: Locale,
    chart: &Chart,
    marks: &[Vec<Option<Mark>>],
    group_names: &[String],
    series_names: &[String],
) -> AnyView {
    let head = series_names
        .iter()
        .map(|name| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let rows = group_names
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let cells = (0..chart.series.len())
                .map(|s| {
                    let text = marks[s][g]
                        .as_ref()
                        .map(|m| m.figure.clone())
                        .unwrap_or_default();
                    view! { <td>{text}</td> }
                })
                .collect_view();
            view! { <tr><th scope="row">{name.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <table class="visually-hidden" data-testid="graph-table">
            <caption>{td_string!(locale, views.graph_caption)}</caption>
            <thead><tr><td></td>{head}</tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
