//! Health-supervision assistance (卫生计生监督协管, domain spec 2 §6): the information report register
//! (信息报告登记表) where a village doctor writes down a clue found in the village (food safety, drinking water,
//! occupational hazards, school health, illegal medical practice or blood collection, family planning) and
//! when it was reported to the township's supervision team. A clue counts as reported on time (协管信息报告率,
//! "及时") when it was reported within `REPORT_HOURS` of being found [U: configurable].

use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub mod pages;

/// 信息类别.
pub const CATEGORY: &[Choice] = &[
    c(1, "食源性疾病及食品安全", "Food-borne disease, food safety"),
    c(2, "饮用水卫生", "Drinking water"),
    c(3, "职业病危害", "Occupational hazard"),
    c(4, "学校卫生", "School health"),
    c(5, "非法行医（采供血）", "Illegal medical practice or blood collection"),
    c(6, "计划生育", "Family planning"),
];

/// Hours from discovery within which the clue counts as reported on time [U].
pub const REPORT_HOURS: i64 = 24;

/// One line of the information report register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupervisionReportInput {
    pub category: u8,
    /// 发现时间.
    pub found_at: NaiveDateTime,
    /// Where the clue was found.
    pub place: String,
    /// 信息内容: a short description.
    pub content: String,
    /// 报告时间: when it was passed to the township's supervision team; none while not yet reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<NaiveDateTime>,
    /// 接收机构 (the vendor form's addition): who received the report.
    #[serde(default)]
    pub received_by: String,
}

impl SupervisionReportInput {
    pub fn check(&self, c: &mut Check, now: NaiveDateTime) {
        c.code("category", CATEGORY, Some(self.category), true);
        if self.found_at > now {
            c.add("found_at", "发现时间不能晚于现在", "The discovery cannot be in the future");
        }
        c.required_text("place", &self.place, 100);
        c.required_text("content", &self.content, 500);
        if let Some(r) = self.reported_at {
            if r < self.found_at || r > now {
                c.add(
                    "reported_at",
                    "报告时间应在发现之后、现在之前",
                    "The report must be after the discovery and not in the future",
                );
            }
        }
        c.text("received_by", &self.received_by, 50);
    }

    /// Reported within `REPORT_HOURS` of the discovery.
    pub fn on_time(&self) -> bool {
        self.reported_at.is_some_and(|r| r - self.found_at <= Duration::hours(REPORT_HOURS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap().and_hms_opt(hour, 0, 0).unwrap()
    }

    fn clue() -> SupervisionReportInput {
        SupervisionReportInput {
            category: 2,
            found_at: at(10, 9),
            place: "三组集中供水点".into(),
            content: "蓄水池盖板破损，池内有落叶".into(),
            reported_at: Some(at(10, 15)),
            received_by: "城关镇卫生监督协管站".into(),
        }
    }

    fn fields(r: &SupervisionReportInput, now: NaiveDateTime) -> Vec<String> {
        let mut c = Check::default();
        r.check(&mut c, now);
        c.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_complete_clue_passes_and_each_bad_field_is_named() {
        assert!(fields(&clue(), at(11, 0)).is_empty());
        let mut bad = clue();
        bad.category = 9;
        bad.place = " ".into();
        bad.reported_at = Some(at(9, 0));
        assert_eq!(fields(&bad, at(11, 0)), ["category", "place", "reported_at"]);
        assert_eq!(fields(&clue(), at(10, 8)), ["found_at", "reported_at"]);
    }

    #[test]
    fn on_time_is_within_24_hours_of_the_discovery_inclusive() {
        let mut r = clue();
        r.reported_at = Some(at(11, 9));
        assert!(r.on_time());
        r.reported_at = Some(at(11, 9) + Duration::minutes(1));
        assert!(!r.on_time());
        r.reported_at = None;
        assert!(!r.on_time());
    }
}
