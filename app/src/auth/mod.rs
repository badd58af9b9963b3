//! Who is signed in: the signed-in user, sessions and their cookies, password hashing, and
//! each session's request pace. The pages and server functions of signing in live in
//! `users::account`.

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod pace;
#[cfg(feature = "ssr")]
pub mod password_hash;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
pub mod session_cache;

use crate::domain::{Language, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in user as every page and server function sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub language: Language,
    /// Minutes east of UTC in the user's time zone now: activities are due by the user's own
    /// calendar day.
    #[serde(default)]
    pub utc_offset: i32,
}

impl CurrentUser {
    /// The user's clock: their day and hour.
    pub fn clock(&self) -> crate::domain::Clock {
        crate::domain::Clock::new(self.utc_offset)
    }

    /// The user's calendar day now.
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock().today()
    }
}

/// Where to go after signing in: a path on this site, and nothing a browser could read as
/// another site. Browsers drop tabs and newlines inside a URL and read `\` as `/`, so
/// `/<TAB>/evil.example` would become `//evil.example`: any control character, space or
/// backslash refuses the whole value, as does a scheme or an authority (`//`).
pub fn safe_next(next: Option<&str>) -> String {
    const MAX_LENGTH: usize = 2000;
    let local = |path: &str| {
        path.len() <= MAX_LENGTH
            && path.starts_with('/')
            && !path.starts_with("//")
            && !path
                .chars()
                .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    };
    match next {
        Some(path) if local(path) => path.to_string(),
        _ => "/".to_string(),
    }
}

/// Percent-encodes a value for a URL query string (RFC 3986 unreserved characters and `/`
/// stay as they are).
pub fn encode_query_value(text: &str) -> String {
    use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
    const KEPT: &percent_encoding::AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(text, KEPT).to_string()
}

#[cfg(test)]
mod tests {
    use super::{encode_query_value, safe_next};

    #[test]
    fn encodes_query_values() {
        assert_eq!(encode_query_value("anna+x@a.nl"), "anna%2Bx%40a.nl");
        assert_eq!(encode_query_value("/settings?a=1"), "/settings%3Fa%3D1");
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/settings/account")), "/settings/account");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(
            safe_next(Some("/crm?show=list&q=a%20b")),
            "/crm?show=list&q=a%20b"
        );
        for refused in [
            "/\t/example.org",
            "/\n/example.org",
            "/\r/example.org",
            "\t//example.org",
            " //example.org",
            "/ /example.org",
            "/\u{0}/example.org",
            "javascript:alert(1)",
            "example.org",
            "",
        ] {
            assert_eq!(safe_next(Some(refused)), "/", "{refused:?}");
        }
    }
}
