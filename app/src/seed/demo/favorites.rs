//! The demo team's favorites: the pivots and graphs a service company keeps at hand, each
//! named in its owner's language. Most are shared; the manager's opens the Hours list.

use super::user_id;
use crate::error::AppError;
use crate::views::db::{save_view, set_default_view};
use crate::views::pivot::favorite_query;
use sqlx::PgConnection;

struct Favorite {
    owner: &'static str,
    list: &'static str,
    name: &'static str,
    query: &'static str,
    shared: bool,
    opens_list: bool,
}

const FAVORITES: [Favorite; 5] = [
    Favorite {
        owner: super::DEMO_EMAIL,
        list: "quotes",
        name: "Orders per salesperson and month",
        query: "p=orders&show=pivot&pr=salesperson&pc=quote_date:month&pm=untaxed",
        shared: true,
        opens_list: false,
    },
    Favorite {
        owner: super::DEMO_EMAIL,
        list: "invoices",
        name: "Open per customer",
        query: "show=pivot&pr=customer&pm=total&pm=open",
        shared: true,
        opens_list: false,
    },
    Favorite {
        owner: "anna@atrium.example",
        list: "hours",
        name: "Uren per project per week",
        query: "show=pivot&pr=project&pc=work_date:week&pm=hours",
        shared: true,
        opens_list: true,
    },
    Favorite {
        owner: "anna@atrium.example",
        list: "projects",
        name: "Bestede uren per projectleider",
        query: "show=graph&pr=manager&pm=hours_spent",
        shared: false,
        opens_list: false,
    },
    Favorite {
        owner: "marc@atrium.example",
        list: "opportunities",
        name: "Pipeline par étape",
        query: "p=open&show=graph&pr=stage&pm=expected_revenue",
        shared: true,
        opens_list: false,
    },
];

pub async fn load(tx: &mut PgConnection) -> Result<(), AppError> {
    for favorite in FAVORITES {
        let owner = user_id(tx, favorite.owner).await?;
        let query = favorite_query(favorite.query);
        let saved = save_view(
            tx,
            owner,
            favorite.list,
            favorite.name,
            &query,
            favorite.shared,
        )
        .await?;
        if favorite.opens_list {
            set_default_view(tx, owner, favorite.list, Some(saved.id)).await?;
        }
    }
    Ok(())
}
