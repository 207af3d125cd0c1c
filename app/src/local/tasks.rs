//! The doctor's tasks on the device: the task engine run over every resident the phone holds, with the
//! doctor's unsynced entries laid over, so a form saved offline clears its task at once. The same walk over
//! the residents' histories feeds the indicators (`for_each_history`).

use super::LocalData;
use crate::auth::SessionUser;
use crate::record::RecordInput;
use crate::resident::Resident;
use crate::sync::EntryBody;
use crate::task::{tasks_of, History, TaskRow};
use crate::visit::VisitSummary;
use chrono::NaiveDate;
use std::collections::HashMap;
use uuid::Uuid;

impl LocalData {
    /// Every open task of the phone's residents on `today`, in the Today screen's order.
    pub fn tasks(&self, user: &SessionUser, today: NaiveDate) -> Vec<TaskRow> {
        let mut rows = Vec::new();
        self.for_each_history(user, |h| {
            for task in tasks_of(h, today) {
                rows.push(TaskRow::new(task, h.resident));
            }
        });
        crate::task::sort_rows(&mut rows, today);
        rows
    }

    /// Village-level records with when the server first received each (none for one it has not had); a
    /// disease report counts here even when it names a resident.
    pub fn village_records_received(&self) -> Vec<(&RecordInput, Option<chrono::NaiveDateTime>)> {
        let village_level =
            |r: &RecordInput| r.resident_id.is_none() || r.kind() == crate::record::RecordKind::DiseaseReport;
        let mut by_id: HashMap<Uuid, (&RecordInput, Option<chrono::NaiveDateTime>)> = HashMap::new();
        for r in self.records.values().filter(|r| village_level(&r.record)) {
            by_id.insert(r.record.record_id, (&r.record, r.first_received_at()));
        }
        // A correction still on the phone keeps the receipt of the revision the server has.
        for e in &self.outbox {
            if let EntryBody::Record(r) = &e.item.entry.body {
                if village_level(r) {
                    let received = by_id.get(&r.record_id).and_then(|(_, at)| *at);
                    by_id.insert(r.record_id, (r.as_ref(), received));
                }
            }
        }
        by_id.into_values().collect()
    }

    /// Calls `f` with each resident's history as the task engine and the indicators read it: the stored
    /// data with the user's unsynced entries laid over, so a form saved offline counts at once.
    pub fn for_each_history(&self, user: &SessionUser, mut f: impl FnMut(&History)) {
        let pending = self.pending_residents();
        let overlays: Vec<Resident> =
            pending.iter().map(|(id, (input, _))| self.overlay(self.residents.get(id), input, user)).collect();
        let residents = self.residents.values().filter(|r| !pending.contains_key(&r.id)).chain(overlays.iter());

        // Current follow-ups per resident: stored ones, then unsynced revisions replacing theirs.
        let mut visits: HashMap<Uuid, HashMap<Uuid, VisitSummary>> = HashMap::new();
        for v in self.visits.values() {
            visits.entry(v.resident_id).or_default().insert(v.summary.visit_id, v.summary.clone());
        }
        for e in &self.outbox {
            if let EntryBody::ChronicVisit(v) = &e.item.entry.body {
                let of = visits.entry(v.resident_id).or_default();
                let revision = of.get(&v.visit_id).map_or(1, |s| s.revision + 1);
                of.insert(v.visit_id, super::summary_of(v, revision, &user.display_name, &e.item.entry));
            }
        }
        // Current records per resident, by reference.
        let mut records: HashMap<Uuid, HashMap<Uuid, &RecordInput>> = HashMap::new();
        for r in self.records.values() {
            if let Some(id) = r.record.resident_id {
                records.entry(id).or_default().insert(r.record.record_id, &r.record);
            }
        }
        for e in &self.outbox {
            if let EntryBody::Record(r) = &e.item.entry.body {
                if let Some(id) = r.resident_id {
                    records.entry(id).or_default().insert(r.record_id, r.as_ref());
                }
            }
        }

        for r in residents {
            let v: Vec<VisitSummary> = visits.remove(&r.id).map(|m| m.into_values().collect()).unwrap_or_default();
            let recs: Vec<&RecordInput> = records.remove(&r.id).map(|m| m.into_values().collect()).unwrap_or_default();
            f(&History { resident: r, visits: &v, records: &recs });
        }
    }
}
