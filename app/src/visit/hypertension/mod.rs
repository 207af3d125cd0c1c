//! Hypertension follow-up (高血压患者随访服务记录表, 规范第三版 §3.1): every field, its ranges and the rules.
//!
//! Pure functions only: the browser runs them as the doctor types (warnings, the default next step and date),
//! the server runs `validate` again before storing. Thresholds marked [P] in the domain spec live in
//! `HtnRules`, so a province can change them without touching the logic.

use super::{Medication, Referral};
use crate::codes::{self, Choice};
use crate::error::{AppError, FieldError};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Configurable thresholds; `Default` holds the national values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HtnRules {
    /// 紧急转诊: SBP ≥ this and/or DBP ≥ `urgent_dbp`.
    pub urgent_sbp: i32,
    pub urgent_dbp: i32,
    /// 控制满意: SBP < target and DBP < target.
    pub target_sbp: i32,
    pub target_dbp: i32,
    /// From this age the SBP target is `elderly_target_sbp` [P].
    pub elderly_age: i32,
    pub elderly_target_sbp: i32,
    /// Revisit after an uncontrolled reading, an ADR or a referral.
    pub revisit_days: u64,
    /// Routine cadence: one face-to-face visit per quarter.
    pub routine_months: u32,
}

impl Default for HtnRules {
    fn default() -> Self {
        HtnRules {
            urgent_sbp: 180,
            urgent_dbp: 110,
            target_sbp: 140,
            target_dbp: 90,
            elderly_age: 65,
            elderly_target_sbp: 150,
            revisit_days: 14,
            routine_months: 3,
        }
    }
}

/// Outcome codes of the visit (codes::VISIT_OUTCOME).
pub const OUTCOME_VISITED: u8 = 1;
pub const OUTCOME_LOST: u8 = 2;
pub const OUTCOME_DIED: u8 = 3;

pub const CLASS_CONTROLLED: u8 = 1;
pub const CLASS_UNCONTROLLED: u8 = 2;
pub const CLASS_ADR: u8 = 3;
pub const CLASS_COMPLICATION: u8 = 4;

pub const NEXT_ROUTINE: u8 = 1;
pub const NEXT_TWO_WEEKS: u8 = 2;
pub const NEXT_REFER: u8 = 3;
pub const NEXT_URGENT: u8 = 4;

pub const MAX_MEDS: usize = 10;

/// What the hypertension form sends. Optional clinical fields are required only for a normal visit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct HtnVisitInput {
    /// This revision's id, generated on the device.
    pub id: Uuid,
    /// The logical visit; equals `id` on the first revision.
    pub visit_id: Uuid,
    /// The revision this one corrects, if any.
    pub supersedes: Option<Uuid>,
    pub resident_id: Uuid,
    pub visit_date: NaiveDate,
    pub outcome: u8,
    pub lost_reason: String,
    pub death_date: Option<NaiveDate>,
    pub death_cause: String,
    pub mode: Option<u8>,
    pub symptoms: Vec<u8>,
    pub symptoms_other: String,
    pub urgent_signs: Vec<u8>,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    pub height_cm: Option<f64>,
    pub weight: Option<f64>,
    pub target_weight: Option<f64>,
    pub heart_rate: Option<i32>,
    pub other_signs: String,
    pub smoking: Option<i32>,
    pub smoking_target: Option<i32>,
    /// 两 of 白酒 per day.
    pub drinking: Option<f64>,
    pub drinking_target: Option<f64>,
    pub exercise_times: Option<i32>,
    pub exercise_minutes: Option<i32>,
    pub exercise_times_target: Option<i32>,
    pub exercise_minutes_target: Option<i32>,
    pub salt: Option<u8>,
    pub salt_target: Option<u8>,
    pub psych: Option<u8>,
    pub compliance: Option<u8>,
    pub fbg: Option<f64>,
    pub aux_exam: String,
    pub adherence: Option<u8>,
    pub adr: Option<u8>,
    pub adr_text: String,
    pub classification: Option<u8>,
    pub meds: Vec<Medication>,
    pub med_adjust: Vec<Medication>,
    pub referral: Option<Referral>,
    pub next_mgmt: Option<u8>,
    pub next_visit_date: Option<NaiveDate>,
    pub device_id: String,
}

/// What the rules need to know beyond the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct HtnContext {
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
    Sign(u8),
}

impl UrgentReason {
    pub fn text(&self, zh: bool) -> String {
        match (self, zh) {
            (UrgentReason::HighSbp(v), true) => format!("收缩压 {v} mmHg ≥ 180"),
            (UrgentReason::HighSbp(v), false) => format!("Systolic {v} mmHg ≥ 180"),
            (UrgentReason::HighDbp(v), true) => format!("舒张压 {v} mmHg ≥ 110"),
            (UrgentReason::HighDbp(v), false) => format!("Diastolic {v} mmHg ≥ 110"),
            (UrgentReason::Sign(c), zh) => codes::label(codes::HTN_URGENT_SIGNS, *c, zh),
        }
    }
}

/// 紧急转诊 conditions, checked before anything else.
pub fn urgent_reasons(v: &HtnVisitInput, rules: &HtnRules) -> Vec<UrgentReason> {
    let mut r = Vec::new();
    if let Some(s) = v.sbp.filter(|s| *s >= rules.urgent_sbp) {
        r.push(UrgentReason::HighSbp(s));
    }
    if let Some(d) = v.dbp.filter(|d| *d >= rules.urgent_dbp) {
        r.push(UrgentReason::HighDbp(d));
    }
    r.extend(v.urgent_signs.iter().map(|c| UrgentReason::Sign(*c)));
    r
}

/// Whether a reading is at target for this age (≥65: SBP < 150 [P]).
pub fn bp_controlled(sbp: i32, dbp: i32, age: i32, rules: &HtnRules) -> bool {
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

/// The classification the readings suggest; a complication (并发症) is the doctor's call, never suggested.
pub fn suggested_classification(v: &HtnVisitInput, ctx: &HtnContext, rules: &HtnRules) -> Option<u8> {
    let controlled = match (v.sbp, v.dbp) {
        (Some(s), Some(d)) => bp_controlled(s, d, ctx.age, rules),
        _ => return None,
    };
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
pub fn warnings(v: &HtnVisitInput, ctx: &HtnContext, rules: &HtnRules) -> Vec<Warning> {
    let mut w = Vec::new();
    if let (Some(s), Some(d), Some(c)) = (v.sbp, v.dbp, v.classification) {
        let controlled = bp_controlled(s, d, ctx.age, rules);
        if c == CLASS_CONTROLLED && !controlled {
            w.push(Warning {
                field: "classification",
                zh: format!("血压 {s}/{d} mmHg 未达标，与“控制满意”不符"),
                en: format!("BP {s}/{d} mmHg is above target, which contradicts \"controlled\""),
            });
        }
        if c == CLASS_UNCONTROLLED && controlled {
            w.push(Warning {
                field: "classification",
                zh: format!("血压 {s}/{d} mmHg 已达标，与“控制不满意”不符"),
                en: format!("BP {s}/{d} mmHg is at target, which contradicts \"not controlled\""),
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

/// 下一步管理措施 from the rules of §3.1: urgent first, then two uncontrolled in a row or a complication →
/// referral, then a first uncontrolled or an ADR → 2-week revisit, else routine.
pub fn next_step(v: &HtnVisitInput, ctx: &HtnContext, rules: &HtnRules) -> u8 {
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
pub fn default_next_visit(visit_date: NaiveDate, next_mgmt: u8, rules: &HtnRules) -> NaiveDate {
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
