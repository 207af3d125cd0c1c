//! This device's identity and clock, stamped on every record it creates (author/device/time), so entries made
//! offline can be traced and synced later. The device id is generated once and kept in local storage.

use uuid::Uuid;

const DEVICE_KEY: &str = "cunyi.device_id";

/// A stable id for this browser, or "server" when rendering on the server.
pub fn device_id() -> String {
    #[cfg(not(feature = "ssr"))]
    {
        use gloo_storage::{LocalStorage, Storage};
        if let Ok(id) = LocalStorage::get::<String>(DEVICE_KEY) {
            return id;
        }
        let id = Uuid::new_v4().to_string();
        let _ = LocalStorage::set(DEVICE_KEY, &id);
        id
    }
    #[cfg(feature = "ssr")]
    {
        let _ = DEVICE_KEY;
        "server".to_string()
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
