//! Tasks from the other services: the yearly check from 65 (§3.4), the child's immunization plan with the
//! missed-dose contact log (§5), the family-doctor contract (§7), referrals and the home visits a doctor booked.

use super::{History, Rule, Task, TaskKind};
use crate::contract::{ContractInput, ContractState};
use crate::record::{RecordBody, RecordInput};
use crate::vaccination::plan::{plan, series, Status, RULES};
use crate::vaccination::{GivenDose, OUTCOME_CONTRAINDICATION, OUTCOME_MOVED, OUTCOME_REFUSED, OUTCOME_WILL_ATTEND};
use chrono::{Datelike, Duration, Months, NaiveDate};
use uuid::Uuid;

/// Children are followed for vaccines up to this age (then only if the card has doses).
pub const VACCINE_TASKS_UNTIL_MONTHS: u32 = 84;
/// From this age a child with no dose on record gets one "enter the card" task instead of the plan.
pub const CARD_AFTER_MONTHS: u32 = 3;
/// An expired contract still asks for renewal this long.
pub const RENEWAL_ASKED_DAYS: i64 = 365;

pub(super) fn tasks(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    elderly(h, today, out);
    vaccines(h, today, out);
    contract(h, today, out);
    referrals(h, out);
    home_visit(h, out);
}

fn task(h: &History, kind: TaskKind, due: NaiveDate, window_end: NaiveDate, rule: Rule, source: Option<Uuid>) -> Task {
    Task { resident_id: h.resident.id, kind, due, window_end, rule, source }
}

fn of_kind<'a, T>(h: &'a History, pick: impl Fn(&'a RecordBody) -> Option<&'a T>) -> Vec<(&'a RecordInput, &'a T)> {
    let mut v: Vec<(&RecordInput, &T)> = h.records.iter().filter_map(|r| pick(&r.body).map(|b| (*r, b))).collect();
    v.sort_by_key(|(r, _)| (r.date, r.id));
    v
}

/// One check per calendar year from the year the resident turns 65: the year's task is due a year after the
/// last check (or on the date the doctor set, or on 1 January if never checked), on time until 31 December.
fn elderly(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let turns_65 = h.resident.birth_date.year() + crate::elderly::MIN_AGE;
    if today.year() < turns_65 {
        return;
    }
    let checks = of_kind(h, |b| match b {
        RecordBody::ElderlyCheck(c) => Some(c.as_ref()),
        _ => None,
    });
    let year_start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today);
    let last = checks.last();
    // The year the next check is for: this one, unless it already had one.
    let year = match last {
        Some((r, _)) if r.date.year() >= today.year() => r.date.year() + 1,
        _ => today.year(),
    };
    let (start, end) = (year_start(year), year_start(year + 1) - Duration::days(1));
    let (due, rule) = match last {
        Some((r, c)) => match c.next_date.filter(|d| (start..=end).contains(d)) {
            Some(d) => (d, Rule::DoctorSet),
            None => {
                (r.date.checked_add_months(Months::new(12)).unwrap_or(start).clamp(start, end), Rule::ElderlyYearly)
            }
        },
        None => (start, Rule::ElderlyYearly),
    };
    out.push(task(h, TaskKind::Elderly, due, end, rule, last.map(|(r, _)| r.id)));
}

/// The first missing dose of each series of the child's plan, moved to the date agreed in the last
/// missed-dose contact (or dropped when the family moved away, refused or a contraindication was found
/// with no date to try again).
fn vaccines(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let birth = h.resident.birth_date;
    let doses: Vec<GivenDose> = of_kind(h, |b| match b {
        RecordBody::Dose(d) => Some(d),
        _ => None,
    })
    .into_iter()
    .map(|(r, d)| GivenDose { vaccine: d.vaccine.clone(), dose_no: d.dose_no, date: r.date })
    .collect();
    let until = birth.checked_add_months(Months::new(VACCINE_TASKS_UNTIL_MONTHS)).unwrap_or(birth);
    if today >= until && doses.is_empty() {
        return;
    }
    // A child past 3 months with nothing on record has a paper card (接种证) to enter, not a dozen missed
    // doses: one task until it is entered (the plan follows from the doses).
    let card_from = birth.checked_add_months(Months::new(CARD_AFTER_MONTHS)).unwrap_or(birth);
    if doses.is_empty() && today >= card_from {
        out.push(task(h, TaskKind::VaccinationCard, card_from, until - Duration::days(1), Rule::CardMissing, None));
        return;
    }
    let contact = of_kind(h, |b| match b {
        RecordBody::Contact(c) => Some(c),
        _ => None,
    })
    .last()
    .map(|(r, c)| (r.id, *c));
    if contact.is_some_and(|(_, c)| c.outcome == Some(OUTCOME_MOVED)) {
        return;
    }
    let mut done_series: Vec<&str> = Vec::new();
    for line in plan(birth, &doses, today, &RULES) {
        let s = series(line.vaccine);
        if !line.missing() || done_series.contains(&s) {
            continue;
        }
        done_series.push(s);
        let (Some(mut due), Some(mut end)) = (line.earliest, line.due_by) else { continue };
        let rule = if line.status == Status::Overdue { Rule::CatchUp } else { Rule::Schedule };
        let mut source = None;
        if let Some((id, c)) =
            contact.filter(|(_, c)| c.vaccines.is_empty() || c.vaccines.iter().any(|v| series(v) == s))
        {
            let agreed =
                if c.outcome == Some(OUTCOME_WILL_ATTEND) { c.attend_date.or(c.next_contact) } else { c.next_contact };
            match agreed {
                Some(d) if d > today => {
                    due = due.max(d);
                    end = end.max(d);
                    source = Some(id);
                }
                None if matches!(c.outcome, Some(OUTCOME_REFUSED) | Some(OUTCOME_CONTRAINDICATION)) => continue,
                _ => {}
            }
        }
        let kind = TaskKind::Vaccine { vaccine: line.vaccine.to_string(), dose: line.dose };
        out.push(task(h, kind, due, end, rule, source));
    }
}

/// The latest contract (one renewed by a later contract is done): renewal from 30 days before its end, and
/// each contracted item behind the term's pace (due from the day the next delivery fell due).
fn contract(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let contracts = of_kind(h, |b| match b {
        RecordBody::Contract(c) => Some(c),
        _ => None,
    });
    let Some((r, c)) = contracts.last() else { return };
    let (start, end) = (r.date, c.end_date(r.date));
    // Renewal is a task from the day the contract is signed (for later), due in its last 30 days.
    let expired = crate::contract::state(start, c, today) == ContractState::Expired;
    if !expired || (today - end).num_days() <= RENEWAL_ASKED_DAYS {
        let due = end - Duration::days(crate::contract::RENEWAL_WINDOW_DAYS - 1);
        out.push(task(h, TaskKind::ContractRenewal, due, end, Rule::ContractEnding, Some(r.id)));
    }
    if expired {
        return;
    }
    let delivered: Vec<u8> = of_kind(h, |b| match b {
        RecordBody::Delivery(d) => Some(d),
        _ => None,
    })
    .into_iter()
    .filter(|(_, d)| d.contract_id == r.record_id)
    .filter_map(|(_, d)| d.item)
    .collect();
    for (item, due_count, done) in crate::contract::fulfilment(start, c, &delivered, today) {
        if due_count > done {
            let due = pace_date(start, end, c, item, done + 1).unwrap_or(start);
            out.push(task(h, TaskKind::ContractService { item }, due, end, Rule::ContractPace, Some(r.id)));
        }
    }
}

/// The day the `n`-th delivery of `item` falls due at the term's even pace (as `fulfilment` counts).
fn pace_date(start: NaiveDate, end: NaiveDate, c: &ContractInput, item: u8, n: u32) -> Option<NaiveDate> {
    let times = c.items().into_iter().find(|(i, _)| *i == item)?.1;
    let per_term = times as f64 * c.term_months as f64 / 12.0;
    let term_days = ((end - start).num_days() + 1) as f64;
    let day = (n as f64 * term_days / per_term).ceil() as i64 - 1;
    Some(start + Duration::days(day.max(0)))
}

/// Referrals made on their own (a follow-up form's referral is followed by that form's own 2-week rule),
/// until the result is known.
fn referrals(h: &History, out: &mut Vec<Task>) {
    for (r, x) in of_kind(h, |b| match b {
        RecordBody::Referral(x) => Some(x.as_ref()),
        _ => None,
    }) {
        let from_followup = matches!(x.source_kind.as_str(), "htn" | "dm" | "smi" | "tb");
        let open = x.result.is_none_or(|v| v == crate::referral::PENDING);
        if open && !from_followup {
            let by = crate::referral::follow_up_by(r.date);
            out.push(task(h, TaskKind::Referral, by, by, Rule::AfterReferral, Some(r.id)));
        }
    }
}

/// The next home visit the doctor booked on the last one.
fn home_visit(h: &History, out: &mut Vec<Task>) {
    let visits = of_kind(h, |b| match b {
        RecordBody::HomeVisit(v) => Some(v.as_ref()),
        _ => None,
    });
    if let Some((r, v)) = visits.last() {
        if let Some(d) = v.next_date.filter(|d| *d > r.date) {
            out.push(task(h, TaskKind::HomeVisit, d, d, Rule::DoctorSet, Some(r.id)));
        }
    }
}
