//! `server load-disk-full`: the database's disk runs full under sync, then space comes back. The county is
//! seeded into a small tmpfs, a filler file takes all but a little of its space, and the phones push until
//! each has been told the disk is full, and 5 s more. Checked: the answer is a clear 507
//! (`AppError::StorageFull`, not a bare 500), nothing was acknowledged that is not stored, the server stays
//! up and still serves pulls, and once the filler is removed the pending entries are sent again and each is
//! stored once.

use super::doctor::{Doctor, Tally};
use super::tmpfs::Tmpfs;
use super::{report, verify};
use crate::loopback::{free_port, ServerProcess};
use app::sync::MAX_PUSH;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

pub struct DiskFullArgs {
    pub doctors: usize,
    /// Size of the tmpfs holding the database.
    pub size_mb: u64,
}

/// Space left beside the filler, for the pushes to use up.
const MARGIN: u64 = 2 * 1024 * 1024;
/// 507 answers each phone waits for before the disk counts as full for it.
const FULL_ANSWERS: u64 = 2;
/// How long the phones go on pushing once the disk is full for them.
const HOLD: Duration = Duration::from_secs(5);
/// Bounds of the phases.
const FILL_TIMEOUT: Duration = Duration::from_secs(120);
const RECOVERY_TIMEOUT: Duration = Duration::from_secs(120);

pub async fn run(args: DiskFullArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("cunyi-disk-full-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    // The server (inside `run_on`) is stopped before the tmpfs is unmounted (when `mount` drops).
    let result = match Tmpfs::mount(&dir.join("db"), args.size_mb) {
        Ok(mount) => run_on(&mount, &dir, &args).await,
        Err(e) => Err(e),
    };
    if result.is_err() {
        report::keep_log(&dir, "disk-full");
    }
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn run_on(mount: &Tmpfs, dir: &Path, args: &DiskFullArgs) -> anyhow::Result<()> {
    let db = mount.path().join("county.db");
    let url = format!("sqlite://{}", db.display());
    let after_seq = super::seed(&url, args.doctors).await?;
    let db_mb = std::fs::metadata(&db)?.len() as f64 / 1e6;
    let log = dir.join("server.log");
    let mut server = ServerProcess::start(&url, free_port()?, Some(&log)).await?;
    let doctors = super::start_doctors(&server.base(), args.doctors).await?;

    let filler = mount.path().join("filler");
    let filler_mb = fill(&filler, MARGIN)? as f64 / 1e6;
    println!("filler of {filler_mb:.1} MB leaves {:.1} MB free", free_bytes(mount.path()) as f64 / 1e6);

    // Until the disk is full for every phone, and then `HOLD` more of the same: a few follow-ups a push, the
    // outbox growing once pushes fail.
    let t = Instant::now();
    let phones = each(doctors, move |mut d| async move {
        let deadline = Instant::now() + FILL_TIMEOUT;
        let mut full: Option<(Instant, usize)> = None;
        while Instant::now() < deadline && full.is_none_or(|(at, _)| at.elapsed() < HOLD) {
            if d.outbox_len() < MAX_PUSH {
                d.write(20);
            }
            d.push_once().await;
            if full.is_none() && d.tally.storage_full >= FULL_ANSWERS {
                full = Some((Instant::now(), d.tally.acknowledged.len()));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let acknowledged_when_full = full.map_or(d.tally.acknowledged.len(), |f| f.1);
        (d, acknowledged_when_full)
    })
    .await?;
    let fill_s = t.elapsed().as_secs_f64();
    let acknowledged_full: usize = phones.iter().map(|p| p.1).sum();
    let doctors: Vec<Doctor> = phones.into_iter().map(|p| p.0).collect();
    let acknowledged_held = doctors.iter().map(|d| d.tally.acknowledged.len()).sum::<usize>() - acknowledged_full;
    let sum = |ds: &[Doctor], f: fn(&Tally) -> u64| ds.iter().map(|d| f(&d.tally)).sum::<u64>();
    let pending_full: usize = doctors.iter().map(Doctor::outbox_len).sum();
    let full_answers = sum(&doctors, |t| t.storage_full);
    let fill_pushes = sum(&doctors, |t| t.push_ms.len() as u64);
    let message = doctors.iter().find_map(|d| d.tally.storage_full_message.clone()).unwrap_or_default();
    // Reading still works on a full disk: one pull page per phone.
    let mut doctors = doctors;
    let mut pulls_ok = 0;
    for d in &mut doctors {
        pulls_ok += usize::from(d.pull_once().await.is_ok());
    }
    let alive = server.exited().is_none();

    // Space comes back: the phones send what they hold until it is acknowledged.
    std::fs::remove_file(&filler)?;
    let t = Instant::now();
    let doctors = each(doctors, |mut d| async move {
        let until = Instant::now() + RECOVERY_TIMEOUT;
        d.push_all(until).await;
        d.pull_all(until).await;
        d
    })
    .await?;
    let recovery_s = t.elapsed().as_secs_f64();
    let mut tally = Tally::default();
    for d in doctors {
        tally.add(d.finish());
    }
    drop(server);

    let verdict = verify::check(&url, after_seq, &tally).await?;
    // Over the whole run, recovery included.
    let bare = tally.server_errors - tally.storage_full;
    let (log_errors, first) = report::log_lines(&log, "ERROR");
    report::table(&[
        ("tmpfs holding the database", format!("{} MB; county {db_mb:.1} MB, filler {filler_mb:.1} MB", args.size_mb)),
        ("phones", args.doctors.to_string()),
        (
            "pushing until every phone was answered 507 twice, then 5 s more",
            format!("{fill_s:.1} s, {fill_pushes} pushes answered"),
        ),
        ("acknowledged before the disk was full", acknowledged_full.to_string()),
        ("acknowledged in the 5 s after", acknowledged_held.to_string()),
        ("held in outboxes when full", pending_full.to_string()),
        ("507 answers (storage full)", full_answers.to_string()),
        ("their message", message.clone()),
        ("other 5xx answers (bare 500)", bare.to_string()),
        ("errors (4xx, unreadable answers, rejected entries)", tally.errors.to_string()),
        ("pulls answered while full", format!("{pulls_ok} of {}", args.doctors)),
        ("server still running when full", if alive { "yes" } else { "no" }.to_string()),
        ("after the filler was removed: outboxes empty in", format!("{recovery_s:.1} s")),
        ("entries acknowledged in all", verdict.acknowledged.to_string()),
        ("entries stored", verdict.stored.to_string()),
        ("entries left in an outbox", verdict.pending.to_string()),
        ("lost / duplicated", format!("{} / {}", verdict.lost, verdict.duplicated)),
        ("acknowledged, missing from the entry log", verdict.unlogged.to_string()),
        ("stored, held by no phone", verdict.unowned.to_string()),
        ("own visits pulled twice / never", format!("{} / {}", verdict.pulled_twice, verdict.never_pulled)),
        ("ERROR lines in the server log", log_errors.to_string()),
        (
            "connections closed because their transaction count went wrong (db/pool.rs)",
            report::log_lines(&log, "transaction count went wrong").0.to_string(),
        ),
    ]);
    for line in first {
        println!("    {line}");
    }
    if let Some(e) = &tally.first_error {
        println!("first error: {e}");
    }
    anyhow::ensure!(full_answers > 0, "the disk never filled: no 507 answer");
    anyhow::ensure!(bare == 0 && tally.errors == 0 && alive, "unclear answers or a crash when the disk was full");
    anyhow::ensure!(verdict.passed(), "the run failed its checks: {verdict:?}");
    Ok(())
}

/// Runs `f` on every phone at once; gives back what each returned (the phone, at least).
async fn each<F, Fut, T>(doctors: Vec<Doctor>, f: F) -> anyhow::Result<Vec<T>>
where
    F: Fn(Doctor) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut set = tokio::task::JoinSet::new();
    for d in doctors {
        set.spawn(f(d));
    }
    let mut out = Vec::new();
    while let Some(d) = set.join_next().await {
        out.push(d?);
    }
    Ok(out)
}

/// Writes `path` until the file system is full, then gives back `margin` bytes; returns the filler's size.
fn fill(path: &Path, margin: u64) -> anyhow::Result<u64> {
    let mut f = std::fs::File::create(path)?;
    let chunk = vec![0u8; 1024 * 1024];
    let mut size = 0u64;
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(n) => size += n as u64,
            Err(e) if e.kind() == std::io::ErrorKind::StorageFull => break,
            Err(e) => return Err(e.into()),
        }
    }
    let size = size.saturating_sub(margin);
    f.set_len(size)?;
    Ok(size)
}

/// Free bytes of the file system holding `dir` (`df`), 0 when unknown.
fn free_bytes(dir: &Path) -> u64 {
    std::process::Command::new("df")
        .args(["-B1", "--output=avail"])
        .arg(dir)
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()))
        .unwrap_or(0)
}
