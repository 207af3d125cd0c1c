//! Writing the audit log from a request: who (the session's user), from which device (the `cunyi_device`
//! cookie the app sets, or a push's own device id) and which browser. Logging is part of the request: if the
//! row cannot be written the request fails, so no read goes unrecorded.

use super::{Actor, Event};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::store::Store;
use axum::http::HeaderMap;

/// The cookie the app sets to its device id, so every request (server functions too) names the phone.
pub const DEVICE_COOKIE: &str = "cunyi_device";
const CLIENT_CHARS: usize = 160;

/// A device id as sent by a client, kept only if it looks like one (it is shown to the county as text).
pub fn clean_device(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(64).collect()
}

/// Who acts, read from the request's headers; `device` overrides the cookie (a push names its device).
pub fn actor(user: &SessionUser, headers: &HeaderMap, device: Option<&str>) -> Actor {
    let device = device
        .map(clean_device)
        .or_else(|| crate::auth::server::cookie(headers, DEVICE_COOKIE).map(|d| clean_device(&d)))
        .unwrap_or_default();
    let client = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(CLIENT_CHARS)
        .collect();
    Actor {
        user_id: user.id.clone(),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        device,
        client,
    }
}

/// Logs what a server function did, for the request in context.
pub async fn log(user: &SessionUser, events: Vec<Event>) -> Result<(), AppError> {
    let headers = leptos::prelude::use_context::<axum::http::request::Parts>().map(|p| p.headers).unwrap_or_default();
    log_to(crate::auth::server::store()?.as_ref(), &actor(user, &headers, None), &events).await
}

/// Logs a read of one resident's record (or of one of its entries).
pub async fn read(
    user: &SessionUser,
    entity: &'static str,
    entity_id: impl ToString,
    resident: uuid::Uuid,
) -> Result<(), AppError> {
    log(user, vec![Event::on(super::Action::Read, entity, entity_id, resident)]).await
}

/// Logs a write to one resident's record.
pub async fn write(
    user: &SessionUser,
    entity: &'static str,
    entity_id: impl ToString,
    resident: uuid::Uuid,
) -> Result<(), AppError> {
    log(user, vec![Event::on(super::Action::Write, entity, entity_id, resident)]).await
}

pub async fn log_to(store: &dyn Store, actor: &Actor, events: &[Event]) -> Result<(), AppError> {
    if events.is_empty() {
        return Ok(());
    }
    store.audit(actor, events, chrono::Utc::now().timestamp()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_ids_keep_only_plain_characters() {
        assert_eq!(clean_device("0190a3c2-7b1e-7cc0-9f00-aa55aa55aa55"), "0190a3c2-7b1e-7cc0-9f00-aa55aa55aa55");
        assert_eq!(clean_device("<script>x</script>"), "scriptxscript");
        assert_eq!(clean_device(&"a".repeat(500)).len(), 64);
    }
}
