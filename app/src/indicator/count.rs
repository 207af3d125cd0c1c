//! What one resident's history, and one village-level record, add to the counters of a period.
//!
//! Rules [P] where domain.md §6 leaves a choice: a resident counts while their record is active (not moved,
//! deceased or refused, and no follow-up recorded a death); patients count from the date of their flag;
//! only face-to-face follow-ups where the patient was seen count (as for the task engine); control reads the
//! last such follow-up in the period; vaccine coverage counts the children whose dose fell due (the day it
//! becomes late by age) in the period, and a valid dose given by the period's end.

use super::{vaccine_counters, Counts, Period};
use crate::record::{RecordBody, RecordInput};
use crate::resident::{age_on, KeyFlag};
use crate::task::History;
use crate::task::{died, INACTIVE};
use crate::vaccination::plan::{plan, Status, RULES};
use crate::vaccination::schedule::ScheduleVersion;
use crate::vaccination::GivenDose;
use crate::visit::chronic::face_to_face;
use crate::visit::{VisitKind, VisitSummary};
use chrono::{Datelike, Duration, Months, NaiveDate};

/// 血压控制: below 140/90, or 150/90 from 65 [P].
const SBP_TARGET: i32 = 140;
const SBP_TARGET_65: i32 = 150;
const DBP_TARGET: i32 = 90;
/// 血糖控制: fasting glucose below 7.0 mmol/L.
const FBG_TARGET: f64 = 7.0;
/// Children get a vaccination card (接种证) once they have lived 3 months in the area; counted to age 7.
const CARD_AFTER_MONTHS: u32 = 3;
const CHILD_UNTIL_YEARS: i32 = 7;

/// Adds what `h`'s resident counts for in `p`. `viewed`: the resident opened their own record in the period.
pub fn count_resident(h: &History, p: &Period, viewed: bool, out: &mut Counts) {
    let r = h.resident;
    if INACTIVE.contains(&r.status) || r.birth_date > p.end || died(h) {
        return;
    }
    out.inc("records");
    if viewed {
        out.inc("records_viewed");
    }
    let recent = p.last_year_start();
    let in_use = h.visits.iter().any(|v| v.visit_date >= recent && v.visit_date <= p.end)
        || h.records.iter().any(|x| x.date >= recent && x.date <= p.end);
    if in_use {
        out.inc("records_used");
    }
    let age = age_on(r.birth_date, p.end);
    if age >= 18 {
        out.inc("adults");
    }
    let flagged = |f: KeyFlag| r.flags.iter().any(|m| m.flag == f && m.since <= p.end);
    // 65+ by the year of the period's end (age reached during the year), as the program counts them.
    let elderly = p.end.year() - r.birth_date.year() >= crate::elderly::MIN_AGE;
    let child = age < CHILD_UNTIL_YEARS;

    for (flag, kind, name) in
        [(KeyFlag::Htn, VisitKind::Hypertension, "htn"), (KeyFlag::T2dm, VisitKind::Diabetes, "dm")]
    {
        if flagged(flag) {
            chronic(h, p, kind, name, out);
        }
    }
    if flagged(KeyFlag::Smi) {
        out.inc("smi_patients");
        let seen = h
            .records
            .iter()
            .filter(|x| p.contains(x.date))
            .filter(|x| matches!(&x.body, RecordBody::SmiVisit(v) if face_to_face(v.outcome, v.mode)))
            .count() as u64;
        if seen >= p.required_visits() {
            out.inc("smi_standard");
        }
    }
    if flagged(KeyFlag::Tb) {
        out.inc("tb_patients");
        if h.records.iter().any(|x| x.date <= p.end && matches!(x.body, RecordBody::TbVisit(_))) {
            out.inc("tb_managed");
        }
    }
    if elderly {
        out.inc("elderly");
        if h.records.iter().any(|x| p.contains(x.date) && matches!(x.body, RecordBody::ElderlyCheck(_))) {
            out.inc("elderly_managed");
        }
    }
    let key = elderly || child || KeyFlag::STORED.iter().any(|f| flagged(*f));
    if key {
        out.inc("key_group");
    }
    if contracts(h, p, out) {
        out.inc("contracted");
        if key {
            out.inc("key_contracted");
        }
        if elderly {
            out.inc("elderly_contracted");
        }
    }
    if child {
        vaccines(h, p, out);
    }
    super::program::count(h, p, elderly, out);
}

/// What a record kept for the village rather than a resident (a health-education session) adds in `p`.
pub fn count_village_record(x: &RecordInput, p: &Period, out: &mut Counts) {
    let RecordBody::Education(e) = &x.body else { return };
    if !p.contains(x.date) {
        return;
    }
    out.inc("edu_sessions");
    if e.is_lecture() {
        out.inc("edu_lectures");
    }
    if e.forms.contains(&crate::education::FORM_CONSULTATION) {
        out.inc("edu_consultations");
    }
    out.add("edu_audience", e.audience_count.unwrap_or(0) as u64);
    out.add("edu_materials", e.materials.iter().map(|m| m.count as u64).sum());
}

fn seen(v: &VisitSummary) -> bool {
    face_to_face(v.outcome, v.mode)
}

/// 管理 (≥1 face-to-face follow-up in the period), 规范管理 (the period's required number) and 控制 (the
/// last one at target).
fn chronic(h: &History, p: &Period, kind: VisitKind, name: &str, out: &mut Counts) {
    out.inc(&format!("{name}_patients"));
    let mut seen: Vec<&VisitSummary> =
        h.visits.iter().filter(|v| v.kind == kind && p.contains(v.visit_date) && seen(v)).collect();
    if seen.is_empty() {
        return;
    }
    out.inc(&format!("{name}_managed"));
    if seen.len() as u64 >= p.required_visits() {
        out.inc(&format!("{name}_standard"));
    }
    seen.sort_by_key(|v| (v.visit_date, v.id));
    let Some(last) = seen.last() else { return };
    let controlled = match kind {
        VisitKind::Hypertension => {
            let sbp_target =
                if age_on(h.resident.birth_date, last.visit_date) >= 65 { SBP_TARGET_65 } else { SBP_TARGET };
            matches!((last.sbp, last.dbp), (Some(s), Some(d)) if s < sbp_target && d < DBP_TARGET)
        }
        VisitKind::Diabetes => last.fbg.is_some_and(|g| g < FBG_TARGET),
    };
    if controlled {
        out.inc(&format!("{name}_controlled"));
    }
}

/// Whether a contract covered any day of the period; adds the contracted items due and delivered in it
/// (履约率, definition (a)). Deliveries count up to what was due so far: the period is credited with the
/// growth of min(delivered, due) over it, so an item delivered ahead of pace counts in the period it falls
/// due, one delivered beyond its yearly count never, and the months of a year add up to the year.
fn contracts(h: &History, p: &Period, out: &mut Counts) -> bool {
    let mut any = false;
    for x in h.records.iter().filter(|x| x.date <= p.end) {
        let RecordBody::Contract(c) = &x.body else { continue };
        let (start, end) = (x.date, c.end_date(x.date));
        if end < p.start {
            continue;
        }
        any = true;
        let delivered: Vec<(NaiveDate, u8)> = h
            .records
            .iter()
            .filter_map(|d| match &d.body {
                RecordBody::Delivery(dl) if dl.contract_id == x.record_id => dl.item.map(|i| (d.date, i)),
                _ => None,
            })
            .collect();
        // (due, credited) per item by the end of `day`; nothing before the contract starts.
        let by = |day: Option<NaiveDate>, item: u8| -> (u64, u64) {
            let Some(day) = day.filter(|d| *d >= start) else { return (0, 0) };
            let day = day.min(end);
            let due = crate::contract::fulfilment(start, c, &[], day)
                .iter()
                .find(|(i, _, _)| *i == item)
                .map_or(0, |t| t.1 as u64);
            let done = delivered.iter().filter(|(d, i)| *i == item && *d <= day).count() as u64;
            (due, done.min(due))
        };
        for (item, _) in c.items().into_iter().filter(|(_, times)| *times > 0) {
            let (due_end, done_end) = by(Some(p.end), item);
            let (due_before, done_before) = by(p.start.pred_opt(), item);
            out.add("items_due", due_end - due_before);
            out.add("items_delivered", done_end - done_before);
        }
    }
    any
}

/// Card (建证) and per-dose coverage of a child.
fn vaccines(h: &History, p: &Period, out: &mut Counts) {
    let birth = h.resident.birth_date;
    let doses: Vec<GivenDose> = h
        .records
        .iter()
        .filter(|x| x.date <= p.end)
        .filter_map(|x| match &x.body {
            RecordBody::Dose(d) => Some(GivenDose { vaccine: d.vaccine.clone(), dose_no: d.dose_no, date: x.date }),
            _ => None,
        })
        .collect();
    if birth.checked_add_months(Months::new(CARD_AFTER_MONTHS)).is_some_and(|d| d <= p.end) {
        out.inc("card_due");
        if !doses.is_empty() {
            out.inc("cards");
        }
    }
    let version = ScheduleVersion::on(p.end);
    for line in plan(birth, &doses, p.end, &RULES) {
        // The cohort is fixed by age: the day the dose becomes late (its complete-by age, or the minimum age
        // plus the grace period where the standard sets none), whether or not it was given.
        let Some(slot) = version.dose(line.vaccine, line.dose) else { continue };
        let late_from = slot
            .complete_by
            .map(|c| c.after(birth) - Duration::days(1))
            .unwrap_or_else(|| RULES.grace.after(slot.min_age.after(birth)));
        if line.status == Status::NotNeeded || !p.contains(late_from) {
            continue;
        }
        let [due, given, timely] = vaccine_counters(line.vaccine, line.dose);
        out.inc(&due);
        if let Status::Given { timely: t } = line.status {
            out.inc(&given);
            if t {
                out.inc(&timely);
            }
        }
    }
}
