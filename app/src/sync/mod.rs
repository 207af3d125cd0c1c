//! The sync protocol (version 1) between a device's outbox and the server; see `docs/sync.md`.
//!
//! Wire types only, shared by the browser, the server routes and the tests. A push carries outbox entries,
//! each with its own UUID; the server answers per entry and remembers accepted entry ids, so a batch sent
//! twice (a retry after a cut) stores one copy. A pull returns the changes in the user's scope after a
//! server cursor, one page at a time; the client advances its cursor only after a page is applied.

use crate::error::AppError;
use crate::record::{AttachmentInput, RecordInput, StoredRecord};
use crate::resident::{Resident, ResidentInput};
use crate::visit::chronic::ChronicVisitInput;
use crate::visit::VisitSummary;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod badge;
pub mod conflicts;
pub mod core;
pub mod pages;

pub const PROTOCOL: u32 = 1;
/// Most entries one push may carry; a device sends more in several batches.
pub const MAX_PUSH: usize = 500;
/// Default and largest page of a pull.
pub const PULL_PAGE: u32 = 500;
pub const MAX_PULL_PAGE: u32 = 2_000;
/// Most bytes a device puts in one push (photos make entries large); the server accepts a bit more.
pub const MAX_PUSH_BYTES: usize = 3 * 1024 * 1024;
/// The push route's body limit.
pub const PUSH_BODY_LIMIT: usize = 8 * 1024 * 1024;

/// What an outbox entry records (boxed: the forms are large and entries move through queues).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum EntryBody {
    /// A new resident record or an edit of one.
    Resident(Box<ResidentInput>),
    /// A chronic-disease follow-up revision (hypertension or type-2 diabetes). Devices built before the
    /// diabetes form wrote its kind as `htn_visit`, which still reads.
    #[serde(alias = "htn_visit")]
    ChronicVisit(Box<ChronicVisitInput>),
    /// A revision of a service record (health education, vaccination, contract, ...).
    Record(Box<RecordInput>),
    /// A photo of a record, sent on its own so a refused photo never costs the record.
    Attachment(Box<AttachmentInput>),
}

impl EntryBody {
    /// The resident this entry is about, so a revocation never drops a resident with unsynced work.
    pub fn resident_id(&self) -> Option<Uuid> {
        match self {
            EntryBody::Resident(r) => Some(r.id),
            EntryBody::ChronicVisit(v) => Some(v.resident_id),
            EntryBody::Record(r) => r.resident_id,
            EntryBody::Attachment(_) => None,
        }
    }

    /// An entry that goes before everything else: an infectious-disease report (its deadline is hours).
    pub fn is_urgent(&self) -> bool {
        matches!(self, EntryBody::Record(r) if r.kind().is_urgent())
    }

    /// The JSON size of the entry's content, roughly: pushes are cut by bytes as well as by count.
    pub fn approx_bytes(&self) -> usize {
        match self {
            EntryBody::Attachment(a) => a.data.len() + 200,
            _ => 2_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushEntry {
    /// The outbox entry's id: the idempotency key.
    pub id: Uuid,
    /// When the doctor saved it on the device (Unix seconds, device clock).
    pub created_at: i64,
    #[serde(flatten)]
    pub body: EntryBody,
}

/// The order to send (device) or store (server) entries in: urgent entries first, each preceded by the
/// not-yet-sent resident entries of its patient (a report about a resident registered offline must not reach
/// the server before the resident does), then the rest in their original order. Stable, so without urgent
/// entries the order is unchanged.
pub fn urgent_first<'a>(bodies: impl IntoIterator<Item = &'a EntryBody>) -> Vec<usize> {
    let bodies: Vec<&EntryBody> = bodies.into_iter().collect();
    let mut taken = vec![false; bodies.len()];
    let mut order = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.iter().enumerate().filter(|(_, b)| b.is_urgent()) {
        if let Some(patient) = body.resident_id() {
            for (j, dep) in bodies[..i].iter().enumerate() {
                if !taken[j] && matches!(dep, EntryBody::Resident(r) if r.id == patient) {
                    taken[j] = true;
                    order.push(j);
                }
            }
        }
        taken[i] = true;
        order.push(i);
    }
    if order.is_empty() {
        return (0..bodies.len()).collect();
    }
    order.extend((0..bodies.len()).filter(|i| !taken[*i]));
    order
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushRequest {
    pub protocol: u32,
    pub device_id: String,
    pub entries: Vec<PushEntry>,
}

/// The server's answer for one entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum EntryOutcome {
    /// Stored now.
    Accepted,
    /// Stored by an earlier push of the same entry id; nothing was written again.
    Duplicate,
    /// Not stored; the reason names the fields to correct. The entry stays on the device.
    Rejected { error: AppError },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryResult {
    pub id: Uuid,
    #[serde(flatten)]
    pub outcome: EntryOutcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushResponse {
    pub protocol: u32,
    pub results: Vec<EntryResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullRequest {
    pub protocol: u32,
    /// The cursor of the last applied page; 0 for a new device.
    pub cursor: i64,
    pub limit: Option<u32>,
}

/// One change in the user's scope: the current state of a record, or its removal from the scope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    Resident {
        resident: Box<Resident>,
    },
    Visit {
        summary: VisitSummary,
        resident_id: Uuid,
        payload: Box<ChronicVisitInput>,
    },
    /// A service record's current revision.
    Record {
        record: Box<StoredRecord>,
    },
    /// The resident left the user's scope (moved to another village): drop it unless it has unsynced work.
    Revoked {
        resident_id: Uuid,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullResponse {
    pub protocol: u32,
    pub changes: Vec<Change>,
    /// Send this cursor in the next pull once these changes are applied.
    pub next_cursor: i64,
    /// More changes wait after this page.
    pub more: bool,
}

// Reading the wire shapes directly. The derived readers of `#[serde(flatten)]` and of tagged enums first
// buffer each entry into a generic tree and then read it again, which made parsing a push or a pull page
// several times slower; the JSON is the same either way (the derived writers are kept).

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EntryKind {
    Resident,
    #[serde(alias = "htn_visit")]
    ChronicVisit,
    Record,
    Attachment,
}

impl EntryKind {
    fn read<'de, D: serde::Deserializer<'de>>(&self, d: D) -> Result<EntryBody, D::Error> {
        Ok(match self {
            EntryKind::Resident => EntryBody::Resident(Deserialize::deserialize(d)?),
            EntryKind::ChronicVisit => EntryBody::ChronicVisit(Deserialize::deserialize(d)?),
            EntryKind::Record => EntryBody::Record(Deserialize::deserialize(d)?),
            EntryKind::Attachment => EntryBody::Attachment(Deserialize::deserialize(d)?),
        })
    }
}

/// Reads an entry's body once its kind is known.
struct BodySeed<'a>(&'a EntryKind);

impl<'de> serde::de::DeserializeSeed<'de> for BodySeed<'_> {
    type Value = EntryBody;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<EntryBody, D::Error> {
        self.0.read(d)
    }
}

impl<'de> Deserialize<'de> for PushEntry {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(PushEntryVisitor)
    }
}

/// Reads an entry in one pass when `kind` comes before `body` (as this crate writes it); a body that comes
/// first is kept as raw JSON and read once its kind is known.
struct PushEntryVisitor;

impl<'de> serde::de::Visitor<'de> for PushEntryVisitor {
    type Value = PushEntry;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an outbox entry")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<PushEntry, A::Error> {
        use serde::de::Error;
        let (mut id, mut created_at, mut kind) = (None, None, None);
        let (mut body, mut raw): (Option<EntryBody>, Option<Box<serde_json::value::RawValue>>) = (None, None);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "id" => id = Some(map.next_value::<Uuid>()?),
                "created_at" => created_at = Some(map.next_value::<i64>()?),
                "kind" => kind = Some(map.next_value::<EntryKind>()?),
                "body" => match &kind {
                    Some(k) => body = Some(map.next_value_seed(BodySeed(k))?),
                    None => raw = Some(map.next_value()?),
                },
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let body = match (body, raw, kind) {
            (Some(b), _, _) => b,
            (None, Some(raw), Some(k)) => {
                k.read(&mut serde_json::Deserializer::from_str(raw.get())).map_err(A::Error::custom)?
            }
            (None, _, None) => return Err(A::Error::missing_field("kind")),
            (None, None, Some(_)) => return Err(A::Error::missing_field("body")),
        };
        Ok(PushEntry {
            id: id.ok_or_else(|| A::Error::missing_field("id"))?,
            created_at: created_at.ok_or_else(|| A::Error::missing_field("created_at"))?,
            body,
        })
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ChangeKind {
    Resident,
    Visit,
    Record,
    Revoked,
}

impl<'de> Deserialize<'de> for Change {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Wire {
            kind: ChangeKind,
            resident: Option<Box<Resident>>,
            summary: Option<VisitSummary>,
            resident_id: Option<Uuid>,
            payload: Option<Box<ChronicVisitInput>>,
            record: Option<Box<StoredRecord>>,
        }
        use serde::de::Error;
        let w = Wire::deserialize(d)?;
        Ok(match w.kind {
            ChangeKind::Resident => {
                Change::Resident { resident: w.resident.ok_or_else(|| D::Error::missing_field("resident"))? }
            }
            ChangeKind::Visit => Change::Visit {
                summary: w.summary.ok_or_else(|| D::Error::missing_field("summary"))?,
                resident_id: w.resident_id.ok_or_else(|| D::Error::missing_field("resident_id"))?,
                payload: w.payload.ok_or_else(|| D::Error::missing_field("payload"))?,
            },
            ChangeKind::Record => Change::Record { record: w.record.ok_or_else(|| D::Error::missing_field("record"))? },
            ChangeKind::Revoked => {
                Change::Revoked { resident_id: w.resident_id.ok_or_else(|| D::Error::missing_field("resident_id"))? }
            }
        })
    }
}

#[cfg(test)]
mod fuzz_tests;

#[cfg(test)]
mod wire_tests {
    use super::*;

    #[test]
    fn entries_and_changes_read_back_what_they_write() {
        let v = crate::visit::chronic::tests::sample();
        let e = PushEntry { id: Uuid::now_v7(), created_at: 7, body: EntryBody::ChronicVisit(Box::new(v.clone())) };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"chronic_visit","body":{"#), "{json}");
        assert_eq!(serde_json::from_str::<PushEntry>(&json).unwrap(), e);
        let c = Change::Revoked { resident_id: Uuid::now_v7() };
        assert_eq!(serde_json::from_str::<Change>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
        let bad = r#"{"id":"0190a0a0-0000-7000-8000-000000000000","created_at":1,"kind":"htn_visit","body":{"x":1}}"#;
        assert!(serde_json::from_str::<PushEntry>(bad).is_err());
        // Keys in any order: a body before its kind is read once the kind is known.
        let body = serde_json::to_string(&v).unwrap();
        let reordered = format!(r#"{{"body":{body},"kind":"htn_visit","created_at":7,"id":"{}","extra":[1]}}"#, e.id);
        assert_eq!(serde_json::from_str::<PushEntry>(&reordered).unwrap(), e);
        let no_kind = format!(r#"{{"id":"{}","created_at":7,"body":{body}}}"#, e.id);
        assert!(serde_json::from_str::<PushEntry>(&no_kind).unwrap_err().to_string().contains("kind"));
    }

    #[test]
    fn records_and_photos_travel_as_entries_and_changes() {
        let body = crate::record::RecordBody::Education(Box::new(crate::education::tests::lecture()));
        let (r, _) = crate::record::tests::record(body, None);
        let e = PushEntry { id: Uuid::now_v7(), created_at: 9, body: EntryBody::Record(Box::new(r.clone())) };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains(r#""kind":"record","body":{"#), "{json}");
        assert_eq!(serde_json::from_str::<PushEntry>(&json).unwrap(), e);
        let a = crate::record::AttachmentInput {
            id: Uuid::now_v7(),
            record_id: r.record_id,
            village_id: "v1".into(),
            kind: 2,
            mime: "image/png".into(),
            data: "iVBORw==".into(),
        };
        let reordered = format!(
            r#"{{"body":{},"kind":"attachment","created_at":9,"id":"{}"}}"#,
            serde_json::to_string(&a).unwrap(),
            e.id
        );
        let back = serde_json::from_str::<PushEntry>(&reordered).unwrap();
        assert_eq!(back.body, EntryBody::Attachment(Box::new(a.clone())));
        assert_eq!(back.body.resident_id(), None);
        let c = Change::Record {
            record: Box::new(crate::record::StoredRecord {
                record: r,
                revision: 2,
                author_name: "李医生".into(),
                recorded_at: "2026-11-20 10:00".into(),
                first_received: String::new(),
                attachments: vec![a.meta()],
                review: None,
            }),
        };
        assert_eq!(serde_json::from_str::<Change>(&serde_json::to_string(&c).unwrap()).unwrap(), c);
    }
}
