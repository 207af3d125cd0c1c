//! The review queue's server functions: township managers and county administrators list, open and judge
//! the entries of their villages. Doctors do not review (their own returned entries reach them by sync).

use super::{ReviewDetail, ReviewFilter, ReviewItem, Verdict};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;
use uuid::Uuid;

/// The entries matching `filter` in the reviewer's villages, newest first.
#[server(input = Json, prefix = "/api", endpoint = "review_queue")]
pub async fn review_queue(filter: ReviewFilter) -> Result<Vec<ReviewItem>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_reviewer().await?;
            if let Some(v) = &filter.village_id {
                check_village(&user, v)?;
            }
            if filter.from.zip(filter.to).is_some_and(|(a, b)| a > b) {
                return Err(AppError::field("from", "开始日期应早于结束日期", "The start must be before the end"));
            }
            let items = store()?.review_queue(&user.village_ids(), &filter, None).await?;
            let org = filter.village_id.clone().or_else(|| user.villages.first().map(|v| v.id.clone()));
            let detail = format!("review queue n={}", items.len());
            crate::audit::server::log(&user, vec![crate::audit::Event::list("review", org, detail)]).await?;
            Ok(items)
        }
        .await,
    )
}

/// One entry with every field of its current revision.
#[server(input = Json, prefix = "/api", endpoint = "review_entry")]
pub async fn review_entry(entity: String, entry_id: Uuid) -> Result<ReviewDetail, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_reviewer().await?;
            let item = find(&user, &entity, entry_id).await?;
            let form = store()?.entry_form(&entity, entry_id).await?.ok_or(AppError::NotFound)?;
            let mut fields = Vec::new();
            super::flatten("", &form, &mut fields);
            // Ids and the signature drawing say nothing to a reviewer.
            fields.retain(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "id" | "visit_id"
                        | "record_id"
                        | "resident_id"
                        | "supersedes"
                        | "signature"
                        | "device_id"
                        | "village_id"
                )
            });
            crate::audit::server::log(&user, vec![event(crate::audit::Action::Read, &item)]).await?;
            Ok(ReviewDetail { item, fields })
        }
        .await,
    )
}

/// Marks the revision `revision_id` of an entry reviewed, or returns it to its doctor with a comment.
#[server(input = Json, prefix = "/api", endpoint = "review_set")]
pub async fn review_set(
    entity: String,
    entry_id: Uuid,
    revision_id: Uuid,
    verdict: Verdict,
    comment: String,
) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_reviewer().await?;
            let comment = comment.trim();
            if verdict == Verdict::Returned && comment.is_empty() {
                return Err(AppError::field(
                    "comment",
                    "退回时请写明需要更正的内容",
                    "Say what to correct when returning an entry",
                ));
            }
            if comment.chars().count() > super::MAX_COMMENT {
                return Err(AppError::field(
                    "comment",
                    "意见不能超过500字",
                    "The comment is limited to 500 characters",
                ));
            }
            let item = find(&user, &entity, entry_id).await?;
            store()?
                .set_review(&crate::store::Verdicts {
                    entity: &entity,
                    entry_id,
                    revision_id,
                    verdict,
                    comment,
                    reviewer_id: &user.id,
                    village_id: &item.village_id,
                    now: chrono::Utc::now().timestamp(),
                })
                .await?;
            let e = event(crate::audit::Action::Write, &item).with_detail(format!("review {}", verdict.code()));
            crate::audit::server::log(&user, vec![e]).await
        }
        .await,
    )
}

/// A township manager or county administrator.
#[cfg(feature = "ssr")]
pub async fn require_reviewer() -> Result<crate::auth::SessionUser, AppError> {
    use crate::auth::Role;
    let user = crate::auth::server::require_staff().await?;
    match user.role {
        Role::TownshipManager | Role::CountyAdmin => Ok(user),
        _ => Err(AppError::Forbidden),
    }
}

/// The queue line of an entry in the user's villages: 404 when it does not exist, 403 when it is elsewhere.
#[cfg(feature = "ssr")]
async fn find(user: &crate::auth::SessionUser, entity: &str, entry_id: Uuid) -> Result<ReviewItem, AppError> {
    use crate::auth::server::*;
    if !super::ENTITIES.contains(&entity) {
        return Err(AppError::field("entity", "记录类型无效", "Unknown entry type"));
    }
    let store = store()?;
    let found = store.review_queue(&user.village_ids(), &ReviewFilter::default(), Some(entry_id)).await?;
    if let Some(item) = found.into_iter().find(|i| i.entity == entity) {
        return Ok(item);
    }
    // Not in scope: tell apart an entry elsewhere (403) from none at all (404).
    let exists = store.entry_form(entity, entry_id).await?.is_some();
    Err(if exists { AppError::Forbidden } else { AppError::NotFound })
}

/// The audit row of a review action on an entry (under its resident, or its village for a session).
#[cfg(feature = "ssr")]
fn event(action: crate::audit::Action, item: &ReviewItem) -> crate::audit::Event {
    use crate::audit::Event;
    let entity = if item.entity == "visit" { "visit" } else { "record" };
    match item.resident_id {
        Some(r) => Event::on(action, entity, item.entry_id, r),
        None => Event::in_village(action, entity, item.entry_id, &item.village_id),
    }
}
