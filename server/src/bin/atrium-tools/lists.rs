//! `bench-lists`: views of the contacts list (search, filters, sorts, the next page, grouping)
//! through the real router against the same statements run alone, over generated companies
//! and people; then the memory an export of every person takes while it streams out.

use crate::setup::{
    alternate, print_comparisons, run_statements, successful, BenchDatabase, Comparison,
    ProcessMemory, Session,
};
use app::registry::list_schema;
use app::views::filter::Context;
use app::views::{query, ViewState};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::Instant;

/// One list request: a view of the contacts list, optionally resuming after the first page.
struct Case {
    label: &'static str,
    query: &'static str,
    second_page: bool,
}

const CASES: &[Case] = &[
    Case {
        label: "contacts_search_filter_sort",
        query: "q=bakker&f=country:is:NL&s=city",
        second_page: false,
    },
    // "Load more" names the first page's columns, as the list view does.
    Case {
        label: "contacts_filter_sort_next_page",
        query: "f=tags:has:VIP&s=-created&c=name,company,emails,phones,city,owner",
        second_page: true,
    },
    Case {
        label: "contacts_predefined_sort",
        query: "p=people&s=name",
        second_page: false,
    },
    Case {
        label: "contacts_group_by_two_levels",
        query: "p=companies&g=country&g=owner",
        second_page: false,
    },
];

pub async fn bench(companies: usize, people: usize, repetitions: usize) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let started = Instant::now();
    database.generate_contacts(companies, people).await?;
    println!(
        "data: {companies} companies, {people} people, generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let session = database.serve_signed_in().await?;
    let mut results = Vec::new();
    for case in CASES {
        results.push(measure(&session, &database.pool, case, repetitions).await?);
    }
    print_comparisons(&results);

    // Export of every person: memory must stay flat while the rows stream out.
    let memory = ProcessMemory::this();
    for format in ["csv", "xlsx"] {
        memory.reset_peak();
        let before = memory.peak_mb();
        let started = Instant::now();
        let mut response = session
            .get(&format!("/export/contacts.{format}?p=people"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let mut bytes = 0usize;
        while let Some(chunk) = response.chunk().await.map_err(|e| e.to_string())? {
            bytes += chunk.len();
        }
        println!(
            "EXPORT people.{format}: {:.1} MB in {:.1} s, peak memory growth {:.1} MB (resident peak {:.1} MB)",
            bytes as f64 / 1e6,
            started.elapsed().as_secs_f64(),
            memory.peak_mb() - before,
            memory.peak_mb()
        );
    }
    database.remove().await;
    Ok(())
}

/// The `views/page` call of `case` against the statements it runs (the page and its count,
/// or the groups), measured alternately.
async fn measure(
    session: &Session,
    pool: &PgPool,
    case: &Case,
    repetitions: usize,
) -> Result<Comparison, String> {
    let schema = list_schema("contacts").ok_or("no contacts list")?;
    let state = ViewState::from_query(case.query);
    let context = Context {
        me: session.user.id,
        today: app::state::today(),
        sees_all: true,
    };
    let call = |after: Value| {
        let body = json!({ "list": "contacts", "query": case.query, "path": [], "after": after });
        async move {
            let response = successful(session.api("views/page").json(&body), case.label).await?;
            response.json::<Value>().await.map_err(|e| e.to_string())
        }
    };
    // The cursor of the second page, when the case resumes there.
    let after = if case.second_page {
        call(Value::Null).await?["next"].clone()
    } else {
        Value::Null
    };
    let cursor: Option<app::views::Cursor> =
        serde_json::from_value(after.clone()).map_err(|e| e.to_string())?;
    let columns = query::visible_columns(schema, &state, None).map_err(|e| e.to_string())?;
    let statements = if state.group_by.is_empty() {
        let mut statements = vec![query::page(
            schema,
            &state,
            context,
            &columns,
            &[],
            cursor.as_ref(),
            app::views::PAGE_SIZE,
        )
        .map_err(|e| e.to_string())?];
        if cursor.is_none() {
            statements.push(
                query::count(schema, &state, context, &[], false).map_err(|e| e.to_string())?,
            );
        }
        statements
    } else {
        vec![
            query::groups(schema, &state, context, &[], app::views::GROUP_LIMIT)
                .map_err(|e| e.to_string())?,
        ]
    };
    let bare = || run_statements(pool, &statements);
    alternate(
        case.label,
        || async { call(after.clone()).await.map(|_| ()) },
        bare,
        repetitions,
    )
    .await
}
