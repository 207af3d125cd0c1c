//! The pregnancy risk screen (妊娠风险筛查) on the registration form and the five-colour grade (五色管理):
//! the village screens and lists the reasons; the township assigns the colour (`riskColor` + reasons).

use super::*;

/// Screen limits of 妊娠风险筛查 [V P9]: age ≥35 or ≤18, height ≤145 cm, BMI >25 or <18.5, birth interval <18
/// months or >5 years.
pub const AGE_HIGH: i32 = 35;

pub const AGE_LOW: i32 = 18;

pub const HEIGHT_LOW_CM: f64 = 145.0;

pub const BMI_HIGH: f64 = 25.0;

pub const BMI_LOW: f64 = 18.5;

pub const INTERVAL_MIN_MONTHS: u32 = 18;

pub const INTERVAL_MAX_MONTHS: u32 = 60;

/// 不良孕产史 counts any stillbirth, death or defect, or this many abortions of either kind (各类流产≥3次) [U: unverified].
pub const ADVERSE_ABORTIONS: u8 = 3;

/// BMI from height and weight, rounded to one decimal as printed on the form; the screen compares that
/// figure, so BMI 25.0 is not flagged and 25.1 is.
pub fn bmi(height_cm: f64, weight_kg: f64) -> f64 {
    (weight_kg * 10_000.0 / (height_cm * height_cm) * 10.0).round() / 10.0
}

/// One positive item of the village risk screen, with the value that triggered it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFlag {
    /// Age at registration ≥35.
    AgeHigh(i32),
    /// Age at registration ≤18.
    AgeLow(i32),
    /// Height ≤145 cm.
    ShortStature(f64),
    BmiHigh(f64),
    BmiLow(f64),
    RhNegative,
    /// Months from the last delivery to this pregnancy's LMP, under 18.
    ShortInterval(u32),
    /// Months from the last delivery to this pregnancy's LMP, over 5 years.
    LongInterval(u32),
    /// 剖宫产史
    PriorCaesarean,
    /// 不孕史
    Infertility,
    /// 不良孕产史
    AdverseHistory,
}

impl RiskFlag {
    pub fn message(self, zh: bool) -> String {
        match (self, zh) {
            (RiskFlag::AgeHigh(a), true) => format!("年龄 {a} 岁（≥{AGE_HIGH}岁）"),
            (RiskFlag::AgeHigh(a), false) => format!("Age {a} (≥ {AGE_HIGH})"),
            (RiskFlag::AgeLow(a), true) => format!("年龄 {a} 岁（≤{AGE_LOW}岁）"),
            (RiskFlag::AgeLow(a), false) => format!("Age {a} (≤ {AGE_LOW})"),
            (RiskFlag::ShortStature(h), true) => format!("身高 {h} cm（≤{HEIGHT_LOW_CM} cm）"),
            (RiskFlag::ShortStature(h), false) => format!("Height {h} cm (≤ {HEIGHT_LOW_CM} cm)"),
            (RiskFlag::BmiHigh(b), true) => format!("BMI {b:.1}（>{BMI_HIGH}）"),
            (RiskFlag::BmiHigh(b), false) => format!("BMI {b:.1} (> {BMI_HIGH})"),
            (RiskFlag::BmiLow(b), true) => format!("BMI {b:.1}（<{BMI_LOW}）"),
            (RiskFlag::BmiLow(b), false) => format!("BMI {b:.1} (< {BMI_LOW})"),
            (RiskFlag::RhNegative, true) => "Rh阴性".into(),
            (RiskFlag::RhNegative, false) => "Rh negative".into(),
            (RiskFlag::ShortInterval(m), true) => format!("生育间隔 {m} 个月（<18个月）"),
            (RiskFlag::ShortInterval(m), false) => format!("Birth interval {m} months (< 18 months)"),
            (RiskFlag::LongInterval(m), true) => format!("生育间隔 {m} 个月（>5年）"),
            (RiskFlag::LongInterval(m), false) => format!("Birth interval {m} months (> 5 years)"),
            (RiskFlag::PriorCaesarean, true) => "剖宫产史".into(),
            (RiskFlag::PriorCaesarean, false) => "Previous caesarean section".into(),
            (RiskFlag::Infertility, true) => "不孕史".into(),
            (RiskFlag::Infertility, false) => "History of infertility".into(),
            (RiskFlag::AdverseHistory, true) => "不良孕产史".into(),
            (RiskFlag::AdverseHistory, false) => "Adverse obstetric history".into(),
        }
    }
}

/// The village screen from the registration form and the woman's birth date, in the order of the screen
/// table. Age is taken on the registration date; the birth interval runs from the last delivery to the LMP
/// (or, with the LMP unknown, to the conception date implied by the entered gestational age, else the
/// registration date).
pub fn risk_flags(reg: &RegistrationInput, mother_birth: NaiveDate) -> Vec<RiskFlag> {
    let mut flags = Vec::new();
    let age = crate::resident::age_on(mother_birth, reg.registration_date);
    if age >= AGE_HIGH {
        flags.push(RiskFlag::AgeHigh(age));
    } else if age <= AGE_LOW {
        flags.push(RiskFlag::AgeLow(age));
    }
    if let Some(h) = reg.height_cm.filter(|h| *h <= HEIGHT_LOW_CM) {
        flags.push(RiskFlag::ShortStature(h));
    }
    match reg.bmi() {
        Some(b) if b > BMI_HIGH => flags.push(RiskFlag::BmiHigh(b)),
        Some(b) if b < BMI_LOW => flags.push(RiskFlag::BmiLow(b)),
        _ => {}
    }
    if reg.rh == Some(Rh::Negative) {
        flags.push(RiskFlag::RhNegative);
    }
    if let Some(last) = reg.last_delivery_date {
        let start = reg.lmp_estimate().unwrap_or(reg.registration_date);
        let months = completed_months(last, start);
        if start < add_months(last, INTERVAL_MIN_MONTHS) {
            flags.push(RiskFlag::ShortInterval(months));
        } else if start > add_months(last, INTERVAL_MAX_MONTHS) {
            flags.push(RiskFlag::LongInterval(months));
        }
    }
    if reg.caesarean_births > 0 {
        flags.push(RiskFlag::PriorCaesarean);
    }
    if reg.infertility {
        flags.push(RiskFlag::Infertility);
    }
    if reg.obstetric.is_adverse() {
        flags.push(RiskFlag::AdverseHistory);
    }
    flags
}

/// 五色管理 colours, in rising order of risk; purple (infectious disease) stands beside the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskColor {
    /// 绿色: low risk
    Green,
    /// 黄色: general risk
    Yellow,
    /// 橙色: higher risk
    Orange,
    /// 红色: high risk
    Red,
    /// 紫色: infectious disease (hepatitis, syphilis, HIV, TB)
    Purple,
}

impl RiskColor {
    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            RiskColor::Green => ("绿色", "Green"),
            RiskColor::Yellow => ("黄色", "Yellow"),
            RiskColor::Orange => ("橙色", "Orange"),
            RiskColor::Red => ("红色", "Red"),
            RiskColor::Purple => ("紫色", "Purple"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// A woman's grade, assigned by the township: the highest of green < yellow < orange < red, plus purple when
/// an infectious disease is present. Purple alone is `level: None, purple: true`; nothing assessed yet is the
/// default. Build it with `with`/`combine`, which keep `level` from ever holding purple.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RiskGrade {
    pub level: Option<RiskColor>,
    pub purple: bool,
}

impl RiskGrade {
    /// This grade with one more colour: purple is added beside, any other kept if higher.
    pub fn with(self, color: RiskColor) -> RiskGrade {
        match color {
            RiskColor::Purple => RiskGrade { purple: true, ..self },
            other => RiskGrade { level: self.level.max(Some(other)), ..self },
        }
    }

    pub fn combine(colors: impl IntoIterator<Item = RiskColor>) -> RiskGrade {
        colors.into_iter().fold(RiskGrade::default(), RiskGrade::with)
    }

    /// The colours to show, highest level first then purple.
    pub fn colors(&self) -> Vec<RiskColor> {
        let purple = self.purple.then_some(RiskColor::Purple);
        self.level.into_iter().chain(purple).collect()
    }

    /// "橙色+紫色"; empty when not assessed.
    pub fn label(&self, zh: bool) -> String {
        self.colors().iter().map(|c| c.label(zh)).collect::<Vec<_>>().join("+")
    }
}
