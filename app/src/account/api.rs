//! Server functions of residents' accounts: a doctor issues an activation code; a resident activates.

use super::{ActivateInput, ActivationCode};
use crate::auth::SessionUser;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;
use uuid::Uuid;

/// Issues a new activation code for a resident of the doctor's villages (earlier unused codes stop working).
#[server(input = Json, prefix = "/api", endpoint = "issue_activation")]
pub async fn issue_activation(resident_id: Uuid) -> Result<ActivationCode, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let resident = store.get_resident(resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &resident.village_id)?;
            if resident.id_no.is_none() {
                return Err(AppError::field(
                    "id_no",
                    "该居民档案没有身份证号，无法开通（居民以身份证号登录）",
                    "The record has no ID number, which the resident logs in with",
                ));
            }
            let now = chrono::Utc::now().timestamp();
            let code = store.issue_activation(resident_id, &user.id, now, now + super::CODE_DAYS * 86_400).await?;
            Ok(ActivationCode { code, expires_at: crate::visit::local_time(now + super::CODE_DAYS * 86_400) })
        }
        .await,
    )
}

/// Activates a resident's account with their ID number and a code, sets the password, and logs them in.
#[server(input = Json, prefix = "/api", endpoint = "activate")]
pub async fn activate(input: ActivateInput) -> Result<SessionUser, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let today = chrono::Local::now().date_naive();
            let id = crate::resident::id_number::IdNumber::parse(&input.id_no, today)
                .map_err(|e| AppError::field("id_no", &e.zh(), &e.en()))?;
            let code = super::normalize_code(&input.code)
                .ok_or_else(|| AppError::field("code", "开通码为8位数字", "The code is 8 digits"))?;
            if let Some((zh, en)) = super::password_problem(&input.password, id.as_str()) {
                return Err(AppError::field("password", zh, en));
            }
            let now = chrono::Utc::now().timestamp();
            let Some((token, user)) = store()?.activate(id.as_str(), &code, &input.password, now).await? else {
                return Err(AppError::field(
                    "code",
                    "身份证号或开通码不正确，或开通码已使用、已过期",
                    "Wrong ID number or code, or the code was used or has expired",
                ));
            };
            set_session_cookie(&token);
            Ok(user)
        }
        .await,
    )
}
