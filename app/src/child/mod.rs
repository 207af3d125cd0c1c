//! Child health management, 0–6 years (0~6岁儿童健康管理, domain spec §2): the check schedule from 满月 to 6岁
//! (each point's window, paper form and extra screens), anaemia grading, growth grading against SD tables read
//! as data, and the check form's validation.
//!
//! Pure rules shared by the browser and the server. 满N月 is the same day of the month N months after birth,
//! clamped to the month's last day (born 31 Jan: 满1月 = 28/29 Feb), as `NaiveDate::checked_add_months` does;
//! 满N岁 likewise with 12·N months. The growth standard (WS/T 423-2022 《7岁以下儿童生长标准》) is not compiled
//! in: its per-sex tables are data, read by `SdTable::parse`.
//!
//! Layout: the schedule (`CheckPoint`, `window`, `due_points`), anaemia (`AnaemiaConfig`), growth (`SdRow`,
//! `grade`, `assess`, `SdTable`), then the check input and `validate`.

use crate::check::Check;
use crate::error::AppError;
use crate::resident::Sex;
use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::ops::RangeInclusive;

mod growth;
pub mod pages;
pub mod standard;

pub use growth::*;

/// Longest free text kept in one field.
pub const TEXT_MAX: usize = 200;

/// 满月: the window in days after birth, inclusive [V: verified].
pub const M1_FROM_DAYS: i64 = 28;

pub const M1_UNTIL_DAYS: i64 = 30;

/// A month point stays open from 满N月 for this many more days, inclusive [V S1; P by analogy for 3–8 mo].
pub const MONTH_WINDOW_DAYS: i64 = 29;

/// Children leave the programme at 7 (满7岁 = 84 months).
pub const END_MONTHS: u32 = 84;

/// The scheduled checks (随访时间点).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckPoint {
    /// 满月 (28–30 days, with HepB dose 2)
    M1,
    M3,
    M6,
    M8,
    M12,
    M18,
    M24,
    M30,
    Y3,
    Y4,
    Y5,
    Y6,
}

/// The paper form a check is entered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FormBand {
    /// 1岁以内儿童健康检查记录表 (满月 to 8 months, "1～8月龄")
    Infant,
    /// 1～2岁儿童健康检查记录表 (12–30 months)
    Toddler,
    /// 3～6岁儿童健康检查记录表
    Preschool,
}

impl FormBand {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (FormBand::Infant, true) => "1～8月龄",
            (FormBand::Infant, false) => "1–8 months",
            (FormBand::Toddler, true) => "12～30月龄",
            (FormBand::Toddler, false) => "12–30 months",
            (FormBand::Preschool, true) => "3～6岁",
            (FormBand::Preschool, false) => "3–6 years",
        }
    }
}

/// The screens done at a point besides the routine examination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extras {
    /// 血红蛋白: once at 6 or 8 months, then 18 and 30 months and 4, 5, 6 years.
    pub hb: bool,
    /// 听力筛查: 6, 12, 24 months and 3 years.
    pub hearing: bool,
    /// 视力: 4–6 years.
    pub vision: bool,
}

impl CheckPoint {
    pub const ALL: [CheckPoint; 12] = [
        CheckPoint::M1,
        CheckPoint::M3,
        CheckPoint::M6,
        CheckPoint::M8,
        CheckPoint::M12,
        CheckPoint::M18,
        CheckPoint::M24,
        CheckPoint::M30,
        CheckPoint::Y3,
        CheckPoint::Y4,
        CheckPoint::Y5,
        CheckPoint::Y6,
    ];

    /// The age in months at which the point opens; 满月 counts as 1 but its window is in days.
    pub fn months(self) -> u32 {
        match self {
            CheckPoint::M1 => 1,
            CheckPoint::M3 => 3,
            CheckPoint::M6 => 6,
            CheckPoint::M8 => 8,
            CheckPoint::M12 => 12,
            CheckPoint::M18 => 18,
            CheckPoint::M24 => 24,
            CheckPoint::M30 => 30,
            CheckPoint::Y3 => 36,
            CheckPoint::Y4 => 48,
            CheckPoint::Y5 => 60,
            CheckPoint::Y6 => 72,
        }
    }

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            CheckPoint::M1 => ("满月", "1 month"),
            CheckPoint::M3 => ("3月龄", "3 months"),
            CheckPoint::M6 => ("6月龄", "6 months"),
            CheckPoint::M8 => ("8月龄", "8 months"),
            CheckPoint::M12 => ("12月龄", "12 months"),
            CheckPoint::M18 => ("18月龄", "18 months"),
            CheckPoint::M24 => ("24月龄", "24 months"),
            CheckPoint::M30 => ("30月龄", "30 months"),
            CheckPoint::Y3 => ("3岁", "3 years"),
            CheckPoint::Y4 => ("4岁", "4 years"),
            CheckPoint::Y5 => ("5岁", "5 years"),
            CheckPoint::Y6 => ("6岁", "6 years"),
        };
        if zh {
            z
        } else {
            e
        }
    }

    /// The task rule of §8 (CH_M1 … CH_Y6).
    pub fn rule_code(self) -> &'static str {
        match self {
            CheckPoint::M1 => "CH_M1",
            CheckPoint::M3 => "CH_M3",
            CheckPoint::M6 => "CH_M6",
            CheckPoint::M8 => "CH_M8",
            CheckPoint::M12 => "CH_M12",
            CheckPoint::M18 => "CH_M18",
            CheckPoint::M24 => "CH_M24",
            CheckPoint::M30 => "CH_M30",
            CheckPoint::Y3 => "CH_Y3",
            CheckPoint::Y4 => "CH_Y4",
            CheckPoint::Y5 => "CH_Y5",
            CheckPoint::Y6 => "CH_Y6",
        }
    }

    pub fn band(self) -> FormBand {
        match self {
            CheckPoint::M1 | CheckPoint::M3 | CheckPoint::M6 | CheckPoint::M8 => FormBand::Infant,
            CheckPoint::M12 | CheckPoint::M18 | CheckPoint::M24 | CheckPoint::M30 => FormBand::Toddler,
            CheckPoint::Y3 | CheckPoint::Y4 | CheckPoint::Y5 | CheckPoint::Y6 => FormBand::Preschool,
        }
    }

    /// Hb at 6 or 8 months (once), 18, 30 months, 4, 5, 6 years; hearing at 6, 12, 24 months and 3 years;
    /// vision at 4–6 years [V S1; P for 6–8 months, hearing 12/24 months and vision].
    pub fn extras(self) -> Extras {
        let (hb, hearing, vision) = match self {
            CheckPoint::M1 | CheckPoint::M3 => (false, false, false),
            CheckPoint::M6 => (true, true, false),
            CheckPoint::M8 | CheckPoint::M18 | CheckPoint::M30 => (true, false, false),
            CheckPoint::M12 | CheckPoint::M24 | CheckPoint::Y3 => (false, true, false),
            CheckPoint::Y4 | CheckPoint::Y5 | CheckPoint::Y6 => (true, false, true),
        };
        Extras { hb, hearing, vision }
    }

    /// Whether Hb is still to be measured at this point: at 8 months only if it was not measured at 6.
    pub fn hb_due(self, hb_done_at_m6: bool) -> bool {
        match self {
            CheckPoint::M8 => !hb_done_at_m6,
            p => p.extras().hb,
        }
    }

    /// The following point, None after 6岁.
    pub fn next(self) -> Option<CheckPoint> {
        let i = Self::ALL.iter().position(|p| *p == self)?;
        Self::ALL.get(i + 1).copied()
    }
}

/// The point's window, both ends inclusive:
/// 满月 = birth + 28 d … birth + 30 d; months = 满N月 … 满N月 + 29 d; years = 满N岁 … the day before 满(N+1)岁.
///
/// The spec writes the year windows as "满N岁 … +11 months 29 days" (the form's 3岁～3岁11月29天). Computed
/// literally on the calendar that leaves a day's gap before the next birthday after a 31-day month and
/// overlaps the next window across February, so the year of age is used instead: no gap, no overlap.
pub fn window(birth: NaiveDate, point: CheckPoint) -> (NaiveDate, NaiveDate) {
    if point == CheckPoint::M1 {
        return (add_days(birth, M1_FROM_DAYS), add_days(birth, M1_UNTIL_DAYS));
    }
    let from = add_months(birth, point.months());
    let until = if point.band() == FormBand::Preschool {
        add_days(add_months(birth, point.months() + 12), -1)
    } else {
        add_days(from, MONTH_WINDOW_DAYS)
    };
    (from, until)
}

pub fn in_window(birth: NaiveDate, point: CheckPoint, date: NaiveDate) -> bool {
    let (from, until) = window(birth, point);
    (from..=until).contains(&date)
}

/// The point whose window holds `date`, if any.
pub fn point_for(birth: NaiveDate, date: NaiveDate) -> Option<CheckPoint> {
    CheckPoint::ALL.into_iter().find(|p| in_window(birth, *p, date))
}

/// A check done after its window closed: allowed, and counted as late service.
pub fn is_late(birth: NaiveDate, point: CheckPoint, date: NaiveDate) -> bool {
    date > window(birth, point).1
}

/// A point whose window has opened by the day asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuePoint {
    pub point: CheckPoint,
    pub from: NaiveDate,
    pub until: NaiveDate,
    /// The window closed before today.
    pub overdue: bool,
}

/// Every point whose window has opened by `today`, in order, each marked overdue once its window has closed.
/// The caller drops the points already recorded (and everything after moving out or death).
pub fn due_points(birth: NaiveDate, today: NaiveDate) -> Vec<DuePoint> {
    CheckPoint::ALL
        .into_iter()
        .filter_map(|point| {
            let (from, until) = window(birth, point);
            (from <= today).then_some(DuePoint { point, from, until, overdue: until < today })
        })
        .collect()
}

/// Completed months of age (满N月 as above): 0 before the first month-day.
pub fn age_months(birth: NaiveDate, on: NaiveDate) -> u32 {
    if on <= birth {
        return 0;
    }
    let span = (on.year() - birth.year()) * 12 + on.month() as i32 - birth.month() as i32;
    let mut n = u32::try_from(span).unwrap_or(0);
    while n > 0 && add_months(birth, n) > on {
        n -= 1;
    }
    n
}

/// 听力 result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hearing {
    /// 通过
    Pass,
    /// 未通过
    Fail,
}

impl Hearing {
    pub const ALL: [Hearing; 2] = [Hearing::Pass, Hearing::Fail];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Hearing::Pass, true) => "通过",
            (Hearing::Pass, false) => "Pass",
            (Hearing::Fail, true) => "未通过",
            (Hearing::Fail, false) => "Fail",
        }
    }
}

/// 指导 (multi-select). On the 3–6 y form 合理膳食 replaces 科学喂养.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildGuidance {
    /// 科学喂养 (up to 30 months)
    Feeding,
    /// 合理膳食 (3–6 years)
    Diet,
    /// 生长发育
    Growth,
    /// 疾病预防
    DiseasePrevention,
    /// 预防意外伤害
    InjuryPrevention,
    /// 口腔保健
    OralHealth,
    /// 其他 (with text)
    Other,
}

/// The guidance options of the forms up to 30 months and of the 3–6 y form.
const GUIDANCE_UNDER_3: &[ChildGuidance] = &[
    ChildGuidance::Feeding,
    ChildGuidance::Growth,
    ChildGuidance::DiseasePrevention,
    ChildGuidance::InjuryPrevention,
    ChildGuidance::OralHealth,
    ChildGuidance::Other,
];

const GUIDANCE_FROM_3: &[ChildGuidance] = &[
    ChildGuidance::Diet,
    ChildGuidance::Growth,
    ChildGuidance::DiseasePrevention,
    ChildGuidance::InjuryPrevention,
    ChildGuidance::OralHealth,
    ChildGuidance::Other,
];

impl ChildGuidance {
    /// The options printed on a band's form.
    pub fn options(band: FormBand) -> &'static [ChildGuidance] {
        match band {
            FormBand::Infant | FormBand::Toddler => GUIDANCE_UNDER_3,
            FormBand::Preschool => GUIDANCE_FROM_3,
        }
    }

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            ChildGuidance::Feeding => ("科学喂养", "Feeding"),
            ChildGuidance::Diet => ("合理膳食", "Balanced diet"),
            ChildGuidance::Growth => ("生长发育", "Growth and development"),
            ChildGuidance::DiseasePrevention => ("疾病预防", "Disease prevention"),
            ChildGuidance::InjuryPrevention => ("预防意外伤害", "Injury prevention"),
            ChildGuidance::OralHealth => ("口腔保健", "Oral health"),
            ChildGuidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 两次随访间患病情况. The forms up to 30 months ask only 未患病/患病 (any count or text here = 患病); the 3–6 y
/// form counts 肺炎, 腹泻, 外伤 and names 其他.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Illness {
    pub pneumonia: u8,
    pub diarrhoea: u8,
    pub injury: u8,
    pub other: String,
}

impl Illness {
    pub fn any(&self) -> bool {
        self.pneumonia > 0 || self.diarrhoea > 0 || self.injury > 0 || !self.other.trim().is_empty()
    }
}

/// Most episodes of one illness counted between two checks.
pub const ILLNESS_MAX: u8 = 20;

/// One child health check, the fields the rules read. The child's birth date lives on the resident record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildCheckInput {
    /// 随访日期.
    pub check_date: NaiveDate,
    pub point: CheckPoint,
    /// 逾期补查: the doctor confirms a check done after its window closed (counted as late service).
    pub late: bool,
    /// 体重 kg, 身长(高) cm, 头围 cm (头围 only on the 1–8 month form).
    pub weight_kg: Option<f64>,
    pub height_cm: Option<f64>,
    pub head_cm: Option<f64>,
    /// 血红蛋白 g/L, only at the points of `Extras::hb`.
    pub hb: Option<f64>,
    /// 听力, only at the points of `Extras::hearing`.
    pub hearing: Option<Hearing>,
    /// 视力 as read on the chart, on the 3–6 y form: decimal (0.1–2.0) or five-point (3.0–5.3) notation.
    pub vision: Option<f64>,
    /// 发育评估: any of the age's 预警征象 positive (possible developmental deviation).
    pub warning_signs_positive: bool,
    pub illness: Illness,
    /// 转诊建议 有/无, with 原因 and 机构及科室.
    pub referral: bool,
    pub referral_reason: String,
    pub referral_institution: String,
    pub guidance: BTreeSet<ChildGuidance>,
    pub guidance_other: String,
    pub next_date: Option<NaiveDate>,
}

pub use crate::check::Reading as Range;

pub const WEIGHT: Range = ("weight_kg", 1.0, 40.0, "kg");

pub const HEIGHT: Range = ("height_cm", 40.0, 140.0, "cm");

pub const HEAD: Range = ("head_cm", 28.0, 56.0, "cm");

pub const HB: Range = ("hb", 30.0, 200.0, "g/L");

pub const RANGES: [Range; 4] = [WEIGHT, HEIGHT, HEAD, HB];

/// Vision in decimal notation (小数记录).
pub const VISION_DECIMAL: RangeInclusive<f64> = 0.1..=2.0;

/// Vision in five-point notation (5分记录, 标准对数视力表).
pub const VISION_FIVE_POINT: RangeInclusive<f64> = 3.0..=5.3;

/// Validates a check against the child's birth date and today; every problem at once.
///
/// The date must fall in the point's window. After the window it is accepted only when marked `late`, and
/// only until the next point's window opens (from then on it is that check); `late` on a check inside its
/// window is refused so the flag always means what it says.
pub fn validate(v: &ChildCheckInput, birth_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    let band = v.point.band();
    let extras = v.point.extras();
    let (from, until) = window(birth_date, v.point);
    let (label_zh, label_en) = (v.point.label(true), v.point.label(false));
    let mut c = Check::default();
    if v.check_date > today {
        c.add("check_date", "检查日期不能晚于今天", "The check date cannot be in the future");
    }
    if v.check_date < from {
        c.add(
            "check_date",
            format!("还未到{label_zh}检查时间（{from}起）"),
            format!("Too early for the {label_en} check (from {from})"),
        );
    } else if v.check_date > until && !v.late {
        c.add(
            "check_date",
            format!("已过{label_zh}检查时间（{from}至{until}）；补查请勾选“逾期补查”"),
            format!("Past the {label_en} window ({from} to {until}); tick “late” to record a late check"),
        );
    } else if v.check_date > until {
        match v.point.next() {
            Some(next) if v.check_date >= window(birth_date, next).0 => c.add(
                "check_date",
                format!("已到{}检查时间，请按{}检查填写", next.label(true), next.label(true)),
                format!("The {} check is due: record it as that check", next.label(false)),
            ),
            None if v.check_date >= add_months(birth_date, END_MONTHS) => c.add(
                "check_date",
                "已满7岁，不在0～6岁儿童健康管理范围",
                "The child is 7: past child health management",
            ),
            _ => {}
        }
    } else if v.late {
        c.add("late", "检查在规定时间内，无需勾选逾期补查", "The check is within its window: not late");
    }
    c.reading(WEIGHT, v.weight_kg, true);
    c.reading(HEIGHT, v.height_cm, true);
    if v.head_cm.is_some() && band != FormBand::Infant {
        c.add("head_cm", "头围仅在1岁以内检查时填写", "Head circumference is recorded up to 8 months");
    } else {
        c.reading(HEAD, v.head_cm, false);
    }
    if v.hb.is_some() && !extras.hb {
        c.add(
            "hb",
            "本次检查不查血红蛋白（6或8、18、30月龄及4、5、6岁查）",
            "No haemoglobin at this check (6 or 8, 18, 30 months; 4, 5, 6 years)",
        );
    } else {
        c.reading(HB, v.hb, false);
    }
    if v.hearing.is_some() && !extras.hearing {
        c.add("hearing", "听力筛查在6、12、24月龄及3岁时进行", "Hearing is screened at 6, 12, 24 months and 3 years");
    }
    match v.vision {
        Some(_) if band != FormBand::Preschool => {
            c.add("vision", "视力检查在3～6岁时进行", "Vision is checked from 3 to 6 years")
        }
        Some(x) if !VISION_DECIMAL.contains(&x) && !VISION_FIVE_POINT.contains(&x) => c.add(
            "vision",
            "视力应为0.1–2.0（小数记录）或3.0–5.3（5分记录）",
            "Vision must be 0.1–2.0 (decimal) or 3.0–5.3 (five-point)",
        ),
        _ => {}
    }
    let i = &v.illness;
    if [i.pneumonia, i.diarrhoea, i.injury].iter().any(|n| *n > ILLNESS_MAX) {
        c.add("illness", format!("患病次数应在0–{ILLNESS_MAX}之间"), format!("Counts must be 0–{ILLNESS_MAX}"));
    }
    c.text_if("illness", &i.other, false, TEXT_MAX);
    c.text_if("referral_reason", &v.referral_reason, v.referral, TEXT_MAX);
    c.text_if("referral_institution", &v.referral_institution, v.referral, TEXT_MAX);
    let options = ChildGuidance::options(band);
    if v.guidance.iter().any(|g| !options.contains(g)) {
        c.add("guidance", "选项无效", "Invalid option");
    }
    c.text_if("guidance_other", &v.guidance_other, v.guidance.contains(&ChildGuidance::Other), TEXT_MAX);
    if let Some(n) = v.next_date {
        if n <= v.check_date {
            c.add("next_date", "下次随访日期应晚于本次检查", "The next check must be after this one");
        }
    }
    c.finish()
}

/// 满N月: N months after `d`, clamped to the month's last day.
fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests;
