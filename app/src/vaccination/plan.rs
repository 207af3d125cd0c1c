//! A child's immunization plan (接种计划) on a given day: every dose of the schedule in force that day, marked
//! given (timely or not), due, upcoming, overdue (需补种), later or not needed, with the earliest date each
//! missing dose can be given. Pure rules of domain spec §5, shared by the card, the task list and the server.
//!
//! How the rules are applied:
//! - the edition is the one in force on `today` (`ScheduleVersion::on`); a dose already given is judged by the
//!   edition of its own date (`judge`), and only valid doses fill a slot;
//! - earliest date = max(birth + minimum age, each earlier dose + its minimum interval, the last injectable live
//!   vaccine + 28 days for an injectable live dose); an earlier dose still missing counts at the date it can be
//!   given at the soonest, so a series is never restarted and never given out of order (catch-up, 补种);
//! - overdue = today after the complete-by age (应在…前完成), or after earliest + a month's grace where the
//!   standard sets no such age [U];
//! - alternatives: JE and HepA follow the inactivated product (JE-I, HepA-I) once a dose of it is on the card,
//!   the live one otherwise; the 2021 DT dose at 6 years and the 2025 fifth DTaP dose are one slot;
//! - age limits: nothing after 18 years; BCG not after 4 years, and from 3 months only after a negative PPD
//!   test; MPSV-A not from 24 months (then MPSV-AC from 3 years, as the schedule has it); DTaP 4 not from
//!   6 years; a child of 6 or more with fewer than 3 DTaP doses is caught up with DT (noted, not planned dose
//!   by dose: the number and spacing of those DT doses are for the clinic).

use super::schedule::{vaccine, ScheduleDose, ScheduleVersion, Span};
use super::{judge, GivenDose, Invalid, LIVE_INTERVAL_DAYS};
use chrono::{Duration, NaiveDate};

/// Where a dose of the plan stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Given and valid; `timely` when within the complete-by age (及时接种).
    Given { timely: bool },
    /// Can be given from today, not yet late.
    Due,
    /// Can be given within the upcoming window.
    Upcoming,
    /// Late: past the complete-by age or the grace period (需补种).
    Overdue,
    /// Not yet: later than the upcoming window.
    Later,
    /// Not to be given (an age limit or another product chosen).
    NotNeeded,
}

/// A rule beyond the table that shaped a dose's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// BCG from 3 months to 3 years: only after a negative PPD test.
    PpdFirst,
    /// Past the age limit of this dose or of catch-up.
    AgeLimit,
    /// 6 years or more with fewer than 3 DTaP doses: catch up with DT.
    DtCatchUp,
    /// MPSV-AC from 24 months for a child who had no MPSV-A.
    MpsvAcInstead,
}

impl Note {
    pub fn text(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Note::PpdFirst, true) => "3月龄至3岁未接种卡介苗：先做PPD试验，阴性方可补种",
            (Note::PpdFirst, false) => "BCG from 3 months to 3 years: PPD test first, vaccinate only if negative",
            (Note::AgeLimit, true) => "已超过该剂次的补种年龄，不再补种",
            (Note::AgeLimit, false) => "Past the catch-up age of this dose: not given",
            (Note::DtCatchUp, true) => "≥6岁且百白破不足3剂：改用白破疫苗补种至3剂",
            (Note::DtCatchUp, false) => "6 years or more with fewer than 3 DTaP doses: catch up to 3 doses with DT",
            (Note::MpsvAcInstead, true) => "≥24月龄未种A群流脑疫苗：不再补种，3岁起种A群C群流脑疫苗2剂",
            (Note::MpsvAcInstead, false) => {
                "24 months or more without MPSV-A: none now, two doses of MPSV-AC from 3 years"
            }
        }
    }
}

/// One line of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub vaccine: &'static str,
    pub dose: u8,
    pub status: Status,
    /// The valid dose's date, when given.
    pub given: Option<NaiveDate>,
    /// The earliest date a missing dose can be given.
    pub earliest: Option<NaiveDate>,
    /// The last day the dose is timely (complete-by age, or earliest + grace).
    pub due_by: Option<NaiveDate>,
    pub note: Option<Note>,
}

impl Planned {
    /// Still to be given (due, upcoming, overdue or later).
    pub fn missing(&self) -> bool {
        matches!(self.status, Status::Due | Status::Upcoming | Status::Overdue | Status::Later)
    }
}

/// The adjustable parts of the status rules [U].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanRules {
    /// A dose is upcoming this many days before it can be given.
    pub upcoming_days: i64,
    /// Where the standard sets no complete-by age, a dose is overdue this long after its earliest date.
    pub grace: Span,
    /// Catch-up stops at this age.
    pub catch_up_until: Span,
}

pub const RULES: PlanRules = PlanRules { upcoming_days: 30, grace: Span::Months(1), catch_up_until: Span::Months(216) };

/// The series a vaccine belongs to: doses of one series are given in order, whatever the product.
pub fn series(vaccine: &str) -> &'static str {
    match vaccine {
        "IPV" | "bOPV" => "polio",
        "DTaP" | "DT" => "DTP",
        "JE-L" | "JE-I" => "JE",
        "MPSV-A" | "MPSV-AC" => "MPSV",
        "HepA-L" | "HepA-I" => "HepA",
        "HepB" => "HepB",
        "BCG" => "BCG",
        "MMR" => "MMR",
        _ => "",
    }
}

/// The 6-year DTP dose: DT 1 in the 2021 edition, DTaP 5 from 2025.
fn six_year_dose(vaccine: &str, dose: u8) -> bool {
    matches!((vaccine, dose), ("DT", 1) | ("DTaP", 5))
}

/// The plan of a child born on `birth` with `doses` on the card, on `today`.
pub fn plan(birth: NaiveDate, doses: &[GivenDose], today: NaiveDate, rules: &PlanRules) -> Vec<Planned> {
    let verdicts = judge(birth, doses);
    let valid: Vec<&GivenDose> = doses.iter().zip(&verdicts).filter(|(_, v)| v.is_none()).map(|(d, _)| d).collect();
    let given_of = |v: &str, n: u8| {
        valid
            .iter()
            .filter(|d| {
                (d.vaccine == v && d.dose_no == n) || (six_year_dose(v, n) && six_year_dose(&d.vaccine, d.dose_no))
            })
            .map(|d| d.date)
            .min()
    };
    let on_card = |v: &str| doses.iter().any(|d| d.vaccine == v);
    let month_age = |m: u32| Span::Months(m).after(birth);
    let aged_out = today >= rules.catch_up_until.after(birth);
    // The last valid dose of another injectable live vaccine, for the 28-day rule.
    let last_live_other = |of: &str| {
        valid
            .iter()
            .filter(|d| d.vaccine != of && vaccine(&d.vaccine).is_some_and(|v| v.injectable_live))
            .map(|d| d.date)
            .max()
    };
    let dtp_valid = valid.iter().filter(|d| series(&d.vaccine) == "DTP").count();
    let no_mpsv_a = !valid.iter().any(|d| d.vaccine == "MPSV-A");

    let version = ScheduleVersion::on(today);
    let slots: Vec<&'static ScheduleDose> = version
        .doses()
        .filter(|s| match s.vaccine {
            "JE-L" => !on_card("JE-I"),
            "JE-I" => on_card("JE-I"),
            "HepA-L" => !on_card("HepA-I"),
            "HepA-I" => on_card("HepA-I"),
            _ => true,
        })
        .collect();

    let mut out: Vec<Planned> = Vec::with_capacity(slots.len());
    // (vaccine, dose) → the date it was given, or can be given at the soonest, for the slots after it.
    let mut dated: Vec<(&'static str, u8, NaiveDate)> = Vec::new();
    for slot in slots {
        let due_by_age = slot.complete_by.map(|c| c.after(birth) - Duration::days(1));
        if let Some(date) = given_of(slot.vaccine, slot.dose) {
            dated.push((slot.vaccine, slot.dose, date));
            let timely = due_by_age.is_none_or(|by| date <= by);
            out.push(Planned {
                vaccine: slot.vaccine,
                dose: slot.dose,
                status: Status::Given { timely },
                given: Some(date),
                earliest: None,
                due_by: due_by_age,
                note: None,
            });
            continue;
        }
        let not_needed = |note: Note| Planned {
            vaccine: slot.vaccine,
            dose: slot.dose,
            status: Status::NotNeeded,
            given: None,
            earliest: None,
            due_by: None,
            note: Some(note),
        };
        let mut note = None;
        let min_age = slot.min_age.after(birth);
        match (slot.vaccine, slot.dose) {
            _ if aged_out => {
                out.push(not_needed(Note::AgeLimit));
                continue;
            }
            ("BCG", _) if today >= month_age(48) => {
                out.push(not_needed(Note::AgeLimit));
                continue;
            }
            ("BCG", _) if today >= month_age(3) => note = Some(Note::PpdFirst),
            ("MPSV-A", _) if today >= month_age(24) => {
                out.push(not_needed(Note::AgeLimit));
                continue;
            }
            ("MPSV-AC", 1) if no_mpsv_a && today >= month_age(24) => note = Some(Note::MpsvAcInstead),
            ("DTaP", 4) if today >= month_age(72) && dtp_valid >= 3 => {
                out.push(not_needed(Note::AgeLimit));
                continue;
            }
            ("DTaP", _) if today >= month_age(72) && dtp_valid < 3 => note = Some(Note::DtCatchUp),
            _ => {}
        }
        let mut earliest = min_age;
        for (v, n, span) in slot.after {
            if let Some((_, _, date)) = dated.iter().find(|(dv, dn, _)| dv == v && dn == n) {
                earliest = earliest.max(span.after(*date));
            }
        }
        // Never before the series' previous dose (given, or planned at its soonest).
        if let Some((_, _, date)) = dated.iter().rev().find(|(dv, _, _)| series(dv) == series(slot.vaccine)) {
            earliest = earliest.max(*date + Duration::days(1));
        }
        if vaccine(slot.vaccine).is_some_and(|v| v.injectable_live) {
            if let Some(date) = last_live_other(slot.vaccine) {
                earliest = earliest.max(date + Duration::days(LIVE_INTERVAL_DAYS));
            }
        }
        dated.push((slot.vaccine, slot.dose, earliest.max(today)));
        let due_by = due_by_age.unwrap_or_else(|| rules.grace.after(earliest));
        let status = if today > due_by {
            Status::Overdue
        } else if today >= earliest {
            Status::Due
        } else if (earliest - today).num_days() <= rules.upcoming_days {
            Status::Upcoming
        } else {
            Status::Later
        };
        out.push(Planned {
            vaccine: slot.vaccine,
            dose: slot.dose,
            status,
            given: None,
            earliest: Some(earliest),
            due_by: Some(due_by),
            note,
        });
    }
    out
}

/// The doses on the card that do not count, with why (shown beside the plan).
pub fn invalid_doses(birth: NaiveDate, doses: &[GivenDose]) -> Vec<(GivenDose, Invalid)> {
    doses.iter().cloned().zip(judge(birth, doses)).filter_map(|(d, v)| v.map(|v| (d, v))).collect()
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
