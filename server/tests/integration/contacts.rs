//! The directory and its list view through the real router: optimistic locking, merge,
//! import, and the cost of a list request.

use super::common;

use app::contacts::api::{
    CreateContact, DeleteContacts, GetContact, MergeContacts, SearchContacts, UpdateContact,
};
use app::contacts::import::api::{PreviewImport, RunImport};
use app::contacts::import::UploadedFile;
use app::contacts::ContactLinks;
use app::domain::{ContactInput, ContactKind};
use app::views::api::{DeleteView, FetchListPage, ListPreferences, SaveView};
use app::views::{Cursor, ListPage};
use common::{Reply, Session, TestApp};
use serde_json::Value;
use uuid::Uuid;

const ADMIN: &str = "demo@atrium.example";

async fn signed_in() -> (TestApp, Session) {
    let app = TestApp::spawn().await;
    let session = app.sign_in(ADMIN).await;
    (app, session)
}

/// Asks the contacts list for a view (and, with `after`, the page after a cursor).
async fn list_page(session: &Session, query: &str, after: Option<Cursor>) -> Reply<ListPage> {
    session
        .call(FetchListPage {
            list: "contacts".to_string(),
            query: query.to_string(),
            path: vec![],
            after,
        })
        .await
}

/// A contact's form with only a name.
fn named(name: &str) -> ContactInput {
    ContactInput {
        name: name.to_string(),
        ..Default::default()
    }
}

async fn create(
    session: &Session,
    kind: ContactKind,
    contact: ContactInput,
    company: &str,
) -> Uuid {
    let links = ContactLinks {
        company: company.to_string(),
        ..Default::default()
    };
    let created = session
        .call(CreateContact {
            kind,
            links,
            contact,
        })
        .await;
    created.ok().id
}

async fn get(session: &Session, id: Uuid) -> Value {
    session.call(GetContact { id }).await.ok_json()
}

/// Saves the contact's name at the version the editor opened.
fn rename(id: Uuid, version: i32, name: &str) -> UpdateContact {
    UpdateContact {
        id,
        version,
        links: Default::default(),
        contact: named(name),
    }
}

#[tokio::test]
async fn a_stale_save_is_refused_and_overwrites_nothing() {
    let (_app, client) = signed_in().await;
    let id = create(&client, ContactKind::Company, named("Dakwerken Smit"), "").await;
    let first = client.call(rename(id, 1, "Dakwerken Smit BV")).await;
    assert_eq!(first.status, 200);
    // A second editor who opened version 1 saves later.
    let stale = client.call(rename(id, 1, "Smit Daken")).await;
    assert_eq!(stale.status, 409);
    let stored = get(&client, id).await;
    assert_eq!(stored["contact"]["name"], "Dakwerken Smit BV");
    assert_eq!(stored["contact"]["version"], 2);
}

#[tokio::test]
async fn bad_fields_are_refused_by_name() {
    let (_app, client) = signed_in().await;
    for (field, contact) in [
        (
            "vat",
            ContactInput {
                vat: "BE0412345699".to_string(),
                ..named("Test")
            },
        ),
        (
            "emails",
            ContactInput {
                emails: "x@".to_string(),
                ..named("Test")
            },
        ),
        (
            "country",
            ContactInput {
                country: "ZZ".to_string(),
                ..named("Test")
            },
        ),
        (
            "phones",
            ContactInput {
                phones: "abc".to_string(),
                ..named("Test")
            },
        ),
    ] {
        let response = client
            .call(CreateContact {
                kind: ContactKind::Company,
                links: Default::default(),
                contact,
            })
            .await;
        assert_eq!(response.status, 422, "{field}");
        assert_eq!(response.field(), field);
    }
}

#[tokio::test]
async fn merging_keeps_every_link_and_the_union_of_the_data() {
    let (_app, client) = signed_in().await;
    let visser = ContactInput {
        emails: "info@visser.nl".to_string(),
        tags: "vip".to_string(),
        ..named("Visser Installaties")
    };
    let keep = create(&client, ContactKind::Company, visser, "").await;
    let duplicate = ContactInput {
        emails: "info@visser.nl, spoed@visser.nl".to_string(),
        city: "Leiden".to_string(),
        tags: "installer".to_string(),
        notes: "Key at the neighbours.".to_string(),
        ..named("Visser Installatie BV")
    };
    let other = create(&client, ContactKind::Company, duplicate, "").await;
    let person = create(
        &client,
        ContactKind::Person,
        named("Kees Visser"),
        &other.to_string(),
    )
    .await;

    let response = client.call(MergeContacts { keep, other }).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let kept = get(&client, keep).await;
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
        get(&client, person).await["contact"]["company"]["id"],
        keep.to_string()
    );
    let gone = client.call(GetContact { id: other }).await;
    assert_eq!(gone.status, 404);

    // A company and a person are not merged.
    let refused = client
        .call(MergeContacts {
            keep,
            other: person,
        })
        .await;
    assert_eq!(refused.status, 422);
}

#[tokio::test]
async fn a_company_with_people_is_not_deleted_and_says_why() {
    let (_app, client) = signed_in().await;
    let company = create(&client, ContactKind::Company, named("Bakkerij Brood"), "").await;
    create(
        &client,
        ContactKind::Person,
        named("Bea Brood"),
        "bakkerij brood",
    )
    .await;
    let report = client
        .call(DeleteContacts { ids: vec![company] })
        .await
        .body;
    assert_eq!(report["changed"], 0);
    assert_eq!(report["refused"][0]["people"], 1);
    assert_eq!(
        get(&client, company).await["contact"]["name"],
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
    let uploaded: UploadedFile = app
        .upload_import(&client, file.as_bytes().to_vec())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(uploaded.mapping, ["name", "emails", "vat", "city"]);
    let id = uploaded.id;
    let plan = client
        .call(PreviewImport {
            id,
            kind: ContactKind::Company,
            mapping: uploaded.mapping.clone(),
        })
        .await
        .body;
    assert_eq!(
        (
            plan["created"].as_u64(),
            plan["updated"].as_u64(),
            plan["rejected"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    let run = client
        .call(RunImport {
            id,
            kind: ContactKind::Company,
            mapping: uploaded.mapping,
        })
        .await;
    assert_eq!(run.status, 422);
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
    let uploaded: UploadedFile = app
        .upload_import(&client, fixed.into_bytes())
        .await
        .json()
        .await
        .unwrap();
    let done = client
        .call(RunImport {
            id: uploaded.id,
            kind: ContactKind::Company,
            mapping: uploaded.mapping,
        })
        .await
        .body;
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

#[tokio::test]
async fn a_list_request_costs_the_same_statements_whatever_the_rows() {
    let (app, client) = signed_in().await;
    app.track_statements().await;
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
            let before = app.statements().await;
            let response = list_page(&client, query, None).await;
            assert_eq!(response.status, 200, "{query}");
            assert!(response.body["rows"].as_array().unwrap().len() <= 50);
            // The statement that read the counter counts once too.
            cost.push(app.statements().await - before - 1);
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
        let mut after = None;
        loop {
            let page = list_page(&client, query, after).await.body;
            for row in page["rows"].as_array().unwrap() {
                assert!(
                    seen.insert(row["id"].as_str().unwrap().to_string()),
                    "{query}: a row came twice"
                );
            }
            if page["next"].is_null() {
                break;
            }
            after = serde_json::from_value(page["next"].clone()).unwrap();
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
        let response = list_page(&client, query, None).await;
        assert_eq!(response.status, 422, "{query}");
    }
    let export = client
        .get(app.url("/export/contacts.csv?s=password_hash"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 422);
    assert!(contact_count(&app).await > 0);
}

fn favorite(name: &str, query: &str) -> SaveView {
    SaveView {
        list: "contacts".to_string(),
        name: name.to_string(),
        query: query.to_string(),
        shared: false,
        make_default: false,
    }
}

#[tokio::test]
async fn favorites_are_personal_unless_shared_and_one_is_the_default() {
    let (app, client) = signed_in().await;
    let saved = client
        .call(SaveView {
            make_default: true,
            ..favorite("Dutch companies", "p=companies&f=country:is:NL")
        })
        .await
        .ok();
    let page = list_page(&client, "", None).await.body;
    assert_eq!(page["query"], "p=companies&f=country%3Ais%3ANL");
    // `d=0` asks for the plain list.
    let plain = list_page(&client, "d=0", None).await.body;
    assert_eq!(plain["query"], "");

    let colleague = app.sign_in("anna@atrium.example").await;
    let preferences = ListPreferences {
        list: "contacts".to_string(),
    };
    let theirs = colleague.call(preferences.clone()).await.ok();
    assert_eq!(theirs.saved.len(), 0);
    client
        .call(SaveView {
            shared: true,
            ..favorite("Dutch companies", &saved.query)
        })
        .await;
    let theirs = colleague.call(preferences).await.ok();
    assert_eq!(theirs.saved[0].name, "Dutch companies");
    assert!(!theirs.saved[0].mine);
    let delete = colleague
        .call(DeleteView {
            id: theirs.saved[0].id,
        })
        .await;
    assert_eq!(delete.status, 404);
}

/// The ids of the contacts a picker is told are called exactly `text`.
async fn called_exactly(session: &Session, text: &str) -> Vec<Uuid> {
    let found = session
        .call(SearchContacts {
            query: text.to_string(),
        })
        .await
        .ok();
    found.named.into_iter().map(|c| c.id).collect()
}

#[tokio::test]
async fn a_picker_learns_who_is_called_exactly_what_was_typed_or_pasted() {
    let (_app, client) = signed_in().await;
    let name = "Schrijnwerkerij Hüsken";
    let first = create(&client, ContactKind::Company, named(name), "").await;
    // Trimmed, case and accents aside: the rule a save resolves a typed name by.
    assert_eq!(
        called_exactly(&client, "  schrijnwerkerij husken ").await,
        vec![first]
    );
    // Part of a name suggests, it does not pick.
    assert!(called_exactly(&client, "Schrijnwerkerij").await.is_empty());
    // Two of the same name are several: the picker says so instead of choosing one.
    create(&client, ContactKind::Company, named(name), "").await;
    assert_eq!(called_exactly(&client, name).await.len(), 2);
}
