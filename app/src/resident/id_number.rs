//! Resident Identity Card number (居民身份证号码, GB 11643-1999): parsing, check digit, derived birth date and sex.
//!
//! `IdNumber::parse` is the only way to make an `IdNumber`, so a value of this type is always valid:
//! 18 characters, a real birth date not in the future and not before 1900, and a correct ISO 7064 MOD 11-2
//! check digit. Legacy 15-digit numbers are upgraded (insert `19`, compute the check digit).
//! The region prefix is deliberately not checked: old region codes stay valid for life.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdNumber(String);

/// Why a string is not a valid ID number; each maps to a message on the form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Empty,
    Length,
    Characters,
    Date,
    FutureDate,
    CheckDigit { expected: char },
}

impl IdError {
    pub fn zh(&self) -> String {
        match self {
            IdError::Empty => "请输入身份证号".into(),
            IdError::Length => "身份证号应为18位（或15位旧号码）".into(),
            IdError::Characters => "身份证号前17位必须是数字，最后一位是数字或X".into(),
            IdError::Date => "身份证号中的出生日期不存在".into(),
            IdError::FutureDate => "身份证号中的出生日期晚于今天".into(),
            IdError::CheckDigit { expected } => format!("身份证号校验位错误（按前17位计算应为 {expected}），请核对"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            IdError::Empty => "Enter the ID number".into(),
            IdError::Length => "An ID number has 18 digits (or 15 for old numbers)".into(),
            IdError::Characters => "The first 17 characters must be digits, the last a digit or X".into(),
            IdError::Date => "The birth date in the ID number does not exist".into(),
            IdError::FutureDate => "The birth date in the ID number is in the future".into(),
            IdError::CheckDigit { expected } => {
                format!("Wrong check digit (the first 17 digits give {expected}); please check the number")
            }
        }
    }
}

/// The check character for the first 17 digits (ISO 7064 MOD 11-2), or None if they are not all digits.
pub fn check_digit(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s: u32 = body.bytes().zip(WEIGHTS).map(|(b, w)| (b - b'0') as u32 * w).sum();
    Some(CHECK[(s % 11) as usize])
}

impl IdNumber {
    /// Parses and fully validates an ID number; `today` bounds the birth date.
    pub fn parse(input: &str, today: NaiveDate) -> Result<Self, IdError> {
        let s = input.trim().to_uppercase();
        if s.is_empty() {
            return Err(IdError::Empty);
        }
        let s = match s.chars().count() {
            18 => s,
            15 if s.bytes().all(|b| b.is_ascii_digit()) => {
                let body = format!("{}19{}", &s[..6], &s[6..]);
                let c = check_digit(&body).ok_or(IdError::Characters)?;
                format!("{body}{c}")
            }
            15 => return Err(IdError::Characters),
            _ => return Err(IdError::Length),
        };
        let bytes = s.as_bytes();
        if !bytes[..17].iter().all(u8::is_ascii_digit) || !(bytes[17].is_ascii_digit() || bytes[17] == b'X') {
            return Err(IdError::Characters);
        }
        let birth = NaiveDate::parse_from_str(&s[6..14], "%Y%m%d").map_err(|_| IdError::Date)?;
        if birth.year() < 1900 {
            return Err(IdError::Date);
        }
        if birth > today {
            return Err(IdError::FutureDate);
        }
        let expected = check_digit(&s[..17]).ok_or(IdError::Characters)?;
        if bytes[17] as char != expected {
            return Err(IdError::CheckDigit { expected });
        }
        Ok(IdNumber(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("validated at parse")
    }

    /// Sex from the 17th digit: odd = male, even = female.
    pub fn sex(&self) -> super::Sex {
        if (self.0.as_bytes()[16] - b'0') % 2 == 1 {
            super::Sex::Male
        } else {
            super::Sex::Female
        }
    }

    /// The masked form shown in lists: region code, eight stars, last four (`110101********0010`).
    pub fn masked(&self) -> String {
        mask(&self.0)
    }
}

/// Masks any stored ID string the same way, without re-validating it.
pub fn mask(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

impl TryFrom<String> for IdNumber {
    type Error = String;
    /// Deserialisation checks everything but the future-date bound, which needs a clock.
    fn try_from(s: String) -> Result<Self, String> {
        IdNumber::parse(&s, NaiveDate::MAX).map_err(|e| e.en())
    }
}

impl From<IdNumber> for String {
    fn from(id: IdNumber) -> String {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::Sex;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn worked_example_gives_check_digit_zero() {
        assert_eq!(check_digit("11010119800101001"), Some('0'));
    }

    #[test]
    fn standard_annex_example_is_valid() {
        let id = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(1949, 12, 31).unwrap());
    }

    #[test]
    fn valid_vectors_of_the_domain_spec_parse_with_birth_date_and_sex() {
        let cases = [
            ("110101198001010010", (1980, 1, 1), Sex::Male),
            ("110101196508150021", (1965, 8, 15), Sex::Female),
            ("110101201903010030", (2019, 3, 1), Sex::Male),
            ("110101199003070046", (1990, 3, 7), Sex::Female),
            ("11010120230612005X", (2023, 6, 12), Sex::Male),
        ];
        for (s, (y, m, d), sex) in cases {
            let id = IdNumber::parse(s, today()).unwrap_or_else(|e| panic!("{s}: {e:?}"));
            assert_eq!(id.birth_date(), NaiveDate::from_ymd_opt(y, m, d).unwrap(), "{s}");
            assert_eq!(id.sex(), sex, "{s}");
        }
    }

    #[test]
    fn invalid_vectors_of_the_domain_spec_are_rejected_for_the_right_reason() {
        let cases = [
            ("110101198001010011", IdError::CheckDigit { expected: '0' }),
            ("110101202306120050", IdError::CheckDigit { expected: 'X' }),
            ("110101199002300014", IdError::Date),
            ("110101209901010017", IdError::FutureDate),
            ("11010119800101001", IdError::Length),
            ("1101011980A1010010", IdError::Characters),
        ];
        for (s, err) in cases {
            assert_eq!(IdNumber::parse(s, today()), Err(err), "{s}");
        }
    }

    #[test]
    fn lowercase_x_and_spaces_are_normalised() {
        let id = IdNumber::parse("  11010120230612005x ", today()).unwrap();
        assert_eq!(id.as_str(), "11010120230612005X");
    }

    #[test]
    fn legacy_fifteen_digit_numbers_are_upgraded() {
        // 110101800101001 → 11010119800101001 + check digit 0.
        let id = IdNumber::parse("110101800101001", today()).unwrap();
        assert_eq!(id.as_str(), "110101198001010010");
    }

    #[test]
    fn empty_input_and_pre_1900_dates_are_rejected() {
        assert_eq!(IdNumber::parse("  ", today()), Err(IdError::Empty));
        let body = "11010118991231001";
        let s = format!("{body}{}", check_digit(body).unwrap());
        assert_eq!(IdNumber::parse(&s, today()), Err(IdError::Date));
    }

    #[test]
    fn masks_the_birth_date_and_sequence() {
        assert_eq!(mask("110101198001010010"), "110101********0010");
    }

    #[test]
    fn check_digit_error_names_the_expected_digit() {
        assert!(IdError::CheckDigit { expected: '0' }.zh().contains("校验位"));
    }
}
