//! What every page knows of the signed-in user from its first render: who they are, their
//! clock (the user's day and hour) and whether they administer users. The server takes both from the
//! session and hands them to the browser with the page, so the server's render and the
//! browser's agree without waiting for anything: a page that says "today" renders the
//! user's day on both sides, and the navigation shows the same links before and after
//! hydration.

use crate::auth::CurrentUser;
use crate::domain::Clock;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user, loaded once per page load and shared by every page.
pub type UserResource = Resource<Result<Option<CurrentUser>, AppError>>;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
struct SessionFacts {
    me: Option<uuid::Uuid>,
    clock: Clock,
    manages_users: bool,
    role: Option<crate::domain::Role>,
}

/// Provides the session's facts to every page; called once, by the app.
pub fn provide_session_facts() {
    provide_context(SharedValue::new(session_facts).into_inner());
}

/// The signed-in user's id (`None` for visitors).
pub fn use_me() -> Option<uuid::Uuid> {
    use_context::<SessionFacts>().unwrap_or_default().me
}

/// The signed-in user's clock (UTC for visitors).
pub fn use_clock() -> Clock {
    use_context::<SessionFacts>().unwrap_or_default().clock
}

/// Whether the signed-in user's role may do the company-wide `op` (the server checks again).
pub fn use_may(op: crate::domain::policy::CompanyOp) -> bool {
    use_context::<SessionFacts>()
        .unwrap_or_default()
        .role
        .is_some_and(|role| crate::domain::policy::role_allows(role, op))
}

/// The signed-in user administers users (the policy table's `ManageUsers`).
pub fn use_manages_users() -> bool {
    use_context::<SessionFacts>()
        .unwrap_or_default()
        .manages_users
}

#[cfg(feature = "ssr")]
fn session_facts() -> SessionFacts {
    let user = use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<crate::auth::session::Authenticated>()
            .and_then(|signed_in| signed_in.0.clone())
    });
    user.map(|user| SessionFacts {
        me: Some(user.id),
        clock: user.clock(),
        manages_users: user.role.can_manage_users(),
        role: Some(user.role),
    })
    .unwrap_or_default()
}

/// Only reached when the browser renders without the server's page (never on hydration):
/// the browser's own offset, which the shell keeps equal to the user's time zone.
#[cfg(not(feature = "ssr"))]
fn session_facts() -> SessionFacts {
    SessionFacts {
        me: None,
        clock: Clock::new(-(js_sys::Date::new_0().get_timezone_offset() as i32)),
        manages_users: false,
        role: None,
    }
}
