//! Server functions of adding catalogue tasks to a project. Both ask the project's own rule
//! (`domain::project_access`): its members who work on its tasks, and never on a locked or
//! closed project.

use super::{CatalogueLine, ProjectCatalogue};
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use super::db;

/// What the "Add from catalogue" dialog offers on the project.
#[server(endpoint = "products/for_project", output = JsonAnswer)]
pub async fn load_project_catalogue(project: Uuid) -> Result<ProjectCatalogue, AppError> {
    crate::api::read(async |user, conn| db::project_catalogue(conn, &user, project).await).await
}

/// Adds the lines' products to the project as tasks with their quoted amounts, as confirming
/// a quote with these lines would have; returns the new tasks in order.
#[server(endpoint = "products/add_to_project", input = Json, output = JsonAnswer)]
pub async fn add_catalogue_tasks(
    project: Uuid,
    lines: Vec<CatalogueLine>,
) -> Result<Vec<Uuid>, AppError> {
    crate::api::write(async |user, tx| db::add(tx, &user, project, &lines).await).await
}
