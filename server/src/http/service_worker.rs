//! `GET /sw.js`: the service worker with the build's id written in, so each build caches its app shell under
//! its own name. A new build therefore installs a new worker, which precaches the new shell completely before
//! it takes over and deletes the old cache; the device's data (IndexedDB) is never part of any cache.

use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

pub fn router() -> Router<AppState> {
    Router::new().route("/sw.js", get(service_worker))
}

/// The worker's text, built once per process: the build output does not change under a running server.
static WORKER: OnceLock<Option<String>> = OnceLock::new();

/// A short hash of the built `/pkg` files (JS, WASM, CSS): the same build gives the same id on every server.
fn build_id(pkg: &Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(pkg).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    files.sort();
    let mut h = Sha256::new();
    for f in files {
        h.update(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(&h.finalize()[..6])
}

async fn service_worker(State(state): State<AppState>) -> Response {
    let worker = WORKER.get_or_init(|| {
        let o = &state.leptos_options;
        let root = Path::new(o.site_root.as_ref());
        let template = std::fs::read_to_string(root.join("sw.js")).ok()?;
        let pkg = root.join(o.site_pkg_dir.as_ref());
        Some(template.replace("__CUNYI_BUILD__", &build_id(&pkg)).replace("__CUNYI_NAME__", o.output_name.as_ref()))
    });
    match worker {
        Some(js) => (
            [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")],
            js.clone(),
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no service worker in this build").into_response(),
    }
}
