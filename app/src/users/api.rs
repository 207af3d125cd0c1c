//! Server functions of account management: the county's staff accounts, and switching one off or on.
//! County administrators only, for accounts whose every village lies in their county.

use super::UserRow;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
async fn require_county_admin() -> Result<crate::auth::SessionUser, AppError> {
    let user = crate::auth::server::require_staff().await?;
    if user.role == crate::auth::Role::CountyAdmin {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The staff accounts working in the administrator's county.
#[server(input = Json, prefix = "/api", endpoint = "county_users")]
pub async fn county_users() -> Result<Vec<UserRow>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_county_admin().await?;
            store()?.users_in(&user.village_ids()).await
        }
        .await,
    )
}

/// Switches an account off (its sessions end; its devices' next sync is refused) or on again.
#[server(input = Json, prefix = "/api", endpoint = "set_user_active")]
pub async fn set_user_active(user_id: String, active: bool) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_county_admin().await?;
            if user_id == user.id {
                return Err(AppError::field("user_id", "不能停用自己的账号", "You cannot disable your own account"));
            }
            let store = store()?;
            let villages = store.account_villages(&user_id).await?.ok_or(AppError::NotFound)?;
            if villages.is_empty() || !villages.iter().all(|v| user.can_access_village(v)) {
                tracing::warn!(user = %user.username, target = %user_id, "account outside the county refused");
                return Err(AppError::Forbidden);
            }
            store.set_user_active(&user_id, active).await
        }
        .await,
    )
}
