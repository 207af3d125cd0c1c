//! Follow-up visits: append a revision (idempotent by its id), list a resident's current visits, read one.

use super::{fmt_time, get_i64, get_opt_str, get_str, marks, parse_date, SqlStore, IN_CHUNK};
use app::auth::SessionUser;
use app::error::AppError;
use app::visit::chronic::{ChronicVisitInput, Disease};
use app::visit::{VisitKind, VisitSummary};
use chrono::NaiveDate;
use sqlx::any::AnyRow;
use uuid::Uuid;

const SUMMARY_COLUMNS: &str = "v.id, v.visit_id, v.revision, v.kind, v.visit_date, v.outcome, v.mode, v.sbp, v.dbp,
    v.fbg, v.classification, v.next_mgmt, v.next_visit_date, v.urgent, v.received_at, COALESCE(u.display_name, '') AS author,
    CASE WHEN v.summary LIKE '%\"signed\":true%' THEN 1 ELSE 0 END AS signed";

fn opt_u8(r: &AnyRow, col: &str) -> Result<Option<u8>, AppError> {
    Ok(sqlx::Row::try_get::<Option<i64>, _>(r, col)?.map(|x| x as u8))
}

fn summary(r: &AnyRow) -> Result<VisitSummary, AppError> {
    let uuid = |c: &str| -> Result<Uuid, AppError> {
        Uuid::parse_str(&get_str(r, c)?).map_err(|e| AppError::internal("uuid", e))
    };
    Ok(VisitSummary {
        id: uuid("id")?,
        visit_id: uuid("visit_id")?,
        revision: get_i64(r, "revision")?,
        kind: VisitKind::from_code(&get_str(r, "kind")?).ok_or_else(|| AppError::internal("kind", "unknown"))?,
        visit_date: parse_date(&get_str(r, "visit_date")?)?,
        outcome: get_i64(r, "outcome")? as u8,
        mode: opt_u8(r, "mode")?,
        sbp: sqlx::Row::try_get::<Option<i64>, _>(r, "sbp")?.map(|x| x as i32),
        dbp: sqlx::Row::try_get::<Option<i64>, _>(r, "dbp")?.map(|x| x as i32),
        fbg: sqlx::Row::try_get::<Option<f64>, _>(r, "fbg")?,
        classification: opt_u8(r, "classification")?,
        next_mgmt: opt_u8(r, "next_mgmt")?,
        next_visit_date: get_opt_str(r, "next_visit_date")?.map(|d| parse_date(&d)).transpose()?,
        urgent: get_i64(r, "urgent")? == 1,
        // The signature is kept in the form; the stored summary says whether there is one (rows without a
        // summary predate signatures).
        signed: sqlx::Row::try_get::<Option<i64>, _>(r, "signed")?.unwrap_or(0) == 1,
        author_name: get_str(r, "author")?,
        recorded_at: fmt_time(get_i64(r, "received_at")?),
        review: None,
    })
}

/// The summary JSON stored with a revision (migration 0005), from which the pull assembles its change.
pub(crate) fn summary_json(summary: &VisitSummary) -> Result<String, AppError> {
    serde_json::to_string(summary).map_err(|e| AppError::internal("summary", e))
}

/// The pull's JSON of a revision stored without its summary, built from its columns.
pub(crate) fn wire_of(
    summary: VisitSummary,
    resident_id: Uuid,
    payload: &ChronicVisitInput,
) -> Result<String, AppError> {
    let change = app::sync::Change::Visit { summary, resident_id, payload: Box::new(payload.clone()) };
    serde_json::to_string(&change).map_err(|e| AppError::internal("wire", e))
}

async fn summary_by_id(s: &SqlStore, id: &str) -> Result<Option<VisitSummary>, AppError> {
    let row = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM visits v LEFT JOIN users u ON u.id = v.author_id WHERE v.id = $1"
    ))
    .bind(id)
    .fetch_optional(&s.pool)
    .await?;
    row.as_ref().map(summary).transpose()
}

pub async fn record_htn(
    s: &SqlStore,
    v: &ChronicVisitInput,
    urgent: bool,
    author: &SessionUser,
    now: i64,
) -> Result<VisitSummary, AppError> {
    let id = v.id.to_string();
    // A revision sent again (retry, or the same outbox batch twice) is stored once.
    if let Some(existing) = summary_by_id(s, &id).await? {
        return Ok(existing);
    }
    let visit_id = v.visit_id.to_string();
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    let latest =
        sqlx::query("SELECT id, revision, resident_id, kind FROM visits WHERE visit_id = $1 AND is_current = 1")
            .bind(&visit_id)
            .fetch_optional(&mut *tx)
            .await?;
    let revision = match (&latest, v.supersedes) {
        (None, None) => 1,
        (None, Some(_)) => return Err(AppError::NotFound),
        (Some(_), None) => {
            return Err(AppError::Conflict {
                zh: "随访编号已存在".into(),
                en: "Visit id already used".into(),
                existing_id: None,
            })
        }
        (Some(l), Some(sup)) => {
            if get_str(l, "resident_id")? != v.resident_id.to_string() {
                return Err(AppError::field(
                    "resident_id",
                    "更正的随访属于另一位居民",
                    "The corrected visit belongs to another resident",
                ));
            }
            if get_str(l, "kind")? != v.disease.code() {
                return Err(other_disease());
            }
            // The superseded revision must belong to this visit; a correction made from an older revision
            // still lands on top, and the chain of `supersedes` shows what each one replaced.
            let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE id = $1 AND visit_id = $2")
                .bind(sup.to_string())
                .bind(&visit_id)
                .fetch_one(&mut *tx)
                .await?;
            if known == 0 {
                return Err(AppError::field(
                    "supersedes",
                    "所更正的随访记录不存在",
                    "The revision being corrected does not exist",
                ));
            }
            sqlx::query("UPDATE visits SET is_current = 0 WHERE visit_id = $1")
                .bind(&visit_id)
                .execute(&mut *tx)
                .await?;
            get_i64(l, "revision")? + 1
        }
    };
    let village = sqlx::query("SELECT village_id FROM residents WHERE id = $1")
        .bind(v.resident_id.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let village_id = get_str(&village, "village_id")?;
    let payload = serde_json::to_string(v).map_err(|e| AppError::internal("payload", e))?;
    let summary = summary_json(&VisitSummary::of_chronic(v, revision, urgent, &author.display_name, fmt_time(now)))?;
    sqlx::query(
        "INSERT INTO visits (id, visit_id, revision, supersedes, resident_id, village_id, kind, visit_date, outcome, mode, sbp, dbp,
         classification, next_mgmt, next_visit_date, urgent, payload, is_current, author_id, device_id, received_at, summary, fbg)
         VALUES ($1, $2, $3, $4, $5, $6, $21, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18, $19, $20, $22)",
    )
    .bind(&id)
    .bind(&visit_id)
    .bind(revision)
    .bind(v.supersedes.map(|u| u.to_string()))
    .bind(v.resident_id.to_string())
    .bind(&village_id)
    .bind(v.visit_date.to_string())
    .bind(v.outcome as i64)
    .bind(v.mode.map(|x| x as i64))
    .bind(v.sbp.map(|x| x as i64))
    .bind(v.dbp.map(|x| x as i64))
    .bind(v.classification.map(|x| x as i64))
    .bind(v.next_mgmt.map(|x| x as i64))
    .bind(v.next_visit_date.map(|d| d.to_string()))
    .bind(urgent as i64)
    .bind(payload)
    .bind(&author.id)
    .bind(&v.device_id)
    .bind(now)
    .bind(summary)
    .bind(v.disease.code())
    .bind(v.fbg)
    .execute(&mut *tx)
    .await?;
    super::sync::log_change(&mut tx, &village_id, "visit", &visit_id, now).await?;
    tx.commit().await?;
    summary_by_id(s, &id).await?.ok_or(AppError::Internal)
}

fn other_disease() -> AppError {
    AppError::field("disease", "更正的随访属于另一种慢病", "The corrected visit is for another disease")
}

pub async fn of_resident(s: &SqlStore, resident_id: Uuid) -> Result<Vec<VisitSummary>, AppError> {
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM visits v LEFT JOIN users u ON u.id = v.author_id
         WHERE v.resident_id = $1 AND v.is_current = 1 ORDER BY v.visit_date DESC, v.received_at DESC"
    ))
    .bind(resident_id.to_string())
    .fetch_all(&s.pool)
    .await?;
    rows.iter().map(summary).collect()
}

pub async fn htn_payload(s: &SqlStore, id: Uuid) -> Result<Option<ChronicVisitInput>, AppError> {
    let row = sqlx::query("SELECT payload FROM visits WHERE id = $1 AND kind IN ('htn', 'dm')")
        .bind(id.to_string())
        .fetch_optional(&s.pool)
        .await?;
    row.map(|r| serde_json::from_str(&get_str(&r, "payload")?).map_err(|e| AppError::internal("payload", e)))
        .transpose()
}

pub async fn previous_classification(
    s: &SqlStore,
    resident_id: Uuid,
    disease: Disease,
    before: NaiveDate,
    exclude: Uuid,
) -> Result<Option<u8>, AppError> {
    let row = sqlx::query(
        "SELECT classification FROM visits WHERE resident_id = $1 AND kind = $4 AND is_current = 1 AND visit_date <= $2
         AND visit_id <> $3 AND classification IS NOT NULL ORDER BY visit_date DESC, received_at DESC LIMIT 1",
    )
    .bind(resident_id.to_string())
    .bind(before.to_string())
    .bind(exclude.to_string())
    .bind(disease.code())
    .fetch_optional(&s.pool)
    .await?;
    row.map(|r| opt_u8(&r, "classification")).transpose().map(Option::flatten)
}

/// The pull JSON of the current revisions of many visits, by visit id: assembled by the database from the
/// stored summary and form (the same JSON as serialising `Change::Visit`); revisions stored without a
/// summary are built from their columns.
pub async fn current_wires(
    s: &SqlStore,
    visit_ids: &[String],
) -> Result<std::collections::HashMap<Uuid, String>, AppError> {
    // Each value is the visit id (36 characters) followed by its change JSON, if it has a summary.
    let values = super::fetch_concat_in(
        &mut *s.pool.acquire().await?,
        r#"visit_id || CASE WHEN summary IS NULL THEN '' ELSE
            '{"kind":"visit","summary":' || summary || ',"resident_id":"' || resident_id || '","payload":' || payload || '}'
            END"#,
        "FROM visits WHERE is_current = 1 AND visit_id IN ({ids})",
        visit_ids,
    )
    .await?;
    let mut out = std::collections::HashMap::with_capacity(visit_ids.len());
    let mut missing = Vec::new();
    for mut value in values {
        let wire = value.split_off(36.min(value.len()));
        let visit_id = Uuid::parse_str(&value).map_err(|e| AppError::internal("visit id", e))?;
        if wire.is_empty() {
            missing.push(value);
        } else {
            out.insert(visit_id, wire);
        }
    }
    for (summary, resident_id, payload) in current_many(s, &missing).await? {
        out.insert(summary.visit_id, wire_of(summary, resident_id, &payload)?);
    }
    Ok(out)
}

/// The current revisions of many visits with their residents and forms, in no particular order.
pub async fn current_many(
    s: &SqlStore,
    visit_ids: &[String],
) -> Result<Vec<(VisitSummary, Uuid, ChronicVisitInput)>, AppError> {
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS}, v.resident_id, v.payload FROM visits v LEFT JOIN users u ON u.id = v.author_id
         WHERE v.is_current = 1 AND v.visit_id IN ({{ids}})"
    );
    let rows = super::fetch_in(&mut *s.pool.acquire().await?, &sql, visit_ids).await?;
    rows.iter()
        .map(|r| {
            let payload =
                serde_json::from_str(&get_str(r, "payload")?).map_err(|e| AppError::internal("payload", e))?;
            Ok((summary(r)?, super::get_uuid(r, "resident_id")?, payload))
        })
        .collect()
}

/// Stores a pushed run of checked follow-ups in one transaction: the revision rules of `record_htn` applied
/// in memory over what the database holds (and what came earlier in the run), then multi-row inserts of the
/// visits, their change-log rows and the accepted entry ids. A revision already stored counts as stored.
pub async fn store_batch(
    s: &SqlStore,
    items: &[app::store::BatchVisit],
    author: &SessionUser,
    device_id: &str,
    now: i64,
) -> Result<Vec<Result<(), AppError>>, AppError> {
    use std::collections::{HashMap, HashSet};
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    let mut related: Vec<String> = items.iter().map(|i| i.input.id.to_string()).collect();
    related.extend(items.iter().filter_map(|i| i.input.supersedes.map(|u| u.to_string())));
    let visit_ids: Vec<String> = items.iter().map(|i| i.input.visit_id.to_string()).collect();
    // Revision ids already stored, and which visit each known revision belongs to.
    let mut known: HashMap<String, String> = HashMap::new();
    let known_sql = "SELECT id, visit_id FROM visits WHERE id IN ({ids})";
    for r in super::fetch_in(&mut tx, known_sql, &related).await? {
        known.insert(get_str(&r, "id")?, get_str(&r, "visit_id")?);
    }
    // The current revision of each visit the run touches: (revision, resident, kind).
    let mut current: HashMap<String, (i64, String, String)> = HashMap::new();
    let current_sql =
        "SELECT visit_id, revision, resident_id, kind FROM visits WHERE is_current = 1 AND visit_id IN ({ids})";
    for r in super::fetch_in(&mut tx, current_sql, &visit_ids).await? {
        current.insert(
            get_str(&r, "visit_id")?,
            (get_i64(&r, "revision")?, get_str(&r, "resident_id")?, get_str(&r, "kind")?),
        );
    }
    // The same for every row of the batch: formatted once.
    let recorded_at = fmt_time(now);
    let mut results = Vec::with_capacity(items.len());
    let mut rows: Vec<(&app::store::BatchVisit, i64, String, String)> = Vec::new();
    let mut superseded: HashSet<String> = HashSet::new();
    let mut accepted: Vec<String> = Vec::new();
    for item in items {
        let v = &item.input;
        let id = v.id.to_string();
        let visit_id = v.visit_id.to_string();
        if known.contains_key(&id) {
            accepted.push(item.entry_id.to_string());
            results.push(Ok(()));
            continue;
        }
        let revision = match (current.get(&visit_id), v.supersedes) {
            (None, None) => Ok(1),
            (None, Some(_)) => Err(AppError::NotFound),
            (Some(_), None) => Err(AppError::Conflict {
                zh: "随访编号已存在".into(),
                en: "Visit id already used".into(),
                existing_id: None,
            }),
            (Some((_, resident, _)), Some(_)) if *resident != v.resident_id.to_string() => Err(AppError::field(
                "resident_id",
                "更正的随访属于另一位居民",
                "The corrected visit belongs to another resident",
            )),
            (Some((_, _, kind)), Some(_)) if kind != v.disease.code() => Err(other_disease()),
            (Some((rev, _, _)), Some(sup)) => {
                if known.get(&sup.to_string()) == Some(&visit_id) {
                    superseded.insert(visit_id.clone());
                    Ok(rev + 1)
                } else {
                    Err(AppError::field(
                        "supersedes",
                        "所更正的随访记录不存在",
                        "The revision being corrected does not exist",
                    ))
                }
            }
        };
        match revision {
            Ok(rev) => {
                current.insert(visit_id.clone(), (rev, v.resident_id.to_string(), v.disease.code().to_string()));
                known.insert(id, visit_id);
                let payload = serde_json::to_string(v).map_err(|e| AppError::internal("payload", e))?;
                let summary = summary_json(&VisitSummary::of_chronic(
                    v,
                    rev,
                    item.urgent,
                    &author.display_name,
                    recorded_at.clone(),
                ))?;
                rows.push((item, rev, payload, summary));
                accepted.push(item.entry_id.to_string());
                results.push(Ok(()));
            }
            Err(e) => results.push(Err(e)),
        }
    }
    // Corrections: the visits' earlier revisions stop being current before the new ones go in.
    let superseded: Vec<String> = superseded.into_iter().collect();
    for chunk in superseded.chunks(IN_CHUNK) {
        let sql = super::numbered(
            &tx,
            &format!("UPDATE visits SET is_current = 0 WHERE visit_id IN ({})", marks(chunk.len())),
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        q.execute(&mut *tx).await?;
    }
    // Within one run a visit may get several revisions: only its last one is current.
    let last_of: HashMap<String, usize> =
        rows.iter().enumerate().map(|(n, (item, _, _, _))| (item.input.visit_id.to_string(), n)).collect();
    for (n, chunk) in rows.chunks(IN_CHUNK).enumerate() {
        let row = format!("({})", marks(23));
        let sql = super::numbered(
            &tx,
            &format!(
                "INSERT INTO visits (id, visit_id, revision, supersedes, resident_id, village_id, kind, visit_date,
                 outcome, mode, sbp, dbp, classification, next_mgmt, next_visit_date, urgent, payload, is_current,
                 author_id, device_id, received_at, summary, fbg) VALUES {}",
                vec![row; chunk.len()].join(", ")
            ),
        );
        let mut q = sqlx::query(&sql);
        for (i, (item, rev, payload, summary)) in chunk.iter().enumerate() {
            let v = &item.input;
            let is_current = last_of.get(&v.visit_id.to_string()) == Some(&(n * IN_CHUNK + i));
            q = q
                .bind(v.id.to_string())
                .bind(v.visit_id.to_string())
                .bind(*rev)
                .bind(v.supersedes.map(|u| u.to_string()))
                .bind(v.resident_id.to_string())
                .bind(item.village_id.as_str())
                .bind(v.disease.code())
                .bind(v.visit_date.to_string())
                .bind(v.outcome as i64)
                .bind(v.mode.map(|x| x as i64))
                .bind(v.sbp.map(|x| x as i64))
                .bind(v.dbp.map(|x| x as i64))
                .bind(v.classification.map(|x| x as i64))
                .bind(v.next_mgmt.map(|x| x as i64))
                .bind(v.next_visit_date.map(|d| d.to_string()))
                .bind(item.urgent as i64)
                .bind(payload.as_str())
                .bind(is_current as i64)
                .bind(author.id.as_str())
                .bind(v.device_id.as_str())
                .bind(now)
                .bind(summary.as_str())
                .bind(v.fbg);
        }
        q.execute(&mut *tx).await?;
        let sql = super::numbered(
            &tx,
            &format!(
                "INSERT INTO changes (village_id, entity, entity_id, at) VALUES {}",
                vec!["(?, 'visit', ?, ?)"; chunk.len()].join(", ")
            ),
        );
        let mut q = sqlx::query(&sql);
        for (item, _, _, _) in chunk {
            q = q.bind(item.village_id.as_str()).bind(item.input.visit_id.to_string()).bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    for chunk in accepted.chunks(IN_CHUNK) {
        let sql = super::numbered(
            &tx,
            &format!(
                "INSERT INTO sync_entries (entry_id, user_id, device_id, at) VALUES {} ON CONFLICT (entry_id) DO NOTHING",
                vec!["(?, ?, ?, ?)"; chunk.len()].join(", ")
            ),
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.as_str()).bind(author.id.as_str()).bind(device_id).bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(results)
}
