//! The built site's static files (`target/site`): the JS, WASM and CSS under `/pkg`, icons, the manifest.
//!
//! A release build writes each file's Brotli and gzip forms beside it (`cargo leptos build --precompress`);
//! they are sent with the matching `Content-Encoding` to a browser that accepts them, so a phone on a weak
//! network downloads about a quarter of the WASM. Files under `/pkg` carry the build's hash in their name
//! (`cunyi.<hash>.wasm`) and the WASM and CSS are cached for a year; the small JS files and everything else
//! are revalidated on every use. A path with
//! no file falls through to the app's own "not found" page.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::ServeDir;

/// Hashed files never change under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (icons, manifest, unhashed debug builds) is checked with the server each time.
const REVALIDATE: &str = "no-cache";

/// The router's fallback: a file of the site, or the app's "not found" page.
pub async fn file_or_not_found(State(state): State<AppState>, req: Request<Body>) -> Response {
    let options = &state.leptos_options;
    let path = req.uri().path().to_owned();
    let head = Request::builder().method(req.method()).uri(req.uri()).body(Body::empty());
    let files = ServeDir::new(options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false);
    let res = match files.oneshot(req).await {
        Ok(res) => res.map(Body::new),
        Err(e) => match e {},
    };
    if res.status() == StatusCode::NOT_FOUND || res.status() == StatusCode::METHOD_NOT_ALLOWED {
        let Ok(head) = head else { return StatusCode::NOT_FOUND.into_response() };
        return not_found(state, head).await;
    }
    with_cache_policy(res, &path, options.hash_files, options.site_pkg_dir.as_ref())
}

fn with_cache_policy(mut res: Response, path: &str, hashed: bool, pkg_dir: &str) -> Response {
    let in_pkg = path.strip_prefix('/').is_some_and(|p| p.starts_with(pkg_dir) && p[pkg_dir.len()..].starts_with('/'));
    // The main JS keeps the name it had before cargo-leptos rewrote the split loader's name into it, so the
    // same name can carry another build's import: the small JS files are revalidated, the rest is immutable.
    let immutable = hashed && in_pkg && !path.ends_with(".js");
    let value = if immutable { IMMUTABLE } else { REVALIDATE };
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    res
}

/// The app's page for an unknown address (rendered by Leptos with its error boundary, status 404).
async fn not_found(state: AppState, req: Request<Body>) -> Response {
    let store = state.store.clone();
    let handler = leptos_axum::file_and_error_handler_with_context::<AppState, _>(
        move || leptos::prelude::provide_context(store.clone()),
        app::shell,
    );
    let uri = req.uri().clone();
    handler(uri, State(state), req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(path: &str, hashed: bool) -> Option<String> {
        let res = with_cache_policy(StatusCode::OK.into_response(), path, hashed, "pkg");
        res.headers().get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap().to_owned())
    }

    #[test]
    fn only_hashed_pkg_files_are_cached_for_a_year() {
        assert_eq!(policy("/pkg/cunyi.Xy12.wasm", true).as_deref(), Some(IMMUTABLE));
        assert_eq!(policy("/pkg/cunyi.Xy12.css", true).as_deref(), Some(IMMUTABLE));
        assert_eq!(policy("/pkg/split_x.Ab3.wasm", true).as_deref(), Some(IMMUTABLE));
        assert_eq!(policy("/pkg/cunyi.Xy12.js", true).as_deref(), Some(REVALIDATE));
        assert_eq!(policy("/pkg/cunyi.wasm", false).as_deref(), Some(REVALIDATE));
        assert_eq!(policy("/pkgs/x.js", true).as_deref(), Some(REVALIDATE));
        assert_eq!(policy("/manifest.webmanifest", true).as_deref(), Some(REVALIDATE));
        assert_eq!(policy("/icons/icon-192.png", true).as_deref(), Some(REVALIDATE));
    }
}
