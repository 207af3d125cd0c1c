//! Logins, sessions, the resolution of a user's scope (the villages they may work in) and the server's copy
//! of each phone's data key.

use super::{get_i64, get_opt_str, get_str, SqlStore};
use app::auth::{Role, SessionUser, Village};
use app::error::AppError;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Failed logins allowed per username within `FAILURE_WINDOW` seconds before logins are refused.
const MAX_FAILURES: i64 = 10;
const FAILURE_WINDOW: i64 = 15 * 60;

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub async fn login(
    s: &SqlStore,
    username: &str,
    password: &str,
    now: i64,
) -> Result<Option<(String, SessionUser)>, AppError> {
    let failures = sqlx::query("SELECT COUNT(*) AS n FROM login_failures WHERE username = $1 AND at > $2")
        .bind(username)
        .bind(now - FAILURE_WINDOW)
        .fetch_one(&s.pool)
        .await?;
    if get_i64(&failures, "n")? >= MAX_FAILURES {
        return Err(AppError::TooManyRequests);
    }
    let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&s.pool)
        .await?;
    // Verify against a fixed hash for unknown users too, so response time does not reveal which names exist.
    let (user_id, hash, active) = match &row {
        Some(r) => (Some(get_str(r, "id")?), get_str(r, "password_hash")?, get_i64(r, "active")? == 1),
        None => (None, DUMMY_HASH.to_string(), false),
    };
    let ok = super::password::verify(password.to_string(), hash).await?;
    let Some(user_id) = user_id.filter(|_| ok && active) else {
        sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
            .bind(username)
            .bind(now)
            .execute(&s.pool)
            .await?;
        return Ok(None);
    };
    let _gate = s.write_gate.read().await;
    let (_one_writer, mut tx) = s.begin_write().await?;
    sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&mut *tx).await?;
    let token = open_session(&mut tx, &user_id, now).await?;
    tx.commit().await?;
    let user = load_user(s, &user_id).await?.ok_or(AppError::Internal)?;
    Ok(Some((token, user)))
}

/// Opens a session for `user_id` (dropping its expired ones); returns the token, which is stored hashed only.
pub async fn open_session(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user_id: &str,
    now: i64,
) -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
        .bind(user_id)
        .bind(now)
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(now)
        .bind(now + app::auth::server::SESSION_DAYS * 86_400)
        .execute(&mut **tx)
        .await?;
    Ok(token)
}

/// An Argon2id hash of a random string, used only to spend the same time on unknown usernames.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jq1mBFl3V2bn7Wq3sS0qkq8uTnGAyBSr9J4Ra8p2iO0";

pub async fn session_user(s: &SqlStore, token: &str, now: i64) -> Result<Option<SessionUser>, AppError> {
    let row = sqlx::query(
        "SELECT u.id FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(&s.pool)
    .await?;
    match row {
        Some(r) => load_user(s, &get_str(&r, "id")?).await,
        None => Ok(None),
    }
}

pub async fn logout(s: &SqlStore, token: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash(token)).execute(&s.pool).await?;
    Ok(())
}

const VILLAGE_COLUMNS: &str =
    "v.id, v.code, v.name, t.name AS township_name FROM org_units v JOIN org_units t ON t.id = v.parent_id";

fn village_rows(rows: Vec<sqlx::any::AnyRow>) -> Result<Vec<Village>, AppError> {
    rows.iter()
        .map(|r| {
            Ok(Village {
                id: get_str(r, "id")?,
                code: get_str(r, "code")?,
                name: get_str(r, "name")?,
                township_name: get_str(r, "township_name")?,
            })
        })
        .collect()
}

/// A user with their role and the villages in their scope.
pub async fn load_user(s: &SqlStore, user_id: &str) -> Result<Option<SessionUser>, AppError> {
    let Some(u) = sqlx::query(
        "SELECT u.id, u.username, u.display_name, u.role, u.org_id, u.resident_id, o.name AS org_name
         FROM users u LEFT JOIN org_units o ON o.id = u.org_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&s.pool)
    .await?
    else {
        return Ok(None);
    };
    let role = Role::from_code(&get_str(&u, "role")?).ok_or_else(|| AppError::internal("role", "unknown role"))?;
    let org_id = get_opt_str(&u, "org_id")?.unwrap_or_default();
    let rows = match role {
        Role::VillageDoctor => {
            sqlx::query(&format!("SELECT {VILLAGE_COLUMNS} JOIN user_villages uv ON uv.village_id = v.id WHERE uv.user_id = $1 ORDER BY v.code"))
                .bind(user_id)
                .fetch_all(&s.pool)
                .await?
        }
        Role::TownshipManager => {
            sqlx::query(&format!("SELECT {VILLAGE_COLUMNS} WHERE v.parent_id = $1 ORDER BY v.code")).bind(&org_id).fetch_all(&s.pool).await?
        }
        Role::CountyAdmin => {
            sqlx::query(&format!("SELECT {VILLAGE_COLUMNS} WHERE t.parent_id = $1 ORDER BY v.code")).bind(&org_id).fetch_all(&s.pool).await?
        }
        Role::Resident => vec![],
    };
    let villages = village_rows(rows)?;
    let org_name = match role {
        Role::VillageDoctor => villages.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join("、"),
        _ => get_opt_str(&u, "org_name")?.unwrap_or_default(),
    };
    Ok(Some(SessionUser {
        id: get_str(&u, "id")?,
        username: get_str(&u, "username")?,
        display_name: get_str(&u, "display_name")?,
        role,
        org_name,
        villages,
        resident_id: get_opt_str(&u, "resident_id")?,
    }))
}

pub async fn save_device_key(
    s: &SqlStore,
    user_id: &str,
    device_id: &str,
    key: &[u8],
    now: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO device_keys (user_id, device_id, key, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id, device_id) DO UPDATE SET key = excluded.key, created_at = excluded.created_at",
    )
    .bind(user_id)
    .bind(device_id)
    .bind(key.to_vec())
    .bind(now)
    .execute(&s.pool)
    .await?;
    Ok(())
}

pub async fn device_key(s: &SqlStore, user_id: &str, device_id: &str) -> Result<Option<Vec<u8>>, AppError> {
    let row = sqlx::query("SELECT key FROM device_keys WHERE user_id = $1 AND device_id = $2")
        .bind(user_id)
        .bind(device_id)
        .fetch_optional(&s.pool)
        .await?;
    row.map(|r| sqlx::Row::try_get::<Vec<u8>, _>(&r, "key").map_err(AppError::from)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_parses_so_unknown_users_cost_a_real_verification() {
        assert!(argon2::password_hash::PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn tokens_are_stored_as_sha256_hex() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }
}
