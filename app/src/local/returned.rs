//! Entries the township returned to the doctor (退回修改), as the phone holds them: the verdict came with the
//! entry in a pull, and covers the revision it names. A correction saved on the phone but not yet synced is
//! shown as such, so the doctor knows it is done.

use super::LocalData;
use crate::review::Verdict;
use crate::sync::EntryBody;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A returned entry on the Today screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returned {
    pub resident_id: Option<Uuid>,
    pub resident_name: String,
    /// A visit kind or record kind code.
    pub kind: String,
    pub date: NaiveDate,
    pub comment: String,
    pub reviewer: String,
    /// Where the doctor corrects it.
    pub href: String,
    /// A correction waits in the outbox.
    pub corrected: bool,
}

impl LocalData {
    /// The returned entries whose returned revision is still the current one, oldest first.
    pub fn returned(&self) -> Vec<Returned> {
        let name =
            |id: Option<Uuid>| id.and_then(|i| self.residents.get(&i)).map(|r| r.name.clone()).unwrap_or_default();
        let mut out = Vec::new();
        for v in self.visits.values() {
            let Some(note) = v.summary.review.as_deref().filter(|n| n.verdict == Verdict::Returned) else { continue };
            if note.revision_id != v.summary.id {
                continue;
            }
            let corrected = self
                .outbox
                .iter()
                .any(|e| matches!(&e.item.entry.body, EntryBody::ChronicVisit(c) if c.visit_id == v.summary.visit_id));
            out.push(Returned {
                resident_id: Some(v.resident_id),
                resident_name: name(Some(v.resident_id)),
                kind: v.summary.kind.code().to_string(),
                date: v.summary.visit_date,
                comment: note.comment.clone(),
                reviewer: note.reviewer.clone(),
                href: format!("/residents/{}/visits/{}/{}/correct", v.resident_id, v.summary.kind.code(), v.summary.id),
                corrected,
            });
        }
        for r in self.records.values() {
            let Some(note) = r.review.as_ref().filter(|n| n.verdict == Verdict::Returned) else { continue };
            if note.revision_id != r.record.id {
                continue;
            }
            let corrected = self
                .outbox
                .iter()
                .any(|e| matches!(&e.item.entry.body, EntryBody::Record(c) if c.record_id == r.record.record_id));
            let href = match r.record.resident_id {
                Some(id) => format!("/residents/{id}"),
                None => format!("/education/{}", r.record.record_id),
            };
            out.push(Returned {
                resident_id: r.record.resident_id,
                resident_name: name(r.record.resident_id),
                kind: r.record.kind().code().to_string(),
                date: r.record.date,
                comment: note.comment.clone(),
                reviewer: note.reviewer.clone(),
                href,
                corrected,
            });
        }
        out.sort_by(|a, b| a.date.cmp(&b.date).then(a.href.cmp(&b.href)));
        out
    }
}
