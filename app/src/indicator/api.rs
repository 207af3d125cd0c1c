//! The indicators on the server: rollups kept per unit and period and recomputed only where entries changed,
//! the report of a node for the dashboards and the export, publishing a month, and the targets.
//!
//! Freshness: a rollup remembers the newest change-log seq of its villages when it was computed. Every write
//! appends to the change log (the sync pull reads it), so a village whose newest seq moved is stale, and so
//! is every unit above it. A stale village is recomputed from its data (the phone's counting over the pull's
//! copy); a stale township or county is the sum of its children. A county dashboard after one village synced
//! recomputes that village only.

use super::report::Report;
use crate::error::AppError;
use leptos::prelude::*;
use server_fn::codec::Json;

/// The report of `org_id` (the user's top node when None) for `period` ("2026-11", "2026-Q4", "2026", or
/// "2026-01-05~2026-02-01").
#[server(input = Json, prefix = "/api", endpoint = "indicator_report")]
pub async fn indicator_report(org_id: Option<String>, period: String) -> Result<Report, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            report_for(store()?.as_ref(), &user, org_id.as_deref(), &period, chrono::Utc::now().timestamp()).await
        }
        .await,
    )
}

/// Freezes the month's figures of `org_id` (each village not yet published), as sent in the monthly report.
#[server(input = Json, prefix = "/api", endpoint = "publish_report")]
pub async fn publish_report(org_id: String, period: String) -> Result<usize, AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            publish_for(store()?.as_ref(), &user, &org_id, &period, chrono::Utc::now().timestamp()).await
        }
        .await,
    )
}

/// Sets (or with None, resets to the default) a county target for a year; county administrators only.
#[server(input = Json, prefix = "/api", endpoint = "set_target")]
pub async fn set_target(year: i32, indicator: String, target: Option<f64>) -> Result<(), AppError> {
    use crate::auth::server::*;
    finish(
        async {
            let user = require_staff().await?;
            if user.role != crate::auth::Role::CountyAdmin {
                return Err(AppError::Forbidden);
            }
            if !(2000..=2100).contains(&year) || target.is_some_and(|t| !(0.0..=100.0).contains(&t) || !t.is_finite()) {
                return Err(AppError::field(
                    "target",
                    "目标值应为0–100之间的百分数",
                    "The target must be a percentage 0–100",
                ));
            }
            let known = super::DEFS.iter().chain(super::program::DEFS).any(|d| d.code == indicator)
                || indicator.strip_prefix("vax:").or(indicator.strip_prefix("vax_timely:")).is_some_and(|v| {
                    v.split_once(':').is_some_and(|(code, _)| crate::vaccination::schedule::vaccine(code).is_some())
                });
            if !known {
                return Err(AppError::field("indicator", "未知指标", "Unknown indicator"));
            }
            let store = store()?;
            let tree = super::report::Tree::new(store.org_units().await?);
            let village = user.villages.first().ok_or(AppError::Forbidden)?;
            let county = tree.county_of(&village.id).ok_or(AppError::Forbidden)?;
            store.set_target(&county.id, year, &indicator, target).await
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub use imp::*;

#[cfg(feature = "ssr")]
mod imp {
    use super::super::report::{ChildReport, OrgRef, OrgUnit, Published, Report, Rollup, Snapshot, Tree};
    use super::super::{count_resident, count_village_record, rows, Counts, Period};
    use crate::auth::{Role, SessionUser};
    use crate::error::AppError;
    use crate::store::Store;
    use chrono::Datelike;
    use std::collections::{HashMap, HashSet};

    /// The node a user's reports start from: the county or township of their account, or a doctor's first
    /// village.
    pub fn top_node<'a>(tree: &'a Tree, user: &SessionUser) -> Option<&'a OrgUnit> {
        let village = user.villages.first()?;
        let level = match user.role {
            Role::CountyAdmin => "county",
            Role::TownshipManager => "township",
            _ => "village",
        };
        tree.ancestors(&village.id).into_iter().find(|u| u.level == level)
    }

    /// The unit `org_id` if every village under it is in the user's scope.
    pub fn in_scope<'a>(tree: &'a Tree, user: &SessionUser, org_id: &str) -> Result<&'a OrgUnit, AppError> {
        let unit = tree.get(org_id).ok_or(AppError::NotFound)?;
        let villages = tree.villages(org_id);
        if villages.is_empty() || !villages.iter().all(|v| user.can_access_village(v)) {
            tracing::warn!(user = %user.username, org_id, "out-of-scope report refused");
            return Err(AppError::Forbidden);
        }
        Ok(unit)
    }

    pub fn parse_period(key: &str) -> Result<Period, AppError> {
        Period::parse(key).ok_or_else(|| {
            AppError::field(
                "period",
                "统计期应为年（2026）、季度（2026-Q4）、月份（2026-11）或起止日期（2026-01-01~2026-03-31）",
                "The period must be a year (2026), a quarter (2026-Q4), a month (2026-11) or a range (2026-01-01~2026-03-31)",
            )
        })
    }

    /// Counters of every (unit, period) asked, from fresh rollups where they exist; stale ones are recomputed
    /// (villages from their data, units above as sums) and stored.
    ///
    /// A rollup is stamped with the newest seq of the whole change log when it was computed or last found
    /// fresh. Stamped with today's newest seq, it is fresh without looking further (the fast path a dashboard
    /// takes once the refresher has run); otherwise it is fresh when none of its villages changed after its
    /// stamp, which one grouped read of the change log tells.
    pub async fn counts_of(
        store: &dyn Store,
        tree: &Tree,
        org_ids: &[String],
        periods: &[Period],
        now: i64,
    ) -> Result<HashMap<(String, String), Counts>, AppError> {
        let keys: Vec<String> = periods.iter().map(|p| p.key()).collect();
        let global = store.max_change_seq().await?;
        let asked = store.rollups(org_ids, &keys).await?;
        if asked.len() == org_ids.len() * keys.len() && asked.iter().all(|r| r.seq == global) {
            return Ok(asked.into_iter().map(|r| ((r.org_id, r.period), r.counts)).collect());
        }
        let villages_of: HashMap<&String, Vec<String>> = org_ids.iter().map(|o| (o, tree.villages(o))).collect();
        let mut all_villages: Vec<String> =
            villages_of.values().flatten().cloned().collect::<HashSet<_>>().into_iter().collect();
        all_villages.sort();
        let seqs = store.change_seqs(&all_villages).await?;
        let newest = |villages: &[String]| villages.iter().filter_map(|v| seqs.get(v)).copied().max().unwrap_or(0);
        let mut fresh: HashMap<(String, String), Counts> = HashMap::new();
        let mut restamp: Vec<(String, String)> = Vec::new();
        let mut take = |r: Rollup, villages: &[String], fresh: &mut HashMap<(String, String), Counts>| {
            if newest(villages) <= r.seq {
                if r.seq != global {
                    restamp.push((r.org_id.clone(), r.period.clone()));
                }
                fresh.insert((r.org_id, r.period), r.counts);
            }
        };
        for r in asked {
            let v = villages_of[&r.org_id].clone();
            take(r, &v, &mut fresh);
        }
        let done = |o: &String, fresh: &HashMap<(String, String), Counts>| {
            keys.iter().all(|k| fresh.contains_key(&(o.clone(), k.clone())))
        };
        let stale_units: Vec<&String> = org_ids.iter().filter(|o| !done(o, &fresh)).collect();
        // The villages under stale units: fresh rollups where they have them, recomputed where not.
        let mut under: Vec<String> = stale_units.iter().flat_map(|o| villages_of[*o].iter().cloned()).collect();
        under.sort();
        under.dedup();
        under.retain(|v| !done(v, &fresh));
        for r in store.rollups(&under, &keys).await? {
            let v = vec![r.org_id.clone()];
            take(r, &v, &mut fresh);
        }
        let mut saved: Vec<Rollup> = Vec::new();
        let todo: Vec<String> = under.iter().filter(|v| !done(v, &fresh)).cloned().collect();
        for v in &todo {
            let counts = village_counts(store, v, periods).await?;
            for (k, c) in keys.iter().zip(counts) {
                saved.push(Rollup { org_id: v.clone(), period: k.clone(), seq: global, counts: c.clone() });
                fresh.insert((v.clone(), k.clone()), c);
            }
        }
        for o in stale_units {
            let villages = &villages_of[o];
            let missing: Vec<&String> =
                keys.iter().filter(|k| !fresh.contains_key(&(o.clone(), (*k).clone()))).collect();
            for k in missing {
                let mut sum = Counts::default();
                for v in villages {
                    if let Some(c) = fresh.get(&(v.clone(), k.clone())) {
                        sum.merge(c);
                    }
                }
                saved.push(Rollup { org_id: o.clone(), period: k.clone(), seq: global, counts: sum.clone() });
                fresh.insert((o.clone(), k.clone()), sum);
            }
        }
        store.save_rollups(&saved, &restamp, global, now).await?;
        Ok(org_ids
            .iter()
            .flat_map(|o| keys.iter().map(move |k| (o.clone(), k.clone())))
            .filter_map(|key| fresh.get(&key).map(|c| (key, c.clone())))
            .collect())
    }

    /// Brings every unit's rollups of this year's standard periods (each month so far, each quarter so far,
    /// the year) up to date: what the server runs in the background after entries arrive, so dashboards read
    /// stored figures. Returns how many (unit, period) figures it holds.
    pub async fn refresh(store: &dyn Store, now: i64) -> Result<usize, AppError> {
        let tree = Tree::new(store.org_units().await?);
        let today = today(now);
        let mut periods = Period::months_until(today.year(), today);
        periods.extend((1..=today.month0() / 3 + 1).filter_map(|q| Period::quarter(today.year(), q)));
        periods.extend(Period::year(today.year()));
        let mut units: Vec<String> = tree.all_ids();
        units.sort();
        Ok(counts_of(store, &tree, &units, &periods, now).await?.len())
    }

    /// One village's counters for each period, from its data as a phone holds it: one walk over the
    /// residents, each history counted for every period.
    pub async fn village_counts(store: &dyn Store, village: &str, periods: &[Period]) -> Result<Vec<Counts>, AppError> {
        let data = crate::task::api::local_copy(store, &[village.to_string()]).await?;
        let system = SessionUser {
            id: String::new(),
            username: String::new(),
            display_name: String::new(),
            role: Role::CountyAdmin,
            org_name: String::new(),
            villages: vec![],
            resident_id: None,
        };
        // One read of the views over the span of the periods, split by period here.
        let (Some(first), Some(last)) = (periods.iter().map(|p| p.start).min(), periods.iter().map(|p| p.end).max())
        else {
            return Ok(vec![]);
        };
        let views = store.record_views(&[village.to_string()], first, last).await?;
        let viewers: Vec<HashSet<uuid::Uuid>> = periods
            .iter()
            .map(|p| views.iter().filter(|(_, day)| p.contains(*day)).map(|(id, _)| *id).collect())
            .collect();
        let mut out = vec![Counts::default(); periods.len()];
        data.for_each_history(&system, |h| {
            for ((p, c), seen) in periods.iter().zip(out.iter_mut()).zip(&viewers) {
                count_resident(h, p, seen.contains(&h.resident.id), c);
            }
        });
        for (r, received) in data.village_records_received() {
            for (p, c) in periods.iter().zip(out.iter_mut()) {
                count_village_record(r, p, c);
                super::super::program::count_report(r, received, p, c);
            }
        }
        Ok(out)
    }

    /// The report of a node for a user (the dashboard, the export).
    pub async fn report_for(
        store: &dyn Store,
        user: &SessionUser,
        org_id: Option<&str>,
        period: &str,
        now: i64,
    ) -> Result<Report, AppError> {
        let period = parse_period(period)?;
        let tree = Tree::new(store.org_units().await?);
        let top = top_node(&tree, user).ok_or(AppError::Forbidden)?;
        let node = in_scope(&tree, user, org_id.unwrap_or(&top.id))?;
        let children: Vec<&OrgUnit> = tree.children(&node.id);
        let year = period.end.year();
        let months: Vec<Period> = Period::months_until(year, period.end.min(today(now)));
        let mut periods = vec![period];
        periods.extend(months.iter().filter(|m| **m != period));
        let mut ids: Vec<String> = vec![node.id.clone()];
        ids.extend(children.iter().map(|c| c.id.clone()));
        let counts = counts_of(store, &tree, &ids, &periods, now).await?;
        let populations = store.populations(year).await?;
        let population_of = |id: &str| -> Option<u64> {
            let v = tree.villages(id);
            let known: Vec<u64> = v.iter().filter_map(|v| populations.get(v)).copied().collect();
            (!known.is_empty()).then(|| known.iter().sum())
        };
        let county = tree.county_of(&node.id).map(|c| c.id.clone()).unwrap_or_default();
        let targets = store.targets(&county, year).await?;
        let key = period.key();
        let rows_of = |id: &str, k: &str| {
            rows(
                counts.get(&(id.to_string(), k.to_string())).unwrap_or(&Counts::default()),
                population_of(id),
                &targets,
            )
        };
        let snapshots = store.snapshots(&tree.villages(&node.id), &key).await?;
        let published = (!snapshots.is_empty()).then(|| {
            let mut c = Counts::default();
            let mut pop: Option<u64> = None;
            for s in &snapshots {
                c.merge(&s.counts);
                if let Some(p) = s.population {
                    pop = Some(pop.unwrap_or(0) + p);
                }
            }
            let last = snapshots.iter().max_by_key(|s| s.published_at);
            Published {
                at: last.map(|s| crate::visit::local_time(s.published_at)).unwrap_or_default(),
                by: last.map(|s| s.published_by.clone()).unwrap_or_default(),
                rows: rows(&c, pop, &targets),
            }
        });
        let all_published = snapshots.len() == tree.villages(&node.id).len();
        let doctors = if node.level == "village" {
            store.doctor_work(std::slice::from_ref(&node.id), period.start, period.end).await?
        } else {
            vec![]
        };
        Ok(Report {
            node: OrgRef::of(node),
            path: tree.ancestors(&node.id).into_iter().skip_while(|u| u.id != top.id).map(OrgRef::of).collect(),
            period: key.clone(),
            rows: rows_of(&node.id, &key),
            children: children.iter().map(|c| ChildReport { org: OrgRef::of(c), rows: rows_of(&c.id, &key) }).collect(),
            doctors,
            trend: months.iter().map(|m| (m.key(), rows_of(&node.id, &m.key()))).collect(),
            published,
            can_publish: period.is_month()
                && !all_published
                && user.role != Role::VillageDoctor
                && period.end < today(now),
        })
    }

    fn today(now: i64) -> chrono::NaiveDate {
        chrono::DateTime::from_timestamp(now, 0)
            .map(|t| t.with_timezone(&chrono::Local).date_naive())
            .unwrap_or_default()
    }

    /// Freezes a past month's figures for every village under `org_id` not yet published.
    pub async fn publish_for(
        store: &dyn Store,
        user: &SessionUser,
        org_id: &str,
        period: &str,
        now: i64,
    ) -> Result<usize, AppError> {
        if user.role == Role::VillageDoctor {
            return Err(AppError::Forbidden);
        }
        let p = parse_period(period)?;
        if !p.is_month() || p.end >= today(now) {
            return Err(AppError::field("period", "只能发布已结束的月份", "Only a finished month can be published"));
        }
        let tree = Tree::new(store.org_units().await?);
        in_scope(&tree, user, org_id)?;
        let villages = tree.villages(org_id);
        let done: HashSet<String> = store.snapshots(&villages, &p.key()).await?.into_iter().map(|s| s.org_id).collect();
        let todo: Vec<String> = villages.into_iter().filter(|v| !done.contains(v)).collect();
        let counts = counts_of(store, &tree, &todo, &[p], now).await?;
        let populations = store.populations(p.end.year()).await?;
        let rows: Vec<Snapshot> = todo
            .iter()
            .map(|v| Snapshot {
                org_id: v.clone(),
                period: p.key(),
                counts: counts.get(&(v.clone(), p.key())).cloned().unwrap_or_default(),
                population: populations.get(v).copied(),
                published_by: user.display_name.clone(),
                published_at: now,
            })
            .collect();
        store.publish(&rows).await?;
        Ok(rows.len())
    }
}
