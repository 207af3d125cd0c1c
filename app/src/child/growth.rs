//! Growth and anaemia (§2): weight and length/height graded 上/中/下 against per-sex SD tables shipped as data
//! (the growth standard NHC selected, WS/T 423-2022), the 体格发育评价 (低体重, 消瘦, 生长迟缓, 超重/肥胖) and the
//! anaemia grades of haemoglobin.

use super::*;

/// 贫血 grade [U, configurable].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnaemiaGrade {
    /// 轻度
    Mild,
    /// 中度
    Moderate,
    /// 重度
    Severe,
}

impl AnaemiaGrade {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (AnaemiaGrade::Mild, true) => "轻度贫血",
            (AnaemiaGrade::Mild, false) => "Mild anaemia",
            (AnaemiaGrade::Moderate, true) => "中度贫血",
            (AnaemiaGrade::Moderate, false) => "Moderate anaemia",
            (AnaemiaGrade::Severe, true) => "重度贫血",
            (AnaemiaGrade::Severe, false) => "Severe anaemia",
        }
    }
}

/// Anaemia thresholds in g/L for children from 6 months to 6 years: anaemia below `anaemia_below`, moderate
/// below `moderate_below`, severe below `severe_below`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnaemiaConfig {
    pub anaemia_below: f64,
    pub moderate_below: f64,
    pub severe_below: f64,
}

/// Hb < 110 g/L [P: partly verified]; 轻 90–109, 中 60–89, 重 < 60 [U: unverified].
pub const ANAEMIA: AnaemiaConfig = AnaemiaConfig { anaemia_below: 110.0, moderate_below: 90.0, severe_below: 60.0 };

impl Default for AnaemiaConfig {
    fn default() -> Self {
        ANAEMIA
    }
}

impl AnaemiaConfig {
    /// The grade of a haemoglobin in g/L; None when it is not anaemia.
    pub fn grade(&self, hb: f64) -> Option<AnaemiaGrade> {
        if hb >= self.anaemia_below {
            None
        } else if hb >= self.moderate_below {
            Some(AnaemiaGrade::Mild)
        } else if hb >= self.severe_below {
            Some(AnaemiaGrade::Moderate)
        } else {
            Some(AnaemiaGrade::Severe)
        }
    }
}

/// One row of a growth-standard table: the values at −3SD … +3SD for one sex at one age (months) or one
/// length/height (cm).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SdRow {
    pub m3sd: f64,
    pub m2sd: f64,
    pub m1sd: f64,
    pub median: f64,
    pub p1sd: f64,
    pub p2sd: f64,
    pub p3sd: f64,
}

impl SdRow {
    pub fn values(&self) -> [f64; 7] {
        [self.m3sd, self.m2sd, self.m1sd, self.median, self.p1sd, self.p2sd, self.p3sd]
    }
}

/// 上 / 中 / 下 of one measurement: above M+2SD / within ±2SD (both limits included) / below M−2SD [U: unverified].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 上
    Upper,
    /// 中
    Middle,
    /// 下
    Lower,
}

impl Grade {
    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (Grade::Upper, true) => "上",
            (Grade::Upper, false) => "Above +2SD",
            (Grade::Middle, true) => "中",
            (Grade::Middle, false) => "Within ±2SD",
            (Grade::Lower, true) => "下",
            (Grade::Lower, false) => "Below −2SD",
        }
    }
}

pub fn grade(value: f64, row: &SdRow) -> Grade {
    if value > row.p2sd {
        Grade::Upper
    } else if value < row.m2sd {
        Grade::Lower
    } else {
        Grade::Middle
    }
}

/// 体格发育评价. The 3–6 y paper form has no 肥胖 box; the form ticks 超重 for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// 正常
    Normal,
    /// 低体重: weight-for-age < M−2SD
    Underweight,
    /// 生长迟缓: length/height-for-age < M−2SD
    Stunted,
    /// 消瘦: weight-for-length/height < M−2SD
    Wasted,
    /// 超重: weight-for-length/height > M+1SD
    Overweight,
    /// 肥胖: weight-for-length/height > M+2SD
    Obese,
}

impl Assessment {
    pub fn label(self, zh: bool) -> &'static str {
        let (z, e) = match self {
            Assessment::Normal => ("正常", "Normal"),
            Assessment::Underweight => ("低体重", "Underweight"),
            Assessment::Stunted => ("生长迟缓", "Stunted"),
            Assessment::Wasted => ("消瘦", "Wasted"),
            Assessment::Overweight => ("超重", "Overweight"),
            Assessment::Obese => ("肥胖", "Obese"),
        };
        if zh {
            z
        } else {
            e
        }
    }
}

/// The growth findings from up to three measurements, each with its standard row: weight-for-age,
/// length/height-for-age, weight-for-length/height [P P15]. `Normal` alone when something was measured and
/// nothing found; empty when nothing was measured. 肥胖 replaces 超重 (never both).
pub fn assess(
    weight_for_age: Option<(f64, &SdRow)>,
    height_for_age: Option<(f64, &SdRow)>,
    weight_for_height: Option<(f64, &SdRow)>,
) -> Vec<Assessment> {
    let mut found = Vec::new();
    if weight_for_age.is_some_and(|(w, row)| w < row.m2sd) {
        found.push(Assessment::Underweight);
    }
    if height_for_age.is_some_and(|(h, row)| h < row.m2sd) {
        found.push(Assessment::Stunted);
    }
    if let Some((w, row)) = weight_for_height {
        if w < row.m2sd {
            found.push(Assessment::Wasted);
        } else if w > row.p2sd {
            found.push(Assessment::Obese);
        } else if w > row.p1sd {
            found.push(Assessment::Overweight);
        }
    }
    let measured = weight_for_age.is_some() || height_for_age.is_some() || weight_for_height.is_some();
    if found.is_empty() && measured {
        found.push(Assessment::Normal);
    }
    found
}

/// One row of a loaded table: sex, key (months or cm) and the SD values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SdEntry {
    pub sex: Sex,
    pub key: f64,
    pub row: SdRow,
}

/// A growth-standard table read from text, one row per line: `sex,key,-3sd,-2sd,-1sd,median,+1sd,+2sd,+3sd`.
/// Sex is `1`/`M` (male) or `2`/`F` (female); blank lines, `#` comments and a header line starting with `sex`
/// are skipped. Each sex's keys must rise, and each row's values from −3SD to +3SD.
#[derive(Debug, Clone, PartialEq)]
pub struct SdTable {
    rows: Vec<SdEntry>,
}

impl SdTable {
    pub fn parse(text: &str) -> Result<SdTable, String> {
        let mut rows: Vec<SdEntry> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') || line.to_ascii_lowercase().starts_with("sex") {
                continue;
            }
            let cells: Vec<&str> = line.split(',').map(str::trim).collect();
            if cells.len() != 9 {
                return Err(format!(
                    "line {n}: expected 9 fields (sex,key,-3sd,-2sd,-1sd,median,+1sd,+2sd,+3sd), found {}",
                    cells.len()
                ));
            }
            let sex = match cells[0].to_ascii_lowercase().as_str() {
                "1" | "m" => Sex::Male,
                "2" | "f" => Sex::Female,
                other => return Err(format!("line {n}: sex must be 1/M or 2/F, not {other:?}")),
            };
            let mut nums = [0.0_f64; 8];
            for (slot, cell) in nums.iter_mut().zip(&cells[1..]) {
                *slot = cell
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| format!("line {n}: {cell:?} is not a number"))?;
            }
            let row = SdRow {
                m3sd: nums[1],
                m2sd: nums[2],
                m1sd: nums[3],
                median: nums[4],
                p1sd: nums[5],
                p2sd: nums[6],
                p3sd: nums[7],
            };
            if row.values().windows(2).any(|w| w[0] >= w[1]) {
                return Err(format!("line {n}: the values must rise from -3SD to +3SD"));
            }
            let last_key = rows.iter().rev().find(|r| r.sex == sex).map(|r| r.key);
            if last_key.is_some_and(|k| k >= nums[0]) {
                return Err(format!("line {n}: keys must rise within each sex"));
            }
            rows.push(SdEntry { sex, key: nums[0], row });
        }
        if rows.is_empty() {
            return Err("the table has no rows".into());
        }
        Ok(SdTable { rows })
    }

    /// A table with no rows: nothing is graded against it.
    pub fn empty() -> SdTable {
        SdTable { rows: Vec::new() }
    }

    pub fn rows(&self) -> &[SdEntry] {
        &self.rows
    }

    /// The row for a sex at a key: the last row at or below the key (completed months, or the length/height
    /// rounded down to the table's step). None below the first row or beyond the last.
    pub fn row(&self, sex: Sex, key: f64) -> Option<&SdRow> {
        let max_key = self.rows.iter().filter(|r| r.sex == sex).map(|r| r.key).fold(f64::NEG_INFINITY, f64::max);
        if key > max_key {
            return None;
        }
        self.rows.iter().rev().find(|r| r.sex == sex && r.key <= key).map(|r| &r.row)
    }
}
