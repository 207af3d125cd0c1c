//! A resident's own record (健康档案随身带, issue 7): what a resident's account reads (their record and the
//! children of the household a doctor linked to it, pulled to the phone like a doctor's scope, read-only),
//! their answers about recent visits (两卡制 proof: confirmed, or "this visit did not happen"), and the
//! plain-language lines the pages show.

pub mod api;
pub mod pages;

use crate::visit::VisitSummary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many days after a visit the resident can still confirm or dispute it.
pub const RECENT_DAYS: i64 = 90;
/// The longest note a resident may add to an answer.
pub const MAX_NOTE: usize = 200;
/// How far back a phone may report record views it could not send while offline.
pub const VIEW_DAYS_BACK: i64 = 30;

/// A resident's answer about a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// 确认：the visit happened.
    Confirmed,
    /// 否认：the visit did not happen.
    Disputed,
}

impl Answer {
    pub fn code(self) -> &'static str {
        match self {
            Answer::Confirmed => "confirmed",
            Answer::Disputed => "disputed",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        [Answer::Confirmed, Answer::Disputed].into_iter().find(|a| a.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Answer::Confirmed, true) => "居民已确认",
            (Answer::Confirmed, false) => "Confirmed by the resident",
            (Answer::Disputed, true) => "居民否认此次服务",
            (Answer::Disputed, false) => "Disputed by the resident",
        }
    }
}

/// What the resident sends about one entry: `entity` "visit" (a chronic follow-up, by `visit_id`) or
/// "record" (a service record, by `record_id`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmInput {
    pub entity: String,
    pub entry_id: Uuid,
    pub answer: Answer,
    #[serde(default)]
    pub note: String,
}

/// A stored answer, as the resident's page and the township's views read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confirmation {
    pub entity: String,
    pub entry_id: Uuid,
    pub resident_id: Uuid,
    pub village_id: String,
    pub answer: Answer,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub at: i64,
}

/// The family doctor of the resident's village, with a number to call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CareContact {
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub village_name: String,
}

/// Whether a visit on `date` can still be answered on `today` (not in the future, at most `RECENT_DAYS` ago).
pub fn confirmable(date: NaiveDate, today: NaiveDate) -> bool {
    let age = (today - date).num_days();
    (0..=RECENT_DAYS).contains(&age)
}

/// The days a phone may report as views of the record on `today`: not in the future, at most
/// `VIEW_DAYS_BACK` days old, each once, at most that many.
pub fn view_days(days: &[NaiveDate], today: NaiveDate) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> =
        days.iter().copied().filter(|d| (0..=VIEW_DAYS_BACK).contains(&(today - *d).num_days())).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// One follow-up in plain words, e.g. "医生当面随访；血压 150/95 mmHg，偏高；下次随访 2026-12-01". Readings are
/// "high" against the follow-up's own control targets (`visit::chronic::bp_controlled`, `ChronicRules`):
/// 140/90, or 150/90 from 65; fasting glucose 7.0.
pub fn visit_line(v: &VisitSummary, age: i32, zh: bool) -> String {
    let rules = crate::visit::chronic::ChronicRules::default();
    let mut parts: Vec<String> = Vec::new();
    let seen = crate::visit::chronic::face_to_face(v.outcome, v.mode);
    parts.push(match (seen, zh) {
        (true, true) => "医生当面随访".into(),
        (true, false) => "Seen by the doctor".into(),
        (false, true) => "电话或未见到本人".into(),
        (false, false) => "By phone or not seen".into(),
    });
    if let (Some(s), Some(d)) = (v.sbp, v.dbp) {
        let high = !crate::visit::chronic::bp_controlled(s, d, age, &rules);
        parts.push(match (zh, high) {
            (true, true) => format!("血压 {s}/{d} mmHg，偏高"),
            (true, false) => format!("血压 {s}/{d} mmHg，正常范围"),
            (false, true) => format!("Blood pressure {s}/{d} mmHg, high"),
            (false, false) => format!("Blood pressure {s}/{d} mmHg, in range"),
        });
    }
    if let Some(g) = v.fbg {
        let high = g >= rules.target_fbg;
        parts.push(match (zh, high) {
            (true, true) => format!("空腹血糖 {g:.1} mmol/L，偏高"),
            (true, false) => format!("空腹血糖 {g:.1} mmol/L，正常范围"),
            (false, true) => format!("Fasting glucose {g:.1} mmol/L, high"),
            (false, false) => format!("Fasting glucose {g:.1} mmol/L, in range"),
        });
    }
    if let Some(n) = v.next_visit_date {
        parts.push(if zh { format!("下次随访 {n}") } else { format!("next visit {n}") });
    }
    parts.join(if zh { "；" } else { "; " })
}

/// Points of a trend chart from follow-ups, oldest first: (date, value) for each reading present.
pub fn series(visits: &[VisitSummary], value: impl Fn(&VisitSummary) -> Option<f64>) -> Vec<(NaiveDate, f64)> {
    let mut out: Vec<(NaiveDate, f64)> = visits.iter().filter_map(|v| value(v).map(|x| (v.visit_date, x))).collect();
    out.sort_by_key(|p| p.0);
    out
}

#[cfg(test)]
mod tests;
