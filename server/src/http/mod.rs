//! Plain HTTP routes beside the Leptos pages and server functions (health now; the sync API next).

mod health;

use crate::state::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new().merge(health::router())
}
