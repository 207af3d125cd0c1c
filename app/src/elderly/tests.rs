//! Table-driven tests of the self-care assessment (every item at every level, every band boundary) and of the
//! annual check's validation.

use super::*;
use Level::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn all(level: Level) -> SelfCare {
    SelfCare { eating: level, grooming: level, dressing: level, toileting: level, mobility: level }
}

#[test]
fn each_item_scores_as_the_national_table_at_each_level() {
    // (item, level, score) for all twenty cells of 老年人生活自理能力评估表.
    let table = [
        ("eating", [0, 0, 3, 5]),
        ("grooming", [0, 1, 3, 7]),
        ("dressing", [0, 0, 3, 5]),
        ("toileting", [0, 1, 5, 10]),
        ("mobility", [0, 1, 5, 10]),
    ];
    for (i, (key, scores)) in table.iter().enumerate() {
        for (level, expected) in Level::ALL.iter().zip(scores) {
            let mut levels = all(Independent);
            match i {
                0 => levels.eating = *level,
                1 => levels.grooming = *level,
                2 => levels.dressing = *level,
                3 => levels.toileting = *level,
                _ => levels.mobility = *level,
            }
            assert_eq!(ITEMS[i].key, *key);
            assert_eq!(levels.score(), *expected, "{key} at {level:?}");
        }
    }
    assert_eq!(all(Independent).score(), 0);
    assert_eq!(all(Dependent).score(), 37);
}

#[test]
fn bands_change_at_4_9_and_19() {
    for (total, band_of) in [
        (0, Independent),
        (3, Independent),
        (4, Mild),
        (8, Mild),
        (9, Moderate),
        (18, Moderate),
        (19, Dependent),
        (37, Dependent),
    ] {
        assert_eq!(band(total), band_of, "total {total}");
    }
    // Two real assessments: needs help grooming and walking (1 + 1 = 2 → 可自理); moderate help with toilet and
    // walking plus mild grooming (5 + 5 + 1 = 11 → 中度依赖).
    let a = SelfCare { grooming: Mild, mobility: Mild, ..all(Independent) };
    assert_eq!((a.score(), a.band()), (2, Independent));
    let b = SelfCare { grooming: Mild, toileting: Moderate, mobility: Moderate, ..all(Independent) };
    assert_eq!((b.score(), b.band()), (11, Moderate));
    assert_eq!(b.band().label(true), "中度依赖");
}

fn check() -> ElderlyCheckInput {
    ElderlyCheckInput {
        check_date: d(2026, 11, 20),
        temperature: Some(36.5),
        pulse: Some(72),
        respiration: Some(18),
        sbp: Some(138),
        dbp: Some(82),
        height_cm: Some(158.0),
        weight: Some(56.0),
        waist_cm: Some(82.0),
        self_care: Some(all(Independent)),
        self_rated: Some(2),
        cognition: Some(Screen::Negative),
        mood: Some(Screen::Negative),
        guidance: "低盐饮食，适量运动，预防跌倒".into(),
        next_date: Some(d(2027, 11, 20)),
    }
}

fn invalid(v: &ElderlyCheckInput) -> Vec<String> {
    match validate(v, d(1950, 6, 1), d(2026, 11, 22)) {
        Ok(()) => vec![],
        Err(AppError::Validation { fields }) => fields.into_iter().map(|f| f.field).collect(),
        Err(e) => panic!("unexpected {e:?}"),
    }
}

#[test]
fn a_complete_check_is_valid() {
    assert_eq!(invalid(&check()), Vec::<String>::new());
}

#[test]
fn examination_ranges_accept_their_bounds_and_reject_beyond() {
    type Set = fn(&mut ElderlyCheckInput, f64);
    let table: [(&str, Set); 6] = [
        ("temperature", |v, x| v.temperature = Some(x)),
        ("pulse", |v, x| v.pulse = Some(x as i32)),
        ("respiration", |v, x| v.respiration = Some(x as i32)),
        ("height_cm", |v, x| v.height_cm = Some(x)),
        ("weight", |v, x| v.weight = Some(x)),
        ("waist_cm", |v, x| v.waist_cm = Some(x)),
    ];
    for (field, set) in table {
        let (_, min, max, _) = RANGES.iter().find(|r| r.0 == field).copied().unwrap();
        for (x, ok) in [(min, true), (max, true), (min - 1.0, false), (max + 1.0, false)] {
            let mut v = check();
            set(&mut v, x);
            assert_eq!(invalid(&v).is_empty(), ok, "{field} = {x}");
        }
    }
}

#[test]
fn missing_assessment_screens_and_readings_are_named() {
    let v = ElderlyCheckInput {
        sbp: None,
        weight: None,
        self_care: None,
        self_rated: Some(9),
        cognition: None,
        mood: None,
        ..check()
    };
    assert_eq!(invalid(&v), vec!["sbp", "weight", "self_care", "self_rated", "cognition", "mood"]);
}

#[test]
fn the_check_is_for_residents_of_65_and_over_and_never_in_the_future() {
    // Born 1961-12-01: 64 on the check date.
    assert_eq!(
        validate(&check(), d(1961, 12, 1), d(2026, 11, 22)).unwrap_err().field_message("check_date", true).unwrap(),
        "老年人健康管理适用于65岁及以上居民"
    );
    assert_eq!(invalid(&ElderlyCheckInput { check_date: d(2026, 11, 23), ..check() }), vec!["check_date"]);
    assert_eq!(invalid(&ElderlyCheckInput { next_date: Some(d(2026, 11, 20)), ..check() }), vec!["next_date"]);
    assert_eq!(invalid(&ElderlyCheckInput { sbp: Some(80), dbp: Some(82), ..check() }), vec!["dbp"]);
}
