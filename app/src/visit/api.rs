//! Server functions of follow-up visits: record a hypertension visit (validated again here), list a
//! resident's history, and give the form what it needs to pre-fill and apply the rules.

use super::hypertension::{HtnContext, HtnVisitInput};
use super::VisitSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use uuid::Uuid;

/// What the hypertension form needs besides the resident: the rules' context and the last visit's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HtnFormData {
    pub resident_name: String,
    pub age: i32,
    pub birth_date: chrono::NaiveDate,
    pub previous_classification: Option<u8>,
    /// The latest visit, to carry height, targets and medications forward.
    pub last_visit: Option<HtnVisitInput>,
}

impl HtnFormData {
    pub fn rules_context(&self) -> HtnContext {
        HtnContext {
            age: self.age,
            birth_date: Some(self.birth_date),
            previous_classification: self.previous_classification,
        }
    }
}

#[server(input = Json, prefix = "/api", endpoint = "htn_form_context")]
pub async fn htn_form_context(resident_id: Uuid) -> Result<HtnFormData, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let place = store.resident_place(resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            let r = store.get_resident(resident_id).await?.ok_or(AppError::NotFound)?;
            let today = chrono::Local::now().date_naive();
            let history = store.visits_of(resident_id).await?;
            let last_visit = match history.first() {
                Some(v) => store.htn_visit(v.id).await?,
                None => None,
            };
            Ok(HtnFormData {
                resident_name: r.name,
                age: crate::resident::age_on(r.birth_date, today),
                birth_date: r.birth_date,
                previous_classification: store.previous_htn_classification(resident_id, today, Uuid::nil()).await?,
                last_visit,
            })
        }
        .await,
    )
}

/// Records a hypertension follow-up (a new visit or a corrected revision).
#[server(input = Json, prefix = "/api", endpoint = "record_htn_visit")]
pub async fn record_htn_visit(input: HtnVisitInput) -> Result<VisitSummary, AppError> {
    use crate::auth::server::*;
    finish(async { record_htn_visit_as(store()?.as_ref(), &require_staff().await?, input).await }.await)
}

/// The whole write path of a hypertension visit, shared by the server function and the sync push: scope,
/// the §3.1 rules against the resident's context, revision checks, then the store.
#[cfg(feature = "ssr")]
pub async fn record_htn_visit_as(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    input: HtnVisitInput,
) -> Result<VisitSummary, AppError> {
    use super::hypertension::{urgent_reasons, validate, HtnRules};
    use crate::auth::server::check_village;
    let place = store.resident_place(input.resident_id).await?.ok_or(AppError::NotFound)?;
    check_village(user, &place.village_id)?;
    let today = chrono::Local::now().date_naive();
    let previous = store.previous_htn_classification(input.resident_id, input.visit_date, input.visit_id).await?;
    let ctx = HtnContext {
        age: crate::resident::age_on(place.birth_date, input.visit_date),
        birth_date: Some(place.birth_date),
        previous_classification: previous,
    };
    let rules = HtnRules::default();
    validate(&input, &ctx, &rules, today)?;
    if input.id != input.visit_id && input.supersedes.is_none() {
        return Err(AppError::field(
            "supersedes",
            "更正记录须指明所更正的版本",
            "A correction must name the revision it replaces",
        ));
    }
    let urgent = !urgent_reasons(&input, &rules).is_empty();
    store.record_htn_visit(&input, urgent, user, chrono::Utc::now().timestamp()).await
}

/// One recorded revision of a hypertension visit, to correct it.
#[server(input = Json, prefix = "/api", endpoint = "get_htn_visit")]
pub async fn get_htn_visit(id: Uuid) -> Result<HtnVisitInput, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let visit = store.htn_visit(id).await?.ok_or(AppError::NotFound)?;
            let place = store.resident_place(visit.resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            Ok(visit)
        }
        .await,
    )
}

/// A resident's follow-up history, newest first.
#[server(input = Json, prefix = "/api", endpoint = "resident_visits")]
pub async fn resident_visits(resident_id: Uuid) -> Result<Vec<VisitSummary>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let place = store.resident_place(resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            store.visits_of(resident_id).await
        }
        .await,
    )
}
