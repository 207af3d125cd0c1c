//! Prenatal follow-ups 2–5 (第2～5次产前随访服务记录表): the visit itself, or where the village cannot do it,
//! only the date the woman was urged to a qualified facility (督促日期).

use super::*;

/// 指导 at visits 2–5 [P labels]; the last three only at visits 4 and 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpGuidance {
    /// 生活方式 (个人卫生)
    Lifestyle,
    /// 营养 (膳食)
    Diet,
    Psychology,
    Exercise,
    SelfMonitoring,
    BirthPreparation,
    Breastfeeding,
    Other,
}

impl FollowUpGuidance {
    /// Offered only at visits 4 and 5: 自我监测, 分娩准备, 母乳喂养.
    pub fn late_only(self) -> bool {
        matches!(
            self,
            FollowUpGuidance::SelfMonitoring | FollowUpGuidance::BirthPreparation | FollowUpGuidance::Breastfeeding
        )
    }

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            FollowUpGuidance::Lifestyle => ("生活方式", "Lifestyle"),
            FollowUpGuidance::Diet => ("营养", "Diet"),
            FollowUpGuidance::Psychology => ("心理", "Psychological"),
            FollowUpGuidance::Exercise => ("运动", "Exercise"),
            FollowUpGuidance::SelfMonitoring => ("自我监测", "Self-monitoring"),
            FollowUpGuidance::BirthPreparation => ("分娩准备", "Preparing for birth"),
            FollowUpGuidance::Breastfeeding => ("母乳喂养", "Breastfeeding"),
            FollowUpGuidance::Other => ("其他", "Other"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// A prenatal follow-up (visits 2–5): either the visit itself, or, where the unit cannot do it, only the date
/// the woman was urged to a qualified facility (督促日期).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrenatalFollowUpInput {
    pub visit: PrenatalVisit,
    /// The pregnancy's LMP (or its estimate) from the registration, so the server checks the window too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lmp: Option<NaiveDate>,
    pub entry: FollowUpEntry,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpEntry {
    /// 督促日期 only.
    Urged { urging_date: NaiveDate },
    /// 第2～5次产前随访服务记录表.
    Visited(Box<PrenatalVisitRecord>),
}

/// The visit record of 第2～5次产前随访服务记录表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrenatalVisitRecord {
    pub visit_date: NaiveDate,
    /// 主诉.
    pub complaint: String,
    pub weight_kg: Option<f64>,
    /// 宫底高度 cm, 腹围 cm.
    pub fundal_height_cm: Option<f64>,
    pub abdominal_circ_cm: Option<f64>,
    /// 胎位.
    pub fetal_position: String,
    /// 胎心率 /min.
    pub fetal_heart_rate: Option<i32>,
    pub sbp: Option<i32>,
    pub dbp: Option<i32>,
    pub hb: Option<f64>,
    /// 尿蛋白 as read (−, ±, +, ++ …).
    pub urine_protein: String,
    /// 其他辅助检查.
    pub other_tests: String,
    /// 分类 未见异常/异常.
    pub classification: Option<Exam>,
    pub guidance: BTreeSet<FollowUpGuidance>,
    pub guidance_other: String,
    pub referral: bool,
    pub referral_reason: String,
    pub referral_institution: String,
    pub next_date: Option<NaiveDate>,
}

/// Validates a follow-up against the pregnancy's LMP (if known) and today. A visit before its window opens is
/// refused (it is the previous visit, or an extra one); a late visit is accepted and counts late.
pub fn validate_follow_up(v: &PrenatalFollowUpInput, lmp: Option<NaiveDate>, today: NaiveDate) -> Result<(), AppError> {
    let mut c = Check::default();
    if v.visit == PrenatalVisit::First {
        c.add("visit", "第1次产前检查请填写建册表", "The first visit is recorded on the registration form");
    }
    match &v.entry {
        FollowUpEntry::Urged { urging_date } => in_pregnancy(&mut c, "urging_date", *urging_date, lmp, today),
        FollowUpEntry::Visited(r) => {
            in_pregnancy(&mut c, "visit_date", r.visit_date, lmp, today);
            if let Some(lmp) = lmp {
                let (from, _) = window(lmp, v.visit);
                let weeks = v.visit.ga_window().0 / 7;
                if v.visit != PrenatalVisit::First && r.visit_date < from {
                    c.add(
                        "visit_date",
                        format!("未到{}时间（孕{weeks}周起，即{from}起）", v.visit.label(true)),
                        format!("Too early for the {} (from week {weeks}, {from})", v.visit.label(false)),
                    );
                }
            }
            c.text_if("complaint", &r.complaint, false, TEXT_MAX);
            c.reading(WEIGHT, r.weight_kg, false);
            c.reading(FUNDAL_HEIGHT, r.fundal_height_cm, false);
            c.reading(ABDOMINAL_CIRC, r.abdominal_circ_cm, false);
            c.text_if("fetal_position", &r.fetal_position, false, TEXT_MAX);
            c.reading(FETAL_HEART_RATE, r.fetal_heart_rate.map(f64::from), false);
            blood_pressure(&mut c, r.sbp, r.dbp);
            c.reading(HB, r.hb, false);
            c.text_if("urine_protein", &r.urine_protein, false, TEXT_MAX);
            c.text_if("other_tests", &r.other_tests, false, TEXT_MAX);
            exam(&mut c, "classification", r.classification.as_ref());
            let early_visit = matches!(v.visit, PrenatalVisit::Second | PrenatalVisit::Third);
            if early_visit && r.guidance.iter().any(|g| g.late_only()) {
                c.add(
                    "guidance",
                    "自我监测、分娩准备、母乳喂养指导用于第4、5次随访",
                    "Self-monitoring, birth preparation and breastfeeding are for visits 4 and 5",
                );
            }
            c.text_if("guidance_other", &r.guidance_other, r.guidance.contains(&FollowUpGuidance::Other), TEXT_MAX);
            c.text_if("referral_reason", &r.referral_reason, r.referral, TEXT_MAX);
            c.text_if("referral_institution", &r.referral_institution, r.referral, TEXT_MAX);
            c.next_after(r.next_date, r.visit_date);
        }
    }
    c.finish()
}
