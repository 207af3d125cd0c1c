//! Table-driven tests of the child check schedule (every window at both edges, births on 31 January and 29
//! February), anaemia and growth grade boundaries, the SD-table loader and the check's validation.
//!
//! The SD rows here are made up to put the boundaries on round numbers: test rows, not the standard.

use super::*;
use CheckPoint::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Checks each point's window and that it holds its first and last day but not the day before or after.
fn check_windows(birth: NaiveDate, expected: &[(CheckPoint, NaiveDate, NaiveDate)]) {
    for &(point, from, until) in expected {
        assert_eq!(window(birth, point), (from, until), "born {birth}, {point:?}");
        let edges =
            [(from, true), (until, true), (from.pred_opt().unwrap(), false), (until.succ_opt().unwrap(), false)];
        for (date, inside) in edges {
            assert_eq!(in_window(birth, point, date), inside, "born {birth}, {point:?} on {date}");
        }
    }
}

#[test]
fn every_window_for_a_child_born_mid_month() {
    check_windows(
        d(2024, 3, 15),
        &[
            (M1, d(2024, 4, 12), d(2024, 4, 14)),
            (M3, d(2024, 6, 15), d(2024, 7, 14)),
            (M6, d(2024, 9, 15), d(2024, 10, 14)),
            (M8, d(2024, 11, 15), d(2024, 12, 14)),
            (M12, d(2025, 3, 15), d(2025, 4, 13)),
            (M18, d(2025, 9, 15), d(2025, 10, 14)),
            (M24, d(2026, 3, 15), d(2026, 4, 13)),
            (M30, d(2026, 9, 15), d(2026, 10, 14)),
            (Y3, d(2027, 3, 15), d(2028, 3, 14)),
            (Y4, d(2028, 3, 15), d(2029, 3, 14)),
            (Y5, d(2029, 3, 15), d(2030, 3, 14)),
            (Y6, d(2030, 3, 15), d(2031, 3, 14)),
        ],
    );
}

#[test]
fn windows_for_a_child_born_on_31_january_clamp_to_month_end() {
    check_windows(
        d(2023, 1, 31),
        &[
            (M1, d(2023, 2, 28), d(2023, 3, 2)),
            (M3, d(2023, 4, 30), d(2023, 5, 29)),
            (M6, d(2023, 7, 31), d(2023, 8, 29)),
            (M8, d(2023, 9, 30), d(2023, 10, 29)),
            (M12, d(2024, 1, 31), d(2024, 2, 29)),
            (M18, d(2024, 7, 31), d(2024, 8, 29)),
            (M24, d(2025, 1, 31), d(2025, 3, 1)),
            (M30, d(2025, 7, 31), d(2025, 8, 29)),
            (Y3, d(2026, 1, 31), d(2027, 1, 30)),
            (Y4, d(2027, 1, 31), d(2028, 1, 30)),
        ],
    );
}

#[test]
fn windows_for_a_child_born_on_29_february() {
    check_windows(
        d(2024, 2, 29),
        &[
            (M1, d(2024, 3, 28), d(2024, 3, 30)),
            (M3, d(2024, 5, 29), d(2024, 6, 27)),
            (M6, d(2024, 8, 29), d(2024, 9, 27)),
            (M8, d(2024, 10, 29), d(2024, 11, 27)),
            (M12, d(2025, 2, 28), d(2025, 3, 29)),
            (M18, d(2025, 8, 29), d(2025, 9, 27)),
            (M24, d(2026, 2, 28), d(2026, 3, 29)),
            (M30, d(2026, 8, 29), d(2026, 9, 27)),
            (Y3, d(2027, 2, 28), d(2028, 2, 28)),
            (Y4, d(2028, 2, 29), d(2029, 2, 27)),
            (Y5, d(2029, 2, 28), d(2030, 2, 27)),
            (Y6, d(2030, 2, 28), d(2031, 2, 27)),
        ],
    );
}

#[test]
fn windows_never_overlap_and_the_years_leave_no_gap() {
    for birth in [d(2023, 1, 31), d(2024, 2, 29), d(2024, 3, 15), d(2024, 12, 31), d(2025, 8, 31)] {
        for pair in CheckPoint::ALL.windows(2) {
            let (prev, next) = (window(birth, pair[0]), window(birth, pair[1]));
            assert!(prev.0 <= prev.1 && prev.1 < next.0, "born {birth}: {:?} then {:?}", pair[0], pair[1]);
            if pair[0].band() == FormBand::Preschool {
                assert_eq!(prev.1.succ_opt().unwrap(), next.0, "born {birth}: {:?}", pair[0]);
            }
        }
        // The 6岁 window ends the day before the 7th birthday.
        assert_eq!(window(birth, Y6).1.succ_opt().unwrap(), add_months(birth, END_MONTHS), "born {birth}");
    }
}

#[test]
fn points_bands_and_extra_screens() {
    // (point, label, band, hb, hearing, vision)
    let table = [
        (M1, "满月", FormBand::Infant, false, false, false),
        (M3, "3月龄", FormBand::Infant, false, false, false),
        (M6, "6月龄", FormBand::Infant, true, true, false),
        (M8, "8月龄", FormBand::Infant, true, false, false),
        (M12, "12月龄", FormBand::Toddler, false, true, false),
        (M18, "18月龄", FormBand::Toddler, true, false, false),
        (M24, "24月龄", FormBand::Toddler, false, true, false),
        (M30, "30月龄", FormBand::Toddler, true, false, false),
        (Y3, "3岁", FormBand::Preschool, false, true, false),
        (Y4, "4岁", FormBand::Preschool, true, false, true),
        (Y5, "5岁", FormBand::Preschool, true, false, true),
        (Y6, "6岁", FormBand::Preschool, true, false, true),
    ];
    assert_eq!(table.len(), CheckPoint::ALL.len());
    for (point, label, band, hb, hearing, vision) in table {
        assert_eq!(point.label(true), label, "{point:?}");
        assert_eq!(point.band(), band, "{point:?}");
        assert_eq!(point.extras(), Extras { hb, hearing, vision }, "{point:?}");
        assert!(point.rule_code().starts_with("CH_"), "{point:?}");
    }
    // Hb once at 6 or 8 months.
    let due = [(M6, false, true), (M6, true, true), (M8, false, true), (M8, true, false), (M3, false, false)];
    for (point, done_at_6, expected) in due {
        assert_eq!(point.hb_due(done_at_6), expected, "{point:?}, done at 6: {done_at_6}");
    }
    assert_eq!(M30.next(), Some(Y3));
    assert_eq!(Y6.next(), None);
}

#[test]
fn due_points_opened_and_overdue() {
    let birth = d(2024, 3, 15);
    // (case, today, the points opened with whether each is overdue)
    type Case = (&'static str, NaiveDate, &'static [(CheckPoint, bool)]);
    let cases: [Case; 5] = [
        ("the day before 满月 opens", d(2024, 4, 11), &[]),
        ("满月 open", d(2024, 4, 12), &[(M1, false)]),
        ("6 months, last day", d(2024, 10, 14), &[(M1, true), (M3, true), (M6, false)]),
        ("6 months, a day after", d(2024, 10, 15), &[(M1, true), (M3, true), (M6, true)]),
        ("8 months open", d(2024, 11, 15), &[(M1, true), (M3, true), (M6, true), (M8, false)]),
    ];
    for (name, today, expected) in cases {
        let got: Vec<(CheckPoint, bool)> = due_points(birth, today).into_iter().map(|p| (p.point, p.overdue)).collect();
        assert_eq!(got, expected, "{name}");
    }
    assert_eq!(due_points(birth, d(2031, 3, 15)).len(), 12);
}

#[test]
fn the_point_of_a_date_and_lateness() {
    let birth = d(2024, 3, 15);
    let cases = [
        (d(2024, 4, 11), None),
        (d(2024, 4, 12), Some(M1)),
        (d(2024, 4, 15), None),
        (d(2024, 9, 15), Some(M6)),
        (d(2027, 6, 1), Some(Y3)),
        (d(2031, 3, 14), Some(Y6)),
        (d(2031, 3, 15), None),
    ];
    for (date, point) in cases {
        assert_eq!(point_for(birth, date), point, "{date}");
    }
    assert!(!is_late(birth, M6, d(2024, 10, 14)));
    assert!(is_late(birth, M6, d(2024, 10, 15)));
}

#[test]
fn completed_months_of_age() {
    let cases = [
        (d(2023, 1, 31), d(2023, 1, 31), 0),
        (d(2023, 1, 31), d(2023, 2, 27), 0),
        (d(2023, 1, 31), d(2023, 2, 28), 1),
        (d(2023, 1, 31), d(2023, 3, 30), 1),
        (d(2023, 1, 31), d(2023, 3, 31), 2),
        (d(2024, 2, 29), d(2025, 2, 28), 12),
        (d(2024, 3, 15), d(2024, 9, 14), 5),
        (d(2024, 3, 15), d(2024, 9, 15), 6),
        (d(2024, 3, 15), d(2031, 3, 14), 83),
    ];
    for (birth, on, months) in cases {
        assert_eq!(age_months(birth, on), months, "born {birth}, on {on}");
    }
}

#[test]
fn anaemia_grades_change_at_110_90_and_60() {
    let cases = [
        (130.0, None),
        (110.0, None),
        (109.9, Some(AnaemiaGrade::Mild)),
        (109.0, Some(AnaemiaGrade::Mild)),
        (90.0, Some(AnaemiaGrade::Mild)),
        (89.9, Some(AnaemiaGrade::Moderate)),
        (89.0, Some(AnaemiaGrade::Moderate)),
        (60.0, Some(AnaemiaGrade::Moderate)),
        (59.9, Some(AnaemiaGrade::Severe)),
        (59.0, Some(AnaemiaGrade::Severe)),
    ];
    for (hb, grade) in cases {
        assert_eq!(ANAEMIA.grade(hb), grade, "Hb {hb}");
    }
    assert_eq!(AnaemiaConfig::default(), ANAEMIA);
    let stricter = AnaemiaConfig { anaemia_below: 105.0, ..ANAEMIA };
    assert_eq!(stricter.grade(107.0), None);
    assert_eq!(stricter.grade(104.0), Some(AnaemiaGrade::Mild));
}

/// Test row, not the standard: −3SD … +3SD = 7 … 13.
const ROW: SdRow = SdRow { m3sd: 7.0, m2sd: 8.0, m1sd: 9.0, median: 10.0, p1sd: 11.0, p2sd: 12.0, p3sd: 13.0 };

#[test]
fn grades_change_below_minus_2sd_and_above_plus_2sd() {
    let cases = [
        (7.0, Grade::Lower),
        (7.9, Grade::Lower),
        (8.0, Grade::Middle),
        (10.0, Grade::Middle),
        (12.0, Grade::Middle),
        (12.1, Grade::Upper),
        (13.5, Grade::Upper),
    ];
    for (value, expected) in cases {
        assert_eq!(grade(value, &ROW), expected, "value {value} against the test row");
    }
}

#[test]
fn growth_assessment_against_a_test_row() {
    use Assessment::*;
    // (case, weight-for-age, height-for-age, weight-for-height, findings), all against the test row.
    type Case = (&'static str, Option<f64>, Option<f64>, Option<f64>, &'static [Assessment]);
    let cases: [Case; 12] = [
        ("all at the median", Some(10.0), Some(10.0), Some(10.0), &[Normal]),
        ("weight-for-age at -2SD", Some(8.0), Some(10.0), Some(10.0), &[Normal]),
        ("weight-for-age below -2SD", Some(7.9), Some(10.0), Some(10.0), &[Underweight]),
        ("height-for-age below -2SD", Some(10.0), Some(7.9), Some(10.0), &[Stunted]),
        ("weight-for-height below -2SD", Some(10.0), Some(10.0), Some(7.9), &[Wasted]),
        ("weight-for-height at +1SD", Some(10.0), Some(10.0), Some(11.0), &[Normal]),
        ("weight-for-height above +1SD", Some(10.0), Some(10.0), Some(11.1), &[Overweight]),
        ("weight-for-height at +2SD", Some(10.0), Some(10.0), Some(12.0), &[Overweight]),
        ("weight-for-height above +2SD", Some(10.0), Some(10.0), Some(12.1), &[Obese]),
        ("three findings", Some(7.9), Some(7.9), Some(12.1), &[Underweight, Stunted, Obese]),
        ("weight-for-age only", Some(10.0), None, None, &[Normal]),
        ("nothing measured", None, None, None, &[]),
    ];
    for (name, wfa, hfa, wfh, expected) in cases {
        let got = assess(wfa.map(|x| (x, &ROW)), hfa.map(|x| (x, &ROW)), wfh.map(|x| (x, &ROW)));
        assert_eq!(got, expected, "{name}");
    }
}

/// Test rows, not the standard.
const TABLE: &str = "\
# test rows, not the standard
sex,months,-3sd,-2sd,-1sd,median,+1sd,+2sd,+3sd
1,6,5.0,6.0,7.0,8.0,9.0,10.0,11.0
F,6,4.5,5.5,6.5,7.5,8.5,9.5,10.5

1,7,5.5,6.5,7.5,8.5,9.5,10.5,11.5
";

#[test]
fn an_sd_table_is_read_from_text_and_looked_up_by_the_last_row_at_or_below() {
    let table = SdTable::parse(TABLE).unwrap();
    assert_eq!(table.rows().len(), 3);
    let cases = [
        (Sex::Male, 5.0, None),
        (Sex::Male, 6.0, Some(8.0)),
        (Sex::Male, 6.9, Some(8.0)),
        (Sex::Male, 7.0, Some(8.5)),
        (Sex::Male, 7.5, None),
        (Sex::Female, 6.0, Some(7.5)),
        (Sex::Female, 7.0, None),
        (Sex::Unknown, 6.0, None),
    ];
    for (sex, key, median) in cases {
        assert_eq!(table.row(sex, key).map(|r| r.median), median, "{sex:?} at {key}");
    }
}

#[test]
fn a_malformed_sd_table_is_refused_with_its_line() {
    let cases = [
        ("too few fields", "1,6,5,6,7,8,9,10", "line 1: expected 9 fields"),
        ("unknown sex", "3,6,5,6,7,8,9,10,11", "line 1: sex must be"),
        ("not a number", "1,6,5,6,7,8,9,x,11", "line 1: \"x\" is not a number"),
        ("values not rising", "1,6,5,6,7,8,8,10,11", "line 1: the values must rise"),
        ("keys not rising", "1,7,5,6,7,8,9,10,11\n1,6,5,6,7,8,9,10,11", "line 2: keys must rise"),
        ("no rows", "# nothing\n", "no rows"),
    ];
    for (name, text, message) in cases {
        let err = SdTable::parse(text).unwrap_err();
        assert!(err.contains(message), "{name}: {err}");
    }
}

fn check() -> ChildCheckInput {
    ChildCheckInput { next_date: Some(d(2024, 11, 20)), ..crate::record::samples::child_check(d(2024, 9, 20)) }
}

/// The same child at a 3–6 y check: no head circumference, Hb or hearing unless the case adds them.
fn preschool(v: &mut ChildCheckInput, point: CheckPoint, date: NaiveDate) {
    v.point = point;
    v.check_date = date;
    v.head_cm = None;
    v.hb = None;
    v.hearing = None;
    v.guidance = BTreeSet::from([ChildGuidance::Diet]);
    v.next_date = None;
    v.weight_kg = Some(15.0);
    v.height_cm = Some(98.0);
}

fn fields(v: &ChildCheckInput, today: NaiveDate) -> Vec<String> {
    match validate(v, d(2024, 3, 15), today) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

fn invalid(v: &ChildCheckInput) -> Vec<String> {
    fields(v, d(2031, 6, 30))
}

#[test]
fn validation_cases() {
    type Edit = fn(&mut ChildCheckInput);
    let cases: [(&str, Edit, &[&str]); 24] = [
        ("a complete 6-month check", |_| {}, &[]),
        ("first day of the window", |v| v.check_date = d(2024, 9, 15), &[]),
        ("last day of the window", |v| v.check_date = d(2024, 10, 14), &[]),
        ("a day early", |v| v.check_date = d(2024, 9, 14), &["check_date"]),
        ("a day after, not marked late", |v| v.check_date = d(2024, 10, 15), &["check_date"]),
        (
            "a day after, marked late",
            |v| {
                v.check_date = d(2024, 10, 15);
                v.late = true;
            },
            &[],
        ),
        ("marked late inside the window", |v| v.late = true, &["late"]),
        (
            "late, the day before the 8-month window",
            |v| {
                v.check_date = d(2024, 11, 14);
                v.late = true;
            },
            &[],
        ),
        (
            "late into the 8-month window",
            |v| {
                v.check_date = d(2024, 11, 15);
                v.late = true;
            },
            &["check_date"],
        ),
        (
            "Hb at 3 months",
            |v| {
                v.point = M3;
                v.check_date = d(2024, 6, 20);
                v.hearing = None;
            },
            &["hb"],
        ),
        (
            "hearing at 8 months",
            |v| {
                v.point = M8;
                v.check_date = d(2024, 11, 20);
                v.next_date = None;
            },
            &["hearing"],
        ),
        (
            "head circumference at 12 months",
            |v| {
                v.point = M12;
                v.check_date = d(2025, 3, 20);
                v.hb = None;
                v.next_date = None;
            },
            &["head_cm"],
        ),
        (
            "hearing and vision at 3 years",
            |v| {
                preschool(v, Y3, d(2027, 4, 1));
                v.hearing = Some(Hearing::Fail);
                v.vision = Some(4.9);
            },
            &[],
        ),
        (
            "Hb and decimal vision at 4 years",
            |v| {
                preschool(v, Y4, d(2028, 4, 1));
                v.hb = Some(121.0);
                v.vision = Some(1.0);
            },
            &[],
        ),
        ("vision at 6 months", |v| v.vision = Some(1.0), &["vision"]),
        (
            "vision in neither notation",
            |v| {
                preschool(v, Y4, d(2028, 4, 1));
                v.vision = Some(2.5);
            },
            &["vision"],
        ),
        (
            "科学喂养 on the 3–6 y form",
            |v| {
                preschool(v, Y5, d(2029, 4, 1));
                v.guidance = BTreeSet::from([ChildGuidance::Feeding]);
            },
            &["guidance"],
        ),
        (
            "missing weight and height",
            |v| {
                v.weight_kg = None;
                v.height_cm = None;
            },
            &["weight_kg", "height_cm"],
        ),
        (
            "implausible weight and Hb",
            |v| {
                v.weight_kg = Some(41.0);
                v.hb = Some(29.0);
            },
            &["weight_kg", "hb"],
        ),
        ("referral without reason or institution", |v| v.referral = true, &["referral_reason", "referral_institution"]),
        ("pneumonia counted 21 times", |v| v.illness.pneumonia = 21, &["illness"]),
        (
            "other guidance without its text",
            |v| {
                v.guidance.insert(ChildGuidance::Other);
            },
            &["guidance_other"],
        ),
        ("next check on the same day", |v| v.next_date = Some(v.check_date), &["next_date"]),
        (
            "a late 6-year check after the 7th birthday",
            |v| {
                preschool(v, Y6, d(2031, 3, 15));
                v.late = true;
            },
            &["check_date"],
        ),
    ];
    for (name, edit, expected) in cases {
        let mut v = check();
        edit(&mut v);
        assert_eq!(invalid(&v), expected, "{name}");
    }
}

#[test]
fn the_check_date_cannot_be_in_the_future_and_an_early_check_names_its_window() {
    assert_eq!(fields(&check(), d(2024, 9, 19)), vec!["check_date"]);
    let early = ChildCheckInput { check_date: d(2024, 9, 14), ..check() };
    let message = validate(&early, d(2024, 3, 15), d(2024, 12, 31)).unwrap_err().field_message("check_date", true);
    assert_eq!(message.as_deref(), Some("还未到6月龄检查时间（2024-09-15起）"));
}
