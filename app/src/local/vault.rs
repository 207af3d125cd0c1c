//! The lock of the device's store in the browser: choosing a PIN, unlocking with it (offline), counting wrong
//! PINs, and opening a locked store by an online login. Holds the data key in memory while the app runs;
//! nothing that opens the store is written to disk except the data key sealed under the PIN (see `pin`).

use super::crypto;
use super::pin::{self, PinRecord, Vault, Wrong, DATA_KEY_LEN, SALT_LEN};
use crate::auth::SessionUser;
use crate::error::AppError;
use gloo_storage::{LocalStorage, Storage};
use std::cell::RefCell;
use web_sys::CryptoKey;

thread_local! {
    /// The data key of the open store, with the account it belongs to.
    static KEY: RefCell<Option<(String, CryptoKey)>> = const { RefCell::new(None) };
}

fn storage_key(user_id: &str) -> String {
    format!("cunyi.pin.{user_id}")
}

fn record(user_id: &str) -> Option<PinRecord> {
    LocalStorage::get(storage_key(user_id)).ok()
}

fn save_record(user_id: &str, r: &PinRecord) -> Result<(), AppError> {
    LocalStorage::set(storage_key(user_id), r).map_err(|e| AppError::BadRequest(format!("无法保存PIN设置：{e}")))?;
    remember_screen(user_id, Vault::of(Some(r)));
    Ok(())
}

/// Keeps the PIN screen `state` in the screen cookie, so the next cold start's page comes with it.
pub fn remember_screen(user_id: &str, state: Vault) {
    use wasm_bindgen::JsCast;
    let Some(value) = state.cookie(user_id) else { return };
    if let Some(doc) =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = doc.set_cookie(&format!("{}={value}; Path=/; Max-Age=31536000; SameSite=Lax", pin::SCREEN_COOKIE));
    }
}

/// The data key of `user`'s open store.
pub fn key(user_id: &str) -> Option<CryptoKey> {
    KEY.with_borrow(|k| k.as_ref().filter(|(u, _)| u == user_id).map(|(_, k)| k.clone()))
}

/// Where `user`'s store stands: open in this page, or what the PIN screen must ask.
pub fn state(user_id: &str) -> Vault {
    if key(user_id).is_some() {
        Vault::Open
    } else {
        Vault::of(record(user_id).as_ref())
    }
}

fn failure(e: String) -> AppError {
    AppError::BadRequest(format!("加密失败：{e}"))
}

/// Seals `raw` (the data key) under a new PIN, keeps it and opens the store with it.
async fn seal_under(user: &SessionUser, pin: &str, raw: &[u8], escrowed: bool) -> Result<(), AppError> {
    let salt = crypto::random_bytes(SALT_LEN).map_err(failure)?;
    let pin_key = crypto::pin_key(pin, &salt, pin::PBKDF2_ITERATIONS).await.map_err(failure)?;
    let sealed = crypto::seal(&pin_key, raw, &pin::key_aad(&user.id)).await.map_err(failure)?;
    let mut r = PinRecord::new(salt, sealed);
    r.escrowed = escrowed;
    save_record(&user.id, &r)?;
    let key = crypto::data_key(raw).await.map_err(failure)?;
    KEY.with_borrow_mut(|k| *k = Some((user.id.clone(), key)));
    if !escrowed {
        leptos::task::spawn_local(escrow(user.id.clone(), raw.to_vec()));
    }
    Ok(())
}

/// Sends the data key to the server (once; tried again at each unlock until it arrives), so an online login
/// can open the store after too many wrong PINs.
async fn escrow(user_id: String, raw: Vec<u8>) {
    let device = crate::device::device_id();
    if super::keys::escrow_device_key(device, raw).await.is_ok() {
        if let Some(mut r) = record(&user_id) {
            r.escrowed = true;
            let _ = save_record(&user_id, &r);
        }
    }
}

/// First PIN on this device: a new random data key, sealed under it.
pub async fn set_up(user: &SessionUser, pin: &str) -> Result<(), AppError> {
    let raw = crypto::random_bytes(DATA_KEY_LEN).map_err(failure)?;
    seal_under(user, pin, &raw, false).await
}

/// What a PIN entry led to.
pub enum Unlock {
    Open,
    Wrong(Wrong),
}

/// Unlocks with the PIN: a wrong one is counted, and the last allowed one wipes the sealed key.
pub async fn unlock(user: &SessionUser, pin: &str) -> Result<Unlock, AppError> {
    let mut r = record(&user.id).ok_or_else(|| AppError::BadRequest("本机没有PIN设置".into()))?;
    let Some(sealed) = r.sealed_key.clone() else { return Ok(Unlock::Wrong(Wrong::Locked)) };
    let pin_key = crypto::pin_key(pin, &r.salt, r.iterations).await.map_err(failure)?;
    match crypto::open(&pin_key, &sealed, &pin::key_aad(&user.id)).await {
        Ok(raw) => {
            r.succeeded();
            save_record(&user.id, &r)?;
            let key = crypto::data_key(&raw).await.map_err(failure)?;
            KEY.with_borrow_mut(|k| *k = Some((user.id.clone(), key)));
            if !r.escrowed {
                leptos::task::spawn_local(escrow(user.id.clone(), raw));
            }
            Ok(Unlock::Open)
        }
        Err(_) => {
            let w = r.failed();
            save_record(&user.id, &r)?;
            Ok(Unlock::Wrong(w))
        }
    }
}

/// Opens the store by logging in online with the account's password (after too many wrong PINs, or a
/// forgotten PIN): the server hands back this device's data key, which is sealed under the new PIN.
pub async fn recover(user: &SessionUser, password: String, new_pin: &str) -> Result<(), AppError> {
    let raw = super::keys::recover_device_key(user.username.clone(), password, crate::device::device_id()).await?;
    if raw.len() != DATA_KEY_LEN {
        return Err(AppError::BadRequest("服务器返回的密钥无效".into()));
    }
    seal_under(user, new_pin, &raw, true).await
}

/// Seals records for storage: `(store, key, JSON)` → bytes.
pub async fn seal_records(key: &CryptoKey, items: &[(&str, String, &str)]) -> Result<Vec<Vec<u8>>, String> {
    let aads: Vec<Vec<u8>> = items.iter().map(|(s, k, _)| pin::record_aad(s, k)).collect();
    let pairs: Vec<(&[u8], &[u8])> =
        items.iter().zip(&aads).map(|((_, _, v), a)| (v.as_bytes(), a.as_slice())).collect();
    crypto::seal_many(key, &pairs).await
}

/// Opens stored records: `(store, key, bytes)` → JSON text, or why one could not be read.
pub async fn open_records(
    key: &CryptoKey,
    items: &[(&str, String, Vec<u8>)],
) -> Result<Vec<Result<String, String>>, String> {
    let aads: Vec<Vec<u8>> = items.iter().map(|(s, k, _)| pin::record_aad(s, k)).collect();
    let pairs: Vec<(&[u8], &[u8])> =
        items.iter().zip(&aads).map(|((_, _, v), a)| (v.as_slice(), a.as_slice())).collect();
    Ok(crypto::open_many(key, &pairs)
        .await?
        .into_iter()
        .map(|r| r.and_then(|b| String::from_utf8(b).map_err(|e| e.to_string())))
        .collect())
}
