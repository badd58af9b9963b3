//! Invoicing a sales order through the real router: a down payment split over the order's
//! taxes, the final invoice that deducts it (once), what is refused on the way; and merging
//! a project, which moves its work without losing or doubling a row.

use super::common;

use app::domain::quote::{LineInput, LineKind};
use app::invoices::api::{
    GetInvoice, InvoiceDownPayment, InvoiceRest, IssueInvoice, LoadProjectBilling, MergeProjects,
    PreviewMerge,
};
use app::invoices::Invoice;
use app::quotes::CustomerChoice;
use app::tasks::api::LogTime;
use common::session::Session;
use common::TestApp;
use rust_decimal::Decimal;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const MARC: &str = "marc@atrium.example"; // sales

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn invoice(session: &Session, id: Uuid) -> Invoice {
    session.call(GetInvoice { id }).await.ok()
}

async fn issue(session: &Session, id: Uuid) -> Invoice {
    let version = invoice(session, id).await.version;
    session.call(IssueInvoice { id, version }).await.ok()
}

fn item(description: &str, quantity: &str, price: &str, tax: Option<Uuid>) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        description: description.to_string(),
        quantity: quantity.to_string(),
        unit_price: price.to_string(),
        tax_id: tax,
        ..Default::default()
    }
}

/// A confirmed order of 2,400.00 at 21 % and 200.00 at 9 %, and the project it made.
async fn confirmed_order(app: &TestApp) -> Uuid {
    let marc = app.sign_in(MARC).await;
    let customer = app.contact_id("Bouwbedrijf De Vries BV").await;
    let tax = |rate: i64| async move {
        sqlx::query_scalar::<_, Uuid>(
            "SELECT id FROM taxes WHERE country = 'NL' AND rate = $1 ORDER BY position LIMIT 1",
        )
        .bind(Decimal::from(rate))
        .fetch_one(&app.pool)
        .await
        .unwrap()
    };
    let (high, low) = (tax(21).await, tax(9).await);
    let quote = marc
        .create_quote(CustomerChoice::Existing { id: customer })
        .await;
    let lines = vec![
        item("Heat pump installation", "1", "2400", Some(high)),
        item("Insulation material", "4", "50", Some(low)),
    ];
    let saved = marc.save_quote_lines(quote, lines).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    marc.confirm_quote(quote).await.ok()
}

#[tokio::test]
async fn a_down_payment_is_deducted_once_by_the_final_invoice() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = confirmed_order(&app).await;

    // 30 % of the order without tax, one line per tax in proportion.
    let down = sam
        .call(InvoiceDownPayment {
            project,
            by_percent: true,
            value: "30".into(),
        })
        .await
        .ok();
    let down = invoice(&sam, down).await;
    assert_eq!(down.untaxed.amount, d("780.00"), "30 % of 2,600.00");
    assert_eq!(down.lines.len(), 2);
    assert_eq!(down.tax.amount, d("151.20") + d("5.40"));

    // More than what is left of the order, a percentage out of range, and nonsense.
    for (by_percent, value, problem) in [
        (false, "1820.01", "amount_too_large"),
        (true, "0", "rate_out_of_range"),
        (true, "101", "rate_out_of_range"),
        (true, "abc", "amount_malformed"),
    ] {
        let refused = sam
            .call(InvoiceDownPayment {
                project,
                by_percent,
                value: value.into(),
            })
            .await;
        assert_eq!(refused.status, 422, "{value}: {}", refused.body);
        assert_eq!(refused.problem(), problem, "{value}");
    }

    // Until it is issued, the down payment is not deducted.
    let billing = sam.call(LoadProjectBilling { project }).await.ok();
    let order = billing.order.expect("the project has its sales order");
    assert_eq!(order.untaxed.amount, d("2600.00"));
    assert_eq!(order.down_payments.amount, d("780.00"));
    assert_eq!(order.to_deduct.amount, Decimal::ZERO);
    issue(&sam, down.id).await;
    let billing = sam.call(LoadProjectBilling { project }).await.ok();
    assert_eq!(billing.order.unwrap().to_deduct.amount, d("780.00"));

    // The final invoice bills every task and deducts the down payment per tax.
    let last = sam.call(InvoiceRest { project }).await.ok();
    let last = invoice(&sam, last).await;
    assert_eq!(last.untaxed.amount, d("1820.00"), "2,600.00 less 780.00");
    assert_eq!(
        down.total.amount + last.total.amount,
        d("2600.00") + d("504.00") + d("18.00"),
        "down payment and final invoice together bill the order with its tax"
    );
    let again = sam.call(InvoiceRest { project }).await;
    assert_eq!(again.problem(), "nothing_to_invoice", "{}", again.body);

    // A project that was not sold through an order has no down payments.
    let other = sam.create_project("Without an order").await;
    let refused = sam
        .call(InvoiceDownPayment {
            project: other.id,
            by_percent: true,
            value: "10".into(),
        })
        .await;
    assert_eq!(refused.problem(), "no_sales_order");

    // Sales people read invoices but do not make them.
    let marc = app.sign_in(MARC).await;
    let forbidden = marc
        .call(InvoiceDownPayment {
            project,
            by_percent: true,
            value: "10".into(),
        })
        .await;
    assert_eq!(forbidden.status, 403);
}

async fn count(app: &TestApp, sql: &str, project: Uuid) -> i64 {
    sqlx::query_scalar(sql)
        .bind(project)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

const TASKS: &str = "SELECT count(*) FROM tasks WHERE project_id = $1";
const HOURS: &str = "SELECT count(*) FROM time_entries e JOIN tasks t ON t.id = e.task_id
                     WHERE t.project_id = $1";

#[tokio::test]
async fn merging_moves_every_task_and_hour_and_loses_nothing() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let source = sam.create_project("Merged away").await.id;
    let target = sam.create_project("Takes the work").await.id;
    for n in 0..3 {
        let task = sam.create_task(source, &format!("Source task {n}")).await;
        let logged = sam
            .call(LogTime {
                id: task,
                work_date: chrono::Utc::now().date_naive().to_string(),
                hours: "1,5".into(),
                note: String::new(),
                billable: Some("on".into()),
            })
            .await;
        assert_eq!(logged.status, 200, "{}", logged.body);
    }
    sam.create_task(target, "Target task").await;
    let all_tasks: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    let preview = sam.call(PreviewMerge { source, target }).await.ok();
    assert_eq!((preview.tasks, preview.time_entries), (3, 3));
    let moved = sam.call(MergeProjects { source, target }).await.ok();
    assert_eq!(moved, preview, "the merge moves what its preview said");

    assert_eq!(count(&app, TASKS, source).await, 0);
    assert_eq!(count(&app, TASKS, target).await, 4);
    assert_eq!(count(&app, HOURS, target).await, 3);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, all_tasks, "no task is lost or copied");
    let state: String = sqlx::query_scalar("SELECT state FROM projects WHERE id = $1")
        .bind(source)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(state, "closed", "the merged project is closed with a link");

    // Once merged, it cannot be merged again.
    let again = sam.call(MergeProjects { source, target }).await;
    assert_eq!(again.status, 422, "{}", again.body);
}
