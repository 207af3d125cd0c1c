//! Residents' own accounts (健康档案随身带, issue 7): a village doctor issues a single-use activation code for a
//! resident (valid 7 days); the resident activates with their ID number and the code, sets a password, and
//! logs in with ID number and password from then on. Guessing is bounded: a few failed activations per ID
//! number per hour, then refused.

pub mod api;
pub mod pages;

use serde::{Deserialize, Serialize};

/// Days an activation code stays valid.
pub const CODE_DAYS: i64 = 7;
/// Digits of an activation code (easy to read out and type on a phone keypad).
pub const CODE_DIGITS: usize = 8;
/// Failed activations per ID number within `FAILURE_WINDOW` seconds before activation is refused.
pub const MAX_FAILURES: i64 = 5;
pub const FAILURE_WINDOW: i64 = 60 * 60;
/// Shortest password a resident may set.
pub const MIN_PASSWORD: usize = 8;

/// A code as the doctor's phone shows it (and as a QR code, with `activation_url`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivationCode {
    pub code: String,
    /// Local time, minutes.
    pub expires_at: String,
    /// The activation page with the code filled in, for the resident's camera.
    pub url: String,
    /// `url` as a QR code (SVG markup drawn on the server).
    pub qr_svg: String,
}

/// What the resident types to activate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivateInput {
    pub id_no: String,
    pub code: String,
    pub password: String,
}

/// The activation page's address on `origin` with the code filled in.
pub fn activation_url(origin: &str, code: &str) -> String {
    format!("{}/activate?code={code}", origin.trim_end_matches('/'))
}

/// The code as typed, without spaces or dashes; None unless it is `CODE_DIGITS` digits.
pub fn normalize_code(s: &str) -> Option<String> {
    let digits: String = s.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    (digits.len() == CODE_DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// Why a password is refused, if it is: at least 8 characters, not all one character, not only digits of a
/// birth date or the ID number's own digits.
pub fn password_problem(password: &str, id_no: &str) -> Option<(&'static str, &'static str)> {
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Some(("密码至少8位", "The password needs at least 8 characters"));
    }
    if n > 128 {
        return Some(("密码不能超过128位", "The password is limited to 128 characters"));
    }
    let first = password.chars().next();
    if password.chars().all(|c| Some(c) == first) {
        return Some(("密码不能是同一个字符重复", "The password cannot repeat one character"));
    }
    if id_no.len() >= 8 && id_no.contains(password) {
        return Some(("密码不能取自身份证号", "The password cannot be part of the ID number"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_eight_digits_typed_with_or_without_separators() {
        assert_eq!(normalize_code("1234 5678").as_deref(), Some("12345678"));
        assert_eq!(normalize_code("1234-5678").as_deref(), Some("12345678"));
        for bad in ["", "1234567", "123456789", "1234567a", "１２３４５６７８"] {
            assert_eq!(normalize_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        let id = "110101195103080021";
        assert!(password_problem("abc123", id).is_some());
        assert!(password_problem("11111111", id).is_some());
        assert!(password_problem("19510308", id).is_some(), "the birth date inside the ID number");
        assert!(password_problem("bao-ping-an-2026", id).is_none());
    }
}
