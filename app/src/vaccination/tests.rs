use super::schedule::{max_dose, ScheduleVersion, Span};
use super::*;
use crate::record::tests::{fields_of, record, today};
use crate::record::RecordBody;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn dose(vaccine: &str, n: u8) -> DoseInput {
    DoseInput {
        vaccine: vaccine.into(),
        dose_no: n,
        place: "城关镇卫生院接种门诊".into(),
        batch: String::new(),
        source: Some(1),
    }
}

fn given(v: &str, n: u8, date: NaiveDate) -> GivenDose {
    GivenDose { vaccine: v.into(), dose_no: n, date }
}

#[test]
fn dose_entries_are_checked() {
    let ok = record(RecordBody::Dose(dose("DTaP", 4)), Some(d(2024, 1, 1)));
    assert!(fields_of(&ok).is_empty());
    type Case = (&'static str, fn(&mut DoseInput));
    let cases: &[Case] = &[
        ("vaccine", |x| x.vaccine = "XYZ".into()),
        ("dose_no", |x| x.dose_no = 0),
        ("dose_no", |x| x.vaccine = "BCG".into()),
        ("place", |x| x.place.clear()),
        ("batch", |x| x.batch = "1".repeat(31)),
        ("source", |x| x.source = None),
        ("source", |x| x.source = Some(4)),
    ];
    for (field, change) in cases {
        let mut x = dose("DTaP", 4);
        change(&mut x);
        assert_eq!(fields_of(&record(RecordBody::Dose(x), None)), [*field], "{field}");
    }
    // DTaP has five doses since the 2025 edition; HepB three.
    assert_eq!((max_dose("DTaP"), max_dose("HepB"), max_dose("DT")), (5, 3, 1));
}

#[test]
fn contacts_need_what_their_outcome_implies() {
    let base = ContactInput { person: Some(1), method: Some(1), outcome: Some(OUTCOME_MOVED), ..Default::default() };
    assert!(fields_of(&record(RecordBody::Contact(base.clone()), None)).is_empty());
    type Case = (&'static str, fn(&mut ContactInput));
    let cases: &[Case] = &[
        ("attend_date", |x| x.outcome = Some(OUTCOME_WILL_ATTEND)),
        ("attend_date", |x| {
            x.outcome = Some(OUTCOME_WILL_ATTEND);
            x.attend_date = today().pred_opt();
        }),
        ("elsewhere_date", |x| x.outcome = Some(OUTCOME_ELSEWHERE)),
        ("elsewhere_date", |x| {
            x.outcome = Some(OUTCOME_ELSEWHERE);
            x.elsewhere_date = today().succ_opt();
        }),
        ("reason", |x| x.outcome = Some(OUTCOME_REFUSED)),
        ("reason", |x| x.outcome = Some(OUTCOME_CONTRAINDICATION)),
        ("next_contact", |x| {
            x.outcome = Some(OUTCOME_NOT_REACHED);
            x.person = None;
        }),
        ("next_contact", |x| x.next_contact = today().pred_opt()),
        ("person", |x| x.person = None),
        ("method", |x| x.method = None),
        ("outcome", |x| x.outcome = Some(9)),
        ("vaccines", |x| x.vaccines = vec!["XYZ".into()]),
    ];
    for (field, change) in cases {
        let mut x = base.clone();
        change(&mut x);
        assert_eq!(fields_of(&record(RecordBody::Contact(x.clone()), None)), [*field], "{field}: {x:?}");
    }
    let will = ContactInput { outcome: Some(OUTCOME_WILL_ATTEND), attend_date: Some(today()), ..base.clone() };
    assert!(fields_of(&record(RecordBody::Contact(will), None)).is_empty());
    let refused = ContactInput { outcome: Some(OUTCOME_REFUSED), reason: "家长担心不良反应".into(), ..base };
    assert!(fields_of(&record(RecordBody::Contact(refused), None)).is_empty());
}

#[test]
fn month_ages_clamp_to_the_month_end() {
    assert_eq!(Span::Months(1).after(d(2025, 1, 31)), d(2025, 2, 28));
    assert_eq!(Span::Months(6).after(d(2024, 8, 31)), d(2025, 2, 28));
    assert_eq!(Span::Days(28).after(d(2025, 2, 1)), d(2025, 3, 1));
}

#[test]
fn the_edition_is_picked_by_the_dose_date() {
    assert_eq!(ScheduleVersion::on(d(2024, 12, 31)).name, "2021");
    assert_eq!(ScheduleVersion::on(d(2025, 1, 1)).name, "2025");
    assert_eq!(ScheduleVersion::on(d(2020, 6, 1)).name, "2021");
    // DT at 6 years in 2021; DTaP dose 5 replaces it from 2025.
    assert!(ScheduleVersion::on(d(2024, 6, 1)).dose("DT", 1).is_some());
    assert!(ScheduleVersion::on(d(2025, 6, 1)).dose("DT", 1).is_none());
    assert_eq!(ScheduleVersion::on(d(2025, 6, 1)).dose("DTaP", 1).unwrap().min_age, Span::Months(2));
    assert_eq!(ScheduleVersion::on(d(2024, 6, 1)).dose("DTaP", 1).unwrap().min_age, Span::Months(3));
}

#[test]
fn a_card_given_on_time_is_all_valid() {
    let b = d(2024, 3, 10);
    let card = [
        given("HepB", 1, b),
        given("BCG", 1, b),
        given("HepB", 2, d(2024, 4, 10)),
        given("IPV", 1, d(2024, 5, 10)),
        given("IPV", 2, d(2024, 6, 10)),
        given("DTaP", 1, d(2024, 6, 10)),
        given("bOPV", 1, d(2024, 7, 10)),
        given("DTaP", 2, d(2024, 7, 10)),
        given("DTaP", 3, d(2024, 8, 12)),
        given("HepB", 3, d(2024, 9, 10)),
        given("MPSV-A", 1, d(2024, 9, 10)),
        // MMR and JE-L the same day: co-administration is allowed.
        given("MMR", 1, d(2024, 11, 10)),
        given("JE-L", 1, d(2024, 11, 10)),
        given("MPSV-A", 2, d(2024, 12, 10)),
    ];
    assert_eq!(judge(b, &card), vec![None; card.len()]);
}

#[test]
fn early_doses_are_invalid_with_the_earliest_valid_date() {
    let b = d(2024, 3, 10);
    // One day before the minimum age of 2 months.
    let v = judge(b, &[given("IPV", 1, d(2024, 5, 9))]);
    assert_eq!(v, [Some(Invalid::TooYoung { earliest: d(2024, 5, 10) })]);
    // HepB 2 on day 27 after dose 1 (the minimum age of 1 month is met).
    let v = judge(b, &[given("HepB", 1, d(2024, 3, 10)), given("HepB", 2, d(2024, 4, 15))]);
    assert_eq!(v[1], None);
    let v = judge(b, &[given("HepB", 1, d(2024, 3, 20)), given("HepB", 2, d(2024, 4, 16))]);
    assert_eq!(v[1], Some(Invalid::TooSoon { after: ("HepB".into(), 1), earliest: d(2024, 4, 17) }));
    // HepB 3: 60 days after dose 2 and 4 months after dose 1.
    let v = judge(
        b,
        &[given("HepB", 1, d(2024, 3, 10)), given("HepB", 2, d(2024, 8, 1)), given("HepB", 3, d(2024, 9, 29))],
    );
    assert_eq!(v[2], Some(Invalid::TooSoon { after: ("HepB".into(), 2), earliest: d(2024, 9, 30) }));
    // DTaP 4 needs 6 months after dose 3.
    let v = judge(
        b,
        &[
            given("DTaP", 1, d(2024, 6, 10)),
            given("DTaP", 2, d(2024, 7, 10)),
            given("DTaP", 3, d(2025, 3, 1)),
            given("DTaP", 4, d(2025, 9, 10)),
        ],
    );
    assert_eq!(v[3], None);
    let v = judge(
        b,
        &[
            given("DTaP", 1, d(2024, 6, 10)),
            given("DTaP", 2, d(2024, 7, 10)),
            given("DTaP", 3, d(2025, 4, 1)),
            given("DTaP", 4, d(2025, 9, 30)),
        ],
    );
    assert_eq!(v[3], Some(Invalid::TooSoon { after: ("DTaP".into(), 3), earliest: d(2025, 10, 1) }));
}

#[test]
fn injectable_live_vaccines_need_28_days_unless_given_together() {
    let b = d(2023, 1, 1);
    let v = judge(b, &[given("MMR", 1, d(2023, 9, 1)), given("JE-L", 1, d(2023, 9, 28))]);
    assert_eq!(v[1], Some(Invalid::LiveInterval { other: "MMR".into(), earliest: d(2023, 9, 29) }));
    let v = judge(b, &[given("MMR", 1, d(2023, 9, 1)), given("JE-L", 1, d(2023, 9, 29))]);
    assert_eq!(v[1], None);
    // An inactivated vaccine is not held to it.
    let v = judge(b, &[given("MMR", 1, d(2023, 9, 1)), given("JE-I", 1, d(2023, 9, 5))]);
    assert_eq!(v[1], None);
}

#[test]
fn intervals_count_from_the_last_valid_dose_and_repeats_are_judged_alone() {
    let b = d(2023, 12, 1);
    // Dose 1 too early (invalid), repeated on time: dose 2 counts from the repeat.
    let card = [
        given("IPV", 1, d(2024, 1, 20)),
        given("IPV", 1, d(2024, 3, 1)),
        given("IPV", 2, d(2024, 3, 20)),
        given("IPV", 2, d(2024, 3, 29)),
    ];
    let v = judge(b, &card);
    assert_eq!(v[0], Some(Invalid::TooYoung { earliest: d(2024, 2, 1) }));
    assert_eq!(v[1], None);
    assert_eq!(v[2], Some(Invalid::TooSoon { after: ("IPV".into(), 1), earliest: d(2024, 3, 29) }));
    assert_eq!(v[3], None);
    assert_eq!(judge(b, &[given("DT", 1, d(2025, 6, 1))]), [Some(Invalid::NoSuchDose)]);
    assert!(Invalid::NoSuchDose.message(true).contains("无此剂次"));
}
