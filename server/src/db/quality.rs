//! Reads for the data-quality checks (the visit facts of a period) and the verification sample: drawn at
//! random among seen visits of residents with a phone, then the caller's outcome.

use super::{get_i64, get_opt_str, get_str, SqlStore};
use app::error::AppError;
use app::quality::{CallOutcome, Verification, VisitFact};
use chrono::NaiveDate;
use sqlx::Row;
use uuid::Uuid;

pub async fn visit_facts(
    s: &SqlStore,
    villages: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<VisitFact>, AppError> {
    let sql = format!(
        r#"SELECT v.visit_id, v.resident_id, COALESCE(p.name, '') AS resident_name, o.name AS village_name, v.author_id,
                  COALESCE(u.display_name, '') AS author_name, v.kind, v.visit_date, v.mode, v.outcome, v.sbp, v.dbp, v.fbg,
                  CASE WHEN v.payload LIKE '%"signature":"%' THEN 1 ELSE 0 END AS signed
           FROM visits v JOIN org_units o ON o.id = v.village_id LEFT JOIN residents p ON p.id = v.resident_id
           LEFT JOIN users u ON u.id = v.author_id
           WHERE v.is_current = 1 AND v.village_id IN ({{ids}}) AND v.visit_date >= '{from}' AND v.visit_date <= '{to}'"#
    );
    let rows = super::fetch_in(&mut *s.pool.acquire().await?, &sql, villages).await?;
    rows.iter()
        .map(|r| {
            Ok(VisitFact {
                visit_id: super::get_uuid(r, "visit_id")?,
                resident_id: super::get_uuid(r, "resident_id")?,
                resident_name: get_str(r, "resident_name")?,
                village_name: get_str(r, "village_name")?,
                author_id: get_str(r, "author_id")?,
                author_name: get_str(r, "author_name")?,
                kind: get_str(r, "kind")?,
                date: super::parse_date(&get_str(r, "visit_date")?)?,
                mode: r.try_get::<Option<i64>, _>("mode")?.map(|m| m as u8),
                outcome: get_i64(r, "outcome")? as u8,
                sbp: r.try_get::<Option<i64>, _>("sbp")?.map(|x| x as i32),
                dbp: r.try_get::<Option<i64>, _>("dbp")?.map(|x| x as i32),
                fbg: r.try_get::<Option<f64>, _>("fbg")?,
                signed: get_i64(r, "signed")? != 0,
            })
        })
        .collect()
}

/// Draws up to `size` seen visits of the period not drawn before, at random, among residents with a phone.
pub async fn draw(
    s: &SqlStore,
    villages: &[String],
    from: NaiveDate,
    to: NaiveDate,
    size: u32,
    drawn_by: &str,
    now: i64,
) -> Result<usize, AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    let marks = super::marks(villages.len());
    let sql = super::numbered(
        &tx,
        &format!(
            "SELECT v.visit_id, v.village_id FROM visits v JOIN residents p ON p.id = v.resident_id
             WHERE v.is_current = 1 AND v.outcome = 1 AND v.mode IN (1, 2) AND v.village_id IN ({marks})
               AND v.visit_date >= ? AND v.visit_date <= ? AND p.phone IS NOT NULL AND p.phone <> ''
               AND NOT EXISTS (SELECT 1 FROM verifications x WHERE x.visit_id = v.visit_id)
             ORDER BY RANDOM() LIMIT {size}"
        ),
    );
    let mut q = sqlx::query(&sql);
    for v in villages {
        q = q.bind(v.clone());
    }
    let rows = q.bind(from.to_string()).bind(to.to_string()).fetch_all(&mut *tx).await?;
    for r in &rows {
        sqlx::query(
            "INSERT INTO verifications (id, visit_id, village_id, drawn_by, drawn_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(get_str(r, "visit_id")?)
        .bind(get_str(r, "village_id")?)
        .bind(drawn_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(rows.len())
}

pub async fn sample(
    s: &SqlStore,
    villages: &[String],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Verification>, AppError> {
    let sql = format!(
        "SELECT x.id, x.visit_id, x.outcome, x.note, COALESCE(p.name, '') AS resident_name, COALESCE(p.phone, '') AS phone,
                o.name AS village_name, COALESCE(u.display_name, '') AS author_name, v.visit_date, v.kind
         FROM verifications x JOIN visits v ON v.visit_id = x.visit_id AND v.is_current = 1
         JOIN org_units o ON o.id = x.village_id LEFT JOIN residents p ON p.id = v.resident_id
         LEFT JOIN users u ON u.id = v.author_id
         WHERE x.village_id IN ({{ids}}) AND v.visit_date >= '{from}' AND v.visit_date <= '{to}'
         ORDER BY x.drawn_at, x.id"
    );
    let rows = super::fetch_in(&mut *s.pool.acquire().await?, &sql, villages).await?;
    rows.iter()
        .map(|r| {
            Ok(Verification {
                id: super::get_uuid(r, "id")?,
                visit_id: super::get_uuid(r, "visit_id")?,
                resident_name: get_str(r, "resident_name")?,
                phone: get_str(r, "phone")?,
                village_name: get_str(r, "village_name")?,
                author_name: get_str(r, "author_name")?,
                date: super::parse_date(&get_str(r, "visit_date")?)?,
                kind: get_str(r, "kind")?,
                outcome: get_opt_str(r, "outcome")?.and_then(|o| CallOutcome::from_code(&o)),
                note: get_str(r, "note")?,
            })
        })
        .collect()
}

pub async fn verification_village(s: &SqlStore, id: Uuid) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT village_id FROM verifications WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&s.pool)
        .await?)
}

pub async fn record_call(
    s: &SqlStore,
    id: Uuid,
    outcome: CallOutcome,
    note: &str,
    user_id: &str,
    now: i64,
) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    sqlx::query("UPDATE verifications SET outcome = $1, note = $2, called_by = $3, called_at = $4 WHERE id = $5")
        .bind(outcome.code())
        .bind(note)
        .bind(user_id)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
