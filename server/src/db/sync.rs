//! The sync side of the store: the change log written beside every record, the pull that reads it by
//! cursor within a user's villages, and the ids of accepted outbox entries.

use super::{get_i64, get_str, placeholders, records, residents, visits, SqlStore};
use app::error::AppError;
use app::resident::Resident;
use app::store::PullPage;
use app::sync::conflicts::ConflictSummary;
use app::sync::Change;
use sqlx::{Any, Transaction};
use std::collections::HashMap;
use uuid::Uuid;

/// Appends one change; called inside the transaction of the write it records.
pub async fn log_change(
    tx: &mut Transaction<'_, Any>,
    village_id: &str,
    entity: &str,
    entity_id: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO changes (village_id, entity, entity_id, at) VALUES ($1, $2, $3, $4)")
        .bind(village_id)
        .bind(entity)
        .bind(entity_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn accepted_entries(s: &SqlStore, ids: &[Uuid]) -> Result<std::collections::HashSet<Uuid>, AppError> {
    let sql = "SELECT entry_id FROM sync_entries WHERE entry_id IN ({ids})";
    let rows = super::fetch_in(&mut *s.pool.acquire().await?, sql, &super::texts(ids)).await?;
    rows.iter().map(|r| super::get_uuid(r, "entry_id")).collect()
}

pub async fn record_entry(
    s: &SqlStore,
    entry_id: Uuid,
    user_id: &str,
    device_id: &str,
    now: i64,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO sync_entries (entry_id, user_id, device_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (entry_id) DO NOTHING")
        .bind(entry_id.to_string())
        .bind(user_id)
        .bind(device_id)
        .bind(now)
        .execute(&s.pool)
        .await?;
    Ok(())
}

/// One page of changes after `cursor` in `villages`. A record changed several times in the page is sent once,
/// at the position of its last change, in its current state.
pub async fn pull(s: &SqlStore, villages: &[String], cursor: i64, limit: u32) -> Result<PullPage, AppError> {
    if villages.is_empty() {
        return Ok(PullPage { changes: vec![], residents: vec![], next_cursor: cursor, more: false });
    }
    let mut conn = s.pool.acquire().await?;
    let sql = super::json_rows(
        &conn,
        "c.seq, c.entity, c.entity_id",
        &format!(
            "FROM (SELECT seq, entity, entity_id FROM changes WHERE village_id IN ({}) AND seq > ? ORDER BY seq LIMIT {}) c",
            super::marks(villages.len()),
            limit as i64 + 1
        ),
    );
    let mut q = sqlx::query(&sql);
    for v in villages {
        q = q.bind(v);
    }
    let mut rows: Vec<(i64, String, String)> = super::fetch_json(&mut conn, q.bind(cursor)).await?;
    drop(conn);
    rows.sort_unstable_by_key(|r| r.0);
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().map_or(cursor, |r| r.0);
    // Keep the last occurrence of each record; a revoke and a later resident change share the key.
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    let mut items: Vec<(String, String)> = Vec::with_capacity(rows.len());
    for (_, entity, id) in rows.into_iter().rev() {
        let class = match entity.as_str() {
            "visit" => 1,
            "record" => 2,
            _ => 0,
        };
        if seen.insert((class, id.clone())) {
            items.push((entity, id));
        }
    }
    items.reverse();
    // Load the page's records with one query per kind, then emit them in change-log order.
    let resident_ids: Vec<Uuid> = items
        .iter()
        .filter(|(e, _)| e == "resident")
        .map(|(_, id)| Uuid::parse_str(id).map_err(|e| AppError::internal("change id", e)))
        .collect::<Result<_, _>>()?;
    let visit_ids: Vec<String> = items.iter().filter(|(e, _)| e == "visit").map(|(_, id)| id.clone()).collect();
    let mut residents: HashMap<Uuid, Resident> =
        residents::get_many(s, &resident_ids).await?.into_iter().map(|r| (r.id, r)).collect();
    let mut visits = visits::current_wires(s, &visit_ids).await?;
    // The township's verdicts travel with the revisions they cover.
    for (id, note) in super::reviews::notes(s, "visit", &visit_ids).await? {
        if let Some(w) = visits.remove(&id) {
            visits.insert(id, super::reviews::with_note(w, &note)?);
        }
    }
    let record_ids: Vec<String> = items.iter().filter(|(e, _)| e == "record").map(|(_, id)| id.clone()).collect();
    let mut records = records::current(s, &record_ids).await?;
    for (id, note) in super::reviews::notes(s, "record", &record_ids).await? {
        if let Some(r) = records.get_mut(&id) {
            r.review = Some(note);
        }
    }
    let json = |c: &Change| serde_json::to_string(c).map_err(|e| AppError::internal("change", e));
    let mut changes = Vec::with_capacity(items.len());
    let mut carried: Vec<Uuid> = Vec::new();
    for (entity, id) in items {
        let uuid = Uuid::parse_str(&id).map_err(|e| AppError::internal("change id", e))?;
        match entity.as_str() {
            "resident" => {
                if let Some(r) = residents.remove(&uuid) {
                    carried.push(r.id);
                    changes.push(json(&Change::Resident { resident: Box::new(r) })?);
                }
            }
            "revoke" => changes.push(json(&Change::Revoked { resident_id: uuid })?),
            "visit" => {
                if let Some(w) = visits.remove(&uuid) {
                    carried.extend(serde_json::from_str::<OfResident>(&w).ok().map(|o| o.resident_id));
                    changes.push(w);
                }
            }
            "record" => {
                if let Some(r) = records.remove(&uuid) {
                    carried.extend(r.record.resident_id);
                    changes.push(json(&Change::Record { record: Box::new(r) })?);
                }
            }
            other => return Err(AppError::internal("change entity", other)),
        }
    }
    carried.sort_unstable();
    carried.dedup();
    Ok(PullPage { changes, residents: carried, next_cursor, more })
}

/// The resident a visit's wire belongs to (its other fields are skipped unread).
#[derive(serde::Deserialize)]
struct OfResident {
    resident_id: Uuid,
}

pub async fn conflicts(s: &SqlStore, villages: &[String]) -> Result<Vec<ConflictSummary>, AppError> {
    if villages.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT c.id, c.resident_id, c.fields, c.losing, c.at, r.name AS resident_name, v.name AS village_name,
                COALESCE(u.display_name, '') AS author_name
         FROM conflicts c JOIN residents r ON r.id = c.resident_id JOIN org_units v ON v.id = c.village_id
         LEFT JOIN users u ON u.id = c.author_id
         WHERE c.village_id IN ({}) AND c.resolved_at IS NULL ORDER BY c.at DESC, c.id DESC LIMIT 200",
        placeholders(1, villages.len())
    );
    let mut q = sqlx::query(&sql);
    for v in villages {
        q = q.bind(v);
    }
    q.fetch_all(&s.pool)
        .await?
        .iter()
        .map(|r| {
            let fields: Vec<String> =
                serde_json::from_str(&get_str(r, "fields")?).map_err(|e| AppError::internal("fields", e))?;
            let losing: serde_json::Value =
                serde_json::from_str(&get_str(r, "losing")?).map_err(|e| AppError::internal("losing", e))?;
            let losing_values = fields
                .iter()
                .map(|f| match &losing[f] {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            Ok(ConflictSummary {
                id: get_str(r, "id")?,
                resident_id: Uuid::parse_str(&get_str(r, "resident_id")?).map_err(|e| AppError::internal("uuid", e))?,
                resident_name: get_str(r, "resident_name")?,
                village_name: get_str(r, "village_name")?,
                fields,
                losing_values,
                author_name: get_str(r, "author_name")?,
                at: super::fmt_time(get_i64(r, "at")?),
            })
        })
        .collect()
}
