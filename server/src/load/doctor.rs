//! One simulated village doctor: a phone with its own session, outbox and pull cursor. It writes follow-ups
//! of its own residents, pushes them and pulls what changed, and keeps every entry until the server's answer
//! says it is stored (`accepted` or `duplicate`, as `app::sync::core::apply_push` decides). A request that
//! fails on the way (network, 5xx) is sent again unchanged after a short pause: same entries, same ids.

use crate::loopback::{follow_up, Client};
use app::error::AppError;
use app::sync::{Change, EntryBody, EntryOutcome, PushEntry, PushRequest, MAX_PULL_PAGE, MAX_PUSH, PROTOCOL};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// What one doctor saw; summed over all doctors for the report and checked against the database.
#[derive(Default)]
pub struct Tally {
    /// Latency of every answered push and pull request, in milliseconds.
    pub push_ms: Vec<f64>,
    pub pull_ms: Vec<f64>,
    /// Requests sent (answered or not).
    pub requests: u64,
    /// Requests that failed on the way and were sent again: no answer (refused, cut, timed out)…
    pub network_failures: u64,
    /// …or a 5xx answer, of which `storage_full` were 507 (the database's disk full).
    pub server_errors: u64,
    pub storage_full: u64,
    /// The first 507's message as a doctor reads it.
    pub storage_full_message: Option<String>,
    /// Refusals that sending again cannot cure: 4xx answers, unreadable answers, rejected entries.
    pub errors: u64,
    pub first_error: Option<String>,
    /// Entries answered `duplicate`: stored by an earlier request whose answer never came.
    pub duplicates: u64,
    /// Entries acknowledged by the server (entry id, visit id).
    pub acknowledged: Vec<(Uuid, Uuid)>,
    /// Entries still in the outbox at the end (entry id, visit id).
    pub pending: Vec<(Uuid, Uuid)>,
    /// How often each of the doctor's own visits came in an applied pull page after the first sync.
    pub pulled: HashMap<Uuid, u32>,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.push_ms.extend(other.push_ms);
        self.pull_ms.extend(other.pull_ms);
        self.requests += other.requests;
        self.network_failures += other.network_failures;
        self.server_errors += other.server_errors;
        self.storage_full += other.storage_full;
        self.storage_full_message = self.storage_full_message.take().or(other.storage_full_message);
        self.errors += other.errors;
        self.duplicates += other.duplicates;
        self.first_error = self.first_error.take().or(other.first_error);
        self.acknowledged.extend(other.acknowledged);
        self.pending.extend(other.pending);
        // Visits are the doctors' own, so the maps never share a key.
        self.pulled.extend(other.pulled);
    }

    /// Requests sent again after a failure on the way.
    pub fn retried(&self) -> u64 {
        self.network_failures + self.server_errors
    }
}

/// Whether a request ended well, is to be sent again, or was refused.
pub enum Sent {
    Done,
    Retry,
    Refused,
}

pub struct Doctor {
    client: Client,
    device: String,
    residents: Vec<Uuid>,
    cursor: i64,
    outbox: Vec<PushEntry>,
    rng: StdRng,
    pub tally: Tally,
}

impl Doctor {
    /// Logs in as `username` and makes the first sync (the whole village), which gives the residents to
    /// visit and the cursor to pull from.
    pub async fn start(base: &str, username: &str, seed: u64) -> anyhow::Result<Doctor> {
        let client = Client::new(base)?;
        client.login(username, crate::seed::DEMO_PASSWORD).await?;
        let mut residents = Vec::new();
        let (_, cursor, _) = client
            .pull_all(0, MAX_PULL_PAGE, |c| {
                if let Change::Resident { resident } = c {
                    residents.push(resident.id);
                }
            })
            .await?;
        anyhow::ensure!(!residents.is_empty(), "{username}'s first pull had no residents");
        let device = format!("load-{username}");
        let rng = StdRng::seed_from_u64(seed);
        Ok(Doctor { client, device, residents, cursor, outbox: Vec::new(), rng, tally: Tally::default() })
    }

    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// `n` new follow-ups of random residents of the doctor's village go to the outbox.
    pub fn write(&mut self, n: usize) {
        let today = chrono::Local::now().date_naive();
        for _ in 0..n {
            let resident = self.residents[self.rng.gen_range(0..self.residents.len())];
            self.outbox.push(follow_up(resident, today, &self.device));
        }
    }

    /// The usual round on the phone: a few new follow-ups, push, pull, a pause.
    pub async fn work(mut self, until: Instant) -> Doctor {
        while Instant::now() < until {
            if self.outbox.is_empty() {
                let n = self.rng.gen_range(1..=20);
                self.write(n);
            }
            self.push_all(until).await;
            self.pull_all(until).await;
            let think = Duration::from_millis(self.rng.gen_range(0..=500));
            tokio::time::sleep(think.min(until.saturating_duration_since(Instant::now()))).await;
        }
        self
    }

    /// Pushes until the outbox is empty, sending a failed batch again after a pause, until `until`.
    pub async fn push_all(&mut self, until: Instant) {
        while !self.outbox.is_empty() && Instant::now() < until {
            if !matches!(self.push_once().await, Sent::Done) {
                self.pause().await;
            }
        }
    }

    /// Pulls until the server has nothing more, sending a failed page request again, until `until`.
    pub async fn pull_all(&mut self, until: Instant) {
        while Instant::now() < until {
            match self.pull_once().await {
                Ok(false) => return,
                Ok(true) => {}
                Err(()) => self.pause().await,
            }
        }
    }

    /// A short random pause before sending again, so a restarted server is not met by every phone at once.
    async fn pause(&mut self) {
        tokio::time::sleep(Duration::from_millis(self.rng.gen_range(100..=500))).await;
    }

    /// One push of the oldest pending entries (at most `MAX_PUSH`); applies the answer.
    pub async fn push_once(&mut self) -> Sent {
        let entries: Vec<PushEntry> = self.outbox.iter().take(MAX_PUSH).cloned().collect();
        let req = PushRequest { protocol: PROTOCOL, device_id: self.device.clone(), entries };
        self.tally.requests += 1;
        let t = Instant::now();
        let answer = self.client.push(&req).await;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match answer {
            Ok(resp) => {
                self.tally.push_ms.push(ms);
                for r in resp.results {
                    match r.outcome {
                        EntryOutcome::Accepted => self.acknowledge(r.id),
                        EntryOutcome::Duplicate => {
                            self.tally.duplicates += 1;
                            self.acknowledge(r.id);
                        }
                        // A fault on the server's side stays pending, as on the phone.
                        EntryOutcome::Rejected { error: AppError::Internal | AppError::StorageFull } => {}
                        EntryOutcome::Rejected { error } => {
                            self.refused(format!("entry rejected: {error:?}"));
                            self.outbox.retain(|e| e.id != r.id);
                        }
                    }
                }
                Sent::Done
            }
            Err(e) => self.failed(e, ms, true),
        }
    }

    /// One pull page from the cursor; applied (own visits counted), then the cursor moves. Ok(more).
    pub async fn pull_once(&mut self) -> Result<bool, ()> {
        self.tally.requests += 1;
        let t = Instant::now();
        let answer = self.client.pull_page(self.cursor, MAX_PULL_PAGE).await;
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        match answer {
            Ok((page, _)) => {
                self.tally.pull_ms.push(ms);
                for c in &page.changes {
                    if let Change::Visit { payload, .. } = c {
                        if payload.device_id == self.device {
                            *self.tally.pulled.entry(payload.visit_id).or_default() += 1;
                        }
                    }
                }
                self.cursor = page.next_cursor;
                Ok(page.more)
            }
            Err(e) => {
                self.failed(e, ms, false);
                Err(())
            }
        }
    }

    /// Counts a failed request by kind; what the server or the way could cure is sent again.
    fn failed(&mut self, e: AppError, ms: f64, push: bool) -> Sent {
        match e {
            AppError::Network(_) => {
                self.tally.network_failures += 1;
                return Sent::Retry;
            }
            AppError::Internal | AppError::StorageFull => {
                self.tally.server_errors += 1;
                if e == AppError::StorageFull {
                    self.tally.storage_full += 1;
                    self.tally.storage_full_message.get_or_insert_with(|| e.message(true));
                }
            }
            other => {
                self.refused(format!("{} {other:?}", other.status_code()));
                return Sent::Refused;
            }
        }
        // An answered request has a latency, even an error.
        if push {
            self.tally.push_ms.push(ms);
        } else {
            self.tally.pull_ms.push(ms);
        }
        Sent::Retry
    }

    fn refused(&mut self, what: String) {
        self.tally.errors += 1;
        self.tally.first_error.get_or_insert(what);
    }

    fn acknowledge(&mut self, entry: Uuid) {
        if let Some(at) = self.outbox.iter().position(|e| e.id == entry) {
            let e = self.outbox.remove(at);
            self.tally.acknowledged.push((e.id, visit_id(&e)));
        }
    }

    /// The doctor's tally, with what is still in the outbox.
    pub fn finish(mut self) -> Tally {
        self.tally.pending = self.outbox.iter().map(|e| (e.id, visit_id(e))).collect();
        self.tally
    }
}

fn visit_id(e: &PushEntry) -> Uuid {
    match &e.body {
        EntryBody::ChronicVisit(v) => v.visit_id,
        _ => e.id,
    }
}
