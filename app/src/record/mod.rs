//! Service records (服务记录) other than the hypertension and diabetes follow-ups: health-education sessions,
//! vaccination doses and missed-dose contacts (查漏补种), family-doctor contracts and the services delivered
//! under them, severe-mental-disorder and TB follow-ups, referrals, home visits and the elderly annual check.
//!
//! They share one envelope and one append-only store: each save is a revision (`id`) of a record
//! (`record_id`), checked by the same rules in the browser and on the server, sent through the outbox and
//! pulled back as the record's current revision. Photos travel separately (`attachment`), so a photo the
//! server refuses never costs the doctor the record it belongs to.

use crate::check::Check;
use crate::error::AppError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod api;
pub mod attachment;
pub mod pages;
#[cfg(feature = "hydrate")]
pub mod photo;

pub use crate::contract::{ContractInput, DeliveryInput};
pub use crate::education::EducationInput;
pub use crate::elderly::ElderlyCheckInput;
pub use crate::home_visit::HomeVisitInput;
pub use crate::referral::ReferralInput;
pub use crate::smi::SmiVisitInput;
pub use crate::tb::TbVisitInput;
pub use crate::vaccination::{ContactInput, DoseInput};
pub use attachment::{AttachmentInput, AttachmentMeta};

/// One revision of a service record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordInput {
    /// This revision's id (UUIDv7, made on the device): saving it twice stores it once.
    pub id: Uuid,
    /// The record across its revisions.
    pub record_id: Uuid,
    /// The village the record belongs to; for a resident's record, the resident's village.
    pub village_id: String,
    /// The resident served; none for a village's health-education session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<Uuid>,
    /// The day the service was given.
    pub date: NaiveDate,
    pub body: RecordBody,
    /// Proof of service (两卡制): the resident's signature drawn on the screen, as an SVG path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordBody {
    Education(Box<EducationInput>),
    Dose(DoseInput),
    Contact(ContactInput),
    Contract(ContractInput),
    Delivery(DeliveryInput),
    SmiVisit(Box<SmiVisitInput>),
    TbVisit(Box<TbVisitInput>),
    Referral(Box<ReferralInput>),
    HomeVisit(Box<HomeVisitInput>),
    ElderlyCheck(Box<ElderlyCheckInput>),
}

/// The kinds of record, as stored and as filtered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Education,
    Dose,
    Contact,
    Contract,
    Delivery,
    SmiVisit,
    TbVisit,
    Referral,
    HomeVisit,
    ElderlyCheck,
}

impl RecordKind {
    pub const ALL: [RecordKind; 10] = [
        RecordKind::Education,
        RecordKind::Dose,
        RecordKind::Contact,
        RecordKind::Contract,
        RecordKind::Delivery,
        RecordKind::SmiVisit,
        RecordKind::TbVisit,
        RecordKind::Referral,
        RecordKind::HomeVisit,
        RecordKind::ElderlyCheck,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RecordKind::Education => "education",
            RecordKind::Dose => "dose",
            RecordKind::Contact => "contact",
            RecordKind::Contract => "contract",
            RecordKind::Delivery => "delivery",
            RecordKind::SmiVisit => "smi_visit",
            RecordKind::TbVisit => "tb_visit",
            RecordKind::Referral => "referral",
            RecordKind::HomeVisit => "home_visit",
            RecordKind::ElderlyCheck => "elderly_check",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (RecordKind::Education, true) => "健康教育活动",
            (RecordKind::Education, false) => "Health education",
            (RecordKind::Dose, true) => "接种记录",
            (RecordKind::Dose, false) => "Vaccine dose",
            (RecordKind::Contact, true) => "查漏补种联系",
            (RecordKind::Contact, false) => "Missed-dose contact",
            (RecordKind::Contract, true) => "家庭医生签约",
            (RecordKind::Contract, false) => "Family-doctor contract",
            (RecordKind::Delivery, true) => "签约服务履约",
            (RecordKind::Delivery, false) => "Contracted service delivered",
            (RecordKind::SmiVisit, true) => "严重精神障碍患者随访",
            (RecordKind::SmiVisit, false) => "Severe mental disorder follow-up",
            (RecordKind::TbVisit, true) => "肺结核患者随访",
            (RecordKind::TbVisit, false) => "TB follow-up",
            (RecordKind::Referral, true) => "转诊",
            (RecordKind::Referral, false) => "Referral",
            (RecordKind::HomeVisit, true) => "上门服务",
            (RecordKind::HomeVisit, false) => "Home visit",
            (RecordKind::ElderlyCheck, true) => "老年人健康管理",
            (RecordKind::ElderlyCheck, false) => "Elderly annual check",
        }
    }

    /// Whether the record is about one resident (all but a village's health-education session).
    pub fn needs_resident(self) -> bool {
        self != RecordKind::Education
    }
}

impl RecordBody {
    pub fn kind(&self) -> RecordKind {
        match self {
            RecordBody::Education(_) => RecordKind::Education,
            RecordBody::Dose(_) => RecordKind::Dose,
            RecordBody::Contact(_) => RecordKind::Contact,
            RecordBody::Contract(_) => RecordKind::Contract,
            RecordBody::Delivery(_) => RecordKind::Delivery,
            RecordBody::SmiVisit(_) => RecordKind::SmiVisit,
            RecordBody::TbVisit(_) => RecordKind::TbVisit,
            RecordBody::Referral(_) => RecordKind::Referral,
            RecordBody::HomeVisit(_) => RecordKind::HomeVisit,
            RecordBody::ElderlyCheck(_) => RecordKind::ElderlyCheck,
        }
    }
}

/// What the rules need to know besides the record: today and, for a resident's record, their birth date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordContext {
    pub today: NaiveDate,
    pub birth_date: Option<NaiveDate>,
}

impl RecordInput {
    /// The first revision of a new record made on this device (fresh revision and record ids).
    pub fn new(
        village_id: String,
        resident_id: Option<Uuid>,
        date: NaiveDate,
        body: RecordBody,
        signature: Option<String>,
    ) -> Self {
        let id = Uuid::now_v7();
        RecordInput { id, record_id: Uuid::now_v7(), village_id, resident_id, date, body, signature }
    }

    pub fn kind(&self) -> RecordKind {
        self.body.kind()
    }

    /// Checks the envelope and the record's own rules; every problem at once.
    pub fn validate(&self, ctx: &RecordContext) -> Result<(), AppError> {
        let mut c = Check::default();
        if self.village_id.trim().is_empty() {
            c.add("village_id", "请选择村", "Choose a village");
        }
        match (self.kind().needs_resident(), self.resident_id) {
            (true, None) => c.add("resident_id", "请选择居民", "Choose the resident"),
            (false, Some(_)) => c.add("resident_id", "此记录不属于某位居民", "This record is not about one resident"),
            _ => {}
        }
        c.not_future("date", self.date, ctx.today);
        if let Some(birth) = ctx.birth_date {
            if self.date < birth {
                c.add("date", "日期早于出生日期", "The date is before the date of birth");
            }
        }
        c.signature("signature", self.signature.as_deref());
        match &self.body {
            RecordBody::Education(e) => e.check(&mut c, self.date),
            RecordBody::Dose(d) => d.check(&mut c, ctx),
            RecordBody::Contact(x) => x.check(&mut c, self.date, ctx.today),
            RecordBody::Contract(x) => x.check(&mut c),
            RecordBody::Delivery(x) => x.check(&mut c),
            RecordBody::SmiVisit(x) => x.check(&mut c, self.date, ctx.today),
            RecordBody::TbVisit(x) => x.check(&mut c, self.date, ctx.today),
            RecordBody::Referral(x) => x.check(&mut c, self.date, ctx.today),
            RecordBody::HomeVisit(x) => x.check(&mut c, self.date),
            RecordBody::ElderlyCheck(x) => {
                if x.check_date != self.date {
                    c.add("check_date", "检查日期应与记录日期一致", "The check date must be the record's date");
                }
                // Its age rule needs the birth date, which the server always knows.
                if let Err(AppError::Validation { fields }) =
                    crate::elderly::validate(x, ctx.birth_date.unwrap_or(NaiveDate::MIN), ctx.today)
                {
                    c.0.extend(fields);
                }
            }
        }
        c.finish()
    }
}

/// A record's current revision as the server keeps it, with who recorded it and its photos.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub record: RecordInput,
    pub revision: i64,
    pub author_name: String,
    /// When the server received this revision (local time, minutes).
    pub recorded_at: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentMeta>,
    /// The township's review of this revision (`review`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<crate::review::ReviewNote>,
}

#[cfg(test)]
pub(crate) mod tests;
