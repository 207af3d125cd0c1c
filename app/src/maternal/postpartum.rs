//! The postpartum home visit (产后访视记录表) and the 42-day check (产后42天健康检查记录表) that closes the
//! maternal episode (结案).

use super::*;

/// 指导 at the postpartum visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostpartumGuidance {
    Hygiene,
    Psychology,
    Nutrition,
    Breastfeeding,
    /// 新生儿护理与喂养
    NewbornCare,
    Other,
}

impl PostpartumGuidance {
    pub const ALL: [PostpartumGuidance; 6] = [
        PostpartumGuidance::Hygiene,
        PostpartumGuidance::Psychology,
        PostpartumGuidance::Nutrition,
        PostpartumGuidance::Breastfeeding,
        PostpartumGuidance::NewbornCare,
        PostpartumGuidance::Other,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            PostpartumGuidance::Hygiene => ("个人卫生", "Personal hygiene"),
            PostpartumGuidance::Psychology => ("心理", "Psychological"),
            PostpartumGuidance::Nutrition => ("营养", "Nutrition"),
            PostpartumGuidance::Breastfeeding => ("母乳喂养", "Breastfeeding"),
            PostpartumGuidance::NewbornCare => ("新生儿护理与喂养", "Newborn care and feeding"),
            PostpartumGuidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 指导 at the 42-day check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check42Guidance {
    /// 性保健
    SexualHealth,
    /// 避孕
    Contraception,
    /// 婴儿喂养及营养
    InfantFeeding,
    Other,
}

impl Check42Guidance {
    pub const ALL: [Check42Guidance; 4] = [
        Check42Guidance::SexualHealth,
        Check42Guidance::Contraception,
        Check42Guidance::InfantFeeding,
        Check42Guidance::Other,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Check42Guidance::SexualHealth => ("性保健", "Sexual health"),
            Check42Guidance::Contraception => ("避孕", "Contraception"),
            Check42Guidance::InfantFeeding => ("婴儿喂养及营养", "Infant feeding and nutrition"),
            Check42Guidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// 产后访视记录表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PostpartumVisitInput {
    pub visit_date: NaiveDate,
    /// 分娩日期, as on the paper form (prefilled from the delivery record).
    pub delivery_date: NaiveDate,
    /// 体温 ℃.
    pub temperature: Option<f64>,
    /// 一般健康情况, 一般心理状况.
    pub general_health: String,
    pub mental_health: String,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    /// 乳房, 恶露, 子宫, 伤口.
    pub breasts: Option<Exam>,
    pub lochia: Option<Exam>,
    pub uterus: Option<Exam>,
    pub wound: Option<Exam>,
    /// 分类.
    pub classification: Option<Exam>,
    pub guidance: BTreeSet<PostpartumGuidance>,
    pub guidance_other: String,
    pub referral: bool,
    pub referral_reason: String,
    pub referral_institution: String,
    pub next_date: Option<NaiveDate>,
}

/// Validates a postpartum visit against the delivery date and today. From day 42 the 42-day check applies.
pub fn validate_postpartum(
    v: &PostpartumVisitInput,
    delivery_date: NaiveDate,
    today: NaiveDate,
) -> Result<(), AppError> {
    let mut c = Check::default();
    c.not_future("visit_date", v.visit_date, today);
    if v.visit_date < delivery_date {
        c.add("visit_date", "访视日期不能早于分娩日期", "The visit cannot be before the delivery");
    } else if v.visit_date >= add_days(delivery_date, CHECK_42_FROM_DAYS) {
        c.add(
            "visit_date",
            "产后42天及以后请填写产后42天健康检查",
            "From day 42 after delivery record the 42-day check",
        );
    }
    c.reading(TEMPERATURE, v.temperature, true);
    c.text_if("general_health", &v.general_health, false, TEXT_MAX);
    c.text_if("mental_health", &v.mental_health, false, TEXT_MAX);
    blood_pressure(&mut c, v.sbp, v.dbp);
    exam(&mut c, "breasts", v.breasts.as_ref());
    exam(&mut c, "lochia", v.lochia.as_ref());
    exam(&mut c, "uterus", v.uterus.as_ref());
    exam(&mut c, "wound", v.wound.as_ref());
    exam(&mut c, "classification", v.classification.as_ref());
    c.text_if("guidance_other", &v.guidance_other, v.guidance.contains(&PostpartumGuidance::Other), TEXT_MAX);
    c.text_if("referral_reason", &v.referral_reason, v.referral, TEXT_MAX);
    c.text_if("referral_institution", &v.referral_institution, v.referral, TEXT_MAX);
    c.next_after(v.next_date, v.visit_date);
    c.finish()
}

/// 分类 at 42 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recovery {
    /// 已恢复
    Recovered,
    /// 未恢复
    NotRecovered,
}

impl Recovery {
    pub const ALL: [Recovery; 2] = [Recovery::Recovered, Recovery::NotRecovered];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Recovery::Recovered, true) => "已恢复",
            (Recovery::Recovered, false) => "Recovered",
            (Recovery::NotRecovered, true) => "未恢复",
            (Recovery::NotRecovered, false) => "Not recovered",
        }
    }
}

/// 处理 at 42 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposal {
    /// 结案: closes the maternal episode.
    Close,
    /// 转诊
    Refer,
}

impl Disposal {
    pub const ALL: [Disposal; 2] = [Disposal::Close, Disposal::Refer];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Disposal::Close, true) => "结案",
            (Disposal::Close, false) => "Close the episode",
            (Disposal::Refer, true) => "转诊",
            (Disposal::Refer, false) => "Refer",
        }
    }
}

/// 产后42天健康检查记录表: the postpartum items without temperature; 心理状况 is the depression screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check42Input {
    pub check_date: NaiveDate,
    /// 分娩日期, as on the paper form (prefilled from the delivery record).
    pub delivery_date: NaiveDate,
    pub general_health: String,
    pub mental_health: String,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    pub breasts: Option<Exam>,
    pub lochia: Option<Exam>,
    pub uterus: Option<Exam>,
    pub wound: Option<Exam>,
    pub classification: Option<Recovery>,
    /// What has not recovered.
    pub classification_note: String,
    pub guidance: BTreeSet<Check42Guidance>,
    pub guidance_other: String,
    pub disposal: Option<Disposal>,
    /// Reason and institution when referred.
    pub referral_reason: String,
    pub referral_institution: String,
}

/// Validates a 42-day check against the delivery date and today. It is refused before day 42 and accepted
/// late; a woman who has not recovered is referred, not closed.
pub fn validate_check_42(v: &Check42Input, delivery_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
    let from = add_days(delivery_date, CHECK_42_FROM_DAYS);
    let mut c = Check::default();
    c.not_future("check_date", v.check_date, today);
    if v.check_date < from {
        c.add(
            "check_date",
            format!("产后42天健康检查自产后第42天（{from}）起进行"),
            format!("The 42-day check is from day 42 after delivery ({from})"),
        );
    }
    c.text_if("general_health", &v.general_health, false, TEXT_MAX);
    c.text_if("mental_health", &v.mental_health, false, TEXT_MAX);
    blood_pressure(&mut c, v.sbp, v.dbp);
    exam(&mut c, "breasts", v.breasts.as_ref());
    exam(&mut c, "lochia", v.lochia.as_ref());
    exam(&mut c, "uterus", v.uterus.as_ref());
    exam(&mut c, "wound", v.wound.as_ref());
    if v.classification.is_none() {
        c.add("classification", "请选择一项", "Choose one option");
    }
    c.text_if("classification_note", &v.classification_note, false, TEXT_MAX);
    c.text_if("guidance_other", &v.guidance_other, v.guidance.contains(&Check42Guidance::Other), TEXT_MAX);
    match (v.classification, v.disposal) {
        (_, None) => c.add("disposal", "请选择一项", "Choose one option"),
        (Some(Recovery::NotRecovered), Some(Disposal::Close)) => {
            c.add("disposal", "未恢复者应转诊，不能结案", "Refer a woman who has not recovered; do not close")
        }
        _ => {}
    }
    let referred = v.disposal == Some(Disposal::Refer);
    c.text_if("referral_reason", &v.referral_reason, referred, TEXT_MAX);
    c.text_if("referral_institution", &v.referral_institution, referred, TEXT_MAX);
    c.finish()
}
