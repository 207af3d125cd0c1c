//! `GET /api/attachments/{id}`: a record's photo, for staff whose villages hold it. Private and cached: a photo
//! never changes once stored.

use super::ApiError;
use crate::state::AppState;
use app::auth::server::token_from_headers;
use app::error::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/attachments/{id}", get(photo))
}

async fn photo(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let token = token_from_headers(&headers).ok_or(AppError::Unauthorized)?;
    let user = state.store.session_user(&token, chrono::Utc::now().timestamp()).await?.ok_or(AppError::Unauthorized)?;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden.into());
    }
    let id = uuid::Uuid::parse_str(&id).map_err(|_| AppError::NotFound)?;
    let (village, mime, bytes) = state.store.attachment(id).await?.ok_or(AppError::NotFound)?;
    app::auth::server::check_village(&user, &village)?;
    let actor = app::audit::server::actor(&user, &headers, None);
    let event = app::audit::Event::in_village(app::audit::Action::Read, "attachment", id, &village);
    app::audit::server::log_to(state.store.as_ref(), &actor, &[event]).await?;
    let mime = HeaderValue::from_str(&mime).map_err(|e| AppError::internal("mime", e))?;
    Ok((
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=31536000, immutable")),
        ],
        bytes,
    )
        .into_response())
}
