//! The immunization plan, case by case: a child born on a date, the doses on the card, a day → the expected
//! line of the doses the case is about. Each case names the rule of domain spec §5 it checks. Children checked
//! before 2025 get the 2021 edition, from 2025 the 2025 one.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// What a case expects of one dose: the status and, for a missing dose, its earliest date.
#[derive(Debug, Clone, Copy)]
enum E {
    Given(bool),
    Due(&'static str),
    Upcoming(&'static str),
    Overdue(&'static str),
    Later(&'static str),
    NotNeeded,
    /// Not in the plan at all (another edition's dose, or the other product).
    Absent,
}

struct Case {
    rule: &'static str,
    birth: &'static str,
    doses: &'static [(&'static str, u8, &'static str)],
    today: &'static str,
    expect: &'static [(&'static str, u8, E)],
    /// The note the last expected line carries.
    note: Option<Note>,
}

const fn c(
    rule: &'static str,
    birth: &'static str,
    doses: &'static [(&'static str, u8, &'static str)],
    today: &'static str,
    expect: &'static [(&'static str, u8, E)],
) -> Case {
    Case { rule, birth, doses, today, expect, note: None }
}

const fn n(
    rule: &'static str,
    birth: &'static str,
    doses: &'static [(&'static str, u8, &'static str)],
    today: &'static str,
    expect: &'static [(&'static str, u8, E)],
    note: Note,
) -> Case {
    Case { rule, birth, doses, today, expect, note: Some(note) }
}

const B: &str = "2024-01-15";
const HEPB_12: &[(&str, u8, &str)] = &[("HepB", 1, "2024-01-15"), ("HepB", 2, "2024-02-15")];
const DTAP_4: &[(&str, u8, &str)] =
    &[("DTaP", 1, "2018-09-01"), ("DTaP", 2, "2018-10-01"), ("DTaP", 3, "2018-11-01"), ("DTaP", 4, "2019-12-01")];

use E::*;

const CASES: &[Case] = &[
    // HepB
    c("HepB 1: at birth", B, &[], "2024-01-15", &[("HepB", 1, Due("2024-01-15"))]),
    c("HepB 1: within 24 h is timely", B, &[("HepB", 1, "2024-01-16")], "2024-02-01", &[("HepB", 1, Given(true))]),
    c(
        "HepB 1: later is valid but not timely",
        B,
        &[("HepB", 1, "2024-01-18")],
        "2024-02-01",
        &[("HepB", 1, Given(false))],
    ),
    c("HepB 2: 1 m", B, &[("HepB", 1, "2024-01-15")], "2024-02-10", &[("HepB", 2, Upcoming("2024-02-15"))]),
    c("HepB 2: ≥28 d after D1", B, &[("HepB", 1, "2024-02-01")], "2024-02-20", &[("HepB", 2, Upcoming("2024-02-29"))]),
    c(
        "HepB 3: 6 m, ≥60 d after D2, ≥4 m after D1",
        B,
        &[("HepB", 1, "2024-01-15"), ("HepB", 2, "2024-05-20")],
        "2024-07-20",
        &[("HepB", 3, Due("2024-07-19"))],
    ),
    c("HepB 3: complete by 12 m, then overdue", B, HEPB_12, "2025-01-15", &[("HepB", 3, Overdue("2024-07-15"))]),
    c(
        "HepB 3: given before 12 m is timely",
        B,
        &[("HepB", 1, "2024-01-15"), ("HepB", 2, "2024-02-15"), ("HepB", 3, "2024-12-15")],
        "2025-02-01",
        &[("HepB", 3, Given(true))],
    ),
    c(
        "HepB 3: given at 12 m is late",
        B,
        &[("HepB", 1, "2024-01-15"), ("HepB", 2, "2024-02-15"), ("HepB", 3, "2025-01-20")],
        "2025-02-01",
        &[("HepB", 3, Given(false))],
    ),
    // BCG
    c("BCG: at birth, complete by 3 m", B, &[], "2024-03-01", &[("BCG", 1, Due("2024-01-15"))]),
    n(
        "BCG catch-up 3 m–3 y: PPD test first",
        B,
        &[],
        "2024-06-01",
        &[("BCG", 1, Overdue("2024-01-15"))],
        Note::PpdFirst,
    ),
    n("BCG catch-up: not from 4 y", "2020-03-10", &[], "2024-06-01", &[("BCG", 1, NotNeeded)], Note::AgeLimit),
    // Polio
    c("IPV 1: 2 m", B, &[], "2024-03-14", &[("IPV", 1, Upcoming("2024-03-15"))]),
    c(
        "IPV 2: 3 m, ≥28 d after D1",
        B,
        &[("IPV", 1, "2024-04-01")],
        "2024-04-20",
        &[("IPV", 2, Upcoming("2024-04-29"))],
    ),
    c(
        "bOPV (polio 3): 4 m, ≥28 d after IPV 2",
        B,
        &[("IPV", 1, "2024-03-15"), ("IPV", 2, "2024-04-15")],
        "2024-05-20",
        &[("bOPV", 1, Due("2024-05-15"))],
    ),
    c(
        "catch-up: only the missing doses, in order, IPV before bOPV, 28 d apart",
        B,
        &[],
        "2024-06-01",
        &[("IPV", 1, Overdue("2024-03-15")), ("IPV", 2, Upcoming("2024-06-29")), ("bOPV", 1, Later("2024-07-27"))],
    ),
    c(
        "bOPV (polio 4): 4 y, ≥28 d after polio 3",
        "2020-03-10",
        &[("IPV", 1, "2020-05-10"), ("IPV", 2, "2020-06-10"), ("bOPV", 1, "2020-07-10")],
        "2024-03-01",
        &[("bOPV", 2, Upcoming("2024-03-10"))],
    ),
    // DTaP and DT, both editions
    c("DTaP 1 (2021 edition): 3 m", B, &[], "2024-04-15", &[("DTaP", 1, Due("2024-04-15"))]),
    c("DTaP 1 (2025 edition): 2 m", "2026-01-10", &[], "2026-03-10", &[("DTaP", 1, Due("2026-03-10"))]),
    c(
        "DTaP 3 (2021 edition): 5 m, ≥28 d after D2",
        B,
        &[("DTaP", 1, "2024-04-15"), ("DTaP", 2, "2024-05-15")],
        "2024-06-10",
        &[("DTaP", 3, Upcoming("2024-06-15"))],
    ),
    c(
        "DTaP 3 (2025 edition): 6 m",
        "2025-03-01",
        &[("DTaP", 1, "2025-05-01"), ("DTaP", 2, "2025-07-01")],
        "2025-08-05",
        &[("DTaP", 3, Upcoming("2025-09-01"))],
    ),
    c(
        "DTaP 2: overdue a month after its earliest date (no complete-by age)",
        B,
        &[("DTaP", 1, "2024-04-15")],
        "2024-06-16",
        &[("DTaP", 2, Overdue("2024-05-15"))],
    ),
    c(
        "DTaP 2: on the last day of the grace month still due",
        B,
        &[("DTaP", 1, "2024-04-15")],
        "2024-06-15",
        &[("DTaP", 2, Due("2024-05-15"))],
    ),
    c(
        "DTaP 4: 18 m",
        B,
        &[("DTaP", 1, "2024-04-15"), ("DTaP", 2, "2024-05-15"), ("DTaP", 3, "2024-12-20")],
        "2025-07-01",
        &[("DTaP", 4, Upcoming("2025-07-15"))],
    ),
    c(
        "DTaP 4: ≥6 m after D3",
        B,
        &[("DTaP", 1, "2024-04-15"), ("DTaP", 2, "2024-05-15"), ("DTaP", 3, "2025-02-01")],
        "2025-07-01",
        &[("DTaP", 4, Later("2025-08-01"))],
    ),
    c(
        "DT (2021 edition): 6 y, ≥12 m after DTaP 4",
        "2018-06-01",
        DTAP_4,
        "2024-05-15",
        &[("DT", 1, Upcoming("2024-06-01")), ("DTaP", 5, Absent)],
    ),
    c(
        "DTaP 5 (2025 edition) replaces DT at 6 y",
        "2020-02-01",
        &[("DTaP", 1, "2020-05-01"), ("DTaP", 2, "2020-06-01"), ("DTaP", 3, "2020-07-01"), ("DTaP", 4, "2021-08-01")],
        "2026-01-20",
        &[("DTaP", 5, Upcoming("2026-02-01")), ("DT", 1, Absent), ("DTaP", 3, Given(true))],
    ),
    c(
        "the 2021 DT dose fills the 2025 plan's 6-year dose",
        "2018-03-01",
        &[
            ("DTaP", 1, "2018-06-01"),
            ("DTaP", 2, "2018-07-01"),
            ("DTaP", 3, "2018-08-01"),
            ("DTaP", 4, "2019-09-01"),
            ("DT", 1, "2024-03-05"),
        ],
        "2026-01-01",
        &[("DTaP", 5, Given(true))],
    ),
    n(
        "catch-up: 6 y or more with fewer than 3 DTaP doses → DT",
        "2019-01-10",
        &[("DTaP", 1, "2019-04-10")],
        "2025-03-01",
        &[("DTaP", 2, Overdue("2019-05-10"))],
        Note::DtCatchUp,
    ),
    c(
        "catch-up: no DTaP 4 from 6 y with 3 doses; the 6-year dose next",
        "2019-01-10",
        &[("DTaP", 1, "2019-04-10"), ("DTaP", 2, "2019-05-10"), ("DTaP", 3, "2019-06-10")],
        "2025-03-01",
        &[("DTaP", 4, NotNeeded), ("DTaP", 5, Due("2025-01-10"))],
    ),
    // MMR and the injectable live vaccines
    c("MMR 1: 8 m", B, &[], "2024-09-15", &[("MMR", 1, Due("2024-09-15"))]),
    c("MMR 1: complete by 12 m, last day", B, &[], "2025-01-14", &[("MMR", 1, Due("2024-09-15"))]),
    c("MMR 1: complete by 12 m, then overdue", B, &[], "2025-01-15", &[("MMR", 1, Overdue("2024-09-15"))]),
    c(
        "MMR 2: 18 m, ≥28 d after D1",
        B,
        &[("MMR", 1, "2025-06-25")],
        "2025-07-10",
        &[("MMR", 2, Upcoming("2025-07-23"))],
    ),
    c(
        "live vaccines 28 d apart: JE-L after MMR",
        B,
        &[("MMR", 1, "2024-09-20")],
        "2024-09-25",
        &[("JE-L", 1, Upcoming("2024-10-18"))],
    ),
    c(
        "live vaccines on the same day are fine",
        B,
        &[("MMR", 1, "2024-09-15"), ("JE-L", 1, "2024-09-15")],
        "2024-10-01",
        &[("MMR", 1, Given(true)), ("JE-L", 1, Given(true))],
    ),
    c(
        "a dose before the minimum age is repeated",
        B,
        &[("MMR", 1, "2024-08-20")],
        "2024-09-20",
        &[("MMR", 1, Due("2024-09-15"))],
    ),
    c(
        "a live dose 10 d after another is repeated 28 d after it",
        B,
        &[("MMR", 1, "2024-09-15"), ("JE-L", 1, "2024-09-25")],
        "2024-10-01",
        &[("JE-L", 1, Upcoming("2024-10-13"))],
    ),
    // JE
    c(
        "JE-L 2: 2 y, ≥12 m after D1",
        B,
        &[("JE-L", 1, "2024-09-15")],
        "2026-01-10",
        &[("JE-L", 2, Upcoming("2026-01-15")), ("JE-I", 1, Absent)],
    ),
    c(
        "JE-I instead of JE-L: D2 7 d after D1",
        B,
        &[("JE-I", 1, "2024-09-15")],
        "2024-09-20",
        &[("JE-I", 2, Upcoming("2024-09-22")), ("JE-L", 1, Absent)],
    ),
    c(
        "JE-I 4: 6 y, ≥3 y after D3",
        "2019-05-01",
        &[("JE-I", 1, "2020-01-01"), ("JE-I", 2, "2020-01-08"), ("JE-I", 3, "2021-05-01")],
        "2025-04-20",
        &[("JE-I", 4, Upcoming("2025-05-01"))],
    ),
    // Meningococcal
    c(
        "MPSV-A 2: 9 m, ≥3 m after D1",
        B,
        &[("MPSV-A", 1, "2024-08-01")],
        "2024-10-20",
        &[("MPSV-A", 2, Upcoming("2024-11-01"))],
    ),
    n(
        "MPSV-A not from 24 m: MPSV-AC from 3 y instead",
        B,
        &[],
        "2026-02-01",
        &[("MPSV-A", 1, NotNeeded), ("MPSV-A", 2, NotNeeded), ("MPSV-AC", 1, Later("2027-01-15"))],
        Note::MpsvAcInstead,
    ),
    c(
        "MPSV-AC 1: 3 y, ≥12 m after MPSV-A 2",
        B,
        &[("MPSV-A", 1, "2024-07-15"), ("MPSV-A", 2, "2025-06-01")],
        "2027-01-01",
        &[("MPSV-AC", 1, Upcoming("2027-01-15"))],
    ),
    c(
        "MPSV-AC 2: 6 y, ≥3 y after AC 1",
        "2019-05-01",
        &[("MPSV-A", 1, "2019-11-01"), ("MPSV-A", 2, "2020-02-01"), ("MPSV-AC", 1, "2022-09-01")],
        "2025-06-01",
        &[("MPSV-AC", 2, Later("2025-09-01"))],
    ),
    // HepA
    c("HepA-L: one dose at 18 m", B, &[], "2025-07-20", &[("HepA-L", 1, Due("2025-07-15")), ("HepA-I", 1, Absent)]),
    c(
        "HepA-I instead: D2 at 24 m, ≥6 m after D1",
        B,
        &[("HepA-I", 1, "2025-07-15")],
        "2026-01-10",
        &[("HepA-I", 2, Upcoming("2026-01-15")), ("HepA-L", 1, Absent)],
    ),
    // Catch-up limit
    n(
        "catch-up: nothing from 18 y",
        "2007-01-01",
        &[],
        "2025-06-01",
        &[("MMR", 1, NotNeeded), ("HepB", 1, NotNeeded)],
        Note::AgeLimit,
    ),
];

fn check(case: &Case) {
    let birth = d(case.birth);
    let doses: Vec<GivenDose> = case
        .doses
        .iter()
        .map(|(v, n, date)| GivenDose { vaccine: v.to_string(), dose_no: *n, date: d(date) })
        .collect();
    let lines = plan(birth, &doses, d(case.today), &RULES);
    for (i, (v, no, want)) in case.expect.iter().enumerate() {
        let line = lines.iter().find(|l| l.vaccine == *v && l.dose == *no);
        let ctx = format!("{}: {v} {no}", case.rule);
        let (status, earliest) = match want {
            Absent => {
                assert!(line.is_none(), "{ctx}: in the plan");
                continue;
            }
            Given(t) => (Status::Given { timely: *t }, None),
            Due(e) => (Status::Due, Some(*e)),
            Upcoming(e) => (Status::Upcoming, Some(*e)),
            Overdue(e) => (Status::Overdue, Some(*e)),
            Later(e) => (Status::Later, Some(*e)),
            NotNeeded => (Status::NotNeeded, None),
        };
        let line = line.unwrap_or_else(|| panic!("{ctx}: not in the plan"));
        assert_eq!(line.status, status, "{ctx}");
        assert_eq!(line.earliest, earliest.map(d), "{ctx}");
        if i + 1 == case.expect.len() && case.note.is_some() {
            assert_eq!(line.note, case.note, "{ctx}");
        }
    }
}

#[test]
fn the_plan_follows_each_rule_of_the_schedule() {
    assert!(CASES.len() >= 40, "{} cases", CASES.len());
    for case in CASES {
        check(case);
    }
}

#[test]
fn every_vaccine_of_the_programme_has_a_case() {
    for v in super::super::schedule::VACCINES {
        assert!(CASES.iter().any(|c| c.expect.iter().any(|(x, _, _)| *x == v.code)), "no case for {}", v.code);
    }
}

#[test]
fn invalid_doses_are_listed_with_the_reason() {
    let doses = [
        GivenDose { vaccine: "MMR".into(), dose_no: 1, date: d("2024-08-20") },
        GivenDose { vaccine: "HepB".into(), dose_no: 1, date: d(B) },
    ];
    let bad = invalid_doses(d(B), &doses);
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].1, Invalid::TooYoung { earliest: d("2024-09-15") });
}

#[test]
fn the_plan_of_a_newborn_lists_the_whole_schedule_of_the_day() {
    let newborn = plan(d("2024-06-01"), &[], d("2024-06-01"), &RULES);
    let jd = ScheduleVersion::on(d("2024-06-01")).doses().filter(|s| !matches!(s.vaccine, "JE-I" | "HepA-I")).count();
    assert_eq!(newborn.len(), jd);
    assert!(newborn.iter().all(|l| l.missing()));
    // Only the two birth doses can be given today.
    let due: Vec<_> = newborn.iter().filter(|l| l.status == Status::Due).map(|l| l.vaccine).collect();
    assert_eq!(due, vec!["HepB", "BCG"]);
}
