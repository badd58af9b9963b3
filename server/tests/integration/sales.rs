//! Sales through the real router: gapless quote and project numbers under 20 parallel
//! confirmations, the idempotent confirmation (a repeat, a second tab, and a failure halfway
//! that leaves everything as it was), bad input refused with its field, and sending by
//! e-mail through the outbox with its PDF, retried with backoff until it fails visibly.

use super::common;

use app::outbox::db::{deliver_due, Mailer, Outgoing};
use app::shared::DeliveryFailure;
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

async fn client_for(app: &TestApp, email: &str) -> reqwest::Client {
    let client = common::new_client();
    let response = app.sign_in_as(&client, email).await;
    assert!(response.status().is_success(), "sign in as {email}");
    client
}

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

async fn create_quote(app: &TestApp, client: &reqwest::Client, customer: Value) -> Uuid {
    let response = app
        .call_json(
            client,
            "quotes/create",
            &json!({ "opportunity": null, "customer": customer }),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    serde_json::from_value(response.json().await.unwrap()).unwrap()
}

async fn get(app: &TestApp, client: &reqwest::Client, id: Uuid) -> Value {
    let response = app
        .call(client, "quotes/get", &[("id", &id.to_string())])
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// Saves the quote with `lines`, keeping its header.
async fn save(
    app: &TestApp,
    client: &reqwest::Client,
    id: Uuid,
    lines: Value,
) -> reqwest::Response {
    let quote = get(app, client, id).await;
    let form = json!({ "quote": {
        "id": id,
        "version": quote["version"],
        "title": quote["title"],
        "customer_id": quote["customer"]["id"],
        "contact_id": null,
        "salesperson_id": quote["salesperson"]["id"],
        "quote_date": quote["quote_date"],
        "valid_until": quote["valid_until"],
        "currency": quote["currency"],
        "notes": "",
        "lines": lines,
    }});
    app.call_json(client, "quotes/save", &form).await
}

fn item(
    product: Option<Uuid>,
    description: &str,
    quantity: &str,
    price: &str,
    tax: Option<Uuid>,
) -> Value {
    json!({
        "kind": "item", "product_id": product, "description": description, "quantity": quantity,
        "unit": "", "unit_price": price, "discount": "", "tax_id": tax, "options": []
    })
}

fn field_of(body: &Value) -> String {
    body["Invalid"]["field"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

fn problem_of(body: &Value) -> String {
    body["Invalid"]["problem"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

async fn confirm(app: &TestApp, client: &reqwest::Client, id: Uuid) -> reqwest::Response {
    app.call(client, "quotes/confirm", &[("id", &id.to_string())])
        .await
}

#[tokio::test]
async fn twenty_parallel_confirmations_number_gaplessly_and_create_one_project_each() {
    let app = TestApp::spawn().await;
    let marc = client_for(&app, MARC).await;
    let lucia = client_for(&app, LUCIA).await;
    let (installation, vat) = product(&app, "HP-INST").await;
    let customer: Uuid =
        sqlx::query_scalar("SELECT id FROM contacts WHERE name = 'Installatietechniek Müller'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM quotes")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Twenty quotes created at once by two people: numbers follow on without a gap.
    let created = futures_util::future::join_all((0..20).map(|n| {
        let client = if n % 2 == 0 { &marc } else { &lucia };
        create_quote(
            &app,
            client,
            json!({ "choice": "existing", "id": customer }),
        )
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
        let lines = json!([
            { "kind": "section", "description": "Installation", "quantity": "", "unit": "",
              "unit_price": "", "discount": "", "tax_id": null, "product_id": null, "options": [] },
            item(Some(installation), "Heat pump installation", "1", "2400", vat),
            item(None, "Travel costs", "2", "45,50", vat),
        ]);
        let client = if n % 2 == 0 { &marc } else { &lucia };
        let saved = save(&app, client, *id, lines).await;
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    }
    let projects_before: i64 = sqlx::query_scalar("SELECT count(*) FROM projects")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Each quote confirmed twice at the same time, from both salespeople: 40 calls.
    let calls = created.iter().flat_map(|id| [(&marc, *id), (&lucia, *id)]);
    let app_ref = &app;
    let answers = futures_util::future::join_all(calls.map(|(client, id)| async move {
        let response = confirm(app_ref, client, id).await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        (id, response.json::<Uuid>().await.unwrap())
    }))
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
    let listed = app
        .call(&marc, "quotes/of", &[("contact", &customer.to_string())])
        .await;
    let listed: Value = listed.json().await.unwrap();
    let orders = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|q| q["status"] == "sale" && q["total"] == "3014.11")
        .count();
    assert_eq!(orders, 20, "{listed}");
}

#[tokio::test]
async fn confirming_is_idempotent_and_a_failure_leaves_the_quote_as_it_was() {
    let app = TestApp::spawn().await;
    let marc = client_for(&app, MARC).await;
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
    let response = app
        .call_json(&marc, "quotes/create", &json!({ "opportunity": deal,
            "customer": { "choice": "create", "name": "Hôtel Beausoleil", "email": "contact@beausoleil.example" } }))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let id: Uuid = response.json().await.unwrap();
    let mut configured = item(
        Some(bathroom),
        "Bathroom renovation\nSize: S",
        "1",
        "8350",
        vat,
    );
    configured["options"] = json!([small, heating]);
    let saved = save(&app, &marc, id, json!([configured])).await;
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());

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
    let failed = confirm(&app, &marc, id).await;
    assert_eq!(failed.status(), 500);
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
    let first = confirm(&app, &marc, id).await;
    assert_eq!(first.status(), 200);
    let project: Uuid = first.json().await.unwrap();
    let again: Uuid = confirm(&app, &marc, id).await.json().await.unwrap();
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
    let edit = save(
        &app,
        &marc,
        id,
        json!([item(None, "More", "1", "10", None)]),
    )
    .await;
    assert_eq!(edit.status(), 422);
    assert_eq!(
        problem_of(&edit.json().await.unwrap()),
        "sales_order_read_only"
    );
}

#[tokio::test]
async fn bad_input_is_refused_with_its_field() {
    let app = TestApp::spawn().await;
    let marc = client_for(&app, MARC).await;
    let tom = client_for(&app, TOM).await;
    let (bathroom, vat) = product(&app, "BATH-RENO").await;
    let id = create_quote(&app, &marc, json!({ "choice": "none" })).await;
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
        let refused = save(&app, &marc, id, json!([line])).await;
        assert_eq!(refused.status(), 422);
        let body: Value = refused.json().await.unwrap();
        assert_eq!(
            (field_of(&body).as_str(), problem_of(&body).as_str()),
            (field, problem),
            "{body}"
        );
    }
    let mut discounted = item(None, "Work", "1", "10", vat);
    discounted["discount"] = json!("120");
    let refused = save(&app, &marc, id, json!([discounted])).await;
    assert_eq!(field_of(&refused.json().await.unwrap()), "lines.0.discount");

    // An empty quote cannot be confirmed; an employee cannot edit.
    let empty = confirm(&app, &marc, id).await;
    assert_eq!(empty.status(), 422);
    assert_eq!(problem_of(&empty.json().await.unwrap()), "quote_empty");
    let forbidden = save(&app, &tom, id, json!([item(None, "Work", "1", "10", vat)])).await;
    assert_eq!(forbidden.status(), 403);

    // A quote whose validity passed is not confirmed, and stays as it was.
    assert_eq!(
        save(&app, &marc, id, json!([item(None, "Work", "1", "10", vat)]))
            .await
            .status(),
        200
    );
    sqlx::query("UPDATE quotes SET quote_date = current_date - 40, valid_until = current_date - 10 WHERE id = $1")
        .bind(id)
        .execute(&app.pool)
        .await
        .unwrap();
    let expired = confirm(&app, &marc, id).await;
    assert_eq!(expired.status(), 422);
    assert_eq!(problem_of(&expired.json().await.unwrap()), "quote_expired");
    assert_eq!(get(&app, &marc, id).await["status"], "expired");
    assert_eq!(
        scalar::<String>(&app, "SELECT state FROM quotes WHERE id = $1", id).await,
        "draft"
    );

    // A cancelled quote is not confirmed either.
    let version = get(&app, &marc, id).await["version"].to_string();
    let cancelled = app
        .call(
            &marc,
            "quotes/act",
            &[
                ("id", &id.to_string()),
                ("version", &version),
                ("action", "cancel"),
            ],
        )
        .await;
    assert_eq!(
        cancelled.status(),
        200,
        "{}",
        cancelled.text().await.unwrap()
    );
    let refused = confirm(&app, &marc, id).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        problem_of(&refused.json().await.unwrap()),
        "action_not_allowed"
    );

    // A product priced in euros does not go on a quote in dollars.
    let dollars = create_quote(&app, &marc, json!({ "choice": "none" })).await;
    let quote = get(&app, &marc, dollars).await;
    let (led, _) = product(&app, "LED-6060").await;
    let form = json!({ "quote": {
        "id": dollars, "version": quote["version"], "title": "US office", "customer_id": null,
        "contact_id": null, "salesperson_id": null, "quote_date": quote["quote_date"],
        "valid_until": quote["valid_until"], "currency": "USD", "notes": "",
        "lines": [item(Some(led), "LED panel", "10", "89", None)],
    }});
    let mixed = app.call_json(&marc, "quotes/save", &form).await;
    assert_eq!(mixed.status(), 422);
    let body: Value = mixed.json().await.unwrap();
    assert_eq!(
        (field_of(&body).as_str(), problem_of(&body).as_str()),
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
    let sam = client_for(&app, SAM).await;
    let (led, vat) = product(&app, "LED-6060").await;
    let id = create_quote(
        &app,
        &sam,
        json!({ "choice": "create", "name": "Bureau Janssens", "email": "" }),
    )
    .await;
    assert_eq!(
        save(
            &app,
            &sam,
            id,
            json!([item(Some(led), "LED panel", "24", "89", vat)])
        )
        .await
        .status(),
        200
    );

    let version = get(&app, &sam, id).await["version"].to_string();
    let bad = app
        .call(
            &sam,
            "quotes/send",
            &[
                ("id", &id.to_string()),
                ("version", &version),
                ("to", "not an address"),
                ("subject", "Quote"),
                ("body", ""),
            ],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert_eq!(field_of(&bad.json().await.unwrap()), "to");

    let pdf = sam
        .get(app.url(&format!("/files/quotes/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    let draft: Value = app
        .call(&sam, "quotes/email", &[("id", &id.to_string())])
        .await
        .json()
        .await
        .unwrap();
    assert!(draft["subject"].as_str().unwrap().contains("Q-"), "{draft}");
    let send = [
        ("id", id.to_string()),
        ("version", version),
        ("to", "inkoop@janssens.example".to_string()),
        ("subject", draft["subject"].as_str().unwrap().to_string()),
        ("body", "Dear customer,\n\nHere is our quote.".to_string()),
    ];
    let send: Vec<(&str, &str)> = send.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // A double submit: one e-mail, and the second is told the quote changed.
    let (sent, again) = tokio::join!(
        app.call(&sam, "quotes/send", &send),
        app.call(&sam, "quotes/send", &send)
    );
    let (sent, again) = if sent.status() == 200 {
        (sent, again)
    } else {
        (again, sent)
    };
    assert_eq!(again.status(), 409);
    let messages: i64 =
        sqlx::query_scalar("SELECT count(*) FROM outbox_messages WHERE quote_id = $1")
            .bind(id)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(messages, 1);
    assert_eq!(sent.status(), 200, "{}", sent.text().await.unwrap());
    let sent: Value = sent.json().await.unwrap();
    assert_eq!(sent["state"], "sent");

    let outbox: Value = app
        .call(&sam, "outbox/page", &[])
        .await
        .json()
        .await
        .unwrap();
    let message = &outbox["messages"][0];
    assert_eq!(message["to"], "inkoop@janssens.example");
    assert_eq!(message["status"], "pending");
    assert_eq!(
        outbox["delivering"], false,
        "without SMTP the outbox only keeps messages"
    );
    let message_id = message["id"].as_str().unwrap();
    let attachment = sam
        .get(app.url(&format!("/files/outbox/{message_id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(attachment.status(), 200);
    assert!(attachment.bytes().await.unwrap().starts_with(b"%PDF-"));
    let tom = client_for(&app, TOM).await;
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
            "SELECT extract(epoch FROM next_attempt_at - now())::float8 FROM outbox_messages",
        )
        .fetch_one(&app.pool)
        .await
        .unwrap();
        waits.push((wait / 60.0).round() as i64);
    }
    assert_eq!(waits[..5], [1, 2, 4, 8, 16], "backoff doubles");
    let (status, attempts): (String, i32) =
        sqlx::query_as("SELECT status, attempts FROM outbox_messages")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), attempts),
        ("failed", app::outbox::MAX_ATTEMPTS)
    );
    let quote = get(&app, &sam, id).await;
    assert_eq!(
        quote["send_failure"], "server",
        "the failure shows on the quote as a reason, never the server's own words"
    );
    let timeline: Value = app
        .call(
            &sam,
            "timeline/page",
            &[("kind", "quote"), ("id", &id.to_string())],
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(timeline.to_string().contains("send_failed"), "{timeline}");

    // Tried again by hand, with the server back: delivered with its PDF.
    let retried = app.call(&sam, "outbox/retry", &[("id", message_id)]).await;
    assert_eq!(retried.status(), 200);
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
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn amounts_in_different_currencies_are_never_added_up() {
    let app = TestApp::spawn().await;
    let sam = client_for(&app, SAM).await;
    let (_, vat) = product(&app, "HP-INST").await;
    let mut quotes = Vec::new();
    for (currency, price) in [("EUR", "1000"), ("USD", "500"), ("USD", "250")] {
        let id = create_quote(&app, &sam, json!({ "choice": "none" })).await;
        sqlx::query(
            "UPDATE quotes SET title = 'Currency test ' || $2, currency = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(currency)
        .execute(&app.pool)
        .await
        .unwrap();
        let saved = save(&app, &sam, id, json!([item(None, "Work", "1", price, vat)])).await;
        assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
        quotes.push(id);
    }
    let d = |text: &str| text.parse::<rust_decimal::Decimal>().unwrap();

    // Grouped: one group of three drafts, its totals per currency.
    let grouped = app
        .call_json(
            &sam,
            "views/page",
            &json!({ "list": "quotes", "query": "q=Currency test&g=status", "path": [], "after": null }),
        )
        .await;
    assert_eq!(grouped.status(), 200, "{}", grouped.text().await.unwrap());
    let grouped: Value = grouped.json().await.unwrap();
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
    let page = app
        .call_json(
            &sam,
            "views/page",
            &json!({ "list": "quotes", "query": "q=Currency test&c=title,total,currency&s=title",
                     "path": [], "after": null }),
        )
        .await;
    assert_eq!(page.status(), 200, "{}", page.text().await.unwrap());
    let page: Value = page.json().await.unwrap();
    let cells: Vec<&Value> = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| &row["cells"][1])
        .collect();
    assert_eq!(cells.len(), 3, "{page}");
    assert_eq!(cells[0]["Money"][1], "EUR");
    assert_eq!(cells[1]["Money"][1], "USD");

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
    let board = app
        .call(&sam, "crm/board", &[("query", "q=Currency deal")])
        .await;
    assert_eq!(board.status(), 200);
    let board: Value = board.json().await.unwrap();
    let first = &board["columns"][0];
    assert_eq!(first["count"], 3, "{board}");
    let revenue: Vec<(String, rust_decimal::Decimal)> = first["revenue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                pair[0].as_str().unwrap().to_string(),
                pair[1].as_str().unwrap().parse().unwrap(),
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
