//! Plain HTTP routes beside the Leptos pages and server functions: health, the sync API, record photos,
//! exports, the service worker and the site's static files.

pub mod assets;
mod attachments;
pub mod export;
pub mod guard;
mod health;
mod service_worker;
mod sync;

use crate::state::AppState;
use app::error::AppError;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(service_worker::router())
        .merge(attachments::router())
        .merge(export::router())
        .merge(sync::router())
}

/// `AppError` as an HTTP response: its status and its JSON, the same body the server functions send.
/// Internal details were logged where the error was made; none is sent.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (status, Json(self.0)).into_response()
    }
}
