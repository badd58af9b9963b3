//! Server functions of the list view, the same for every list: pages, groups, counts, saved
//! views and column preferences. The list is named by its schema key; the view travels as
//! its URL query, parsed and checked here again.

use super::pivot::PivotAnswer;
use super::{Cursor, ListPage, Preferences, SavedView};
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::filter::Context,
    super::{db, query, ListSchema, ViewState, PAGE_SIZE},
};

pub type SaveViewAction = ServerAction<SaveView>;

/// The list's schema, or the reason why not.
#[cfg(feature = "ssr")]
fn open(list: &str) -> Result<&'static ListSchema, AppError> {
    crate::registry::list_schema(list).ok_or(AppError::NotFound)
}

/// One answer of a list view: the groups of the next level while the view groups deeper
/// than `path`, else a page of rows (after `after`) with its count. A plain query (no view
/// named, no `d=0`) opens the user's default view, or else the list's own default view. A
/// constant number of statements.
#[server(endpoint = "views/page", input = Json, output = JsonAnswer)]
pub async fn fetch_list_page(
    list: String,
    query: String,
    path: Vec<Option<String>>,
    after: Option<Cursor>,
) -> Result<ListPage, AppError> {
    crate::api::read(async |user, conn| {
        let schema = open(&list)?;
        let mut state = ViewState::from_query(&query);
        let plain_asked = query.split('&').any(|pair| pair.starts_with("d="));
        if state.is_default() && !plain_asked {
            let own = db::default_view_query(conn, user.id, schema.key).await?;
            if let Some(default) = own.as_deref().or(schema.default_view) {
                state = ViewState::from_query(default);
            }
        }
        let context = Context::of(&user);
        let grouped = query::group_fields(schema, &state)?;
        if path.len() < grouped.len() {
            let groups = db::groups(conn, schema, &state, context, &path).await?;
            return Ok(ListPage {
                query: state.to_query(),
                groups: Some(groups),
                columns: Vec::new(),
                rows: Vec::new(),
                next: None,
                count: None,
            });
        }
        let remembered = if state.columns.is_none() {
            db::preferences_columns(conn, user.id, schema.key).await?
        } else {
            None
        };
        let columns = query::visible_columns(schema, &state, remembered.as_deref())?;
        db::page(
            conn,
            schema,
            &state,
            context,
            &columns,
            &path,
            after.as_ref(),
            PAGE_SIZE,
        )
        .await
    })
    .await
}

/// The pivot of a view: its cells in one statement, whatever the number of rows. The query
/// is the view's (as the list applied it) with the pivot's layout beside it.
#[server(endpoint = "views/pivot", input = Json, output = JsonAnswer)]
pub async fn fetch_pivot(list: String, query: String) -> Result<PivotAnswer, AppError> {
    crate::api::read(async |user, conn| {
        let schema = open(&list)?;
        if query.len() > super::pivot::MAX_QUERY_LEN {
            return Err(crate::domain::FilterError::TooMany.into());
        }
        let state = ViewState::from_query(&query);
        let layout = super::pivot::layout_of(&query);
        super::pivot::db::cells(conn, schema, &state, Context::of(&user), &layout).await
    })
    .await
}

/// The exact number of rows, for the "10,000+ — count exactly" link.
#[server(endpoint = "views/count", input = Json, output = JsonAnswer)]
pub async fn count_exactly(
    list: String,
    query: String,
    path: Vec<Option<String>>,
) -> Result<i64, AppError> {
    crate::api::read(async |user, conn| {
        let schema = open(&list)?;
        let state = ViewState::from_query(&query);
        db::exact_count(conn, schema, &state, Context::of(&user), &path).await
    })
    .await
}

#[server(endpoint = "views/preferences", output = JsonAnswer)]
pub async fn list_preferences(list: String) -> Result<Preferences, AppError> {
    crate::api::read(async |user, conn| {
        let schema = open(&list)?;
        db::preferences(conn, user.id, schema.key).await
    })
    .await
}

/// The longest query a saved view keeps (the column's own limit).
#[cfg(feature = "ssr")]
const SAVED_QUERY_MAX: usize = 4000;

/// Saves the current view under a name (replacing the user's own view of that name).
#[server(endpoint = "views/save", output = JsonAnswer)]
pub async fn save_view(
    list: String,
    name: String,
    query: String,
    #[server(default)] shared: bool,
    #[server(default)] make_default: bool,
) -> Result<SavedView, AppError> {
    crate::api::write(async |user, tx| {
        let schema = open(&list)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::invalid(
                "name",
                crate::error::FieldProblem::NameEmpty,
            ));
        }
        if name.chars().count() > 80 {
            return Err(AppError::invalid(
                "name",
                crate::error::FieldProblem::NameTooLong,
            ));
        }
        // A view that would not open, or would not fit, is not saved.
        if query.len() > SAVED_QUERY_MAX {
            return Err(AppError::invalid(
                "query",
                crate::error::FieldProblem::TextTooLong,
            ));
        }
        let raw_query = query;
        let state = ViewState::from_query(&raw_query);
        query::visible_columns(schema, &state, None)?;
        query::page(schema, &state, Context::of(&user), &[], &[], None, 1)?;
        if super::pivot::Analysis::of(&raw_query).is_some() {
            let layout = super::pivot::layout_of(&raw_query);
            super::pivot::query::pivot(schema, &state, Context::of(&user), &layout)?;
        }
        let query = super::pivot::favorite_query(&raw_query);
        if query.len() > SAVED_QUERY_MAX {
            return Err(AppError::invalid(
                "query",
                crate::error::FieldProblem::TextTooLong,
            ));
        }
        let saved = db::save_view(tx, user.id, schema.key, name, &query, shared).await?;
        if make_default {
            db::set_default_view(tx, user.id, schema.key, Some(saved.id)).await?;
        }
        Ok(saved)
    })
    .await
}

#[server(endpoint = "views/delete", output = JsonAnswer)]
pub async fn delete_view(id: Uuid) -> Result<(), AppError> {
    crate::api::write(async |user, conn| db::delete_view(conn, user.id, id).await).await
}

/// Makes a saved view the one the list opens with, or (`None`) goes back to the list's own
/// default view (the plain list for most lists).
#[server(endpoint = "views/set_default", output = JsonAnswer)]
pub async fn set_default_view(list: String, id: Option<Uuid>) -> Result<(), AppError> {
    crate::api::write(async |user, conn| {
        let schema = open(&list)?;
        db::set_default_view(conn, user.id, schema.key, id).await
    })
    .await
}

/// Remembers the columns (and their order) this user wants in this list.
#[server(endpoint = "views/set_columns", input = Json, output = JsonAnswer)]
pub async fn set_columns(list: String, columns: Vec<String>) -> Result<(), AppError> {
    crate::api::write(async |user, conn| {
        let schema = open(&list)?;
        let state = ViewState {
            columns: Some(columns),
            ..ViewState::default()
        };
        let checked = query::visible_columns(schema, &state, None)?;
        let keys: Vec<String> = checked.iter().map(|f| f.key.to_string()).collect();
        db::set_columns(conn, user.id, schema.key, &keys).await
    })
    .await
}
