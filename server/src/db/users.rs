//! Accounts as the county administrator manages them: the staff of a set of villages, where an account
//! works, and switching it off (its sessions go with it) or on.

use super::{get_i64, get_str, SqlStore};
use app::auth::Role;
use app::error::AppError;
use app::users::UserRow;

pub async fn users_in(s: &SqlStore, villages: &[String]) -> Result<Vec<UserRow>, AppError> {
    if villages.is_empty() {
        return Ok(vec![]);
    }
    let mut conn = s.pool.acquire().await?;
    let m = super::marks(villages.len());
    let sql = super::numbered(
        &conn,
        &format!(
            // A manager's or administrator's place is their unit; a doctor's, their (first) village.
            "SELECT u.id, u.username, u.display_name, u.role, u.active,
                    COALESCE(o.name, (SELECT MIN(v.name) FROM user_villages uv JOIN org_units v ON v.id = uv.village_id
                                      WHERE uv.user_id = u.id)) AS place
             FROM users u LEFT JOIN org_units o ON o.id = u.org_id
             WHERE u.role <> 'resident' AND (
                 u.id IN (SELECT user_id FROM user_villages WHERE village_id IN ({m}))
                 OR u.org_id IN (SELECT parent_id FROM org_units WHERE id IN ({m}))
                 OR u.org_id IN (SELECT t.parent_id FROM org_units t JOIN org_units v ON v.parent_id = t.id WHERE v.id IN ({m})))
             ORDER BY u.role, u.username"
        ),
    );
    let mut q = sqlx::query(&sql);
    for _ in 0..3 {
        for v in villages {
            q = q.bind(v.clone());
        }
    }
    q.fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok(UserRow {
                id: get_str(r, "id")?,
                username: get_str(r, "username")?,
                display_name: get_str(r, "display_name")?,
                role: Role::from_code(&get_str(r, "role")?).ok_or_else(|| AppError::internal("role", "unknown"))?,
                place: super::get_opt_str(r, "place")?.unwrap_or_default(),
                active: get_i64(r, "active")? == 1,
            })
        })
        .collect()
}

pub async fn account_villages(s: &SqlStore, user_id: &str) -> Result<Option<Vec<String>>, AppError> {
    let Some(row) = sqlx::query("SELECT role, org_id, resident_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&s.pool)
        .await?
    else {
        return Ok(None);
    };
    let role = get_str(&row, "role")?;
    let org = super::get_opt_str(&row, "org_id")?;
    let resident = super::get_opt_str(&row, "resident_id")?;
    let (sql, key) = match role.as_str() {
        "village_doctor" => {
            ("SELECT village_id AS id FROM user_villages WHERE user_id = $1", Some(user_id.to_string()))
        }
        "township_manager" => ("SELECT id FROM org_units WHERE parent_id = $1", org),
        "county_admin" => {
            ("SELECT v.id FROM org_units v JOIN org_units t ON t.id = v.parent_id WHERE t.parent_id = $1", org)
        }
        _ => ("SELECT village_id AS id FROM residents WHERE id = $1", resident),
    };
    let Some(key) = key else { return Ok(Some(vec![])) };
    let rows = sqlx::query(sql).bind(key).fetch_all(&s.pool).await?;
    Ok(Some(rows.iter().map(|r| get_str(r, "id")).collect::<Result<_, _>>()?))
}

pub async fn set_active(s: &SqlStore, user_id: &str, active: bool) -> Result<(), AppError> {
    let (_one, mut tx) = s.begin_write().await?;
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
        .bind(active as i64)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if !active {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}
