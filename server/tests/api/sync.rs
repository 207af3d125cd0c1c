//! The sync API (protocol v1): idempotent pushes with per-entry results, paged pulls, revocation, cuts.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashSet;

impl TestApp {
    pub async fn sync(&self, c: &reqwest::Client, what: &str, body: Value) -> reqwest::Response {
        c.post(format!("{}/api/sync/v1/{what}", self.base)).json(&body).send().await.unwrap()
    }

    /// Pulls every page from `cursor`; returns the changes and the final cursor.
    pub async fn pull_all(&self, c: &reqwest::Client, mut cursor: i64, limit: u32) -> (Vec<Value>, i64, usize) {
        let mut changes = Vec::new();
        let mut pages = 0;
        loop {
            let r = self.sync(c, "pull", json!({"protocol": 1, "cursor": cursor, "limit": limit})).await;
            assert_eq!(r.status(), StatusCode::OK);
            let page = body(r).await;
            pages += 1;
            changes.extend(page["changes"].as_array().unwrap().iter().cloned());
            cursor = page["next_cursor"].as_i64().unwrap();
            if !page["more"].as_bool().unwrap() {
                return (changes, cursor, pages);
            }
        }
    }
}

fn entry(kind: &str, body: Value) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "created_at": 1_700_000_000, "kind": kind, "body": body})
}

fn push(entries: Vec<Value>) -> Value {
    json!({"protocol": 1, "device_id": "phone-1", "entries": entries})
}

fn statuses(resp: &Value) -> Vec<String> {
    resp["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap().to_string()).collect()
}

async fn village(app: &TestApp, c: &reqwest::Client, i: usize) -> String {
    body(app.call(c, "my_villages", json!({})).await).await[i]["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_same_push_twice_stores_one_copy() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village(&app, &d1, 0).await;
    let resident = resident_input(&v, "110101198001010010");
    let rid = resident["id"].as_str().unwrap().to_string();
    let batch = push(vec![entry("resident", resident), entry("htn_visit", htn_input(&rid))]);
    let before = (app.count("residents").await, app.count("visits").await);
    let first = body(app.sync(&d1, "push", batch.clone()).await).await;
    assert_eq!(statuses(&first), vec!["accepted", "accepted"]);
    let second = body(app.sync(&d1, "push", batch).await).await;
    assert_eq!(statuses(&second), vec!["duplicate", "duplicate"]);
    assert_eq!((app.count("residents").await, app.count("visits").await), (before.0 + 1, before.1 + 1));
}

#[tokio::test]
async fn a_bad_entry_is_rejected_with_a_reason_and_the_others_are_accepted() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village(&app, &d1, 0).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let mut bad = htn_input(&rid);
    bad["sbp"] = json!(400);
    let batch = push(vec![
        entry("resident", resident_input(&v, "110101196508150021")),
        entry("htn_visit", bad),
        entry("htn_visit", htn_input(&rid)),
    ]);
    let resp = body(app.sync(&d1, "push", batch).await).await;
    assert_eq!(statuses(&resp), vec!["accepted", "rejected", "accepted"]);
    let field = &resp["results"][1]["error"]["Validation"]["fields"][0];
    assert_eq!(field["field"], "sbp");
    assert!(field["zh"].as_str().unwrap().contains("60–260"));
}

#[tokio::test]
async fn entries_outside_the_doctors_villages_are_rejected_as_forbidden() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let theirs = app.first_resident(&d3).await["id"].as_str().unwrap().to_string();
    let before = app.count("visits").await;
    let resp = body(app.sync(&d1, "push", push(vec![entry("htn_visit", htn_input(&theirs))])).await).await;
    assert_eq!(resp["results"][0]["error"], json!("Forbidden"));
    assert_eq!(app.count("visits").await, before);
}

#[tokio::test]
async fn anonymous_and_malformed_sync_requests_get_4xx() {
    let app = spawn_app().await;
    let anon = app.client();
    assert_eq!(app.sync(&anon, "pull", json!({"protocol": 1, "cursor": 0})).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.sync(&anon, "push", push(vec![])).await.status(), StatusCode::UNAUTHORIZED);
    let d1 = app.login("doctor1").await;
    assert_eq!(app.sync(&d1, "pull", json!({"protocol": 2, "cursor": 0})).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sync(&d1, "pull", json!({"protocol": 1, "cursor": "x"})).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.sync(&d1, "pull", json!({"protocol": 1, "cursor": -5})).await.status(), StatusCode::BAD_REQUEST);
    let r = app.sync(&d1, "push", json!({"protocol": 1, "device_id": "p", "entries": [{"id": "nope"}]})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(body(r).await["BadRequest"].is_string());
}

#[tokio::test]
async fn a_paged_pull_returns_every_record_of_the_scope_exactly_once() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let (changes, cursor, pages) = app.pull_all(&d1, 0, 37).await;
    assert!(pages > 5, "{pages} pages");
    let residents: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "resident").collect();
    let visits: Vec<&Value> = changes.iter().filter(|c| c["kind"] == "visit").collect();
    let ids: HashSet<&str> = residents.iter().map(|c| c["resident"]["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), residents.len(), "no resident twice");
    let v = village(&app, &d1, 0).await;
    let in_village: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE village_id = $1")
        .bind(&v)
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(residents.len() as i64, in_village);
    let visit_ids: HashSet<&str> = visits.iter().map(|c| c["summary"]["visit_id"].as_str().unwrap()).collect();
    assert_eq!(visit_ids.len(), visits.len(), "no visit twice");
    let in_village_visits: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE village_id = $1 AND is_current = 1")
            .bind(&v)
            .fetch_one(&app.store.pool)
            .await
            .unwrap();
    assert_eq!(visits.len() as i64, in_village_visits);
    // Nothing new: an incremental pull is empty.
    let (again, same_cursor, _) = app.pull_all(&d1, cursor, 97).await;
    assert!(again.is_empty());
    assert_eq!(same_cursor, cursor);
}

#[tokio::test]
async fn an_incremental_pull_brings_only_what_changed() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let (_, cursor, _) = app.pull_all(&d1, 0, 2000).await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let visit = htn_input(&rid);
    app.sync(&d1, "push", push(vec![entry("htn_visit", visit.clone())])).await;
    let (changes, _, _) = app.pull_all(&d1, cursor, 100).await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["summary"]["id"], visit["id"]);
    // Another village's doctor sees none of it.
    let d3 = app.login("doctor3").await;
    let (_, c3, _) = app.pull_all(&d3, 0, 2000).await;
    let rid3 = app.first_resident(&d3).await["id"].as_str().unwrap().to_string();
    app.sync(&d3, "push", push(vec![entry("htn_visit", htn_input(&rid3))])).await;
    let (mine, _, _) = app.pull_all(&d1, cursor, 100).await;
    assert_eq!(mine.len(), 1, "doctor1 does not receive doctor3's village");
    let (theirs, _, _) = app.pull_all(&d3, c3, 100).await;
    assert_eq!(theirs.len(), 1);
}

#[tokio::test]
async fn a_resident_moved_to_another_village_is_revoked_from_the_old_doctors_next_pull() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d2 = app.login("doctor2").await;
    let t1 = app.login("township1").await;
    let (_, c1, _) = app.pull_all(&d1, 0, 2000).await;
    let (_, c2, _) = app.pull_all(&d2, 0, 2000).await;
    let moving = app.first_resident(&d1).await;
    let id = moving["id"].as_str().unwrap();
    let mut rec = body(app.call(&t1, "get_resident", json!({"id": id})).await).await;
    let v2 = village(&app, &d2, 0).await;
    // The township manager moves the resident into doctor2's village as a new household.
    let input = json!({
        "id": id, "base_version": rec["version"], "village_id": v2, "household_id": null, "relation": 1,
        "name": rec["name"], "id_no": rec["id_no"], "sex": rec["sex"].as_str().map(|s| if s == "male" { 1 } else { 2 }),
        "birth_date": rec["birth_date"], "phone": rec["phone"], "address": "迁入新址", "residence_type": rec["residence_type"],
        "ethnicity": rec["ethnicity"], "blood_abo": rec["blood_abo"], "education": rec["education"],
        "occupation": rec["occupation"], "marital": rec["marital"], "payment": rec["payment"], "status": rec["status"],
        "flags": rec["flags"].as_array().unwrap().iter().map(|f| f["flag"].clone()).collect::<Vec<_>>(),
        "device_id": "office"
    });
    rec.take();
    let r = app.call(&t1, "save_resident", json!({"input": input})).await;
    assert_eq!(r.status(), StatusCode::OK, "{:?}", body(r).await);
    let (old, _, _) = app.pull_all(&d1, c1, 100).await;
    assert_eq!(old, vec![json!({"kind": "revoked", "resident_id": id})]);
    let (new, _, _) = app.pull_all(&d2, c2, 100).await;
    assert!(new.iter().any(|c| c["kind"] == "resident" && c["resident"]["id"] == id));
    let visits_moved = new.iter().filter(|c| c["kind"] == "visit").count() as i64;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE resident_id = $1 AND is_current = 1")
        .bind(id)
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(visits_moved, stored, "the history follows the resident");
    assert_eq!(app.call(&d1, "get_resident", json!({"id": id})).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_push_cut_off_mid_request_and_retried_stores_each_entry_once() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let batch = push((0..20).map(|_| entry("htn_visit", htn_input(&rid))).collect());
    let text = batch.to_string();
    let before = app.count("visits").await;
    // The connection drops halfway through the body: the server sees a truncated request and stores nothing.
    let cut = app.call_raw(&d1, "sync/v1/push", text[..text.len() / 2].to_string()).await;
    assert!(cut.status().is_client_error());
    assert_eq!(app.count("visits").await, before);
    // The answer is lost after the server committed: the device sends the batch again.
    let _lost = app.sync(&d1, "push", batch.clone()).await;
    let retry = body(app.sync(&d1, "push", batch).await).await;
    assert!(statuses(&retry).iter().all(|s| s == "duplicate"));
    assert_eq!(app.count("visits").await, before + 20);
}

#[tokio::test]
async fn an_edit_retried_after_its_answer_was_lost_is_not_a_conflict() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village(&app, &d1, 0).await;
    let mut r = resident_input(&v, "110101199003070046");
    app.sync(&d1, "push", push(vec![entry("resident", r.clone())])).await;
    r["base_version"] = json!(1);
    r["name"] = json!("改过的名字");
    // Same edit, two different outbox ids (the device lost track of the first): applied once, both succeed.
    let a = body(app.sync(&d1, "push", push(vec![entry("resident", r.clone())])).await).await;
    let b = body(app.sync(&d1, "push", push(vec![entry("resident", r.clone())])).await).await;
    assert_eq!((statuses(&a), statuses(&b)), (vec!["accepted".to_string()], vec!["accepted".to_string()]));
    assert_eq!(app.revisions_of(r["id"].as_str().unwrap()).await, 2);
}

#[tokio::test]
async fn two_devices_editing_one_seeded_resident_merge_deterministically_and_keep_both_versions() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let t1 = app.login("township1").await;
    let id = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let base: Value = serde_json::from_str(
        &sqlx::query_scalar::<_, String>(
            "SELECT snapshot FROM resident_revisions WHERE resident_id = $1 AND version = 1",
        )
        .bind(&id)
        .fetch_one(&app.store.pool)
        .await
        .unwrap(),
    )
    .unwrap();
    let mut phone_a = base.clone();
    phone_a["base_version"] = json!(1);
    phone_a["phone"] = json!("13700000001");
    phone_a["address"] = json!("新地址A");
    let mut phone_b = base.clone();
    phone_b["base_version"] = json!(1);
    phone_b["address"] = json!("新地址B");
    phone_b["status"] = json!(2);
    let a = body(app.sync(&d1, "push", push(vec![entry("resident", phone_a)])).await).await;
    let b = body(app.sync(&t1, "push", push(vec![entry("resident", phone_b)])).await).await;
    assert_eq!((statuses(&a), statuses(&b)), (vec!["accepted".to_string()], vec!["accepted".to_string()]));
    let rec = body(app.call(&d1, "get_resident", json!({"id": id})).await).await;
    assert_eq!(rec["phone"], "13700000001", "only A changed the phone");
    assert_eq!(rec["status"], 2, "only B changed the status");
    assert_eq!(rec["address"], "新地址A", "both changed the address: the first to arrive keeps it");
    let fields: String = sqlx::query_scalar("SELECT fields FROM conflicts WHERE resident_id = $1")
        .bind(&id)
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(fields, r#"["address"]"#);
    let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM resident_revisions WHERE resident_id = $1")
        .bind(&id)
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(versions, 3);
    // The township manager sees the conflict with the value that was set aside; doctors may not list them,
    // and another township sees none of it.
    let list = body(app.call(&t1, "list_conflicts", json!({})).await).await;
    assert_eq!(list[0]["fields"], json!(["address"]));
    assert_eq!(list[0]["losing_values"], json!(["新地址B"]));
    assert_eq!(app.call(&d1, "list_conflicts", json!({})).await.status(), StatusCode::FORBIDDEN);
    let t2 = app.login("township2").await;
    assert_eq!(body(app.call(&t2, "list_conflicts", json!({})).await).await, json!([]));
    // Marking it reviewed: not by a doctor, not by another township, then by its township, once.
    let cid = list[0]["id"].clone();
    assert_eq!(app.call(&d1, "resolve_conflict", json!({"id": cid})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call(&t2, "resolve_conflict", json!({"id": cid})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call(&t1, "resolve_conflict", json!({"id": "nope"})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.call(&t1, "resolve_conflict", json!({"id": cid})).await.status(), StatusCode::OK);
    assert_eq!(body(app.call(&t1, "list_conflicts", json!({})).await).await, json!([]));
    let by: Option<String> = sqlx::query_scalar("SELECT resolved_by FROM conflicts WHERE id = $1")
        .bind(cid.as_str().unwrap())
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert!(by.is_some());
}

/// Follow-ups of one push are checked and stored together; the result must be what one-by-one writes give.
#[tokio::test]
async fn a_batch_of_follow_ups_keeps_the_rules_and_revision_order_of_single_writes() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let theirs = app.first_resident(&d3).await["id"].as_str().unwrap().to_string();
    let v = village(&app, &d1, 0).await;
    let resident = resident_input(&v, "110101197503070019");
    let rid = resident["id"].as_str().unwrap().to_string();
    let first = htn_input(&rid);
    let mut correction = htn_input(&rid);
    correction["visit_id"] = first["visit_id"].clone();
    correction["supersedes"] = first["id"].clone();
    correction["sbp"] = json!(140);
    let mut bad = htn_input(&rid);
    bad["sbp"] = json!(999);
    let mut orphan = htn_input(&rid);
    orphan["visit_id"] = first["visit_id"].clone();
    orphan["supersedes"] = json!(uuid::Uuid::now_v7());
    let before = app.count("visits").await;
    let resp = body(
        app.sync(
            &d1,
            "push",
            push(vec![
                entry("resident", resident),
                entry("htn_visit", first.clone()),
                entry("htn_visit", correction.clone()),
                entry("htn_visit", bad),
                entry("htn_visit", orphan),
                entry("htn_visit", htn_input(&theirs)),
            ]),
        )
        .await,
    )
    .await;
    assert_eq!(statuses(&resp), vec!["accepted", "accepted", "accepted", "rejected", "rejected", "rejected"], "{resp}");
    assert_eq!(resp["results"][3]["error"]["Validation"]["fields"][0]["field"], json!("sbp"));
    assert_eq!(resp["results"][4]["error"]["Validation"]["fields"][0]["field"], json!("supersedes"));
    assert_eq!(resp["results"][5]["error"], json!("Forbidden"));
    assert_eq!(app.count("visits").await, before + 2);
    // The correction is revision 2 and the only current one; the history shows it once.
    let rows: Vec<(i64, i64, i64)> =
        sqlx::query_as("SELECT revision, is_current, sbp FROM visits WHERE visit_id = $1 ORDER BY revision")
            .bind(first["visit_id"].as_str().unwrap())
            .fetch_all(&app.store.pool)
            .await
            .unwrap();
    assert_eq!(rows, vec![(1, 0, 132), (2, 1, 140)]);
    let history = body(app.call(&d1, "resident_visits", json!({"resident_id": rid})).await).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["sbp"], json!(140));
}

/// A visit's pull JSON is assembled from the summary stored with the revision; it must equal what its
/// columns give.
#[tokio::test]
async fn stored_pull_json_of_visits_equals_the_json_built_from_their_columns() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village(&app, &d1, 0).await;
    let resident = resident_input(&v, "110101197503070019");
    let rid = resident["id"].as_str().unwrap().to_string();
    let resp =
        app.sync(&d1, "push", push(vec![entry("resident", resident), entry("htn_visit", htn_input(&rid))])).await;
    assert_eq!(statuses(&body(resp).await), vec!["accepted", "accepted"]);
    let (stored, _, _) = app.pull_all(&d1, 0, 2_000).await;
    // The pushed revision and the seeded ones carry their stored summary; the comparison below is against
    // the same pull with it removed.
    let with_wire: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE resident_id = $1 AND summary IS NOT NULL")
            .bind(&rid)
            .fetch_one(&app.store.pool)
            .await
            .unwrap();
    assert_eq!(with_wire, 1);
    let seeded_without: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE summary IS NULL")
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(seeded_without, 0);
    sqlx::query("UPDATE visits SET summary = NULL").execute(&app.store.pool).await.unwrap();
    let (built, _, _) = app.pull_all(&d1, 0, 2_000).await;
    assert!(stored.iter().filter(|c| c["kind"] == "visit").count() > 50);
    assert_eq!(stored, built);
}
