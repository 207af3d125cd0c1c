//! Family-doctor contracts (家庭医生签约服务, domain spec §7): who signed, with which team, which service
//! packages, for how long, and whether it renews an earlier contract; and the contracted services delivered
//! under it (履约), recorded against the contract's items so fulfilment can be counted.

use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod pages;

/// 签约服务内容: the ten items [U] plus locally defined services.
pub const SERVICE_ITEMS: &[Choice] = &[
    c(1, "基本医疗", "Basic medical care"),
    c(2, "公共卫生", "Public health services"),
    c(3, "健康管理", "Health management"),
    c(4, "健康教育与咨询", "Health education and advice"),
    c(5, "优先预约", "Priority appointments"),
    c(6, "优先转诊", "Priority referral"),
    c(7, "出诊", "Home calls"),
    c(8, "药品配送与用药指导", "Medicine delivery and guidance"),
    c(9, "长期处方", "Long-term prescriptions"),
    c(10, "中医药“治未病”", "TCM prevention"),
    c(99, "其他约定服务", "Other agreed services"),
];

/// Service packages (服务包) a resident can sign; their items and yearly counts are county settings [U],
/// seeded with common values.
pub const PACKAGES: &[Choice] = &[
    c(1, "基础服务包", "Basic package"),
    c(2, "高血压服务包", "Hypertension package"),
    c(3, "糖尿病服务包", "Diabetes package"),
    c(4, "老年人服务包", "Older people's package"),
    c(5, "儿童服务包", "Children's package"),
    c(6, "孕产妇服务包", "Maternal package"),
];

/// (package, service item, times per year; 0 = on request).
pub const PACKAGE_ITEMS: &[(u8, u8, u32)] = &[
    (1, 1, 0),
    (1, 2, 1),
    (1, 4, 2),
    (1, 5, 0),
    (1, 6, 0),
    (2, 3, 4),
    (2, 8, 4),
    (2, 9, 1),
    (3, 3, 4),
    (3, 8, 4),
    (3, 9, 1),
    (4, 3, 1),
    (4, 7, 1),
    (4, 10, 1),
    (5, 2, 2),
    (5, 10, 2),
    (6, 2, 5),
    (6, 7, 1),
];

/// Contract terms in months: one year by default [U].
pub const DEFAULT_TERM_MONTHS: u8 = 12;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ContractInput {
    /// 签约团队.
    pub team: String,
    /// 签约医生.
    pub doctor: String,
    pub packages: Vec<u8>,
    pub term_months: u8,
    /// Fee in yuan paid by the resident (most packages are free).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<f64>,
    /// The contract this one renews (its `record_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_of: Option<Uuid>,
}

impl ContractInput {
    pub fn check(&self, c: &mut Check) {
        c.required_text("team", &self.team, 50);
        c.required_text("doctor", &self.doctor, 30);
        c.codes("packages", PACKAGES, &self.packages, true);
        if !(1..=36).contains(&self.term_months) {
            c.add("term_months", "签约期限应为1–36个月", "The term must be 1–36 months");
        }
        if let Some(f) = self.fee {
            if !(0.0..=10_000.0).contains(&f) || !f.is_finite() {
                c.add("fee", "费用应为0–10000元", "The fee must be 0–10000 yuan");
            }
        }
    }

    /// The last day covered, for a contract signed on `start`.
    pub fn end_date(&self, start: NaiveDate) -> NaiveDate {
        start.checked_add_months(chrono::Months::new(self.term_months as u32)).unwrap_or(start) - Duration::days(1)
    }

    /// The contracted items with their yearly counts (the largest where packages overlap), by item code.
    pub fn items(&self) -> Vec<(u8, u32)> {
        let mut out: Vec<(u8, u32)> = Vec::new();
        for (_, item, times) in PACKAGE_ITEMS.iter().filter(|(p, _, _)| self.packages.contains(p)) {
            match out.iter_mut().find(|(i, _)| i == item) {
                Some((_, t)) => *t = (*t).max(*times),
                None => out.push((*item, *times)),
            }
        }
        out.sort();
        out
    }
}

/// A contracted service delivered (履约).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeliveryInput {
    /// The contract's `record_id`.
    pub contract_id: Uuid,
    /// `SERVICE_ITEMS` code.
    pub item: Option<u8>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl DeliveryInput {
    pub fn check(&self, c: &mut Check) {
        if self.contract_id.is_nil() {
            c.add("contract_id", "请选择签约", "Choose the contract");
        }
        c.code("item", SERVICE_ITEMS, self.item, true);
        c.text("note", &self.note, 200);
    }
}

/// Where a contract stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractState {
    Active,
    /// Ends within 30 days: time to renew.
    RenewalDue,
    Expired,
}

pub const RENEWAL_WINDOW_DAYS: i64 = 30;

pub fn state(start: NaiveDate, c: &ContractInput, today: NaiveDate) -> ContractState {
    let end = c.end_date(start);
    if today > end {
        ContractState::Expired
    } else if (end - today).num_days() < RENEWAL_WINDOW_DAYS {
        ContractState::RenewalDue
    } else {
        ContractState::Active
    }
}

/// Fulfilment (履约率, definition (a)) of one contract over its term so far: for each item with a yearly
/// count, (item, due by `today` pro rata, delivered).
pub fn fulfilment(start: NaiveDate, c: &ContractInput, delivered: &[u8], today: NaiveDate) -> Vec<(u8, u32, u32)> {
    let end = c.end_date(start);
    let term_days = ((end - start).num_days() + 1).max(1) as f64;
    let elapsed = ((today.min(end) - start).num_days() + 1).clamp(0, term_days as i64) as f64;
    c.items()
        .into_iter()
        .filter(|(_, times)| *times > 0)
        .map(|(item, times)| {
            let per_term = times as f64 * c.term_months as f64 / 12.0;
            let due = (per_term * elapsed / term_days).floor() as u32;
            (item, due, delivered.iter().filter(|d| **d == item).count() as u32)
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
