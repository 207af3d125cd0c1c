//! Field validation of the chronic follow-up forms (hypertension, diabetes): required fields, ranges (our suggestions, not the standard's),
//! code tables and cross-field rules. Returns every problem at once so the form can mark all fields.

use super::*;
use crate::check::Check;

/// Inclusive range checks of the numeric fields: (field, min, max, unit).
pub const INT_RANGES: &[(&str, i32, i32, &str)] = &[
    ("sbp", 60, 260, "mmHg"),
    ("dbp", 30, 160, "mmHg"),
    ("heart_rate", 30, 200, "次/分"),
    ("smoking", 0, 100, "支/日"),
    ("smoking_target", 0, 100, "支/日"),
    ("exercise_times", 0, 14, "次/周"),
    ("exercise_times_target", 0, 14, "次/周"),
    ("exercise_minutes", 0, 300, "分钟/次"),
    ("exercise_minutes_target", 0, 300, "分钟/次"),
    ("staple", 0, 1000, "克/天"),
    ("staple_target", 0, 1000, "克/天"),
];

pub const FLOAT_RANGES: &[(&str, f64, f64, &str)] = &[
    ("weight", 20.0, 250.0, "kg"),
    ("target_weight", 20.0, 250.0, "kg"),
    ("height_cm", 50.0, 250.0, "cm"),
    ("drinking", 0.0, 50.0, "两/日"),
    ("drinking_target", 0.0, 50.0, "两/日"),
    ("fbg", 1.0, 35.0, "mmol/L"),
    ("hba1c", 3.0, 20.0, "%"),
];

const TEXT_LIMIT: usize = 500;

fn int_value(v: &ChronicVisitInput, field: &str) -> Option<i32> {
    match field {
        "sbp" => v.sbp,
        "dbp" => v.dbp,
        "heart_rate" => v.heart_rate,
        "smoking" => v.smoking,
        "smoking_target" => v.smoking_target,
        "exercise_times" => v.exercise_times,
        "exercise_times_target" => v.exercise_times_target,
        "exercise_minutes" => v.exercise_minutes,
        "exercise_minutes_target" => v.exercise_minutes_target,
        "staple" => v.staple,
        "staple_target" => v.staple_target,
        _ => None,
    }
}

fn float_value(v: &ChronicVisitInput, field: &str) -> Option<f64> {
    match field {
        "weight" => v.weight,
        "target_weight" => v.target_weight,
        "height_cm" => v.height_cm,
        "drinking" => v.drinking,
        "drinking_target" => v.drinking_target,
        "fbg" => v.fbg,
        "hba1c" => v.hba1c,
        _ => None,
    }
}

/// Validates a chronic follow-up against the resident's context and today's date.
pub fn validate(
    v: &ChronicVisitInput,
    ctx: &ChronicContext,
    rules: &ChronicRules,
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut c = Check::default();
    if v.visit_date > today {
        c.add("visit_date", "随访日期不能晚于今天", "The visit date cannot be in the future");
    }
    if ctx.birth_date.is_some_and(|b| v.visit_date < b) {
        c.add("visit_date", "随访日期早于出生日期", "The visit date is before the birth date");
    }
    for (field, text) in [
        ("lost_reason", &v.lost_reason),
        ("death_cause", &v.death_cause),
        ("symptoms_other", &v.symptoms_other),
        ("other_signs", &v.other_signs),
        ("aux_exam", &v.aux_exam),
        ("adr_text", &v.adr_text),
    ] {
        c.text(field, text, TEXT_LIMIT);
    }
    c.text("device_id", &v.device_id, 64);
    c.signature("signature", v.signature.as_deref());
    match v.outcome {
        OUTCOME_VISITED => validate_visit(&mut c, v, rules),
        OUTCOME_LOST => {
            if v.lost_reason.trim().is_empty() {
                c.add("lost_reason", "失访请填写原因", "Give the reason for loss to follow-up");
            }
        }
        OUTCOME_DIED => {
            match v.death_date {
                None => c.add("death_date", "请填写死亡日期", "Enter the date of death"),
                Some(d) if d > today => {
                    c.add("death_date", "死亡日期不能晚于今天", "The date of death cannot be in the future")
                }
                _ => {}
            }
            if v.death_cause.trim().is_empty() {
                c.add("death_cause", "请填写死亡原因", "Enter the cause of death");
            }
        }
        _ => c.add("outcome", "请选择随访情况", "Choose the visit outcome"),
    }
    if c.0.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(c.0))
    }
}

/// The fields only the diabetes form has.
fn validate_diabetes(c: &mut Check, v: &ChronicVisitInput) {
    c.code("dorsalis_pedis", codes::DORSALIS_PEDIS, v.dorsalis_pedis, true);
    let abnormal = matches!(v.dorsalis_pedis, Some(2) | Some(3));
    c.code("dorsalis_side", codes::DORSALIS_SIDE, v.dorsalis_side, abnormal);
    c.code("hypoglycemia", codes::HYPOGLYCEMIA, v.hypoglycemia, true);
    match (v.hba1c, v.hba1c_date) {
        (Some(_), None) => c.add("hba1c_date", "请填写糖化血红蛋白的检查日期", "Enter the date of the HbA1c test"),
        (_, Some(d)) if d > v.visit_date => {
            c.add("hba1c_date", "检查日期不能晚于随访日期", "The test date cannot be after the visit")
        }
        _ => {}
    }
    if v.insulin.len() > MAX_INSULIN {
        c.add("insulin", format!("最多{MAX_INSULIN}种胰岛素"), format!("At most {MAX_INSULIN} insulins"));
    } else if v.insulin.iter().any(|i| {
        let (k, u) = (i.kind.trim().chars().count(), i.usage.trim().chars().count());
        k == 0 || k > 50 || u == 0 || u > 100
    }) {
        c.add(
            "insulin",
            "每种胰岛素须填写种类（不超过50字）和用法用量（不超过100字）",
            "Each insulin needs a type (at most 50 characters) and its usage and dose (at most 100)",
        );
    }
}

fn validate_visit(c: &mut Check, v: &ChronicVisitInput, rules: &ChronicRules) {
    c.code("mode", codes::VISIT_MODE, v.mode, true);
    if v.symptoms.is_empty() {
        c.add("symptoms", "请选择症状（无症状请选“无症状”）", "Choose the symptoms (or \"none\")");
    } else if v.symptoms.iter().any(|s| !codes::is_valid(v.disease.symptoms(), *s)) {
        c.add("symptoms", "症状选项无效", "Invalid symptom");
    } else if v.symptoms.contains(&1) && v.symptoms.len() > 1 {
        c.add("symptoms", "“无症状”不能与其他症状同时选择", "\"None\" excludes the other symptoms");
    }
    if v.urgent_signs.iter().any(|s| !codes::is_valid(v.disease.urgent_signs(), *s)) {
        c.add("urgent_signs", "危急情况选项无效", "Invalid danger sign");
    }
    let required: &[&str] = match v.disease {
        Disease::Hypertension => &["sbp", "dbp", "weight", "heart_rate", "smoking", "drinking"],
        Disease::Diabetes => &["sbp", "dbp", "weight", "fbg", "smoking", "drinking"],
    };
    for field in required {
        let present = int_value(v, field).is_some() || float_value(v, field).is_some();
        if !present {
            c.add(field, "此项必填", "Required");
        }
    }
    for (field, min, max, unit) in INT_RANGES {
        if let Some(x) = int_value(v, field) {
            if x < *min || x > *max {
                c.add(field, format!("应在 {min}–{max} {unit} 之间"), format!("Must be {min}–{max} {unit}"));
            }
        }
    }
    for (field, min, max, unit) in FLOAT_RANGES {
        if let Some(x) = float_value(v, field) {
            if !x.is_finite() || x < *min || x > *max {
                c.add(field, format!("应在 {min}–{max} {unit} 之间"), format!("Must be {min}–{max} {unit}"));
            }
        }
    }
    if let (Some(s), Some(d)) = (v.sbp, v.dbp) {
        if s <= d {
            c.add("dbp", "舒张压应低于收缩压", "Diastolic must be below systolic");
        }
    }
    match v.disease {
        Disease::Hypertension => {
            c.code("salt", codes::SALT, v.salt, true);
            c.code("salt_target", codes::SALT, v.salt_target, false);
        }
        Disease::Diabetes => validate_diabetes(c, v),
    }
    c.code("psych", codes::GOOD_FAIR_POOR, v.psych, true);
    c.code("compliance", codes::GOOD_FAIR_POOR, v.compliance, true);
    c.code("adherence", codes::ADHERENCE, v.adherence, true);
    c.code("adr", codes::ADR, v.adr, true);
    if v.adr == Some(2) && v.adr_text.trim().is_empty() {
        c.add("adr_text", "有不良反应时请写明药物和反应", "Name the drug and the reaction");
    }
    c.code("classification", codes::CLASSIFICATION, v.classification, true);
    c.code("next_mgmt", codes::NEXT_MGMT, v.next_mgmt, true);
    c.meds("meds", &v.meds);
    c.meds("med_adjust", &v.med_adjust);
    let referring = matches!(v.next_mgmt, Some(NEXT_REFER) | Some(NEXT_URGENT));
    match &v.referral {
        Some(r) => {
            c.text("referral", &r.reason, 200);
            c.text("referral", &r.institution, 100);
            c.text("referral", &r.contact, 100);
            if r.reason.trim().is_empty() || r.institution.trim().is_empty() {
                c.add(
                    "referral",
                    "转诊请填写原因和机构及科别",
                    "A referral needs a reason and the institution and department",
                );
            }
            if r.result.is_some_and(|x| !codes::is_valid(codes::REFERRAL_RESULT, x)) {
                c.add("referral", "转诊结果无效", "Invalid referral result");
            }
        }
        None if referring => c.add(
            "referral",
            "转诊请填写原因和机构及科别",
            "A referral needs a reason and the institution and department",
        ),
        None => {}
    }
    if !urgent_reasons(v, rules).is_empty() && v.next_mgmt.is_some() && v.next_mgmt != Some(NEXT_URGENT) {
        c.add(
            "next_mgmt",
            "存在紧急转诊情况，下一步应为“紧急转诊”",
            "An urgent condition requires \"urgent referral\"",
        );
    }
    c.required("next_visit_date", &v.next_visit_date);
    if let Some(n) = v.next_visit_date {
        if n <= v.visit_date {
            c.add("next_visit_date", "下次随访日期应晚于本次随访日期", "The next visit must be after this visit");
        } else if n > v.visit_date + chrono::Days::new(366) {
            c.add("next_visit_date", "下次随访日期不能超过一年", "The next visit must be within a year");
        }
    }
}
