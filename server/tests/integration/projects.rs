//! Projects and tasks through the real router: the permission matrix, closed projects, gapless
//! numbers, the task life cycle with review, documents, the reminder job with two workers, and
//! the statement cost of the project page and of my tasks.

use super::common;

use app::domain::policy::{self, Operation};
use app::domain::{Permission, ProjectInput, ProjectOp, ProjectState, Role, TaskAction, TaskInput};
use app::projects::api::{
    AddMember, AddProjectContact, AssignCustomer, CreateProject, DeleteDocument, GetProject,
    RemoveMember, RemoveProjectContact, SetDocumentDates, SetProjectState, UpdateProject,
};
use app::projects::{ContactPick, ContactRole, ProjectLinks};
use app::tasks::api::{
    ActOnTask, ChangeChecklist, CreateTask, FetchMyTasks, FetchTaskCounts, GetTask, LogTime,
    ReorderTask, SetTaskDates, StartTimer, StopTimer,
};
use app::tasks::TaskPeople;
use common::{Reply, Session, TestApp};
use serde_json::Value;
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const ANNA: &str = "anna@atrium.example"; // manager
const MARC: &str = "marc@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee
const LUCIA: &str = "lucia@atrium.example";

/// A project of Bouwbedrijf De Vries with dates and a budget: its id and number.
async fn create_project(app: &TestApp, session: &Session, title: &str) -> (Uuid, String) {
    let links = ProjectLinks {
        customer_id: Some(app.contact_id("Bouwbedrijf De Vries BV").await),
        ..Default::default()
    };
    let project = ProjectInput {
        title: title.to_string(),
        start_date: "2026-12-01".to_string(),
        end_date: "2027-02-01".to_string(),
        budget: "12500".to_string(),
        ..Default::default()
    };
    let created = session.call(CreateProject { links, project }).await.ok();
    (created.id, created.number)
}

async fn version(app: &TestApp, project: Uuid) -> i32 {
    sqlx::query_scalar("SELECT version FROM projects WHERE id = $1")
        .bind(project)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn set_membership(app: &TestApp, project: Uuid, user: Uuid, permission: Option<&str>) {
    sqlx::query("DELETE FROM project_members WHERE project_id = $1 AND user_id = $2")
        .bind(project)
        .bind(user)
        .execute(&app.pool)
        .await
        .unwrap();
    if let Some(permission) = permission {
        sqlx::query(
            "INSERT INTO project_members (project_id, user_id, permission) VALUES ($1, $2, $3)",
        )
        .bind(project)
        .bind(user)
        .bind(permission)
        .execute(&app.pool)
        .await
        .unwrap();
    }
}

async fn upload_document(
    app: &TestApp,
    client: &reqwest::Client,
    project: Uuid,
    file_name: &str,
    bytes: Vec<u8>,
    remind_on: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("project", project.to_string())
        .text("kind", "insurance")
        .text("expires_on", "")
        .text("remind_on", remind_on.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
    client
        .post(app.url("/api/projects/documents/upload"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The project server functions and file routes, each as the policy table names it.
const OPERATIONS: &[&str] = &[
    "projects/get",
    "tasks/create",
    "tasks/reorder",
    "projects/update",
    "projects/assign_customer",
    "projects/set_state",
    "projects/add_member",
    "projects/remove_member",
    "projects/add_contact",
    "projects/remove_contact",
    "projects/documents/upload",
    "projects/documents/set_dates",
    "projects/documents/delete",
    "files/documents",
];

/// What the policy table says of `operation` on a project for this caller.
fn table_allows(role: Role, membership: Option<&str>, operation: &str) -> bool {
    let op = match operation {
        // A task in a project is work on that project's tasks.
        "tasks/create" => Operation::Project(ProjectOp::WorkOnTasks),
        other => policy::operation_of(other).expect("in the policy table"),
    };
    let membership = membership.and_then(app::domain::Permission::parse);
    policy::allows(Some(role), membership, ProjectState::Planned, op)
}

/// Calls one operation on `project` and answers its HTTP status.
async fn attempt(
    app: &TestApp,
    session: &Session,
    operation: &str,
    project: Uuid,
    document: Uuid,
) -> u16 {
    let response = match operation {
        "projects/get" => session.call_raw(GetProject { id: project }).await,
        "files/documents" => session
            .get(app.url(&format!("/files/documents/{document}")))
            .send()
            .await
            .unwrap(),
        "tasks/reorder" => {
            let task: Uuid = sqlx::query_scalar(
                "SELECT id FROM tasks WHERE project_id = $1 ORDER BY position LIMIT 1",
            )
            .bind(project)
            .fetch_one(&app.pool)
            .await
            .unwrap();
            session
                .call_raw(ReorderTask {
                    id: task,
                    before: None,
                })
                .await
        }
        "projects/assign_customer" => {
            let customer_id = app.contact_id("Bouwbedrijf De Vries BV").await;
            let response = session
                .call_raw(AssignCustomer {
                    ids: vec![project],
                    customer_id,
                })
                .await;
            let status = response.status();
            let text = response.text().await.unwrap();
            let report: Value = serde_json::from_str(&text)
                .unwrap_or_else(|_| panic!("{operation}: {status} {text}"));
            // A bulk action reports the projects it may not change instead of failing.
            return if report["refused"] == 0 { 200 } else { 403 };
        }
        "projects/remove_member" => {
            let lucia = app.user_id(LUCIA).await;
            let version: Option<i32> = sqlx::query_scalar(
                "SELECT version FROM project_members WHERE project_id = $1 AND user_id = $2",
            )
            .bind(project)
            .bind(lucia)
            .fetch_optional(&app.pool)
            .await
            .unwrap();
            session
                .call_raw(RemoveMember {
                    id: project,
                    user_id: lucia,
                    version: version.unwrap_or(0),
                })
                .await
        }
        "projects/remove_contact" => {
            session
                .call_raw(RemoveProjectContact {
                    id: project,
                    role: ContactRole::Billing,
                    contact_id: app.contact_id("Pieter de Vries").await,
                })
                .await
        }
        "projects/documents/delete" => {
            // A document of its own for each attempt, uploaded by an admin.
            let admin = app.sign_in(SAM).await;
            let spare =
                upload_document(app, &admin, project, "spare.pdf", b"%PDF-1.4".to_vec(), "").await;
            let spare: Uuid = spare.json().await.unwrap();
            session.call_raw(DeleteDocument { id: spare }).await
        }
        "tasks/create" => {
            session
                .call_raw(CreateTask {
                    project: Some(project),
                    people: Default::default(),
                    add_member: false,
                    task: TaskInput {
                        title: "Check the meter".to_string(),
                        ..Default::default()
                    },
                })
                .await
        }
        "projects/update" => {
            session
                .call_raw(UpdateProject {
                    id: project,
                    version: version(app, project).await,
                    links: Default::default(),
                    project: ProjectInput {
                        title: "Renamed".to_string(),
                        ..Default::default()
                    },
                })
                .await
        }
        "projects/set_state" => {
            session
                .call_raw(SetProjectState {
                    id: project,
                    version: None,
                    state: ProjectState::OnHold,
                })
                .await
        }
        "projects/add_member" => {
            session
                .call_raw(AddMember {
                    id: project,
                    user_id: app.user_id(LUCIA).await,
                    permission: Permission::Limited,
                    version: None,
                })
                .await
        }
        "projects/add_contact" => {
            let pick = ContactPick {
                contact_id: Some(app.contact_id("Pieter de Vries").await),
                ..Default::default()
            };
            session
                .call_raw(AddProjectContact {
                    id: project,
                    role: ContactRole::Billing,
                    pick,
                })
                .await
        }
        "projects/documents/upload" => {
            upload_document(
                app,
                session,
                project,
                "polis.pdf",
                b"%PDF-1.7 test".to_vec(),
                "",
            )
            .await
        }
        "projects/documents/set_dates" => {
            let version: i32 =
                sqlx::query_scalar("SELECT version FROM project_documents WHERE id = $1")
                    .bind(document)
                    .fetch_one(&app.pool)
                    .await
                    .unwrap();
            session
                .call_raw(SetDocumentDates {
                    id: document,
                    version,
                    expires_on: String::new(),
                    remind_on: "2027-01-15".to_string(),
                })
                .await
        }
        other => panic!("unknown operation {other}"),
    };
    let status = response.status().as_u16();
    // Every refused call says why in a way the interface translates.
    if status >= 400 {
        let body: Value = response.json().await.unwrap();
        assert!(body.is_object() || body.is_string(), "{operation}: {body}");
    }
    status
}

/// Puts the project back as it was before an operation changed it.
async fn reset(app: &TestApp, project: Uuid) {
    sqlx::query("UPDATE projects SET state = 'planned' WHERE id = $1")
        .bind(project)
        .execute(&app.pool)
        .await
        .unwrap();
}

#[tokio::test]
async fn each_role_and_permission_may_do_exactly_what_the_rules_say() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (project, _) = create_project(&app, &sam, "Permission matrix").await;
    let document = upload_document(
        &app,
        &sam,
        project,
        "contract.pdf",
        b"%PDF-1.4 x".to_vec(),
        "",
    )
    .await;
    assert_eq!(document.status(), 200);
    let document: Uuid = document.json().await.unwrap();
    // A second customer's project, where the memberships below are never given.
    let (other, _) = create_project(&app, &sam, "Another customer").await;
    sqlx::query("UPDATE projects SET customer_id = $2 WHERE id = $1")
        .bind(other)
        .bind(app.contact_id("Impianti Rossi Srl").await)
        .execute(&app.pool)
        .await
        .unwrap();
    let other_document = upload_document(&app, &sam, other, "b.pdf", b"%PDF-1.4".to_vec(), "")
        .await
        .json::<Uuid>()
        .await
        .unwrap();
    for id in [project, other] {
        sam.create_task(id, "First").await;
    }
    let people = [
        (SAM, Role::Admin),
        (ANNA, Role::Manager),
        (MARC, Role::Sales),
        (TOM, Role::Employee),
    ];
    let mut wrong = Vec::new();
    for (email, role) in people {
        let session = app.sign_in(email).await;
        let user = app.user_id(email).await;
        for membership in [None, Some("limited"), Some("admin")] {
            if email != SAM {
                set_membership(&app, project, user, membership).await;
            }
            for (target, document, held) in [
                (project, document, membership),
                (other, other_document, None),
            ] {
                for operation in OPERATIONS {
                    reset(&app, target).await;
                    let status = attempt(&app, &session, operation, target, document).await;
                    let allowed = table_allows(role, held, operation);
                    let right = if allowed {
                        status == 200
                    } else {
                        status == 403
                    };
                    if !right {
                        let whose = if target == project { "own" } else { "other" };
                        wrong.push(format!("{email} {held:?} {whose} {operation}: {status}"));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "answers that differ from the policy table:\n{}",
        wrong.join("\n")
    );
}

/// Checks that a call was refused because its project is closed.
fn refused_as_closed<T>(reply: Reply<T>, endpoint: &str) {
    assert_eq!(reply.status, 409, "{endpoint} on a closed project");
    assert_eq!(reply.body, serde_json::json!({ "Project": "closed" }));
}

#[tokio::test]
async fn a_closed_project_refuses_every_new_action_until_reopened() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (project, _) = create_project(&app, &sam, "To be closed").await;
    let task = sam.create_task(project, "Last check").await;
    let document = upload_document(&app, &sam, project, "a.pdf", b"%PDF-1.4".to_vec(), "").await;
    let document: Uuid = document.json().await.unwrap();
    let closed = sam
        .call(SetProjectState {
            id: project,
            version: None,
            state: ProjectState::Closed,
        })
        .await;
    assert_eq!(closed.status, 200);

    for operation in [
        "tasks/create",
        "projects/update",
        "projects/add_member",
        "projects/add_contact",
        "projects/documents/upload",
        "projects/documents/set_dates",
    ] {
        let status = attempt(&app, &sam, operation, project, document).await;
        assert_eq!(status, 409, "{operation} on a closed project");
    }
    let two_hours = LogTime {
        id: task,
        work_date: "2026-12-02".to_string(),
        hours: "2".to_string(),
        note: String::new(),
        billable: None,
    };
    refused_as_closed(sam.call(two_hours.clone()).await, "tasks/log_time");
    let start = ActOnTask {
        id: task,
        version: 1,
        action: TaskAction::Start,
        comment: String::new(),
    };
    refused_as_closed(sam.call(start).await, "tasks/act");
    refused_as_closed(sam.call(StartTimer { id: task }).await, "tasks/timer_start");
    let photos = ChangeChecklist {
        id: task,
        item: None,
        text: "Photos".to_string(),
        done: None,
    };
    refused_as_closed(sam.call(photos).await, "tasks/checklist");
    let hours: rust_decimal::Decimal =
        sqlx::query_scalar("SELECT hours_spent FROM projects WHERE id = $1")
            .bind(project)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(hours.is_zero(), "nothing was booked");
    // Looking is still allowed, and an admin reopens it.
    let page = sam.call(GetProject { id: project }).await;
    assert_eq!(page.status, 200);
    let reopened = sam
        .call(SetProjectState {
            id: project,
            version: None,
            state: ProjectState::InProgress,
        })
        .await;
    assert_eq!(reopened.status, 200);
    let response = sam.call(two_hours).await;
    assert_eq!(response.status, 200);
}

#[tokio::test]
async fn numbers_are_gapless_per_year_even_when_created_together() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let year = chrono::Utc::now().format("%Y").to_string();
    let before: i64 =
        sqlx::query_scalar("SELECT count(*) FROM projects WHERE number LIKE 'P-' || $1 || '-%'")
            .bind(&year)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    // A refused creation takes no number.
    let refused = sam
        .call(CreateProject {
            links: Default::default(),
            project: ProjectInput {
                title: "Bad".to_string(),
                start_date: "2026-05-02".to_string(),
                end_date: "2026-05-01".to_string(),
                ..Default::default()
            },
        })
        .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.field(), "end_date");
    assert_eq!(refused.problem(), "end_before_start");

    let mut created = Vec::new();
    let calls: Vec<_> = (0..8)
        .map(|n| {
            let app = &app;
            let sam = &sam;
            async move { create_project(app, sam, &format!("Parallel {n}")).await }
        })
        .collect();
    for (_, number) in futures_util::future::join_all(calls).await {
        created.push(number);
    }
    created.sort();
    let start = before + 1;
    let expected: Vec<String> = (start..start + 8)
        .map(|n| format!("P-{year}-{n:04}"))
        .collect();
    assert_eq!(created, expected);
}

async fn task_version(app: &TestApp, task: Uuid) -> i32 {
    sqlx::query_scalar("SELECT version FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn task_status(app: &TestApp, task: Uuid) -> String {
    sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1")
        .bind(task)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

/// A task in `project` for `assignee`, who becomes a member if they are not one yet.
fn assigned_task(project: Uuid, assignee: Uuid, task: TaskInput) -> CreateTask {
    CreateTask {
        project: Some(project),
        people: TaskPeople {
            assignee: Some(assignee),
            ..Default::default()
        },
        add_member: true,
        task,
    }
}

/// Acts on the task at the version the acting user has just read.
async fn act(
    app: &TestApp,
    session: &Session,
    task: Uuid,
    action: TaskAction,
    comment: &str,
) -> Reply<()> {
    let version = task_version(app, task).await;
    session
        .call(ActOnTask {
            id: task,
            version,
            action,
            comment: comment.to_string(),
        })
        .await
}

#[tokio::test]
async fn a_task_with_review_goes_to_its_creator_and_back_with_a_comment() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let tom = app.sign_in(TOM).await;
    let (project, _) = create_project(&app, &sam, "Review flow").await;
    let tom_id = app.user_id(TOM).await;
    let boiler = TaskInput {
        title: "Install the boiler".to_string(),
        review_on_completion: true,
        planned_hours: "6".to_string(),
        ..Default::default()
    };
    let created = sam.call(assigned_task(project, tom_id, boiler)).await;
    assert_eq!(created.status, 200);
    let task = created.ok();
    // Sam confirmed adding Tom, who became a Limited member and sees the project.
    let page = tom.call(GetProject { id: project }).await;
    assert_eq!(page.status, 200);

    // An action on a task as it was before someone changed it is refused.
    let stale = tom
        .call(ActOnTask {
            id: task,
            version: 0,
            action: TaskAction::Start,
            comment: String::new(),
        })
        .await;
    assert_eq!(stale.status, 409);
    assert_eq!(
        act(&app, &tom, task, TaskAction::Start, "").await.status,
        200
    );
    assert_eq!(
        act(&app, &tom, task, TaskAction::Complete, "").await.status,
        200
    );
    assert_eq!(task_status(&app, task).await, "pending_review");
    // Only the creator decides, and sending back needs a reason.
    let response = act(&app, &tom, task, TaskAction::Accept, "").await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "action_not_yours");
    let response = act(&app, &sam, task, TaskAction::SendBack, " ").await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "comment_required");
    assert_eq!(
        act(
            &app,
            &sam,
            task,
            TaskAction::SendBack,
            "The pressure test is missing"
        )
        .await
        .status,
        200
    );
    assert_eq!(task_status(&app, task).await, "in_progress");
    // A jump the machine does not allow is refused.
    let response = act(&app, &tom, task, TaskAction::Renew, "").await;
    assert_eq!(response.status, 422);
    assert_eq!(
        act(&app, &tom, task, TaskAction::Complete, "").await.status,
        200
    );
    assert_eq!(
        act(&app, &sam, task, TaskAction::Accept, "").await.status,
        200
    );
    assert_eq!(task_status(&app, task).await, "completed");

    let page = sam.call(GetTask { id: task }).await.body;
    let moves: Vec<String> = page["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "status")
        .map(|h| {
            format!(
                "{}>{}",
                h["old_value"].as_str().unwrap(),
                h["new_value"].as_str().unwrap()
            )
        })
        .rev()
        .collect();
    assert_eq!(
        moves,
        [
            "pending>in_progress",
            "in_progress>pending_review",
            "pending_review>in_progress",
            "in_progress>pending_review",
            "pending_review>completed"
        ]
    );
    let comments: Vec<&str> = page["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h["comment"].as_str())
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(comments, ["The pressure test is missing"]);
}

fn log_time(task: Uuid, hours: &str, billable: Option<&str>) -> LogTime {
    LogTime {
        id: task,
        work_date: "2026-12-01".to_string(),
        hours: hours.to_string(),
        note: String::new(),
        billable: billable.map(str::to_string),
    }
}

fn dates(task: Uuid, version: i32, start_date: &str, due_date: &str) -> SetTaskDates {
    SetTaskDates {
        id: task,
        version,
        start_date: start_date.to_string(),
        due_date: due_date.to_string(),
    }
}

#[tokio::test]
async fn hours_dates_and_deadlines_are_checked_and_summed() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let tom = app.sign_in(TOM).await;
    let (project, _) = create_project(&app, &sam, "Hours").await;
    let tom_id = app.user_id(TOM).await;
    let cables = TaskInput {
        title: "Lay cables".to_string(),
        due_date: "2026-12-10".to_string(),
        ..Default::default()
    };
    let task = sam.call(assigned_task(project, tom_id, cables)).await.ok();
    for (hours, problem) in [
        ("-1", "hours_not_positive"),
        ("0", "hours_not_positive"),
        ("25", "amount_too_large"),
    ] {
        let response = tom.call(log_time(task, hours, None)).await;
        assert_eq!(response.status, 422, "{hours}");
        assert_eq!(response.problem(), problem);
    }
    for hours in ["2,5", "1.25"] {
        let response = tom.call(log_time(task, hours, Some("true"))).await;
        assert_eq!(response.status, 200);
    }
    let spent: rust_decimal::Decimal =
        sqlx::query_scalar("SELECT hours_spent FROM projects WHERE id = $1")
            .bind(project)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(spent, rust_decimal::Decimal::new(375, 2));

    // The timer books what ran (at least a minute's worth).
    assert_eq!(tom.call(StartTimer { id: task }).await.status, 200);
    let stopped = tom.call(StopTimer {}).await;
    assert_eq!(stopped.status, 200);
    let again = tom.call(StopTimer {}).await;
    assert_eq!(again.status, 422);

    // The end before the start is refused; the assignee may not move a fixed deadline.
    let v = task_version(&app, task).await;
    let response = sam.call(dates(task, v, "2026-12-12", "2026-12-10")).await;
    assert_eq!(response.status, 422);
    sqlx::query("UPDATE tasks SET assignee_may_change_due = false WHERE id = $1")
        .bind(task)
        .execute(&app.pool)
        .await
        .unwrap();
    let v = task_version(&app, task).await;
    let response = tom.call(dates(task, v, "2026-12-01", "2026-12-20")).await;
    assert_eq!(response.status, 422);
    assert_eq!(response.problem(), "deadline_not_yours");
    let response = sam.call(dates(task, v, "2026-12-01", "2026-12-20")).await;
    assert_eq!(response.status, 200);
    // The same version again is stale now: a conflict, not an overwrite.
    let response = sam.call(dates(task, v, "2026-12-02", "2026-12-24")).await;
    assert_eq!(response.status, 409);
    let changed: bool =
        sqlx::query_scalar("SELECT due_changed_at IS NOT NULL FROM tasks WHERE id = $1")
            .bind(task)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert!(changed, "the deadline change shows as an indicator");
}

#[tokio::test]
async fn documents_are_checked_stored_and_served_as_attachments() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let (project, _) = create_project(&app, &sam, "Documents").await;
    let html = upload_document(
        &app,
        &sam,
        project,
        "invoice.pdf",
        b"<html><script>".to_vec(),
        "",
    )
    .await;
    assert_eq!(html.status(), 422);
    let body: Value = html.json().await.unwrap();
    assert_eq!(body["Invalid"]["problem"], "file_type_refused");
    let svg = upload_document(&app, &sam, project, "logo.svg", b"<svg/>".to_vec(), "").await;
    assert_eq!(svg.status(), 422);
    let huge = upload_document(
        &app,
        &sam,
        project,
        "big.pdf",
        vec![b'%'; 21 * 1024 * 1024],
        "",
    )
    .await;
    assert_eq!(huge.status(), 422);
    let body: Value = huge.json().await.unwrap();
    assert_eq!(body["Invalid"]["problem"], "file_too_large");
    let stored: i64 =
        sqlx::query_scalar("SELECT count(*) FROM project_documents WHERE project_id = $1")
            .bind(project)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(stored, 0, "refused files leave nothing behind");

    let ok = upload_document(
        &app,
        &sam,
        project,
        "Polis \"2026\".pdf",
        b"%PDF-1.7 policy".to_vec(),
        "2026-12-01",
    )
    .await;
    assert_eq!(ok.status(), 200);
    let id: Uuid = ok.json().await.unwrap();
    let download = sam
        .get(app.url(&format!("/files/documents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), 200);
    let headers = download.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        !disposition.contains("\"2026\""),
        "quotes are not passed into the header"
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.7 policy");

    // People without access to the project do not get the file.
    let lucia = app.sign_in(LUCIA).await;
    let refused = lucia
        .get(app.url(&format!("/files/documents/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
}

#[tokio::test]
async fn each_reminder_is_sent_once_even_with_two_workers() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let anna = app.user_id(ANNA).await;
    let mut documents = Vec::new();
    for n in 0..30 {
        let (project, _) = create_project(&app, &sam, &format!("Reminders {n}")).await;
        sqlx::query("UPDATE projects SET manager_id = $2 WHERE id = $1")
            .bind(project)
            .bind(anna)
            .execute(&app.pool)
            .await
            .unwrap();
        let response = upload_document(
            &app,
            &sam,
            project,
            "polis.pdf",
            b"%PDF-1.7".to_vec(),
            "2026-11-01",
        )
        .await;
        documents.push(response.json::<Uuid>().await.unwrap());
    }
    // Not due yet: stays.
    let (later, _) = create_project(&app, &sam, "Later").await;
    upload_document(
        &app,
        &sam,
        later,
        "later.pdf",
        b"%PDF-1.7".to_vec(),
        "2099-01-01",
    )
    .await;

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let (first, second) = tokio::join!(
        app::projects::documents::send_due_reminders(&app.pool, today),
        app::projects::documents::send_due_reminders(&app.pool, today),
    );
    let sent = first.unwrap() + second.unwrap();
    assert_eq!(sent, documents.len() as i64);
    // Sam uploaded and administers each project; Anna manages them: two per document.
    let notifications: i64 =
        sqlx::query_scalar("SELECT count(*) FROM notifications WHERE document_id = ANY($1)")
            .bind(&documents)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(notifications, 2 * documents.len() as i64);
    let again = app::projects::documents::send_due_reminders(&app.pool, today)
        .await
        .unwrap();
    assert_eq!(again, 0, "nothing is reminded twice");

    // The reminder shows on the dashboard of those responsible, and counts in the menu.
    let anna_client = app.sign_in(ANNA).await;
    let mine = anna_client.call(FetchMyTasks {}).await.body;
    assert_eq!(mine["reminders"].as_array().unwrap().len(), documents.len());
    let counts = anna_client.call(FetchTaskCounts {}).await.body;
    assert_eq!(counts["reminders"], documents.len());
}

#[tokio::test]
async fn the_project_page_and_my_tasks_cost_the_same_statements_whatever_the_tasks() {
    let app = TestApp::spawn().await;
    app.track_statements().await;
    let sam = app.sign_in(SAM).await;
    let (project, _) = create_project(&app, &sam, "Big project").await;
    let sam_id = app.user_id(SAM).await;
    let mut costs = Vec::new();
    for tasks in [3, 2000] {
        sqlx::query("DELETE FROM tasks WHERE project_id = $1")
            .bind(project)
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO tasks (id, project_id, title, assignee_id, creator_id, due_date, position)
             SELECT gen_random_uuid(), $1, 'Task ' || g, $2, $2, current_date + (g % 20 - 5), g
             FROM generate_series(1, $3) g",
        )
        .bind(project)
        .bind(sam_id)
        .bind(tasks)
        .execute(&app.pool)
        .await
        .unwrap();
        let before = app.statements().await;
        let page = sam.call(GetProject { id: project }).await.ok_json();
        assert_eq!(page["tasks"].as_array().unwrap().len(), tasks as usize);
        let project_cost = app.statements().await - before;
        let before = app.statements().await;
        let mine = sam.call(FetchMyTasks {}).await;
        assert_eq!(mine.status, 200);
        let mine_cost = app.statements().await - before;
        costs.push((project_cost, mine_cost));
    }
    assert_eq!(costs[0], costs[1], "statements with 3 and with 2000 tasks");
}
