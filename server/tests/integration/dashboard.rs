//! The dashboard: tiles by role, figures that match the records, and a fixed number of
//! statements whatever the records.

use super::common;

use app::dashboard::api::LoadDashboard;
use app::dashboard::figures::Dashboard;
use common::TestApp;

#[tokio::test]
async fn tiles_follow_the_role_and_the_records_and_cost_a_fixed_few_statements() {
    let app = TestApp::spawn().await;
    let shapes = [
        ("demo@atrium.example", true, true, true),
        ("anna@atrium.example", true, true, true),
        ("marc@atrium.example", true, false, true),
        ("tom@atrium.example", false, false, false),
    ];
    for (email, sales, team, money) in shapes {
        let session = app.sign_in(email).await;
        let tiles: Dashboard = session.call(LoadDashboard {}).await.ok();
        assert_eq!(
            (
                tiles.sales.is_some(),
                tiles.team.is_some(),
                tiles.money.is_some()
            ),
            (sales, team, money),
            "{email}"
        );
    }

    let marc = app.sign_in("marc@atrium.example").await;
    let marc_id = app.user_id("marc@atrium.example").await;
    let sent: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM quotes WHERE salesperson_id = $1 AND state = 'sent'
           AND (valid_until IS NULL OR valid_until >= current_date)",
    )
    .bind(marc_id)
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let tiles: Dashboard = marc.call(LoadDashboard {}).await.ok();
    assert_eq!(tiles.sales.unwrap().awaiting.count, sent);

    app.track_statements().await;
    let admin = app.sign_in("demo@atrium.example").await;
    let mut costs = Vec::new();
    for extra in [0, 500] {
        sqlx::query(
            "INSERT INTO quotes (id, number, title, salesperson_id, state, total, valid_until)
             SELECT gen_random_uuid(), 'DB-' || $2::int || '-' || g, 'Tile ' || g, $1, 'sent',
                    g, current_date + 30
             FROM generate_series(1, $2::int) g",
        )
        .bind(app.user_id("demo@atrium.example").await)
        .bind(extra)
        .execute(&app.pool)
        .await
        .unwrap();
        let before = app.statements().await;
        let tiles: Dashboard = admin.call(LoadDashboard {}).await.ok();
        assert!(tiles.team.is_some());
        // The statement that read the counter counts once too.
        costs.push(app.statements().await - before - 1);
    }
    assert_eq!(costs[0], costs[1], "{costs:?}");
    assert!(costs[0] <= 12, "{costs:?}");
}
