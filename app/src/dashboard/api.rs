//! The dashboard's one server function: every tile the caller's role shows, in a fixed few
//! statements.

use super::figures::Dashboard;
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;

#[server(endpoint = "dashboard/load", output = JsonAnswer)]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::domain::policy::{role_allows, CompanyOp};
    use crate::domain::Role;
    crate::api::read(async |user, conn| {
        let today = user.today();
        let sells = matches!(user.role, Role::Admin | Role::Manager | Role::Sales);
        let leads = matches!(user.role, Role::Admin | Role::Manager);
        let sales = match sells {
            true => Some(super::db::sales(conn, user.id, today).await?),
            false => None,
        };
        let team = match leads {
            true => Some(super::db::team(conn, today).await?),
            false => None,
        };
        let money = match role_allows(user.role, CompanyOp::InvoicesView) {
            true => Some(super::db::money_tiles(conn, today).await?),
            false => None,
        };
        Ok(Dashboard { sales, team, money })
    })
    .await
}
