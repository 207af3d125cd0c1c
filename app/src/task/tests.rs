//! The task rules at their boundaries, and a property: a doctor who does every task on its due date never
//! has an overdue one.

use super::*;
use crate::contract::{ContractInput, DeliveryInput};
use crate::elderly::ElderlyCheckInput;
use crate::record::RecordBody;
use crate::resident::{FlagMembership, KeyFlag};
use crate::smi::SmiVisitInput;
use crate::tb::TbVisitInput;
use crate::vaccination::{ContactInput, DoseInput, OUTCOME_MOVED, OUTCOME_WILL_ATTEND};
use crate::visit::chronic::{CLASS_CONTROLLED, CLASS_UNCONTROLLED, NEXT_REFER, NEXT_ROUTINE, NEXT_TWO_WEEKS};
use crate::visit::VisitKind;
use chrono::Duration;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A resident born on `birth` with `flags` since `since`.
fn resident(birth: &str, flags: &[KeyFlag], since: &str) -> Resident {
    Resident {
        birth_date: d(birth),
        flags: flags.iter().map(|f| FlagMembership { flag: *f, since: d(since) }).collect(),
        ..crate::resident::tests::stored(Uuid::now_v7(), "测试", "v1")
    }
}

/// A follow-up: face-to-face (home) unless `mode` says otherwise.
fn visit(kind: VisitKind, date: NaiveDate, class: u8, next_mgmt: u8, next: Option<NaiveDate>) -> VisitSummary {
    VisitSummary {
        id: Uuid::now_v7(),
        visit_id: Uuid::now_v7(),
        revision: 1,
        kind,
        visit_date: date,
        outcome: 1,
        mode: Some(2),
        sbp: None,
        dbp: None,
        fbg: None,
        classification: Some(class),
        next_mgmt: Some(next_mgmt),
        next_visit_date: next,
        urgent: false,
        signed: false,
        author_name: String::new(),
        recorded_at: String::new(),
        review: None,
    }
}

fn htn(date: &str, class: u8, next_mgmt: u8) -> VisitSummary {
    visit(VisitKind::Hypertension, d(date), class, next_mgmt, None)
}

fn rec(r: &Resident, date: NaiveDate, body: RecordBody) -> RecordInput {
    RecordInput {
        id: Uuid::now_v7(),
        record_id: Uuid::now_v7(),
        village_id: "v1".into(),
        resident_id: Some(r.id),
        date,
        body,
        signature: None,
    }
}

/// A complete 65+ check of `date` (shared with the indicator tests).
pub(crate) fn elderly_check(next_date: Option<NaiveDate>, date: NaiveDate) -> RecordBody {
    RecordBody::ElderlyCheck(Box::new(ElderlyCheckInput {
        check_date: date,
        temperature: None,
        pulse: None,
        respiration: None,
        sbp: None,
        dbp: None,
        height_cm: None,
        weight: None,
        waist_cm: None,
        self_care: None,
        self_rated: None,
        cognition: None,
        mood: None,
        guidance: String::new(),
        next_date,
    }))
}

fn run(r: &Resident, visits: &[VisitSummary], records: &[RecordInput], today: &str) -> Vec<Task> {
    let refs: Vec<&RecordInput> = records.iter().collect();
    tasks_of(&History { resident: r, visits, records: &refs }, d(today))
}

fn only(tasks: &[Task], kind: &TaskKind) -> Task {
    let found: Vec<&Task> = tasks.iter().filter(|t| t.kind == *kind).collect();
    assert_eq!(found.len(), 1, "{kind:?} in {tasks:?}");
    found[0].clone()
}

#[test]
fn an_uncontrolled_visit_asks_for_a_revisit_within_two_weeks() {
    let p = resident("1960-05-01", &[KeyFlag::Htn], "2020-01-01");
    let v = [htn("2026-03-02", CLASS_UNCONTROLLED, NEXT_TWO_WEEKS)];
    let at = |day: &str| only(&run(&p, &v, &[], day), &TaskKind::Htn);
    let t = at("2026-03-15"); // day 13
    assert_eq!((t.due, t.window_end, t.rule), (d("2026-03-16"), d("2026-03-16"), Rule::TwoWeeks));
    assert_eq!(t.standing(d("2026-03-15")), Standing::Soon);
    assert_eq!(t.overdue_days(d("2026-03-15")), 0);
    assert_eq!(t.standing(d("2026-03-16")), Standing::Due); // day 14
    assert_eq!(t.standing(d("2026-03-17")), Standing::Overdue); // day 15
    assert_eq!(t.overdue_days(d("2026-03-17")), 1);
    // A referral asks the same, under its own rule.
    let r = [htn("2026-03-02", CLASS_UNCONTROLLED, NEXT_REFER)];
    assert_eq!(only(&run(&p, &r, &[], "2026-03-10"), &TaskKind::Htn).rule, Rule::AfterReferral);
}

#[test]
fn a_controlled_visit_asks_for_one_in_the_next_quarter() {
    let p = resident("1960-05-01", &[KeyFlag::Htn], "2020-01-01");
    for (seen, due, end) in [
        ("2026-02-15", "2026-05-15", "2026-06-30"),
        // Quarter edges: seen on the last day of Q1, the Q2 visit is due by 30 June at the latest.
        ("2026-03-31", "2026-06-30", "2026-06-30"),
        ("2026-04-01", "2026-07-01", "2026-09-30"),
        ("2026-12-31", "2027-03-31", "2027-03-31"),
    ] {
        let t = only(&run(&p, &[htn(seen, CLASS_CONTROLLED, NEXT_ROUTINE)], &[], seen), &TaskKind::Htn);
        assert_eq!((t.due, t.window_end, t.rule), (d(due), d(end), Rule::Quarterly), "seen {seen}");
    }
    // The date the doctor set wins when it falls in that quarter.
    let set = visit(VisitKind::Hypertension, d("2026-02-15"), CLASS_CONTROLLED, NEXT_ROUTINE, Some(d("2026-04-20")));
    let t = only(&run(&p, &[set], &[], "2026-02-15"), &TaskKind::Htn);
    assert_eq!((t.due, t.rule), (d("2026-04-20"), Rule::DoctorSet));
}

#[test]
fn a_year_with_three_face_to_face_visits_ends_overdue() {
    let p = resident("1960-05-01", &[KeyFlag::T2dm], "2020-01-01");
    let dm = |date: &str| visit(VisitKind::Diabetes, d(date), CLASS_CONTROLLED, NEXT_ROUTINE, None);
    let three = [dm("2026-02-10"), dm("2026-05-10"), dm("2026-08-10")];
    let t = only(&run(&p, &three, &[], "2026-12-31"), &TaskKind::Dm);
    assert_eq!(t.standing(d("2026-12-31")), Standing::Due);
    assert_eq!(t.standing(d("2027-01-01")), Standing::Overdue);
    let four = [three.to_vec(), vec![dm("2026-11-20")]].concat();
    let t = only(&run(&p, &four, &[], "2027-01-01"), &TaskKind::Dm);
    assert_eq!(t.standing(d("2027-01-01")), Standing::Later);
    assert_eq!(t.window_end, d("2027-03-31"));
    // A phone call is not a face-to-face follow-up.
    let mut phone = dm("2026-11-20");
    phone.mode = Some(3);
    let t = only(&run(&p, &[three.to_vec(), vec![phone]].concat(), &[], "2027-01-01"), &TaskKind::Dm);
    assert_eq!(t.overdue_days(d("2027-01-01")), 1);
}

#[test]
fn a_new_patient_is_due_from_enrolment_and_a_death_or_a_move_ends_the_tasks() {
    let p = resident("1960-05-01", &[KeyFlag::Htn], "2026-02-05");
    let t = only(&run(&p, &[], &[], "2026-02-05"), &TaskKind::Htn);
    assert_eq!((t.due, t.window_end, t.rule), (d("2026-02-05"), d("2026-03-31"), Rule::FirstFollowUp));
    let mut died = htn("2026-02-20", CLASS_CONTROLLED, NEXT_ROUTINE);
    died.outcome = 3;
    assert!(run(&p, &[died], &[], "2026-06-01").is_empty());
    let moved = Resident { status: 3, ..p.clone() };
    assert!(run(&moved, &[], &[], "2026-06-01").is_empty());
}

#[test]
fn smi_patients_are_seen_within_two_weeks_unless_stable() {
    let p = resident("1980-05-01", &[KeyFlag::Smi], "2020-01-01");
    let smi = |class: u8| {
        rec(
            &p,
            d("2026-03-02"),
            RecordBody::SmiVisit(Box::new(SmiVisitInput {
                outcome: 1,
                mode: Some(2),
                class: Some(class),
                ..Default::default()
            })),
        )
    };
    let t = only(&run(&p, &[], &[smi(crate::smi::UNSTABLE)], "2026-03-02"), &TaskKind::Smi);
    assert_eq!((t.window_end, t.rule), (d("2026-03-16"), Rule::SmiTwoWeeks));
    let t = only(&run(&p, &[], &[smi(crate::smi::BASICALLY_STABLE)], "2026-03-02"), &TaskKind::Smi);
    assert_eq!(t.rule, Rule::SmiTwoWeeks);
    let t = only(&run(&p, &[], &[smi(crate::smi::STABLE)], "2026-03-02"), &TaskKind::Smi);
    assert_eq!((t.due, t.window_end, t.rule), (d("2026-06-02"), d("2026-06-30"), Rule::Quarterly));
}

#[test]
fn tb_first_visit_within_72_hours_then_the_supervision_cadence_until_closing() {
    let p = resident("1980-05-01", &[KeyFlag::Tb], "2026-03-02");
    let t = only(&run(&p, &[], &[], "2026-03-02"), &TaskKind::Tb);
    assert_eq!((t.due, t.window_end, t.rule), (d("2026-03-02"), d("2026-03-05"), Rule::TbFirstVisit));
    assert_eq!(t.standing(d("2026-03-06")), Standing::Overdue);
    let tb = |supervisor: u8, phase: u8, kind: u8| {
        rec(
            &p,
            d("2026-03-03"),
            RecordBody::TbVisit(Box::new(TbVisitInput {
                visit_type: Some(kind),
                supervisor: Some(supervisor),
                phase: Some(phase),
                ..Default::default()
            })),
        )
    };
    let family = only(&run(&p, &[], &[tb(crate::tb::FAMILY, 1, 2)], "2026-03-03"), &TaskKind::Tb);
    assert_eq!((family.due, family.rule), (d("2026-03-13"), Rule::TbSupervision));
    let staff = only(&run(&p, &[], &[tb(crate::tb::STAFF, 1, 2)], "2026-03-03"), &TaskKind::Tb);
    assert_eq!(staff.due, d("2026-04-03"));
    assert!(run(&p, &[], &[tb(crate::tb::STAFF, 2, crate::tb::CLOSING)], "2026-03-03").is_empty());
}

#[test]
fn the_elderly_check_is_yearly_from_the_year_of_65() {
    let p = resident("1961-08-01", &[], "2020-01-01");
    assert!(run(&p, &[], &[], "2025-12-31").is_empty(), "64 all year 2025");
    let t = only(&run(&p, &[], &[], "2026-03-01"), &TaskKind::Elderly);
    assert_eq!((t.due, t.window_end), (d("2026-01-01"), d("2026-12-31")));
    // Checked last May: due a year on. Checked this year: next year's, a year on.
    let last_year = [rec(&p, d("2025-05-10"), elderly_check(None, d("2025-05-10")))];
    assert_eq!(only(&run(&p, &[], &last_year, "2026-03-01"), &TaskKind::Elderly).due, d("2026-05-10"));
    let this_year = [rec(&p, d("2026-02-01"), elderly_check(None, d("2026-02-01")))];
    let t = only(&run(&p, &[], &this_year, "2026-03-01"), &TaskKind::Elderly);
    assert_eq!((t.due, t.window_end, t.standing(d("2026-03-01"))), (d("2027-02-01"), d("2027-12-31"), Standing::Later));
}

#[test]
fn a_child_gets_the_first_missing_dose_of_each_series_and_a_contact_moves_or_ends_them() {
    let c = resident("2026-01-10", &[], "2026-01-10");
    let hepb1 = rec(
        &c,
        d("2026-01-10"),
        RecordBody::Dose(DoseInput { vaccine: "HepB".into(), dose_no: 1, ..Default::default() }),
    );
    let tasks = run(&c, &[], std::slice::from_ref(&hepb1), "2026-03-11");
    let kinds: Vec<String> = tasks.iter().map(|t| t.kind.label(false)).collect();
    assert!(kinds.contains(&"Hepatitis B dose 2".to_string()), "{kinds:?}");
    assert!(!kinds.contains(&"Hepatitis B dose 3".to_string()), "one dose per series: {kinds:?}");
    let hepb2 = only(&tasks, &TaskKind::Vaccine { vaccine: "HepB".into(), dose: 2 });
    assert_eq!((hepb2.due, hepb2.rule), (d("2026-02-10"), Rule::CatchUp));
    // On the last day of the grace month it is still due, under the schedule's rule.
    let last_day = only(&run(&c, &[], std::slice::from_ref(&hepb1), "2026-03-10"), &hepb2.kind);
    assert_eq!(last_day.rule, Rule::Schedule);
    // The family agreed to come on 20 March: the late dose waits for that day instead of showing overdue.
    let agreed = rec(
        &c,
        d("2026-03-10"),
        RecordBody::Contact(ContactInput {
            person: Some(1),
            method: Some(1),
            outcome: Some(OUTCOME_WILL_ATTEND),
            vaccines: vec!["HepB".into()],
            attend_date: Some(d("2026-03-20")),
            ..Default::default()
        }),
    );
    let t = only(
        &run(&c, &[], &[hepb1.clone(), agreed], "2026-03-10"),
        &TaskKind::Vaccine { vaccine: "HepB".into(), dose: 2 },
    );
    assert_eq!((t.due, t.standing(d("2026-03-10"))), (d("2026-03-20"), Standing::Later));
    let moved = rec(
        &c,
        d("2026-03-10"),
        RecordBody::Contact(ContactInput { outcome: Some(OUTCOME_MOVED), ..Default::default() }),
    );
    assert!(run(&c, &[], &[hepb1, moved], "2026-03-10").iter().all(|t| !matches!(t.kind, TaskKind::Vaccine { .. })));
    // A two-year-old with nothing on record: one task, enter the card (due until 7), not a list of doses.
    let toddler = resident("2024-01-10", &[], "2024-01-10");
    let t = only(&run(&toddler, &[], &[], "2026-03-10"), &TaskKind::VaccinationCard);
    assert_eq!((t.due, t.window_end, t.rule), (d("2024-04-10"), d("2031-01-09"), Rule::CardMissing));
    assert_eq!(run(&toddler, &[], &[], "2026-03-10").len(), 1);
    // A newborn with nothing yet gets the birth doses.
    let newborn = run(&resident("2026-03-09", &[], "2026-03-09"), &[], &[], "2026-03-10");
    assert!(newborn.iter().any(|t| t.kind == TaskKind::Vaccine { vaccine: "BCG".into(), dose: 1 }), "{newborn:?}");
    // An adult without a card has no vaccine tasks.
    assert!(run(&resident("1990-01-01", &[], "2020-01-01"), &[], &[], "2026-03-10").is_empty());
}

fn contract(r: &Resident, date: &str, renewal_of: Option<Uuid>) -> RecordInput {
    let c = ContractInput {
        team: "张庄村团队".into(),
        doctor: "王医生".into(),
        packages: vec![1],
        term_months: 12,
        fee: None,
        renewal_of,
    };
    rec(r, d(date), RecordBody::Contract(c))
}

#[test]
fn a_contract_asks_for_renewal_30_days_before_its_end_and_for_services_behind_pace() {
    let p = resident("1980-05-01", &[], "2020-01-01");
    let old = contract(&p, "2025-04-01", None);
    let t = only(&run(&p, &[], std::slice::from_ref(&old), "2026-03-10"), &TaskKind::ContractRenewal);
    assert_eq!((t.due, t.window_end, t.rule), (d("2026-03-02"), d("2026-03-31"), Rule::ContractEnding));
    // Before that it is a task for later.
    let early = only(&run(&p, &[], std::slice::from_ref(&old), "2026-03-01"), &TaskKind::ContractRenewal);
    assert_eq!(early.standing(d("2026-03-01")), Standing::Soon);
    // Renewed: the next renewal is the new contract's, a year on.
    let renewed = contract(&p, "2026-03-10", Some(old.record_id));
    let next = only(&run(&p, &[], &[old.clone(), renewed.clone()], "2026-03-10"), &TaskKind::ContractRenewal);
    assert_eq!((next.source, next.due), (Some(renewed.id), d("2027-02-08")));

    // Basic package: the check-up twice a year (item 4). Half a term in, the first is due since day 183.
    let new = contract(&p, "2026-01-01", None);
    let t = only(&run(&p, &[], std::slice::from_ref(&new), "2026-07-15"), &TaskKind::ContractService { item: 4 });
    assert_eq!((t.due, t.window_end), (d("2026-07-02"), d("2026-12-31")));
    let delivered = rec(
        &p,
        d("2026-07-10"),
        RecordBody::Delivery(DeliveryInput { contract_id: new.record_id, item: Some(4), note: String::new() }),
    );
    let after = run(&p, &[], &[new, delivered], "2026-07-15");
    assert!(after.iter().all(|t| t.kind != TaskKind::ContractService { item: 4 }), "{after:?}");
}

#[test]
fn a_referral_is_followed_up_within_two_weeks_until_its_result_is_known() {
    let p = resident("1980-05-01", &[], "2020-01-01");
    let referral = |result: Option<u8>| {
        rec(
            &p,
            d("2026-03-02"),
            RecordBody::Referral(Box::new(crate::referral::ReferralInput {
                reason: "胸痛".into(),
                institution: "县医院".into(),
                result,
                ..Default::default()
            })),
        )
    };
    let t = only(&run(&p, &[], &[referral(None)], "2026-03-02"), &TaskKind::Referral);
    assert_eq!(t.window_end, d("2026-03-16"));
    assert!(run(&p, &[], &[referral(Some(2))], "2026-03-02").is_empty());
}

#[test]
fn the_today_order_is_most_overdue_first_then_by_due_date() {
    let p = resident("1950-05-01", &[KeyFlag::Htn, KeyFlag::T2dm], "2020-01-01");
    let v = [
        htn("2025-06-01", CLASS_CONTROLLED, NEXT_ROUTINE),
        visit(VisitKind::Diabetes, d("2026-01-05"), CLASS_CONTROLLED, NEXT_ROUTINE, None),
    ];
    let tasks = run(&p, &v, &[], "2026-03-10");
    let kinds: Vec<&TaskKind> = tasks.iter().map(|t| &t.kind).collect();
    // HTN overdue since 30 Sept, the elderly check and the TCM identification due since 1 January, diabetes
    // due in April.
    assert_eq!(kinds, vec![&TaskKind::Htn, &TaskKind::Elderly, &TaskKind::TcmElderly, &TaskKind::Dm]);
}

/// Records what fulfils `t` on `day`, as a doctor would: a controlled or uncontrolled follow-up, the check,
/// the dose, the renewal, the delivery.
fn complete(
    p: &Resident,
    t: &Task,
    day: NaiveDate,
    uncontrolled: bool,
    visits: &mut Vec<VisitSummary>,
    records: &mut Vec<RecordInput>,
) {
    let (class, step) =
        if uncontrolled { (CLASS_UNCONTROLLED, NEXT_TWO_WEEKS) } else { (CLASS_CONTROLLED, NEXT_ROUTINE) };
    match &t.kind {
        TaskKind::Htn => visits.push(visit(VisitKind::Hypertension, day, class, step, None)),
        TaskKind::Dm => visits.push(visit(VisitKind::Diabetes, day, class, step, None)),
        TaskKind::Smi => records.push(rec(
            p,
            day,
            RecordBody::SmiVisit(Box::new(SmiVisitInput {
                outcome: 1,
                mode: Some(1),
                class: Some(if uncontrolled { crate::smi::BASICALLY_STABLE } else { crate::smi::STABLE }),
                ..Default::default()
            })),
        )),
        TaskKind::Tb => records.push(rec(
            p,
            day,
            RecordBody::TbVisit(Box::new(TbVisitInput {
                visit_type: Some(2),
                supervisor: Some(crate::tb::FAMILY),
                phase: Some(if uncontrolled { 1 } else { 2 }),
                ..Default::default()
            })),
        )),
        TaskKind::Elderly => records.push(rec(p, day, elderly_check(None, day))),
        TaskKind::TcmElderly => {
            records.push(rec(p, day, RecordBody::TcmElderly(Box::new(crate::record::samples::tcm_elderly(day)))))
        }
        TaskKind::Vaccine { vaccine, dose } => records.push(rec(
            p,
            day,
            RecordBody::Dose(DoseInput { vaccine: vaccine.clone(), dose_no: *dose, ..Default::default() }),
        )),
        TaskKind::ContractRenewal => {
            let old = records.iter().rev().find(|r| matches!(r.body, RecordBody::Contract(_))).map(|r| r.record_id);
            let date = day.to_string();
            records.push(contract(p, &date, old));
        }
        TaskKind::ContractService { item } => {
            let id = records.iter().rev().find(|r| matches!(r.body, RecordBody::Contract(_))).map(|r| r.record_id);
            records.push(rec(
                p,
                day,
                RecordBody::Delivery(DeliveryInput {
                    contract_id: id.unwrap_or_default(),
                    item: Some(*item),
                    note: String::new(),
                }),
            ));
        }
        TaskKind::Referral
        | TaskKind::HomeVisit
        | TaskKind::VaccinationCard
        | TaskKind::Prenatal { .. }
        | TaskKind::Postpartum
        | TaskKind::Postpartum42
        | TaskKind::NewbornVisit
        | TaskKind::ChildCheck { .. }
        | TaskKind::TcmChild { .. } => {
            unreachable!("not made by this simulation")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Two years of a doctor who does each task on its due date: no task is ever overdue.
    #[test]
    fn doing_every_task_on_its_due_date_leaves_none_overdue(
        age_days in prop_oneof![0i64..400, 20_000i64..30_000],
        flags in proptest::sample::subsequence(vec![KeyFlag::Htn, KeyFlag::T2dm, KeyFlag::Smi, KeyFlag::Tb], 0..=4),
        signed in any::<bool>(),
        outcomes in proptest::collection::vec(any::<bool>(), 64),
    ) {
        let start = d("2025-06-01");
        let mut p = resident("2000-01-01", &flags, "2025-06-01");
        p.birth_date = start - Duration::days(age_days);
        let mut visits: Vec<VisitSummary> = Vec::new();
        let mut records: Vec<RecordInput> = Vec::new();
        if signed {
            records.push(contract(&p, "2025-06-01", None));
        }
        // A baby is followed from birth (every dose on time), an adult from the day the simulation starts.
        let mut today = if age_days < 400 { p.birth_date } else { start };
        let end = d("2027-06-01");
        let mut steps = 0;
        while today < end && steps < 2_000 {
            steps += 1;
            let refs: Vec<&RecordInput> = records.iter().collect();
            let tasks = tasks_of(&History { resident: &p, visits: &visits, records: &refs }, today);
            let late: Vec<&Task> = tasks.iter().filter(|t| t.standing(today) == Standing::Overdue).collect();
            prop_assert!(late.is_empty(), "{today}: {late:?}");
            let Some(next) = tasks.iter().min_by_key(|t| t.due).cloned() else { break };
            today = today.max(next.due);
            let uncontrolled = outcomes[steps % outcomes.len()];
            complete(&p, &next, today, uncontrolled, &mut visits, &mut records);
        }
    }
}
