//! `server load`: many simulated village doctors syncing at once against a real server on loopback, with
//! optional SIGKILLs of the server (`--kill-every`), then a check against the database that every entry the
//! server acknowledged is stored exactly once and reached its phone's pulls exactly once. `server
//! load-disk-full` runs the database out of space (`disk_full`). Figures go to stdout as Markdown for
//! docs/reliability.md; the exit code is non-zero when anything was lost, doubled or refused.

mod disk_full;
mod doctor;
mod report;
mod supervisor;
mod tmpfs;
mod verify;

pub use disk_full::{run as run_disk_full, DiskFullArgs};

use crate::loopback::{free_port, ServerProcess};
use crate::seed::{generate, Spec};
use doctor::{Doctor, Tally};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct LoadArgs {
    pub doctors: usize,
    pub seconds: u64,
    /// SIGKILL the server this often during the clock.
    pub kill_every: Option<u64>,
    /// How long after the clock the phones may take to empty their outboxes.
    pub drain_seconds: u64,
}

/// Logins at once while the phones start: each is an Argon2 hash of ~19 MB on the server, and 300 at once
/// would measure the login storm rather than sync.
const STARTING_AT_ONCE: usize = 8;

pub async fn run(args: LoadArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("cunyi-load-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir, &args).await;
    if result.is_err() {
        report::keep_log(&dir, "load");
    }
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_in(dir: &Path, args: &LoadArgs) -> anyhow::Result<()> {
    let url = format!("sqlite://{}", dir.join("county.db").display());
    let after_seq = seed(&url, args.doctors).await?;
    let log = dir.join("server.log");
    let server = ServerProcess::start(&url, free_port()?, Some(&log)).await?;
    let doctors = start_doctors(&server.base(), args.doctors).await?;

    let started = Instant::now();
    let own_cpu = crate::loopback::cpu_seconds("self");
    let until = started + Duration::from_secs(args.seconds);
    let drain_until = until + Duration::from_secs(args.drain_seconds);
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let kill_every = args.kill_every.map(Duration::from_secs);
    let watcher = tokio::spawn(supervisor::supervise(server, kill_every, until, stopped));
    let mut phones = tokio::task::JoinSet::new();
    for d in doctors {
        phones.spawn(async move {
            let mut d = d.work(until).await;
            // After the clock: no new entries; what is still in the outbox is sent until it is acknowledged.
            d.push_all(drain_until).await;
            d.pull_all(drain_until).await;
            d.finish()
        });
    }
    let mut tally = Tally::default();
    while let Some(t) = phones.join_next().await {
        tally.add(t?);
    }
    let drained = started.elapsed().as_secs_f64();
    let own_cpu = crate::loopback::cpu_seconds("self") - own_cpu;
    let _ = stop.send(true);
    let (server, watched) = watcher.await??;
    drop(server);

    let verdict = verify::check(&url, after_seq, &tally).await?;
    let requests = tally.requests;
    let (log_errors, first) = report::log_lines(&log, "ERROR");
    let down = if watched.downtime_ms.is_empty() {
        String::new()
    } else {
        let mean = watched.downtime_ms.iter().sum::<f64>() / watched.downtime_ms.len() as f64;
        let max = watched.downtime_ms.iter().copied().fold(0.0, f64::max);
        format!("; down {mean:.0} ms on average (max {max:.0}) from kill to answering again")
    };
    report::table(&[
        ("doctors (phones, each its own session)", args.doctors.to_string()),
        ("clock", format!("{} s, then the drain: all done after {drained:.1} s", args.seconds)),
        ("server SIGKILLs", format!("{}{down}", watched.kills)),
        ("server exits not asked for", watched.crashes.to_string()),
        ("requests", format!("{requests} ({:.0}/s over the run)", requests as f64 / drained)),
        ("entries acknowledged", verdict.acknowledged.to_string()),
        ("entries stored (visits of the run in the database)", verdict.stored.to_string()),
        (
            "requests sent again",
            format!(
                "{} ({} without an answer, {} answered 5xx)",
                tally.retried(),
                tally.network_failures,
                tally.server_errors
            ),
        ),
        ("entries answered `duplicate` (stored by a request whose answer was lost)", tally.duplicates.to_string()),
        ("errors (4xx, unreadable answers, rejected entries)", tally.errors.to_string()),
        ("entries left in an outbox", verdict.pending.to_string()),
        ("lost (acknowledged, not stored)", verdict.lost.to_string()),
        ("duplicated (second visit or change-log row)", verdict.duplicated.to_string()),
        ("acknowledged, missing from the entry log", verdict.unlogged.to_string()),
        ("stored, held by no phone", verdict.unowned.to_string()),
        ("own visits pulled twice / never", format!("{} / {}", verdict.pulled_twice, verdict.never_pulled)),
        ("push latency p50 / p95 / p99 / max", report::latencies(&mut tally.push_ms)),
        ("pull latency p50 / p95 / p99 / max", report::latencies(&mut tally.pull_ms)),
        ("server peak RSS (largest VmHWM of its processes)", format!("{:.0} MB", watched.peak_rss_mb)),
        (
            "CPU time over the run",
            format!(
                "server {:.0} s, the simulated phones {own_cpu:.0} s ({} cores)",
                watched.cpu_s,
                std::thread::available_parallelism().map_or(0, |n| n.get())
            ),
        ),
        ("ERROR lines in the server log", log_errors.to_string()),
    ]);
    for line in first {
        println!("    {line}");
    }
    if let Some(e) = &tally.first_error {
        println!("first error: {e}");
    }
    anyhow::ensure!(verdict.passed() && tally.errors == 0, "the run failed its checks: {verdict:?}");
    Ok(())
}

/// A fresh county with a doctor (and village) per simulated phone and its indicator rollups, as `server
/// seed` leaves it; returns the change log's last seq.
async fn seed(url: &str, doctors: usize) -> anyhow::Result<i64> {
    let store = crate::db::connect(url).await?;
    // ~200 residents a village; one more village than doctors, since doctor4 holds two.
    let residents = (doctors as u32 + 1) * 200;
    let t = Instant::now();
    let stats = generate(&store, &Spec::scaled(residents, 1)).await?;
    let seeded = t.elapsed().as_secs_f64();
    crate::rollups::refresh(&store).await?;
    println!("seeded in {seeded:.1} s (rollups after {:.1} s): {stats}", t.elapsed().as_secs_f64());
    let after: i64 = sqlx::query_scalar("SELECT MAX(seq) FROM changes").fetch_one(&store.pool).await?;
    // The county in the database file and the WAL empty when the server starts, whatever the closing
    // connections manage: the disk-full run counts the space left from there.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&store.pool).await?;
    store.pool.close().await;
    Ok(after)
}

/// Logs every phone in and makes its first sync, a few at a time; the clock starts after.
async fn start_doctors(base: &str, n: usize) -> anyhow::Result<Vec<Doctor>> {
    let t = Instant::now();
    let gate = Arc::new(tokio::sync::Semaphore::new(STARTING_AT_ONCE));
    let mut starting = tokio::task::JoinSet::new();
    for i in 1..=n {
        let (gate, base) = (gate.clone(), base.to_string());
        starting.spawn(async move {
            let _turn = gate.acquire_owned().await?;
            Doctor::start(&base, &format!("doctor{i}"), i as u64).await
        });
    }
    let mut doctors = Vec::with_capacity(n);
    while let Some(d) = starting.join_next().await {
        doctors.push(d??);
    }
    println!("{n} phones logged in and made their first sync in {:.1} s", t.elapsed().as_secs_f64());
    Ok(doctors)
}
