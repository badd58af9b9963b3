//! The policy table, proved on the real router: every server function and file route is in
//! the table, and each answers every kind of caller as the table says.

use super::common;

use app::contacts::api::{DeleteContacts, MergeContacts, UpdateContact};
use app::domain::policy::{gate, operation_of, CompanyOp, Gate, Operation, ENDPOINTS};
use app::domain::{ContactInput, Role};
use common::TestApp;
use std::collections::BTreeSet;

const CALLERS: [(&str, Role); 4] = [
    ("demo@atrium.example", Role::Admin),
    ("anna@atrium.example", Role::Manager),
    ("marc@atrium.example", Role::Sales),
    ("tom@atrium.example", Role::Employee),
];

/// The file routes of the table, each with a path that reaches it.
const FILE_ROUTES: [(&str, &str); 6] = [
    ("export", "/export/contacts.csv"),
    (
        "export/import-errors",
        "/export/import-errors/0190a0a0-0000-7000-8000-000000000000.csv?kind=company&map=name",
    ),
    (
        "files/documents",
        "/files/documents/0190a0a0-0000-7000-8000-000000000000",
    ),
    (
        "files/outbox",
        "/files/outbox/0190a0a0-0000-7000-8000-000000000000",
    ),
    (
        "files/quotes",
        "/files/quotes/0190a0a0-0000-7000-8000-000000000000",
    ),
    (
        "files/invoices",
        "/files/invoices/0190a0a0-0000-7000-8000-000000000000",
    ),
];

#[test]
fn every_endpoint_is_in_the_table_and_the_table_names_no_other() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_string())
        .collect();
    let files: BTreeSet<String> = FILE_ROUTES.iter().map(|(k, _)| k.to_string()).collect();
    let listed: BTreeSet<String> = ENDPOINTS.iter().map(|(k, _)| k.to_string()).collect();
    let missing: Vec<_> = registered.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the policy table: {missing:?}"
    );
    let stale: Vec<_> = listed
        .difference(&registered)
        .filter(|k| !files.contains(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "policy entries for no endpoint: {stale:?}"
    );
}

/// What the table expects of a caller on an endpoint, before the record is known.
fn expect(role: Option<Role>, operation: Operation, status: u16) -> Result<(), String> {
    match gate(role, operation) {
        Gate::SignIn if matches!(status, 401 | 303) => Ok(()),
        Gate::Refused if status == 403 => Ok(()),
        Gate::Open if !matches!(status, 401 | 303 | 403) => Ok(()),
        // A project or record operation may still be refused for this record.
        Gate::Open
            if status == 403 && matches!(operation, Operation::Project(_) | Operation::Record) =>
        {
            Ok(())
        }
        decided => Err(format!("{decided:?} but got {status}")),
    }
}

#[tokio::test]
async fn every_endpoint_answers_every_role_as_the_table_says() {
    let app = TestApp::spawn().await;
    let mut callers = vec![(None, app.visitor())];
    for (email, role) in CALLERS {
        callers.push((Some(role), app.sign_in(email).await));
    }
    let mut wrong = Vec::new();
    for (role, client) in &callers {
        for (endpoint, operation) in ENDPOINTS {
            if FILE_ROUTES.iter().any(|(key, _)| key == endpoint) {
                continue;
            }
            // Signing out is tried with a client of its own, so the walk keeps its session.
            let sign_out_client;
            let client = if *endpoint == "auth/sign_out" && role.is_some() {
                sign_out_client = app.sign_in(CALLERS[0].0).await;
                &sign_out_client
            } else {
                client
            };
            let response = client
                .post(app.url(&format!("/api/{endpoint}")))
                .header("Accept", "application/json")
                .form(&[("unexpected", "1")])
                .send()
                .await
                .unwrap();
            if let Err(why) = expect(*role, *operation, response.status().as_u16()) {
                wrong.push(format!("{role:?} {endpoint}: {why}"));
            }
        }
        for (key, path) in FILE_ROUTES {
            let response = client.get(app.url(path)).send().await.unwrap();
            let operation = operation_of(key).unwrap();
            if let Err(why) = expect(*role, operation, response.status().as_u16()) {
                wrong.push(format!("{role:?} {path}: {why}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "answers that differ from the table:\n{}",
        wrong.join("\n")
    );
}

#[tokio::test]
async fn only_managers_and_admins_delete_and_merge_contacts() {
    let app = TestApp::spawn().await;
    let ids: Vec<uuid::Uuid> =
        sqlx::query_scalar("SELECT id FROM contacts WHERE kind = 'company' ORDER BY name LIMIT 2")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    let (keep, other) = (ids[0], ids[1]);
    for (email, role) in CALLERS {
        let session = app.sign_in(email).await;
        let merge = session.call(MergeContacts { keep, other }).await.status;
        let delete = session.call(DeleteContacts { ids: vec![] }).await.status;
        let allowed = app::domain::policy::role_allows(role, CompanyOp::ContactsDelete);
        if allowed {
            assert_ne!(delete, 403, "{role:?} deletes");
        } else {
            assert_eq!(merge, 403, "{role:?} merges");
            assert_eq!(delete, 403, "{role:?} deletes");
        }
        let edit = session
            .call(UpdateContact {
                id: keep,
                version: 1,
                links: Default::default(),
                contact: ContactInput {
                    name: "X".to_string(),
                    ..Default::default()
                },
            })
            .await
            .status;
        assert_eq!(
            edit == 403,
            !app::domain::policy::role_allows(role, CompanyOp::ContactsEdit),
            "{role:?} edits"
        );
    }
}
