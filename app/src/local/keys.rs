//! The server's copy of each device's data key (see `pin`): a phone sends it once after choosing a PIN, and
//! gets it back only by logging in with the account's password — what opens a store locked by wrong PINs.

use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Keeps this device's data key for the logged-in account (a doctor's or a resident's phone).
#[server(input = Json, prefix = "/api", endpoint = "escrow_device_key")]
pub async fn escrow_device_key(device_id: String, key: Vec<u8>) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_user().await?;
            if !super::api::on_device(&user) {
                return Err(AppError::Forbidden);
            }
            let device = crate::audit::server::clean_device(&device_id);
            if device.is_empty() || device != device_id {
                return Err(AppError::field("device_id", "设备标识无效", "Invalid device id"));
            }
            if key.len() != super::pin::DATA_KEY_LEN {
                return Err(AppError::field("key", "密钥长度无效", "The key must be 32 bytes"));
            }
            store()?.save_device_key(&user.id, &device, &key, chrono::Utc::now().timestamp()).await
        }
        .await,
    )
}

/// Logs in again with the password (rate-limited like the login form) and returns this device's data key.
#[server(input = Json, prefix = "/api", endpoint = "recover_device_key")]
pub async fn recover_device_key(username: String, password: String, device_id: String) -> Result<Vec<u8>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let store = store()?;
            let now = chrono::Utc::now().timestamp();
            let Some((token, user)) = store.login(&username, &password, now).await? else {
                return Err(AppError::field("password", "用户名或密码不正确", "Wrong user name or password"));
            };
            set_session_cookie(&token);
            let device = crate::audit::server::clean_device(&device_id);
            store.device_key(&user.id, &device).await?.ok_or_else(|| {
                AppError::field(
                    "device_id",
                    "服务器上没有这台设备的密钥，本机数据无法解锁",
                    "The server holds no key for this device; its data cannot be unlocked",
                )
            })
        }
        .await,
    )
}
