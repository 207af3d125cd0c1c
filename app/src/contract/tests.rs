use super::*;
use crate::record::tests::{fields_of, record};
use crate::record::RecordBody;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn basic() -> ContractInput {
    ContractInput {
        team: "东坡村家庭医生团队".into(),
        doctor: "李医生".into(),
        packages: vec![1, 2],
        term_months: DEFAULT_TERM_MONTHS,
        fee: None,
        renewal_of: None,
    }
}

#[test]
fn contract_fields_are_checked() {
    assert!(fields_of(&record(RecordBody::Contract(basic()), None)).is_empty());
    type Case = (&'static str, fn(&mut ContractInput));
    let cases: &[Case] = &[
        ("team", |x| x.team.clear()),
        ("doctor", |x| x.doctor = " ".into()),
        ("packages", |x| x.packages.clear()),
        ("packages", |x| x.packages = vec![7]),
        ("term_months", |x| x.term_months = 0),
        ("term_months", |x| x.term_months = 37),
        ("fee", |x| x.fee = Some(-1.0)),
        ("fee", |x| x.fee = Some(f64::NAN)),
    ];
    for (field, change) in cases {
        let mut x = basic();
        change(&mut x);
        assert_eq!(fields_of(&record(RecordBody::Contract(x), None)), [*field], "{field}");
    }
    let delivery = DeliveryInput { contract_id: Uuid::now_v7(), item: Some(3), note: String::new() };
    assert!(fields_of(&record(RecordBody::Delivery(delivery.clone()), None)).is_empty());
    let bad = DeliveryInput { contract_id: Uuid::nil(), item: Some(11), ..delivery };
    assert_eq!(fields_of(&record(RecordBody::Delivery(bad), None)), ["contract_id", "item"]);
}

#[test]
fn a_term_ends_the_day_before_its_anniversary() {
    assert_eq!(basic().end_date(d(2026, 3, 1)), d(2027, 2, 28));
    assert_eq!(basic().end_date(d(2024, 2, 29)), d(2025, 2, 27));
    let six = ContractInput { term_months: 6, ..basic() };
    assert_eq!(six.end_date(d(2026, 1, 31)), d(2026, 7, 30));
}

#[test]
fn renewal_is_due_in_the_last_30_days() {
    let c = basic();
    let start = d(2026, 1, 1); // ends 2026-12-31
    assert_eq!(state(start, &c, d(2026, 12, 1)), ContractState::Active);
    assert_eq!(state(start, &c, d(2026, 12, 2)), ContractState::RenewalDue);
    assert_eq!(state(start, &c, d(2026, 12, 31)), ContractState::RenewalDue);
    assert_eq!(state(start, &c, d(2027, 1, 1)), ContractState::Expired);
}

#[test]
fn items_merge_across_packages_and_fulfilment_is_pro_rata() {
    // Basic + hypertension: health management 4/yr, medicine delivery 4/yr, long-term prescription 1/yr...
    assert_eq!(basic().items(), vec![(1, 0), (2, 1), (3, 4), (4, 2), (5, 0), (6, 0), (8, 4), (9, 1)]);
    let start = d(2026, 1, 1);
    // Half way through the year: 2 of 4 health-management visits are due; one was delivered.
    let f = fulfilment(start, &basic(), &[3, 4], d(2026, 7, 2));
    assert!(f.contains(&(3, 2, 1)), "{f:?}");
    assert!(f.contains(&(4, 1, 1)), "{f:?}");
    // On-request items are not counted.
    assert!(!f.iter().any(|(i, _, _)| *i == 1));
    // After the end everything in the term is due.
    let f = fulfilment(start, &basic(), &[], d(2027, 6, 1));
    assert!(f.contains(&(3, 4, 0)), "{f:?}");
}
