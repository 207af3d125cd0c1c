//! Tasks of mothers, newborns and children (domain spec 2 §8): the prenatal visit to urge next (PN_2…PN_5),
//! the postpartum visit and the 42-day check a delivery opens (PP_VISIT, PP_42), the newborn's first home
//! visit (NB_VISIT1, NB_VISIT1_HR), the child's current health check (CH_*), the referral follow-up
//! (REFER_FU) and the TCM services (TCM_OLD, TCM_CH_6…36). Like the other rules they are
//! recomputed from the records: saving the record that fulfils a task removes it.
//!
//! Children are followed from their birth record or their first newborn or child check in Cunyi, not every
//! child in the village: the checks after 满月 are at the township centre, and a village that has not
//! entered its children's records would otherwise see every child overdue.

use super::{History, Rule, Task, TaskKind};
use crate::child::{self, CheckPoint};
use crate::maternal::{self, PrenatalVisit};
use crate::record::{RecordBody, RecordInput};
use chrono::{Duration, NaiveDate};

/// A postpartum visit not made is dropped once the 42-day check is due; that check after this many days.
pub const PP42_ASKED_DAYS: i64 = 365;

pub(super) fn tasks(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    pregnancy(h, today, out);
    postpartum(h, today, out);
    newborn(h, today, out);
    child_check(h, today, out);
    referral_follow_up(h, today, out);
    tcm_elderly(h, today, out);
    tcm_child(h, today, out);
}

/// A referral stays a task this long at most (then it is the township's to chase).
pub const REFERRAL_ASKED_DAYS: i64 = 60;

/// Whether a record of these services made a referral.
fn referred(body: &RecordBody) -> bool {
    match body {
        RecordBody::Pregnancy(p) => p.referral,
        RecordBody::Prenatal(p) => matches!(&p.entry, crate::maternal::FollowUpEntry::Visited(v) if v.referral),
        RecordBody::Postpartum(p) => p.referral,
        RecordBody::Postpartum42(c) => c.disposal == Some(crate::maternal::Disposal::Refer),
        RecordBody::NewbornVisit(v) => v.referral,
        RecordBody::ChildCheck(c) => c.referral,
        _ => false,
    }
}

fn is_program(body: &RecordBody) -> bool {
    matches!(
        body,
        RecordBody::Pregnancy(_)
            | RecordBody::Prenatal(_)
            | RecordBody::Postpartum(_)
            | RecordBody::Postpartum42(_)
            | RecordBody::NewbornVisit(_)
            | RecordBody::ChildCheck(_)
    )
}

/// REFER_FU: a referral on a mother's or child's form is followed up within 2 weeks; the next form of these
/// services recorded after it closes the task.
fn referral_follow_up(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let Some(last) = records(h).filter(|r| is_program(&r.body)).max_by_key(|r| (r.date, r.id)) else { return };
    if !referred(&last.body) || (today - last.date).num_days() > REFERRAL_ASKED_DAYS {
        return;
    }
    let window = crate::maternal::referral_follow_up_window(last.date);
    out.push(task(h, TaskKind::Referral, window, Rule::AfterReferral, last));
}

fn task(h: &History, kind: TaskKind, (due, end): (NaiveDate, NaiveDate), rule: Rule, source: &RecordInput) -> Task {
    Task { resident_id: h.resident.id, kind, due, window_end: end, rule, source: Some(source.id) }
}

fn records<'a>(h: &'a History) -> impl Iterator<Item = &'a RecordInput> + 'a {
    h.records.iter().copied()
}

/// The latest delivery.
fn childbirth<'a>(h: &'a History) -> Option<(&'a RecordInput, &'a maternal::ChildbirthInput)> {
    records(h)
        .filter_map(|r| match &r.body {
            RecordBody::Childbirth(c) => Some((r, c.as_ref())),
            _ => None,
        })
        .max_by_key(|(r, c)| (c.delivery_date, r.id))
}

/// The next prenatal visit of the current pregnancy (registered, not delivered): the first one not recorded
/// after the last recorded, skipping one whose window closed while the next one's is open.
fn pregnancy(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let Some((r, reg)) = records(h)
        .filter_map(|r| match &r.body {
            RecordBody::Pregnancy(p) => Some((r, p.as_ref())),
            _ => None,
        })
        .max_by_key(|(r, p)| (p.registration_date, r.id))
    else {
        return;
    };
    if childbirth(h).is_some_and(|(_, c)| c.delivery_date >= reg.registration_date) {
        return;
    }
    let Some(lmp) = reg.lmp_estimate() else { return };
    if (today - lmp).num_days() > maternal::MAX_GA_DAYS {
        return;
    }
    let done: Vec<PrenatalVisit> = records(h)
        .filter_map(|x| match &x.body {
            RecordBody::Prenatal(p) if x.date >= reg.registration_date => Some(p.visit),
            _ => None,
        })
        .collect();
    let last_done = done.iter().max().copied();
    let candidates: Vec<PrenatalVisit> = PrenatalVisit::ALL[1..]
        .iter()
        .copied()
        .filter(|v| last_done.is_none_or(|l| *v > l) && maternal::window(lmp, *v).1 >= reg.registration_date)
        .collect();
    let next = candidates.iter().enumerate().find(|(i, v)| {
        let closed = maternal::window(lmp, **v).1 < today;
        let next_open = candidates.get(i + 1).is_some_and(|n| maternal::window(lmp, *n).0 <= today);
        !(closed && next_open)
    });
    if let Some((_, v)) = next {
        out.push(task(h, TaskKind::Prenatal { visit: *v }, maternal::window(lmp, *v), Rule::PrenatalWindow, r));
    }
}

/// The postpartum visit within 7 days of discharge and the 42-day check, until each is recorded.
fn postpartum(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let Some((r, c)) = childbirth(h) else { return };
    let after = |x: &&RecordInput| x.date >= c.delivery_date;
    let visited = records(h).filter(after).any(|x| matches!(x.body, RecordBody::Postpartum(_)));
    let checked = records(h).filter(after).any(|x| matches!(x.body, RecordBody::Postpartum42(_)));
    let (c42_from, c42_until) = maternal::check_42_window(c.delivery_date);
    if !visited && !checked && today < c42_from {
        let window = maternal::postpartum_visit_window(c.postpartum_anchor());
        out.push(task(h, TaskKind::Postpartum, window, Rule::PostpartumVisit, r));
    }
    if !checked && (today - c.delivery_date).num_days() <= PP42_ASKED_DAYS {
        out.push(task(h, TaskKind::Postpartum42, (c42_from, c42_until), Rule::Postpartum42, r));
    }
}

/// The first home visit of a newborn with a birth record, within 7 days of discharge (3 when high risk),
/// while the baby is a newborn (28 days).
fn newborn(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let birth_date = h.resident.birth_date;
    let Some((r, b)) = records(h).find_map(|r| match &r.body {
        RecordBody::Birth(b) => Some((r, b.as_ref())),
        _ => None,
    }) else {
        return;
    };
    let visited = records(h).any(|x| matches!(x.body, RecordBody::NewbornVisit(_)));
    if visited || (today - birth_date).num_days() > crate::newborn::NEWBORN_MAX_DAYS {
        return;
    }
    let rule = if b.high_risk() { Rule::NewbornHighRisk } else { Rule::NewbornFirstVisit };
    out.push(task(h, TaskKind::NewbornVisit, b.first_visit_window(birth_date), rule, r));
}

/// The child's current check: the latest point whose window has opened and is not recorded, unless the next
/// point's window is already open (an old miss is late service, not today's work); under 7 years.
fn child_check(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    let birth = h.resident.birth_date;
    let enrolled = records(h)
        .find(|r| matches!(r.body, RecordBody::Birth(_) | RecordBody::NewbornVisit(_) | RecordBody::ChildCheck(_)));
    let Some(source) = enrolled else { return };
    let done: Vec<CheckPoint> = records(h)
        .filter_map(|r| match &r.body {
            RecordBody::ChildCheck(c) => Some(c.point),
            _ => None,
        })
        .collect();
    let due = child::due_points(birth, today);
    let current = due.last().map(|p| p.point);
    let upcoming = CheckPoint::ALL.into_iter().find(|p| child::window(birth, *p).0 > today);
    // Today's point if open and not done; else the next one, shown ahead (Soon/Later) by the Today screen.
    let point = match current {
        Some(p) if !done.contains(&p) => Some(p),
        _ => upcoming.filter(|p| !done.contains(p)),
    };
    let Some(point) = point else { return };
    let (from, until) = child::window(birth, point);
    if from - today > Duration::days(super::SOON_DAYS * 4) {
        return;
    }
    out.push(task(h, TaskKind::ChildCheck { point }, (from, until), Rule::ChildCheckWindow, source));
}

/// TCM_OLD: one constitution identification per calendar year from 65, due from 1 January (or the 65th
/// birthday in the year the resident turns 65: the form needs the age) to 31 December. A record in the year
/// closes it until the next year.
fn tcm_elderly(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    use chrono::{Datelike, Months};
    let birth = h.resident.birth_date;
    let Some(mut birthday) = birth.checked_add_months(Months::new(crate::tcm::MIN_AGE as u32 * 12)) else { return };
    // Born on 29 February: 65 on 1 March of a common year (`age_on`), not on the clamped 28th.
    if crate::resident::age_on(birth, birthday) < crate::tcm::MIN_AGE {
        birthday = birthday.succ_opt().unwrap_or(birthday);
    }
    let year = today.year();
    if birthday.year() > year {
        return;
    }
    let (Some(jan1), Some(dec31)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else {
        return;
    };
    let last = records(h).filter(|r| matches!(r.body, RecordBody::TcmElderly(_))).max_by_key(|r| (r.date, r.id));
    if last.is_some_and(|r| r.date.year() == year) {
        return;
    }
    out.push(Task {
        resident_id: h.resident.id,
        kind: TaskKind::TcmElderly,
        due: jan1.max(birthday),
        window_end: dec31,
        rule: Rule::TcmYearly,
        source: last.map(|r| r.id),
    });
}

/// TCM_CH_6…36: for a child followed here (as for the checks), the service of the latest age whose window
/// has opened and is not recorded, until the next age's window opens (six months after the last one); the
/// next one is shown four weeks ahead.
fn tcm_child(h: &History, today: NaiveDate, out: &mut Vec<Task>) {
    use crate::tcm::{child_window, CHILD_AGES_MONTHS};
    let birth = h.resident.birth_date;
    let enrolled = records(h).find(|r| {
        matches!(
            r.body,
            RecordBody::Birth(_) | RecordBody::NewbornVisit(_) | RecordBody::ChildCheck(_) | RecordBody::TcmChild(_)
        )
    });
    let Some(source) = enrolled else { return };
    let done = |m: u32| records(h).any(|r| matches!(&r.body, RecordBody::TcmChild(t) if t.age_months == m));
    let windows: Vec<(u32, (NaiveDate, NaiveDate))> =
        CHILD_AGES_MONTHS.into_iter().filter_map(|m| child_window(birth, m).map(|w| (m, w))).collect();
    // Until when an age's service is still asked for: the next age's start, or six months on for the last.
    let asked_until = |i: usize| match windows.get(i + 1) {
        Some((_, (next_start, _))) => *next_start,
        None => windows[i].1 .0.checked_add_months(chrono::Months::new(6)).unwrap_or(windows[i].1 .0),
    };
    let current = windows.iter().enumerate().rev().find(|(_, (_, (start, _)))| *start <= today);
    let pick = match current {
        Some((i, (m, w))) if !done(*m) && today < asked_until(i) => Some((*m, *w)),
        Some((i, _)) => windows.get(i + 1).copied(),
        None => windows.first().copied(),
    };
    let Some((months, (from, until))) = pick.filter(|(m, _)| !done(*m)) else { return };
    if from - today > Duration::days(super::SOON_DAYS * 4) {
        return;
    }
    out.push(task(h, TaskKind::TcmChild { months }, (from, until), Rule::TcmChildWindow, source));
}
