//! What pages call: reads of the device's effective data and saves through the outbox, the same path online
//! and offline. On the server these read nothing (the pages render their loading state, and the browser
//! fills them in from its own store once it has loaded).

use super::LocalData;
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::sync::EntryBody;
use leptos::prelude::*;
use uuid::Uuid;

/// The sync and storage state the badge and the sync page show.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncStatus {
    /// The device's store has been read (pages can show data).
    pub loaded: bool,
    pub online: bool,
    pub syncing: bool,
    pub pending: usize,
    pub rejected: usize,
    pub last_sync: Option<String>,
    /// The last sync's failure, other than being offline.
    pub error: Option<AppError>,
    /// Why the device's storage refused a write or could not be opened.
    pub store_error: Option<String>,
    /// Bytes used and available, from the browser's estimate.
    pub usage: Option<(f64, f64)>,
    /// Whether the browser granted persistent storage (not evicted under pressure).
    pub persisted: Option<bool>,
}

/// The local store's signals: `rev` moves on every change so pages re-read; `status` feeds the badge.
#[derive(Clone, Copy)]
pub struct Local {
    pub rev: RwSignal<u64>,
    pub status: RwSignal<SyncStatus>,
}

pub fn provide_local() -> Local {
    let local = Local { rev: RwSignal::new(0), status: RwSignal::new(SyncStatus::default()) };
    provide_context(local);
    local
}

pub fn use_local() -> Local {
    expect_context::<Local>()
}

/// Village doctors work from the device's store (offline first), and so do residents (their own record,
/// read-only); township and county staff, whose scope can be a whole county, read the server directly.
pub fn on_device(user: &SessionUser) -> bool {
    matches!(user.role, crate::auth::Role::VillageDoctor | crate::auth::Role::Resident)
}

/// Reads the device's data, re-run whenever it changes. None on the server and until the store is loaded.
pub fn read<T>(f: impl FnOnce(&LocalData) -> T) -> Option<T> {
    use_local().rev.track();
    #[cfg(feature = "hydrate")]
    {
        super::browser::with(f)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = f;
        None
    }
}

/// Opens the user's store in the browser and starts syncing (once per page load).
pub fn start(user: &SessionUser) {
    #[cfg(feature = "hydrate")]
    {
        let (user, local) = (user.clone(), use_local());
        leptos::task::spawn_local(super::browser::start_engine(user, local));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = user;
}

/// Saves a form's entry: to the outbox first, then to the server when it can be reached.
pub fn save(body: EntryBody) -> Result<Uuid, AppError> {
    #[cfg(feature = "hydrate")]
    {
        super::browser::save(use_local(), body)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = body;
        Err(AppError::Internal)
    }
}

/// Saves a form's entry and resolves once it is written to the device's storage (see `browser::save_stored`).
pub fn save_stored(body: EntryBody) -> impl std::future::Future<Output = Result<Uuid, AppError>> {
    #[cfg(feature = "hydrate")]
    {
        super::browser::save_stored(use_local(), body)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = body;
        std::future::ready(Err(AppError::Internal))
    }
}

/// Drops an unsynced entry the doctor chose to discard.
pub fn discard(entry_id: Uuid) {
    #[cfg(feature = "hydrate")]
    super::browser::discard(use_local(), entry_id);
    #[cfg(not(feature = "hydrate"))]
    let _ = entry_id;
}

/// Syncs now (the badge's button).
pub fn sync_now() {
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(super::browser::sync(use_local()));
}
