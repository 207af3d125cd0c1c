//! The data-quality server functions: the flags and the verification sample of a unit for a period, drawing
//! a sample, and recording a call. Township managers and county administrators, within their units.

use super::{CallOutcome, QualityFindings};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;
use uuid::Uuid;

/// The flags of the period's follow-ups under `org_id` (the user's top unit when None) and its sample.
#[server(input = Json, prefix = "/api", endpoint = "quality_report")]
pub async fn quality_report(org_id: Option<String>, period: String) -> Result<QualityFindings, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = crate::review::api::require_reviewer().await?;
            findings_for(store()?.as_ref(), &user, org_id.as_deref(), &period).await
        }
        .await,
    )
}

/// The flags and the sample of a unit and period for a reviewer (the page and the export).
#[cfg(feature = "ssr")]
pub async fn findings_for(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    org_id: Option<&str>,
    period: &str,
) -> Result<QualityFindings, AppError> {
    let (org, villages, p) = scope(store, user, org_id, period).await?;
    // Six months before the period, for runs of copied readings that end in it.
    let lookback = p.start.checked_sub_months(chrono::Months::new(6)).unwrap_or(p.start);
    let facts = store.visit_facts(&villages, lookback, p.end).await?;
    let checked =
        facts.iter().filter(|v| p.contains(v.date) && v.outcome == crate::visit::chronic::OUTCOME_VISITED).count();
    let answers = store.confirmations_in(&villages).await?.into_iter().map(|c| (c.entry_id, c.answer)).collect();
    let flags = super::flags(&facts, &p, &answers, &super::RULES);
    let sample = store.sample(&villages, p.start, p.end).await?;
    Ok(QualityFindings { org_name: org, period: p.key(), checked, flags, sample })
}

/// Draws `size` more visits of the period for verification calls.
#[server(input = Json, prefix = "/api", endpoint = "draw_sample")]
pub async fn draw_sample(org_id: Option<String>, period: String, size: u32) -> Result<usize, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = crate::review::api::require_reviewer().await?;
            if !(1..=super::MAX_SAMPLE).contains(&size) {
                return Err(AppError::field("size", "抽样数量应为1–100", "The sample size must be 1–100"));
            }
            let store = store()?;
            let (_, villages, p) = scope(store.as_ref(), &user, org_id.as_deref(), &period).await?;
            let n =
                store.draw_sample(&villages, p.start, p.end, size, &user.id, chrono::Utc::now().timestamp()).await?;
            let org = org_id.or_else(|| villages.first().cloned());
            let e = crate::audit::Event::list("call", org, format!("sample {period} n={n}"));
            crate::audit::server::log(&user, vec![e]).await?;
            Ok(n)
        }
        .await,
    )
}

/// Records what the caller heard about a drawn visit.
#[server(input = Json, prefix = "/api", endpoint = "record_call")]
pub async fn record_call(id: Uuid, outcome: CallOutcome, note: String) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = crate::review::api::require_reviewer().await?;
            if note.chars().count() > 200 {
                return Err(AppError::field("note", "备注不能超过200字", "The note is limited to 200 characters"));
            }
            let store = store()?;
            let village = store.verification_village(id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &village)?;
            store.record_call(id, outcome, note.trim(), &user.id, chrono::Utc::now().timestamp()).await?;
            let e = crate::audit::Event::in_village(crate::audit::Action::Write, "call", id, &village);
            crate::audit::server::log(&user, vec![e]).await
        }
        .await,
    )
}

/// The unit's name, its villages and the period, checked against the user's scope.
#[cfg(feature = "ssr")]
async fn scope(
    store: &dyn crate::store::Store,
    user: &crate::auth::SessionUser,
    org_id: Option<&str>,
    period: &str,
) -> Result<(String, Vec<String>, crate::indicator::Period), AppError> {
    use crate::indicator::api::{in_scope, parse_period, top_node};
    let p = parse_period(period)?;
    let tree = crate::indicator::report::Tree::new(store.org_units().await?);
    let top = top_node(&tree, user).ok_or(AppError::Forbidden)?;
    let unit = in_scope(&tree, user, org_id.unwrap_or(&top.id))?;
    Ok((unit.name.clone(), tree.villages(&unit.id), p))
}
