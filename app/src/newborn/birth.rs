//! The birth as the baby's own record (出生登记): made on the phone with the mother's delivery, one per live
//! birth, on the new resident record of the baby. It carries what the baby's rules read and its resident record
//! cannot: the discharge the first home visit counts from (NB_VISIT1: within 7 days; 3 days for a high-risk
//! newborn, NB_VISIT1_HR), the gestational age and birth weight (high risk, the growth curve's first point),
//! and the link back to the mother and her delivery record.

use super::*;
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BirthInput {
    /// The mother's resident id and her delivery record (`record_id`).
    pub mother_id: Uuid,
    pub childbirth_id: Uuid,
    /// The baby's place among the delivery's babies (0 for the first).
    #[serde(default)]
    pub baby: u8,
    /// 出院日期; none for a birth at home.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discharge_date: Option<NaiveDate>,
    /// 出生孕周 (completed weeks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gestation_weeks: Option<u8>,
    /// 出生体重 kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_weight_kg: Option<f64>,
}

impl BirthInput {
    /// What the first home visit counts from: discharge, else the birth.
    pub fn anchor(&self, birth_date: NaiveDate) -> NaiveDate {
        self.discharge_date.unwrap_or(birth_date)
    }

    pub fn high_risk(&self) -> bool {
        is_high_risk_by_birth(self.gestation_weeks, self.birth_weight_kg)
    }

    /// The first home visit's window: 3 days for a high-risk newborn, 7 otherwise.
    pub fn first_visit_window(&self, birth_date: NaiveDate) -> (NaiveDate, NaiveDate) {
        if self.high_risk() {
            high_risk_first_visit_window(self.anchor(birth_date))
        } else {
            first_visit_window(self.anchor(birth_date))
        }
    }

    /// `birth_date` is the baby's (the record's date).
    pub fn check(&self, c: &mut Check, birth_date: NaiveDate, today: NaiveDate) {
        if self.mother_id.is_nil() {
            c.add("mother_id", "请选择母亲", "Choose the mother");
        }
        if let Some(d) = self.discharge_date {
            if d < birth_date {
                c.add("discharge_date", "出院日期不能早于出生日期", "Discharge cannot be before the birth");
            }
            c.not_future("discharge_date", d, today);
        }
        if usize::from(self.baby) >= crate::maternal::MAX_BABIES {
            c.add("baby", "婴儿序号无效", "Invalid baby number");
        }
        c.reading(GESTATION_WEEKS, self.gestation_weeks.map(f64::from), false);
        c.reading(BIRTH_WEIGHT, self.birth_weight_kg, false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, day).unwrap()
    }

    fn birth(discharge: Option<NaiveDate>, weeks: u8, kg: f64) -> BirthInput {
        BirthInput {
            mother_id: Uuid::now_v7(),
            childbirth_id: Uuid::now_v7(),
            baby: 0,
            discharge_date: discharge,
            gestation_weeks: Some(weeks),
            birth_weight_kg: Some(kg),
        }
    }

    #[test]
    fn the_first_visit_counts_from_discharge_7_days_or_3_when_high_risk() {
        let cases = [
            (Some(d(3)), 39, 3.2, (d(3), d(10))),
            (None, 39, 3.2, (d(1), d(8))),
            (Some(d(3)), 36, 3.2, (d(3), d(6))),
            (Some(d(3)), 39, 2.49, (d(3), d(6))),
            (Some(d(3)), 37, 2.5, (d(3), d(10))),
        ];
        for (discharge, weeks, kg, window) in cases {
            assert_eq!(birth(discharge, weeks, kg).first_visit_window(d(1)), window, "{discharge:?} {weeks} {kg}");
        }
    }

    #[test]
    fn a_discharge_before_the_birth_or_after_today_is_refused() {
        let check = |b: &BirthInput| {
            let mut c = Check::default();
            b.check(&mut c, d(5), d(10));
            c.0.into_iter().map(|e| e.field).collect::<Vec<_>>()
        };
        assert!(check(&birth(Some(d(7)), 39, 3.2)).is_empty());
        assert_eq!(check(&birth(Some(d(4)), 39, 3.2)), ["discharge_date"]);
        assert_eq!(check(&birth(Some(d(11)), 39, 3.2)), ["discharge_date"]);
        assert_eq!(check(&birth(None, 60, 3.2)), ["gestation_weeks"]);
    }
}
