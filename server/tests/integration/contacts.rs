//! The directory and its list view through the real router: optimistic locking, merge,
//! import, and the cost of a list request.

use super::common;

use common::TestApp;
use serde_json::{json, Value};

const ADMIN: &str = "demo@atrium.example";

async fn signed_in() -> (TestApp, reqwest::Client) {
    let app = TestApp::spawn().await;
    let client = common::new_client();
    assert!(app.sign_in_as(&client, ADMIN).await.status().is_success());
    (app, client)
}

async fn call_json(
    app: &TestApp,
    client: &reqwest::Client,
    endpoint: &str,
    body: Value,
) -> reqwest::Response {
    client
        .post(app.url(&format!("/api/{endpoint}")))
        .header("Accept", "application/json")
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Asks the contacts list for a view (and, with `after`, the page after a cursor).
async fn list_page(
    app: &TestApp,
    client: &reqwest::Client,
    query: &str,
    after: Value,
) -> reqwest::Response {
    call_json(
        app,
        client,
        "views/page",
        json!({ "list": "contacts", "query": query, "path": [], "after": after }),
    )
    .await
}

async fn create(
    app: &TestApp,
    client: &reqwest::Client,
    kind: &str,
    fields: &[(&str, &str)],
) -> String {
    let mut form: Vec<(String, String)> = vec![("kind".into(), kind.into())];
    for (key, value) in fields {
        let name = match *key {
            "company" | "owner" => key.to_string(),
            _ => format!("contact[{key}]"),
        };
        form.push((name, value.to_string()));
    }
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = app.call(client, "contacts/create", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let body: Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_string()
}

async fn get(app: &TestApp, client: &reqwest::Client, id: &str) -> Value {
    let response = app.call(client, "contacts/get", &[("id", id)]).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn a_stale_save_is_refused_and_overwrites_nothing() {
    let (app, client) = signed_in().await;
    let id = create(&app, &client, "company", &[("name", "Dakwerken Smit")]).await;
    let first = app
        .call(
            &client,
            "contacts/update",
            &[
                ("id", &id),
                ("version", "1"),
                ("contact[name]", "Dakwerken Smit BV"),
            ],
        )
        .await;
    assert_eq!(first.status(), 200);
    // A second editor who opened version 1 saves later.
    let stale = app
        .call(
            &client,
            "contacts/update",
            &[
                ("id", &id),
                ("version", "1"),
                ("contact[name]", "Smit Daken"),
            ],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let stored = get(&app, &client, &id).await;
    assert_eq!(stored["contact"]["name"], "Dakwerken Smit BV");
    assert_eq!(stored["contact"]["version"], 2);
}

#[tokio::test]
async fn bad_fields_are_refused_by_name() {
    let (app, client) = signed_in().await;
    for (field, value) in [
        ("vat", "BE0412345699"),
        ("emails", "x@"),
        ("country", "ZZ"),
        ("phones", "abc"),
    ] {
        let key = format!("contact[{field}]");
        let response = app
            .call(
                &client,
                "contacts/create",
                &[
                    ("kind", "company"),
                    ("contact[name]", "Test"),
                    (key.as_str(), value),
                ],
            )
            .await;
        assert_eq!(response.status(), 422, "{field}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"]["field"], field);
    }
}

#[tokio::test]
async fn merging_keeps_every_link_and_the_union_of_the_data() {
    let (app, client) = signed_in().await;
    let keep = create(
        &app,
        &client,
        "company",
        &[
            ("name", "Visser Installaties"),
            ("emails", "info@visser.nl"),
            ("tags", "vip"),
        ],
    )
    .await;
    let other = create(
        &app,
        &client,
        "company",
        &[
            ("name", "Visser Installatie BV"),
            ("emails", "info@visser.nl, spoed@visser.nl"),
            ("city", "Leiden"),
            ("tags", "installer"),
            ("notes", "Key at the neighbours."),
        ],
    )
    .await;
    let person = create(
        &app,
        &client,
        "person",
        &[("name", "Kees Visser"), ("company", &other)],
    )
    .await;

    let response = app
        .call(
            &client,
            "contacts/merge",
            &[("keep", &keep), ("other", &other)],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let kept = get(&app, &client, &keep).await;
    let mut emails: Vec<String> =
        serde_json::from_value(kept["contact"]["emails"].clone()).unwrap();
    emails.sort();
    assert_eq!(emails, vec!["info@visser.nl", "spoed@visser.nl"]);
    let mut tags: Vec<String> = serde_json::from_value(kept["contact"]["tags"].clone()).unwrap();
    tags.sort();
    assert_eq!(tags, vec!["installer", "vip"]);
    assert_eq!(kept["contact"]["city"], "Leiden");
    assert_eq!(kept["contact"]["notes"], "Key at the neighbours.");
    assert_eq!(kept["people"][0]["name"], "Kees Visser");
    assert_eq!(
        get(&app, &client, &person).await["contact"]["company"]["id"],
        keep.as_str()
    );
    let gone = app.call(&client, "contacts/get", &[("id", &other)]).await;
    assert_eq!(gone.status(), 404);

    // A company and a person are not merged.
    let refused = app
        .call(
            &client,
            "contacts/merge",
            &[("keep", &keep), ("other", &person)],
        )
        .await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn a_company_with_people_is_not_deleted_and_says_why() {
    let (app, client) = signed_in().await;
    let company = create(&app, &client, "company", &[("name", "Bakkerij Brood")]).await;
    create(
        &app,
        &client,
        "person",
        &[("name", "Bea Brood"), ("company", "bakkerij brood")],
    )
    .await;
    let response = call_json(
        &app,
        &client,
        "contacts/delete",
        json!({ "ids": [company] }),
    )
    .await;
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["changed"], 0);
    assert_eq!(report["refused"][0]["people"], 1);
    assert_eq!(
        get(&app, &client, &company).await["contact"]["name"],
        "Bakkerij Brood"
    );
}

async fn contact_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM contacts")
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_import_is_all_or_nothing() {
    let (app, client) = signed_in().await;
    let before = contact_count(&app).await;
    let file = "Name;Email;VAT;City\n\
                Schilders Jansen;info@jansen-schilders.nl;;Delft\n\
                Tegels & Co;not an address;;Gouda\n\
                Impianti Rossi Srl;nuovo@impianti-rossi.it;IT01234567897;Milano\n";
    let uploaded: Value = app
        .upload_import(&client, file.as_bytes().to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        uploaded["mapping"],
        json!(["name", "emails", "vat", "city"])
    );
    let id = uploaded["id"].as_str().unwrap();
    let plan: Value = call_json(
        &app,
        &client,
        "contacts/import/preview",
        json!({ "id": id, "kind": "company", "mapping": uploaded["mapping"] }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (
            plan["created"].as_u64(),
            plan["updated"].as_u64(),
            plan["rejected"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let run = call_json(
        &app,
        &client,
        "contacts/import/run",
        json!({ "id": id, "kind": "company", "mapping": uploaded["mapping"] }),
    )
    .await;
    assert_eq!(run.status(), 422);
    assert_eq!(contact_count(&app).await, before);

    // The error report names the bad row and why.
    let report = client
        .get(app.url(&format!(
            "/export/import-errors/{id}.csv?kind=company&map=name,emails,vat,city"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        report.contains("Tegels & Co") && report.contains("e-mail"),
        "{report}"
    );

    let fixed = file.replace("not an address", "info@tegels.nl");
    let uploaded: Value = app
        .upload_import(&client, fixed.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    let id = uploaded["id"].as_str().unwrap();
    let done: Value = call_json(
        &app,
        &client,
        "contacts/import/run",
        json!({ "id": id, "kind": "company", "mapping": uploaded["mapping"] }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(
        (done["created"].as_u64(), done["updated"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(contact_count(&app).await, before + 2);
    let emails: Vec<String> = sqlx::query_scalar(
        "SELECT unnest(emails) FROM contacts WHERE name = 'Impianti Rossi Srl' ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        emails,
        vec!["info@impianti-rossi.it", "nuovo@impianti-rossi.it"]
    );
}

#[tokio::test]
async fn malformed_files_are_refused_before_anything_is_stored() {
    let (app, client) = signed_in().await;
    let latin1 = b"Name;City\nM\xfcller GmbH;K\xf6ln\n".to_vec();
    let broken = b"Name,City\n\"Unclosed,Delft\nNext,Row\n".to_vec();
    let garbage: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    for (bytes, problem) in [
        (latin1, "import_not_utf8"),
        (broken, "import_malformed"),
        (garbage, "import_not_utf8"),
        (Vec::new(), "import_empty"),
    ] {
        let response = app.upload_import(&client, bytes).await;
        assert_eq!(response.status(), 422);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["Invalid"]["problem"], problem);
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM contact_imports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stored, 0);
}

/// Statements the database ran so far (all connections of this test's database).
async fn statements(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_list_request_costs_the_same_statements_whatever_the_rows() {
    let (app, client) = signed_in().await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.pool)
        .await
        .unwrap();
    let views = [
        "q=visser&s=-created",
        "p=companies&f=city:contains:a&f=city:contains:e&s=city",
        "g=country&g=owner",
        "p=mine&f=tags:has:vip&c=name,owner,tags,created",
    ];
    let mut costs = Vec::new();
    for extra_rows in [0, 600] {
        sqlx::query(
            "INSERT INTO contacts (id, kind, name, city, country, tags, emails)
             SELECT gen_random_uuid(), 'company', 'Visser ' || g, 'Haarlem', 'NL', '{vip}',
                    ARRAY['info' || g || '@visser.nl']
             FROM generate_series(1, $1) g",
        )
        .bind(extra_rows)
        .execute(&app.pool)
        .await
        .unwrap();
        let mut cost = Vec::new();
        for query in views {
            let before = statements(&app).await;
            let response = list_page(&app, &client, query, Value::Null).await;
            assert_eq!(response.status(), 200, "{query}");
            let page: Value = response.json().await.unwrap();
            assert!(page["rows"].as_array().unwrap().len() <= 50);
            // The statement that read the counter counts once too.
            cost.push(statements(&app).await - before - 1);
        }
        costs.push(cost);
    }
    assert_eq!(
        costs[0], costs[1],
        "statements per request grew with the rows"
    );
    // At least the session lookup and the list statement; at most a handful.
    assert!(
        costs[0].iter().all(|&c| (2..=6).contains(&c)),
        "{:?}",
        costs[0]
    );
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_or_repeats() {
    let (app, client) = signed_in().await;
    sqlx::query(
        "INSERT INTO contacts (id, kind, name, city)
         SELECT gen_random_uuid(), 'person', 'Person ' || (g % 7), 'City ' || (g % 3)
         FROM generate_series(1, 180) g",
    )
    .execute(&app.pool)
    .await
    .unwrap();
    for query in ["q=person&s=city", "q=person&s=-name", "q=person&s=-created"] {
        let mut seen = std::collections::HashSet::new();
        let mut after = Value::Null;
        loop {
            let page: Value = list_page(&app, &client, query, after)
                .await
                .json()
                .await
                .unwrap();
            for row in page["rows"].as_array().unwrap() {
                assert!(
                    seen.insert(row["id"].as_str().unwrap().to_string()),
                    "{query}: a row came twice"
                );
            }
            if page["next"].is_null() {
                break;
            }
            after = page["next"].clone();
        }
        assert_eq!(seen.len(), 180, "{query}");
    }
}

#[tokio::test]
async fn hostile_views_are_refused_not_run() {
    let (app, client) = signed_in().await;
    for query in [
        "f=name;DROP TABLE contacts:contains:x",
        "s=name); DELETE FROM contacts; --",
        "g=password_hash",
        "f=owner:is:1 OR 1=1",
        "c=name,(SELECT password_hash FROM users)",
    ] {
        let response = list_page(&app, &client, query, Value::Null).await;
        assert_eq!(response.status(), 422, "{query}");
    }
    let export = client
        .get(app.url("/export/contacts.csv?s=password_hash"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 422);
    assert!(contact_count(&app).await > 0);
}

#[tokio::test]
async fn favorites_are_personal_unless_shared_and_one_is_the_default() {
    let (app, client) = signed_in().await;
    let saved: Value = app
        .call(
            &client,
            "views/save",
            &[
                ("list", "contacts"),
                ("name", "Dutch companies"),
                ("query", "p=companies&f=country:is:NL"),
                ("make_default", "true"),
            ],
        )
        .await
        .json()
        .await
        .unwrap();
    let page: Value = list_page(&app, &client, "", Value::Null)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["query"], "p=companies&f=country%3Ais%3ANL");
    // `d=0` asks for the plain list.
    let plain: Value = list_page(&app, &client, "d=0", Value::Null)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(plain["query"], "");

    let colleague = common::new_client();
    app.sign_in_as(&colleague, "anna@atrium.example").await;
    let theirs: Value = app
        .call(&colleague, "views/preferences", &[("list", "contacts")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["saved"].as_array().unwrap().len(), 0);
    app.call(
        &client,
        "views/save",
        &[
            ("list", "contacts"),
            ("name", "Dutch companies"),
            ("query", saved["query"].as_str().unwrap()),
            ("shared", "true"),
        ],
    )
    .await;
    let theirs: Value = app
        .call(&colleague, "views/preferences", &[("list", "contacts")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["saved"][0]["name"], "Dutch companies");
    assert_eq!(theirs["saved"][0]["mine"], false);
    let delete = app
        .call(
            &colleague,
            "views/delete",
            &[("id", theirs["saved"][0]["id"].as_str().unwrap())],
        )
        .await;
    assert_eq!(delete.status(), 404);
}
