//! The health-day calendar (卫生健康日历, domain spec §4): themes a doctor can pick for a session, offered by
//! nearness to the session's date. Seed data; a province edits the list, not the code.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// When a health day falls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A fixed day (month, day).
    Day(u32, u32),
    /// A fixed week or span (from month/day to month/day, same year).
    Span((u32, u32), (u32, u32)),
    /// A whole month.
    Month(u32),
    /// The last given weekday of a month.
    Last(u32, Weekday),
    /// The n-th given weekday of a month.
    Nth(u32, u8, Weekday),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthDay {
    /// A stable code, kept with the sessions that picked it.
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub when: When,
}

const fn d(code: &'static str, zh: &'static str, en: &'static str, when: When) -> HealthDay {
    HealthDay { code, zh, en, when }
}

pub const HEALTH_DAYS: &[HealthDay] = &[
    d("leprosy", "世界防治麻风病日", "World Leprosy Day", When::Last(1, Weekday::Sun)),
    d("ear", "全国爱耳日", "National Ear Care Day", When::Day(3, 3)),
    d("sleep", "世界睡眠日", "World Sleep Day", When::Day(3, 21)),
    d("tb", "世界防治结核病日", "World Tuberculosis Day", When::Day(3, 24)),
    d("patriotic-health", "爱国卫生月", "Patriotic Health Month", When::Month(4)),
    d("who", "世界卫生日", "World Health Day", When::Day(4, 7)),
    d("cancer-week", "全国肿瘤防治宣传周", "Cancer Prevention Week", When::Span((4, 15), (4, 21))),
    d("immunization", "全国儿童预防接种日", "National Children's Immunization Day", When::Day(4, 25)),
    d("malaria", "全国疟疾日", "National Malaria Day", When::Day(4, 26)),
    d("nurses", "国际护士节", "International Nurses Day", When::Day(5, 12)),
    d("iodine", "碘缺乏病防治日", "Iodine Deficiency Day", When::Day(5, 15)),
    d("hypertension-world", "世界高血压日", "World Hypertension Day", When::Day(5, 17)),
    d("nutrition", "中国学生营养日/母乳喂养宣传日", "Student Nutrition / Breastfeeding Day", When::Day(5, 20)),
    d("no-tobacco", "世界无烟日", "World No Tobacco Day", When::Day(5, 31)),
    d("eye", "全国爱眼日", "National Eye Care Day", When::Day(6, 6)),
    d("blood-donor", "世界献血者日", "World Blood Donor Day", When::Day(6, 14)),
    d("drugs", "国际禁毒日", "International Day against Drug Abuse", When::Day(6, 26)),
    d("hepatitis", "世界肝炎日", "World Hepatitis Day", When::Day(7, 28)),
    d("breastfeeding-week", "世界母乳喂养周", "World Breastfeeding Week", When::Span((8, 1), (8, 7))),
    d("basic-phs-month", "基本公共卫生服务宣传月", "Basic Public Health Service Month", When::Month(9)),
    d("healthy-lifestyle", "全民健康生活方式日", "Healthy Lifestyle Day", When::Day(9, 1)),
    d("suicide", "世界预防自杀日", "World Suicide Prevention Day", When::Day(9, 10)),
    d("teeth", "全国爱牙日", "National Teeth Care Day", When::Day(9, 20)),
    d("alzheimer", "世界阿尔茨海默病日", "World Alzheimer's Day", When::Day(9, 21)),
    d("rabies", "世界狂犬病日", "World Rabies Day", When::Day(9, 28)),
    d("heart", "世界心脏日", "World Heart Day", When::Day(9, 29)),
    d("hypertension-national", "全国高血压日", "National Hypertension Day", When::Day(10, 8)),
    d("mental-health", "世界精神卫生日", "World Mental Health Day", When::Day(10, 10)),
    d("handwashing", "全球洗手日", "Global Handwashing Day", When::Day(10, 15)),
    d("osteoporosis", "世界骨质疏松日", "World Osteoporosis Day", When::Day(10, 20)),
    d("men", "男性健康日", "Men's Health Day", When::Day(10, 28)),
    d("diabetes", "联合国糖尿病日", "World Diabetes Day", When::Day(11, 14)),
    d("copd", "世界慢阻肺日", "World COPD Day", When::Nth(11, 3, Weekday::Wed)),
    d("aids", "世界艾滋病日", "World AIDS Day", When::Day(12, 1)),
];

pub fn by_code(code: &str) -> Option<&'static HealthDay> {
    HEALTH_DAYS.iter().find(|h| h.code == code)
}

impl HealthDay {
    /// The days it covers in `year` (first, last).
    pub fn span(&self, year: i32) -> Option<(NaiveDate, NaiveDate)> {
        let ymd = |m, d| NaiveDate::from_ymd_opt(year, m, d);
        match self.when {
            When::Day(m, d) => ymd(m, d).map(|x| (x, x)),
            When::Span((m1, d1), (m2, d2)) => Some((ymd(m1, d1)?, ymd(m2, d2)?)),
            When::Month(m) => {
                let first = ymd(m, 1)?;
                let next = if m == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { ymd(m + 1, 1)? };
                Some((first, next - Duration::days(1)))
            }
            When::Last(m, wd) => {
                let next = if m == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { ymd(m + 1, 1)? };
                let mut x = next - Duration::days(1);
                while x.weekday() != wd {
                    x -= Duration::days(1);
                }
                Some((x, x))
            }
            When::Nth(m, n, wd) => NaiveDate::from_weekday_of_month_opt(year, m, wd, n).map(|x| (x, x)),
        }
    }

    /// Days from `date` to the nearest day it covers (0 inside it), looking at this year and the next.
    pub fn distance(&self, date: NaiveDate) -> Option<i64> {
        [date.year() - 1, date.year(), date.year() + 1]
            .into_iter()
            .filter_map(|y| self.span(y))
            .map(|(a, b)| {
                if date < a {
                    (a - date).num_days()
                } else if date > b {
                    (date - b).num_days()
                } else {
                    0
                }
            })
            .min()
    }

    pub fn label(&self, zh: bool) -> &'static str {
        if zh {
            self.zh
        } else {
            self.en
        }
    }
}

/// Health days within `days` of `date`, nearest first: the themes offered for a session on that date.
pub fn near(date: NaiveDate, days: i64) -> Vec<&'static HealthDay> {
    let mut v: Vec<(i64, &HealthDay)> =
        HEALTH_DAYS.iter().filter_map(|h| h.distance(date).filter(|d| *d <= days).map(|d| (d, h))).collect();
    v.sort_by_key(|(d, h)| (*d, h.code));
    v.into_iter().map(|(_, h)| h).collect()
}
