//! Projects in Postgres: access checks, gapless numbers, reads for the project page, writes
//! with optimistic locking, members and client contacts.

use super::{
    ContactRole, CustomerProject, Document, Member, Project, ProjectContact, ProjectPage,
    ProjectRef,
};
use crate::activities::TimelineEvent;
use crate::auth::CurrentUser;
use crate::contacts::ContactRef;
use crate::domain::project::project_number;
use crate::domain::project_access::{self, Permission, ProjectOp, Standing};
use crate::domain::{ProjectDraft, ProjectState};
use crate::error::{AppError, FieldProblem};
use crate::shared::db::stored_money;
use crate::shared::{RecordKind, UserRef};
use sqlx::PgConnection;
use uuid::Uuid;

fn state_of(text: &str) -> Result<ProjectState, AppError> {
    ProjectState::parse(text).ok_or_else(|| {
        tracing::error!(state = text, "unknown project state in the database");
        AppError::Internal
    })
}

fn permission_of(text: &str) -> Result<Permission, AppError> {
    Permission::parse(text).ok_or_else(|| {
        tracing::error!(permission = text, "unknown permission in the database");
        AppError::Internal
    })
}

/// The state of a project and the user's effective permission on it.
pub async fn access(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
) -> Result<(Standing, Option<Permission>), AppError> {
    let row = sqlx::query!(
        r#"SELECT p.state, p.locked, m.permission AS "permission?"
           FROM projects p
           LEFT JOIN project_members m ON m.project_id = p.id AND m.user_id = $2
           WHERE p.id = $1"#,
        id,
        user.id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let membership = row.permission.as_deref().map(permission_of).transpose()?;
    let standing = Standing {
        state: state_of(&row.state)?,
        locked: row.locked,
    };
    Ok((standing, project_access::effective(user.role, membership)))
}

/// Checks that `user` may do `op` on the project and returns where it stands. Changes lock
/// the project row against a concurrent state change (closing, completing) until the
/// transaction ends.
pub async fn require(
    conn: &mut PgConnection,
    user: &CurrentUser,
    id: Uuid,
    op: ProjectOp,
) -> Result<(Standing, Permission), AppError> {
    if op != ProjectOp::View {
        sqlx::query!("SELECT id FROM projects WHERE id = $1 FOR SHARE", id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(AppError::NotFound)?;
    }
    let (standing, permission) = access(conn, user, id).await?;
    project_access::check(permission, standing, op)?;
    Ok((standing, permission.unwrap_or(Permission::Limited)))
}

/// The next number of `year`'s series, taken in the caller's transaction: a rollback gives
/// it back, so numbers have no gaps.
pub async fn next_number(conn: &mut PgConnection, year: i32) -> Result<String, AppError> {
    let sequence = sqlx::query_scalar!(
        "INSERT INTO number_counters (series, year, last) VALUES ('P', $1, 1)
         ON CONFLICT (series, year) DO UPDATE SET last = number_counters.last + 1
         RETURNING last",
        year
    )
    .fetch_one(conn)
    .await?;
    Ok(project_number(year, sequence))
}

pub async fn get(conn: &mut PgConnection, id: Uuid) -> Result<Project, AppError> {
    let row = sqlx::query!(
        r#"SELECT p.id, p.number, p.title, p.description, p.customer_id,
                  c.name AS "customer_name?", p.manager_id, u.display_name AS "manager_name?",
                  p.state, p.start_date, p.end_date, p.tender_end_date, p.budget, p.currency,
                  p.hourly_rate, p.hours_spent, p.locked, p.version, p.quote_id, q.number AS "quote_number?"
           FROM projects p
           LEFT JOIN contacts c ON c.id = p.customer_id
           LEFT JOIN users u ON u.id = p.manager_id
           LEFT JOIN quotes q ON q.id = p.quote_id
           WHERE p.id = $1"#,
        id
    )
    .fetch_optional(conn)
    .await?
    .ok_or(AppError::NotFound)?;
    Ok(Project {
        id: row.id,
        number: row.number,
        title: row.title,
        description: row.description,
        customer: row
            .customer_id
            .zip(row.customer_name)
            .map(|(id, name)| ContactRef { id, name }),
        manager: row
            .manager_id
            .zip(row.manager_name)
            .map(|(id, name)| UserRef { id, name }),
        state: state_of(&row.state)?,
        start_date: row.start_date,
        end_date: row.end_date,
        tender_end_date: row.tender_end_date,
        budget: row
            .budget
            .map(|b| stored_money(b, &row.currency))
            .transpose()?,
        hourly_rate: row
            .hourly_rate
            .map(|r| stored_money(r, &row.currency))
            .transpose()?,
        hours_spent: row.hours_spent,
        locked: row.locked,
        version: row.version,
        quote: row.quote_id.zip(row.quote_number),
    })
}

/// The project page: five statements whatever the number of tasks.
pub async fn page(
    conn: &mut PgConnection,
    id: Uuid,
    permission: Permission,
    today: chrono::NaiveDate,
) -> Result<ProjectPage, AppError> {
    let project = get(conn, id).await?;
    let members = members(conn, id).await?;
    let contacts = contacts(conn, id).await?;
    let documents = documents(conn, id).await?;
    let tasks = crate::tasks::db::of_project(conn, id, today).await?;
    let planned_hours = tasks.iter().filter_map(|t| t.planned_hours).sum();
    Ok(ProjectPage {
        project,
        permission,
        members,
        contacts,
        documents,
        tasks,
        planned_hours,
    })
}

pub async fn members(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Member>, AppError> {
    sqlx::query!(
        "SELECT u.id, u.display_name, m.permission, m.version
         FROM project_members m JOIN users u ON u.id = m.user_id
         WHERE m.project_id = $1 ORDER BY u.display_name, u.id",
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Member {
            user: UserRef {
                id: r.id,
                name: r.display_name,
            },
            permission: permission_of(&r.permission)?,
            version: r.version,
        })
    })
    .collect()
}

pub async fn contacts(conn: &mut PgConnection, id: Uuid) -> Result<Vec<ProjectContact>, AppError> {
    sqlx::query!(
        r#"SELECT pc.role, c.id, c.name, c.emails[1] AS "email?", c.phones[1] AS "phone?"
           FROM project_contacts pc JOIN contacts c ON c.id = pc.contact_id
           WHERE pc.project_id = $1
           ORDER BY array_position(ARRAY['tender', 'billing', 'execution'], pc.role), c.sort_name"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(ProjectContact {
            role: ContactRole::parse(&r.role).ok_or(AppError::Internal)?,
            contact: ContactRef {
                id: r.id,
                name: r.name,
            },
            email: r.email,
            phone: r.phone,
        })
    })
    .collect()
}

pub async fn documents(conn: &mut PgConnection, id: Uuid) -> Result<Vec<Document>, AppError> {
    Ok(sqlx::query!(
        r#"SELECT d.id, d.kind, d.file_name, d.size_bytes, d.expires_on, d.remind_on,
                  u.display_name AS "uploaded_by?", d.created_at, d.version
           FROM project_documents d LEFT JOIN users u ON u.id = d.uploaded_by
           WHERE d.project_id = $1 ORDER BY d.created_at DESC, d.id"#,
        id
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| Document {
        id: r.id,
        kind: r.kind,
        file_name: r.file_name,
        size_bytes: r.size_bytes,
        expires_on: r.expires_on,
        remind_on: r.remind_on,
        uploaded_by: r.uploaded_by,
        uploaded_at: r.created_at,
        version: r.version,
    })
    .collect())
}

/// Creates a project with the next number; its creator and manager become admins of it.
pub async fn insert(
    conn: &mut PgConnection,
    draft: &ProjectDraft,
    customer: Option<Uuid>,
    manager: Option<Uuid>,
    created_by: Uuid,
    year: i32,
) -> Result<ProjectRef, AppError> {
    let id = Uuid::now_v7();
    let number = next_number(conn, year).await?;
    sqlx::query!(
        "INSERT INTO projects (id, number, title, description, customer_id, manager_id,
                               start_date, end_date, tender_end_date, budget, hourly_rate,
                               created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        id,
        number,
        draft.title,
        draft.description,
        customer,
        manager,
        draft.start_date,
        draft.end_date,
        draft.tender_end_date,
        draft.budget,
        draft.hourly_rate,
        created_by
    )
    .execute(&mut *conn)
    .await?;
    let admins: Vec<Uuid> = std::iter::once(created_by).chain(manager).collect();
    sqlx::query!(
        "INSERT INTO project_members (project_id, user_id, permission)
         SELECT $1, u, 'admin' FROM unnest($2::uuid[]) u ON CONFLICT DO NOTHING",
        id,
        &admins
    )
    .execute(conn)
    .await?;
    Ok(ProjectRef {
        id,
        number,
        title: draft.title.clone(),
    })
}

/// Saves the project's details as edited on `version`.
pub async fn update(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
    draft: &ProjectDraft,
    customer: Option<Uuid>,
    manager: Option<Uuid>,
) -> Result<(), AppError> {
    let updated = sqlx::query!(
        "UPDATE projects SET title = $3, description = $4, customer_id = $5, manager_id = $6,
                start_date = $7, end_date = $8, tender_end_date = $9, budget = $10,
                hourly_rate = $11, version = version + 1, updated_at = now()
         WHERE id = $1 AND version = $2",
        id,
        version,
        draft.title,
        draft.description,
        customer,
        manager,
        draft.start_date,
        draft.end_date,
        draft.tender_end_date,
        draft.budget,
        draft.hourly_rate
    )
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(AppError::Conflict);
    }
    if let Some(manager) = manager {
        add_member(conn, id, manager, Permission::Admin).await?;
    }
    Ok(())
}

/// Moves the project to `to` if its state machine allows it from the state read at `version`.
/// Completing locks it: read-only until a manager or admin unlocks it.
pub async fn set_state(
    conn: &mut PgConnection,
    id: Uuid,
    version: Option<i32>,
    to: ProjectState,
    by: &CurrentUser,
) -> Result<(), AppError> {
    let current = sqlx::query!(
        "SELECT state, version FROM projects WHERE id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    if version.is_some_and(|v| v != current.version) {
        return Err(AppError::Conflict);
    }
    state_of(&current.state)?
        .transition(to)
        .map_err(|_| AppError::invalid("state", FieldProblem::StateNotAllowed))?;
    let locks = to == ProjectState::Completed;
    sqlx::query!(
        "UPDATE projects SET state = $2, locked = locked OR $3, version = version + 1,
                updated_at = now()
         WHERE id = $1",
        id,
        to.as_str(),
        locks
    )
    .execute(&mut *conn)
    .await?;
    if locks {
        crate::activities::db::log(
            conn,
            RecordKind::Project,
            id,
            Some(by.id),
            &TimelineEvent::ProjectLocked,
        )
        .await?;
    }
    Ok(())
}

/// Gives the projects `ids` the customer `customer` (in bulk, from the list).
pub async fn assign_customer(
    conn: &mut PgConnection,
    ids: &[Uuid],
    customer: Uuid,
) -> Result<usize, AppError> {
    Ok(sqlx::query!(
        "UPDATE projects SET customer_id = $2, version = version + 1, updated_at = now()
         WHERE id = ANY($1) AND customer_id IS DISTINCT FROM $2",
        ids,
        customer
    )
    .execute(conn)
    .await?
    .rows_affected() as usize)
}

/// Adds a member or changes their permission.
pub async fn add_member(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    permission: Permission,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO project_members (project_id, user_id, permission) VALUES ($1, $2, $3)
         ON CONFLICT (project_id, user_id) DO UPDATE SET permission = EXCLUDED.permission",
        id,
        user,
        permission.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether `user` can open the project already: a member, or a company admin or manager.
async fn can_open(conn: &mut PgConnection, id: Uuid, user: Uuid) -> Result<bool, AppError> {
    let row = sqlx::query!(
        r#"SELECT u.role, m.permission AS "permission?"
           FROM users u
           LEFT JOIN project_members m ON m.project_id = $1 AND m.user_id = u.id
           WHERE u.id = $2"#,
        id,
        user
    )
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| AppError::invalid("assignee", FieldProblem::UserUnknown))?;
    let role = crate::auth::db::role_of(&row.role)?;
    let membership = row.permission.as_deref().map(permission_of).transpose()?;
    Ok(project_access::effective(role, membership).is_some())
}

/// Assigning a task never grants access to its project. An assignee who cannot open the
/// project is refused, unless the caller may manage its members and has confirmed adding
/// them (`add_member`): then they become a Limited member.
pub async fn admit_assignee(
    conn: &mut PgConnection,
    caller: &CurrentUser,
    id: Uuid,
    assignee: Uuid,
    add_member: bool,
) -> Result<(), AppError> {
    if can_open(conn, id, assignee).await? {
        return Ok(());
    }
    let may_add = require(conn, caller, id, ProjectOp::ManageMembers)
        .await
        .is_ok();
    match (may_add, add_member) {
        (true, true) => ensure_member(conn, id, assignee).await,
        (true, false) => Err(AppError::invalid(
            "assignee",
            FieldProblem::AssigneeNeedsMembership,
        )),
        (false, _) => Err(AppError::invalid(
            "assignee",
            FieldProblem::AssigneeNotMember,
        )),
    }
}

/// Makes a user a Limited member unless they already are a member.
async fn ensure_member(conn: &mut PgConnection, id: Uuid, user: Uuid) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO project_members (project_id, user_id, permission) VALUES ($1, $2, 'limited')
         ON CONFLICT DO NOTHING",
        id,
        user
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Changes a member's permission as read at `version`.
pub async fn change_member(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    permission: Permission,
    version: i32,
) -> Result<(), AppError> {
    let changed = sqlx::query!(
        "UPDATE project_members SET permission = $3, version = version + 1
         WHERE project_id = $1 AND user_id = $2 AND version = $4",
        id,
        user,
        permission.as_str(),
        version
    )
    .execute(conn)
    .await?
    .rows_affected();
    AppError::one_row_or_conflict(changed)
}

/// Removes a member as read at `version`.
pub async fn remove_member(
    conn: &mut PgConnection,
    id: Uuid,
    user: Uuid,
    version: i32,
) -> Result<(), AppError> {
    let removed = sqlx::query!(
        "DELETE FROM project_members WHERE project_id = $1 AND user_id = $2 AND version = $3",
        id,
        user,
        version
    )
    .execute(conn)
    .await?
    .rows_affected();
    AppError::one_row_or_conflict(removed)
}

pub async fn add_contact(
    conn: &mut PgConnection,
    id: Uuid,
    contact: Uuid,
    role: ContactRole,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO project_contacts (project_id, contact_id, role) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING",
        id,
        contact,
        role.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn remove_contact(
    conn: &mut PgConnection,
    id: Uuid,
    contact: Uuid,
    role: ContactRole,
) -> Result<(), AppError> {
    sqlx::query!(
        "DELETE FROM project_contacts WHERE project_id = $1 AND contact_id = $2 AND role = $3",
        id,
        contact,
        role.as_str()
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The projects of a customer, newest first, for its contact page.
pub async fn of_customer(
    conn: &mut PgConnection,
    customer: Uuid,
) -> Result<Vec<CustomerProject>, AppError> {
    sqlx::query!(
        "SELECT id, number, title, state, start_date, end_date, budget, currency, hours_spent
         FROM projects WHERE customer_id = $1 ORDER BY created_at DESC, id LIMIT 200",
        customer
    )
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| {
        Ok(CustomerProject {
            id: r.id,
            number: r.number,
            title: r.title,
            state: state_of(&r.state)?,
            start_date: r.start_date,
            end_date: r.end_date,
            budget: r.budget.map(|b| stored_money(b, &r.currency)).transpose()?,
            hours_spent: r.hours_spent,
        })
    })
    .collect()
}
