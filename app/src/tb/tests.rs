use super::*;
use crate::record::tests::{fields_of, record, today};
use crate::record::RecordBody;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn supervision() -> TbVisitInput {
    TbVisitInput {
        visit_type: Some(SUPERVISION),
        supervisor: Some(FAMILY),
        phase: Some(INTENSIVE),
        treatment_month: Some(1),
        doses_prescribed: Some(10),
        doses_missed: Some(0),
        adr: Some(1),
        next_visit_date: Some(today() + Duration::days(10)),
        ..Default::default()
    }
}

fn fields(v: TbVisitInput) -> Vec<String> {
    fields_of(&record(RecordBody::TbVisit(Box::new(v)), None))
}

#[test]
fn the_cadence_follows_supervisor_and_phase() {
    let day = d(2026, 1, 31);
    assert_eq!(next_visit(FAMILY, INTENSIVE, day), d(2026, 2, 10));
    assert_eq!(next_visit(FAMILY, 2, day), d(2026, 2, 28));
    assert_eq!(next_visit(STAFF, INTENSIVE, day), d(2026, 2, 28));
    assert_eq!(next_visit(3, 2, d(2026, 3, 15)), d(2026, 4, 15));
}

#[test]
fn regular_medication_is_ninety_percent_of_doses() {
    assert!(regular(90, 100));
    assert!(!regular(89, 100));
    assert!(regular(54, 60));
    assert!(!regular(53, 60));
    assert!(!regular(0, 0));
    let closing = TbVisitInput { total_prescribed: Some(180), total_taken: Some(162), ..Default::default() };
    assert_eq!(closing.regular(), Some(true));
}

#[test]
fn the_first_visit_is_due_within_72_hours_of_the_notice() {
    let first = |notice| TbVisitInput { visit_type: Some(FIRST), notice_date: Some(notice), ..Default::default() };
    let day = d(2026, 11, 20);
    assert!(!first(d(2026, 11, 17)).late_first_visit(day));
    assert!(first(d(2026, 11, 16)).late_first_visit(day));
}

#[test]
fn each_visit_type_asks_for_its_own_fields() {
    assert!(fields(supervision()).is_empty());
    type Case = (&'static str, fn(&mut TbVisitInput));
    let cases: &[Case] = &[
        ("visit_type", |v| v.visit_type = None),
        ("phase", |v| v.phase = None),
        ("treatment_month", |v| v.treatment_month = Some(25)),
        ("doses_missed", |v| v.doses_missed = Some(11)),
        ("doses_missed", |v| v.doses_prescribed = None),
        ("adr_text", |v| v.adr = Some(2)),
        ("next_visit_date", |v| v.next_visit_date = Some(today())),
        // Coughing blood: back to the designated facility.
        ("referral", |v| v.symptoms = vec![SYMPTOM_HAEMOPTYSIS]),
    ];
    for (field, change) in cases {
        let mut v = supervision();
        change(&mut v);
        assert_eq!(fields(v.clone()), [*field], "{field}: {v:?}");
    }
    let first = TbVisitInput { visit_type: Some(FIRST), adr: Some(1), ..Default::default() };
    assert_eq!(fields(first), ["notice_date", "supervisor", "next_visit_date"]);
    let closing = TbVisitInput {
        visit_type: Some(CLOSING),
        total_prescribed: Some(10),
        total_taken: Some(11),
        ..Default::default()
    };
    assert_eq!(fields(closing), ["stop_date", "stop_reason", "total_taken"]);
}
