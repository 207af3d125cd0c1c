//! Referral (转诊) as its own record: why, to which institution and department, how urgent, which follow-up
//! or record it came from, and what came of it. A referral is followed up within 2 weeks (§3.1).

use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod pages;

pub const PENDING: u8 = 1;
pub const RESULT: &[Choice] = &[
    c(PENDING, "待随访", "Not yet known"),
    c(2, "已到位就诊", "Attended"),
    c(3, "已住院", "Admitted"),
    c(4, "未到位", "Did not attend"),
];

/// Days within which a referral is followed up.
pub const FOLLOW_UP_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReferralInput {
    pub reason: String,
    /// 机构.
    pub institution: String,
    /// 科别.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub department: String,
    #[serde(default)]
    pub urgent: bool,
    /// The follow-up or record it was made from (its revision id), with its kind (`htn`, `dm`, `smi`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Uuid>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source_kind: String,
    pub result: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub feedback: String,
}

impl ReferralInput {
    pub fn check(&self, c: &mut Check, date: NaiveDate, today: NaiveDate) {
        c.required_text("reason", &self.reason, 200);
        c.required_text("institution", &self.institution, 100);
        c.text("department", &self.department, 50);
        c.text("source_kind", &self.source_kind, 20);
        c.code("result", RESULT, self.result, true);
        c.text("feedback", &self.feedback, 500);
        match (self.result, self.result_date) {
            (Some(r), None) if r != PENDING && crate::codes::is_valid(RESULT, r) => {
                c.add("result_date", "请填写结果日期", "Enter the date of the result")
            }
            (_, Some(d)) if d < date => {
                c.add("result_date", "结果日期不能早于转诊日期", "The result cannot be before the referral")
            }
            (_, Some(d)) => c.not_future("result_date", d, today),
            _ => {}
        }
    }
}

/// The day by which the referral must be followed up.
pub fn follow_up_by(date: NaiveDate) -> NaiveDate {
    date + Duration::days(FOLLOW_UP_DAYS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{fields_of, record, today};
    use crate::record::RecordBody;

    pub fn referral() -> ReferralInput {
        ReferralInput {
            reason: "空腹血糖17.5".into(),
            institution: "县人民医院".into(),
            department: "内分泌科".into(),
            urgent: true,
            result: Some(PENDING),
            ..Default::default()
        }
    }

    fn fields(v: ReferralInput) -> Vec<String> {
        fields_of(&record(RecordBody::Referral(Box::new(v)), None))
    }

    #[test]
    fn a_referral_names_its_reason_institution_and_result() {
        assert!(fields(referral()).is_empty());
        type Case = (&'static str, fn(&mut ReferralInput));
        let cases: &[Case] = &[
            ("reason", |r| r.reason.clear()),
            ("institution", |r| r.institution = " ".into()),
            ("result", |r| r.result = None),
            ("result", |r| r.result = Some(9)),
            ("result_date", |r| r.result = Some(2)),
            ("result_date", |r| {
                r.result = Some(2);
                r.result_date = today().pred_opt();
            }),
            ("result_date", |r| {
                r.result = Some(2);
                r.result_date = today().succ_opt();
            }),
        ];
        for (field, change) in cases {
            let mut r = referral();
            change(&mut r);
            assert_eq!(fields(r.clone()), [*field], "{field}: {r:?}");
        }
        assert_eq!(
            follow_up_by(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
    }
}
