//! Service records through the sync API: each kind round-trips through push and pull and reaches the township;
//! the server refuses what the shared rules refuse, with per-field reasons; photos are checked on their own
//! (an oversized one is refused, the record kept); nothing is written for a resident or village outside the
//! doctor's scope.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

const DAY: &str = "2026-11-10";
/// The first bytes of a JPEG file, base64.
const JPEG: &str = "/9j/4AAQSkZJRgABAQ==";

fn entry(kind: &str, body: Value) -> Value {
    json!({"id": Uuid::now_v7(), "created_at": 1_700_000_000, "kind": kind, "body": body})
}

fn record(village: &str, resident: Option<&str>, body: Value) -> Value {
    let mut r =
        json!({"id": Uuid::now_v7(), "record_id": Uuid::now_v7(), "village_id": village, "date": DAY, "body": body});
    if let Some(id) = resident {
        r["resident_id"] = json!(id);
    }
    r
}

fn lecture() -> Value {
    json!({"type": "education", "start_time": "09:00", "end_time": "10:00", "place": "村委会", "forms": [1, 4],
           "theme": "糖尿病防治", "health_day": "diabetes", "organizer": "李医生", "audience": [3, 8],
           "audience_count": 25, "materials": [{"kind": "糖尿病折页", "count": 30}], "content": "饮食与运动",
           "five_in": 5, "archive": [2, 5]})
}

fn dose(vaccine: &str, n: u8) -> Value {
    json!({"type": "dose", "vaccine": vaccine, "dose_no": n, "place": "城关镇卫生院", "source": 1})
}

fn contact() -> Value {
    json!({"type": "contact", "person": 1, "method": 1, "outcome": 1, "vaccines": ["MMR"], "attend_date": "2026-12-01"})
}

fn contract() -> Value {
    json!({"type": "contract", "team": "一村家庭医生团队", "doctor": "李医生", "packages": [1, 2], "term_months": 12})
}

fn photo(record_id: &Value, village: &str, data: &str) -> Value {
    json!({"id": Uuid::now_v7(), "record_id": record_id, "village_id": village, "kind": 3, "mime": "image/jpeg", "data": data})
}

pub(crate) async fn push(app: &TestApp, c: &reqwest::Client, entries: Vec<Value>) -> Vec<Value> {
    let r = app.sync(c, "push", json!({"protocol": 1, "device_id": "phone-1", "entries": entries})).await;
    let status = r.status();
    let b = body(r).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    b["results"].as_array().unwrap().clone()
}

pub(crate) async fn village_of(app: &TestApp, c: &reqwest::Client) -> String {
    body(app.call(c, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string()
}

fn fields(result: &Value) -> Vec<String> {
    result["error"]["Validation"]["fields"]
        .as_array()
        .map_or(vec![], |f| f.iter().map(|x| x["field"].as_str().unwrap().to_string()).collect())
}

#[tokio::test]
async fn every_kind_round_trips_and_reaches_the_township() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let (_, cursor, _) = app.pull_all(&d1, 0, 2_000).await;
    let signed = json!({"signature": "M10 10 L40 30"});
    let mut c = record(&v1, Some(&rid), contract());
    c["signature"] = signed["signature"].clone();
    let delivery = json!({"type": "delivery", "contract_id": c["record_id"], "item": 3});
    let sent = vec![
        record(&v1, None, lecture()),
        record(&v1, Some(&rid), dose("HepB", 1)),
        record(&v1, Some(&rid), contact()),
        c,
        record(&v1, Some(&rid), delivery),
    ];
    let results = push(&app, &d1, sent.iter().map(|r| entry("record", r.clone())).collect()).await;
    assert!(results.iter().all(|r| r["status"] == "accepted"), "{results:?}");
    assert_eq!(app.pushed_records().await, 5);
    let (changes, _, _) = app.pull_all(&d1, cursor, 2_000).await;
    for s in &sent {
        let back = changes
            .iter()
            .find(|c| c["kind"] == "record" && c["record"]["record"]["record_id"] == s["record_id"])
            .unwrap_or_else(|| panic!("{} comes back", s["body"]["type"]));
        assert_eq!(back["record"]["record"], *s, "{}", s["body"]["type"]);
        assert_eq!(back["record"]["revision"], 1);
        assert!(back["record"]["author_name"].as_str().unwrap().ends_with("医生"), "{back}");
    }
    let signed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE signed = 1").fetch_one(&app.store.pool).await.unwrap();
    assert_eq!(signed, 1);
    // The township reads them online: the village's sessions and the resident's records.
    let t1 = app.login("township1").await;
    let sessions = body(app.call(&t1, "village_records", json!({"kind": "education"})).await).await;
    // (The demo villages hold a session a month too: the one sent here is found by its id.)
    let sent_session = sessions
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["record"]["record_id"] == sent[0]["record_id"])
        .expect("the session sent is listed");
    assert_eq!(sent_session["record"]["body"]["theme"], "糖尿病防治");
    let mine = body(app.call(&t1, "resident_records", json!({"resident_id": rid})).await).await;
    // (The demo resident may have doses on the card already: only the records sent here are compared.)
    let mut kinds: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| sent.iter().any(|s| s["record_id"] == r["record"]["record_id"]))
        .map(|r| r["record"]["body"]["type"].as_str().unwrap())
        .collect();
    kinds.sort();
    assert_eq!(kinds, ["contact", "contract", "delivery", "dose"]);
    // Another township's manager sees none of it.
    let t2 = app.login("township2").await;
    let theirs = body(app.call(&t2, "village_records", json!({"kind": "education"})).await).await;
    assert!(!theirs.as_array().unwrap().iter().any(|x| x["record"]["record_id"] == sent[0]["record_id"]));
    assert!(theirs.as_array().unwrap().iter().all(|x| x["record"]["village_id"] != json!(v1)));
    let r = app.call(&t2, "resident_records", json!({"resident_id": rid})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_revision_replaces_the_record_and_a_retried_push_stores_nothing_twice() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let first = record(&v1, Some(&rid), dose("DTaP", 1));
    let e = entry("record", first.clone());
    assert_eq!(push(&app, &d1, vec![e.clone()]).await[0]["status"], "accepted");
    assert_eq!(push(&app, &d1, vec![e]).await[0]["status"], "duplicate");
    let mut fixed = first.clone();
    fixed["id"] = json!(Uuid::now_v7());
    fixed["body"]["batch"] = json!("202409A");
    assert_eq!(push(&app, &d1, vec![entry("record", fixed.clone())]).await[0]["status"], "accepted");
    assert_eq!(app.pushed_records().await, 2);
    let rows = body(app.call(&d1, "resident_records", json!({"resident_id": rid})).await).await;
    let rows: Vec<&Value> =
        rows.as_array().unwrap().iter().filter(|r| r["record"]["record_id"] == first["record_id"]).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0]["revision"].clone(), rows[0]["record"]["body"]["batch"].clone()), (json!(2), json!("202409A")));
    // A record id reused for another kind of record is refused.
    let mut other = record(&v1, Some(&rid), contract());
    other["record_id"] = first["record_id"].clone();
    let r = push(&app, &d1, vec![entry("record", other)]).await;
    assert_eq!(r[0]["status"], "rejected");
    assert!(r[0]["error"]["Conflict"].is_object(), "{r:?}");
}

#[tokio::test]
async fn the_server_refuses_what_the_shared_rules_refuse_with_per_field_reasons() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let mut no_theme = lecture();
    no_theme["theme"] = json!("");
    no_theme["end_time"] = json!("08:00");
    let mut late = record(&v1, Some(&rid), dose("HepB", 1));
    late["date"] = json!("2030-01-01");
    let mut no_date = contact();
    no_date["attend_date"] = Value::Null;
    let mut refused = contact();
    refused["outcome"] = json!(3);
    let mut bad_contract = contract();
    bad_contract["packages"] = json!([]);
    bad_contract["term_months"] = json!(40);
    let entries = vec![
        entry("record", record(&v1, None, no_theme)),
        entry("record", record(&v1, Some(&rid), dose("XYZ", 1))),
        entry("record", late),
        entry("record", record(&v1, Some(&rid), no_date)),
        entry("record", record(&v1, Some(&rid), refused)),
        entry("record", record(&v1, Some(&rid), bad_contract)),
        // A lecture filed under a resident, a dose with none.
        entry("record", record(&v1, Some(&rid), lecture())),
        entry("record", record(&v1, None, dose("BCG", 1))),
        entry("record", record(&v1, Some(&Uuid::now_v7().to_string()), dose("BCG", 1))),
    ];
    let r = push(&app, &d1, entries).await;
    assert!(r.iter().all(|x| x["status"] == "rejected"), "{r:?}");
    assert_eq!(fields(&r[0]), ["end_time", "theme"]);
    assert_eq!(fields(&r[1]), ["vaccine"]);
    assert_eq!(fields(&r[2]), ["date"]);
    assert_eq!(fields(&r[3]), ["attend_date"]);
    assert_eq!(fields(&r[4]), ["reason"]);
    assert_eq!(fields(&r[5]), ["packages", "term_months"]);
    assert_eq!(fields(&r[6]), ["resident_id"]);
    assert_eq!(fields(&r[7]), ["resident_id"]);
    assert_eq!(fields(&r[8]), ["resident_id"]);
    assert!(r[1]["error"]["Validation"]["fields"][0]["zh"].as_str().unwrap().contains("疫苗"));
    assert_eq!(app.pushed_records().await, 0);
}

#[tokio::test]
async fn photos_are_stored_with_their_record_and_an_oversized_one_is_refused_alone() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let session = record(&v1, None, lecture());
    let rid = &session["record_id"];
    let big = format!("/9j/4AAA{}", "A".repeat(700_000));
    let (p1, p2, p3) = (photo(rid, &v1, JPEG), photo(rid, &v1, JPEG), photo(rid, &v1, &big));
    let mut fake = photo(rid, &v1, JPEG);
    fake["mime"] = json!("image/png");
    let r = push(
        &app,
        &d1,
        vec![
            // A photo may arrive before its record.
            entry("attachment", p1.clone()),
            entry("record", session.clone()),
            entry("attachment", p2.clone()),
            entry("attachment", p3),
            entry("attachment", fake),
        ],
    )
    .await;
    let status: Vec<&str> = r.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(status, ["accepted", "accepted", "accepted", "rejected", "rejected"]);
    let big_reason = &r[3]["error"]["Validation"]["fields"][0];
    assert_eq!(big_reason["field"], "data");
    assert!(big_reason["zh"].as_str().unwrap().contains("照片过大"), "{big_reason}");
    assert!(big_reason["zh"].as_str().unwrap().contains("记录本身已保存"), "{big_reason}");
    assert!(r[4]["error"]["Validation"]["fields"][0]["zh"].as_str().unwrap().contains("图片格式"));
    assert_eq!((app.pushed_records().await, app.count("attachments").await), (1, 2));
    // The record comes back with both photos; the photo itself is served to staff of its village only.
    let (changes, _, _) = app.pull_all(&d1, 0, 2_000).await;
    let back = changes.iter().rev().find(|c| c["kind"] == "record").unwrap();
    let ids: Vec<&Value> = back["record"]["attachments"].as_array().unwrap().iter().map(|a| &a["id"]).collect();
    assert_eq!(ids, [&p1["id"], &p2["id"]]);
    let url = format!("{}/api/attachments/{}", app.base, p1["id"].as_str().unwrap());
    let t1 = app.login("township1").await;
    for c in [&d1, &t1] {
        let got = c.get(&url).send().await.unwrap();
        assert_eq!(got.status(), StatusCode::OK);
        assert_eq!(got.headers()["content-type"], "image/jpeg");
        assert_eq!(got.bytes().await.unwrap()[..3], [0xFF, 0xD8, 0xFF]);
    }
    let d3 = app.login("doctor3").await;
    assert_eq!(d3.get(&url).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.client().get(&url).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        d1.get(format!("{}/api/attachments/nope", app.base)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nothing_is_written_outside_the_doctors_villages() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let v3 = village_of(&app, &d3).await;
    let theirs = app.first_resident(&d3).await["id"].as_str().unwrap().to_string();
    let v1 = village_of(&app, &d1).await;
    let session = record(&v3, None, lecture());
    let r = push(
        &app,
        &d1,
        vec![
            entry("record", record(&v1, Some(&theirs), dose("BCG", 1))),
            entry("record", session.clone()),
            entry("attachment", photo(&session["record_id"], &v3, JPEG)),
        ],
    )
    .await;
    assert!(r.iter().all(|x| x["status"] == "rejected" && x["error"] == "Forbidden"), "{r:?}");
    assert_eq!((app.pushed_records().await, app.count("attachments").await), (0, 0));
    // A photo cannot be slipped onto another village's record by naming one's own village.
    let theirs_session = record(&v3, None, lecture());
    assert_eq!(push(&app, &d3, vec![entry("record", theirs_session.clone())]).await[0]["status"], "accepted");
    let r = push(&app, &d1, vec![entry("attachment", photo(&theirs_session["record_id"], &v1, JPEG))]).await;
    assert_eq!(r[0]["error"], "Forbidden");
    assert_eq!(app.count("attachments").await, 0);
}

#[tokio::test]
async fn the_other_follow_ups_and_services_round_trip_and_are_checked() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let page = body(
        app.call(&d1, "list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}})).await,
    )
    .await;
    let rows = page["rows"].as_array().unwrap();
    let rid = rows[0]["id"].as_str().unwrap().to_string();
    let old = rows
        .iter()
        .find(|r| r["birth_date"].as_str().unwrap() < "1960-01-01")
        .expect("someone over 65 on the first page")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let smi = json!({"type": "smi_visit", "outcome": 1, "mode": 2, "informant": 2, "risk": 0, "insight": 1, "sleep": 1,
        "diet": 1, "social": [1, 1, 1, 1, 1], "confinement": 1, "hospital": 1, "adherence": 1, "adr": 1, "effect": 2,
        "class": 3, "next_visit_date": "2027-02-10"});
    let tb = json!({"type": "tb_visit", "visit_type": 2, "supervisor": 2, "phase": 1, "treatment_month": 1,
        "doses_prescribed": 10, "doses_missed": 1, "adr": 1, "next_visit_date": "2026-11-20"});
    let referral = json!({"type": "referral", "reason": "血压控制不满意两次", "institution": "县人民医院", "urgent": false,
        "result": 1});
    let home = json!({"type": "home_visit", "reasons": [1], "services": [1, 2], "sbp": 150, "dbp": 90, "notes": "卧床，压疮已愈"});
    let elderly = json!({"type": "elderly_check", "check_date": DAY, "temperature": 36.5, "pulse": 72, "respiration": 18,
        "sbp": 138, "dbp": 82, "height_cm": 160.0, "weight": 58.0, "waist_cm": 82.0,
        "self_care": {"eating": "independent", "grooming": "mild", "dressing": "independent", "toileting": "mild",
                      "mobility": "moderate"},
        "self_rated": 2, "cognition": "negative", "mood": "negative", "guidance": "", "next_date": null});
    let sent = vec![
        record(&v1, Some(&rid), smi.clone()),
        record(&v1, Some(&rid), tb),
        record(&v1, Some(&rid), referral),
        record(&v1, Some(&rid), home),
        record(&v1, Some(&old), elderly.clone()),
    ];
    let r = push(&app, &d1, sent.iter().map(|x| entry("record", x.clone())).collect()).await;
    assert!(r.iter().all(|x| x["status"] == "accepted"), "{r:?}");
    let (changes, _, _) = app.pull_all(&d1, 0, 2_000).await;
    for s in &sent {
        let back = changes.iter().find(|c| c["kind"] == "record" && c["record"]["record"]["id"] == s["id"]);
        assert_eq!(back.map(|b| &b["record"]["record"]), Some(s), "{}", s["body"]["type"]);
    }
    // The shared rules on the server: an unstable patient without a referral, a TB visit missing more doses than
    // prescribed, an elderly check for someone under 65.
    let mut unstable = smi;
    unstable["risk"] = json!(4);
    unstable["class"] = json!(1);
    unstable["next_visit_date"] = json!("2026-11-20");
    let bad_tb = json!({"type": "tb_visit", "visit_type": 2, "supervisor": 2, "phase": 1, "treatment_month": 1,
        "doses_prescribed": 10, "doses_missed": 11, "adr": 1, "next_visit_date": "2026-11-20"});
    let young = app.first_resident(&d1).await;
    let too_young = if young["birth_date"].as_str().unwrap() > "1961-11-10" {
        young["id"].as_str().unwrap().to_string()
    } else {
        rows.iter().find(|r| r["birth_date"].as_str().unwrap() > "1970-01-01").unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let r = push(
        &app,
        &d1,
        vec![
            entry("record", record(&v1, Some(&rid), unstable)),
            entry("record", record(&v1, Some(&rid), bad_tb)),
            entry("record", record(&v1, Some(&too_young), elderly)),
        ],
    )
    .await;
    assert_eq!(fields(&r[0]), ["referral"]);
    assert_eq!(fields(&r[1]), ["doses_missed"]);
    assert_eq!(fields(&r[2]), ["check_date"]);
}

#[tokio::test]
async fn a_session_links_participants_of_the_doctors_villages_only() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let v1 = village_of(&app, &d1).await;
    let mine = app.first_resident(&d1).await["id"].clone();
    let theirs = app.first_resident(&d3).await["id"].clone();
    let mut ok = lecture();
    ok["participants"] = json!([mine]);
    let mut bad = lecture();
    bad["participants"] = json!([mine, theirs]);
    let mut unknown = lecture();
    unknown["participants"] = json!([Uuid::now_v7()]);
    let r = push(
        &app,
        &d1,
        vec![
            entry("record", record(&v1, None, ok)),
            entry("record", record(&v1, None, bad)),
            entry("record", record(&v1, None, unknown)),
        ],
    )
    .await;
    assert_eq!(r[0]["status"], "accepted", "{r:?}");
    assert_eq!(fields(&r[1]), ["participants"]);
    assert_eq!(fields(&r[2]), ["participants"]);
    assert_eq!(app.pushed_records().await, 1);
}

#[tokio::test]
async fn the_same_revision_pushed_twice_at_once_is_stored_once_without_an_error() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = village_of(&app, &d1).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let before = app.pushed_records().await;
    for _ in 0..5 {
        // One revision in two outbox entries (a reinstalled phone re-sending it), the pushes racing.
        let r = record(&v1, Some(&rid), dose("HepB", 1));
        let (a, b) =
            tokio::join!(push(&app, &d1, vec![entry("record", r.clone())]), push(&app, &d1, vec![entry("record", r)]));
        let mut got = vec![a[0]["status"].as_str().unwrap().to_string(), b[0]["status"].as_str().unwrap().to_string()];
        got.sort();
        assert!(got == ["accepted", "duplicate"] || got == ["accepted", "accepted"], "{got:?}");
    }
    assert_eq!(app.pushed_records().await, before + 5);
}
