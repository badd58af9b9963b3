//! The pickers' options several features ask for.

use super::{OpportunityRef, UserRef};
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;

/// Active colleagues by name, for owner and assignee pickers; any signed-in user may ask.
#[server(endpoint = "users/options", output = JsonAnswer)]
pub async fn user_options() -> Result<Vec<UserRef>, AppError> {
    crate::api::read(async |_user, conn| super::db::user_options(conn).await).await
}

/// Open deals to schedule an activity on, the caller's first.
#[server(endpoint = "crm/choices", output = JsonAnswer)]
pub async fn opportunity_choices() -> Result<Vec<OpportunityRef>, AppError> {
    crate::api::read(async |user, conn| {
        if !crate::domain::opportunity::crm_rights(user.role).view {
            return Err(AppError::Forbidden);
        }
        super::db::open_opportunities(conn, user.id).await
    })
    .await
}
