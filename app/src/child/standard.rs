//! The growth standard in force, WS/T 423—2022 《7岁以下儿童生长标准》, shipped as data (`standard/*.csv`, one
//! file per table, parsed once) and read here as a child's growth at one check: each measurement's 上/中/下,
//! the 体格发育评价, and the curves the growth chart draws.
//!
//! Weight-for-length applies below 24 months (measured lying) and weight-for-height from 24 months (standing),
//! as the standard's two tables. Beyond the tables' last row (81 months) a measurement is not graded.

use super::*;
use std::sync::OnceLock;

const WEIGHT_FOR_AGE: &str = include_str!("standard/weight_for_age.csv");
const HEIGHT_FOR_AGE: &str = include_str!("standard/height_for_age.csv");
const WEIGHT_FOR_LENGTH: &str = include_str!("standard/weight_for_length.csv");
const WEIGHT_FOR_HEIGHT: &str = include_str!("standard/weight_for_height.csv");

/// Below this age (months) length is measured lying and weight-for-length applies.
pub const LENGTH_UNTIL_MONTHS: u32 = 24;

/// The four tables of the standard this build carries.
pub struct Standard {
    pub weight_for_age: SdTable,
    pub height_for_age: SdTable,
    pub weight_for_length: SdTable,
    pub weight_for_height: SdTable,
}

/// The standard, parsed on first use. The shipped files are checked by the tests, so a broken edit fails the
/// build's tests rather than a doctor's form; should one still not parse, it has no rows and nothing is graded.
pub fn standard() -> &'static Standard {
    static S: OnceLock<Standard> = OnceLock::new();
    S.get_or_init(|| {
        let table = |text| SdTable::parse(text).unwrap_or(SdTable::empty());
        Standard {
            weight_for_age: table(WEIGHT_FOR_AGE),
            height_for_age: table(HEIGHT_FOR_AGE),
            weight_for_length: table(WEIGHT_FOR_LENGTH),
            weight_for_height: table(WEIGHT_FOR_HEIGHT),
        }
    })
}

/// A child's growth at one check.
#[derive(Debug, Clone, PartialEq)]
pub struct Growth {
    pub weight: Option<Grade>,
    pub height: Option<Grade>,
    /// 体重/身高 (weight-for-length/height).
    pub weight_for_height: Option<Grade>,
    pub assessment: Vec<Assessment>,
}

/// Grades a check's weight (kg) and length/height (cm) of a child of `sex` born on `birth`, measured on `on`.
pub fn growth(sex: Sex, birth: NaiveDate, on: NaiveDate, weight: Option<f64>, height: Option<f64>) -> Growth {
    let s = standard();
    let months = age_months(birth, on);
    let wfa = weight.and_then(|w| s.weight_for_age.row(sex, f64::from(months)).map(|r| (w, r)));
    let hfa = height.and_then(|h| s.height_for_age.row(sex, f64::from(months)).map(|r| (h, r)));
    let by_height = if months < LENGTH_UNTIL_MONTHS { &s.weight_for_length } else { &s.weight_for_height };
    let wfh = match (weight, height) {
        (Some(w), Some(h)) => by_height.row(sex, h.floor()).map(|r| (w, r)),
        _ => None,
    };
    Growth {
        weight: wfa.map(|(w, r)| grade(w, r)),
        height: hfa.map(|(h, r)| grade(h, r)),
        weight_for_height: wfh.map(|(w, r)| grade(w, r)),
        assessment: assess(wfa, hfa, wfh),
    }
}

/// The weight-for-age curves of a sex up to `until_months`: (months, −2SD, median, +2SD), for the chart.
pub fn weight_curves(sex: Sex, until_months: u32) -> Vec<(f64, f64, f64, f64)> {
    standard()
        .weight_for_age
        .rows()
        .iter()
        .filter(|r| r.sex == sex && r.key <= f64::from(until_months))
        .map(|r| (r.key, r.row.m2sd, r.row.median, r.row.p2sd))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn the_shipped_tables_parse_whole_for_both_sexes() {
        for (name, text, rows) in [
            ("weight_for_age", WEIGHT_FOR_AGE, 44),
            ("height_for_age", HEIGHT_FOR_AGE, 44),
            ("weight_for_length", WEIGHT_FOR_LENGTH, 56),
            ("weight_for_height", WEIGHT_FOR_HEIGHT, 56),
        ] {
            let t = SdTable::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            for sex in [Sex::Male, Sex::Female] {
                assert_eq!(t.rows().iter().filter(|r| r.sex == sex).count(), rows, "{name} {sex:?}");
            }
        }
    }

    /// Rows read off the standard's tables (boys' weight-for-age at birth: −2SD 2.7, +2SD 4.3 kg).
    #[test]
    fn a_boy_at_birth_is_graded_against_the_birth_row() {
        let birth = d(2026, 1, 1);
        let g = |w| growth(Sex::Male, birth, birth, Some(w), None).weight;
        assert_eq!(
            (g(2.69), g(2.7), g(4.3), g(4.31)),
            (Some(Grade::Lower), Some(Grade::Middle), Some(Grade::Middle), Some(Grade::Upper))
        );
        let low = growth(Sex::Male, birth, birth, Some(2.6), None);
        assert_eq!(low.assessment, [Assessment::Underweight]);
    }

    #[test]
    fn weight_for_length_until_24_months_then_for_height() {
        let birth = d(2024, 1, 15);
        let s = standard();
        let (w, h) = (12.0, 86.4);
        let lying = growth(Sex::Female, birth, d(2026, 1, 14), Some(w), Some(h));
        let standing = growth(Sex::Female, birth, d(2026, 1, 15), Some(w), Some(h));
        let by = |t: &SdTable| grade(w, t.row(Sex::Female, 86.0).unwrap());
        assert_eq!(lying.weight_for_height, Some(by(&s.weight_for_length)));
        assert_eq!(standing.weight_for_height, Some(by(&s.weight_for_height)));
    }

    #[test]
    fn past_the_last_row_nothing_is_graded() {
        let g = growth(Sex::Female, d(2019, 1, 1), d(2026, 1, 1), Some(20.0), Some(115.0));
        assert_eq!((g.weight, g.height), (None, None));
    }
}
