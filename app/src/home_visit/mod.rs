//! General home visit (上门服务) for bedridden or disabled residents: why the visit was at home, the services
//! given, the readings taken, and when to come back.

use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod pages;

pub const REASON: &[Choice] = &[
    c(1, "长期卧床", "Bedridden"),
    c(2, "失能", "Disabled"),
    c(3, "行动不便", "Limited mobility"),
    c(4, "高龄独居", "Old and living alone"),
    c(9, "其他", "Other"),
];

pub const SERVICES: &[Choice] = &[
    c(1, "健康评估", "Health assessment"),
    c(2, "测量血压/血糖", "Blood pressure / glucose"),
    c(3, "换药护理", "Dressing and nursing"),
    c(4, "康复指导", "Rehabilitation advice"),
    c(5, "用药指导", "Medication advice"),
    c(6, "健康教育", "Health education"),
    c(7, "心理疏导", "Emotional support"),
    c(9, "其他", "Other"),
];

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct HomeVisitInput {
    pub reasons: Vec<u8>,
    pub services: Vec<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sbp: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbp: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub glucose: Option<f64>,
    pub notes: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_date: Option<NaiveDate>,
}

impl HomeVisitInput {
    pub fn check(&self, c: &mut Check, date: NaiveDate) {
        c.codes("reasons", REASON, &self.reasons, true);
        c.codes("services", SERVICES, &self.services, true);
        match (self.sbp, self.dbp) {
            (Some(s), Some(d)) => {
                c.range("sbp", s, 60, 260, "mmHg");
                c.range("dbp", d, 30, 160, "mmHg");
                if d >= s {
                    c.add("dbp", "舒张压应低于收缩压", "Diastolic must be below systolic");
                }
            }
            (None, None) => {}
            (None, _) => c.add("sbp", "请同时填写收缩压和舒张压", "Enter both readings"),
            (_, None) => c.add("dbp", "请同时填写收缩压和舒张压", "Enter both readings"),
        }
        if let Some(g) = self.glucose {
            c.range("glucose", g, 1.0, 35.0, "mmol/L");
        }
        c.required_text("notes", &self.notes, 1000);
        if self.next_date.is_some_and(|n| n <= date) {
            c.add("next_date", "下次上门日期应晚于本次", "The next visit must be after this one");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::tests::{fields_of, record, today};
    use crate::record::RecordBody;

    fn visit() -> HomeVisitInput {
        HomeVisitInput {
            reasons: vec![1],
            services: vec![1, 2],
            sbp: Some(150),
            dbp: Some(88),
            notes: "压疮已愈合".into(),
            ..Default::default()
        }
    }

    #[test]
    fn home_visits_are_checked() {
        let f = |v: HomeVisitInput| fields_of(&record(RecordBody::HomeVisit(Box::new(v)), None));
        assert!(f(visit()).is_empty());
        type Case = (&'static str, fn(&mut HomeVisitInput));
        let cases: &[Case] = &[
            ("reasons", |v| v.reasons.clear()),
            ("services", |v| v.services = vec![8]),
            ("dbp", |v| v.dbp = None),
            ("dbp", |v| v.dbp = Some(160)),
            ("sbp", |v| v.sbp = Some(300)),
            ("glucose", |v| v.glucose = Some(40.0)),
            ("notes", |v| v.notes.clear()),
            ("next_date", |v| v.next_date = Some(today())),
        ];
        for (field, change) in cases {
            let mut v = visit();
            change(&mut v);
            assert_eq!(f(v.clone()), [*field], "{field}: {v:?}");
        }
    }
}
