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

/// A resident field's name on the form, for the conflict list.
pub fn field_label(field: &str, zh: bool) -> String {
    let (z, e) = match field {
        "name" => ("姓名", "Name"),
        "id_no" => ("身份证号", "ID number"),
        "sex" => ("性别", "Sex"),
        "birth_date" => ("出生日期", "Birth date"),
        "phone" => ("本人电话", "Phone"),
        "address" => ("现住址", "Address"),
        "relation" => ("与户主关系", "Relation to head"),
        "household_id" => ("家庭", "Household"),
        "village_id" => ("村", "Village"),
        "residence_type" => ("常住类型", "Residence"),
        "ethnicity" => ("民族", "Ethnicity"),
        "blood_abo" => ("血型", "Blood type"),
        "education" => ("文化程度", "Education"),
        "occupation" => ("职业", "Occupation"),
        "marital" => ("婚姻状况", "Marital status"),
        "payment" => ("医疗费用支付方式", "Payment"),
        "status" => ("档案状态", "Record status"),
        "flags" => ("重点人群", "Key groups"),
        other => return other.to_string(),
    };
    (if zh { z } else { e }).to_string()
}

/// A set-aside value as the form shows it: coded fields by their label.
pub fn value_label(field: &str, value: &str, zh: bool) -> String {
    use crate::codes::{self, label};
    let table = match field {
        "sex" => codes::SEX,
        "relation" => codes::RELATION,
        "residence_type" => codes::RESIDENCE_TYPE,
        "ethnicity" => codes::ETHNICITY,
        "blood_abo" => codes::BLOOD_ABO,
        "education" => codes::EDUCATION,
        "occupation" => codes::OCCUPATION,
        "marital" => codes::MARITAL,
        "status" => codes::RECORD_STATUS,
        "payment" => codes::PAYMENT,
        _ => return value.to_string(),
    };
    // Lists (payment) arrive as JSON arrays; single codes as numbers.
    let items: Vec<u8> =
        serde_json::from_str::<Vec<u8>>(value).or_else(|_| value.parse::<u8>().map(|c| vec![c])).unwrap_or_default();
    if items.is_empty() {
        return value.to_string();
    }
    items.iter().map(|c| label(table, *c, zh)).collect::<Vec<_>>().join("、")
}

/// Conflicts in the user's villages not yet reviewed, newest first.
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

/// Marks a conflict reviewed (已核实): the manager checked the kept value against the set-aside one.
#[server(input = Json, prefix = "/api", endpoint = "resolve_conflict")]
pub async fn resolve_conflict(id: String) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            if !may_review(user.role) {
                return Err(AppError::Forbidden);
            }
            let store = store()?;
            let village = store.conflict_village(&id).await?.ok_or(AppError::NotFound)?;
            check_village(&user, &village)?;
            store.resolve_conflict(&id, &user.id, chrono::Utc::now().timestamp()).await?;
            let e = crate::audit::Event::in_village(crate::audit::Action::Write, "conflict", &id, &village);
            crate::audit::server::log(&user, vec![e]).await
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

    #[test]
    fn conflicting_fields_and_coded_values_read_as_on_the_form() {
        assert_eq!(field_label("address", true), "现住址");
        assert_eq!(field_label("marital", false), "Marital status");
        assert_eq!(value_label("marital", "2", true), "已婚");
        assert_eq!(value_label("payment", "[1,2]", true), "城镇职工基本医疗保险、城乡居民基本医疗保险");
        assert_eq!(value_label("address", "三组8号", true), "三组8号");
    }
}
