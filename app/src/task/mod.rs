//! The task engine (任务): whom a doctor must see, and by when, from the rules of the national standard. Pure
//! Rust with no I/O: the phone runs it offline over its own copy of the village, the server over the
//! database for the township and county views (`tasks_of` is the one entry point for both).
//!
//! Each task has a due date (from when it should be done), a window end (the last day it is on time) and the
//! rule and record it came from. A task disappears when the record that fulfils it is saved: the engine is
//! recomputed from the history, so there is no task state to keep in sync.

pub mod api;
mod chronic;
pub mod pages;
mod program;
#[cfg(test)]
mod program_tests;
mod services;
#[cfg(test)]
pub(crate) mod tests;

use crate::record::RecordInput;
use crate::resident::Resident;
use crate::visit::VisitSummary;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What is to be done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// 高血压随访
    Htn,
    /// 糖尿病随访
    Dm,
    /// 严重精神障碍随访
    Smi,
    /// 肺结核随访 (first visit and supervision)
    Tb,
    /// 老年人年度健康管理
    Elderly,
    /// A dose of the immunization schedule (接种/补种).
    Vaccine { vaccine: String, dose: u8 },
    /// No dose on record: enter the child's vaccination card (接种证) first.
    VaccinationCard,
    /// 签约续约
    ContractRenewal,
    /// A contracted service still to deliver (履约), by `contract::SERVICE_ITEMS` code.
    ContractService { item: u8 },
    /// 转诊随访
    Referral,
    /// 上门服务 on the date the doctor set.
    HomeVisit,
    /// 产前随访 2–5 (at the village: urge the visit and record the 督促日期).
    Prenatal { visit: crate::maternal::PrenatalVisit },
    /// 产后访视
    Postpartum,
    /// 产后42天健康检查
    Postpartum42,
    /// 新生儿家庭访视
    NewbornVisit,
    /// 儿童健康检查 at one point of the schedule.
    ChildCheck { point: crate::child::CheckPoint },
    /// 老年人中医药健康管理 (the yearly constitution identification from 65).
    TcmElderly,
    /// 儿童中医药健康管理 at 6, 12, 18, 24, 30 or 36 months.
    TcmChild { months: u32 },
}

impl TaskKind {
    pub fn label(&self, zh: bool) -> String {
        let fixed = |a: &str, b: &str| if zh { a.to_string() } else { b.to_string() };
        match self {
            TaskKind::Htn => fixed("高血压随访", "Hypertension follow-up"),
            TaskKind::Dm => fixed("糖尿病随访", "Diabetes follow-up"),
            TaskKind::Smi => fixed("严重精神障碍随访", "Severe mental disorder follow-up"),
            TaskKind::Tb => fixed("肺结核随访", "TB follow-up"),
            TaskKind::Elderly => fixed("老年人年度体检", "Annual check (65+)"),
            TaskKind::Vaccine { vaccine, dose } => {
                let name = crate::vaccination::schedule::vaccine(vaccine)
                    .map(|v| if zh { v.zh } else { v.en })
                    .unwrap_or(vaccine);
                if zh {
                    format!("{name} 第{dose}剂")
                } else {
                    format!("{name} dose {dose}")
                }
            }
            TaskKind::VaccinationCard => fixed("录入预防接种证", "Enter the vaccination card"),
            TaskKind::ContractRenewal => fixed("家庭医生签约续约", "Renew the family-doctor contract"),
            TaskKind::ContractService { item } => {
                let item = crate::codes::label(crate::contract::SERVICE_ITEMS, *item, zh);
                if zh {
                    format!("签约服务：{item}")
                } else {
                    format!("Contracted service: {item}")
                }
            }
            TaskKind::Referral => fixed("转诊随访", "Referral follow-up"),
            TaskKind::HomeVisit => fixed("上门服务", "Home visit"),
            TaskKind::Prenatal { visit } => visit.label(zh).to_string(),
            TaskKind::Postpartum => fixed("产后访视", "Postpartum visit"),
            TaskKind::Postpartum42 => fixed("产后42天健康检查", "42-day postpartum check"),
            TaskKind::NewbornVisit => fixed("新生儿家庭访视", "Newborn home visit"),
            TaskKind::ChildCheck { point } => {
                if zh {
                    format!("儿童健康检查（{}）", point.label(true))
                } else {
                    format!("Child health check ({})", point.label(false))
                }
            }
            TaskKind::TcmElderly => fixed("中医体质辨识", "TCM constitution (65+)"),
            TaskKind::TcmChild { months } => {
                if zh {
                    format!("儿童中医药健康管理（{months}月龄）")
                } else {
                    format!("Child TCM service ({months} months)")
                }
            }
        }
    }
}

/// Why a task exists: the rule of the standard that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// No follow-up yet since the diagnosis was recorded.
    FirstFollowUp,
    /// One face-to-face follow-up per quarter (§3.1).
    Quarterly,
    /// Revisit within 2 weeks after 控制不满意 or an adverse reaction (§3.1).
    TwoWeeks,
    /// Follow up within 2 weeks of a referral (§3.1).
    AfterReferral,
    /// Unstable or basically stable SMI patient: again within 2 weeks (§3.2).
    SmiTwoWeeks,
    /// TB: first home visit within 72 hours of the notice (§3.3).
    TbFirstVisit,
    /// TB: every 10 days (family supervisor, intensive phase) or monthly (§3.3).
    TbSupervision,
    /// 65+: the yearly check and self-care assessment (§3.4).
    ElderlyYearly,
    /// The immunization schedule (§5).
    Schedule,
    /// Catch-up of a late dose (§5, 补种).
    CatchUp,
    /// A child's card has no dose on record yet (§5 roster: every child gets a card).
    CardMissing,
    /// The contract ends within 30 days (§7).
    ContractEnding,
    /// Contracted services are behind the term's pace (§7, 履约).
    ContractPace,
    /// The date the doctor set on the last form.
    DoctorSet,
    /// Prenatal visits 2–5 in their gestational-age windows (spec 2 §3, PN_2…PN_5).
    PrenatalWindow,
    /// Postpartum home visit within 7 days of discharge (PP_VISIT).
    PostpartumVisit,
    /// The 42-day check, days 42–56 after delivery (PP_42).
    Postpartum42,
    /// Newborn's first home visit within 7 days of discharge (NB_VISIT1).
    NewbornFirstVisit,
    /// High-risk newborn (preterm or under 2,500 g): within 3 days (NB_VISIT1_HR).
    NewbornHighRisk,
    /// The child-health check schedule 0–6 (CH_*).
    ChildCheckWindow,
    /// 65+: the TCM constitution identification once per calendar year (TCM_OLD).
    TcmYearly,
    /// Children: the TCM service at 6–36 months in the matching child-check window (TCM_CH_6…36).
    TcmChildWindow,
}

impl Rule {
    pub fn text(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Rule::FirstFollowUp, true) => "纳入管理后尚未随访",
            (Rule::FirstFollowUp, false) => "Not yet followed up since enrolment",
            (Rule::Quarterly, true) => "每季度至少面对面随访1次",
            (Rule::Quarterly, false) => "At least one face-to-face follow-up per quarter",
            (Rule::TwoWeeks, true) => "控制不满意或药物不良反应，2周内随访",
            (Rule::TwoWeeks, false) => "Not controlled or an adverse reaction: again within 2 weeks",
            (Rule::AfterReferral, true) => "转诊后2周内随访",
            (Rule::AfterReferral, false) => "Follow up within 2 weeks of a referral",
            (Rule::SmiTwoWeeks, true) => "病情不稳定或基本稳定，2周内随访",
            (Rule::SmiTwoWeeks, false) => "Unstable or basically stable: again within 2 weeks",
            (Rule::TbFirstVisit, true) => "接到通知72小时内首次入户随访",
            (Rule::TbFirstVisit, false) => "First home visit within 72 hours of the notice",
            (Rule::TbSupervision, true) => "督导服药：强化期家属督导每10天1次，其余每月1次",
            (Rule::TbSupervision, false) => "Supervision: every 10 days (family, intensive phase), else monthly",
            (Rule::ElderlyYearly, true) => "65岁及以上老年人每年1次健康管理",
            (Rule::ElderlyYearly, false) => "A yearly health check from 65",
            (Rule::Schedule, true) => "国家免疫规划程序",
            (Rule::Schedule, false) => "National immunization schedule",
            (Rule::CatchUp, true) => "逾期未种，需补种",
            (Rule::CatchUp, false) => "Late: catch-up dose",
            (Rule::CardMissing, true) => "接种记录未录入，请按接种证录入",
            (Rule::CardMissing, false) => "No dose on record: enter them from the child's card",
            (Rule::ContractEnding, true) => "签约30天内到期",
            (Rule::ContractEnding, false) => "The contract ends within 30 days",
            (Rule::ContractPace, true) => "签约服务项目未按期提供",
            (Rule::ContractPace, false) => "A contracted service is behind schedule",
            (Rule::DoctorSet, true) => "医生约定的下次日期",
            (Rule::DoctorSet, false) => "The next date the doctor set",
            (Rule::PrenatalWindow, true) => "按孕周进行产前随访，不能随访的督促到有资质的机构检查",
            (Rule::PrenatalWindow, false) => "Prenatal visit by gestational age; urge a qualified facility if not here",
            (Rule::PostpartumVisit, true) => "出院后1周内产后访视",
            (Rule::PostpartumVisit, false) => "Postpartum visit within a week of discharge",
            (Rule::Postpartum42, true) => "产后42天健康检查",
            (Rule::Postpartum42, false) => "The check 42 days after delivery",
            (Rule::NewbornFirstVisit, true) => "出院后1周内新生儿家庭访视",
            (Rule::NewbornFirstVisit, false) => "Newborn home visit within a week of discharge",
            (Rule::NewbornHighRisk, true) => "高危新生儿，出院后3天内访视",
            (Rule::NewbornHighRisk, false) => "High-risk newborn: visit within 3 days of discharge",
            (Rule::ChildCheckWindow, true) => "0～6岁儿童健康检查时间",
            (Rule::ChildCheckWindow, false) => "The child-health check schedule (0–6 years)",
            (Rule::TcmYearly, true) => "65岁及以上老年人每年1次中医体质辨识",
            (Rule::TcmYearly, false) => "A TCM constitution identification every year from 65",
            (Rule::TcmChildWindow, true) => "6、12、18、24、30、36月龄儿童中医药健康管理",
            (Rule::TcmChildWindow, false) => "Child TCM service at 6, 12, 18, 24, 30 and 36 months",
        }
    }
}

/// One task of one resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub resident_id: Uuid,
    pub kind: TaskKind,
    /// From this day the task should be done.
    pub due: NaiveDate,
    /// The last day it is on time; overdue after.
    pub window_end: NaiveDate,
    pub rule: Rule,
    /// The record (revision id) it came from, if any.
    pub source: Option<Uuid>,
}

/// Where a task stands on a day, in the order the Today screen lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Standing {
    Overdue,
    Due,
    Soon,
    Later,
}

/// The days ahead the Today screen looks.
pub const SOON_DAYS: i64 = 7;

impl Task {
    pub fn overdue_days(&self, today: NaiveDate) -> i64 {
        (today - self.window_end).num_days().max(0)
    }

    pub fn standing(&self, today: NaiveDate) -> Standing {
        if today > self.window_end {
            Standing::Overdue
        } else if today >= self.due {
            Standing::Due
        } else if (self.due - today).num_days() <= SOON_DAYS {
            Standing::Soon
        } else {
            Standing::Later
        }
    }
}

/// Everything the engine knows of one resident: the record, the chronic follow-ups (current revisions) and
/// the service records (current revisions) about them.
pub struct History<'a> {
    pub resident: &'a Resident,
    pub visits: &'a [VisitSummary],
    pub records: &'a [&'a RecordInput],
}

/// Record status codes that end all tasks: moved out, deceased, refused (`codes::RECORD_STATUS`).
pub(crate) const INACTIVE: [u8; 3] = [3, 4, 5];

/// The open tasks of one resident on `today`, most urgent first.
pub fn tasks_of(h: &History, today: NaiveDate) -> Vec<Task> {
    if INACTIVE.contains(&h.resident.status) || died(h) {
        return vec![];
    }
    let mut out = Vec::new();
    chronic::tasks(h, today, &mut out);
    services::tasks(h, today, &mut out);
    program::tasks(h, today, &mut out);
    sort(&mut out, today);
    out
}

/// A task with what a list shows of its resident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRow {
    pub task: Task,
    pub name: String,
    pub village_id: String,
    pub village_name: String,
    pub household_id: String,
    pub household_head: String,
}

impl TaskRow {
    pub fn new(task: Task, r: &Resident) -> Self {
        TaskRow {
            task,
            name: r.name.clone(),
            village_id: r.village_id.clone(),
            village_name: r.village_name.clone(),
            household_id: r.household_id.clone(),
            household_head: r.household_head.clone(),
        }
    }
}

/// Rows in the Today screen's order (that of `sort`).
pub fn sort_rows(rows: &mut [TaskRow], today: NaiveDate) {
    rows.sort_by(|a, b| order(&a.task, &b.task, today));
}

fn order(a: &Task, b: &Task, today: NaiveDate) -> std::cmp::Ordering {
    a.standing(today)
        .cmp(&b.standing(today))
        .then(b.overdue_days(today).cmp(&a.overdue_days(today)))
        .then(a.due.cmp(&b.due))
        .then(a.resident_id.cmp(&b.resident_id))
}

/// A follow-up recorded the resident's death (the record's status may not say so yet).
pub(crate) fn died(h: &History) -> bool {
    use crate::visit::chronic::OUTCOME_DIED;
    h.visits.iter().any(|v| v.outcome == OUTCOME_DIED)
        || h.records
            .iter()
            .any(|r| matches!(&r.body, crate::record::RecordBody::SmiVisit(v) if v.outcome == OUTCOME_DIED))
}

/// Most overdue first, then by due date; the order of the Today screen.
pub fn sort(tasks: &mut [Task], today: NaiveDate) {
    tasks.sort_by(|a, b| order(a, b, today));
}

/// The first and last day of the quarter `d` is in.
pub fn quarter_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    quarter(d.year(), d.month0() / 3)
}

/// The first and last day of the quarter after the one `d` is in.
pub fn next_quarter(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let q = (d.month0() / 3 + 1) % 4;
    let year = if q == 0 { d.year() + 1 } else { d.year() };
    quarter(year, q)
}

/// The first and last day of quarter `q` (0–3) of `year`.
pub fn quarter(year: i32, q: u32) -> (NaiveDate, NaiveDate) {
    let start = NaiveDate::from_ymd_opt(year, q * 3 + 1, 1).unwrap_or(NaiveDate::MIN);
    let end = start.checked_add_months(chrono::Months::new(3)).and_then(|d| d.pred_opt()).unwrap_or(start);
    (start, end)
}
