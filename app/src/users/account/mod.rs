//! The signed-in person's own doors: signing in and out, the account page (language,
//! password) and the time zone the browser reports.

pub mod api;
pub mod ui;
