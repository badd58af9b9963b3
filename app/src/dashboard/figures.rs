//! What the dashboard's tiles show, as one answer: the caller's sales, the team's (for
//! managers and admins) and the money (for those who may read invoices).

use crate::activities::Named;
use crate::domain::{CurrencySums, Money};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many records, and their amounts per currency.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub count: i64,
    pub sums: CurrencySums,
}

impl Figure {
    pub fn add(&mut self, count: i64, money: Option<Money>) {
        self.count += count;
        if let Some(money) = money {
            self.sums.add(money);
        }
    }
}

/// A figure of one group: a stage, a salesperson.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupFigure {
    pub name: Named,
    pub figure: Figure,
}

/// The caller's own selling.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SalesTiles {
    /// Open deals by stage, in the pipeline's order.
    pub pipeline: Vec<GroupFigure>,
    /// Quotes sent and still valid.
    pub awaiting: Figure,
    pub activities_overdue: i64,
    pub activities_today: i64,
    pub won_this_month: Figure,
    pub won_last_month: Figure,
}

/// A running project past its end date or with more hours booked than planned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectAtRisk {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub hours_spent: Decimal,
    pub planned_hours: Decimal,
    #[serde(with = "crate::shared::dates::optional_date")]
    pub end_date: Option<chrono::NaiveDate>,
}

/// What managers and admins watch over the whole team.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TeamTiles {
    /// Open deals per salesperson (the unnamed group: deals without one).
    pub pipeline: Vec<GroupFigure>,
    /// Deals won this month per salesperson.
    pub won: Vec<GroupFigure>,
    /// The first few projects at risk, the soonest due first, and how many there are.
    pub at_risk: Vec<ProjectAtRisk>,
    pub at_risk_count: i64,
    pub hours_this_week: Decimal,
    pub hours_last_week: Decimal,
}

/// Invoicing: what was invoiced and paid this month, and what is still owed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MoneyTiles {
    pub invoiced_this_month: Figure,
    pub paid_this_month: CurrencySums,
    pub open: Figure,
    pub overdue: Figure,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    /// For those who sell (sales people, managers, admins).
    pub sales: Option<SalesTiles>,
    pub team: Option<TeamTiles>,
    pub money: Option<MoneyTiles>,
}

/// Projects at risk a tile lists by name.
pub const AT_RISK_SHOWN: i64 = 5;
