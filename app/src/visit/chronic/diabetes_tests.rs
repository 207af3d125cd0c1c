//! Table-driven tests of the type-2 diabetes follow-up (§3.1, DM column): the fields only it has, the
//! glucose triggers of urgent referral, the control threshold and the warnings and next steps built on it.

use super::tests::{ctx, d, invalid_fields, sample};
use super::*;

/// A complete, valid, controlled diabetes visit.
fn dm() -> ChronicVisitInput {
    ChronicVisitInput {
        disease: Disease::Diabetes,
        heart_rate: None,
        salt: None,
        fbg: Some(6.4),
        dorsalis_pedis: Some(1),
        hypoglycemia: Some(1),
        staple: Some(300),
        staple_target: Some(250),
        hba1c: Some(6.8),
        hba1c_date: Some(d(2026, 10, 30)),
        insulin: vec![Insulin {
            kind: "门冬胰岛素30".into(), usage: "早晚餐前皮下注射各12单位".into()
        }],
        meds: vec![Medication { name: "二甲双胍".into(), times_per_day: 2, dose: "0.5g".into() }],
        ..sample()
    }
}

#[test]
fn a_complete_controlled_diabetes_visit_is_valid() {
    assert_eq!(invalid_fields(&dm()), Vec::<String>::new());
}

#[test]
fn diabetes_requires_its_own_fields_and_not_the_hypertension_ones() {
    let v = ChronicVisitInput { fbg: None, dorsalis_pedis: None, hypoglycemia: None, ..dm() };
    let bad = invalid_fields(&v);
    for f in ["fbg", "dorsalis_pedis", "hypoglycemia"] {
        assert!(bad.contains(&f.to_string()), "{f} missing from {bad:?}");
    }
    // Heart rate and salt belong to the hypertension form only.
    assert!(!bad.iter().any(|f| f == "heart_rate" || f == "salt"), "{bad:?}");
    // And a hypertension visit does not ask for the diabetes fields.
    let htn = ChronicVisitInput { fbg: None, ..sample() };
    assert_eq!(invalid_fields(&htn), Vec::<String>::new());
}

#[test]
fn diabetes_ranges_accept_their_bounds_and_reject_beyond() {
    type Set = fn(&mut ChronicVisitInput, f64);
    let table: Vec<(&str, f64, f64, Set)> = vec![
        ("fbg", 1.0, 35.0, |v, x| v.fbg = Some(x)),
        ("hba1c", 3.0, 20.0, |v, x| v.hba1c = Some(x)),
        ("staple", 0.0, 1000.0, |v, x| v.staple = Some(x as i32)),
        ("staple_target", 0.0, 1000.0, |v, x| v.staple_target = Some(x as i32)),
    ];
    for (field, min, max, set) in table {
        for (x, ok) in [(min, true), (max, true), (min - 1.0, false), (max + 1.0, false)] {
            let mut v = dm();
            set(&mut v, x);
            assert_eq!(!invalid_fields(&v).contains(&field.to_string()), ok, "{field} = {x}");
        }
    }
}

#[test]
fn hba1c_needs_its_test_date_no_later_than_the_visit() {
    assert_eq!(invalid_fields(&ChronicVisitInput { hba1c_date: None, ..dm() }), vec!["hba1c_date"]);
    assert_eq!(invalid_fields(&ChronicVisitInput { hba1c_date: Some(d(2026, 11, 21)), ..dm() }), vec!["hba1c_date"]);
    assert_eq!(invalid_fields(&ChronicVisitInput { hba1c: None, hba1c_date: None, ..dm() }), Vec::<String>::new());
}

#[test]
fn a_weak_or_absent_pulse_needs_its_side() {
    for (pulse, side, bad) in
        [(1, None, false), (2, None, true), (3, None, true), (2, Some(2), false), (3, Some(9), true)]
    {
        let v = ChronicVisitInput { dorsalis_pedis: Some(pulse), dorsalis_side: side, ..dm() };
        assert_eq!(invalid_fields(&v).contains(&"dorsalis_side".to_string()), bad, "pulse {pulse} side {side:?}");
    }
}

#[test]
fn insulin_lines_need_a_type_and_a_usage() {
    let blank =
        ChronicVisitInput { insulin: vec![Insulin { kind: "甘精胰岛素".into(), usage: " ".into() }], ..dm() };
    assert_eq!(invalid_fields(&blank), vec!["insulin"]);
    let many = ChronicVisitInput { insulin: vec![dm().insulin[0].clone(); MAX_INSULIN + 1], ..dm() };
    assert_eq!(invalid_fields(&many), vec!["insulin"]);
}

#[test]
fn symptom_and_danger_sign_codes_come_from_the_diabetes_tables() {
    // 9 体重明显下降 exists on the diabetes form; danger sign 12 only there (hypertension has 8).
    let v = ChronicVisitInput { symptoms: vec![2, 9], urgent_signs: vec![12], next_mgmt: Some(NEXT_URGENT), ..dm() };
    let v = ChronicVisitInput {
        referral: Some(Referral {
            reason: "病情不能处理".into(),
            institution: "县医院内分泌科".into(),
            ..Default::default()
        }),
        ..v
    };
    assert_eq!(invalid_fields(&v), Vec::<String>::new());
    let htn = ChronicVisitInput { disease: Disease::Hypertension, heart_rate: Some(70), salt: Some(2), ..v };
    assert_eq!(invalid_fields(&htn), vec!["urgent_signs"]);
}

#[test]
fn urgent_referral_on_each_glucose_and_pressure_trigger() {
    let rules = ChronicRules::default();
    let cases: Vec<(ChronicVisitInput, Vec<UrgentReason>)> = vec![
        (dm(), vec![]),
        (ChronicVisitInput { fbg: Some(16.7), ..dm() }, vec![UrgentReason::HighGlucose(167)]),
        (ChronicVisitInput { fbg: Some(16.6), ..dm() }, vec![]),
        (ChronicVisitInput { fbg: Some(3.9), ..dm() }, vec![UrgentReason::LowGlucose(39)]),
        (ChronicVisitInput { fbg: Some(4.0), ..dm() }, vec![]),
        (ChronicVisitInput { sbp: Some(180), dbp: Some(100), ..dm() }, vec![UrgentReason::HighSbp(180)]),
        (ChronicVisitInput { sbp: Some(170), dbp: Some(110), ..dm() }, vec![UrgentReason::HighDbp(110)]),
        (ChronicVisitInput { urgent_signs: vec![2], ..dm() }, vec![UrgentReason::Sign(Disease::Diabetes, 2)]),
    ];
    for (v, expected) in cases {
        assert_eq!(urgent_reasons(&v, &rules), expected, "fbg {:?} bp {:?}/{:?}", v.fbg, v.sbp, v.dbp);
    }
    // Every diabetes danger sign alone calls for urgent referral, with its label.
    for sign in codes::DM_URGENT_SIGNS {
        let v = ChronicVisitInput { urgent_signs: vec![sign.code], ..dm() };
        let reasons = urgent_reasons(&v, &rules);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].text(true), sign.zh);
    }
    // Glucose is a diabetes trigger only: a hypertension visit with an optional high reading is not urgent.
    assert_eq!(urgent_reasons(&ChronicVisitInput { fbg: Some(18.0), ..sample() }, &rules), vec![]);
    assert_eq!(UrgentReason::HighGlucose(182).text(true), "血糖 18.2 mmol/L ≥ 16.7");
}

#[test]
fn control_is_fasting_glucose_below_seven() {
    let rules = ChronicRules::default();
    for (fbg, adr, expected) in [
        (6.9, 1, Some(CLASS_CONTROLLED)),
        (7.0, 1, Some(CLASS_UNCONTROLLED)),
        (11.2, 1, Some(CLASS_UNCONTROLLED)),
        (6.0, 2, Some(CLASS_ADR)),
    ] {
        let v = ChronicVisitInput { fbg: Some(fbg), adr: Some(adr), ..dm() };
        assert_eq!(suggested_classification(&v, &ctx(), &rules), expected, "fbg {fbg} adr {adr}");
    }
    assert_eq!(suggested_classification(&ChronicVisitInput { fbg: None, ..dm() }, &ctx(), &rules), None);
}

#[test]
fn classification_contradicting_the_glucose_is_warned() {
    let rules = ChronicRules::default();
    let fields = |fbg: f64, class: u8| -> Vec<String> {
        let v = ChronicVisitInput { fbg: Some(fbg), classification: Some(class), ..dm() };
        warnings(&v, &ctx(), &rules).into_iter().map(|w| w.zh).collect()
    };
    assert_eq!(fields(8.2, CLASS_CONTROLLED), vec!["空腹血糖 8.2 mmol/L 未达标，与“控制满意”不符"]);
    assert_eq!(fields(6.1, CLASS_UNCONTROLLED), vec!["空腹血糖 6.1 mmol/L 已达标，与“控制不满意”不符"]);
    assert!(fields(6.1, CLASS_CONTROLLED).is_empty());
    // A diabetes visit is not judged by its blood pressure.
    let v = ChronicVisitInput { sbp: Some(165), dbp: Some(100), classification: Some(CLASS_CONTROLLED), ..dm() };
    assert!(warnings(&v, &ctx(), &rules).is_empty());
}

#[test]
fn next_step_and_date_per_class() {
    let rules = ChronicRules::default();
    let visit = d(2026, 11, 20);
    for (class, previous, fbg, step, next) in [
        (CLASS_CONTROLLED, None, 6.2, NEXT_ROUTINE, d(2027, 2, 20)),
        (CLASS_UNCONTROLLED, None, 8.5, NEXT_TWO_WEEKS, d(2026, 12, 4)),
        (CLASS_UNCONTROLLED, Some(CLASS_UNCONTROLLED), 8.5, NEXT_REFER, d(2026, 12, 4)),
        (CLASS_ADR, None, 6.2, NEXT_TWO_WEEKS, d(2026, 12, 4)),
        (CLASS_COMPLICATION, None, 6.2, NEXT_REFER, d(2026, 12, 4)),
        (CLASS_CONTROLLED, None, 17.0, NEXT_URGENT, d(2026, 12, 4)),
    ] {
        let v = ChronicVisitInput { fbg: Some(fbg), classification: Some(class), visit_date: visit, ..dm() };
        let c = ChronicContext { previous_classification: previous, ..ctx() };
        assert_eq!(next_step(&v, &c, &rules), step, "class {class} previous {previous:?} fbg {fbg}");
        assert_eq!(default_next_visit(visit, step, &rules), next, "step {step}");
    }
}

#[test]
fn records_written_before_the_diabetes_form_read_as_hypertension() {
    let mut json = serde_json::to_value(sample()).unwrap();
    json.as_object_mut()
        .unwrap()
        .retain(|k, _| !["disease", "dorsalis_pedis", "insulin", "hba1c"].contains(&k.as_str()));
    let v: ChronicVisitInput = serde_json::from_value(json).unwrap();
    assert_eq!((v.disease, v.insulin.len()), (Disease::Hypertension, 0));
    let round: ChronicVisitInput = serde_json::from_str(&serde_json::to_string(&dm()).unwrap()).unwrap();
    assert_eq!(round, dm());
}
