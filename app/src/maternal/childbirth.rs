//! The delivery as the village learns it (分娩): where, when, each baby's sex and outcome, and the tasks it
//! opens (the postpartum visit, the 42-day check, one newborn visit per live birth).

use super::*;

/// 分娩地点.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryPlace {
    /// 医疗机构 (named in `place_name`)
    Facility,
    /// 家中
    Home,
    /// 其他 (on the way, ...)
    Other,
}

impl DeliveryPlace {
    pub const ALL: [DeliveryPlace; 3] = [DeliveryPlace::Facility, DeliveryPlace::Home, DeliveryPlace::Other];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (DeliveryPlace::Facility, true) => "医疗机构",
            (DeliveryPlace::Facility, false) => "Health facility",
            (DeliveryPlace::Home, true) => "家中",
            (DeliveryPlace::Home, false) => "Home",
            (DeliveryPlace::Other, true) => "其他",
            (DeliveryPlace::Other, false) => "Other",
        }
    }
}

/// One baby of the delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baby {
    pub sex: Sex,
    /// 活产; false for a stillbirth.
    pub live_born: bool,
}

/// The delivery as the village learns it. Recording it opens the postpartum visit and the 42-day check
/// (`task::program`); each live-born baby registered with it gets its birth record and newborn visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildbirthInput {
    pub delivery_date: NaiveDate,
    /// 出院日期; None for a birth at home, or while it is not known (the tasks then count from delivery).
    pub discharge_date: Option<NaiveDate>,
    pub place: Option<DeliveryPlace>,
    /// 分娩机构名称 (required for a facility).
    pub place_name: String,
    /// 分娩孕周.
    pub gestation_weeks: Option<u8>,
    pub babies: Vec<Baby>,
}

impl ChildbirthInput {
    pub fn live_births(&self) -> usize {
        self.babies.iter().filter(|b| b.live_born).count()
    }

    /// What the postpartum and newborn visits count from: discharge, else delivery.
    pub fn postpartum_anchor(&self) -> NaiveDate {
        self.discharge_date.unwrap_or(self.delivery_date)
    }
}

/// Validates a delivery against the pregnancy's LMP (if known) and today.
pub fn validate_childbirth(d: &ChildbirthInput, lmp: Option<NaiveDate>, today: NaiveDate) -> Result<(), AppError> {
    let mut c = Check::default();
    in_pregnancy(&mut c, "delivery_date", d.delivery_date, lmp, today);
    if let Some(discharge) = d.discharge_date {
        if d.place == Some(DeliveryPlace::Home) {
            c.add("discharge_date", "在家分娩不填出院日期", "A home birth has no discharge date");
        } else if discharge < d.delivery_date {
            c.add("discharge_date", "出院日期不能早于分娩日期", "Discharge cannot be before delivery");
        } else {
            c.not_future("discharge_date", discharge, today);
        }
    }
    match d.place {
        None => c.add("place", "请选择一项", "Choose one option"),
        Some(place) => c.text_if("place_name", &d.place_name, place == DeliveryPlace::Facility, TEXT_MAX),
    }
    c.reading(DELIVERY_WEEKS, d.gestation_weeks.map(f64::from), false);
    if d.babies.is_empty() {
        c.add("babies", "请填写分娩结局（每个婴儿的性别及是否活产）", "Record each baby's sex and outcome");
    } else if d.babies.len() > MAX_BABIES {
        c.add("babies", format!("最多{MAX_BABIES}个婴儿"), format!("At most {MAX_BABIES} babies"));
    }
    c.finish()
}
