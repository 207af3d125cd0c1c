//! The tasks of mothers, newborns and children at their edges: what a delivery opens and what closes it,
//! the newborn's 7- and 3-day windows, the prenatal visit to urge next by gestational age, the child's
//! current check.

use super::*;
use crate::child::CheckPoint;
use crate::maternal::PrenatalVisit;
use crate::newborn::BirthInput;
use crate::record::samples;
use crate::record::RecordBody;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(birth: &str) -> Resident {
    Resident { birth_date: d(birth), ..crate::resident::tests::stored(Uuid::now_v7(), "测试", "v1") }
}

fn rec(r: &Resident, date: NaiveDate, body: RecordBody) -> RecordInput {
    samples::record("v1", Some(r.id), date, body)
}

fn run(r: &Resident, records: &[RecordInput], today: &str) -> Vec<Task> {
    let refs: Vec<&RecordInput> = records.iter().collect();
    tasks_of(&History { resident: r, visits: &[], records: &refs }, d(today))
}

fn windows(tasks: &[Task]) -> Vec<(TaskKind, NaiveDate, NaiveDate, Rule)> {
    tasks.iter().map(|t| (t.kind.clone(), t.due, t.window_end, t.rule)).collect()
}

#[test]
fn a_delivery_opens_the_postpartum_visit_and_the_42_day_check_until_each_is_recorded() {
    let mother = person("1996-05-01");
    let born = d("2026-11-10");
    let mut records = vec![rec(&mother, born, RecordBody::Childbirth(Box::new(samples::childbirth(born))))];
    // Discharged on the 12th: the visit is due 12–19 November; the check 42–56 days after the delivery.
    let expected = vec![
        (TaskKind::Postpartum, d("2026-11-12"), d("2026-11-19"), Rule::PostpartumVisit),
        (TaskKind::Postpartum42, d("2026-12-22"), d("2027-01-05"), Rule::Postpartum42),
    ];
    assert_eq!(windows(&run(&mother, &records, "2026-11-13")), expected);
    // Not made before day 42: only the check is asked for.
    assert_eq!(windows(&run(&mother, &records, "2026-12-22")), expected[1..]);
    records.push(rec(
        &mother,
        d("2026-11-14"),
        RecordBody::Postpartum(Box::new(samples::postpartum(born, d("2026-11-14")))),
    ));
    assert_eq!(windows(&run(&mother, &records, "2026-11-15")), expected[1..]);
    records.push(rec(
        &mother,
        d("2026-12-23"),
        RecordBody::Postpartum42(Box::new(samples::check_42(born, d("2026-12-23")))),
    ));
    assert!(run(&mother, &records, "2026-12-24").is_empty());
}

#[test]
fn a_newborn_is_visited_within_7_days_of_discharge_or_3_when_high_risk() {
    let baby = person("2026-11-10");
    let birth = samples::birth(Uuid::now_v7(), Uuid::now_v7(), baby.birth_date);
    let records = vec![rec(&baby, baby.birth_date, RecordBody::Birth(Box::new(birth.clone())))];
    let nb = |t: &[Task]| windows(t).into_iter().filter(|w| w.0 == TaskKind::NewbornVisit).collect::<Vec<_>>();
    assert_eq!(
        nb(&run(&baby, &records, "2026-11-12")),
        [(TaskKind::NewbornVisit, d("2026-11-12"), d("2026-11-19"), Rule::NewbornFirstVisit)]
    );
    let preterm = BirthInput { gestation_weeks: Some(36), ..birth.clone() };
    let hr = vec![rec(&baby, baby.birth_date, RecordBody::Birth(Box::new(preterm)))];
    assert_eq!(
        nb(&run(&baby, &hr, "2026-11-12")),
        [(TaskKind::NewbornVisit, d("2026-11-12"), d("2026-11-15"), Rule::NewbornHighRisk)]
    );
    // Overdue on day 20, gone after 28 days (the 满月 check takes over) and once the visit is recorded.
    assert_eq!(run(&baby, &records, "2026-11-30").iter().filter(|t| t.kind == TaskKind::NewbornVisit).count(), 1);
    assert!(nb(&run(&baby, &records, "2026-12-09")).is_empty());
    let mut visited = records.clone();
    visited.push(rec(
        &baby,
        d("2026-11-14"),
        RecordBody::NewbornVisit(Box::new(samples::newborn_visit(d("2026-11-14")))),
    ));
    assert!(nb(&run(&baby, &visited, "2026-11-15")).is_empty());
}

#[test]
fn the_prenatal_visit_to_urge_follows_the_gestational_age() {
    let woman = person("1996-05-01");
    let lmp = d("2026-01-01");
    let reg =
        rec(&woman, d("2026-03-05"), RecordBody::Pregnancy(Box::new(samples::registration(d("2026-03-05"), lmp))));
    let pn = |records: &[RecordInput], today: &str| -> Vec<(TaskKind, NaiveDate, NaiveDate, Rule)> {
        windows(&run(&woman, records, today))
    };
    let window = |v| crate::maternal::window(lmp, v);
    let task = |v: PrenatalVisit| {
        let (from, until) = window(v);
        (TaskKind::Prenatal { visit: v }, from, until, Rule::PrenatalWindow)
    };
    let records = vec![reg.clone()];
    // At registration (GA 9 weeks) the second visit is next, 16+0 … 20+6.
    assert_eq!(pn(&records, "2026-03-05"), [task(PrenatalVisit::Second)]);
    assert_eq!(window(PrenatalVisit::Second), (d("2026-04-23"), d("2026-05-27")));
    // Missed: the third visit's window opens the day after the second's closes, so the third is asked for.
    assert_eq!(pn(&records, "2026-05-28"), [task(PrenatalVisit::Third)]);
    // Recorded (here: urged) second visit → the third; a delivery ends the pregnancy's tasks.
    let mut urged = samples::urged(d("2026-05-01"), lmp);
    urged.visit = PrenatalVisit::Second;
    let mut records = records;
    records.push(rec(&woman, d("2026-05-01"), RecordBody::Prenatal(Box::new(urged))));
    assert_eq!(pn(&records, "2026-05-02"), [task(PrenatalVisit::Third)]);
    // A missed third visit stays overdue in the gap before the fourth's window (28+0).
    assert_eq!(window(PrenatalVisit::Third).1, d("2026-06-24"));
    assert_eq!(pn(&records, "2026-07-01"), [task(PrenatalVisit::Third)]);
    assert_eq!(pn(&records, "2026-07-16"), [task(PrenatalVisit::Fourth)]);
    let born = d("2026-10-01");
    records.push(rec(&woman, born, RecordBody::Childbirth(Box::new(samples::childbirth(born)))));
    assert!(!pn(&records, "2026-10-02").iter().any(|t| matches!(t.0, TaskKind::Prenatal { .. })));
}

#[test]
fn an_enrolled_child_has_the_current_check_and_an_unenrolled_one_none() {
    let child = person("2026-05-10");
    let check = |p: CheckPoint, from: &str, until: &str| {
        (TaskKind::ChildCheck { point: p }, d(from), d(until), Rule::ChildCheckWindow)
    };
    let checks = |t: Vec<Task>| {
        windows(&t).into_iter().filter(|w| matches!(w.0, TaskKind::ChildCheck { .. })).collect::<Vec<_>>()
    };
    assert!(checks(run(&child, &[], "2026-11-12")).is_empty(), "no record in Cunyi: not followed here");
    let birth = samples::birth(Uuid::now_v7(), Uuid::now_v7(), child.birth_date);
    let mut records = vec![rec(&child, child.birth_date, RecordBody::Birth(Box::new(birth)))];
    assert_eq!(checks(run(&child, &records, "2026-11-12")), [check(CheckPoint::M6, "2026-11-10", "2026-12-09")]);
    records.push(rec(&child, d("2026-11-12"), RecordBody::ChildCheck(Box::new(samples::child_check(d("2026-11-12"))))));
    // Done: the 8-month check shows from four weeks ahead of its window.
    assert!(checks(run(&child, &records, "2026-11-13")).is_empty());
    assert_eq!(checks(run(&child, &records, "2026-12-15")), [check(CheckPoint::M8, "2027-01-10", "2027-02-08")]);
}

#[test]
fn a_referral_on_a_newborn_visit_is_followed_up_within_2_weeks_until_the_next_form() {
    let baby = person("2026-11-10");
    let mut visit = samples::newborn_visit(d("2026-11-12"));
    visit.referral = true;
    visit.referral_reason = "发热".into();
    visit.referral_institution = "县妇幼保健院".into();
    let mut records = vec![rec(&baby, d("2026-11-12"), RecordBody::NewbornVisit(Box::new(visit)))];
    let referral = |t: Vec<Task>| windows(&t).into_iter().filter(|w| w.0 == TaskKind::Referral).collect::<Vec<_>>();
    assert_eq!(
        referral(run(&baby, &records, "2026-11-13")),
        [(TaskKind::Referral, d("2026-11-12"), d("2026-11-26"), Rule::AfterReferral)]
    );
    // Two months on it is no longer the doctor's task; a later check closes it at once.
    assert!(referral(run(&baby, &records, "2027-01-12")).is_empty());
    records.push(rec(&baby, d("2026-12-09"), RecordBody::ChildCheck(Box::new(samples::child_check(d("2026-12-09"))))));
    assert!(referral(run(&baby, &records, "2026-12-10")).is_empty());
}

#[test]
fn a_resident_of_65_has_one_tcm_identification_per_calendar_year() {
    let tcm = |t: Vec<Task>| windows(&t).into_iter().filter(|w| w.0 == TaskKind::TcmElderly).collect::<Vec<_>>();
    let yearly = |from: &str, until: &str| (TaskKind::TcmElderly, d(from), d(until), Rule::TcmYearly);
    let old = person("1950-03-15");
    assert_eq!(tcm(run(&old, &[], "2026-11-23")), [yearly("2026-01-01", "2026-12-31")]);
    // Done in the year: nothing until 1 January, then the next year's.
    let records =
        vec![rec(&old, d("2026-11-20"), RecordBody::TcmElderly(Box::new(samples::tcm_elderly(d("2026-11-20")))))];
    assert!(tcm(run(&old, &records, "2026-12-31")).is_empty());
    assert_eq!(tcm(run(&old, &records, "2027-01-01")), [yearly("2027-01-01", "2027-12-31")]);
    // Turning 65 this year: due from the birthday (the form needs the age); 64 all year: none.
    assert_eq!(tcm(run(&person("1961-08-09"), &[], "2026-03-01")), [yearly("2026-08-09", "2026-12-31")]);
    assert!(tcm(run(&person("1962-01-01"), &[], "2026-12-31")).is_empty());
    // Born on 29 February: 65 on 1 March of a common year.
    assert_eq!(tcm(run(&person("1960-02-29"), &[], "2025-01-05")), [yearly("2025-03-01", "2025-12-31")]);
}

#[test]
fn an_enrolled_child_has_the_tcm_service_of_its_age_window() {
    let child = person("2026-05-10");
    let tcm =
        |t: Vec<Task>| windows(&t).into_iter().filter(|w| matches!(w.0, TaskKind::TcmChild { .. })).collect::<Vec<_>>();
    let service =
        |months, from: &str, until: &str| (TaskKind::TcmChild { months }, d(from), d(until), Rule::TcmChildWindow);
    assert!(tcm(run(&child, &[], "2026-11-12")).is_empty(), "no record in Cunyi: not followed here");
    let birth = samples::birth(Uuid::now_v7(), Uuid::now_v7(), child.birth_date);
    let mut records = vec![rec(&child, child.birth_date, RecordBody::Birth(Box::new(birth)))];
    // Four weeks ahead of 满6月 it shows; 满6月 + 29 days is its last day.
    assert!(tcm(run(&child, &records, "2026-10-12")).is_empty());
    assert_eq!(tcm(run(&child, &records, "2026-10-13")), [service(6, "2026-11-10", "2026-12-09")]);
    // Missed: overdue until the 12-month window opens, then that one.
    assert_eq!(tcm(run(&child, &records, "2027-05-09")), [service(6, "2026-11-10", "2026-12-09")]);
    assert_eq!(tcm(run(&child, &records, "2027-05-10")), [service(12, "2027-05-10", "2027-06-08")]);
    // Recorded: gone, and the next age shows four weeks ahead.
    let mut given = samples::tcm_child(d("2027-05-20"));
    given.age_months = 12;
    records.push(rec(&child, d("2027-05-20"), RecordBody::TcmChild(Box::new(given))));
    assert!(tcm(run(&child, &records, "2027-05-21")).is_empty());
    assert_eq!(tcm(run(&child, &records, "2027-10-13")), [service(18, "2027-11-10", "2027-12-09")]);
    // The 36-month service is asked for six months at most; none after.
    assert_eq!(tcm(run(&child, &records, "2029-11-09")), [service(36, "2029-05-10", "2029-06-08")]);
    assert!(tcm(run(&child, &records, "2029-11-10")).is_empty());
}

#[test]
fn a_home_birth_counts_the_postpartum_and_newborn_visits_from_the_birth() {
    let mother = person("1996-05-01");
    let born = d("2025-06-01");
    let home = crate::maternal::ChildbirthInput {
        discharge_date: None,
        place: Some(crate::maternal::DeliveryPlace::Home),
        place_name: String::new(),
        ..samples::childbirth(born)
    };
    let records = vec![rec(&mother, born, RecordBody::Childbirth(Box::new(home)))];
    assert_eq!(
        windows(&run(&mother, &records, "2025-06-02")),
        [
            (TaskKind::Postpartum, d("2025-06-01"), d("2025-06-08"), Rule::PostpartumVisit),
            (TaskKind::Postpartum42, d("2025-07-13"), d("2025-07-27"), Rule::Postpartum42),
        ]
    );
    let baby = person("2025-06-01");
    let birth = BirthInput { discharge_date: None, ..samples::birth(mother.id, records[0].id, born) };
    let records = vec![rec(&baby, born, RecordBody::Birth(Box::new(birth)))];
    assert!(windows(&run(&baby, &records, "2025-06-02")).contains(&(
        TaskKind::NewbornVisit,
        d("2025-06-01"),
        d("2025-06-08"),
        Rule::NewbornFirstVisit
    )));
}
