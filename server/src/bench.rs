//! `server bench-sync`: the sync benchmark of issue 3, run against a real server over loopback HTTP.
//!
//! Builds a fresh SQLite county where one doctor's scope holds ~3,000 residents and ~20,000 entries, starts
//! the server as a child process on an ephemeral port, logs in as that doctor and measures: the initial pull of
//! the whole scope, a push of 10,000 new follow-ups in batches, and an incremental pull after 100 changes.
//! Figures go to stdout as a Markdown table for docs/performance.md. Not a test: nothing here passes or fails.

use crate::seed::{generate, Spec};
use anyhow::Context;
use app::sync::{EntryBody, PullResponse, PushEntry, PushRequest, PushResponse, MAX_PUSH, PROTOCOL};
use app::visit::chronic::ChronicVisitInput;
use serde_json::{json, Value};
use std::time::Instant;
use uuid::Uuid;

pub struct BenchArgs {
    pub residents: u32,
    pub years: u32,
    pub push: usize,
}

/// A process's resident memory (`VmRSS`) or its peak (`VmHWM`) in MB, from /proc.
fn mem_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<(Value, usize, usize)> {
        let (bytes, sent, got) = self.post_raw(path, body).await?;
        Ok((serde_json::from_slice(&bytes)?, sent, got))
    }

    /// Posts and returns the raw answer, so a device-like client parses it once into its own types.
    async fn post_raw<B: serde::Serialize>(&self, path: &str, body: &B) -> anyhow::Result<(Vec<u8>, usize, usize)> {
        let bytes = serde_json::to_vec(body)?;
        let sent = bytes.len();
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(bytes)
            .send()
            .await?;
        let status = r.status();
        let text = r.bytes().await?;
        anyhow::ensure!(
            status.is_success(),
            "{path}: {status} {}",
            String::from_utf8_lossy(&text[..text.len().min(300)])
        );
        let got = text.len();
        Ok((text.to_vec(), sent, got))
    }

    /// Pulls every page from `cursor`; returns (changes, cursor, bytes received) and the residents seen.
    async fn pull_all(&self, mut cursor: i64, residents: &mut Vec<Uuid>) -> anyhow::Result<(usize, i64, usize)> {
        let (mut n, mut bytes) = (0, 0);
        loop {
            let (raw, _, got) = self
                .post_raw("/api/sync/v1/pull", &json!({"protocol": PROTOCOL, "cursor": cursor, "limit": 2000}))
                .await?;
            let page: PullResponse = serde_json::from_slice(&raw)?;
            residents.extend(page.changes.iter().filter_map(|c| match c {
                app::sync::Change::Resident { resident } => Some(resident.id),
                _ => None,
            }));
            n += page.changes.len();
            bytes += got;
            cursor = page.next_cursor;
            if !page.more {
                return Ok((n, cursor, bytes));
            }
        }
    }
}

fn visit(resident: Uuid, today: chrono::NaiveDate) -> PushEntry {
    let id = Uuid::now_v7();
    let v = ChronicVisitInput {
        id,
        visit_id: id,
        resident_id: resident,
        visit_date: today,
        outcome: 1,
        mode: Some(2),
        symptoms: vec![1],
        sbp: Some(132),
        dbp: Some(84),
        weight: Some(66.0),
        heart_rate: Some(74),
        smoking: Some(0),
        drinking: Some(0.0),
        salt: Some(2),
        psych: Some(1),
        compliance: Some(1),
        adherence: Some(1),
        adr: Some(1),
        classification: Some(1),
        next_mgmt: Some(1),
        next_visit_date: today.checked_add_months(chrono::Months::new(3)),
        device_id: "bench".into(),
        ..Default::default()
    };
    PushEntry { id: Uuid::now_v7(), created_at: 0, body: EntryBody::ChronicVisit(Box::new(v)) }
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
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut child = std::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .env("DATABASE_URL", &url)
        .env("CUNYI_SEED_DEMO", "0")
        .env("CUNYI_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .spawn()
        .context("starting the server")?;
    let pid = child.id();
    let base = format!("http://127.0.0.1:{port}");
    let probe = reqwest::Client::new();
    for _ in 0..200 {
        if probe.get(format!("{base}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let http = reqwest::Client::builder().cookie_store(true).build()?;
    let c = Client { http, base };
    c.post("/api/login", &json!({"input": {"username": "doctor1", "password": crate::seed::DEMO_PASSWORD}}))
        .await
        .context("login")?;
    let rss0 = mem_mb(pid, "VmRSS:");

    let t = Instant::now();
    let mut ids = Vec::new();
    let (initial, cursor, pulled_bytes) = c.pull_all(0, &mut ids).await?;
    let initial_s = t.elapsed().as_secs_f64();
    let rss1 = mem_mb(pid, "VmRSS:");

    // New follow-ups spread over the whole scope, as a doctor's quarterly visits are.
    anyhow::ensure!(!ids.is_empty(), "the pull returned no residents");
    let today = chrono::Local::now().date_naive();
    // The outbox is ready before the clock starts, as on a phone coming back online.
    let entries: Vec<PushEntry> = (0..args.push).map(|i| visit(ids[i % ids.len()], today)).collect();
    let batches: Vec<PushRequest> = entries
        .chunks(MAX_PUSH)
        .map(|b| PushRequest { protocol: PROTOCOL, device_id: "bench".into(), entries: b.to_vec() })
        .collect();
    let (mut sent, mut accepted) = (0, 0);
    let t = Instant::now();
    for batch in &batches {
        let (raw, s, _) = c.post_raw("/api/sync/v1/push", batch).await?;
        let resp: PushResponse = serde_json::from_slice(&raw)?;
        accepted += resp.results.iter().filter(|r| matches!(r.outcome, app::sync::EntryOutcome::Accepted)).count();
        sent += s;
    }
    let push_s = t.elapsed().as_secs_f64();
    anyhow::ensure!(accepted == args.push, "only {accepted} of {} accepted", args.push);
    let rss2 = mem_mb(pid, "VmRSS:");

    let (_, cursor, _) = c.pull_all(cursor, &mut Vec::new()).await?;
    let hundred: Vec<PushEntry> = (0..100).map(|i| visit(ids[i % ids.len()], today)).collect();
    c.post_raw("/api/sync/v1/push", &PushRequest { protocol: PROTOCOL, device_id: "bench".into(), entries: hundred })
        .await?;
    let t = Instant::now();
    let (incremental, _, inc_bytes) = c.pull_all(cursor, &mut Vec::new()).await?;
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
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
