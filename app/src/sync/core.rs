//! The device side of sync as pure logic, no I/O: plan the next push from the outbox, apply the server's
//! answer, apply a pulled page. The browser runs it over IndexedDB; the tests run it over memory.
//!
//! Invariants kept here, whatever order requests and cuts happen in:
//! - an outbox entry leaves the outbox only when the server said `accepted` or `duplicate`;
//! - a rejected entry stays, with its reason, until the doctor corrects it (same id) or discards it;
//! - the pull cursor advances only after a page is applied, so a lost page is fetched again;
//! - a revoked resident is dropped only when no outbox entry concerns it.

use super::{Change, EntryBody, EntryOutcome, PullResponse, PushEntry, PushRequest, PushResponse, PROTOCOL};
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where an outbox entry stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EntryState {
    /// Waiting to be sent (or sent without an answer yet: it is sent again).
    Pending,
    /// The server refused it; the doctor must correct it.
    Rejected(AppError),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    pub entry: PushEntry,
    pub state: EntryState,
}

/// What the core needs from a device's store.
pub trait LocalStore {
    /// The outbox in the order the entries were made.
    fn outbox(&self) -> Vec<OutboxItem>;
    fn append(&mut self, item: OutboxItem);
    fn set_state(&mut self, id: Uuid, state: EntryState);
    fn remove_entry(&mut self, id: Uuid);
    fn cursor(&self) -> i64;
    fn set_cursor(&mut self, cursor: i64);
    /// Stores the server's state of a record (resident or visit).
    fn put(&mut self, change: &Change);
    /// Drops a resident and its visits from the device.
    fn drop_resident(&mut self, id: Uuid);
    /// Residents revoked while they still had unsynced entries: dropped once those entries are synced.
    fn deferred_revocations(&self) -> Vec<Uuid>;
    fn set_deferred_revocations(&mut self, ids: Vec<Uuid>);
}

/// A new entry made on the device: it goes to the outbox first, online or not.
pub fn record(store: &mut impl LocalStore, id: Uuid, created_at: i64, body: EntryBody) {
    store.append(OutboxItem { entry: PushEntry { id, created_at, body }, state: EntryState::Pending });
}

/// The next batch to send: pending entries, oldest first but urgent ones (disease reports, with the resident
/// entries they need) ahead of all others (`urgent_first`), at most `max` and about `MAX_PUSH_BYTES` (always
/// at least one). None when nothing is pending.
pub fn next_push(store: &impl LocalStore, device_id: &str, max: usize) -> Option<PushRequest> {
    let mut bytes = 0;
    let mut pending: Vec<Option<OutboxItem>> =
        store.outbox().into_iter().filter(|i| i.state == EntryState::Pending).map(Some).collect();
    let order = super::urgent_first(pending.iter().flatten().map(|i| &i.entry.body));
    let entries: Vec<PushEntry> = order
        .into_iter()
        .filter_map(|i| pending[i].take())
        .take(max)
        .take_while(|i| {
            bytes += i.entry.body.approx_bytes();
            bytes <= super::MAX_PUSH_BYTES || bytes == i.entry.body.approx_bytes()
        })
        .map(|i| i.entry)
        .collect();
    (!entries.is_empty()).then(|| PushRequest { protocol: PROTOCOL, device_id: device_id.to_string(), entries })
}

/// Counts of what a push answer did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushSummary {
    pub synced: usize,
    pub rejected: usize,
}

/// Applies the server's per-entry answer.
pub fn apply_push(store: &mut impl LocalStore, resp: &PushResponse) -> PushSummary {
    let mut s = PushSummary::default();
    for r in &resp.results {
        match &r.outcome {
            EntryOutcome::Accepted | EntryOutcome::Duplicate => {
                store.remove_entry(r.id);
                s.synced += 1;
            }
            // Faults on the way are not the doctor's to fix: keep it pending and send it again.
            EntryOutcome::Rejected { error: AppError::Internal | AppError::StorageFull | AppError::Network(_) } => {}
            EntryOutcome::Rejected { error } => {
                store.set_state(r.id, EntryState::Rejected(error.clone()));
                s.rejected += 1;
            }
        }
    }
    settle_revocations(store);
    s
}

/// Drops deferred revocations whose residents no longer have entries in the outbox.
fn settle_revocations(store: &mut impl LocalStore) {
    let deferred = store.deferred_revocations();
    if deferred.is_empty() {
        return;
    }
    let outbox = store.outbox();
    let (busy, free): (Vec<Uuid>, Vec<Uuid>) =
        deferred.into_iter().partition(|id| outbox.iter().any(|i| i.entry.body.resident_id() == Some(*id)));
    for id in free {
        store.drop_resident(id);
    }
    store.set_deferred_revocations(busy);
}

/// Replaces a rejected entry's content with the doctor's correction; it keeps its id and is sent again.
pub fn correct(store: &mut impl LocalStore, id: Uuid, body: EntryBody) {
    let Some(mut item) = store.outbox().into_iter().find(|i| i.entry.id == id) else { return };
    store.remove_entry(id);
    item.entry.body = body;
    item.state = EntryState::Pending;
    store.append(item);
}

/// Applies one pulled page, then advances the cursor. A revoked resident with unsynced entries stays until
/// they are synced (or discarded): the doctor's work is never dropped with it.
pub fn apply_pull(store: &mut impl LocalStore, page: &PullResponse) {
    let mut deferred = store.deferred_revocations();
    for change in &page.changes {
        match change {
            Change::Revoked { resident_id } => {
                if !deferred.contains(resident_id) {
                    deferred.push(*resident_id);
                }
            }
            other => {
                // The resident is back in scope: a revocation seen earlier no longer applies.
                if let Change::Resident { resident } = other {
                    deferred.retain(|d| *d != resident.id);
                }
                store.put(other);
            }
        }
    }
    store.set_deferred_revocations(deferred);
    settle_revocations(store);
    store.set_cursor(page.next_cursor);
}

#[cfg(test)]
mod tests;
