//! The store of the township and county views: the hierarchy, indicator rollups and their freshness (the
//! change log's newest seq per village), populations, targets, published snapshots and doctors' work.

use super::{fetch_in, get_i64, get_str, SqlStore};
use app::error::AppError;
use app::indicator::report::{DoctorWork, OrgUnit, Rollup, Snapshot};
use app::indicator::Counts;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

pub async fn org_units(s: &SqlStore) -> Result<Vec<OrgUnit>, AppError> {
    let mut conn = s.pool.acquire().await?;
    let sql = super::json_rows(&conn, "id, parent_id, level, code, name", "FROM org_units");
    let rows: Vec<(String, Option<String>, String, String, String)> =
        super::fetch_json(&mut conn, sqlx::query(&sql)).await?;
    Ok(rows
        .into_iter()
        .map(|(id, parent_id, level, code, name)| OrgUnit { id, parent_id, level, code, name })
        .collect())
}

/// The newest change of each village: one index seek per village on `changes_village_seq`. (A grouped
/// `MAX(seq) … GROUP BY village_id` reads every change of the villages instead: 1.2 s per 500 villages at
/// 2.4 million changes, against milliseconds for the correlated form, which SQLite answers from the index.)
pub async fn change_seqs(s: &SqlStore, villages: &[String]) -> Result<HashMap<String, i64>, AppError> {
    let rows = fetch_in(
        &mut *s.pool.acquire().await?,
        "SELECT o.id AS village_id, (SELECT MAX(c.seq) FROM changes c WHERE c.village_id = o.id) AS seq
         FROM org_units o WHERE o.id IN ({ids})",
        villages,
    )
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in &rows {
        if let Some(seq) = r.try_get::<Option<i64>, _>("seq")? {
            out.insert(get_str(r, "village_id")?, seq);
        }
    }
    Ok(out)
}

pub async fn rollups(s: &SqlStore, org_ids: &[String], periods: &[String]) -> Result<Vec<Rollup>, AppError> {
    if periods.is_empty() {
        return Ok(vec![]);
    }
    let mut conn = s.pool.acquire().await?;
    let mut out = Vec::new();
    for chunk in org_ids.chunks(super::IN_CHUNK) {
        let sql = super::json_rows(
            &conn,
            "org_id, period, seq, json(counts)",
            &format!(
                "FROM rollups WHERE org_id IN ({}) AND period IN ({})",
                super::marks(chunk.len()),
                super::marks(periods.len())
            ),
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        for p in periods {
            q = q.bind(p);
        }
        let rows: Vec<(String, String, i64, Counts)> = super::fetch_json(&mut conn, q).await?;
        out.extend(rows.into_iter().map(|(org_id, period, seq, counts)| Rollup { org_id, period, seq, counts }));
    }
    Ok(out)
}

/// Rollups are derived data: each row replaces the last; rows found fresh only get the new stamp (no
/// rewrite of their counters), by period and in chunks of units.
pub async fn save_rollups(
    s: &SqlStore,
    rows: &[Rollup],
    restamp: &[(String, String)],
    seq: i64,
    now: i64,
) -> Result<(), AppError> {
    if rows.is_empty() && restamp.is_empty() {
        return Ok(());
    }
    let (_one, mut tx) = s.begin_write().await?;
    let mut by_period: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (org, period) in restamp {
        by_period.entry(period.as_str()).or_default().push(org.as_str());
    }
    for (period, orgs) in by_period {
        for chunk in orgs.chunks(super::IN_CHUNK) {
            let sql = super::numbered(
                &tx,
                &format!("UPDATE rollups SET seq = ? WHERE period = ? AND org_id IN ({})", super::marks(chunk.len())),
            );
            let mut q = sqlx::query(&sql).bind(seq).bind(period.to_string());
            for o in chunk {
                q = q.bind(o.to_string());
            }
            q.execute(&mut *tx).await?;
        }
    }
    for chunk in rows.chunks(100) {
        let values = vec!["(?, ?, ?, ?, ?)"; chunk.len()].join(", ");
        let sql = super::numbered(
            &tx,
            &format!(
                "INSERT INTO rollups (org_id, period, seq, counts, computed_at) VALUES {values}
                 ON CONFLICT (org_id, period) DO UPDATE SET seq = excluded.seq, counts = excluded.counts,
                 computed_at = excluded.computed_at"
            ),
        );
        let mut q = sqlx::query(&sql);
        for r in chunk {
            let counts = serde_json::to_string(&r.counts).map_err(|e| AppError::internal("counts", e))?;
            q = q.bind(r.org_id.clone()).bind(r.period.clone()).bind(r.seq).bind(counts).bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn record_views(
    s: &SqlStore,
    villages: &[String],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<(Uuid, NaiveDate)>, AppError> {
    let sql = format!(
        "SELECT resident_id, day FROM record_views WHERE village_id IN ({{ids}}) AND day >= '{start}' AND day <= '{end}'"
    );
    let rows = fetch_in(&mut *s.pool.acquire().await?, &sql, villages).await?;
    rows.iter().map(|r| Ok((super::get_uuid(r, "resident_id")?, super::parse_date(&get_str(r, "day")?)?))).collect()
}

pub async fn populations(s: &SqlStore, year: i32) -> Result<HashMap<String, u64>, AppError> {
    let rows = sqlx::query("SELECT org_id, population FROM populations WHERE year = $1")
        .bind(year as i64)
        .fetch_all(&s.pool)
        .await?;
    rows.iter().map(|r| Ok((get_str(r, "org_id")?, get_i64(r, "population")?.max(0) as u64))).collect()
}

pub async fn targets(s: &SqlStore, county_id: &str, year: i32) -> Result<BTreeMap<String, f64>, AppError> {
    let rows = sqlx::query("SELECT indicator, target FROM targets WHERE county_id = $1 AND year = $2")
        .bind(county_id)
        .bind(year as i64)
        .fetch_all(&s.pool)
        .await?;
    rows.iter().map(|r| Ok((get_str(r, "indicator")?, r.try_get::<f64, _>("target")?))).collect()
}

pub async fn set_target(
    s: &SqlStore,
    county_id: &str,
    year: i32,
    indicator: &str,
    target: Option<f64>,
) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    sqlx::query("DELETE FROM targets WHERE county_id = $1 AND year = $2 AND indicator = $3")
        .bind(county_id)
        .bind(year as i64)
        .bind(indicator)
        .execute(&mut *tx)
        .await?;
    if let Some(t) = target {
        sqlx::query("INSERT INTO targets (county_id, year, indicator, target) VALUES ($1, $2, $3, $4)")
            .bind(county_id)
            .bind(year as i64)
            .bind(indicator)
            .bind(t)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn snapshots(s: &SqlStore, villages: &[String], period: &str) -> Result<Vec<Snapshot>, AppError> {
    let sql = "SELECT org_id, period, counts, population, published_by, published_at FROM snapshots
               WHERE period = '{period}' AND org_id IN ({ids})";
    // The period is a key `Period::key` printed (digits, '-', 'Q', '~'), never user text.
    if !period.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | 'Q' | '~')) {
        return Err(AppError::internal("period key", period));
    }
    let rows = fetch_in(&mut *s.pool.acquire().await?, &sql.replace("{period}", period), villages).await?;
    rows.iter()
        .map(|r| {
            Ok(Snapshot {
                org_id: get_str(r, "org_id")?,
                period: get_str(r, "period")?,
                counts: serde_json::from_str(&get_str(r, "counts")?).map_err(|e| AppError::internal("counts", e))?,
                population: r.try_get::<Option<i64>, _>("population")?.map(|p| p.max(0) as u64),
                published_by: get_str(r, "published_by")?,
                published_at: get_i64(r, "published_at")?,
            })
        })
        .collect()
}

pub async fn publish(s: &SqlStore, rows: &[Snapshot]) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    for r in rows {
        let counts = serde_json::to_string(&r.counts).map_err(|e| AppError::internal("counts", e))?;
        sqlx::query(
            "INSERT INTO snapshots (org_id, period, counts, population, published_by, published_at)
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (org_id, period) DO NOTHING",
        )
        .bind(&r.org_id)
        .bind(&r.period)
        .bind(counts)
        .bind(r.population.map(|p| p as i64))
        .bind(&r.published_by)
        .bind(r.published_at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn doctor_work(
    s: &SqlStore,
    villages: &[String],
    start: NaiveDate,
    end: NaiveDate,
) -> Result<Vec<DoctorWork>, AppError> {
    let sql = format!(
        "SELECT u.id, u.display_name,
           (SELECT COUNT(*) FROM visits v WHERE v.author_id = u.id AND v.is_current = 1 AND v.village_id IN ({{ids}})
              AND v.visit_date >= '{start}' AND v.visit_date <= '{end}') AS visits,
           (SELECT COUNT(*) FROM records r WHERE r.author_id = u.id AND r.is_current = 1 AND r.village_id IN ({{ids}})
              AND r.service_date >= '{start}' AND r.service_date <= '{end}') AS records
         FROM users u WHERE u.role = 'village_doctor' AND u.id IN
           (SELECT user_id FROM user_villages WHERE village_id IN ({{ids}}))
         ORDER BY u.display_name"
    );
    // The same ids fill each of the three lists.
    let mut conn = s.pool.acquire().await?;
    let mut out = Vec::new();
    for chunk in villages.chunks(super::IN_CHUNK / 3) {
        let marks = super::marks(chunk.len());
        let q = super::numbered(&conn, &sql.replace("{ids}", &marks));
        let mut query = sqlx::query(&q);
        for _ in 0..3 {
            for v in chunk {
                query = query.bind(v);
            }
        }
        for r in query.fetch_all(&mut *conn).await? {
            out.push(DoctorWork {
                user_id: get_str(&r, "id")?,
                name: get_str(&r, "display_name")?,
                visits: get_i64(&r, "visits")?.max(0) as u64,
                records: get_i64(&r, "records")?.max(0) as u64,
            });
        }
    }
    Ok(out)
}
