//! The indicators of the program's later services (domain spec 2 § indicator lines): newborn visits, child
//! health management, early pregnancy registration, postpartum visits, TCM management of people 65+ and of
//! children 6–36 months, infectious-disease report rate and timeliness, and supervision clues reported.
//!
//! Counted like the others: per resident history (mothers, babies, children, the elderly) and per village
//! record (reports), as sums that add up village → township → county. Rules [P] where the spec leaves a
//! choice: births count in the period of the birth date; a newborn counts as visited with any home visit
//! recorded; a report counts in the period of its diagnosis, received when the server has it, on time by
//! `infectious::Timeliness`.

use super::{Counts, Def, Den, Period, Section};
use crate::record::{RecordBody, RecordInput};
use crate::task::History;
use chrono::NaiveDateTime;

const fn def(
    code: &'static str,
    section: Section,
    zh: &'static str,
    en: &'static str,
    num: &'static str,
    den: Den,
    target: Option<f64>,
) -> Def {
    Def { code, section, zh, en, num, den, target }
}

use Den::Counter;
use Section::{MaternalChild, Reports, Tcm};

/// Indicators in report order; targets are the 2023 KPI defaults where one is set [P].
pub const DEFS: &[Def] = &[
    def(
        "newborn_visit",
        MaternalChild,
        "新生儿访视率",
        "Newborns visited",
        "newborn_visited",
        Counter("births"),
        Some(90.0),
    ),
    def(
        "child_management",
        MaternalChild,
        "儿童健康管理率",
        "Children 0–6 followed",
        "children_managed",
        Counter("children"),
        Some(90.0),
    ),
    def(
        "early_registration",
        MaternalChild,
        "早孕建册率",
        "Pregnancies registered before 13 weeks",
        "early_registered",
        Counter("live_births"),
        Some(90.0),
    ),
    def(
        "postpartum_visit",
        MaternalChild,
        "产后访视率",
        "Mothers visited within 7 days",
        "postpartum_visited",
        Counter("live_births"),
        Some(90.0),
    ),
    def(
        "tcm_elderly",
        Tcm,
        "老年人中医药健康管理率",
        "TCM management of people 65+",
        "tcm_elderly",
        Counter("elderly"),
        Some(70.0),
    ),
    def(
        "tcm_child",
        Tcm,
        "0～36个月儿童中医药健康管理服务率",
        "TCM service of children 0–36 months",
        "tcm_child_served",
        Counter("tcm_child_due"),
        Some(77.0),
    ),
    def(
        "idr_rate",
        Reports,
        "传染病疫情报告率",
        "Disease reports received",
        "idr_received",
        Counter("idr_cases"),
        Some(95.0),
    ),
    def(
        "idr_timely",
        Reports,
        "传染病疫情报告及时率",
        "Disease reports on time",
        "idr_on_time",
        Counter("idr_received"),
        Some(95.0),
    ),
    def(
        "sup_rate",
        Reports,
        "卫生监督协管信息报告率",
        "Supervision clues reported",
        "sup_reported",
        Counter("sup_clues"),
        Some(95.0),
    ),
    def(
        "sup_timely",
        Reports,
        "卫生监督协管信息报告及时率",
        "Supervision clues reported on time",
        "sup_on_time",
        Counter("sup_reported"),
        None,
    ),
    def(
        "event_timely",
        Reports,
        "突发公共卫生事件相关信息报告率",
        "Public-health events reported on time",
        "events_on_time",
        Counter("events"),
        Some(95.0),
    ),
];

/// What one active resident's history adds: a mother's deliveries, a baby's birth and first visit, a child's
/// checks, the TCM services.
pub fn count(h: &History, p: &Period, elderly: bool, out: &mut Counts) {
    let r = h.resident;
    let records = || h.records.iter().copied();
    // A mother: each delivery in the period, per live birth.
    for (x, c) in records().filter_map(|x| match &x.body {
        RecordBody::Childbirth(c) if p.contains(c.delivery_date) => Some((x, c)),
        _ => None,
    }) {
        let live = c.live_births() as u64;
        out.add("live_births", live);
        let registered_early = records().any(|y| {
            matches!(&y.body, RecordBody::Pregnancy(reg) if y.date <= c.delivery_date
                && (c.delivery_date - y.date).num_days() <= crate::maternal::MAX_GA_DAYS
                && reg.is_early())
        });
        if registered_early {
            out.add("early_registered", live);
        }
        let (from, until) = crate::maternal::postpartum_visit_window(c.postpartum_anchor());
        if records().any(|y| {
            matches!(y.body, RecordBody::Postpartum(_)) && y.date >= from.min(c.delivery_date) && y.date <= until
        }) {
            out.add("postpartum_visited", live);
        }
        let _ = x;
    }
    // A baby born in the period.
    if p.contains(r.birth_date) && records().any(|x| matches!(x.body, RecordBody::Birth(_))) {
        out.inc("births");
        if records().any(|x| matches!(x.body, RecordBody::NewbornVisit(_))) {
            out.inc("newborn_visited");
        }
    }
    // Children 0–6 at the period's end; followed with a check in the period.
    if crate::resident::age_on(r.birth_date, p.end) < 7 && r.birth_date <= p.end {
        out.inc("children");
        if records()
            .any(|x| p.contains(x.date) && matches!(x.body, RecordBody::ChildCheck(_) | RecordBody::NewbornVisit(_)))
        {
            out.inc("children_managed");
        }
        // TCM at 6…36 months: each point whose window opens in the period, served in it.
        for m in crate::tcm::CHILD_AGES_MONTHS {
            let Some((start, _)) = crate::tcm::child_window(r.birth_date, m) else { continue };
            if !p.contains(start) {
                continue;
            }
            out.inc("tcm_child_due");
            if records().any(|x| matches!(&x.body, RecordBody::TcmChild(t) if t.age_months == m)) {
                out.inc("tcm_child_served");
            }
        }
    }
    if elderly && records().any(|x| p.contains(x.date) && matches!(x.body, RecordBody::TcmElderly(_))) {
        out.inc("tcm_elderly");
    }
}

/// What a disease report, a public-health event card or a supervision clue adds, given when the server received it (none while it is
/// still on a phone).
pub fn count_report(x: &RecordInput, received: Option<NaiveDateTime>, p: &Period, out: &mut Counts) {
    match &x.body {
        RecordBody::DiseaseReport(r) if p.contains(r.diagnosed_at.date()) && r.card_type == 1 => {
            out.inc("idr_cases");
            if received.is_some() {
                out.inc("idr_received");
                // On time when the receipt, or the phone call before it, is within the deadline.
                if r.reported_at(received).is_some_and(|at| at <= r.deadline(crate::infectious::catalogue())) {
                    out.inc("idr_on_time");
                }
            }
        }
        // An event counts once, by its initial card (进程 and 结案 cards follow it), when the server has it.
        RecordBody::EventReport(e)
            if p.contains(e.learnt_at.date()) && e.stage == crate::infectious::event::INITIAL =>
        {
            if let Some(at) = received {
                out.inc("events");
                if e.timeliness(Some(at), at).on_time() {
                    out.inc("events_on_time");
                }
            }
        }
        RecordBody::SupervisionReport(s) if p.contains(s.found_at.date()) => {
            out.inc("sup_clues");
            if s.reported_at.is_some() {
                out.inc("sup_reported");
                if s.on_time() {
                    out.inc("sup_on_time");
                }
            }
        }
        _ => {}
    }
}
