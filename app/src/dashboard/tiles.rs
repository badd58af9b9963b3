//! The dashboard's tiles: numbers and small bars, each a link to the list, pivot or graph
//! behind it. Which tiles show follows the answer, which follows the role.

use super::api::load_dashboard;
use super::figures::{Figure, GroupFigure, MoneyTiles, SalesTiles, TeamTiles};
use crate::domain::{CurrencySums, Language};
use crate::i18n::{t, td_string, use_i18n, Locale};
use crate::locale::{format_date_short, format_hours, format_sums, from_locale};
use crate::ui::ErrorAlert;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

#[component]
pub fn DashboardTiles() -> impl IntoView {
    let i18n = use_i18n();
    let tiles = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Suspense fallback=move || view! { <p class="muted">{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                let locale = i18n.get_locale();
                match tiles.await {
                    Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                    Ok(dashboard) => view! {
                        <div class="tiles" data-testid="dashboard-tiles">
                            {dashboard.sales.map(|sales| sales_tiles(locale, sales))}
                            {dashboard.team.map(|team| team_tiles(locale, team))}
                            {dashboard.money.map(|money| money_tiles(locale, money))}
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn tile(name: &'static str, title: &str, href: &str, body: AnyView) -> AnyView {
    view! {
        <section class="card tile" data-tile=name>
            <h2 class="tile__title"><a href=href.to_string()>{title.to_string()}</a></h2>
            {body}
        </section>
    }
    .into_any()
}

/// Amounts per currency, or a dash when there are none.
fn sums_text(language: Language, sums: &CurrencySums) -> String {
    if sums.is_empty() {
        "—".to_string()
    } else {
        format_sums(language, sums)
    }
}

/// "3 · €12,000.00".
fn figure_text(language: Language, figure: &Figure) -> String {
    format!("{} · {}", figure.count, sums_text(language, &figure.sums))
}

/// How large a figure is against the others: its amount in the currency of the first, or
/// its count where that currency is missing.
fn size(figure: &Figure, currency: Option<crate::domain::Currency>) -> f64 {
    match currency {
        Some(currency) if !figure.sums.is_empty() => {
            figure.sums.get(currency).to_f64().unwrap_or(0.0)
        }
        _ => figure.count as f64,
    }
}

/// Groups as rows with a bar each, scaled to the largest.
fn bars(language: Language, rows: Vec<(String, &Figure)>) -> AnyView {
    let currency = rows
        .iter()
        .find_map(|(_, figure)| figure.sums.iter().next().map(|money| money.currency));
    let largest = rows
        .iter()
        .map(|(_, figure)| size(figure, currency))
        .fold(0.0, f64::max);
    let items = rows
        .into_iter()
        .map(|(name, figure)| {
            // In thousandths, an integer: printing a float would bring float formatting
            // into the first load.
            let share = if largest > 0.0 { size(figure, currency) / largest } else { 0.0 };
            let share = (share.clamp(0.0, 1.0) * 1000.0).round() as u32;
            view! {
                <li>
                    <span class="tile-bars__name">{name}</span>
                    <span class="tile-bars__value">{figure_text(language, figure)}</span>
                    <progress class="tile-bars__bar" max="1000" value=share aria-hidden="true"></progress>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="tile-bars">{items}</ul> }.into_any()
}

fn group_rows(locale: Locale, groups: &[GroupFigure]) -> Vec<(String, &Figure)> {
    groups
        .iter()
        .map(|group| {
            let name = group.name.label(locale);
            let name = if name.is_empty() {
                td_string!(locale, dashboard.nobody).to_string()
            } else {
                name
            };
            (name, &group.figure)
        })
        .collect()
}

fn nothing(locale: Locale) -> AnyView {
    view! { <p class="muted">{td_string!(locale, dashboard.nothing_yet)}</p> }.into_any()
}

fn sales_tiles(locale: Locale, sales: SalesTiles) -> AnyView {
    let language = from_locale(locale);
    let pipeline = if sales.pipeline.is_empty() {
        nothing(locale)
    } else {
        bars(language, group_rows(locale, &sales.pipeline))
    };
    let won = bars(
        language,
        vec![
            (
                td_string!(locale, dashboard.this_month).to_string(),
                &sales.won_this_month,
            ),
            (
                td_string!(locale, dashboard.last_month).to_string(),
                &sales.won_last_month,
            ),
        ],
    );
    view! {
        {tile("my-pipeline", td_string!(locale, dashboard.tile_pipeline),
            "/crm?show=graph&f=salesperson:me:&p=open&pr=stage&pm=expected_revenue", pipeline)}
        {tile("awaiting", td_string!(locale, dashboard.tile_awaiting), "/quotes?p=mine&f=status:is:sent",
            view! { <p class="metric">{sales.awaiting.count}</p><p class="muted">{sums_text(language, &sales.awaiting.sums)}</p> }.into_any())}
        {tile("activities", td_string!(locale, dashboard.tile_activities), "/activities",
            view! {
                <p class="metric">{sales.activities_overdue + sales.activities_today}</p>
                <p class="muted">{td_string!(locale, dashboard.activities_split,
                    overdue = sales.activities_overdue, today = sales.activities_today).to_string()}</p>
            }.into_any())}
        {tile("won", td_string!(locale, dashboard.tile_won),
            "/crm?show=list&p=won_this_month&f=salesperson:me:", won)}
    }
    .into_any()
}

fn team_tiles(locale: Locale, team: TeamTiles) -> AnyView {
    let language = from_locale(locale);
    let listed = |groups: &[GroupFigure]| {
        if groups.is_empty() {
            nothing(locale)
        } else {
            bars(language, group_rows(locale, groups))
        }
    };
    let risky = team
        .at_risk
        .iter()
        .map(|project| {
            let reason = match project.end_date {
                Some(end) if project.hours_spent <= project.planned_hours || project.planned_hours.is_zero() => {
                    td_string!(locale, dashboard.risk_late, date = format_date_short(language, end)).to_string()
                }
                _ => td_string!(locale, dashboard.risk_hours,
                    spent = format_hours(language, project.hours_spent),
                    planned = format_hours(language, project.planned_hours)).to_string(),
            };
            view! {
                <li><a href=format!("/projects/{}", project.id)>{format!("{} {}", project.number, project.title)}</a>
                    <span class="muted">{reason}</span></li>
            }
        })
        .collect_view();
    let hours_change = change(team.hours_this_week, team.hours_last_week);
    view! {
        {tile("team-pipeline", td_string!(locale, dashboard.tile_team_pipeline),
            "/crm?show=pivot&p=open&pr=salesperson&pc=stage&pm=expected_revenue", listed(&team.pipeline))}
        {tile("team-won", td_string!(locale, dashboard.tile_team_won),
            "/crm?show=graph&p=won_this_month&pr=salesperson&pm=expected_revenue", listed(&team.won))}
        {tile("at-risk", td_string!(locale, dashboard.tile_at_risk),
            "/projects?show=pivot&pr=manager&pm=count&pm=hours_spent",
            view! { <p class="metric">{team.at_risk_count}</p><ul class="tile-list">{risky}</ul> }.into_any())}
        {tile("hours", td_string!(locale, dashboard.tile_hours),
            "/hours?p=this_week&show=pivot&pr=person&pc=work_date:day&pm=hours",
            view! {
                <p class="metric">{format_hours(language, team.hours_this_week)}" h"</p>
                <p class="muted">{td_string!(locale, dashboard.hours_last_week,
                    hours = format_hours(language, team.hours_last_week)).to_string()}{hours_change}</p>
            }.into_any())}
    }
    .into_any()
}

/// " (+25 %)" from one figure to the next; nothing against zero.
fn change(now: Decimal, before: Decimal) -> String {
    if before.is_zero() {
        return String::new();
    }
    let percent = ((now - before) / before * Decimal::ONE_HUNDRED).round();
    let sign = if percent.is_sign_positive() && !percent.is_zero() {
        "+"
    } else {
        ""
    };
    format!(" ({sign}{percent} %)")
}

fn money_tiles(locale: Locale, money: MoneyTiles) -> AnyView {
    let language = from_locale(locale);
    let figure = |figure: &Figure| {
        view! { <p class="metric">{sums_text(language, &figure.sums)}</p><p class="muted">{figure.count}</p> }.into_any()
    };
    view! {
        {tile("invoiced", td_string!(locale, dashboard.tile_invoiced),
            "/invoices?show=graph&pr=invoice_date:month&pm=total", figure(&money.invoiced_this_month))}
        {tile("paid", td_string!(locale, dashboard.tile_paid), "/invoices?p=paid",
            view! { <p class="metric">{sums_text(language, &money.paid_this_month)}</p> }.into_any())}
        {tile("open", td_string!(locale, dashboard.tile_open), "/invoices?p=issued", figure(&money.open))}
        {tile("overdue", td_string!(locale, dashboard.tile_overdue), "/invoices?p=overdue", figure(&money.overdue))}
    }
    .into_any()
}
