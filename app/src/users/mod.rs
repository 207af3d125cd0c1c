//! Accounts as the county administrator (县卫健委) manages them: who works in the county, and switching an
//! account off. A disabled account's sessions end at once, its next request (a phone's sync too) is refused
//! and it cannot log in until switched on again.

pub mod api;
pub mod pages;

use crate::auth::Role;
use serde::{Deserialize, Serialize};

/// One staff account of the county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The township (managers) or the villages (doctors) the account works in.
    pub place: String,
    pub active: bool,
}
