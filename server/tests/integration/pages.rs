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

#[tokio::test]
async fn the_bundle_goes_out_precompressed_and_is_cached_for_good() {
    let site = std::env::temp_dir().join(format!("atrium-site-{}", uuid::Uuid::now_v7()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("atrium.abc.wasm"), vec![0u8; 4096]).unwrap();
    std::fs::write(pkg.join("atrium.abc.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(
        pkg.join("atrium.abc.css"),
        "body { margin: 0 }\n".repeat(200),
    )
    .unwrap();
    let root = site.to_string_lossy().into_owned();
    let app = TestApp::spawn_with(|state| state.leptos_options.site_root = root.into()).await;
    let get = |path: &str, accepts: &str| {
        let request = app.client.get(app.url(path));
        if accepts.is_empty() {
            request
        } else {
            request.header("accept-encoding", accepts)
        }
    };

    let wasm = get("/pkg/atrium.abc.wasm", "gzip, deflate, br")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(
        wasm.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"brotli bytes");
    // A browser that takes no brotli gets the file itself (there is no .gz of it).
    let plain = get("/pkg/atrium.abc.wasm", "").send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 4096);
    // Without a precompressed variant, the file is compressed on the way.
    let css = get("/pkg/atrium.abc.css", "gzip").send().await.unwrap();
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let missing = get("/pkg/atrium.old.wasm", "br").send().await.unwrap();
    assert_eq!(missing.status(), 404);
    std::fs::remove_dir_all(site).unwrap();
}
