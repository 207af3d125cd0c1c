//! A collector of field errors for the shared validation rules: every form's `validate` adds what is wrong
//! and returns all of it at once, so the form can mark every field in one go.

use crate::codes::{self, Choice};
use crate::error::{AppError, FieldError};
use chrono::NaiveDate;

/// Longest signature path kept (an SVG path of a few strokes is a few KB).
pub const MAX_SIGNATURE: usize = 20_000;

/// A form field's plausible range, inclusive: (field, min, max, unit).
pub type Reading = (&'static str, f64, f64, &'static str);

#[derive(Debug, Default)]
pub struct Check(pub Vec<FieldError>);

impl Check {
    pub fn add(&mut self, field: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError::new(field, zh, en));
    }

    pub fn required<T>(&mut self, field: &str, v: &Option<T>) {
        if v.is_none() {
            self.add(field, "此项必填", "Required");
        }
    }

    pub fn code(&mut self, field: &str, table: &[Choice], v: Option<u8>, required: bool) {
        match v {
            None if required => self.add(field, "请选择一项", "Choose one option"),
            Some(c) if !codes::is_valid(table, c) => self.add(field, "选项无效", "Invalid option"),
            _ => {}
        }
    }

    /// A list of codes from one table: each valid, none twice, at least one when `required`.
    pub fn codes(&mut self, field: &str, table: &[Choice], v: &[u8], required: bool) {
        if required && v.is_empty() {
            self.add(field, "至少选择一项", "Choose at least one option");
        } else if v.iter().any(|c| !codes::is_valid(table, *c)) {
            self.add(field, "选项无效", "Invalid option");
        } else if (1..v.len()).any(|i| v[..i].contains(&v[i])) {
            self.add(field, "选项重复", "An option is chosen twice");
        }
    }

    pub fn text(&mut self, field: &str, v: &str, max: usize) {
        if v.chars().count() > max {
            self.add(field, format!("不能超过{max}个字"), format!("At most {max} characters"));
        }
    }

    /// Text that must be filled in, at most `max` characters.
    pub fn required_text(&mut self, field: &str, v: &str, max: usize) {
        if v.trim().is_empty() {
            self.add(field, "此项必填", "Required");
        } else {
            self.text(field, v, max);
        }
    }

    /// A date that cannot be after today.
    pub fn not_future(&mut self, field: &str, d: NaiveDate, today: NaiveDate) {
        if d > today {
            self.add(field, "日期不能晚于今天", "The date cannot be in the future");
        }
    }

    /// A reading against its plausible range (`Reading`), or missing when `required`.
    pub fn reading(&mut self, spec: Reading, v: Option<f64>, required: bool) {
        let (field, min, max, unit) = spec;
        match v {
            None if required => self.add(field, "此项必填", "Required"),
            Some(x) => self.range(field, x, min, max, unit),
            None => {}
        }
    }

    /// Text of at most `max` characters, filled in when `required`.
    pub fn text_if(&mut self, field: &str, v: &str, required: bool, max: usize) {
        if required {
            self.required_text(field, v, max);
        } else {
            self.text(field, v, max);
        }
    }

    /// A next appointment (`next_date`) that must come after the day of the form.
    pub fn next_after(&mut self, next: Option<NaiveDate>, date: NaiveDate) {
        if next.is_some_and(|n| n <= date) {
            self.add("next_date", "下次随访日期应晚于本次", "The next visit must be after this one");
        }
    }

    pub fn range<T: PartialOrd + std::fmt::Display + Copy>(&mut self, field: &str, v: T, min: T, max: T, unit: &str) {
        if v < min || v > max {
            self.add(field, format!("应在{min}–{max}{unit}之间"), format!("Must be between {min} and {max} {unit}"));
        }
    }

    /// A medication list (用药情况): at most `MAX_MEDS` lines, each with a name, 1–12 times a day and a dose.
    pub fn meds(&mut self, field: &str, meds: &[crate::visit::Medication]) {
        use crate::visit::chronic::MAX_MEDS;
        if meds.len() > MAX_MEDS {
            self.add(field, format!("最多{MAX_MEDS}种药物"), format!("At most {MAX_MEDS} medications"));
            return;
        }
        for m in meds {
            if m.name.trim().is_empty() || m.name.chars().count() > 50 {
                self.add(field, "药物名称必填，不超过50字", "Each medication needs a name of at most 50 characters");
                return;
            }
            if !(1..=12).contains(&m.times_per_day) {
                self.add(field, "每日次数应为1–12", "Times per day must be 1–12");
                return;
            }
            if m.dose.trim().is_empty() || m.dose.chars().count() > 30 {
                self.add(
                    field,
                    "每次剂量必填（如 5mg），不超过30字",
                    "Each dose is required (e.g. 5mg), at most 30 characters",
                );
                return;
            }
        }
    }

    /// A referral's reason and institution, both or neither; `required` when the rules call for one.
    pub fn referral(&mut self, field: &str, r: Option<&crate::visit::Referral>, required: bool) {
        match r {
            None if required => self.add(field, "须填写转诊原因和机构", "Give the referral's reason and institution"),
            Some(r) if r.reason.trim().is_empty() || r.institution.trim().is_empty() => {
                self.add(field, "转诊原因和机构均须填写", "Give both the reason and the institution")
            }
            Some(r) => {
                self.text(field, &r.reason, 100);
                self.text(field, &r.institution, 100);
                self.text(field, &r.contact, 50);
            }
            None => {}
        }
    }

    /// A signature drawn on the screen (an SVG path of a few strokes): only path commands and numbers.
    pub fn signature(&mut self, field: &str, s: Option<&str>) {
        if let Some(s) = s {
            if s.len() > MAX_SIGNATURE || !s.chars().all(|ch| ch.is_ascii_digit() || " .,-MLml".contains(ch)) {
                self.add(field, "签名无效，请重新签名", "The signature is not valid; sign again");
            }
        }
    }

    /// Ok when nothing was added.
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(self.0))
        }
    }
}
