//! Sales pages: "My quotes" as list (the list engine), kanban by status and calendar by
//! creation date; the quote page; the "New quote" dialog; the quotes of a contact or a deal.

mod dialogs;
mod lines;
mod new;
mod page;

pub use new::NewQuoteDialog;
pub use page::QuotePage;

use super::api::{quote_kanban, quotes_between, quotes_of};
use super::list::QUOTES;
use super::{quote_href, status_label, QuoteCard};
use crate::i18n::{t, t_string, td_string, use_i18n};
use crate::locale::{format_date_short, format_sums, from_locale};
use crate::ui::InBrowser;
use crate::ui::{
    kept, kept_checked, use_shown, ErrorAlert, Icon, IconName, PageHeader, ViewChoice, ViewSwitcher,
};
use crate::views::ui::{
    analysis_choices, period_of, CalendarGrid, CalendarScale, CalendarToolbar, ListView,
};
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

fn edit_href(id: Uuid) -> String {
    quote_href(id)
}

fn calendar_href(day: NaiveDate, scale: CalendarScale) -> String {
    format!("/quotes?show=calendar&date={day}&scale={}", scale.key())
}

#[component]
pub fn QuotesPage() -> impl IntoView {
    let i18n = use_i18n();
    let shown = use_shown(&["list", "kanban", "calendar", "pivot", "graph"]);
    let creating = RwSignal::new(false);
    let choices = vec![
        ViewChoice::new("list", "/quotes", IconName::List, |l| {
            td_string!(l, crm.show_list)
        }),
        ViewChoice::new("kanban", "/quotes?show=kanban", IconName::Board, |l| {
            td_string!(l, quotes.show_kanban)
        }),
        ViewChoice::new("calendar", "/quotes?show=calendar", IconName::Clock, |l| {
            td_string!(l, crm.show_calendar)
        }),
    ]
    .into_iter()
    .chain(analysis_choices(
        "/quotes",
        "pr=salesperson&pc=quote_date:month&pm=count&pm=total",
        "pr=quote_date:month&pc=status&pm=count&gs=1",
    ))
    .collect::<Vec<_>>();
    view! {
        <Title text=move || t_string!(i18n, quotes.page_title).to_string()/>
        <PageHeader title=Signal::derive(move || t_string!(i18n, quotes.page_title).to_string())>
            <ViewSwitcher choices shown/>
            <button type="button" class="button button--primary" data-action="new-quote"
                on:click=move |_| creating.set(true)>
                <Icon name=IconName::Plus/><span>{t!(i18n, quotes.new_quote)}</span>
            </button>
        </PageHeader>
        {move || creating.get().then(|| view! { <NewQuoteDialog on_close=Callback::new(move |()| creating.set(false))/> })}
        {move || match shown.get() {
            "kanban" => view! { <QuoteKanban/> }.into_any(),
            "calendar" => view! { <QuoteCalendar/> }.into_any(),
            "pivot" | "graph" => view! {
                <ListView schema=&QUOTES base="/quotes" row_href=quote_href analysis=true/>
            }.into_any(),
            _ => view! {
                <ListView schema=&QUOTES base="/quotes" row_href=quote_href edit_href=edit_href/>
            }.into_any(),
        }}
    }
}

fn card_view(card: QuoteCard) -> impl IntoView {
    let i18n = use_i18n();
    let language = move || from_locale(i18n.get_locale());
    let total = card.total;
    let status = card.status;
    view! {
        <a class="kanban-card quote-card" href=quote_href(card.id) data-status=status.as_str() data-testid="quote-card">
            <span class="quote-card__top">
                <strong>{card.number.clone()}</strong>
                <span class="quote-card__total">{move || total.format(language())}</span>
            </span>
            <span class="quote-card__title">{card.title.clone()}</span>
            <span class="muted">{card.customer.clone()}</span>
            <span class="quote-card__bottom">
                <span class="muted">{move || format_date_short(language(), card.quote_date)}</span>
                {card.salesperson.clone().map(|s| view! { <span class="initials" title=s.name.clone()>{crate::crm::ui::initials(&s.name)}</span> })}
            </span>
        </a>
    }
}

/// Quotes by status: draft, sent, expired, sales order, cancelled.
#[component]
fn QuoteKanban() -> impl IntoView {
    let i18n = use_i18n();
    // "My quotes" opens on the user's own quotes, like the list; unticking shows everyone's.
    let mine = RwSignal::new(true);
    let search = RwSignal::new(String::new());
    let columns = LocalResource::new(move || quote_kanban(mine.get(), search.get()));
    view! {
        <div class="board-toolbar">
            <input type="search" class="quote-search" aria-label=move || t_string!(i18n, quotes.search_placeholder)
                placeholder=move || t_string!(i18n, quotes.search_placeholder)
                prop:value=kept(search) on:change=move |e| search.set(event_target_value(&e))/>
            <label class="checkbox"><input type="checkbox" checked=true prop:checked=kept_checked(mine)
                on:change=move |e| mine.set(event_target_checked(&e))/>
                <span>{t!(i18n, quotes.filter_mine)}</span></label>
        </div>
        {move || columns.in_browser().map(|result| match result {
            Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
            Ok(columns) => view! {
                <div class="kanban quote-kanban" data-testid="quote-kanban">
                    {columns.into_iter().map(|column| {
                        let status = column.status;
                        let totals = column.totals.clone();
                        view! {
                            <section class="kanban__column" data-status=status.as_str()>
                                <header class="kanban__header">
                                    <h3>{move || status_label(i18n.get_locale(), status)}</h3>
                                    <span class="muted">{column.count}</span>
                                    <span class="muted">{move || format_sums(from_locale(i18n.get_locale()), &totals)}</span>
                                </header>
                                <div class="kanban__cards">
                                    {column.cards.into_iter().map(card_view).collect_view()}
                                </div>
                            </section>
                        }
                    }).collect_view()}
                </div>
            }.into_any(),
        })}
    }
}

/// Quotes by creation date, a month or a week at a time.
#[component]
fn QuoteCalendar() -> impl IntoView {
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
        let quotes = LocalResource::new(move || {
            quotes_between(first, last + chrono::Duration::days(1), false)
        });
        let cell = Callback::new(move |date: NaiveDate| {
            let list = quotes
                .in_browser()
                .and_then(Result::ok)
                .unwrap_or_default()
                .into_iter()
                .filter(|q| q.quote_date == date)
                .collect::<Vec<_>>();
            view! {
                <ul class="calendar__items">
                    {list.into_iter().map(|quote| {
                        let money = quote.total.format(from_locale(i18n.get_locale_untracked()));
                        view! {
                            <li>
                                <a class="calendar__item" href=quote_href(quote.id) data-status=quote.status.as_str()>
                                    <span>{format!("{} {}", quote.number, quote.customer.unwrap_or_default())}</span>
                                    <span class="muted">{money}</span>
                                </a>
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
                {move || quotes.in_browser().and_then(Result::err).map(|error| view! { <ErrorAlert error=Some(error)/> })}
                <CalendarGrid day scale today cell/>
            </section>
        }
    }
}

/// The quotes and sales orders of a contact or a deal, with their totals.
#[component]
pub fn QuoteList(
    #[prop(optional)] contact: Option<Uuid>,
    #[prop(optional)] opportunity: Option<Uuid>,
) -> impl IntoView {
    let i18n = use_i18n();
    let quotes = LocalResource::new(move || quotes_of(contact, opportunity));
    let language = move || from_locale(i18n.get_locale());
    view! {
        <section class="card" data-testid="record-quotes">
            <h2>{t!(i18n, quotes.sales_orders)}</h2>
            {move || quotes.in_browser().map(|result| match result {
                Err(error) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, quotes.none_yet)}</p> }.into_any(),
                Ok(list) => view! {
                    <div class="table-wrap">
                        <table class="table table--compact">
                            <thead><tr>
                                <th>{t!(i18n, quotes.number)}</th>
                                <th>{t!(i18n, quotes.quote_date)}</th>
                                <th>{t!(i18n, quotes.status)}</th>
                                <th class="numeric">{t!(i18n, quotes.total)}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|q| {
                                    let status = q.status;
                                    let (total, date) = (q.total, q.quote_date);
                                    view! {
                                        <tr>
                                            <td><a href=quote_href(q.id)>{q.number.clone()}</a> " " <span class="muted">{q.title.clone()}</span></td>
                                            <td>{move || format_date_short(language(), date)}</td>
                                            <td><span class="status-badge" data-status=status.as_str()>{move || status_label(i18n.get_locale(), status)}</span></td>
                                            <td class="numeric">{move || total.format(language())}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </section>
    }
}
