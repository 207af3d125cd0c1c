//! Cunyi (村医): the Leptos application shared by the browser (`hydrate`, WebAssembly) and the server (`ssr`).
//!
//! One folder per domain concept: `resident` (health records and the ID-number rules), `visit` (hypertension
//! and diabetes follow-ups), `record` (the store every other service record shares) with `education`,
//! `vaccination`, `contract`, `smi`, `tb`, `referral`, `home_visit`, `elderly`, and the rest of the national
//! program: `maternal`, `newborn`, `child`, `tcm`, `infectious` (disease reports), `supervision`; `auth` (accounts, roles,
//! scope), `audit` (who read or wrote a resident's record). Each holds its wire types and pure rules in
//! `mod.rs`, its server functions in `api.rs` and its views in `pages`. `store` is the data-access trait the
//! server crate implements.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod account;
pub mod app;
pub mod audit;
pub mod auth;
pub mod check;
pub mod child;
pub mod codes;
pub mod components;
pub mod contract;
pub mod device;
pub mod education;
pub mod elderly;
pub mod error;
pub mod home_visit;
pub mod i18n;
pub mod indicator;
pub mod infectious;
pub mod local;
pub mod maternal;
pub mod my_record;
pub mod newborn;
pub mod quality;
pub mod record;
pub mod referral;
pub mod resident;
pub mod review;
pub mod smi;
#[cfg(feature = "ssr")]
pub mod store;
pub mod supervision;
pub mod sync;
pub mod task;
pub mod tb;
pub mod tcm;
pub mod users;
pub mod vaccination;
pub mod visit;

pub use app::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    let window = web_sys::window().expect("window");
    let document = window.document().expect("document");
    // The service worker answered an offline navigation with the cached shell page: its markup belongs to
    // `/shell`, not to this address, so build the app afresh instead of hydrating foreign markup.
    let shell = document.get_element_by_id("offline-shell").is_some();
    if shell && window.location().pathname().ok().as_deref() != Some("/shell") {
        if let Some(body) = document.body() {
            body.set_inner_html("");
        }
        leptos::mount::mount_to_body(App);
        mark_hydrated();
    } else if let Some(body) = document.body() {
        // Asynchronous hydration: a page whose code is in a part loaded on first use (`app::lazy_pages`)
        // waits for that part before its markup is hydrated.
        wasm_bindgen_futures::spawn_local(async move {
            leptos::mount::hydrate_from_async(body, App).await.forget();
            mark_hydrated();
        });
    }
}

/// Browser tests wait for this before interacting: clicks before hydration reach no handler.
#[cfg(feature = "hydrate")]
fn mark_hydrated() {
    if let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
