//! Keeps the indicator rollups of this year current in the background: when the change log has moved since
//! the last run, the villages whose entries changed are recomputed and the townships and county above them
//! summed (`app::indicator::api::refresh`), so a dashboard reads stored figures instead of entries.

use crate::db::SqlStore;
use app::store::Store;
use std::time::{Duration, Instant};

/// How often the refresher looks at the change log (`CUNYI_ROLLUP_SECONDS`, default 20).
pub fn interval() -> Duration {
    let secs = std::env::var("CUNYI_ROLLUP_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    Duration::from_secs(secs)
}

/// One refresh, logged with its duration.
pub async fn refresh(store: &SqlStore) -> Result<usize, app::error::AppError> {
    let started = Instant::now();
    let n = app::indicator::api::refresh(store, chrono::Utc::now().timestamp()).await?;
    tracing::info!(figures = n, ms = started.elapsed().as_millis() as u64, "indicator rollups refreshed");
    Ok(n)
}

/// Runs `refresh` whenever the change log has moved, every `every`; ends when the pool closes.
pub fn in_background(store: &SqlStore, every: Duration) {
    let store = store.clone();
    tokio::spawn(async move {
        let mut done_at: Option<i64> = None;
        loop {
            tokio::time::sleep(every).await;
            if store.pool.is_closed() {
                break;
            }
            let Ok(seq) = store.max_change_seq().await else { continue };
            if done_at == Some(seq) {
                continue;
            }
            match refresh(&store).await {
                Ok(_) => done_at = Some(seq),
                Err(e) => tracing::warn!("indicator rollups: {e}"),
            }
        }
    });
}
