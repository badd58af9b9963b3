//! The generic kanban: one column per value of a grouping field, each loading its own cards
//! through the list engine (the view grouped by that field, one group per column, "Load more"
//! by keyset cursor). Cards move by pointer drag (mouse anywhere on the card; touch and pen
//! by the card's grip, so that the board still scrolls under a finger). A move shows at once
//! and is undone if the server refuses it.

use super::cells::CellView;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::ui::InBrowser;
use crate::ui::{use_pointer_drag, use_toasts, Dragging, PointerDrag};
use crate::views::api::fetch_list_page;
use crate::views::schema::{FieldKind, ListSchema};
use crate::views::{Cursor, ListRow};
use leptos::prelude::*;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use uuid::Uuid;

/// Saves a card's move to another column (the card's id, the column's value).
pub type MoveCard = fn(Uuid, String) -> Pin<Box<dyn Future<Output = Result<(), AppError>>>>;

/// Cards moved since the columns loaded: id → (column it is in now, the card).
#[derive(Clone, Copy)]
struct Board {
    moved: RwSignal<HashMap<Uuid, (String, ListRow)>>,
    dragging: PointerDrag<Drag>,
    over: RwSignal<Option<String>>,
}

#[derive(Clone, Debug, PartialEq)]
struct Drag {
    id: Uuid,
    from: String,
    row: ListRow,
}

/// A column's value and how its heading reads.
type Column = (String, fn(crate::i18n::Locale) -> &'static str);

/// The columns of `field`: its options, in order.
fn columns_of(schema: &'static ListSchema, field: &str) -> Vec<Column> {
    match schema.field(field).map(|f| f.kind) {
        Some(FieldKind::Enum(options)) => options
            .iter()
            .map(|o| (o.value.to_string(), o.label))
            .collect(),
        _ => Vec::new(),
    }
}

#[component]
pub fn Kanban(
    schema: &'static ListSchema,
    /// The grouping field whose values are the columns (an enum field).
    field: &'static str,
    /// The rest of the view (search, filters) as a URL query.
    #[prop(into)]
    query: Signal<String>,
    row_href: fn(Uuid) -> String,
    move_card: MoveCard,
    /// The fields a card shows below its title (the title is the view's first column).
    card_fields: &'static [&'static str],
) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let columns = columns_of(schema, field);
    let moved = RwSignal::new(HashMap::new());
    let over = RwSignal::new(None);
    // A new view starts from what the server has.
    Effect::new(move |_| {
        query.track();
        moved.set(HashMap::new());
    });

    let drop_on = move |drag: Drag, to: String| {
        if to == drag.from {
            return;
        }
        let id = drag.id;
        moved.update(|m| {
            m.insert(id, (to.clone(), drag.row.clone()));
        });
        leptos::task::spawn_local(async move {
            if let Err(error) = move_card(id, to).await {
                moved.update(|m| {
                    m.remove(&id);
                });
                toasts.failure(i18n.get_locale_untracked(), &error);
            }
        });
    };

    let dragging = use_pointer_drag(
        move |at: Option<(i32, i32)>| over.set(at.and_then(|(x, y)| column_at(x, y))),
        move |drag: Dragging<Drag>, (x, y)| {
            if let Some(to) = column_at(x, y) {
                drop_on(drag.item, to);
            }
        },
    );
    let board = Board {
        moved,
        dragging,
        over,
    };

    // The board renders in the browser only (after hydration): its cards load there, and
    // the page around it may be inside a suspense.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    view! {
        <div class="kanban" data-kanban=schema.key class:kanban--dragging=move || board.dragging.moving()>
            {move || mounted.get().then(|| columns.clone().into_iter().map(|(value, label)| view! {
                <KanbanColumn schema field value label query row_href board card_fields/>
            }).collect_view())}
        </div>
        <p class="visually-hidden" aria-live="polite">{t!(i18n, views.kanban_help)}</p>
    }
}

/// The column under a point, by its `data-column` attribute.
fn column_at(x: i32, y: i32) -> Option<String> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-column]").ok().flatten()?;
    column.get_attribute("data-column")
}

#[component]
fn KanbanColumn(
    schema: &'static ListSchema,
    field: &'static str,
    value: String,
    label: fn(crate::i18n::Locale) -> &'static str,
    query: Signal<String>,
    row_href: fn(Uuid) -> String,
    board: Board,
    card_fields: &'static [&'static str],
) -> impl IntoView {
    let i18n = use_i18n();
    let key = value.clone();
    // Cards load in the browser: a board is used with JavaScript, and it may sit inside a
    // page's suspense.
    let first = LocalResource::new(move || {
        let path = vec![Some(key.clone())];
        let query = grouped(&query.get(), field);
        async move { fetch_list_page(schema.key.to_string(), query, path, None).await }
    });
    let more = RwSignal::new(Vec::<ListRow>::new());
    let next = RwSignal::new(None::<Cursor>);
    let count = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        if let Some(Ok(page)) = first.in_browser() {
            more.set(Vec::new());
            next.set(page.next.clone());
            count.set(page.count.map(|c| match c {
                crate::views::Count::Exact(n) | crate::views::Count::AtLeast(n) => n,
            }));
        }
    });
    let load_more = {
        let value = value.clone();
        Action::new_local(move |after: &Cursor| {
            let path = vec![Some(value.clone())];
            let query = grouped(&query.get_untracked(), field);
            let after = after.clone();
            async move { fetch_list_page(schema.key.to_string(), query, path, Some(after)).await }
        })
    };
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_more.value().get() {
            more.update(|rows| rows.extend(page.rows.clone()));
            next.set(page.next.clone());
        }
    });
    let column = value.clone();
    // The server's cards without those moved away, plus those moved here.
    let cards = move || {
        let loaded: Vec<ListRow> = first
            .in_browser()
            .and_then(Result::ok)
            .map(|p| p.rows)
            .unwrap_or_default()
            .into_iter()
            .chain(more.get())
            .collect();
        board.moved.with(|moved| {
            let mut shown: Vec<ListRow> = loaded
                .into_iter()
                .filter(|r| moved.get(&r.id).is_none_or(|(to, _)| *to == column))
                .collect();
            for (id, (to, row)) in moved {
                if *to == column && !shown.iter().any(|r| r.id == *id) {
                    shown.insert(0, row.clone());
                }
            }
            shown
        })
    };
    let column_for_count = value.clone();
    let shown_count = move || {
        let arrived = board
            .moved
            .with(|m| m.values().filter(|(to, _)| *to == column_for_count).count() as i64);
        let left = board.moved.with(|m| m.len() as i64) - arrived;
        count.get().map(|n| n + arrived - left.min(n))
    };
    let over_value = value.clone();
    let from_column = value.clone();
    let fields = schema.fields;
    view! {
        <section class="kanban__column" data-column=value.clone()
            class:kanban__column--over=move || board.over.get().as_deref() == Some(over_value.as_str())
            aria-label=move || label(i18n.get_locale())>
            <header class="kanban__header">
                <h3>{move || label(i18n.get_locale())}</h3>
                <span class="badge">{move || shown_count().map(|n| n.to_string())}</span>
            </header>
            <ul class="kanban__cards">
                {move || match first.in_browser() {
                    None => view! { <li class="muted">{t!(i18n, loading)}</li> }.into_any(),
                    Some(Err(error)) => view! { <li><crate::ui::ErrorAlert error=Some(error)/></li> }.into_any(),
                    Some(Ok(page)) => {
                        let columns = page.columns;
                        let from = from_column.clone();
                        view! {
                            <For each=cards.clone() key=|row| row.id let:row>
                                <KanbanCard row columns=columns.clone() fields from=from.clone() row_href board card_fields/>
                            </For>
                        }.into_any()
                    }
                }}
            </ul>
            {move || next.get().map(|cursor| view! {
                <button type="button" class="button button--small kanban__more" disabled=move || load_more.pending().get()
                    on:click=move |_| { load_more.dispatch(cursor.clone()); }>
                    {t!(i18n, views.load_more)}
                </button>
            })}
        </section>
    }
}

/// Numbers and dates need their label on a card to be understood; names and states do not.
fn labelled(field: &crate::views::FieldDef) -> bool {
    matches!(
        field.kind,
        FieldKind::Number | FieldKind::Money | FieldKind::Date
    )
}

/// The view's query grouped by the column field.
fn grouped(query: &str, field: &str) -> String {
    let rest: Vec<&str> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|part| !part.is_empty() && !part.starts_with("g="))
        .collect();
    let mut query = rest.join("&");
    if !query.is_empty() {
        query.push('&');
    }
    query.push_str("g=");
    query.push_str(field);
    query
}

#[component]
fn KanbanCard(
    row: ListRow,
    columns: Vec<String>,
    fields: &'static [crate::views::FieldDef],
    from: String,
    row_href: fn(Uuid) -> String,
    board: Board,
    card_fields: &'static [&'static str],
) -> impl IntoView {
    let i18n = use_i18n();
    let id = row.id;
    let start = {
        let row = row.clone();
        move |event: leptos::ev::PointerEvent, from_grip: bool| {
            let drag = Drag {
                id,
                from: from.clone(),
                row: row.clone(),
            };
            board.dragging.start(drag, &event, from_grip);
        }
    };
    let start_grip = start.clone();
    // Set through the CSS object model (the page's policy refuses style attributes).
    let transform = move || board.dragging.transform(|d| d.id == id);
    let dragged = move || board.dragging.offset(|d| d.id == id).is_some();
    let mut cells = columns.iter().zip(row.cells.clone());
    let title = cells.next();
    let rest: Vec<_> = cells
        .filter(|(key, c)| {
            card_fields.contains(&key.as_str()) && !matches!(c, crate::views::Cell::Empty)
        })
        .filter_map(|(key, cell)| fields.iter().find(|f| f.key == key).map(|f| (f, cell)))
        .collect();
    let title_field = title
        .as_ref()
        .and_then(|(key, _)| fields.iter().find(|f| f.key == **key));
    view! {
        <li class="kanban-card" class:kanban-card--dragging=dragged style:transform=transform data-id=id.to_string()
            on:pointerdown=move |event| start(event, false)
            on:click=move |event| {
                if board.dragging.swallows_click() {
                    event.prevent_default();
                }
            }>
            <span class="kanban-card__grip" aria-hidden="true"
                on:pointerdown=move |event| { event.stop_propagation(); start_grip(event, true) }>"⋮⋮"</span>
            <a class="kanban-card__title" href=row_href(id) draggable="false">
                {match (title_field, title) {
                    (Some(field), Some((_, cell))) => view! { <CellView field=field cell=cell.unlinked()/> }.into_any(),
                    _ => ().into_any(),
                }}
            </a>
            <dl class="kanban-card__fields">
                {rest.into_iter().map(|(field, cell)| view! {
                    <div>
                        <dt class:visually-hidden=!labelled(field)>{move || (field.label)(i18n.get_locale())}</dt>
                        <dd><CellView field cell/></dd>
                    </div>
                }).collect_view()}
            </dl>
            <span class="visually-hidden">{move || t_string!(i18n, views.kanban_drag).to_string()}</span>
        </li>
    }
}
