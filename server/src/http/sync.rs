//! The sync API, protocol v1 (docs/sync.md): `POST /api/sync/v1/push` and `POST /api/sync/v1/pull`.
//!
//! Plain axum routes beside the server functions. Each request is authenticated by the session cookie and
//! every entry goes through the same write path as the online forms (`save_resident_as`,
//! `record_htn_visit_as`): the same validation and the same scope checks. Residents pull their own record
//! (`resident_pull`) and push nothing.

use super::ApiError;
use crate::state::AppState;
use app::audit::{Action, Event};
use app::auth::server::token_from_headers;
use app::auth::SessionUser;
use app::error::AppError;
use app::record::api::{save_attachment_as, save_record_as};
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
    // A push may carry photos: it gets a larger body limit than the rest of the app (see `startup`).
    Router::new()
        .route("/api/sync/v1/push", post(push))
        .route("/api/sync/v1/pull", post(pull))
        .layer(axum::extract::DefaultBodyLimit::max(PUSH_BODY_LIMIT))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(PUSH_BODY_LIMIT))
}

async fn logged_in(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    let token = token_from_headers(headers).ok_or(AppError::Unauthorized)?;
    state.store.session_user(&token, chrono::Utc::now().timestamp()).await?.ok_or(AppError::Unauthorized)
}

async fn staff(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    let user = logged_in(state, headers).await?;
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
    // A disease report is stored first whatever its place in the batch (after the resident it is about).
    let mut run: Vec<(uuid::Uuid, ChronicVisitInput)> = Vec::new();
    let mut events: Vec<(uuid::Uuid, Event)> = Vec::with_capacity(req.entries.len());
    let order = app::sync::urgent_first(req.entries.iter().map(|e| &e.body));
    let mut slots: Vec<Option<PushEntry>> = req.entries.into_iter().map(Some).collect();
    for entry in order.into_iter().filter_map(|i| slots[i].take()) {
        if !done.insert(entry.id) {
            continue;
        }
        events.push((entry.id, audit_event(&entry.body)));
        match entry.body {
            EntryBody::ChronicVisit(v) => run.push((entry.id, *v)),
            EntryBody::Resident(r) => {
                flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
                let saved = save_resident_as(store, &user, *r).await;
                if saved.is_ok() {
                    store.record_entry(entry.id, &user.id, &req.device_id, chrono::Utc::now().timestamp()).await?;
                }
                outcome.insert(entry.id, entry_outcome(saved.map(|_| ()))?);
            }
            // Records and photos record their entry id inside their own transaction.
            EntryBody::Record(r) => {
                flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
                let w = written(entry.id, &user, &req.device_id);
                outcome.insert(entry.id, entry_outcome(save_record_as(store, &w, &r).await)?);
            }
            EntryBody::Attachment(a) => {
                flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
                let w = written(entry.id, &user, &req.device_id);
                outcome.insert(entry.id, entry_outcome(save_attachment_as(store, &w, &a).await)?);
            }
        }
    }
    flush_run(store, &user, &req.device_id, &mut run, &mut outcome).await?;
    // What was stored is logged (a rejected entry changed nothing; a duplicate was logged when it landed).
    let stored: Vec<Event> = events
        .into_iter()
        .filter(|(id, _)| matches!(outcome.get(id), Some(EntryOutcome::Accepted)))
        .map(|(_, e)| e)
        .collect();
    let actor = app::audit::server::actor(&user, &headers, Some(&req.device_id));
    app::audit::server::log_to(store, &actor, &stored).await?;
    let results = ids
        .into_iter()
        .map(|id| EntryResult { id, outcome: outcome.get(&id).cloned().unwrap_or(EntryOutcome::Duplicate) })
        .collect();
    Ok(Json(PushResponse { protocol: PROTOCOL, results }))
}

/// The audit row of a pushed entry.
fn audit_event(body: &EntryBody) -> Event {
    match body {
        EntryBody::Resident(r) => Event::on(Action::Write, "resident", r.id, r.id),
        EntryBody::ChronicVisit(v) => Event::on(Action::Write, "visit", v.visit_id, v.resident_id),
        EntryBody::Record(r) => Event::record(Action::Write, r),
        EntryBody::Attachment(a) => Event::in_village(Action::Write, "attachment", a.id, &a.village_id),
    }
}

fn written<'a>(entry_id: uuid::Uuid, user: &'a SessionUser, device_id: &'a str) -> app::store::Written<'a> {
    app::store::Written { entry_id, author: user, device_id, now: chrono::Utc::now().timestamp() }
}

/// An entry's answer; a server fault (a full disk included) is not the doctor's to correct: it fails the
/// request so the device sends the entry again.
fn entry_outcome(r: Result<(), AppError>) -> Result<EntryOutcome, AppError> {
    match r {
        Ok(()) => Ok(EntryOutcome::Accepted),
        Err(e @ (AppError::Internal | AppError::StorageFull)) => Err(e),
        Err(error) => Ok(EntryOutcome::Rejected { error }),
    }
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
        outcome.insert(id, entry_outcome(result)?);
    }
    Ok(())
}

async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    req: Result<Json<PullRequest>, JsonRejection>,
) -> Result<axum::response::Response, ApiError> {
    let user = logged_in(&state, &headers).await?;
    let req = body(req)?;
    check_protocol(req.protocol)?;
    if req.cursor < 0 {
        return Err(AppError::BadRequest("the cursor cannot be negative".into()).into());
    }
    let limit = req.limit.unwrap_or(PULL_PAGE).clamp(1, MAX_PULL_PAGE);
    // A resident's phone pulls their own record and linked children's, whole, read-only (no push).
    let page = match (user.role, user.resident_id.as_deref()) {
        (app::auth::Role::Resident, Some(id)) => {
            let id = uuid::Uuid::parse_str(id).map_err(|e| AppError::internal("resident id", e))?;
            state.store.resident_pull(id, req.cursor).await?
        }
        (app::auth::Role::Resident, None) => return Err(AppError::Forbidden.into()),
        _ => state.store.pull(&user.village_ids(), req.cursor, limit).await?,
    };
    // Every resident whose data the page carries to the phone is a read of that record.
    let read: Vec<Event> = page.residents.iter().map(|r| Event::on(Action::Read, "pull", r, *r)).collect();
    let actor = app::audit::server::actor(&user, &headers, None);
    app::audit::server::log_to(state.store.as_ref(), &actor, &read).await?;
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
