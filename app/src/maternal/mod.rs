//! Maternal health management (孕产妇健康管理, domain spec §3): gestational age and the due date from the last
//! menstrual period, the five prenatal visits' windows, the pregnancy risk screen (妊娠风险筛查) and the
//! five-colour grade (五色管理), the postpartum windows, and the forms of the episode with their validation:
//! registration (建册, 第1次产前检查), prenatal follow-ups 2–5, the delivery record, the postpartum visit (产后
//! 访视) and the 42-day check (产后42天健康检查).
//!
//! Pure rules shared by the browser and the server. Gestational age (孕周) is counted in completed days from
//! the LMP (末次月经) and written weeks+days, so "12+6" is day 90. The windows here are what the task
//! rules (`task::program`) open from a delivery, a registration or a referral.
//!
//! Layout: dates and windows, the risk screen and colours, shared choices, then one input type and one
//! `validate_*` per form.

use crate::check::Check;
use crate::error::AppError;
use crate::resident::Sex;
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub mod api;
pub mod card;
pub mod check42_page;
mod childbirth;
pub mod grading;
pub mod grading_page;
pub mod pages;
mod postpartum;
pub mod postpartum_page;
mod prenatal;
pub mod prenatal_page;
mod registration;
pub mod registration_page;
mod risk;

pub use childbirth::*;
pub use postpartum::*;
pub use prenatal::*;
pub use registration::*;
pub use risk::*;

/// Longest free text kept in one field.
pub const TEXT_MAX: usize = 200;

/// Days of gestation at `weeks`+`days`.
pub const fn ga(weeks: i64, days: i64) -> i64 {
    weeks * 7 + days
}

/// A gestational age beyond this (45+0) means the LMP or the date is wrong.
pub const MAX_GA_DAYS: i64 = ga(45, 0);

/// PP_VISIT: the postpartum home visit is due within this many days of discharge [V P8].
pub const POSTPARTUM_VISIT_DAYS: i64 = 7;

/// PP_42: the 42-day check opens on day 42 after delivery and is overdue after day 56 [P; U for 56].
pub const CHECK_42_FROM_DAYS: i64 = 42;

pub const CHECK_42_UNTIL_DAYS: i64 = 56;

/// REFER_FU: a maternal referral's result is checked within this many days [V P6,P7].
pub const REFERRAL_FOLLOW_UP_DAYS: i64 = 14;

/// The gestational age on `on` as (completed weeks, days); None before the LMP.
pub fn gestational_age(lmp: NaiveDate, on: NaiveDate) -> Option<(u32, u32)> {
    let days = u32::try_from((on - lmp).num_days()).ok()?;
    Some((days / 7, days % 7))
}

/// The expected date of delivery (预产期) by Naegele's rule as the spec words it: LMP month +9 (or −3), day +7.
///
/// Done on the calendar as "9 months later (clamped to the month's end), then 7 days later": LMP 31 May →
/// 28/29 Feb → 7 Mar. That is not always LMP + 280 days (LMP 1 Mar → 8 Dec, day 282; LMP 29 Feb 2024 → 6 Dec,
/// day 281), and it differs from adding 7 to the day number and carrying into the next month by hand (LMP 31
/// May would give 38 Feb = 10 Mar); the printed rule does not say which, so the calendar reading is used.
pub fn edd(lmp: NaiveDate) -> NaiveDate {
    add_days(add_months(lmp, 9), 7)
}

/// The five scheduled prenatal visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrenatalVisit {
    /// 第1次产前检查 with 建册 (《母子健康手册》), before 13+0
    First,
    /// 第2次, 16+0 … 20+6
    Second,
    /// 第3次, 21+0 … 24+6
    Third,
    /// 第4次, 28+0 … 36+6
    Fourth,
    /// 第5次, 37+0 … 40+6
    Fifth,
}

impl PrenatalVisit {
    pub const ALL: [PrenatalVisit; 5] = [
        PrenatalVisit::First,
        PrenatalVisit::Second,
        PrenatalVisit::Third,
        PrenatalVisit::Fourth,
        PrenatalVisit::Fifth,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            PrenatalVisit::First => ("第1次产前检查", "1st prenatal check"),
            PrenatalVisit::Second => ("第2次产前随访", "2nd prenatal visit"),
            PrenatalVisit::Third => ("第3次产前随访", "3rd prenatal visit"),
            PrenatalVisit::Fourth => ("第4次产前随访", "4th prenatal visit"),
            PrenatalVisit::Fifth => ("第5次产前随访", "5th prenatal visit"),
        };
        if zh {
            z
        } else {
            e
        }
    }

    /// The task rule of §8 (PN_1 … PN_5).
    pub fn rule_code(self) -> &'static str {
        match self {
            PrenatalVisit::First => "PN_1",
            PrenatalVisit::Second => "PN_2",
            PrenatalVisit::Third => "PN_3",
            PrenatalVisit::Fourth => "PN_4",
            PrenatalVisit::Fifth => "PN_5",
        }
    }

    /// The window in days of gestation, inclusive [V P6,P8]. The first visit has no earliest day (its task
    /// opens at registration); it is in time up to 12+6.
    pub fn ga_window(self) -> (i64, i64) {
        match self {
            PrenatalVisit::First => (0, ga(12, 6)),
            PrenatalVisit::Second => (ga(16, 0), ga(20, 6)),
            PrenatalVisit::Third => (ga(21, 0), ga(24, 6)),
            PrenatalVisit::Fourth => (ga(28, 0), ga(36, 6)),
            PrenatalVisit::Fifth => (ga(37, 0), ga(40, 6)),
        }
    }
}

/// The visit's window as dates, both ends inclusive (the first visit's starts at the LMP).
pub fn window(lmp: NaiveDate, visit: PrenatalVisit) -> (NaiveDate, NaiveDate) {
    let (from, until) = visit.ga_window();
    (add_days(lmp, from), add_days(lmp, until))
}

/// The visit whose window holds `date`, if any (none in the gaps, e.g. 13+0 … 15+6).
pub fn visit_for(lmp: NaiveDate, date: NaiveDate) -> Option<PrenatalVisit> {
    PrenatalVisit::ALL.into_iter().find(|v| {
        let (from, until) = window(lmp, *v);
        (from..=until).contains(&date)
    })
}

/// 早孕建册: registered before 13+0 weeks.
pub fn is_early(lmp: NaiveDate, registration_date: NaiveDate) -> bool {
    (registration_date - lmp).num_days() < ga(13, 0)
}

/// PP_VISIT: discharge … discharge + 7 d.
pub fn postpartum_visit_window(discharge: NaiveDate) -> (NaiveDate, NaiveDate) {
    (discharge, add_days(discharge, POSTPARTUM_VISIT_DAYS))
}

/// PP_42: delivery + 42 d … delivery + 56 d.
pub fn check_42_window(delivery: NaiveDate) -> (NaiveDate, NaiveDate) {
    (add_days(delivery, CHECK_42_FROM_DAYS), add_days(delivery, CHECK_42_UNTIL_DAYS))
}

/// REFER_FU: referral date … + 14 d.
pub fn referral_follow_up_window(referral: NaiveDate) -> (NaiveDate, NaiveDate) {
    (referral, add_days(referral, REFERRAL_FOLLOW_UP_DAYS))
}

/// An examination item or a classification: 未见异常 / 异常 with what was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exam {
    /// 未见异常
    Normal,
    /// 异常 (description)
    Abnormal(String),
}

impl Exam {
    pub fn is_abnormal(&self) -> bool {
        matches!(self, Exam::Abnormal(_))
    }

    pub fn label(&self, zh: bool) -> &'static str {
        match (self, zh) {
            (Exam::Normal, true) => "未见异常",
            (Exam::Normal, false) => "Normal",
            (Exam::Abnormal(_), true) => "异常",
            (Exam::Abnormal(_), false) => "Abnormal",
        }
    }
}

pub use crate::check::Reading as Range;

pub const HEIGHT: Range = ("height_cm", 100.0, 200.0, "cm");

pub const WEIGHT: Range = ("weight_kg", 30.0, 200.0, "kg");

pub const SBP: Range = ("sbp", 60.0, 260.0, "mmHg");

pub const DBP: Range = ("dbp", 30.0, 160.0, "mmHg");

pub const HB: Range = ("hb", 30.0, 200.0, "g/L");

pub const HUSBAND_AGE: Range = ("husband_age", 15.0, 90.0, "岁");

pub const FUNDAL_HEIGHT: Range = ("fundal_height_cm", 5.0, 50.0, "cm");

pub const ABDOMINAL_CIRC: Range = ("abdominal_circ_cm", 50.0, 150.0, "cm");

pub const FETAL_HEART_RATE: Range = ("fetal_heart_rate", 60.0, 220.0, "次/分");

pub const TEMPERATURE: Range = ("temperature", 34.0, 43.0, "℃");

pub const DELIVERY_WEEKS: Range = ("gestation_weeks", 20.0, 45.0, "周");

pub const RANGES: [Range; 11] = [
    HEIGHT,
    WEIGHT,
    SBP,
    DBP,
    HB,
    HUSBAND_AGE,
    FUNDAL_HEIGHT,
    ABDOMINAL_CIRC,
    FETAL_HEART_RATE,
    TEMPERATURE,
    DELIVERY_WEEKS,
];

/// Both blood pressures required, in range, diastolic below systolic.
fn blood_pressure(c: &mut Check, sbp: Option<i32>, dbp: Option<i32>) {
    c.reading(SBP, sbp.map(f64::from), true);
    c.reading(DBP, dbp.map(f64::from), true);
    if let (Some(s), Some(d)) = (sbp, dbp) {
        if s <= d {
            c.add("dbp", "舒张压应低于收缩压", "Diastolic must be below systolic");
        }
    }
}

/// A required 未见异常/异常 item; 异常 needs its description.
fn exam(c: &mut Check, field: &str, value: Option<&Exam>) {
    match value {
        None => c.add(field, "请选择一项", "Choose one option"),
        Some(Exam::Abnormal(what)) => {
            if what.trim().is_empty() {
                c.add(field, "请注明异常情况", "Describe what is abnormal");
            } else {
                c.text_if(field, what, false, TEXT_MAX);
            }
        }
        Some(Exam::Normal) => {}
    }
}

/// A date during the pregnancy: not in the future, not before the LMP.
fn in_pregnancy(c: &mut Check, field: &str, date: NaiveDate, lmp: Option<NaiveDate>, today: NaiveDate) {
    c.not_future(field, date, today);
    if lmp.is_some_and(|l| date < l) {
        c.add(field, "日期不能早于末次月经", "The date cannot be before the LMP");
    }
}

/// Completed months from `from` to `to` (clamped month ends, as 满N月).
fn completed_months(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let span = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let mut n = u32::try_from(span).unwrap_or(0);
    while n > 0 && add_months(from, n) > to {
        n -= 1;
    }
    n
}

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests;
