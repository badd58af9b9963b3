//! The CRM through the real router: card order within and across stages, two people moving
//! the same card, closing a deal finishing its tasks (setting on and off), activities done
//! with feedback on the timeline, bad input, and the statement cost of the board.

use super::common;

use common::TestApp;
use serde_json::Value;
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

async fn create(app: &TestApp, client: &reqwest::Client, title: &str, stage: Uuid) -> Uuid {
    let stage = stage.to_string();
    let response = app
        .call(
            client,
            "crm/create",
            &[
                ("opportunity[title]", title),
                ("opportunity[expected_revenue]", "1000"),
                ("stage", stage.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let body: Value = response.json().await.unwrap();
    Uuid::parse_str(body["id"].as_str().unwrap()).unwrap()
}

async fn version(app: &TestApp, id: Uuid) -> String {
    sqlx::query_scalar::<_, i32>("SELECT version FROM opportunities WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .unwrap()
        .to_string()
}

async fn move_card(
    app: &TestApp,
    client: &reqwest::Client,
    id: Uuid,
    version: &str,
    to: Uuid,
    before: Option<Uuid>,
) -> reqwest::Response {
    let (id, to) = (id.to_string(), to.to_string());
    let before = before.map(|b| b.to_string());
    let mut form = vec![
        ("id", id.as_str()),
        ("version", version),
        ("stage", to.as_str()),
    ];
    if let Some(before) = &before {
        form.push(("before", before.as_str()));
    }
    app.call(client, "crm/move", &form).await
}

/// The ids of a column's cards, in board order, among `ours`.
async fn column(app: &TestApp, client: &reqwest::Client, stage: Uuid, ours: &[Uuid]) -> Vec<Uuid> {
    let board = app
        .call(client, "crm/board", &[("query", "q=Order test")])
        .await;
    assert_eq!(board.status(), 200);
    let board: Value = board.json().await.unwrap();
    board["columns"]
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
    let marc = client_for(&app, MARC).await;
    let (new, qualified) = (stage(&app, "new").await, stage(&app, "qualified").await);
    let a = create(&app, &marc, "Order test A", new).await;
    let b = create(&app, &marc, "Order test B", new).await;
    let c = create(&app, &marc, "Order test C", new).await;
    let ours = [a, b, c];
    // New cards go first.
    assert_eq!(column(&app, &marc, new, &ours).await, vec![c, b, a]);
    // A before C, within the column.
    let response = move_card(&app, &marc, a, &version(&app, a).await, new, Some(c)).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    assert_eq!(column(&app, &marc, new, &ours).await, vec![a, c, b]);
    // B to the end of Qualified, then C before it.
    move_card(&app, &marc, b, &version(&app, b).await, qualified, None).await;
    let response = move_card(&app, &marc, c, &version(&app, c).await, qualified, Some(b)).await;
    assert_eq!(response.status(), 200);
    assert_eq!(column(&app, &marc, new, &ours).await, vec![a]);
    assert_eq!(column(&app, &marc, qualified, &ours).await, vec![c, b]);
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
    move_card(&app, &marc, a, &version(&app, a).await, won, None).await;
    let status: String = sqlx::query_scalar("SELECT status FROM opportunities WHERE id = $1")
        .bind(a)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(status, "won");
    move_card(&app, &marc, a, &version(&app, a).await, new, None).await;
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
    let (marc, lucia) = (client_for(&app, MARC).await, client_for(&app, LUCIA).await);
    let (new, qualified, proposition) = (
        stage(&app, "new").await,
        stage(&app, "qualified").await,
        stage(&app, "proposition").await,
    );
    for round in 0..5 {
        let id = create(&app, &marc, &format!("Contested {round}"), new).await;
        let read = version(&app, id).await;
        let (first, second) = tokio::join!(
            move_card(&app, &marc, id, &read, qualified, None),
            move_card(&app, &lucia, id, &read, proposition, None),
        );
        let statuses = [first.status().as_u16(), second.status().as_u16()];
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
        assert_eq!(
            version_now.to_string(),
            (read.parse::<i32>().unwrap() + 1).to_string()
        );
        // The loser's answer names the conflict, translated on the page.
        let loser = if statuses[0] == 409 { first } else { second };
        let body: Value = loser.json().await.unwrap();
        assert_eq!(body, serde_json::json!("Conflict"), "{body}");
    }
}

async fn create_task(
    app: &TestApp,
    client: &reqwest::Client,
    deal: Uuid,
    title: &str,
    review: bool,
) -> Uuid {
    let deal = deal.to_string();
    let mut form = vec![("id", deal.as_str()), ("task[title]", title)];
    if review {
        form.push(("task[review_on_completion]", "true"));
    }
    let response = app.call(client, "crm/create_task", &form).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    Uuid::parse_str(response.json::<Value>().await.unwrap().as_str().unwrap()).unwrap()
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
    client: &reqwest::Client,
    id: Uuid,
    action: &str,
    reason: Option<Uuid>,
) -> reqwest::Response {
    let (id_text, version) = (id.to_string(), version(app, id).await);
    let reason = reason.map(|r| r.to_string());
    let mut form = vec![
        ("id", id_text.as_str()),
        ("version", version.as_str()),
        ("action", action),
    ];
    if let Some(reason) = &reason {
        form.push(("lost_reason", reason.as_str()));
    }
    app.call(client, "crm/act", &form).await
}

#[tokio::test]
async fn closing_a_deal_finishes_its_tasks_unless_the_setting_is_off() {
    let app = TestApp::spawn().await;
    let (sam, marc) = (client_for(&app, SAM).await, client_for(&app, MARC).await);
    let new = stage(&app, "new").await;
    let deal = create(&app, &marc, "Deal with tasks", new).await;
    let plain = create_task(&app, &marc, deal, "Send the contract", false).await;
    let reviewed = create_task(&app, &marc, deal, "Check the drawings", true).await;
    let done_already = create_task(&app, &marc, deal, "Call the architect", false).await;
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

    let response = act(&app, &marc, deal, "mark_won", None).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
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
    assert_eq!(act(&app, &marc, deal, "reopen", None).await.status(), 200);
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
    let settings_version = settings_version.to_string();
    let setting = [("on", "false"), ("version", settings_version.as_str())];
    assert_eq!(
        app.call(&marc, "crm/settings/close_tasks", &setting)
            .await
            .status(),
        403,
        "only managers and admins change the setting"
    );
    let off = app.call(&sam, "crm/settings/close_tasks", &setting).await;
    assert_eq!(off.status(), 200);
    // The same change from a page that did not see it: refused, not applied twice.
    let stale = app.call(&sam, "crm/settings/close_tasks", &setting).await;
    assert_eq!(stale.status(), 409);
    let other = create(&app, &marc, "Deal kept open tasks", new).await;
    let task = create_task(&app, &marc, other, "Visit the site", false).await;
    // Lost needs a reason.
    let refused = act(&app, &marc, other, "mark_lost", None).await;
    assert_eq!(refused.status(), 422);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["Invalid"]["field"], "lost_reason", "{body}");
    let reason: Uuid = sqlx::query_scalar("SELECT id FROM lost_reasons WHERE key = 'competitor'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(
        act(&app, &marc, other, "mark_lost", Some(reason))
            .await
            .status(),
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
    let moved = move_card(&app, &marc, other, &version(&app, other).await, new, None).await;
    assert_eq!(moved.status(), 422);
}

#[tokio::test]
async fn activities_done_with_feedback_land_on_the_timeline_and_bad_input_is_refused() {
    let app = TestApp::spawn().await;
    let (marc, tom) = (client_for(&app, MARC).await, client_for(&app, TOM).await);
    let new = stage(&app, "new").await;
    let deal = create(&app, &marc, "Activity deal", new).await;
    let call: Uuid = sqlx::query_scalar("SELECT id FROM activity_types WHERE key = 'call'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let (deal_text, call_text) = (deal.to_string(), call.to_string());
    let schedule = |form: Vec<(&'static str, String)>| {
        let app = &app;
        let marc = &marc;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.call(marc, "activities/schedule", &form).await
        }
    };
    // Without a type, without a due date: refused on that field.
    let refused = schedule(vec![
        ("kind", "opportunity".into()),
        ("id", deal_text.clone()),
        ("activity[due]", "2026-12-01".into()),
    ])
    .await;
    assert_eq!(refused.status(), 422);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["Invalid"]["field"],
        "kind"
    );
    let refused = schedule(vec![
        ("kind", "opportunity".into()),
        ("id", deal_text.clone()),
        ("activity[kind]", call_text.clone()),
    ])
    .await;
    assert_eq!(
        refused.json::<Value>().await.unwrap()["Invalid"]["field"],
        "due"
    );
    // Planned, then done with feedback.
    let planned = schedule(vec![
        ("kind", "opportunity".into()),
        ("id", deal_text.clone()),
        ("activity[kind]", call_text.clone()),
        ("activity[due]", "2026-01-05".into()),
        ("activity[summary]", "Discuss the price".into()),
    ])
    .await;
    assert_eq!(planned.status(), 200);
    let activity = planned
        .json::<Value>()
        .await
        .unwrap()
        .as_str()
        .unwrap()
        .to_string();
    let counts: Value = app
        .call(&marc, "activities/counts", &[])
        .await
        .json()
        .await
        .unwrap();
    assert!(counts["overdue"].as_i64().unwrap() >= 1, "{counts}");
    let done = app
        .call(
            &marc,
            "activities/done",
            &[
                ("id", activity.as_str()),
                ("feedback", "They accept 5 % less"),
            ],
        )
        .await;
    assert_eq!(done.status(), 200);
    let again = app
        .call(&marc, "activities/done", &[("id", activity.as_str())])
        .await;
    assert_eq!(again.status(), 422, "an activity is done once");
    let timeline: Value = app
        .call(
            &marc,
            "timeline/page",
            &[("kind", "opportunity"), ("id", deal_text.as_str())],
        )
        .await
        .json()
        .await
        .unwrap();
    let newest = &timeline["entries"][0]["event"];
    assert_eq!(newest["kind"], "activity_done", "{timeline}");
    assert_eq!(newest["feedback"], "They accept 5 % less");

    // Deals refuse bad numbers, an unknown stage, and employees.
    for (field, value) in [
        ("opportunity[expected_revenue]", "-5"),
        ("opportunity[probability]", "120"),
    ] {
        let response = app
            .call(
                &marc,
                "crm/create",
                &[("opportunity[title]", "Bad"), (field, value)],
            )
            .await;
        assert_eq!(response.status(), 422, "{field}");
        let body: Value = response.json().await.unwrap();
        let expected = field
            .trim_start_matches("opportunity[")
            .trim_end_matches(']');
        assert_eq!(body["Invalid"]["field"], expected);
    }
    let unknown = Uuid::now_v7().to_string();
    let response = app
        .call(
            &marc,
            "crm/create",
            &[
                ("opportunity[title]", "Lost stage"),
                ("stage", unknown.as_str()),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.json::<Value>().await.unwrap()["Invalid"]["field"],
        "stage"
    );
    let response = app
        .call(
            &tom,
            "crm/create",
            &[("opportunity[title]", "Not mine to sell")],
        )
        .await;
    assert_eq!(response.status(), 403);
    // Tom may still look and log a note.
    let note = app
        .call(
            &tom,
            "timeline/note",
            &[
                ("kind", "opportunity"),
                ("id", deal_text.as_str()),
                ("text", "Saw them on site"),
            ],
        )
        .await;
    assert_eq!(note.status(), 200);
}

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
async fn the_board_costs_the_same_statements_with_5_and_5000_open_deals() {
    let app = TestApp::spawn().await;
    sqlx::query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        .execute(&app.pool)
        .await
        .unwrap();
    let sam = client_for(&app, SAM).await;
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
        let before = statements(&app).await;
        let board = app.call(&sam, "crm/board", &[]).await;
        assert_eq!(board.status(), 200);
        let board: Value = board.json().await.unwrap();
        let shown: usize = board["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["cards"].as_array().unwrap().len())
            .sum();
        assert!(shown <= 4 * 50);
        costs.push(statements(&app).await - before);
    }
    assert_eq!(costs[0], costs[1], "statements with 5 and with 5000 deals");
}

#[tokio::test]
async fn a_contact_with_deals_is_kept_when_deleted_and_its_deals_follow_a_merge() {
    let app = TestApp::spawn().await;
    let sam = client_for(&app, SAM).await;
    let new = stage(&app, "new").await;
    let keep: Uuid = sqlx::query_scalar("SELECT id FROM contacts WHERE name = 'Reformas Núñez'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let other = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO contacts (id, kind, name) VALUES ($1, 'company', 'Reformas Nunez SL')",
    )
    .bind(other)
    .execute(&app.pool)
    .await
    .unwrap();
    let deal = create(&app, &sam, "Deal of a duplicate", new).await;
    sqlx::query("UPDATE opportunities SET customer_id = $2 WHERE id = $1")
        .bind(deal)
        .bind(other)
        .execute(&app.pool)
        .await
        .unwrap();
    let response = sam
        .post(app.url("/api/contacts/delete"))
        .header("Accept", "application/json")
        .json(&serde_json::json!({ "ids": [other] }))
        .send()
        .await
        .unwrap();
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["changed"], 0, "{report}");
    assert_eq!(report["refused"][0]["opportunities"], 1);
    let (keep_text, other_text) = (keep.to_string(), other.to_string());
    let merged = app
        .call(
            &sam,
            "contacts/merge",
            &[("keep", keep_text.as_str()), ("other", other_text.as_str())],
        )
        .await;
    assert_eq!(merged.status(), 200, "{}", merged.text().await.unwrap());
    let customer: Uuid = sqlx::query_scalar("SELECT customer_id FROM opportunities WHERE id = $1")
        .bind(deal)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(customer, keep);
}
