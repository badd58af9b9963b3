//! `bench-crm`: the pipeline board (everyone's and my pipeline) and a column's next cards
//! through the real router against the same `db` functions called straight on a connection,
//! over generated opportunities.

use crate::setup::{alternate, print_comparisons, BenchDatabase};
use app::views::ViewState;
use std::time::Instant;

pub async fn bench(opportunities: usize, repetitions: usize) -> Result<(), String> {
    let database = BenchDatabase::create().await?;
    let started = Instant::now();
    database.generate_contacts(5_000, 5_000).await?;
    {
        let mut conn = database.pool.acquire().await.map_err(|e| e.to_string())?;
        app::seed::generate::crm::generate(&mut conn, opportunities, 1)
            .await
            .map_err(|e| e.to_string())?;
    }
    println!(
        "data: {opportunities} open opportunities (and a tenth as many won and lost), generated in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let session = database.serve_signed_in().await?;
    let (pool, user) = (&database.pool, &session.user);
    let bare_board = |query: &'static str| async move {
        let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
        let view = ViewState::from_query(query);
        let board = app::crm::board::board(&mut conn, user, None, &view)
            .await
            .map_err(|e| e.to_string())?;
        if board.columns.is_empty() {
            return Err("no columns".to_string());
        }
        Ok(board)
    };
    // A column's second page starts after its fiftieth card.
    let board = bare_board("").await?;
    let column = board
        .columns
        .iter()
        .find(|c| c.next.is_some())
        .ok_or("no column with a second page")?;
    let (stage, cursor) = (column.stage.id, column.next.clone().ok_or("no cursor")?);

    let mut results = Vec::new();
    for (label, query) in [("crm_board", ""), ("crm_board_my_pipeline", "p=mine")] {
        let comparison = alternate(
            label,
            || session.call("crm/board", vec![("query", query.to_string())]),
            || async { bare_board(query).await.map(|_| ()) },
            repetitions,
        )
        .await?;
        results.push(comparison);
    }
    let comparison = alternate(
        "crm_column_more",
        || {
            let after = vec![
                ("stage", stage.to_string()),
                ("after[position]", cursor.position.to_string()),
                ("after[id]", cursor.id.to_string()),
            ];
            session.call("crm/column", after)
        },
        || async {
            let mut conn = pool.acquire().await.map_err(|e| e.to_string())?;
            app::crm::board::column(
                &mut conn,
                user,
                stage,
                &ViewState::default(),
                cursor.clone(),
            )
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
        },
        repetitions,
    )
    .await?;
    results.push(comparison);
    print_comparisons(&results);
    database.remove().await;
    Ok(())
}
