//! User administration over HTTP: roles are enforced, versions are checked, deactivation
//! ends sessions at once.

use super::common;

use app::domain::Role;
use app::users::account::api::{SignIn, SignedInUser};
use app::users::api::{CreateUser, ListUsers, UpdateUser};
use app::users::{NewUser, UserRow};
use common::{Reply, Session, TestApp};

async fn user_row(admin: &Session, email: &str) -> UserRow {
    let list = admin.call(ListUsers {}).await.ok();
    list.into_iter()
        .find(|u| u.email == email)
        .expect("user listed")
}

/// Sends the role and status of `row` (as listed) back with changes, at the row's version.
async fn update_user(admin: &Session, row: &UserRow, role: Role, active: bool) -> Reply<UserRow> {
    admin
        .call(UpdateUser {
            id: row.id,
            version: row.version,
            role,
            active,
        })
        .await
}

#[tokio::test]
async fn only_admins_manage_users() {
    let app = TestApp::spawn().await;
    let employee = app.sign_in("giulia@atrium.example").await;
    assert_eq!(employee.call(ListUsers {}).await.status, 403);
    let anonymous = app.visitor();
    assert_eq!(anonymous.call(ListUsers {}).await.status, 401);
    let admin = app.sign_in("demo@atrium.example").await;
    let list = admin.call(ListUsers {}).await;
    assert_eq!(list.status, 200);
    assert_eq!(list.ok().len(), 6);
}

#[tokio::test]
async fn creating_a_user_parses_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let form = |email: &str, password: &str| CreateUser {
        user: NewUser {
            email: email.to_string(),
            display_name: "Eva Janssens".to_string(),
            role: "sales".to_string(),
            language: "nl".to_string(),
            password: password.to_string(),
        },
    };
    let bad_email = admin.call(form("eva@", "long-enough-pw")).await;
    assert_eq!(bad_email.status, 422);
    assert_eq!(bad_email.field(), "email");
    let taken = admin
        .call(form("ANNA@atrium.example", "long-enough-pw"))
        .await;
    assert_eq!(taken.problem(), "email_taken");
    let created = admin.call(form("eva@Bouw.NL", "long-enough-pw")).await;
    assert_eq!(created.status, 200);
    let row = created.ok();
    assert_eq!(row.email, "eva@bouw.nl");
    assert_eq!(row.role, Role::Sales);
    let signed_in = app
        .visitor()
        .call(SignIn {
            email: "eva@bouw.nl".to_string(),
            password: "long-enough-pw".to_string(),
            next: None,
        })
        .await;
    assert_eq!(signed_in.status, 200);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let lucia = app.sign_in("lucia@atrium.example").await;
    assert!(app.current_email(&lucia).await.is_some());
    let row = user_row(&admin, "lucia@atrium.example").await;
    let done = update_user(&admin, &row, Role::Sales, false).await;
    assert_eq!(done.status, 200);
    assert_eq!(app.current_email(&lucia).await, None);
    let page = lucia.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/sign-in");
    assert_eq!(
        app.sign_in_as(&common::new_client(), "lucia@atrium.example")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_not_an_overwrite() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let row = user_row(&admin, "tom@atrium.example").await;
    let first = update_user(&admin, &row, Role::Manager, true).await;
    assert_eq!(first.status, 200);
    let stale = update_user(&admin, &row, Role::Sales, true).await;
    assert_eq!(stale.status, 409);
    assert_eq!(
        user_row(&admin, "tom@atrium.example").await.role,
        Role::Manager
    );
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let me = user_row(&admin, "demo@atrium.example").await;
    let response = update_user(&admin, &me, Role::Employee, true).await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "not_yourself");
}

/// Times the database looked up a session (pg_stat_statements).
async fn session_lookups(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query LIKE '%FROM sessions s JOIN users u%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn with_the_session_cache_a_request_skips_the_lookup_and_deactivation_still_ends_sessions() {
    let mut cache = None;
    let app = TestApp::spawn_with(|state| {
        state.sessions.spawn_listener(state.pool.clone());
        cache = Some(state.sessions.clone());
    })
    .await;
    let cache = cache.unwrap();
    for _ in 0..200 {
        if cache.is_listening() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        cache.is_listening(),
        "the session cache never heard Postgres"
    );
    app.track_statements().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let lucia = app.sign_in("lucia@atrium.example").await;
    assert!(app.current_email(&lucia).await.is_some());
    let lookups = session_lookups(&app).await;
    assert!(app.current_email(&lucia).await.is_some());
    assert!(app.current_email(&lucia).await.is_some());
    assert_eq!(
        session_lookups(&app).await,
        lookups,
        "a known session was looked up again"
    );

    // A new role reaches the cached session at once (the trigger on users alone: no
    // session ends).
    let row = user_row(&admin, "lucia@atrium.example").await;
    assert_eq!(
        update_user(&admin, &row, Role::Employee, true).await.status,
        200
    );
    let role = lucia.call(SignedInUser {}).await.body["role"].clone();
    assert_eq!(role, "employee");

    let row = user_row(&admin, "lucia@atrium.example").await;
    assert_eq!(
        update_user(&admin, &row, Role::Sales, false).await.status,
        200
    );
    // The change reaches every process's cache through Postgres when the deactivation
    // commits (and this process's at once); this waits for that, never for an entry to
    // expire (30 s).
    let mut refused = false;
    for _ in 0..50 {
        if app.current_email(&lucia).await.is_none() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "a deactivated user kept a cached session");
    let page = lucia.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 303);
}
