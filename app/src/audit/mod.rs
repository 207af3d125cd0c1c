//! The audit log (审计日志) of resident records: every read and write of a resident's record — who, what,
//! when, from which device — kept on the server, append-only, and searchable by the county administrator
//! (县卫健委). Reads count as much as writes: a record opened without cause is the privacy breach to find.
//!
//! What is logged: opening a record or an entry (a server function), a phone's pull (one row per resident
//! whose data it carried), every write (online form or sync push, one row per entry), reviews and calls,
//! lists and exports (one row each, with the unit they covered).

pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

use crate::auth::Role;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Rows per page of the search.
pub const AUDIT_PAGE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A record or entry opened, or carried to a phone by a pull.
    Read,
    /// A record or entry stored, changed, reviewed or answered.
    Write,
    /// A list or an export covering many residents.
    List,
}

impl Action {
    pub const ALL: [Action; 3] = [Action::Read, Action::Write, Action::List];

    pub fn code(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Write => "write",
            Action::List => "list",
        }
    }

    pub fn from_code(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Action::Read, true) => "查看",
            (Action::Read, false) => "Read",
            (Action::Write, true) => "写入",
            (Action::Write, false) => "Write",
            (Action::List, true) => "列表/导出",
            (Action::List, false) => "List/export",
        }
    }
}

/// One thing done, as the code that did it describes it; the server adds who, when and the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub action: Action,
    /// What was touched: `resident`, `visit`, `record`, `attachment`, `review`, `pull`, `export`, …
    pub entity: &'static str,
    pub entity_id: Option<String>,
    /// The resident whose record it is, when there is one.
    pub resident_id: Option<Uuid>,
    /// For lists and exports: the unit they covered.
    pub org_id: Option<String>,
    /// A short note: the export's name, a pull's size, a verdict.
    pub detail: String,
}

impl Event {
    /// An action on one resident's record (the record itself or one of its entries).
    pub fn on(action: Action, entity: &'static str, entity_id: impl ToString, resident_id: Uuid) -> Event {
        Event {
            action,
            entity,
            entity_id: Some(entity_id.to_string()),
            resident_id: Some(resident_id),
            org_id: None,
            detail: String::new(),
        }
    }

    /// An action on a village's record that names no resident (a health-education session).
    pub fn in_village(action: Action, entity: &'static str, entity_id: impl ToString, village_id: &str) -> Event {
        Event {
            action,
            entity,
            entity_id: Some(entity_id.to_string()),
            resident_id: None,
            org_id: Some(village_id.to_string()),
            detail: String::new(),
        }
    }

    /// A service record, under its resident or else its village.
    pub fn record(action: Action, r: &crate::record::RecordInput) -> Event {
        match r.resident_id {
            Some(resident) => Event::on(action, "record", r.record_id, resident),
            None => Event::in_village(action, "record", r.record_id, &r.village_id),
        }
    }

    /// A list or export over a unit (village, township, county; None for the caller's whole scope).
    pub fn list(entity: &'static str, org_id: Option<String>, detail: impl Into<String>) -> Event {
        Event { action: Action::List, entity, entity_id: None, resident_id: None, org_id, detail: detail.into() }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Event {
        self.detail = detail.into();
        self
    }
}

/// Who did it and from where, as the server saw the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The app's device id (sent by the phone), or "" when the request did not say.
    pub device: String,
    /// The browser's User-Agent, cut short.
    pub client: String,
}

/// One row of the log as the county administrator reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub action: Action,
    pub entity: String,
    pub entity_id: Option<String>,
    pub resident_id: Option<String>,
    pub resident_name: Option<String>,
    pub detail: String,
    pub device: String,
    pub client: String,
}

/// The search: all filters optional and combined with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditQuery {
    /// A resident's ID number (身份证号), record number (档案编号) or record id.
    #[serde(default)]
    pub resident: String,
    /// The account that acted (login name).
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub action: Option<Action>,
    /// First and last day (local dates), inclusive.
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// Rows before this id (the next page); None for the newest.
    #[serde(default)]
    pub before: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// Older rows match too: ask again with `before` = the last row's id.
    pub more: bool,
}

/// What an entity's code reads as on the page.
pub fn entity_label(entity: &str, zh: bool) -> String {
    let (z, e) = match entity {
        "resident" => ("居民档案", "Resident record"),
        "visit" => ("随访", "Follow-up"),
        "visits" => ("随访列表", "Follow-ups"),
        "record" => ("服务记录", "Service record"),
        "records" => ("服务记录列表", "Service records"),
        "attachment" => ("照片", "Photo"),
        "review" => ("审核", "Review"),
        "pull" => ("同步下载", "Sync pull"),
        "residents" => ("居民列表", "Resident list"),
        "export" => ("导出", "Export"),
        "activation" => ("居民开通码", "Activation code"),
        "link" => ("家庭关联", "Family link"),
        "confirmation" => ("居民确认", "Resident's answer"),
        "call" => ("电话核实", "Verification call"),
        "conflict" => ("冲突处理", "Conflict"),
        "form" => ("随访表", "Follow-up form"),
        "children" => ("关联子女", "Linked children"),
        other => return other.to_string(),
    };
    if zh { z } else { e }.to_string()
}

/// Unix-second bounds of the query's days in the server's time zone: `[from 00:00, to+1 00:00)`.
pub fn day_bounds(q: &AuditQuery) -> (Option<i64>, Option<i64>) {
    use chrono::TimeZone;
    let start = |d: NaiveDate| {
        chrono::Local.from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default()).earliest().map(|t| t.timestamp())
    };
    (q.from.and_then(start), q.to.and_then(|d| d.succ_opt()).and_then(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_from_their_codes() {
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.code()), Some(a));
        }
        assert_eq!(Action::from_code("delete"), None);
    }

    #[test]
    fn day_bounds_cover_whole_days() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let q = AuditQuery { from: Some(d), to: Some(d), ..Default::default() };
        let (from, to) = day_bounds(&q);
        assert_eq!(to.unwrap() - from.unwrap(), 86_400);
        assert_eq!(day_bounds(&AuditQuery::default()), (None, None));
    }

    #[test]
    fn unknown_entities_show_their_code() {
        assert_eq!(entity_label("visit", true), "随访");
        assert_eq!(entity_label("something", true), "something");
    }
}
