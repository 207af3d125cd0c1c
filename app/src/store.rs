//! The server's data access, as one trait the server functions call.
//!
//! The app crate defines what it needs; the server crate implements it on SQL (`server/src/db`). Keeping
//! every query behind this trait is what lets PostgreSQL sit beside SQLite later, and lets the sync API of
//! the offline work reuse the same writes. Implementations check nothing about permissions: callers do.

use crate::auth::SessionUser;
use crate::error::AppError;
use crate::resident::{HouseholdOption, Resident, ResidentPage, ResidentQuery, ValidResident};
use crate::visit::chronic::ChronicVisitInput;
use crate::visit::VisitSummary;
use async_trait::async_trait;
use chrono::NaiveDate;
use uuid::Uuid;

/// Where a resident is kept, for scope checks before anything else is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResidentPlace {
    pub village_id: String,
    pub birth_date: NaiveDate,
}

/// One checked follow-up of a pushed batch, ready to store.
#[derive(Debug, Clone)]
pub struct BatchVisit {
    pub entry_id: Uuid,
    pub input: ChronicVisitInput,
    pub urgent: bool,
    pub village_id: String,
}

/// Who wrote an entry, from where and when: what every synced write records beside its data.
#[derive(Debug, Clone, Copy)]
pub struct Written<'a> {
    /// The outbox entry (the idempotency key).
    pub entry_id: Uuid,
    pub author: &'a SessionUser,
    pub device_id: &'a str,
    pub now: i64,
}

/// Which current service records to read; `villages` is the caller's scope (never empty for a match).
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    pub villages: Vec<String>,
    pub resident_id: Option<Uuid>,
    pub record_id: Option<Uuid>,
    pub kinds: Vec<crate::record::RecordKind>,
    /// Only records of this service date or later.
    pub since: Option<NaiveDate>,
    /// At most this many (the store caps it at `MAX_RECORDS`).
    pub limit: u32,
}

/// The most records one `Store::records` call returns.
pub const MAX_RECORDS: u32 = 20_000;

/// One pull page with each change already as its JSON (`sync::Change`); the route wraps them into a
/// `sync::PullResponse` without decoding them again.
#[derive(Debug, Clone, PartialEq)]
pub struct PullPage {
    pub changes: Vec<String>,
    /// The residents whose data the page carries (for the audit log).
    pub residents: Vec<Uuid>,
    pub next_cursor: i64,
    pub more: bool,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks a password and opens a session; returns the session token (sent once, stored hashed).
    /// `Err(TooManyRequests)` after repeated failures for the same account.
    async fn login(&self, username: &str, password: &str, now: i64) -> Result<Option<(String, SessionUser)>, AppError>;
    async fn session_user(&self, token: &str, now: i64) -> Result<Option<SessionUser>, AppError>;
    /// Issues a single-use activation code for a resident, valid until `expires_at`; earlier unused codes of
    /// the resident stop working. Returns the code (stored hashed).
    async fn issue_activation(
        &self,
        resident_id: Uuid,
        issued_by: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<String, AppError>;
    /// Uses a resident's activation code: creates (or resets) the resident's account with `password` and opens a
    /// session. `None` for a wrong, used or expired code; `Err(TooManyRequests)` after repeated failures.
    async fn activate(
        &self,
        id_no: &str,
        code: &str,
        password: &str,
        now: i64,
    ) -> Result<Option<(String, SessionUser)>, AppError>;
    async fn logout(&self, token: &str) -> Result<(), AppError>;
    /// Keeps (or replaces) a device's data key for an account.
    async fn save_device_key(&self, user_id: &str, device_id: &str, key: &[u8], now: i64) -> Result<(), AppError>;
    async fn device_key(&self, user_id: &str, device_id: &str) -> Result<Option<Vec<u8>>, AppError>;
    /// Appends rows to the audit log.
    async fn audit(
        &self,
        actor: &crate::audit::Actor,
        events: &[crate::audit::Event],
        now: i64,
    ) -> Result<(), AppError>;
    /// The audit rows about `villages` (residents kept there, lists of units containing them), newest first.
    async fn audit_search(
        &self,
        villages: &[String],
        q: &crate::audit::AuditQuery,
        limit: usize,
    ) -> Result<crate::audit::AuditPage, AppError>;
    /// Staff accounts working in `villages`: their doctors, the managers of their townships, the
    /// administrators of their counties.
    async fn users_in(&self, villages: &[String]) -> Result<Vec<crate::users::UserRow>, AppError>;
    /// The villages an account works in (a resident's: their record's village); None for no such account.
    async fn account_villages(&self, user_id: &str) -> Result<Option<Vec<String>>, AppError>;
    /// Switches an account on or off; switching off ends its sessions.
    async fn set_user_active(&self, user_id: &str, active: bool) -> Result<(), AppError>;
    /// Links (or unlinks) a child's record to the view of a parent's account.
    async fn set_link(&self, parent: Uuid, child: Uuid, linked: bool, by: &str, now: i64) -> Result<(), AppError>;
    /// The children linked to a parent's account.
    async fn linked_children(&self, parent: Uuid) -> Result<Vec<Uuid>, AppError>;
    /// What a resident's account reads, as one pull page: the current state of the resident and the children
    /// linked to them, their follow-ups and service records, the health-education sessions they attended, and
    /// a revocation for each child unlinked; whole, when anything in their villages changed after `cursor`,
    /// empty otherwise. The township's review notes are left out.
    async fn resident_pull(&self, resident: Uuid, cursor: i64) -> Result<PullPage, AppError>;
    /// The resident, village and date of a current follow-up ("visit", by `visit_id`) or service record
    /// ("record", by `record_id`).
    async fn entry_owner(&self, entity: &str, entry_id: Uuid) -> Result<Option<(Uuid, String, NaiveDate)>, AppError>;
    /// Stores a resident's answer about an entry, replacing an earlier one.
    async fn save_confirmation(&self, c: &crate::my_record::Confirmation, user_id: &str) -> Result<(), AppError>;
    /// The answers about these residents' entries.
    async fn confirmations_of(&self, residents: &[Uuid]) -> Result<Vec<crate::my_record::Confirmation>, AppError>;
    /// The answers about entries of `villages`.
    async fn confirmations_in(&self, villages: &[String]) -> Result<Vec<crate::my_record::Confirmation>, AppError>;
    /// Notes that a resident opened their record on these days (once per day) and marks the indicators of
    /// their village, township and county for recomputing.
    async fn note_record_views(&self, resident_id: Uuid, village_id: &str, days: &[NaiveDate]) -> Result<(), AppError>;
    /// The village doctors of a village, with their phone numbers.
    async fn care_team(&self, village_id: &str) -> Result<Vec<crate::my_record::CareContact>, AppError>;

    /// Answers when the database does (health check).
    async fn ping(&self) -> Result<(), AppError>;
    async fn households(&self, village_id: &str) -> Result<Vec<HouseholdOption>, AppError>;
    async fn household_village(&self, household_id: &str) -> Result<Option<String>, AppError>;

    async fn list_residents(
        &self,
        villages: &[String],
        q: &ResidentQuery,
        today: NaiveDate,
    ) -> Result<ResidentPage, AppError>;
    async fn resident_place(&self, id: Uuid) -> Result<Option<ResidentPlace>, AppError>;
    async fn get_resident(&self, id: Uuid) -> Result<Option<Resident>, AppError>;
    /// Many residents at once, in no particular order; missing ids are absent.
    async fn get_residents(&self, ids: &[Uuid]) -> Result<Vec<Resident>, AppError>;
    /// The residents born on `birth_date` in the township of `village_id` (for the duplicate check).
    async fn township_born_on(&self, village_id: &str, birth_date: NaiveDate) -> Result<Vec<Resident>, AppError>;
    /// Inserts a new resident or updates one whose stored version equals `base_version`.
    /// Same id sent twice with identical content is accepted once (idempotent); a duplicate ID number is a
    /// `Conflict` naming the existing record.
    async fn save_resident(&self, r: &ValidResident, author: &SessionUser, now: i64) -> Result<Uuid, AppError>;

    /// Appends a hypertension visit revision; the same revision id sent again is a no-op.
    async fn record_htn_visit(
        &self,
        v: &ChronicVisitInput,
        urgent: bool,
        author: &SessionUser,
        now: i64,
    ) -> Result<VisitSummary, AppError>;
    /// Current revisions of a resident's visits, newest visit first.
    async fn visits_of(&self, resident_id: Uuid) -> Result<Vec<VisitSummary>, AppError>;
    /// One revision with the resident it belongs to.
    async fn htn_visit(&self, id: Uuid) -> Result<Option<ChronicVisitInput>, AppError>;
    async fn record_entry(&self, entry_id: Uuid, user_id: &str, device_id: &str, now: i64) -> Result<(), AppError>;
    /// One page of changes in `villages` after `cursor`.
    async fn pull(&self, villages: &[String], cursor: i64, limit: u32) -> Result<PullPage, AppError>;
    /// Field conflicts of merged edits in `villages`, newest first.
    async fn conflicts(&self, villages: &[String]) -> Result<Vec<crate::sync::conflicts::ConflictSummary>, AppError>;

    /// Classification of the latest current visit for `disease` before `before` (for "two in a row").
    async fn previous_classification(
        &self,
        resident_id: Uuid,
        disease: crate::visit::chronic::Disease,
        before: NaiveDate,
        exclude_visit: Uuid,
    ) -> Result<Option<u8>, AppError>;

    /// Places of many residents at once (a pushed batch); missing ids are absent.
    async fn resident_places(&self, ids: &[Uuid]) -> Result<std::collections::HashMap<Uuid, ResidentPlace>, AppError>;
    /// Which of these outbox entry ids were accepted before.
    async fn accepted_entries(&self, ids: &[Uuid]) -> Result<std::collections::HashSet<Uuid>, AppError>;
    /// Stores checked follow-ups of one push in one transaction, with their change-log rows and entry ids.
    /// Per item: `Ok` (stored now or before) or the revision error the doctor must act on.
    async fn store_htn_batch(
        &self,
        items: &[BatchVisit],
        author: &SessionUser,
        device_id: &str,
        now: i64,
    ) -> Result<Vec<Result<(), AppError>>, AppError>;
    /// Appends a service-record revision filed under `village_id` (idempotent by revision id), with its
    /// change-log row and outbox entry id.
    async fn save_record(
        &self,
        r: &crate::record::RecordInput,
        village_id: &str,
        w: &Written<'_>,
    ) -> Result<(), AppError>;
    /// The village a record is filed under, when it exists.
    async fn record_village(&self, record_id: Uuid) -> Result<Option<String>, AppError>;
    /// Stores a checked photo (`bytes` decoded) under `village_id` and re-sends its record to devices.
    async fn save_attachment(
        &self,
        a: &crate::record::AttachmentInput,
        bytes: &[u8],
        village_id: &str,
        w: &Written<'_>,
    ) -> Result<(), AppError>;
    /// A photo's village, media type and bytes.
    async fn attachment(&self, id: Uuid) -> Result<Option<(String, String, Vec<u8>)>, AppError>;
    /// Current service records matching the filter, newest first.
    async fn records(&self, f: &RecordFilter) -> Result<Vec<crate::record::StoredRecord>, AppError>;
    /// The village of a conflict, for the scope check before it is marked reviewed.
    async fn conflict_village(&self, id: &str) -> Result<Option<String>, AppError>;
    /// Marks a conflict reviewed by `user_id`; it leaves the list.
    async fn resolve_conflict(&self, id: &str, user_id: &str, now: i64) -> Result<(), AppError>;
    // Township and county views (`indicator`, `review`).

    /// Every unit of the hierarchy.
    async fn org_units(&self) -> Result<Vec<crate::indicator::report::OrgUnit>, AppError>;
    /// The newest change-log seq of all (0 when empty).
    async fn max_change_seq(&self) -> Result<i64, AppError>;
    /// The newest change-log seq of each village that has one.
    async fn change_seqs(&self, villages: &[String]) -> Result<std::collections::HashMap<String, i64>, AppError>;
    /// Stored rollups of these units and periods (fresh or not: the caller compares `seq`).
    async fn rollups(
        &self,
        org_ids: &[String],
        periods: &[String],
    ) -> Result<Vec<crate::indicator::report::Rollup>, AppError>;
    /// Writes recomputed rollups and re-stamps with `seq` those found fresh (`restamp`: unit, period), in one
    /// transaction.
    async fn save_rollups(
        &self,
        rows: &[crate::indicator::report::Rollup],
        restamp: &[(String, String)],
        seq: i64,
        now: i64,
    ) -> Result<(), AppError>;
    /// The days residents of `villages` opened their own record between `start` and `end`.
    async fn record_views(
        &self,
        villages: &[String],
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<(Uuid, NaiveDate)>, AppError>;
    /// 常住人口 per village for `year`.
    async fn populations(&self, year: i32) -> Result<std::collections::HashMap<String, u64>, AppError>;
    /// A county's targets for `year` (percent by indicator code).
    async fn targets(&self, county_id: &str, year: i32) -> Result<std::collections::BTreeMap<String, f64>, AppError>;
    async fn set_target(
        &self,
        county_id: &str,
        year: i32,
        indicator: &str,
        target: Option<f64>,
    ) -> Result<(), AppError>;
    /// Published figures of these villages for `period`.
    async fn snapshots(
        &self,
        villages: &[String],
        period: &str,
    ) -> Result<Vec<crate::indicator::report::Snapshot>, AppError>;
    /// Freezes village figures; a village already published for the period keeps its first figures.
    async fn publish(&self, rows: &[crate::indicator::report::Snapshot]) -> Result<(), AppError>;
    /// Doctors of `villages` with the follow-ups and service records they made between `start` and `end`.
    async fn doctor_work(
        &self,
        villages: &[String],
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<crate::indicator::report::DoctorWork>, AppError>;

    /// The review queue within `villages` (at most `QUEUE_LIMIT` lines, newest first); `entry` picks one.
    async fn review_queue(
        &self,
        villages: &[String],
        f: &crate::review::ReviewFilter,
        entry: Option<Uuid>,
    ) -> Result<Vec<crate::review::ReviewItem>, AppError>;
    /// The form of an entry's current revision ("visit" or "record").
    async fn entry_form(&self, entity: &str, entry_id: Uuid) -> Result<Option<serde_json::Value>, AppError>;
    /// Records a verdict and re-sends the entry to its village's devices.
    async fn set_review(&self, r: &Verdicts<'_>) -> Result<(), AppError>;

    // Data quality (`quality`).

    /// Current chronic follow-ups of `villages` dated `from`..=`to`.
    async fn visit_facts(
        &self,
        villages: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::quality::VisitFact>, AppError>;
    /// Draws up to `size` seen visits at random for verification calls; returns how many.
    async fn draw_sample(
        &self,
        villages: &[String],
        from: NaiveDate,
        to: NaiveDate,
        size: u32,
        drawn_by: &str,
        now: i64,
    ) -> Result<usize, AppError>;
    /// The visits drawn for calls among those dated `from`..=`to`.
    async fn sample(
        &self,
        villages: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<crate::quality::Verification>, AppError>;
    async fn verification_village(&self, id: Uuid) -> Result<Option<String>, AppError>;
    async fn record_call(
        &self,
        id: Uuid,
        outcome: crate::quality::CallOutcome,
        note: &str,
        user_id: &str,
        now: i64,
    ) -> Result<(), AppError>;
}

/// A reviewer's verdict on one revision of an entry, checked and ready to store.
#[derive(Debug, Clone, Copy)]
pub struct Verdicts<'a> {
    pub entity: &'a str,
    pub entry_id: Uuid,
    pub revision_id: Uuid,
    pub verdict: crate::review::Verdict,
    pub comment: &'a str,
    pub reviewer_id: &'a str,
    pub village_id: &'a str,
    pub now: i64,
}
