//! The audit log in the database: appending rows (many per statement: a pull logs one per resident it
//! carried) and the county administrator's search, scoped to the county's villages.

use super::{get_i64, get_opt_str, get_str, marks, numbered, SqlStore};
use app::audit::{Action, Actor, AuditPage, AuditQuery, AuditRow, Event};
use app::auth::Role;
use app::error::AppError;

const COLUMNS: usize = 13;
/// Rows per insert statement (13 parameters each, well under both databases' limits).
const ROWS_PER_INSERT: usize = 200;

pub async fn append(s: &SqlStore, actor: &Actor, events: &[Event], now: i64) -> Result<(), AppError> {
    // SQLite has one writer: queue behind this process's other writes instead of meeting them as "busy".
    let _one = if s.postgres { None } else { Some(s.writer.clone().lock_owned().await) };
    let mut tx = s.pool.begin().await?;
    for chunk in events.chunks(ROWS_PER_INSERT) {
        let row = format!("({})", marks(COLUMNS));
        let sql = numbered(
            &tx,
            &format!(
                "INSERT INTO audit_log (at, user_id, username, display_name, role, action, entity, entity_id,
                     resident_id, org_id, detail, device, client) VALUES {}",
                vec![row; chunk.len()].join(", ")
            ),
        );
        let mut q = sqlx::query(&sql);
        for e in chunk {
            q = q
                .bind(now)
                .bind(actor.user_id.clone())
                .bind(actor.username.clone())
                .bind(actor.display_name.clone())
                .bind(actor.role.code())
                .bind(e.action.code())
                .bind(e.entity)
                .bind(e.entity_id.clone())
                .bind(e.resident_id.map(|r| r.to_string()))
                .bind(e.org_id.clone())
                .bind(e.detail.chars().take(500).collect::<String>())
                .bind(actor.device.clone())
                .bind(actor.client.clone());
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

pub async fn search(s: &SqlStore, villages: &[String], q: &AuditQuery, limit: usize) -> Result<AuditPage, AppError> {
    if villages.is_empty() {
        return Ok(AuditPage::default());
    }
    let m = marks(villages.len());
    let mut sql = format!(
        "SELECT a.id, a.at, a.username, a.display_name, a.role, a.action, a.entity, a.entity_id, a.resident_id,
                r.name AS resident_name, a.detail, a.device, a.client
         FROM audit_log a LEFT JOIN residents r ON r.id = a.resident_id
         WHERE (r.village_id IN ({m}) OR (a.resident_id IS NULL AND (
                a.org_id IN ({m})
                OR a.org_id IN (SELECT parent_id FROM org_units WHERE id IN ({m}))
                OR a.org_id IN (SELECT t.parent_id FROM org_units t JOIN org_units v ON v.parent_id = t.id
                                WHERE v.id IN ({m})))))"
    );
    let resident = q.resident.trim().to_uppercase();
    if !resident.is_empty() {
        sql.push_str(
            " AND a.resident_id IN (SELECT id FROM residents WHERE LOWER(id) = LOWER(?) OR id_no = ? OR record_no = ?)",
        );
    }
    let username = q.username.trim();
    if !username.is_empty() {
        sql.push_str(" AND a.username = ?");
    }
    if q.action.is_some() {
        sql.push_str(" AND a.action = ?");
    }
    let (from, to) = app::audit::day_bounds(q);
    if from.is_some() {
        sql.push_str(" AND a.at >= ?");
    }
    if to.is_some() {
        sql.push_str(" AND a.at < ?");
    }
    if q.before.is_some() {
        sql.push_str(" AND a.id < ?");
    }
    sql.push_str(" ORDER BY a.id DESC LIMIT ?");
    let mut conn = s.pool.acquire().await?;
    let sql = numbered(&conn, &sql);
    let mut query = sqlx::query(&sql);
    for _ in 0..4 {
        for v in villages {
            query = query.bind(v.clone());
        }
    }
    if !resident.is_empty() {
        query = query.bind(resident.clone()).bind(resident.clone()).bind(resident.clone());
    }
    if !username.is_empty() {
        query = query.bind(username.to_string());
    }
    if let Some(a) = q.action {
        query = query.bind(a.code());
    }
    for t in [from, to, q.before].into_iter().flatten() {
        query = query.bind(t);
    }
    let rows = query.bind((limit + 1) as i64).fetch_all(&mut *conn).await?;
    let more = rows.len() > limit;
    let rows = rows
        .iter()
        .take(limit)
        .map(|r| {
            Ok(AuditRow {
                id: get_i64(r, "id")?,
                at: get_i64(r, "at")?,
                username: get_str(r, "username")?,
                display_name: get_str(r, "display_name")?,
                role: Role::from_code(&get_str(r, "role")?).ok_or_else(|| AppError::internal("role", "unknown"))?,
                action: Action::from_code(&get_str(r, "action")?)
                    .ok_or_else(|| AppError::internal("audit action", "unknown"))?,
                entity: get_str(r, "entity")?,
                entity_id: get_opt_str(r, "entity_id")?,
                resident_id: get_opt_str(r, "resident_id")?,
                resident_name: get_opt_str(r, "resident_name")?,
                detail: get_str(r, "detail")?,
                device: get_str(r, "device")?,
                client: get_str(r, "client")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(AuditPage { rows, more })
}
