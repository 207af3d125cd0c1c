//! The indicators on a small fixed village whose every numerator and denominator is worked out by hand in the
//! comments, for a year (2026) and a month (March 2026).

use super::*;
use crate::contract::{ContractInput, DeliveryInput};
use crate::education::Material;
use crate::record::{RecordBody, RecordInput};
use crate::resident::{FlagMembership, KeyFlag, Resident};
use crate::smi::SmiVisitInput;
use crate::task::History;
use crate::vaccination::DoseInput;
use crate::visit::{VisitKind, VisitSummary};
use uuid::Uuid;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn person(name: &str, birth: &str, flags: &[(KeyFlag, &str)]) -> Resident {
    Resident {
        birth_date: d(birth),
        flags: flags.iter().map(|(f, since)| FlagMembership { flag: *f, since: d(since) }).collect(),
        ..crate::resident::tests::stored(Uuid::now_v7(), name, "v1")
    }
}

/// A follow-up; mode 1 clinic, 2 home, 3 phone; outcome 1 seen, 2 lost, 3 died.
pub(crate) fn visit(
    kind: VisitKind,
    date: &str,
    mode: u8,
    outcome: u8,
    bp: Option<(i32, i32)>,
    fbg: Option<f64>,
) -> VisitSummary {
    VisitSummary {
        id: Uuid::now_v7(),
        visit_id: Uuid::now_v7(),
        revision: 1,
        kind,
        visit_date: d(date),
        outcome,
        mode: Some(mode),
        sbp: bp.map(|b| b.0),
        dbp: bp.map(|b| b.1),
        fbg,
        classification: Some(1),
        next_mgmt: Some(1),
        next_visit_date: None,
        urgent: false,
        signed: false,
        author_name: String::new(),
        recorded_at: String::new(),
        review: None,
    }
}

fn htn(date: &str, sbp: i32, dbp: i32) -> VisitSummary {
    visit(VisitKind::Hypertension, date, 2, 1, Some((sbp, dbp)), None)
}

fn rec(r: Option<&Resident>, date: &str, body: RecordBody) -> RecordInput {
    RecordInput {
        id: Uuid::now_v7(),
        record_id: Uuid::now_v7(),
        village_id: "v1".into(),
        resident_id: r.map(|r| r.id),
        date: d(date),
        body,
        signature: None,
    }
}

fn dose(r: &Resident, vaccine: &str, n: u8, date: &str) -> RecordInput {
    rec(Some(r), date, RecordBody::Dose(DoseInput { vaccine: vaccine.into(), dose_no: n, ..Default::default() }))
}

fn smi(r: &Resident, date: &str) -> RecordInput {
    rec(
        Some(r),
        date,
        RecordBody::SmiVisit(Box::new(SmiVisitInput { outcome: 1, mode: Some(2), ..Default::default() })),
    )
}

fn elderly_check(r: &Resident, date: &str) -> RecordInput {
    rec(Some(r), date, crate::task::tests::elderly_check(None, d(date)))
}

struct Person {
    r: Resident,
    visits: Vec<VisitSummary>,
    records: Vec<RecordInput>,
    viewed: bool,
}

/// The village:
/// - A 老张, born 1950-06-01 (76 in 2026), hypertension since 2020: home visits 02-10 (150/95), 05-10, 08-10,
///   11-10 (145/85), then a phone call 12-01 (165/100, not face-to-face); elderly check 04-01; basic package
///   signed 2026-01-01 for 12 months (item 2 once a year, item 4 twice), item 4 delivered 03-01, 06-01, 09-01.
/// - B 李, born 1980-03-15: diabetes since 2025-06-01 (clinic 01-20 FBG 8.1, clinic 03-20 FBG 6.5, "lost"
///   06-20), hypertension since 2026-04-01 (home 05-05, 138/88); opened her own record.
/// - C 王宝, born 2025-12-10: HepB 1 on 12-10, BCG on 12-11, HepB 2 on 2026-01-20.
/// - D 赵, moved out (status 3): counts for nothing.
/// - E 钱, born 1958, hypertension, died (a follow-up of 2026-02-01 says so): counts for nothing.
/// - F 孙, born 1985-07-07: severe mental disorder since 2024 with home visits 01-15, 04-15, 07-15, 10-15;
///   TB notified 2026-02-01, first visit 02-03.
/// - The village's health-education session of 2026-03-08 (a lecture with consultation, 40 people, 100 + 20
///   leaflets), and one of 2025-12-20 outside both periods.
fn village() -> (Vec<Person>, Vec<RecordInput>) {
    let a = person("老张", "1950-06-01", &[(KeyFlag::Htn, "2020-01-01")]);
    let contract = rec(
        Some(&a),
        "2026-01-01",
        RecordBody::Contract(ContractInput {
            team: "一队".into(),
            doctor: "王医生".into(),
            packages: vec![1],
            term_months: 12,
            ..Default::default()
        }),
    );
    let deliver = |date: &str| {
        rec(
            Some(&a),
            date,
            RecordBody::Delivery(DeliveryInput { contract_id: contract.record_id, item: Some(4), note: String::new() }),
        )
    };
    let a_records = vec![
        elderly_check(&a, "2026-04-01"),
        deliver("2026-03-01"),
        deliver("2026-06-01"),
        deliver("2026-09-01"),
        contract,
    ];
    let a = Person {
        visits: vec![
            htn("2026-02-10", 150, 95),
            htn("2026-05-10", 135, 85),
            htn("2026-08-10", 142, 88),
            htn("2026-11-10", 145, 85),
            visit(VisitKind::Hypertension, "2026-12-01", 3, 1, Some((165, 100)), None),
        ],
        records: a_records,
        r: a,
        viewed: false,
    };
    let b = Person {
        r: person("李", "1980-03-15", &[(KeyFlag::T2dm, "2025-06-01"), (KeyFlag::Htn, "2026-04-01")]),
        visits: vec![
            visit(VisitKind::Diabetes, "2026-01-20", 1, 1, None, Some(8.1)),
            visit(VisitKind::Diabetes, "2026-03-20", 1, 1, None, Some(6.5)),
            visit(VisitKind::Diabetes, "2026-06-20", 2, 2, None, None),
            htn("2026-05-05", 138, 88),
        ],
        records: vec![],
        viewed: true,
    };
    let c_r = person("王宝", "2025-12-10", &[]);
    let c = Person {
        records: vec![
            dose(&c_r, "HepB", 1, "2025-12-10"),
            dose(&c_r, "BCG", 1, "2025-12-11"),
            dose(&c_r, "HepB", 2, "2026-01-20"),
        ],
        r: c_r,
        visits: vec![],
        viewed: false,
    };
    let d_ = Person {
        r: Resident { status: 3, ..person("赵", "1990-01-01", &[]) },
        visits: vec![],
        records: vec![],
        viewed: true,
    };
    let e = Person {
        r: person("钱", "1958-02-01", &[(KeyFlag::Htn, "2019-01-01")]),
        visits: vec![visit(VisitKind::Hypertension, "2026-02-01", 2, 3, None, None)],
        records: vec![],
        viewed: false,
    };
    let f_r = person("孙", "1985-07-07", &[(KeyFlag::Smi, "2024-01-01"), (KeyFlag::Tb, "2026-02-01")]);
    let f = Person {
        records: vec![
            smi(&f_r, "2026-01-15"),
            smi(&f_r, "2026-04-15"),
            smi(&f_r, "2026-07-15"),
            smi(&f_r, "2026-10-15"),
            rec(Some(&f_r), "2026-02-03", RecordBody::TbVisit(Box::default())),
        ],
        r: f_r,
        visits: vec![],
        viewed: false,
    };
    let session = |date: &str| {
        let mut e = crate::education::tests::lecture();
        e.forms = vec![crate::education::FORM_LECTURE, crate::education::FORM_CONSULTATION];
        e.audience_count = Some(40);
        e.materials = vec![Material { kind: "折页".into(), count: 100 }, Material { kind: "手册".into(), count: 20 }];
        rec(None, date, RecordBody::Education(Box::new(e)))
    };
    (vec![a, b, c, d_, e, f], vec![session("2026-03-08"), session("2025-12-20")])
}

fn counts(p: &Period) -> Counts {
    let (people, village_records) = village();
    let mut out = Counts::default();
    for x in &people {
        let refs: Vec<&RecordInput> = x.records.iter().collect();
        count_resident(&History { resident: &x.r, visits: &x.visits, records: &refs }, p, x.viewed, &mut out);
    }
    for x in &village_records {
        count_village_record(x, p, &mut out);
    }
    out
}

fn year() -> Period {
    Period::parse("2026").unwrap()
}

#[test]
fn the_year_counts_match_the_hand_count() {
    let c = counts(&year());
    let expect: &[(&str, u64)] = &[
        // A, B, C, F (D moved out, E died).
        ("records", 4),
        // Each of the four had a service in the last 12 months (C: a dose in January).
        ("records_used", 4),
        ("records_viewed", 1), // B
        ("adults", 3),         // A, B, F
        // Hypertension: A (4 home visits, last 145/85 at 76: under 150/90) and B (from April: one visit, 138/88).
        ("htn_patients", 2),
        ("htn_managed", 2),
        ("htn_standard", 1), // A's four; the phone call does not count, B's one is short of four
        ("htn_controlled", 2),
        // Diabetes: B, two clinic visits (the "lost" entry does not count), last FBG 6.5.
        ("dm_patients", 1),
        ("dm_managed", 1),
        ("dm_standard", 0),
        ("dm_controlled", 1),
        ("smi_patients", 1),
        ("smi_standard", 1), // F's four home visits
        ("tb_patients", 1),
        ("tb_managed", 1),
        ("elderly", 1), // A (E died)
        ("elderly_managed", 1),
        ("key_group", 4), // A (65+, HTN), B (T2DM), C (child), F (SMI, TB)
        ("contracted", 1),
        ("key_contracted", 1),
        ("elderly_contracted", 1),
        // A's contract over the year: item 2 due once, never delivered; item 4 due twice, delivered three times
        // (the third is beyond the yearly count): 3 due, 2 credited.
        ("items_due", 3),
        ("items_delivered", 2),
        ("card_due", 1), // C is past 3 months
        ("cards", 1),
        ("edu_sessions", 1),
        ("edu_lectures", 1),
        ("edu_consultations", 1),
        ("edu_audience", 40),
        ("edu_materials", 120),
    ];
    for (name, n) in expect {
        assert_eq!(c.get(name), *n, "{name}");
    }
}

#[test]
fn a_child_counts_for_the_doses_that_fell_due_in_the_year() {
    let c = counts(&year());
    // C, born 2025-12-10. HepB 1 was late from 2025-12-11: last year's cohort.
    assert_eq!(c.get("vax:HepB:1:due"), 0);
    // HepB 2 (1 month, no complete-by age: late a month later, 2026-02-10): given 01-20, on time.
    assert_eq!([c.get("vax:HepB:2:due"), c.get("vax:HepB:2:given"), c.get("vax:HepB:2:timely")], [1, 1, 1]);
    // BCG (complete by 3 months: late from 2026-03-10): given on day 1.
    assert_eq!([c.get("vax:BCG:1:due"), c.get("vax:BCG:1:given"), c.get("vax:BCG:1:timely")], [1, 1, 1]);
    // Due by 12 months (2026-12-09) and not given: HepB 3, bOPV 1, MMR 1, JE-L 1, DTaP 3; IPV 1 and 2,
    // MPSV-A 1, DTaP 1 and 2 from minimum age + 1 month.
    for (v, n) in [
        ("HepB", 3),
        ("bOPV", 1),
        ("MMR", 1),
        ("JE-L", 1),
        ("DTaP", 3),
        ("IPV", 1),
        ("IPV", 2),
        ("MPSV-A", 1),
        ("DTaP", 1),
        ("DTaP", 2),
    ] {
        let [due, given, _] = vaccine_counters(v, n);
        assert_eq!((c.get(&due), c.get(&given)), (1, 0), "{v} {n}");
    }
    // Not yet: MMR 2 (24 months), JE-I (JE-L chosen), bOPV 2 (5 years).
    for (v, n) in [("MMR", 2), ("JE-I", 1), ("bOPV", 2)] {
        assert_eq!(c.get(&vaccine_counters(v, n)[0]), 0, "{v} {n}");
    }
    let rows = rows(&c, None, &BTreeMap::new());
    let bcg = rows.iter().find(|r| r.code == "vax:BCG:1").unwrap();
    assert_eq!(
        (bcg.num, bcg.den, bcg.rate(), bcg.target, bcg.met()),
        (1, Some(1), Some(100.0), Some(90.0), Some(true))
    );
    let hepb3 = rows.iter().find(|r| r.code == "vax:HepB:3").unwrap();
    assert_eq!((hepb3.rate(), hepb3.met()), (Some(0.0), Some(false)));
    assert!(rows.iter().any(|r| r.code == "vax_timely:BCG:1" && r.target.is_none()));
    assert!(!rows.iter().any(|r| r.code == "vax:MMR:2"), "no row without children due");
}

#[test]
fn the_month_counts_match_the_hand_count() {
    let c = counts(&Period::parse("2026-03").unwrap());
    let expect: &[(&str, u64)] = &[
        ("records", 4),
        ("htn_patients", 1), // A; B's hypertension starts in April
        ("htn_managed", 0),  // A was seen in February and May
        ("dm_managed", 1),   // B, 03-20
        ("dm_standard", 1),  // a month needs one face-to-face visit
        ("dm_controlled", 1),
        ("smi_patients", 1),
        ("smi_standard", 0),
        ("tb_patients", 1), // notified 02-01
        ("tb_managed", 1),
        ("elderly", 1),
        ("elderly_managed", 0), // checked in April
        // By 03-31, 90 of the contract's 365 days: item 4 due ⌊2 × 90 / 365⌋ = 0, item 2 0; the 03-01 delivery
        // is credited later, when it falls due.
        ("items_due", 0),
        ("items_delivered", 0),
        ("edu_sessions", 1),
        ("edu_audience", 40),
        ("edu_materials", 120),
        // C's cohort in March: BCG (late from 03-10), IPV 1 and DTaP 1 (2 months + 1: 03-10).
        ("vax:BCG:1:due", 1),
        ("vax:BCG:1:timely", 1),
        ("vax:IPV:1:due", 1),
        ("vax:IPV:1:given", 0),
        ("vax:DTaP:1:due", 1),
        ("vax:HepB:2:due", 0),
    ];
    for (name, n) in expect {
        assert_eq!(c.get(name), *n, "{name}");
    }
}

#[test]
fn months_add_up_to_the_year_for_contract_items_and_sessions() {
    let mut months = Counts::default();
    for m in 1..=12 {
        months.merge(&counts(&Period::month(2026, m).unwrap()));
    }
    let y = counts(&year());
    for name in ["items_due", "items_delivered", "edu_sessions", "edu_audience"] {
        assert_eq!(months.get(name), y.get(name), "{name}");
    }
    // Item 4's first credit falls in July (day 183 of the term), its second at the year's end.
    let july = counts(&Period::month(2026, 7).unwrap());
    assert_eq!((july.get("items_due"), july.get("items_delivered")), (1, 1));
}

#[test]
fn rows_carry_numerator_denominator_rate_and_target() {
    let c = counts(&year());
    let mut targets = BTreeMap::new();
    targets.insert("elderly_management".to_string(), 67.0);
    let rows = rows(&c, Some(10), &targets);
    let row = |code: &str| rows.iter().find(|r| r.code == code).unwrap().clone();
    // 4 records for a population of 10: 40%, below the default 62%.
    let r = row("record_coverage");
    assert_eq!((r.num, r.den, r.rate(), r.target, r.met()), (4, Some(10), Some(40.0), Some(62.0), Some(false)));
    // Estimated hypertension patients: 3 adults × 18.8% = 0.564 → 1.
    assert_eq!(row("htn_management").den, Some(1));
    let r = row("htn_standard");
    assert_eq!((r.num, r.den, r.rate()), (1, Some(2), Some(50.0)));
    let r = row("contract_key");
    assert_eq!((r.num, r.den, r.rate(), r.met()), (1, Some(4), Some(25.0), Some(false)));
    let r = row("elderly_management");
    assert_eq!((r.rate(), r.target, r.met()), (Some(100.0), Some(67.0), Some(true)));
    let r = row("fulfilment");
    assert_eq!((r.num, r.den, r.rate()), (2, Some(3), Some(66.7)));
    let r = row("record_views");
    assert_eq!((r.num, r.den, r.rate(), r.met()), (1, Some(4), Some(25.0), Some(false)));
    let r = row("edu_audience");
    assert_eq!((r.num, r.den, r.rate(), r.met()), (40, None, None, None));
    // Without a configured population the coverage has no rate.
    assert_eq!(super::rows(&c, None, &BTreeMap::new())[0].rate(), None);
}

#[test]
fn periods_parse_and_print_their_keys() {
    for key in ["2026-11", "2026-Q4", "2026", "2026-01-05~2026-02-01"] {
        assert_eq!(Period::parse(key).unwrap().key(), key);
    }
    assert_eq!(Period::parse("2024-02").unwrap().end, d("2024-02-29"));
    assert_eq!(Period::parse("2026-Q1").unwrap().end, d("2026-03-31"));
    for bad in ["", "2026-13", "2026-Q5", "abc", "2026-02-01~2026-01-01", "1800", "2000-01-01~2026-01-01"] {
        assert_eq!(Period::parse(bad), None, "{bad}");
    }
    assert_eq!(
        [year(), Period::parse("2026-Q2").unwrap(), Period::parse("2026-02").unwrap()].map(|p| p.required_visits()),
        [4, 1, 1]
    );
}

#[test]
fn counts_subtract_for_the_difference_from_a_snapshot() {
    let mut published = Counts::default();
    published.add("htn_managed", 10);
    published.add("records", 100);
    let mut now = published.clone();
    now.add("htn_managed", 2);
    now.add("cards", 1);
    let diff = now.minus(&published);
    assert_eq!(diff.len(), 2);
    assert_eq!((diff["htn_managed"], diff["cards"]), (2, 1));
}
