//! The review of entries: returned with a comment, seen by the doctor through sync, corrected, reviewed; and
//! who may list, open and judge which entries.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn queue(app: &TestApp, c: &Client, filter: Value) -> reqwest::Response {
    app.call(c, "review_queue", json!({ "filter": filter })).await
}

async fn set(
    app: &TestApp,
    c: &Client,
    entry: &Value,
    revision: &Value,
    verdict: &str,
    comment: &str,
) -> reqwest::Response {
    app.call(
        c,
        "review_set",
        json!({"entity": "visit", "entry_id": entry, "revision_id": revision, "verdict": verdict, "comment": comment}),
    )
    .await
}

fn line<'a>(rows: &'a Value, entry: &Value) -> Option<&'a Value> {
    rows.as_array().unwrap().iter().find(|r| r["entry_id"] == *entry)
}

/// doctor1's new patient with one follow-up; returns (village, visit form).
async fn a_visit(app: &TestApp, d1: &Client) -> (String, Value) {
    let v1 = body(app.call(d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let id =
        body(app.call(d1, "save_resident", json!({"input": resident_input(&v1, "110101198001010010")})).await).await;
    let visit = htn_input(id.as_str().unwrap());
    assert_eq!(app.call(d1, "record_htn_visit", json!({"input": visit})).await.status(), StatusCode::OK);
    (v1, visit)
}

#[tokio::test]
async fn a_returned_visit_reaches_its_doctor_and_comes_back_corrected() {
    let app = spawn_app().await;
    let (d1, t1) = (app.login("doctor1").await, app.login("township1").await);
    let (v1, visit) = a_visit(&app, &d1).await;
    let entry = visit["visit_id"].clone();

    let rows = body(queue(&app, &t1, json!({"village_id": v1, "state": "pending", "kind": "htn"})).await).await;
    let l = line(&rows, &entry).expect("the new visit waits for review");
    assert_eq!(
        (l["entity"].as_str(), l["state"].as_str(), l["revision"].as_i64()),
        (Some("visit"), Some("pending"), Some(1))
    );
    assert_eq!(l["resident_name"], "测试居民");
    assert!(!l["author_name"].as_str().unwrap().is_empty());

    let detail = body(app.call(&t1, "review_entry", json!({"entity": "visit", "entry_id": entry})).await).await;
    let fields = detail["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f[0] == "sbp" && f[1] == "132"), "{fields:?}");
    assert!(!fields.iter().any(|f| f[0] == "visit_id"));

    // Returning needs a comment.
    let r = set(&app, &t1, &entry, &visit["id"], "returned", "  ").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(set(&app, &t1, &entry, &visit["id"], "returned", "请复测血压并填写体重").await.status(), StatusCode::OK);
    let rows = body(queue(&app, &t1, json!({"state": "returned"})).await).await;
    assert_eq!(line(&rows, &entry).unwrap()["comment"], "请复测血压并填写体重");
    assert!(line(&body(queue(&app, &t1, json!({"state": "pending"})).await).await, &entry).is_none());

    // The doctor's next pull carries the verdict with the visit.
    let (changes, cursor, _) = app.pull_all(&d1, 0, 500).await;
    let sent = changes.iter().rev().find(|c| c["kind"] == "visit" && c["summary"]["visit_id"] == entry).unwrap();
    assert_eq!(sent["summary"]["review"]["verdict"], "returned");
    assert_eq!(sent["summary"]["review"]["comment"], "请复测血压并填写体重");
    assert_eq!(sent["summary"]["review"]["revision_id"], visit["id"]);

    // The correction (a new revision) comes back to the queue, and no longer carries the old verdict.
    let mut fixed = htn_input(visit["resident_id"].as_str().unwrap());
    fixed["visit_id"] = entry.clone();
    fixed["supersedes"] = visit["id"].clone();
    fixed["sbp"] = json!(128);
    assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": fixed})).await.status(), StatusCode::OK);
    let rows = body(queue(&app, &t1, json!({"state": "resubmitted"})).await).await;
    assert_eq!(line(&rows, &entry).unwrap()["revision"], 2);
    let (changes, _, _) = app.pull_all(&d1, cursor, 500).await;
    let sent = changes.iter().find(|c| c["kind"] == "visit" && c["summary"]["visit_id"] == entry).unwrap();
    assert!(sent["summary"]["review"].is_null(), "{sent}");

    // A verdict on the old revision is refused; on the new one it holds.
    assert_eq!(set(&app, &t1, &entry, &visit["id"], "reviewed", "").await.status(), StatusCode::CONFLICT);
    assert_eq!(set(&app, &t1, &entry, &fixed["id"], "reviewed", "").await.status(), StatusCode::OK);
    let rows = body(queue(&app, &t1, json!({"state": "reviewed", "village_id": v1})).await).await;
    assert_eq!(line(&rows, &entry).unwrap()["state"], "reviewed");
}

#[tokio::test]
async fn only_the_entry_s_township_and_county_review_it() {
    let app = spawn_app().await;
    let (d1, t1, t2, county) = (
        app.login("doctor1").await,
        app.login("township1").await,
        app.login("township2").await,
        app.login("county").await,
    );
    let (v1, visit) = a_visit(&app, &d1).await;
    let entry = visit["visit_id"].clone();
    let open = |c: &Client, id: Value| {
        let (c, b) = (c.clone(), json!({"entity": "visit", "entry_id": id}));
        let app = &app;
        async move { app.call(&c, "review_entry", b).await.status() }
    };

    assert_eq!(queue(&app, &d1, json!({})).await.status(), StatusCode::FORBIDDEN, "doctors do not review");
    assert_eq!(open(&d1, entry.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(set(&app, &d1, &entry, &visit["id"], "reviewed", "").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(queue(&app, &t2, json!({"village_id": v1})).await.status(), StatusCode::FORBIDDEN);
    assert!(line(&body(queue(&app, &t2, json!({})).await).await, &entry).is_none());
    assert_eq!(open(&t2, entry.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(set(&app, &t2, &entry, &visit["id"], "returned", "x").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(open(&t1, json!(uuid::Uuid::now_v7())).await, StatusCode::NOT_FOUND);
    let r = app.call(&t1, "review_entry", json!({"entity": "drop table", "entry_id": entry})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(queue(&app, &app.client(), json!({})).await.status(), StatusCode::UNAUTHORIZED);
    let r = queue(&app, &t1, json!({"from": "2026-02-01", "to": "2026-01-01"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(open(&t1, entry.clone()).await, StatusCode::OK);
    assert_eq!(open(&county, entry.clone()).await, StatusCode::OK);
    assert!(line(&body(queue(&app, &county, json!({"state": "pending"})).await).await, &entry).is_some());
    let long = "长".repeat(501);
    assert_eq!(
        set(&app, &t1, &entry, &visit["id"], "returned", &long).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
