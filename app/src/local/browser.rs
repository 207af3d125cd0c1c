//! The local store in the browser: one `LocalData` in memory, written to IndexedDB (本机存储) after every
//! change, each record sealed with the PIN-protected data key (AES-GCM, `vault`), and the sync loop that
//! drives the pure core (`sync::core`) over HTTP.
//!
//! Why memory first: the pages read synchronously (a keystroke searches 3,000 residents), and an entry the
//! browser refuses to store (quota, private mode, a broken disk) stays in memory, still shown and still synced,
//! while the doctor is told plainly. Nothing is removed from IndexedDB except what the core removed on purpose
//! (a synced entry, a revoked resident without unsynced work).

use super::api::Local;
use super::{Key, Loaded, LocalData, STORES};
use crate::auth::SessionUser;
use crate::error::AppError;
use crate::sync::core::{apply_pull, apply_push, next_push, LocalStore};
use crate::sync::{EntryBody, PullRequest, PullResponse, PushRequest, PushResponse, MAX_PULL_PAGE, MAX_PUSH, PROTOCOL};
use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, Query, TransactionMode};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;
use std::time::Duration;
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// The IndexedDB schema version. A new version only adds stores or fields: `upgrade` never drops the outbox.
/// 2: the `records` store (service records).
const DB_VERSION: u32 = 2;
/// How often an online device syncs on its own.
const SYNC_EVERY: Duration = Duration::from_secs(60);
/// How often writes that failed are tried again.
const RETRY_WRITES_EVERY: Duration = Duration::from_secs(10);

struct State {
    user_id: String,
    db: Option<Rc<Database>>,
    /// The data key every stored record is sealed with (AES-GCM, see `pin`).
    key: web_sys::CryptoKey,
    data: LocalData,
    /// Entries of the push on its way: a save must not replace them (the server may already hold them).
    in_flight: HashSet<Uuid>,
    syncing: bool,
    /// A sync was asked for while a round ran (the network came back, a form was saved): run one more round
    /// after it, or a round that started offline and failed would leave the device "offline" for a minute.
    sync_again: bool,
    flushing: bool,
    flush_again: bool,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// Reads the data once it is loaded.
pub fn with<T>(f: impl FnOnce(&LocalData) -> T) -> Option<T> {
    STATE.with_borrow(|s| s.as_ref().map(|s| f(&s.data)))
}

fn with_mut<T>(f: impl FnOnce(&mut State) -> T) -> Option<T> {
    STATE.with_borrow_mut(|s| s.as_mut().map(f))
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn refresh(local: Local) {
    if let Some((pending, rejected)) = with(|d| (d.pending_count(), d.rejected_count())) {
        local.status.update(|s| {
            s.pending = pending;
            s.rejected = rejected;
        });
    }
    local.rev.update(|r| *r += 1);
}

/// Opens the user's store once (on the first page that knows the user, after the PIN opened its key), loads
/// it and starts syncing.
/// Opens the store and starts syncing, from a part of the WASM fetched on first use (`cargo leptos build
/// --split`): reading the store and the sync messages (the deserialisers of every record type) is not needed
/// to paint the PIN screen, so it is not part of the first download; it arrives while the PIN is typed.
#[leptos::lazy]
pub fn start_engine(user: SessionUser, local: Local) {
    start(&user, local)
}

fn start(user: &SessionUser, local: Local) {
    if STATE.with_borrow(|s| s.as_ref().is_some_and(|s| s.user_id == user.id)) {
        return;
    }
    let Some(key) = super::vault::key(&user.id) else { return };
    let user_id = user.id.clone();
    spawn_local(async move {
        let (db, mut data, problem, legacy) = match open(&user_id).await {
            Ok(db) => match load(&db, &key).await {
                Ok((loaded, unreadable, legacy)) => {
                    let (data, mut bad) = LocalData::load(loaded);
                    bad.extend(unreadable);
                    let problem = (!bad.is_empty()).then(|| format!("{} 条本机记录无法读取", bad.len()));
                    for b in &bad {
                        leptos::logging::warn!("cunyi: unreadable local record: {b}");
                    }
                    (Some(Rc::new(db)), data, problem, legacy)
                }
                Err(e) => (Some(Rc::new(db)), LocalData::default(), Some(format!("读取本机数据失败：{e}")), false),
            },
            Err(e) => (
                None,
                LocalData::default(),
                Some(format!("本机存储不可用，记录只保存在内存中，请勿关闭页面：{e}")),
                false,
            ),
        };
        // Records an older build stored unencrypted are written again, encrypted, in the first flush.
        if legacy {
            data.rewrite_all();
        }
        STATE.with_borrow_mut(|s| {
            *s = Some(State {
                user_id,
                db,
                key,
                data,
                in_flight: HashSet::new(),
                syncing: false,
                sync_again: false,
                flushing: false,
                flush_again: false,
            })
        });
        local.status.update(|s| {
            s.loaded = true;
            s.store_error = problem;
            s.online = online();
        });
        refresh(local);
        // The store is open: the doctor's pages are loaded in the background.
        crate::app::preload_pages();
        if legacy {
            flush(local).await;
        }
        storage_info(local).await;
        sync(local).await;
    });
    listen(local);
}

fn online() -> bool {
    web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true)
}

/// Sync when the network comes back and every minute while online; retry failed writes.
fn listen(local: Local) {
    let on = window_event_listener(leptos::ev::online, move |_| {
        local.status.update(|s| s.online = true);
        spawn_local(sync(local));
    });
    let off = window_event_listener(leptos::ev::offline, move |_| local.status.update(|s| s.online = false));
    // The listeners live as long as the page.
    std::mem::forget((on, off));
    let _ = set_interval_with_handle(
        move || {
            if online() {
                spawn_local(sync(local));
            }
        },
        SYNC_EVERY,
    );
    let _ = set_interval_with_handle(
        move || {
            if with(|d| d.unwritten()).unwrap_or(0) > 0 {
                spawn_local(flush(local));
            }
        },
        RETRY_WRITES_EVERY,
    );
}

async fn open(user_id: &str) -> Result<Database, String> {
    let factory = Factory::new().map_err(|e| e.to_string())?;
    let mut req = factory.open(&format!("cunyi-{user_id}"), Some(DB_VERSION)).map_err(|e| e.to_string())?;
    req.on_upgrade_needed(|event| {
        // Create what is missing; an upgrade never deletes a store, so entries made by an older build stay.
        if let Ok(db) = event.database() {
            let have = db.store_names();
            for name in STORES {
                if !have.iter().any(|h| h == name) {
                    let _ = db.create_object_store(name, ObjectStoreParams::new());
                }
            }
        }
    });
    req.await.map_err(|e| e.to_string())
}

/// Reads every store and opens its records. Returns what was read, the records that could not be opened,
/// and whether any record was still unencrypted (written by a build before the PIN: to be rewritten).
async fn load(db: &Database, key: &web_sys::CryptoKey) -> Result<(Loaded, Vec<String>, bool), String> {
    let err = |e: idb::Error| e.to_string();
    let tx = db.transaction(&STORES, TransactionMode::ReadOnly).map_err(err)?;
    let mut raw: Vec<(&str, String, JsValue)> = Vec::new();
    for name in STORES {
        let store = tx.object_store(name).map_err(err)?;
        let keys = store.get_all_keys(None, None).map_err(err)?.await.map_err(err)?;
        let values = store.get_all(None, None).map_err(err)?.await.map_err(err)?;
        for (k, v) in keys.into_iter().zip(values) {
            raw.push((name, k.as_string().unwrap_or_default(), v));
        }
    }
    // Sealed records are bytes; a string is a record from before encryption.
    let mut plain: Vec<(&str, String, String)> = Vec::new();
    let mut sealed: Vec<(&str, String, Vec<u8>)> = Vec::new();
    for (store, k, v) in raw {
        match v.as_string() {
            Some(text) => plain.push((store, k, text)),
            None => sealed.push((store, k, js_sys::Uint8Array::new(&v).to_vec())),
        }
    }
    let legacy = !plain.is_empty();
    let mut bad = Vec::new();
    let opened = super::vault::open_records(key, &sealed).await?;
    for ((store, k, _), r) in sealed.into_iter().zip(opened) {
        match r {
            Ok(text) => plain.push((store, k, text)),
            Err(e) => bad.push(format!("{store}/{k}: {e}")),
        }
    }
    let mut l = Loaded::default();
    for (store, k, text) in plain {
        match store {
            "residents" => l.residents.push(text),
            "visits" => l.visits.push(text),
            "records" => l.records.push(text),
            "outbox" => l.outbox.push(text),
            _ => l.meta.push((k, text)),
        }
    }
    Ok((l, bad, legacy))
}

/// Writes every changed record in one transaction. On failure the records stay dirty (and in memory) and the
/// doctor sees why; the next change or the retry timer writes them.
pub async fn flush(local: Local) {
    let job = with_mut(|s| {
        if s.flushing {
            s.flush_again = true;
            return None;
        }
        let writes = s.data.pending_writes();
        if writes.is_empty() {
            return None;
        }
        s.flushing = true;
        Some((s.db.clone(), s.key.clone(), writes))
    })
    .flatten();
    let job: Option<(Option<Rc<Database>>, web_sys::CryptoKey, Writes)> = job;
    let Some((db, key, writes)) = job else { return };
    let started = js_sys::Date::now();
    let result = match db {
        Some(db) => write_all(&db, &key, &writes).await,
        None => Err("本机存储不可用".to_string()),
    };
    let again = with_mut(|s| {
        s.flushing = false;
        if result.is_ok() {
            let done: Vec<(Key, u64)> = writes.iter().map(|(k, g, _)| (k.clone(), *g)).collect();
            s.data.written(&done);
        }
        std::mem::take(&mut s.flush_again)
    })
    .unwrap_or(false);
    match result {
        Ok(()) => {
            leptos::logging::log!("cunyi: stored {} records in {:.0} ms", writes.len(), js_sys::Date::now() - started);
            local.status.update(|s| s.store_error = None)
        }
        Err(e) => local.status.update(|s| {
            s.store_error = Some(format!("无法写入本机存储（{e}）。记录仍在内存中并会继续同步，请勿关闭页面。"))
        }),
    }
    refresh(local);
    if again {
        Box::pin(flush(local)).await;
    }
}

/// Records to write: key, generation of the change, JSON value (None: delete).
type Writes = Vec<(Key, u64, Option<String>)>;

async fn write_all(
    db: &Database,
    key: &web_sys::CryptoKey,
    writes: &[(Key, u64, Option<String>)],
) -> Result<(), String> {
    let err = |e: idb::Error| e.to_string();
    // Sealed before the transaction opens: an IndexedDB transaction commits by itself once the page awaits
    // anything else while it has no request pending.
    let puts: Vec<(&str, String, &str)> =
        writes.iter().filter_map(|(k, _, v)| v.as_deref().map(|v| (k.store(), k.id(), v))).collect();
    let mut sealed = super::vault::seal_records(key, &puts).await?.into_iter();
    let tx = db.transaction(&STORES, TransactionMode::ReadWrite).map_err(err)?;
    let stores: Vec<(&str, idb::ObjectStore)> =
        STORES.iter().map(|n| Ok((*n, tx.object_store(n).map_err(err)?))).collect::<Result<_, String>>()?;
    for (key, _, value) in writes {
        let store = &stores.iter().find(|(n, _)| *n == key.store()).ok_or("store")?.1;
        let k = JsValue::from_str(&key.id());
        // Requests are queued in the transaction; its completion (or abort) below is what counts.
        match value {
            Some(_) => {
                let bytes = sealed.next().ok_or("sealed")?;
                drop(store.put(&js_sys::Uint8Array::from(bytes.as_slice()).into(), Some(&k)).map_err(err)?)
            }
            None => drop(store.delete(Query::Key(k)).map_err(err)?),
        }
    }
    match tx.await.map_err(err)? {
        idb::TransactionResult::Committed => Ok(()),
        idb::TransactionResult::Aborted => Err("写入被中止（存储空间可能已满）".into()),
    }
}

/// Reads how much storage the app uses, and (once) asks the browser to keep the data rather than evict it
/// under storage pressure. The request may wait on the user or never settle, so nothing waits for it.
async fn storage_info(local: Local) {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else { return };
    if local.status.with_untracked(|s| s.persisted.is_none()) {
        // Not granted until the browser says so; asked once per page load.
        local.status.update(|s| s.persisted = Some(false));
        if let Ok(p) = storage.persist() {
            spawn_local(async move {
                let granted = wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|v| v.as_bool());
                local.status.update(|s| s.persisted = granted.or(Some(false)));
            });
        }
    }
    let usage = match storage.estimate() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok().map(|v| {
            let get =
                |k: &str| js_sys::Reflect::get(&v, &JsValue::from_str(k)).ok().and_then(|x| x.as_f64()).unwrap_or(0.0);
            (get("usage"), get("quota"))
        }),
        Err(_) => None,
    };
    local.status.update(|s| s.usage = usage);
}

/// Saves a form's entry to the outbox (online or not), writes it to storage and syncs if online.
pub fn save(local: Local, body: EntryBody) -> Result<Uuid, AppError> {
    let id = with_mut(|s| s.data.save(crate::device::new_id(), now(), body, &s.in_flight))
        .ok_or_else(|| AppError::Network("本机数据尚未加载".into()))?;
    refresh(local);
    spawn_local(async move {
        flush(local).await;
        sync(local).await;
    });
    Ok(id)
}

/// Like `save`, but returns once the entry is sealed and committed to IndexedDB (or the write failed, which
/// the badge reports while the entry waits in memory): a form that then moves on has nothing in flight, and
/// the page it opens is not drawn in the middle of the write. (If another write is running, this one is
/// written right after it by that flush.)
pub async fn save_stored(local: Local, body: EntryBody) -> Result<Uuid, AppError> {
    let started = crate::device::now_ms();
    let id = with_mut(|s| s.data.save(crate::device::new_id(), now(), body, &s.in_flight))
        .ok_or_else(|| AppError::Network("本机数据尚未加载".into()))?;
    flush(local).await;
    // The interaction budget (end2end/budgets) reads this.
    leptos::logging::log!("cunyi: saved an entry to the device in {:.1} ms", crate::device::now_ms() - started);
    spawn_local(sync(local));
    Ok(id)
}

pub fn discard(local: Local, entry_id: Uuid) {
    with_mut(|s| s.data.discard(entry_id));
    refresh(local);
    spawn_local(flush(local));
}

async fn post<Req: serde::Serialize, Resp: serde::de::DeserializeOwned>(
    path: &str,
    body: &Req,
) -> Result<Resp, AppError> {
    let resp = gloo_net::http::Request::post(path)
        .header("Accept", "application/json")
        .json(body)
        .map_err(|e| AppError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| AppError::Network(e.to_string()))?;
    if resp.ok() {
        // A body cut off in transit is a network failure; one that arrives whole but does not read as the
        // answer is not, and must show on the sync page rather than pass for "offline".
        let text = resp.text().await.map_err(|e| AppError::Network(e.to_string()))?;
        serde_json::from_str::<Resp>(&text).map_err(|e| {
            AppError::BadRequest(format!("{path}: {}", e.to_string().chars().take(200).collect::<String>()))
        })
    } else {
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        Err(serde_json::from_str::<AppError>(&text).unwrap_or(if status >= 500 {
            AppError::Internal
        } else {
            AppError::BadRequest(text.chars().take(200).collect())
        }))
    }
}

/// One sync round: push the outbox in batches, then pull every page. Safe to cut at any point: the core only
/// removes an entry on the server's answer and only moves the cursor after a page is applied and stored.
pub async fn sync(local: Local) {
    let go = with_mut(|s| {
        let running = std::mem::replace(&mut s.syncing, true);
        s.sync_again |= running;
        !running
    })
    .unwrap_or(false);
    if !go {
        return;
    }
    local.status.update(|s| s.syncing = true);
    let mut result = sync_round(local).await;
    // Asked again meanwhile (the network came back during a round that was failing): one more round.
    while with_mut(|s| std::mem::take(&mut s.sync_again)).unwrap_or(false) && online() {
        with_mut(|s| s.in_flight.clear());
        result = sync_round(local).await;
    }
    with_mut(|s| {
        s.syncing = false;
        s.sync_again = false;
        s.in_flight.clear();
    });
    local.status.update(|s| {
        s.syncing = false;
        match &result {
            Ok(()) => {
                s.error = None;
                s.online = true;
                s.last_sync = Some(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string());
            }
            Err(AppError::Network(_)) => {
                s.online = false;
                s.error = None;
            }
            Err(e) => s.error = Some(e.clone()),
        }
    });
    refresh(local);
    storage_info(local).await;
}

async fn sync_round(local: Local) -> Result<(), AppError> {
    let device = crate::device::device_id();
    loop {
        let batch: Option<PushRequest> = with_mut(|s| {
            let b = next_push(&s.data, &device, MAX_PUSH);
            s.in_flight = b.iter().flat_map(|b| b.entries.iter().map(|e| e.id)).collect();
            b
        })
        .flatten();
        let Some(batch) = batch else { break };
        let resp: PushResponse = post("/api/sync/v1/push", &batch).await?;
        with_mut(|s| {
            apply_push(&mut s.data, &resp);
            s.in_flight.clear();
        });
        flush(local).await;
    }
    loop {
        let cursor = with(|d| d.cursor()).unwrap_or(0);
        let page: PullResponse =
            post("/api/sync/v1/pull", &PullRequest { protocol: PROTOCOL, cursor, limit: Some(MAX_PULL_PAGE) }).await?;
        with_mut(|s| apply_pull(&mut s.data, &page));
        flush(local).await;
        if !page.more {
            return Ok(());
        }
    }
}
