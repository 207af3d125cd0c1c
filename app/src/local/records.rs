//! Service records on the device: the server's current revisions with the doctor's unsynced ones laid over,
//! and photos still waiting in the outbox.

use super::{LocalData, SyncMark};
use crate::record::{AttachmentMeta, RecordKind, StoredRecord};
use crate::sync::core::EntryState;
use crate::sync::EntryBody;
use std::collections::HashMap;
use uuid::Uuid;

/// A record as pages show it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ShownRecord {
    pub stored: StoredRecord,
    pub mark: SyncMark,
}

impl ShownRecord {
    /// When the server first received the record: a correction still on the phone keeps the receipt of
    /// the revision the server has.
    pub fn first_received_at(&self) -> Option<chrono::NaiveDateTime> {
        match self.mark {
            SyncMark::Synced => self.stored.first_received_at(),
            _ => crate::visit::parse_local_time(&self.stored.first_received),
        }
    }
}

impl LocalData {
    /// Every record that `keep` selects, the outbox's unsynced revisions and photos laid over, newest first.
    pub fn records_where(&self, me: &str, keep: impl Fn(&crate::record::RecordInput) -> bool) -> Vec<ShownRecord> {
        let mut by_id: HashMap<Uuid, ShownRecord> = self
            .records
            .values()
            .filter(|r| keep(&r.record))
            .map(|r| (r.record.record_id, ShownRecord { stored: r.clone(), mark: SyncMark::Synced }))
            .collect();
        for e in &self.outbox {
            if let EntryBody::Record(r) = &e.item.entry.body {
                if keep(r) {
                    let base = by_id.get(&r.record_id);
                    let stored = StoredRecord {
                        record: r.as_ref().clone(),
                        revision: base.map_or(1, |b| b.stored.revision + 1),
                        author_name: me.to_string(),
                        recorded_at: crate::visit::local_time(e.item.entry.created_at),
                        first_received: base
                            .and_then(ShownRecord::first_received_at)
                            .map(|at| at.format(crate::visit::LOCAL_TIME).to_string())
                            .unwrap_or_default(),
                        attachments: base.map(|b| b.stored.attachments.clone()).unwrap_or_default(),
                        review: None,
                    };
                    by_id.insert(r.record_id, ShownRecord { stored, mark: SyncMark::of(&e.item.state) });
                }
            }
        }
        for e in &self.outbox {
            if let EntryBody::Attachment(a) = &e.item.entry.body {
                if let Some(r) = by_id.get_mut(&a.record_id) {
                    if !r.stored.attachments.iter().any(|m| m.id == a.id) {
                        r.stored.attachments.push(a.meta());
                    }
                    if let EntryState::Rejected(err) = &e.item.state {
                        if r.mark == SyncMark::Synced || r.mark == SyncMark::Pending {
                            r.mark = SyncMark::Rejected(err.clone());
                        }
                    } else if r.mark == SyncMark::Synced {
                        r.mark = SyncMark::Pending;
                    }
                }
            }
        }
        let mut out: Vec<ShownRecord> = by_id.into_values().collect();
        out.sort_by(|a, b| {
            b.stored.record.date.cmp(&a.stored.record.date).then(b.stored.record.id.cmp(&a.stored.record.id))
        });
        out
    }

    /// A resident's records of the given kinds.
    pub fn records_of(&self, resident_id: Uuid, kinds: &[RecordKind], me: &str) -> Vec<ShownRecord> {
        self.records_where(me, |r| r.resident_id == Some(resident_id) && kinds.contains(&r.kind()))
    }

    /// One record by its id.
    pub fn record(&self, record_id: Uuid, me: &str) -> Option<ShownRecord> {
        self.records_where(me, |r| r.record_id == record_id).pop()
    }

    /// A photo still in the outbox, as a `data:` URL to show before it is synced.
    pub fn pending_photo(&self, id: Uuid) -> Option<String> {
        self.outbox.iter().find_map(|e| match &e.item.entry.body {
            EntryBody::Attachment(a) if a.id == id => Some(format!("data:{};base64,{}", a.mime, a.data)),
            _ => None,
        })
    }

    /// Why a photo was refused, when it was.
    pub fn photo_problem(&self, meta: &AttachmentMeta) -> Option<crate::error::AppError> {
        self.outbox.iter().find_map(|e| match (&e.item.entry.body, &e.item.state) {
            (EntryBody::Attachment(a), EntryState::Rejected(err)) if a.id == meta.id => Some(err.clone()),
            _ => None,
        })
    }
}
