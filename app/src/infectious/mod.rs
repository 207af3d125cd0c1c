//! Infectious-disease reports (传染病报告, domain spec 2 §5): the report card (传染病报告卡) a village doctor
//! fills for a suspected or diagnosed reportable case, the disease catalogue as data (classes 甲/乙/丙), the
//! reporting deadline (2 h or 24 h from the diagnosis) and its timeliness (报告及时率).
//!
//! Pure rules shared by the browser and the server. The report is the most urgent thing a phone sends: the
//! outbox sends it before anything else, and the deadline is judged by when the report actually reached the
//! county (the server's receipt) or, without a network, when the doctor phoned it in (电话报告), never by when
//! it was typed. `event` is the public-health event card (突发公共卫生事件信息报告卡), due within 2 hours and
//! sent the same way; `api` the township's alert of new reports.

use crate::check::Check;
use crate::codes::{c, Choice};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

pub mod api;
pub mod event;
pub mod event_page;
pub mod pages;

pub use event::EventReportInput;
#[cfg(test)]
mod tests;

/// 甲类, 乙类 or 丙类 of the law on the prevention of infectious diseases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DiseaseClass {
    A,
    B,
    C,
}

impl DiseaseClass {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (DiseaseClass::A, true) => "甲类",
            (DiseaseClass::A, false) => "Class A",
            (DiseaseClass::B, true) => "乙类",
            (DiseaseClass::B, false) => "Class B",
            (DiseaseClass::C, true) => "丙类",
            (DiseaseClass::C, false) => "Class C",
        }
    }
}

/// One reportable disease (or subtype) of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Disease {
    /// Stable code stored on the report (`hepatitis_b`); names may change, codes do not.
    pub code: String,
    pub class: DiseaseClass,
    /// Reported within 2 hours: 甲类, and the 乙类 diseases managed as 甲类 (肺炭疽, 传染性非典型肺炎).
    pub two_hours: bool,
    /// The card asks 急性/慢性 (乙肝, 丙肝, 血吸虫病).
    pub acute_chronic: bool,
    pub zh: String,
    pub en: String,
}

impl Disease {
    pub fn name(&self, zh: bool) -> &str {
        if zh {
            &self.zh
        } else {
            &self.en
        }
    }
}

/// The list of reportable diseases, kept as data so a county can follow a catalogue change (COVID-19 and mpox
/// joined in 2023) without a new build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    pub diseases: Vec<Disease>,
}

/// The list the app ships with (`diseases.csv`).
pub const DEFAULT_CATALOGUE: &str = include_str!("diseases.csv");

impl Default for Catalogue {
    fn default() -> Self {
        Catalogue::parse(DEFAULT_CATALOGUE).expect("the shipped disease list parses")
    }
}

/// The catalogue in force: the list shipped with this build (`diseases.csv`). Adding a disease (as COVID-19
/// and mpox were added) is a change to that file, no code.
pub fn catalogue() -> &'static Catalogue {
    static CATALOGUE: std::sync::OnceLock<Catalogue> = std::sync::OnceLock::new();
    CATALOGUE.get_or_init(Catalogue::default)
}

impl Catalogue {
    /// Reads the list's text: `code,class,two_hours,acute_chronic,zh,en` per line, `#` comments. A problem names
    /// its line, so a county's edited list is refused whole rather than half-used.
    pub fn parse(text: &str) -> Result<Catalogue, String> {
        let mut diseases: Vec<Disease> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |why: &str| format!("line {}: {why}: {line}", n + 1);
            let cols: Vec<&str> = line.splitn(6, ',').map(str::trim).collect();
            let [code, class, two_hours, acute_chronic, zh, en] = cols[..] else {
                return Err(bad("expected code,class,two_hours,acute_chronic,zh,en"));
            };
            if code.is_empty() || !code.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_') {
                return Err(bad("the code must be lowercase letters, digits and _"));
            }
            if diseases.iter().any(|d| d.code == code) {
                return Err(bad("code listed twice"));
            }
            let class = match class {
                "A" => DiseaseClass::A,
                "B" => DiseaseClass::B,
                "C" => DiseaseClass::C,
                _ => return Err(bad("the class must be A, B or C")),
            };
            let flag = |v: &str| match v {
                "1" => Ok(true),
                "0" => Ok(false),
                _ => Err(bad("flags must be 0 or 1")),
            };
            let two_hours = flag(two_hours)?;
            if class == DiseaseClass::A && !two_hours {
                return Err(bad("a class A disease is reported within 2 hours"));
            }
            if zh.is_empty() || en.is_empty() {
                return Err(bad("both names are required"));
            }
            diseases.push(Disease {
                code: code.to_string(),
                class,
                two_hours,
                acute_chronic: flag(acute_chronic)?,
                zh: zh.to_string(),
                en: en.to_string(),
            });
        }
        if diseases.is_empty() {
            return Err("the disease list is empty".into());
        }
        Ok(Catalogue { diseases })
    }

    pub fn get(&self, code: &str) -> Option<&Disease> {
        self.diseases.iter().find(|d| d.code == code)
    }
}

/// 报卡类别.
pub const CARD_TYPE: &[Choice] = &[c(1, "初次报告", "Initial report"), c(2, "订正报告", "Correction")];

/// 病人属于.
pub const PATIENT_FROM: &[Choice] = &[
    c(1, "本县区", "This county"),
    c(2, "本市其他县区", "Another county of this city"),
    c(3, "本省其它地市", "Another city of this province"),
    c(4, "外省", "Another province"),
    c(5, "港澳台", "Hong Kong, Macao or Taiwan"),
    c(6, "外籍", "Foreign"),
];

/// 人群分类.
pub const OCCUPATION: &[Choice] = &[
    c(1, "幼托儿童", "Child in nursery"),
    c(2, "散居儿童", "Child at home"),
    c(3, "学生", "Student"),
    c(4, "教师", "Teacher"),
    c(5, "保育员及保姆", "Childcare worker"),
    c(6, "餐饮食品业", "Food and catering"),
    c(7, "商业服务", "Commercial services"),
    c(8, "医务人员", "Health worker"),
    c(9, "工人", "Worker"),
    c(10, "民工", "Migrant worker"),
    c(11, "农民", "Farmer"),
    c(12, "牧民", "Herder"),
    c(13, "渔(船)民", "Fisher or boatman"),
    c(14, "干部职员", "Office worker"),
    c(15, "离退人员", "Retired"),
    c(16, "家务及待业", "Homemaker or unemployed"),
    c(17, "其他", "Other"),
    c(18, "不详", "Unknown"),
];

/// 病例分类.
pub const CASE_CLASS: &[Choice] = &[
    c(1, "疑似病例", "Suspected"),
    c(2, "临床诊断病例", "Clinically diagnosed"),
    c(3, "确诊病例", "Laboratory confirmed"),
    c(4, "病原携带者", "Carrier"),
];

/// 急性/慢性, for the diseases whose card asks.
pub const COURSE: &[Choice] = &[c(1, "急性", "Acute"), c(2, "慢性", "Chronic")];

/// Children under this age get their parent's name on the card (患儿家长姓名).
pub const PARENT_NAME_UNDER: i32 = 14;

/// The report card as the village doctor fills it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiseaseReportInput {
    pub card_type: u8,
    pub patient_name: String,
    /// 患儿家长姓名, required under 14.
    #[serde(default)]
    pub parent_name: String,
    /// 有效证件号; blank when the patient has none with them (a visitor, a newborn).
    #[serde(default)]
    pub id_no: String,
    pub sex: u8,
    pub birth_date: NaiveDate,
    #[serde(default)]
    pub work_unit: String,
    #[serde(default)]
    pub phone: String,
    pub patient_from: u8,
    /// 现住址, down to the village and house number.
    pub address: String,
    pub occupation: u8,
    pub case_class: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<u8>,
    /// 发病日期; for a carrier, the date of the first positive test.
    pub onset_date: NaiveDate,
    /// 诊断时间 (date and hour): the reporting deadline counts from here.
    pub diagnosed_at: NaiveDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub death_date: Option<NaiveDate>,
    /// The catalogue code of the disease.
    pub disease: String,
    /// 暴发 or a cluster of unknown cause: reported within 2 hours whatever the disease.
    #[serde(default)]
    pub outbreak: bool,
    /// When the doctor phoned the county CDC (no 网络直报 at hand); counts as the report's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phoned_at: Option<NaiveDateTime>,
    /// 填卡日期 and time, set by the phone when the card is saved.
    pub filled_at: NaiveDateTime,
    #[serde(default)]
    pub note: String,
}

impl DiseaseReportInput {
    /// Checks the card against the catalogue and the clock (`now`, the device's local time); every problem at
    /// once.
    pub fn check(&self, c: &mut Check, catalogue: &Catalogue, now: NaiveDateTime) {
        let today = now.date();
        c.code("card_type", CARD_TYPE, Some(self.card_type), true);
        c.required_text("patient_name", &self.patient_name, 30);
        c.code("sex", crate::codes::SEX, Some(self.sex), true);
        c.not_future("birth_date", self.birth_date, today);
        let age = crate::resident::age_on(self.birth_date, self.onset_date);
        if age < PARENT_NAME_UNDER && self.parent_name.trim().is_empty() {
            c.add("parent_name", "14岁以下患儿须填写家长姓名", "Give a parent's name for a child under 14");
        }
        c.text("parent_name", &self.parent_name, 30);
        // A resident identity card is checked digit by digit; others (港澳台 and foreign patients' passes and
        // passports) only for length.
        let id = self.id_no.trim();
        if !id.is_empty() && self.patient_from <= 4 {
            match crate::resident::id_number::IdNumber::parse(id, today) {
                Ok(parsed) if parsed.birth_date() != self.birth_date => {
                    c.add("id_no", "身份证号中的出生日期与所填不符", "The ID number's birth date does not match")
                }
                Ok(_) => {}
                Err(e) => c.add("id_no", e.zh(), e.en()),
            }
        } else {
            c.text("id_no", id, 30);
        }
        c.text("work_unit", &self.work_unit, 50);
        if !self.phone.trim().is_empty() && !crate::resident::is_phone(self.phone.trim()) {
            c.add("phone", "电话号码格式不正确", "The phone number is not valid");
        }
        c.code("patient_from", PATIENT_FROM, Some(self.patient_from), true);
        c.required_text("address", &self.address, 100);
        c.code("occupation", OCCUPATION, Some(self.occupation), true);
        c.code("case_class", CASE_CLASS, Some(self.case_class), true);
        match catalogue.get(&self.disease) {
            None => c.add("disease", "请选择病种", "Choose the disease"),
            Some(d) if d.acute_chronic => c.code("course", COURSE, self.course, true),
            Some(_) if self.course.is_some() => {
                c.add("course", "此病种无需填写急性/慢性", "This disease has no acute/chronic choice")
            }
            Some(_) => {}
        }
        if self.onset_date < self.birth_date {
            c.add("onset_date", "发病日期早于出生日期", "The onset is before the date of birth");
        }
        if self.diagnosed_at.date() < self.onset_date {
            c.add("diagnosed_at", "诊断时间早于发病日期", "The diagnosis is before the onset");
        }
        if self.diagnosed_at > now {
            c.add("diagnosed_at", "诊断时间不能晚于现在", "The diagnosis cannot be in the future");
        }
        if let Some(d) = self.death_date {
            if d < self.onset_date || d > today {
                c.add(
                    "death_date",
                    "死亡日期应在发病日期与今天之间",
                    "The date of death must be between onset and today",
                );
            }
        }
        if let Some(p) = self.phoned_at {
            if p < self.diagnosed_at || p > now {
                c.add(
                    "phoned_at",
                    "电话报告时间应在诊断之后、现在之前",
                    "The phone report must be after the diagnosis and not in the future",
                );
            }
        }
        if self.filled_at < self.diagnosed_at && self.diagnosed_at <= now {
            c.add("filled_at", "填卡时间早于诊断时间", "The card is filled before the diagnosis");
        }
        c.text("note", &self.note, 200);
    }

    /// How long the report may take: 2 hours for 甲类, the 乙类 diseases managed as 甲类 and outbreaks, 24 hours
    /// for the rest (suspected cases and carriers included). Unknown codes take the stricter limit.
    pub fn limit(&self, catalogue: &Catalogue) -> Duration {
        let two = self.outbreak || catalogue.get(&self.disease).is_none_or(|d| d.two_hours);
        Duration::hours(if two { 2 } else { 24 })
    }

    /// The last moment the report is on time.
    pub fn deadline(&self, catalogue: &Catalogue) -> NaiveDateTime {
        self.diagnosed_at + self.limit(catalogue)
    }

    /// When the report counts as made: the earlier of the phone call and the server's receipt.
    pub fn reported_at(&self, received_at: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
        earliest(self.phoned_at, received_at)
    }

    /// The report's timeliness at `now`, given when the server received it (none yet on a phone offline).
    pub fn timeliness(
        &self,
        catalogue: &Catalogue,
        received_at: Option<NaiveDateTime>,
        now: NaiveDateTime,
    ) -> Timeliness {
        timeliness_at(self.deadline(catalogue), self.reported_at(received_at), now)
    }
}

/// The earlier of two times either of which may be unknown (a phone call, the server's receipt).
pub fn earliest(a: Option<NaiveDateTime>, b: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A report due by `deadline`, made at `reported` (if yet), seen at `now`.
pub fn timeliness_at(deadline: NaiveDateTime, reported: Option<NaiveDateTime>, now: NaiveDateTime) -> Timeliness {
    match reported {
        Some(at) if at <= deadline => Timeliness::OnTime,
        Some(_) => Timeliness::Late,
        None if now <= deadline => Timeliness::Pending { deadline },
        None => Timeliness::Overdue { deadline },
    }
}

/// Whether a report was made within its limit (报告及时).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Timeliness {
    /// Reported within the limit.
    OnTime,
    /// Reported after the limit.
    Late,
    /// Not reported yet, still within the limit.
    Pending { deadline: NaiveDateTime },
    /// Not reported yet and past the limit: the doctor must phone the county CDC now.
    Overdue { deadline: NaiveDateTime },
}

impl Timeliness {
    pub fn label(self, zh: bool) -> String {
        let at = |d: NaiveDateTime| d.format("%m-%d %H:%M").to_string();
        match (self, zh) {
            (Timeliness::OnTime, true) => "及时".into(),
            (Timeliness::OnTime, false) => "On time".into(),
            (Timeliness::Late, true) => "迟报".into(),
            (Timeliness::Late, false) => "Late".into(),
            (Timeliness::Pending { deadline }, true) => format!("未送达，须在 {} 前报告", at(deadline)),
            (Timeliness::Pending { deadline }, false) => format!("Not received yet; due by {}", at(deadline)),
            (Timeliness::Overdue { deadline }, true) => {
                format!("已超过报告时限（{}），请立即电话报告县疾控", at(deadline))
            }
            (Timeliness::Overdue { deadline }, false) => {
                format!("Past the limit ({}): phone the county CDC now", at(deadline))
            }
        }
    }

    /// Counted as reported on time in 报告及时率 (only reports that reached the server are counted at all).
    pub fn on_time(self) -> bool {
        self == Timeliness::OnTime
    }
}
