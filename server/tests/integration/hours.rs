//! The Hours list: who sees which time entries, its pivot against the entries themselves,
//! and a row that opens the task it is booked on, for those who may see it.

use super::common;

use app::tasks::api::TimeEntryTask;
use app::views::api::{FetchListPage, FetchPivot};
use app::views::{Count, ListPage};
use common::{Session, TestApp};
use rust_decimal::Decimal;
use uuid::Uuid;

async fn hours_page(session: &Session, query: &str) -> ListPage {
    session
        .call(FetchListPage {
            list: "hours".to_string(),
            query: query.to_string(),
            path: vec![],
            after: None,
        })
        .await
        .ok()
}

fn exact(page: &ListPage) -> i64 {
    match page.count {
        Some(Count::Exact(count)) => count,
        ref other => panic!("an exact count, not {other:?}"),
    }
}

#[tokio::test]
async fn each_person_sees_their_own_hours_and_those_of_their_projects() {
    let app = TestApp::spawn().await;
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM time_entries")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(all > 0, "the demo company has booked hours");
    let admin = app.sign_in("demo@atrium.example").await;
    assert_eq!(exact(&hours_page(&admin, "d=0").await), all);

    let tom = app.user_id("tom@atrium.example").await;
    let visible: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM time_entries t
         WHERE t.user_id = $1 OR EXISTS (SELECT 1 FROM project_members pm
                                         WHERE pm.project_id = t.project_id AND pm.user_id = $1)",
    )
    .bind(tom)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let session = app.sign_in("tom@atrium.example").await;
    assert_eq!(exact(&hours_page(&session, "d=0").await), visible);
    let own: i64 = sqlx::query_scalar("SELECT count(*) FROM time_entries WHERE user_id = $1")
        .bind(tom)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(exact(&hours_page(&session, "p=mine").await), own);

    // A row opens its task; an entry on a task Tom may not see is refused, and unknown ids
    // are not found.
    let (entry, task): (Uuid, Uuid) =
        sqlx::query_as("SELECT id, task_id FROM time_entries ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(admin.call(TimeEntryTask { id: entry }).await.ok(), task);
    let hidden: Option<Uuid> = sqlx::query_scalar(
        "SELECT t.id FROM time_entries t JOIN tasks tk ON tk.id = t.task_id
         WHERE t.user_id IS DISTINCT FROM $1 AND tk.assignee_id IS DISTINCT FROM $1
           AND tk.creator_id IS DISTINCT FROM $1
           AND NOT EXISTS (SELECT 1 FROM project_members pm
                           WHERE pm.project_id = t.project_id AND pm.user_id = $1)
           AND NOT EXISTS (SELECT 1 FROM task_participants tp
                           WHERE tp.task_id = tk.id AND tp.user_id = $1)
         LIMIT 1",
    )
    .bind(tom)
    .fetch_optional(&app.pool)
    .await
    .unwrap();
    if let Some(hidden) = hidden {
        let refused = session.call(TimeEntryTask { id: hidden }).await.status;
        assert!(matches!(refused, 403 | 404), "got {refused}");
    }
    let unknown = admin
        .call(TimeEntryTask { id: Uuid::now_v7() })
        .await
        .status;
    assert_eq!(unknown, 404);
}

#[tokio::test]
async fn the_hours_pivot_by_project_equals_the_entries_summed() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let answer = admin
        .call(FetchPivot {
            list: "hours".to_string(),
            query: "d=0&pr=project&pm=count&pm=hours".to_string(),
        })
        .await
        .ok();
    let total: Decimal = sqlx::query_scalar("SELECT sum(hours) FROM time_entries")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let overall = answer
        .cells
        .iter()
        .find(|cell| cell.rows.is_empty() && cell.columns.is_empty())
        .expect("a grand total");
    assert_eq!(overall.values[1], total);
    let per_project: Vec<(Uuid, Decimal)> = sqlx::query_as(
        "SELECT project_id, sum(hours) FROM time_entries WHERE project_id IS NOT NULL
         GROUP BY project_id",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    for (project, hours) in per_project {
        let key = project.to_string();
        let cell = answer
            .cells
            .iter()
            .find(|cell| {
                cell.columns.is_empty()
                    && cell.rows.first().and_then(|k| k.as_deref()) == Some(key.as_str())
            })
            .unwrap_or_else(|| panic!("a row for project {key}"));
        assert_eq!(cell.values[1], hours, "project {key}");
    }
}
