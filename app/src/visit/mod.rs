//! Follow-up visits (随访): the shared wire types of every visit form and the append-only revision model.
//!
//! A visit is never updated in place. Each save is a new revision with its own client-generated UUID; a
//! correction names the revision it supersedes and keeps the logical `visit_id`. The newest revision of each
//! `visit_id` is the current one. This is what lets the offline outbox (next issue) send entries in any order
//! and retry them without ever overwriting a doctor's work.

pub mod api;
pub mod chronic;
pub mod pages;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which national form a visit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitKind {
    /// 高血压患者随访服务记录表
    Hypertension,
    /// 2型糖尿病患者随访服务记录表
    Diabetes,
}

impl VisitKind {
    pub fn code(self) -> &'static str {
        match self {
            VisitKind::Hypertension => "htn",
            VisitKind::Diabetes => "dm",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "htn" => Some(VisitKind::Hypertension),
            "dm" => Some(VisitKind::Diabetes),
            _ => None,
        }
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (VisitKind::Hypertension, true) => "高血压随访",
            (VisitKind::Hypertension, false) => "Hypertension follow-up",
            (VisitKind::Diabetes, true) => "糖尿病随访",
            (VisitKind::Diabetes, false) => "Diabetes follow-up",
        }
    }
}

/// One medication line (用药情况 / 用药调整意见).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Medication {
    pub name: String,
    /// 每日次数
    pub times_per_day: u8,
    /// 每次剂量 with its unit, as written on the prescription ("5mg").
    pub dose: String,
}

/// 转诊.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub reason: String,
    /// 机构及科别
    pub institution: String,
    pub contact: String,
    /// 1 到位, 2 不到位; unknown until the doctor checks.
    pub result: Option<u8>,
}

/// A visit in the resident's history list (newest first), current revisions only. Empty readings are left
/// out of the JSON, as in the forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitSummary {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub revision: i64,
    pub kind: VisitKind,
    pub visit_date: NaiveDate,
    pub outcome: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbp: Option<i32>,
    /// 空腹血糖 (mmol/L), the reading a diabetes history list shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbg: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_mgmt: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_visit_date: Option<NaiveDate>,
    pub urgent: bool,
    /// The resident signed for the visit (两卡制).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub signed: bool,
    pub author_name: String,
    pub recorded_at: String,
    /// The township's review of this visit, sent to the doctor's phone with it (`review`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Box<crate::review::ReviewNote>>,
}

impl VisitSummary {
    /// The history row of a chronic follow-up revision, as the server stores it and as a device shows an
    /// unsynced one. `recorded_at` is when it was received (server) or saved (device), as `local_time`.
    pub fn of_chronic(
        v: &chronic::ChronicVisitInput,
        revision: i64,
        urgent: bool,
        author_name: &str,
        recorded_at: String,
    ) -> Self {
        VisitSummary {
            id: v.id,
            visit_id: v.visit_id,
            revision,
            kind: v.disease.kind(),
            visit_date: v.visit_date,
            outcome: v.outcome,
            mode: v.mode,
            sbp: v.sbp,
            dbp: v.dbp,
            fbg: v.fbg,
            classification: v.classification,
            next_mgmt: v.next_mgmt,
            next_visit_date: v.next_visit_date,
            urgent,
            signed: v.signature.is_some(),
            author_name: author_name.to_string(),
            recorded_at,
            review: None,
        }
    }
}

/// The form every page shows times in: local "YYYY-MM-DD HH:MM".
pub const LOCAL_TIME: &str = "%Y-%m-%d %H:%M";

/// Unix seconds as local "YYYY-MM-DD HH:MM", the form every page shows times in.
pub fn local_time(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| t.with_timezone(&chrono::Local).format(LOCAL_TIME).to_string())
        .unwrap_or_default()
}

/// A time in the form `local_time` writes; none for an empty or unreadable one.
pub fn parse_local_time(s: &str) -> Option<chrono::NaiveDateTime> {
    chrono::NaiveDateTime::parse_from_str(s, LOCAL_TIME).ok()
}
