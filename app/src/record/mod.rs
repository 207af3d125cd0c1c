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
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod api;
pub mod attachment;
pub mod pages;
#[cfg(feature = "hydrate")]
pub mod photo;
#[cfg(any(test, feature = "ssr"))]
pub mod samples;

pub use crate::child::ChildCheckInput;
pub use crate::contract::{ContractInput, DeliveryInput};
pub use crate::education::EducationInput;
pub use crate::elderly::ElderlyCheckInput;
pub use crate::home_visit::HomeVisitInput;
pub use crate::infectious::DiseaseReportInput;
pub use crate::maternal::{
    Check42Input, ChildbirthInput, PostpartumVisitInput, PrenatalFollowUpInput, RegistrationInput,
};
pub use crate::newborn::{BirthInput, NewbornVisitInput};
pub use crate::referral::ReferralInput;
pub use crate::smi::SmiVisitInput;
pub use crate::supervision::SupervisionReportInput;
pub use crate::tb::TbVisitInput;
pub use crate::tcm::{TcmChildInput, TcmElderlyInput};
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
    Pregnancy(Box<RegistrationInput>),
    Prenatal(Box<PrenatalFollowUpInput>),
    Childbirth(Box<ChildbirthInput>),
    Birth(Box<BirthInput>),
    Postpartum(Box<PostpartumVisitInput>),
    Postpartum42(Box<Check42Input>),
    NewbornVisit(Box<NewbornVisitInput>),
    ChildCheck(Box<ChildCheckInput>),
    TcmElderly(Box<TcmElderlyInput>),
    TcmChild(Box<TcmChildInput>),
    DiseaseReport(Box<DiseaseReportInput>),
    SupervisionReport(Box<SupervisionReportInput>),
    EventReport(Box<crate::infectious::EventReportInput>),
    RiskGrade(Box<crate::maternal::grading::RiskGradeInput>),
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
    Pregnancy,
    Prenatal,
    Childbirth,
    Birth,
    Postpartum,
    Postpartum42,
    NewbornVisit,
    ChildCheck,
    TcmElderly,
    TcmChild,
    DiseaseReport,
    SupervisionReport,
    EventReport,
    RiskGrade,
}

/// Whether a kind of record is about one resident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResidentLink {
    Required,
    Optional,
    None,
}

impl RecordKind {
    pub const ALL: [RecordKind; 24] = [
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
        RecordKind::Pregnancy,
        RecordKind::Prenatal,
        RecordKind::Childbirth,
        RecordKind::Birth,
        RecordKind::Postpartum,
        RecordKind::Postpartum42,
        RecordKind::NewbornVisit,
        RecordKind::ChildCheck,
        RecordKind::TcmElderly,
        RecordKind::TcmChild,
        RecordKind::DiseaseReport,
        RecordKind::SupervisionReport,
        RecordKind::EventReport,
        RecordKind::RiskGrade,
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
            RecordKind::Pregnancy => "pregnancy",
            RecordKind::Prenatal => "prenatal",
            RecordKind::Childbirth => "childbirth",
            RecordKind::Birth => "birth",
            RecordKind::Postpartum => "postpartum",
            RecordKind::Postpartum42 => "postpartum42",
            RecordKind::NewbornVisit => "newborn_visit",
            RecordKind::ChildCheck => "child_check",
            RecordKind::TcmElderly => "tcm_elderly",
            RecordKind::TcmChild => "tcm_child",
            RecordKind::DiseaseReport => "disease_report",
            RecordKind::SupervisionReport => "supervision_report",
            RecordKind::EventReport => "event_report",
            RecordKind::RiskGrade => "risk_grade",
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
            (RecordKind::Pregnancy, true) => "早孕建册",
            (RecordKind::Pregnancy, false) => "Pregnancy registration",
            (RecordKind::Prenatal, true) => "产前随访",
            (RecordKind::Prenatal, false) => "Prenatal follow-up",
            (RecordKind::Childbirth, true) => "分娩",
            (RecordKind::Childbirth, false) => "Delivery",
            (RecordKind::Birth, true) => "出生登记",
            (RecordKind::Birth, false) => "Birth",
            (RecordKind::Postpartum, true) => "产后访视",
            (RecordKind::Postpartum, false) => "Postpartum visit",
            (RecordKind::Postpartum42, true) => "产后42天健康检查",
            (RecordKind::Postpartum42, false) => "42-day postpartum check",
            (RecordKind::NewbornVisit, true) => "新生儿家庭访视",
            (RecordKind::NewbornVisit, false) => "Newborn home visit",
            (RecordKind::ChildCheck, true) => "儿童健康检查",
            (RecordKind::ChildCheck, false) => "Child health check",
            (RecordKind::TcmElderly, true) => "老年人中医药健康管理",
            (RecordKind::TcmElderly, false) => "TCM constitution (65+)",
            (RecordKind::TcmChild, true) => "儿童中医药健康管理",
            (RecordKind::TcmChild, false) => "Child TCM guidance",
            (RecordKind::DiseaseReport, true) => "传染病报告",
            (RecordKind::DiseaseReport, false) => "Infectious-disease report",
            (RecordKind::SupervisionReport, true) => "卫生监督协管信息报告",
            (RecordKind::SupervisionReport, false) => "Health-supervision report",
            (RecordKind::EventReport, true) => "突发公共卫生事件信息报告",
            (RecordKind::EventReport, false) => "Public-health event report",
            (RecordKind::RiskGrade, true) => "妊娠风险评估分级",
            (RecordKind::RiskGrade, false) => "Pregnancy risk grade",
        }
    }

    /// Whether the record is about one resident: a village's health-education session, a supervision clue and
    /// a public-health event are not; an infectious-disease report may be (the patient may be a visitor with no record here).
    pub fn resident_link(self) -> ResidentLink {
        match self {
            RecordKind::Education | RecordKind::SupervisionReport | RecordKind::EventReport => ResidentLink::None,
            RecordKind::DiseaseReport => ResidentLink::Optional,
            _ => ResidentLink::Required,
        }
    }

    pub fn needs_resident(self) -> bool {
        self.resident_link() == ResidentLink::Required
    }

    /// Sent before everything else in the outbox and stored first in a push: the infectious-disease report
    /// and the public-health event card, whose deadlines are counted in hours.
    pub fn is_urgent(self) -> bool {
        matches!(self, RecordKind::DiseaseReport | RecordKind::EventReport)
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
            RecordBody::Pregnancy(_) => RecordKind::Pregnancy,
            RecordBody::Prenatal(_) => RecordKind::Prenatal,
            RecordBody::Childbirth(_) => RecordKind::Childbirth,
            RecordBody::Birth(_) => RecordKind::Birth,
            RecordBody::Postpartum(_) => RecordKind::Postpartum,
            RecordBody::Postpartum42(_) => RecordKind::Postpartum42,
            RecordBody::NewbornVisit(_) => RecordKind::NewbornVisit,
            RecordBody::ChildCheck(_) => RecordKind::ChildCheck,
            RecordBody::TcmElderly(_) => RecordKind::TcmElderly,
            RecordBody::TcmChild(_) => RecordKind::TcmChild,
            RecordBody::DiseaseReport(_) => RecordKind::DiseaseReport,
            RecordBody::SupervisionReport(_) => RecordKind::SupervisionReport,
            RecordBody::EventReport(_) => RecordKind::EventReport,
            RecordBody::RiskGrade(_) => RecordKind::RiskGrade,
        }
    }
}

/// What the rules need to know besides the record: now (local time) and, for a resident's record, their
/// birth date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RecordContext {
    pub now: NaiveDateTime,
    pub birth_date: Option<NaiveDate>,
}

impl RecordContext {
    pub fn new(now: NaiveDateTime, birth_date: Option<NaiveDate>) -> Self {
        RecordContext { now, birth_date }
    }

    pub fn today(&self) -> NaiveDate {
        self.now.date()
    }
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
        match (self.kind().resident_link(), self.resident_id) {
            (ResidentLink::Required, None) => c.add("resident_id", "请选择居民", "Choose the resident"),
            (ResidentLink::None, Some(_)) => {
                c.add("resident_id", "此记录不属于某位居民", "This record is not about one resident")
            }
            _ => {}
        }
        let today = ctx.today();
        c.not_future("date", self.date, today);
        if let Some(birth) = ctx.birth_date {
            if self.date < birth {
                c.add("date", "日期早于出生日期", "The date is before the date of birth");
            }
        }
        c.signature("signature", self.signature.as_deref());
        match &self.body {
            RecordBody::Education(e) => e.check(&mut c, self.date),
            RecordBody::Dose(d) => d.check(&mut c, ctx),
            RecordBody::Contact(x) => x.check(&mut c, self.date, today),
            RecordBody::Contract(x) => x.check(&mut c),
            RecordBody::Delivery(x) => x.check(&mut c),
            RecordBody::SmiVisit(x) => x.check(&mut c, self.date, today),
            RecordBody::TbVisit(x) => x.check(&mut c, self.date, today),
            RecordBody::Referral(x) => x.check(&mut c, self.date, today),
            RecordBody::HomeVisit(x) => x.check(&mut c, self.date),
            RecordBody::ElderlyCheck(x) => {
                if x.check_date != self.date {
                    c.add("check_date", "检查日期应与记录日期一致", "The check date must be the record's date");
                }
                // Its age rule needs the birth date, which the server always knows.
                merge(&mut c, crate::elderly::validate(x, ctx.birth_date.unwrap_or(NaiveDate::MIN), today));
            }
            _ => self.validate_program(&mut c, ctx),
        }
        c.finish()
    }
}

/// Adds a form's own `validate` result to the envelope's problems.
fn merge(c: &mut Check, r: Result<(), AppError>) {
    if let Err(AppError::Validation { fields }) = r {
        c.0.extend(fields);
    }
}

impl RecordInput {
    /// The services of domain spec 2 (mothers and newborns, children, TCM, reports). Each form's own date
    /// must be the record's; rules needing the resident's birth read it from the context (the server always
    /// knows it; a missing one is refused rather than guessed).
    fn validate_program(&self, c: &mut Check, ctx: &RecordContext) {
        use crate::{child, maternal, newborn};
        let today = ctx.today();
        let same_day = |c: &mut Check, field: &str, d: NaiveDate| {
            if d != self.date {
                c.add(field, "日期应与记录日期一致", "The date must be the record's date");
            }
        };
        let birth = match (self.kind().resident_link(), ctx.birth_date) {
            (ResidentLink::Required, None) => {
                c.add("resident_id", "找不到该居民的出生日期", "The resident's date of birth is not known");
                return;
            }
            (_, b) => b.unwrap_or(NaiveDate::MIN),
        };
        match &self.body {
            RecordBody::Pregnancy(x) => {
                same_day(c, "registration_date", x.registration_date);
                merge(c, maternal::validate_registration(x, birth, today));
            }
            RecordBody::Prenatal(x) => merge(c, maternal::validate_follow_up(x, x.lmp, today)),
            RecordBody::Childbirth(x) => {
                same_day(c, "delivery_date", x.delivery_date);
                merge(c, maternal::validate_childbirth(x, None, today));
            }
            RecordBody::Birth(x) => {
                same_day(c, "date", birth);
                x.check(c, birth, today);
            }
            RecordBody::Postpartum(x) => {
                same_day(c, "visit_date", x.visit_date);
                merge(c, maternal::validate_postpartum(x, x.delivery_date, today));
            }
            RecordBody::Postpartum42(x) => {
                same_day(c, "check_date", x.check_date);
                merge(c, maternal::validate_check_42(x, x.delivery_date, today));
            }
            RecordBody::NewbornVisit(x) => {
                same_day(c, "visit_date", x.visit_date);
                merge(c, newborn::validate(x, birth, today));
            }
            RecordBody::ChildCheck(x) => {
                same_day(c, "check_date", x.check_date);
                merge(c, child::validate(x, birth, today));
            }
            RecordBody::TcmElderly(x) => {
                same_day(c, "date", x.date);
                merge(c, x.validate(birth, today));
            }
            RecordBody::TcmChild(x) => {
                same_day(c, "date", x.date);
                merge(c, x.validate(birth, today));
            }
            RecordBody::DiseaseReport(x) => {
                same_day(c, "diagnosed_at", x.diagnosed_at.date());
                x.check(c, crate::infectious::catalogue(), ctx.now);
            }
            RecordBody::SupervisionReport(x) => {
                same_day(c, "found_at", x.found_at.date());
                x.check(c, ctx.now);
            }
            RecordBody::EventReport(x) => {
                same_day(c, "learnt_at", x.learnt_at.date());
                x.check(c, ctx.now);
            }
            RecordBody::RiskGrade(x) => x.check(c),
            _ => {}
        }
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
    /// When the server received the record's first revision (local time, minutes): what a report's
    /// timeliness counts, so correcting a card later does not make it late. Empty when that is this
    /// revision (the server sends it only for edited records).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_received: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<AttachmentMeta>,
    /// The township's review of this revision (`review`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<crate::review::ReviewNote>,
}

impl StoredRecord {
    /// When the server first received the record (its first revision), if it has.
    pub fn first_received_at(&self) -> Option<chrono::NaiveDateTime> {
        let at = if self.first_received.is_empty() { &self.recorded_at } else { &self.first_received };
        crate::visit::parse_local_time(at)
    }
}

#[cfg(test)]
pub(crate) mod tests;
