//! The HTTP surface: pages and server functions (Leptos), health probes, static files, and
//! the middleware every request passes: request id, tracing, security headers, cross-origin
//! refusal, pacing of each session, authentication.

use crate::pwa;
use app::auth::pace::Turn;
use app::auth::session::{self, Authenticated};
use app::auth::CurrentUser;
use app::domain::policy::Gate;
use app::error::AppError;
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::serve::{ListenerExt, TapIo};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tokio::net::{TcpListener, TcpStream};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

/// The listener with Nagle's algorithm off on every connection: a small answer leaves at
/// once instead of waiting for the client to acknowledge the bytes before it.
pub fn without_delay(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    fn no_delay(stream: &mut TcpStream) {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY not set");
        }
    }
    listener.tap_io(no_delay as fn(&mut TcpStream))
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            set_page_security_policy();
        }
    };
    let options = state.leptos_options.clone();
    // The bundle's files, each sent as the precompressed variant the browser accepts when
    // the build wrote one (`.br`, `.gz`); compressed on the fly otherwise.
    let pkg_dir =
        std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let pkg = format!("/{}", options.site_pkg_dir);
    Router::new()
        .nest_service(
            &pkg,
            ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip(),
        )
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .route("/sw.js", get(pwa::service_worker))
        .route("/export/{file}", get(app::views::export::export))
        .route(
            "/files/documents/{id}",
            get(app::projects::documents::download),
        )
        .route("/files/outbox/{id}", get(app::outbox::db::download))
        .route("/files/quotes/{id}", get(app::quotes::document::download))
        .route(
            "/files/invoices/{id}",
            get(app::invoices::document::download),
        )
        .route(
            "/export/import-errors/{file}",
            get(app::contacts::import::report::error_report),
        )
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(crate::pages::finish_abandoned_pages))
        .layer(middleware::from_fn(limit_bodies))
        .layer(middleware::from_fn(apply_policy))
        .layer(middleware::from_fn_with_state(state.clone(), authenticate))
        .layer(middleware::from_fn_with_state(state.clone(), pace_sessions))
        .layer(middleware::from_fn(reject_cross_origin))
        .layer(middleware::from_fn(security_headers))
        // Pages and answers shrink to a fraction; a precompressed file passes as it is.
        .layer(CompressionLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let id = request
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default();
                // The path only: query strings may carry e-mail addresses.
                tracing::info_span!("request", id, method = %request.method(), path = request.uri().path())
            }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}

/// The app's routes, found by rendering it once. That render spawns effect tasks; they run
/// on a runtime of their own that is dropped with them unpolled, instead of waking on the
/// server's runtime after the render they belong to is gone.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .build()
                    .expect("a runtime for the route list");
                let _entered = runtime.enter();
                generate_route_list(App)
            })
            .join()
            .expect("the route list")
    })
}

async fn ready(State(state): State<AppState>) -> Response {
    if crate::database::is_ready(&state.pool).await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database not ready").into_response()
    }
}

/// Pages get a Content-Security-Policy whose script nonce matches the one Leptos puts on
/// its hydration and data scripts: no inline script runs without it.
fn set_page_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Pages and server functions need to know who is asking; static files do not.
fn needs_session(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/export/") || is_page(path)
}

pub(crate) fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !path.starts_with("/pkg/")
        && !path.starts_with("/icons/")
        && !path.starts_with("/api/")
        && !matches!(path, "/health" | "/ready")
        && !last.contains('.')
}

/// Gives each session's requests their turn before anything else is done for them (the
/// session is not even looked up yet): a session sending faster than its pace waits, and
/// past the longest wait gets 429 with `Retry-After`. Requests without a session cookie
/// reach only sign-in, which has a throttle of its own, or are refused by the policy.
async fn pace_sessions(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !needs_session(request.uri().path()) {
        return next.run(request).await;
    }
    let Some(token) = session::token_from(request.headers()) else {
        return next.run(request).await;
    };
    let key = session::token_hash(&token);
    match state.pace.turn(&key, std::time::Instant::now()) {
        Turn::Now => {}
        Turn::After(wait) => tokio::time::sleep(wait).await,
        Turn::Refused { retry_after } => {
            let mut refused = AppError::TooManyRequests.into_response();
            let seconds = retry_after.as_secs() + 1;
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                refused.headers_mut().insert(header::RETRY_AFTER, value);
            }
            return refused;
        }
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE {
        // Only a script sends bodies over the limit: each costs it ten turns.
        state.pace.charge(&key, 10.0, std::time::Instant::now());
    }
    response
}

/// Finds the session, applies the user's stored language, and sends visitors without a
/// session to the sign-in page.
async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !needs_session(&path) {
        return next.run(request).await;
    }
    // A database that cannot answer is not "signed out": the user is told to try again
    // (503) and keeps their session.
    let user = match session::token_from(request.headers()) {
        Some(token) => match session_user(&state, session::token_hash(&token)).await {
            Ok(user) => user,
            Err(error) => return error.into_response(),
        },
        None => None,
    };
    if let Some(user) = &user {
        // The stored language wins over whatever this browser chose last.
        override_language_cookie(&mut request, user.language.code());
    }
    if request.method() == Method::GET && is_page(&path) {
        match (&user, path.as_str()) {
            (None, "/sign-in") => {}
            (None, _) => {
                let next = request
                    .uri()
                    .path_and_query()
                    .map(|pq| pq.as_str().to_string())
                    .unwrap_or_else(|| "/".into());
                let target = if next == "/" {
                    "/sign-in".to_string()
                } else {
                    format!("/sign-in?next={}", app::auth::encode_query_value(&next))
                };
                return Redirect::to(&target).into_response();
            }
            (Some(_), "/sign-in") => return Redirect::to("/").into_response(),
            _ => {}
        }
    }
    request.extensions_mut().insert(Authenticated(user));
    next.run(request).await
}

/// The user of a session, from the session cache when it knows it, else from the database
/// (and then remembered).
async fn session_user(state: &AppState, key: Vec<u8>) -> Result<Option<CurrentUser>, AppError> {
    let now = std::time::Instant::now();
    if let Some(user) = state.sessions.get(&key, now) {
        return Ok(Some(user));
    }
    let ticket = state.sessions.ticket();
    let mut conn = state.pool.acquire().await.map_err(|error| {
        tracing::error!(%error, "no database connection for the session lookup");
        AppError::Busy
    })?;
    let user = app::auth::db::session_user(&mut conn, &key)
        .await
        .map_err(|_| AppError::Busy)?;
    if let Some(user) = &user {
        state.sessions.put(key, user.clone(), ticket, now);
    }
    Ok(user)
}

fn override_language_cookie(request: &mut Request, code: &str) {
    let others: Vec<String> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .filter(|pair| !pair.is_empty() && !pair.starts_with("i18n_pref_locale="))
        .map(str::to_string)
        .collect();
    let mut cookies = others.join("; ");
    if !cookies.is_empty() {
        cookies.push_str("; ");
    }
    cookies.push_str(&format!("{}={code}", app::locale::LANGUAGE_COOKIE));
    if let Ok(value) = HeaderValue::from_str(&cookies) {
        request.headers_mut().remove(header::COOKIE);
        request.headers_mut().insert(header::COOKIE, value);
    }
}

/// The policy table's key of a server function or file route, if the path is one.
fn policy_key(path: &str) -> Option<&str> {
    if let Some(endpoint) = path.strip_prefix("/api/") {
        return Some(endpoint);
    }
    [
        "export/import-errors",
        "export",
        "files/documents",
        "files/outbox",
        "files/quotes",
    ]
    .into_iter()
    .find(|key| {
        path.strip_prefix('/')
            .and_then(|rest| rest.strip_prefix(key))
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// Asks the policy table before any server function or file route runs: an endpoint the
/// table does not list does not exist (404), a visitor must sign in (401), and a role the
/// table refuses the operation gets 403. What depends on the record (a project's
/// members, a task's assignee) the handler decides, from the same table.
async fn apply_policy(request: Request, next: Next) -> Response {
    let Some(key) = policy_key(request.uri().path()) else {
        return next.run(request).await;
    };
    let Some(operation) = app::domain::policy::operation_of(key) else {
        return AppError::NotFound.into_response();
    };
    let role = request
        .extensions()
        .get::<Authenticated>()
        .and_then(|user| user.0.as_ref())
        .map(|user| user.role);
    match app::domain::policy::gate(role, operation) {
        Gate::Open => next.run(request).await,
        Gate::SignIn => AppError::Unauthorized.into_response(),
        Gate::Refused => AppError::Forbidden.into_response(),
    }
}

/// The largest body of an ordinary request (a form or a server function's JSON).
const ORDINARY_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Bounds every request body before a handler reads it. Ordinary bodies are read here, up to
/// their limit; an upload must be multipart (415 otherwise, before the decoder could fail on
/// it) from a signed-in user, and its body is cut off at its endpoint's limit. A body
/// declared larger than its limit is refused with 413 without being read.
async fn limit_bodies(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let upload = app::upload::body_limit(request.uri().path());
    if upload.is_some() {
        if !app::upload::is_multipart(request.headers()) {
            return AppError::UnsupportedMediaType.into_response();
        }
        let signed_in = request
            .extensions()
            .get::<Authenticated>()
            .is_some_and(|user| user.0.is_some());
        if !signed_in {
            return AppError::Unauthorized.into_response();
        }
    }
    let limit = upload.unwrap_or(ORDINARY_BODY_BYTES);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        // The body is never read: closing the connection spares reading it to reuse it.
        let mut refused = AppError::TooLarge.into_response();
        refused
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return refused;
    }
    let (parts, body) = request.into_parts();
    let body = if upload.is_some() {
        Body::new(http_body_util::Limited::new(body, limit))
    } else {
        match axum::body::to_bytes(body, limit).await {
            Ok(bytes) => Body::from(bytes),
            Err(_) => return AppError::TooLarge.into_response(),
        }
    };
    next.run(Request::from_parts(parts, body)).await
}

/// State-changing requests must come from our own pages: browsers say where a request
/// comes from in `Sec-Fetch-Site`, older ones in `Origin`.
async fn reject_cross_origin(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let allowed = match fetch_site {
        Some(site) => matches!(site, "same-origin" | "none"),
        None => match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
            Some(origin) => {
                let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
                let origin_host = origin.split_once("://").map(|(_, rest)| rest);
                origin_host.is_some() && origin_host == host
            }
            // Not a browser (tests, scripts, curl): nothing to forge.
            None => true,
        },
    };
    if allowed {
        next.run(request).await
    } else {
        tracing::warn!("cross-origin request refused");
        AppError::CrossOrigin.into_response()
    }
}

async fn security_headers(request: Request, next: Next) -> Response {
    let is_hashed_asset = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
                 form-action 'self'; frame-ancestors 'none'",
            ),
        );
    }
    if is_hashed_asset && response.status().is_success() {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_apart_from_files() {
        assert!(is_page("/"));
        assert!(is_page("/settings/users"));
        assert!(!is_page("/pkg/atrium.abc.wasm"));
        assert!(!is_page("/manifest.webmanifest"));
        assert!(!is_page("/api/auth/sign_in"));
        assert!(needs_session("/api/auth/sign_in"));
        assert!(!needs_session("/health"));
    }

    #[test]
    fn server_functions_and_file_routes_have_policy_keys() {
        assert_eq!(policy_key("/api/contacts/merge"), Some("contacts/merge"));
        assert_eq!(policy_key("/export/contacts.csv"), Some("export"));
        assert_eq!(
            policy_key("/export/import-errors/x.csv"),
            Some("export/import-errors")
        );
        assert_eq!(policy_key("/files/quotes/1"), Some("files/quotes"));
        assert_eq!(policy_key("/files/quotesx/1"), None);
        assert_eq!(policy_key("/contacts"), None);
        assert_eq!(policy_key("/pkg/atrium.wasm"), None);
    }
}
