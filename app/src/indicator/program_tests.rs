//! The later services' indicators on a hand-counted village for November 2026: two deliveries (one mother
//! registered early and visited in time, one neither), their babies (one visited), a child checked, a 70-year-old
//! given TCM, and three disease reports (one on time, one late, one still on a phone).

use super::program::count_report;
use super::*;
use crate::record::samples;
use crate::record::{RecordBody, RecordInput};
use crate::resident::Resident;
use crate::task::History;
use chrono::{Duration, NaiveDateTime};
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(birth: &str) -> Resident {
    Resident { birth_date: d(birth), ..crate::resident::tests::stored(Uuid::now_v7(), "测试", "v1") }
}

fn rec(r: &Resident, date: NaiveDate, body: RecordBody) -> RecordInput {
    samples::record("v1", Some(r.id), date, body)
}

fn count(r: &Resident, records: &[RecordInput], p: &Period, out: &mut Counts) {
    let refs: Vec<&RecordInput> = records.iter().collect();
    count_resident(&History { resident: r, visits: &[], records: &refs }, p, false, out);
}

#[test]
fn maternal_newborn_child_and_tcm_counts_match_the_hand_count() {
    let p = Period::parse("2026-11").unwrap();
    let mut c = Counts::default();
    // Mother A: registered at 10 weeks (early), delivered 5 Nov, discharged 7 Nov, visited 10 Nov (in 7–14).
    let a = person("1996-01-01");
    let lmp = d("2026-02-01");
    let born = d("2026-11-05");
    let mut delivery = samples::childbirth(born);
    delivery.discharge_date = Some(d("2026-11-07"));
    count(
        &a,
        &[
            rec(&a, d("2026-04-12"), RecordBody::Pregnancy(Box::new(samples::registration(d("2026-04-12"), lmp)))),
            rec(&a, born, RecordBody::Childbirth(Box::new(delivery))),
            rec(&a, d("2026-11-10"), RecordBody::Postpartum(Box::new(samples::postpartum(born, d("2026-11-10"))))),
        ],
        &p,
        &mut c,
    );
    // Mother B: registered at 20 weeks (late), twins born 20 Nov (both live), not visited.
    let b = person("1990-01-01");
    let born_b = d("2026-11-20");
    let mut twins = samples::childbirth(born_b);
    twins.babies.push(twins.babies[0]);
    count(
        &b,
        &[
            rec(
                &b,
                d("2026-08-01"),
                RecordBody::Pregnancy(Box::new(samples::registration(d("2026-08-01"), d("2026-03-14")))),
            ),
            rec(&b, born_b, RecordBody::Childbirth(Box::new(twins))),
        ],
        &p,
        &mut c,
    );
    // Baby of A (visited) and one of B's twins (not visited); a child of 2 checked in November, another not.
    let baby_a = person("2026-11-05");
    let birth = |r: &Resident| {
        rec(r, r.birth_date, RecordBody::Birth(Box::new(samples::birth(a.id, Uuid::now_v7(), r.birth_date))))
    };
    count(
        &baby_a,
        &[
            birth(&baby_a),
            rec(&baby_a, d("2026-11-12"), RecordBody::NewbornVisit(Box::new(samples::newborn_visit(d("2026-11-12"))))),
        ],
        &p,
        &mut c,
    );
    let baby_b = person("2026-11-20");
    count(&baby_b, &[birth(&baby_b)], &p, &mut c);
    let toddler = person("2024-11-01");
    let mut check = samples::child_check(d("2026-11-02"));
    check.point = crate::child::CheckPoint::M24;
    count(&toddler, &[rec(&toddler, d("2026-11-02"), RecordBody::ChildCheck(Box::new(check)))], &p, &mut c);
    // A child of 6 months on 15 November (the TCM 6-month window opens in the period), not served.
    let infant = person("2026-05-15");
    count(&infant, &[], &p, &mut c);
    // 70-year-old with TCM in November; another without.
    let elder = person("1956-03-01");
    count(
        &elder,
        &[rec(&elder, d("2026-11-03"), RecordBody::TcmElderly(Box::new(samples::tcm_elderly(d("2026-11-03")))))],
        &p,
        &mut c,
    );
    count(&person("1950-06-01"), &[], &p, &mut c);

    let got: Vec<(&str, u64)> = [
        "live_births",
        "early_registered",
        "postpartum_visited",
        "births",
        "newborn_visited",
        "children",
        "children_managed",
        "tcm_child_due",
        "tcm_child_served",
        "elderly",
        "tcm_elderly",
    ]
    .into_iter()
    .map(|k| (k, c.get(k)))
    .collect();
    assert_eq!(
        got,
        [
            ("live_births", 3),        // A 1 + B's twins 2
            ("early_registered", 1),   // A only (B at 20 weeks)
            ("postpartum_visited", 1), // A on day 3 after discharge
            ("births", 2),             // the two babies with birth records
            ("newborn_visited", 1),
            ("children", 4),         // two babies, the toddler, the infant
            ("children_managed", 2), // baby A's newborn visit, the toddler's check
            ("tcm_child_due", 2),    // the infant's 6-month point, the toddler's 24-month one
            ("tcm_child_served", 0),
            ("elderly", 2),
            ("tcm_elderly", 1),
        ]
    );
    let rows = rows(&c, None, &Default::default());
    let rate = |code: &str| rows.iter().find(|r| r.code == code).map(|r| (r.num, r.den)).unwrap();
    assert_eq!(rate("newborn_visit"), (1, Some(2)));
    assert_eq!(rate("early_registration"), (1, Some(3)));
    assert_eq!(rate("postpartum_visit"), (1, Some(3)));
    assert_eq!(rate("tcm_elderly"), (1, Some(2)));
}

#[test]
fn disease_reports_count_as_received_and_on_time_by_the_server_receipt() {
    let p = Period::parse("2026-11").unwrap();
    let day = d("2026-11-10");
    let at = |h: i64| -> NaiveDateTime { day.and_hms_opt(9, 0, 0).unwrap() + Duration::hours(h) };
    let report = |code: &str| {
        samples::record("v1", None, day, RecordBody::DiseaseReport(Box::new(samples::disease_report(day, code))))
    };
    let mut c = Counts::default();
    // Diagnosed at 09:00: dysentery (24 h) received after 3 hours, on time; cholera (2 h) after 3 hours, late;
    // one still on the phone; and one of October, outside the period.
    count_report(&report("dysentery_bacillary"), Some(at(3)), &p, &mut c);
    count_report(&report("cholera"), Some(at(3)), &p, &mut c);
    count_report(&report("dysentery_bacillary"), None, &p, &mut c);
    let mut october = report("dysentery_bacillary");
    if let RecordBody::DiseaseReport(r) = &mut october.body {
        r.diagnosed_at = d("2026-10-31").and_hms_opt(9, 0, 0).unwrap();
    }
    count_report(&october, Some(at(3)), &p, &mut c);
    assert_eq!((c.get("idr_cases"), c.get("idr_received"), c.get("idr_on_time")), (3, 2, 1));
    let clue = samples::record("v1", None, day, RecordBody::SupervisionReport(Box::new(samples::supervision(day))));
    count_report(&clue, Some(at(1)), &p, &mut c);
    assert_eq!((c.get("sup_clues"), c.get("sup_reported"), c.get("sup_on_time")), (1, 1, 1));
    // Events: learnt of at 20:00; received 21:59 on time, 22:01 late; a progress card and one still on the
    // phone do not count.
    let event = |stage: u8| {
        let mut e = samples::event_report(day);
        e.stage = stage;
        samples::record("v1", None, day, RecordBody::EventReport(Box::new(e)))
    };
    let evening = |h: u32, m: u32| day.and_hms_opt(h, m, 0).unwrap();
    count_report(&event(1), Some(evening(21, 59)), &p, &mut c);
    count_report(&event(1), Some(evening(22, 1)), &p, &mut c);
    count_report(&event(2), Some(evening(21, 0)), &p, &mut c);
    count_report(&event(1), None, &p, &mut c);
    assert_eq!((c.get("events"), c.get("events_on_time")), (2, 1));
}
