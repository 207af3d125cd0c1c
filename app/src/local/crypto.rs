//! WebCrypto for the device's store (browser only): the PIN stretched into a key with PBKDF2-SHA-256, the
//! data key that encrypts every stored record with AES-256-GCM, and the random bytes both need.
//!
//! Why WebCrypto rather than a Rust cipher compiled to WASM: the browser's implementation is native and
//! constant-time, keys can be made non-extractable, and it adds nothing to the download.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// AES-GCM nonce length: 96 bits, as the spec recommends.
pub const IV_LEN: usize = 12;

fn err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_else(|| format!("{e:?}"))
}

fn crypto() -> Result<web_sys::Crypto, String> {
    web_sys::window().ok_or("no window")?.crypto().map_err(err)
}

fn subtle() -> Result<SubtleCrypto, String> {
    Ok(crypto()?.subtle())
}

fn object(pairs: &[(&str, JsValue)]) -> Result<Object, String> {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).map_err(err)?;
    }
    Ok(o)
}

fn usages(list: &[&str]) -> JsValue {
    list.iter().map(|u| JsValue::from_str(u)).collect::<js_sys::Array>().into()
}

pub fn random_bytes(n: usize) -> Result<Vec<u8>, String> {
    let mut buf = vec![0u8; n];
    crypto()?.get_random_values_with_u8_array(&mut buf).map_err(err)?;
    Ok(buf)
}

async fn key_of(p: Result<js_sys::Promise, JsValue>) -> Result<CryptoKey, String> {
    let v = JsFuture::from(p.map_err(err)?).await.map_err(err)?;
    v.dyn_into::<CryptoKey>().map_err(|_| "not a key".to_string())
}

async fn bytes_of(p: Result<js_sys::Promise, JsValue>) -> Result<Vec<u8>, String> {
    let v = JsFuture::from(p.map_err(err)?).await.map_err(err)?;
    Ok(Uint8Array::new(&v).to_vec())
}

/// The key that wraps the data key, from the PIN: PBKDF2-HMAC-SHA-256 with the device's salt.
pub async fn pin_key(pin: &str, salt: &[u8], iterations: u32) -> Result<CryptoKey, String> {
    let s = subtle()?;
    let raw = Uint8Array::from(pin.as_bytes());
    let base = key_of(s.import_key_with_object(
        "raw",
        &raw,
        &object(&[("name", "PBKDF2".into())])?,
        false,
        &usages(&["deriveKey"]),
    ))
    .await?;
    let algo = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
    ])?;
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())])?;
    key_of(s.derive_key_with_object_and_object(&algo, &base, &aes, false, &usages(&["encrypt", "decrypt"]))).await
}

/// The data key from its 32 bytes; not extractable once imported.
pub async fn data_key(raw: &[u8]) -> Result<CryptoKey, String> {
    let s = subtle()?;
    key_of(s.import_key_with_object(
        "raw",
        &Uint8Array::from(raw),
        &object(&[("name", "AES-GCM".into())])?,
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await
}

fn gcm(iv: &[u8], aad: &[u8]) -> Result<Object, String> {
    object(&[
        ("name", "AES-GCM".into()),
        ("iv", Uint8Array::from(iv).into()),
        ("additionalData", Uint8Array::from(aad).into()),
    ])
}

/// `iv ‖ ciphertext ‖ tag`. `aad` binds the blob to its place (store and key), so a record cannot be moved
/// to another key unnoticed.
pub async fn seal(key: &CryptoKey, plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, String> {
    let iv = random_bytes(IV_LEN)?;
    let ct = bytes_of(subtle()?.encrypt_with_object_and_u8_array(&gcm(&iv, aad)?, key, plain)).await?;
    let mut out = iv;
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Opens a sealed blob; fails on a wrong key or any change to the bytes.
pub async fn open(key: &CryptoKey, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, String> {
    if sealed.len() < IV_LEN + 16 {
        return Err("sealed value too short".into());
    }
    let (iv, ct) = sealed.split_at(IV_LEN);
    bytes_of(subtle()?.decrypt_with_object_and_u8_array(&gcm(iv, aad)?, key, ct)).await
}

/// Seals many values at once: every encryption is started before any is awaited, so the browser runs them
/// together instead of one per turn of the event loop.
pub async fn seal_many(key: &CryptoKey, items: &[(&[u8], &[u8])]) -> Result<Vec<Vec<u8>>, String> {
    let s = subtle()?;
    let mut ivs = Vec::with_capacity(items.len());
    let promises = js_sys::Array::new();
    for (plain, aad) in items {
        let iv = random_bytes(IV_LEN)?;
        let p = s.encrypt_with_object_and_u8_array(&gcm(&iv, aad)?, key, plain).map_err(err)?;
        promises.push(&p);
        ivs.push(iv);
    }
    let all = JsFuture::from(js_sys::Promise::all(&promises)).await.map_err(err)?;
    let all: js_sys::Array = all.unchecked_into();
    Ok(ivs
        .into_iter()
        .zip(all.iter())
        .map(|(mut iv, ct)| {
            iv.extend_from_slice(&Uint8Array::new(&ct).to_vec());
            iv
        })
        .collect())
}

/// Opens many sealed values at once; each answer is its plaintext or why it could not be opened.
pub async fn open_many(key: &CryptoKey, items: &[(&[u8], &[u8])]) -> Result<Vec<Result<Vec<u8>, String>>, String> {
    let s = subtle()?;
    let promises = js_sys::Array::new();
    for (sealed, aad) in items {
        let p = if sealed.len() < IV_LEN + 16 {
            js_sys::Promise::reject(&"sealed value too short".into())
        } else {
            let (iv, ct) = sealed.split_at(IV_LEN);
            s.decrypt_with_object_and_u8_array(&gcm(iv, aad)?, key, ct).map_err(err)?
        };
        promises.push(&p);
    }
    let settled = JsFuture::from(js_sys::Promise::all_settled(&promises)).await.map_err(err)?;
    let settled: js_sys::Array = settled.unchecked_into();
    Ok(settled
        .iter()
        .map(|r| {
            let status = Reflect::get(&r, &"status".into()).ok().and_then(|s| s.as_string()).unwrap_or_default();
            if status == "fulfilled" {
                Ok(Uint8Array::new(&Reflect::get(&r, &"value".into()).unwrap_or_default()).to_vec())
            } else {
                Err(Reflect::get(&r, &"reason".into()).map(err).unwrap_or_else(err))
            }
        })
        .collect())
}
