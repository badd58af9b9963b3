//! The CRM through the real router: card order within and across stages, two people moving
//! the same card, closing a deal finishing its tasks (setting on and off), activities done
//! with feedback on the timeline, bad input, and the statement cost of the board.

use super::common;

use app::activities::api::{LoadActivityCounts, LogNote, MarkActivityDone, ScheduleActivity};
use app::contacts::api::{DeleteContacts, MergeContacts};
use app::crm::api::{
    ActOnOpportunity, CreateDealTask, CreateOpportunity, MoveOpportunity, PipelineBoard,
    SetCloseTasks,
};
use app::domain::activity::ActivityInput;
use app::domain::opportunity::{OpportunityAction, OpportunityInput};
use app::domain::TaskInput;
use app::shared::RecordKind;
use common::{Reply, Session, TestApp};
use uuid::Uuid;

const SAM: &str = "demo@atrium.example"; // admin
const MARC: &str = "marc@atrium.example"; // sales
const LUCIA: &str = "lucia@atrium.example"; // sales
const TOM: &str = "tom@atrium.example"; // employee

/// The default pipeline's stages by key: new, qualified, proposition, won.
async fn stage(app: &TestApp, key: &str) -> Uuid {
    sqlx::query_scalar(
        "SELECT s.id FROM pipeline_stages s JOIN pipelines p ON p.id = s.pipeline_id
         WHERE p.key = 'sales' AND s.key = $1",
    )
    .bind(key)
    .fetch_one(&app.pool)
    .await
    .unwrap()
}

/// The deal form with only a title.
fn deal_form(title: &str) -> OpportunityInput {
    OpportunityInput {
        title: title.to_string(),
        ..Default::default()
    }
}

/// A deal of 1000 in `stage`, created through the deal form.
async fn create(session: &Session, title: &str, stage: Uuid) -> Uuid {
    let opportunity = OpportunityInput {
        expected_revenue: "1000".to_string(),
        ..deal_form(title)
    };
    let created = session
        .call(CreateOpportunity {
            opportunity,
            links: Default::default(),
            pipeline: None,
            stage: Some(stage),
        })
        .await;
    created.ok().id
}

async fn version(app: &TestApp, id: Uuid) -> i32 {
    sqlx::query_scalar("SELECT version FROM opportunities WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
}

async fn move_card(
    session: &Session,
    id: Uuid,
    version: i32,
    to: Uuid,
    before: Option<Uuid>,
) -> Reply<i32> {
    session
        .call(MoveOpportunity {
            id,
            version,
            stage: to,
            before,
        })
        .await
}

/// The ids of a column's cards, in board order, among `ours`.
async fn column(session: &Session, stage: Uuid, ours: &[Uuid]) -> Vec<Uuid> {
    let board = session
        .call(PipelineBoard {
            pipeline: None,
            query: "q=Order test".to_string(),
        })
        .await;
    assert_eq!(board.status, 200);
    board.body["columns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["stage"]["id"] == stage.to_string())
        .unwrap()["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| Uuid::parse_str(c["id"].as_str().unwrap()).unwrap())
        .filter(|id| ours.contains(id))
        .collect()
}

#[tokio::test]
async fn cards_keep_their_order_within_and_across_stages() {
    let app = TestApp::spawn().await;
    let marc = app.sign_in(MARC).await;
    let (new, qualified) = (stage(&app, "new").await, stage(&app, "qualified").await);
    let a = create(&marc, "Order test A", new).await;
    let b = create(&marc, "Order test B", new).await;
    let c = create(&marc, "Order test C", new).await;
    let ours = [a, b, c];
    // New cards go first.
    assert_eq!(column(&marc, new, &ours).await, vec![c, b, a]);
    // A before C, within the column.
    let response = move_card(&marc, a, version(&app, a).await, new, Some(c)).await;
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(column(&marc, new, &ours).await, vec![a, c, b]);
    // B to the end of Qualified, then C before it.
    move_card(&marc, b, version(&app, b).await, qualified, None).await;
    let response = move_card(&marc, c, version(&app, c).await, qualified, Some(b)).await;
    assert_eq!(response.status, 200);
    assert_eq!(column(&marc, new, &ours).await, vec![a]);
    assert_eq!(column(&marc, qualified, &ours).await, vec![c, b]);
    // Each stage move is on the timeline.
    let stages: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM timeline_entries WHERE record_id = ANY($1) AND kind = 'stage'",
    )
    .bind(&ours[..])
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(stages, 2);
    // Into the won stage wins the deal; out of it reopens it.
    let won = stage(&app, "won").await;
    move_card(&marc, a, version(&app, a).await, won, None).await;
    let status: String = sqlx::query_scalar("SELECT status FROM opportunities WHERE id = $1")
        .bind(a)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "won");
    move_card(&marc, a, version(&app, a).await, new, None).await;
    let status: String = sqlx::query_scalar("SELECT status FROM opportunities WHERE id = $1")
        .bind(a)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "open");
}

#[tokio::test]
async fn two_people_moving_the_same_card_one_wins_the_other_gets_a_conflict() {
    let app = TestApp::spawn().await;
    let (marc, lucia) = (app.sign_in(MARC).await, app.sign_in(LUCIA).await);
    let (new, qualified, proposition) = (
        stage(&app, "new").await,
        stage(&app, "qualified").await,
        stage(&app, "proposition").await,
    );
    for round in 0..5 {
        let id = create(&marc, &format!("Contested {round}"), new).await;
        let read = version(&app, id).await;
        let (first, second) = tokio::join!(
            move_card(&marc, id, read, qualified, None),
            move_card(&lucia, id, read, proposition, None),
        );
        let statuses = [first.status, second.status];
        assert!(
            statuses == [200, 409] || statuses == [409, 200],
            "one move wins, the other conflicts: {statuses:?}"
        );
        let winner = if statuses[0] == 200 {
            qualified
        } else {
            proposition
        };
        let (stage_now, version_now): (Uuid, i32) =
            sqlx::query_as("SELECT stage_id, version FROM opportunities WHERE id = $1")
                .bind(id)
                .fetch_one(&app.pool)
                .await
                .unwrap();
        assert_eq!(stage_now, winner);
        assert_eq!(version_now, read + 1);
        // The loser's answer names the conflict, translated on the page.
        let loser = if statuses[0] == 409 { first } else { second };
        let body = loser.body;
        assert_eq!(body, serde_json::json!("Conflict"), "{body}");
    }
}

async fn create_task(session: &Session, deal: Uuid, title: &str, review: bool) -> Uuid {
    let task = TaskInput {
        title: title.to_string(),
        review_on_completion: review,
        ..Default::default()
    };
    session
        .call(CreateDealTask {
            id: deal,
            people: Default::default(),
            task,
        })
        .await
        .ok()
}

async fn task_statuses(app: &TestApp, tasks: &[Uuid]) -> Vec<String> {
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(
            sqlx::query_scalar("SELECT status FROM tasks WHERE id = $1")
                .bind(task)
                .fetch_one(&app.pool)
                .await
                .unwrap(),
        );
    }
    statuses
}

async fn act(
    app: &TestApp,
    session: &Session,
    id: Uuid,
    action: OpportunityAction,
    lost_reason: Option<Uuid>,
) -> Reply<()> {
    session
        .call(ActOnOpportunity {
            id,
            version: version(app, id).await,
            action,
            lost_reason,
            lost_note: String::new(),
        })
        .await
}

#[tokio::test]
async fn closing_a_deal_finishes_its_tasks_unless_the_setting_is_off() {
    let app = TestApp::spawn().await;
    let (sam, marc) = (app.sign_in(SAM).await, app.sign_in(MARC).await);
    let new = stage(&app, "new").await;
    let deal = create(&marc, "Deal with tasks", new).await;
    let plain = create_task(&marc, deal, "Send the contract", false).await;
    let reviewed = create_task(&marc, deal, "Check the drawings", true).await;
    let done_already = create_task(&marc, deal, "Call the architect", false).await;
    sqlx::query("UPDATE tasks SET status = 'deferred' WHERE id = $1")
        .bind(done_already)
        .execute(&app.pool)
        .await
        .unwrap();
    // Linked back, tagged CRM, on the deal's timeline.
    let linked: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tasks WHERE opportunity_id = $1 AND 'CRM' = ANY(tags)",
    )
    .bind(deal)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(linked, 3);
    let created: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM timeline_entries WHERE record_id = $1 AND kind = 'task_created'",
    )
    .bind(deal)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(created, 3);

    let response = act(&app, &marc, deal, OpportunityAction::MarkWon, None).await;
    assert_eq!(response.status, 200, "{}", response.body);
    let tasks = [plain, reviewed, done_already];
    assert_eq!(
        task_statuses(&app, &tasks).await,
        ["completed", "pending_review", "deferred"]
    );
    let history: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM task_history WHERE task_id = ANY($1) AND kind = 'status'",
    )
    .bind(&tasks[..])
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(history, 2, "each finished task records its move");
    // The won deal sits in the won stage; reopening does not reopen its tasks.
    let stage_now: Uuid = sqlx::query_scalar("SELECT stage_id FROM opportunities WHERE id = $1")
        .bind(deal)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(stage_now, stage(&app, "won").await);
    assert_eq!(
        act(&app, &marc, deal, OpportunityAction::Reopen, None)
            .await
            .status,
        200
    );
    assert_eq!(
        task_statuses(&app, &tasks).await,
        ["completed", "pending_review", "deferred"]
    );

    // With the setting off, losing a deal leaves its tasks as they are.
    let settings_version: i32 =
        sqlx::query_scalar("SELECT crm_settings_version FROM company_settings")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let setting = SetCloseTasks {
        on: false,
        version: settings_version,
    };
    assert_eq!(
        marc.call(setting.clone()).await.status,
        403,
        "only managers and admins change the setting"
    );
    let off = sam.call(setting.clone()).await;
    assert_eq!(off.status, 200);
    // The same change from a page that did not see it: refused, not applied twice.
    let stale = sam.call(setting).await;
    assert_eq!(stale.status, 409);
    let other = create(&marc, "Deal kept open tasks", new).await;
    let task = create_task(&marc, other, "Visit the site", false).await;
    // Lost needs a reason.
    let refused = act(&app, &marc, other, OpportunityAction::MarkLost, None).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.field(), "lost_reason", "{}", refused.body);
    let reason: Uuid = sqlx::query_scalar("SELECT id FROM lost_reasons WHERE key = 'competitor'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        act(
            &app,
            &marc,
            other,
            OpportunityAction::MarkLost,
            Some(reason)
        )
        .await
        .status,
        200
    );
    assert_eq!(task_statuses(&app, &[task]).await, ["pending"]);
    let lost: (String, Option<Uuid>) =
        sqlx::query_as("SELECT status, lost_reason_id FROM opportunities WHERE id = $1")
            .bind(other)
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(lost, ("lost".to_string(), Some(reason)));
    // A lost deal does not move on the board until reopened.
    let moved = move_card(&marc, other, version(&app, other).await, new, None).await;
    assert_eq!(moved.status, 422);
}

/// Schedules an activity on the deal, as its dialog does.
async fn schedule(session: &Session, deal: Uuid, activity: ActivityInput) -> Reply<Uuid> {
    session
        .call(ScheduleActivity {
            kind: RecordKind::Opportunity,
            id: deal,
            activity,
            assigned_to: None,
            done: false,
            feedback: String::new(),
        })
        .await
}

#[tokio::test]
async fn activities_done_with_feedback_land_on_the_timeline_and_bad_input_is_refused() {
    let app = TestApp::spawn().await;
    let (marc, tom) = (app.sign_in(MARC).await, app.sign_in(TOM).await);
    let new = stage(&app, "new").await;
    let deal = create(&marc, "Activity deal", new).await;
    let call: Uuid = sqlx::query_scalar("SELECT id FROM activity_types WHERE key = 'call'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    // Without a type, without a due date: refused on that field.
    let refused = schedule(
        &marc,
        deal,
        ActivityInput {
            due: "2026-12-01".to_string(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.field(), "kind");
    let refused = schedule(
        &marc,
        deal,
        ActivityInput {
            kind: call.to_string(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(refused.field(), "due");
    // Planned, then done with feedback.
    let planned = schedule(
        &marc,
        deal,
        ActivityInput {
            kind: call.to_string(),
            due: "2026-01-05".to_string(),
            summary: "Discuss the price".to_string(),
            ..Default::default()
        },
    )
    .await;
    assert_eq!(planned.status, 200);
    let activity = planned.ok();
    let counts = marc.call(LoadActivityCounts {}).await.body;
    assert!(counts["overdue"].as_i64().unwrap() >= 1, "{counts}");
    let done = marc
        .call(MarkActivityDone {
            id: activity,
            feedback: "They accept 5 % less".to_string(),
        })
        .await;
    assert_eq!(done.status, 200);
    let again = marc
        .call(MarkActivityDone {
            id: activity,
            feedback: String::new(),
        })
        .await;
    assert_eq!(again.status, 422, "an activity is done once");
    let timeline = marc.timeline(RecordKind::Opportunity, deal).await;
    let newest = &timeline["entries"][0]["event"];
    assert_eq!(newest["kind"], "activity_done", "{timeline}");
    assert_eq!(newest["feedback"], "They accept 5 % less");

    // Deals refuse bad numbers, an unknown stage, and employees.
    let bad_revenue = OpportunityInput {
        expected_revenue: "-5".to_string(),
        ..deal_form("Bad")
    };
    let bad_probability = OpportunityInput {
        probability: "120".to_string(),
        ..deal_form("Bad")
    };
    for (field, opportunity) in [
        ("expected_revenue", bad_revenue),
        ("probability", bad_probability),
    ] {
        let response = marc
            .call(CreateOpportunity {
                opportunity,
                links: Default::default(),
                pipeline: None,
                stage: None,
            })
            .await;
        assert_eq!(response.status, 422, "{field}");
        assert_eq!(response.field(), field);
    }
    let response = marc
        .call(CreateOpportunity {
            opportunity: deal_form("Lost stage"),
            links: Default::default(),
            pipeline: None,
            stage: Some(Uuid::now_v7()),
        })
        .await;
    assert_eq!(response.status, 422);
    assert_eq!(response.field(), "stage");
    let response = tom
        .call(CreateOpportunity {
            opportunity: deal_form("Not mine to sell"),
            links: Default::default(),
            pipeline: None,
            stage: None,
        })
        .await;
    assert_eq!(response.status, 403);
    // Tom may still look and log a note.
    let note = tom
        .call(LogNote {
            kind: RecordKind::Opportunity,
            id: deal,
            text: "Saw them on site".to_string(),
        })
        .await;
    assert_eq!(note.status, 200);
}

#[tokio::test]
async fn the_board_costs_the_same_statements_with_5_and_5000_open_deals() {
    let app = TestApp::spawn().await;
    app.track_statements().await;
    let sam = app.sign_in(SAM).await;
    let mut costs = Vec::new();
    for deals in [5, 5000] {
        sqlx::query("DELETE FROM opportunities WHERE title LIKE 'Bulk %'")
            .execute(&app.pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO opportunities (id, title, pipeline_id, stage_id, expected_revenue, position)
             SELECT gen_random_uuid(), 'Bulk ' || g, s.pipeline_id, s.id, g, g
             FROM generate_series(1, $1) g
             JOIN LATERAL (SELECT id, pipeline_id FROM pipeline_stages
                           WHERE NOT is_won ORDER BY position OFFSET g % 3 LIMIT 1) s ON true",
        )
        .bind(deals)
        .execute(&app.pool)
        .await
        .unwrap();
        let before = app.statements().await;
        let board = sam
            .call(PipelineBoard {
                pipeline: None,
                query: String::new(),
            })
            .await;
        assert_eq!(board.status, 200);
        let shown: usize = board.body["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cards"].as_array().unwrap().len())
            .sum();
        assert!(shown <= 4 * 50);
        costs.push(app.statements().await - before);
    }
    assert_eq!(costs[0], costs[1], "statements with 5 and with 5000 deals");
}

#[tokio::test]
async fn a_contact_with_deals_is_kept_when_deleted_and_its_deals_follow_a_merge() {
    let app = TestApp::spawn().await;
    let sam = app.sign_in(SAM).await;
    let new = stage(&app, "new").await;
    let keep = app.contact_id("Reformas Núñez").await;
    let other = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO contacts (id, kind, name) VALUES ($1, 'company', 'Reformas Nunez SL')",
    )
    .bind(other)
    .execute(&app.pool)
    .await
    .unwrap();
    let deal = create(&sam, "Deal of a duplicate", new).await;
    sqlx::query("UPDATE opportunities SET customer_id = $2 WHERE id = $1")
        .bind(deal)
        .bind(other)
        .execute(&app.pool)
        .await
        .unwrap();
    let report = sam.call(DeleteContacts { ids: vec![other] }).await.body;
    assert_eq!(report["changed"], 0, "{report}");
    assert_eq!(report["refused"][0]["opportunities"], 1);
    let merged = sam.call(MergeContacts { keep, other }).await;
    assert_eq!(merged.status, 200, "{}", merged.body);
    let customer: Uuid = sqlx::query_scalar("SELECT customer_id FROM opportunities WHERE id = $1")
        .bind(deal)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(customer, keep);
}
