//! The national immunization schedule (国家免疫规划疫苗儿童免疫程序, domain spec §5) as versioned data: each
//! dose's minimum age, complete-by age and minimum intervals after earlier doses. The 2021 edition, and from
//! 2025-01-01 the DTaP change (2, 4, 6, 18 months and 6 years; DTaP replaces DT at 6 years). A dose is judged
//! by the edition in force on the day it was given.

use chrono::{Duration, NaiveDate};

/// An age or an interval: days, or calendar months (clamped to the month's end, as month ages are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Days(u32),
    Months(u32),
}

impl Span {
    pub fn after(self, d: NaiveDate) -> NaiveDate {
        match self {
            Span::Days(n) => d + Duration::days(n as i64),
            Span::Months(n) => d.checked_add_months(chrono::Months::new(n)).unwrap_or(d),
        }
    }

    pub fn label(self, zh: bool) -> String {
        match (self, zh) {
            (Span::Days(0), true) => "出生".into(),
            (Span::Days(0), false) => "birth".into(),
            (Span::Days(n), true) => format!("{n}天"),
            (Span::Days(n), false) => format!("{n} days"),
            (Span::Months(n), true) if n >= 24 && n % 12 == 0 => format!("{}岁", n / 12),
            (Span::Months(n), false) if n >= 24 && n % 12 == 0 => format!("{} years", n / 12),
            (Span::Months(n), true) => format!("{n}月龄"),
            (Span::Months(n), false) => format!("{n} months"),
        }
    }
}

/// A vaccine of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vaccine {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// Injectable live vaccines must be 28 days apart unless given the same day.
    pub injectable_live: bool,
}

const fn v(code: &'static str, zh: &'static str, en: &'static str, injectable_live: bool) -> Vaccine {
    Vaccine { code, zh, en, injectable_live }
}

pub const VACCINES: &[Vaccine] = &[
    v("HepB", "乙肝疫苗", "Hepatitis B", false),
    v("BCG", "卡介苗", "BCG", false),
    v("IPV", "脊灰灭活疫苗", "Inactivated polio (IPV)", false),
    v("bOPV", "二价脊灰减毒活疫苗", "Bivalent oral polio (bOPV)", false),
    v("DTaP", "百白破疫苗", "DTaP", false),
    v("DT", "白破疫苗", "DT", false),
    v("MMR", "麻腮风疫苗", "Measles-mumps-rubella (MMR)", true),
    v("JE-L", "乙脑减毒活疫苗", "Japanese encephalitis, live (JE-L)", true),
    v("JE-I", "乙脑灭活疫苗", "Japanese encephalitis, inactivated (JE-I)", false),
    v("MPSV-A", "A群流脑多糖疫苗", "Meningococcal A (MPSV-A)", false),
    v("MPSV-AC", "A群C群流脑多糖疫苗", "Meningococcal AC (MPSV-AC)", false),
    v("HepA-L", "甲肝减毒活疫苗", "Hepatitis A, live (HepA-L)", true),
    v("HepA-I", "甲肝灭活疫苗", "Hepatitis A, inactivated (HepA-I)", false),
];

pub fn vaccine(code: &str) -> Option<&'static Vaccine> {
    VACCINES.iter().find(|v| v.code == code)
}

/// One dose of the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScheduleDose {
    pub vaccine: &'static str,
    pub dose: u8,
    pub min_age: Span,
    /// 应在…前完成 (the standard's timeliness list): the age from which the dose is late; none where it sets
    /// no age.
    pub complete_by: Option<Span>,
    /// Minimum intervals after earlier doses: (vaccine, dose, interval).
    pub after: &'static [(&'static str, u8, Span)],
}

const fn s(
    vaccine: &'static str,
    dose: u8,
    min_age: Span,
    complete_by: Option<Span>,
    after: &'static [(&'static str, u8, Span)],
) -> ScheduleDose {
    ScheduleDose { vaccine, dose, min_age, complete_by, after }
}

use Span::{Days as D, Months as M};

/// The doses both editions share (all but DTaP and DT).
const COMMON: &[ScheduleDose] = &[
    // Within 24 hours: the day of birth or the next (doses are recorded by date, not hour).
    s("HepB", 1, D(0), Some(D(2)), &[]),
    s("HepB", 2, M(1), None, &[("HepB", 1, D(28))]),
    // ≥60 days after dose 2 [V], ≥4 months after dose 1 [P].
    s("HepB", 3, M(6), Some(M(12)), &[("HepB", 2, D(60)), ("HepB", 1, M(4))]),
    s("BCG", 1, D(0), Some(M(3)), &[]),
    s("IPV", 1, M(2), None, &[]),
    s("IPV", 2, M(3), None, &[("IPV", 1, D(28))]),
    // bOPV doses 1 and 2 are the polio series' third and fourth doses.
    s("bOPV", 1, M(4), Some(M(12)), &[("IPV", 2, D(28))]),
    s("bOPV", 2, M(48), Some(M(60)), &[("bOPV", 1, D(28))]),
    s("MMR", 1, M(8), Some(M(12)), &[]),
    s("MMR", 2, M(18), Some(M(24)), &[("MMR", 1, D(28))]),
    s("JE-L", 1, M(8), Some(M(12)), &[]),
    s("JE-L", 2, M(24), Some(M(36)), &[("JE-L", 1, M(12))]),
    s("JE-I", 1, M(8), None, &[]),
    s("JE-I", 2, M(8), Some(M(12)), &[("JE-I", 1, D(7))]),
    s("JE-I", 3, M(24), Some(M(36)), &[("JE-I", 2, M(1))]),
    s("JE-I", 4, M(72), Some(M(84)), &[("JE-I", 3, M(36))]),
    s("MPSV-A", 1, M(6), None, &[]),
    s("MPSV-A", 2, M(9), Some(M(18)), &[("MPSV-A", 1, M(3))]),
    s("MPSV-AC", 1, M(36), Some(M(48)), &[("MPSV-A", 2, M(12)), ("MPSV-A", 1, M(3))]),
    s("MPSV-AC", 2, M(72), Some(M(84)), &[("MPSV-AC", 1, M(36))]),
    s("HepA-L", 1, M(18), Some(M(24)), &[]),
    s("HepA-I", 1, M(18), Some(M(24)), &[]),
    s("HepA-I", 2, M(24), Some(M(36)), &[("HepA-I", 1, M(6))]),
];

const DTAP_2021: &[ScheduleDose] = &[
    s("DTaP", 1, M(3), None, &[]),
    s("DTaP", 2, M(4), None, &[("DTaP", 1, D(28))]),
    s("DTaP", 3, M(5), Some(M(12)), &[("DTaP", 2, D(28))]),
    s("DTaP", 4, M(18), Some(M(24)), &[("DTaP", 3, M(6))]),
    s("DT", 1, M(72), Some(M(84)), &[("DTaP", 4, M(12))]),
];

const DTAP_2025: &[ScheduleDose] = &[
    s("DTaP", 1, M(2), None, &[]),
    s("DTaP", 2, M(4), None, &[("DTaP", 1, D(28))]),
    s("DTaP", 3, M(6), Some(M(12)), &[("DTaP", 2, D(28))]),
    s("DTaP", 4, M(18), Some(M(24)), &[("DTaP", 3, M(6))]),
    s("DTaP", 5, M(72), Some(M(84)), &[("DTaP", 4, M(12))]),
];

/// One edition of the schedule and the day it took effect.
#[derive(Debug, Clone, Copy)]
pub struct ScheduleVersion {
    pub name: &'static str,
    pub effective_from: NaiveDate,
    pub parts: &'static [&'static [ScheduleDose]],
}

pub const VERSIONS: &[ScheduleVersion] = &[
    ScheduleVersion {
        name: "2021",
        effective_from: match NaiveDate::from_ymd_opt(2021, 1, 1) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
        parts: &[COMMON, DTAP_2021],
    },
    ScheduleVersion {
        name: "2025",
        effective_from: match NaiveDate::from_ymd_opt(2025, 1, 1) {
            Some(d) => d,
            None => NaiveDate::MIN,
        },
        parts: &[COMMON, DTAP_2025],
    },
];

impl ScheduleVersion {
    /// The edition in force on `date` (the oldest one before it took effect).
    pub fn on(date: NaiveDate) -> &'static ScheduleVersion {
        VERSIONS.iter().rev().find(|v| v.effective_from <= date).unwrap_or(&VERSIONS[0])
    }

    pub fn doses(&self) -> impl Iterator<Item = &'static ScheduleDose> {
        self.parts.iter().flat_map(|p| p.iter())
    }

    pub fn dose(&self, vaccine: &str, dose: u8) -> Option<&'static ScheduleDose> {
        self.doses().find(|d| d.vaccine == vaccine && d.dose == dose)
    }
}

/// The most doses of a vaccine in any edition (for the dose-number picker and the check).
pub fn max_dose(vaccine: &str) -> u8 {
    VERSIONS.iter().flat_map(|v| v.doses()).filter(|d| d.vaccine == vaccine).map(|d| d.dose).max().unwrap_or(0)
}
