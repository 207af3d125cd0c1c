//! `server bench-tasks`: the task engine of issue 5 timed natively over one doctor's village (by default
//! 3,000 residents with a year of follow-ups), as the township views run it. The browser figure of the same
//! computation comes from `.ci/bench-browser`. Not a test: figures go to stdout for docs/performance.md.

use crate::seed::{generate, Spec};
use anyhow::Context;
use app::store::Store;
use app::task::Standing;
use std::time::{Duration, Instant};

pub async fn run(residents: u32, years: u32) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("cunyi-bench-tasks-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let store = crate::db::connect(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let stats = generate(&store, &Spec::one_village(residents, years)).await?;
    println!("seeded: {stats}");
    let now = chrono::Utc::now().timestamp();
    let (_, user) = store.login("doctor1", crate::seed::DEMO_PASSWORD, now).await?.context("doctor1 login")?;

    let t = Instant::now();
    let data = app::task::api::local_copy(&store, &user.village_ids()).await?;
    let load = t.elapsed();
    let today = chrono::Local::now().date_naive();
    let mut times: Vec<Duration> = Vec::new();
    let mut rows = Vec::new();
    for _ in 0..21 {
        let t = Instant::now();
        rows = data.tasks(&user, today);
        times.push(t.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let count = |s: Standing| rows.iter().filter(|r| r.task.standing(today) == s).count();
    println!("| measure | figure |");
    println!("|---|---|");
    println!("| scope | {} residents, {} follow-ups |", data.resident_count(), data.visit_count());
    println!("| reading the scope from the database (as a first sync) | {:.0} ms |", ms(load));
    println!(
        "| task list, native (median of 21; min, max) | {:.1} ms ({:.1}, {:.1}) |",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    println!(
        "| tasks | {} ({} overdue, {} due, {} in 7 days, {} later) |",
        rows.len(),
        count(Standing::Overdue),
        count(Standing::Due),
        count(Standing::Soon),
        count(Standing::Later)
    );
    let mut by_kind: Vec<(String, usize)> = Vec::new();
    for r in rows.iter().filter(|r| r.task.standing(today) == Standing::Overdue) {
        let k = r.task.kind.label(false).split(" dose").next().unwrap_or_default().to_string();
        match by_kind.iter_mut().find(|(x, _)| *x == k) {
            Some((_, n)) => *n += 1,
            None => by_kind.push((k, 1)),
        }
    }
    by_kind.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let list: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    println!("| overdue by kind | {} |", list.join(", "));
    store.pool.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
