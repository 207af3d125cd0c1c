//! Server-side helpers every server function uses: the store handle, the session behind the request's
//! cookie, role and scope checks, and the HTTP status of an error.

use super::SessionUser;
use crate::error::AppError;
use crate::store::Store;
use leptos::prelude::*;
use std::sync::Arc;

pub const SESSION_COOKIE: &str = "cunyi_session";
/// Sessions last a working fortnight; a doctor offline for days must not be logged out mid-round.
pub const SESSION_DAYS: i64 = 14;

/// Sets the HTTP status of the current server-function response (no-op outside a request).
pub fn set_status(code: u16) {
    if let (Some(opts), Ok(status)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(code))
    {
        opts.set_status(status);
    }
}

/// Gives an error result its HTTP status; every server function ends with it.
pub fn finish<T>(r: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &r {
        set_status(e.status_code());
    }
    r
}

pub fn store() -> Result<Arc<dyn Store>, AppError> {
    use_context::<Arc<dyn Store>>().ok_or_else(|| AppError::internal("context", "no store in context"))
}

/// Sets the HttpOnly session cookie of a new session on the response.
pub fn set_session_cookie(token: &str) {
    let cookie = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}", SESSION_DAYS * 86_400);
    if let (Some(opts), Ok(v)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::HeaderValue::from_str(&cookie))
    {
        opts.insert_header(axum::http::header::SET_COOKIE, v);
    }
}

/// The session token from the request's cookie header, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    token_from_headers(&parts.headers)
}

pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<String> {
    cookie(headers, SESSION_COOKIE).filter(|v| !v.is_empty())
}

/// One cookie's value from a request's headers.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The logged-in user, or None.
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let Some(token) = session_token() else { return Ok(None) };
    store()?.session_user(&token, chrono::Utc::now().timestamp()).await
}

/// The logged-in user, or 401.
pub async fn require_user() -> Result<SessionUser, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// A staff member (doctor, manager, admin), or 401/403.
pub async fn require_staff() -> Result<SessionUser, AppError> {
    let u = require_user().await?;
    if u.role.is_staff() {
        Ok(u)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Checks that a record kept in `village_id` is in the user's scope.
pub fn check_village(user: &SessionUser, village_id: &str) -> Result<(), AppError> {
    if user.can_access_village(village_id) {
        Ok(())
    } else {
        tracing::warn!(user = %user.username, village_id, "out-of-scope access refused");
        Err(AppError::Forbidden)
    }
}
