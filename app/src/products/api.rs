//! Server functions of the catalogue. Everyone signed in reads it (the quote form needs it);
//! managers and admins change products and taxes.

use super::{Catalogue, CataloguePage, Product};
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {
    super::db,
    crate::auth::{session, CurrentUser},
    crate::domain::opportunity::crm_rights,
    crate::error::respond,
    crate::state::app_state,
};

#[cfg(feature = "ssr")]
fn require_configure(user: &CurrentUser) -> Result<(), AppError> {
    if crm_rights(user.role).configure {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Taxes and the active catalogue, for the quote form.
#[server(endpoint = "products/catalogue")]
pub async fn load_catalogue() -> Result<Catalogue, AppError> {
    respond(
        async {
            session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            Ok(Catalogue {
                taxes: db::taxes(&mut conn).await?,
                products: db::catalogue(&mut conn).await?,
            })
        }
        .await,
    )
}

#[server(endpoint = "products/page")]
pub async fn load_catalogue_page() -> Result<CataloguePage, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            Ok(CataloguePage {
                products: db::all(&mut conn).await?,
                taxes: db::taxes(&mut conn).await?,
                may_edit: crm_rights(user.role).configure,
            })
        }
        .await,
    )
}

#[server(endpoint = "products/get")]
pub async fn get_product(id: Uuid) -> Result<Product, AppError> {
    respond(
        async {
            session::require_user()?;
            let mut conn = app_state()?.pool.acquire().await?;
            db::get(&mut conn, id).await
        }
        .await,
    )
}

/// Saves a product with its templates and configurator; returns it as saved.
#[server(endpoint = "products/save", input = leptos::server_fn::codec::Json)]
pub async fn save_product(product: Product) -> Result<Product, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            require_configure(&user)?;
            let mut tx = app_state()?.pool.begin().await?;
            let id = db::save(&mut tx, &product).await?;
            let saved = db::get(&mut tx, id).await?;
            tx.commit().await?;
            Ok(saved)
        }
        .await,
    )
}

#[server(endpoint = "products/tax")]
pub async fn save_tax(
    #[server(default)] id: Option<Uuid>,
    /// The version of the tax as read; ignored for a new one.
    #[server(default)]
    version: i32,
    name: String,
    rate: String,
    #[server(default)] included: bool,
    #[server(default)] country: String,
    #[server(default)] active: bool,
) -> Result<Uuid, AppError> {
    respond(
        async {
            let user = session::require_user()?;
            require_configure(&user)?;
            let mut tx = app_state()?.pool.begin().await?;
            let id = id.map(|id| (id, version));
            let saved = db::save_tax(&mut tx, id, &name, &rate, included, &country, active).await?;
            tx.commit().await?;
            Ok(saved)
        }
        .await,
    )
}
