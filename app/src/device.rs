//! This device's identity and clock, stamped on every record it creates (author/device/time), so entries made
//! offline can be traced and synced later. The device id is generated once and kept in local storage.

use uuid::Uuid;

const DEVICE_KEY: &str = "cunyi.device_id";

/// A stable id for this browser, or "server" when rendering on the server.
pub fn device_id() -> String {
    #[cfg(not(feature = "ssr"))]
    {
        use gloo_storage::{LocalStorage, Storage};
        let id = LocalStorage::get::<String>(DEVICE_KEY).unwrap_or_else(|_| {
            let id = Uuid::new_v4().to_string();
            let _ = LocalStorage::set(DEVICE_KEY, &id);
            id
        });
        #[cfg(feature = "hydrate")]
        name_in_requests(&id);
        id
    }
    #[cfg(feature = "ssr")]
    {
        let _ = DEVICE_KEY;
        "server".to_string()
    }
}

/// Puts the device id in a cookie (`cunyi_device`, readable by the server's audit log) so every request,
/// server functions included, says which phone sent it. Once per page load.
#[cfg(feature = "hydrate")]
fn name_in_requests(id: &str) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::Relaxed) {
        return;
    }
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        let cookie = format!("cunyi_device={id}; Path=/; SameSite=Lax; Max-Age=31536000");
        let _ = js_sys::Reflect::set(&doc, &"cookie".into(), &cookie.into());
    }
}

/// A new record id: UUIDv7 sorts by creation time, which keeps inserts local in the database indexes.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// Today's date in the device's time zone.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The local time in the device's time zone (a disease report's hours count from it).
pub fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

/// Milliseconds on the page's clock (`performance.now()`, sub-millisecond), for the timings the app logs
/// and the browser budgets read; 0 on the server.
pub fn now_ms() -> f64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or_else(js_sys::Date::now)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        0.0
    }
}
