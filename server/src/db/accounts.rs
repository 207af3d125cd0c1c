//! Residents' accounts: activation codes (hashed, single use, expiring) and activation, which creates or
//! resets the resident's login (username = ID number) and opens a session.

use super::auth::{open_session, token_hash};
use super::{get_str, SqlStore};
use app::auth::SessionUser;
use app::error::AppError;
use rand::Rng;

pub async fn issue(
    s: &SqlStore,
    resident_id: uuid::Uuid,
    issued_by: &str,
    now: i64,
    expires_at: i64,
) -> Result<String, AppError> {
    let digits = app::account::CODE_DIGITS as u32;
    let code = format!("{:0width$}", rand::thread_rng().gen_range(0..10u64.pow(digits)), width = digits as usize);
    let (_one, mut tx) = s.begin_write().await?;
    // A new code replaces the resident's earlier unused ones.
    sqlx::query("UPDATE activation_codes SET used_at = $1 WHERE resident_id = $2 AND used_at IS NULL")
        .bind(now)
        .bind(resident_id.to_string())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO activation_codes (id, resident_id, code_hash, issued_by, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(resident_id.to_string())
    .bind(token_hash(&format!("{resident_id}:{code}")))
    .bind(issued_by)
    .bind(now)
    .bind(expires_at)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(code)
}

pub async fn activate(
    s: &SqlStore,
    id_no: &str,
    code: &str,
    password: &str,
    now: i64,
) -> Result<Option<(String, SessionUser)>, AppError> {
    let id_hash = token_hash(id_no);
    let failures: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM activation_failures WHERE id_no_hash = $1 AND at > $2")
            .bind(&id_hash)
            .bind(now - app::account::FAILURE_WINDOW)
            .fetch_one(&s.pool)
            .await?;
    if failures >= app::account::MAX_FAILURES {
        return Err(AppError::TooManyRequests);
    }
    let hash = super::password::hash(password.to_string()).await?;
    let (one, mut tx) = s.begin_write().await?;
    let resident: Option<String> =
        sqlx::query_scalar("SELECT id FROM residents WHERE id_no = $1 AND status NOT IN (3, 4, 5)")
            .bind(id_no)
            .fetch_optional(&mut *tx)
            .await?;
    let found = match &resident {
        Some(rid) => {
            let row = sqlx::query(
                "SELECT id FROM activation_codes WHERE resident_id = $1 AND code_hash = $2 AND used_at IS NULL AND expires_at > $3",
            )
            .bind(rid)
            .bind(token_hash(&format!("{rid}:{code}")))
            .bind(now)
            .fetch_optional(&mut *tx)
            .await?;
            row.map(|r| get_str(&r, "id")).transpose()?
        }
        None => None,
    };
    let (Some(rid), Some(code_id)) = (resident, found) else {
        sqlx::query("INSERT INTO activation_failures (id_no_hash, at) VALUES ($1, $2)")
            .bind(&id_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(None);
    };
    sqlx::query("UPDATE activation_codes SET used_at = $1 WHERE id = $2")
        .bind(now)
        .bind(&code_id)
        .execute(&mut *tx)
        .await?;
    let existing = sqlx::query("SELECT id FROM users WHERE resident_id = $1 AND role = 'resident'")
        .bind(&rid)
        .fetch_optional(&mut *tx)
        .await?;
    let user_id = match existing {
        Some(r) => {
            let id = get_str(&r, "id")?;
            // Activating again resets the password and ends the old sessions (a lost phone, a forgotten password).
            sqlx::query("UPDATE users SET password_hash = $1, username = $2, active = 1 WHERE id = $3")
                .bind(&hash)
                .bind(id_no)
                .bind(&id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(&id).execute(&mut *tx).await?;
            id
        }
        None => {
            let id = uuid::Uuid::now_v7().to_string();
            let name: String =
                sqlx::query_scalar("SELECT name FROM residents WHERE id = $1").bind(&rid).fetch_one(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO users (id, username, password_hash, display_name, role, org_id, resident_id, active, created_at)
                 VALUES ($1, $2, $3, $4, 'resident', NULL, $5, 1, $6)",
            )
            .bind(&id)
            .bind(id_no)
            .bind(&hash)
            .bind(name)
            .bind(&rid)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    sqlx::query("DELETE FROM activation_failures WHERE id_no_hash = $1").bind(&id_hash).execute(&mut *tx).await?;
    let token = open_session(&mut tx, &user_id, now).await?;
    tx.commit().await?;
    drop(one);
    let user = super::auth::load_user(s, &user_id).await?.ok_or(AppError::Internal)?;
    Ok(Some((token, user)))
}
