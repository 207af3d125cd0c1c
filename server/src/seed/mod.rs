//! The demo county and large generated counties for benchmarks: deterministic (seeded ChaCha RNG), written
//! village by village in one transaction each, so even a 200,000-resident county never sits in memory.
//!
//! `people` makes households of plausible composition with valid synthetic ID numbers (GB 11643 check digit)
//! and key-population flags at plausible rates; `history` adds past hypertension follow-ups; `services` the
//! vaccination cards and 65+ checks; `contracts` the family-doctor contracts; `program` mothers, babies,
//! children's checks, TCM and reports.

mod contracts;
mod history;
mod names;
mod people;
mod program;
mod services;

use crate::db::SqlStore;
use anyhow::Context;
use app::visit::chronic::Disease;
use chrono::Datelike;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt;

/// Every demo login has this password.
pub const DEMO_PASSWORD: &str = "cunyi-demo";
const RESIDENTS_PER_VILLAGE: u32 = 200;

#[derive(Debug, Clone)]
pub struct Spec {
    pub residents: u32,
    pub years: u32,
    pub townships: u32,
    pub villages_per_township: u32,
    pub seed: u64,
}

impl Spec {
    /// 1 county, 3 townships, 12 villages, 2,400 residents, a year of follow-ups.
    pub fn demo() -> Spec {
        Spec { residents: 2_400, years: 1, townships: 3, villages_per_township: 4, seed: 2026 }
    }

    /// One township with one village of `residents` people: a single doctor's scope, for the benchmarks.
    pub fn one_village(residents: u32, years: u32) -> Spec {
        Spec { residents, years, townships: 1, villages_per_township: 1, seed: 7 }
    }

    /// A county of `residents` people: ~200 per village, 15 villages per township.
    pub fn scaled(residents: u32, years: u32) -> Spec {
        let villages = residents.div_ceil(RESIDENTS_PER_VILLAGE).max(1);
        let per = 15.min(villages);
        Spec { residents, years, townships: villages.div_ceil(per), villages_per_township: per, seed: 2026 }
    }
}

#[derive(Debug, Default)]
pub struct Stats {
    pub townships: u32,
    pub villages: u32,
    pub households: u64,
    pub residents: u64,
    pub adults: u64,
    pub htn: u64,
    pub t2dm: u64,
    pub elderly: u64,
    pub children: u64,
    pub visits: u64,
    /// Service records: children's doses, elderly checks, contracts with their deliveries, education sessions.
    pub records: u64,
    pub seconds: f64,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pct = |n: u64, d: u64| if d == 0 { 0.0 } else { n as f64 * 100.0 / d as f64 };
        write!(
            f,
            "seeded {} townships, {} villages, {} households, {} residents ({:.1}% of adults hypertensive, {:.1}% diabetic, \
             {:.1}% aged 65+, {} children 0-6), {} follow-ups, {} service records in {:.1}s",
            self.townships,
            self.villages,
            self.households,
            self.residents,
            pct(self.htn, self.adults),
            pct(self.t2dm, self.adults),
            pct(self.elderly, self.residents),
            self.children,
            self.visits,
            self.records,
            self.seconds
        )
    }
}

/// Loads the demo county unless the database already holds a county.
pub async fn demo_if_empty(store: &SqlStore) -> anyhow::Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units").fetch_one(&store.pool).await?;
    if n == 0 {
        let stats = generate(store, &Spec::demo()).await?;
        tracing::info!("{stats}");
    }
    Ok(())
}

pub(crate) fn uuid(rng: &mut ChaCha8Rng) -> String {
    uuid::Builder::from_random_bytes(rng.gen()).into_uuid().to_string()
}

/// A demo account with its villages or org unit.
struct Account<'a> {
    username: String,
    display: String,
    role: &'a str,
    org_id: Option<String>,
    villages: Vec<String>,
}

pub async fn generate(store: &SqlStore, spec: &Spec) -> anyhow::Result<Stats> {
    let started = std::time::Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let now = chrono::Utc::now().timestamp();
    let today = chrono::Local::now().date_naive();
    let pool = &store.pool;
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units").fetch_one(pool).await?;
    anyhow::ensure!(existing == 0, "the database already holds a county; seed into an empty database");
    // One hash for every demo account: same password, and hashing thousands would dominate the run.
    let hash = crate::db::hash_password(DEMO_PASSWORD)?;

    let county_id = uuid(&mut rng);
    let mut tx = pool.begin().await?;
    insert_org(&mut tx, &county_id, None, "county", names::COUNTY_CODE, names::COUNTY).await?;
    let mut accounts = vec![Account {
        username: "county".into(),
        display: format!("{}卫健委", names::COUNTY),
        role: "county_admin",
        org_id: Some(county_id.clone()),
        villages: vec![],
    }];
    let mut villages = Vec::new();
    for t in 0..spec.townships {
        let tid = uuid(&mut rng);
        let tname = names::TOWNSHIPS.get(t as usize).map(|s| s.to_string()).unwrap_or_else(|| format!("第{}乡", t + 1));
        insert_org(&mut tx, &tid, Some(&county_id), "township", &format!("{}{:03}", names::COUNTY_CODE, t + 1), &tname)
            .await?;
        accounts.push(Account {
            username: format!("township{}", t + 1),
            display: format!("{tname}卫生院"),
            role: "township_manager",
            org_id: Some(tid.clone()),
            villages: vec![],
        });
        for v in 0..spec.villages_per_township {
            let idx = villages.len();
            let vid = uuid(&mut rng);
            let vname = names::VILLAGES.get(idx).map(|s| s.to_string()).unwrap_or_else(|| format!("第{}村", idx + 1));
            let code = format!("{}{:03}{:03}", names::COUNTY_CODE, t + 1, 101 + v);
            insert_org(&mut tx, &vid, Some(&tid), "village", &code, &vname).await?;
            villages.push((vid, code, t));
        }
    }
    // doctor1, doctor2: villages 1 and 2 of the first township; doctor3: the first village of the second;
    // the rest get a doctor each, the last of the first township's doctors holding two villages.
    let mut doctor_of = vec![String::new(); villages.len()];
    let first_of_second = villages.iter().position(|v| v.2 == 1);
    let mut order: Vec<usize> = vec![0];
    if villages.len() > 1 {
        order.push(1);
    }
    order.extend(first_of_second);
    order.extend(0..villages.len());
    let mut n = 0;
    for i in order {
        if !doctor_of[i].is_empty() {
            continue;
        }
        n += 1;
        let mut vs = vec![i];
        // Give doctor4 two villages to exercise a doctor with several villages.
        if n == 4 && i + 1 < villages.len() && villages[i + 1].2 == villages[i].2 && doctor_of[i + 1].is_empty() {
            vs.push(i + 1);
        }
        let username = format!("doctor{n}");
        for &v in &vs {
            doctor_of[v] = username.clone();
        }
        let display = format!("{}医生", people::person_name(&mut rng, true));
        accounts.push(Account {
            username,
            display,
            role: "village_doctor",
            org_id: None,
            villages: vs.iter().map(|&v| villages[v].0.clone()).collect(),
        });
    }
    let mut user_ids = std::collections::HashMap::new();
    // Residents call their village doctor from their own record: each demo doctor has a (synthetic) mobile
    // number, made from the account number rather than drawn, so the rest of the demo data stays the same.
    let phone = |a: &Account| {
        a.username.strip_prefix("doctor").and_then(|n| n.parse::<u32>().ok()).map(|n| format!("1390000{n:04}"))
    };
    let names: std::collections::HashMap<String, String> =
        accounts.iter().map(|a| (a.username.clone(), a.display.clone())).collect();
    for a in &accounts {
        let id = uuid(&mut rng);
        sqlx::query(
            "INSERT INTO users (id, username, password_hash, display_name, role, org_id, phone, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
        )
        .bind(&id)
        .bind(&a.username)
        .bind(&hash)
        .bind(&a.display)
        .bind(a.role)
        .bind(&a.org_id)
        .bind(phone(a))
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for v in &a.villages {
            sqlx::query("INSERT INTO user_villages (user_id, village_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(v)
                .execute(&mut *tx)
                .await?;
        }
        user_ids.insert(a.username.clone(), id);
    }
    tx.commit().await?;

    let mut stats = Stats { townships: spec.townships, villages: villages.len() as u32, ..Default::default() };
    let mut ids = people::IdRegistry::default();
    let per_village = spec.residents / villages.len() as u32;
    let extra = spec.residents % villages.len() as u32;
    for (i, (vid, code, _)) in villages.iter().enumerate() {
        let quota = per_village + u32::from((i as u32) < extra);
        let doctor = &user_ids[&doctor_of[i]];
        let mut tx = pool.begin().await?;
        let doctor_name = &names[&doctor_of[i]];
        let village = people::Village { id: vid, code, doctor, doctor_name, now, today };
        let made = people::populate(&mut tx, &mut rng, &mut ids, &village, quota, &mut stats)
            .await
            .with_context(|| format!("village {code}"))?;
        stats.visits += history::chronic(&mut tx, &mut rng, &village, &made, spec.years, Disease::Hypertension).await?;
        // Diabetes follow-ups and service records draw from a generator of their own, so the residents and
        // hypertension follow-ups of the villages after this one stay what they were.
        let mut more = ChaCha8Rng::seed_from_u64(spec.seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
        stats.visits += history::chronic(&mut tx, &mut more, &village, &made, spec.years, Disease::Diabetes).await?;
        let mut checked = Vec::new();
        stats.records += services::records(&mut tx, &mut more, &village, &made, &mut checked).await?;
        stats.records += contracts::records(&mut tx, &village, &made).await?;
        // Mothers, children, TCM and reports: a generator of their own again, so adding them left the rest as
        // it was.
        let mut program_rng = ChaCha8Rng::seed_from_u64(spec.seed.wrapping_mul(7_919).wrapping_add(i as u64));
        stats.records += program::records(&mut tx, &mut program_rng, &village, &made, &checked)
            .await
            .with_context(|| format!("village {code}: program records"))?;
        // 常住人口: most, not all, residents have a record (the coverage indicator's denominator).
        let population = (f64::from(quota) / RECORD_COVERAGE).round() as i64;
        for year in [today.year() - 1, today.year()] {
            sqlx::query("INSERT INTO populations (org_id, year, population) VALUES ($1, $2, $3)")
                .bind(vid.as_str())
                .bind(i64::from(year))
                .bind(population)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Share of a village's population with a health record in the generated counties.
const RECORD_COVERAGE: f64 = 0.93;

async fn insert_org(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    id: &str,
    parent: Option<&str>,
    level: &str,
    code: &str,
    name: &str,
) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO org_units (id, parent_id, level, code, name) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(parent)
        .bind(level)
        .bind(code)
        .bind(name)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
