//! Pulmonary TB patient management (肺结核患者健康管理, domain spec §3.3): the first home visit within 72 hours
//! of the designated facility's notice, supervision visits at the cadence of the supervisor and phase, missed
//! doses, and the closing assessment (结案评估) with the share of doses taken (规则服药 ≥ 90%).

use crate::check::Check;
use crate::codes::{c, Choice};
use crate::visit::Referral;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub mod pages;

pub const FIRST: u8 = 1;
pub const SUPERVISION: u8 = 2;
pub const CLOSING: u8 = 3;
pub const VISIT_TYPE: &[Choice] = &[
    c(FIRST, "第一次入户随访", "First home visit"),
    c(SUPERVISION, "督导随访", "Supervision visit"),
    c(CLOSING, "结案评估", "Closing assessment"),
];

pub const STAFF: u8 = 1;
pub const FAMILY: u8 = 2;
pub const SUPERVISOR: &[Choice] = &[
    c(STAFF, "医生", "Health worker"),
    c(FAMILY, "家属", "Family member"),
    c(3, "自服药", "Self-administered"),
    c(4, "其他", "Other"),
];

pub const INTENSIVE: u8 = 1;
pub const PHASE: &[Choice] = &[c(INTENSIVE, "强化期", "Intensive phase"), c(2, "继续期", "Continuation phase")];

pub const SYMPTOMS: &[Choice] = &[
    c(1, "咳嗽咳痰", "Cough, sputum"),
    c(2, "低热盗汗", "Low fever, night sweats"),
    c(3, "咯血或血痰", "Coughing blood"),
    c(4, "胸痛消瘦", "Chest pain, weight loss"),
    c(5, "恶心纳差", "Nausea, poor appetite"),
    c(6, "关节疼痛", "Joint pain"),
    c(7, "头痛失眠", "Headache, insomnia"),
    c(8, "视物模糊", "Blurred vision"),
    c(9, "皮肤瘙痒、皮疹", "Itching, rash"),
    c(10, "耳鸣、听力下降", "Tinnitus, hearing loss"),
];
/// 咯血: refer.
pub const SYMPTOM_HAEMOPTYSIS: u8 = 3;

pub const STOP_REASON: &[Choice] = &[
    c(1, "完成疗程", "Treatment completed"),
    c(2, "死亡", "Died"),
    c(3, "丢失", "Lost"),
    c(4, "转入耐多药治疗", "Moved to MDR treatment"),
];

/// Hours from the facility's notice to the first home visit.
pub const FIRST_VISIT_HOURS: i64 = 72;
/// Days between family-supervised visits in the intensive phase [P].
pub const FAMILY_INTENSIVE_DAYS: i64 = 10;
/// 规则服药: at least this share of prescribed doses taken [P].
pub const REGULAR_SHARE: f64 = 0.9;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TbVisitInput {
    pub visit_type: Option<u8>,
    /// The designated facility's notice (first visit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_date: Option<NaiveDate>,
    pub supervisor: Option<u8>,
    pub phase: Option<u8>,
    /// 治疗月序.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatment_month: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptoms: Vec<u8>,
    /// Doses prescribed and missed since the last visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doses_prescribed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doses_missed: Option<u32>,
    pub adr: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adr_text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Referral>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_visit_date: Option<NaiveDate>,
    /// Closing assessment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_reason: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_prescribed: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_taken: Option<u32>,
}

/// The default next supervision visit: every 10 days for a family supervisor in the intensive phase, monthly
/// otherwise.
pub fn next_visit(supervisor: u8, phase: u8, date: NaiveDate) -> NaiveDate {
    if supervisor == FAMILY && phase == INTENSIVE {
        date + Duration::days(FAMILY_INTENSIVE_DAYS)
    } else {
        date.checked_add_months(chrono::Months::new(1)).unwrap_or(date)
    }
}

/// 规则服药: taken ≥ 90% of prescribed.
pub fn regular(taken: u32, prescribed: u32) -> bool {
    prescribed > 0 && taken as f64 >= REGULAR_SHARE * prescribed as f64
}

impl TbVisitInput {
    /// A warning when the first visit came later than 72 hours after the notice.
    pub fn late_first_visit(&self, date: NaiveDate) -> bool {
        self.visit_type == Some(FIRST) && self.notice_date.is_some_and(|n| (date - n).num_hours() > FIRST_VISIT_HOURS)
    }

    /// Coughing blood or an adverse reaction: the patient goes back to the designated facility.
    pub fn must_refer(&self) -> bool {
        self.symptoms.contains(&SYMPTOM_HAEMOPTYSIS)
    }

    pub fn check(&self, c: &mut Check, date: NaiveDate, today: NaiveDate) {
        c.code("visit_type", VISIT_TYPE, self.visit_type, true);
        c.codes("symptoms", SYMPTOMS, &self.symptoms, false);
        c.code("adr", crate::codes::ADR, self.adr, self.visit_type != Some(CLOSING));
        if self.adr == Some(2) {
            c.required_text("adr_text", &self.adr_text, 200);
        }
        c.referral("referral", self.referral.as_ref(), self.must_refer());
        c.text("notes", &self.notes, 500);
        match self.visit_type {
            Some(FIRST) => {
                match self.notice_date {
                    None => {
                        c.add("notice_date", "请填写定点医疗机构通知日期", "Enter the date of the facility's notice")
                    }
                    Some(n) if n > date => {
                        c.add("notice_date", "通知日期不能晚于随访日期", "The notice cannot be after the visit")
                    }
                    _ => {}
                }
                c.code("supervisor", SUPERVISOR, self.supervisor, true);
                self.check_next(c, date);
            }
            Some(SUPERVISION) => {
                c.code("supervisor", SUPERVISOR, self.supervisor, true);
                c.code("phase", PHASE, self.phase, true);
                match self.treatment_month {
                    None => c.add("treatment_month", "请填写治疗月序", "Enter the month of treatment"),
                    Some(m) => c.range("treatment_month", m, 1, 24, "月"),
                }
                match (self.doses_prescribed, self.doses_missed) {
                    (None, _) | (_, None) => {
                        c.add("doses_missed", "请填写应服药次数和漏服次数", "Enter doses prescribed and missed")
                    }
                    (Some(p), Some(m)) if m > p => {
                        c.add("doses_missed", "漏服次数不能多于应服次数", "Missed cannot exceed prescribed")
                    }
                    _ => {}
                }
                self.check_next(c, date);
            }
            Some(CLOSING) => {
                match self.stop_date {
                    None => c.add("stop_date", "请填写停止治疗日期", "Enter the date treatment stopped"),
                    Some(d) => c.not_future("stop_date", d, today),
                }
                c.code("stop_reason", STOP_REASON, self.stop_reason, true);
                match (self.total_prescribed, self.total_taken) {
                    (None, _) | (_, None) => {
                        c.add("total_taken", "请填写应服和实际服药次数", "Enter doses prescribed and taken")
                    }
                    (Some(p), Some(t)) if t > p => {
                        c.add("total_taken", "实际服药次数不能多于应服次数", "Taken cannot exceed prescribed")
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn check_next(&self, c: &mut Check, date: NaiveDate) {
        match self.next_visit_date {
            None => c.add("next_visit_date", "请填写下次随访日期", "Enter the next visit date"),
            Some(n) if n <= date => {
                c.add("next_visit_date", "下次随访日期应晚于本次", "The next visit must be after this one")
            }
            _ => {}
        }
    }

    /// The closing assessment's 规则服药, when its totals are known.
    pub fn regular(&self) -> Option<bool> {
        Some(regular(self.total_taken?, self.total_prescribed?))
    }
}

#[cfg(test)]
mod tests;
