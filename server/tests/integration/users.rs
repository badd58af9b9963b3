//! User administration over HTTP: roles are enforced, versions are checked, deactivation
//! ends sessions at once.

use super::common;

use common::{new_client, TestApp};
use serde_json::Value;

async fn user_row(app: &TestApp, admin: &reqwest::Client, email: &str) -> Value {
    let list: Value = app
        .call(admin, "users/list", &[])
        .await
        .json()
        .await
        .unwrap();
    list.as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .cloned()
        .expect("user listed")
}

/// Sends the role and status of `row` (as listed) back with changes, at the row's version.
async fn update_user(
    app: &TestApp,
    admin: &reqwest::Client,
    row: &Value,
    role: &str,
    active: bool,
) -> reqwest::Response {
    let id = row["id"].as_str().unwrap().to_string();
    let version = row["version"].to_string();
    let active = active.to_string();
    app.call(
        admin,
        "users/update",
        &[
            ("id", &id),
            ("version", &version),
            ("role", role),
            ("active", &active),
        ],
    )
    .await
}

#[tokio::test]
async fn only_admins_manage_users() {
    let app = TestApp::spawn().await;
    let employee = new_client();
    app.sign_in_as(&employee, "giulia@atrium.example").await;
    assert_eq!(app.call(&employee, "users/list", &[]).await.status(), 403);
    let anonymous = new_client();
    assert_eq!(app.call(&anonymous, "users/list", &[]).await.status(), 401);
    let admin = new_client();
    app.sign_in_as(&admin, "demo@atrium.example").await;
    let list = app.call(&admin, "users/list", &[]).await;
    assert_eq!(list.status(), 200);
    assert_eq!(
        list.json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        6
    );
}

#[tokio::test]
async fn creating_a_user_parses_every_field() {
    let app = TestApp::spawn().await;
    let admin = new_client();
    app.sign_in_as(&admin, "demo@atrium.example").await;
    let form = |email: &'static str, password: &'static str| {
        vec![
            ("user[email]", email),
            ("user[display_name]", "Eva Janssens"),
            ("user[role]", "sales"),
            ("user[language]", "nl"),
            ("user[password]", password),
        ]
    };
    let bad_email = app
        .call(&admin, "users/create", &form("eva@", "long-enough-pw"))
        .await;
    assert_eq!(bad_email.status(), 422);
    assert_eq!(
        bad_email.json::<Value>().await.unwrap()["Invalid"]["field"],
        "email"
    );
    let taken = app
        .call(
            &admin,
            "users/create",
            &form("ANNA@atrium.example", "long-enough-pw"),
        )
        .await;
    assert_eq!(
        taken.json::<Value>().await.unwrap()["Invalid"]["problem"],
        "email_taken"
    );
    let created = app
        .call(
            &admin,
            "users/create",
            &form("eva@Bouw.NL", "long-enough-pw"),
        )
        .await;
    assert_eq!(created.status(), 200);
    let row: Value = created.json().await.unwrap();
    assert_eq!(row["email"], "eva@bouw.nl");
    assert_eq!(row["role"], "sales");
    let eva = new_client();
    let signed_in = app
        .call(
            &eva,
            "auth/sign_in",
            &[("email", "eva@bouw.nl"), ("password", "long-enough-pw")],
        )
        .await;
    assert_eq!(signed_in.status(), 200);
}

#[tokio::test]
async fn deactivating_a_user_ends_their_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = new_client();
    let lucia = new_client();
    app.sign_in_as(&admin, "demo@atrium.example").await;
    app.sign_in_as(&lucia, "lucia@atrium.example").await;
    assert!(app.current_email(&lucia).await.is_some());
    let row = user_row(&app, &admin, "lucia@atrium.example").await;
    let done = update_user(&app, &admin, &row, "sales", false).await;
    assert_eq!(done.status(), 200);
    assert_eq!(app.current_email(&lucia).await, None);
    let page = lucia.get(app.url("/")).send().await.unwrap();
    assert_eq!(page.status(), 303);
    assert_eq!(page.headers()["location"], "/sign-in");
    assert_eq!(
        app.sign_in_as(&new_client(), "lucia@atrium.example")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_stale_version_is_a_conflict_not_an_overwrite() {
    let app = TestApp::spawn().await;
    let admin = new_client();
    app.sign_in_as(&admin, "demo@atrium.example").await;
    let row = user_row(&app, &admin, "tom@atrium.example").await;
    let first = update_user(&app, &admin, &row, "manager", true).await;
    assert_eq!(first.status(), 200);
    let stale = update_user(&app, &admin, &row, "sales", true).await;
    assert_eq!(stale.status(), 409);
    assert_eq!(
        user_row(&app, &admin, "tom@atrium.example").await["role"],
        "manager"
    );
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = new_client();
    app.sign_in_as(&admin, "demo@atrium.example").await;
    let me = user_row(&app, &admin, "demo@atrium.example").await;
    let response = update_user(&app, &admin, &me, "employee", true).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["Invalid"]["problem"],
        "not_yourself"
    );
}
