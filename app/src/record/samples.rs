//! Complete, valid records of the national program's later services (mothers, newborns, children, TCM,
//! reports), dated relative to a day, for the tests of the server, the task engine and the demo county. One
//! place for these fixtures, so a field added to a form is added to every test once.

use super::{RecordBody, RecordInput};
use crate::child::{CheckPoint, ChildCheckInput, ChildGuidance, Hearing, Illness};
use crate::infectious::{DiseaseReportInput, EventReportInput};
use crate::maternal::*;
use crate::newborn::{self, BirthInput, NewbornVisitInput};
use crate::resident::Sex;
use crate::supervision::SupervisionReportInput;
use crate::tcm::{Answers, Constitution, Guidance, TcmChildInput, TcmElderlyInput, TypeGuidance};
use chrono::{Duration, Months, NaiveDate, NaiveDateTime};
use std::collections::BTreeSet;
use uuid::Uuid;

/// Who a sample record is about, with a birth date that makes it valid on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A woman of 30, pregnant or just delivered.
    Woman,
    /// A baby born 10 days ago.
    Newborn,
    /// A child 6 months and 3 days old (in the 6-month check's window and the TCM 6-month one).
    Child,
    /// A resident of 70.
    Elder,
    /// No resident: the village's own record.
    Village,
}

impl Subject {
    pub fn birth_date(self, today: NaiveDate) -> NaiveDate {
        match self {
            Subject::Woman => years_ago(today, 30),
            Subject::Newborn => today - Duration::days(10),
            Subject::Child => today.checked_sub_months(Months::new(6)).unwrap_or(today) - Duration::days(3),
            Subject::Elder => years_ago(today, 70),
            Subject::Village => today,
        }
    }

    pub fn sex(self) -> Sex {
        match self {
            Subject::Woman => Sex::Female,
            Subject::Newborn | Subject::Child => Sex::Female,
            Subject::Elder | Subject::Village => Sex::Male,
        }
    }
}

fn years_ago(today: NaiveDate, years: u32) -> NaiveDate {
    today.checked_sub_months(Months::new(12 * years)).unwrap_or(today)
}

fn at(day: NaiveDate, h: u32) -> NaiveDateTime {
    day.and_hms_opt(h, 0, 0).unwrap_or_default()
}

/// One sample of each new kind: (subject, record date, body). The birth record names `mother` and her
/// delivery `childbirth_id`.
pub fn program(today: NaiveDate, mother: Uuid, childbirth_id: Uuid) -> Vec<(Subject, NaiveDate, RecordBody)> {
    let yesterday = today - Duration::days(1);
    let newborn_birth = Subject::Newborn.birth_date(today);
    let lmp = today - Duration::days(70);
    vec![
        (Subject::Woman, today, RecordBody::Pregnancy(Box::new(registration(today, lmp)))),
        (Subject::Woman, today, RecordBody::Prenatal(Box::new(urged(today, lmp)))),
        (Subject::Woman, newborn_birth, RecordBody::Childbirth(Box::new(childbirth(newborn_birth)))),
        (Subject::Newborn, newborn_birth, RecordBody::Birth(Box::new(birth(mother, childbirth_id, newborn_birth)))),
        (Subject::Woman, yesterday, RecordBody::Postpartum(Box::new(postpartum(newborn_birth, yesterday)))),
        (Subject::Woman, today, RecordBody::Postpartum42(Box::new(check_42(today - Duration::days(50), today)))),
        (Subject::Newborn, today, RecordBody::NewbornVisit(Box::new(newborn_visit(today)))),
        (Subject::Child, today, RecordBody::ChildCheck(Box::new(child_check(today)))),
        (Subject::Elder, today, RecordBody::TcmElderly(Box::new(tcm_elderly(today)))),
        (Subject::Child, today, RecordBody::TcmChild(Box::new(tcm_child(today)))),
        (
            Subject::Village,
            yesterday,
            RecordBody::DiseaseReport(Box::new(disease_report(yesterday, "dysentery_bacillary"))),
        ),
        (Subject::Village, yesterday, RecordBody::SupervisionReport(Box::new(supervision(yesterday)))),
        (Subject::Village, yesterday, RecordBody::EventReport(Box::new(event_report(yesterday)))),
    ]
}

/// A record of `body` in `village`, about `resident`.
pub fn record(village: &str, resident: Option<Uuid>, date: NaiveDate, body: RecordBody) -> RecordInput {
    RecordInput::new(village.to_string(), resident, date, body, None)
}

/// A resident's record in village `v1` as the server stores it: first revision, no author, photos or review.
pub fn stored(resident: Uuid, date: NaiveDate, body: RecordBody) -> super::StoredRecord {
    super::StoredRecord {
        record: record("v1", Some(resident), date, body),
        revision: 1,
        author_name: String::new(),
        recorded_at: String::new(),
        first_received: String::new(),
        attachments: vec![],
        review: None,
    }
}

pub fn registration(date: NaiveDate, lmp: NaiveDate) -> RegistrationInput {
    RegistrationInput {
        registration_date: date,
        lmp: Some(lmp),
        ga_entered: None,
        husband_name: "王强".into(),
        husband_age: Some(31),
        husband_phone: "13800000000".into(),
        gravidity: 1,
        vaginal_births: 0,
        caesarean_births: 0,
        last_delivery_date: None,
        infertility: false,
        past_history: BTreeSet::new(),
        past_history_other: String::new(),
        family_history: BTreeSet::new(),
        family_history_other: String::new(),
        personal_history: BTreeSet::new(),
        personal_history_other: String::new(),
        gyn_surgery: None,
        obstetric: ObstetricHistory::default(),
        height_cm: Some(160.0),
        weight_kg: Some(55.0),
        sbp: Some(110),
        dbp: Some(70),
        hb: Some(120.0),
        rh: Some(Rh::Positive),
        overall: Some(Exam::Normal),
        guidance: BTreeSet::from([FirstVisitGuidance::Lifestyle, FirstVisitGuidance::Nutrition]),
        guidance_other: String::new(),
        referral: false,
        referral_reason: String::new(),
        referral_institution: String::new(),
        next_date: Some(date + Duration::days(42)),
    }
}

/// The village urged the second visit (督促日期 only).
pub fn urged(date: NaiveDate, lmp: NaiveDate) -> PrenatalFollowUpInput {
    PrenatalFollowUpInput {
        visit: PrenatalVisit::Second,
        lmp: Some(lmp),
        entry: FollowUpEntry::Urged { urging_date: date },
    }
}

/// A single live girl born at the county hospital on `date`, discharged two days later.
pub fn childbirth(date: NaiveDate) -> ChildbirthInput {
    ChildbirthInput {
        delivery_date: date,
        discharge_date: Some(date + Duration::days(2)),
        place: Some(DeliveryPlace::Facility),
        place_name: "县妇幼保健院".into(),
        gestation_weeks: Some(39),
        babies: vec![Baby { sex: Sex::Female, live_born: true }],
    }
}

pub fn birth(mother: Uuid, childbirth_id: Uuid, date: NaiveDate) -> BirthInput {
    BirthInput {
        mother_id: mother,
        childbirth_id,
        baby: 0,
        discharge_date: Some(date + Duration::days(2)),
        gestation_weeks: Some(39),
        birth_weight_kg: Some(3.3),
    }
}

pub fn postpartum(delivery: NaiveDate, date: NaiveDate) -> PostpartumVisitInput {
    PostpartumVisitInput {
        visit_date: date,
        delivery_date: delivery,
        temperature: Some(36.8),
        general_health: "良好".into(),
        mental_health: "情绪稳定".into(),
        sbp: Some(110),
        dbp: Some(70),
        breasts: Some(Exam::Normal),
        lochia: Some(Exam::Normal),
        uterus: Some(Exam::Normal),
        wound: Some(Exam::Normal),
        classification: Some(Exam::Normal),
        guidance: BTreeSet::from([PostpartumGuidance::Breastfeeding, PostpartumGuidance::NewbornCare]),
        guidance_other: String::new(),
        referral: false,
        referral_reason: String::new(),
        referral_institution: String::new(),
        next_date: None,
    }
}

pub fn check_42(delivery: NaiveDate, date: NaiveDate) -> Check42Input {
    Check42Input {
        check_date: date,
        delivery_date: delivery,
        general_health: "良好".into(),
        mental_health: "无抑郁表现".into(),
        sbp: Some(112),
        dbp: Some(72),
        breasts: Some(Exam::Normal),
        lochia: Some(Exam::Normal),
        uterus: Some(Exam::Normal),
        wound: Some(Exam::Normal),
        classification: Some(Recovery::Recovered),
        classification_note: String::new(),
        guidance: BTreeSet::from([Check42Guidance::Contraception]),
        guidance_other: String::new(),
        disposal: Some(Disposal::Close),
        referral_reason: String::new(),
        referral_institution: String::new(),
    }
}

/// A well newborn (36.8 ℃, HR 140, RR 40).
pub fn newborn_visit(date: NaiveDate) -> NewbornVisitInput {
    NewbornVisitInput {
        visit_date: date,
        gestation_weeks: Some(39),
        birth_weight_kg: Some(3.3),
        weight_kg: Some(3.4),
        birth_length_cm: Some(50.0),
        feeding: Some(newborn::Feeding::Breast),
        temperature: Some(36.8),
        heart_rate: Some(140),
        respiration: Some(40),
        complexion: Some(newborn::Complexion::Rosy),
        jaundice: BTreeSet::new(),
        fontanelle: Some(newborn::Fontanelle::Normal),
        fontanelle_w_cm: Some(2.0),
        fontanelle_h_cm: Some(2.0),
        danger_signs: BTreeSet::new(),
        advised_signs: BTreeSet::new(),
        referral: false,
        referral_reason: String::new(),
        referral_institution: String::new(),
        referral_declined_reason: String::new(),
        guidance: BTreeSet::from([newborn::Guidance::Feeding, newborn::Guidance::DiseasePrevention]),
        guidance_other: String::new(),
        next_date: Some(date + Duration::days(19)),
        next_place: "乡镇卫生院".into(),
    }
}

/// The 6-month check.
pub fn child_check(date: NaiveDate) -> ChildCheckInput {
    ChildCheckInput {
        check_date: date,
        point: CheckPoint::M6,
        late: false,
        weight_kg: Some(8.0),
        height_cm: Some(68.0),
        head_cm: Some(43.0),
        hb: Some(118.0),
        hearing: Some(Hearing::Pass),
        vision: None,
        warning_signs_positive: false,
        illness: Illness::default(),
        referral: false,
        referral_reason: String::new(),
        referral_institution: String::new(),
        guidance: BTreeSet::from([ChildGuidance::Feeding, ChildGuidance::Growth]),
        guidance_other: String::new(),
        next_date: Some(date + Duration::days(60)),
    }
}

/// 气虚 是 (items 2, 3, 4 at 3, 14 at 2, the rest 1), guided.
pub fn tcm_elderly(date: NaiveDate) -> TcmElderlyInput {
    let answers = Answers([1; 33]).with(2, 3).with(3, 3).with(4, 3).with(14, 2);
    TcmElderlyInput {
        date,
        answers,
        guidance: vec![TypeGuidance {
            constitution: Constitution::QiDeficiency,
            items: vec![Guidance::Diet, Guidance::Exercise],
            other: String::new(),
        }],
        note: String::new(),
        next_date: None,
    }
}

pub fn tcm_child(date: NaiveDate) -> TcmChildInput {
    use crate::tcm::ChildGuidance as G;
    TcmChildInput { date, age_months: 6, guidance: vec![G::Diet, G::Routine, G::Massage], note: String::new() }
}

/// A confirmed case of `disease` in a farmer, diagnosed on `day` at 09:00 and filled at 10:00.
pub fn disease_report(day: NaiveDate, disease: &str) -> DiseaseReportInput {
    DiseaseReportInput {
        card_type: 1,
        patient_name: "王秀英".into(),
        parent_name: String::new(),
        id_no: String::new(),
        sex: 2,
        birth_date: NaiveDate::from_ymd_opt(1970, 3, 8).unwrap_or(day),
        work_unit: String::new(),
        phone: "13800138000".into(),
        patient_from: 1,
        address: "青山村3组12号".into(),
        occupation: 11,
        case_class: 3,
        course: None,
        onset_date: day - Duration::days(2),
        diagnosed_at: at(day, 9),
        death_date: None,
        disease: disease.into(),
        outbreak: false,
        phoned_at: None,
        filled_at: at(day, 10),
        note: String::new(),
    }
}

pub fn supervision(day: NaiveDate) -> SupervisionReportInput {
    SupervisionReportInput {
        category: 2,
        found_at: at(day, 9),
        place: "三组集中供水点".into(),
        content: "蓄水池盖板破损，池内有落叶".into(),
        reported_at: Some(at(day, 15)),
        received_by: "乡镇卫生院卫生监督协管站".into(),
    }
}

/// An initial food-poisoning card: 12 ill after a wedding meal, learnt of at 20:00, filled at 20:30.
pub fn event_report(day: NaiveDate) -> EventReportInput {
    EventReportInput {
        stage: crate::infectious::event::INITIAL,
        category: 2,
        title: "婚宴后多人腹泻".into(),
        place: "二组王家".into(),
        occurred_at: at(day, 12),
        learnt_at: at(day, 20),
        first_case_at: Some(at(day, 16)),
        last_case_at: Some(at(day, 19)),
        cases: 12,
        deaths: 0,
        symptoms: "腹泻、呕吐".into(),
        measures: "留存剩余食物，送乡镇卫生院".into(),
        phoned_at: None,
        filled_at: at(day, 20) + Duration::minutes(30),
    }
}
