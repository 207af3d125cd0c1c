//! Data quality and anti-fraud checks (数据质量核查) of the follow-ups a county pays for: readings copied from
//! one visit to the next, more visits in a day than a doctor can make, visits without the resident's proof,
//! and follow-ups missing what the form requires; and the county's telephone verification (第三方电话调查) of
//! a random sample of visits, whose outcomes are recorded here.
//!
//! The checks are pure functions over visit facts, so they are tested on fixed cases; thresholds are
//! configuration [P] with these defaults.

pub mod api;
pub mod pages;
#[cfg(test)]
mod tests;

use crate::indicator::Period;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// What a check reads of one follow-up (current revision).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitFact {
    pub visit_id: Uuid,
    pub resident_id: Uuid,
    pub resident_name: String,
    pub village_name: String,
    pub author_id: String,
    pub author_name: String,
    /// "htn" or "dm".
    pub kind: String,
    pub date: NaiveDate,
    pub mode: Option<u8>,
    pub outcome: u8,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    pub fbg: Option<f64>,
    pub signed: bool,
}

/// Thresholds of the checks [P].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// This many visits in a row of one resident with the same readings are flagged (the last of them).
    pub same_readings_in_a_row: usize,
    /// Face-to-face follow-ups one doctor can make in a day: 8 working hours at 4 an hour, with travel.
    pub max_visits_per_day: usize,
}

pub const RULES: Rules = Rules { same_readings_in_a_row: 3, max_visits_per_day: 32 };

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// Identical readings across consecutive visits.
    CopiedReadings,
    /// More visits by one doctor in a day than possible.
    TooManyInADay,
    /// No signature or later confirmation by the resident.
    NoResidentProof,
    /// A seen patient without the readings the form requires.
    MissingFields,
    /// The resident said in their own account that the visit did not happen.
    DisputedByResident,
}

impl FlagKind {
    pub const ALL: [FlagKind; 5] = [
        FlagKind::DisputedByResident,
        FlagKind::CopiedReadings,
        FlagKind::TooManyInADay,
        FlagKind::MissingFields,
        FlagKind::NoResidentProof,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (FlagKind::CopiedReadings, true) => "连续多次读数完全相同",
            (FlagKind::CopiedReadings, false) => "Identical readings in a row",
            (FlagKind::TooManyInADay, true) => "单日随访次数超出可能",
            (FlagKind::TooManyInADay, false) => "More visits in a day than possible",
            (FlagKind::NoResidentProof, true) => "无居民签字确认",
            (FlagKind::NoResidentProof, false) => "No resident confirmation",
            (FlagKind::MissingFields, true) => "必填项缺失",
            (FlagKind::MissingFields, false) => "Required readings missing",
            (FlagKind::DisputedByResident, true) => "居民否认此次随访",
            (FlagKind::DisputedByResident, false) => "The resident says the visit did not happen",
        }
    }
}

/// A flagged follow-up with what the reviewer needs to find it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub visit_id: Uuid,
    pub resident_name: String,
    pub village_name: String,
    pub author_id: String,
    pub author_name: String,
    pub date: NaiveDate,
    /// What was seen, e.g. "150/90 ×3" or "41 visits".
    pub detail: String,
}

fn face_to_face(v: &VisitFact) -> bool {
    crate::visit::chronic::face_to_face(v.outcome, v.mode)
}

fn flag(kind: FlagKind, v: &VisitFact, detail: String) -> Flag {
    Flag {
        kind,
        visit_id: v.visit_id,
        resident_name: v.resident_name.clone(),
        village_name: v.village_name.clone(),
        author_id: v.author_id.clone(),
        author_name: v.author_name.clone(),
        date: v.date,
        detail,
    }
}

/// The flags of the follow-ups dated in `period`; `facts` may hold earlier visits too (for copied readings).
/// `answers`: what residents said about their visits in their own account; a confirmation counts as proof,
/// a dispute is a flag of its own (whatever the visit's date, as long as it is in the period).
pub fn flags(
    facts: &[VisitFact],
    period: &Period,
    answers: &HashMap<Uuid, crate::my_record::Answer>,
    rules: &Rules,
) -> Vec<Flag> {
    use crate::my_record::Answer;
    let mut out = Vec::new();
    // Copied readings: per resident and kind, in date order, a run of seen visits with the same readings.
    let mut series: HashMap<(Uuid, &str), Vec<&VisitFact>> = HashMap::new();
    for v in facts.iter().filter(|v| face_to_face(v)) {
        series.entry((v.resident_id, v.kind.as_str())).or_default().push(v);
    }
    for list in series.values_mut() {
        list.sort_by_key(|v| (v.date, v.visit_id));
        let reading = |v: &VisitFact| (v.sbp, v.dbp, v.fbg.map(|g| (g * 10.0).round() as i64));
        let mut run = 1;
        for i in 1..list.len() {
            let same = reading(list[i]) == reading(list[i - 1]) && reading(list[i]) != (None, None, None);
            run = if same { run + 1 } else { 1 };
            if run >= rules.same_readings_in_a_row && period.contains(list[i].date) {
                let v = list[i];
                let text = match (v.sbp, v.dbp, v.fbg) {
                    (Some(s), Some(d), Some(g)) => format!("{s}/{d} mmHg, {g:.1} mmol/L ×{run}"),
                    (Some(s), Some(d), None) => format!("{s}/{d} mmHg ×{run}"),
                    (_, _, Some(g)) => format!("{g:.1} mmol/L ×{run}"),
                    _ => format!("×{run}"),
                };
                out.push(flag(FlagKind::CopiedReadings, v, text));
            }
        }
    }
    // Too many in a day: every visit of a doctor's day over the limit is flagged once, on that day's last.
    let mut days: HashMap<(&str, NaiveDate), Vec<&VisitFact>> = HashMap::new();
    for v in facts.iter().filter(|v| face_to_face(v) && period.contains(v.date)) {
        days.entry((v.author_id.as_str(), v.date)).or_default().push(v);
    }
    for list in days.values() {
        if list.len() > rules.max_visits_per_day {
            let last = list.iter().max_by_key(|v| v.visit_id).copied().unwrap_or(list[0]);
            out.push(flag(FlagKind::TooManyInADay, last, format!("{} / {}", list.len(), rules.max_visits_per_day)));
        }
    }
    for v in facts.iter().filter(|v| period.contains(v.date) && face_to_face(v)) {
        let missing: Vec<&str> = match v.kind.as_str() {
            "dm" if v.fbg.is_none() => vec!["空腹血糖"],
            _ if v.sbp.is_none() || v.dbp.is_none() => vec!["血压"],
            _ => vec![],
        };
        if !missing.is_empty() {
            out.push(flag(FlagKind::MissingFields, v, missing.join("、")));
        }
        if !v.signed && answers.get(&v.visit_id) != Some(&Answer::Confirmed) {
            out.push(flag(FlagKind::NoResidentProof, v, String::new()));
        }
    }
    for v in facts.iter().filter(|v| period.contains(v.date)) {
        if answers.get(&v.visit_id) == Some(&Answer::Disputed) {
            out.push(flag(FlagKind::DisputedByResident, v, String::new()));
        }
    }
    out.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.date.cmp(&a.date)).then(a.visit_id.cmp(&b.visit_id)));
    out
}

/// What the caller of a verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// The resident confirms the visit.
    Confirmed,
    /// The resident says it did not happen.
    Denied,
    Unreachable,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 3] = [CallOutcome::Confirmed, CallOutcome::Denied, CallOutcome::Unreachable];

    pub fn code(self) -> &'static str {
        match self {
            CallOutcome::Confirmed => "confirmed",
            CallOutcome::Denied => "denied",
            CallOutcome::Unreachable => "unreachable",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (CallOutcome::Confirmed, true) => "属实",
            (CallOutcome::Confirmed, false) => "Confirmed",
            (CallOutcome::Denied, true) => "否认",
            (CallOutcome::Denied, false) => "Denied",
            (CallOutcome::Unreachable, true) => "无法联系",
            (CallOutcome::Unreachable, false) => "Unreachable",
        }
    }
}

/// One visit drawn for a verification call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub id: Uuid,
    pub visit_id: Uuid,
    pub resident_name: String,
    pub phone: String,
    pub village_name: String,
    pub author_name: String,
    pub date: NaiveDate,
    pub kind: String,
    pub outcome: Option<CallOutcome>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The most visits drawn at once.
pub const MAX_SAMPLE: u32 = 100;

/// A quality report of a unit and month: the flags and the verification sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityFindings {
    pub org_name: String,
    pub period: String,
    /// Face-to-face follow-ups checked.
    pub checked: usize,
    pub flags: Vec<Flag>,
    pub sample: Vec<Verification>,
}
