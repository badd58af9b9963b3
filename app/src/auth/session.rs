//! Session tokens and cookies. The browser holds a random token; the database holds its
//! SHA-256, so the sessions table alone lets nobody in.

use super::CurrentUser;
use crate::error::AppError;
use base64::Engine;
use cookie::time::Duration;
use cookie::{Cookie, SameSite};
use http::request::Parts;
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};

pub const COOKIE: &str = "atrium_session";
/// Sliding lifetime: a session unused this long ends.
pub const LIFETIME_DAYS: i64 = 30;

/// What the authentication middleware found for this request, kept in its extensions.
#[derive(Clone, Debug)]
pub struct Authenticated(pub Option<CurrentUser>);

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The session token from the request's cookies.
pub fn token_from(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// A cookie's value from the request's `Cookie` headers; an empty one counts as none.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|cookie| cookie.name() == name)
        .map(|cookie| cookie.value().to_string())
        .filter(|value| !value.is_empty())
}

/// The session cookie: script cannot read it, other sites' requests do not carry it.
fn session_cookie(token: &str, max_age: Duration, secure: bool) -> String {
    Cookie::build((COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(max_age)
        .build()
        .to_string()
}

pub fn set_cookie(token: &str, secure: bool) -> String {
    session_cookie(token, Duration::days(LIFETIME_DAYS), secure)
}

pub fn clear_cookie(secure: bool) -> String {
    session_cookie("", Duration::ZERO, secure)
}

/// The request being handled (page render or server function).
pub fn request_parts() -> Result<Parts, AppError> {
    leptos::prelude::use_context::<Parts>().ok_or_else(|| {
        tracing::error!("request parts missing from the context");
        AppError::Internal
    })
}

/// The signed-in user, or `Unauthorized`.
pub fn require_user() -> Result<CurrentUser, AppError> {
    optional_user()?.ok_or(AppError::Unauthorized)
}

/// The signed-in user, when the policy table lets their role do `op`; `Forbidden` otherwise.
pub fn require(op: crate::domain::policy::CompanyOp) -> Result<CurrentUser, AppError> {
    let user = require_user()?;
    if crate::domain::policy::role_allows(user.role, op) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn optional_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(request_parts()?
        .extensions
        .get::<Authenticated>()
        .and_then(|a| a.0.clone()))
}

/// True for a browser's plain form submission (no JavaScript): it wants a page back, so
/// outcomes travel as a redirect.
pub fn is_plain_form_post(parts: &Parts) -> bool {
    parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"))
}

pub fn append_set_cookie(value: &str) {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(value) = http::HeaderValue::from_str(value) {
            response.append_header(http::header::SET_COOKIE, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_session_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "theme=dark; atrium_session=abc123; i18n_pref_locale=nl"
                .parse()
                .unwrap(),
        );
        assert_eq!(token_from(&headers).as_deref(), Some("abc123"));
        assert_eq!(
            cookie_value(&headers, "i18n_pref_locale").as_deref(),
            Some("nl")
        );
    }

    #[test]
    fn tokens_are_unique_and_hashes_fixed_length() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 32);
        let set = Cookie::parse(set_cookie(&a, true)).unwrap();
        assert_eq!((set.name(), set.value()), (COOKIE, a.as_str()));
        assert_eq!(set.http_only(), Some(true));
        assert_eq!(set.same_site(), Some(SameSite::Lax));
        assert_eq!(set.secure(), Some(true));
        assert_eq!(set.path(), Some("/"));
        assert_eq!(set.max_age(), Some(Duration::days(LIFETIME_DAYS)));
        assert!(!set_cookie(&a, false).contains("Secure"));
        let cleared = Cookie::parse(clear_cookie(false)).unwrap();
        assert_eq!(
            (cleared.value(), cleared.max_age()),
            ("", Some(Duration::ZERO))
        );
    }
}
