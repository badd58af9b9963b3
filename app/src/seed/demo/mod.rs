//! Demo data, loaded on the first start of an empty database so that a new user signs in to
//! a company that is already in use. Each feature adds its own part here.

mod catalogue_tasks;
mod contacts;
mod crm;
mod favorites;
mod invoices;
mod project_mail;
mod projects;
mod sales;

use crate::auth::password_hash;
use crate::domain::{DisplayName, Email, Language, Role};
use crate::error::AppError;
use crate::users::db::{insert, ValidNewUser};
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

/// The account printed at start-up and shown in the README.
pub const DEMO_EMAIL: &str = "demo@atrium.example";
pub const DEMO_PASSWORD: &str = "atrium-demo";

const TEAM: [(&str, &str, Role, Language); 6] = [
    ("Sam Jansen", DEMO_EMAIL, Role::Admin, Language::En),
    (
        "Anna de Vries",
        "anna@atrium.example",
        Role::Manager,
        Language::Nl,
    ),
    (
        "Marc Dubois",
        "marc@atrium.example",
        Role::Sales,
        Language::Fr,
    ),
    (
        "Lucía García",
        "lucia@atrium.example",
        Role::Sales,
        Language::Es,
    ),
    (
        "Giulia Rossi",
        "giulia@atrium.example",
        Role::Employee,
        Language::It,
    ),
    (
        "Tom Peeters",
        "tom@atrium.example",
        Role::Employee,
        Language::Nl,
    ),
];

/// Loads the demo company when there are no users yet, and each part of it that this
/// database has not had yet; returns whether it loaded anything.
pub async fn load_if_empty(pool: &PgPool) -> Result<bool, AppError> {
    let mut tx = pool.begin().await?;
    // One server process loads the demo data; others starting at the same time wait here.
    sqlx::query!(r#"SELECT 1 AS "locked!" FROM pg_advisory_xact_lock(7423001)"#)
        .fetch_one(&mut *tx)
        .await?;
    let users = sqlx::query_scalar!(r#"SELECT count(*) AS "count!" FROM users"#)
        .fetch_one(&mut *tx)
        .await?;
    let loaded = if users > 0 {
        false
    } else {
        load_team(&mut tx).await?;
        true
    };
    // Parts added by later features load once into any demo database, new or existing.
    let today = crate::state::today();
    let mut added = false;
    if first_time(&mut tx, "contacts").await? {
        contacts::load(&mut tx).await?;
        added = true;
    }
    if first_time(&mut tx, "projects").await? {
        projects::load(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "crm").await? {
        crm::load(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "sales").await? {
        sales::load(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "catalogue_tasks").await? {
        catalogue_tasks::load(&mut tx).await?;
        added = true;
    }
    if first_time(&mut tx, "invoices").await? {
        invoices::load(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "project_mail").await? {
        project_mail::load(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "down_payment").await? {
        invoices::down_payment(&mut tx, today).await?;
        added = true;
    }
    if first_time(&mut tx, "favorites").await? {
        favorites::load(&mut tx).await?;
        added = true;
    }
    tx.commit().await?;
    Ok(loaded || added)
}

/// Marks the demo `part` as loaded; true when this call did, so that the part loads now.
async fn first_time(tx: &mut sqlx::PgConnection, part: &str) -> Result<bool, AppError> {
    let marked = sqlx::query!(
        "INSERT INTO demo_parts (part) VALUES ($1) ON CONFLICT DO NOTHING",
        part
    )
    .execute(tx)
    .await?;
    Ok(marked.rows_affected() == 1)
}

async fn load_team(tx: &mut sqlx::PgConnection) -> Result<(), AppError> {
    for (name, email, role, language) in TEAM {
        let user = ValidNewUser {
            email: Email::parse(email).map_err(|_| AppError::Internal)?,
            display_name: DisplayName::parse(name).map_err(|_| AppError::Internal)?,
            role,
            language,
            password_hash: password_hash::hash(DEMO_PASSWORD.to_string()).await?,
        };
        insert(&mut *tx, &user).await?;
    }
    Ok(())
}

/// A demo user by e-mail (the team is loaded first).
async fn user_id(conn: &mut PgConnection, email: &str) -> Result<Uuid, AppError> {
    sqlx::query_scalar!("SELECT id FROM users WHERE lower(email) = lower($1)", email)
        .fetch_optional(conn)
        .await?
        .ok_or(AppError::Internal)
}

/// A demo contact by name, where the contacts part has it.
async fn contact_id(conn: &mut PgConnection, name: &str) -> Result<Option<Uuid>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM contacts WHERE name = $1 LIMIT 1", name)
            .fetch_optional(conn)
            .await?,
    )
}
