//! Property test of the sync core: one device and an in-memory model of the server, driven through random
//! interleavings of edits, pushes and pulls with cuts (request lost, answer lost), server-side edits and moves
//! out of the device's village. Afterwards both sides must agree and no entry may be lost or stored twice.

use super::*;
use crate::resident::{Resident, ResidentInput};
use crate::sync::{EntryResult, PullResponse, PushResponse};
use crate::visit::chronic::ChronicVisitInput;
use crate::visit::{VisitKind, VisitSummary};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

const HOME: &str = "A";

#[derive(Default)]
struct Device {
    outbox: Vec<OutboxItem>,
    cursor: i64,
    residents: BTreeMap<Uuid, String>,
    visits: BTreeMap<Uuid, Uuid>,
    deferred: Vec<Uuid>,
}

impl LocalStore for Device {
    fn outbox(&self) -> Vec<OutboxItem> {
        self.outbox.clone()
    }
    fn append(&mut self, item: OutboxItem) {
        self.outbox.push(item);
    }
    fn set_state(&mut self, id: Uuid, state: EntryState) {
        self.outbox.iter_mut().filter(|i| i.entry.id == id).for_each(|i| i.state = state.clone());
    }
    fn remove_entry(&mut self, id: Uuid) {
        self.outbox.retain(|i| i.entry.id != id);
    }
    fn cursor(&self) -> i64 {
        self.cursor
    }
    fn set_cursor(&mut self, cursor: i64) {
        self.cursor = cursor;
    }
    fn put(&mut self, change: &Change) {
        match change {
            Change::Resident { resident } => {
                self.residents.insert(resident.id, resident.name.clone());
            }
            Change::Visit { summary, resident_id, .. } => {
                self.visits.insert(summary.visit_id, *resident_id);
            }
            Change::Revoked { .. } => unreachable!("the core handles revocation"),
            Change::Record { .. } => unreachable!("the model server sends residents and visits"),
        }
    }
    fn drop_resident(&mut self, id: Uuid) {
        self.residents.remove(&id);
        self.visits.retain(|_, r| *r != id);
    }
    fn deferred_revocations(&self) -> Vec<Uuid> {
        self.deferred.clone()
    }
    fn set_deferred_revocations(&mut self, ids: Vec<Uuid>) {
        self.deferred = ids;
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Key {
    Resident(Uuid),
    Visit(Uuid),
    Revoke(Uuid),
}

/// The server as the protocol describes it: idempotent by entry id, a change log read by cursor.
#[derive(Default)]
struct Server {
    accepted: HashMap<Uuid, usize>,
    residents: BTreeMap<Uuid, (String, &'static str)>,
    visits: BTreeMap<Uuid, Uuid>,
    log: Vec<(&'static str, Key)>,
}

impl Server {
    fn push(&mut self, req: &PushRequest) -> PushResponse {
        let results = req
            .entries
            .iter()
            .map(|e| {
                let outcome = if self.accepted.contains_key(&e.id) {
                    EntryOutcome::Duplicate
                } else {
                    match self.write(&e.body) {
                        Ok(()) => {
                            *self.accepted.entry(e.id).or_default() += 1;
                            EntryOutcome::Accepted
                        }
                        Err(error) => EntryOutcome::Rejected { error },
                    }
                };
                EntryResult { id: e.id, outcome }
            })
            .collect();
        PushResponse { protocol: PROTOCOL, results }
    }

    fn write(&mut self, body: &EntryBody) -> Result<(), AppError> {
        match body {
            EntryBody::Resident(r) => {
                if r.name.trim().is_empty() {
                    return Err(AppError::field("name", "请输入姓名", "Enter the name"));
                }
                if self.residents.get(&r.id).is_some_and(|(_, v)| *v != HOME) {
                    return Err(AppError::Forbidden);
                }
                self.residents.insert(r.id, (r.name.clone(), HOME));
                self.log.push((HOME, Key::Resident(r.id)));
            }
            EntryBody::Record(_) | EntryBody::Attachment(_) => unreachable!("the model device makes none"),
            EntryBody::ChronicVisit(v) => match self.residents.get(&v.resident_id) {
                None => return Err(AppError::NotFound),
                Some((_, village)) if *village != HOME => return Err(AppError::Forbidden),
                Some(_) => {
                    self.visits.insert(v.visit_id, v.resident_id);
                    self.log.push((HOME, Key::Visit(v.visit_id)));
                }
            },
        }
        Ok(())
    }

    /// Another user edits a resident, or moves it to village B.
    fn edit_elsewhere(&mut self, n: usize, moved: bool) {
        let Some((&id, _)) = self.residents.iter().filter(|(_, (_, v))| *v == HOME).nth(n) else { return };
        if moved {
            self.residents.get_mut(&id).expect("exists").1 = "B";
            self.log.push((HOME, Key::Revoke(id)));
            self.log.push(("B", Key::Resident(id)));
        } else {
            self.residents.get_mut(&id).expect("exists").0.push('改');
            self.log.push((HOME, Key::Resident(id)));
        }
    }

    fn pull(&self, cursor: i64, limit: usize) -> PullResponse {
        let rows: Vec<(i64, Key)> = self
            .log
            .iter()
            .enumerate()
            .map(|(i, (v, k))| (i as i64 + 1, *v, *k))
            .filter(|(seq, v, _)| *seq > cursor && *v == HOME)
            .map(|(seq, _, k)| (seq, k))
            .take(limit + 1)
            .collect();
        let more = rows.len() > limit;
        let rows = &rows[..rows.len().min(limit)];
        let changes = rows
            .iter()
            .map(|(_, k)| match *k {
                Key::Revoke(id) => Change::Revoked { resident_id: id },
                Key::Resident(id) => Change::Resident { resident: Box::new(resident(id, &self.residents[&id].0)) },
                Key::Visit(id) => {
                    Change::Visit { summary: summary(id), resident_id: self.visits[&id], payload: Box::default() }
                }
            })
            .collect();
        PullResponse { protocol: PROTOCOL, changes, next_cursor: rows.last().map_or(cursor, |r| r.0), more }
    }
}

fn resident(id: Uuid, name: &str) -> Resident {
    crate::resident::tests::stored(id, name, HOME)
}

fn summary(visit_id: Uuid) -> VisitSummary {
    VisitSummary {
        id: visit_id,
        visit_id,
        revision: 1,
        kind: VisitKind::Hypertension,
        visit_date: chrono::NaiveDate::MIN,
        outcome: 1,
        mode: None,
        sbp: None,
        dbp: None,
        fbg: None,
        classification: None,
        next_mgmt: None,
        next_visit_date: None,
        urgent: false,
        signed: false,
        author_name: String::new(),
        recorded_at: String::new(),
        review: None,
    }
}

#[derive(Debug, Clone)]
enum Op {
    /// The doctor adds a resident; `bad` leaves the name empty, which the server rejects.
    NewResident { bad: bool },
    /// The doctor records a visit for the n-th resident the device knows.
    NewVisit(usize),
    /// The doctor corrects the first rejected entry.
    Correct,
    /// A push; `cut` 0 = answered, 1 = request lost, 2 = answer lost after the server committed.
    Push { max: usize, cut: u8 },
    /// A pull of one page; `lost` = the answer never arrives.
    Pull { limit: usize, lost: bool },
    /// Another user edits (or moves out of the village) the n-th resident on the server.
    Elsewhere { n: usize, moved: bool },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => prop::bool::weighted(0.25).prop_map(|bad| Op::NewResident { bad }),
        3 => (0usize..8).prop_map(Op::NewVisit),
        1 => Just(Op::Correct),
        3 => (1usize..6, 0u8..3).prop_map(|(max, cut)| Op::Push { max, cut }),
        3 => (1usize..5, any::<bool>()).prop_map(|(limit, lost)| Op::Pull { limit, lost }),
        1 => (0usize..6, any::<bool>()).prop_map(|(n, moved)| Op::Elsewhere { n, moved }),
    ]
}

struct World {
    device: Device,
    server: Server,
    made: Vec<Uuid>,
    counter: u128,
}

impl World {
    fn id(&mut self) -> Uuid {
        self.counter += 1;
        Uuid::from_u128(self.counter)
    }

    fn known_residents(&self) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self.device.residents.keys().copied().collect();
        for i in &self.device.outbox {
            if let EntryBody::Resident(r) = &i.entry.body {
                ids.push(r.id);
            }
        }
        ids.sort();
        ids.dedup();
        ids
    }

    fn step(&mut self, op: &Op) {
        match op {
            Op::NewResident { bad } => {
                let (entry, rid) = (self.id(), self.id());
                let name = if *bad { String::new() } else { format!("居民{rid}") };
                let input = ResidentInput { id: rid, name, ..sample_resident() };
                record(&mut self.device, entry, 0, EntryBody::Resident(Box::new(input)));
                self.made.push(entry);
            }
            Op::NewVisit(n) => {
                let known = self.known_residents();
                let Some(&rid) = known.get(n % known.len().max(1)) else { return };
                let (entry, vid) = (self.id(), self.id());
                let v = ChronicVisitInput { id: vid, visit_id: vid, resident_id: rid, ..Default::default() };
                record(&mut self.device, entry, 0, EntryBody::ChronicVisit(Box::new(v)));
                self.made.push(entry);
            }
            Op::Correct => {
                let first = self.device.outbox.iter().find(|i| matches!(i.state, EntryState::Rejected(_))).cloned();
                if let Some(item) = first {
                    if let EntryBody::Resident(mut r) = item.entry.body {
                        r.name = format!("居民{}", r.id);
                        correct(&mut self.device, item.entry.id, EntryBody::Resident(r));
                    }
                }
            }
            Op::Push { max, cut } => {
                if let Some(req) = next_push(&self.device, "phone", *max) {
                    if *cut == 1 {
                        return;
                    }
                    let resp = self.server.push(&req);
                    if *cut == 0 {
                        apply_push(&mut self.device, &resp);
                    }
                }
            }
            Op::Pull { limit, lost } => {
                let page = self.server.pull(self.device.cursor(), *limit);
                if !lost {
                    apply_pull(&mut self.device, &page);
                }
            }
            Op::Elsewhere { n, moved } => self.server.edit_elsewhere(*n, *moved),
        }
    }

    /// Network back for good: correct what can be corrected, then sync until both sides are quiet.
    fn settle(&mut self) {
        for _ in 0..10_000 {
            self.step(&Op::Correct);
            let pushed = next_push(&self.device, "phone", 50).map(|req| {
                let resp = self.server.push(&req);
                apply_push(&mut self.device, &resp)
            });
            let page = self.server.pull(self.device.cursor(), 50);
            let more = page.more || !page.changes.is_empty();
            apply_pull(&mut self.device, &page);
            if pushed.is_none() && !more {
                return;
            }
        }
        panic!("sync did not settle");
    }
}

fn sample_resident() -> ResidentInput {
    crate::resident::tests::sample()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn device_and_server_converge_and_no_entry_is_lost_or_stored_twice(ops in proptest::collection::vec(op(), 1..60)) {
        let mut w = World { device: Device::default(), server: Server::default(), made: vec![], counter: 0 };
        for op in &ops {
            w.step(op);
        }
        w.settle();
        // Nothing stored twice.
        prop_assert!(w.server.accepted.values().all(|n| *n == 1));
        // Nothing lost: every entry is on the server, or still on the phone, rejected with a reason.
        for id in &w.made {
            let stored = w.server.accepted.contains_key(id);
            let kept = w.device.outbox.iter().any(|i| i.entry.id == *id && matches!(i.state, EntryState::Rejected(_)));
            prop_assert!(stored ^ kept, "entry {id} stored {stored} kept {kept}");
        }
        // Converged: apart from residents the device still holds rejected work for, it holds exactly the
        // server's records of its village.
        let held: Vec<Uuid> = w.device.outbox.iter().filter_map(|i| i.entry.body.resident_id()).collect();
        let free = |id: &Uuid| !held.contains(id);
        let home: BTreeMap<Uuid, String> = w.server.residents.iter()
            .filter(|(id, (_, v))| *v == HOME && free(id)).map(|(id, (n, _))| (*id, n.clone())).collect();
        let mine: BTreeMap<Uuid, String> =
            w.device.residents.iter().filter(|(id, _)| free(id)).map(|(id, n)| (*id, n.clone())).collect();
        prop_assert_eq!(&mine, &home);
        let home_visits: BTreeMap<Uuid, Uuid> =
            w.server.visits.iter().filter(|(_, r)| home.contains_key(r)).map(|(v, r)| (*v, *r)).collect();
        let my_visits: BTreeMap<Uuid, Uuid> =
            w.device.visits.iter().filter(|(_, r)| free(r)).map(|(v, r)| (*v, *r)).collect();
        prop_assert_eq!(&my_visits, &home_visits);
    }
}

#[test]
fn a_revoked_resident_with_unsynced_work_stays_on_the_device() {
    let mut d = Device::default();
    let rid = Uuid::from_u128(7);
    d.residents.insert(rid, "王芳".into());
    let v = ChronicVisitInput { resident_id: rid, ..Default::default() };
    record(&mut d, Uuid::from_u128(8), 0, EntryBody::ChronicVisit(Box::new(v)));
    let page = PullResponse {
        protocol: PROTOCOL,
        changes: vec![Change::Revoked { resident_id: rid }],
        next_cursor: 3,
        more: false,
    };
    apply_pull(&mut d, &page);
    assert!(d.residents.contains_key(&rid));
    assert_eq!(d.cursor, 3);
    d.outbox.clear();
    apply_pull(&mut d, &page);
    assert!(!d.residents.contains_key(&rid));
}

#[test]
fn server_faults_keep_the_entry_pending_and_validation_errors_mark_it_rejected() {
    let mut d = Device::default();
    let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
    for id in [a, b, c] {
        record(&mut d, id, 0, EntryBody::ChronicVisit(Box::default()));
    }
    let resp = PushResponse {
        protocol: PROTOCOL,
        results: vec![
            EntryResult { id: a, outcome: EntryOutcome::Rejected { error: AppError::Internal } },
            EntryResult { id: b, outcome: EntryOutcome::Rejected { error: AppError::field("sbp", "x", "x") } },
            EntryResult { id: c, outcome: EntryOutcome::Rejected { error: AppError::StorageFull } },
        ],
    };
    assert_eq!(apply_push(&mut d, &resp), PushSummary { synced: 0, rejected: 1 });
    assert_eq!(d.outbox[0].state, EntryState::Pending);
    assert!(matches!(d.outbox[1].state, EntryState::Rejected(_)));
    assert_eq!(d.outbox[2].state, EntryState::Pending);
    assert_eq!(next_push(&d, "p", 10).unwrap().entries.len(), 2);
}

#[test]
fn pushes_are_cut_by_bytes_so_photos_travel_a_few_at_a_time() {
    let mut d = Device::default();
    let photo = |n: u128| crate::record::AttachmentInput {
        id: Uuid::from_u128(n),
        record_id: Uuid::from_u128(99),
        village_id: "v1".into(),
        kind: 1,
        mime: "image/jpeg".into(),
        data: "A".repeat(1_200_000),
    };
    for n in 1..=5 {
        record(&mut d, Uuid::from_u128(n), 0, EntryBody::Attachment(Box::new(photo(n))));
    }
    // Three photos of 1.2 MB make more than the 3 MB a push carries: two go first.
    let first = next_push(&d, "p", 500).unwrap();
    assert_eq!(first.entries.len(), 2);
    // An entry larger than a whole push still goes, alone.
    let mut big = Device::default();
    let mut huge = photo(7);
    huge.data = "A".repeat(crate::sync::MAX_PUSH_BYTES + 10);
    record(&mut big, Uuid::from_u128(7), 0, EntryBody::Attachment(Box::new(huge)));
    record(&mut big, Uuid::from_u128(8), 0, EntryBody::ChronicVisit(Box::default()));
    assert_eq!(next_push(&big, "p", 500).unwrap().entries.len(), 1);
}

/// A disease report saved behind 500 queued entries goes in the first push, at its head, after the new
/// resident it is about (registered offline, not yet sent); the rest keep their order behind it.
#[test]
fn a_disease_report_jumps_the_outbox_with_the_resident_it_needs() {
    use crate::record::{samples, RecordBody};
    let mut d = Device::default();
    let patient = ResidentInput { id: Uuid::from_u128(1), ..sample_resident() };
    record(&mut d, Uuid::from_u128(10), 0, EntryBody::Resident(Box::new(patient.clone())));
    for i in 0..499u128 {
        let v = ChronicVisitInput { resident_id: Uuid::from_u128(2), ..Default::default() };
        record(&mut d, Uuid::from_u128(100 + i), 0, EntryBody::ChronicVisit(Box::new(v)));
    }
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let body = RecordBody::DiseaseReport(Box::new(samples::disease_report(day, "dysentery_bacillary")));
    let report = samples::record("v1", Some(patient.id), day, body);
    record(&mut d, Uuid::from_u128(9), 0, EntryBody::Record(Box::new(report)));
    let ids: Vec<u128> =
        next_push(&d, "phone", MAX_PUSH_TEST).unwrap().entries.iter().map(|e| e.id.as_u128()).collect();
    assert_eq!(ids.len(), MAX_PUSH_TEST);
    assert_eq!(ids[..3], [10, 9, 100], "the resident, the report, then the queue in order");
    assert!(ids[2..].windows(2).all(|w| w[0] < w[1]));
    // Without a report the order is the outbox's.
    d.outbox.retain(|i| i.entry.id.as_u128() != 9);
    let ids: Vec<u128> = next_push(&d, "phone", 3).unwrap().entries.iter().map(|e| e.id.as_u128()).collect();
    assert_eq!(ids, [10, 100, 101]);
}

const MAX_PUSH_TEST: usize = crate::sync::MAX_PUSH;
