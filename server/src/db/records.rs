//! Service records and their photos: append a revision (idempotent by its id), store a photo, read current
//! revisions by resident, village and kind, or by id for the pull.

use super::{fmt_time, get_i64, get_str, SqlStore};
use app::error::AppError;
use app::record::{AttachmentInput, AttachmentMeta, RecordInput, StoredRecord};
use app::store::{RecordFilter, Written};
use std::collections::HashMap;
use uuid::Uuid;

/// Appends `r` as the record's newest revision, with its change-log row and its outbox entry id, in one
/// transaction. The same revision sent again is a no-op.
pub async fn save(s: &SqlStore, r: &RecordInput, village_id: &str, w: &Written<'_>) -> Result<(), AppError> {
    let id = r.id.to_string();
    let record_id = r.record_id.to_string();
    let body = serde_json::to_string(r).map_err(|e| AppError::internal("record", e))?;
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    // The same revision sent again (a retry, or two pushes racing): stored once, the entry acknowledged. Checked
    // inside the transaction, and again by the insert below, so a race ends as a duplicate, never an error.
    let known: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE id = $1").bind(&id).fetch_one(&mut *tx).await?;
    if known > 0 {
        tx.rollback().await?;
        return super::sync::record_entry(s, w.entry_id, &w.author.id, w.device_id, w.now).await;
    }
    let latest = sqlx::query("SELECT revision, kind, resident_id FROM records WHERE record_id = $1 AND is_current = 1")
        .bind(&record_id)
        .fetch_optional(&mut *tx)
        .await?;
    let revision = match latest {
        None => 1,
        Some(l) => {
            let same_resident = super::get_opt_str(&l, "resident_id")? == r.resident_id.map(|x| x.to_string());
            if get_str(&l, "kind")? != r.kind().code() || !same_resident {
                return Err(AppError::Conflict {
                    zh: "记录编号已被另一条记录使用".into(),
                    en: "The record id belongs to another record".into(),
                    existing_id: None,
                });
            }
            sqlx::query("UPDATE records SET is_current = 0 WHERE record_id = $1")
                .bind(&record_id)
                .execute(&mut *tx)
                .await?;
            get_i64(&l, "revision")? + 1
        }
    };
    let inserted = sqlx::query(
        "INSERT INTO records (id, record_id, revision, kind, village_id, resident_id, service_date, body, signed,
         is_current, author_id, device_id, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $12)
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(&id)
    .bind(&record_id)
    .bind(revision)
    .bind(r.kind().code())
    .bind(village_id)
    .bind(r.resident_id.map(|x| x.to_string()))
    .bind(r.date.to_string())
    .bind(&body)
    .bind(r.signature.is_some() as i64)
    .bind(&w.author.id)
    .bind(w.device_id)
    .bind(w.now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        tx.rollback().await?;
        return super::sync::record_entry(s, w.entry_id, &w.author.id, w.device_id, w.now).await;
    }
    super::sync::log_change(&mut tx, village_id, "record", &record_id, w.now).await?;
    entry_in(&mut tx, w).await?;
    tx.commit().await?;
    Ok(())
}

/// Remembers the outbox entry inside the write's transaction, so a retried push stores nothing twice.
async fn entry_in(tx: &mut sqlx::Transaction<'_, sqlx::Any>, w: &Written<'_>) -> Result<(), AppError> {
    sqlx::query("INSERT INTO sync_entries (entry_id, user_id, device_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (entry_id) DO NOTHING")
        .bind(w.entry_id.to_string())
        .bind(&w.author.id)
        .bind(w.device_id)
        .bind(w.now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The village a record is filed under (its current revision), for scope checks.
pub async fn village_of(s: &SqlStore, record_id: Uuid) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT village_id FROM records WHERE record_id = $1 AND is_current = 1")
        .bind(record_id.to_string())
        .fetch_optional(&s.pool)
        .await?)
}

/// Stores a photo (checked and decoded by the caller) and re-sends its record, so devices learn of it.
pub async fn save_attachment(
    s: &SqlStore,
    a: &AttachmentInput,
    bytes: &[u8],
    village_id: &str,
    w: &Written<'_>,
) -> Result<(), AppError> {
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    let inserted = sqlx::query(
        "INSERT INTO attachments (id, record_id, village_id, kind, mime, size, bytes, author_id, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
    )
    .bind(a.id.to_string())
    .bind(a.record_id.to_string())
    .bind(village_id)
    .bind(a.kind as i64)
    .bind(&a.mime)
    .bind(bytes.len() as i64)
    .bind(bytes.to_vec())
    .bind(&w.author.id)
    .bind(w.now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted > 0 {
        let has_record: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE record_id = $1")
            .bind(a.record_id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if has_record > 0 {
            super::sync::log_change(&mut tx, village_id, "record", &a.record_id.to_string(), w.now).await?;
        }
    }
    entry_in(&mut tx, w).await?;
    tx.commit().await?;
    Ok(())
}

/// A photo's village, type and bytes.
pub async fn attachment(s: &SqlStore, id: Uuid) -> Result<Option<(String, String, Vec<u8>)>, AppError> {
    let row = sqlx::query("SELECT village_id, mime, bytes FROM attachments WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&s.pool)
        .await?;
    row.map(|r| Ok((get_str(&r, "village_id")?, get_str(&r, "mime")?, sqlx::Row::try_get::<Vec<u8>, _>(&r, "bytes")?)))
        .transpose()
}

/// When the record's first revision arrived (a report's timeliness counts from it), through the
/// `records_record` index.
const FIRST_RECEIVED: &str =
    "(SELECT MIN(f.received_at) FROM records f WHERE f.record_id = r.record_id) AS first_received";

/// Current revisions matching `f`, newest service date first, with their photos.
pub async fn find(s: &SqlStore, f: &RecordFilter) -> Result<Vec<StoredRecord>, AppError> {
    if f.villages.is_empty() {
        return Ok(vec![]);
    }
    let mut sql = format!(
        "SELECT r.record_id, r.revision, r.body, r.received_at, COALESCE(u.display_name, '') AS author, {FIRST_RECEIVED}
         FROM records r LEFT JOIN users u ON u.id = r.author_id
         WHERE r.is_current = 1 AND r.village_id IN ({})",
        super::marks(f.villages.len())
    );
    let mut args: Vec<String> = f.villages.clone();
    if let Some(id) = f.resident_id {
        sql.push_str(" AND r.resident_id = ?");
        args.push(id.to_string());
    }
    if let Some(id) = f.record_id {
        sql.push_str(" AND r.record_id = ?");
        args.push(id.to_string());
    }
    if !f.kinds.is_empty() {
        sql.push_str(&format!(" AND r.kind IN ({})", super::marks(f.kinds.len())));
        args.extend(f.kinds.iter().map(|k| k.code().to_string()));
    }
    if let Some(since) = f.since {
        sql.push_str(" AND r.service_date >= ?");
        args.push(since.to_string());
    }
    let limit = f.limit.clamp(1, app::store::MAX_RECORDS);
    sql.push_str(&format!(" ORDER BY r.service_date DESC, r.received_at DESC LIMIT {limit}"));
    let mut conn = s.pool.acquire().await?;
    let sql = super::numbered(&conn, &sql);
    let mut q = sqlx::query(&sql);
    for a in &args {
        q = q.bind(a);
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let mut out = rows.iter().map(stored).collect::<Result<Vec<_>, _>>()?;
    attach(&mut conn, &mut out).await?;
    Ok(out)
}

fn stored(r: &sqlx::any::AnyRow) -> Result<StoredRecord, AppError> {
    let (received, first) = (get_i64(r, "received_at")?, get_i64(r, "first_received")?);
    let record: RecordInput =
        serde_json::from_str(&get_str(r, "body")?).map_err(|e| AppError::internal("record body", e))?;
    Ok(StoredRecord {
        record,
        revision: get_i64(r, "revision")?,
        author_name: get_str(r, "author")?,
        recorded_at: fmt_time(received),
        // Sent only when it differs (an edited record), so the pull carries no more for the rest.
        first_received: if first < received { fmt_time(first) } else { String::new() },
        attachments: vec![],
        review: None,
    })
}

async fn attach(conn: &mut sqlx::AnyConnection, records: &mut [StoredRecord]) -> Result<(), AppError> {
    let ids: Vec<String> = records.iter().map(|r| r.record.record_id.to_string()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let rows = super::fetch_in(
        conn,
        "SELECT id, record_id, kind, mime, size FROM attachments WHERE record_id IN ({ids}) ORDER BY received_at, id",
        &ids,
    )
    .await?;
    let mut by_record: HashMap<String, Vec<AttachmentMeta>> = HashMap::new();
    for r in &rows {
        by_record.entry(get_str(r, "record_id")?).or_default().push(AttachmentMeta {
            id: super::get_uuid(r, "id")?,
            kind: get_i64(r, "kind")? as u8,
            mime: get_str(r, "mime")?,
            size: get_i64(r, "size")? as u64,
        });
    }
    for r in records.iter_mut() {
        r.attachments = by_record.remove(&r.record.record_id.to_string()).unwrap_or_default();
    }
    Ok(())
}

/// Current revisions of these records (the pull), by record id.
pub async fn current(s: &SqlStore, ids: &[String]) -> Result<HashMap<Uuid, StoredRecord>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut conn = s.pool.acquire().await?;
    let sql = format!(
        "SELECT r.record_id, r.revision, r.body, r.received_at, COALESCE(u.display_name, '') AS author, {FIRST_RECEIVED}
         FROM records r LEFT JOIN users u ON u.id = r.author_id WHERE r.is_current = 1 AND r.record_id IN ({{ids}})"
    );
    let rows = super::fetch_in(&mut conn, &sql, ids).await?;
    let mut out = rows.iter().map(stored).collect::<Result<Vec<_>, _>>()?;
    attach(&mut conn, &mut out).await?;
    Ok(out.into_iter().map(|r| (r.record.record_id, r)).collect())
}
