//! CRM pages: the pipeline (board, list on the engine, calendar by expected closing), the
//! new-opportunity form, the opportunity page and the CRM settings.

mod board;
mod form;
mod page;
mod settings;

pub use board::initials;
pub use form::NewOpportunityPage;
pub use page::OpportunityPage;
pub use settings::CrmSettingsPage;

use super::api::closing_deals;
use super::list::OPPORTUNITIES;
use super::Board;
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::locale::from_locale;
use crate::ui::InBrowser;
use crate::ui::{
    kept, use_shown, ErrorAlert, Icon, IconName, PageHeader, ViewChoice, ViewSwitcher,
};
use crate::views::ui::{
    analysis_choices, period_of, CalendarGrid, CalendarScale, CalendarToolbar, ListView,
};
use crate::views::ViewState;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

pub fn opportunity_href(id: Uuid) -> String {
    format!("/crm/{id}")
}

fn edit_href(id: Uuid) -> String {
    format!("/crm/{id}#details")
}

fn calendar_href(day: NaiveDate, scale: CalendarScale) -> String {
    format!("/crm?show=calendar&date={day}&scale={}", scale.key())
}

#[component]
pub fn CrmPage() -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_shown(&["board", "list", "calendar", "pivot", "graph"]);
    let creating = RwSignal::new(false);
    let choices = vec![
        ViewChoice::new("board", "/crm", IconName::Board, |l| {
            td_string!(l, crm.show_board)
        }),
        ViewChoice::new("list", "/crm?show=list", IconName::List, |l| {
            td_string!(l, crm.show_list)
        }),
        ViewChoice::new("calendar", "/crm?show=calendar", IconName::Clock, |l| {
            td_string!(l, crm.show_calendar)
        }),
    ]
    .into_iter()
    .chain(analysis_choices(
        "/crm",
        "pr=stage&pc=salesperson&pm=expected_revenue",
        "pr=stage&pc=salesperson&pm=expected_revenue&gs=1",
    ))
    .collect::<Vec<_>>();
    view! {
        <Title text=move || t_string!(i18n, crm.page_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, crm.page_title).to_string())>
            <ViewSwitcher choices shown/>
            <a class="button" href="/crm/settings" aria-label=move || t_string!(i18n, crm.settings)>
                <Icon name=IconName::Settings/>
            </a>
            <a class="button button--primary" href="/crm/new" data-action="new-opportunity"
                on:click=move |event| { event.prevent_default(); creating.set(true); }>
                <Icon name=IconName::Plus/><span>{t!(i18n, crm.new_opportunity)}</span>
            </a>
        </PageHeader>
        {move || creating.get().then(|| view! { <form::NewOpportunityDialog on_close=Callback::new(move |()| creating.set(false))/> })}
        {move || match shown.get() {
            "list" => view! {
                <ListView schema=&OPPORTUNITIES base="/crm" row_href=opportunity_href edit_href=edit_href/>
            }.into_any(),
            "calendar" => view! {
                <Suspense fallback=|| ()>{Suspend::new(closing_calendar())}</Suspense>
            }.into_any(),
            "pivot" | "graph" => view! {
                <ListView schema=&OPPORTUNITIES base="/crm" row_href=opportunity_href analysis=true/>
            }.into_any(),
            _ => view! { <BoardPage/> }.into_any(),
        }}
    }
}

/// The board with its own small toolbar: pipeline, search, and the quick filters of the list.
#[component]
fn BoardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let pipeline = Signal::derive(move || {
        query.with(|q| q.get("pipeline").and_then(|p| Uuid::parse_str(&p).ok()))
    });
    let view_query = Signal::derive(move || {
        query.with(|q| {
            q.to_query_string()
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.is_empty() && !p.starts_with("show=") && !p.starts_with("pipeline="))
                .collect::<Vec<_>>()
                .join("&")
        })
    });
    let state = Memo::new(move |_| ViewState::from_query(&view_query.get()));
    let loaded = RwSignal::new(None::<Board>);
    let go = {
        let navigate = navigate.clone();
        move |state: ViewState, pipeline: Option<Uuid>| {
            let mut query = state.to_query();
            if let Some(p) = pipeline {
                if !query.is_empty() {
                    query.push('&');
                }
                query.push_str(&format!("pipeline={p}"));
            }
            let href = if query.is_empty() {
                "/crm".to_string()
            } else {
                format!("/crm?{query}")
            };
            navigate(&href, Default::default());
        }
    };
    let search = RwSignal::new(state.get_untracked().search);
    let go_search = go.clone();
    let on_search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut next = state.get_untracked();
        next.search = search.get_untracked();
        go_search(next, pipeline.get_untracked());
    };
    let chip = {
        let go = go.clone();
        move |key: &'static str, label: fn(crate::i18n::Locale) -> &'static str| {
            let go = go.clone();
            let active = move || state.with(|s| s.predefined.iter().any(|p| p == key));
            view! {
                <button type="button" class="chip" class:chip--active=active aria-pressed=move || active().to_string()
                    data-filter=key
                    on:click=move |_| go(state.get_untracked().toggled_predefined(key), pipeline.get_untracked())>
                    {move || label(i18n.get_locale())}
                </button>
            }
        }
    };
    let go_pipeline = go.clone();
    view! {
        <div class="board-toolbar">
            {move || loaded.get().filter(|b| b.pipelines.len() > 1).map(|board| {
                let go = go_pipeline.clone();
                view! {
                    <label class="visually-hidden" for="pipeline-choice">{t!(i18n, crm.pipeline_choice)}</label>
                    <select id="pipeline-choice" data-testid="pipeline-choice" on:change=move |event| {
                        let picked = Uuid::parse_str(&event_target_value(&event)).ok();
                        go(state.get_untracked(), picked);
                    }>
                        {board.pipelines.iter().map(|(id, named)| {
                            let label = named.label(i18n.get_locale_untracked());
                            view! { <option value=id.to_string() selected=*id == board.pipeline_id>{label}</option> }
                        }).collect_view()}
                    </select>
                }
            })}
            <form class="list-search" role="search" on:submit=on_search>
                <Icon name=IconName::Search/>
                <label class="visually-hidden" for="board-search">{t!(i18n, crm.search_placeholder)}</label>
                <input id="board-search" type="search" data-testid="board-search"
                    placeholder=move || t_string!(i18n, crm.search_placeholder)
                    prop:value=kept(search)
                    on:input=move |event| search.set(event_target_value(&event))/>
            </form>
            <div class="chips">
                {chip("mine", |l| crate::i18n::td_string!(l, crm.filter_mine))}
                {chip("unassigned", |l| crate::i18n::td_string!(l, crm.filter_unassigned))}
                {chip("won_this_month", |l| crate::i18n::td_string!(l, crm.filter_won_this_month))}
            </div>
        </div>
        {move || {
            // The board renders in the browser (after hydration): its cards move there.
            let mounted = RwSignal::new(false);
            Effect::new(move |_| mounted.set(true));
            view! {
                {move || mounted.get().then(|| view! {
                    <board::PipelineBoard pipeline query=view_query
                        on_loaded=Callback::new(move |board: Board| {
                            if loaded.get_untracked().as_ref() != Some(&board) {
                                loaded.set(Some(board));
                            }
                        })/>
                })}
            }
        }}
    }
}

/// The calendar is a wasm chunk of its own, fetched when it is first shown: the board is the
/// CRM's first view, and the one a phone opens.
#[lazy]
fn closing_calendar() -> AnyView {
    view! { <ClosingCalendar/> }.into_any()
}

/// Fetches the calendar's chunk when the page in the document shows it: a page the server
/// rendered with it must have it before hydration (as `preload_shown_list`).
pub async fn preload_shown_calendar() {
    #[cfg(target_arch = "wasm32")]
    if document()
        .query_selector(".closing-calendar")
        .ok()
        .flatten()
        .is_some()
    {
        __preload_closing_calendar().await;
    }
}

/// Deals by expected closing date, a month or a week at a time.
#[component]
fn ClosingCalendar() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let today = crate::ui::use_clock().today();
    move || {
        let (day, scale) = query.with(|q| {
            (
                q.get("date")
                    .and_then(|d| crate::domain::day::parse_day(&d))
                    .unwrap_or(today),
                CalendarScale::parse(q.get("scale").as_deref()),
            )
        });
        let (first, last) = period_of(day, scale);
        let deals = LocalResource::new(move || closing_deals(first, last));
        let cell = Callback::new(move |date: NaiveDate| {
            let list = deals
                .in_browser()
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .filter(|d| d.expected_closing == date)
                .collect::<Vec<_>>();
            view! {
                <ul class="calendar__items">
                    {list.into_iter().map(|deal| {
                        let money = deal.expected_revenue.map(|r| r.format(from_locale(i18n.get_locale_untracked())));
                        view! {
                            <li>
                                <a class="calendar__item" href=opportunity_href(deal.id) data-status=deal.status.as_str()>
                                    <span>{deal.title}</span>
                                    {money.map(|m| view! { <span class="muted">{m}</span> })}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        });
        view! {
            <section class="card closing-calendar">
                <CalendarToolbar day scale today href=calendar_href/>
                {move || deals.in_browser().and_then(Result::err).map(|error| view! { <ErrorAlert error=Some(error)/> })}
                <CalendarGrid day scale today cell/>
            </section>
        }
    }
}
