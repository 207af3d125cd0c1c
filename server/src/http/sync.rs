//! The sync API, protocol v1 (docs/sync.md): `POST /api/sync/v1/push` and `POST /api/sync/v1/pull`.
//!
//! Plain axum routes beside the server functions. Each request is authenticated by the session cookie and
//! every entry goes through the same write path as the online forms (`save_resident_as`,
//! `record_htn_visit_as`): the same validation and the same scope checks.

use super::ApiError;
use crate::state::AppState;
use app::auth::server::token_from_headers;
use app::auth::SessionUser;
use app::error::AppError;
use app::resident::api::save_resident_as;
use app::sync::*;
use app::visit::api::record_htn_visits_as;
use app::visit::chronic::ChronicVisitInput;
use axum::extract::rejection::JsonRejection;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::{Json, Router};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/sync/v1/push", post(push)).route("/api/sync/v1/pull", post(pull))
}

async fn staff(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    let token = token_from_headers(headers).ok_or(AppError::Unauthorized)?;
    let user = state.store.session_user(&token, chrono::Utc::now().timestamp()).await?.ok_or(AppError::Unauthorized)?;
    if user.role.is_staff() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    b.map(|Json(v)| v).map_err(|e| AppError::BadRequest(e.body_text().chars().take(200).collect()))
}

fn check_protocol(p: u32) -> Result<(), AppError> {
    if p == PROTOCOL {
        Ok(())
    } else {
        Err(AppError::BadRequest(format!("unsupported sync protocol {p}; this server speaks {PROTOCOL}")))
    }
}

async fn push(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Result<Json<PushRequest>, JsonRejection>,
) -> Result<Json<PushResponse>, ApiError> {
    let user = staff(&state, &headers).await?;
    let req = body(req)?;
    check_protocol(req.protocol)?;
    if req.entries.len() > MAX_PUSH {
        return Err(AppError::BadRequest(format!("at most {MAX_PUSH} entries per push")).into());
    }
    let store = state.store.as_ref();
    let ids: Vec<uuid::Uuid> = req.entries.iter().map(|e| e.id).collect();
    let mut done = store.accepted_entries(&ids).await?;
    let mut outcome: HashMap<uuid::Uuid, EntryOutcome> = HashMap::with_capacity(ids.len());
    for id in &done {
        outcome.insert(*id, EntryOutcome::Duplicate);
    }
    // Runs of follow-ups go through the batched write path; a resident entry is written on its own, in order.
    let mut run: Vec<(uuid::Uuid, ChronicVisitInput)> = Vec::new();
    for entry in req.entries {
        if !done.insert(entry.id) {
            continue;
        }
        match entry.body {
            EntryBody::ChronicVisit(v) => run.push((entry.id, *v)),
            EntryBody::Resident(r) => {
                flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
                let o = match save_resident_as(store, &user, *r).await {
                    Ok(_) => {
                        store.record_entry(entry.id, &user.id, &req.device_id, chrono::Utc::now().timestamp()).await?;
                        EntryOutcome::Accepted
                    }
                    // A server fault is not the doctor's to correct: fail the request so the device retries it.
                    Err(AppError::Internal) => return Err(AppError::Internal.into()),
                    Err(error) => EntryOutcome::Rejected { error },
                };
                outcome.insert(entry.id, o);
            }
        }
    }
    flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
    let results = ids
        .into_iter()
        .map(|id| EntryResult { id, outcome: outcome.get(&id).cloned().unwrap_or(EntryOutcome::Duplicate) })
        .collect();
    Ok(Json(PushResponse { protocol: PROTOCOL, results }))
}

async fn flush_run(
    store: &dyn app::store::Store,
    user: &SessionUser,
    device_id: &str,
    run: &mut Vec<(uuid::Uuid, ChronicVisitInput)>,
    outcome: &mut HashMap<uuid::Uuid, EntryOutcome>,
) -> Result<(), AppError> {
    if run.is_empty() {
        return Ok(());
    }
    for (id, result) in record_htn_visits_as(store, user, device_id, std::mem::take(run)).await? {
        let o = match result {
            Ok(()) => EntryOutcome::Accepted,
            Err(AppError::Internal) => return Err(AppError::Internal),
            Err(error) => EntryOutcome::Rejected { error },
        };
        outcome.insert(id, o);
    }
    Ok(())
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Result<Json<PullRequest>, JsonRejection>,
) -> Result<axum::response::Response, ApiError> {
    let user = staff(&state, &headers).await?;
    let req = body(req)?;
    check_protocol(req.protocol)?;
    if req.cursor < 0 {
        return Err(AppError::BadRequest("the cursor cannot be negative".into()).into());
    }
    let limit = req.limit.unwrap_or(PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    let page = state.store.pull(&user.village_ids(), req.cursor, limit).await?;
    // A `PullResponse` written around changes that are JSON already (visits keep theirs from when they were
    // stored): the same bytes as serialising the typed response, without decoding each record again.
    let mut body = String::with_capacity(page.changes.iter().map(|c| c.len() + 1).sum::<usize>() + 80);
    body.push_str(&format!("{{\"protocol\":{PROTOCOL},\"changes\":["));
    for (i, c) in page.changes.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(c);
    }
    body.push_str(&format!("],\"next_cursor\":{},\"more\":{}}}", page.next_cursor, page.more));
    Ok(([(axum::http::header::CONTENT_TYPE, "application/json")], body).into_response())
}
