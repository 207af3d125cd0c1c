//! Accounts, roles and the place of each user in the hierarchy (county 县 → township 乡镇卫生院 → village 村卫生室).
//!
//! The scope rule lives here as plain data so the browser can hide what the server will refuse anyway; the
//! server resolves a user's villages on every request and checks each record against them.

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 乡村医生: one or more villages.
    VillageDoctor,
    /// 乡镇卫生院 manager: one township.
    TownshipManager,
    /// 县卫健委 administrator: one county.
    CountyAdmin,
    /// A resident, linked to their own record (pages come later).
    Resident,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::VillageDoctor => "village_doctor",
            Role::TownshipManager => "township_manager",
            Role::CountyAdmin => "county_admin",
            Role::Resident => "resident",
        }
    }

    pub fn from_code(s: &str) -> Option<Role> {
        [Role::VillageDoctor, Role::TownshipManager, Role::CountyAdmin, Role::Resident]
            .into_iter()
            .find(|r| r.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Role::VillageDoctor, true) => "乡村医生",
            (Role::VillageDoctor, false) => "Village doctor",
            (Role::TownshipManager, true) => "乡镇卫生院管理员",
            (Role::TownshipManager, false) => "Township manager",
            (Role::CountyAdmin, true) => "县级管理员",
            (Role::CountyAdmin, false) => "County administrator",
            (Role::Resident, true) => "居民",
            (Role::Resident, false) => "Resident",
        }
    }

    /// Staff roles keep and read resident records within their scope.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Resident)
    }
}

/// A village the user may work in, with its township for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Village {
    pub id: String,
    pub code: String,
    pub name: String,
    pub township_name: String,
}

/// The logged-in user as every request sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Name of the org unit the account belongs to (village list for doctors, township, county).
    pub org_name: String,
    /// Every village in the user's scope; residents have none.
    pub villages: Vec<Village>,
    /// For a resident account, the linked resident record.
    pub resident_id: Option<String>,
}

impl SessionUser {
    /// Whether a record kept in `village_id` is within this user's scope.
    pub fn can_access_village(&self, village_id: &str) -> bool {
        self.role.is_staff() && self.villages.iter().any(|v| v.id == village_id)
    }

    pub fn village_ids(&self) -> Vec<String> {
        self.villages.iter().map(|v| v.id.clone()).collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginInput {
    pub username: String,
    pub password: String,
}

const USER_KEY: &str = "cunyi.user";

/// Remembers (or forgets, on `None`) the user the server confirmed, so the app can start offline.
pub fn remember_user(user: Option<&SessionUser>) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        match user {
            Some(u) => {
                let _ = LocalStorage::set(USER_KEY, u);
            }
            None => LocalStorage::delete(USER_KEY),
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (user, USER_KEY);
}

/// The last user the server confirmed on this device (browser only).
pub fn remembered_user() -> Option<SessionUser> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::{LocalStorage, Storage};
        LocalStorage::get(USER_KEY).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> SessionUser {
        SessionUser {
            id: "u".into(),
            username: "u".into(),
            display_name: "u".into(),
            role,
            org_name: "x".into(),
            villages: vec![Village {
                id: "v1".into(),
                code: "1".into(),
                name: "一村".into(),
                township_name: "t".into(),
            }],
            resident_id: None,
        }
    }

    #[test]
    fn staff_reach_only_villages_in_their_scope() {
        assert!(user(Role::VillageDoctor).can_access_village("v1"));
        assert!(!user(Role::VillageDoctor).can_access_village("v2"));
    }

    #[test]
    fn residents_never_reach_records_through_village_scope() {
        assert!(!user(Role::Resident).can_access_village("v1"));
    }

    #[test]
    fn role_codes_round_trip() {
        for r in [Role::VillageDoctor, Role::TownshipManager, Role::CountyAdmin, Role::Resident] {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}
