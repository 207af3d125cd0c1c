//! What a dashboard and the monthly report show of one node of the hierarchy: its rows, its children's rows
//! (villages of a township, townships of a county), the months of the year for the trend, and the figures
//! published for the period, with the tree the drill-down walks.

use super::{Counts, Row};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A unit of the hierarchy as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: String,
    pub parent_id: Option<String>,
    /// "county", "township" or "village".
    pub level: String,
    pub code: String,
    pub name: String,
}

/// A node a report names and links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
    pub level: String,
}

impl OrgRef {
    pub fn of(u: &OrgUnit) -> Self {
        OrgRef { id: u.id.clone(), name: u.name.clone(), level: u.level.clone() }
    }

    pub fn level_label(&self, zh: bool) -> &'static str {
        match (self.level.as_str(), zh) {
            ("county", true) => "县",
            ("county", false) => "County",
            ("township", true) => "乡镇",
            ("township", false) => "Township",
            (_, true) => "村",
            (_, false) => "Village",
        }
    }
}

/// The rows of one child node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildReport {
    pub org: OrgRef,
    pub rows: Vec<Row>,
}

/// A doctor of a village with the entries they made in the period (the drill-down's step before the entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoctorWork {
    pub user_id: String,
    pub name: String,
    pub visits: u64,
    pub records: u64,
}

/// Figures published (frozen) for the period, and who published them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    pub at: String,
    pub by: String,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub node: OrgRef,
    /// From the user's top node down to `node`.
    pub path: Vec<OrgRef>,
    pub period: String,
    pub rows: Vec<Row>,
    pub children: Vec<ChildReport>,
    pub doctors: Vec<DoctorWork>,
    /// (month key, rows) for each month of the period's year up to its end.
    pub trend: Vec<(String, Vec<Row>)>,
    pub published: Option<Published>,
    /// The user may publish this period's figures (a month not yet published, by a manager).
    pub can_publish: bool,
}

impl Report {
    /// The row `code` of a list of rows.
    pub fn row<'a>(rows: &'a [Row], code: &str) -> Option<&'a Row> {
        rows.iter().find(|r| r.code == code)
    }
}

/// The hierarchy, for walking down from a node and up to its county.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    units: HashMap<String, OrgUnit>,
    children: HashMap<String, Vec<String>>,
}

impl Tree {
    pub fn new(units: Vec<OrgUnit>) -> Self {
        let mut children: HashMap<String, Vec<String>> = HashMap::new();
        for u in &units {
            if let Some(p) = &u.parent_id {
                children.entry(p.clone()).or_default().push(u.id.clone());
            }
        }
        let units: HashMap<String, OrgUnit> = units.into_iter().map(|u| (u.id.clone(), u)).collect();
        for list in children.values_mut() {
            list.sort_by(|a, b| units[a].code.cmp(&units[b].code));
        }
        Tree { units, children }
    }

    pub fn get(&self, id: &str) -> Option<&OrgUnit> {
        self.units.get(id)
    }

    pub fn children(&self, id: &str) -> Vec<&OrgUnit> {
        self.children.get(id).map(|c| c.iter().filter_map(|i| self.units.get(i)).collect()).unwrap_or_default()
    }

    /// The villages at or under `id`, in code order.
    pub fn villages(&self, id: &str) -> Vec<String> {
        let Some(u) = self.units.get(id) else { return vec![] };
        if u.level == "village" {
            return vec![u.id.clone()];
        }
        self.children(id).iter().flat_map(|c| self.villages(&c.id)).collect()
    }

    /// `id` and its ancestors, top first.
    pub fn ancestors(&self, id: &str) -> Vec<&OrgUnit> {
        let mut out = Vec::new();
        let mut at = self.units.get(id);
        while let Some(u) = at {
            out.push(u);
            at = u.parent_id.as_deref().and_then(|p| self.units.get(p));
        }
        out.reverse();
        out
    }

    /// Every unit's id.
    pub fn all_ids(&self) -> Vec<String> {
        self.units.keys().cloned().collect()
    }

    /// The county `id` belongs to.
    pub fn county_of(&self, id: &str) -> Option<&OrgUnit> {
        self.ancestors(id).into_iter().find(|u| u.level == "county")
    }
}

/// A rollup as stored: the counters of one unit and period, and the change-log position they reflect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rollup {
    pub org_id: String,
    pub period: String,
    pub seq: i64,
    pub counts: Counts,
}

/// A published village figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub org_id: String,
    pub period: String,
    pub counts: Counts,
    pub population: Option<u64>,
    pub published_by: String,
    pub published_at: i64,
}
