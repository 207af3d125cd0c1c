//! The public-health event information card (突发公共卫生事件信息报告卡, domain spec 2 §5): a cluster of cases,
//! a poisoning, a vaccination incident or an illness of unknown cause the village doctor learns of. Like a
//! case report it is due within `EVENT_HOURS` — counted from when the doctor learnt of it (获悉时间) — sent
//! before anything else, and on time when it reached the server (or the doctor phoned the county CDC) by then.
//! The first card of an event is 初步报告; 进程 and 结案 cards follow it and do not count as new events.

use super::Timeliness;
use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// 报告类别.
pub const STAGE: &[Choice] = &[c(1, "初步报告", "Initial"), c(2, "进程报告", "Progress"), c(3, "结案报告", "Closing")];
/// The stage that reports a new event (the indicator counts these).
pub const INITIAL: u8 = 1;

/// 信息类别.
pub const CATEGORY: &[Choice] = &[
    c(1, "传染病", "Infectious disease"),
    c(2, "食物中毒", "Food poisoning"),
    c(3, "职业中毒", "Occupational poisoning"),
    c(4, "其它中毒", "Other poisoning"),
    c(5, "环境卫生", "Environmental health"),
    c(6, "免疫接种", "Vaccination"),
    c(7, "群体性不明原因疾病", "Cluster of illness of unknown cause"),
    c(8, "医院感染", "Healthcare-associated infection"),
    c(9, "放射卫生", "Radiation"),
    c(10, "其它", "Other"),
];

/// Hours from learning of an event within which it must be reported (spec 2 §5: 2 h).
pub const EVENT_HOURS: i64 = 2;

/// Cases or deaths above this are a typing error rather than a village event.
pub const MAX_CASES: u32 = 100_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventReportInput {
    pub stage: u8,
    pub category: u8,
    /// 事件名称 / what happened, in a line.
    pub title: String,
    /// 发生地点.
    pub place: String,
    /// 发生时间.
    pub occurred_at: NaiveDateTime,
    /// 获悉时间: when the doctor learnt of it; the reporting clock starts here.
    pub learnt_at: NaiveDateTime,
    /// 首例 / 末例 cases' onsets, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_case_at: Option<NaiveDateTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_case_at: Option<NaiveDateTime>,
    /// 发病人数, 死亡人数.
    pub cases: u32,
    pub deaths: u32,
    /// 主要症状.
    pub symptoms: String,
    /// 已采取的措施.
    pub measures: String,
    /// When the doctor phoned the county CDC, if they did (counts as reported).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phoned_at: Option<NaiveDateTime>,
    /// 填报时间.
    pub filled_at: NaiveDateTime,
}

impl EventReportInput {
    pub fn check(&self, c: &mut Check, now: NaiveDateTime) {
        c.code("stage", STAGE, Some(self.stage), true);
        c.code("category", CATEGORY, Some(self.category), true);
        c.required_text("title", &self.title, 100);
        c.required_text("place", &self.place, 100);
        if self.occurred_at > now {
            c.add("occurred_at", "发生时间不能晚于现在", "The event cannot be in the future");
        }
        if self.learnt_at < self.occurred_at || self.learnt_at > now {
            c.add("learnt_at", "获悉时间应在发生之后、现在之前", "Learnt of after it happened and not in the future");
        }
        for (field, at) in [("first_case_at", self.first_case_at), ("last_case_at", self.last_case_at)] {
            if at.is_some_and(|t| t > now) {
                c.add(field, "发病时间不能晚于现在", "An onset cannot be in the future");
            }
        }
        if let (Some(first), Some(last)) = (self.first_case_at, self.last_case_at) {
            if last < first {
                c.add("last_case_at", "末例发病时间早于首例", "The last case is before the first");
            }
        }
        c.range("cases", self.cases, 0, MAX_CASES, "");
        if self.deaths > self.cases {
            c.add("deaths", "死亡人数不能多于发病人数", "More deaths than cases");
        }
        c.text("symptoms", &self.symptoms, 300);
        c.text("measures", &self.measures, 300);
        if let Some(p) = self.phoned_at {
            if p < self.learnt_at || p > now {
                c.add(
                    "phoned_at",
                    "电话报告时间应在获悉之后、现在之前",
                    "The phone report must be after learning of it and not in the future",
                );
            }
        }
        if self.filled_at < self.learnt_at && self.learnt_at <= now {
            c.add("filled_at", "填报时间早于获悉时间", "The card is filled before learning of the event");
        }
    }

    pub fn deadline(&self) -> NaiveDateTime {
        self.learnt_at + Duration::hours(EVENT_HOURS)
    }

    /// Where the card stands at `now`, given when the server received it.
    pub fn timeliness(&self, received_at: Option<NaiveDateTime>, now: NaiveDateTime) -> Timeliness {
        super::timeliness_at(self.deadline(), super::earliest(self.phoned_at, received_at), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(h, m, 0).unwrap()
    }

    fn card() -> EventReportInput {
        crate::record::samples::event_report(NaiveDate::from_ymd_opt(2026, 11, 10).unwrap())
    }

    fn fields(e: &EventReportInput, now: NaiveDateTime) -> Vec<String> {
        let mut c = Check::default();
        e.check(&mut c, now);
        c.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_card_passes_and_each_bad_field_is_named() {
        let now = at(10, 21, 0);
        assert!(fields(&card(), now).is_empty());
        let mut bad = card();
        bad.stage = 4;
        bad.category = 0;
        bad.title = " ".into();
        bad.learnt_at = at(10, 11, 0);
        bad.last_case_at = Some(at(10, 15, 0));
        bad.deaths = 13;
        bad.phoned_at = Some(at(10, 22, 0));
        assert_eq!(
            fields(&bad, now),
            ["stage", "category", "title", "learnt_at", "last_case_at", "deaths", "phoned_at"]
        );
        let mut huge = card();
        huge.cases = MAX_CASES + 1;
        huge.deaths = 0;
        assert_eq!(fields(&huge, now), ["cases"]);
    }

    #[test]
    fn on_time_is_within_2_hours_of_learning_of_it_by_receipt_or_phone_call() {
        let e = card();
        assert_eq!(e.deadline(), at(10, 22, 0));
        assert_eq!(e.timeliness(Some(at(10, 22, 0)), at(11, 0, 0)), Timeliness::OnTime);
        assert_eq!(e.timeliness(Some(at(10, 22, 1)), at(11, 0, 0)), Timeliness::Late);
        assert_eq!(e.timeliness(None, at(10, 21, 0)), Timeliness::Pending { deadline: at(10, 22, 0) });
        assert_eq!(e.timeliness(None, at(10, 22, 1)), Timeliness::Overdue { deadline: at(10, 22, 0) });
        // Phoned in time, the card reached the server the next morning: on time.
        let phoned = EventReportInput { phoned_at: Some(at(10, 21, 0)), ..card() };
        assert_eq!(phoned.timeliness(Some(at(11, 8, 0)), at(11, 9, 0)), Timeliness::OnTime);
    }
}
