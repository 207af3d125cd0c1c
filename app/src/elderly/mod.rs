//! Elderly 65+ annual management (老年人健康管理, 规范第三版 §3.4 in the domain spec): the self-care assessment
//! (老年人生活自理能力评估表) with its scores and bands, and the annual check's fields and validation.
//!
//! Pure rules shared by the browser and the server, as for the follow-ups; stored as a service record
//! (`record::RecordBody::ElderlyCheck`), entered with the form in `pages.rs`.

use crate::error::{AppError, FieldError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod pages;

/// The four levels of each self-care item, in the order of the national table's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 可自理
    Independent,
    /// 轻度依赖
    Mild,
    /// 中度依赖
    Moderate,
    /// 不能自理
    Dependent,
}

impl Level {
    pub const ALL: [Level; 4] = [Level::Independent, Level::Mild, Level::Moderate, Level::Dependent];

    fn column(self) -> usize {
        match self {
            Level::Independent => 0,
            Level::Mild => 1,
            Level::Moderate => 2,
            Level::Dependent => 3,
        }
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Level::Independent, true) => "可自理",
            (Level::Independent, false) => "Independent",
            (Level::Mild, true) => "轻度依赖",
            (Level::Mild, false) => "Mildly dependent",
            (Level::Moderate, true) => "中度依赖",
            (Level::Moderate, false) => "Moderately dependent",
            (Level::Dependent, true) => "不能自理",
            (Level::Dependent, false) => "Dependent",
        }
    }
}

/// One row of the assessment table: the item and the score of each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub scores: [u8; 4],
}

/// 老年人生活自理能力评估表 [V S2].
pub const ITEMS: [Item; 5] = [
    Item { key: "eating", zh: "进餐", en: "Eating", scores: [0, 0, 3, 5] },
    Item { key: "grooming", zh: "梳洗", en: "Grooming", scores: [0, 1, 3, 7] },
    Item { key: "dressing", zh: "穿衣", en: "Dressing", scores: [0, 0, 3, 5] },
    Item { key: "toileting", zh: "如厕", en: "Toileting", scores: [0, 1, 5, 10] },
    Item { key: "mobility", zh: "活动", en: "Mobility", scores: [0, 1, 5, 10] },
];

/// The level chosen for each item, in the order of `ITEMS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfCare {
    pub eating: Level,
    pub grooming: Level,
    pub dressing: Level,
    pub toileting: Level,
    pub mobility: Level,
}

impl SelfCare {
    pub fn levels(&self) -> [Level; 5] {
        [self.eating, self.grooming, self.dressing, self.toileting, self.mobility]
    }

    /// The total score: the sum of each item's score at its level (0–37).
    pub fn score(&self) -> u8 {
        ITEMS.iter().zip(self.levels()).map(|(item, level)| item.scores[level.column()]).sum()
    }

    pub fn band(&self) -> Level {
        band(self.score())
    }
}

/// The band of a total score: 0–3 可自理, 4–8 轻度依赖, 9–18 中度依赖, ≥19 不能自理 [V S2].
pub fn band(total: u8) -> Level {
    match total {
        0..=3 => Level::Independent,
        4..=8 => Level::Mild,
        9..=18 => Level::Moderate,
        _ => Level::Dependent,
    }
}

/// 认知功能 and 情感状态 粗筛: negative (阴性) or positive (阳性, to be assessed further).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    Negative,
    Positive,
}

/// The annual check of a resident aged 65 or over: the examination, the self-care assessment and the screens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElderlyCheckInput {
    pub check_date: NaiveDate,
    /// 体温 °C, 脉率 /min, 呼吸频率 /min.
    pub temperature: Option<f64>,
    pub pulse: Option<i32>,
    pub respiration: Option<i32>,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    pub height_cm: Option<f64>,
    pub weight: Option<f64>,
    /// 腰围 cm.
    pub waist_cm: Option<f64>,
    pub self_care: Option<SelfCare>,
    pub self_rated: Option<u8>,
    pub cognition: Option<Screen>,
    pub mood: Option<Screen>,
    /// 健康指导 and the next appointment.
    pub guidance: String,
    pub next_date: Option<NaiveDate>,
}

/// Inclusive ranges of the examination (our suggestions, as for the follow-ups): (field, min, max, unit).
pub const RANGES: [(&str, f64, f64, &str); 8] = [
    ("temperature", 34.0, 42.0, "℃"),
    ("pulse", 30.0, 200.0, "次/分"),
    ("respiration", 5.0, 60.0, "次/分"),
    ("sbp", 60.0, 260.0, "mmHg"),
    ("dbp", 30.0, 160.0, "mmHg"),
    ("height_cm", 100.0, 220.0, "cm"),
    ("weight", 20.0, 250.0, "kg"),
    ("waist_cm", 40.0, 200.0, "cm"),
];

/// Residents are in the program from the year they turn 65.
pub const MIN_AGE: i32 = 65;

fn value(v: &ElderlyCheckInput, field: &str) -> Option<f64> {
    match field {
        "temperature" => v.temperature,
        "pulse" => v.pulse.map(f64::from),
        "respiration" => v.respiration.map(f64::from),
        "sbp" => v.sbp.map(f64::from),
        "dbp" => v.dbp.map(f64::from),
        "height_cm" => v.height_cm,
        "weight" => v.weight,
        "waist_cm" => v.waist_cm,
        _ => None,
    }
}

/// Validates a check against the resident's birth date and today; every problem at once.
pub fn validate(v: &ElderlyCheckInput, birth_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let mut add = |field: &str, zh: String, en: String| errors.push(FieldError::new(field, zh, en));
    if v.check_date > today {
        add("check_date", "检查日期不能晚于今天".into(), "The check date cannot be in the future".into());
    }
    if crate::resident::age_on(birth_date, v.check_date) < MIN_AGE {
        add(
            "check_date",
            format!("老年人健康管理适用于{MIN_AGE}岁及以上居民"),
            format!("The elderly check is for residents aged {MIN_AGE} and over"),
        );
    }
    for (field, min, max, unit) in RANGES {
        match value(v, field) {
            None if matches!(field, "sbp" | "dbp" | "weight") => add(field, "此项必填".into(), "Required".into()),
            Some(x) if !x.is_finite() || x < min || x > max => {
                add(field, format!("应在 {min}–{max} {unit} 之间"), format!("Must be {min}–{max} {unit}"))
            }
            _ => {}
        }
    }
    if let (Some(s), Some(d)) = (v.sbp, v.dbp) {
        if s <= d {
            add("dbp", "舒张压应低于收缩压".into(), "Diastolic must be below systolic".into());
        }
    }
    if v.self_care.is_none() {
        add("self_care", "请完成生活自理能力评估".into(), "Complete the self-care assessment".into());
    }
    match v.self_rated {
        None => add("self_rated", "请选择一项".into(), "Choose one option".into()),
        Some(c) if !crate::codes::is_valid(crate::codes::SELF_RATED_HEALTH, c) => {
            add("self_rated", "选项无效".into(), "Invalid option".into())
        }
        _ => {}
    }
    if v.cognition.is_none() {
        add("cognition", "请填写认知功能粗筛结果".into(), "Enter the cognition screen".into());
    }
    if v.mood.is_none() {
        add("mood", "请填写情感状态粗筛结果".into(), "Enter the mood screen".into());
    }
    if v.guidance.chars().count() > 500 {
        add("guidance", "不能超过500个字".into(), "At most 500 characters".into());
    }
    if let Some(n) = v.next_date {
        if n <= v.check_date {
            add(
                "next_date",
                "下次预约日期应晚于检查日期".into(),
                "The next appointment must be after the check".into(),
            );
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

#[cfg(test)]
mod tests;
