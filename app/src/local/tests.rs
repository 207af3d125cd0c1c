//! The device store's data rules: effective state over the outbox, replacing unsent entries, the round trip
//! through storage, and writes that fail.

use super::*;
use crate::auth::{Role, Village};
use crate::sync::core::{apply_pull, apply_push};
use crate::sync::{EntryOutcome, EntryResult, PullResponse, PushResponse, PROTOCOL};
use crate::visit::chronic::Disease;

fn user() -> SessionUser {
    SessionUser {
        id: "u1".into(),
        username: "doctor1".into(),
        display_name: "李医生".into(),
        role: Role::VillageDoctor,
        org_name: "一村".into(),
        villages: vec![Village {
            id: "v1".into(), code: "1".into(), name: "一村".into(), township_name: "镇".into()
        }],
        resident_id: None,
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

fn input(name: &str) -> ResidentInput {
    ResidentInput { id: Uuid::now_v7(), name: name.into(), ..crate::resident::tests::sample() }
}

fn server_copy(i: &ResidentInput, version: i64) -> Resident {
    let v = i.validate(today()).unwrap();
    Resident {
        id: i.id,
        record_no: "410999001".into(),
        village_id: i.village_id.clone(),
        village_name: "一村".into(),
        household_id: "h1".into(),
        household_head: i.name.clone(),
        relation: i.relation,
        name: i.name.clone(),
        sex: v.sex,
        birth_date: v.birth_date,
        id_no: i.id_no.clone(),
        phone: i.phone.clone(),
        address: i.address.clone(),
        residence_type: i.residence_type,
        ethnicity: i.ethnicity,
        blood_abo: i.blood_abo,
        education: i.education,
        occupation: i.occupation,
        marital: i.marital,
        payment: i.payment.clone(),
        status: i.status,
        flags: vec![],
        version,
        created_at: String::new(),
        created_by_name: "李医生".into(),
        updated_at: String::new(),
    }
}

fn answer(ids: &[Uuid], outcome: EntryOutcome) -> PushResponse {
    PushResponse {
        protocol: PROTOCOL,
        results: ids.iter().map(|id| EntryResult { id: *id, outcome: outcome.clone() }).collect(),
    }
}

/// A mother registered offline and her baby entered into her new household before either synced: the baby's
/// household head is the mother's name, not blank.
#[test]
fn a_member_of_a_household_made_offline_shows_its_head_before_sync() {
    let mut d = LocalData::default();
    let mother = input("王芳");
    d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(mother.clone())), &HashSet::new());
    let baby = ResidentInput { household_id: Some(mother.id.to_string()), relation: 3, ..input("王芳之女") };
    d.save(Uuid::now_v7(), 2, EntryBody::Resident(Box::new(baby.clone())), &HashSet::new());
    let (r, _) = d.resident(baby.id, &user()).unwrap();
    assert_eq!((r.household_id.as_str(), r.household_head.as_str()), (mother.id.to_string().as_str(), "王芳"));
}

#[test]
fn a_resident_saved_offline_is_listed_pending_then_synced() {
    let mut d = LocalData::default();
    let i = input("王芳");
    let entry = d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(i.clone())), &HashSet::new());
    let page = d.list(&ResidentQuery { q: "王".into(), ..Default::default() }, &user(), today());
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].name, "王芳");
    assert_eq!(page.rows[0].id_masked.as_deref(), Some("110101********0010"));
    let (r, mark) = d.resident(i.id, &user()).unwrap();
    assert_eq!(mark, SyncMark::Pending);
    assert_eq!((r.village_name.as_str(), r.household_head.as_str()), ("一村", "王芳"));
    assert_eq!(d.pending_count(), 1);

    apply_push(&mut d, &answer(&[entry], EntryOutcome::Accepted));
    apply_pull(
        &mut d,
        &PullResponse {
            protocol: PROTOCOL,
            changes: vec![Change::Resident { resident: Box::new(server_copy(&i, 1)) }],
            next_cursor: 9,
            more: false,
        },
    );
    let (r, mark) = d.resident(i.id, &user()).unwrap();
    assert_eq!(mark, SyncMark::Synced);
    assert_eq!(r.record_no, "410999001");
    assert_eq!(d.pending_count(), 0);
    assert_eq!(d.cursor(), 9);
}

#[test]
fn a_rejected_entry_shows_its_reason_and_a_correction_keeps_its_id() {
    let mut d = LocalData::default();
    let i = input("赵六");
    let entry = d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(i.clone())), &HashSet::new());
    let err = AppError::field("id_no", "已建档", "exists");
    apply_push(&mut d, &answer(&[entry], EntryOutcome::Rejected { error: err.clone() }));
    assert_eq!(d.resident(i.id, &user()).unwrap().1, SyncMark::Rejected(err));
    assert_eq!(d.rejected_count(), 1);

    let fixed = ResidentInput { id_no: None, sex: Some(1), birth_date: Some(today()), ..i.clone() };
    let again = d.save(Uuid::now_v7(), 2, EntryBody::Resident(Box::new(fixed)), &HashSet::new());
    assert_eq!(again, entry, "the correction is the same entry, sent again");
    assert_eq!((d.pending_count(), d.rejected_count()), (1, 0));
    assert_eq!(d.resident(i.id, &user()).unwrap().0.id_no, None);
}

#[test]
fn an_entry_on_its_way_to_the_server_is_never_replaced() {
    let mut d = LocalData::default();
    let i = input("钱七");
    let first = d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(i.clone())), &HashSet::new());
    let edit = ResidentInput { phone: Some("13900139000".into()), ..i.clone() };
    let in_flight = HashSet::from([first]);
    let second = d.save(Uuid::now_v7(), 2, EntryBody::Resident(Box::new(edit)), &in_flight);
    assert_ne!(first, second);
    assert_eq!(d.outbox_items().len(), 2);
    // The page shows the latest edit.
    assert_eq!(d.resident(i.id, &user()).unwrap().0.phone.as_deref(), Some("13900139000"));
}

#[test]
fn unsynced_visits_show_in_the_history_and_feed_the_form() {
    let mut d = LocalData::default();
    let i = input("孙八");
    d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(i.clone())), &HashSet::new());
    let v = ChronicVisitInput {
        id: Uuid::now_v7(),
        resident_id: i.id,
        classification: Some(2),
        ..crate::visit::chronic::tests::sample()
    };
    let v = ChronicVisitInput { visit_id: v.id, ..v };
    d.save(Uuid::now_v7(), 2, EntryBody::ChronicVisit(Box::new(v.clone())), &HashSet::new());
    let history = d.visits_of(i.id, "李医生");
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].0.revision, history[0].1.clone()), (1, SyncMark::Pending));
    let form = d.chronic_form_data(i.id, Disease::Hypertension, &user(), today()).unwrap();
    assert_eq!(form.previous_classification, Some(2));
    assert_eq!(form.last_visit.map(|l| l.id), Some(v.id));
    // The diabetes form of the same resident starts from diabetes visits only.
    let dm = d.chronic_form_data(i.id, Disease::Diabetes, &user(), today()).unwrap();
    assert_eq!((dm.previous_classification, dm.last_visit), (None, None));
    assert_eq!(d.htn_visit(v.id).map(|x| x.sbp), Some(v.sbp));
}

/// What `browser::flush` writes and `browser::load` reads, without a browser.
fn reload(d: &mut LocalData) -> LocalData {
    let writes = d.pending_writes();
    let mut l = Loaded::default();
    for (k, _, v) in &writes {
        let Some(v) = v.clone() else { continue };
        match k {
            Key::Resident(_) => l.residents.push(v),
            Key::Visit(_) => l.visits.push(v),
            Key::Record(_) => l.records.push(v),
            Key::Outbox(_) => l.outbox.push(v),
            Key::Meta(m) => l.meta.push((m.to_string(), v)),
        }
    }
    d.written(&writes.iter().map(|(k, g, _)| (k.clone(), *g)).collect::<Vec<_>>());
    let (back, bad) = LocalData::load(l);
    assert!(bad.is_empty(), "{bad:?}");
    back
}

#[test]
fn the_outbox_order_cursor_and_records_survive_a_reload() {
    let mut d = LocalData::default();
    let names = ["甲", "乙", "丙", "丁"];
    let ids: Vec<Uuid> = names
        .iter()
        .map(|n| d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(input(n))), &HashSet::new()))
        .collect();
    let kept = input("戊");
    d.put(&Change::Resident { resident: Box::new(server_copy(&kept, 3)) });
    d.set_cursor(42);
    let back = reload(&mut d);
    assert_eq!(d.unwritten(), 0);
    let order: Vec<Uuid> = back.outbox_items().iter().map(|e| e.item.entry.id).collect();
    assert_eq!(order, ids);
    assert_eq!(back.cursor(), 42);
    assert_eq!(back.resident(kept.id, &user()).unwrap().0.version, 3);
}

#[test]
fn a_record_changed_during_a_write_stays_to_be_written() {
    let mut d = LocalData::default();
    d.set_cursor(1);
    let snapshot = d.pending_writes();
    d.set_cursor(2);
    d.written(&snapshot.iter().map(|(k, g, _)| (k.clone(), *g)).collect::<Vec<_>>());
    assert_eq!(d.unwritten(), 1);
    assert_eq!(d.pending_writes()[0].2.as_deref(), Some("2"));
}

#[test]
fn a_synced_entry_is_deleted_from_storage() {
    let mut d = LocalData::default();
    let entry = d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(input("己"))), &HashSet::new());
    let _ = reload(&mut d);
    apply_push(&mut d, &answer(&[entry], EntryOutcome::Duplicate));
    let writes = d.pending_writes();
    assert!(writes.iter().any(|(k, _, v)| *k == Key::Outbox(entry) && v.is_none()));
}

#[test]
fn unreadable_records_are_reported_not_fatal() {
    let (d, bad) = LocalData::load(Loaded { residents: vec!["{broken".into()], ..Default::default() });
    assert_eq!(bad.len(), 1);
    assert_eq!(d.resident_count(), 0);
}

fn dose_record(resident: Uuid, vaccine: &str) -> crate::record::RecordInput {
    let body = crate::record::RecordBody::Dose(crate::vaccination::tests::dose(vaccine, 1));
    crate::record::RecordInput { resident_id: Some(resident), ..crate::record::tests::record(body, None).0 }
}

#[test]
fn records_show_unsynced_revisions_and_photos_and_leave_with_their_resident() {
    use crate::record::{AttachmentInput, RecordKind, StoredRecord};
    let mut d = LocalData::default();
    let child = input("小明");
    d.put(&Change::Resident { resident: Box::new(server_copy(&child, 1)) });
    let synced = dose_record(child.id, "HepB");
    d.put(&Change::Record {
        record: Box::new(StoredRecord {
            record: synced.clone(),
            revision: 1,
            author_name: "王医生".into(),
            recorded_at: "2026-11-20 09:00".into(),
            first_received: String::new(),
            attachments: vec![],
            review: None,
        }),
    });
    // A correction of the synced dose and a new one, both unsynced.
    let mut fixed = synced.clone();
    fixed.id = Uuid::now_v7();
    if let crate::record::RecordBody::Dose(x) = &mut fixed.body {
        x.batch = "202401".into();
    }
    d.save(Uuid::now_v7(), 1, EntryBody::Record(Box::new(fixed.clone())), &HashSet::new());
    let new = dose_record(child.id, "BCG");
    let new_entry = d.save(Uuid::now_v7(), 2, EntryBody::Record(Box::new(new.clone())), &HashSet::new());
    // Saving the new dose again replaces its unsent entry.
    assert_eq!(d.save(Uuid::now_v7(), 3, EntryBody::Record(Box::new(new.clone())), &HashSet::new()), new_entry);
    let shown = d.records_of(child.id, &[RecordKind::Dose], "李医生");
    assert_eq!(shown.len(), 2);
    let f = shown.iter().find(|r| r.stored.record.record_id == synced.record_id).unwrap();
    assert_eq!((f.stored.revision, f.mark.clone(), f.stored.record.id), (2, SyncMark::Pending, fixed.id));
    // The correction keeps when the server first had the record; the new dose has not reached it.
    let first = chrono::NaiveDateTime::parse_from_str("2026-11-20 09:00", "%Y-%m-%d %H:%M").ok();
    assert_eq!(f.first_received_at(), first);
    let n = shown.iter().find(|r| r.stored.record.record_id == new.record_id).unwrap();
    assert_eq!(n.first_received_at(), None);
    assert!(d.records_of(child.id, &[RecordKind::Contract], "李医生").is_empty());
    // A photo waiting in the outbox shows on its record.
    let photo = AttachmentInput {
        id: Uuid::now_v7(),
        record_id: new.record_id,
        village_id: "v1".into(),
        kind: 1,
        mime: "image/jpeg".into(),
        data: "/9j/4A==".into(),
    };
    d.save(Uuid::now_v7(), 4, EntryBody::Attachment(Box::new(photo.clone())), &HashSet::new());
    let r = d.record(new.record_id, "李医生").unwrap();
    assert_eq!(r.stored.attachments, vec![photo.meta()]);
    assert_eq!(d.pending_photo(photo.id).as_deref(), Some("data:image/jpeg;base64,/9j/4A=="));
    // Records survive a reload and leave with their resident.
    let mut back = reload(&mut d);
    assert_eq!(back.record_count(), 1);
    assert_eq!(back.records_of(child.id, &[RecordKind::Dose], "李医生").len(), 2);
    LocalStore::drop_resident(&mut back, child.id);
    assert_eq!(back.record_count(), 0);
}

/// The indicators count a report by its first receipt: a correction still in the outbox keeps it, a new
/// report has none.
#[test]
fn a_report_corrected_on_the_phone_keeps_its_first_receipt_for_the_indicators() {
    use crate::record::{samples, RecordBody, StoredRecord};
    let day: NaiveDate = "2026-11-20".parse().unwrap();
    let report = |disease: &str| {
        samples::record("v1", None, day, RecordBody::DiseaseReport(Box::new(samples::disease_report(day, disease))))
    };
    let mut d = LocalData::default();
    let sent = report("cholera");
    d.put(&Change::Record {
        record: Box::new(StoredRecord {
            record: sent.clone(),
            revision: 2,
            author_name: "王医生".into(),
            recorded_at: "2026-11-20 15:00".into(),
            first_received: "2026-11-20 10:30".into(),
            attachments: vec![],
            review: None,
        }),
    });
    let at = |s: &str| chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").ok();
    fn received(d: &LocalData, id: Uuid) -> Option<(Uuid, Option<chrono::NaiveDateTime>)> {
        d.village_records_received().into_iter().find(|(r, _)| r.record_id == id).map(|(r, at)| (r.id, at))
    }
    assert_eq!(received(&d, sent.record_id).map(|x| x.1), Some(at("2026-11-20 10:30")));
    let mut fixed = sent.clone();
    fixed.id = Uuid::now_v7();
    d.save(Uuid::now_v7(), 1, EntryBody::Record(Box::new(fixed.clone())), &HashSet::new());
    let new = report("dysentery_bacillary");
    d.save(Uuid::now_v7(), 2, EntryBody::Record(Box::new(new.clone())), &HashSet::new());
    assert_eq!(received(&d, sent.record_id), Some((fixed.id, at("2026-11-20 10:30"))));
    assert_eq!(received(&d, new.record_id).map(|x| x.1), Some(None));
}

#[test]
fn a_returned_visit_is_listed_until_its_correction_supersedes_it() {
    let mut d = LocalData::default();
    let i = input("周九");
    d.put(&Change::Resident { resident: Box::new(server_copy(&i, 1)) });
    let v = ChronicVisitInput { id: Uuid::now_v7(), resident_id: i.id, ..crate::visit::chronic::tests::sample() };
    let v = ChronicVisitInput { visit_id: v.id, ..v };
    let note = crate::review::ReviewNote {
        revision_id: v.id,
        verdict: crate::review::Verdict::Returned,
        comment: "请复测血压".into(),
        reviewer: "乡镇卫生院".into(),
        at: "2026-11-22 09:00".into(),
    };
    let mut summary = VisitSummary::of_chronic(&v, 1, false, "李医生", String::new());
    summary.review = Some(Box::new(note));
    d.put(&Change::Visit { summary: summary.clone(), resident_id: i.id, payload: Box::new(v.clone()) });
    // It survives a reload (the verdict is kept with the visit).
    let mut d = reload(&mut d);
    let r = d.returned();
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].resident_name.as_str(), r[0].comment.as_str(), r[0].corrected), ("周九", "请复测血压", false));
    assert_eq!(r[0].href, format!("/residents/{}/visits/htn/{}/correct", i.id, v.id));

    // Corrected offline: still listed, marked corrected.
    let fixed = ChronicVisitInput { id: Uuid::now_v7(), supersedes: Some(v.id), sbp: Some(128), ..v.clone() };
    d.save(Uuid::now_v7(), 3, EntryBody::ChronicVisit(Box::new(fixed.clone())), &HashSet::new());
    assert!(d.returned()[0].corrected);
    // Synced: the server sends revision 2, which the old verdict does not cover.
    let mut s2 = VisitSummary::of_chronic(&fixed, 2, false, "李医生", String::new());
    s2.review = None;
    d.put(&Change::Visit { summary: s2, resident_id: i.id, payload: Box::new(fixed) });
    // A verdict naming an older revision covers nothing either.
    assert!(d.returned().is_empty());
}

#[test]
fn rewriting_all_marks_every_record_and_the_written_copy_loads_back_whole() {
    let mut d = LocalData::default();
    let i = input("孙八");
    apply_pull(
        &mut d,
        &PullResponse {
            protocol: PROTOCOL,
            changes: vec![Change::Resident { resident: Box::new(server_copy(&i, 1)) }],
            next_cursor: 7,
            more: false,
        },
    );
    let unsent = d.save(Uuid::now_v7(), 1, EntryBody::Resident(Box::new(input("周九"))), &HashSet::new());
    let done: Vec<(Key, u64)> = d.pending_writes().into_iter().map(|(k, g, _)| (k, g)).collect();
    d.written(&done);
    assert_eq!(d.unwritten(), 0);

    // What an older build stored unencrypted is written again, every record of it.
    d.rewrite_all();
    let writes = d.pending_writes();
    let keys: HashSet<Key> = writes.iter().map(|(k, _, _)| k.clone()).collect();
    assert!(keys.contains(&Key::Resident(i.id)) && keys.contains(&Key::Outbox(unsent)));
    assert!(keys.contains(&Key::Meta("cursor")));
    let mut loaded = Loaded::default();
    for (k, _, v) in writes {
        let v = v.expect("nothing is deleted by a rewrite");
        match k.store() {
            "residents" => loaded.residents.push(v),
            "outbox" => loaded.outbox.push(v),
            "meta" => loaded.meta.push((k.id(), v)),
            other => panic!("unexpected store {other}"),
        }
    }
    let (again, bad) = LocalData::load(loaded);
    assert!(bad.is_empty());
    assert_eq!(again.cursor(), 7);
    assert_eq!((again.resident_count(), again.pending_count()), (1, 1));
}

#[test]
fn the_id_search_ignores_case_without_allocating_for_ascii() {
    use super::contains_uppercased;
    assert!(contains_uppercased("11010119800101001x", "001X"));
    assert!(contains_uppercased("11010119800101001X", "1101"));
    assert!(!contains_uppercased("110101198001010010", "001X"));
    assert!(contains_uppercased("abc", ""));
    assert!(!contains_uppercased("12", "123"));
    assert!(contains_uppercased("straße", "STRASSE"));
}
