//! Server functions of the CRM. Reading needs the CRM's view right, changing a deal its edit
//! right, the settings its configure right (`domain::opportunity::crm_rights`). Writes run in
//! one transaction under the deal's row lock, with the version the caller read.

use super::{
    Board, CardCursor, ClosingDeal, ColumnPage, CrmSettings, DealLinks, OpportunityPage,
    OpportunityRef,
};
use crate::codec::JsonAnswer;
use crate::domain::opportunity::{OpportunityAction, OpportunityInput};
use crate::domain::TaskInput;
use crate::error::AppError;
use crate::tasks::TaskPeople;
use chrono::NaiveDate;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::board,
    super::db::{self, Links},
    super::settings,
    crate::auth::CurrentUser,
    crate::domain::opportunity::{crm_rights, CrmRights, OpportunityDraft},
    crate::error::FieldProblem,
    crate::shared::db::{resolve_contact, resolve_user},
    crate::views::ViewState,
    sqlx::PgConnection,
};

pub type CreateOpportunityAction = ServerAction<CreateOpportunity>;
pub type UpdateOpportunityAction = ServerAction<UpdateOpportunity>;

#[cfg(feature = "ssr")]
fn require(user: &CurrentUser, allowed: fn(CrmRights) -> bool) -> Result<(), AppError> {
    if allowed(crm_rights(user.role)) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
fn parse_draft(input: &OpportunityInput) -> Result<OpportunityDraft, AppError> {
    OpportunityDraft::parse(input).map_err(|(error, field)| AppError::invalid(field, error.into()))
}

/// Customer and contact person (picked by id or typed by name) and salesperson of a form.
#[cfg(feature = "ssr")]
async fn resolve_links(conn: &mut PgConnection, links: &DealLinks) -> Result<Links, AppError> {
    Ok(Links {
        customer: resolve_contact(conn, links.customer_id, &links.customer, "customer").await?,
        contact: resolve_contact(conn, links.contact_id, &links.contact, "contact").await?,
        salesperson: resolve_user(conn, links.salesperson, "salesperson").await?,
    })
}

/// The pipeline board under the view in `query` (search, filters as in the list).
#[server(endpoint = "crm/board", output = JsonAnswer)]
pub async fn pipeline_board(
    #[server(default)] pipeline: Option<Uuid>,
    #[server(default)] query: String,
) -> Result<Board, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        let view = ViewState::from_query(&query);
        board::board(conn, &user, pipeline, &view).await
    })
    .await
}

/// More cards of one column.
#[server(endpoint = "crm/column", output = JsonAnswer)]
pub async fn board_column(
    stage: Uuid,
    #[server(default)] query: String,
    after: CardCursor,
) -> Result<ColumnPage, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        let view = ViewState::from_query(&query);
        board::column(conn, &user, stage, &view, after).await
    })
    .await
}

#[server(endpoint = "crm/get", output = JsonAnswer)]
pub async fn get_opportunity(id: Uuid) -> Result<OpportunityPage, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        db::page(conn, &user, id).await
    })
    .await
}

/// Creates a deal, first in its stage (the pipeline's first stage unless given). The
/// salesperson is the creator unless another is picked.
#[server(endpoint = "crm/create", output = JsonAnswer)]
pub async fn create_opportunity(
    opportunity: OpportunityInput,
    #[server(flatten)] links: DealLinks,
    #[server(default)] pipeline: Option<Uuid>,
    #[server(default)] stage: Option<Uuid>,
) -> Result<OpportunityRef, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.edit)?;
        let draft = parse_draft(&opportunity)?;
        let mut links = resolve_links(tx, &links).await?;
        links.salesperson.get_or_insert(user.id);
        let id = db::insert(tx, &draft, links, pipeline, stage, user.id).await?;
        Ok(OpportunityRef {
            id,
            title: draft.title,
        })
    })
    .await
}

#[server(endpoint = "crm/update", output = JsonAnswer)]
pub async fn update_opportunity(
    id: Uuid,
    version: i32,
    opportunity: OpportunityInput,
    #[server(flatten)] links: DealLinks,
) -> Result<OpportunityRef, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.edit)?;
        let draft = parse_draft(&opportunity)?;
        let links = resolve_links(tx, &links).await?;
        db::update(tx, id, version, &draft, links, user.id).await?;
        Ok(OpportunityRef {
            id,
            title: draft.title,
        })
    })
    .await
}

/// Moves a card to a stage, right before `before` (or last in the column). Returns the
/// deal's new version; a stale version is a conflict and changes nothing.
#[server(endpoint = "crm/move", output = JsonAnswer)]
pub async fn move_opportunity(
    id: Uuid,
    version: i32,
    stage: Uuid,
    #[server(default)] before: Option<Uuid>,
) -> Result<i32, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.edit)?;
        db::move_card(tx, id, version, stage, before, user.id).await
    })
    .await
}

/// Won, lost (with a reason and an optional note) or reopen.
#[server(endpoint = "crm/act", output = JsonAnswer)]
pub async fn act_on_opportunity(
    id: Uuid,
    version: i32,
    action: OpportunityAction,
    #[server(default)] lost_reason: Option<Uuid>,
    #[server(default)] lost_note: String,
) -> Result<(), AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.edit)?;
        if lost_note.chars().count() > 2000 {
            return Err(AppError::invalid("lost_note", FieldProblem::TextTooLong));
        }
        db::act(tx, id, version, action, lost_reason, &lost_note, user.id).await?;
        Ok(())
    })
    .await
}

/// Creates a task from the deal (seed 004): linked back, tagged CRM, on the deal's timeline.
#[server(endpoint = "crm/create_task", output = JsonAnswer)]
pub async fn create_deal_task(
    id: Uuid,
    #[server(flatten)] people: TaskPeople,
    task: TaskInput,
) -> Result<Uuid, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.edit)?;
        let draft = crate::domain::TaskDraft::parse(&task)
            .map_err(|(error, field)| AppError::invalid(field, error.into()))?;
        db::share_lock_opportunity(tx, id).await?;
        let assignee = resolve_user(tx, people.assignee, "assignee").await?;
        let task = crate::tasks::db::insert(tx, None, &draft, assignee, user.id).await?;
        db::link_task(tx, id, task, user.id).await?;
        Ok(task)
    })
    .await
}

/// Deals by expected closing date (the calendar), from `from` to `to` (at most two months).
#[server(endpoint = "crm/closing", output = JsonAnswer)]
pub async fn closing_deals(from: NaiveDate, to: NaiveDate) -> Result<Vec<ClosingDeal>, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        if to < from || (to - from).num_days() > 62 {
            return Err(AppError::invalid("to", FieldProblem::EndBeforeStart));
        }
        db::closing_between(conn, from, to).await
    })
    .await
}

#[server(endpoint = "crm/settings", output = JsonAnswer)]
pub async fn load_crm_settings() -> Result<CrmSettings, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        let mut settings = settings::load(conn).await?;
        settings.may_configure = crm_rights(user.role).configure;
        Ok(settings)
    })
    .await
}

/// Whether closing a deal finishes its tasks, set on the settings as read at `version`;
/// answers the settings as they are now.
#[server(endpoint = "crm/settings/close_tasks", output = JsonAnswer)]
pub async fn set_close_tasks(on: bool, version: i32) -> Result<CrmSettings, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.configure)?;
        settings::claim_settings_version(tx, version).await?;
        settings::set_closes_tasks(tx, on).await?;
        let mut settings = settings::load(tx).await?;
        settings.may_configure = true;
        Ok(settings)
    })
    .await
}

/// One change on the CRM settings page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "what", rename_all = "snake_case")]
pub enum SettingsChange {
    AddPipeline {
        name: String,
    },
    RenamePipeline {
        id: Uuid,
        name: String,
    },
    AddStage {
        pipeline: Uuid,
        name: String,
    },
    SaveStage {
        id: Uuid,
        name: String,
        folded: bool,
        is_won: bool,
    },
    MoveStage {
        id: Uuid,
        earlier: bool,
    },
    SaveLostReason {
        id: Option<Uuid>,
        name: String,
        active: bool,
    },
    SaveActivityType {
        id: Option<Uuid>,
        name: String,
        icon: String,
        delay_days: i32,
        active: bool,
    },
}

/// Applies one settings change (managers and admins), made on the settings as read at
/// `version`, and returns the settings as they are now.
#[server(endpoint = "crm/settings/change", input = leptos::server_fn::codec::Json, output = JsonAnswer)]
pub async fn change_crm_settings(
    version: i32,
    change: SettingsChange,
) -> Result<CrmSettings, AppError> {
    crate::api::write(async |user, tx| {
        require(&user, |r| r.configure)?;
        settings::claim_settings_version(tx, version).await?;
        match change {
            SettingsChange::AddPipeline { name } => {
                settings::add_pipeline(tx, &name).await?;
            }
            SettingsChange::RenamePipeline { id, name } => {
                settings::rename_pipeline(tx, id, &name).await?
            }
            SettingsChange::AddStage { pipeline, name } => {
                settings::add_stage(tx, pipeline, &name).await?;
            }
            SettingsChange::SaveStage {
                id,
                name,
                folded,
                is_won,
            } => settings::save_stage(tx, id, &name, folded, is_won).await?,
            SettingsChange::MoveStage { id, earlier } => {
                settings::move_stage(tx, id, earlier).await?
            }
            SettingsChange::SaveLostReason { id, name, active } => {
                settings::save_lost_reason(tx, id, &name, active).await?
            }
            SettingsChange::SaveActivityType {
                id,
                name,
                icon,
                delay_days,
                active,
            } => settings::save_activity_type(tx, id, &name, &icon, delay_days, active).await?,
        }
        let mut settings = settings::load(tx).await?;
        settings.may_configure = true;
        Ok(settings)
    })
    .await
}

/// One board card, fresh (after its activities changed).
#[server(endpoint = "crm/card", output = JsonAnswer)]
pub async fn board_card(id: Uuid) -> Result<super::Card, AppError> {
    crate::api::read(async |user, conn| {
        require(&user, |r| r.view)?;
        board::card_of(conn, &user, id).await
    })
    .await
}
