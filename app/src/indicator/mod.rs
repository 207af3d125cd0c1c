//! Program indicators (绩效考核指标, domain.md §6): what a village's entries count towards in a period, as
//! named counters that add up village → township → county, and the rows (numerator, denominator, rate,
//! target) a dashboard and the monthly report show.
//!
//! Pure Rust: `count.rs` reads one resident's history the way the task engine does, so the phone, the server's
//! rollups and the tests all count alike. Counters are sums, never rates, so a county's figure is exactly the
//! sum of its villages' counters and a late entry only changes its own village.

pub mod api;
pub mod count;
pub mod pages;
pub mod program;
#[cfg(test)]
mod program_tests;
pub mod report;
pub mod table;
#[cfg(test)]
pub(crate) mod tests;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use count::{count_resident, count_village_record};

/// A reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let start = NaiveDate::from_ymd_opt(year, month, 1)?;
        let end = start.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
        Some(Period { start, end })
    }

    pub fn quarter(year: i32, q: u32) -> Option<Period> {
        if !(1..=4).contains(&q) {
            return None;
        }
        let (start, end) = crate::task::quarter(year, q - 1);
        Some(Period { start, end })
    }

    pub fn year(year: i32) -> Option<Period> {
        Some(Period { start: NaiveDate::from_ymd_opt(year, 1, 1)?, end: NaiveDate::from_ymd_opt(year, 12, 31)? })
    }

    /// A custom range of at most five years.
    pub fn custom(start: NaiveDate, end: NaiveDate) -> Option<Period> {
        (start <= end && (end - start).num_days() <= 5 * 366).then_some(Period { start, end })
    }

    /// "2026-11" (month), "2026-Q4" (quarter), "2026" (year) or "2026-01-05~2026-02-01" (custom).
    pub fn parse(key: &str) -> Option<Period> {
        let key = key.trim();
        if let Some((a, b)) = key.split_once('~') {
            let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok();
            return Period::custom(date(a)?, date(b)?);
        }
        let year = |s: &str| s.parse::<i32>().ok().filter(|y| (1900..=2200).contains(y));
        match key.split_once('-') {
            None => Period::year(year(key)?),
            Some((y, q)) if q.starts_with('Q') => Period::quarter(year(y)?, q[1..].parse().ok()?),
            Some((y, m)) if m.len() == 2 => Period::month(year(y)?, m.parse().ok()?),
            _ => None,
        }
    }

    /// The key `parse` reads back.
    pub fn key(&self) -> String {
        let (s, e) = (self.start, self.end);
        if s.day() == 1 && Some(*self) == Period::month(s.year(), s.month()) {
            format!("{}-{:02}", s.year(), s.month())
        } else if s.day() == 1
            && (s.month() - 1) % 3 == 0
            && Some(*self) == Period::quarter(s.year(), s.month0() / 3 + 1)
        {
            format!("{}-Q{}", s.year(), s.month0() / 3 + 1)
        } else if Some(*self) == Period::year(s.year()) {
            s.year().to_string()
        } else {
            format!("{s}~{e}")
        }
    }

    /// The month, quarter and year containing `d`: the periods the server keeps rolled up.
    pub fn standard_of(d: NaiveDate) -> Vec<Period> {
        [Period::month(d.year(), d.month()), Period::quarter(d.year(), d.month0() / 3 + 1), Period::year(d.year())]
            .into_iter()
            .flatten()
            .collect()
    }

    /// Every month of `year` up to `until`.
    pub fn months_until(year: i32, until: NaiveDate) -> Vec<Period> {
        (1..=12).filter_map(|m| Period::month(year, m)).filter(|p| p.start <= until).collect()
    }

    /// A calendar month (the unit that is published).
    pub fn is_month(&self) -> bool {
        Period::month(self.start.year(), self.start.month()) == Some(*self)
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        (self.start..=self.end).contains(&d)
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// Face-to-face follow-ups a chronic patient needs in the period to count as managed per the standard
    /// (规范管理): four a year [P], pro rata, at least one (a month or a quarter needs one).
    pub fn required_visits(&self) -> u64 {
        ((self.days() as f64 * 4.0 / 365.0).round() as u64).max(1)
    }

    /// The twelve months before the period's end (档案动态使用: a service in the last 12 months [P]).
    pub fn last_year_start(&self) -> NaiveDate {
        self.end - Duration::days(364)
    }
}

/// Named counters, each a count of residents, items or sessions. Missing names are zero.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Counts(pub BTreeMap<String, u64>);

impl Counts {
    pub fn add(&mut self, name: &str, n: u64) {
        if n > 0 {
            *self.0.entry(name.to_string()).or_default() += n;
        }
    }

    pub fn inc(&mut self, name: &str) {
        self.add(name, 1);
    }

    pub fn get(&self, name: &str) -> u64 {
        self.0.get(name).copied().unwrap_or(0)
    }

    pub fn merge(&mut self, other: &Counts) {
        for (k, v) in &other.0 {
            *self.0.entry(k.clone()).or_default() += v;
        }
    }

    /// The counter-wise difference `self - earlier` of the names in either, for "what changed since the
    /// published figures".
    pub fn minus(&self, earlier: &Counts) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        for k in self.0.keys().chain(earlier.0.keys()) {
            let d = self.get(k) as i64 - earlier.get(k) as i64;
            if d != 0 {
                out.insert(k.clone(), d);
            }
        }
        out
    }
}

/// Which table of the report an indicator belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Records,
    Chronic,
    Elderly,
    Contract,
    Vaccination,
    Education,
    MaternalChild,
    Tcm,
    Reports,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Records,
        Section::Chronic,
        Section::Elderly,
        Section::Contract,
        Section::Vaccination,
        Section::Education,
        Section::MaternalChild,
        Section::Tcm,
        Section::Reports,
    ];

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Section::Records, true) => "健康档案",
            (Section::Records, false) => "Health records",
            (Section::Chronic, true) => "慢病与重点疾病管理",
            (Section::Chronic, false) => "Chronic and notifiable disease",
            (Section::Elderly, true) => "老年人健康管理",
            (Section::Elderly, false) => "Older people",
            (Section::Contract, true) => "家庭医生签约",
            (Section::Contract, false) => "Family-doctor contracts",
            (Section::Vaccination, true) => "预防接种",
            (Section::Vaccination, false) => "Immunization",
            (Section::Education, true) => "健康教育",
            (Section::Education, false) => "Health education",
            (Section::MaternalChild, true) => "孕产妇与儿童健康管理",
            (Section::MaternalChild, false) => "Mothers and children",
            (Section::Tcm, true) => "中医药健康管理",
            (Section::Tcm, false) => "TCM health management",
            (Section::Reports, true) => "传染病报告与卫生监督协管",
            (Section::Reports, false) => "Disease reports and health supervision",
        }
    }
}

/// Where an indicator's denominator comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Den {
    /// A counter.
    Counter(&'static str),
    /// The resident population (常住人口) configured for the node.
    Population,
    /// An estimate: a counter times a prevalence (e.g. adults × 18.8% for hypertension).
    Estimate(&'static str, f64),
    /// A plain count (no rate).
    None,
}

/// One indicator: how to read it from the counters, and the default target (percent) where a plan sets one.
#[derive(Debug, Clone, Copy)]
pub struct Def {
    pub code: &'static str,
    pub section: Section,
    pub zh: &'static str,
    pub en: &'static str,
    pub num: &'static str,
    pub den: Den,
    pub target: Option<f64>,
}

/// 高血压 and 2型糖尿病 prevalence among adults for the estimated denominators (domain.md §6 examples) [P].
pub const HTN_PREVALENCE: f64 = 0.188;
pub const DM_PREVALENCE: f64 = 0.097;

const fn def(
    code: &'static str,
    section: Section,
    zh: &'static str,
    en: &'static str,
    num: &'static str,
    den: Den,
    target: Option<f64>,
) -> Def {
    Def { code, section, zh, en, num, den, target }
}

use Den::{Counter, Estimate, Population};
use Section::*;

/// The indicators in report order. Default targets come from the plans the product follows: 2023 KPIs
/// (e-record coverage 62%, SMI 95%, TB 90%, NIP vaccines 90%), the family-doctor plans (key groups 70%,
/// 65+ 80%), the county's record-view goal (30%) and the national 60% for standard chronic management;
/// a county sets its own per year.
pub const DEFS: &[Def] = &[
    def("record_coverage", Records, "健康档案建档率", "Record coverage", "records", Population, Some(62.0)),
    def("record_use", Records, "健康档案使用率", "Records in use", "records_used", Counter("records"), None),
    def(
        "record_views",
        Records,
        "居民查看本人档案比例",
        "Residents who viewed their record",
        "records_viewed",
        Counter("records"),
        Some(30.0),
    ),
    def(
        "htn_management",
        Chronic,
        "高血压患者管理率（估算）",
        "Hypertension management (estimated patients)",
        "htn_managed",
        Estimate("adults", HTN_PREVALENCE),
        None,
    ),
    def(
        "htn_registry",
        Chronic,
        "在册高血压患者管理率",
        "Registered hypertension patients managed",
        "htn_managed",
        Counter("htn_patients"),
        None,
    ),
    def(
        "htn_standard",
        Chronic,
        "高血压患者规范管理率",
        "Hypertension standard management",
        "htn_standard",
        Counter("htn_managed"),
        Some(60.0),
    ),
    def(
        "htn_control",
        Chronic,
        "管理人群血压控制率",
        "Blood pressure controlled",
        "htn_controlled",
        Counter("htn_managed"),
        None,
    ),
    def(
        "dm_management",
        Chronic,
        "2型糖尿病患者管理率（估算）",
        "Diabetes management (estimated patients)",
        "dm_managed",
        Estimate("adults", DM_PREVALENCE),
        None,
    ),
    def(
        "dm_registry",
        Chronic,
        "在册2型糖尿病患者管理率",
        "Registered diabetes patients managed",
        "dm_managed",
        Counter("dm_patients"),
        None,
    ),
    def(
        "dm_standard",
        Chronic,
        "2型糖尿病患者规范管理率",
        "Diabetes standard management",
        "dm_standard",
        Counter("dm_managed"),
        Some(60.0),
    ),
    def(
        "dm_control",
        Chronic,
        "管理人群血糖控制率",
        "Blood glucose controlled",
        "dm_controlled",
        Counter("dm_managed"),
        None,
    ),
    def(
        "smi_standard",
        Chronic,
        "严重精神障碍患者规范管理率",
        "Severe mental disorder standard management",
        "smi_standard",
        Counter("smi_patients"),
        Some(95.0),
    ),
    def(
        "tb_management",
        Chronic,
        "肺结核患者管理率",
        "TB patients managed",
        "tb_managed",
        Counter("tb_patients"),
        Some(90.0),
    ),
    def(
        "elderly_management",
        Elderly,
        "65岁及以上老年人健康管理率",
        "Health management of people 65+",
        "elderly_managed",
        Counter("elderly"),
        None,
    ),
    def("contract_coverage", Contract, "家庭医生签约率", "Contract coverage", "contracted", Population, Some(30.0)),
    def(
        "contract_key",
        Contract,
        "重点人群签约率",
        "Key groups contracted",
        "key_contracted",
        Counter("key_group"),
        Some(70.0),
    ),
    def(
        "contract_elderly",
        Contract,
        "65岁及以上老年人签约率",
        "People 65+ contracted",
        "elderly_contracted",
        Counter("elderly"),
        Some(80.0),
    ),
    def(
        "fulfilment",
        Contract,
        "履约率",
        "Contracted services delivered",
        "items_delivered",
        Counter("items_due"),
        None,
    ),
    def("card_rate", Vaccination, "建证率", "Children with a vaccination card", "cards", Counter("card_due"), None),
    def("edu_sessions", Education, "健康教育活动次数", "Education sessions", "edu_sessions", Den::None, None),
    def("edu_lectures", Education, "健康知识讲座次数", "Lectures", "edu_lectures", Den::None, None),
    def(
        "edu_consultations",
        Education,
        "公众健康咨询次数",
        "Public consultations",
        "edu_consultations",
        Den::None,
        None,
    ),
    def("edu_audience", Education, "受教育人数", "Audience", "edu_audience", Den::None, None),
    def("edu_materials", Education, "发放资料份数", "Materials handed out", "edu_materials", Den::None, None),
];

/// The default coverage target of every NIP vaccine dose (2023 KPI) [P].
pub const VACCINE_TARGET: f64 = 90.0;

/// One line of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub code: String,
    pub section: Section,
    pub zh: String,
    pub en: String,
    pub num: u64,
    /// None for plain counts, and for a rate whose denominator is unknown (no population configured).
    pub den: Option<u64>,
    pub target: Option<f64>,
}

impl Row {
    /// Percent, one decimal; None without a denominator or when it is zero.
    pub fn rate(&self) -> Option<f64> {
        let den = self.den.filter(|d| *d > 0)?;
        Some((self.num as f64 * 1000.0 / den as f64).round() / 10.0)
    }

    /// Whether the target is met; None when there is no target or no rate.
    pub fn met(&self) -> Option<bool> {
        Some(self.rate()? >= self.target?)
    }

    pub fn label(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// Counter names of one vaccine dose: children due in the period, given (by its end), given on time.
pub fn vaccine_counters(vaccine: &str, dose: u8) -> [String; 3] {
    [format!("vax:{vaccine}:{dose}:due"), format!("vax:{vaccine}:{dose}:given"), format!("vax:{vaccine}:{dose}:timely")]
}

/// The report rows of `counts`: every indicator of `DEFS`, then each vaccine dose that had children due
/// (coverage and timely coverage). `population` is the node's configured 常住人口; `targets` overrides the
/// default target by code.
pub fn rows(counts: &Counts, population: Option<u64>, targets: &BTreeMap<String, f64>) -> Vec<Row> {
    let target = |code: &str, default: Option<f64>| targets.get(code).copied().or(default);
    let mut out: Vec<Row> = DEFS
        .iter()
        .chain(program::DEFS)
        .map(|d| Row {
            code: d.code.to_string(),
            section: d.section,
            zh: d.zh.to_string(),
            en: d.en.to_string(),
            num: counts.get(d.num),
            den: match d.den {
                Counter(c) => Some(counts.get(c)),
                Population => population,
                Estimate(c, p) => Some((counts.get(c) as f64 * p).round() as u64),
                Den::None => None,
            },
            target: target(d.code, d.target),
        })
        .collect();
    for v in crate::vaccination::schedule::VACCINES {
        for dose in 1..=crate::vaccination::schedule::max_dose(v.code) {
            let [due, given, timely] = vaccine_counters(v.code, dose);
            if counts.get(&due) == 0 {
                continue;
            }
            for (code, zh, en, num) in [
                (
                    format!("vax:{}:{dose}", v.code),
                    format!("{}第{dose}剂接种率", v.zh),
                    format!("{} dose {dose}", v.en),
                    &given,
                ),
                (
                    format!("vax_timely:{}:{dose}", v.code),
                    format!("{}第{dose}剂及时接种率", v.zh),
                    format!("{} dose {dose}, on time", v.en),
                    &timely,
                ),
            ] {
                let default = code.starts_with("vax:").then_some(VACCINE_TARGET);
                out.push(Row {
                    target: target(&code, default),
                    code,
                    section: Vaccination,
                    zh,
                    en,
                    num: counts.get(num),
                    den: Some(counts.get(&due)),
                });
            }
        }
    }
    out
}

/// The first day of the month `d` is in.
pub fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}
