//! Table-driven tests of the §3.1 ranges and rules.

use super::*;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn today() -> NaiveDate {
    d(2026, 11, 22)
}

pub(crate) fn ctx() -> ChronicContext {
    ChronicContext { age: 60, birth_date: Some(d(1966, 5, 1)), previous_classification: None }
}

/// A complete, valid, controlled visit.
pub(crate) fn sample() -> ChronicVisitInput {
    ChronicVisitInput {
        visit_date: d(2026, 11, 20),
        outcome: OUTCOME_VISITED,
        mode: Some(2),
        symptoms: vec![1],
        sbp: Some(132),
        dbp: Some(84),
        weight: Some(68.0),
        height_cm: Some(165.0),
        heart_rate: Some(76),
        smoking: Some(0),
        drinking: Some(0.0),
        salt: Some(2),
        psych: Some(1),
        compliance: Some(1),
        adherence: Some(1),
        adr: Some(1),
        classification: Some(CLASS_CONTROLLED),
        meds: vec![Medication { name: "氨氯地平".into(), times_per_day: 1, dose: "5mg".into() }],
        next_mgmt: Some(NEXT_ROUTINE),
        next_visit_date: Some(d(2027, 2, 20)),
        device_id: "test".into(),
        ..Default::default()
    }
}

pub(crate) fn invalid_fields(v: &ChronicVisitInput) -> Vec<String> {
    match validate(v, &ctx(), &ChronicRules::default(), today()) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn a_complete_controlled_visit_is_valid() {
    assert_eq!(invalid_fields(&sample()), Vec::<String>::new());
}

#[test]
fn numeric_ranges_accept_their_bounds_and_reject_beyond() {
    type Set = fn(&mut ChronicVisitInput, f64);
    let table: Vec<(&str, f64, f64, Set)> = vec![
        ("sbp", 60.0, 260.0, |v, x| v.sbp = Some(x as i32)),
        ("dbp", 30.0, 160.0, |v, x| {
            v.dbp = Some(x as i32);
            v.sbp = Some(259)
        }),
        ("heart_rate", 30.0, 200.0, |v, x| v.heart_rate = Some(x as i32)),
        ("weight", 20.0, 250.0, |v, x| v.weight = Some(x)),
        ("height_cm", 50.0, 250.0, |v, x| v.height_cm = Some(x)),
        ("smoking", 0.0, 100.0, |v, x| v.smoking = Some(x as i32)),
        ("drinking", 0.0, 50.0, |v, x| v.drinking = Some(x)),
        ("exercise_times", 0.0, 14.0, |v, x| v.exercise_times = Some(x as i32)),
        ("exercise_minutes", 0.0, 300.0, |v, x| v.exercise_minutes = Some(x as i32)),
        ("fbg", 1.0, 35.0, |v, x| v.fbg = Some(x)),
    ];
    for (field, min, max, set) in table {
        for ok in [min, max] {
            let mut v = sample();
            set(&mut v, ok);
            // Bounds can trip cross-field rules (sbp 60 < dbp 84); only the field itself must pass its range.
            assert!(!invalid_fields(&v).iter().any(|f| f == field && !matches!(field, "dbp")), "{field}={ok}");
        }
        for bad in [min - 1.0, max + 1.0] {
            let mut v = sample();
            set(&mut v, bad);
            assert!(invalid_fields(&v).contains(&field.to_string()), "{field}={bad} should be refused");
        }
    }
}

#[test]
fn diastolic_must_be_below_systolic() {
    let mut v = sample();
    v.sbp = Some(90);
    v.dbp = Some(90);
    assert_eq!(invalid_fields(&v), vec!["dbp"]);
}

#[test]
fn required_fields_of_a_normal_visit_are_named() {
    let mut v = sample();
    v.mode = None;
    v.sbp = None;
    v.classification = None;
    v.next_visit_date = None;
    v.symptoms.clear();
    assert_eq!(invalid_fields(&v), vec!["mode", "symptoms", "sbp", "classification", "next_visit_date"]);
}

#[test]
fn no_symptoms_excludes_other_symptoms() {
    let mut v = sample();
    v.symptoms = vec![1, 2];
    assert_eq!(invalid_fields(&v), vec!["symptoms"]);
}

#[test]
fn future_visit_and_next_visit_before_the_visit_are_refused() {
    let mut v = sample();
    v.visit_date = d(2026, 11, 23);
    v.next_visit_date = Some(d(2027, 2, 23));
    assert_eq!(invalid_fields(&v), vec!["visit_date"]);
    let mut v = sample();
    v.next_visit_date = Some(v.visit_date);
    assert_eq!(invalid_fields(&v), vec!["next_visit_date"]);
}

#[test]
fn lost_and_dead_outcomes_need_their_reason_only() {
    let lost = ChronicVisitInput { outcome: OUTCOME_LOST, visit_date: d(2026, 11, 1), ..Default::default() };
    assert_eq!(invalid_fields(&lost), vec!["lost_reason"]);
    let died = ChronicVisitInput { outcome: OUTCOME_DIED, visit_date: d(2026, 11, 1), ..Default::default() };
    assert_eq!(invalid_fields(&died), vec!["death_date", "death_cause"]);
}

#[test]
fn an_adverse_reaction_needs_its_description() {
    let mut v = sample();
    v.adr = Some(2);
    assert_eq!(invalid_fields(&v), vec!["adr_text"]);
}

#[test]
fn a_medication_without_dose_is_refused() {
    let mut v = sample();
    v.meds[0].dose = " ".into();
    assert_eq!(invalid_fields(&v), vec!["meds"]);
}

#[test]
fn urgent_referral_is_triggered_by_either_pressure_or_a_danger_sign() {
    let r = ChronicRules::default();
    let cases: Vec<(i32, i32, Vec<u8>, usize)> = vec![
        (179, 109, vec![], 0),
        (180, 100, vec![], 1),
        (170, 110, vec![], 1),
        (190, 115, vec![], 2),
        (130, 80, vec![1], 1),
    ];
    for (s, dia, signs, n) in cases {
        let v = ChronicVisitInput { sbp: Some(s), dbp: Some(dia), urgent_signs: signs, ..sample() };
        assert_eq!(urgent_reasons(&v, &r).len(), n, "{s}/{dia}");
    }
}

#[test]
fn an_urgent_visit_must_be_an_urgent_referral_with_its_details() {
    let mut v = sample();
    v.sbp = Some(185);
    v.dbp = Some(100);
    v.classification = Some(CLASS_UNCONTROLLED);
    assert!(invalid_fields(&v).contains(&"next_mgmt".to_string()));
    v.next_mgmt = Some(NEXT_URGENT);
    assert_eq!(invalid_fields(&v), vec!["referral"]);
    v.referral =
        Some(Referral {
            reason: "血压185/100".into(), institution: "县医院心内科".into(), ..Default::default()
        });
    assert_eq!(invalid_fields(&v), Vec::<String>::new());
}

#[test]
fn control_thresholds_depend_on_age() {
    let r = ChronicRules::default();
    let table =
        [(139, 89, 60, true), (140, 80, 60, false), (130, 90, 60, false), (145, 85, 70, true), (150, 85, 70, false)];
    for (s, dia, age, controlled) in table {
        assert_eq!(bp_controlled(s, dia, age, &r), controlled, "{s}/{dia} at {age}");
    }
}

#[test]
fn classification_contradicting_the_reading_is_warned() {
    let mut v = sample();
    v.sbp = Some(165);
    v.dbp = Some(100);
    let w = warnings(&v, &ctx(), &ChronicRules::default());
    assert_eq!(w.len(), 1);
    assert!(w[0].zh.contains("165/100"));
    v.classification = Some(CLASS_UNCONTROLLED);
    assert!(warnings(&v, &ctx(), &ChronicRules::default()).is_empty());
}

#[test]
fn next_step_follows_the_classification_rules() {
    let r = ChronicRules::default();
    let table: Vec<(u8, Option<u8>, i32, u8)> = vec![
        (CLASS_CONTROLLED, None, 130, NEXT_ROUTINE),
        (CLASS_UNCONTROLLED, None, 150, NEXT_TWO_WEEKS),
        (CLASS_UNCONTROLLED, Some(CLASS_CONTROLLED), 150, NEXT_TWO_WEEKS),
        (CLASS_UNCONTROLLED, Some(CLASS_UNCONTROLLED), 150, NEXT_REFER),
        (CLASS_ADR, None, 130, NEXT_TWO_WEEKS),
        (CLASS_COMPLICATION, None, 130, NEXT_REFER),
        (CLASS_CONTROLLED, None, 185, NEXT_URGENT),
    ];
    for (class, prev, sbp, expected) in table {
        let v = ChronicVisitInput { classification: Some(class), sbp: Some(sbp), ..sample() };
        let c = ChronicContext { previous_classification: prev, ..ctx() };
        assert_eq!(next_step(&v, &c, &r), expected, "class {class} prev {prev:?} sbp {sbp}");
    }
}

#[test]
fn default_next_visit_is_next_quarter_or_two_weeks() {
    let r = ChronicRules::default();
    assert_eq!(default_next_visit(d(2026, 11, 30), NEXT_ROUTINE, &r), d(2027, 2, 28));
    assert_eq!(default_next_visit(d(2026, 11, 20), NEXT_TWO_WEEKS, &r), d(2026, 12, 4));
    assert_eq!(default_next_visit(d(2026, 11, 20), NEXT_URGENT, &r), d(2026, 12, 4));
}

#[test]
fn suggested_classification_reads_the_pressure_and_adr() {
    let r = ChronicRules::default();
    let v = sample();
    assert_eq!(suggested_classification(&v, &ctx(), &r), Some(CLASS_CONTROLLED));
    let v = ChronicVisitInput { sbp: Some(150), ..sample() };
    assert_eq!(suggested_classification(&v, &ctx(), &r), Some(CLASS_UNCONTROLLED));
    let v = ChronicVisitInput { adr: Some(2), ..sample() };
    assert_eq!(suggested_classification(&v, &ctx(), &r), Some(CLASS_ADR));
}

#[test]
fn bmi_is_weight_over_height_squared() {
    assert_eq!(bmi(68.0, 165.0), Some(25.0));
    assert_eq!(bmi(68.0, 10.0), None);
}

#[test]
fn a_signature_is_kept_as_proof_of_service_and_checked() {
    let signed = ChronicVisitInput { signature: Some("M10 20 L30 40 L50 45".into()), ..sample() };
    assert!(invalid_fields(&signed).is_empty());
    let summary = crate::visit::VisitSummary::of_chronic(&signed, 1, false, "李医生", String::new());
    assert!(summary.signed);
    assert!(serde_json::to_string(&summary).unwrap().contains(r#""signed":true"#));
    // Unsigned visits leave the flag out of the JSON, so stored summaries keep their bytes.
    let plain = crate::visit::VisitSummary::of_chronic(&sample(), 1, false, "李医生", String::new());
    assert!(!serde_json::to_string(&plain).unwrap().contains("signed"));
    let bad = ChronicVisitInput { signature: Some("<svg onload=x>".into()), ..sample() };
    assert_eq!(invalid_fields(&bad), vec!["signature"]);
}
