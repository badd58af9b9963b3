//! Server functions of the catalogue. Everyone signed in reads it (the quote form needs it);
//! managers and admins change products and taxes.

use super::{Catalogue, CataloguePage, Product};
use crate::codec::JsonAnswer;
use crate::error::AppError;
use leptos::prelude::*;
use uuid::Uuid;

#[cfg(feature = "ssr")]
use {super::db, crate::auth::CurrentUser, crate::domain::opportunity::crm_rights};

#[cfg(feature = "ssr")]
fn require_configure(user: &CurrentUser) -> Result<(), AppError> {
    if crm_rights(user.role).configure {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Taxes and the active catalogue, for the quote form.
#[server(endpoint = "products/catalogue", output = JsonAnswer)]
pub async fn load_catalogue() -> Result<Catalogue, AppError> {
    crate::api::read(async |_user, conn| {
        Ok(Catalogue {
            taxes: db::taxes(conn).await?,
            products: db::catalogue(conn).await?,
        })
    })
    .await
}

#[server(endpoint = "products/page", output = JsonAnswer)]
pub async fn load_catalogue_page() -> Result<CataloguePage, AppError> {
    crate::api::read(async |user, conn| {
        Ok(CataloguePage {
            products: db::all(conn).await?,
            taxes: db::taxes(conn).await?,
            may_edit: crm_rights(user.role).configure,
        })
    })
    .await
}

#[server(endpoint = "products/get", output = JsonAnswer)]
pub async fn get_product(id: Uuid) -> Result<Product, AppError> {
    crate::api::read(async |_user, conn| db::get(conn, id).await).await
}

/// Saves a product with its templates and configurator; returns it as saved.
#[server(endpoint = "products/save", input = leptos::server_fn::codec::Json, output = JsonAnswer)]
pub async fn save_product(product: Product) -> Result<Product, AppError> {
    crate::api::write(async |user, tx| {
        require_configure(&user)?;
        let id = db::save(tx, &product).await?;
        db::get(tx, id).await
    })
    .await
}

#[server(endpoint = "products/tax", output = JsonAnswer)]
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
    crate::api::write(async |user, tx| {
        require_configure(&user)?;
        let id = id.map(|id| (id, version));
        db::save_tax(tx, id, &name, &rate, included, &country, active).await
    })
    .await
}
