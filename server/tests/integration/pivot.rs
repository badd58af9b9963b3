//! The pivot of a list against the database: its one GROUPING SETS statement gives, for every
//! cell and subtotal, what a plain GROUP BY gives for the same records; it keeps the view's
//! filters and the caller's visibility; its cost does not grow with rows or cells.

use super::common;

use app::domain::pivot::PivotCell;
use app::views::api::FetchPivot;
use app::views::pivot::PivotAnswer;
use common::{Session, TestApp};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Quotes over four salespeople (one of them nobody), two currencies, fifteen months and
/// every state.
async fn generate_quotes(app: &TestApp, from: i32, to: i32) {
    sqlx::query(
        "INSERT INTO quotes (id, number, title, salesperson_id, quote_date, currency, state,
                             untaxed, total, confirmed_at)
         SELECT gen_random_uuid(), 'PV-' || g, 'Pivot ' || g,
                CASE WHEN g % 11 = 0 THEN NULL
                     ELSE (SELECT id FROM users ORDER BY email OFFSET g % 3 LIMIT 1) END,
                DATE '2025-10-01' + (g * 7 % 450),
                CASE WHEN g % 5 = 0 THEN 'USD' ELSE 'EUR' END,
                (ARRAY['draft', 'sent', 'sale', 'cancelled'])[1 + g % 4],
                g * 10, g * 12.10,
                CASE WHEN g % 4 = 2 THEN now() END
         FROM generate_series($1, $2) g",
    )
    .bind(from)
    .bind(to)
    .execute(&app.pool)
    .await
    .unwrap();
}

async fn pivot(session: &Session, query: &str) -> PivotAnswer {
    session
        .call(FetchPivot {
            list: "quotes".into(),
            query: query.into(),
        })
        .await
        .ok()
}

/// One record as the naive statement groups it: salesperson, month, currency.
type Keys = (Option<String>, Option<String>, String);
/// A row of the naive statement: its keys, the count and the sum of the totals.
type NaiveRow = (Option<String>, Option<String>, String, i64, Decimal);

async fn naive(app: &TestApp, condition: &str) -> HashMap<Keys, (Decimal, Decimal)> {
    let rows: Vec<NaiveRow> = sqlx::query_as(&format!(
        "SELECT salesperson_id::text, to_char(quote_date, 'YYYY-MM'), currency,
                    count(*), sum(total)
             FROM quotes t WHERE t.state <> 'cancelled' AND {condition}
             GROUP BY 1, 2, 3"
    ))
    .fetch_all(&app.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(who, month, currency, count, total)| {
            ((who, month, currency), (Decimal::from(count), total))
        })
        .collect()
}

/// What the naive groups add up to for one cell: the groups its keys and currency select.
fn expected(naive: &HashMap<Keys, (Decimal, Decimal)>, cell: &PivotCell) -> (Decimal, Decimal) {
    let currency = cell.currency.map(|c| c.code().to_string());
    naive
        .iter()
        .filter(|((who, month, code), _)| {
            cell.rows.first().is_none_or(|key| key == who)
                && cell.columns.first().is_none_or(|key| key == month)
                && currency.as_ref().is_none_or(|c| c == code)
        })
        .fold(
            (Decimal::ZERO, Decimal::ZERO),
            |(n, sum), (_, (count, total))| (n + count, sum + total),
        )
}

const LAYOUT: &str = "pr=salesperson&pc=quote_date:month&pm=count&pm=total";

#[tokio::test]
async fn every_cell_and_subtotal_equals_a_group_by_and_filters_apply() {
    let app = TestApp::spawn().await;
    generate_quotes(&app, 1, 400).await;
    let admin = app.sign_in("demo@atrium.example").await;

    let answer = pivot(&admin, &format!("d=0&{LAYOUT}")).await;
    let naive_groups = naive(&app, "TRUE").await;
    // Per salesperson × month × currency, each row subtotal, each column subtotal and the
    // grand total, each per currency.
    let leaves = answer
        .cells
        .iter()
        .filter(|c| c.rows.len() == 1 && c.columns.len() == 1)
        .count();
    assert_eq!(leaves, naive_groups.len());
    assert!(answer
        .cells
        .iter()
        .any(|c| c.rows.is_empty() && c.columns.is_empty()));
    for cell in &answer.cells {
        let (count, total) = expected(&naive_groups, cell);
        assert_eq!(cell.values, vec![count, total], "{cell:?}");
    }
    // Salespeople read by name; the quotes without one form their own group.
    let anna: (String, String) = sqlx::query_as(
        "SELECT id::text, display_name FROM users WHERE email = 'anna@atrium.example'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(answer
        .labels
        .contains(&("salesperson".into(), anna.0.clone(), anna.1)));
    assert!(answer
        .cells
        .iter()
        .any(|c| c.rows == vec![None] && c.columns.is_empty()));

    // The view's filters: a date range, and a predefined filter bound to the caller.
    let spring = pivot(
        &admin,
        &format!("f=quote_date:between:2026-03-01..2026-05-31&{LAYOUT}"),
    )
    .await;
    let spring_groups = naive(&app, "t.quote_date BETWEEN '2026-03-01' AND '2026-05-31'").await;
    assert!(!spring_groups.is_empty());
    for cell in &spring.cells {
        assert_eq!(cell.values, {
            let (count, total) = expected(&spring_groups, cell);
            vec![count, total]
        });
    }
    // Compared with the period before: the same statement over February, moved onto March.
    let compared = pivot(
        &admin,
        &format!("f=quote_date:between:2026-03-01..2026-03-31&pv=1&{LAYOUT}"),
    )
    .await;
    let february = compared.previous.expect("the period before");
    let february_groups = naive(&app, "t.quote_date BETWEEN '2026-02-01' AND '2026-02-28'").await;
    for cell in &february.cells {
        let (count, total) = expected(&february_groups, cell);
        assert_eq!(cell.values, vec![count, total], "{cell:?}");
    }
    assert!(pivot(
        &admin,
        &format!("f=quote_date:between:2026-03-01..2026-03-31&{LAYOUT}")
    )
    .await
    .previous
    .is_none());

    let marc = app.sign_in("marc@atrium.example").await;
    let marc_id = app.user_id("marc@atrium.example").await;
    let mine = pivot(&marc, &format!("p=mine&{LAYOUT}")).await;
    let mine_groups = naive(&app, &format!("t.salesperson_id = '{marc_id}'")).await;
    for cell in &mine.cells {
        let (count, total) = expected(&mine_groups, cell);
        assert_eq!(cell.values, vec![count, total]);
    }

    // What the list does not offer is refused by name, not run.
    let refused = admin
        .call(FetchPivot {
            list: "quotes".into(),
            query: "pr=title".into(),
        })
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
}

#[tokio::test]
async fn a_pivot_costs_the_same_statements_whatever_its_rows_and_cells() {
    let app = TestApp::spawn().await;
    app.track_statements().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let layouts = [
        "pm=count".to_string(),
        "pr=salesperson&pr=status&pc=quote_date:week&pc=currency&pm=count&pm=total&pm=untaxed&px=*&py=*"
            .to_string(),
    ];
    let mut costs = Vec::new();
    for (from, to) in [(1, 10), (11, 3000)] {
        generate_quotes(&app, from, to).await;
        for layout in &layouts {
            let before = app.statements().await;
            let answer = pivot(&admin, layout).await;
            assert!(!answer.cells.is_empty());
            // The statement that read the counter counts once too.
            costs.push(app.statements().await - before - 1);
        }
    }
    assert!(costs.iter().all(|&c| c == costs[0]), "{costs:?}");
    assert!((1..=3).contains(&costs[0]), "{costs:?}");
}
