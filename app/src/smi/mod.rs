//! Severe mental disorder follow-up (严重精神障碍患者随访服务记录表, domain spec §3.2): the risk assessment
//! (危险性评估, 0–5), symptoms, insight, daily and social functioning, harmful acts, treatment, and the stability
//! class (不稳定 / 基本稳定 / 稳定) that sets the next step and the next visit.

use crate::check::Check;
use crate::codes::{c, Choice};
use crate::visit::{Medication, Referral};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub mod pages;

/// 危险性评估 levels, with what each means (the doctor picks the level from its description).
pub const RISK: &[Choice] = &[
    c(0, "0级：无符合以下1–5级中的任何行为", "0: none of the behaviours below"),
    c(1, "1级：口头威胁，喊叫，但没有打砸行为", "1: verbal threats, shouting, no smashing"),
    c(2, "2级：打砸行为，局限在家里，针对财物，能被劝说制止", "2: smashing at home, stoppable"),
    c(3, "3级：明显打砸行为，不分场合，针对财物，不能接受劝说而停止", "3: smashing anywhere, not stoppable"),
    c(
        4,
        "4级：持续的打砸行为，不分场合，针对财物或人，不能接受劝说而停止（包括自伤、自杀）",
        "4: persistent violence to objects or people, incl. self-harm",
    ),
    c(5, "5级：持械针对人的任何暴力行为，或者纵火、爆炸等行为", "5: armed violence, arson, explosion"),
];

pub const INFORMANT: &[Choice] =
    &[c(1, "患者本人", "The patient"), c(2, "家属/监护人", "Family / guardian"), c(3, "其他知情人", "Other informant")];

/// 目前症状.
pub const SYMPTOMS: &[Choice] = &[
    c(1, "幻觉", "Hallucinations"),
    c(2, "交流困难", "Communication difficulty"),
    c(3, "猜疑", "Suspicion"),
    c(4, "喜怒无常", "Mood swings"),
    c(5, "行为怪异", "Odd behaviour"),
    c(6, "兴奋话多", "Excitement, talkativeness"),
    c(7, "伤人毁物", "Hurting people, damaging things"),
    c(8, "悲观厌世", "Pessimism"),
    c(9, "无故外走", "Wandering off"),
    c(10, "自语自笑", "Talking or laughing alone"),
    c(11, "孤僻懒散", "Withdrawn, idle"),
    c(12, "其他", "Other"),
];

pub const INSIGHT: &[Choice] =
    &[c(1, "自知力完全", "Full insight"), c(2, "自知力不全", "Partial insight"), c(3, "自知力缺失", "No insight")];
pub const INSIGHT_NONE: u8 = 3;

/// 睡眠 / 饮食 and each social-function item.
pub const GOOD_FAIR_POOR: &[Choice] = &[c(1, "良好", "Good"), c(2, "一般", "Fair"), c(3, "较差", "Poor")];
pub const POOR: u8 = 3;

/// 社会功能情况, in the form's order.
pub const SOCIAL_ITEMS: [(&str, &str, &str); 5] = [
    ("self_care", "个人生活料理", "Self-care"),
    ("housework", "家务劳动", "Housework"),
    ("work", "生产劳动及工作", "Work"),
    ("learning", "学习能力", "Learning"),
    ("social_contact", "社会人际交往", "Social contact"),
];

/// 危害行为.
pub const HARMFUL_ACTS: &[Choice] = &[
    c(1, "轻度滋事", "Minor trouble"),
    c(2, "肇事", "Causing incidents"),
    c(3, "肇祸", "Causing serious harm"),
    c(4, "其他危害行为", "Other harmful acts"),
    c(5, "自伤", "Self-harm"),
    c(6, "自杀未遂", "Attempted suicide"),
];

pub const CONFINEMENT: &[Choice] =
    &[c(1, "无关锁", "Not confined"), c(2, "关锁", "Confined"), c(3, "关锁已解除", "Confinement ended")];

pub const HOSPITAL: &[Choice] = &[
    c(1, "从未住院", "Never admitted"),
    c(2, "目前正在住院", "In hospital now"),
    c(3, "既往住院，现未住院", "Admitted before, not now"),
];
pub const HOSPITAL_BEFORE: u8 = 3;

pub const ADHERENCE: &[Choice] = &[
    c(1, "按医嘱规律用药", "Regular as prescribed"),
    c(2, "间断用药", "Intermittent"),
    c(3, "不用药", "Not taking"),
    c(4, "医嘱勿需用药", "No medication prescribed"),
];

pub const EFFECT: &[Choice] =
    &[c(1, "痊愈", "Recovered"), c(2, "好转", "Improved"), c(3, "无变化", "Unchanged"), c(4, "加重", "Worse")];
pub const EFFECT_WORSE: u8 = 4;

pub const REHAB: &[Choice] = &[
    c(1, "生活劳动能力", "Daily living skills"),
    c(2, "职业训练", "Vocational training"),
    c(3, "学习能力", "Learning"),
    c(4, "社会交往", "Social skills"),
    c(9, "其他", "Other"),
];

pub const UNSTABLE: u8 = 1;
pub const BASICALLY_STABLE: u8 = 2;
pub const STABLE: u8 = 3;
/// 此次随访分类.
pub const CLASS: &[Choice] = &[
    c(UNSTABLE, "不稳定", "Unstable"),
    c(BASICALLY_STABLE, "基本稳定", "Basically stable"),
    c(STABLE, "稳定", "Stable"),
];

/// A harmful act since the last visit and how many times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HarmfulAct {
    pub kind: u8,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SmiVisitInput {
    /// `codes::VISIT_OUTCOME`: visited, lost, deceased.
    pub outcome: u8,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lost_reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub death_cause: String,
    pub mode: Option<u8>,
    pub informant: Option<u8>,
    pub risk: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symptoms: Vec<u8>,
    pub insight: Option<u8>,
    pub sleep: Option<u8>,
    pub diet: Option<u8>,
    /// The five social-function items, in `SOCIAL_ITEMS` order.
    #[serde(default)]
    pub social: [Option<u8>; 5],
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub harmful: Vec<HarmfulAct>,
    pub confinement: Option<u8>,
    pub hospital: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_discharge: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub labs: String,
    pub adherence: Option<u8>,
    /// `codes::ADR`.
    pub adr: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub adr_text: String,
    pub effect: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral: Option<Referral>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub meds: Vec<Medication>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rehab: Vec<u8>,
    pub class: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_visit_date: Option<NaiveDate>,
}

impl SmiVisitInput {
    /// The class the §3.2 rules give, once the risk is known: 不稳定 for risk 3–5, no insight, or an adverse
    /// reaction with the illness getting worse; 基本稳定 for risk 1–2 or one domain not good (partial insight,
    /// poor sleep, diet or social function, symptoms, an adverse reaction); 稳定 otherwise.
    pub fn suggested_class(&self) -> Option<u8> {
        let risk = self.risk?;
        let adr = self.adr == Some(2);
        if risk >= 3 || self.insight == Some(INSIGHT_NONE) || (adr && self.effect == Some(EFFECT_WORSE)) {
            Some(UNSTABLE)
        } else if risk >= 1
            || self.insight == Some(2)
            || self.sleep == Some(POOR)
            || self.diet == Some(POOR)
            || self.social.contains(&Some(POOR))
            || !self.symptoms.is_empty()
            || adr
        {
            Some(BASICALLY_STABLE)
        } else {
            Some(STABLE)
        }
    }

    /// Whether the rules call for a referral now (unstable: treat, refer at once, police if needed).
    pub fn must_refer(&self) -> bool {
        self.outcome == crate::visit::chronic::OUTCOME_VISITED
            && (self.class == Some(UNSTABLE) || self.risk.is_some_and(|r| (3..=5).contains(&r)))
    }

    /// A warning when the chosen class is milder than the rules'.
    pub fn class_warning(&self) -> Option<(&'static str, &'static str)> {
        match (self.class, self.suggested_class()) {
            (Some(chosen), Some(rule)) if chosen > rule => Some((
                "所选分类轻于评估结果（危险性、自知力、睡眠饮食、社会功能、不良反应），请核对",
                "The class chosen is milder than the assessment (risk, insight, sleep, diet, functioning, reactions) suggests",
            )),
            _ => None,
        }
    }

    pub fn check(&self, c: &mut Check, date: NaiveDate, today: NaiveDate) {
        use crate::visit::chronic::{OUTCOME_DIED, OUTCOME_LOST, OUTCOME_VISITED};
        c.code("outcome", crate::codes::VISIT_OUTCOME, Some(self.outcome), true);
        match self.outcome {
            OUTCOME_LOST => c.required_text("lost_reason", &self.lost_reason, 200),
            OUTCOME_DIED => {
                match self.death_date {
                    None => c.add("death_date", "请填写死亡日期", "Enter the date of death"),
                    Some(d) => c.not_future("death_date", d, today),
                }
                c.required_text("death_cause", &self.death_cause, 200);
            }
            OUTCOME_VISITED => self.check_visit(c, date, today),
            _ => {}
        }
    }

    fn check_visit(&self, c: &mut Check, date: NaiveDate, today: NaiveDate) {
        c.code("mode", crate::codes::VISIT_MODE, self.mode, true);
        c.code("informant", INFORMANT, self.informant, true);
        match self.risk {
            None => c.add("risk", "请评估危险性（0–5级）", "Assess the risk (0–5)"),
            Some(r) if r > 5 => c.add("risk", "危险性应为0–5级", "Risk is 0–5"),
            _ => {}
        }
        c.codes("symptoms", SYMPTOMS, &self.symptoms, false);
        c.code("insight", INSIGHT, self.insight, true);
        c.code("sleep", GOOD_FAIR_POOR, self.sleep, true);
        c.code("diet", GOOD_FAIR_POOR, self.diet, true);
        if self.social.iter().any(Option::is_none) {
            c.add("social", "请评估五项社会功能", "Rate all five social-function items");
        } else if self.social.iter().flatten().any(|x| !crate::codes::is_valid(GOOD_FAIR_POOR, *x)) {
            c.add("social", "选项无效", "Invalid option");
        }
        let kinds: Vec<u8> = self.harmful.iter().map(|h| h.kind).collect();
        c.codes("harmful", HARMFUL_ACTS, &kinds, false);
        if self.harmful.iter().any(|h| !(1..=99).contains(&h.count)) {
            c.add("harmful", "次数应为1–99", "Each count must be 1–99");
        }
        c.code("confinement", CONFINEMENT, self.confinement, true);
        c.code("hospital", HOSPITAL, self.hospital, true);
        if let Some(d) = self.last_discharge {
            c.not_future("last_discharge", d, today);
        } else if self.hospital == Some(HOSPITAL_BEFORE) {
            c.add("last_discharge", "请填写末次出院时间", "Enter the last discharge date");
        }
        c.text("labs", &self.labs, 200);
        c.code("adherence", ADHERENCE, self.adherence, true);
        c.code("adr", crate::codes::ADR, self.adr, true);
        if self.adr == Some(2) {
            c.required_text("adr_text", &self.adr_text, 200);
        }
        c.code("effect", EFFECT, self.effect, true);
        c.meds("meds", &self.meds);
        c.codes("rehab", REHAB, &self.rehab, false);
        c.code("class", CLASS, self.class, true);
        c.referral("referral", self.referral.as_ref(), self.must_refer());
        match self.next_visit_date {
            None => c.add("next_visit_date", "请填写下次随访日期", "Enter the next visit date"),
            Some(n) if n <= date => {
                c.add("next_visit_date", "下次随访日期应晚于本次", "The next visit must be after this one")
            }
            Some(n) if self.class.is_some_and(|k| k != STABLE) && n > date + Duration::days(14) => c.add(
                "next_visit_date",
                "不稳定或基本稳定者应在2周内随访",
                "Unstable or basically stable patients are seen again within 2 weeks",
            ),
            _ => {}
        }
    }
}

/// The default next visit for a class: within 2 weeks unless stable, then in 3 months.
pub fn next_visit(class: u8, date: NaiveDate) -> NaiveDate {
    if class == STABLE {
        date.checked_add_months(chrono::Months::new(3)).unwrap_or(date)
    } else {
        date + Duration::days(14)
    }
}

#[cfg(test)]
mod tests;
