//! The SQL store: the `app::store::Store` trait implemented with sqlx's `Any` driver and runtime-checked
//! queries, so the same code serves SQLite (embedded default) and, later, PostgreSQL.
//!
//! Laid out by concept: `auth` (logins, sessions, scope), `residents`, `visits`, `records` (service records). The function that owns a unit
//! of work opens and commits its transaction.

mod accounts;
mod audit;
mod auth;
mod password;
mod pool;
pub use password::hash_password;
mod indicators;
mod quality;
mod records;
mod resident_view;
mod residents;
pub(crate) mod reviews;
mod sql;
mod users;
pub(crate) use sql::{
    fetch_concat_in, fetch_in, fetch_json, fetch_json_in, json_rows, marks, numbered, placeholders, IN_CHUNK,
};
pub(crate) mod sync;
pub(crate) mod visits;

use anyhow::Context;
use app::error::AppError;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use std::path::Path;

/// The store handed to server functions through `Arc<dyn Store>`.
#[derive(Clone)]
pub struct SqlStore {
    pub pool: AnyPool,
    /// Held shared by every write transaction and exclusively by the background WAL checkpoint, so a
    /// write waits for a running checkpoint instead of stalling inside SQLite (see `checkpoint_in_background`).
    pub(crate) write_gate: std::sync::Arc<tokio::sync::RwLock<()>>,
    /// One write transaction at a time in this process (see `begin_write`).
    pub(crate) writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// PostgreSQL rather than SQLite.
    pub postgres: bool,
}

/// The advisory lock every PostgreSQL write transaction takes (any constant shared by all instances).
const WRITE_LOCK: i64 = 0x0063_756e_7969;

impl SqlStore {
    /// A write transaction (taken under `write_gate`), one at a time in this process: keep the guard as long
    /// as the transaction. SQLite allows one writer anyway, and a deferred transaction that reads and then
    /// writes fails at once with "database is locked" (no busy wait) when another writer came in between.
    /// (`BEGIN IMMEDIATE` through sqlx's `begin_with` would say the same, but sqlx refuses it on a pooled
    /// connection whose dropped transaction is still to be rolled back, and that connection then keeps its
    /// locks.)
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<(tokio::sync::OwnedMutexGuard<()>, sqlx::Transaction<'static, sqlx::Any>), sqlx::Error> {
        let one = self.writer.clone().lock_owned().await;
        let mut tx = self.pool.begin().await?;
        // A transaction opened inside one the connection still holds would be a SAVEPOINT whose "commit"
        // stores nothing (see `pool`); refused rather than acknowledged.
        if <sqlx::any::AnyTransactionManager as sqlx::TransactionManager>::get_transaction_depth(&tx) != 1 {
            return Err(sqlx::Error::Protocol("a write transaction nested in an open one".into()));
        }
        if self.postgres {
            // Across server instances too: writers commit one after another, so the change log's seq order
            // is commit order and a pull cursor never passes a change committed later with a smaller seq.
            sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(WRITE_LOCK).execute(&mut *tx).await?;
        }
        Ok((one, tx))
    }
}

/// Opens (creating if needed) the database and runs the migrations.
pub async fn connect(database_url: &str) -> anyhow::Result<SqlStore> {
    sqlx::any::install_default_drivers();
    if let Some(path) = sqlite_path(database_url) {
        if let Some(dir) = Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
    }
    let is_sqlite = database_url.starts_with("sqlite:");
    anyhow::ensure!(
        is_sqlite || database_url.starts_with("postgres:") || database_url.starts_with("postgresql:"),
        "DATABASE_URL must start with sqlite: or postgres:"
    );
    let pool = pool::options(is_sqlite)
        .connect(&with_create_mode(database_url))
        .await
        .with_context(|| format!("connecting to {database_url}"))?;
    if is_sqlite {
        sqlx::migrate!("./migrations/sqlite").run(&pool).await.context("running migrations")?;
    } else {
        sqlx::migrate!("./migrations/postgres").run(&pool).await.context("running migrations")?;
    }
    Ok(SqlStore { pool, write_gate: Default::default(), writer: Default::default(), postgres: !is_sqlite })
}

/// How often the background checkpoint looks at the WAL.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);
/// The WAL is checkpointed once writes have paused this long (longer than the gaps between the batches of
/// one device's sync, so a sync is not interrupted by a checkpoint halfway)…
const CHECKPOINT_QUIET: std::time::Duration = std::time::Duration::from_secs(2);
/// …or, under a steady stream of writes, once it is this large.
const CHECKPOINT_WAL_BYTES: u64 = 32 * 1024 * 1024;

/// SQLite: copies the WAL back into the database file from a background task, so no request pays for it.
///
/// With the automatic checkpoint (every 1,000 pages) the commit that crossed the line did the copy and its
/// fsyncs: during a push of 500-entry batches every other commit took ~50 ms longer (12,700–13,300 entries/s
/// against ~20,000 without). A checkpoint running beside a write transaction can stall it far longer than
/// the checkpoint takes: the writer retries its read snapshot with growing sleeps while the checkpointer holds
/// the WAL index (one 500-entry batch took 465 ms in one benchmark run out of three). So the checkpoint holds
/// `write_gate` exclusively, write transactions wait for it on the gate, and it runs when writes pause or
/// when the WAL passes `CHECKPOINT_WAL_BYTES`; `wal_autocheckpoint` (64 MB) stays as the ceiling should the
/// task stop.
/// PASSIVE never waits for readers or writers; what it cannot copy now, the next one does. Ends when the
/// pool closes.
pub fn checkpoint_in_background(store: &SqlStore) {
    let url = store.pool.connect_options().database_url.to_string();
    let Some(wal) = sqlite_path(&url).map(|p| std::path::PathBuf::from(format!("{p}-wal"))) else { return };
    let (pool, gate) = (store.pool.clone(), store.write_gate.clone());
    tokio::spawn(async move {
        while !pool.is_closed() {
            tokio::time::sleep(CHECKPOINT_EVERY).await;
            let Ok(meta) = std::fs::metadata(&wal) else { continue };
            let quiet = meta.modified().ok().and_then(|m| m.elapsed().ok()).is_some_and(|e| e >= CHECKPOINT_QUIET);
            // A WAL of only its header has nothing to copy.
            if meta.len() <= 32 || !(quiet || meta.len() >= CHECKPOINT_WAL_BYTES) {
                continue;
            }
            let _writes_wait = gate.write().await;
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
                if !pool.is_closed() {
                    tracing::warn!("WAL checkpoint: {e}");
                }
            }
        }
    });
}

/// The file path of a `sqlite:` URL, if it names a file.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The connection options a URL needs. SQLite only creates a missing file when asked (`mode=rwc`).
/// PostgreSQL: no cached prepared statements. A statement's parameter types are fixed when it is first
/// prepared, and sqlx's `Any` driver declares a NULL `f64` as `float4`, so a statement first run with a
/// missing reading (e.g. no glucose) and then with one fails ("incorrect binary data format"); prepared
/// afresh each time, every run declares the types of its own values.
fn with_create_mode(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    if url.starts_with("sqlite:") && !url.contains("mode=") {
        format!("{url}{sep}mode=rwc")
    } else if url.starts_with("postgres") && !url.contains("statement-cache-capacity=") {
        format!("{url}{sep}statement-cache-capacity=0")
    } else {
        url.to_string()
    }
}

pub(crate) fn get_uuid(row: &AnyRow, col: &str) -> Result<uuid::Uuid, AppError> {
    uuid::Uuid::parse_str(&get_str(row, col)?).map_err(|e| AppError::internal("stored uuid", e))
}

/// Ids as the TEXT the tables keep them in.
pub(crate) fn texts(ids: &[uuid::Uuid]) -> Vec<String> {
    ids.iter().map(|u| u.to_string()).collect()
}

pub(crate) fn get_str(row: &AnyRow, col: &str) -> Result<String, AppError> {
    Ok(row.try_get::<String, _>(col)?)
}

pub(crate) fn get_opt_str(row: &AnyRow, col: &str) -> Result<Option<String>, AppError> {
    Ok(row.try_get::<Option<String>, _>(col)?)
}

pub(crate) fn get_i64(row: &AnyRow, col: &str) -> Result<i64, AppError> {
    Ok(row.try_get::<i64, _>(col)?)
}

pub(crate) fn parse_date(s: &str) -> Result<chrono::NaiveDate, AppError> {
    s.parse().map_err(|e| AppError::internal("stored date", e))
}

pub(crate) fn fmt_time(ts: i64) -> String {
    app::visit::local_time(ts)
}

#[async_trait::async_trait]
impl app::store::Store for SqlStore {
    async fn login(
        &self,
        username: &str,
        password: &str,
        now: i64,
    ) -> Result<Option<(String, app::auth::SessionUser)>, AppError> {
        auth::login(self, username, password, now).await
    }
    async fn session_user(&self, token: &str, now: i64) -> Result<Option<app::auth::SessionUser>, AppError> {
        auth::session_user(self, token, now).await
    }
    async fn issue_activation(
        &self,
        resident_id: uuid::Uuid,
        issued_by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<String, AppError> {
        accounts::issue(self, resident_id, issued_by, now, expires_at).await
    }
    async fn activate(
        &self,
        id_no: &str,
        code: &str,
        password: &str,
        now: i64,
    ) -> Result<Option<(String, app::auth::SessionUser)>, AppError> {
        accounts::activate(self, id_no, code, password, now).await
    }
    async fn logout(&self, token: &str) -> Result<(), AppError> {
        auth::logout(self, token).await
    }
    async fn save_device_key(&self, user_id: &str, device_id: &str, key: &[u8], now: i64) -> Result<(), AppError> {
        auth::save_device_key(self, user_id, device_id, key, now).await
    }
    async fn device_key(&self, user_id: &str, device_id: &str) -> Result<Option<Vec<u8>>, AppError> {
        auth::device_key(self, user_id, device_id).await
    }
    async fn audit(&self, actor: &app::audit::Actor, events: &[app::audit::Event], now: i64) -> Result<(), AppError> {
        audit::append(self, actor, events, now).await
    }
    async fn audit_search(
        &self,
        villages: &[String],
        q: &app::audit::AuditQuery,
        limit: usize,
    ) -> Result<app::audit::AuditPage, AppError> {
        audit::search(self, villages, q, limit).await
    }
    async fn users_in(&self, villages: &[String]) -> Result<Vec<app::users::UserRow>, AppError> {
        users::users_in(self, villages).await
    }
    async fn account_villages(&self, user_id: &str) -> Result<Option<Vec<String>>, AppError> {
        users::account_villages(self, user_id).await
    }
    async fn set_user_active(&self, user_id: &str, active: bool) -> Result<(), AppError> {
        users::set_active(self, user_id, active).await
    }
    async fn set_link(
        &self,
        parent: uuid::Uuid,
        child: uuid::Uuid,
        linked: bool,
        by: &str,
        now: i64,
    ) -> Result<(), AppError> {
        resident_view::set_link(self, parent, child, linked, by, now).await
    }
    async fn linked_children(&self, parent: uuid::Uuid) -> Result<Vec<uuid::Uuid>, AppError> {
        resident_view::linked_children(self, parent).await
    }
    async fn resident_pull(&self, resident: uuid::Uuid, cursor: i64) -> Result<app::store::PullPage, AppError> {
        resident_view::pull(self, resident, cursor).await
    }
    async fn entry_owner(
        &self,
        entity: &str,
        entry_id: uuid::Uuid,
    ) -> Result<Option<(uuid::Uuid, String, chrono::NaiveDate)>, AppError> {
        resident_view::entry_owner(self, entity, entry_id).await
    }
    async fn save_confirmation(&self, c: &app::my_record::Confirmation, user_id: &str) -> Result<(), AppError> {
        resident_view::save_confirmation(self, c, user_id).await
    }
    async fn confirmations_of(&self, residents: &[uuid::Uuid]) -> Result<Vec<app::my_record::Confirmation>, AppError> {
        resident_view::confirmations_of(self, residents).await
    }
    async fn confirmations_in(&self, villages: &[String]) -> Result<Vec<app::my_record::Confirmation>, AppError> {
        resident_view::confirmations_in(self, villages).await
    }
    async fn note_record_views(
        &self,
        resident_id: uuid::Uuid,
        village_id: &str,
        days: &[chrono::NaiveDate],
    ) -> Result<(), AppError> {
        resident_view::note_record_views(self, resident_id, village_id, days).await
    }
    async fn care_team(&self, village_id: &str) -> Result<Vec<app::my_record::CareContact>, AppError> {
        resident_view::care_team(self, village_id).await
    }
    async fn ping(&self) -> Result<(), AppError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
    async fn households(&self, village_id: &str) -> Result<Vec<app::resident::HouseholdOption>, AppError> {
        residents::households(self, village_id).await
    }
    async fn household_village(&self, household_id: &str) -> Result<Option<String>, AppError> {
        residents::household_village(self, household_id).await
    }
    async fn list_residents(
        &self,
        villages: &[String],
        q: &app::resident::ResidentQuery,
        today: chrono::NaiveDate,
    ) -> Result<app::resident::ResidentPage, AppError> {
        residents::list(self, villages, q, today).await
    }
    async fn resident_place(&self, id: uuid::Uuid) -> Result<Option<app::store::ResidentPlace>, AppError> {
        residents::place(self, id).await
    }
    async fn get_resident(&self, id: uuid::Uuid) -> Result<Option<app::resident::Resident>, AppError> {
        residents::get(self, id).await
    }
    async fn get_residents(&self, ids: &[uuid::Uuid]) -> Result<Vec<app::resident::Resident>, AppError> {
        residents::get_many(self, ids).await
    }
    async fn township_born_on(
        &self,
        village_id: &str,
        birth_date: chrono::NaiveDate,
    ) -> Result<Vec<app::resident::Resident>, AppError> {
        residents::township_born_on(self, village_id, birth_date).await
    }
    async fn save_resident(
        &self,
        r: &app::resident::ValidResident,
        author: &app::auth::SessionUser,
        now: i64,
    ) -> Result<uuid::Uuid, AppError> {
        residents::save(self, r, author, now).await
    }
    async fn record_htn_visit(
        &self,
        v: &app::visit::chronic::ChronicVisitInput,
        urgent: bool,
        author: &app::auth::SessionUser,
        now: i64,
    ) -> Result<app::visit::VisitSummary, AppError> {
        visits::record_htn(self, v, urgent, author, now).await
    }
    async fn visits_of(&self, resident_id: uuid::Uuid) -> Result<Vec<app::visit::VisitSummary>, AppError> {
        visits::of_resident(self, resident_id).await
    }
    async fn htn_visit(&self, id: uuid::Uuid) -> Result<Option<app::visit::chronic::ChronicVisitInput>, AppError> {
        visits::htn_payload(self, id).await
    }
    async fn record_entry(
        &self,
        entry_id: uuid::Uuid,
        user_id: &str,
        device_id: &str,
        now: i64,
    ) -> Result<(), AppError> {
        sync::record_entry(self, entry_id, user_id, device_id, now).await
    }
    async fn pull(&self, villages: &[String], cursor: i64, limit: u32) -> Result<app::store::PullPage, AppError> {
        sync::pull(self, villages, cursor, limit).await
    }
    async fn conflicts(&self, villages: &[String]) -> Result<Vec<app::sync::conflicts::ConflictSummary>, AppError> {
        sync::conflicts(self, villages).await
    }
    async fn resident_places(
        &self,
        ids: &[uuid::Uuid],
    ) -> Result<std::collections::HashMap<uuid::Uuid, app::store::ResidentPlace>, AppError> {
        residents::places(self, ids).await
    }
    async fn accepted_entries(&self, ids: &[uuid::Uuid]) -> Result<std::collections::HashSet<uuid::Uuid>, AppError> {
        sync::accepted_entries(self, ids).await
    }
    async fn store_htn_batch(
        &self,
        items: &[app::store::BatchVisit],
        author: &app::auth::SessionUser,
        device_id: &str,
        now: i64,
    ) -> Result<Vec<Result<(), AppError>>, AppError> {
        visits::store_batch(self, items, author, device_id, now).await
    }
    async fn conflict_village(&self, id: &str) -> Result<Option<String>, AppError> {
        Ok(sqlx::query_scalar("SELECT village_id FROM conflicts WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }
    async fn resolve_conflict(&self, id: &str, user_id: &str, now: i64) -> Result<(), AppError> {
        sqlx::query("UPDATE conflicts SET resolved_by = $1, resolved_at = $2 WHERE id = $3 AND resolved_at IS NULL")
            .bind(user_id)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
    async fn save_record(
        &self,
        r: &app::record::RecordInput,
        village_id: &str,
        w: &app::store::Written<'_>,
    ) -> Result<(), AppError> {
        records::save(self, r, village_id, w).await
    }
    async fn record_village(&self, record_id: uuid::Uuid) -> Result<Option<String>, AppError> {
        records::village_of(self, record_id).await
    }
    async fn save_attachment(
        &self,
        a: &app::record::AttachmentInput,
        bytes: &[u8],
        village_id: &str,
        w: &app::store::Written<'_>,
    ) -> Result<(), AppError> {
        records::save_attachment(self, a, bytes, village_id, w).await
    }
    async fn attachment(&self, id: uuid::Uuid) -> Result<Option<(String, String, Vec<u8>)>, AppError> {
        records::attachment(self, id).await
    }
    async fn records(&self, f: &app::store::RecordFilter) -> Result<Vec<app::record::StoredRecord>, AppError> {
        records::find(self, f).await
    }
    async fn previous_classification(
        &self,
        resident_id: uuid::Uuid,
        disease: app::visit::chronic::Disease,
        before: chrono::NaiveDate,
        exclude_visit: uuid::Uuid,
    ) -> Result<Option<u8>, AppError> {
        visits::previous_classification(self, resident_id, disease, before, exclude_visit).await
    }
    async fn org_units(&self) -> Result<Vec<app::indicator::report::OrgUnit>, AppError> {
        indicators::org_units(self).await
    }
    async fn max_change_seq(&self) -> Result<i64, AppError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(seq), 0) FROM changes").fetch_one(&self.pool).await?)
    }
    async fn change_seqs(&self, villages: &[String]) -> Result<std::collections::HashMap<String, i64>, AppError> {
        indicators::change_seqs(self, villages).await
    }
    async fn rollups(
        &self,
        org_ids: &[String],
        periods: &[String],
    ) -> Result<Vec<app::indicator::report::Rollup>, AppError> {
        indicators::rollups(self, org_ids, periods).await
    }
    async fn save_rollups(
        &self,
        rows: &[app::indicator::report::Rollup],
        restamp: &[(String, String)],
        seq: i64,
        now: i64,
    ) -> Result<(), AppError> {
        indicators::save_rollups(self, rows, restamp, seq, now).await
    }
    async fn record_views(
        &self,
        villages: &[String],
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    ) -> Result<Vec<(uuid::Uuid, chrono::NaiveDate)>, AppError> {
        indicators::record_views(self, villages, start, end).await
    }
    async fn populations(&self, year: i32) -> Result<std::collections::HashMap<String, u64>, AppError> {
        indicators::populations(self, year).await
    }
    async fn targets(&self, county_id: &str, year: i32) -> Result<std::collections::BTreeMap<String, f64>, AppError> {
        indicators::targets(self, county_id, year).await
    }
    async fn set_target(
        &self,
        county_id: &str,
        year: i32,
        indicator: &str,
        target: Option<f64>,
    ) -> Result<(), AppError> {
        indicators::set_target(self, county_id, year, indicator, target).await
    }
    async fn snapshots(
        &self,
        villages: &[String],
        period: &str,
    ) -> Result<Vec<app::indicator::report::Snapshot>, AppError> {
        indicators::snapshots(self, villages, period).await
    }
    async fn publish(&self, rows: &[app::indicator::report::Snapshot]) -> Result<(), AppError> {
        indicators::publish(self, rows).await
    }
    async fn doctor_work(
        &self,
        villages: &[String],
        start: chrono::NaiveDate,
        end: chrono::NaiveDate,
    ) -> Result<Vec<app::indicator::report::DoctorWork>, AppError> {
        indicators::doctor_work(self, villages, start, end).await
    }
    async fn review_queue(
        &self,
        villages: &[String],
        f: &app::review::ReviewFilter,
        entry: Option<uuid::Uuid>,
    ) -> Result<Vec<app::review::ReviewItem>, AppError> {
        reviews::queue(self, villages, f, entry).await
    }
    async fn entry_form(&self, entity: &str, entry_id: uuid::Uuid) -> Result<Option<serde_json::Value>, AppError> {
        reviews::form(self, entity, entry_id).await
    }
    async fn set_review(&self, r: &app::store::Verdicts<'_>) -> Result<(), AppError> {
        reviews::set(
            self,
            r.entity,
            r.entry_id,
            r.revision_id,
            r.verdict,
            r.comment,
            r.reviewer_id,
            r.village_id,
            r.now,
        )
        .await
    }
    async fn visit_facts(
        &self,
        villages: &[String],
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<app::quality::VisitFact>, AppError> {
        quality::visit_facts(self, villages, from, to).await
    }
    async fn draw_sample(
        &self,
        villages: &[String],
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        size: u32,
        drawn_by: &str,
        now: i64,
    ) -> Result<usize, AppError> {
        quality::draw(self, villages, from, to, size, drawn_by, now).await
    }
    async fn sample(
        &self,
        villages: &[String],
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
    ) -> Result<Vec<app::quality::Verification>, AppError> {
        quality::sample(self, villages, from, to).await
    }
    async fn verification_village(&self, id: uuid::Uuid) -> Result<Option<String>, AppError> {
        quality::verification_village(self, id).await
    }
    async fn record_call(
        &self,
        id: uuid::Uuid,
        outcome: app::quality::CallOutcome,
        note: &str,
        user_id: &str,
        now: i64,
    ) -> Result<(), AppError> {
        quality::record_call(self, id, outcome, note, user_id, now).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode_and_a_path() {
        assert_eq!(with_create_mode("sqlite://data/c.db"), "sqlite://data/c.db?mode=rwc");
        assert_eq!(
            with_create_mode("postgres://u:p@h/db?sslmode=disable"),
            "postgres://u:p@h/db?sslmode=disable&statement-cache-capacity=0"
        );
        assert_eq!(sqlite_path("sqlite://data/c.db?mode=rwc").as_deref(), Some("data/c.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
    }
}
