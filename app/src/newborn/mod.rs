//! Newborn home visit (新生儿家庭访视, domain spec §1): the visit form (新生儿家庭访视记录表) as a wire type,
//! the referral criteria of the technical norm (转诊指征) as a pure check, the first visit's timing and the
//! form's validation.
//!
//! Pure rules shared by the browser and the server. Referral criteria are computed from the form, never typed:
//! a vital sign past its limit or a ticked danger sign (危险征象) means immediate referral (立即转诊), an advised
//! finding means referral advised (建议转诊). The form covers the first 28 days of life; the 满月 check at 28–30
//! days belongs to child health management (`crate::child`).
//!
//! Layout: the form's choices, the referral criteria (`DangerSign`, `AdvisedSign`, `Criterion`,
//! `referral_checks`), the visit input, timing helpers, then `validate`.

use crate::check::Check;
use crate::error::AppError;
use crate::resident::Sex;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

mod birth;
pub mod pages;
pub use birth::BirthInput;

/// Longest free text kept in one field (reasons, institutions, notes).
pub const TEXT_MAX: usize = 200;

/// The last day after birth (inclusive) on which this form is used; later visits are child health checks. Day
/// 28 also opens the 满月 window: a home visit that day is still accepted as the newborn visit.
pub const NEWBORN_MAX_DAYS: i64 = 28;

/// NB_VISIT1: the first home visit is due within this many days of discharge (home birth: of birth) [V P2,P8].
pub const FIRST_VISIT_DAYS: i64 = 7;

/// NB_VISIT1_HR: a high-risk newborn (高危新生儿) is first visited within this many days of the discharge
/// report [P P5].
pub const HIGH_RISK_FIRST_VISIT_DAYS: i64 = 3;

/// Immediate referral at a temperature (体温) at or above `TEMP_HIGH` or at or below `TEMP_LOW` ℃ [V P4].
pub const TEMP_HIGH: f64 = 37.5;
pub const TEMP_LOW: f64 = 35.5;
/// Immediate referral at a respiratory rate (呼吸频率) below `RESP_MIN` or above `RESP_MAX` /min [V P4].
pub const RESP_MIN: i32 = 20;
pub const RESP_MAX: i32 = 60;
/// Immediate referral at a heart rate (心率) below `HEART_MIN` or above `HEART_MAX` /min [V P4].
pub const HEART_MIN: i32 = 100;
pub const HEART_MAX: i32 = 160;

/// Preterm (早产) below this many completed weeks of gestation [P P5].
pub const PRETERM_WEEKS: u8 = 37;
/// Low birth weight (低出生体重) below this many kg [P P5].
pub const LBW_KG: f64 = 2.5;

/// 喂养方式.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feeding {
    /// 纯母乳
    Breast,
    /// 混合
    Mixed,
    /// 人工
    Formula,
}

impl Feeding {
    pub const ALL: [Feeding; 3] = [Feeding::Breast, Feeding::Mixed, Feeding::Formula];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Feeding::Breast => ("纯母乳", "Exclusive breastfeeding"),
            Feeding::Mixed => ("混合", "Mixed feeding"),
            Feeding::Formula => ("人工", "Formula feeding"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 面色.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Complexion {
    /// 红润
    Rosy,
    /// 黄染
    Jaundiced,
    /// 其他
    Other,
}

impl Complexion {
    pub const ALL: [Complexion; 3] = [Complexion::Rosy, Complexion::Jaundiced, Complexion::Other];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Complexion::Rosy => ("红润", "Rosy"),
            Complexion::Jaundiced => ("黄染", "Jaundiced"),
            Complexion::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 黄疸部位 (multi-select; none ticked = 无). Jaundice reaching the hands and feet is itself a danger sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JaundiceSite {
    /// 面部
    Face,
    /// 躯干
    Trunk,
    /// 四肢
    Limbs,
    /// 手足
    HandsFeet,
}

impl JaundiceSite {
    pub const ALL: [JaundiceSite; 4] =
        [JaundiceSite::Face, JaundiceSite::Trunk, JaundiceSite::Limbs, JaundiceSite::HandsFeet];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            JaundiceSite::Face => ("面部", "Face"),
            JaundiceSite::Trunk => ("躯干", "Trunk"),
            JaundiceSite::Limbs => ("四肢", "Limbs"),
            JaundiceSite::HandsFeet => ("手足", "Hands and feet"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 前囟, with its two diameters in cm recorded beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fontanelle {
    /// 正常
    Normal,
    /// 膨隆
    Bulging,
    /// 凹陷
    Sunken,
    /// 其他
    Other,
}

impl Fontanelle {
    pub const ALL: [Fontanelle; 4] = [Fontanelle::Normal, Fontanelle::Bulging, Fontanelle::Sunken, Fontanelle::Other];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Fontanelle::Normal => ("正常", "Normal"),
            Fontanelle::Bulging => ("膨隆", "Bulging"),
            Fontanelle::Sunken => ("凹陷", "Sunken"),
            Fontanelle::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 指导 (multi-select) [V S2].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Guidance {
    /// 喂养指导
    Feeding,
    /// 发育指导
    Development,
    /// 防病指导
    DiseasePrevention,
    /// 预防伤害指导
    InjuryPrevention,
    /// 口腔保健指导
    OralHealth,
    /// 其他 (with text)
    Other,
}

impl Guidance {
    pub const ALL: [Guidance; 6] = [
        Guidance::Feeding,
        Guidance::Development,
        Guidance::DiseasePrevention,
        Guidance::InjuryPrevention,
        Guidance::OralHealth,
        Guidance::Other,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Guidance::Feeding => ("喂养指导", "Feeding"),
            Guidance::Development => ("发育指导", "Development"),
            Guidance::DiseasePrevention => ("防病指导", "Disease prevention"),
            Guidance::InjuryPrevention => ("预防伤害指导", "Injury prevention"),
            Guidance::OralHealth => ("口腔保健指导", "Oral health"),
            Guidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// The danger signs (危险征象) of the technical norm: any one means immediate referral [V P4]. Vital signs past
/// their limits are read from the numbers instead (`Criterion::Temperature` and the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DangerSign {
    PoorResponse,
    Convulsion,
    TenseFontanelle,
    LimbMovement,
    NoToneOrReflexes,
    PalmSoleJaundice,
    Pallor,
    Cyanosis,
    ColdSkin,
    Petechiae,
    Sclerema,
    Pustules,
    Dehydration,
    EyeEarPus,
    DistensionVomiting,
    UmbilicalPus,
    Dyspnoea,
    Arrhythmia,
}

impl DangerSign {
    pub const ALL: [DangerSign; 18] = [
        DangerSign::PoorResponse,
        DangerSign::Convulsion,
        DangerSign::TenseFontanelle,
        DangerSign::LimbMovement,
        DangerSign::NoToneOrReflexes,
        DangerSign::PalmSoleJaundice,
        DangerSign::Pallor,
        DangerSign::Cyanosis,
        DangerSign::ColdSkin,
        DangerSign::Petechiae,
        DangerSign::Sclerema,
        DangerSign::Pustules,
        DangerSign::Dehydration,
        DangerSign::EyeEarPus,
        DangerSign::DistensionVomiting,
        DangerSign::UmbilicalPus,
        DangerSign::Dyspnoea,
        DangerSign::Arrhythmia,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            DangerSign::PoorResponse => ("反应差伴面色发灰、吸吮无力", "Poor response with grey face and weak suck"),
            DangerSign::Convulsion => ("惊厥", "Convulsions"),
            DangerSign::TenseFontanelle => ("囟门张力高", "Tense fontanelle"),
            DangerSign::LimbMovement => ("四肢无自主运动或活动不对称", "No spontaneous or asymmetric limb movement"),
            DangerSign::NoToneOrReflexes => ("肌张力消失或原始反射引不出", "Absent muscle tone or primitive reflexes"),
            DangerSign::PalmSoleJaundice => ("皮肤严重黄染（手掌或足跖）", "Jaundice reaching the palms or soles"),
            DangerSign::Pallor => ("皮肤苍白", "Pallor"),
            DangerSign::Cyanosis => ("发绀", "Cyanosis"),
            DangerSign::ColdSkin => ("皮肤厥冷", "Cold skin"),
            DangerSign::Petechiae => ("出血点或瘀斑", "Petechiae or bruising"),
            DangerSign::Sclerema => ("皮肤硬肿", "Sclerema"),
            DangerSign::Pustules => ("皮肤脓疱达5个或以上", "Five or more skin pustules"),
            DangerSign::Dehydration => ("脱水征象（眼窝或前囟凹陷、皮肤弹性差、尿少）", "Signs of dehydration"),
            DangerSign::EyeEarPus => ("眼或耳有大量脓性分泌物", "Heavy pus from the eyes or ears"),
            DangerSign::DistensionVomiting => ("腹胀明显伴呕吐", "Marked abdominal distension with vomiting"),
            DangerSign::UmbilicalPus => {
                ("脐部脓性分泌物多，或脐轮周围皮肤红肿", "Purulent umbilicus or red, swollen skin around it")
            }
            DangerSign::Dyspnoea => ("呼吸困难或呼吸暂停伴发绀", "Laboured breathing or apnoea with cyanosis"),
            DangerSign::Arrhythmia => ("明显的心律不齐", "Clear arrhythmia"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// Findings for which referral is advised (建议转诊) and its result followed [U: unverified].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdvisedSign {
    FeedingDifficulty,
    TrunkLimbJaundice,
    EyeDischarge,
    NeckMass,
    Murmur,
    Hepatosplenomegaly,
    NewAnomaly,
}

impl AdvisedSign {
    pub const ALL: [AdvisedSign; 7] = [
        AdvisedSign::FeedingDifficulty,
        AdvisedSign::TrunkLimbJaundice,
        AdvisedSign::EyeDischarge,
        AdvisedSign::NeckMass,
        AdvisedSign::Murmur,
        AdvisedSign::Hepatosplenomegaly,
        AdvisedSign::NewAnomaly,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            AdvisedSign::FeedingDifficulty => ("喂养困难", "Feeding difficulty"),
            AdvisedSign::TrunkLimbJaundice => ("躯干或四肢皮肤明显黄染", "Marked jaundice of the trunk or limbs"),
            AdvisedSign::EyeDischarge => ("眼部溢泪或分泌物增多", "Watery or sticky eye discharge"),
            AdvisedSign::NeckMass => ("颈部包块", "Neck mass"),
            AdvisedSign::Murmur => ("心脏杂音", "Heart murmur"),
            AdvisedSign::Hepatosplenomegaly => ("肝脾肿大", "Enlarged liver or spleen"),
            AdvisedSign::NewAnomaly => ("首次发现的畸形", "Newly found anomaly"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// How soon the newborn is to be referred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// 立即转诊
    Immediate,
    /// 建议转诊
    Advised,
}

impl Urgency {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Urgency::Immediate, true) => "立即转诊",
            (Urgency::Immediate, false) => "Immediate referral",
            (Urgency::Advised, true) => "建议转诊",
            (Urgency::Advised, false) => "Referral advised",
        }
    }
}

/// Which criterion called for referral, with the measured value for the vital signs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// 体温 ℃ at or beyond `TEMP_HIGH` / `TEMP_LOW`.
    Temperature(f64),
    /// 呼吸频率 /min outside `RESP_MIN..=RESP_MAX`.
    Respiration(i32),
    /// 心率 /min outside `HEART_MIN..=HEART_MAX`.
    HeartRate(i32),
    Danger(DangerSign),
    Advised(AdvisedSign),
}

impl Criterion {
    pub fn urgency(self) -> Urgency {
        match self {
            Criterion::Advised(_) => Urgency::Advised,
            _ => Urgency::Immediate,
        }
    }

    /// What was found, with the reading and the limit it passed: "体温 38.0 ℃（≥37.5 ℃）".
    pub fn message(self, zh: bool) -> String {
        match self {
            Criterion::Temperature(t) => {
                let (op, limit) = if t >= TEMP_HIGH { ("≥", TEMP_HIGH) } else { ("≤", TEMP_LOW) };
                if zh {
                    format!("体温 {t:.1} ℃（{op}{limit} ℃）")
                } else {
                    format!("Temperature {t:.1} ℃ ({op} {limit} ℃)")
                }
            }
            Criterion::Respiration(r) => {
                let (op, limit) = if r < RESP_MIN { ("<", RESP_MIN) } else { (">", RESP_MAX) };
                if zh {
                    format!("呼吸 {r} 次/分（{op}{limit} 次/分）")
                } else {
                    format!("Respiration {r}/min ({op} {limit}/min)")
                }
            }
            Criterion::HeartRate(h) => {
                let (op, limit) = if h < HEART_MIN { ("<", HEART_MIN) } else { (">", HEART_MAX) };
                if zh {
                    format!("心率 {h} 次/分（{op}{limit} 次/分）")
                } else {
                    format!("Heart rate {h}/min ({op} {limit}/min)")
                }
            }
            Criterion::Danger(s) => s.label(zh).to_string(),
            Criterion::Advised(a) => a.label(zh).to_string(),
        }
    }
}

/// One reason to refer the newborn, as `referral_checks` finds it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub urgency: Urgency,
    pub criterion: Criterion,
}

impl Referral {
    /// "立即转诊：体温 38.0 ℃（≥37.5 ℃）".
    pub fn message(self, zh: bool) -> String {
        if zh {
            format!("{}：{}", self.urgency.label(true), self.criterion.message(true))
        } else {
            format!("{}: {}", self.urgency.label(false), self.criterion.message(false))
        }
    }
}

/// One newborn home visit (新生儿家庭访视记录表), the fields the rules read. The child's birth date lives on the
/// resident record and is passed to `validate`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewbornVisitInput {
    /// 随访日期.
    pub visit_date: NaiveDate,
    /// 出生孕周 (completed weeks).
    pub gestation_weeks: Option<u8>,
    /// 出生体重 kg.
    pub birth_weight_kg: Option<f64>,
    /// 目前体重 kg.
    pub weight_kg: Option<f64>,
    /// 出生身长 cm.
    pub birth_length_cm: Option<f64>,
    pub feeding: Option<Feeding>,
    /// 体温 ℃.
    pub temperature: Option<f64>,
    /// 心率 /min (the 2nd edition's 脉率).
    pub heart_rate: Option<i32>,
    /// 呼吸频率 /min.
    pub respiration: Option<i32>,
    pub complexion: Option<Complexion>,
    /// 黄疸部位; empty = 无.
    pub jaundice: BTreeSet<JaundiceSite>,
    pub fontanelle: Option<Fontanelle>,
    /// 前囟 diameters, cm × cm: both or neither.
    pub fontanelle_w_cm: Option<f64>,
    pub fontanelle_h_cm: Option<f64>,
    /// Danger signs found (each one means immediate referral).
    pub danger_signs: BTreeSet<DangerSign>,
    /// Findings for which referral is advised.
    pub advised_signs: BTreeSet<AdvisedSign>,
    /// 转诊建议 有 (true) / 无 (false), with 原因 and 机构及科室.
    pub referral: bool,
    pub referral_reason: String,
    pub referral_institution: String,
    /// Why an immediate referral was not made (e.g. the parents refused); required to save a visit with an
    /// immediate criterion and 转诊建议 无.
    pub referral_declined_reason: String,
    pub guidance: BTreeSet<Guidance>,
    /// The text of 其他 guidance.
    pub guidance_other: String,
    /// 下次随访日期 and 下次随访地点.
    pub next_date: Option<NaiveDate>,
    pub next_place: String,
}

/// A visit on `date` with nothing recorded yet: the form's starting point.
pub fn blank(date: NaiveDate) -> NewbornVisitInput {
    NewbornVisitInput {
        visit_date: date,
        gestation_weeks: None,
        birth_weight_kg: None,
        weight_kg: None,
        birth_length_cm: None,
        feeding: None,
        temperature: None,
        heart_rate: None,
        respiration: None,
        complexion: None,
        jaundice: BTreeSet::new(),
        fontanelle: None,
        fontanelle_w_cm: None,
        fontanelle_h_cm: None,
        danger_signs: BTreeSet::new(),
        advised_signs: BTreeSet::new(),
        referral: false,
        referral_reason: String::new(),
        referral_institution: String::new(),
        referral_declined_reason: String::new(),
        guidance: BTreeSet::new(),
        guidance_other: String::new(),
        next_date: None,
        next_place: String::new(),
    }
}

/// Every reason to refer this newborn, immediate ones first: temperature, respiration, heart rate (each
/// against its limits), then the danger signs, then the advised findings, each in its enum order. Jaundice
/// recorded at the hands and feet (黄疸部位 手足) counts as the palm/sole danger sign even when that sign was not
/// ticked, so the two parts of the form cannot disagree about it; it is listed once.
pub fn referral_checks(v: &NewbornVisitInput) -> Vec<Referral> {
    let mut criteria = Vec::new();
    if let Some(t) = v.temperature.filter(|t| *t >= TEMP_HIGH || *t <= TEMP_LOW) {
        criteria.push(Criterion::Temperature(t));
    }
    if let Some(r) = v.respiration.filter(|r| !(RESP_MIN..=RESP_MAX).contains(r)) {
        criteria.push(Criterion::Respiration(r));
    }
    if let Some(h) = v.heart_rate.filter(|h| !(HEART_MIN..=HEART_MAX).contains(h)) {
        criteria.push(Criterion::HeartRate(h));
    }
    let mut danger = v.danger_signs.clone();
    if v.jaundice.contains(&JaundiceSite::HandsFeet) {
        danger.insert(DangerSign::PalmSoleJaundice);
    }
    criteria.extend(danger.into_iter().map(Criterion::Danger));
    criteria.extend(v.advised_signs.iter().copied().map(Criterion::Advised));
    criteria.into_iter().map(|criterion| Referral { urgency: criterion.urgency(), criterion }).collect()
}

/// Whether any criterion calls for immediate referral.
pub fn needs_immediate_referral(v: &NewbornVisitInput) -> bool {
    referral_checks(v).iter().any(|r| r.urgency == Urgency::Immediate)
}

/// High risk by the birth data on this form: preterm or low birth weight. The other high-risk reasons
/// (asphyxia, severe infection, defects, the mother's abnormal pregnancy, ...) are the doctor's to record.
pub fn is_high_risk_by_birth(gestation_weeks: Option<u8>, birth_weight_kg: Option<f64>) -> bool {
    gestation_weeks.is_some_and(|w| w < PRETERM_WEEKS) || birth_weight_kg.is_some_and(|kg| kg < LBW_KG)
}

/// NB_VISIT1: from discharge (home birth: birth) to `FIRST_VISIT_DAYS` later, inclusive.
pub fn first_visit_window(discharge: NaiveDate) -> (NaiveDate, NaiveDate) {
    (discharge, add_days(discharge, FIRST_VISIT_DAYS))
}

/// NB_VISIT1_HR: from the discharge report to `HIGH_RISK_FIRST_VISIT_DAYS` later, inclusive.
pub fn high_risk_first_visit_window(report: NaiveDate) -> (NaiveDate, NaiveDate) {
    (report, add_days(report, HIGH_RISK_FIRST_VISIT_DAYS))
}

/// The name a newborn is registered under before it has one: the mother's name + 之男 / 之女 [V S1]. None when
/// the sex is not known, since the paper form has no third suffix.
pub fn provisional_name(mother: &str, sex: Sex) -> Option<String> {
    let suffix = match sex {
        Sex::Male => "之男",
        Sex::Female => "之女",
        Sex::Unknown | Sex::Unspecified => return None,
    };
    Some(format!("{}{suffix}", mother.trim()))
}

pub use crate::check::Reading as Range;

pub const GESTATION_WEEKS: Range = ("gestation_weeks", 20.0, 45.0, "周");
pub const BIRTH_WEIGHT: Range = ("birth_weight_kg", 0.3, 10.0, "kg");
pub const WEIGHT: Range = ("weight_kg", 0.3, 10.0, "kg");
pub const BIRTH_LENGTH: Range = ("birth_length_cm", 20.0, 70.0, "cm");
pub const TEMPERATURE: Range = ("temperature", 30.0, 43.0, "℃");
pub const HEART_RATE: Range = ("heart_rate", 40.0, 250.0, "次/分");
pub const RESPIRATION: Range = ("respiration", 5.0, 120.0, "次/分");
pub const FONTANELLE_W: Range = ("fontanelle_w_cm", 0.0, 6.0, "cm");
pub const FONTANELLE_H: Range = ("fontanelle_h_cm", 0.0, 6.0, "cm");

pub const RANGES: [Range; 9] = [
    GESTATION_WEEKS,
    BIRTH_WEIGHT,
    WEIGHT,
    BIRTH_LENGTH,
    TEMPERATURE,
    HEART_RATE,
    RESPIRATION,
    FONTANELLE_W,
    FONTANELLE_H,
];

/// Validates a visit against the newborn's birth date and today; every problem at once.
///
/// A visit with an immediate criterion cannot be saved with 转诊建议 无 unless `referral_declined_reason`
/// says why no referral was made: the doctor either records the referral or owns the decision not to, and
/// the reason is kept. Advised findings never block saving.
pub fn validate(v: &NewbornVisitInput, birth_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    let referrals = referral_checks(v);
    let mut c = Check::default();
    if v.visit_date > today {
        c.add("visit_date", "访视日期不能晚于今天", "The visit date cannot be in the future");
    }
    let age_days = (v.visit_date - birth_date).num_days();
    if age_days < 0 {
        c.add("visit_date", "访视日期不能早于出生日期", "The visit cannot be before the birth");
    } else if age_days > NEWBORN_MAX_DAYS {
        c.add(
            "visit_date",
            format!(
                "新生儿已出生{age_days}天，超过{NEWBORN_MAX_DAYS}天不再填写新生儿访视；满月（28–30天）及以后请填写儿童健康检查"
            ),
            format!(
                "The baby is {age_days} days old: past {NEWBORN_MAX_DAYS} days this is not a newborn visit; from 满月 \
                 (28–30 days) record a child health check"
            ),
        );
    }
    c.reading(GESTATION_WEEKS, v.gestation_weeks.map(f64::from), false);
    c.reading(BIRTH_WEIGHT, v.birth_weight_kg, false);
    c.reading(WEIGHT, v.weight_kg, true);
    c.reading(BIRTH_LENGTH, v.birth_length_cm, false);
    c.reading(TEMPERATURE, v.temperature, true);
    c.reading(HEART_RATE, v.heart_rate.map(f64::from), true);
    c.reading(RESPIRATION, v.respiration.map(f64::from), true);
    c.reading(FONTANELLE_W, v.fontanelle_w_cm, false);
    c.reading(FONTANELLE_H, v.fontanelle_h_cm, false);
    if v.feeding.is_none() {
        c.add("feeding", "请选择一项", "Choose one option");
    }
    if v.fontanelle_w_cm.is_some() != v.fontanelle_h_cm.is_some() {
        c.add("fontanelle_h_cm", "前囟请填写两个径线（cm×cm）", "Give both fontanelle diameters");
    }
    c.text_if("referral_reason", &v.referral_reason, v.referral, TEXT_MAX);
    c.text_if("referral_institution", &v.referral_institution, v.referral, TEXT_MAX);
    c.text_if("referral_declined_reason", &v.referral_declined_reason, false, TEXT_MAX);
    let unreferred = referrals
        .iter()
        .find(|r| r.urgency == Urgency::Immediate)
        .filter(|_| !v.referral && v.referral_declined_reason.trim().is_empty());
    if let Some(first) = unreferred {
        c.add(
            "referral",
            format!(
                "{}，须立即转诊：请将转诊建议选为“有”，或填写未转诊原因（如家长拒绝）",
                first.criterion.message(true)
            ),
            format!(
                "{}: immediate referral; choose referral “yes” or give the reason none was made (e.g. the parents \
                 refused)",
                first.criterion.message(false)
            ),
        );
    }
    c.text_if("guidance_other", &v.guidance_other, v.guidance.contains(&Guidance::Other), TEXT_MAX);
    c.text_if("next_place", &v.next_place, false, TEXT_MAX);
    if let Some(n) = v.next_date {
        if n <= v.visit_date {
            c.add("next_date", "下次随访日期应晚于本次访视", "The next visit must be after this one");
        }
    }
    c.finish()
}

fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(NaiveDate::MAX)
}

#[cfg(test)]
mod tests;
