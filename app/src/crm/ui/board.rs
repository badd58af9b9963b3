//! The pipeline board: one column per stage with its count and expected-revenue sum, folding,
//! cards in their order, quick-create at the top of a column, and moves by mouse (anywhere on
//! the card), touch and pen (by the card's grip, so that the board still scrolls under a
//! finger) and keyboard (the card's "Move to…" menu). A move shows at once; if the server
//! refuses it, the card goes back and the reason is shown; a conflict reloads the board.

mod parts;

use crate::activities::ui::{ActivityDialog, ActivityIcon};
use crate::activities::Activity;
use crate::crm::api::{board_card, board_column, move_opportunity, pipeline_board};
use crate::crm::{Board, Card, CardCursor, Stage};
use crate::domain::CurrencySums;
use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};
use crate::locale::{format_sums, from_locale, is_singular};
use crate::shared::RecordKind;
use crate::ui::InBrowser;
use crate::ui::{
    use_changes, use_pointer_drag, use_toasts, Changes, Dragging, ErrorAlert, Icon, IconName,
    PointerDrag,
};
use leptos::prelude::*;
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq)]
struct ColumnState {
    stage: Stage,
    count: i64,
    revenue: CurrencySums,
    cards: Vec<Card>,
    next: Option<CardCursor>,
    folded: bool,
}

fn columns_of(board: &Board) -> Vec<ColumnState> {
    board
        .columns
        .iter()
        .map(|c| ColumnState {
            stage: c.stage.clone(),
            count: c.count,
            revenue: c.revenue.clone(),
            cards: c.cards.clone(),
            next: c.next.clone(),
            folded: c.stage.folded,
        })
        .collect()
}

/// Moves a card in the board's own state: out of its column, into `to` right before
/// `before` (or last). Returns false when the card or the column is not on the board.
fn apply_move(columns: &mut [ColumnState], id: Uuid, to: Uuid, before: Option<Uuid>) -> bool {
    let Some(from) = columns
        .iter()
        .position(|c| c.cards.iter().any(|k| k.id == id))
    else {
        return false;
    };
    let Some(target) = columns.iter().position(|c| c.stage.id == to) else {
        return false;
    };
    let at = columns[from]
        .cards
        .iter()
        .position(|k| k.id == id)
        .unwrap_or(0);
    let mut card = columns[from].cards.remove(at);
    let revenue = card.expected_revenue;
    columns[from].count -= 1;
    if let Some(amount) = revenue {
        columns[from].revenue.subtract(amount);
    }
    // The status the server will give it (the won stage wins the deal).
    card.status =
        crate::domain::opportunity::move_to_stage(card.status, columns[target].stage.is_won)
            .unwrap_or(card.status);
    let column = &mut columns[target];
    let index = before
        .and_then(|b| column.cards.iter().position(|k| k.id == b))
        .unwrap_or(column.cards.len());
    if let Some(amount) = revenue {
        column.revenue.add(amount);
    }
    column.cards.insert(index, card);
    column.count += 1;
    true
}

/// Where a dragged card would land: the column's stage and the card it goes before.
type Target = (Uuid, Option<Uuid>);

/// The column and position under a point.
fn target_at(x: i32, y: i32) -> Option<Target> {
    let element = document().element_from_point(x as f32, y as f32)?;
    let column = element.closest("[data-stage]").ok().flatten()?;
    let stage = Uuid::parse_str(&column.get_attribute("data-stage")?).ok()?;
    let card = element.closest("[data-card]").ok().flatten();
    let before = card.and_then(|card| {
        let rect = card.get_bounding_client_rect();
        let upper = f64::from(y) < rect.top() + rect.height() / 2.0;
        let anchor = if upper {
            Some(card)
        } else {
            card.next_element_sibling()
        };
        anchor
            .and_then(|a| a.get_attribute("data-card"))
            .and_then(|id| Uuid::parse_str(&id).ok())
    });
    Some((stage, before))
}

#[derive(Clone, Copy)]
struct BoardCtx {
    columns: RwSignal<Vec<ColumnState>>,
    drag: PointerDrag<Uuid>,
    over: RwSignal<Option<Target>>,
    /// The board's changes: a conflict or a new card loads the board again.
    changes: Changes,
    query: Signal<String>,
    pipeline: Uuid,
    can_edit: bool,
    /// The card whose activity popover is open.
    popover: RwSignal<Option<Uuid>>,
    /// The card whose "Move to…" menu is open.
    menu: RwSignal<Option<Uuid>>,
    /// The activity dialog: the deal, and the activity edited (None: a new one).
    dialog: RwSignal<Option<(Uuid, Option<Activity>)>>,
    /// A card's activity changes, so that an open popover reloads.
    activity_changes: Changes,
}

impl BoardCtx {
    /// Reads a card again after its activities changed: the icon shows the next one.
    fn refresh_card(self, id: Uuid) {
        let columns = self.columns;
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = board_card(id).await {
                columns.update(|cols| {
                    for k in cols.iter_mut().flat_map(|c| c.cards.iter_mut()) {
                        if k.id == id {
                            *k = fresh.clone();
                        }
                    }
                });
            }
        });
    }

    fn move_card(self, id: Uuid, to: Uuid, before: Option<Uuid>) {
        move_card(self.columns, self.changes, id, to, before);
    }
}

/// Shows the move at once, saves it, and undoes it if the server refuses.
fn move_card(
    columns: RwSignal<Vec<ColumnState>>,
    changes: Changes,
    id: Uuid,
    to: Uuid,
    before: Option<Uuid>,
) {
    let _i18n = use_i18n();
    let _toasts = use_toasts();
    let snapshot = columns.get_untracked();
    let Some(card) = snapshot
        .iter()
        .flat_map(|c| c.cards.iter())
        .find(|k| k.id == id)
        .cloned()
    else {
        return;
    };
    if before == Some(id) {
        return;
    }
    let mut moved = snapshot.clone();
    if !apply_move(&mut moved, id, to, before) {
        return;
    }
    columns.set(moved);
    leptos::task::spawn_local(async move {
        match move_opportunity(id, card.version, to, before).await {
            Ok(version) => columns.update(|cols| {
                for column in cols.iter_mut() {
                    for k in column.cards.iter_mut().filter(|k| k.id == id) {
                        k.version = version;
                    }
                }
            }),
            Err(error) => {
                changes.fail(&error);
                if error == AppError::Conflict {
                    changes.reload();
                } else {
                    columns.set(snapshot);
                }
            }
        }
    });
}

#[component]
pub fn PipelineBoard(
    #[prop(into)] pipeline: Signal<Option<Uuid>>,
    /// The view (search, filters) as a URL query.
    #[prop(into)]
    query: Signal<String>,
    /// Told which pipeline the board shows (the first one when none was asked for).
    on_loaded: Callback<Board>,
) -> impl IntoView {
    let i18n = use_i18n();
    let changes = use_changes();
    let board = LocalResource::new(move || {
        let (pipeline, query) = (pipeline.get(), query.get());
        changes.version();
        pipeline_board(pipeline, query)
    });
    view! {
        {move || match board.in_browser() {
            None => view! { <p class="muted">{t!(i18n, loading)}</p> }.into_any(),
            Some(Err(error)) => view! { <ErrorAlert error=Some(error)/> }.into_any(),
            Some(Ok(loaded)) => {
                on_loaded.run(loaded.clone());
                view! { <BoardView board=loaded query changes/> }.into_any()
            }
        }}
    }
}

#[component]
fn BoardView(board: Board, query: Signal<String>, changes: Changes) -> impl IntoView {
    let i18n = use_i18n();
    let columns = RwSignal::new(columns_of(&board));
    let over = RwSignal::new(None);
    let drag = use_pointer_drag(
        move |at: Option<(i32, i32)>| over.set(at.and_then(|(x, y)| target_at(x, y))),
        move |drag: Dragging<Uuid>, (x, y)| {
            if let Some((stage, before)) = target_at(x, y) {
                move_card(columns, changes, drag.item, stage, before);
            }
        },
    );
    let ctx = BoardCtx {
        columns,
        drag,
        over,
        changes,
        query,
        pipeline: board.pipeline_id,
        can_edit: board.rights.edit,
        popover: RwSignal::new(None),
        menu: RwSignal::new(None),
        dialog: RwSignal::new(None),
        activity_changes: use_changes(),
    };
    let stage_ids: Vec<Uuid> = board.columns.iter().map(|c| c.stage.id).collect();
    view! {
        <div class="pipeline" data-testid="pipeline-board"
            class:pipeline--dragging=move || ctx.drag.moving()>
            {stage_ids.into_iter().map(|stage| view! { <BoardColumn ctx stage/> }).collect_view()}
        </div>
        <p class="visually-hidden" aria-live="polite">{t!(i18n, crm.board_help)}</p>
        {move || ctx.dialog.get().map(|(deal, existing)| {
            let close = Callback::new(move |()| ctx.dialog.set(None));
            let changed = Callback::new(move |()| {
                ctx.activity_changes.reload();
                ctx.refresh_card(deal);
            });
            match existing {
                Some(activity) => view! {
                    <ActivityDialog kind=RecordKind::Opportunity record=deal existing=activity on_close=close on_changed=changed/>
                }.into_any(),
                None => view! {
                    <ActivityDialog kind=RecordKind::Opportunity record=deal on_close=close on_changed=changed/>
                }.into_any(),
            }
        })}
    }
}

#[component]
fn BoardColumn(ctx: BoardCtx, stage: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let toasts = use_toasts();
    let column = move || {
        ctx.columns
            .with(|cols| cols.iter().find(|c| c.stage.id == stage).cloned())
    };
    let label = move || {
        column()
            .map(|c| c.stage.named.label(i18n.get_locale()))
            .unwrap_or_default()
    };
    let folded = move || column().is_some_and(|c| c.folded);
    let toggle_fold = move |_| {
        ctx.columns.update(|cols| {
            if let Some(c) = cols.iter_mut().find(|c| c.stage.id == stage) {
                c.folded = !c.folded;
            }
        })
    };
    let sum = move || {
        column()
            .map(|c| format_sums(from_locale(i18n.get_locale()), &c.revenue))
            .unwrap_or_default()
    };
    let count = move || column().map_or(0, |c| c.count);
    let loading_more = RwSignal::new(false);
    let load_more = move || {
        let Some(cursor) = column().and_then(|c| c.next) else {
            return;
        };
        if loading_more.get_untracked() {
            return;
        }
        loading_more.set(true);
        let query = ctx.query.get_untracked();
        leptos::task::spawn_local(async move {
            let page = board_column(stage, query, cursor).await;
            loading_more.set(false);
            match page {
                Ok(page) => ctx.columns.update(|cols| {
                    if let Some(c) = cols.iter_mut().find(|c| c.stage.id == stage) {
                        let known: Vec<Uuid> = c.cards.iter().map(|k| k.id).collect();
                        c.cards
                            .extend(page.cards.into_iter().filter(|k| !known.contains(&k.id)));
                        c.next = page.next;
                    }
                }),
                Err(error) => toasts.failure(i18n.get_locale_untracked(), &error),
            }
        });
    };
    // More cards load as the column scrolls to its end.
    let on_scroll = move |event: leptos::ev::Event| {
        let target = event_target::<web_sys::Element>(&event);
        if target.scroll_top() + target.client_height() + 120 >= target.scroll_height() {
            load_more();
        }
    };
    let adding = RwSignal::new(false);
    let over_here = move || ctx.over.with(|o| o.is_some_and(|(s, _)| s == stage));
    let drop_at_end = move || ctx.over.with(|o| *o == Some((stage, None)));
    view! {
        <section class="pipeline__column" data-stage=stage.to_string()
            class:pipeline__column--folded=folded
            class:pipeline__column--over=over_here
            class:pipeline__column--won=move || column().is_some_and(|c| c.stage.is_won)
            aria-label=label>
            <header class="pipeline__header">
                <button type="button" class="pipeline__fold" data-action="fold"
                    aria-expanded=move || (!folded()).to_string()
                    title=move || if folded() { t_string!(i18n, crm.unfold) } else { t_string!(i18n, crm.fold) }
                    on:click=toggle_fold>
                    <span aria-hidden="true">{move || if folded() { "▸" } else { "▾" }}</span>
                    <h3>{label}</h3>
                </button>
                <span class="badge" data-testid="column-count">{count}</span>
                {move || (!folded()).then(|| view! {
                    {ctx.can_edit.then(|| view! {
                        <button type="button" class="icon-button" data-action="quick-add"
                            aria-label=move || t_string!(i18n, crm.quick_add_in, stage = label()).to_string()
                            on:click=move |_| adding.update(|a| *a = !*a)>
                            <Icon name=IconName::Plus/>
                        </button>
                    })}
                    <span class="pipeline__sum" data-testid="column-sum">{sum}</span>
                })}
            </header>
            {move || (!folded()).then(|| view! {
                {move || adding.get().then(|| {
                    let on_done = Callback::new(move |()| adding.set(false));
                    view! { <Suspense fallback=|| ()>{Suspend::new(parts::quick_create(ctx, stage, on_done))}</Suspense> }
                })}
                <ul class="pipeline__cards" on:scroll=on_scroll>
                    <For each=move || column().map(|c| c.cards).unwrap_or_default()
                        key=|card| (card.id, card.status, card.next_activity.clone(), card.task_status)
                        let:card>
                        <BoardCard ctx card stage/>
                    </For>
                    {move || drop_at_end().then(|| view! { <li class="pipeline__drop" aria-hidden="true"></li> })}
                </ul>
                {move || column().and_then(|c| c.next).map(|_| view! {
                    <button type="button" class="button button--small pipeline__more" data-action="column-more"
                        disabled=move || loading_more.get() on:click=move |_| load_more()>
                        {t!(i18n, crm.load_more)}
                    </button>
                })}
            })}
        </section>
    }
}

pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .collect::<String>()
        .to_uppercase()
}

#[component]
fn BoardCard(ctx: BoardCtx, card: Card, stage: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let id = card.id;
    let start = move |event: leptos::ev::PointerEvent, from_grip: bool| {
        if ctx.can_edit {
            ctx.drag.start(id, &event, from_grip);
        }
    };
    let transform = move || ctx.drag.transform(|dragged| *dragged == id);
    let dragged = move || ctx.drag.offset(|dragged| *dragged == id).is_some();
    let drop_before = move || ctx.over.with(|o| *o == Some((stage, Some(id))));
    let language = move || from_locale(i18n.get_locale());
    let revenue = card.expected_revenue;
    let stars = card.priority;
    let stars_text = move || {
        if is_singular(language(), u64::from(stars)) {
            t_string!(i18n, crm.stars_singular, count = stars).to_string()
        } else {
            t_string!(i18n, crm.stars, count = stars).to_string()
        }
    };
    let (icon, state) = match card.next_activity.clone() {
        Some((icon, state)) => (Some(icon), Some(state)),
        None => (None, None),
    };
    let task_status = card.task_status;
    let salesperson = card.salesperson.clone();
    let title = card.title.clone();
    view! {
        <li class="pipeline-card" data-card=id.to_string() data-status=card.status.as_str()
            class:pipeline-card--dragging=dragged
            class:pipeline-card--drop-before=drop_before
            style:transform=transform
            on:pointerdown=move |event| start(event, false)
            on:click=move |event| {
                if ctx.drag.swallows_click() {
                    event.prevent_default();
                }
            }>
            {ctx.can_edit.then(|| view! {
                <span class="kanban-card__grip" aria-hidden="true" data-testid="card-grip"
                    on:pointerdown=move |event| { event.stop_propagation(); start(event, true) }>"⋮⋮"</span>
            })}
            <a class="pipeline-card__title" href=format!("/crm/{id}") draggable="false">{card.title.clone()}</a>
            {card.customer.clone().map(|c| view! { <p class="pipeline-card__customer">{c}</p> })}
            {revenue.map(|r| view! {
                <p class="pipeline-card__revenue">{move || r.format(language())}</p>
            })}
            {(!card.tags.is_empty()).then(|| view! {
                <ul class="tag-list">{card.tags.iter().map(|tag| view! { <li class="tag">{tag.clone()}</li> }).collect_view()}</ul>
            })}
            <div class="pipeline-card__footer">
                <span class="stars" title=stars_text>
                    <span aria-hidden="true">{(0..3).map(|n| if n < stars { "★" } else { "☆" }).collect::<String>()}</span>
                    <span class="visually-hidden">{stars_text}</span>
                </span>
                <button type="button" class="pipeline-card__activity" data-action="activity-popover"
                    aria-expanded=move || (ctx.popover.get() == Some(id)).to_string()
                    on:pointerdown=|event| event.stop_propagation()
                    on:click=move |_| ctx.popover.update(|p| *p = if *p == Some(id) { None } else { Some(id) })>
                    <ActivityIcon icon=icon.clone() state/>
                </button>
                {task_status.map(|status| view! {
                    <span class="task-state" data-task-status=status.as_str()
                        title=move || t_string!(i18n, crm.task_state, status = crate::tasks::ui::status_label(i18n.get_locale(), status)).to_string()>
                        {move || crate::tasks::ui::status_label(i18n.get_locale(), status)}
                    </span>
                })}
                {ctx.can_edit.then(|| view! {
                    <button type="button" class="pipeline-card__menu link-button" data-action="move-menu"
                        aria-haspopup="menu" aria-expanded=move || (ctx.menu.get() == Some(id)).to_string()
                        aria-label=move || t_string!(i18n, crm.move_menu, title = title.clone()).to_string()
                        on:pointerdown=|event| event.stop_propagation()
                        on:click=move |_| ctx.menu.update(|m| *m = if *m == Some(id) { None } else { Some(id) })>
                        "⋯"
                    </button>
                })}
                {salesperson.map(|s| view! {
                    <span class="avatar" title=s.name.clone() aria-label=s.name.clone()>{initials(&s.name)}</span>
                })}
            </div>
            {move || (ctx.menu.get() == Some(id)).then(|| view! { <MoveMenu ctx id stage/> })}
            {move || (ctx.popover.get() == Some(id)).then(|| view! {
                <Suspense fallback=|| ()>{Suspend::new(parts::activity_popover(ctx, id))}</Suspense>
            })}
        </li>
    }
}

/// The keyboard way to move a card: to another stage (first in it), or up and down within
/// its column.
#[component]
fn MoveMenu(ctx: BoardCtx, id: Uuid, stage: Uuid) -> impl IntoView {
    let i18n = use_i18n();
    let stages: Vec<Stage> = ctx
        .columns
        .with_untracked(|cols| cols.iter().map(|c| c.stage.clone()).collect());
    let neighbours = ctx.columns.with_untracked(|cols| {
        cols.iter().find(|c| c.stage.id == stage).map(|c| {
            let at = c.cards.iter().position(|k| k.id == id).unwrap_or(0);
            let up = at.checked_sub(1).and_then(|i| c.cards.get(i)).map(|k| k.id);
            // Down: before the card after the next one (or last).
            let down = c
                .cards
                .get(at + 1)
                .map(|_| c.cards.get(at + 2).map(|k| k.id));
            (up, down)
        })
    });
    let (up, down) = neighbours.unwrap_or((None, None));
    let close = move || ctx.menu.set(None);
    let first_of = move |target: Uuid| {
        ctx.columns.with_untracked(|cols| {
            cols.iter()
                .find(|c| c.stage.id == target)
                .and_then(|c| c.cards.first().map(|k| k.id))
        })
    };
    view! {
        <div class="popover move-menu" role="menu" data-testid="move-menu"
            on:pointerdown=|event| event.stop_propagation()
            on:keydown=move |event| if event.key() == "Escape" { close() }>
            <p class="popover__title">{t!(i18n, crm.move_to)}</p>
            {up.map(|before| view! {
                <button type="button" role="menuitem" class="popover__item" data-action="move-up"
                    on:click=move |_| { close(); ctx.move_card(id, stage, Some(before)); }>"↑ "{t!(i18n, crm.move_up)}</button>
            })}
            {down.map(|before| view! {
                <button type="button" role="menuitem" class="popover__item" data-action="move-down"
                    on:click=move |_| { close(); ctx.move_card(id, stage, before); }>"↓ "{t!(i18n, crm.move_down)}</button>
            })}
            {stages.into_iter().filter(|s| s.id != stage).map(|s| {
                let target = s.id;
                let named = s.named.clone();
                view! {
                    <button type="button" role="menuitem" class="popover__item" data-move-to=target.to_string()
                        on:click=move |_| { close(); ctx.move_card(id, target, first_of(target)); }>
                        {move || named.label(i18n.get_locale())}
                    </button>
                }
            }).collect_view()}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activities::Named;
    use crate::domain::opportunity::OpportunityStatus;
    use crate::domain::{Currency, Money};
    use rust_decimal::Decimal;

    fn card(title: &str, revenue: i64) -> Card {
        Card {
            id: Uuid::now_v7(),
            title: title.into(),
            customer: None,
            expected_revenue: Some(Money::new(Decimal::new(revenue, 0), Currency::EUR)),
            salesperson: None,
            priority: 0,
            tags: Vec::new(),
            status: OpportunityStatus::Open,
            next_activity: None,
            task_status: None,
            version: 1,
        }
    }

    fn column(cards: Vec<Card>, is_won: bool) -> ColumnState {
        ColumnState {
            stage: Stage {
                id: Uuid::now_v7(),
                named: Named::default(),
                folded: false,
                is_won,
            },
            count: cards.len() as i64,
            revenue: cards.iter().filter_map(|c| c.expected_revenue).collect(),
            cards,
            next: None,
            folded: false,
        }
    }

    fn titles(column: &ColumnState) -> Vec<&str> {
        column.cards.iter().map(|c| c.title.as_str()).collect()
    }

    #[test]
    fn a_move_keeps_order_counts_and_sums_per_currency() {
        let (a, mut b, c) = (card("a", 100), card("b", 200), card("c", 300));
        let usd = Currency::parse("USD").unwrap();
        b.expected_revenue = b.expected_revenue.map(|r| Money::new(r.amount, usd));
        let (a_id, c_id) = (a.id, c.id);
        let mut columns = vec![
            column(vec![a, b], false),
            column(vec![c], false),
            column(vec![], true),
        ];
        let (first, second, won) = (
            columns[0].stage.id,
            columns[1].stage.id,
            columns[2].stage.id,
        );
        // Within a column: a goes last.
        assert!(apply_move(&mut columns, a_id, first, None));
        assert_eq!(titles(&columns[0]), ["b", "a"]);
        // Across: a before c.
        assert!(apply_move(&mut columns, a_id, second, Some(c_id)));
        assert_eq!(titles(&columns[0]), ["b"]);
        assert_eq!(titles(&columns[1]), ["a", "c"]);
        let sums = |column: &ColumnState| {
            column
                .revenue
                .iter()
                .map(|sum| (sum.currency.to_string(), sum.amount))
                .collect::<Vec<_>>()
        };
        assert_eq!(columns[0].count, 1);
        assert_eq!(
            sums(&columns[0]),
            [("USD".to_string(), Decimal::new(200, 0))]
        );
        assert_eq!(columns[1].count, 2);
        assert_eq!(
            sums(&columns[1]),
            [("EUR".to_string(), Decimal::new(400, 0))]
        );
        // Into the won stage the card shows won; out of it, open again.
        assert!(apply_move(&mut columns, c_id, won, None));
        assert_eq!(columns[2].cards[0].status, OpportunityStatus::Won);
        assert!(apply_move(&mut columns, c_id, first, None));
        assert_eq!(columns[0].cards[1].status, OpportunityStatus::Open);
        // Unknown cards and columns change nothing.
        assert!(!apply_move(&mut columns, Uuid::now_v7(), first, None));
        assert!(!apply_move(&mut columns, a_id, Uuid::now_v7(), None));
    }
}
