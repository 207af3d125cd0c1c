//! Each check on fixed visits, at its threshold and one below.

use super::*;
use crate::my_record::Answer;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn month() -> Period {
    Period::parse("2026-11").unwrap()
}

fn v(resident: u128, author: &str, date: &str, bp: Option<(i32, i32)>) -> VisitFact {
    VisitFact {
        visit_id: Uuid::now_v7(),
        resident_id: Uuid::from_u128(resident),
        resident_name: format!("居民{resident}"),
        village_name: "一村".into(),
        author_id: author.into(),
        author_name: author.into(),
        kind: "htn".into(),
        date: d(date),
        mode: Some(2),
        outcome: 1,
        sbp: bp.map(|b| b.0),
        dbp: bp.map(|b| b.1),
        fbg: None,
        signed: true,
    }
}

fn kinds(f: &[Flag], k: FlagKind) -> Vec<&Flag> {
    f.iter().filter(|x| x.kind == k).collect()
}

#[test]
fn three_visits_in_a_row_with_the_same_readings_are_flagged_on_the_third() {
    let facts = [
        v(1, "a", "2026-05-02", Some((150, 90))),
        v(1, "a", "2026-08-02", Some((150, 90))),
        v(1, "a", "2026-11-02", Some((150, 90))),
        // Another resident: two alike only.
        v(2, "a", "2026-08-03", Some((138, 86))),
        v(2, "a", "2026-11-03", Some((138, 86))),
        // A third: alike, but broken by a different reading in between.
        v(3, "a", "2026-05-04", Some((140, 88))),
        v(3, "a", "2026-08-04", Some((141, 88))),
        v(3, "a", "2026-11-04", Some((140, 88))),
    ];
    let f = flags(&facts, &month(), &HashMap::new(), &RULES);
    let copied = kinds(&f, FlagKind::CopiedReadings);
    assert_eq!(copied.len(), 1, "{copied:?}");
    assert_eq!((copied[0].visit_id, copied[0].detail.as_str()), (facts[2].visit_id, "150/90 mmHg ×3"));
    // The same run ending before the month is not this month's flag.
    let earlier = flags(&facts, &Period::parse("2026-12").unwrap(), &HashMap::new(), &RULES);
    assert!(kinds(&earlier, FlagKind::CopiedReadings).is_empty());
    // A phone call in the run does not count as a visit of the run.
    let mut phone = facts.clone();
    phone[1].mode = Some(3);
    assert!(kinds(&flags(&phone, &month(), &HashMap::new(), &RULES), FlagKind::CopiedReadings).is_empty());
}

#[test]
fn a_doctor_s_day_beyond_the_limit_is_flagged_once() {
    let day = |n: usize, author: &str| -> Vec<VisitFact> {
        (0..n).map(|i| v(100 + i as u128, author, "2026-11-10", Some((120 + i as i32 % 20, 80)))).collect()
    };
    let mut facts = day(RULES.max_visits_per_day, "a");
    facts.extend(day(RULES.max_visits_per_day + 1, "b"));
    let f = flags(&facts, &month(), &HashMap::new(), &RULES);
    let many = kinds(&f, FlagKind::TooManyInADay);
    assert_eq!(many.len(), 1);
    assert_eq!(many[0].author_id, "b");
    assert_eq!(many[0].detail, format!("{} / {}", RULES.max_visits_per_day + 1, RULES.max_visits_per_day));
}

#[test]
fn missing_readings_and_missing_proof_are_flagged_on_seen_patients_only() {
    let mut no_bp = v(1, "a", "2026-11-05", None);
    no_bp.signed = true;
    let mut dm = v(2, "a", "2026-11-06", Some((130, 80)));
    dm.kind = "dm".into();
    let mut lost = v(3, "a", "2026-11-07", None);
    lost.outcome = 2;
    let mut unsigned = v(4, "a", "2026-11-08", Some((130, 80)));
    unsigned.signed = false;
    let mut confirmed = v(5, "a", "2026-11-09", Some((130, 80)));
    confirmed.signed = false;
    let facts = [no_bp.clone(), dm.clone(), lost, unsigned.clone(), confirmed.clone()];
    let mut disputed = v(6, "a", "2026-11-10", Some((130, 80)));
    disputed.signed = false;
    let facts = [facts.to_vec(), vec![disputed.clone()]].concat();
    let answers = HashMap::from([(confirmed.visit_id, Answer::Confirmed), (disputed.visit_id, Answer::Disputed)]);
    let f = flags(&facts, &month(), &answers, &RULES);
    let missing: Vec<(Uuid, &str)> =
        kinds(&f, FlagKind::MissingFields).iter().map(|x| (x.visit_id, x.detail.as_str())).collect();
    assert_eq!(missing.len(), 2);
    assert!(missing.contains(&(no_bp.visit_id, "血压")));
    assert!(missing.contains(&(dm.visit_id, "空腹血糖")));
    let unproven: Vec<Uuid> = kinds(&f, FlagKind::NoResidentProof).iter().map(|x| x.visit_id).collect();
    assert_eq!(
        unproven,
        vec![disputed.visit_id, unsigned.visit_id],
        "the lost entry is no visit; a later confirmation is proof, a dispute is none"
    );
    let denied: Vec<Uuid> = kinds(&f, FlagKind::DisputedByResident).iter().map(|x| x.visit_id).collect();
    assert_eq!(denied, vec![disputed.visit_id]);
}

#[test]
fn call_outcomes_round_trip_their_codes() {
    for o in CallOutcome::ALL {
        assert_eq!(CallOutcome::from_code(o.code()), Some(o));
    }
    assert_eq!(CallOutcome::from_code("maybe"), None);
}
