//! The resident view's pure rules: which visits can be answered, which view days a phone may report, and
//! the plain-language lines.

use super::*;
use crate::indicator::tests::visit;
use crate::visit::VisitKind;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn visits_are_answerable_for_ninety_days_and_never_ahead() {
    let today = d("2026-11-23");
    assert!(confirmable(today, today));
    assert!(confirmable(d("2026-08-25"), today), "90 days ago");
    assert!(!confirmable(d("2026-08-24"), today), "91 days ago");
    assert!(!confirmable(d("2026-11-24"), today), "tomorrow");
}

#[test]
fn view_days_keep_the_last_thirty_days_once_each() {
    let today = d("2026-11-23");
    let days = [d("2026-11-23"), d("2026-11-23"), d("2026-10-24"), d("2026-10-23"), d("2026-11-24"), d("2026-11-01")];
    assert_eq!(view_days(&days, today), vec![d("2026-10-24"), d("2026-11-01"), d("2026-11-23")]);
}

#[test]
fn follow_ups_read_in_plain_words_against_the_age_target() {
    let v = visit(VisitKind::Hypertension, "2026-11-01", 2, 1, Some((145, 85)), None);
    assert_eq!(visit_line(&v, 40, true), "医生当面随访；血压 145/85 mmHg，偏高");
    assert_eq!(visit_line(&v, 70, true), "医生当面随访；血压 145/85 mmHg，正常范围", "150/90 from 65");
    let mut g = visit(VisitKind::Diabetes, "2026-11-01", 3, 1, None, Some(7.0));
    g.next_visit_date = Some(d("2026-12-01"));
    assert_eq!(
        visit_line(&g, 40, false),
        "By phone or not seen; Fasting glucose 7.0 mmol/L, high; next visit 2026-12-01"
    );
}

#[test]
fn chart_series_are_oldest_first_and_skip_missing_readings() {
    let a = visit(VisitKind::Hypertension, "2026-10-01", 2, 1, Some((150, 90)), None);
    let b = visit(VisitKind::Hypertension, "2026-08-01", 2, 1, Some((130, 80)), None);
    let c = visit(VisitKind::Hypertension, "2026-09-01", 3, 2, None, None);
    let s = series(&[a, b, c], |v| v.sbp.map(f64::from));
    assert_eq!(s, vec![(d("2026-08-01"), 130.0), (d("2026-10-01"), 150.0)]);
}

#[test]
fn answers_round_trip_their_codes() {
    for a in [Answer::Confirmed, Answer::Disputed] {
        assert_eq!(Answer::from_code(a.code()), Some(a));
    }
    assert_eq!(Answer::from_code("maybe"), None);
}
