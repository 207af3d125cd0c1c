//! Pregnancy registration (早孕建册) with the first prenatal check (第1次产前检查服务记录表): the histories,
//! the measurements the risk screen reads, and its validation.

use super::*;

/// Rh blood group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rh {
    /// 阳性
    Positive,
    /// 阴性
    Negative,
}

impl Rh {
    pub const ALL: [Rh; 2] = [Rh::Positive, Rh::Negative];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Rh::Positive, true) => "阳性",
            (Rh::Positive, false) => "Positive",
            (Rh::Negative, true) => "阴性",
            (Rh::Negative, false) => "Negative",
        }
    }
}

/// 既往史 (multi-select; none ticked = 无).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PastHistory {
    HeartDisease,
    KidneyDisease,
    LiverDisease,
    Hypertension,
    Anaemia,
    Diabetes,
    Other,
}

impl PastHistory {
    pub const ALL: [PastHistory; 7] = [
        PastHistory::HeartDisease,
        PastHistory::KidneyDisease,
        PastHistory::LiverDisease,
        PastHistory::Hypertension,
        PastHistory::Anaemia,
        PastHistory::Diabetes,
        PastHistory::Other,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            PastHistory::HeartDisease => ("心脏病", "Heart disease"),
            PastHistory::KidneyDisease => ("肾脏疾病", "Kidney disease"),
            PastHistory::LiverDisease => ("肝脏疾病", "Liver disease"),
            PastHistory::Hypertension => ("高血压", "Hypertension"),
            PastHistory::Anaemia => ("贫血", "Anaemia"),
            PastHistory::Diabetes => ("糖尿病", "Diabetes"),
            PastHistory::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 家族史 (multi-select; none ticked = 无).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyHistory {
    /// 遗传性疾病史
    Hereditary,
    /// 精神疾病史
    Mental,
    Other,
}

impl FamilyHistory {
    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            FamilyHistory::Hereditary => ("遗传性疾病史", "Hereditary disease"),
            FamilyHistory::Mental => ("精神疾病史", "Mental illness"),
            FamilyHistory::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 个人史 (multi-select; none ticked = 无).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonalHistory {
    Smoking,
    Drinking,
    Medication,
    Toxins,
    Radiation,
    Other,
}

impl PersonalHistory {
    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            PersonalHistory::Smoking => ("吸烟", "Smoking"),
            PersonalHistory::Drinking => ("饮酒", "Drinking"),
            PersonalHistory::Medication => ("服用药物", "Taking medication"),
            PersonalHistory::Toxins => ("接触有毒有害物质", "Exposure to toxic substances"),
            PersonalHistory::Radiation => ("接触放射线", "Exposure to radiation"),
            PersonalHistory::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 孕产史 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ObstetricHistory {
    /// 自然流产
    pub spontaneous_abortions: u8,
    /// 人工流产
    pub induced_abortions: u8,
    /// 死胎
    pub fetal_deaths: u8,
    /// 死产
    pub stillbirths: u8,
    /// 新生儿死亡
    pub neonatal_deaths: u8,
    /// 出生缺陷儿
    pub birth_defects: u8,
}

impl ObstetricHistory {
    pub fn abortions(&self) -> u8 {
        self.spontaneous_abortions.saturating_add(self.induced_abortions)
    }

    /// 不良孕产史 for the risk screen: any fetal death, stillbirth, neonatal death or birth defect, or
    /// `ADVERSE_ABORTIONS` abortions of either kind.
    pub fn is_adverse(&self) -> bool {
        self.fetal_deaths > 0
            || self.stillbirths > 0
            || self.neonatal_deaths > 0
            || self.birth_defects > 0
            || self.abortions() >= ADVERSE_ABORTIONS
    }
}

/// 保健指导 at the first visit [P: partly verified].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirstVisitGuidance {
    /// 生活方式 (2nd edition: 个人卫生)
    Lifestyle,
    Psychology,
    Nutrition,
    /// 避免致畸因素和疾病对胚胎的不良影响
    Teratogens,
    /// 产前筛查宣传告知
    ScreeningInfo,
    Other,
}

impl FirstVisitGuidance {
    pub const ALL: [FirstVisitGuidance; 6] = [
        FirstVisitGuidance::Lifestyle,
        FirstVisitGuidance::Psychology,
        FirstVisitGuidance::Nutrition,
        FirstVisitGuidance::Teratogens,
        FirstVisitGuidance::ScreeningInfo,
        FirstVisitGuidance::Other,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            FirstVisitGuidance::Lifestyle => ("生活方式", "Lifestyle"),
            FirstVisitGuidance::Psychology => ("心理", "Psychological"),
            FirstVisitGuidance::Nutrition => ("营养", "Nutrition"),
            FirstVisitGuidance::Teratogens => {
                ("避免致畸因素和疾病对胚胎的不良影响", "Avoiding teratogens and disease harmful to the embryo")
            }
            FirstVisitGuidance::ScreeningInfo => ("产前筛查宣传告知", "Prenatal screening information"),
            FirstVisitGuidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// Registration with the first prenatal check (第1次产前检查服务记录表), the fields the rules read; labs outside
/// the basic package and the gynaecological items are left to the full form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationInput {
    /// 填表日期 (建册).
    pub registration_date: NaiveDate,
    /// 末次月经; None = 不详.
    pub lmp: Option<NaiveDate>,
    /// 孕周 (weeks, days) on the registration date when the LMP is unknown (e.g. by ultrasound); not read
    /// when the LMP is known.
    pub ga_entered: Option<(u8, u8)>,
    /// 丈夫 姓名, 年龄, 电话.
    pub husband_name: String,
    pub husband_age: Option<u8>,
    pub husband_phone: String,
    /// 孕次, counting this pregnancy.
    pub gravidity: u8,
    /// 产次 (births after 28 weeks): 阴道分娩 and 剖宫产.
    pub vaginal_births: u8,
    pub caesarean_births: u8,
    /// The last delivery, for the birth-interval screen.
    pub last_delivery_date: Option<NaiveDate>,
    /// 不孕史, for the risk screen.
    pub infertility: bool,
    pub past_history: BTreeSet<PastHistory>,
    pub past_history_other: String,
    pub family_history: BTreeSet<FamilyHistory>,
    pub family_history_other: String,
    pub personal_history: BTreeSet<PersonalHistory>,
    pub personal_history_other: String,
    /// 妇科手术史: None = 无, Some(what) = 有.
    pub gyn_surgery: Option<String>,
    pub obstetric: ObstetricHistory,
    pub height_cm: Option<f64>,
    pub weight_kg: Option<f64>,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    /// 血红蛋白 g/L.
    pub hb: Option<f64>,
    pub rh: Option<Rh>,
    /// 总体评估.
    pub overall: Option<Exam>,
    pub guidance: BTreeSet<FirstVisitGuidance>,
    pub guidance_other: String,
    /// 转诊 有/无, with 原因 and 机构及科室.
    pub referral: bool,
    pub referral_reason: String,
    pub referral_institution: String,
    pub next_date: Option<NaiveDate>,
}

impl RegistrationInput {
    /// The LMP, or with it unknown the day the entered gestational age counts from.
    pub fn lmp_estimate(&self) -> Option<NaiveDate> {
        self.lmp
            .or_else(|| self.ga_entered.map(|(w, d)| add_days(self.registration_date, -ga(i64::from(w), i64::from(d)))))
    }

    /// 孕周 on the registration date.
    pub fn ga_at_registration(&self) -> Option<(u32, u32)> {
        self.lmp_estimate().and_then(|l| gestational_age(l, self.registration_date))
    }

    /// 预产期 by Naegele's rule from the LMP (or its estimate).
    pub fn edd(&self) -> Option<NaiveDate> {
        self.lmp_estimate().map(edd)
    }

    pub fn is_early(&self) -> bool {
        self.lmp_estimate().is_some_and(|l| is_early(l, self.registration_date))
    }

    /// 产次.
    pub fn parity(&self) -> u8 {
        self.vaginal_births.saturating_add(self.caesarean_births)
    }

    /// BMI (auto) from this form's height and weight.
    pub fn bmi(&self) -> Option<f64> {
        match (self.height_cm, self.weight_kg) {
            (Some(h), Some(w)) if h > 0.0 => Some(bmi(h, w)),
            _ => None,
        }
    }
}

/// A pregnant woman's plausible age on the registration date.
pub const MOTHER_AGE: (i32, i32) = (12, 60);

/// Most babies recorded for one delivery.
pub const MAX_BABIES: usize = 5;

/// Validates a registration against the woman's birth date and today; every problem at once.
pub fn validate_registration(v: &RegistrationInput, mother_birth: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    let mut c = Check::default();
    c.not_future("registration_date", v.registration_date, today);
    let age = crate::resident::age_on(mother_birth, v.registration_date);
    if !(MOTHER_AGE.0..=MOTHER_AGE.1).contains(&age) {
        c.add(
            "registration_date",
            format!("孕妇年龄{age}岁，请核对出生日期"),
            format!("The woman is {age}: check her birth date"),
        );
    }
    match (v.lmp, v.ga_entered) {
        (Some(lmp), _) if lmp > v.registration_date => {
            c.add("lmp", "末次月经不能晚于建册日期", "The LMP cannot be after registration")
        }
        (Some(lmp), _) if (v.registration_date - lmp).num_days() > MAX_GA_DAYS => {
            c.add("lmp", "按末次月经孕周超过45周，请核对", "Over 45 weeks by this LMP: check it")
        }
        (None, None) => {
            c.add("ga_entered", "末次月经不详时请填写孕周", "Enter the gestational age when the LMP is unknown")
        }
        (None, Some((w, d))) if w > 45 || d > 6 => {
            c.add("ga_entered", "孕周应为0–45周+0–6天", "Gestational age must be 0–45 weeks + 0–6 days")
        }
        _ => {}
    }
    if !(1..=20).contains(&v.gravidity) {
        c.add("gravidity", "孕次应在1–20之间", "Gravidity must be 1–20");
    } else if u32::from(v.parity()) + u32::from(v.obstetric.abortions()) > u32::from(v.gravidity) - 1 {
        c.add(
            "gravidity",
            "孕次应不少于产次、流产次数之和加本次妊娠",
            "Gravidity must cover the births, the abortions and this pregnancy",
        );
    }
    if let Some(last) = v.last_delivery_date {
        if v.parity() == 0 {
            c.add("last_delivery_date", "无产次时不填上次分娩日期", "No previous births: leave this empty");
        } else if last > v.lmp_estimate().unwrap_or(v.registration_date) {
            c.add(
                "last_delivery_date",
                "上次分娩日期应早于本次末次月经",
                "The last delivery must be before this pregnancy",
            );
        }
    }
    c.text_if("husband_name", &v.husband_name, false, TEXT_MAX);
    c.text_if("husband_phone", &v.husband_phone, false, TEXT_MAX);
    c.reading(HUSBAND_AGE, v.husband_age.map(f64::from), false);
    c.text_if("past_history_other", &v.past_history_other, v.past_history.contains(&PastHistory::Other), TEXT_MAX);
    c.text_if(
        "family_history_other",
        &v.family_history_other,
        v.family_history.contains(&FamilyHistory::Other),
        TEXT_MAX,
    );
    let other = v.personal_history.contains(&PersonalHistory::Other);
    c.text_if("personal_history_other", &v.personal_history_other, other, TEXT_MAX);
    if let Some(what) = &v.gyn_surgery {
        c.text_if("gyn_surgery", what, true, TEXT_MAX);
    }
    c.reading(HEIGHT, v.height_cm, true);
    c.reading(WEIGHT, v.weight_kg, true);
    blood_pressure(&mut c, v.sbp, v.dbp);
    c.reading(HB, v.hb, false);
    exam(&mut c, "overall", v.overall.as_ref());
    c.text_if("guidance_other", &v.guidance_other, v.guidance.contains(&FirstVisitGuidance::Other), TEXT_MAX);
    c.text_if("referral_reason", &v.referral_reason, v.referral, TEXT_MAX);
    c.text_if("referral_institution", &v.referral_institution, v.referral, TEXT_MAX);
    c.next_after(v.next_date, v.registration_date);
    c.finish()
}
