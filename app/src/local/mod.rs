//! The device's local store (本机数据) as plain data: the doctor's scope as last pulled from the server, the
//! outbox of entries not yet synced, and the pull cursor. Pages read the *effective* state (server state with
//! the outbox's unsynced entries laid over it), so a record saved offline shows at once, marked pending.
//!
//! No I/O here: `browser` keeps one `LocalData` in memory and writes what changed (`dirty`) to IndexedDB;
//! the tests run it as it is. Implements the sync core's `LocalStore`.

use crate::auth::SessionUser;
use crate::error::AppError;
use crate::record::StoredRecord;
use crate::resident::id_number::mask;
use crate::resident::{age_groups, HouseholdOption, Resident, ResidentInput, ResidentPage, ResidentQuery, Sex};
use crate::resident::{ResidentSummary, PAGE_SIZE};
use crate::sync::core::{EntryState, LocalStore, OutboxItem};
use crate::sync::{Change, EntryBody, PushEntry};
use crate::visit::api::ChronicFormData;
use crate::visit::chronic::{ChronicVisitInput, Disease};
use crate::visit::VisitSummary;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

pub mod api;
#[cfg(feature = "hydrate")]
pub mod browser;
#[cfg(feature = "hydrate")]
mod crypto;
pub mod keys;
pub mod lock_pages;
pub mod pin;
mod records;
mod returned;
#[cfg(feature = "hydrate")]
pub mod vault;
pub use returned::Returned;
mod tasks;
pub use records::ShownRecord;
#[cfg(test)]
mod tests;

/// One record of the IndexedDB stores, named by store and key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Resident(Uuid),
    /// A visit by its `visit_id`: the device keeps the current revision only.
    Visit(Uuid),
    /// A service record by its `record_id` (current revision only).
    Record(Uuid),
    Outbox(Uuid),
    Meta(&'static str),
}

impl Key {
    pub fn store(&self) -> &'static str {
        match self {
            Key::Resident(_) => "residents",
            Key::Visit(_) => "visits",
            Key::Record(_) => "records",
            Key::Outbox(_) => "outbox",
            Key::Meta(_) => "meta",
        }
    }
    pub fn id(&self) -> String {
        match self {
            Key::Resident(id) | Key::Visit(id) | Key::Record(id) | Key::Outbox(id) => id.to_string(),
            Key::Meta(k) => k.to_string(),
        }
    }
}

pub const STORES: [&str; 5] = ["residents", "visits", "records", "outbox", "meta"];
const META_CURSOR: &str = "cursor";
const META_DEFERRED: &str = "deferred";

/// A visit as the server last sent it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredVisit {
    pub summary: VisitSummary,
    pub resident_id: Uuid,
    pub payload: ChronicVisitInput,
}

/// An outbox entry with its position, so the order survives a reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredEntry {
    pub pos: u64,
    pub item: OutboxItem,
}

/// Where a record shown on a page stands with the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SyncMark {
    Synced,
    Pending,
    Rejected(AppError),
}

impl SyncMark {
    fn of(state: &EntryState) -> Self {
        match state {
            EntryState::Pending => SyncMark::Pending,
            EntryState::Rejected(e) => SyncMark::Rejected(e.clone()),
        }
    }
}

#[derive(Debug, Default)]
pub struct LocalData {
    residents: HashMap<Uuid, Resident>,
    visits: HashMap<Uuid, StoredVisit>,
    records: HashMap<Uuid, StoredRecord>,
    outbox: Vec<StoredEntry>,
    next_pos: u64,
    cursor: i64,
    deferred: Vec<Uuid>,
    /// Records changed since the last successful write, with the generation of their last change.
    dirty: BTreeMap<Key, u64>,
    generation: u64,
}

/// What was read back from the device's storage, as JSON text per record.
#[derive(Debug, Default)]
pub struct Loaded {
    pub residents: Vec<String>,
    pub visits: Vec<String>,
    pub records: Vec<String>,
    pub outbox: Vec<String>,
    pub meta: Vec<(String, String)>,
}

impl LocalData {
    /// Rebuilds the store from what storage held. Records that no longer parse are reported, not deleted.
    pub fn load(l: Loaded) -> (Self, Vec<String>) {
        let mut d = LocalData::default();
        let mut bad = Vec::new();
        for s in l.residents {
            match serde_json::from_str::<Resident>(&s) {
                Ok(r) => {
                    d.residents.insert(r.id, r);
                }
                Err(e) => bad.push(format!("resident: {e}")),
            }
        }
        for s in l.visits {
            match serde_json::from_str::<StoredVisit>(&s) {
                Ok(v) => {
                    d.visits.insert(v.summary.visit_id, v);
                }
                Err(e) => bad.push(format!("visit: {e}")),
            }
        }
        for s in l.records {
            match serde_json::from_str::<StoredRecord>(&s) {
                Ok(r) => {
                    d.records.insert(r.record.record_id, r);
                }
                Err(e) => bad.push(format!("record: {e}")),
            }
        }
        for s in l.outbox {
            match serde_json::from_str::<StoredEntry>(&s) {
                Ok(e) => d.outbox.push(e),
                Err(e) => bad.push(format!("outbox: {e}")),
            }
        }
        d.outbox.sort_by_key(|e| e.pos);
        d.next_pos = d.outbox.last().map(|e| e.pos + 1).unwrap_or(0);
        for (k, v) in l.meta {
            match k.as_str() {
                META_CURSOR => d.cursor = v.parse().unwrap_or(0),
                META_DEFERRED => d.deferred = serde_json::from_str(&v).unwrap_or_default(),
                _ => {}
            }
        }
        (d, bad)
    }

    fn touch(&mut self, key: Key) {
        self.generation += 1;
        self.dirty.insert(key, self.generation);
    }

    /// Marks every record to be written again (storage held some in an older form, e.g. unencrypted).
    pub fn rewrite_all(&mut self) {
        let mut keys: Vec<Key> = self.residents.keys().map(|id| Key::Resident(*id)).collect();
        keys.extend(self.visits.keys().map(|id| Key::Visit(*id)));
        keys.extend(self.records.keys().map(|id| Key::Record(*id)));
        keys.extend(self.outbox.iter().map(|e| Key::Outbox(e.item.entry.id)));
        keys.extend([Key::Meta(META_CURSOR), Key::Meta(META_DEFERRED)]);
        for k in keys {
            self.touch(k);
        }
    }

    /// Every changed record with its current JSON (None: delete it), to write in one transaction.
    pub fn pending_writes(&self) -> Vec<(Key, u64, Option<String>)> {
        self.dirty.iter().map(|(k, g)| (k.clone(), *g, self.value_of(k))).collect()
    }

    /// Marks records written; a record changed again meanwhile stays dirty.
    pub fn written(&mut self, done: &[(Key, u64)]) {
        for (k, g) in done {
            if self.dirty.get(k) == Some(g) {
                self.dirty.remove(k);
            }
        }
    }

    pub fn unwritten(&self) -> usize {
        self.dirty.len()
    }

    fn value_of(&self, key: &Key) -> Option<String> {
        match key {
            Key::Resident(id) => self.residents.get(id).map(json),
            Key::Visit(id) => self.visits.get(id).map(json),
            Key::Record(id) => self.records.get(id).map(json),
            Key::Outbox(id) => self.outbox.iter().find(|e| e.item.entry.id == *id).map(json),
            Key::Meta(META_CURSOR) => Some(self.cursor.to_string()),
            Key::Meta(META_DEFERRED) => Some(json(&self.deferred)),
            Key::Meta(_) => None,
        }
    }

    pub fn resident_count(&self) -> usize {
        self.residents.len()
    }

    pub fn visit_count(&self) -> usize {
        self.visits.len()
    }

    pub fn record_count(&self) -> usize {
        self.records.len()
    }

    pub fn outbox_items(&self) -> &[StoredEntry] {
        &self.outbox
    }

    pub fn pending_count(&self) -> usize {
        self.outbox.iter().filter(|e| e.item.state == EntryState::Pending).count()
    }

    pub fn rejected_count(&self) -> usize {
        self.outbox.len() - self.pending_count()
    }

    /// Every resident's name as the pages show it (unsynced edits win), for lists of entries.
    pub fn names(&self) -> HashMap<Uuid, &str> {
        let mut m: HashMap<Uuid, &str> = self.residents.values().map(|r| (r.id, r.name.as_str())).collect();
        for (id, (input, _)) in self.pending_residents() {
            m.insert(id, input.name.as_str());
        }
        m
    }

    /// Saves a form's entry. An unsynced entry for the same record that is not on its way to the server is
    /// replaced (same entry id, pending again); otherwise the entry is added to the outbox.
    pub fn save(&mut self, entry_id: Uuid, created_at: i64, body: EntryBody, in_flight: &HashSet<Uuid>) -> Uuid {
        let same = |b: &EntryBody| match (b, &body) {
            (EntryBody::Resident(a), EntryBody::Resident(n)) => a.id == n.id,
            (EntryBody::ChronicVisit(a), EntryBody::ChronicVisit(n)) => a.id == n.id,
            (EntryBody::Record(a), EntryBody::Record(n)) => a.record_id == n.record_id,
            (EntryBody::Attachment(a), EntryBody::Attachment(n)) => a.id == n.id,
            _ => false,
        };
        if let Some(e) =
            self.outbox.iter().rev().find(|e| same(&e.item.entry.body) && !in_flight.contains(&e.item.entry.id))
        {
            let id = e.item.entry.id;
            crate::sync::core::correct(self, id, body);
            return id;
        }
        crate::sync::core::record(self, entry_id, created_at, body);
        entry_id
    }

    /// Drops an entry the doctor chose to discard (a rejected one they cannot or will not correct).
    pub fn discard(&mut self, entry_id: Uuid) {
        LocalStore::remove_entry(self, entry_id);
    }

    /// The latest unsynced entry of each resident and of each visit revision, with its state.
    fn pending_residents(&self) -> HashMap<Uuid, (&ResidentInput, &EntryState)> {
        let mut m = HashMap::new();
        for e in &self.outbox {
            if let EntryBody::Resident(r) = &e.item.entry.body {
                m.insert(r.id, (r.as_ref(), &e.item.state));
            }
        }
        m
    }

    /// A resident as the pages show it: the server's record with the doctor's unsynced edit laid over it.
    pub fn resident(&self, id: Uuid, user: &SessionUser) -> Option<(Resident, SyncMark)> {
        let pending = self.pending_residents();
        match (self.residents.get(&id), pending.get(&id)) {
            (base, Some((input, state))) => Some((self.overlay(base, input, user), SyncMark::of(state))),
            (Some(r), None) => Some((r.clone(), SyncMark::Synced)),
            (None, None) => None,
        }
    }

    fn overlay(&self, base: Option<&Resident>, i: &ResidentInput, user: &SessionUser) -> Resident {
        let today = chrono::Local::now().date_naive();
        let (sex, birth) = match i.validate(today) {
            Ok(v) => (v.sex, v.birth_date),
            Err(_) => (
                base.map(|b| b.sex).or(i.sex.and_then(Sex::from_code)).unwrap_or(Sex::Unknown),
                base.map(|b| b.birth_date).or(i.birth_date).unwrap_or(today),
            ),
        };
        let village_name =
            user.villages.iter().find(|v| v.id == i.village_id).map(|v| v.name.clone()).unwrap_or_default();
        // A new household takes its head's id on the server too (`household_for`).
        let household_id =
            i.household_id.clone().or(base.map(|b| b.household_id.clone())).unwrap_or_else(|| i.id.to_string());
        let household_head = if i.household_id.is_none() && base.is_none() {
            i.name.clone()
        } else {
            self.head_of(&household_id)
                .map(|h| h.name.clone())
                .or_else(|| self.pending_head(&household_id))
                .or(base.map(|b| b.household_head.clone()))
                .unwrap_or_default()
        };
        let since = today;
        Resident {
            id: i.id,
            record_no: base.map(|b| b.record_no.clone()).unwrap_or_default(),
            village_id: i.village_id.clone(),
            village_name,
            household_id,
            household_head,
            relation: i.relation,
            name: i.name.clone(),
            sex,
            birth_date: birth,
            id_no: i.id_no.clone(),
            phone: i.phone.clone(),
            address: i.address.clone(),
            residence_type: i.residence_type,
            ethnicity: i.ethnicity,
            blood_abo: i.blood_abo,
            education: i.education,
            occupation: i.occupation,
            marital: i.marital,
            payment: i.payment.clone(),
            status: i.status,
            flags: i
                .flags
                .iter()
                .filter(|f| !f.is_derived())
                .map(|f| crate::resident::FlagMembership {
                    flag: *f,
                    since: base.and_then(|b| b.flags.iter().find(|m| m.flag == *f).map(|m| m.since)).unwrap_or(since),
                })
                .collect(),
            version: base.map(|b| b.version).unwrap_or(0),
            created_at: base.map(|b| b.created_at.clone()).unwrap_or_default(),
            created_by_name: base.map(|b| b.created_by_name.clone()).unwrap_or_else(|| user.display_name.clone()),
            updated_at: base.map(|b| b.updated_at.clone()).unwrap_or_default(),
        }
    }

    /// The other synced members of a household, oldest first.
    pub fn household_members(&self, household_id: &str, except: Uuid) -> Vec<Resident> {
        let mut v: Vec<Resident> =
            self.residents.values().filter(|r| r.household_id == household_id && r.id != except).cloned().collect();
        v.sort_by_key(|r| (r.birth_date, r.id));
        v
    }

    /// Every resident on the device, as the server sent them (a resident's phone: their own and linked
    /// children's records).
    pub fn all_residents(&self) -> Vec<Resident> {
        let mut v: Vec<Resident> = self.residents.values().cloned().collect();
        v.sort_by_key(|r| (r.birth_date, r.id));
        v
    }

    fn head_of(&self, household_id: &str) -> Option<&Resident> {
        self.residents.values().find(|r| r.household_id == household_id && r.relation == 1)
    }

    /// The head of a household made on this phone and not yet synced: the unsynced resident whose id the
    /// household took (`household_for`), or one entered into it as head (户主, relation 1).
    fn pending_head(&self, household_id: &str) -> Option<String> {
        self.pending_residents().into_values().find_map(|(r, _)| {
            let head = r.id.to_string() == household_id
                || (r.household_id.as_deref() == Some(household_id) && r.relation == 1);
            head.then(|| r.name.clone())
        })
    }

    /// Residents on this device (with unsynced edits laid over) who may be the person being recorded as `id`.
    pub fn duplicate_candidates(
        &self,
        id: Uuid,
        name: &str,
        birth_date: NaiveDate,
        user: &SessionUser,
    ) -> Vec<crate::resident::duplicates::Candidate> {
        let pending = self.pending_residents();
        let overlays: Vec<Resident> =
            pending.iter().map(|(id, (input, _))| self.overlay(self.residents.get(id), input, user)).collect();
        let all = self.residents.values().filter(|r| !pending.contains_key(&r.id)).chain(overlays.iter());
        crate::resident::duplicates::candidates(id, name, birth_date, all)
    }

    /// The resident list: the server's search rules (name, ID number or its last digits, record number,
    /// household head), a key-group filter, pages of `PAGE_SIZE` ordered by name.
    pub fn list(&self, q: &ResidentQuery, user: &SessionUser, today: NaiveDate) -> ResidentPage {
        let needle = q.q.trim().to_uppercase();
        let pending = self.pending_residents();
        let overlays: Vec<Resident> =
            pending.iter().map(|(id, (input, _))| self.overlay(self.residents.get(id), input, user)).collect();
        // Filter by reference first: a keystroke must not copy the whole scope.
        let mut rows: Vec<&Resident> = self
            .residents
            .values()
            .filter(|r| !pending.contains_key(&r.id))
            .chain(overlays.iter())
            .filter(|r| q.village_id.as_ref().is_none_or(|v| *v == r.village_id))
            .filter(|r| {
                needle.is_empty()
                    || r.name.contains(&needle)
                    || r.id_no.as_deref().is_some_and(|i| contains_uppercased(i, &needle))
                    || r.record_no.contains(&needle)
                    || r.household_head.contains(&needle)
            })
            .filter(|r| q.flag.is_none_or(|f| r.all_flags(today).contains(&f)))
            .collect();
        rows.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        let total = rows.len() as i64;
        let rows = rows
            .into_iter()
            .skip((q.page * PAGE_SIZE) as usize)
            .take(PAGE_SIZE as usize)
            .map(|r| ResidentSummary {
                id: r.id,
                flags: r.flags.iter().map(|m| m.flag).chain(age_groups(r.birth_date, today)).collect(),
                name: r.name.clone(),
                sex: r.sex,
                birth_date: r.birth_date,
                id_masked: r.id_no.as_deref().map(mask),
                village_name: r.village_name.clone(),
                household_head: r.household_head.clone(),
                address: r.address.clone(),
            })
            .collect();
        ResidentPage { rows, total, page: q.page }
    }

    /// The households of a village, for the resident form's picker.
    pub fn households(&self, village_id: &str) -> Vec<HouseholdOption> {
        let mut v: Vec<HouseholdOption> = self
            .residents
            .values()
            .filter(|r| r.village_id == village_id && r.relation == 1 && !r.household_id.is_empty())
            .map(|r| HouseholdOption {
                id: r.household_id.clone(),
                village_id: r.village_id.clone(),
                head_name: r.name.clone(),
                address: r.address.clone(),
            })
            .collect();
        v.sort_by(|a, b| a.head_name.cmp(&b.head_name).then(a.id.cmp(&b.id)));
        v
    }

    /// A resident's follow-ups, newest first: the server's current revisions with unsynced ones laid over.
    pub fn visits_of(&self, resident_id: Uuid, me: &str) -> Vec<(VisitSummary, SyncMark)> {
        let mut by_visit: HashMap<Uuid, (VisitSummary, SyncMark)> = self
            .visits
            .values()
            .filter(|v| v.resident_id == resident_id)
            .map(|v| (v.summary.visit_id, (v.summary.clone(), SyncMark::Synced)))
            .collect();
        for e in &self.outbox {
            if let EntryBody::ChronicVisit(v) = &e.item.entry.body {
                if v.resident_id == resident_id {
                    let revision = by_visit.get(&v.visit_id).map(|(s, _)| s.revision + 1).unwrap_or(1);
                    by_visit
                        .insert(v.visit_id, (summary_of(v, revision, me, &e.item.entry), SyncMark::of(&e.item.state)));
                }
            }
        }
        let mut out: Vec<_> = by_visit.into_values().collect();
        out.sort_by(|(a, _), (b, _)| b.visit_date.cmp(&a.visit_date).then(b.recorded_at.cmp(&a.recorded_at)));
        out
    }

    /// A stored or unsynced revision of a hypertension visit by its revision id.
    pub fn htn_visit(&self, id: Uuid) -> Option<ChronicVisitInput> {
        let from_outbox = self.outbox.iter().rev().find_map(|e| match &e.item.entry.body {
            EntryBody::ChronicVisit(v) if v.id == id => Some(v.as_ref().clone()),
            _ => None,
        });
        from_outbox.or_else(|| self.visits.values().find(|v| v.payload.id == id).map(|v| v.payload.clone()))
    }

    /// Whether a visit revision exists only in the outbox (never accepted by the server).
    pub fn unsynced_revision(&self, id: Uuid) -> bool {
        !self.visits.values().any(|v| v.payload.id == id)
            && self.outbox.iter().any(|e| matches!(&e.item.entry.body, EntryBody::ChronicVisit(v) if v.id == id))
    }

    /// What a follow-up form for `disease` needs, from the device's data.
    pub fn chronic_form_data(
        &self,
        resident_id: Uuid,
        disease: Disease,
        user: &SessionUser,
        today: NaiveDate,
    ) -> Option<ChronicFormData> {
        let (r, _) = self.resident(resident_id, user)?;
        let history = self.visits_of(resident_id, &user.display_name);
        let same: Vec<&VisitSummary> = history.iter().map(|(v, _)| v).filter(|v| v.kind == disease.kind()).collect();
        let previous_classification = same.iter().filter(|v| v.visit_date <= today).find_map(|v| v.classification);
        let last_visit = same.first().and_then(|v| self.htn_visit(v.id));
        Some(ChronicFormData {
            resident_name: r.name,
            age: crate::resident::age_on(r.birth_date, today),
            birth_date: r.birth_date,
            previous_classification,
            last_visit,
        })
    }
}

/// The history row of an unsynced visit revision.
fn summary_of(v: &ChronicVisitInput, revision: i64, me: &str, entry: &PushEntry) -> VisitSummary {
    let urgent = !crate::visit::chronic::urgent_reasons(v, &Default::default()).is_empty();
    VisitSummary::of_chronic(v, revision, urgent, me, crate::visit::local_time(entry.created_at))
}

/// JSON of a stored value: storage keeps text, so a new field (with a serde default) needs no migration.
fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

impl LocalStore for LocalData {
    fn outbox(&self) -> Vec<OutboxItem> {
        self.outbox.iter().map(|e| e.item.clone()).collect()
    }
    fn append(&mut self, item: OutboxItem) {
        let id = item.entry.id;
        self.outbox.push(StoredEntry { pos: self.next_pos, item });
        self.next_pos += 1;
        self.touch(Key::Outbox(id));
    }
    fn set_state(&mut self, id: Uuid, state: EntryState) {
        if let Some(e) = self.outbox.iter_mut().find(|e| e.item.entry.id == id) {
            e.item.state = state;
            self.touch(Key::Outbox(id));
        }
    }
    fn remove_entry(&mut self, id: Uuid) {
        self.outbox.retain(|e| e.item.entry.id != id);
        self.touch(Key::Outbox(id));
    }
    fn cursor(&self) -> i64 {
        self.cursor
    }
    fn set_cursor(&mut self, cursor: i64) {
        self.cursor = cursor;
        self.touch(Key::Meta(META_CURSOR));
    }
    fn put(&mut self, change: &Change) {
        match change {
            Change::Resident { resident } => {
                self.touch(Key::Resident(resident.id));
                self.residents.insert(resident.id, resident.as_ref().clone());
            }
            Change::Visit { summary, resident_id, payload } => {
                self.touch(Key::Visit(summary.visit_id));
                self.visits.insert(
                    summary.visit_id,
                    StoredVisit {
                        summary: summary.clone(),
                        resident_id: *resident_id,
                        payload: payload.as_ref().clone(),
                    },
                );
            }
            Change::Record { record } => {
                self.touch(Key::Record(record.record.record_id));
                self.records.insert(record.record.record_id, record.as_ref().clone());
            }
            Change::Revoked { .. } => {}
        }
    }
    fn drop_resident(&mut self, id: Uuid) {
        if self.residents.remove(&id).is_some() {
            self.touch(Key::Resident(id));
        }
        let gone: Vec<Uuid> =
            self.visits.values().filter(|v| v.resident_id == id).map(|v| v.summary.visit_id).collect();
        for v in gone {
            self.visits.remove(&v);
            self.touch(Key::Visit(v));
        }
        let gone: Vec<Uuid> =
            self.records.values().filter(|r| r.record.resident_id == Some(id)).map(|r| r.record.record_id).collect();
        for r in gone {
            self.records.remove(&r);
            self.touch(Key::Record(r));
        }
    }
    fn deferred_revocations(&self) -> Vec<Uuid> {
        self.deferred.clone()
    }
    fn set_deferred_revocations(&mut self, ids: Vec<Uuid>) {
        if ids != self.deferred {
            self.deferred = ids;
            self.touch(Key::Meta(META_DEFERRED));
        }
    }
}

/// `hay.to_uppercase().contains(needle)` (`needle` already upper case) without allocating for ASCII text
/// such as ID numbers: the search runs over the whole village at every keystroke.
fn contains_uppercased(hay: &str, needle: &str) -> bool {
    if !hay.is_ascii() {
        return hay.to_uppercase().contains(needle);
    }
    let n = needle.as_bytes();
    n.is_empty() || hay.as_bytes().windows(n.len()).any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_uppercase() == *b))
}
