//! The township's side of the five-colour grade: the register of open pregnancies in its villages with the
//! village screen's findings and the current grade (`pregnancy_register`), and the grading itself
//! (`grade_pregnancy`), stored through the same write path as a pushed record so it syncs to the doctor.

use super::risk::{RiskFlag, RiskGrade};
use crate::error::AppError;
use crate::record::RecordInput;
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use uuid::Uuid;

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PregnancyRow {
    /// The registration's `record_id` (what a grade names).
    pub pregnancy_id: Uuid,
    pub resident_id: Uuid,
    pub village_id: String,
    pub village_name: String,
    pub name: String,
    pub registration_date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    /// The village screen's positive items.
    pub flags: Vec<RiskFlag>,
    pub grade: Option<RiskGrade>,
    pub reasons: String,
}

/// The open pregnancies of the caller's villages (township manager or county administrator).
#[server(input = Json, prefix = "/api", endpoint = "pregnancy_register")]
pub async fn pregnancy_register() -> Result<Vec<PregnancyRow>, AppError> {
    use crate::auth::server::*;
    use crate::record::RecordKind;
    finish(
        async {
            let user = crate::review::api::require_reviewer().await?;
            let store = store()?;
            let today = crate::device::today();
            // A registration is dated the day it was made, on or after the last period, so no pregnancy
            // still open today was registered before this; its delivery and grades come after it.
            let f = crate::store::RecordFilter {
                villages: user.village_ids(),
                kinds: vec![RecordKind::Pregnancy, RecordKind::Childbirth, RecordKind::RiskGrade],
                since: Some(today - chrono::Days::new(super::MAX_GA_DAYS as u64)),
                limit: crate::store::MAX_RECORDS,
                ..Default::default()
            };
            let records = store.records(&f).await?;
            let open = super::grading::open_pregnancies(&records, today);
            let ids: Vec<Uuid> = open.iter().filter_map(|o| o.registration.record.resident_id).collect();
            let women: std::collections::HashMap<Uuid, crate::resident::Resident> =
                store.get_residents(&ids).await?.into_iter().map(|r| (r.id, r)).collect();
            let mut rows = Vec::new();
            for open in open {
                let Some(resident_id) = open.registration.record.resident_id else { continue };
                let Some(woman) = women.get(&resident_id) else { continue };
                rows.push(PregnancyRow {
                    pregnancy_id: open.registration.record.record_id,
                    resident_id,
                    village_id: woman.village_id.clone(),
                    village_name: woman.village_name.clone(),
                    name: woman.name.clone(),
                    registration_date: open.input.registration_date,
                    due_date: open.input.lmp_estimate().map(super::edd),
                    flags: super::risk::risk_flags(open.input, woman.birth_date),
                    grade: open.grade.map(|g| g.grade),
                    reasons: open.grade.map(|g| g.reasons.clone()).unwrap_or_default(),
                });
            }
            let detail = format!("pregnancy register n={}", rows.len());
            crate::audit::server::log(&user, vec![crate::audit::Event::list("records", None, detail)]).await?;
            Ok(rows)
        }
        .await,
    )
}

/// Grades one pregnancy: a `risk_grade` record of the mother, checked and stored like a pushed record
/// (scope, the shared rules) and audited.
#[server(input = Json, prefix = "/api", endpoint = "grade_pregnancy")]
pub async fn grade_pregnancy(input: RecordInput) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = crate::review::api::require_reviewer().await?;
            if !matches!(input.body, crate::record::RecordBody::RiskGrade(_)) {
                return Err(AppError::Forbidden);
            }
            let store = store()?;
            let w = crate::store::Written {
                entry_id: input.id,
                author: &user,
                device_id: "web",
                now: chrono::Utc::now().timestamp(),
            };
            crate::record::api::save_record_as(store.as_ref(), &w, &input).await?;
            let event = crate::audit::Event::record(crate::audit::Action::Write, &input);
            crate::audit::server::log(&user, vec![event]).await
        }
        .await,
    )
}
