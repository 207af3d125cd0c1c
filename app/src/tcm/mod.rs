//! TCM health management (中医药健康管理, domain spec 2 §4): the constitution assessment of residents aged 65
//! and over (老年人中医药健康管理服务记录表) and the service for children of 6–36 months.
//!
//! Layout: the 33 questions and their answer scale as data (`QUESTIONS`, `Frequency`, `ANCHORS`); the nine
//! constitution types (体质) with their items (`Constitution`); the judgement table (体质判定标准表) as `score`
//! → `Assessment`; the elderly record `TcmElderlyInput`; then the child record `TcmChildInput` with its ages,
//! taught methods and visit windows.
//!
//! Pure rules shared by the browser and the server, as for the other services: the form scores the answers as
//! the doctor ticks them, the server validates again before storing. When each service is due (TCM_OLD: once
//! per calendar year, with the 65+ annual check; TCM_CH_6…36: the matching child-check window) is the task
//! rules' business; `child_window` is the window they and `TcmChildInput::validate` share.

use crate::check::Check;
use crate::error::{AppError, FieldError};
use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

mod child;
pub mod child_page;
pub mod pages;
mod questions;

pub use child::*;
pub use questions::*;

/// The result of one type (判定结果).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// 是
    Yes,
    /// 倾向是 (biased types only)
    Leaning,
    /// 基本是 (平和质 only)
    Basically,
    /// 否
    No,
}

impl Verdict {
    /// Whether the type is recorded as a result: 是 or 倾向是 for a biased type, 是 or 基本是 for 平和质.
    pub fn is_positive(self) -> bool {
        self != Verdict::No
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Verdict::Yes, true) => "是",
            (Verdict::Yes, false) => "Yes",
            (Verdict::Leaning, true) => "倾向是",
            (Verdict::Leaning, false) => "Leaning",
            (Verdict::Basically, true) => "基本是",
            (Verdict::Basically, false) => "Basically",
            (Verdict::No, true) => "否",
            (Verdict::No, false) => "No",
        }
    }
}

/// A biased type's verdict from its raw sum (4–20): ≥11 是, 9–10 倾向是, ≤8 否. Raw sums, no 转化分, and ≤ as
/// printed in S1 and S3 (public_health's `<8`/`<10` would put 8 and 10 on the wrong side).
pub fn biased_verdict(sum: u8) -> Verdict {
    match sum {
        0..=8 => Verdict::No,
        9..=10 => Verdict::Leaning,
        _ => Verdict::Yes,
    }
}

/// 平和质's verdict from its sum (5–25) and the highest biased sum: ≥17 with every biased type ≤8 是, ≥17 with
/// every biased type ≤10 基本是, otherwise 否.
pub fn pinghe_verdict(pinghe: u8, max_biased: u8) -> Verdict {
    if pinghe >= 17 && max_biased <= 8 {
        Verdict::Yes
    } else if pinghe >= 17 && max_biased <= 10 {
        Verdict::Basically
    } else {
        Verdict::No
    }
}

/// The raw sum of one type: its items' answers, 平和质's reversed ones as 6 − answer. Sums saturate, so
/// unvalidated answers (0, >5) give a meaningless number but never panic.
pub fn type_score(answers: &Answers, c: Constitution) -> u8 {
    c.items()
        .iter()
        .map(|&n| {
            let a = answers.get(n);
            if c == Constitution::Balanced && PINGHE_REVERSED.contains(&n) {
                6u8.saturating_sub(a)
            } else {
                a
            }
        })
        .fold(0, u8::saturating_add)
}

/// One type's line of the result table: 得分 and 是/倾向是/基本是/否.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeResult {
    pub constitution: Constitution,
    pub score: u8,
    pub verdict: Verdict,
}

/// 体质辨识: every type's result, in `Constitution::ALL` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub results: [TypeResult; 9],
}

/// Scores validated answers by the judgement table [V S1,S2,S3].
pub fn score(answers: &Answers) -> Assessment {
    let max_biased = Constitution::BIASED.iter().map(|&c| type_score(answers, c)).max().unwrap_or(0);
    let results = Constitution::ALL.map(|c| {
        let score = type_score(answers, c);
        let verdict = if c.is_biased() { biased_verdict(score) } else { pinghe_verdict(score, max_biased) };
        TypeResult { constitution: c, score, verdict }
    });
    Assessment { results }
}

impl Assessment {
    pub fn result(&self, c: Constitution) -> TypeResult {
        self.results[c.index()]
    }

    pub fn score_of(&self, c: Constitution) -> u8 {
        self.result(c).score
    }

    pub fn verdict_of(&self, c: Constitution) -> Verdict {
        self.result(c).verdict
    }

    /// The types recorded as results (兼夹 is normal: all are recorded), in `ALL` order, 平和质 included when it
    /// is 是 or 基本是 (基本是 can go with a biased type at 倾向是).
    pub fn positives(&self) -> Vec<Constitution> {
        self.results.iter().filter(|r| r.verdict.is_positive()).map(|r| r.constitution).collect()
    }

    /// The positive biased types with the highest sum: one normally, several on a tie, none when no biased
    /// type is positive.
    pub fn leading(&self) -> Vec<Constitution> {
        let positive: Vec<TypeResult> =
            self.results.iter().copied().filter(|r| r.constitution.is_biased() && r.verdict.is_positive()).collect();
        let top = positive.iter().map(|r| r.score).max();
        positive.iter().filter(|r| Some(r.score) == top).map(|r| r.constitution).collect()
    }

    /// The main type that guidance follows (以分数高的为主要体质): the single leading biased type. `None` when no
    /// biased type is positive (the resident is then 平和质 or nothing) or on a tie, which a TCM doctor decides
    /// (`tie`).
    pub fn primary(&self) -> Option<Constitution> {
        match self.leading().as_slice() {
            [only] => Some(*only),
            _ => None,
        }
    }

    /// Two or more positive biased types share the highest sum: a TCM doctor decides the main type.
    pub fn tie(&self) -> bool {
        self.leading().len() > 1
    }

    /// 阴虚 and 阳虚 both positive contradict each other: go back over the answers with the resident, with a
    /// TCM doctor's help if needed.
    pub fn contradiction(&self) -> bool {
        self.verdict_of(Constitution::YinDeficiency).is_positive()
            && self.verdict_of(Constitution::YangDeficiency).is_positive()
    }

    /// No type at all: find the cause, or ask again after 2 weeks.
    pub fn none_positive(&self) -> bool {
        self.results.iter().all(|r| !r.verdict.is_positive())
    }
}

/// 中医药保健指导, multi-select per positive type; the paper codes are 1–6 in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    /// 情志调摄
    Emotion,
    /// 饮食调养
    Diet,
    /// 起居调摄
    Routine,
    /// 运动保健
    Exercise,
    /// 穴位保健
    Acupoint,
    /// 其他 (the text goes in `TypeGuidance::other`)
    Other,
}

impl Guidance {
    pub const ALL: [Guidance; 6] =
        [Guidance::Emotion, Guidance::Diet, Guidance::Routine, Guidance::Exercise, Guidance::Acupoint, Guidance::Other];

    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Guidance::Emotion, true) => "情志调摄",
            (Guidance::Emotion, false) => "Emotional regulation",
            (Guidance::Diet, true) => "饮食调养",
            (Guidance::Diet, false) => "Diet",
            (Guidance::Routine, true) => "起居调摄",
            (Guidance::Routine, false) => "Daily routine",
            (Guidance::Exercise, true) => "运动保健",
            (Guidance::Exercise, false) => "Exercise",
            (Guidance::Acupoint, true) => "穴位保健",
            (Guidance::Acupoint, false) => "Acupoint care",
            (Guidance::Other, true) => "其他",
            (Guidance::Other, false) => "Other",
        }
    }
}

/// The guidance given for one positive type. An entry with no items counts as no guidance for that type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeGuidance {
    pub constitution: Constitution,
    pub items: Vec<Guidance>,
    /// 其他指导请注明: required when `items` has `Other`.
    #[serde(default)]
    pub other: String,
}

/// The yearly TCM service of a resident aged 65 or over: the answers, the guidance and the next appointment.
/// The assessment is not stored: it is `score(&answers)`, so it can never disagree with the answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcmElderlyInput {
    /// 填表日期.
    pub date: NaiveDate,
    pub answers: Answers,
    pub guidance: Vec<TypeGuidance>,
    pub note: String,
    pub next_date: Option<NaiveDate>,
}

pub const MAX_NOTE: usize = 500;

pub const MAX_OTHER: usize = 200;

impl TcmElderlyInput {
    pub fn assessment(&self) -> Assessment {
        score(&self.answers)
    }

    /// Validates the record against the resident's birth date and today; every problem at once. Guidance is
    /// checked against the assessment only once all 33 answers are valid (before that there is no result).
    pub fn validate(&self, birth_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
        let mut c = Check::default();
        c.not_future("date", self.date, today);
        if crate::resident::age_on(birth_date, self.date) < MIN_AGE {
            c.add(
                "date",
                format!("老年人中医药健康管理适用于{MIN_AGE}岁及以上居民"),
                format!("TCM health management is for residents aged {MIN_AGE} and over"),
            );
        }
        let unanswered = answer_errors(&self.answers);
        let assessment = unanswered.is_empty().then(|| self.assessment());
        c.0.extend(unanswered);
        for (i, g) in self.guidance.iter().enumerate() {
            let field = format!("guidance.{}", g.constitution.key());
            let name = g.constitution.label(true);
            if self.guidance[..i].iter().any(|h| h.constitution == g.constitution) {
                c.add(&field, format!("{name}的指导重复"), "Guidance entered twice");
                continue;
            }
            if let Some(a) = &assessment {
                if !g.items.is_empty() && !a.verdict_of(g.constitution).is_positive() {
                    c.add(
                        &field,
                        format!("{name}不是本次辨识结果，不能填写其保健指导"),
                        format!("{} is not a result of this assessment", g.constitution.label(false)),
                    );
                }
            }
            if g.items.contains(&Guidance::Other) && g.other.trim().is_empty() {
                c.add(&field, "请注明其他指导", "Describe the other guidance");
            }
            if g.other.chars().count() > MAX_OTHER {
                c.add(
                    &field,
                    format!("其他指导不能超过{MAX_OTHER}个字"),
                    format!("Other guidance: at most {MAX_OTHER} characters"),
                );
            }
        }
        // The service is identification *and* guidance: some positive type must have been guided.
        if let Some(a) = &assessment {
            let guided = self.guidance.iter().any(|g| !g.items.is_empty());
            if !a.none_positive() && !guided {
                c.add("guidance", "请为辨识出的体质选择保健指导", "Choose the guidance given for the identified types");
            }
        }
        c.text("note", &self.note, MAX_NOTE);
        if let Some(n) = self.next_date {
            if n <= self.date {
                c.add("next_date", "下次随访日期应晚于填表日期", "The next appointment must be after this one");
            }
        }
        c.finish()
    }
}

#[cfg(test)]
mod tests;
