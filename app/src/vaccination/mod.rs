//! Vaccination (预防接种, domain spec §5): a child's vaccination card (接种卡) as dose records, each judged
//! against the schedule (a dose before the minimum age or interval is invalid and must be repeated), and the
//! follow-up contact log for missed doses (查漏补种).

use crate::check::Check;
use crate::codes::{c, Choice};
use crate::record::RecordContext;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

pub mod pages;
pub mod plan;
pub mod schedule;

use schedule::{vaccine, ScheduleVersion};

/// Where a dose's entry comes from.
pub const DOSE_SOURCE: &[Choice] = &[
    c(1, "据接种证补录", "From the paper card"),
    c(2, "乡镇接种门诊接种", "Township clinic session"),
    c(3, "外地接种", "Given elsewhere"),
];

/// Who was reached for a missed dose.
pub const CONTACT_PERSON: &[Choice] = &[
    c(1, "母亲", "Mother"),
    c(2, "父亲", "Father"),
    c(3, "祖父母/外祖父母", "Grandparent"),
    c(4, "其他监护人", "Other guardian"),
    c(5, "本人", "The child"),
];

pub const CONTACT_METHOD: &[Choice] =
    &[c(1, "电话", "Phone"), c(2, "入户", "Home visit"), c(3, "微信/短信", "WeChat / SMS"), c(9, "其他", "Other")];

pub const OUTCOME_WILL_ATTEND: u8 = 1;
pub const OUTCOME_ELSEWHERE: u8 = 2;
pub const OUTCOME_REFUSED: u8 = 3;
pub const OUTCOME_MOVED: u8 = 4;
pub const OUTCOME_CONTRAINDICATION: u8 = 5;
pub const OUTCOME_NOT_REACHED: u8 = 6;

pub const CONTACT_OUTCOME: &[Choice] = &[
    c(OUTCOME_WILL_ATTEND, "同意按约接种", "Will attend on a date"),
    c(OUTCOME_ELSEWHERE, "已在外地接种", "Vaccinated elsewhere"),
    c(OUTCOME_REFUSED, "拒绝接种", "Refused"),
    c(OUTCOME_MOVED, "已迁出", "Moved away"),
    c(OUTCOME_CONTRAINDICATION, "有接种禁忌", "Contraindication"),
    c(OUTCOME_NOT_REACHED, "未联系上", "Not reached"),
];

/// One dose given, as entered from the card or after a session.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DoseInput {
    /// `schedule::VACCINES` code.
    pub vaccine: String,
    pub dose_no: u8,
    /// 接种单位.
    pub place: String,
    /// 疫苗批号 (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub batch: String,
    pub source: Option<u8>,
}

impl DoseInput {
    pub fn check(&self, c: &mut Check, _ctx: &RecordContext) {
        match vaccine(&self.vaccine) {
            None => c.add("vaccine", "请选择疫苗", "Choose the vaccine"),
            Some(v) => {
                let max = schedule::max_dose(v.code);
                if !(1..=max).contains(&self.dose_no) {
                    c.add("dose_no", format!("{}剂次应为1–{max}", v.zh), format!("{} has doses 1–{max}", v.en));
                }
            }
        }
        c.required_text("place", &self.place, 50);
        c.text("batch", &self.batch, 30);
        c.code("source", DOSE_SOURCE, self.source, true);
    }
}

/// A contact with a family about missed doses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ContactInput {
    /// Who was reached (none when nobody was).
    pub person: Option<u8>,
    pub method: Option<u8>,
    pub outcome: Option<u8>,
    /// The missed vaccines talked about (`schedule::VACCINES` codes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vaccines: Vec<String>,
    /// Will attend on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attend_date: Option<NaiveDate>,
    /// Vaccinated elsewhere on this date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elsewhere_date: Option<NaiveDate>,
    /// Why they refused, or the contraindication; a note otherwise.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_contact: Option<NaiveDate>,
}

impl ContactInput {
    pub fn check(&self, c: &mut Check, date: NaiveDate, today: NaiveDate) {
        c.code("method", CONTACT_METHOD, self.method, true);
        c.code("outcome", CONTACT_OUTCOME, self.outcome, true);
        if self.outcome != Some(OUTCOME_NOT_REACHED) {
            c.code("person", CONTACT_PERSON, self.person, true);
        }
        if self.vaccines.iter().any(|v| vaccine(v).is_none()) {
            c.add("vaccines", "疫苗无效", "Unknown vaccine");
        }
        c.text("reason", &self.reason, 200);
        match self.outcome {
            Some(OUTCOME_WILL_ATTEND) => match self.attend_date {
                None => c.add("attend_date", "请填写约定接种日期", "Enter the agreed date"),
                Some(d) if d < date => {
                    c.add("attend_date", "约定日期不能早于联系日期", "The agreed date cannot be before the contact")
                }
                _ => {}
            },
            Some(OUTCOME_ELSEWHERE) => match self.elsewhere_date {
                None => c.add("elsewhere_date", "请填写外地接种日期", "Enter the date vaccinated elsewhere"),
                Some(d) => c.not_future("elsewhere_date", d, today),
            },
            Some(OUTCOME_REFUSED) if self.reason.trim().is_empty() => {
                c.add("reason", "请填写拒绝原因", "Give the reason for refusing")
            }
            Some(OUTCOME_CONTRAINDICATION) if self.reason.trim().is_empty() => {
                c.add("reason", "请填写禁忌情况", "Describe the contraindication")
            }
            Some(OUTCOME_NOT_REACHED) if self.next_contact.is_none() => {
                c.add("next_contact", "未联系上，请填写下次联系日期", "Not reached: enter the next contact date")
            }
            _ => {}
        }
        if let Some(n) = self.next_contact {
            if n < date {
                c.add("next_contact", "下次联系日期不能早于本次", "The next contact cannot be before this one");
            }
        }
    }
}

/// A dose on a card, with its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenDose {
    pub vaccine: String,
    pub dose_no: u8,
    pub date: NaiveDate,
}

/// Why a dose does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// Given before the minimum age (the earliest valid date).
    TooYoung { earliest: NaiveDate },
    /// Given before the minimum interval after an earlier dose (vaccine, dose, earliest valid date).
    TooSoon { after: (String, u8), earliest: NaiveDate },
    /// Given 1–27 days after another injectable live vaccine.
    LiveInterval { other: String, earliest: NaiveDate },
    /// No such dose in the schedule.
    NoSuchDose,
}

impl Invalid {
    pub fn message(&self, zh: bool) -> String {
        let name = |code: &str| vaccine(code).map(|v| if zh { v.zh } else { v.en }).unwrap_or("?").to_string();
        match (self, zh) {
            (Invalid::TooYoung { earliest }, true) => format!("未到最小接种月龄，无效，需补种（最早 {earliest}）"),
            (Invalid::TooYoung { earliest }, false) => {
                format!("Before the minimum age: invalid, repeat (earliest {earliest})")
            }
            (Invalid::TooSoon { after: (v, d), earliest }, true) => {
                format!("距{}第{d}剂间隔不足，无效，需补种（最早 {earliest}）", name(v))
            }
            (Invalid::TooSoon { after: (v, d), earliest }, false) => {
                format!("Too soon after {} dose {d}: invalid, repeat (earliest {earliest})", name(v))
            }
            (Invalid::LiveInterval { other, earliest }, true) => {
                format!("与{}（注射减毒活疫苗）间隔不足28天，无效（最早 {earliest}）", name(other))
            }
            (Invalid::LiveInterval { other, earliest }, false) => {
                format!("Less than 28 days after {} (injectable live): invalid (earliest {earliest})", name(other))
            }
            (Invalid::NoSuchDose, true) => "免疫程序中无此剂次".into(),
            (Invalid::NoSuchDose, false) => "No such dose in the schedule".into(),
        }
    }
}

/// Days between injectable live vaccines not given the same day [V S7].
pub const LIVE_INTERVAL_DAYS: i64 = 28;

/// Judges each dose of a card, in the order given (an index into `doses` and its verdict): intervals count
/// from the earlier *valid* dose, so a dose after an invalid one is measured against the dose before that.
pub fn judge(birth: NaiveDate, doses: &[GivenDose]) -> Vec<Option<Invalid>> {
    let mut order: Vec<usize> = (0..doses.len()).collect();
    order.sort_by_key(|i| (doses[*i].date, doses[*i].dose_no));
    let mut verdict: Vec<Option<Invalid>> = vec![None; doses.len()];
    let mut valid: Vec<usize> = Vec::new();
    for i in order {
        let d = &doses[i];
        let version = ScheduleVersion::on(d.date);
        let Some(rule) = version.dose(&d.vaccine, d.dose_no) else {
            verdict[i] = Some(Invalid::NoSuchDose);
            continue;
        };
        let earliest_age = rule.min_age.after(birth);
        let bad = if d.date < earliest_age {
            Some(Invalid::TooYoung { earliest: earliest_age })
        } else {
            rule.after
                .iter()
                .filter_map(|(v, n, span)| {
                    let prev = valid.iter().map(|j| &doses[*j]).find(|p| p.vaccine == *v && p.dose_no == *n)?;
                    let earliest = span.after(prev.date);
                    (d.date < earliest).then(|| Invalid::TooSoon { after: (v.to_string(), *n), earliest })
                })
                .next()
                .or_else(|| live_clash(d, valid.iter().map(|j| &doses[*j])))
        };
        if bad.is_none() {
            valid.push(i);
        }
        verdict[i] = bad;
    }
    verdict
}

fn live_clash<'a>(d: &GivenDose, earlier: impl Iterator<Item = &'a GivenDose>) -> Option<Invalid> {
    if !vaccine(&d.vaccine).is_some_and(|v| v.injectable_live) {
        return None;
    }
    earlier
        .filter(|p| p.vaccine != d.vaccine && vaccine(&p.vaccine).is_some_and(|v| v.injectable_live))
        .filter(|p| p.date < d.date && (d.date - p.date).num_days() < LIVE_INTERVAL_DAYS)
        .map(|p| Invalid::LiveInterval {
            other: p.vaccine.clone(),
            earliest: p.date + Duration::days(LIVE_INTERVAL_DAYS),
        })
        .next()
}

#[cfg(test)]
pub(crate) mod tests;
