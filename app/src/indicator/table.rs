//! The report and the review list as tables with Chinese headers: what the `.xlsx` and `.csv` exports write,
//! built from the same rows the screen shows, so the numbers agree by construction.

use super::report::Report;
use super::Row;
use crate::quality::QualityFindings;
use crate::review::{kind_label, ReviewItem};

/// A cell: text or a number (written as a number, so a spreadsheet can sum it).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    Empty,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

const INDICATOR_HEADER: [&str; 6] = ["指标", "分子", "分母", "率(%)", "目标(%)", "是否达标"];

fn indicator_cells(r: &Row) -> Vec<Cell> {
    vec![
        Cell::Text(r.zh.clone()),
        Cell::Num(r.num as f64),
        r.den.map_or(Cell::Empty, |d| Cell::Num(d as f64)),
        r.rate().map_or(Cell::Empty, Cell::Num),
        r.target.map_or(Cell::Empty, Cell::Num),
        match r.met() {
            Some(true) => Cell::Text("达标".into()),
            Some(false) => Cell::Text("未达标".into()),
            None => Cell::Empty,
        },
    ]
}

/// The monthly report: the node's indicators, each child's, the months of the year, and the published
/// figures when there are any.
pub fn report_sheets(r: &Report) -> Vec<Sheet> {
    let mut sheets = vec![Sheet {
        name: "汇总".into(),
        header: INDICATOR_HEADER.to_vec(),
        rows: r.rows.iter().map(indicator_cells).collect(),
    }];
    if !r.children.is_empty() {
        let mut header = vec!["单位"];
        header.extend(INDICATOR_HEADER);
        sheets.push(Sheet {
            name: "分单位".into(),
            header,
            rows: r
                .children
                .iter()
                .flat_map(|c| {
                    c.rows.iter().map(|row| {
                        let mut cells = vec![Cell::Text(c.org.name.clone())];
                        cells.extend(indicator_cells(row));
                        cells
                    })
                })
                .collect(),
        });
    }
    let mut header = vec!["月份"];
    header.extend(INDICATOR_HEADER);
    sheets.push(Sheet {
        name: "月度趋势".into(),
        header,
        rows: r
            .trend
            .iter()
            .flat_map(|(month, rows)| {
                rows.iter().map(move |row| {
                    let mut cells = vec![Cell::Text(month.clone())];
                    cells.extend(indicator_cells(row));
                    cells
                })
            })
            .collect(),
    });
    if let Some(p) = &r.published {
        sheets.push(Sheet {
            name: "已发布".into(),
            header: INDICATOR_HEADER.to_vec(),
            rows: p.rows.iter().map(indicator_cells).collect(),
        });
    }
    sheets
}

/// The CSV of a report: the node's rows then each child's, in one table with the unit named.
pub fn report_csv_rows(r: &Report) -> Sheet {
    let mut header = vec!["单位"];
    header.extend(INDICATOR_HEADER);
    let mut rows = Vec::new();
    for (name, list) in
        std::iter::once((&r.node.name, &r.rows)).chain(r.children.iter().map(|c| (&c.org.name, &c.rows)))
    {
        for row in list {
            let mut cells = vec![Cell::Text(name.clone())];
            cells.extend(indicator_cells(row));
            rows.push(cells);
        }
    }
    Sheet { name: r.node.name.clone(), header, rows }
}

/// The review queue as a list.
pub fn review_sheet(items: &[ReviewItem]) -> Sheet {
    Sheet {
        name: "审核列表".into(),
        header: vec!["服务日期", "居民", "村", "医生", "类别", "版本", "审核状态", "居民签字", "居民确认", "审核意见"],
        rows: items
            .iter()
            .map(|i| {
                vec![
                    Cell::Text(i.date.to_string()),
                    Cell::Text(i.resident_name.clone()),
                    Cell::Text(i.village_name.clone()),
                    Cell::Text(i.author_name.clone()),
                    Cell::Text(kind_label(&i.kind, true)),
                    Cell::Num(i.revision as f64),
                    Cell::Text(i.state.label(true).to_string()),
                    Cell::Text(if i.signed { "是" } else { "否" }.to_string()),
                    Cell::Text(match i.resident_answer {
                        Some(a) if i.resident_note.is_empty() => a.label(true).to_string(),
                        Some(a) => format!("{}：{}", a.label(true), i.resident_note),
                        None => String::new(),
                    }),
                    Cell::Text(i.comment.clone()),
                ]
            })
            .collect(),
    }
}

/// The quality findings: the flagged follow-ups, and the verification sample with its outcomes.
pub fn quality_sheets(q: &QualityFindings) -> Vec<Sheet> {
    let text = |s: &str| Cell::Text(s.to_string());
    vec![
        Sheet {
            name: "核查问题".into(),
            header: vec!["问题", "服务日期", "居民", "村", "医生", "说明"],
            rows: q
                .flags
                .iter()
                .map(|f| {
                    vec![
                        text(f.kind.label(true)),
                        Cell::Text(f.date.to_string()),
                        text(&f.resident_name),
                        text(&f.village_name),
                        text(&f.author_name),
                        text(&f.detail),
                    ]
                })
                .collect(),
        },
        Sheet {
            name: "电话抽查".into(),
            header: vec!["服务日期", "居民", "电话", "村", "医生", "类别", "结果", "备注"],
            rows: q
                .sample
                .iter()
                .map(|v| {
                    vec![
                        Cell::Text(v.date.to_string()),
                        text(&v.resident_name),
                        text(&v.phone),
                        text(&v.village_name),
                        text(&v.author_name),
                        Cell::Text(kind_label(&v.kind, true)),
                        v.outcome.map_or(Cell::Empty, |o| text(o.label(true))),
                        text(&v.note),
                    ]
                })
                .collect(),
        },
    ]
}

impl Cell {
    /// As CSV and screen text: numbers without a trailing ".0".
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Num(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Cell::Num(n) => format!("{n}"),
            Cell::Empty => String::new(),
        }
    }
}
