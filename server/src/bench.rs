//! `server bench-sync`: the sync benchmark of issue 3, run against a real server over loopback HTTP.
//!
//! Builds a fresh SQLite county where one doctor's scope holds ~3,000 residents and ~20,000 entries, starts
//! the server as a child process on an ephemeral port, logs in as that doctor and measures: the initial pull of
//! the whole scope, a push of 10,000 new follow-ups in batches, and an incremental pull after 100 changes.
//! Figures go to stdout as a Markdown table for docs/performance.md. Not a test: nothing here passes or fails.

use crate::loopback::{follow_up, free_port, mem_mb, Client, ServerProcess};
use crate::seed::{generate, Spec};
use anyhow::Context;
use app::sync::{Change, PushEntry, PushRequest, MAX_PULL_PAGE, MAX_PUSH, PROTOCOL};
use std::time::Instant;
use uuid::Uuid;

pub struct BenchArgs {
    pub residents: u32,
    pub years: u32,
    pub push: usize,
}

pub async fn run(args: BenchArgs) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("cunyi-bench-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let store = crate::db::connect(&url).await?;
    let spec = Spec::one_village(args.residents, args.years);
    let t = Instant::now();
    let stats = generate(&store, &spec).await?;
    println!("seeded in {:.1}s: {stats}", t.elapsed().as_secs_f64());
    store.pool.close().await;

    // The server runs as its own process, so its memory is measured apart from this client's.
    let server = ServerProcess::start(&url, free_port()?, None).await?;
    let pid = server.pid();
    let c = Client::new(&server.base())?;
    c.login("doctor1", crate::seed::DEMO_PASSWORD).await.context("login")?;
    let rss0 = mem_mb(pid, "VmRSS:");

    let t = Instant::now();
    let mut ids = Vec::new();
    let (initial, cursor, pulled_bytes) = c
        .pull_all(0, MAX_PULL_PAGE, |ch| {
            if let Change::Resident { resident } = ch {
                ids.push(resident.id);
            }
        })
        .await?;
    let initial_s = t.elapsed().as_secs_f64();
    let rss1 = mem_mb(pid, "VmRSS:");

    // New follow-ups spread over the whole scope, as a doctor's quarterly visits are.
    anyhow::ensure!(!ids.is_empty(), "the pull returned no residents");
    let today = chrono::Local::now().date_naive();
    // The outbox is ready before the clock starts, as on a phone coming back online.
    let entries: Vec<PushEntry> = (0..args.push).map(|i| follow_up(ids[i % ids.len()], today, "bench")).collect();
    let batches: Vec<PushRequest> = entries
        .chunks(MAX_PUSH)
        .map(|b| PushRequest { protocol: PROTOCOL, device_id: "bench".into(), entries: b.to_vec() })
        .collect();
    let (mut sent, mut accepted) = (0, 0);
    let t = Instant::now();
    for batch in &batches {
        let (raw, s) = c.post_raw("/api/sync/v1/push", batch).await?;
        let resp: app::sync::PushResponse = serde_json::from_slice(&raw)?;
        accepted += resp.results.iter().filter(|r| matches!(r.outcome, app::sync::EntryOutcome::Accepted)).count();
        sent += s;
    }
    let push_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(accepted == args.push, "only {accepted} of {} accepted", args.push);
    let rss2 = mem_mb(pid, "VmRSS:");

    let (_, cursor, _) = c.pull_all(cursor, MAX_PULL_PAGE, |_| ()).await?;
    let hundred: Vec<PushEntry> = (0..100).map(|i| follow_up(ids[i % ids.len()], today, "bench")).collect();
    c.push(&PushRequest { protocol: PROTOCOL, device_id: "bench".into(), entries: hundred }).await?;
    let t = Instant::now();
    let (incremental, _, inc_bytes) = c.pull_all(cursor, MAX_PULL_PAGE, |_| ()).await?;
    let inc_ms = t.elapsed().as_secs_f64() * 1000.0;

    println!();
    println!("| measure | figure |");
    println!("|---|---|");
    println!(
        "| initial pull of the scope | {initial} changes in {initial_s:.2} s = {:.0} changes/s, {:.1} MB |",
        initial as f64 / initial_s,
        pulled_bytes as f64 / 1e6
    );
    println!(
        "| push of {} new follow-ups ({} per batch) | {:.2} s = {:.0} entries/s, {:.0} bytes/entry on the wire |",
        args.push,
        MAX_PUSH,
        push_s,
        args.push as f64 / push_s,
        sent as f64 / args.push as f64
    );
    println!(
        "| incremental pull after 100 changes | {incremental} changes in {inc_ms:.0} ms, {:.0} KB |",
        inc_bytes as f64 / 1e3
    );
    let peak = mem_mb(pid, "VmHWM:");
    println!("| server process RSS | {rss0:.0} MB after login, {rss1:.0} MB after the pull, {rss2:.0} MB after the push; peak {peak:.0} MB |");
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
