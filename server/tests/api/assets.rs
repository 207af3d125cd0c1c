//! The built site's static files (issue 9): precompressed files sent with their `Content-Encoding`, hashed
//! `/pkg` files cached for a year, the pages naming the hashed files of the site's `hash.txt`, pages and
//! answers compressed on the fly, and the service worker precaching the site's own `/pkg` files.

use crate::common::{scratch, spawn_app_with_site};
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE};
use reqwest::StatusCode;

/// A site as `cargo leptos build --release --precompress` lays it out, with recognisable contents.
fn site() -> std::path::PathBuf {
    let root = scratch("site");
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    let write = |p: &str, b: &[u8]| std::fs::write(root.join(p), b).unwrap();
    write("pkg/cunyi.W4sm.wasm", b"\0asm raw wasm bytes");
    write("pkg/cunyi.W4sm.wasm.br", b"brotli form of the wasm");
    write("pkg/cunyi.W4sm.wasm.gz", b"gzip form of the wasm");
    write("pkg/cunyi.J5.js", b"export default function init() {}");
    write("pkg/cunyi.C55.css", b"body { color: black }");
    write("pkg/cunyi.d.ts", b"declarations");
    write("manifest.webmanifest", b"{\"name\": \"Cunyi\"}");
    write("hash.txt", b"js: J5\nwasm: W4sm\ncss: C55\n");
    std::fs::copy(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/sw.js"), root.join("sw.js")).unwrap();
    root
}

#[tokio::test]
async fn static_files_go_out_precompressed_and_hashed_ones_are_cached_for_a_year() {
    let root = site();
    let app = spawn_app_with_site(&root).await;
    let c = app.client();
    let get = |path: &str, enc: &str| c.get(format!("{}{path}", app.base)).header(ACCEPT_ENCODING, enc).send();

    let r = get("/pkg/cunyi.W4sm.wasm", "gzip, deflate, br").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_ENCODING], "br");
    assert_eq!(r.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(r.headers()[CACHE_CONTROL], "public, max-age=31536000, immutable");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"brotli form of the wasm");

    let r = get("/pkg/cunyi.W4sm.wasm", "gzip").await.unwrap();
    assert_eq!(r.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"gzip form of the wasm");

    let r = get("/pkg/cunyi.W4sm.wasm", "identity").await.unwrap();
    assert!(r.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm raw wasm bytes");

    // The JS may keep its name across builds (see http::assets), the manifest has no hash: both revalidated.
    for path in ["/pkg/cunyi.J5.js", "/manifest.webmanifest"] {
        let r = get(path, "br").await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()[CACHE_CONTROL], "no-cache", "{path}");
    }

    // No file: the app's own page, not a directory listing or an empty 200.
    let r = get("/pkg/nothing-here.wasm", "br").await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let _ = std::fs::remove_dir_all(&root);
}

#[tokio::test]
async fn pages_name_the_hashed_files_and_are_compressed_on_the_fly() {
    let root = site();
    let app = spawn_app_with_site(&root).await;
    let c = app.client();
    let html = c.get(format!("{}/login", app.base)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("/pkg/cunyi.W4sm.wasm"), "the page loads the hashed WASM: {html}");
    assert!(html.contains("/pkg/cunyi.J5.js"));
    assert!(html.contains("/pkg/cunyi.C55.css"));

    let r = c.get(format!("{}/login", app.base)).header(ACCEPT_ENCODING, "br").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_ENCODING], "br");
    let compressed = r.bytes().await.unwrap();
    assert!(compressed.len() < html.len() / 2, "{} of {} bytes", compressed.len(), html.len());

    // The service worker precaches this site's /pkg files by their hashed names, not their compressed forms.
    let sw = c.get(format!("{}/sw.js", app.base)).send().await.unwrap().text().await.unwrap();
    for f in ["/pkg/cunyi.W4sm.wasm", "/pkg/cunyi.J5.js", "/pkg/cunyi.C55.css"] {
        assert!(sw.contains(&format!("\"{f}\"")), "{f} in the worker's precache");
    }
    assert!(!sw.contains(".br\"") && !sw.contains(".gz\"") && !sw.contains(".d.ts"));
    assert!(!sw.contains("__CUNYI_"), "every placeholder filled");
    let _ = std::fs::remove_dir_all(&root);
}
