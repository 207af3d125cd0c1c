//! The township manager's list of merged edits that had to choose between two values of a field
//! (see `resident::merge`): which resident, which fields, who sent the losing version, and what it said.

use crate::auth::Role;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictSummary {
    pub id: String,
    pub resident_id: Uuid,
    pub resident_name: String,
    pub village_name: String,
    pub fields: Vec<String>,
    /// The losing version's values of the conflicting fields, as sent.
    pub losing_values: Vec<String>,
    pub author_name: String,
    pub at: String,
}

/// Managers and county administrators review conflicts in their scope; doctors do not.
pub fn may_review(role: Role) -> bool {
    matches!(role, Role::TownshipManager | Role::CountyAdmin)
}

/// Conflicts in the user's villages, newest first.
#[server(input = Json, prefix = "/api", endpoint = "list_conflicts")]
pub async fn list_conflicts() -> Result<Vec<ConflictSummary>, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            if !may_review(user.role) {
                return Err(AppError::Forbidden);
            }
            store()?.conflicts(&user.village_ids()).await
        }
        .await,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_managers_and_administrators_review_conflicts() {
        assert!(may_review(Role::TownshipManager) && may_review(Role::CountyAdmin));
        assert!(!may_review(Role::VillageDoctor) && !may_review(Role::Resident));
    }
}
