//! The PIN that locks the device's store (本机数据加密): which PINs are accepted, the record kept beside the
//! store (salt, the data key sealed with the PIN's key, wrong tries), and what a wrong PIN does. Pure, so
//! the rules are tested natively; `vault` applies them with WebCrypto.
//!
//! Keys: a random 256-bit data key encrypts every stored record (AES-GCM). The PIN, stretched with
//! PBKDF2-SHA-256, only seals that data key, so a new PIN re-seals 32 bytes instead of the whole store. The
//! server keeps a copy of the data key per account and device (it holds the same records anyway): after
//! too many wrong PINs the sealed key is wiped from the phone, and only a login with the account's password,
//! online, brings it back.

use serde::{Deserialize, Serialize};

pub const PIN_MIN: usize = 6;
pub const PIN_MAX: usize = 12;
/// OWASP's 2023 figure for PBKDF2-HMAC-SHA-256.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Wrong PINs in a row before the data stays locked until an online login.
pub const MAX_FAILURES: u32 = 5;
pub const SALT_LEN: usize = 16;
pub const DATA_KEY_LEN: usize = 32;
/// Which PIN screen this browser shows an account (`account~pin5`, `account~locked`), kept in a cookie so the
/// server renders that screen in the first paint of a cold start instead of a loading line until the WASM
/// has arrived (seconds on a slow network). Holds no secret: what the screen itself says.
pub const SCREEN_COOKIE: &str = "cunyi_pin";

/// Why a PIN is refused, in Chinese and English.
pub fn pin_problem(pin: &str, again: &str) -> Option<(&'static str, &'static str)> {
    let digits: Vec<u8> = pin.bytes().collect();
    if !digits.iter().all(u8::is_ascii_digit) || !(PIN_MIN..=PIN_MAX).contains(&digits.len()) {
        return Some(("PIN为6–12位数字", "The PIN is 6–12 digits"));
    }
    let steps: Vec<i16> = digits.windows(2).map(|w| w[1] as i16 - w[0] as i16).collect();
    if steps.iter().all(|s| *s == 0) || steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1) {
        return Some(("PIN太简单（不能全部相同或连续）", "The PIN is too simple (all the same or in a row)"));
    }
    if pin != again {
        return Some(("两次输入的PIN不一致", "The two PINs differ"));
    }
    None
}

/// What the device keeps (in local storage) about its PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinRecord {
    pub salt: Vec<u8>,
    pub iterations: u32,
    /// The data key sealed with the PIN's key; wiped (None) when locked.
    pub sealed_key: Option<Vec<u8>>,
    /// Wrong PINs since the last right one.
    pub failures: u32,
    /// The server holds the data key (so a locked phone can be opened by an online login).
    pub escrowed: bool,
}

/// What a wrong PIN leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrong {
    TryAgain { left: u32 },
    Locked,
}

impl PinRecord {
    pub fn new(salt: Vec<u8>, sealed_key: Vec<u8>) -> PinRecord {
        PinRecord { salt, iterations: PBKDF2_ITERATIONS, sealed_key: Some(sealed_key), failures: 0, escrowed: false }
    }

    pub fn locked(&self) -> bool {
        self.sealed_key.is_none()
    }

    pub fn tries_left(&self) -> u32 {
        MAX_FAILURES.saturating_sub(self.failures)
    }

    /// Counts a wrong PIN; the last allowed one wipes the sealed key.
    pub fn failed(&mut self) -> Wrong {
        self.failures += 1;
        if self.failures >= MAX_FAILURES {
            self.sealed_key = None;
            Wrong::Locked
        } else {
            Wrong::TryAgain { left: self.tries_left() }
        }
    }

    pub fn succeeded(&mut self) {
        self.failures = 0;
    }
}

/// Additional data the data key is sealed with: it belongs to this account and to nothing else.
pub fn key_aad(user_id: &str) -> Vec<u8> {
    format!("cunyi-data-key/{user_id}").into_bytes()
}

/// Additional data a record is sealed with: its store and key, so a blob moved elsewhere fails to open.
pub fn record_aad(store: &str, key: &str) -> Vec<u8> {
    format!("{store}/{key}").into_bytes()
}

/// Where the store's lock stands for the signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vault {
    /// Not looked at yet (on the server: no screen cookie for this account).
    #[default]
    Unknown,
    /// No PIN on this device for this account: choose one.
    NeedsSetup,
    /// Enter the PIN.
    NeedsPin {
        left: u32,
    },
    /// Too many wrong PINs: the account's password, online, opens it.
    Locked,
    Open,
}

impl Vault {
    pub fn of(record: Option<&PinRecord>) -> Vault {
        match record {
            None => Vault::NeedsSetup,
            Some(r) if r.locked() => Vault::Locked,
            Some(r) => Vault::NeedsPin { left: r.tries_left() },
        }
    }

    /// The screen cookie's value for `account` in this state; none for the states a cold start never shows.
    pub fn cookie(&self, account: &str) -> Option<String> {
        match self {
            Vault::NeedsPin { left } => Some(format!("{account}~pin{left}")),
            Vault::Locked => Some(format!("{account}~locked")),
            _ => None,
        }
    }

    /// The state a screen cookie names for `account`; `Unknown` for another account or an unreadable value.
    pub fn from_cookie(value: Option<&str>, account: &str) -> Vault {
        let Some((who, what)) = value.and_then(|v| v.rsplit_once('~')) else { return Vault::Unknown };
        if who != account {
            return Vault::Unknown;
        }
        match what {
            "locked" => Vault::Locked,
            _ => match what.strip_prefix("pin").and_then(|n| n.parse().ok()) {
                Some(left) if (1..=MAX_FAILURES).contains(&left) => Vault::NeedsPin { left },
                _ => Vault::Unknown,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_cookie_names_the_screen_of_its_own_account_only() {
        for v in [Vault::NeedsPin { left: 5 }, Vault::NeedsPin { left: 1 }, Vault::Locked] {
            assert_eq!(Vault::from_cookie(v.cookie("u-1").as_deref(), "u-1"), v);
            assert_eq!(Vault::from_cookie(v.cookie("u-1").as_deref(), "u-2"), Vault::Unknown);
        }
        assert_eq!(Vault::NeedsSetup.cookie("u-1"), None);
        assert_eq!(Vault::Open.cookie("u-1"), None);
        for bad in [None, Some(""), Some("u-1"), Some("u-1~pin0"), Some("u-1~pin6"), Some("u-1~pinx"), Some("u-1~open")]
        {
            assert_eq!(Vault::from_cookie(bad, "u-1"), Vault::Unknown, "{bad:?}");
        }
    }

    #[test]
    fn pins_are_six_to_twelve_digits_not_trivial_and_typed_twice_alike() {
        assert_eq!(pin_problem("482913", "482913"), None);
        assert_eq!(pin_problem("482913570128", "482913570128"), None);
        for bad in ["48291", "4829135701281", "48a913", "４８２９１３", ""] {
            assert_eq!(pin_problem(bad, bad).unwrap().1, "The PIN is 6–12 digits", "{bad}");
        }
        for simple in ["000000", "123456", "987654", "3456789"] {
            assert!(pin_problem(simple, simple).unwrap().1.starts_with("The PIN is too simple"), "{simple}");
        }
        assert_eq!(pin_problem("482913", "482914").unwrap().1, "The two PINs differ");
    }

    #[test]
    fn the_fifth_wrong_pin_wipes_the_sealed_key_and_a_right_one_resets_the_count() {
        let mut r = PinRecord::new(vec![1; SALT_LEN], vec![2; 60]);
        assert_eq!(Vault::of(Some(&r)), Vault::NeedsPin { left: 5 });
        assert_eq!(r.failed(), Wrong::TryAgain { left: 4 });
        r.succeeded();
        assert_eq!(r.tries_left(), 5);
        for left in (1..5).rev() {
            assert_eq!(r.failed(), Wrong::TryAgain { left });
        }
        assert!(!r.locked());
        assert_eq!(r.failed(), Wrong::Locked);
        assert!(r.locked() && r.sealed_key.is_none());
        assert_eq!(Vault::of(Some(&r)), Vault::Locked);
        assert_eq!(Vault::of(None), Vault::NeedsSetup);
    }

    #[test]
    fn sealing_contexts_differ_by_account_and_place() {
        assert_ne!(key_aad("u1"), key_aad("u2"));
        assert_ne!(record_aad("residents", "a"), record_aad("visits", "a"));
    }
}
