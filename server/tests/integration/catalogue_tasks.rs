//! Adding tasks to a running project from the catalogue and the configurator, through the
//! real router: the tasks a confirmed quote line would have made, with their quoted amounts
//! and the product's tax, which a partial invoice then bills; refused on a locked or closed
//! project, for someone who does not work on the project, and for numbers no line could have.

use super::common;

use app::domain::quote::Tax;
use app::domain::Permission;
use app::invoices::api::{GetInvoice, InvoiceTasks};
use app::invoices::Invoice;
use app::products::project_tasks::api::{AddCatalogueTasks, LoadProjectCatalogue};
use app::products::project_tasks::{CatalogueLine, ProjectCatalogue};
use app::projects::api::AddMember;
use app::shared::RecordKind;
use common::session::Session;
use common::TestApp;
use rust_decimal::Decimal;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const MARC: &str = "marc@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

async fn product(app: &TestApp, reference: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM products WHERE reference = $1")
        .bind(reference)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn option(app: &TestApp, name: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM product_options WHERE name = $1")
        .bind(name)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

fn line(product: Uuid, quantity: &str, price: &str) -> CatalogueLine {
    CatalogueLine {
        product_id: product,
        options: Vec::new(),
        quantity: quantity.to_string(),
        unit_price: price.to_string(),
        discount: String::new(),
    }
}

/// A task as stored: id, title, quoted amount, and the rate of the tax it keeps.
type StoredTask = (Uuid, String, Option<Decimal>, Option<Decimal>);

/// The project's tasks in their order.
async fn stored_tasks(app: &TestApp, project: Uuid) -> Vec<StoredTask> {
    sqlx::query_as(
        "SELECT id, title, quoted_amount, quoted_tax_rate FROM tasks
         WHERE project_id = $1 ORDER BY position, id",
    )
    .bind(project)
    .fetch_all(&app.pool)
    .await
    .unwrap()
}

/// The field and problem of a refusal that must be a validation error (422).
async fn refusal(session: &Session, project: Uuid, lines: Vec<CatalogueLine>) -> (String, String) {
    let reply = session.call(AddCatalogueTasks { project, lines }).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    (reply.field().to_string(), reply.problem().to_string())
}

async fn add(session: &Session, project: Uuid, lines: Vec<CatalogueLine>) -> Vec<Uuid> {
    session
        .call(AddCatalogueTasks { project, lines })
        .await
        .ok()
}

/// A project of a customer, so that it can be invoiced.
async fn customer_project(app: &TestApp, session: &Session, title: &str) -> Uuid {
    let project = session.create_project(title).await.id;
    let customer = app.contact_id("Bouwbedrijf De Vries BV").await;
    sqlx::query("UPDATE projects SET customer_id = $2 WHERE id = $1")
        .bind(project)
        .bind(customer)
        .execute(&app.pool)
        .await
        .unwrap();
    project
}

#[tokio::test]
async fn products_and_configurations_become_the_tasks_a_confirmed_quote_would_make() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = sam.create_project("Extension of the workshop").await.id;

    // The dialog offers the catalogue in the project's currency, with what each product
    // becomes.
    let offered: ProjectCatalogue = sam.call(LoadProjectCatalogue { project }).await.ok();
    let installation = product(&app, "HP-INST").await;
    assert!(offered.product(installation).is_some());
    assert!(offered
        .templates
        .iter()
        .any(|t| t.product == installation && t.title == "Technical survey"));

    // A service: one task per template, the amount without tax shared by planned hours
    // (3, 8, 6 and 4 of 21 hours), the product's tax kept on each.
    let added = add(&sam, project, vec![line(installation, "1", "2400")]).await;
    let tasks = stored_tasks(&app, project).await;
    assert_eq!(
        tasks.iter().map(|t| t.0).collect::<Vec<_>>(),
        added,
        "the new tasks, in order"
    );
    let titles: Vec<&str> = tasks.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Technical survey",
            "Install outdoor unit",
            "Connect indoor unit and hydraulics",
            "Commissioning and handover"
        ]
    );
    let amounts: Vec<Decimal> = tasks.iter().map(|t| t.2.unwrap()).collect();
    assert_eq!(
        amounts,
        [d("342.86"), d("914.29"), d("685.71"), d("457.14")]
    );
    assert!(tasks.iter().all(|t| t.3 == Some(d("21"))));

    // The configurator: the product's own tasks, then those of the chosen options in group
    // order; the discounted line (6500 + 1500 + 2400, less 5 %) shared over them.
    let bathroom = product(&app, "BATH-RENO").await;
    let size = option(&app, "M (5–8 m²)").await;
    let tiling = option(&app, "Tiling walls and floor").await;
    let configured = CatalogueLine {
        options: vec![tiling, size],
        discount: "5".to_string(),
        ..line(bathroom, "1", "10400")
    };
    let added = add(&sam, project, vec![configured]).await;
    assert_eq!(added.len(), 4);
    let tasks = stored_tasks(&app, project).await;
    let new: Vec<&StoredTask> = tasks.iter().filter(|t| added.contains(&t.0)).collect();
    let titles: Vec<&str> = new.iter().map(|t| t.1.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Site survey",
            "Demolition and removal",
            "Install sanitary ware (M)",
            "Tiling"
        ]
    );
    let sum: Decimal = new.iter().map(|t| t.2.unwrap()).sum();
    assert_eq!(sum, d("9880.00"), "the shares add up to the line");

    // Goods without templates become one task named after them, with the whole line.
    let pump = product(&app, "HP-8KW").await;
    let added = add(&sam, project, vec![line(pump, "2", "5200")]).await;
    let tasks = stored_tasks(&app, project).await;
    let last = tasks.iter().find(|t| t.0 == added[0]).unwrap();
    assert_eq!(
        (last.1.as_str(), last.2),
        ("Air/water heat pump 8 kW", Some(d("10400.00")))
    );
    assert_eq!(tasks.len(), 9, "added last, after the tasks already there");
    assert_eq!(tasks.last().unwrap().0, added[0]);

    // Each task is on the project's timeline, and in its own history.
    let timeline = sam.timeline(RecordKind::Project, project).await.to_string();
    assert!(timeline.contains("Install outdoor unit"));
    assert!(timeline.contains("Air/water heat pump 8 kW"));
    let created: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM task_history h JOIN tasks t ON t.id = h.task_id
         WHERE t.project_id = $1 AND h.kind = 'created'",
    )
    .bind(project)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(created, 9);
}

#[tokio::test]
async fn a_partial_invoice_bills_an_added_task_at_its_products_tax() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = customer_project(&app, &sam, "Heat pump, second building").await;
    let installation = product(&app, "HP-INST").await;
    let added = add(&sam, project, vec![line(installation, "1", "2400")]).await;

    let draft: Uuid = sam
        .call(InvoiceTasks {
            project,
            tasks: vec![added[0]],
        })
        .await
        .ok();
    let invoice: Invoice = sam.call(GetInvoice { id: draft }).await.ok();
    assert_eq!(invoice.lines.len(), 1);
    assert_eq!(invoice.lines[0].task, Some(added[0]));
    assert_eq!(
        invoice.lines[0].tax,
        Some(Tax {
            rate: d("21"),
            included: false
        })
    );
    assert_eq!(invoice.untaxed.amount, d("342.86"));
    assert_eq!(invoice.tax.amount, d("72.00"));
    assert_eq!(invoice.total.amount, d("414.86"));

    // A price that includes its tax is quoted without it, and billed with it again.
    let included = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO taxes (id, name, rate, included) VALUES ($1, 'VAT 21 % included', 21, true)",
    )
    .bind(included)
    .execute(&app.pool)
    .await
    .unwrap();
    let engineering = product(&app, "ENG-H").await;
    sqlx::query("UPDATE products SET tax_id = $2 WHERE id = $1")
        .bind(engineering)
        .bind(included)
        .execute(&app.pool)
        .await
        .unwrap();
    let added = add(&sam, project, vec![line(engineering, "1", "121")]).await;
    let tasks = stored_tasks(&app, project).await;
    let task = tasks.iter().find(|t| t.0 == added[0]).unwrap();
    assert_eq!((task.2, task.3), (Some(d("100.00")), Some(d("21"))));
    let draft: Uuid = sam
        .call(InvoiceTasks {
            project,
            tasks: added.clone(),
        })
        .await
        .ok();
    let invoice: Invoice = sam.call(GetInvoice { id: draft }).await.ok();
    assert_eq!(invoice.untaxed.amount, d("100.00"));
    assert_eq!(invoice.total.amount, d("121.00"));
}

#[tokio::test]
async fn a_locked_or_closed_project_refuses_with_its_own_message() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = sam.create_project("Finished work").await.id;
    let visit = product(&app, "MAINT-Y").await;
    let request = || AddCatalogueTasks {
        project,
        lines: vec![line(visit, "1", "480")],
    };

    sqlx::query("UPDATE projects SET locked = true WHERE id = $1")
        .bind(project)
        .execute(&app.pool)
        .await
        .unwrap();
    let locked = sam.call(request()).await;
    assert_eq!(
        (locked.status, locked.body["Project"].as_str()),
        (409, Some("locked"))
    );
    let offered = sam.call(LoadProjectCatalogue { project }).await;
    assert_eq!(offered.status, 409);

    sqlx::query("UPDATE projects SET locked = false, state = 'closed' WHERE id = $1")
        .bind(project)
        .execute(&app.pool)
        .await
        .unwrap();
    let closed = sam.call(request()).await;
    assert_eq!(
        (closed.status, closed.body["Project"].as_str()),
        (409, Some("closed"))
    );
    assert!(stored_tasks(&app, project).await.is_empty());
}

#[tokio::test]
async fn only_those_who_work_on_the_project_add_to_it() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let marc = app.sign_in(MARC).await;
    let tom = app.sign_in(TOM).await;
    let project = sam.create_project("Members only").await.id;
    let visit = product(&app, "MAINT-Y").await;
    let request = || AddCatalogueTasks {
        project,
        lines: vec![line(visit, "1", "480")],
    };

    for outsider in [&marc, &tom] {
        let refused = outsider.call(request()).await;
        assert_eq!(
            (refused.status, refused.body["Project"].as_str()),
            (403, Some("not_member"))
        );
        let offered = outsider.call(LoadProjectCatalogue { project }).await;
        assert_eq!(offered.status, 403);
    }
    assert!(stored_tasks(&app, project).await.is_empty());

    // A member who works on the project's tasks may.
    let tom_id = app.user_id(TOM).await;
    sam.call(AddMember {
        id: project,
        user_id: tom_id,
        permission: Permission::Limited,
        version: None,
    })
    .await
    .ok();
    let added: Vec<Uuid> = tom.call(request()).await.ok();
    let creator: Option<Uuid> = sqlx::query_scalar("SELECT creator_id FROM tasks WHERE id = $1")
        .bind(added[0])
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(creator, Some(tom_id));
}

#[tokio::test]
async fn numbers_no_line_could_have_are_refused_with_their_field() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = sam.create_project("Careful input").await.id;
    let visit = product(&app, "MAINT-Y").await;
    let bathroom = product(&app, "BATH-RENO").await;
    let tiling = option(&app, "Tiling walls and floor").await;

    let refused = |lines: Vec<CatalogueLine>| refusal(&sam, project, lines);
    let expect = |field: &str, problem: &str| (field.to_string(), problem.to_string());

    assert_eq!(
        refused(vec![line(visit, "0", "480")]).await,
        expect("lines.0.quantity", "amount_not_positive")
    );
    assert_eq!(
        refused(vec![line(visit, "1000000", "480")]).await,
        expect("lines.0.quantity", "amount_too_large")
    );
    assert_eq!(
        refused(vec![line(visit, &"9".repeat(200), "480")]).await,
        expect("lines.0.quantity", "amount_malformed")
    );
    assert_eq!(
        refused(vec![line(visit, "1", "-5")]).await,
        expect("lines.0.unit_price", "price_negative")
    );
    let discounted = CatalogueLine {
        discount: "150".to_string(),
        ..line(visit, "1", "480")
    };
    assert_eq!(
        refused(vec![discounted]).await,
        expect("lines.0.discount", "discount_out_of_range")
    );
    assert_eq!(
        refused(vec![line(visit, "1", "480"); 21]).await,
        expect("lines", "too_many_values")
    );
    assert_eq!(refused(Vec::new()).await, expect("lines", "value_required"));
    assert_eq!(
        refused(vec![
            line(visit, "1", "480"),
            line(Uuid::now_v7(), "1", "1")
        ])
        .await,
        expect("lines.1.product", "product_unknown")
    );
    // The configurator's rules: a required size is missing; options of a product that has
    // none.
    let sizeless = CatalogueLine {
        options: vec![tiling],
        ..line(bathroom, "1", "8900")
    };
    assert_eq!(
        refused(vec![sizeless]).await,
        expect("lines.0.options", "option_required")
    );
    let stray = CatalogueLine {
        options: vec![tiling],
        ..line(visit, "1", "480")
    };
    assert_eq!(
        refused(vec![stray]).await,
        expect("lines.0.options", "option_unknown")
    );
    assert!(
        stored_tasks(&app, project).await.is_empty(),
        "nothing refused leaves a task behind"
    );
}
