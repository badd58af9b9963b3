//! Sales through the real router: gapless quote and project numbers under 20 parallel
//! confirmations, the idempotent confirmation (a repeat, a second tab, and a failure halfway
//! that leaves everything as it was), bad input refused with its field, and sending by
//! e-mail through the outbox with its PDF, retried with backoff until it fails visibly.

use super::common;

use app::crm::api::PipelineBoard;
use app::domain::quote::{LineInput, LineKind};
use app::domain::quote_state::{QuoteAction, QuoteStatus};
use app::outbox::api::{LoadOutbox, RetryMessage};
use app::outbox::db::{deliver_due, Mailer, Outgoing};
use app::quotes::api::{ActOnQuote, CreateQuote, QuoteEmail, QuotesOf, SendQuote};
use app::quotes::CustomerChoice;
use app::shared::{DeliveryFailure, RecordKind};
use app::views::api::FetchListPage;
use common::TestApp;
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const MARC: &str = "marc@atrium.example"; // sales
const LUCIA: &str = "lucia@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee

async fn scalar<T>(app: &TestApp, sql: &str, id: Uuid) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres> + Send + Unpin,
{
    sqlx::query_scalar(sql)
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn product(app: &TestApp, reference: &str) -> (Uuid, Option<Uuid>) {
    sqlx::query_as("SELECT id, tax_id FROM products WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn item(
    product: Option<Uuid>,
    description: &str,
    quantity: &str,
    price: &str,
    tax: Option<Uuid>,
) -> LineInput {
    LineInput {
        kind: LineKind::Item,
        product_id: product,
        description: description.to_string(),
        quantity: quantity.to_string(),
        unit_price: price.to_string(),
        tax_id: tax,
        ..Default::default()
    }
}

#[tokio::test]
async fn twenty_parallel_confirmations_number_gaplessly_and_create_one_project_each() {
    let app = TestApp::spawn().await;
    let marc = app.sign_in(MARC).await;
    let lucia = app.sign_in(LUCIA).await;
    let (installation, vat) = product(&app, "HP-INST").await;
    let customer = app.contact_id("Installatietechniek Müller").await;
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM quotes")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Twenty quotes created at once by two people: numbers follow on without a gap.
    let created = futures_util::future::join_all((0..20).map(|n| {
        let session = if n % 2 == 0 { &marc } else { &lucia };
        session.create_quote(CustomerChoice::Existing { id: customer })
    }))
    .await;
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM quotes ORDER BY number")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let year = chrono::Utc::now().format("%Y").to_string();
    let expected: Vec<String> = (1..=before + 20)
        .map(|n| format!("Q-{year}-{n:04}"))
        .collect();
    assert_eq!(numbers, expected, "quote numbers are gapless and unique");

    for (n, id) in created.iter().enumerate() {
        let section = LineInput {
            kind: LineKind::Section,
            description: "Installation".to_string(),
            ..Default::default()
        };
        let lines = vec![
            section,
            item(
                Some(installation),
                "Heat pump installation",
                "1",
                "2400",
                vat,
            ),
            item(None, "Travel costs", "2", "45,50", vat),
        ];
        let session = if n % 2 == 0 { &marc } else { &lucia };
        let saved = session.save_quote_lines(*id, lines).await;
        assert_eq!(saved.status, 200, "{}", saved.body);
    }
    let projects_before: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Each quote confirmed twice at the same time, from both salespeople: 40 calls.
    let calls = created.iter().flat_map(|id| [(&marc, *id), (&lucia, *id)]);
    let answers = futures_util::future::join_all(
        calls.map(|(session, id)| async move { (id, session.confirm_quote(id).await.ok()) }),
    )
    .await;
    for pair in answers.chunks(2) {
        assert_eq!(
            pair[0], pair[1],
            "both confirmations of a quote name the same project"
        );
    }
    let projects_after: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        projects_after - projects_before,
        20,
        "one project per quote"
    );
    let numbers: Vec<String> = sqlx::query_scalar("SELECT number FROM projects ORDER BY number")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    let expected: Vec<String> = (1..=projects_after)
        .map(|n| format!("P-{year}-{n:04}"))
        .collect();
    assert_eq!(numbers, expected, "project numbers are gapless and unique");

    // Every project: the quote's customer, budget = untaxed total, tasks from the templates in
    // order with the line's amount split by planned hours; both links set.
    let (id, project) = answers[0];
    let row: (
        String,
        Option<rust_decimal::Decimal>,
        Option<Uuid>,
        Option<Uuid>,
    ) = sqlx::query_as(
        "SELECT q.state, p.budget, p.customer_id, p.quote_id FROM quotes q
         JOIN projects p ON p.id = q.project_id WHERE q.id = $1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(row.0, "sale");
    assert_eq!(
        row.1,
        Some(rust_decimal::Decimal::new(249100, 2)),
        "2400 + 2 × 45.50"
    );
    assert_eq!(row.2, Some(customer));
    assert_eq!(row.3, Some(id));
    let tasks: Vec<(String, Option<rust_decimal::Decimal>)> = sqlx::query_as(
        "SELECT title, quoted_amount FROM tasks WHERE project_id = $1 ORDER BY position",
    )
    .bind(project)
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let titles: Vec<&str> = tasks.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Technical survey",
            "Install outdoor unit",
            "Connect indoor unit and hydraulics",
            "Commissioning and handover"
        ]
    );
    let quoted: rust_decimal::Decimal = tasks.iter().filter_map(|(_, a)| *a).sum();
    assert_eq!(
        quoted,
        rust_decimal::Decimal::new(2400, 0),
        "the line's amount, split exactly"
    );

    // The customer's contact page lists the orders with their totals.
    let listed = marc
        .call(QuotesOf {
            contact: Some(customer),
            opportunity: None,
        })
        .await
        .body;
    let orders = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["status"] == "sale" && q["total"]["amount"] == "3014.11")
        .count();
    assert_eq!(orders, 20, "{listed}");
}

#[tokio::test]
async fn confirming_is_idempotent_and_a_failure_leaves_the_quote_as_it_was() {
    let app = TestApp::spawn().await;
    let marc = app.sign_in(MARC).await;
    let (bathroom, vat) = product(&app, "BATH-RENO").await;
    let option = |name: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query_scalar::<_, Uuid>("SELECT id FROM product_options WHERE name = $1")
                .bind(name)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // The first option of the first group: its tasks still come after the product's own.
    let (small, heating) = (
        option("S (up to 5 m²)").await,
        option("Underfloor heating").await,
    );
    let deal: Uuid =
        sqlx::query_scalar("SELECT id FROM opportunities WHERE title = 'Office lighting retrofit'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let id = marc
        .call(CreateQuote {
            opportunity: Some(deal),
            customer: CustomerChoice::Create {
                name: "Hôtel Beausoleil".to_string(),
                email: "contact@beausoleil.example".to_string(),
            },
        })
        .await
        .ok();
    let mut configured = item(
        Some(bathroom),
        "Bathroom renovation\nSize: S",
        "1",
        "8350",
        vat,
    );
    configured.options = vec![small, heating];
    let saved = marc.save_quote_lines(id, vec![configured]).await;
    assert_eq!(saved.status, 200, "{}", saved.body);

    // A failure halfway (a task that cannot be written) rolls everything back.
    sqlx::query(
        "CREATE FUNCTION refuse_task() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.title = 'Lay underfloor heating' THEN RAISE EXCEPTION 'refused'; END IF;
         RETURN NEW; END $$",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("CREATE TRIGGER refuse_task BEFORE INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION refuse_task()")
        .execute(&app.pool)
        .await
        .unwrap();
    let projects: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let counter: i32 = sqlx::query_scalar("SELECT last FROM number_counters WHERE series = 'P'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let failed = marc.confirm_quote(id).await;
    assert_eq!(failed.status, 500);
    assert_eq!(
        scalar::<String>(&app, "SELECT state FROM quotes WHERE id = $1", id).await,
        "draft"
    );
    assert_eq!(
        scalar::<String>(&app, "SELECT status FROM opportunities WHERE id = $1", deal).await,
        "open"
    );
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, projects, "no project is left behind");
    let counter_after: i32 =
        sqlx::query_scalar("SELECT last FROM number_counters WHERE series = 'P'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(counter_after, counter, "the project number is given back");
    sqlx::query("DROP TRIGGER refuse_task ON tasks")
        .execute(&app.pool)
        .await
        .unwrap();

    // Confirmed, then confirmed again: the same project, and nothing new.
    let first = marc.confirm_quote(id).await;
    assert_eq!(first.status, 200);
    let project = first.ok();
    let again = marc.confirm_quote(id).await.ok();
    assert_eq!(again, project);
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(after, projects + 1);
    let titles: Vec<String> =
        sqlx::query_scalar("SELECT title FROM tasks WHERE project_id = $1 ORDER BY position")
            .bind(project)
            .fetch_all(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        titles,
        [
            "Site survey",
            "Demolition and removal",
            "Install sanitary ware (S)",
            "Lay underfloor heating"
        ],
        "product templates first, then the options in group order"
    );
    assert_eq!(
        scalar::<String>(&app, "SELECT status FROM opportunities WHERE id = $1", deal).await,
        "won"
    );
    let customer: Option<String> = sqlx::query_scalar(
        "SELECT c.name FROM projects p JOIN contacts c ON c.id = p.customer_id WHERE p.id = $1",
    )
    .bind(project)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        customer.as_deref(),
        Some("Hôtel Beausoleil"),
        "the customer created in the dialog"
    );

    // A sales order is read-only.
    let edit = marc
        .save_quote_lines(id, vec![item(None, "More", "1", "10", None)])
        .await;
    assert_eq!(edit.status, 422);
    assert_eq!(edit.problem(), "sales_order_read_only");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field() {
    let app = TestApp::spawn().await;
    let marc = app.sign_in(MARC).await;
    let tom = app.sign_in(TOM).await;
    let (bathroom, vat) = product(&app, "BATH-RENO").await;
    let id = marc.create_quote(CustomerChoice::None).await;
    let cases = [
        (
            item(None, "Work", "-1", "10", vat),
            "lines.0.quantity",
            "quantity_negative",
        ),
        (
            item(None, "Work", "1", "-10", vat),
            "lines.0.unit_price",
            "price_negative",
        ),
        (
            item(None, "Work", "1", "abc", vat),
            "lines.0.unit_price",
            "amount_malformed",
        ),
        (
            item(None, "Work", "1", "10", Some(Uuid::now_v7())),
            "lines.0.tax",
            "tax_unknown",
        ),
        (
            item(Some(bathroom), "Bathroom", "1", "6500", vat),
            "lines.0.options",
            "option_required",
        ),
    ];
    for (line, field, problem) in cases {
        let refused = marc.save_quote_lines(id, vec![line]).await;
        assert_eq!(refused.status, 422);
        assert_eq!(
            (refused.field(), refused.problem()),
            (field, problem),
            "{}",
            refused.body
        );
    }
    let mut discounted = item(None, "Work", "1", "10", vat);
    discounted.discount = "120".to_string();
    let refused = marc.save_quote_lines(id, vec![discounted]).await;
    assert_eq!(refused.field(), "lines.0.discount");

    // An empty quote cannot be confirmed; an employee cannot edit.
    let empty = marc.confirm_quote(id).await;
    assert_eq!(empty.status, 422);
    assert_eq!(empty.problem(), "quote_empty");
    let forbidden = tom
        .save_quote_lines(id, vec![item(None, "Work", "1", "10", vat)])
        .await;
    assert_eq!(forbidden.status, 403);

    // A quote whose validity passed is not confirmed, and stays as it was.
    assert_eq!(
        marc.save_quote_lines(id, vec![item(None, "Work", "1", "10", vat)])
            .await
            .status,
        200
    );
    sqlx::query("UPDATE quotes SET quote_date = current_date - 40, valid_until = current_date - 10 WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let expired = marc.confirm_quote(id).await;
    assert_eq!(expired.status, 422);
    assert_eq!(expired.problem(), "quote_expired");
    assert_eq!(marc.quote(id).await.status, QuoteStatus::Expired);
    assert_eq!(
        scalar::<String>(&app, "SELECT state FROM quotes WHERE id = $1", id).await,
        "draft"
    );

    // A cancelled quote is not confirmed either.
    let version = marc.quote(id).await.version;
    let cancelled = marc
        .call(ActOnQuote {
            id,
            version,
            action: QuoteAction::Cancel,
        })
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    let refused = marc.confirm_quote(id).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem(), "action_not_allowed");

    // A product priced in euros does not go on a quote in dollars.
    let dollars = marc.create_quote(CustomerChoice::None).await;
    let (led, _) = product(&app, "LED-6060").await;
    let mut form = marc.quote_form(dollars).await;
    form["title"] = json!("US office");
    form["customer_id"] = Value::Null;
    form["salesperson_id"] = Value::Null;
    form["currency"] = json!("USD");
    form["lines"] = json!([item(Some(led), "LED panel", "10", "89", None)]);
    let mixed = marc.save_quote(form).await;
    assert_eq!(mixed.status, 422);
    assert_eq!(
        (mixed.field(), mixed.problem()),
        ("lines.0.product", "currency_mismatch")
    );
}

/// A delivered message: recipient, and the attachment's name and bytes.
type Delivered = (String, Option<(String, Vec<u8>)>);

/// A mail server double: fails while `failing`, records what it delivered.
struct TestMailer {
    failing: bool,
    delivered: Mutex<Vec<Delivered>>,
}

impl Mailer for TestMailer {
    fn send<'a>(
        &'a self,
        message: Outgoing,
    ) -> Pin<Box<dyn Future<Output = Result<(), DeliveryFailure>> + Send + 'a>> {
        Box::pin(async move {
            if self.failing {
                return Err(DeliveryFailure::Server);
            }
            self.delivered.lock().unwrap().push((
                message.to,
                message.attachment.map(|(name, _, bytes)| (name, bytes)),
            ));
            Ok(())
        })
    }
}

#[tokio::test]
async fn sending_queues_the_pdf_in_the_outbox_and_retries_until_it_fails_visibly() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (led, vat) = product(&app, "LED-6060").await;
    let id = sam
        .create_quote(CustomerChoice::Create {
            name: "Bureau Janssens".to_string(),
            email: String::new(),
        })
        .await;
    assert_eq!(
        sam.save_quote_lines(id, vec![item(Some(led), "LED panel", "24", "89", vat)])
            .await
            .status,
        200
    );

    let version = sam.quote(id).await.version;
    let bad = sam
        .call(SendQuote {
            id,
            version,
            to: "not an address".to_string(),
            subject: "Quote".to_string(),
            body: String::new(),
        })
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.field(), "to");

    let pdf = sam
        .get(app.url(&format!("/files/quotes/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    let draft = sam.call(QuoteEmail { id }).await.ok();
    assert!(draft.subject.contains("Q-"), "{draft:?}");
    let send = SendQuote {
        id,
        version,
        to: "inkoop@janssens.example".to_string(),
        subject: draft.subject,
        body: "Dear customer,\n\nHere is our quote.".to_string(),
    };
    // A double submit: one e-mail, and the second is told the quote changed.
    let (sent, again) = tokio::join!(sam.call(send.clone()), sam.call(send));
    let (sent, again) = if sent.status == 200 {
        (sent, again)
    } else {
        (again, sent)
    };
    assert_eq!(again.status, 409);
    let messages: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE quote_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(messages, 1);
    assert_eq!(sent.status, 200, "{}", sent.body);
    assert_eq!(sent.body["state"], "sent");

    let outbox = sam.call(LoadOutbox {}).await.body;
    let message = &outbox["messages"][0];
    assert_eq!(message["to"], "inkoop@janssens.example");
    assert_eq!(message["status"], "pending");
    assert_eq!(
        outbox["delivering"], false,
        "without SMTP the outbox only keeps messages"
    );
    let message_id: Uuid = message["id"].as_str().unwrap().parse().unwrap();
    let attachment = sam
        .get(app.url(&format!("/files/outbox/{message_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.status(), 200);
    assert!(attachment.bytes().await.unwrap().starts_with(b"%PDF-"));
    let tom = app.sign_in(TOM).await;
    let hidden = tom
        .get(app.url(&format!("/files/outbox/{message_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), 404, "someone else's e-mail stays private");

    // The mail server is down: each attempt waits longer; the last one gives up.
    let down = TestMailer {
        failing: true,
        delivered: Mutex::new(Vec::new()),
    };
    let mut waits = Vec::new();
    for _ in 0..app::outbox::MAX_ATTEMPTS {
        sqlx::query("UPDATE outbox_messages SET next_attempt_at = now() WHERE status = 'pending'")
            .execute(&app.pool)
            .await
            .unwrap();
        deliver_due(&app.pool, app.files.as_ref(), &down, 10)
            .await
            .unwrap();
        let wait: f64 = sqlx::query_scalar(
            "SELECT extract(epoch FROM next_attempt_at - now())::float8 FROM outbox_messages
             WHERE quote_id = $1",
        )
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap();
        waits.push((wait / 60.0).round() as i64);
    }
    assert_eq!(waits[..5], [1, 2, 4, 8, 16], "backoff doubles");
    let (status, attempts): (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM outbox_messages WHERE quote_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), attempts),
        ("failed", app::outbox::MAX_ATTEMPTS)
    );
    let quote = sam.quote(id).await;
    assert_eq!(
        quote.send_failure.as_deref(),
        Some("server"),
        "the failure shows on the quote as a reason, never the server's own words"
    );
    let timeline = sam.timeline(RecordKind::Quote, id).await;
    assert!(timeline.to_string().contains("send_failed"), "{timeline}");

    // Tried again by hand, with the server back: delivered with its PDF.
    let retried = sam.call(RetryMessage { id: message_id }).await;
    assert_eq!(retried.status, 200);
    let up = TestMailer {
        failing: false,
        delivered: Mutex::new(Vec::new()),
    };
    let delivery = deliver_due(&app.pool, app.files.as_ref(), &up, 10)
        .await
        .unwrap();
    assert_eq!(delivery.sent, 1);
    let delivered = up.delivered.lock().unwrap();
    assert_eq!(delivered[0].0, "inkoop@janssens.example");
    let (name, bytes) = delivered[0].1.as_ref().unwrap();
    assert!(name.starts_with("Q-") && name.ends_with(".pdf"));
    assert!(bytes.starts_with(b"%PDF-"));
}

/// The amounts of a summed field in a list group, per currency: `[(code, amount)]`.
fn per_currency(group: &Value, field: &str) -> Vec<(String, rust_decimal::Decimal)> {
    let total = group["sums"]
        .as_array()
        .unwrap()
        .iter()
        .find(|sum| sum[0] == field)
        .unwrap_or_else(|| panic!("no sum of {field} in {group}"));
    total[1]["PerCurrency"]
        .as_array()
        .unwrap_or_else(|| panic!("{field} is not summed per currency: {total}"))
        .iter()
        .map(|sum| {
            (
                sum["currency"].as_str().unwrap().to_string(),
                sum["amount"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn amounts_in_different_currencies_are_never_added_up() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (_, vat) = product(&app, "HP-INST").await;
    let mut quotes = Vec::new();
    for (currency, price) in [("EUR", "1000"), ("USD", "500"), ("USD", "250")] {
        let id = sam.create_quote(CustomerChoice::None).await;
        sqlx::query(
            "UPDATE quotes SET title = 'Currency test ' || $2, currency = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(currency)
        .execute(&app.pool)
        .await
        .unwrap();
        let saved = sam
            .save_quote_lines(id, vec![item(None, "Work", "1", price, vat)])
            .await;
        assert_eq!(saved.status, 200, "{}", saved.body);
        quotes.push(id);
    }
    let d = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();

    // Grouped: one group of three drafts, its totals per currency.
    let grouped = sam
        .call(FetchListPage {
            list: "quotes".to_string(),
            query: "q=Currency test&g=status".to_string(),
            path: vec![],
            after: None,
        })
        .await
        .ok_json();
    let groups = grouped["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1, "{grouped}");
    assert_eq!(groups[0]["count"], 3);
    assert_eq!(
        per_currency(&groups[0], "total"),
        [
            ("EUR".to_string(), d("1210.00")),
            ("USD".to_string(), d("907.50"))
        ],
        "21 % VAT on €1,000 and on $500 + $250, kept apart"
    );
    assert_eq!(
        per_currency(&groups[0], "untaxed"),
        [
            ("EUR".to_string(), d("1000.00")),
            ("USD".to_string(), d("750.00"))
        ]
    );

    // Rows: each amount carries its currency.
    let page = sam
        .call(FetchListPage {
            list: "quotes".to_string(),
            query: "q=Currency test&c=title,total,currency&s=title".to_string(),
            path: vec![],
            after: None,
        })
        .await
        .ok_json();
    let cells: Vec<&Value> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["cells"][1])
        .collect();
    assert_eq!(cells.len(), 3, "{page}");
    assert_eq!(cells[0]["Money"]["currency"], "EUR");
    assert_eq!(cells[1]["Money"]["currency"], "USD");

    // The export writes plain amounts beside their currency.
    let csv = sam
        .get(app.url("/export/quotes.csv?q=Currency%20test&c=title,total,currency&s=title"))
        .send()
        .await
        .unwrap();
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("Currency test EUR,1210.00,EUR"), "{csv}");
    assert!(csv.contains("Currency test USD,605.00,USD"), "{csv}");

    // The pipeline board sums a column's deals per currency.
    sqlx::query(
        "INSERT INTO opportunities (id, title, pipeline_id, stage_id, expected_revenue, currency, position)
         SELECT gen_random_uuid(), 'Currency deal ' || c, s.pipeline_id, s.id, a, c, a
         FROM (VALUES ('EUR', 1000), ('USD', 300), ('USD', 200)) AS v(c, a)
         CROSS JOIN (SELECT id, pipeline_id FROM pipeline_stages WHERE NOT is_won
                     ORDER BY position LIMIT 1) s",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    let board = sam
        .call(PipelineBoard {
            pipeline: None,
            query: "q=Currency deal".to_string(),
        })
        .await;
    assert_eq!(board.status, 200);
    let board = board.body;
    let first = &board["columns"][0];
    assert_eq!(first["count"], 3, "{board}");
    let revenue: Vec<(String, rust_decimal::Decimal)> = first["revenue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|sum| {
            (
                sum["currency"].as_str().unwrap().to_string(),
                sum["amount"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        revenue,
        [
            ("EUR".to_string(), d("1000")),
            ("USD".to_string(), d("500"))
        ]
    );
}
