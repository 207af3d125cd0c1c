//! The doctor's tasks on the device: the task engine run over every resident the phone holds, with the
//! doctor's unsynced entries laid over, so a form saved offline clears its task at once.

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

        let mut rows = Vec::new();
        for r in residents {
            let v: Vec<VisitSummary> = visits.remove(&r.id).map(|m| m.into_values().collect()).unwrap_or_default();
            let recs: Vec<&RecordInput> = records.remove(&r.id).map(|m| m.into_values().collect()).unwrap_or_default();
            for task in tasks_of(&History { resident: r, visits: &v, records: &recs }, today) {
                rows.push(TaskRow::new(task, r));
            }
        }
        crate::task::sort_rows(&mut rows, today);
        rows
    }
}
