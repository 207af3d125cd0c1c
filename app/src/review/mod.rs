//! The township's review of entries (随访记录审核): a follow-up or service record is reviewed, or returned to
//! its doctor with a comment; the doctor's phone shows the comment, the doctor corrects the entry (a new
//! revision) and it comes back to the queue. A review names the revision it looked at, so a correction is
//! never mistaken for the entry that was reviewed.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the reviewer decided about one revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Reviewed,
    Returned,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Reviewed => "reviewed",
            Verdict::Returned => "returned",
        }
    }

    pub fn from_code(s: &str) -> Option<Verdict> {
        [Verdict::Reviewed, Verdict::Returned].into_iter().find(|v| v.code() == s)
    }
}

/// The review of an entry as its doctor's phone receives it with the entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewNote {
    /// The revision reviewed; a later revision is not covered by this note.
    pub revision_id: Uuid,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    pub reviewer: String,
    pub at: String,
}

/// Where an entry stands in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Never reviewed.
    Pending,
    Reviewed,
    Returned,
    /// Corrected after it was returned (or changed after review): to be looked at again.
    Resubmitted,
}

impl ReviewState {
    pub const ALL: [ReviewState; 4] =
        [ReviewState::Pending, ReviewState::Resubmitted, ReviewState::Returned, ReviewState::Reviewed];

    pub fn code(self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Reviewed => "reviewed",
            ReviewState::Returned => "returned",
            ReviewState::Resubmitted => "resubmitted",
        }
    }

    pub fn from_code(s: &str) -> Option<ReviewState> {
        ReviewState::ALL.into_iter().find(|v| v.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (ReviewState::Pending, true) => "待审核",
            (ReviewState::Pending, false) => "To review",
            (ReviewState::Reviewed, true) => "已审核",
            (ReviewState::Reviewed, false) => "Reviewed",
            (ReviewState::Returned, true) => "已退回",
            (ReviewState::Returned, false) => "Returned",
            (ReviewState::Resubmitted, true) => "已更正待复核",
            (ReviewState::Resubmitted, false) => "Corrected, to review again",
        }
    }
}

/// Which entries the queue lists. Dates are the service dates, both ends included.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFilter {
    #[serde(default)]
    pub village_id: Option<String>,
    #[serde(default)]
    pub author_id: Option<String>,
    /// A visit kind ("htn", "dm") or a record kind code.
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub state: Option<ReviewState>,
    #[serde(default)]
    pub from: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub to: Option<chrono::NaiveDate>,
}

/// "visit" (a chronic follow-up) or "record" (another service record).
pub const ENTITIES: [&str; 2] = ["visit", "record"];

/// One line of the queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewItem {
    pub entity: String,
    /// `visit_id` or `record_id`.
    pub entry_id: Uuid,
    /// The current revision.
    pub revision_id: Uuid,
    pub revision: i64,
    pub kind: String,
    pub date: chrono::NaiveDate,
    pub resident_id: Option<Uuid>,
    pub resident_name: String,
    pub village_id: String,
    pub village_name: String,
    pub author_id: String,
    pub author_name: String,
    /// The resident signed for the service (两卡制 proof).
    pub signed: bool,
    pub state: ReviewState,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
    /// What the resident said about it in their own account, and their note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_answer: Option<crate::my_record::Answer>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub resident_note: String,
}

impl ReviewItem {
    pub fn kind_label(&self, zh: bool) -> String {
        kind_label(&self.kind, zh)
    }
}

/// The label of a visit or record kind code.
pub fn kind_label(kind: &str, zh: bool) -> String {
    if let Some(k) = crate::visit::VisitKind::from_code(kind) {
        return k.label(zh).to_string();
    }
    crate::record::RecordKind::ALL
        .into_iter()
        .find(|k| k.code() == kind)
        .map(|k| k.label(zh).to_string())
        .unwrap_or_else(|| kind.to_string())
}

/// An entry opened from the queue: its line and every field of its form, as (field, value) pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewDetail {
    pub item: ReviewItem,
    pub fields: Vec<(String, String)>,
}

/// The longest comment a reviewer may write.
pub const MAX_COMMENT: usize = 500;

/// Flattens a form's JSON into (path, value) pairs for the reviewer, skipping empty values.
pub fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let name = |k: &str| if prefix.is_empty() { k.to_string() } else { format!("{prefix}.{k}") };
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                flatten(&name(k), x, out);
            }
        }
        Value::Array(a) if a.iter().all(|x| !x.is_object()) => {
            if !a.is_empty() {
                out.push((prefix.to_string(), a.iter().map(scalar).collect::<Vec<_>>().join("、")));
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{}]", i + 1), x, out);
            }
        }
        Value::Null => {}
        Value::String(s) if s.is_empty() => {}
        other => out.push((prefix.to_string(), scalar(other))),
    }
}

fn scalar(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_flatten_into_named_values_without_empty_ones() {
        let v = serde_json::json!({"sbp": 150, "notes": "", "meds": [{"name": "氨氯地平", "dose": "5mg"}], "symptoms": [1, 3], "x": null});
        let mut out = vec![];
        flatten("", &v, &mut out);
        assert_eq!(
            out,
            vec![
                ("meds[1].dose".to_string(), "5mg".to_string()),
                ("meds[1].name".to_string(), "氨氯地平".to_string()),
                ("sbp".to_string(), "150".to_string()),
                ("symptoms".to_string(), "1、3".to_string()),
            ]
        );
    }

    #[test]
    fn states_and_verdicts_round_trip_their_codes() {
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::from_code(s.code()), Some(s));
        }
        assert_eq!(Verdict::from_code("returned"), Some(Verdict::Returned));
        assert_eq!(Verdict::from_code("deleted"), None);
    }
}
