//! The check after a run, against the database itself rather than the server's answers: every acknowledged
//! follow-up is stored exactly once (one revision row, one change-log row, its entry id in the entry log),
//! nothing is stored that no phone holds, and each phone's pulls brought each of its own visits exactly once.

use super::doctor::Tally;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

#[derive(Debug, Default)]
pub struct Verdict {
    pub acknowledged: usize,
    /// Follow-ups of the run found in `visits`.
    pub stored: usize,
    /// Acknowledged but not stored.
    pub lost: usize,
    /// Extra rows: a second revision row or a second change-log row of one visit.
    pub duplicated: usize,
    /// Acknowledged entries whose id is not in the entry log (`sync_entries`), so a resend would not be known.
    pub unlogged: usize,
    /// Stored but never acknowledged, and not pending on any phone either: work no phone knows of.
    pub unowned: usize,
    /// Entries still in an outbox when the run ended (its drain ran out of time).
    pub pending: usize,
    /// A phone's own visits that came more than once in its pulls, or never.
    pub pulled_twice: usize,
    pub never_pulled: usize,
}

impl Verdict {
    pub fn passed(&self) -> bool {
        self.lost == 0
            && self.duplicated == 0
            && self.unlogged == 0
            && self.unowned == 0
            && self.pending == 0
            && self.pulled_twice == 0
            && self.never_pulled == 0
            && self.stored == self.acknowledged
    }
}

/// Opens the run's database with the server's own `connect` once the server has stopped. `after_seq` is the
/// change log's last seq before the run, so the check reads only the run's changes.
pub async fn check(database_url: &str, after_seq: i64, tally: &Tally) -> anyhow::Result<Verdict> {
    let store = crate::db::connect(database_url).await?;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, visit_id FROM visits WHERE device_id LIKE 'load-%'").fetch_all(&store.pool).await?;
    let changes: Vec<String> = sqlx::query_scalar("SELECT entity_id FROM changes WHERE entity = 'visit' AND seq > $1")
        .bind(after_seq)
        .fetch_all(&store.pool)
        .await?;
    let logged: Vec<String> = sqlx::query_scalar("SELECT entry_id FROM sync_entries WHERE device_id LIKE 'load-%'")
        .fetch_all(&store.pool)
        .await?;
    store.pool.close().await;

    let count = |ids: &mut dyn Iterator<Item = String>| -> anyhow::Result<HashMap<Uuid, usize>> {
        let mut m = HashMap::new();
        for id in ids {
            *m.entry(Uuid::parse_str(&id)?).or_default() += 1;
        }
        Ok(m)
    };
    let revisions = count(&mut rows.iter().map(|r| r.1.clone()))?;
    let logged_changes = count(&mut changes.into_iter())?;
    let logged_entries = count(&mut logged.into_iter())?;
    let acknowledged: HashSet<Uuid> = tally.acknowledged.iter().map(|a| a.1).collect();
    let pending: HashSet<Uuid> = tally.pending.iter().map(|p| p.1).collect();

    let mut v = Verdict {
        acknowledged: tally.acknowledged.len(),
        stored: revisions.len(),
        pending: tally.pending.len(),
        ..Default::default()
    };
    for (entry, visit) in &tally.acknowledged {
        if !revisions.contains_key(visit) {
            v.lost += 1;
        }
        if !logged_entries.contains_key(entry) {
            v.unlogged += 1;
        }
        match tally.pulled.get(visit) {
            None => v.never_pulled += 1,
            Some(n) if *n > 1 => v.pulled_twice += 1,
            _ => {}
        }
    }
    for (visit, n) in &revisions {
        v.duplicated += n - 1;
        v.duplicated += logged_changes.get(visit).copied().unwrap_or(0).saturating_sub(1);
        if !acknowledged.contains(visit) && !pending.contains(visit) {
            v.unowned += 1;
        }
    }
    // A pending entry stored by a request whose answer was lost is not counted as stored-and-acknowledged.
    v.stored -= revisions.keys().filter(|id| pending.contains(id)).count();
    Ok(v)
}
