//! Invoicing through the real router: partial invoices of overlapping tasks in parallel (each
//! task once), 20 parallel issues with gapless numbers, payments and credit notes against the
//! open balance, and a project's end: complete → final draft → locked (every write refused) →
//! unlock, which deletes exactly that draft.

use super::common;

use app::domain::invoice::PaymentMethod;
use app::domain::{ProjectState, TaskInput};
use app::invoices::api::{
    CompleteProject, CreditInvoice, GetInvoice, InvoiceTasks, IssueInvoice, RegisterPayment,
    RemoveLine, UnlockProject,
};
use app::invoices::{Invoice, InvoiceStatus, PaymentForm};
use app::projects::api::SetProjectState;
use app::tasks::api::{CreateTask, LogTime};
use common::session::Session;
use common::TestApp;
use rust_decimal::Decimal;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const ANNA: &str = "anna@atrium.example"; // manager
const MARC: &str = "marc@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// A project of a customer with `tasks` tasks, each with a quoted amount of 100 + its index
/// (EUR, no tax), as a confirmed quote would leave them.
async fn project_with_tasks(app: &TestApp, admin: &Session, tasks: usize) -> (Uuid, Vec<Uuid>) {
    let project = admin.create_project("Invoiced work").await;
    let customer = app.contact_id("Bouwbedrijf De Vries BV").await;
    sqlx::query("UPDATE projects SET customer_id = $2, hourly_rate = 60 WHERE id = $1")
        .bind(project.id)
        .bind(customer)
        .execute(&app.pool)
        .await
        .unwrap();
    let mut ids = Vec::new();
    for n in 0..tasks {
        let id = admin.create_task(project.id, &format!("Task {n}")).await;
        sqlx::query("UPDATE tasks SET quoted_amount = $2 WHERE id = $1")
            .bind(id)
            .bind(Decimal::from(100 + n as i64))
            .execute(&app.pool)
            .await
            .unwrap();
        ids.push(id);
    }
    (project.id, ids)
}

async fn invoice(session: &Session, id: Uuid) -> Invoice {
    session.call(GetInvoice { id }).await.ok()
}

async fn issue(session: &Session, id: Uuid) -> Invoice {
    let version = invoice(session, id).await.version;
    session.call(IssueInvoice { id, version }).await.ok()
}

#[tokio::test]
async fn parallel_partial_invoices_of_overlapping_tasks_invoice_each_task_once() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let anna = app.sign_in(ANNA).await;
    let (project, tasks) = project_with_tasks(&app, &sam, 6).await;

    // Ten rounds of two people invoicing overlapping selections at the same moment.
    for round in 0..3 {
        let a = vec![tasks[round * 2], tasks[round * 2 + 1]];
        let b = vec![tasks[round * 2 + 1]];
        let (first, second) = futures_util::join!(
            sam.call(InvoiceTasks { project, tasks: a }),
            anna.call(InvoiceTasks { project, tasks: b })
        );
        let statuses = [first.status, second.status];
        assert!(
            statuses.contains(&200) && statuses.contains(&409),
            "one wins, the other gets a conflict: {statuses:?} {} {}",
            first.body,
            second.body
        );
        let loser = if first.status == 409 { &first } else { &second };
        assert_eq!(loser.problem(), "task_already_invoiced");
    }
    let twice: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT task_id FROM invoice_lines WHERE task_id IS NOT NULL
                               GROUP BY task_id HAVING count(*) > 1) t",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(twice, 0, "no task is on two invoices");

    // A task already on an invoice cannot be ticked again, and a stranger's task is refused.
    let again = sam
        .call(InvoiceTasks {
            project,
            tasks: vec![tasks[1]],
        })
        .await;
    assert_eq!(again.status, 409);
    let empty = sam
        .call(InvoiceTasks {
            project,
            tasks: vec![],
        })
        .await;
    assert_eq!(empty.problem(), "tasks_required");

    // Sales people read invoices but do not make them; employees do neither.
    let marc = app.sign_in(MARC).await;
    let refused = marc
        .call(InvoiceTasks {
            project,
            tasks: vec![tasks[5]],
        })
        .await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn twenty_parallel_issues_number_gaplessly_and_payments_follow_the_balance() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let anna = app.sign_in(ANNA).await;
    let (project, tasks) = project_with_tasks(&app, &sam, 20).await;
    let mut drafts = Vec::new();
    for task in &tasks {
        let id: Uuid = sam
            .call(InvoiceTasks {
                project,
                tasks: vec![*task],
            })
            .await
            .ok();
        drafts.push(id);
    }
    let before: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM invoices WHERE kind = 'invoice' AND number IS NOT NULL
         AND number LIKE 'INV-' || extract(year FROM current_date)::int || '-%'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let issued = futures_util::future::join_all(drafts.iter().enumerate().map(|(n, id)| {
        let session = if n % 2 == 0 { &sam } else { &anna };
        issue(session, *id)
    }))
    .await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let mut numbers: Vec<String> = issued.iter().filter_map(|i| i.number.clone()).collect();
    numbers.sort();
    let expected: Vec<String> = (before + 1..=before + 20)
        .map(|n| format!("INV-{year}-{n:04}"))
        .collect();
    assert_eq!(numbers, expected, "numbers are gapless and unique");
    for invoice in &issued {
        let reference = invoice.payment_reference.clone().unwrap();
        assert!(
            app::domain::payment_reference::is_valid_rf(&reference),
            "{reference}"
        );
        let stored: Option<String> =
            sqlx::query_scalar("SELECT document_key FROM invoices WHERE id = $1")
                .bind(invoice.id)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert!(stored.is_some(), "the PDF is stored when issued");
    }

    // Part-payment, an overpayment refused, the rest: paid.
    let first = &issued[0];
    assert_eq!(first.total.amount, d("100.00"));
    let pay = |version: i32, amount: &str| RegisterPayment {
        payment: PaymentForm {
            invoice: first.id,
            version,
            date: chrono::Utc::now().date_naive().to_string(),
            amount: amount.to_string(),
            method: PaymentMethod::BankTransfer,
        },
    };
    sam.call(pay(first.version, "40")).await.ok();
    let part = invoice(&sam, first.id).await;
    assert_eq!(part.status, InvoiceStatus::PartlyPaid);
    assert_eq!(part.open.amount, d("60.00"));
    let over = sam.call(pay(part.version, "60,01")).await;
    assert_eq!((over.field(), over.problem()), ("amount", "overpayment"));
    let stale = sam.call(pay(first.version, "10")).await;
    assert_eq!(stale.status, 409, "a payment states the version it read");
    sam.call(pay(part.version, "60")).await.ok();
    assert_eq!(invoice(&sam, first.id).await.status, InvoiceStatus::Paid);

    // A partial credit note lowers what is open; it never exceeds what may be credited.
    let second = &issued[1];
    let note: Uuid = sam
        .call(CreditInvoice {
            id: second.id,
            version: second.version,
        })
        .await
        .ok();
    let draft = invoice(&sam, note).await;
    assert_eq!(draft.total, second.total);
    let credited = issue(&sam, note).await;
    assert!(credited.number.unwrap().starts_with("CN-"));
    let corrected = invoice(&sam, second.id).await;
    assert_eq!(corrected.open.amount, Decimal::ZERO);
    assert_eq!(corrected.status, InvoiceStatus::Paid);
    let nothing_left = sam
        .call(CreditInvoice {
            id: second.id,
            version: corrected.version,
        })
        .await;
    assert_eq!(nothing_left.problem(), "nothing_to_credit");
    // A credit note of part of the lines is partial.
    let third = &issued[2];
    let note: Uuid = sam
        .call(CreditInvoice {
            id: third.id,
            version: third.version,
        })
        .await
        .ok();
    let draft = invoice(&sam, note).await;
    assert_eq!(draft.lines.len(), 1);
    let removed = sam
        .call(RemoveLine {
            id: note,
            version: draft.version,
            line: draft.lines[0].id,
        })
        .await;
    assert_eq!(removed.status, 200);
    let empty = sam
        .call(IssueInvoice {
            id: note,
            version: draft.version + 1,
        })
        .await;
    assert_eq!(empty.problem(), "invoice_empty");
}

#[tokio::test]
async fn complete_locks_every_write_and_unlock_deletes_exactly_the_final_draft() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let anna = app.sign_in(ANNA).await;
    let tom = app.sign_in(TOM).await;
    let (project, tasks) = project_with_tasks(&app, &sam, 4).await;

    // Two tasks invoiced and issued before completion.
    let partial: Uuid = sam
        .call(InvoiceTasks {
            project,
            tasks: tasks[..2].to_vec(),
        })
        .await
        .ok();
    issue(&sam, partial).await;
    sam.call(SetProjectState {
        id: project,
        version: None,
        state: ProjectState::InProgress,
    })
    .await
    .ok();
    let version: i32 = sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
        .bind(project)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let invoices_before: i64 = sqlx::query_scalar("SELECT count(*) FROM invoices")
        .fetch_one(&app.pool)
        .await
        .unwrap();

    // Complete, and invoice the rest: a final draft of the two remaining tasks.
    let last: Option<Uuid> = sam
        .call(CompleteProject {
            project,
            version,
            invoice_rest: true,
        })
        .await
        .ok();
    let last = last.expect("a final draft");
    let final_draft = invoice(&sam, last).await;
    assert_eq!(final_draft.lines.len(), 2);
    assert_eq!(
        final_draft.total.amount + d("201"),
        Decimal::from(100 + 101 + 102 + 103),
        "what was invoiced equals what was quoted"
    );
    let locked: bool = sqlx::query_scalar("SELECT locked FROM projects WHERE id = $1")
        .bind(project)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(locked);

    // Every write path refuses on a locked project, with the lock's own message.
    let task = sam
        .call(CreateTask {
            project: Some(project),
            people: Default::default(),
            add_member: false,
            task: TaskInput {
                title: "One more".into(),
                ..Default::default()
            },
        })
        .await;
    assert_eq!(
        (task.status, task.body["Project"].as_str()),
        (409, Some("locked"))
    );
    let time = sam
        .call(LogTime {
            id: tasks[2],
            work_date: chrono::Utc::now().date_naive().to_string(),
            hours: "2".into(),
            note: String::new(),
            billable: Some("on".into()),
        })
        .await;
    assert_eq!(time.status, 409, "{}", time.body);
    let state = sam
        .call(SetProjectState {
            id: project,
            version: None,
            state: ProjectState::Closed,
        })
        .await;
    assert_eq!(state.status, 409);
    let partial_after = sam
        .call(InvoiceTasks {
            project,
            tasks: tasks[2..].to_vec(),
        })
        .await;
    assert_eq!(partial_after.status, 409);

    // Employees may not unlock; a manager does, with a reason, and the final draft goes.
    let refused = tom
        .call(UnlockProject {
            project,
            reason: "Forgot a task".into(),
        })
        .await;
    assert_eq!(refused.status, 403);
    let no_reason = anna
        .call(UnlockProject {
            project,
            reason: "  ".into(),
        })
        .await;
    assert_eq!(no_reason.field(), "reason");
    let deleted: u64 = anna
        .call(UnlockProject {
            project,
            reason: "Forgot a task".into(),
        })
        .await
        .ok();
    assert_eq!(deleted, 1);
    let invoices_after: i64 = sqlx::query_scalar("SELECT count(*) FROM invoices")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        invoices_after, invoices_before,
        "exactly the draft was deleted"
    );
    assert_eq!(invoice(&sam, partial).await.status, InvoiceStatus::Issued);
    let reopened = sam
        .call(LogTime {
            id: tasks[2],
            work_date: chrono::Utc::now().date_naive().to_string(),
            hours: "2".into(),
            note: String::new(),
            billable: Some("on".into()),
        })
        .await;
    assert_eq!(reopened.status, 200, "{}", reopened.body);
    let timeline = sam
        .timeline(app::shared::RecordKind::Project, project)
        .await;
    assert!(timeline.to_string().contains("Forgot a task"));
}
