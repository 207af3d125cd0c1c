//! Server functions of the resident registry. Each checks the session, the role and the village scope on the
//! server before touching a record, and validates input again with the shared rules.

use super::{HouseholdOption, Resident, ResidentInput, ResidentPage, ResidentQuery};
use crate::auth::Village;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;
use uuid::Uuid;

/// Residents of the user's villages, searched and filtered, one page at a time.
#[server(input = Json, prefix = "/api", endpoint = "list_residents")]
pub async fn list_residents(query: ResidentQuery) -> Result<ResidentPage, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            if query.q.chars().count() > 50 {
                return Err(AppError::field("q", "搜索内容不能超过50个字", "Search text is too long"));
            }
            let villages = match &query.village_id {
                Some(v) => {
                    check_village(&user, v)?;
                    vec![v.clone()]
                }
                None => user.village_ids(),
            };
            let page = store()?.list_residents(&villages, &query, chrono::Local::now().date_naive()).await?;
            let detail = format!("q={} n={}", query.q, page.total);
            let org = villages.first().cloned();
            crate::audit::server::log(&user, vec![crate::audit::Event::list("residents", org, detail)]).await?;
            Ok(page)
        }
        .await,
    )
}

/// One resident's full record.
#[server(input = Json, prefix = "/api", endpoint = "get_resident")]
pub async fn get_resident(id: Uuid) -> Result<Resident, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let place = store.resident_place(id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            let r = store.get_resident(id).await?.ok_or(AppError::NotFound)?;
            crate::audit::server::read(&user, "resident", id, id).await?;
            Ok(r)
        }
        .await,
    )
}

/// Adds a resident or saves an edit; returns the record's id.
#[server(input = Json, prefix = "/api", endpoint = "save_resident")]
pub async fn save_resident(input: ResidentInput) -> Result<Uuid, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let id = save_resident_as(store()?.as_ref(), &user, input).await?;
            crate::audit::server::write(&user, "resident", id, id).await?;
            Ok(id)
        }
        .await,
    )
}

/// The whole write path of a resident entry, shared by the server function and the sync push: role,
/// validation, scope of the target village and of the stored record, household, then the store.
#[cfg(feature = "ssr")]
pub async fn save_resident_as(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    input: ResidentInput,
) -> Result<Uuid, AppError> {
    use crate::auth::server::check_village;
    if !user.role.is_staff() {
        return Err(AppError::Forbidden);
    }
    let valid = input.validate(chrono::Local::now().date_naive())?;
    check_village(user, &valid.input.village_id)?;
    // An edit may not move a record out of, or into, a village the user does not hold.
    if let Some(place) = store.resident_place(valid.input.id).await? {
        check_village(user, &place.village_id)?;
    }
    if let Some(h) = &valid.input.household_id {
        match store.household_village(h).await? {
            Some(v) if v == valid.input.village_id => {}
            Some(_) => {
                return Err(AppError::field("household_id", "该户不属于所选村", "The household is in another village"))
            }
            None => return Err(AppError::field("household_id", "户不存在", "No such household")),
        }
    }
    store.save_resident(&valid, user, chrono::Utc::now().timestamp()).await
}

/// Residents of the township of `village_id` who may be the person about to be recorded as `id` (a similar
/// name, the same birth date): the online half of the duplicate check, covering villages the phone does not
/// hold. Candidates only: name, village and record number, nothing of their health.
#[server(input = Json, prefix = "/api", endpoint = "duplicate_residents")]
pub async fn duplicate_residents(
    village_id: String,
    id: Uuid,
    name: String,
    birth_date: chrono::NaiveDate,
) -> Result<Vec<super::duplicates::Candidate>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            check_village(&user, &village_id)?;
            if name.trim().is_empty() || name.chars().count() > super::NAME_MAX {
                return Err(AppError::field(
                    "name",
                    "请输入姓名（不超过50个字）",
                    "Enter the name (at most 50 characters)",
                ));
            }
            let born = store()?.township_born_on(&village_id, birth_date).await?;
            let found = super::duplicates::candidates(id, &name, birth_date, born.iter());
            let detail = format!("duplicates of {name} {birth_date}: {}", found.len());
            crate::audit::server::log(&user, vec![crate::audit::Event::list("residents", Some(village_id), detail)])
                .await?;
            Ok(found)
        }
        .await,
    )
}

/// The villages the user works in (for the village picker of the forms and filters).
#[server(input = Json, prefix = "/api", endpoint = "my_villages")]
pub async fn my_villages() -> Result<Vec<Village>, AppError> {
    use crate::auth::server::*;
    finish(async { Ok(require_staff().await?.villages) }.await)
}

/// Households of one village, to add a family member to.
#[server(input = Json, prefix = "/api", endpoint = "list_households")]
pub async fn list_households(village_id: String) -> Result<Vec<HouseholdOption>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            check_village(&user, &village_id)?;
            store()?.households(&village_id).await
        }
        .await,
    )
}
