//! The audit log's search, for the county administrator only: the rows about residents of the county and
//! about lists of its units.

use super::{AuditPage, AuditQuery};
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(input = Json, prefix = "/api", endpoint = "audit_log")]
pub async fn audit_log(query: AuditQuery) -> Result<AuditPage, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            if user.role != crate::auth::Role::CountyAdmin {
                return Err(AppError::Forbidden);
            }
            if let (Some(from), Some(to)) = (query.from, query.to) {
                if from > to {
                    return Err(AppError::field("to", "结束日期早于开始日期", "The last day is before the first"));
                }
            }
            store()?.audit_search(&user.village_ids(), &query, super::AUDIT_PAGE).await
        }
        .await,
    )
}
