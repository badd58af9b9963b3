//! The dashboard's statements: a fixed few per answer (four for the caller's sales, three
//! for the team, two for the money), whatever the number of records.

use super::figures::{
    Figure, GroupFigure, MoneyTiles, ProjectAtRisk, SalesTiles, TeamTiles, AT_RISK_SHOWN,
};
use crate::activities::Named;
use crate::domain::{Currency, CurrencySums, Money};
use crate::error::AppError;
use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;

fn money(currency: &str, amount: Option<Decimal>) -> Option<Money> {
    Some(Money::new(amount?, Currency::parse(currency).ok()?))
}

/// The first day of the month of `day`, and of the month before.
fn months(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = day.with_day(1).unwrap_or(day);
    let last = this.checked_sub_months(Months::new(1)).unwrap_or(this);
    (this, last)
}

/// Monday of the week of `day`, and of the week before.
fn weeks(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let back = u64::from(day.weekday().num_days_from_monday());
    let this = day.checked_sub_days(Days::new(back)).unwrap_or(day);
    let last = this.checked_sub_days(Days::new(7)).unwrap_or(this);
    (this, last)
}

/// Adds a row to the group of `key`, appending a group when the key changes (rows come
/// ordered by group).
fn push_group<K: PartialEq>(
    groups: &mut Vec<(K, GroupFigure)>,
    key: K,
    name: impl FnOnce() -> Named,
    count: i64,
    amount: Option<Money>,
) {
    match groups.last_mut() {
        Some((last, group)) if *last == key => group.figure.add(count, amount),
        _ => {
            let mut figure = Figure::default();
            figure.add(count, amount);
            groups.push((
                key,
                GroupFigure {
                    name: name(),
                    figure,
                },
            ));
        }
    }
}

pub async fn sales(
    conn: &mut PgConnection,
    me: Uuid,
    today: NaiveDate,
) -> Result<SalesTiles, AppError> {
    let mut tiles = SalesTiles::default();
    let stages = sqlx::query!(
        r#"SELECT s.id, s.key, s.name, o.currency, count(*) AS "count!",
                  sum(o.expected_revenue) AS amount
           FROM opportunities o JOIN pipeline_stages s ON s.id = o.stage_id
           WHERE o.status = 'open' AND o.salesperson_id = $1
           GROUP BY s.id, s.key, s.name, s.position, o.currency
           ORDER BY s.position, s.id, o.currency"#,
        me
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut pipeline = Vec::new();
    for row in stages {
        let name = || Named {
            key: row.key.clone(),
            name: row.name.clone(),
        };
        push_group(
            &mut pipeline,
            row.id,
            name,
            row.count,
            money(&row.currency, row.amount),
        );
    }
    tiles.pipeline = pipeline.into_iter().map(|(_, group)| group).collect();

    let awaiting = sqlx::query!(
        r#"SELECT currency, count(*) AS "count!", sum(total) AS amount
           FROM quotes
           WHERE salesperson_id = $1 AND state = 'sent'
             AND (valid_until IS NULL OR valid_until >= $2)
           GROUP BY currency"#,
        me,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in awaiting {
        tiles
            .awaiting
            .add(row.count, money(&row.currency, row.amount));
    }

    let due = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE due_date < $2) AS "overdue!",
                  count(*) FILTER (WHERE due_date = $2) AS "today!"
           FROM activities
           WHERE assigned_to = $1 AND done_at IS NULL AND due_date <= $2"#,
        me,
        today
    )
    .fetch_one(&mut *conn)
    .await?;
    tiles.activities_overdue = due.overdue;
    tiles.activities_today = due.today;

    let (this_month, last_month) = months(today);
    let won = sqlx::query!(
        r#"SELECT closed_at >= $2::date AS "this_month!", currency, count(*) AS "count!",
                  sum(expected_revenue) AS amount
           FROM opportunities
           WHERE status = 'won' AND salesperson_id = $1 AND closed_at >= $3::date
           GROUP BY 1, 2"#,
        me,
        this_month,
        last_month
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in won {
        let figure = if row.this_month {
            &mut tiles.won_this_month
        } else {
            &mut tiles.won_last_month
        };
        figure.add(row.count, money(&row.currency, row.amount));
    }
    Ok(tiles)
}

pub async fn team(conn: &mut PgConnection, today: NaiveDate) -> Result<TeamTiles, AppError> {
    let mut tiles = TeamTiles::default();
    let (this_month, _) = months(today);
    let deals = sqlx::query!(
        r#"SELECT o.salesperson_id, u.display_name AS "name?", o.status, o.currency,
                  count(*) AS "count!", sum(o.expected_revenue) AS amount
           FROM opportunities o LEFT JOIN users u ON u.id = o.salesperson_id
           WHERE o.status = 'open' OR (o.status = 'won' AND o.closed_at >= $1::date)
           GROUP BY o.salesperson_id, u.display_name, o.status, o.currency
           ORDER BY u.display_name NULLS LAST, o.salesperson_id, o.currency"#,
        this_month
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut open, mut won) = (Vec::new(), Vec::new());
    for row in deals {
        let groups = if row.status == "won" {
            &mut won
        } else {
            &mut open
        };
        let name = || Named {
            key: None,
            name: row.name.clone().unwrap_or_default(),
        };
        let amount = money(&row.currency, row.amount);
        push_group(groups, row.salesperson_id, name, row.count, amount);
    }
    tiles.pipeline = open.into_iter().map(|(_, group)| group).collect();
    tiles.won = won.into_iter().map(|(_, group)| group).collect();

    let risky = sqlx::query!(
        r#"SELECT p.id, p.number, p.title, p.hours_spent, p.end_date,
                  planned.hours AS "planned!", count(*) OVER () AS "total!"
           FROM projects p
           CROSS JOIN LATERAL (SELECT coalesce(sum(t.planned_hours), 0) AS hours
                               FROM tasks t WHERE t.project_id = p.id) planned
           WHERE p.state IN ('planned', 'in_progress', 'on_hold')
             AND (p.end_date < $1 OR (planned.hours > 0 AND p.hours_spent > planned.hours))
           ORDER BY p.end_date NULLS LAST, p.number
           LIMIT $2"#,
        today,
        AT_RISK_SHOWN
    )
    .fetch_all(&mut *conn)
    .await?;
    tiles.at_risk_count = risky.first().map_or(0, |row| row.total);
    tiles.at_risk = risky
        .into_iter()
        .map(|row| ProjectAtRisk {
            id: row.id,
            number: row.number,
            title: row.title,
            hours_spent: row.hours_spent,
            planned_hours: row.planned,
            end_date: row.end_date,
        })
        .collect();

    let (monday, last_monday) = weeks(today);
    let hours = sqlx::query!(
        r#"SELECT coalesce(sum(hours) FILTER (WHERE work_date >= $1), 0) AS "this_week!",
                  coalesce(sum(hours) FILTER (WHERE work_date < $1), 0) AS "last_week!"
           FROM time_entries
           WHERE work_date >= $2 AND work_date <= $3"#,
        monday,
        last_monday,
        today
    )
    .fetch_one(&mut *conn)
    .await?;
    tiles.hours_this_week = hours.this_week;
    tiles.hours_last_week = hours.last_week;
    Ok(tiles)
}

pub async fn money_tiles(
    conn: &mut PgConnection,
    today: NaiveDate,
) -> Result<MoneyTiles, AppError> {
    let mut tiles = MoneyTiles::default();
    let (this_month, _) = months(today);
    let invoices = sqlx::query!(
        r#"SELECT currency,
                  count(*) FILTER (WHERE kind = 'invoice' AND invoice_date >= $1) AS "invoiced_count!",
                  sum(total) FILTER (WHERE kind = 'invoice' AND invoice_date >= $1) AS invoiced,
                  count(*) FILTER (WHERE kind = 'invoice' AND state = 'issued') AS "open_count!",
                  sum(total - paid - credited) FILTER (WHERE kind = 'invoice' AND state = 'issued')
                      AS open,
                  count(*) FILTER (WHERE kind = 'invoice' AND state = 'issued' AND due_date < $2
                                     AND total - paid - credited > 0) AS "overdue_count!",
                  sum(total - paid - credited) FILTER (WHERE kind = 'invoice' AND state = 'issued'
                                     AND due_date < $2 AND total - paid - credited > 0) AS overdue
           FROM invoices
           WHERE state <> 'draft'
           GROUP BY currency"#,
        this_month,
        today
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in invoices {
        tiles
            .invoiced_this_month
            .add(row.invoiced_count, money(&row.currency, row.invoiced));
        tiles
            .open
            .add(row.open_count, money(&row.currency, row.open));
        tiles
            .overdue
            .add(row.overdue_count, money(&row.currency, row.overdue));
    }
    let paid = sqlx::query!(
        r#"SELECT i.currency, sum(p.amount) AS "amount!"
           FROM invoice_payments p JOIN invoices i ON i.id = p.invoice_id
           WHERE p.paid_on >= $1
           GROUP BY i.currency"#,
        this_month
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut sums = CurrencySums::default();
    for row in paid {
        if let Some(amount) = money(&row.currency, Some(row.amount)) {
            sums.add(amount);
        }
    }
    tiles.paid_this_month = sums;
    Ok(tiles)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn months_and_weeks_start_where_the_calendar_does() {
        assert_eq!(
            months(day("2026-03-31")),
            (day("2026-03-01"), day("2026-02-01"))
        );
        assert_eq!(
            months(day("2026-01-15")),
            (day("2026-01-01"), day("2025-12-01"))
        );
        assert_eq!(
            weeks(day("2026-12-03")),
            (day("2026-11-30"), day("2026-11-23"))
        );
        assert_eq!(
            weeks(day("2026-11-30")),
            (day("2026-11-30"), day("2026-11-23"))
        );
    }
}
