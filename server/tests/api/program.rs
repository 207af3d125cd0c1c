//! The program's later services through sync (issue 10): every new record type round-trips through push and
//! pull and is refused out of the doctor's villages; an infectious-disease report saved behind 500 queued
//! entries is sent in the first push and stored before them; the township reads it with its timeliness.

use crate::common::*;
use crate::records::{push, village_of};
use app::record::samples::{self, Subject};
use app::record::{RecordBody, RecordInput};
use app::sync::core::{next_push, record};
use app::sync::{EntryBody, PushEntry, MAX_PUSH};
use serde_json::{json, Value};
use uuid::Uuid;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn entry(body: EntryBody) -> Value {
    serde_json::to_value(PushEntry { id: Uuid::now_v7(), created_at: 1_700_000_000, body }).unwrap()
}

/// A resident of `village` born as `subject` needs, without an ID number.
fn person(village: &str, subject: Subject) -> Value {
    let mut r = resident_input(village, "");
    r["id_no"] = Value::Null;
    r["birth_date"] = json!(subject.birth_date(today()));
    r["sex"] = json!(if subject.sex() == app::resident::Sex::Female { 2 } else { 1 });
    r["flags"] = json!([]);
    r["name"] = json!(format!("{subject:?}"));
    r
}

/// The thirteen sample records, about residents made for them in `village` (pushed first).
async fn program_records(app: &TestApp, c: &reqwest::Client, village: &str) -> Vec<RecordInput> {
    let subjects = [Subject::Woman, Subject::Newborn, Subject::Child, Subject::Elder];
    let people: Vec<Value> = subjects.iter().map(|s| person(village, *s)).collect();
    let r = push(
        app,
        c,
        people.iter().map(|p| json!({"id": Uuid::now_v7(), "created_at": 1, "kind": "resident", "body": p})).collect(),
    )
    .await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");
    let id_of = |s: Subject| -> Option<Uuid> {
        subjects.iter().position(|x| *x == s).map(|i| people[i]["id"].as_str().unwrap().parse().unwrap())
    };
    let childbirth_id = Uuid::now_v7();
    samples::program(today(), id_of(Subject::Woman).unwrap(), childbirth_id)
        .into_iter()
        .map(|(subject, date, body)| {
            let mut rec = samples::record(village, id_of(subject), date, body);
            if matches!(rec.body, RecordBody::Childbirth(_)) {
                rec.record_id = childbirth_id;
            }
            rec
        })
        .collect()
}

#[tokio::test]
async fn every_new_record_type_round_trips_and_is_refused_out_of_scope() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let sent = program_records(&app, &d1, &v1).await;
    assert_eq!(sent.len(), 13);
    let (_, cursor, _) = app.pull_all(&d1, 0, 2_000).await;
    let results = push(&app, &d1, sent.iter().map(|r| entry(EntryBody::Record(Box::new(r.clone())))).collect()).await;
    for (r, s) in results.iter().zip(&sent) {
        assert_eq!(r["status"], "accepted", "{:?}: {r}", s.kind());
    }
    let (changes, _, _) = app.pull_all(&d1, cursor, 2_000).await;
    for s in &sent {
        let back = changes
            .iter()
            .find(|c| c["kind"] == "record" && c["record"]["record"]["id"] == json!(s.id))
            .unwrap_or_else(|| panic!("{:?} comes back", s.kind()));
        assert_eq!(back["record"]["record"], serde_json::to_value(s).unwrap(), "{:?}", s.kind());
    }
    // Another township's doctor can write none of them: not for these residents, not for this village.
    let d3 = app.login("doctor3").await;
    let copies: Vec<Value> = sent
        .iter()
        .map(|s| {
            entry(EntryBody::Record(Box::new(RecordInput {
                id: Uuid::now_v7(),
                record_id: Uuid::now_v7(),
                ..s.clone()
            })))
        })
        .collect();
    let before = app.pushed_records().await;
    let r = push(&app, &d3, copies).await;
    assert!(r.iter().all(|x| x["status"] == "rejected" && x["error"] == "Forbidden"), "{r:?}");
    assert_eq!(app.pushed_records().await, before);
    // Nor can doctor1 file a birth under a mother from another township.
    let theirs: Uuid = app.first_resident(&d3).await["id"].as_str().unwrap().parse().unwrap();
    let mut birth = sent.iter().find(|s| matches!(s.body, RecordBody::Birth(_))).unwrap().clone();
    if let RecordBody::Birth(b) = &mut birth.body {
        b.mother_id = theirs;
    }
    birth.id = Uuid::now_v7();
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(birth)))]).await;
    assert_eq!(r[0]["error"]["Validation"]["fields"][0]["field"], "mother_id", "{r:?}");
}

#[tokio::test]
async fn a_disease_report_saved_behind_500_entries_is_sent_and_stored_first() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let (_, cursor, _) = app.pull_all(&d1, 0, 2_000).await;
    // The phone's own outbox (the store the browser keeps in IndexedDB): 500 follow-ups, then the report.
    let mut phone = app::local::LocalData::default();
    for _ in 0..500 {
        let v = serde_json::from_value(htn_input(&rid)).unwrap();
        record(&mut phone, Uuid::now_v7(), 1, EntryBody::ChronicVisit(Box::new(v)));
    }
    let day = today() - chrono::Duration::days(1);
    let body = RecordBody::DiseaseReport(Box::new(samples::disease_report(day, "dysentery_bacillary")));
    let report = samples::record(&v1, None, day, body);
    record(&mut phone, Uuid::now_v7(), 2, EntryBody::Record(Box::new(report.clone())));
    let first = next_push(&phone, "phone-1", MAX_PUSH).unwrap();
    assert_eq!(first.entries.len(), MAX_PUSH);
    assert!(matches!(&first.entries[0].body, EntryBody::Record(r) if r.id == report.id), "the report leads the push");
    let results = push(&app, &d1, first.entries.iter().map(|e| serde_json::to_value(e).unwrap()).collect()).await;
    assert!(
        results.iter().all(|r| r["status"] == "accepted"),
        "{:?}",
        results.iter().find(|r| r["status"] != "accepted")
    );
    // Stored first: in the change log it comes before every follow-up of the push.
    let (changes, cursor, _) = app.pull_all(&d1, cursor, 2_000).await;
    let pos = |pred: &dyn Fn(&Value) -> bool| changes.iter().position(pred).unwrap();
    let at_report = pos(&|c| c["kind"] == "record" && c["record"]["record"]["id"] == json!(report.id));
    let first_visit = pos(&|c| c["kind"] == "visit");
    assert!(at_report < first_visit, "report at {at_report}, first follow-up at {first_visit}");
    // The server keeps that order even for a report sent last in a batch (an older phone's push).
    let mut batch: Vec<Value> = (0..499)
        .map(|_| json!({"id": Uuid::now_v7(), "created_at": 1, "kind": "chronic_visit", "body": htn_input(&rid)}))
        .collect();
    let late =
        samples::record(&v1, None, day, RecordBody::DiseaseReport(Box::new(samples::disease_report(day, "cholera"))));
    let late_entry = entry(EntryBody::Record(Box::new(late.clone())));
    batch.push(late_entry.clone());
    let results = push(&app, &d1, batch).await;
    assert!(results.iter().all(|r| r["status"] == "accepted"));
    assert_eq!(results[499]["id"], late_entry["id"], "answers keep the request's order");
    let (changes, _, _) = app.pull_all(&d1, cursor, 2_000).await;
    let first_change = &changes[0];
    assert_eq!(first_change["record"]["record"]["id"], json!(late.id), "stored before the 499 follow-ups");
}

/// A mother registered offline and the baby her delivery registered, pushed together: the new household takes
/// the mother's id, so the baby joins it although the phone never heard back from the server in between.
#[tokio::test]
async fn a_baby_joins_the_household_of_a_mother_registered_offline() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let mother = person(&v1, Subject::Woman);
    let mut baby = person(&v1, Subject::Newborn);
    baby["household_id"] = mother["id"].clone();
    baby["relation"] = json!(3);
    let entries =
        [&mother, &baby].map(|p| json!({"id": Uuid::now_v7(), "created_at": 1, "kind": "resident", "body": p}));
    let r = push(&app, &d1, entries.to_vec()).await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");
    let (changes, _, _) = app.pull_all(&d1, 0, 5_000).await;
    let household = |id: &Value| {
        changes.iter().find(|c| c["kind"] == "resident" && c["resident"]["id"] == *id).unwrap()["resident"]
            ["household_id"]
            .clone()
    };
    assert_eq!(household(&mother["id"]), mother["id"]);
    assert_eq!(household(&baby["id"]), mother["id"]);
}

/// The township's alert: a report just received is in it, on time, named by disease and village only; asking
/// again every minute writes no audit row, while reading the cards on /reports does.
#[tokio::test]
async fn the_township_alert_names_the_new_report_without_the_patient_and_polls_without_audit_rows() {
    let app = spawn_app().await;
    let (d1, t1, t2) = (app.login("doctor1").await, app.login("township1").await, app.login("township2").await);
    let v1 = village_of(&app, &d1).await;
    let now = chrono::Local::now().naive_local();
    let mut card = samples::disease_report(now.date(), "cholera");
    card.diagnosed_at = now - chrono::Duration::minutes(30);
    card.filled_at = now - chrono::Duration::minutes(20);
    card.patient_name = "报告测试病人".into();
    let report = samples::record(&v1, None, now.date(), RecordBody::DiseaseReport(Box::new(card)));
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(report.clone())))]).await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");

    let audit_rows = app.count("audit_log").await;
    let alerts = body(app.call(&t1, "report_alerts", json!({})).await).await;
    let mine = alerts.as_array().unwrap().iter().find(|a| a["record_id"] == json!(report.record_id));
    let mine = mine.unwrap_or_else(|| panic!("the new report in {alerts}"));
    assert_eq!(mine["subject"], json!({"type": "disease", "disease": "cholera", "case_class": 3}));
    assert_eq!(mine["timeliness"]["status"], "on_time", "cholera: 2 hours, received within the hour");
    assert!(!mine["village_name"].as_str().unwrap().is_empty());
    assert!(!alerts.to_string().contains("报告测试病人"), "no patient in the alert");
    body(app.call(&t1, "report_alerts", json!({})).await).await;
    assert_eq!(app.count("audit_log").await, audit_rows, "polling the alert writes no audit row");
    // Another township does not see it; reading the cards is audited.
    let other = body(app.call(&t2, "report_alerts", json!({})).await).await;
    assert!(!other.as_array().unwrap().iter().any(|a| a["record_id"] == json!(report.record_id)));
    let cards = app.call(&t1, "village_records", json!({"kind": "disease_report"})).await;
    assert!(body(cards).await.to_string().contains("报告测试病人"));
    assert!(app.count("audit_log").await > audit_rows);
}

/// 五色管理: the village screens, the township grades. township1 sees doctor1's new registration with the
/// screen's findings, grades it orange + purple with its reasons, and the grade reaches doctor1's phone with
/// the next pull; a doctor cannot grade, and a grade must name a registration of the same village.
#[tokio::test]
async fn the_township_grades_a_pregnancy_the_village_screened_and_the_doctor_receives_the_grade() {
    let app = spawn_app().await;
    let (d1, t1) = (app.login("doctor1").await, app.login("township1").await);
    let v1 = village_of(&app, &d1).await;
    // A woman of 41 (screen: age ≥35), registered at 9 weeks.
    let mut woman = person(&v1, Subject::Woman);
    woman["birth_date"] = json!(today().checked_sub_months(chrono::Months::new(41 * 12)).unwrap());
    let r =
        push(&app, &d1, vec![json!({"id": Uuid::now_v7(), "created_at": 1, "kind": "resident", "body": woman})]).await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");
    let woman_id: Uuid = woman["id"].as_str().unwrap().parse().unwrap();
    let reg = samples::registration(today(), today() - chrono::Duration::days(63));
    let registration = samples::record(&v1, Some(woman_id), today(), RecordBody::Pregnancy(Box::new(reg)));
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(registration.clone())))]).await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");
    let (_, cursor, _) = app.pull_all(&d1, 0, 5_000).await;

    let register = body(app.call(&t1, "pregnancy_register", json!({})).await).await;
    let row = register.as_array().unwrap().iter().find(|x| x["pregnancy_id"] == json!(registration.record_id));
    let row = row.unwrap_or_else(|| panic!("the registration in {register}"));
    assert_eq!(row["flags"], json!([{"age_high": 41}]), "{row}");
    assert_eq!(row["grade"], Value::Null);

    let grade = |by_pregnancy: Uuid| {
        let input = app::maternal::grading::RiskGradeInput {
            pregnancy_id: by_pregnancy,
            grade: app::maternal::RiskGrade::combine([
                app::maternal::RiskColor::Orange,
                app::maternal::RiskColor::Purple,
            ]),
            reasons: "年龄41岁；乙肝表面抗原阳性".into(),
        };
        samples::record(&v1, Some(woman_id), today(), RecordBody::RiskGrade(Box::new(input)))
    };
    // Naming no registration: refused by the rules, nothing stored.
    let r = app.call(&t1, "grade_pregnancy", json!({"input": grade(Uuid::now_v7())})).await;
    assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let graded = grade(registration.record_id);
    let r = app.call(&t1, "grade_pregnancy", json!({"input": graded})).await;
    assert_eq!(r.status(), reqwest::StatusCode::OK, "{:?}", body(r).await);
    let register = body(app.call(&t1, "pregnancy_register", json!({})).await).await;
    let row = register.as_array().unwrap().iter().find(|x| x["pregnancy_id"] == json!(registration.record_id)).unwrap();
    assert_eq!(row["grade"], json!({"level": "orange", "purple": true}));
    assert_eq!(row["reasons"], "年龄41岁；乙肝表面抗原阳性");

    // The doctor's phone gets the grade with its next pull; a doctor's own grade is refused.
    let (changes, _, _) = app.pull_all(&d1, cursor, 5_000).await;
    assert!(
        changes.iter().any(|c| c["kind"] == "record" && c["record"]["record"]["id"] == json!(graded.id)),
        "the grade reaches the village"
    );
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(grade(registration.record_id))))]).await;
    assert_eq!(r[0]["error"], "Forbidden", "{r:?}");
}

/// A report corrected after its deadline keeps the timeliness of its first receipt: the township's alert
/// still reads it on time, and the doctor's phone pulls the corrected card with when the server first had it.
#[tokio::test]
async fn a_report_corrected_after_its_deadline_keeps_the_timeliness_of_its_first_receipt() {
    let app = spawn_app().await;
    let (d1, t1) = (app.login("doctor1").await, app.login("township1").await);
    let v1 = village_of(&app, &d1).await;
    // Cholera (2 hours), diagnosed three hours ago, received half an hour after the diagnosis.
    let diagnosed = chrono::Local::now().naive_local() - chrono::Duration::hours(3);
    let mut card = samples::disease_report(diagnosed.date(), "cholera");
    card.diagnosed_at = diagnosed;
    card.filled_at = diagnosed + chrono::Duration::minutes(10);
    let report = samples::record(&v1, None, diagnosed.date(), RecordBody::DiseaseReport(Box::new(card)));
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(report.clone())))]).await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");
    sqlx::query("UPDATE records SET received_at = received_at - 9000 WHERE record_id = $1")
        .bind(report.record_id.to_string())
        .execute(&app.store.pool)
        .await
        .unwrap();
    let (_, cursor, _) = app.pull_all(&d1, 0, 5_000).await;

    // The doctor corrects the patient's phone number now, past the deadline.
    let mut fixed = report.clone();
    fixed.id = Uuid::now_v7();
    if let RecordBody::DiseaseReport(c) = &mut fixed.body {
        c.phone = "13900139000".into();
    }
    let r = push(&app, &d1, vec![entry(EntryBody::Record(Box::new(fixed.clone())))]).await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");

    let alerts = body(app.call(&t1, "report_alerts", json!({})).await).await;
    let mine = alerts.as_array().unwrap().iter().find(|a| a["record_id"] == json!(report.record_id));
    let mine = mine.unwrap_or_else(|| panic!("the report in {alerts}"));
    assert_eq!(mine["timeliness"]["status"], "on_time", "received 30 min after the diagnosis: {mine}");

    let (changes, _, _) = app.pull_all(&d1, cursor, 5_000).await;
    let pulled = changes.iter().find(|c| c["kind"] == "record" && c["record"]["record"]["id"] == json!(fixed.id));
    let pulled: app::record::StoredRecord =
        serde_json::from_value(pulled.expect("the correction reaches the phone")["record"].clone()).unwrap();
    assert_eq!(pulled.revision, 2);
    let first = pulled.first_received_at().expect("the first receipt");
    assert!(first <= diagnosed + chrono::Duration::minutes(31) && first >= diagnosed, "{pulled:?}");
    assert!(pulled.recorded_at > pulled.first_received, "{pulled:?}");
}
