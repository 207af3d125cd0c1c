//! Table-driven tests of maternal dates (gestational age, Naegele's due date, the prenatal windows at every
//! edge, the postpartum windows), the risk screen's boundaries, colour combination, the tasks a delivery opens
//! and each form's validation.

use super::*;
use crate::record::samples;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The LMP of the pregnancy most cases use.
fn lmp() -> NaiveDate {
    d(2025, 1, 1)
}

fn fields_of(result: Result<(), AppError>) -> Vec<String> {
    match result {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn gestational_age_in_weeks_and_days() {
    let cases = [
        (d(2024, 12, 31), None),
        (d(2025, 1, 1), Some((0, 0))),
        (d(2025, 1, 7), Some((0, 6))),
        (d(2025, 1, 8), Some((1, 0))),
        (d(2025, 4, 1), Some((12, 6))),
        (d(2025, 4, 2), Some((13, 0))),
        (d(2025, 10, 8), Some((40, 0))),
    ];
    for (on, expected) in cases {
        assert_eq!(gestational_age(lmp(), on), expected, "on {on}");
    }
}

#[test]
fn early_registration_is_before_13_weeks() {
    let cases = [(d(2025, 3, 1), true), (d(2025, 4, 1), true), (d(2025, 4, 2), false), (d(2025, 6, 1), false)];
    for (registered, early) in cases {
        assert_eq!(is_early(lmp(), registered), early, "registered {registered}");
    }
}

#[test]
fn naegele_due_dates_month_plus_9_then_day_plus_7() {
    // (LMP, EDD, days from the LMP): not always 280.
    let cases = [
        (d(2025, 1, 1), d(2025, 10, 8), 280),
        (d(2025, 5, 31), d(2026, 3, 7), 280),
        (d(2027, 5, 31), d(2028, 3, 7), 281),
        (d(2024, 2, 29), d(2024, 12, 6), 281),
        (d(2025, 3, 1), d(2025, 12, 8), 282),
        (d(2024, 12, 25), d(2025, 10, 2), 281),
        (d(2025, 4, 28), d(2026, 2, 4), 282),
        (d(2025, 6, 30), d(2026, 4, 6), 280),
    ];
    for (last_period, due, days) in cases {
        assert_eq!(edd(last_period), due, "LMP {last_period}");
        assert_eq!((due - last_period).num_days(), days, "LMP {last_period}");
    }
}

#[test]
fn prenatal_windows_at_every_edge() {
    use PrenatalVisit::*;
    // (visit, weeks, days, inside the visit's window)
    let cases = [
        (First, 0, 0, true),
        (First, 12, 6, true),
        (First, 13, 0, false),
        (Second, 15, 6, false),
        (Second, 16, 0, true),
        (Second, 20, 6, true),
        (Second, 21, 0, false),
        (Third, 20, 6, false),
        (Third, 21, 0, true),
        (Third, 24, 6, true),
        (Third, 25, 0, false),
        (Fourth, 27, 6, false),
        (Fourth, 28, 0, true),
        (Fourth, 36, 6, true),
        (Fourth, 37, 0, false),
        (Fifth, 36, 6, false),
        (Fifth, 37, 0, true),
        (Fifth, 40, 6, true),
        (Fifth, 41, 0, false),
    ];
    for last_period in [lmp(), d(2023, 12, 20)] {
        for (visit, weeks, days, inside) in cases {
            let date = last_period + Duration::days(weeks * 7 + days);
            let (from, until) = window(last_period, visit);
            assert_eq!((from..=until).contains(&date), inside, "LMP {last_period}, {visit:?} at {weeks}+{days}");
            if inside {
                assert_eq!(visit_for(last_period, date), Some(visit), "LMP {last_period}, {weeks}+{days}");
            }
        }
    }
    // The gaps between the windows belong to no visit.
    for (weeks, days) in [(13, 0), (15, 6), (25, 0), (27, 6), (41, 0)] {
        assert_eq!(visit_for(lmp(), lmp() + Duration::days(weeks * 7 + days)), None, "{weeks}+{days}");
    }
}

#[test]
fn prenatal_windows_as_dates() {
    use PrenatalVisit::*;
    let cases = [
        (First, d(2025, 1, 1), d(2025, 4, 1), "PN_1"),
        (Second, d(2025, 4, 23), d(2025, 5, 27), "PN_2"),
        (Third, d(2025, 5, 28), d(2025, 6, 24), "PN_3"),
        (Fourth, d(2025, 7, 16), d(2025, 9, 16), "PN_4"),
        (Fifth, d(2025, 9, 17), d(2025, 10, 14), "PN_5"),
    ];
    for (visit, from, until, code) in cases {
        assert_eq!(window(lmp(), visit), (from, until), "{visit:?}");
        assert_eq!(visit.rule_code(), code);
    }
}

#[test]
fn postpartum_42_day_and_referral_windows() {
    let cases = [
        ("postpartum visit", postpartum_visit_window(d(2025, 6, 10)), (d(2025, 6, 10), d(2025, 6, 17))),
        ("42-day check", check_42_window(d(2025, 6, 1)), (d(2025, 7, 13), d(2025, 7, 27))),
        ("42-day check across a year end", check_42_window(d(2025, 12, 20)), (d(2026, 1, 31), d(2026, 2, 14))),
        ("referral follow-up", referral_follow_up_window(d(2025, 6, 1)), (d(2025, 6, 1), d(2025, 6, 15))),
    ];
    for (name, got, expected) in cases {
        assert_eq!(got, expected, "{name}");
    }
}

/// A woman born 1 June 1997 (28 on registration), first pregnancy, LMP 1 April 2025, registered 1 June 2025
/// at 8+5.
fn mother() -> NaiveDate {
    d(1997, 6, 1)
}

fn registration() -> RegistrationInput {
    RegistrationInput {
        husband_age: Some(30),
        next_date: Some(d(2025, 7, 1)),
        ..samples::registration(d(2025, 6, 1), d(2025, 4, 1))
    }
}

/// A second pregnancy after one vaginal birth on `last`.
fn second_pregnancy(v: &mut RegistrationInput, last: NaiveDate) {
    v.gravidity = 2;
    v.vaginal_births = 1;
    v.last_delivery_date = Some(last);
}

#[test]
fn registration_dates_follow_the_lmp_or_the_entered_age() {
    let r = registration();
    assert_eq!((r.ga_at_registration(), r.edd(), r.is_early()), (Some((8, 5)), Some(d(2026, 1, 8)), true));
    // LMP unknown, 13+0 by ultrasound on 1 June: counts from 2 March.
    let u = RegistrationInput { lmp: None, ga_entered: Some((13, 0)), ..registration() };
    assert_eq!(u.lmp_estimate(), Some(d(2025, 3, 2)));
    assert_eq!((u.ga_at_registration(), u.edd(), u.is_early()), (Some((13, 0)), Some(d(2025, 12, 9)), false));
    assert_eq!(r.bmi(), Some(21.5));
}

#[test]
fn risk_screen_boundaries() {
    use RiskFlag::*;
    type Edit = fn(&mut RegistrationInput);
    let cases: [(&str, NaiveDate, Edit, &[RiskFlag]); 23] = [
        ("no flags", mother(), |_| {}, &[]),
        ("age 35", d(1990, 6, 1), |_| {}, &[AgeHigh(35)]),
        ("age 34, a day short of 35", d(1990, 6, 2), |_| {}, &[]),
        ("age 18", d(2007, 6, 1), |_| {}, &[AgeLow(18)]),
        ("age 19", d(2006, 6, 1), |_| {}, &[]),
        (
            "height 145.0 cm",
            mother(),
            |v| {
                v.height_cm = Some(145.0);
                v.weight_kg = Some(45.0);
            },
            &[ShortStature(145.0)],
        ),
        (
            "height 145.1 cm",
            mother(),
            |v| {
                v.height_cm = Some(145.1);
                v.weight_kg = Some(45.0);
            },
            &[],
        ),
        ("BMI 25.0", mother(), |v| v.weight_kg = Some(64.0), &[]),
        ("BMI 25.1", mother(), |v| v.weight_kg = Some(64.3), &[BmiHigh(25.1)]),
        ("BMI 18.5", mother(), |v| v.weight_kg = Some(47.4), &[]),
        ("BMI 18.4", mother(), |v| v.weight_kg = Some(47.1), &[BmiLow(18.4)]),
        ("Rh negative", mother(), |v| v.rh = Some(Rh::Negative), &[RhNegative]),
        ("interval exactly 18 months", mother(), |v| second_pregnancy(v, d(2023, 10, 1)), &[]),
        ("interval a day under 18 months", mother(), |v| second_pregnancy(v, d(2023, 10, 2)), &[ShortInterval(17)]),
        ("interval exactly 5 years", mother(), |v| second_pregnancy(v, d(2020, 4, 1)), &[]),
        ("interval a day over 5 years", mother(), |v| second_pregnancy(v, d(2020, 3, 31)), &[LongInterval(60)]),
        (
            "LMP unknown: the interval ends at the entered age's start",
            mother(),
            |v| {
                second_pregnancy(v, d(2023, 10, 2));
                v.lmp = None;
                v.ga_entered = Some((8, 5));
            },
            &[ShortInterval(17)],
        ),
        (
            "prior caesarean",
            mother(),
            |v| {
                v.gravidity = 2;
                v.caesarean_births = 1;
            },
            &[PriorCaesarean],
        ),
        ("infertility", mother(), |v| v.infertility = true, &[Infertility]),
        (
            "a stillbirth",
            mother(),
            |v| {
                v.gravidity = 2;
                v.obstetric.stillbirths = 1;
            },
            &[AdverseHistory],
        ),
        (
            "two abortions",
            mother(),
            |v| {
                v.gravidity = 3;
                v.obstetric.spontaneous_abortions = 1;
                v.obstetric.induced_abortions = 1;
            },
            &[],
        ),
        (
            "three abortions",
            mother(),
            |v| {
                v.gravidity = 4;
                v.obstetric.spontaneous_abortions = 2;
                v.obstetric.induced_abortions = 1;
            },
            &[AdverseHistory],
        ),
        (
            "several at once, in the screen's order",
            d(1988, 1, 1),
            |v| {
                v.gravidity = 2;
                v.caesarean_births = 1;
                v.rh = Some(Rh::Negative);
            },
            &[AgeHigh(37), RhNegative, PriorCaesarean],
        ),
    ];
    for (name, born, edit, expected) in cases {
        let mut v = registration();
        edit(&mut v);
        assert_eq!(risk_flags(&v, born), expected, "{name}");
    }
}

#[test]
fn risk_flags_say_what_was_found() {
    let cases = [
        (RiskFlag::AgeHigh(35), "年龄 35 岁（≥35岁）"),
        (RiskFlag::ShortStature(145.0), "身高 145 cm（≤145 cm）"),
        (RiskFlag::BmiHigh(25.1), "BMI 25.1（>25）"),
        (RiskFlag::BmiLow(18.4), "BMI 18.4（<18.5）"),
        (RiskFlag::ShortInterval(17), "生育间隔 17 个月（<18个月）"),
        (RiskFlag::AdverseHistory, "不良孕产史"),
    ];
    for (flag, message) in cases {
        assert_eq!(flag.message(true), message, "{flag:?}");
        assert!(!flag.message(false).is_empty(), "{flag:?}");
    }
}

#[test]
fn colours_keep_the_highest_and_purple_stands_beside() {
    use RiskColor::*;
    // (colours assigned, kept level, purple, label)
    type Case = (&'static [RiskColor], Option<RiskColor>, bool, &'static str);
    let cases: [Case; 9] = [
        (&[], None, false, ""),
        (&[Green], Some(Green), false, "绿色"),
        (&[Yellow, Green], Some(Yellow), false, "黄色"),
        (&[Green, Orange, Yellow], Some(Orange), false, "橙色"),
        (&[Orange, Red, Yellow], Some(Red), false, "红色"),
        (&[Purple], None, true, "紫色"),
        (&[Orange, Purple], Some(Orange), true, "橙色+紫色"),
        (&[Purple, Green], Some(Green), true, "绿色+紫色"),
        (&[Red, Purple, Yellow, Purple], Some(Red), true, "红色+紫色"),
    ];
    for (colors, level, purple, label) in cases {
        let grade = RiskGrade::combine(colors.iter().copied());
        assert_eq!(grade, RiskGrade { level, purple }, "{colors:?}");
        assert_eq!(grade.label(true), label, "{colors:?}");
    }
    assert_eq!(RiskGrade::default().with(Red).with(Yellow).colors(), vec![Red]);
    assert_eq!(RiskGrade::default().with(Purple).with(Yellow).colors(), vec![Yellow, Purple]);
}

fn delivery() -> ChildbirthInput {
    ChildbirthInput { discharge_date: Some(d(2025, 10, 8)), ..samples::childbirth(d(2025, 10, 5)) }
}

#[test]
fn registration_validation() {
    type Edit = fn(&mut RegistrationInput);
    let cases: [(&str, Edit, &[&str]); 19] = [
        ("a complete registration", |_| {}, &[]),
        (
            "registered in the future",
            |v| {
                v.registration_date = d(2025, 7, 1);
                v.next_date = None;
            },
            &["registration_date"],
        ),
        ("LMP after registration", |v| v.lmp = Some(d(2025, 6, 2)), &["lmp"]),
        ("over 45 weeks by the LMP", |v| v.lmp = Some(d(2024, 7, 1)), &["lmp"]),
        ("LMP unknown and no gestational age", |v| v.lmp = None, &["ga_entered"]),
        (
            "LMP unknown with the gestational age",
            |v| {
                v.lmp = None;
                v.ga_entered = Some((8, 5));
            },
            &[],
        ),
        (
            "gestational age with 7 days",
            |v| {
                v.lmp = None;
                v.ga_entered = Some((8, 7));
            },
            &["ga_entered"],
        ),
        ("gravidity 0", |v| v.gravidity = 0, &["gravidity"]),
        (
            "a birth and an abortion in a second pregnancy",
            |v| {
                second_pregnancy(v, d(2022, 5, 1));
                v.obstetric.spontaneous_abortions = 1;
            },
            &["gravidity"],
        ),
        ("a last delivery without births", |v| v.last_delivery_date = Some(d(2023, 1, 1)), &["last_delivery_date"]),
        ("a last delivery after the LMP", |v| second_pregnancy(v, d(2025, 4, 2)), &["last_delivery_date"]),
        (
            "missing measurements",
            |v| {
                v.height_cm = None;
                v.weight_kg = None;
                v.sbp = None;
                v.dbp = None;
            },
            &["height_cm", "weight_kg", "sbp", "dbp"],
        ),
        (
            "diastolic not below systolic",
            |v| {
                v.sbp = Some(90);
                v.dbp = Some(90);
            },
            &["dbp"],
        ),
        ("overall assessment missing", |v| v.overall = None, &["overall"]),
        ("abnormal without a description", |v| v.overall = Some(Exam::Abnormal(" ".into())), &["overall"]),
        (
            "other past history without text",
            |v| {
                v.past_history.insert(PastHistory::Other);
            },
            &["past_history_other"],
        ),
        ("gynaecological surgery without what", |v| v.gyn_surgery = Some(String::new()), &["gyn_surgery"]),
        ("referral without reason or institution", |v| v.referral = true, &["referral_reason", "referral_institution"]),
        ("next visit on the same day", |v| v.next_date = Some(v.registration_date), &["next_date"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = registration();
        edit(&mut v);
        assert_eq!(fields_of(validate_registration(&v, mother(), d(2025, 6, 30))), expected, "{name}");
    }
    // A mother's birth date that makes her 11.
    assert_eq!(
        fields_of(validate_registration(&registration(), d(2014, 1, 1), d(2025, 6, 30))),
        vec!["registration_date"]
    );
}

/// The second visit at 17+0.
fn follow_up() -> PrenatalFollowUpInput {
    PrenatalFollowUpInput {
        lmp: None,
        visit: PrenatalVisit::Second,
        entry: FollowUpEntry::Visited(Box::new(PrenatalVisitRecord {
            visit_date: d(2025, 4, 30),
            complaint: "无不适".into(),
            weight_kg: Some(58.0),
            fundal_height_cm: Some(16.0),
            abdominal_circ_cm: Some(80.0),
            fetal_position: String::new(),
            fetal_heart_rate: Some(145),
            sbp: Some(112),
            dbp: Some(72),
            hb: Some(115.0),
            urine_protein: "-".into(),
            other_tests: String::new(),
            classification: Some(Exam::Normal),
            guidance: BTreeSet::from([FollowUpGuidance::Lifestyle, FollowUpGuidance::Diet]),
            guidance_other: String::new(),
            referral: false,
            referral_reason: String::new(),
            referral_institution: String::new(),
            next_date: Some(d(2025, 5, 28)),
        })),
    }
}

fn record(v: &mut PrenatalFollowUpInput) -> &mut PrenatalVisitRecord {
    match &mut v.entry {
        FollowUpEntry::Visited(r) => r.as_mut(),
        FollowUpEntry::Urged { .. } => panic!("not a visit"),
    }
}

#[test]
fn follow_up_validation() {
    type Edit = fn(&mut PrenatalFollowUpInput);
    let cases: [(&str, Edit, &[&str]); 14] = [
        ("a complete second visit", |_| {}, &[]),
        ("the first visit is not a follow-up", |v| v.visit = PrenatalVisit::First, &["visit"]),
        ("second visit at 15+6", |v| record(v).visit_date = d(2025, 4, 22), &["visit_date"]),
        ("second visit at 16+0", |v| record(v).visit_date = d(2025, 4, 23), &[]),
        (
            "a late second visit at 22+0",
            |v| {
                record(v).visit_date = d(2025, 6, 4);
                record(v).next_date = None;
            },
            &[],
        ),
        (
            "fourth visit at 27+6",
            |v| {
                v.visit = PrenatalVisit::Fourth;
                record(v).visit_date = d(2025, 7, 15);
                record(v).next_date = None;
            },
            &["visit_date"],
        ),
        (
            "breastfeeding guidance at the second visit",
            |v| {
                record(v).guidance.insert(FollowUpGuidance::Breastfeeding);
            },
            &["guidance"],
        ),
        (
            "breastfeeding guidance at the fourth visit, 28+0",
            |v| {
                v.visit = PrenatalVisit::Fourth;
                let r = record(v);
                r.visit_date = d(2025, 7, 16);
                r.next_date = None;
                r.guidance.insert(FollowUpGuidance::Breastfeeding);
            },
            &[],
        ),
        (
            "missing blood pressure and classification",
            |v| {
                let r = record(v);
                r.sbp = None;
                r.dbp = None;
                r.classification = None;
            },
            &["sbp", "dbp", "classification"],
        ),
        ("fetal heart rate 230", |v| record(v).fetal_heart_rate = Some(230), &["fetal_heart_rate"]),
        ("next visit on the same day", |v| record(v).next_date = Some(d(2025, 4, 30)), &["next_date"]),
        ("urged before the window opens", |v| v.entry = FollowUpEntry::Urged { urging_date: d(2025, 4, 20) }, &[]),
        ("urged in the future", |v| v.entry = FollowUpEntry::Urged { urging_date: d(2026, 1, 1) }, &["urging_date"]),
        ("urged before the LMP", |v| v.entry = FollowUpEntry::Urged { urging_date: d(2024, 12, 1) }, &["urging_date"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = follow_up();
        edit(&mut v);
        assert_eq!(fields_of(validate_follow_up(&v, Some(lmp()), d(2025, 12, 31))), expected, "{name}");
    }
    // With the LMP unknown there is no window to check.
    let mut early = follow_up();
    record(&mut early).visit_date = d(2025, 4, 1);
    assert_eq!(fields_of(validate_follow_up(&early, None, d(2025, 12, 31))), Vec::<String>::new());
    assert_eq!(fields_of(validate_follow_up(&early, Some(lmp()), d(2025, 12, 31))), vec!["visit_date"]);
}

#[test]
fn delivery_validation() {
    type Edit = fn(&mut ChildbirthInput);
    let cases: [(&str, Edit, &[&str]); 11] = [
        ("a complete delivery", |_| {}, &[]),
        (
            "a home birth without discharge or facility",
            |v| {
                v.place = Some(DeliveryPlace::Home);
                v.discharge_date = None;
                v.place_name = String::new();
            },
            &[],
        ),
        ("a home birth with a discharge date", |v| v.place = Some(DeliveryPlace::Home), &["discharge_date"]),
        ("discharged before delivery", |v| v.discharge_date = Some(d(2025, 10, 4)), &["discharge_date"]),
        ("a facility without its name", |v| v.place_name = " ".into(), &["place_name"]),
        ("place missing", |v| v.place = None, &["place"]),
        ("no babies", |v| v.babies.clear(), &["babies"]),
        ("six babies", |v| v.babies = vec![Baby { sex: Sex::Male, live_born: true }; 6], &["babies"]),
        ("delivered before the LMP", |v| v.delivery_date = d(2024, 12, 31), &["delivery_date"]),
        (
            "delivered in the future",
            |v| {
                v.delivery_date = d(2026, 1, 1);
                v.discharge_date = None;
            },
            &["delivery_date"],
        ),
        ("19 weeks", |v| v.gestation_weeks = Some(19), &["gestation_weeks"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = delivery();
        edit(&mut v);
        assert_eq!(fields_of(validate_childbirth(&v, Some(lmp()), d(2025, 12, 31))), expected, "{name}");
    }
    assert_eq!(delivery().live_births(), 1);
}

fn postpartum() -> PostpartumVisitInput {
    samples::postpartum(d(2025, 10, 5), d(2025, 10, 10))
}

#[test]
fn postpartum_visit_validation() {
    type Edit = fn(&mut PostpartumVisitInput);
    let cases: [(&str, Edit, &[&str]); 9] = [
        ("a complete visit", |_| {}, &[]),
        ("before the delivery", |v| v.visit_date = d(2025, 10, 4), &["visit_date"]),
        ("day 41", |v| v.visit_date = d(2025, 11, 15), &[]),
        ("day 42 is the 42-day check", |v| v.visit_date = d(2025, 11, 16), &["visit_date"]),
        ("temperature missing", |v| v.temperature = None, &["temperature"]),
        ("abnormal lochia without a description", |v| v.lochia = Some(Exam::Abnormal(String::new())), &["lochia"]),
        ("abnormal lochia described", |v| v.lochia = Some(Exam::Abnormal("恶露量多，有异味".into())), &[]),
        ("wound not examined", |v| v.wound = None, &["wound"]),
        ("referral without reason or institution", |v| v.referral = true, &["referral_reason", "referral_institution"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = postpartum();
        edit(&mut v);
        assert_eq!(fields_of(validate_postpartum(&v, d(2025, 10, 5), d(2025, 12, 31))), expected, "{name}");
    }
}

fn check_42() -> Check42Input {
    samples::check_42(d(2025, 10, 5), d(2025, 11, 20))
}

#[test]
fn check_42_validation() {
    type Edit = fn(&mut Check42Input);
    let cases: [(&str, Edit, &[&str]); 10] = [
        ("recovered and closed", |_| {}, &[]),
        ("day 41", |v| v.check_date = d(2025, 11, 15), &["check_date"]),
        ("day 42", |v| v.check_date = d(2025, 11, 16), &[]),
        ("late, day 70", |v| v.check_date = d(2025, 12, 14), &[]),
        ("in the future", |v| v.check_date = d(2026, 1, 1), &["check_date"]),
        ("not recovered but closed", |v| v.classification = Some(Recovery::NotRecovered), &["disposal"]),
        (
            "not recovered and referred",
            |v| {
                v.classification = Some(Recovery::NotRecovered);
                v.classification_note = "子宫复旧不良".into();
                v.disposal = Some(Disposal::Refer);
                v.referral_reason = "子宫复旧不良".into();
                v.referral_institution = "县妇幼保健院 妇产科".into();
            },
            &[],
        ),
        (
            "referred without reason or institution",
            |v| v.disposal = Some(Disposal::Refer),
            &["referral_reason", "referral_institution"],
        ),
        ("disposal missing", |v| v.disposal = None, &["disposal"]),
        ("classification missing", |v| v.classification = None, &["classification"]),
    ];
    for (name, edit, expected) in cases {
        let mut v = check_42();
        edit(&mut v);
        assert_eq!(fields_of(validate_check_42(&v, d(2025, 10, 5), d(2025, 12, 31))), expected, "{name}");
    }
}
