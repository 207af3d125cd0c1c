//! Chronic-disease follow-ups (规范第三版 §3.1): hypertension (高血压患者随访服务记录表) and type-2 diabetes
//! (2型糖尿病患者随访服务记录表) share one record, `ChronicVisitInput`, told apart by `disease`; every field,
//! its ranges and the rules.
//!
//! Pure functions only: the browser runs them as the doctor types (warnings, the default next step and date),
//! the server runs `validate` again before storing. Thresholds marked [P] in the domain spec live in
//! `ChronicRules`, so a province can change them without touching the logic.

use super::{Medication, Referral, VisitKind};
use crate::codes::{self, Choice};
use crate::error::AppError;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Configurable thresholds; `Default` holds the national values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChronicRules {
    /// 紧急转诊: SBP ≥ this and/or DBP ≥ `urgent_dbp`.
    pub urgent_sbp: i32,
    pub urgent_dbp: i32,
    /// 控制满意: SBP < target and DBP < target.
    pub target_sbp: i32,
    pub target_dbp: i32,
    /// From this age the SBP target is `elderly_target_sbp` [P].
    pub elderly_age: i32,
    pub elderly_target_sbp: i32,
    /// 紧急转诊 (diabetes): glucose ≥ `urgent_glucose_high` or ≤ `urgent_glucose_low` mmol/L.
    pub urgent_glucose_high: f64,
    pub urgent_glucose_low: f64,
    /// 控制满意 (diabetes): fasting glucose < this, mmol/L.
    pub target_fbg: f64,
    /// Revisit after an uncontrolled reading, an ADR or a referral.
    pub revisit_days: u64,
    /// Routine cadence: one face-to-face visit per quarter.
    pub routine_months: u32,
}

impl Default for ChronicRules {
    fn default() -> Self {
        ChronicRules {
            urgent_sbp: 180,
            urgent_dbp: 110,
            target_sbp: 140,
            target_dbp: 90,
            elderly_age: 65,
            elderly_target_sbp: 150,
            urgent_glucose_high: 16.7,
            urgent_glucose_low: 3.9,
            target_fbg: 7.0,
            revisit_days: 14,
            routine_months: 3,
        }
    }
}

/// Outcome codes of the visit (codes::VISIT_OUTCOME).
pub const OUTCOME_VISITED: u8 = 1;
pub const OUTCOME_LOST: u8 = 2;
pub const OUTCOME_DIED: u8 = 3;

/// A follow-up that counts as a visit: the patient was seen, face to face (clinic or home; not by phone).
/// The task cadences, the indicators and the data-quality checks all count visits by this rule.
pub fn face_to_face(outcome: u8, mode: Option<u8>) -> bool {
    outcome == OUTCOME_VISITED && matches!(mode, Some(1) | Some(2))
}

pub const CLASS_CONTROLLED: u8 = 1;
pub const CLASS_UNCONTROLLED: u8 = 2;
pub const CLASS_ADR: u8 = 3;
pub const CLASS_COMPLICATION: u8 = 4;

pub const NEXT_ROUTINE: u8 = 1;
pub const NEXT_TWO_WEEKS: u8 = 2;
pub const NEXT_REFER: u8 = 3;
pub const NEXT_URGENT: u8 = 4;

pub const MAX_MEDS: usize = 10;
pub const MAX_INSULIN: usize = 4;

/// Which chronic disease a follow-up is for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disease {
    #[default]
    Hypertension,
    Diabetes,
}

impl Disease {
    pub fn kind(self) -> VisitKind {
        match self {
            Disease::Hypertension => VisitKind::Hypertension,
            Disease::Diabetes => VisitKind::Diabetes,
        }
    }

    pub fn of_kind(kind: VisitKind) -> Option<Disease> {
        match kind {
            VisitKind::Hypertension => Some(Disease::Hypertension),
            VisitKind::Diabetes => Some(Disease::Diabetes),
        }
    }

    /// The key-population flag that enrols a resident in this disease's management.
    pub fn flag(self) -> crate::resident::KeyFlag {
        match self {
            Disease::Hypertension => crate::resident::KeyFlag::Htn,
            Disease::Diabetes => crate::resident::KeyFlag::T2dm,
        }
    }

    /// The path segment of the form (`/residents/:id/visits/htn/new`, `/residents/:id/visits/dm/new`).
    pub fn code(self) -> &'static str {
        self.kind().code()
    }

    pub fn from_code(code: &str) -> Option<Disease> {
        VisitKind::from_code(code).and_then(Disease::of_kind)
    }

    pub fn symptoms(self) -> &'static [Choice] {
        match self {
            Disease::Hypertension => codes::HTN_SYMPTOMS,
            Disease::Diabetes => codes::DM_SYMPTOMS,
        }
    }

    pub fn urgent_signs(self) -> &'static [Choice] {
        match self {
            Disease::Hypertension => codes::HTN_URGENT_SIGNS,
            Disease::Diabetes => codes::DM_URGENT_SIGNS,
        }
    }
}

/// One insulin line (胰岛素): type and usage with dose, as written on the prescription.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Insulin {
    /// 种类, e.g. "门冬胰岛素30".
    pub kind: String,
    /// 用法和用量, e.g. "早晚餐前皮下注射各12单位".
    pub usage: String,
}

/// What the follow-up form sends. Optional clinical fields are required only for a normal visit, and the
/// fields of one disease only for that disease (`validate`). Empty fields are left out of the JSON (a visit
/// fills about half of them): 40% fewer bytes on the wire, in the database and in the phone's store; an absent
/// field reads as empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChronicVisitInput {
    /// Absent in records written before the diabetes form: those are hypertension visits.
    #[serde(default)]
    pub disease: Disease,
    /// This revision's id, generated on the device.
    pub id: Uuid,
    /// The logical visit; equals `id` on the first revision.
    pub visit_id: Uuid,
    /// The revision this one corrects, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supersedes: Option<Uuid>,
    pub resident_id: Uuid,
    pub visit_date: NaiveDate,
    pub outcome: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lost_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub death_cause: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptoms: Vec<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub symptoms_other: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urgent_signs: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbp: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_weight: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heart_rate: Option<i32>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub other_signs: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smoking: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub smoking_target: Option<i32>,
    /// 两 of 白酒 per day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drinking: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drinking_target: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise_times: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise_minutes: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise_times_target: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exercise_minutes_target: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt_target: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psych: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compliance: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbg: Option<f64>,
    /// 足背动脉搏动 (diabetes) and, when weak or absent, the side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dorsalis_pedis: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dorsalis_side: Option<u8>,
    /// 主食, grams a day (diabetes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staple: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staple_target: Option<i32>,
    /// 糖化血红蛋白 % and the date of that test (diabetes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hba1c: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hba1c_date: Option<NaiveDate>,
    /// 低血糖反应 (diabetes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hypoglycemia: Option<u8>,
    /// 胰岛素 (diabetes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub insulin: Vec<Insulin>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub aux_exam: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adherence: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adr: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adr_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classification: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meds: Vec<Medication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub med_adjust: Vec<Medication>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Referral>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_mgmt: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_visit_date: Option<NaiveDate>,
    pub device_id: String,
    /// Proof of service (两卡制): the resident's signature drawn on the screen, as an SVG path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

/// What the rules need to know beyond the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ChronicContext {
    pub age: i32,
    pub birth_date: Option<NaiveDate>,
    /// Classification of the resident's previous visit, for "two consecutive 控制不满意".
    pub previous_classification: Option<u8>,
}

/// Why a visit calls for urgent referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrgentReason {
    HighSbp(i32),
    HighDbp(i32),
    /// Glucose in tenths of a mmol/L (so the reason stays `Eq`).
    HighGlucose(i32),
    LowGlucose(i32),
    Sign(Disease, u8),
}

impl UrgentReason {
    pub fn text(&self, zh: bool) -> String {
        match (self, zh) {
            (UrgentReason::HighSbp(v), true) => format!("收缩压 {v} mmHg ≥ 180"),
            (UrgentReason::HighSbp(v), false) => format!("Systolic {v} mmHg ≥ 180"),
            (UrgentReason::HighDbp(v), true) => format!("舒张压 {v} mmHg ≥ 110"),
            (UrgentReason::HighDbp(v), false) => format!("Diastolic {v} mmHg ≥ 110"),
            (UrgentReason::HighGlucose(g), true) => format!("血糖 {:.1} mmol/L ≥ 16.7", *g as f64 / 10.0),
            (UrgentReason::HighGlucose(g), false) => format!("Glucose {:.1} mmol/L ≥ 16.7", *g as f64 / 10.0),
            (UrgentReason::LowGlucose(g), true) => format!("血糖 {:.1} mmol/L ≤ 3.9", *g as f64 / 10.0),
            (UrgentReason::LowGlucose(g), false) => format!("Glucose {:.1} mmol/L ≤ 3.9", *g as f64 / 10.0),
            (UrgentReason::Sign(d, c), zh) => codes::label(d.urgent_signs(), *c, zh),
        }
    }
}

/// 紧急转诊 conditions, checked before anything else.
pub fn urgent_reasons(v: &ChronicVisitInput, rules: &ChronicRules) -> Vec<UrgentReason> {
    let mut r = Vec::new();
    if let Some(s) = v.sbp.filter(|s| *s >= rules.urgent_sbp) {
        r.push(UrgentReason::HighSbp(s));
    }
    if let Some(d) = v.dbp.filter(|d| *d >= rules.urgent_dbp) {
        r.push(UrgentReason::HighDbp(d));
    }
    if v.disease == Disease::Diabetes {
        if let Some(g) = v.fbg.filter(|g| g.is_finite()) {
            let tenths = (g * 10.0).round() as i32;
            if g >= rules.urgent_glucose_high {
                r.push(UrgentReason::HighGlucose(tenths));
            } else if g <= rules.urgent_glucose_low {
                r.push(UrgentReason::LowGlucose(tenths));
            }
        }
    }
    r.extend(v.urgent_signs.iter().map(|c| UrgentReason::Sign(v.disease, *c)));
    r
}

/// Whether a reading is at target for this age (≥65: SBP < 150 [P]).
pub fn bp_controlled(sbp: i32, dbp: i32, age: i32, rules: &ChronicRules) -> bool {
    let target = if age >= rules.elderly_age { rules.elderly_target_sbp } else { rules.target_sbp };
    sbp < target && dbp < rules.target_dbp
}

/// 体质指数 = kg / m², one decimal.
pub fn bmi(weight_kg: f64, height_cm: f64) -> Option<f64> {
    if !(50.0..=250.0).contains(&height_cm) || weight_kg <= 0.0 {
        return None;
    }
    let m = height_cm / 100.0;
    Some((weight_kg / (m * m) * 10.0).round() / 10.0)
}

/// Whether the visit's readings are at target: blood pressure for hypertension, fasting glucose for
/// diabetes (< 7.0 mmol/L); `None` until the reading is entered.
pub fn controlled(v: &ChronicVisitInput, ctx: &ChronicContext, rules: &ChronicRules) -> Option<bool> {
    match v.disease {
        Disease::Hypertension => match (v.sbp, v.dbp) {
            (Some(s), Some(d)) => Some(bp_controlled(s, d, ctx.age, rules)),
            _ => None,
        },
        Disease::Diabetes => v.fbg.filter(|g| g.is_finite()).map(|g| g < rules.target_fbg),
    }
}

/// The classification the readings suggest; a complication (并发症) is the doctor's call, never suggested.
pub fn suggested_classification(v: &ChronicVisitInput, ctx: &ChronicContext, rules: &ChronicRules) -> Option<u8> {
    let controlled = controlled(v, ctx, rules)?;
    if v.adr == Some(2) {
        Some(CLASS_ADR)
    } else if controlled {
        Some(CLASS_CONTROLLED)
    } else {
        Some(CLASS_UNCONTROLLED)
    }
}

/// A warning the doctor should look at; saving is still allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub field: &'static str,
    pub zh: String,
    pub en: String,
}

/// Consistency checks between the classification and the measured values.
pub fn warnings(v: &ChronicVisitInput, ctx: &ChronicContext, rules: &ChronicRules) -> Vec<Warning> {
    let mut w = Vec::new();
    let reading = match v.disease {
        Disease::Hypertension => {
            v.sbp.zip(v.dbp).map(|(s, d)| (format!("血压 {s}/{d} mmHg"), format!("BP {s}/{d} mmHg")))
        }
        Disease::Diabetes => {
            v.fbg.map(|g| (format!("空腹血糖 {g:.1} mmol/L"), format!("Fasting glucose {g:.1} mmol/L")))
        }
    };
    if let (Some((zh, en)), Some(ok), Some(c)) = (reading, controlled(v, ctx, rules), v.classification) {
        if c == CLASS_CONTROLLED && !ok {
            w.push(Warning {
                field: "classification",
                zh: format!("{zh} 未达标，与“控制满意”不符"),
                en: format!("{en} is above target, which contradicts \"controlled\""),
            });
        }
        if c == CLASS_UNCONTROLLED && ok {
            w.push(Warning {
                field: "classification",
                zh: format!("{zh} 已达标，与“控制不满意”不符"),
                en: format!("{en} is at target, which contradicts \"not controlled\""),
            });
        }
    }
    if v.adr == Some(2) && v.classification == Some(CLASS_CONTROLLED) {
        w.push(Warning {
            field: "classification",
            zh: "有药物不良反应时分类应为“不良反应”或更重".into(),
            en: "With an adverse reaction, classify as \"adverse reaction\" or worse".into(),
        });
    }
    w
}

/// 下一步管理措施 from the rules of §3.1 (the same for both diseases): urgent first, then two uncontrolled in a row or a complication →
/// referral, then a first uncontrolled or an ADR → 2-week revisit, else routine.
pub fn next_step(v: &ChronicVisitInput, ctx: &ChronicContext, rules: &ChronicRules) -> u8 {
    if !urgent_reasons(v, rules).is_empty() {
        return NEXT_URGENT;
    }
    match v.classification {
        Some(CLASS_COMPLICATION) => NEXT_REFER,
        Some(CLASS_UNCONTROLLED) if ctx.previous_classification == Some(CLASS_UNCONTROLLED) => NEXT_REFER,
        Some(CLASS_UNCONTROLLED) | Some(CLASS_ADR) => NEXT_TWO_WEEKS,
        _ => NEXT_ROUTINE,
    }
}

/// The default next-visit date for a next step: 2 weeks after any non-routine step, next quarter otherwise.
pub fn default_next_visit(visit_date: NaiveDate, next_mgmt: u8, rules: &ChronicRules) -> NaiveDate {
    if next_mgmt == NEXT_ROUTINE {
        visit_date.checked_add_months(Months::new(rules.routine_months)).unwrap_or(visit_date)
    } else {
        visit_date + chrono::Days::new(rules.revisit_days)
    }
}

mod validate;
pub use validate::*;

#[cfg(test)]
pub(crate) mod tests;

#[cfg(test)]
mod diabetes_tests;
