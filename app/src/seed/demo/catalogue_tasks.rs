//! The demo company sells more to a project under way: two yearly maintenance visits from the
//! catalogue, at a 10 % discount, added to the heat pump project (or else the first project
//! made by hand that still takes work), as "Add from catalogue" does: the task carries its
//! quoted amount and the product's tax.

use crate::error::AppError;
use crate::products::project_tasks::{db::add, CatalogueLine};
use sqlx::PgConnection;

pub async fn load(conn: &mut PgConnection) -> Result<(), AppError> {
    let sam = super::sales::user(conn, super::DEMO_EMAIL).await?;
    let project = sqlx::query_scalar!(
        "SELECT id FROM projects
         WHERE quote_id IS NULL AND NOT locked AND state IN ('planned', 'in_progress')
         ORDER BY title ILIKE '%warmtepomp%' DESC, number LIMIT 1"
    )
    .fetch_optional(&mut *conn)
    .await?;
    let product = sqlx::query!(
        "SELECT id, price, currency FROM products WHERE reference = 'MAINT-Y' AND active"
    )
    .fetch_optional(&mut *conn)
    .await?;
    // A demo database whose projects or catalogue were changed by hand gets nothing.
    let (Some(project), Some(product)) = (project, product) else {
        return Ok(());
    };
    let currency = sqlx::query_scalar!("SELECT currency FROM projects WHERE id = $1", project)
        .fetch_one(&mut *conn)
        .await?;
    if currency != product.currency {
        return Ok(());
    }
    let line = CatalogueLine {
        product_id: product.id,
        options: Vec::new(),
        quantity: "2".into(),
        unit_price: product.price.to_string(),
        discount: "10".into(),
    };
    add(conn, &sam, project, &[line]).await?;
    Ok(())
}
