//! Server functions of projects. Each checks the caller's permission on the project with
//! `domain::project_access` before reading or writing, and writes in one transaction.

use super::{
    BulkAssignReport, ContactPick, ContactRole, CustomerProject, ProjectLinks, ProjectPage,
    ProjectRef,
};
use crate::codec::JsonAnswer;
use crate::domain::{Permission, ProjectInput, ProjectState};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{Json, MultipartData, MultipartFormData};
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::{db, documents, DOCUMENT_KINDS},
    crate::auth::CurrentUser,
    crate::domain::document::{classify, clean_file_name, MAX_DOCUMENT_BYTES},
    crate::domain::project::parse_date,
    crate::domain::project_access::may_create_projects,
    crate::domain::{ProjectDraft, ProjectOp},
    crate::error::FieldProblem,
    crate::state::{app_state, today},
    crate::upload,
    sqlx::PgConnection,
};

pub type CreateProjectAction = ServerAction<CreateProject>;
pub type UpdateProjectAction = ServerAction<UpdateProject>;

#[cfg(feature = "ssr")]
fn parse_draft(input: &ProjectInput) -> Result<ProjectDraft, AppError> {
    ProjectDraft::parse(input).map_err(|(error, field)| AppError::invalid(field, error.into()))
}

/// The customer (picked by id, or typed by name) and the manager of a project form.
#[cfg(feature = "ssr")]
async fn resolve_links(
    conn: &mut PgConnection,
    links: &ProjectLinks,
) -> Result<(Option<Uuid>, Option<Uuid>), AppError> {
    let customer =
        crate::shared::db::resolve_contact(conn, links.customer_id, &links.customer, "customer")
            .await?;
    let manager = crate::shared::db::resolve_user(conn, links.manager, "manager").await?;
    Ok((customer, manager))
}

#[server(endpoint = "projects/get", output = JsonAnswer)]
pub async fn get_project(id: Uuid) -> Result<ProjectPage, AppError> {
    crate::api::read(async |user, conn| {
        let (_, permission) = db::require(conn, &user, id, ProjectOp::View).await?;
        db::page(conn, id, permission, today()).await
    })
    .await
}

/// Creates a project for a customer; its creator (and manager) administer it.
#[server(endpoint = "projects/create", output = JsonAnswer)]
pub async fn create_project(
    #[server(flatten)] links: ProjectLinks,
    project: ProjectInput,
) -> Result<ProjectRef, AppError> {
    crate::api::write(async |user, tx| {
        if !may_create_projects(user.role) {
            return Err(AppError::Forbidden);
        }
        let draft = parse_draft(&project)?;
        let (customer, manager) = resolve_links(tx, &links).await?;
        let year = chrono::Datelike::year(&today());
        db::insert(tx, &draft, customer, manager, user.id, year).await
    })
    .await
}

/// Saves the project's settings as edited on `version`. Title, description, customer and
/// manager need the Admin permission, as do the dates and the budget.
#[server(endpoint = "projects/update", output = JsonAnswer)]
pub async fn update_project(
    id: Uuid,
    version: i32,
    #[server(flatten)] links: ProjectLinks,
    project: ProjectInput,
) -> Result<ProjectRef, AppError> {
    crate::api::write(async |user, tx| {
        // The form holds details and admin information alike; both need Admin.
        db::require(tx, &user, id, ProjectOp::EditDetails).await?;
        let draft = parse_draft(&project)?;
        let (customer, manager) = resolve_links(tx, &links).await?;
        db::update(tx, id, version, &draft, customer, manager).await?;
        let saved = db::get(tx, id).await?;
        Ok(ProjectRef {
            id,
            number: saved.number,
            title: saved.title,
        })
    })
    .await
}

/// Moves the project to another state, as its state machine allows. A form states the
/// version it showed; a board move states none (the state machine guards it).
#[server(endpoint = "projects/set_state", output = JsonAnswer)]
pub async fn set_project_state(
    id: Uuid,
    #[server(default)] version: Option<i32>,
    state: ProjectState,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let to = state;
        db::require(tx, &user, id, ProjectOp::ChangeState).await?;
        db::set_state(tx, id, version, to, &user).await?;
        Ok(())
    })
    .await
}

/// Gives one customer to several projects (list → Actions → Assign client). Projects the
/// caller may not change are reported, not changed.
#[server(endpoint = "projects/assign_customer", input = Json, output = JsonAnswer)]
pub async fn assign_customer(
    ids: Vec<Uuid>,
    customer_id: Uuid,
) -> Result<BulkAssignReport, AppError> {
    crate::api::write(async |user, tx| {
        let customer =
            crate::shared::db::resolve_contact(tx, Some(customer_id), "", "customer").await?;
        let customer =
            customer.ok_or_else(|| AppError::invalid("customer", FieldProblem::ContactUnknown))?;
        let mut allowed = Vec::new();
        let mut refused = 0;
        for id in ids.iter().take(1000) {
            match db::require(tx, &user, *id, ProjectOp::EditDetails).await {
                Ok(_) => allowed.push(*id),
                Err(AppError::Project(_) | AppError::Forbidden | AppError::NotFound) => {
                    refused += 1
                }
                Err(other) => return Err(other),
            }
        }
        let changed = db::assign_customer(tx, &allowed, customer).await?;
        Ok(BulkAssignReport { changed, refused })
    })
    .await
}

/// Adds a member, or changes the permission of the member as read at `version`.
#[server(endpoint = "projects/add_member", output = JsonAnswer)]
pub async fn add_member(
    id: Uuid,
    user_id: Uuid,
    permission: Permission,
    #[server(default)] version: Option<i32>,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        db::require(tx, &user, id, ProjectOp::ManageMembers).await?;
        // Refuses unknown and deactivated users.
        crate::shared::db::resolve_user(tx, Some(user_id), "user_id").await?;
        match version {
            Some(version) => db::change_member(tx, id, user_id, permission, version).await?,
            None => db::add_member(tx, id, user_id, permission).await?,
        }
        Ok(())
    })
    .await
}

/// Removes the member as read at `version`.
#[server(endpoint = "projects/remove_member", output = JsonAnswer)]
pub async fn remove_member(id: Uuid, user_id: Uuid, version: i32) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        db::require(tx, &user, id, ProjectOp::ManageMembers).await?;
        db::remove_member(tx, id, user_id, version).await?;
        Ok(())
    })
    .await
}

/// Adds a client contact in a role (tender, billing, execution), picked from the directory.
#[server(endpoint = "projects/add_contact", output = JsonAnswer)]
pub async fn add_project_contact(
    id: Uuid,
    role: ContactRole,
    #[server(flatten)] pick: ContactPick,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        db::require(tx, &user, id, ProjectOp::ManageContacts).await?;
        let contact =
            crate::shared::db::resolve_contact(tx, pick.contact_id, &pick.contact, "contact")
                .await?
                .ok_or_else(|| AppError::invalid("contact", FieldProblem::ContactUnknown))?;
        db::add_contact(tx, id, contact, role).await?;
        Ok(())
    })
    .await
}

#[server(endpoint = "projects/remove_contact", output = JsonAnswer)]
pub async fn remove_project_contact(
    id: Uuid,
    role: ContactRole,
    contact_id: Uuid,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        db::require(tx, &user, id, ProjectOp::ManageContacts).await?;
        db::remove_contact(tx, id, contact_id, role).await?;
        Ok(())
    })
    .await
}

/// Uploads an admin document: multipart fields `project`, `kind`, `expires_on` and
/// `remind_on`, then `file`. The caller's right on the project is checked before the file is
/// read; the file is judged by its bytes and name, and over the size limit or of a refused
/// type it is not kept.
#[server(endpoint = "projects/documents/upload", input = MultipartFormData, output = JsonAnswer)]
pub async fn upload_document(data: MultipartData) -> Result<Uuid, AppError> {
    crate::api::signed_in(async |user| {
        let state = app_state()?;
        let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
        let mut fields = std::collections::HashMap::new();
        let mut file: Option<(String, Option<Vec<u8>>)> = None;
        while let Some(mut field) = upload::next_field(&mut multipart).await? {
            let name = field.name().unwrap_or_default().to_string();
            if name != "file" {
                if fields.len() < 8 {
                    fields.insert(name, upload::read_text(&mut field).await?);
                }
                continue;
            }
            // The form sends the project first: nobody uploads into a project they
            // may not change, and the connection is not held while the file arrives.
            let project = parse_project(fields.get("project"))?;
            let mut conn = state.pool.acquire().await?;
            db::require(&mut conn, &user, project, ProjectOp::ManageDocuments).await?;
            drop(conn);
            let file_name = clean_file_name(field.file_name().unwrap_or_default());
            let bytes = upload::read_capped(&mut field, MAX_DOCUMENT_BYTES).await?;
            file = Some((file_name, bytes));
            break;
        }
        let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
        let project = parse_project(fields.get("project"))?;
        let mut tx = crate::state::begin(&state.pool).await?;
        db::require(&mut tx, &user, project, ProjectOp::ManageDocuments).await?;
        let kind = field("kind");
        if !DOCUMENT_KINDS.contains(&kind.as_str()) {
            return Err(AppError::invalid("kind", FieldProblem::DocumentKindUnknown));
        }
        let expires_on = parse_date(&field("expires_on"))
            .map_err(|e| AppError::invalid("expires_on", e.into()))?;
        let remind_on = parse_date(&field("remind_on"))
            .map_err(|e| AppError::invalid("remind_on", e.into()))?;
        let (file_name, bytes) = file.unwrap_or_else(|| (String::new(), Some(Vec::new())));
        let bytes = bytes.ok_or(AppError::invalid("file", FieldProblem::FileTooLarge))?;
        let content_type =
            classify(&file_name, &bytes).map_err(|e| AppError::invalid("file", e.into()))?;
        let document = documents::NewDocument {
            project,
            kind,
            file_name,
            content_type,
            expires_on,
            remind_on,
        };
        let id = documents::save(&mut tx, state.files.as_ref(), document, bytes, user.id).await?;
        tx.commit().await?;
        Ok(id)
    })
    .await
}

#[cfg(feature = "ssr")]
fn parse_project(text: Option<&String>) -> Result<Uuid, AppError> {
    text.and_then(|t| Uuid::parse_str(t.trim()).ok())
        .ok_or(AppError::NotFound)
}

#[server(endpoint = "projects/documents/delete", output = JsonAnswer)]
pub async fn delete_document(id: Uuid) -> Result<(), AppError> {
    let key = crate::api::write(async |user, tx| {
        let project = documents::project_of(tx, id).await?;
        db::require(tx, &user, project, ProjectOp::ManageDocuments).await?;
        documents::delete(tx, id).await
    })
    .await?;
    // Once the row is gone for good, so are the bytes.
    documents::forget(app_state()?.files.as_ref(), &key).await;
    Ok(())
}

/// Changes a document's expiry and reminder dates.
#[server(endpoint = "projects/documents/set_dates", output = JsonAnswer)]
pub async fn set_document_dates(
    id: Uuid,
    version: i32,
    #[server(default)] expires_on: String,
    #[server(default)] remind_on: String,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        let expires_on =
            parse_date(&expires_on).map_err(|e| AppError::invalid("expires_on", e.into()))?;
        let remind_on =
            parse_date(&remind_on).map_err(|e| AppError::invalid("remind_on", e.into()))?;
        let project = documents::project_of(tx, id).await?;
        db::require(tx, &user, project, ProjectOp::ManageDocuments).await?;
        documents::set_dates(tx, id, version, expires_on, remind_on).await?;
        Ok(())
    })
    .await
}

/// The projects of a customer, for its contact page: those the caller may see.
#[server(endpoint = "projects/of_customer", output = JsonAnswer)]
pub async fn customer_projects(contact_id: Uuid) -> Result<Vec<CustomerProject>, AppError> {
    crate::api::read(async |user, conn| {
        let all = db::of_customer(conn, contact_id).await?;
        visible_to(conn, &user, all).await
    })
    .await
}

#[cfg(feature = "ssr")]
async fn visible_to(
    conn: &mut PgConnection,
    user: &CurrentUser,
    projects: Vec<CustomerProject>,
) -> Result<Vec<CustomerProject>, AppError> {
    if matches!(
        user.role,
        crate::domain::Role::Admin | crate::domain::Role::Manager
    ) {
        return Ok(projects);
    }
    let ids: Vec<Uuid> = projects.iter().map(|p| p.id).collect();
    let mine = sqlx::query_scalar!(
        "SELECT project_id FROM project_members WHERE user_id = $1 AND project_id = ANY($2)",
        user.id,
        &ids
    )
    .fetch_all(conn)
    .await?;
    Ok(projects
        .into_iter()
        .filter(|p| mine.contains(&p.id))
        .collect())
}
