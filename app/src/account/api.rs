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
            crate::audit::server::write(&user, "activation", resident_id, resident_id).await?;
            let url = super::activation_url(&origin(), &code);
            let qr_svg = qrcode::QrCode::new(url.as_bytes())
                .map_err(|e| AppError::internal("qr code", e))?
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .build();
            Ok(ActivationCode {
                code,
                expires_at: crate::visit::local_time(now + super::CODE_DAYS * 86_400),
                url,
                qr_svg,
            })
        }
        .await,
    )
}

/// The address the doctor's phone reached the server at (what the resident's phone will reach too), from
/// the request's Host header; only host characters are kept.
#[cfg(feature = "ssr")]
fn origin() -> String {
    let parts = use_context::<axum::http::request::Parts>();
    let header =
        |name: &str| parts.as_ref().and_then(|p| p.headers.get(name)).and_then(|h| h.to_str().ok()).map(str::to_string);
    let host: String = header("host")
        .unwrap_or_else(|| "localhost".into())
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '[' | ']'))
        .take(100)
        .collect();
    let scheme = if header("x-forwarded-proto").as_deref() == Some("https") { "https" } else { "http" };
    format!("{scheme}://{host}")
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

/// Links a child of the household to a parent's account (or unlinks it): the parent's phone then shows the
/// child's record and vaccination card. Both in the doctor's villages, the same household, the child under 18.
#[server(input = Json, prefix = "/api", endpoint = "link_child")]
pub async fn link_child(parent_id: Uuid, child_id: Uuid, linked: bool) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let parent = store.get_resident(parent_id).await?.ok_or(AppError::NotFound)?;
            let child = store.get_resident(child_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &parent.village_id)?;
            check_village(&user, &child.village_id)?;
            let today = chrono::Local::now().date_naive();
            if parent_id == child_id
                || parent.household_id != child.household_id
                || crate::resident::age_on(child.birth_date, today) >= 18
            {
                return Err(AppError::field(
                    "child_id",
                    "只能关联同一家庭中未满18岁的子女",
                    "Only a child under 18 of the same household can be linked",
                ));
            }
            store.set_link(parent_id, child_id, linked, &user.id, chrono::Utc::now().timestamp()).await?;
            let detail = format!("child {child_id} linked={linked}");
            let event = crate::audit::Event::on(crate::audit::Action::Write, "link", parent_id, parent_id);
            crate::audit::server::log(&user, vec![event.with_detail(detail)]).await
        }
        .await,
    )
}

/// The children linked to a parent's account (staff in scope of the parent).
#[server(input = Json, prefix = "/api", endpoint = "linked_children")]
pub async fn linked_children(parent_id: Uuid) -> Result<Vec<Uuid>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let parent = store.get_resident(parent_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &parent.village_id)?;
            let children = store.linked_children(parent_id).await?;
            crate::audit::server::read(&user, "children", parent_id, parent_id).await?;
            Ok(children)
        }
        .await,
    )
}
