//! The company's users: each person's account (signing in, language, password) and their
//! management (admins create them, set roles, deactivate who left).

pub mod account;
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
mod select;
pub mod ui;

pub use select::UserSelect;

use crate::domain::{Language, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub language: Language,
    pub active: bool,
    pub version: i32,
}

/// The "new user" form, field for field.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub language: String,
    pub password: String,
}
