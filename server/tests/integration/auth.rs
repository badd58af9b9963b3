//! Signing in and out over HTTP, as a browser would, against the real router and database.

use super::common;

use app::users::account::api::{ChangePassword, SignIn, SignOut};
use common::{new_client, TestApp, PASSWORD};
use serde_json::Value;

/// Signing in with `password`, as the sign-in form sends it.
fn sign_in(email: &str, password: &str) -> SignIn {
    SignIn {
        email: email.to_string(),
        password: password.to_string(),
        next: None,
    }
}

fn change_password(current: &str, new: &str) -> ChangePassword {
    ChangePassword {
        current: current.to_string(),
        new: new.to_string(),
        confirm: new.to_string(),
    }
}

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(ready.headers().contains_key("x-request-id"));
}

#[tokio::test]
async fn signing_in_sets_a_protected_session_cookie() {
    let app = TestApp::spawn().await;
    let response = app.sign_in_as(&app.client, "demo@atrium.example").await;
    assert_eq!(response.status(), 200);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("atrium_session="))
        .expect("a session cookie");
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert_eq!(
        app.current_email(&app.client).await.as_deref(),
        Some("demo@atrium.example")
    );
    // Only the hash of the token is stored.
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .trim_start_matches("atrium_session=");
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions WHERE token_hash = $1")
        .bind(token.as_bytes())
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

#[tokio::test]
async fn e_mail_case_does_not_matter_but_the_password_does() {
    let app = TestApp::spawn().await;
    let response = app.sign_in_as(&app.client, "  Demo@Atrium.EXAMPLE ").await;
    assert_eq!(response.status(), 200);
    let other = app.visitor();
    let wrong = other
        .call(sign_in("demo@atrium.example", "Atrium-demo"))
        .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.body, Value::String("BadCredentials".into()));
    assert_eq!(app.current_email(&other).await, None);
}

#[tokio::test]
async fn signing_in_again_rotates_the_session() {
    let app = TestApp::spawn().await;
    let first = app.sign_in_as(&app.client, "demo@atrium.example").await;
    let old_cookie = first
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    app.sign_in_as(&app.client, "demo@atrium.example").await;
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        sessions, 1,
        "the pre-sign-in session was replaced, not kept"
    );
    // The old token no longer works.
    let replay = reqwest::Client::new()
        .post(app.url("/api/auth/current_user"))
        .header("Cookie", old_cookie.split(';').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(replay.json::<Value>().await.unwrap(), Value::Null);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let browser = app.visitor();
    let response = app.sign_in_as(&browser, "demo@atrium.example").await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap();
    let token_pair = cookie.split(';').next().unwrap().to_string();
    let out = browser.call(SignOut {}).await;
    assert_eq!(out.status, 200);
    let replay = reqwest::Client::new()
        .post(app.url("/api/auth/current_user"))
        .header("Cookie", token_pair)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.json::<Value>().await.unwrap(), Value::Null);
}

#[tokio::test]
async fn failures_are_throttled_then_forgotten_after_the_window() {
    let app = TestApp::spawn().await;
    let client = app.visitor();
    for attempt in 0..5 {
        let password = format!("wrong-{attempt}");
        let response = client.call(sign_in("tom@atrium.example", &password)).await;
        assert_eq!(response.status, 401, "attempt {attempt}");
    }
    let locked = app.sign_in_as(&client, "tom@atrium.example").await;
    assert_eq!(locked.status(), 429);
    let body: Value = locked.json().await.unwrap();
    assert_eq!(body["Throttled"]["minutes"], 15);
    // Other accounts from elsewhere are not affected.
    assert_eq!(
        app.sign_in_as(&new_client(), "anna@atrium.example")
            .await
            .status(),
        200
    );
    // The window passes.
    sqlx::query("UPDATE sign_in_failures SET failed_at = failed_at - interval '16 minutes'")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        app.sign_in_as(&client, "tom@atrium.example").await.status(),
        200
    );
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/api/auth/sign_in"))
        .header("Origin", "https://evil.example")
        .form(&[("email", "demo@atrium.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let fetch_site = app
        .client
        .post(app.url("/api/auth/sign_in"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("email", "demo@atrium.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(fetch_site.status(), 403);
    let same_origin = app
        .client
        .post(app.url("/api/auth/sign_in"))
        .header("Origin", app.address.clone())
        .header("Accept", "application/json")
        .form(&[("email", "demo@atrium.example"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 200);
}

#[tokio::test]
async fn changing_the_password_checks_the_old_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let laptop = app.sign_in("anna@atrium.example").await;
    let phone = app.sign_in("anna@atrium.example").await;
    let wrong = laptop
        .call(change_password("nope", "a-much-better-secret"))
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.problem(), "password_wrong");
    // Written in Anna's language: the browser shows it as it comes.
    assert_eq!(wrong.message(), "Je huidige wachtwoord klopt niet.");
    let short = laptop.call(change_password(PASSWORD, "short")).await;
    assert_eq!(short.problem(), "password_too_short");
    let done = laptop
        .call(change_password(PASSWORD, "a-much-better-secret"))
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(
        app.current_email(&laptop).await.as_deref(),
        Some("anna@atrium.example")
    );
    assert_eq!(app.current_email(&phone).await, None);
    let old = app.sign_in_as(&new_client(), "anna@atrium.example").await;
    assert_eq!(old.status(), 401);
}
