//! A device-like HTTP client: its own cookie store (the session), JSON bodies, and the server's errors read
//! back as `AppError` the way the browser reads them (`app::local::browser`), so a caller can tell a fault to
//! retry (network, 5xx) from a refusal.

use app::error::AppError;
use app::sync::{Change, EntryBody, PullRequest, PullResponse, PushEntry, PushRequest, PushResponse, PROTOCOL};
use app::visit::chronic::ChronicVisitInput;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::time::Duration;
use uuid::Uuid;

/// Longest wait for an answer: a request stuck behind a dead server is sent again rather than waited on.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Client {
    http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(base: &str) -> anyhow::Result<Client> {
        let http = reqwest::Client::builder().cookie_store(true).timeout(REQUEST_TIMEOUT).build()?;
        Ok(Client { http, base: base.to_string() })
    }

    /// Logs in; the session cookie stays in this client's store.
    pub async fn login(&self, username: &str, password: &str) -> Result<(), AppError> {
        let body = serde_json::json!({"input": {"username": username, "password": password}});
        self.post_raw("/api/login", &body).await.map(|_| ())
    }

    /// Posts JSON and returns the answer's bytes and the request's size. A transport failure (refused, cut,
    /// timed out) is `Network`; an error status is the `AppError` the server sent, or `Internal` for a 5xx
    /// whose body is not one.
    pub async fn post_raw<B: Serialize>(&self, path: &str, body: &B) -> Result<(Vec<u8>, usize), AppError> {
        let bytes = serde_json::to_vec(body).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let sent = bytes.len();
        let net = |e: reqwest::Error| AppError::Network(format!("{path}: {e}"));
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .body(bytes)
            .send()
            .await
            .map_err(net)?;
        let status = r.status();
        let text = r.bytes().await.map_err(net)?;
        if status.is_success() {
            return Ok((text.to_vec(), sent));
        }
        Err(serde_json::from_slice::<AppError>(&text).unwrap_or_else(|_| {
            if status.is_server_error() {
                AppError::Internal
            } else {
                let shown = String::from_utf8_lossy(&text[..text.len().min(200)]).to_string();
                AppError::BadRequest(format!("{path}: {status} {shown}"))
            }
        }))
    }

    pub async fn post<B: Serialize, R: DeserializeOwned>(&self, path: &str, body: &B) -> Result<R, AppError> {
        let (raw, _) = self.post_raw(path, body).await?;
        unreadable(path, serde_json::from_slice(&raw))
    }

    pub async fn push(&self, req: &PushRequest) -> Result<PushResponse, AppError> {
        self.post("/api/sync/v1/push", req).await
    }

    /// One page of changes after `cursor`, and its size in bytes.
    pub async fn pull_page(&self, cursor: i64, limit: u32) -> Result<(PullResponse, usize), AppError> {
        let req = PullRequest { protocol: PROTOCOL, cursor, limit: Some(limit) };
        let (raw, _) = self.post_raw("/api/sync/v1/pull", &req).await?;
        Ok((unreadable("pull", serde_json::from_slice(&raw))?, raw.len()))
    }

    /// Pulls every page from `cursor`, showing each change to `seen`; returns (changes, cursor, bytes).
    pub async fn pull_all(
        &self,
        mut cursor: i64,
        limit: u32,
        mut seen: impl FnMut(&Change),
    ) -> Result<(usize, i64, usize), AppError> {
        let (mut n, mut bytes) = (0, 0);
        loop {
            let (page, got) = self.pull_page(cursor, limit).await?;
            page.changes.iter().for_each(&mut seen);
            n += page.changes.len();
            bytes += got;
            cursor = page.next_cursor;
            if !page.more {
                return Ok((n, cursor, bytes));
            }
        }
    }
}

/// A 2xx answer that does not read as the expected type is the server's fault, not the network's.
fn unreadable<T>(what: &str, r: serde_json::Result<T>) -> Result<T, AppError> {
    r.map_err(|e| AppError::BadRequest(format!("{what}: unreadable answer: {e}")))
}

/// A new hypertension follow-up of `resident` as a phone's outbox holds it: revision id = visit id (a first
/// revision), its own entry id, `device` in the form so the stored visits of a run can be found again.
pub fn follow_up(resident: Uuid, today: chrono::NaiveDate, device: &str) -> PushEntry {
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
        device_id: device.into(),
        ..Default::default()
    };
    PushEntry { id: Uuid::now_v7(), created_at: 0, body: EntryBody::ChronicVisit(Box::new(v)) }
}
