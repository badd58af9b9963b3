//! A request that goes away while its transaction begins leaves no connection behind in an
//! open transaction (`app::state::begin`).

use super::common;
use std::time::Duration;

#[tokio::test]
async fn a_begin_cancelled_at_any_moment_leaves_no_open_transaction() {
    let pool = common::fresh_database().await;
    for n in 0..300u64 {
        // Cancelled anywhere from before the BEGIN is sent to after its answer.
        let _ = tokio::time::timeout(Duration::from_micros(n * 7 % 400), app::state::begin(&pool))
            .await;
    }
    // Transactions that reached nobody are rolled back as their tasks end.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        open, 0,
        "a cancelled BEGIN left its connection in a transaction"
    );
}
