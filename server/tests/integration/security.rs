//! What a security review found, each as the attack it was, now refused: membership by
//! assignment, open redirects, formulas in CSV, unbounded uploads, a panic before sign-in,
//! raced throttling, double imports, exports that starve the pool, runaway searches and
//! calendar dates that overflow.

use super::common;

use app::activities::api::ScheduleActivity;
use app::contacts::api::{CreateContact, FindDuplicates};
use app::contacts::import::api::RunImport;
use app::contacts::import::UploadedFile;
use app::domain::activity::ActivityInput;
use app::domain::{ContactInput, ContactKind, Permission, TaskInput};
use app::products::api::SaveTax;
use app::projects::api::{AddMember, RemoveMember, SetDocumentDates};
use app::shared::RecordKind;
use app::tasks::api::{CreateTask, FetchTaskCounts, StartTimer, UpdateTask};
use app::tasks::TaskPeople;
use app::users::account::api::{ChangePassword, SignedInUser};
use app::views::api::{FetchListPage, SaveView};
use app::views::Cursor;
use common::{new_client, Session, TestApp, PASSWORD};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const MARC: &str = "marc@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee
const GIULIA: &str = "giulia@atrium.example"; // employee

/// A project of Sam's with Tom as a Limited member.
async fn project_with_tom(app: &TestApp, sam: &Session) -> Uuid {
    let project = sam.create_project("Renovatie kantoor").await.id;
    let added = sam
        .call(AddMember {
            id: project,
            user_id: app.user_id(TOM).await,
            permission: Permission::Limited,
            version: None,
        })
        .await;
    assert_eq!(added.status, 200, "{}", added.body);
    project
}

/// A task in `project` for `assignee`; `add_member` confirms making them a member.
fn assigned_task(project: Uuid, assignee: Uuid, add_member: bool, title: &str) -> CreateTask {
    CreateTask {
        project: Some(project),
        people: TaskPeople {
            assignee: Some(assignee),
            ..Default::default()
        },
        add_member,
        task: TaskInput {
            title: title.to_string(),
            ..Default::default()
        },
    }
}

async fn is_member(app: &TestApp, project: Uuid, email: &str) -> bool {
    sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM project_members m JOIN users u ON u.id = m.user_id
                        WHERE m.project_id = $1 AND u.email = $2)",
    )
    .bind(project)
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn assigning_a_task_never_makes_a_member() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let tom = app.sign_in(TOM).await;
    let project = project_with_tom(&app, &sam).await;
    let giulia = app.user_id(GIULIA).await;

    // A Limited member cannot bring someone in by assigning them.
    let refused = tom
        .call(assigned_task(project, giulia, true, "Tegels zetten"))
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem(), "assignee_not_member");
    assert!(!is_member(&app, project, GIULIA).await);

    // Nor by reassigning a task of their own.
    let task = tom.create_task(project, "Voegen").await;
    let version: i32 = sqlx::query_scalar("SELECT version FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let update = UpdateTask {
        id: task,
        version,
        people: TaskPeople {
            assignee: Some(giulia),
            ..Default::default()
        },
        add_member: true,
        task: TaskInput {
            title: "Voegen".to_string(),
            ..Default::default()
        },
    };
    let refused = tom.call(update).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.problem(), "assignee_not_member");
    assert!(!is_member(&app, project, GIULIA).await);

    // One who may manage members is asked first, and adds them when they confirm.
    let asked = sam
        .call(assigned_task(project, giulia, false, "Tegels zetten"))
        .await;
    assert_eq!(asked.status, 422);
    assert_eq!(asked.problem(), "assignee_needs_membership");
    assert!(!is_member(&app, project, GIULIA).await);
    let confirmed = sam
        .call(assigned_task(project, giulia, true, "Tegels zetten"))
        .await;
    assert_eq!(confirmed.status, 200);
    assert!(is_member(&app, project, GIULIA).await);
}

#[tokio::test]
async fn sign_in_goes_only_to_paths_of_this_site() {
    let app = TestApp::spawn().await;
    for next in [
        "/\t/example.org",
        "/\n/example.org",
        "//example.org",
        "/\\example.org",
        "https://example.org",
    ] {
        // The form without JavaScript: the answer is a redirect.
        let response = new_client()
            .post(app.url("/api/auth/sign_in"))
            .header("Accept", "text/html")
            .form(&[("email", SAM), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, "/", "next = {next:?}");
    }
}

#[tokio::test]
async fn exported_text_never_runs_as_a_formula() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    for name in [
        "=HYPERLINK(\"http://x.example\",\"Klik\")",
        "@SUM(1+1)",
        "+31 Schilders",
    ] {
        let created = sam
            .call(CreateContact {
                kind: ContactKind::Company,
                links: Default::default(),
                contact: ContactInput {
                    name: name.to_string(),
                    ..Default::default()
                },
            })
            .await;
        assert_eq!(created.status, 200, "{}", created.body);
    }
    let csv = sam
        .get(app.url("/export/contacts.csv?d=0"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in csv.lines() {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '@']),
                "a cell starts a formula: {line}"
            );
        }
    }
    assert!(csv.contains("'=HYPERLINK"), "{csv}");

    // The import's error report neutralises the user's own cells too, and importing the
    // corrected report gives back the original text.
    let file = "Name;Email\n=cmd|' /C calc'!A0;not an address\n";
    let uploaded: Value = app
        .upload_import(&sam, file.as_bytes().to_vec())
        .await
        .json()
        .await
        .unwrap();
    let id = uploaded["id"].as_str().unwrap();
    let report = sam
        .get(app.url(&format!(
            "/export/import-errors/{id}.csv?kind=company&map=name,emails"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(report.contains("'=cmd"), "{report}");
    assert!(!report
        .lines()
        .any(|l| l.starts_with('=') || l.contains(",=")));
}

#[tokio::test]
async fn uploads_are_bounded_and_checked_before_they_are_read() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let project = project_with_tom(&app, &sam).await.to_string();
    let upload = "/api/projects/documents/upload";

    // A text field of 3 MiB: refused at its first kilobytes, not buffered.
    let form = reqwest::multipart::Form::new()
        .text("project", project.clone())
        .text("kind", "x".repeat(3 * 1024 * 1024));
    let response = sam
        .post(app.url(upload))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert_eq!(response.json::<Value>().await.unwrap(), json!("TooLarge"));

    // A body declared larger than the endpoint takes: refused unread.
    let response = sam
        .post(app.url(upload))
        .header("Content-Type", "multipart/form-data; boundary=x")
        .header("Content-Length", (200u64 * 1024 * 1024).to_string())
        .body(vec![0u8; 16])
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }

    // A streamed body without a length is cut off at the limit.
    let chunks = futures_util::stream::iter(
        (0..100).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 1024 * 1024])),
    );
    let mut head = format!(
        "--x\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\n{project}\r\n\
         --x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n"
    )
    .into_bytes();
    head.extend_from_slice(b"%PDF-1.4\n");
    let body = futures_util::StreamExt::chain(
        futures_util::stream::iter([Ok::<_, std::io::Error>(head)]),
        chunks,
    );
    let response = sam
        .post(app.url(upload))
        .header("Content-Type", "multipart/form-data; boundary=x")
        .header("Accept", "application/json")
        .body(reqwest::Body::wrap_stream(body))
        .send()
        .await;
    if let Ok(response) = response {
        assert_eq!(response.status(), 413);
    }

    // Signed out: refused before the body is read.
    let response = new_client()
        .post(app.url(upload))
        .multipart(reqwest::multipart::Form::new().text("project", project.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);

    // Nothing was kept.
    let documents: i64 = sqlx::query_scalar("SELECT count(*) FROM project_documents")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(documents, 0);
}

#[tokio::test]
async fn uploads_that_are_not_multipart_get_415_not_a_panic() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let visitor = app.visitor();
    for endpoint in ["projects/documents/upload", "contacts/import/upload"] {
        // A visitor is sent to sign in first; a user is told what the endpoint takes.
        for (client, status) in [(&sam, 415), (&visitor, 401)] {
            for content_type in ["text/plain", "multipart/form-data", "application/json"] {
                let response = client
                    .post(app.url(&format!("/api/{endpoint}")))
                    .header("Content-Type", content_type)
                    .body("project=1")
                    .send()
                    .await
                    .expect("an answer, not a dropped connection");
                assert_eq!(response.status(), status, "{endpoint} {content_type}");
            }
        }
    }
    // The server is still there.
    assert_eq!(app.current_email(&sam).await.as_deref(), Some(SAM));
}

#[tokio::test]
async fn parallel_wrong_passwords_get_no_more_checks_than_the_limit() {
    let app = TestApp::spawn().await;
    let attempts = (0..40).map(|n| {
        let app_url = app.url("/api/auth/sign_in");
        async move {
            new_client()
                .post(app_url)
                .header("Accept", "application/json")
                .form(&[("email", TOM), ("password", &format!("wrong-{n}"))])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, 40, "{statuses:?}");
    assert!(checked <= 5, "{checked} password checks: {statuses:?}");
    // The right password is refused too while the account is locked.
    assert_eq!(app.sign_in_as(&new_client(), TOM).await.status(), 429);
}

#[tokio::test]
async fn guessing_the_current_password_is_throttled() {
    let app = TestApp::spawn().await;
    let marc = app.sign_in(MARC).await;
    let change = |current: String| {
        let marc = marc.clone();
        async move {
            let request = ChangePassword {
                current,
                new: "a-new-long-password".to_string(),
                confirm: "a-new-long-password".to_string(),
            };
            marc.call(request).await.status
        }
    };
    for n in 0..5 {
        assert_eq!(change(format!("guess-{n}")).await, 422, "guess {n}");
    }
    assert_eq!(change("guess-6".into()).await, 429);
    assert_eq!(
        change(PASSWORD.into()).await,
        429,
        "locked, even when right"
    );
}

#[tokio::test]
async fn a_double_clicked_import_imports_once() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let file = "Name;City\nSchilders Jansen;Delft\nTegels & Co;Gouda\n";
    let uploaded: UploadedFile = app
        .upload_import(&sam, file.as_bytes().to_vec())
        .await
        .json()
        .await
        .unwrap();
    let import = RunImport {
        id: uploaded.id,
        kind: ContactKind::Company,
        mapping: uploaded.mapping,
    };
    let run = || sam.call(import.clone());
    let (first, second) = tokio::join!(run(), run());
    let mut statuses = [first.status, second.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422]);
    let loser = if first.status == 422 { first } else { second };
    assert_eq!(loser.problem(), "import_already_done");
    let copies: i64 =
        sqlx::query_scalar("SELECT count(*) FROM contacts WHERE name = 'Tegels & Co'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(copies, 1);

    // A user keeps a few uploads at most.
    for _ in 0..8 {
        app.upload_import(&sam, file.as_bytes().to_vec()).await;
    }
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM contact_imports")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(kept, 5);
}

#[tokio::test]
async fn slow_exports_cannot_take_the_pool() {
    let app = TestApp::spawn_with(|state| {
        let mut limits = app::state::export_limits::ExportLimits::new(1, 1);
        limits.write_timeout = Duration::from_secs(1);
        state.exports = limits;
    })
    .await;
    // Enough people that an export outgrows every buffer between server and client.
    let mut conn = app.pool.acquire().await.unwrap();
    app::seed::generate::contacts::generate(&mut conn, 2_000, 100_000, 7)
        .await
        .unwrap();
    drop(conn);
    let sam = app.sign_in(SAM).await;
    let marc = app.sign_in(MARC).await;

    // Sam starts an export and stops reading.
    let stalled = sam
        .get(app.url("/export/contacts.csv?d=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(stalled.status(), 200);

    // The one export place is taken: Marc is told at once.
    let second = marc
        .get(app.url("/export/contacts.csv?d=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), 429);

    // Ordinary requests and the readiness probe are served meanwhile.
    let started = Instant::now();
    assert_eq!(app.current_email(&marc).await.as_deref(), Some(MARC));
    let ready = new_client().get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert!(started.elapsed() < Duration::from_secs(2));

    // The stalled export is ended after the write timeout, and its place comes back.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let third = marc
        .get(app.url("/export/contacts.csv?d=0"))
        .send()
        .await
        .unwrap();
    assert_eq!(third.status(), 200);
    let csv = third.text().await.unwrap();
    let contacts: i64 = sqlx::query_scalar("SELECT count(*) FROM contacts WHERE NOT archived")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(contacts > 90_000);
    let records = csv::ReaderBuilder::new()
        .from_reader(csv.as_bytes())
        .records()
        .count();
    assert_eq!(records as i64, contacts, "every contact, after a header");
    drop(stalled);
}

/// The duplicate check of the company form, for a name.
fn duplicates_of(name: &str) -> FindDuplicates {
    FindDuplicates {
        kind: ContactKind::Company,
        name: name.to_string(),
        emails: String::new(),
        vat: String::new(),
        except: None,
    }
}

#[tokio::test]
async fn free_text_is_bounded_before_any_query() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let started = Instant::now();
    let long = "Bakkerij ".repeat(1200);
    let response = sam.call(duplicates_of(&long)).await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "name_too_long");
    assert!(started.elapsed() < Duration::from_secs(2));

    // A body past the limit of ordinary requests is refused unread.
    let huge = "x".repeat(3 * 1024 * 1024);
    let response = sam
        .post(app.url("/api/contacts/duplicates"))
        .header("Accept", "application/json")
        .form(&[("kind", "company"), ("name", huge.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);

    // A name like an existing one is still found.
    let found = sam.call(duplicates_of("Bouwbedrijf De Vries")).await.body;
    assert!(!found.as_array().unwrap().is_empty(), "{found}");
}

#[tokio::test]
async fn a_session_that_hammers_is_paced_and_others_are_not() {
    let app = TestApp::spawn_with(|state| {
        state.pace = app::auth::pace::RequestPace::new(2);
    })
    .await;
    let sam = app.sign_in(SAM).await;
    let marc = app.sign_in(MARC).await;

    // 40 requests at once from one session: a burst of four is served, a few wait their
    // turn (up to 2 s), the rest are told when to come back.
    let started = Instant::now();
    let answers =
        futures_util::future::join_all((0..40).map(|_| sam.call_raw(FetchTaskCounts {}))).await;
    let served = answers.iter().filter(|r| r.status() == 200).count();
    let refused: Vec<&reqwest::Response> = answers.iter().filter(|r| r.status() == 429).collect();
    assert_eq!(served + refused.len(), 40);
    assert!((8..=12).contains(&served), "{served} served");
    let retry_after = refused[0].headers()["retry-after"].to_str().unwrap();
    assert!(retry_after.parse::<u64>().unwrap() >= 1);
    assert!(started.elapsed() < Duration::from_secs(4));
    let mut last = None;
    for response in answers {
        if response.status() == 429 {
            last = Some(response.json::<Value>().await.unwrap());
        }
    }
    assert_eq!(last.unwrap(), json!("TooManyRequests"));

    // Another session is served at once meanwhile.
    let quick = Instant::now();
    assert_eq!(marc.call(FetchTaskCounts {}).await.status, 200);
    assert!(quick.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn calendar_dates_out_of_range_render_today() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    for page in ["/crm", "/quotes", "/activities"] {
        for date in [
            "%2B262142-12-20",
            "-262143-01-01",
            "9999-12-31",
            "not-a-date",
        ] {
            let response = sam
                .get(app.url(&format!("{page}?show=calendar&date={date}")))
                .send()
                .await
                .expect("a page, not a dropped connection");
            assert_eq!(response.status(), 200, "{page} {date}");
        }
    }
}

#[tokio::test]
async fn a_database_that_cannot_answer_is_not_a_signed_out_user() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    sqlx::query("ALTER TABLE sessions RENAME TO sessions_away")
        .execute(&app.pool)
        .await
        .unwrap();
    let page = sam.get(app.url("/contacts")).send().await.unwrap();
    assert_eq!(page.status(), 503, "not a redirect to the sign-in page");
    let call = sam.call(SignedInUser {}).await;
    assert_eq!(call.status, 503);
    sqlx::query("ALTER TABLE sessions_away RENAME TO sessions")
        .execute(&app.pool)
        .await
        .unwrap();
    assert_eq!(app.current_email(&sam).await.as_deref(), Some(SAM));
}

#[tokio::test]
async fn a_stale_write_gets_409_not_a_silent_overwrite() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (tax, version): (Uuid, i32) =
        sqlx::query_as("SELECT id, version FROM taxes ORDER BY position LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let save = |version: i32, name: &'static str| {
        let sam = sam.clone();
        async move {
            let request = SaveTax {
                id: Some(tax),
                version,
                name: name.to_string(),
                rate: "21".to_string(),
                included: false,
                country: String::new(),
                active: true,
            };
            sam.call(request).await.status
        }
    };
    assert_eq!(save(version, "BTW hoog").await, 200);
    assert_eq!(
        save(version, "VAT high").await,
        409,
        "saved on the old version"
    );
    let name: String = sqlx::query_scalar("SELECT name FROM taxes WHERE id = $1")
        .bind(tax)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(name, "BTW hoog");

    // A document's dates, changed by two people from the same page.
    let project = project_with_tom(&app, &sam).await.to_string();
    let form = reqwest::multipart::Form::new()
        .text("project", project)
        .text("kind", "insurance")
        .part(
            "file",
            reqwest::multipart::Part::bytes(b"%PDF-1.7 polis".to_vec()).file_name("polis.pdf"),
        );
    let uploaded: Uuid = sam
        .post(app.url("/api/projects/documents/upload"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let dates = |remind_on: &'static str| {
        let sam = sam.clone();
        async move {
            let request = SetDocumentDates {
                id: uploaded,
                version: 1,
                expires_on: String::new(),
                remind_on: remind_on.to_string(),
            };
            sam.call(request).await.status
        }
    };
    assert_eq!(dates("2027-01-15").await, 200);
    assert_eq!(dates("2027-03-01").await, 409);

    // A membership changed or removed from a page that is out of date.
    let project = project_with_tom(&app, &sam).await;
    let tom = app.user_id(TOM).await;
    let add = |version: i32| {
        let sam = sam.clone();
        async move {
            let request = AddMember {
                id: project,
                user_id: tom,
                permission: Permission::Admin,
                version: Some(version),
            };
            sam.call(request).await.status
        }
    };
    let remove = |version: i32| {
        let sam = sam.clone();
        async move {
            let request = RemoveMember {
                id: project,
                user_id: tom,
                version,
            };
            sam.call(request).await.status
        }
    };
    assert_eq!(add(1).await, 200);
    assert_eq!(add(1).await, 409);
    assert_eq!(remove(1).await, 409);
    assert_eq!(remove(2).await, 200);
    assert_eq!(remove(2).await, 409, "already gone");
}

#[tokio::test]
async fn bad_input_gets_a_field_error_never_a_500() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let contact: Uuid = sqlx::query_scalar("SELECT id FROM contacts ORDER BY name LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Over-long feedback on an activity marked done at once.
    let response = sam
        .call(ScheduleActivity {
            kind: RecordKind::Contact,
            id: contact,
            activity: ActivityInput {
                kind: "call".to_string(),
                due: "2026-12-01".to_string(),
                summary: "Called back".to_string(),
                ..Default::default()
            },
            assigned_to: None,
            done: true,
            feedback: "x".repeat(10_001),
        })
        .await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "text_too_long");

    // A saved view longer than a saved view may be.
    let response = sam
        .call(SaveView {
            list: "contacts".to_string(),
            name: "Long".to_string(),
            query: format!("q={}", "a".repeat(4_100)),
            shared: false,
            make_default: false,
        })
        .await;
    assert_eq!(response.status, 422);

    // A list cursor that does not cast to the sort's type.
    let response = sam
        .call(FetchListPage {
            list: "contacts".to_string(),
            query: "s=-created".to_string(),
            path: vec![],
            after: Some(Cursor {
                key: "not a time".to_string(),
                id: Uuid::nil(),
            }),
        })
        .await;
    assert_eq!(response.status, 422);

    // Two timers started at once: one runs, neither fails.
    let project = project_with_tom(&app, &sam).await;
    let task = sam.create_task(project, "Meten").await;
    let (first, second) = tokio::join!(
        sam.call(StartTimer { id: task }),
        sam.call(StartTimer { id: task })
    );
    assert_eq!((first.status, second.status), (200, 200));
    let timers: i64 = sqlx::query_scalar("SELECT count(*) FROM task_timers")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(timers, 1);
}
