//! Server functions of a resident's own account: the family doctors to call, their answers about visits,
//! confirming or disputing a visit, and the days they opened their record. Residents only, each read and
//! write limited to the resident and the children linked to them.

use super::{CareContact, ConfirmInput, Confirmation};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// The logged-in resident's account and the residents it may read (own record first, then linked children).
#[cfg(feature = "ssr")]
pub async fn require_resident() -> Result<(crate::auth::SessionUser, Vec<uuid::Uuid>), AppError> {
    use crate::auth::server::*;
    let user = require_user().await?;
    let own = match (user.role, user.resident_id.as_deref()) {
        (crate::auth::Role::Resident, Some(id)) => {
            uuid::Uuid::parse_str(id).map_err(|e| AppError::internal("resident id", e))?
        }
        _ => return Err(AppError::Forbidden),
    };
    let mut scope = vec![own];
    scope.extend(store()?.linked_children(own).await?);
    Ok((user, scope))
}

/// The village doctors of the resident's village (and of each linked child's, when it differs).
#[server(input = Json, prefix = "/api", endpoint = "care_team")]
pub async fn care_team() -> Result<Vec<CareContact>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let (_, scope) = require_resident().await?;
            let store = store()?;
            let mut villages: Vec<String> =
                store.resident_places(&scope).await?.into_values().map(|p| p.village_id).collect();
            villages.sort();
            villages.dedup();
            let mut out = Vec::new();
            for v in villages {
                out.extend(store.care_team(&v).await?);
            }
            Ok(out)
        }
        .await,
    )
}

/// The resident's answers about their (and their linked children's) visits.
#[server(input = Json, prefix = "/api", endpoint = "my_answers")]
pub async fn my_answers() -> Result<Vec<Confirmation>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let (_, scope) = require_resident().await?;
            store()?.confirmations_of(&scope).await
        }
        .await,
    )
}

/// Confirms a recent visit or says it did not happen. Only entries of the resident's own record or a linked
/// child's, at most `RECENT_DAYS` old; anything else is "not found", so ids cannot be probed.
#[server(input = Json, prefix = "/api", endpoint = "confirm_entry")]
pub async fn confirm_entry(input: ConfirmInput) -> Result<Confirmation, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let (user, scope) = require_resident().await?;
            if !crate::review::ENTITIES.contains(&input.entity.as_str()) {
                return Err(AppError::field("entity", "未知的记录类型", "Unknown kind of entry"));
            }
            let note = input.note.trim().to_string();
            if note.chars().count() > super::MAX_NOTE {
                return Err(AppError::field("note", "说明不能超过200字", "The note is limited to 200 characters"));
            }
            let store = store()?;
            let (resident_id, village_id, date) =
                store.entry_owner(&input.entity, input.entry_id).await?.ok_or(AppError::NotFound)?;
            if !scope.contains(&resident_id) {
                tracing::warn!(user = %user.username, entry = %input.entry_id, "resident answer outside scope refused");
                return Err(AppError::NotFound);
            }
            if !super::confirmable(date, chrono::Local::now().date_naive()) {
                return Err(AppError::field(
                    "entry_id",
                    "只能确认最近90天内的服务",
                    "Only services of the last 90 days can be answered",
                ));
            }
            let c = Confirmation {
                entity: input.entity,
                entry_id: input.entry_id,
                resident_id,
                village_id,
                answer: input.answer,
                note,
                at: chrono::Utc::now().timestamp(),
            };
            store.save_confirmation(&c, &user.id).await?;
            let e = crate::audit::Event::on(crate::audit::Action::Write, "confirmation", c.entry_id, c.resident_id);
            crate::audit::server::log(&user, vec![e.with_detail(format!("{} {:?}", c.entity, c.answer))]).await?;
            Ok(c)
        }
        .await,
    )
}

/// Notes the days the resident opened their record (today, and days the phone was offline), for the
/// "record viewed" indicator, for their own record and each linked child's. Days beyond the last 30 or in
/// the future are ignored.
#[server(input = Json, prefix = "/api", endpoint = "record_viewed")]
pub async fn record_viewed(days: Vec<chrono::NaiveDate>) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let (_, scope) = require_resident().await?;
            if days.len() > 64 {
                return Err(AppError::field("days", "日期过多", "Too many days"));
            }
            let days = super::view_days(&days, chrono::Local::now().date_naive());
            let store = store()?;
            // The page shows the linked children's records too: their guardian viewed them.
            for (id, place) in store.resident_places(&scope).await? {
                store.note_record_views(id, &place.village_id, &days).await?;
            }
            Ok(())
        }
        .await,
    )
}
