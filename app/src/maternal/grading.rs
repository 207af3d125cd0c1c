//! The township's five-colour grade of a pregnancy (妊娠风险评估分级, 五色管理; domain spec 2 §3): the
//! village screens at registration (`risk`), the township assigns the colour with its reasons. The grade is
//! a record of the mother naming the registration it grades, so it reaches the village doctor's phone with
//! the next pull like any other record; a later grade of the same pregnancy replaces the earlier one.
//!
//! `open_pregnancies` is the township's register: each registration not yet ended by a delivery, with its
//! current grade.

use super::risk::RiskGrade;
use super::RegistrationInput;
use crate::check::Check;
use crate::record::{RecordBody, StoredRecord};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Reasons are limited to this many characters.
pub const MAX_REASONS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RiskGradeInput {
    /// The graded registration's `record_id`.
    pub pregnancy_id: Uuid,
    pub grade: RiskGrade,
    /// Why (the findings behind a colour other than green).
    pub reasons: String,
}

impl RiskGradeInput {
    pub fn check(&self, c: &mut Check) {
        if self.grade == RiskGrade::default() {
            c.add("grade", "请选择颜色分级", "Choose the colour");
        }
        let only_green = self.grade.level == Some(super::risk::RiskColor::Green) && !self.grade.purple;
        c.text_if("reasons", &self.reasons, !only_green && self.grade != RiskGrade::default(), MAX_REASONS);
    }
}

/// One pregnancy of the register with its current grade (if any).
#[derive(Debug, Clone, PartialEq)]
pub struct OpenPregnancy<'a> {
    pub registration: &'a StoredRecord,
    pub input: &'a RegistrationInput,
    pub grade: Option<&'a RiskGradeInput>,
}

/// The registrations among `records` not ended by a delivery of the same woman on or after their
/// registration date, nor past the longest pregnancy on `today`, each with its latest grade; the earliest
/// due date first.
pub fn open_pregnancies(records: &[StoredRecord], today: NaiveDate) -> Vec<OpenPregnancy<'_>> {
    let delivered = |woman: Option<Uuid>, from: NaiveDate| {
        records.iter().any(|r| {
            r.record.resident_id == woman
                && matches!(&r.record.body, RecordBody::Childbirth(c) if c.delivery_date >= from)
        })
    };
    let mut out: Vec<OpenPregnancy> = records
        .iter()
        .filter_map(|r| match &r.record.body {
            RecordBody::Pregnancy(p) => Some((r, p.as_ref())),
            _ => None,
        })
        .filter(|(r, p)| !delivered(r.record.resident_id, p.registration_date))
        .filter(|(_, p)| p.lmp_estimate().is_none_or(|lmp| (today - lmp).num_days() <= super::MAX_GA_DAYS))
        .map(|(r, p)| {
            let grade = records
                .iter()
                .filter_map(|g| match &g.record.body {
                    RecordBody::RiskGrade(x) if x.pregnancy_id == r.record.record_id => Some((g, x.as_ref())),
                    _ => None,
                })
                .max_by_key(|(g, _)| (g.record.date, g.record.id))
                .map(|(_, x)| x);
            OpenPregnancy { registration: r, input: p, grade }
        })
        .collect();
    out.sort_by_key(|o| (o.input.lmp_estimate(), o.registration.record.record_id));
    out
}

#[cfg(test)]
mod tests {
    use super::super::risk::RiskColor;
    use super::*;
    use crate::record::samples::{self, stored};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn fields(g: &RiskGradeInput) -> Vec<String> {
        let mut c = Check::default();
        g.check(&mut c);
        c.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_grade_needs_a_colour_and_reasons_unless_green() {
        let g = |colors: &[RiskColor], reasons: &str| RiskGradeInput {
            pregnancy_id: Uuid::nil(),
            grade: RiskGrade::combine(colors.iter().copied()),
            reasons: reasons.into(),
        };
        assert_eq!(fields(&g(&[], "")), ["grade"]);
        assert!(fields(&g(&[RiskColor::Green], "")).is_empty());
        assert_eq!(fields(&g(&[RiskColor::Orange], " ")), ["reasons"]);
        assert_eq!(fields(&g(&[RiskColor::Green, RiskColor::Purple], "")), ["reasons"]);
        assert!(fields(&g(&[RiskColor::Orange, RiskColor::Purple], "年龄41岁；乙肝表面抗原阳性")).is_empty());
        assert_eq!(fields(&g(&[RiskColor::Yellow], &"很".repeat(MAX_REASONS + 1))), ["reasons"]);
    }

    #[test]
    fn the_register_lists_open_pregnancies_with_their_latest_grade() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let reg = |w: Uuid, day: &str, lmp: &str| {
            stored(w, d(day), RecordBody::Pregnancy(Box::new(samples::registration(d(day), d(lmp)))))
        };
        let grade = |w: Uuid, of: &StoredRecord, day: &str, color: RiskColor| {
            let input = RiskGradeInput {
                pregnancy_id: of.record.record_id,
                grade: RiskGrade::combine([color]),
                reasons: "复核".into(),
            };
            stored(w, d(day), RecordBody::RiskGrade(Box::new(input)))
        };
        let ra = reg(a, "2026-09-01", "2026-07-01");
        let rb = reg(b, "2026-10-01", "2026-08-01");
        let rc = reg(c, "2026-03-01", "2026-01-01");
        let records = vec![
            ra.clone(),
            rb.clone(),
            rc.clone(),
            grade(a, &ra, "2026-09-05", RiskColor::Yellow),
            grade(a, &ra, "2026-10-05", RiskColor::Orange),
            // c delivered: off the register.
            stored(c, d("2026-10-01"), RecordBody::Childbirth(Box::new(samples::childbirth(d("2026-10-01"))))),
        ];
        let open = open_pregnancies(&records, d("2026-11-23"));
        let seen: Vec<(Option<Uuid>, Option<RiskGrade>)> =
            open.iter().map(|o| (o.registration.record.resident_id, o.grade.map(|g| g.grade))).collect();
        assert_eq!(seen, [(Some(a), Some(RiskGrade::combine([RiskColor::Orange]))), (Some(b), None)]);
        // Past the longest pregnancy with no delivery on record: no longer listed.
        assert!(open_pregnancies(&records, d("2027-07-01")).is_empty());
    }
}
