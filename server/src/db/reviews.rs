//! The review queue: current revisions of follow-ups and service records with where each stands (never
//! reviewed, reviewed, returned, corrected since), the review verdicts, and the notes a pull sends with the
//! entries they cover.

use super::{get_i64, get_str, SqlStore};
use app::error::AppError;
use app::review::{ReviewFilter, ReviewItem, ReviewNote, ReviewState, Verdict};
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// Longest queue a request returns (newest first); narrower filters find older entries.
pub const QUEUE_LIMIT: usize = 300;

/// The entries of both tables as one relation, with their review state.
const ENTRIES: &str = r#"
    SELECT e.*, CASE WHEN w.entry_id IS NULL THEN 'pending' WHEN w.revision_id = e.revision_id THEN w.state
                     ELSE 'resubmitted' END AS state,
           COALESCE(w.comment, '') AS comment
    FROM (
        SELECT 'visit' AS entity, v.visit_id AS entry_id, v.id AS revision_id, v.revision, v.kind,
               v.visit_date AS day, v.village_id, v.resident_id, v.author_id, v.received_at,
               CASE WHEN v.payload LIKE '%"signature":"%' THEN 1 ELSE 0 END AS signed
        FROM visits v WHERE v.is_current = 1 AND v.village_id IN ({villages}) {visit_where}
        UNION ALL
        SELECT 'record', r.record_id, r.id, r.revision, r.kind, r.service_date, r.village_id, r.resident_id,
               r.author_id, r.received_at, r.signed
        FROM records r WHERE r.is_current = 1 AND r.village_id IN ({villages}) {record_where}
    ) e LEFT JOIN reviews w ON w.entry_id = e.entry_id"#;

pub async fn queue(
    s: &SqlStore,
    villages: &[String],
    f: &ReviewFilter,
    entry: Option<Uuid>,
) -> Result<Vec<ReviewItem>, AppError> {
    if villages.is_empty() {
        return Ok(vec![]);
    }
    // Conditions of each branch, with their values in order.
    let mut conds: Vec<(&str, &str, String)> = Vec::new();
    if let Some(id) = entry {
        conds.push(("v.visit_id = ?", "r.record_id = ?", id.to_string()));
    }
    if let Some(a) = &f.author_id {
        conds.push(("v.author_id = ?", "r.author_id = ?", a.clone()));
    }
    if let Some(k) = &f.kind {
        conds.push(("v.kind = ?", "r.kind = ?", k.clone()));
    }
    if let Some(d) = f.from {
        conds.push(("v.visit_date >= ?", "r.service_date >= ?", d.to_string()));
    }
    if let Some(d) = f.to {
        conds.push(("v.visit_date <= ?", "r.service_date <= ?", d.to_string()));
    }
    let visit_where: String = conds.iter().map(|c| format!(" AND {}", c.0)).collect();
    let record_where: String = conds.iter().map(|c| format!(" AND {}", c.1)).collect();
    let scope: Vec<String> = match &f.village_id {
        Some(v) => villages.iter().filter(|x| *x == v).cloned().collect(),
        None => villages.to_vec(),
    };
    if scope.is_empty() {
        return Ok(vec![]);
    }
    let marks = super::marks(scope.len());
    let state_where = if f.state.is_some() { "WHERE q.state = ?" } else { "" };
    let sql = format!(
        "SELECT q.*, COALESCE(p.name, '') AS resident_name, o.name AS village_name,
                COALESCE(u.display_name, '') AS author_name, COALESCE(c.answer, '') AS resident_answer,
                COALESCE(c.note, '') AS resident_note
         FROM ({entries}) q LEFT JOIN residents p ON p.id = q.resident_id JOIN org_units o ON o.id = q.village_id
         LEFT JOIN users u ON u.id = q.author_id LEFT JOIN confirmations c ON c.entry_id = q.entry_id {state_where}
         ORDER BY q.day DESC, q.received_at DESC LIMIT {QUEUE_LIMIT}",
        entries = ENTRIES
            .replace("{villages}", &marks)
            .replace("{visit_where}", &visit_where)
            .replace("{record_where}", &record_where),
    );
    let mut conn = s.pool.acquire().await?;
    let sql = super::numbered(&conn, &sql);
    let mut q = sqlx::query(&sql);
    for _branch in 0..2 {
        for v in &scope {
            q = q.bind(v.clone());
        }
        for c in &conds {
            q = q.bind(c.2.clone());
        }
    }
    if let Some(st) = f.state {
        q = q.bind(st.code());
    }
    q.fetch_all(&mut *conn).await?.iter().map(item).collect()
}

fn item(r: &sqlx::any::AnyRow) -> Result<ReviewItem, AppError> {
    let uuid = |c: &str| super::get_uuid(r, c);
    Ok(ReviewItem {
        entity: get_str(r, "entity")?,
        entry_id: uuid("entry_id")?,
        revision_id: uuid("revision_id")?,
        revision: get_i64(r, "revision")?,
        kind: get_str(r, "kind")?,
        date: super::parse_date(&get_str(r, "day")?)?,
        resident_id: super::get_opt_str(r, "resident_id")?.and_then(|s| Uuid::parse_str(&s).ok()),
        resident_name: get_str(r, "resident_name")?,
        village_id: get_str(r, "village_id")?,
        village_name: get_str(r, "village_name")?,
        author_id: get_str(r, "author_id")?,
        author_name: get_str(r, "author_name")?,
        signed: get_i64(r, "signed")? != 0,
        state: ReviewState::from_code(&get_str(r, "state")?).ok_or_else(|| AppError::internal("state", "unknown"))?,
        comment: get_str(r, "comment")?,
        resident_answer: app::my_record::Answer::from_code(&get_str(r, "resident_answer")?),
        resident_note: get_str(r, "resident_note")?,
    })
}

/// The form of an entry's current revision, as JSON.
pub async fn form(s: &SqlStore, entity: &str, entry_id: Uuid) -> Result<Option<serde_json::Value>, AppError> {
    let sql = match entity {
        "visit" => "SELECT payload AS form FROM visits WHERE visit_id = $1 AND is_current = 1",
        _ => "SELECT body AS form FROM records WHERE record_id = $1 AND is_current = 1",
    };
    let Some(row) = sqlx::query(sql).bind(entry_id.to_string()).fetch_optional(&s.pool).await? else {
        return Ok(None);
    };
    let text: String = row.try_get("form")?;
    Ok(Some(serde_json::from_str(&text).map_err(|e| AppError::internal("form", e))?))
}

/// Records a verdict on `revision_id` of an entry kept in `village_id`, and re-sends the entry to the
/// village's devices so its doctor sees the verdict. `Conflict` when the entry has a newer revision by now.
#[allow(clippy::too_many_arguments)]
pub async fn set(
    s: &SqlStore,
    entity: &str,
    entry_id: Uuid,
    revision_id: Uuid,
    verdict: Verdict,
    comment: &str,
    reviewer_id: &str,
    village_id: &str,
    now: i64,
) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    let current: Option<String> = sqlx::query_scalar(match entity {
        "visit" => "SELECT id FROM visits WHERE visit_id = $1 AND is_current = 1",
        _ => "SELECT id FROM records WHERE record_id = $1 AND is_current = 1",
    })
    .bind(entry_id.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    match current {
        None => return Err(AppError::NotFound),
        Some(c) if c != revision_id.to_string() => {
            return Err(AppError::Conflict {
                zh: "该记录已有更新的版本，请刷新后再审核".into(),
                en: "The entry has a newer revision; reload it before reviewing".into(),
                existing_id: None,
            })
        }
        Some(_) => {}
    }
    sqlx::query(
        "INSERT INTO reviews (entry_id, entity, village_id, revision_id, state, comment, reviewer_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (entry_id) DO UPDATE SET revision_id = excluded.revision_id, state = excluded.state,
           comment = excluded.comment, reviewer_id = excluded.reviewer_id, at = excluded.at,
           village_id = excluded.village_id",
    )
    .bind(entry_id.to_string())
    .bind(entity)
    .bind(village_id)
    .bind(revision_id.to_string())
    .bind(verdict.code())
    .bind(comment)
    .bind(reviewer_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    super::sync::log_change(&mut tx, village_id, entity, &entry_id.to_string(), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The notes covering the current revisions of these entries (a note on an older revision covers nothing).
pub async fn notes(s: &SqlStore, entity: &str, ids: &[String]) -> Result<HashMap<Uuid, ReviewNote>, AppError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let table = if entity == "visit" { "visits" } else { "records" };
    let sql = format!(
        "SELECT w.entry_id, w.revision_id, w.state, w.comment, w.at, COALESCE(u.display_name, '') AS reviewer
         FROM reviews w JOIN {table} x ON x.id = w.revision_id AND x.is_current = 1
         LEFT JOIN users u ON u.id = w.reviewer_id WHERE w.entry_id IN ({{ids}})"
    );
    let rows = super::fetch_in(&mut *s.pool.acquire().await?, &sql, ids).await?;
    rows.iter()
        .map(|r| {
            Ok((
                super::get_uuid(r, "entry_id")?,
                ReviewNote {
                    revision_id: super::get_uuid(r, "revision_id")?,
                    verdict: Verdict::from_code(&get_str(r, "state")?)
                        .ok_or_else(|| AppError::internal("verdict", "unknown"))?,
                    comment: get_str(r, "comment")?,
                    reviewer: get_str(r, "reviewer")?,
                    at: super::fmt_time(get_i64(r, "at")?),
                },
            ))
        })
        .collect()
}

/// Puts `note` into a visit's pull JSON (`{"kind":"visit","summary":{…`) as the summary's `review`.
pub fn with_note(wire: String, note: &ReviewNote) -> Result<String, AppError> {
    const HEAD: &str = r#"{"kind":"visit","summary":{"#;
    let note = serde_json::to_string(note).map_err(|e| AppError::internal("note", e))?;
    if let Some(rest) = wire.strip_prefix(HEAD) {
        return Ok(format!(r#"{HEAD}"review":{note},{rest}"#));
    }
    let mut v: serde_json::Value = serde_json::from_str(&wire).map_err(|e| AppError::internal("wire", e))?;
    v["summary"]["review"] = serde_json::from_str(&note).map_err(|e| AppError::internal("note", e))?;
    Ok(v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_goes_into_the_summary_of_a_visit_wire() {
        let note = ReviewNote {
            revision_id: Uuid::nil(),
            verdict: Verdict::Returned,
            comment: "血压\"复测\"".into(),
            reviewer: "乡镇".into(),
            at: "2026-11-23 10:00".into(),
        };
        for wire in [r#"{"kind":"visit","summary":{"id":1},"payload":{}}"#, r#"{"summary":{"id":1},"kind":"visit"}"#] {
            let out: serde_json::Value = serde_json::from_str(&with_note(wire.to_string(), &note).unwrap()).unwrap();
            assert_eq!(out["summary"]["id"], 1);
            assert_eq!(out["summary"]["review"]["comment"], "血压\"复测\"");
            assert_eq!(out["summary"]["review"]["verdict"], "returned");
        }
    }
}
