//! Children 6–36 months (§4.3): the TCM guidance visits at 6, 12, 18, 24, 30 and 36 months, aligned with the
//! child checks, and the massage method taught at each age.

use super::*;

/// The ages in months at which children get the TCM service, with their child checks and vaccinations.
pub const CHILD_AGES_MONTHS: [u32; 6] = [6, 12, 18, 24, 30, 36];

/// A child visit is due from 满N月 (same day-of-month N months after birth, clamped to the month's end) to 29
/// days later, inclusive, as for the 6–30-month child checks. At 36 months the matching child check is the
/// 3-year one (满3岁 … +11 mo 29 d in §8); the TCM service keeps the 29 days there too, as it is for children
/// up to 36 months.
pub const CHILD_WINDOW_DAYS: u64 = 29;

/// The method taught to the parents at each age: (months, zh, en).
pub const CHILD_METHODS: [(u32, &str, &str); 6] = [
    (6, "摩腹、捏脊", "abdominal rubbing and spine pinching"),
    (12, "摩腹、捏脊", "abdominal rubbing and spine pinching"),
    (18, "按揉迎香穴、足三里穴", "kneading the Yingxiang and Zusanli points"),
    (24, "按揉迎香穴、足三里穴", "kneading the Yingxiang and Zusanli points"),
    (30, "按揉四神聪穴", "kneading the Sishencong points"),
    (36, "按揉四神聪穴", "kneading the Sishencong points"),
];

/// The method taught at this age (摩腹、捏脊 at 6 and 12 months, …), `None` for an age without the service.
pub fn child_method(months: u32) -> Option<&'static str> {
    CHILD_METHODS.iter().find(|m| m.0 == months).map(|m| m.1)
}

/// The visit window of the service at `months`: 满N月 through 满N月 + 29 days. `None` only when the date
/// overflows.
pub fn child_window(birth: NaiveDate, months: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = birth.checked_add_months(Months::new(months))?;
    let end = start.checked_add_days(Days::new(CHILD_WINDOW_DAYS))?;
    Some((start, end))
}

/// The service age whose window holds `date`, if any (the form's default 月龄).
pub fn child_point_on(birth: NaiveDate, date: NaiveDate) -> Option<u32> {
    CHILD_AGES_MONTHS
        .into_iter()
        .find(|&m| child_window(birth, m).is_some_and(|(start, end)| (start..=end).contains(&date)))
}

/// The items of the child form (儿童中医药健康管理服务记录表); paper codes 1–4 in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChildGuidance {
    /// 中医饮食调养指导, always given
    Diet,
    /// 中医起居调摄指导, always given
    Routine,
    /// 传授…方法: the method of the age (`child_method`)
    Massage,
    /// 其他
    Other,
}

impl ChildGuidance {
    pub const ALL: [ChildGuidance; 4] =
        [ChildGuidance::Diet, ChildGuidance::Routine, ChildGuidance::Massage, ChildGuidance::Other];

    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (ChildGuidance::Diet, true) => "中医饮食调养指导",
            (ChildGuidance::Diet, false) => "TCM diet guidance",
            (ChildGuidance::Routine, true) => "中医起居调摄指导",
            (ChildGuidance::Routine, false) => "TCM daily-routine guidance",
            (ChildGuidance::Massage, true) => "传授按摩方法",
            (ChildGuidance::Massage, false) => "Teach the massage method",
            (ChildGuidance::Other, true) => "其他",
            (ChildGuidance::Other, false) => "Other",
        }
    }

    /// The label as printed for a child of `months`: 传授摩腹、捏脊方法 at 6 months.
    pub fn label_at(self, months: u32, zh: bool) -> String {
        match (self, CHILD_METHODS.iter().find(|m| m.0 == months)) {
            (ChildGuidance::Massage, Some(&(_, z, _))) if zh => format!("传授{z}方法"),
            (ChildGuidance::Massage, Some(&(_, _, e))) => format!("Teach {e}"),
            _ => self.label(zh).to_string(),
        }
    }
}

/// One TCM service of a child at 6, 12, 18, 24, 30 or 36 months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TcmChildInput {
    pub date: NaiveDate,
    /// 月龄: one of `CHILD_AGES_MONTHS`.
    pub age_months: u32,
    pub guidance: Vec<ChildGuidance>,
    pub note: String,
}

impl TcmChildInput {
    /// Validates the service against the child's birth date and today; every problem at once.
    pub fn validate(&self, birth_date: NaiveDate, today: NaiveDate) -> Result<(), AppError> {
        let mut c = Check::default();
        c.not_future("date", self.date, today);
        if !CHILD_AGES_MONTHS.contains(&self.age_months) {
            c.add("age_months", "月龄应为6、12、18、24、30或36", "The age must be 6, 12, 18, 24, 30 or 36 months");
        } else if let Some((start, end)) = child_window(birth_date, self.age_months) {
            if !(start..=end).contains(&self.date) {
                let m = self.age_months;
                c.add(
                    "date",
                    format!("{m}月龄的中医药健康管理应在{start}至{end}之间"),
                    format!("The {m}-month service is due from {start} to {end}"),
                );
            }
        }
        if !(self.guidance.contains(&ChildGuidance::Diet) && self.guidance.contains(&ChildGuidance::Routine)) {
            c.add(
                "guidance",
                "中医饮食调养指导和中医起居调摄指导为必选项",
                "Diet and daily-routine guidance are always given",
            );
        }
        c.text("note", &self.note, MAX_NOTE);
        c.finish()
    }
}
