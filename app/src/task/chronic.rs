//! Follow-up tasks of chronic patients: hypertension and diabetes (§3.1), severe mental disorder (§3.2) and
//! pulmonary TB (§3.3). Only face-to-face visits (clinic or home) where the patient was seen count; a phone
//! call or a "lost" entry leaves the task open, a death ends it.

use super::{next_quarter, History, Rule, Task, TaskKind};
use crate::record::{RecordBody, RecordInput};
use crate::resident::KeyFlag;
use crate::visit::chronic::{
    face_to_face, ChronicRules, CLASS_ADR, CLASS_COMPLICATION, CLASS_UNCONTROLLED, NEXT_REFER, NEXT_ROUTINE,
    NEXT_TWO_WEEKS, NEXT_URGENT, OUTCOME_DIED,
};
use crate::visit::{VisitKind, VisitSummary};
use chrono::{Duration, NaiveDate};
use uuid::Uuid;

/// A follow-up reduced to what the cadence rules read.
struct Seen {
    id: Uuid,
    date: NaiveDate,
    /// Face-to-face and the patient seen.
    counts: bool,
    died: bool,
    /// Revisit within 2 weeks (and which rule says so), or routine.
    soon: Option<Rule>,
    next_date: Option<NaiveDate>,
}

pub(super) fn tasks(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let since = |flag: KeyFlag| h.resident.flags.iter().find(|m| m.flag == flag).map(|m| m.since);
    let rules = ChronicRules::default();
    for (flag, kind, task) in
        [(KeyFlag::Htn, VisitKind::Hypertension, TaskKind::Htn), (KeyFlag::T2dm, VisitKind::Diabetes, TaskKind::Dm)]
    {
        if let Some(since) = since(flag) {
            let seen: Vec<Seen> = h.visits.iter().filter(|v| v.kind == kind).map(chronic_seen).collect();
            out.extend(cadence(h, task, since, &seen, &rules));
        }
    }
    if let Some(since) = since(KeyFlag::Smi) {
        let seen: Vec<Seen> = h.records.iter().filter_map(|r| smi_seen(r)).collect();
        out.extend(cadence(h, TaskKind::Smi, since, &seen, &rules));
    }
    if let Some(since) = since(KeyFlag::Tb) {
        out.extend(tb(h, since, today));
    }
}

fn chronic_seen(v: &VisitSummary) -> Seen {
    let step = v.next_mgmt.unwrap_or(match v.classification {
        Some(CLASS_COMPLICATION) => NEXT_REFER,
        Some(CLASS_UNCONTROLLED) | Some(CLASS_ADR) => NEXT_TWO_WEEKS,
        _ => NEXT_ROUTINE,
    });
    Seen {
        id: v.id,
        date: v.visit_date,
        counts: face_to_face(v.outcome, v.mode),
        died: v.outcome == OUTCOME_DIED,
        soon: match step {
            NEXT_TWO_WEEKS => Some(Rule::TwoWeeks),
            NEXT_REFER | NEXT_URGENT => Some(Rule::AfterReferral),
            _ => None,
        },
        next_date: v.next_visit_date,
    }
}

fn smi_seen(r: &RecordInput) -> Option<Seen> {
    let RecordBody::SmiVisit(v) = &r.body else { return None };
    Some(Seen {
        id: r.id,
        date: r.date,
        counts: face_to_face(v.outcome, v.mode),
        died: v.outcome == OUTCOME_DIED,
        soon: match v.class {
            Some(crate::smi::UNSTABLE) | Some(crate::smi::BASICALLY_STABLE) => Some(Rule::SmiTwoWeeks),
            _ => None,
        },
        next_date: v.next_visit_date,
    })
}

/// The next follow-up after the last one that counted: within 2 weeks after a visit that asks for it,
/// otherwise in the next quarter (on the date the doctor set if it falls in that quarter, else three months
/// on, kept inside the quarter). Never followed up: due from enrolment, on time until that quarter ends.
fn cadence(h: &History, kind: TaskKind, since: NaiveDate, seen: &[Seen], rules: &ChronicRules) -> Option<Task> {
    if seen.iter().any(|s| s.died) {
        return None;
    }
    let task = |due: NaiveDate, window_end: NaiveDate, rule: Rule, source: Option<Uuid>| Task {
        resident_id: h.resident.id,
        kind: kind.clone(),
        due,
        window_end,
        rule,
        source,
    };
    let Some(last) = seen.iter().filter(|s| s.counts).max_by_key(|s| (s.date, s.id)) else {
        let (_, end) = super::quarter_of(since);
        return Some(task(since, end, Rule::FirstFollowUp, None));
    };
    if let Some(rule) = last.soon {
        let end = last.date + Duration::days(rules.revisit_days as i64);
        let due = last.next_date.filter(|d| *d > last.date).unwrap_or(end).min(end);
        return Some(task(due, end, rule, Some(last.id)));
    }
    let (start, end) = next_quarter(last.date);
    let by_default = last.date.checked_add_months(chrono::Months::new(rules.routine_months)).unwrap_or(end);
    let (due, rule) = match last.next_date.filter(|d| (start..=end).contains(d)) {
        Some(d) => (d, Rule::DoctorSet),
        None => (by_default.clamp(start, end), Rule::Quarterly),
    };
    Some(task(due, end, rule, Some(last.id)))
}

/// TB: the first visit within 72 hours of enrolment, then the supervision cadence, until the closing visit.
fn tb(h: &History, since: NaiveDate, today: NaiveDate) -> Option<Task> {
    use crate::tb::{next_visit, CLOSING, FAMILY, FIRST_VISIT_HOURS, INTENSIVE};
    let visits: Vec<(&RecordInput, &crate::tb::TbVisitInput)> = h
        .records
        .iter()
        .filter_map(|r| match &r.body {
            RecordBody::TbVisit(v) => Some((*r, v.as_ref())),
            _ => None,
        })
        .collect();
    let task = |due: NaiveDate, rule: Rule, source: Option<Uuid>| Task {
        resident_id: h.resident.id,
        kind: TaskKind::Tb,
        due,
        window_end: due,
        rule,
        source,
    };
    let Some((r, v)) = visits.iter().max_by_key(|(r, _)| (r.date, r.id)) else {
        let first_by = since + Duration::hours(FIRST_VISIT_HOURS);
        return Some(Task { window_end: first_by, ..task(since, Rule::TbFirstVisit, None) });
    };
    if v.visit_type == Some(CLOSING) || v.stop_date.is_some_and(|d| d <= today) {
        return None;
    }
    let cadence = next_visit(v.supervisor.unwrap_or(FAMILY), v.phase.unwrap_or(INTENSIVE), r.date);
    match v.next_visit_date.filter(|d| *d > r.date) {
        Some(d) => Some(task(d, Rule::DoctorSet, Some(r.id))),
        None => Some(task(cadence, Rule::TbSupervision, Some(r.id))),
    }
}
