//! Resident health record (居民健康档案, 个人基本信息表): wire types and the pure validation rules.
//!
//! `ResidentInput` is what the form sends (create and edit); `ResidentInput::validate` is run in the browser
//! for instant messages and again on the server, which never trusts the client. Key-population flags (重点人群)
//! are dated memberships, not booleans, because indicator denominators are date-based; age-based groups
//! (65+, children 0–6) are derived from the birth date instead of stored.

pub mod api;
pub mod duplicates;
pub mod id_number;
pub mod merge;
pub mod pages;
pub mod pinyin;

use crate::codes::{self, Choice};
use crate::error::{AppError, FieldError};
use chrono::{Datelike, NaiveDate};
use id_number::IdNumber;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const NAME_MAX: usize = 50;
pub const TEXT_MAX: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Unknown,
    Male,
    Female,
    Unspecified,
}

impl Sex {
    /// GB/T 2261.1 code, as printed on the form.
    pub fn code(self) -> u8 {
        match self {
            Sex::Unknown => 0,
            Sex::Male => 1,
            Sex::Female => 2,
            Sex::Unspecified => 9,
        }
    }

    pub fn from_code(code: u8) -> Option<Sex> {
        match code {
            0 => Some(Sex::Unknown),
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            9 => Some(Sex::Unspecified),
            _ => None,
        }
    }

    pub fn label(self, zh: bool) -> String {
        codes::label(codes::SEX, self.code(), zh)
    }
}

/// 重点人群 flags a doctor sets from a diagnosis or a status; age groups are derived, see `age_groups`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyFlag {
    /// 原发性高血压
    Htn,
    /// 2型糖尿病
    T2dm,
    /// 严重精神障碍
    Smi,
    /// 肺结核
    Tb,
    /// 孕产妇
    Pregnant,
    /// 残疾人
    Disabled,
    /// 脱贫人口
    PovertyAlleviated,
    /// 计划生育特殊家庭
    FpSpecial,
    /// 65岁及以上 (derived from age, never stored)
    #[serde(rename = "ELDERLY_65")]
    Elderly65,
    /// 0–6岁儿童 (derived from age, never stored)
    #[serde(rename = "CHILD_0_6")]
    Child0To6,
}

impl KeyFlag {
    pub const STORED: [KeyFlag; 8] = [
        KeyFlag::Htn,
        KeyFlag::T2dm,
        KeyFlag::Smi,
        KeyFlag::Tb,
        KeyFlag::Pregnant,
        KeyFlag::Disabled,
        KeyFlag::PovertyAlleviated,
        KeyFlag::FpSpecial,
    ];
    pub const ALL: [KeyFlag; 10] = [
        KeyFlag::Htn,
        KeyFlag::T2dm,
        KeyFlag::Smi,
        KeyFlag::Tb,
        KeyFlag::Pregnant,
        KeyFlag::Disabled,
        KeyFlag::PovertyAlleviated,
        KeyFlag::FpSpecial,
        KeyFlag::Elderly65,
        KeyFlag::Child0To6,
    ];

    /// Stable code used in the database and URLs.
    pub fn code(self) -> &'static str {
        match self {
            KeyFlag::Htn => "HTN",
            KeyFlag::T2dm => "T2DM",
            KeyFlag::Smi => "SMI",
            KeyFlag::Tb => "TB",
            KeyFlag::Pregnant => "PREGNANT",
            KeyFlag::Disabled => "DISABLED",
            KeyFlag::PovertyAlleviated => "POVERTY_ALLEVIATED",
            KeyFlag::FpSpecial => "FP_SPECIAL",
            KeyFlag::Elderly65 => "ELDERLY_65",
            KeyFlag::Child0To6 => "CHILD_0_6",
        }
    }

    pub fn from_code(s: &str) -> Option<KeyFlag> {
        KeyFlag::ALL.into_iter().find(|f| f.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            KeyFlag::Htn => ("高血压", "Hypertension"),
            KeyFlag::T2dm => ("2型糖尿病", "Type 2 diabetes"),
            KeyFlag::Smi => ("严重精神障碍", "Severe mental disorder"),
            KeyFlag::Tb => ("肺结核", "Tuberculosis"),
            KeyFlag::Pregnant => ("孕产妇", "Pregnant or postpartum"),
            KeyFlag::Disabled => ("残疾人", "Disabled"),
            KeyFlag::PovertyAlleviated => ("脱贫人口", "Lifted from poverty"),
            KeyFlag::FpSpecial => ("计生特殊家庭", "FP special family"),
            KeyFlag::Elderly65 => ("65岁及以上", "Aged 65+"),
            KeyFlag::Child0To6 => ("0-6岁儿童", "Child 0–6"),
        };
        if zh {
            z
        } else {
            e
        }
    }

    pub fn is_derived(self) -> bool {
        matches!(self, KeyFlag::Elderly65 | KeyFlag::Child0To6)
    }
}

/// Full years of age on `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The age-derived key groups: 65+ counts by the assessment year (age reached during the year), children by
/// age under 7 today.
pub fn age_groups(birth: NaiveDate, today: NaiveDate) -> Vec<KeyFlag> {
    let mut v = Vec::new();
    if today.year() - birth.year() >= 65 {
        v.push(KeyFlag::Elderly65);
    }
    if age_on(birth, today) < 7 {
        v.push(KeyFlag::Child0To6);
    }
    v
}

/// A stored key-population membership with its start date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagMembership {
    pub flag: KeyFlag,
    pub since: NaiveDate,
}

/// What the resident form sends, for a new record and for an edit (same `id`, `version` of the edited copy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResidentInput {
    /// Generated on the device, so an entry made offline keeps its identity through sync.
    pub id: Uuid,
    /// For an edit: the version the doctor edited, so a concurrent change is detected, not overwritten.
    pub base_version: Option<i64>,
    pub village_id: String,
    /// An existing household, or None to start a new household headed by this resident (its id is then the
    /// resident's id, on the phone and on the server).
    pub household_id: Option<String>,
    pub relation: u8,
    pub name: String,
    pub id_no: Option<String>,
    /// Required when there is no ID number (infants); must agree with the ID number otherwise.
    pub sex: Option<u8>,
    pub birth_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub address: String,
    pub residence_type: u8,
    pub ethnicity: u8,
    pub blood_abo: u8,
    pub education: u8,
    pub occupation: u8,
    pub marital: u8,
    pub payment: Vec<u8>,
    pub status: u8,
    pub flags: Vec<KeyFlag>,
    pub device_id: String,
}

/// A validated resident: identity fields are consistent and derived where the ID number gives them.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidResident {
    pub input: ResidentInput,
    pub id_no: Option<IdNumber>,
    pub sex: Sex,
    pub birth_date: NaiveDate,
}

fn check_code(errors: &mut Vec<FieldError>, field: &str, table: &[Choice], code: u8) {
    if !codes::is_valid(table, code) {
        errors.push(FieldError::new(field, "请选择一项", "Choose one option"));
    }
}

fn check_len(errors: &mut Vec<FieldError>, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.push(FieldError::new(field, format!("不能超过{max}个字"), format!("At most {max} characters")));
    }
}

/// Mobile `1[3-9]` + 9 digits, or a landline: an area code starting with 0 (dash optional, extension allowed)
/// or a bare 7–8 digit local number.
pub fn is_phone(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.iter().all(|c| c.is_ascii_digit() || *c == b'-') || s.starts_with('-') || s.ends_with('-') {
        return false;
    }
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let mobile = b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) && digits == 11;
    let with_area = b[0] == b'0' && (10..=18).contains(&digits);
    let local = !s.contains('-') && (7..=8).contains(&digits) && b[0] != b'0' && b[0] != b'1';
    mobile || with_area || local
}

impl ResidentInput {
    /// Checks every field; the error lists every invalid field at once, each with a Chinese message.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidResident, AppError> {
        let mut e = Vec::new();
        let name = self.name.trim();
        if name.is_empty() {
            e.push(FieldError::new("name", "请输入姓名", "Enter the name"));
        }
        check_len(&mut e, "name", name, NAME_MAX);
        check_len(&mut e, "address", &self.address, TEXT_MAX);
        check_len(&mut e, "device_id", &self.device_id, 64);
        if self.village_id.trim().is_empty() {
            e.push(FieldError::new("village_id", "请选择村", "Choose the village"));
        }
        check_code(&mut e, "relation", codes::RELATION, self.relation);
        check_code(&mut e, "residence_type", codes::RESIDENCE_TYPE, self.residence_type);
        check_code(&mut e, "ethnicity", codes::ETHNICITY, self.ethnicity);
        check_code(&mut e, "blood_abo", codes::BLOOD_ABO, self.blood_abo);
        check_code(&mut e, "education", codes::EDUCATION, self.education);
        check_code(&mut e, "occupation", codes::OCCUPATION, self.occupation);
        check_code(&mut e, "marital", codes::MARITAL, self.marital);
        check_code(&mut e, "status", codes::RECORD_STATUS, self.status);
        if self.payment.iter().any(|p| !codes::is_valid(codes::PAYMENT, *p)) {
            e.push(FieldError::new("payment", "支付方式无效", "Invalid payment type"));
        }
        if self.flags.iter().any(|f| f.is_derived()) {
            e.push(FieldError::new(
                "flags",
                "年龄分组由出生日期自动得出",
                "Age groups are derived from the birth date",
            ));
        }
        if let Some(p) = self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            if !is_phone(p) {
                e.push(FieldError::new("phone", "电话号码格式不正确（手机号11位，以1开头）", "Invalid phone number"));
            }
        }

        let id_no = match self.id_no.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => match IdNumber::parse(s, today) {
                Ok(id) => Some(id),
                Err(err) => {
                    e.push(FieldError::new("id_no", err.zh(), err.en()));
                    None
                }
            },
        };
        let sex = match self.sex {
            None => None,
            Some(code) => match Sex::from_code(code) {
                Some(s) => Some(s),
                None => {
                    e.push(FieldError::new("sex", "请选择性别", "Choose the sex"));
                    None
                }
            },
        };
        let (sex, birth) = match &id_no {
            Some(id) => {
                if let Some(s) = sex {
                    if s != id.sex() {
                        e.push(FieldError::new(
                            "sex",
                            format!("性别与身份证号不符（身份证号显示为{}）", id.sex().label(true)),
                            format!("Sex does not match the ID number ({})", id.sex().label(false)),
                        ));
                    }
                }
                if let Some(b) = self.birth_date {
                    if b != id.birth_date() {
                        e.push(FieldError::new(
                            "birth_date",
                            format!("出生日期与身份证号不符（身份证号显示为{}）", id.birth_date()),
                            format!("Birth date does not match the ID number ({})", id.birth_date()),
                        ));
                    }
                }
                (Some(id.sex()), Some(id.birth_date()))
            }
            None => {
                if self.id_no.as_deref().map(str::trim).unwrap_or("").is_empty() {
                    if sex.is_none() {
                        e.push(FieldError::new(
                            "sex",
                            "无身份证号时请选择性别",
                            "Choose the sex when there is no ID number",
                        ));
                    }
                    match self.birth_date {
                        None => e.push(FieldError::new(
                            "birth_date",
                            "无身份证号时请填写出生日期",
                            "Enter the birth date when there is no ID number",
                        )),
                        Some(b) if b > today => {
                            e.push(FieldError::new("birth_date", "出生日期不能晚于今天", "Birth date is in the future"))
                        }
                        Some(b) if b.year() < 1900 => {
                            e.push(FieldError::new("birth_date", "出生日期不正确", "Invalid birth date"))
                        }
                        _ => {}
                    }
                }
                (sex, self.birth_date)
            }
        };
        if !e.is_empty() {
            return Err(AppError::validation(e));
        }
        let mut input = self.clone();
        input.name = name.to_string();
        input.phone = self.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(String::from);
        input.flags.sort();
        input.flags.dedup();
        input.payment.sort();
        input.payment.dedup();
        Ok(ValidResident { input, id_no, sex: sex.expect("checked above"), birth_date: birth.expect("checked above") })
    }
}

/// A resident as the detail page and the edit form see it (full ID number: staff in scope only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resident {
    pub id: Uuid,
    pub record_no: String,
    pub village_id: String,
    pub village_name: String,
    pub household_id: String,
    pub household_head: String,
    pub relation: u8,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub id_no: Option<String>,
    pub phone: Option<String>,
    pub address: String,
    pub residence_type: u8,
    pub ethnicity: u8,
    pub blood_abo: u8,
    pub education: u8,
    pub occupation: u8,
    pub marital: u8,
    pub payment: Vec<u8>,
    pub status: u8,
    pub flags: Vec<FlagMembership>,
    pub version: i64,
    pub created_at: String,
    pub created_by_name: String,
    pub updated_at: String,
}

impl Resident {
    /// Stored flags plus the age-derived ones, for badges.
    pub fn all_flags(&self, today: NaiveDate) -> Vec<KeyFlag> {
        let mut v: Vec<KeyFlag> = self.flags.iter().map(|m| m.flag).collect();
        v.extend(age_groups(self.birth_date, today));
        v
    }
}

/// One row of the resident list: the ID number is masked. (`Hash`: the list keys its rows by their content,
/// so a row that did not change is not drawn again.)
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ResidentSummary {
    pub id: Uuid,
    pub name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub id_masked: Option<String>,
    pub village_name: String,
    pub household_head: String,
    pub address: String,
    pub flags: Vec<KeyFlag>,
}

/// Search and filter for the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentQuery {
    /// Matches name, full ID number, the ID's last digits, record number or household head.
    pub q: String,
    pub flag: Option<KeyFlag>,
    pub village_id: Option<String>,
    pub page: u32,
}

pub const PAGE_SIZE: u32 = 30;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResidentPage {
    pub rows: Vec<ResidentSummary>,
    pub total: i64,
    pub page: u32,
}

/// A household of a village, to pick when adding a family member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HouseholdOption {
    pub id: String,
    pub village_id: String,
    pub head_name: String,
    pub address: String,
}

#[cfg(test)]
pub(crate) mod tests;
