//! The list view component. The URL holds the view; the component reads it, applies the
//! user's default view when the URL names none, and renders toolbar, groups and rows.

mod calendar;
mod cells;
mod export_link;
mod graph;
mod kanban;
mod pivot;
mod rows;
mod timeline;
mod toolbar;

use super::api::{fetch_list_page, list_preferences};
use super::pivot::Analysis;
use super::schema::ListSchema;
use super::{Preferences, ViewState};
use crate::error::AppError;
use crate::ui::{use_changes, Changes};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

pub use calendar::{period_of, CalendarGrid, CalendarScale, CalendarToolbar};
pub use cells::{cell_text, field_label, group_label};
pub use kanban::{Kanban, MoveCard};
pub use timeline::{MoveBar, Timeline, TimelineItem};

/// Everything the parts of one list share.
#[derive(Clone, Copy)]
pub struct ListContext {
    pub schema: &'static ListSchema,
    /// The page's path, e.g. `/contacts`.
    pub base: &'static str,
    /// The view shown (the URL's, or the user's default view).
    pub state: Memo<ViewState>,
    pub selected: RwSignal<Vec<Uuid>>,
    /// The rows' changes (bulk actions, imports): the rows load again after each.
    pub changes: Changes,
    pub preferences: Resource<Result<Preferences, AppError>>,
    /// Saved views and column choices: the preferences load again after each.
    pub preference_changes: Changes,
    /// The edit page of one row, shown as an edit icon at the row's end.
    pub edit_href: Option<fn(Uuid) -> String>,
    /// How the page analyses the view, when it shows a pivot or a graph.
    pub analysis: Memo<Option<Analysis>>,
    /// What the page keeps in its URL beside the view, so that a new filter or a favorite
    /// stays in it: `show=pivot` or `show=graph` and the layout; empty for the list.
    pub keep: Memo<String>,
}

impl ListContext {
    /// The link to a view, on this page (the list, or its pivot with the same layout).
    pub fn href(&self, state: &ViewState) -> String {
        let keep = self.keep.get_untracked();
        self.href_keeping(state, &keep)
    }

    /// The link to a view with `keep` beside it. The plain list is `?d=0`, so that a default
    /// view is not applied over a view the user chose on purpose.
    pub fn href_keeping(&self, state: &ViewState, keep: &str) -> String {
        let query = state.to_query();
        let query = if query.is_empty() {
            "d=0".to_string()
        } else {
            query
        };
        if keep.is_empty() {
            format!("{}?{query}", self.base)
        } else {
            format!("{}?{query}&{keep}", self.base)
        }
    }

    pub fn query(&self) -> String {
        self.state.with(|s| s.to_query())
    }
}

pub fn use_list() -> ListContext {
    expect_context::<ListContext>()
}

/// Navigates to a view, keeping the scroll position; typing in the search box replaces the
/// history entry instead of adding one per keystroke.
pub fn go_to(navigate: &impl Fn(&str, NavigateOptions), href: &str, replace: bool) {
    navigate(
        href,
        NavigateOptions {
            replace,
            scroll: false,
            ..NavigateOptions::default()
        },
    );
}

/// What the list's body shows; a graph's options change what it draws, not the body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Rows,
    Pivot,
    Graph,
}

/// "Pivot" and "Graph" in a page's "Show as", opening on the layouts given (URL queries
/// after the page's path, e.g. `pr=salesperson&pm=total`).
pub fn analysis_choices(
    base: &'static str,
    pivot: &'static str,
    graph: &'static str,
) -> [crate::ui::ViewChoice; 2] {
    use crate::i18n::td_string;
    use crate::ui::{IconName, ViewChoice};
    [
        ViewChoice::new(
            "pivot",
            format!("{base}?show=pivot&{pivot}"),
            IconName::Pivot,
            |l| td_string!(l, views.show_pivot),
        ),
        ViewChoice::new(
            "graph",
            format!("{base}?show=graph&{graph}"),
            IconName::Graph,
            |l| td_string!(l, views.show_graph),
        ),
    ]
}

/// Bulk actions a list offers for its selected rows; `reload` refreshes the rows afterwards.
pub type BulkActions = Callback<ListContext, AnyView>;

/// What a page asks of its list.
#[derive(Clone, Copy)]
struct ListProps {
    schema: &'static ListSchema,
    base: &'static str,
    row_href: fn(Uuid) -> String,
    bulk_actions: Option<BulkActions>,
    edit_href: Option<fn(Uuid) -> String>,
    analysis: bool,
}

/// The list engine (toolbar, rows, pivot, graph) is a wasm chunk of its own, fetched the
/// first time a page shows a list: the pages of a section that show none (the CRM board, a
/// record) never fetch it.
#[component]
pub fn ListView(
    schema: &'static ListSchema,
    base: &'static str,
    /// The page of one row.
    row_href: fn(Uuid) -> String,
    #[prop(optional)] bulk_actions: Option<BulkActions>,
    #[prop(optional)] edit_href: Option<fn(Uuid) -> String>,
    /// Shows the view as the pivot or the graph the URL asks for (`show=pivot`,
    /// `show=graph`) instead of rows.
    #[prop(optional)]
    analysis: bool,
) -> impl IntoView {
    let props = ListProps {
        schema,
        base,
        row_href,
        bulk_actions,
        edit_href,
        analysis,
    };
    view! { <Suspense fallback=|| ()>{Suspend::new(list_engine(props))}</Suspense> }
}

#[lazy]
fn list_engine(props: ListProps) -> AnyView {
    list_body(props).into_any()
}

/// Fetches the list engine's chunk when the page in the document shows a list: a page the
/// server rendered with one must have it before hydration, which cannot wait for a chunk.
/// Taking over from another page, it may fetch it early, which does no harm.
pub async fn preload_shown_list() {
    #[cfg(target_arch = "wasm32")]
    {
        let shown = document().query_selector(".list-view").ok().flatten();
        if shown.is_some() {
            __preload_list_engine().await;
        }
    }
}

fn list_body(props: ListProps) -> impl IntoView {
    let ListProps {
        schema,
        base,
        row_href,
        bulk_actions,
        edit_href,
        analysis,
    } = props;
    let query_map = use_query_map();
    let preference_changes = use_changes();
    let preferences = Resource::new(
        move || preference_changes.version(),
        move |_| list_preferences(schema.key.to_string()),
    );
    // The user's default view (or else the list's own), known once the preferences have
    // loaded (inside the toolbar's suspense below, so both renders read them at the same
    // point).
    let default_view = RwSignal::new(None::<String>);
    let url_query = Memo::new(move |_| query_map.with(|m| m.to_query_string()));
    let state = Memo::new(move |_| {
        let from_url = ViewState::from_query(&url_query.get());
        let plain_asked = query_map.with(|m| m.get_str("d").is_some());
        if from_url.is_default() && !plain_asked {
            if let Some(query) = default_view.get() {
                return ViewState::from_query(&query);
            }
        }
        from_url
    });
    let analysed = analysis;
    let analysis = Memo::new(move |_| {
        analysed.then(|| Analysis::of(&url_query.get()).unwrap_or(Analysis::Pivot))
    });
    let list = ListContext {
        schema,
        base,
        state,
        selected: RwSignal::new(Vec::new()),
        changes: use_changes(),
        preferences,
        preference_changes,
        edit_href,
        analysis,
        keep: Memo::new(move |_| match analysis.get() {
            Some(analysis) => analysis.query(&super::pivot::layout_of(&url_query.get())),
            None => String::new(),
        }),
    };
    provide_context(list);
    let shown = Memo::new(move |_| match analysis.get() {
        None => Shown::Rows,
        Some(Analysis::Pivot) => Shown::Pivot,
        Some(Analysis::Graph(_)) => Shown::Graph,
    });

    // Show the default view's query in the address bar, so that it can be shared and Back
    // returns to it.
    // Not while the router leaves the list: the address already names the next page (with a
    // query of its own) and replacing it would cancel that navigation. The path is read, not
    // followed: the effect answers changes of the view, and a list swapped for another on
    // the same page must not wake on its way out.
    let navigate = use_navigate();
    let pathname = use_location().pathname;
    Effect::new(move |_| {
        if pathname.with_untracked(|path| path != base) {
            return;
        }
        let url_is_plain = ViewState::from_query(&url_query.get()).is_default()
            && query_map.with(|m| m.get_str("d").is_none());
        // A default favorite saved as a pivot or a graph opens the list that way.
        let default_pivot = default_view
            .get()
            .filter(|query| !analysed && Analysis::of(query).is_some());
        if let (true, Some(query)) = (url_is_plain, default_pivot) {
            go_to(&navigate, &format!("{base}?{query}"), true);
            return;
        }
        let shown = state.get();
        if url_is_plain && !shown.is_default() {
            go_to(&navigate, &list.href(&shown), true);
        }
    });
    // A new view starts with nothing selected. Not when the page comes alive: nothing is
    // selected yet, but for rows ticked before it did (see `crate::ui::kept`).
    Effect::new(move |seen: Option<()>| {
        state.track();
        if seen.is_some() {
            list.selected.set(Vec::new());
        }
    });

    view! {
        <div class="list-view" data-list=schema.key>
            // The toolbar waits for the preferences (default view, columns, favorites) and
            // then stays, so typing in its search box keeps the focus while rows reload.
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let loaded = preferences.await;
                    let own = loaded.ok().and_then(|p| {
                        p.default_view
                            .and_then(|id| p.saved.iter().find(|v| v.id == id))
                            .map(|v| v.query.clone())
                    });
                    let default = own.or_else(|| schema.default_view.map(str::to_string));
                    if default_view.get_untracked() != default {
                        default_view.set(default);
                    }
                    view! { <toolbar::Toolbar/> }
                })}
            </Suspense>
            <div class="bulk-slot">
                {bulk_actions.map(|actions| view! { <toolbar::BulkBar actions/> })}
            </div>
            {move || match shown.get() {
                Shown::Graph => view! { <graph::GraphView/> }.into_any(),
                Shown::Pivot => view! { <pivot::PivotView/> }.into_any(),
                Shown::Rows => view! { <div class="list-rows"><TopRows url_query row_href/></div> }.into_any(),
            }}
        </div>
    }
}

/// The rows of the view. The first answer depends on the URL alone (the server applies the
/// default view), so the server and the browser create and read the same resources.
#[component]
fn TopRows(url_query: Memo<String>, row_href: fn(Uuid) -> String) -> impl IntoView {
    let list = use_list();
    let schema = list.schema;
    let first = Resource::new(
        move || (url_query.get(), list.changes.version()),
        move |(query, _)| {
            fetch_list_page(
                schema.key.to_string(),
                query.trim_start_matches('?').to_string(),
                Vec::new(),
                None,
            )
        },
    );
    view! { <rows::TopRows first row_href/> }
}
