//! A collector of field errors for the shared validation rules: every form's `validate` adds what is wrong
//! and returns all of it at once, so the form can mark every field in one go.

use crate::codes::{self, Choice};
use crate::error::{AppError, FieldError};
use chrono::NaiveDate;

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

    pub fn range<T: PartialOrd + std::fmt::Display + Copy>(&mut self, field: &str, v: T, min: T, max: T, unit: &str) {
        if v < min || v > max {
            self.add(field, format!("应在{min}–{max}{unit}之间"), format!("Must be between {min} and {max} {unit}"));
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
