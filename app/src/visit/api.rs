//! Server functions of follow-up visits: record a chronic follow-up (validated again here), list a
//! resident's history, and give the form what it needs to pre-fill and apply the rules.

use super::chronic::{ChronicContext, ChronicVisitInput, Disease};
use super::VisitSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use uuid::Uuid;

/// What a follow-up form needs besides the resident: the rules' context and the last visit's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChronicFormData {
    pub resident_name: String,
    pub age: i32,
    pub birth_date: chrono::NaiveDate,
    pub previous_classification: Option<u8>,
    /// The latest visit for the same disease, to carry height, targets and medications forward.
    pub last_visit: Option<ChronicVisitInput>,
}

impl ChronicFormData {
    pub fn rules_context(&self) -> ChronicContext {
        ChronicContext {
            age: self.age,
            birth_date: Some(self.birth_date),
            previous_classification: self.previous_classification,
        }
    }
}

#[server(input = Json, prefix = "/api", endpoint = "chronic_form_context")]
pub async fn chronic_form_context(resident_id: Uuid, disease: Disease) -> Result<ChronicFormData, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let place = store.resident_place(resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            let r = store.get_resident(resident_id).await?.ok_or(AppError::NotFound)?;
            crate::audit::server::read(&user, "form", disease.kind().code(), resident_id).await?;
            let today = chrono::Local::now().date_naive();
            let history = store.visits_of(resident_id).await?;
            let last_visit = match history.iter().find(|v| v.kind == disease.kind()) {
                Some(v) => store.htn_visit(v.id).await?,
                None => None,
            };
            Ok(ChronicFormData {
                resident_name: r.name,
                age: crate::resident::age_on(r.birth_date, today),
                birth_date: r.birth_date,
                previous_classification: store
                    .previous_classification(resident_id, disease, today, Uuid::nil())
                    .await?,
                last_visit,
            })
        }
        .await,
    )
}

/// Records a hypertension follow-up (a new visit or a corrected revision).
#[server(input = Json, prefix = "/api", endpoint = "record_htn_visit")]
pub async fn record_htn_visit(input: ChronicVisitInput) -> Result<VisitSummary, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let (visit_id, resident_id) = (input.visit_id, input.resident_id);
            let summary = record_htn_visit_as(store()?.as_ref(), &user, input).await?;
            crate::audit::server::write(&user, "visit", visit_id, resident_id).await?;
            Ok(summary)
        }
        .await,
    )
}

/// The whole write path of a hypertension visit, shared by the server function and the sync push: scope,
/// the §3.1 rules against the resident's context, revision checks, then the store.
#[cfg(feature = "ssr")]
pub async fn record_htn_visit_as(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    input: ChronicVisitInput,
) -> Result<VisitSummary, AppError> {
    use crate::auth::server::check_village;
    let place = store.resident_place(input.resident_id).await?.ok_or(AppError::NotFound)?;
    check_village(user, &place.village_id)?;
    let urgent = check_htn(&input, &place, chrono::Local::now().date_naive())?;
    store.record_htn_visit(&input, urgent, user, chrono::Utc::now().timestamp()).await
}

/// The §3.1 rules against the resident's context; returns whether the visit is an urgent referral.
///
/// The previous classification is not read here: it only suggests the next step on the form (two
/// 控制不满意 in a row → referral), and the doctor's choice of step stands; what the server enforces is the
/// urgent-referral rule, which depends on this visit alone.
#[cfg(feature = "ssr")]
fn check_htn(
    input: &ChronicVisitInput,
    place: &crate::store::ResidentPlace,
    today: chrono::NaiveDate,
) -> Result<bool, AppError> {
    use super::chronic::{urgent_reasons, validate, ChronicRules};
    let ctx = ChronicContext {
        age: crate::resident::age_on(place.birth_date, input.visit_date),
        birth_date: Some(place.birth_date),
        previous_classification: None,
    };
    let rules = ChronicRules::default();
    validate(input, &ctx, &rules, today)?;
    if input.id != input.visit_id && input.supersedes.is_none() {
        return Err(AppError::field(
            "supersedes",
            "更正记录须指明所更正的版本",
            "A correction must name the revision it replaces",
        ));
    }
    Ok(!urgent_reasons(input, &rules).is_empty())
}

/// The write path of a run of pushed follow-ups: the same scope checks and rules as `record_htn_visit_as`,
/// with the residents' places read once for the whole run and every write in one transaction (where an entry
/// earlier in the run counts for the revision checks of later ones, as if they had been sent one by one).
#[cfg(feature = "ssr")]
pub async fn record_htn_visits_as(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    device_id: &str,
    entries: Vec<(Uuid, ChronicVisitInput)>,
) -> Result<Vec<(Uuid, Result<(), AppError>)>, AppError> {
    use crate::store::BatchVisit;
    let mut ids: Vec<Uuid> = entries.iter().map(|(_, v)| v.resident_id).collect();
    ids.sort();
    ids.dedup();
    let places = store.resident_places(&ids).await?;
    let today = chrono::Local::now().date_naive();
    let now = chrono::Utc::now().timestamp();
    let mut outcomes: Vec<(Uuid, Result<(), AppError>)> = Vec::with_capacity(entries.len());
    let mut batch: Vec<BatchVisit> = Vec::new();
    let mut slots: Vec<usize> = Vec::new();
    for (entry_id, input) in entries {
        let checked = places.get(&input.resident_id).ok_or(AppError::NotFound).and_then(|place| {
            crate::auth::server::check_village(user, &place.village_id)?;
            Ok((check_htn(&input, place, today)?, place.village_id.clone()))
        });
        match checked {
            Ok((urgent, village_id)) => {
                slots.push(outcomes.len());
                outcomes.push((entry_id, Ok(())));
                batch.push(BatchVisit { entry_id, input, urgent, village_id });
            }
            Err(e) => outcomes.push((entry_id, Err(e))),
        }
    }
    if !batch.is_empty() {
        let stored = store.store_htn_batch(&batch, user, device_id, now).await?;
        for (slot, result) in slots.into_iter().zip(stored) {
            outcomes[slot].1 = result;
        }
    }
    Ok(outcomes)
}

/// One recorded revision of a hypertension visit, to correct it.
#[server(input = Json, prefix = "/api", endpoint = "get_htn_visit")]
pub async fn get_htn_visit(id: Uuid) -> Result<ChronicVisitInput, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            let store = store()?;
            let visit = store.htn_visit(id).await?.ok_or(AppError::NotFound)?;
            let place = store.resident_place(visit.resident_id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &place.village_id)?;
            crate::audit::server::read(&user, "visit", visit.visit_id, visit.resident_id).await?;
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
            let visits = store.visits_of(resident_id).await?;
            crate::audit::server::read(&user, "visits", resident_id, resident_id).await?;
            Ok(visits)
        }
        .await,
    )
}
