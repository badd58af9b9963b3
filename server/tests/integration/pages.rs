//! Server-rendered pages: access control, language of the first render, security headers.

use super::common;

use common::TestApp;

#[tokio::test]
async fn pages_need_a_session() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/settings/users?x=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/sign-in?next=/settings/users%3Fx%3D1"
    );
}

#[tokio::test]
async fn the_sign_in_page_speaks_the_browser_language() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(app.url("/sign-in"))
        .header("Accept-Language", "nl-BE,nl;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    let html = response.text().await.unwrap();
    assert!(html.contains("Aanmelden bij Atrium"), "{html}");
    assert!(html.contains(r#"lang="nl""#));
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(html.contains(&format!(r#"nonce="{nonce}""#)));
    assert!(!policy.contains("unsafe-inline"));
}

#[tokio::test]
async fn a_signed_in_user_gets_pages_in_their_stored_language() {
    let app = TestApp::spawn().await;
    let client = app.sign_in("giulia@atrium.example").await;
    let html = client
        .get(app.url("/"))
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Benvenuto, Giulia Rossi"), "{html}");
    assert!(html.contains(r#"lang="it""#));
}

#[tokio::test]
async fn unknown_pages_are_404() {
    let app = TestApp::spawn().await;
    let client = app.sign_in("demo@atrium.example").await;
    let response = client.get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(response.status(), 404);
}
