//! Table-driven tests of the newborn referral criteria (every boundary of temperature, heart rate and
//! respiration, each danger sign and advised finding) and of the visit's validation.

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Born 1 March 2026; the visits below are checked on 15 April 2026 unless a case says otherwise.
fn birth() -> NaiveDate {
    d(2026, 3, 1)
}

fn visit() -> NewbornVisitInput {
    crate::record::samples::newborn_visit(d(2026, 3, 10))
}

fn fields(v: &NewbornVisitInput, today: NaiveDate) -> Vec<String> {
    match validate(v, birth(), today) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

fn invalid(v: &NewbornVisitInput) -> Vec<String> {
    fields(v, d(2026, 4, 15))
}

fn immediate(v: &NewbornVisitInput) -> Vec<Criterion> {
    referral_checks(v).into_iter().filter(|r| r.urgency == Urgency::Immediate).map(|r| r.criterion).collect()
}

#[test]
fn a_normal_visit_is_valid_and_needs_no_referral() {
    assert_eq!(invalid(&visit()), Vec::<String>::new());
    assert!(referral_checks(&visit()).is_empty());
    assert!(!needs_immediate_referral(&visit()));
}

#[test]
fn a_temperature_of_38_means_immediate_referral() {
    let v = NewbornVisitInput { temperature: Some(38.0), ..visit() };
    let checks = referral_checks(&v);
    assert_eq!(checks, vec![Referral { urgency: Urgency::Immediate, criterion: Criterion::Temperature(38.0) }]);
    assert_eq!(checks[0].criterion.message(true), "体温 38.0 ℃（≥37.5 ℃）");
    assert_eq!(checks[0].message(true), "立即转诊：体温 38.0 ℃（≥37.5 ℃）");
    assert_eq!(checks[0].message(false), "Immediate referral: Temperature 38.0 ℃ (≥ 37.5 ℃)");
    assert!(needs_immediate_referral(&v));
    // Not saved with 转诊建议 无 and no reason.
    assert_eq!(invalid(&v), vec!["referral"]);
}

#[test]
fn temperature_refers_at_or_below_35_5_and_at_or_above_37_5() {
    let cases = [(35.4, true), (35.5, true), (35.6, false), (36.8, false), (37.4, false), (37.5, true), (38.0, true)];
    for (t, refer) in cases {
        let v = NewbornVisitInput { temperature: Some(t), ..visit() };
        let expected = if refer { vec![Criterion::Temperature(t)] } else { vec![] };
        assert_eq!(immediate(&v), expected, "temperature {t}");
    }
    assert_eq!(Criterion::Temperature(35.4).message(true), "体温 35.4 ℃（≤35.5 ℃）");
}

#[test]
fn heart_rate_refers_below_100_and_above_160() {
    let cases = [(99, true), (100, false), (140, false), (160, false), (161, true)];
    for (h, refer) in cases {
        let v = NewbornVisitInput { heart_rate: Some(h), ..visit() };
        let expected = if refer { vec![Criterion::HeartRate(h)] } else { vec![] };
        assert_eq!(immediate(&v), expected, "heart rate {h}");
    }
    assert_eq!(Criterion::HeartRate(99).message(true), "心率 99 次/分（<100 次/分）");
    assert_eq!(Criterion::HeartRate(161).message(false), "Heart rate 161/min (> 160/min)");
}

#[test]
fn respiration_refers_below_20_and_above_60() {
    let cases = [(19, true), (20, false), (40, false), (60, false), (61, true)];
    for (r, refer) in cases {
        let v = NewbornVisitInput { respiration: Some(r), ..visit() };
        let expected = if refer { vec![Criterion::Respiration(r)] } else { vec![] };
        assert_eq!(immediate(&v), expected, "respiration {r}");
    }
    assert_eq!(Criterion::Respiration(19).message(true), "呼吸 19 次/分（<20 次/分）");
    assert_eq!(Criterion::Respiration(61).message(true), "呼吸 61 次/分（>60 次/分）");
}

#[test]
fn each_danger_sign_alone_means_immediate_referral() {
    assert_eq!(DangerSign::ALL.len(), 18);
    for sign in DangerSign::ALL {
        let v = NewbornVisitInput { danger_signs: BTreeSet::from([sign]), ..visit() };
        assert_eq!(
            referral_checks(&v),
            vec![Referral { urgency: Urgency::Immediate, criterion: Criterion::Danger(sign) }],
            "{sign:?}"
        );
        assert_eq!(invalid(&v), vec!["referral"], "{sign:?} cannot be saved unreferred");
        assert!(!sign.label(true).is_empty() && !sign.label(false).is_empty(), "{sign:?}");
    }
}

#[test]
fn each_advised_finding_alone_advises_referral_and_does_not_block_saving() {
    assert_eq!(AdvisedSign::ALL.len(), 7);
    for sign in AdvisedSign::ALL {
        let v = NewbornVisitInput { advised_signs: BTreeSet::from([sign]), ..visit() };
        assert_eq!(
            referral_checks(&v),
            vec![Referral { urgency: Urgency::Advised, criterion: Criterion::Advised(sign) }],
            "{sign:?}"
        );
        assert!(!needs_immediate_referral(&v), "{sign:?}");
        assert_eq!(invalid(&v), Vec::<String>::new(), "{sign:?}");
    }
}

#[test]
fn jaundice_at_the_hands_and_feet_is_the_palm_sole_danger_sign_once() {
    let palm_sole = vec![Criterion::Danger(DangerSign::PalmSoleJaundice)];
    // (case, 黄疸部位, danger signs ticked, immediate criteria)
    type Case = (&'static str, BTreeSet<JaundiceSite>, BTreeSet<DangerSign>, Vec<Criterion>);
    let cases: [Case; 4] = [
        ("face and trunk", BTreeSet::from([JaundiceSite::Face, JaundiceSite::Trunk]), BTreeSet::new(), vec![]),
        ("hands and feet", BTreeSet::from([JaundiceSite::HandsFeet]), BTreeSet::new(), palm_sole.clone()),
        ("sign ticked only", BTreeSet::new(), BTreeSet::from([DangerSign::PalmSoleJaundice]), palm_sole.clone()),
        (
            "both",
            BTreeSet::from([JaundiceSite::Face, JaundiceSite::HandsFeet]),
            BTreeSet::from([DangerSign::PalmSoleJaundice]),
            palm_sole,
        ),
    ];
    for (name, jaundice, danger_signs, expected) in cases {
        let v = NewbornVisitInput { jaundice, danger_signs, ..visit() };
        assert_eq!(immediate(&v), expected, "{name}");
    }
}

#[test]
fn criteria_are_listed_vitals_first_then_danger_signs_then_advised_findings() {
    let v = NewbornVisitInput {
        temperature: Some(35.0),
        respiration: Some(70),
        heart_rate: Some(90),
        danger_signs: BTreeSet::from([DangerSign::Arrhythmia, DangerSign::Convulsion]),
        advised_signs: BTreeSet::from([AdvisedSign::Murmur]),
        ..visit()
    };
    let criteria: Vec<Criterion> = referral_checks(&v).into_iter().map(|r| r.criterion).collect();
    assert_eq!(
        criteria,
        vec![
            Criterion::Temperature(35.0),
            Criterion::Respiration(70),
            Criterion::HeartRate(90),
            Criterion::Danger(DangerSign::Convulsion),
            Criterion::Danger(DangerSign::Arrhythmia),
            Criterion::Advised(AdvisedSign::Murmur),
        ]
    );
}

#[test]
fn validation_cases() {
    type Edit = fn(&mut NewbornVisitInput);
    let cases: [(&str, Edit, &[&str]); 16] = [
        ("a complete visit", |_| {}, &[]),
        ("before birth", |v| v.visit_date = d(2026, 2, 28), &["visit_date"]),
        (
            "day 28 is still a newborn visit",
            |v| {
                v.visit_date = d(2026, 3, 29);
                v.next_date = None;
            },
            &[],
        ),
        (
            "day 29 belongs to the child health check",
            |v| {
                v.visit_date = d(2026, 3, 30);
                v.next_date = None;
            },
            &["visit_date"],
        ),
        (
            "missing readings and feeding",
            |v| {
                v.weight_kg = None;
                v.temperature = None;
                v.heart_rate = None;
                v.respiration = None;
                v.feeding = None;
            },
            &["weight_kg", "temperature", "heart_rate", "respiration", "feeding"],
        ),
        (
            "implausible readings, also immediate criteria",
            |v| {
                v.weight_kg = Some(10.1);
                v.temperature = Some(29.9);
                v.heart_rate = Some(251);
                v.respiration = Some(4);
            },
            &["weight_kg", "temperature", "heart_rate", "respiration", "referral"],
        ),
        ("one fontanelle diameter", |v| v.fontanelle_h_cm = None, &["fontanelle_h_cm"]),
        ("38.0 ℃ unreferred without a reason", |v| v.temperature = Some(38.0), &["referral"]),
        (
            "38.0 ℃ unreferred with the reason recorded",
            |v| {
                v.temperature = Some(38.0);
                v.referral_declined_reason = "家长拒绝转诊，已告知风险".into();
            },
            &[],
        ),
        (
            "38.0 ℃ referred",
            |v| {
                v.temperature = Some(38.0);
                v.referral = true;
                v.referral_reason = "体温38.0℃".into();
                v.referral_institution = "县妇幼保健院 儿科".into();
            },
            &[],
        ),
        (
            "a blank declined reason does not count",
            |v| {
                v.danger_signs.insert(DangerSign::Convulsion);
                v.referral_declined_reason = "  ".into();
            },
            &["referral"],
        ),
        ("referral without reason or institution", |v| v.referral = true, &["referral_reason", "referral_institution"]),
        (
            "other guidance without its text",
            |v| {
                v.guidance.insert(Guidance::Other);
            },
            &["guidance_other"],
        ),
        ("next visit on the same day", |v| v.next_date = Some(v.visit_date), &["next_date"]),
        ("overlong place", |v| v.next_place = "村".repeat(TEXT_MAX + 1), &["next_place"]),
        ("birth data out of range", |v| v.gestation_weeks = Some(46), &["gestation_weeks"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = visit();
        edit(&mut v);
        assert_eq!(invalid(&v), expected, "{name}");
    }
}

#[test]
fn the_visit_date_cannot_be_in_the_future_and_a_late_visit_says_where_to_go() {
    assert_eq!(fields(&visit(), d(2026, 3, 9)), vec!["visit_date"]);
    let late = NewbornVisitInput { visit_date: d(2026, 3, 30), next_date: None, ..visit() };
    let message = validate(&late, birth(), d(2026, 4, 15)).unwrap_err().field_message("visit_date", true).unwrap();
    assert!(message.contains("29天") && message.contains("儿童健康检查"), "{message}");
}

#[test]
fn readings_accept_their_plausible_bounds_and_reject_beyond() {
    type Set = fn(&mut NewbornVisitInput, f64);
    let table: [(&str, Set); 6] = [
        ("temperature", |v, x| v.temperature = Some(x)),
        ("heart_rate", |v, x| v.heart_rate = Some(x as i32)),
        ("respiration", |v, x| v.respiration = Some(x as i32)),
        ("weight_kg", |v, x| v.weight_kg = Some(x)),
        ("birth_weight_kg", |v, x| v.birth_weight_kg = Some(x)),
        ("birth_length_cm", |v, x| v.birth_length_cm = Some(x)),
    ];
    for (field, set) in table {
        let (_, min, max, _) = RANGES.iter().find(|r| r.0 == field).copied().unwrap();
        for (x, ok) in [(min, true), (max, true), (min - 1.0, false), (max + 1.0, false)] {
            let mut v = visit();
            set(&mut v, x);
            // Extreme vitals are also referral criteria; only this field's own error is looked at.
            let errors = invalid(&v);
            assert_eq!(!errors.contains(&field.to_string()), ok, "{field} = {x}: {errors:?}");
        }
    }
}

#[test]
fn first_visit_windows_and_high_risk_by_birth() {
    assert_eq!(first_visit_window(d(2026, 3, 4)), (d(2026, 3, 4), d(2026, 3, 11)));
    assert_eq!(first_visit_window(d(2026, 2, 25)), (d(2026, 2, 25), d(2026, 3, 4)));
    assert_eq!(high_risk_first_visit_window(d(2026, 3, 30)), (d(2026, 3, 30), d(2026, 4, 2)));
    let cases = [
        ("term, normal weight", Some(39), Some(3.2), false),
        ("36 weeks", Some(36), Some(3.0), true),
        ("37 weeks, 2.5 kg", Some(37), Some(2.5), false),
        ("2.49 kg", Some(40), Some(2.49), true),
        ("nothing known", None, None, false),
    ];
    for (name, weeks, kg, high) in cases {
        assert_eq!(is_high_risk_by_birth(weeks, kg), high, "{name}");
    }
}

#[test]
fn an_unnamed_newborn_takes_the_mothers_name() {
    let cases = [(Sex::Male, Some("李梅之男")), (Sex::Female, Some("李梅之女")), (Sex::Unknown, None)];
    for (sex, expected) in cases {
        assert_eq!(provisional_name(" 李梅 ", sex).as_deref(), expected, "{sex:?}");
    }
}
