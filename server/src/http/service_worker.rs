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
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

pub fn router() -> Router<AppState> {
    Router::new().route("/sw.js", get(service_worker))
}

/// The worker's text per site directory, built once: the build output does not change under a running server.
static WORKERS: Mutex<BTreeMap<String, Option<String>>> = Mutex::new(BTreeMap::new());

/// The files the browser loads from `/pkg`: not their precompressed forms (the server picks those) nor the
/// TypeScript declarations wasm-bindgen writes beside them.
fn pkg_files(pkg: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(pkg)
        .map(|d| d.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.retain(|p| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        !(name.ends_with(".br") || name.ends_with(".gz") || name.ends_with(".d.ts"))
    });
    files.sort();
    files
}

/// A short hash of the built `/pkg` files (JS, WASM, CSS): the same build gives the same id on every server.
fn build_id(files: &[std::path::PathBuf]) -> String {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        h.update(std::fs::read(f).unwrap_or_default());
    }
    hex::encode(&h.finalize()[..6])
}

async fn service_worker(State(state): State<AppState>) -> Response {
    let o = &state.leptos_options;
    let worker = {
        let mut workers = WORKERS.lock().unwrap_or_else(|e| e.into_inner());
        workers.entry(o.site_root.to_string()).or_insert_with(|| worker(o)).clone()
    };
    match worker {
        Some(js) => {
            ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], js)
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "no service worker in this build").into_response(),
    }
}

/// `public/sw.js` with the build id and the list of `/pkg` files written in; `None` without a built site.
fn worker(o: &leptos::config::LeptosOptions) -> Option<String> {
    let root = Path::new(o.site_root.as_ref());
    let template = std::fs::read_to_string(root.join("sw.js")).ok()?;
    let files = pkg_files(&root.join(o.site_pkg_dir.as_ref()));
    let urls: Vec<String> = files
        .iter()
        .filter_map(|f| f.file_name())
        .map(|n| format!("/{}/{}", o.site_pkg_dir, n.to_string_lossy()))
        .collect();
    let urls = serde_json::to_string(&urls).ok()?;
    Some(template.replace("__CUNYI_BUILD__", &build_id(&files)).replace("__CUNYI_PKG__", &urls))
}
