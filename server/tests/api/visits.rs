//! Hypertension follow-ups over HTTP: record, history order, idempotency, corrections, server-side rules.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_recorded_visit_heads_the_history() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let r = app.first_resident(&d1).await;
    let rid = r["id"].as_str().unwrap();
    let visit = htn_input(rid);
    let res = app.call(&d1, "record_htn_visit", json!({"input": visit})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let history = body(app.call(&d1, "resident_visits", json!({"resident_id": rid})).await).await;
    assert_eq!(history[0]["id"], visit["id"]);
    assert_eq!(history[0]["sbp"], 132);
    let dates: Vec<&str> = history.as_array().unwrap().iter().map(|v| v["visit_date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
}

#[tokio::test]
async fn the_same_visit_sent_twice_is_stored_once() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let visit = htn_input(&rid);
    let before = app.count("visits").await;
    for _ in 0..2 {
        assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": visit.clone()})).await.status(), StatusCode::OK);
    }
    assert_eq!(app.count("visits").await, before + 1);
}

#[tokio::test]
async fn a_correction_is_a_new_revision_that_supersedes_the_old() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let first = htn_input(&rid);
    app.call(&d1, "record_htn_visit", json!({"input": first.clone()})).await;
    let mut fix = first.clone();
    fix["id"] = json!(uuid::Uuid::now_v7());
    fix["supersedes"] = first["id"].clone();
    fix["sbp"] = json!(134);
    assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": fix.clone()})).await.status(), StatusCode::OK);
    let history = body(app.call(&d1, "resident_visits", json!({"resident_id": rid})).await).await;
    let same: Vec<_> = history.as_array().unwrap().iter().filter(|v| v["visit_id"] == first["id"]).collect();
    assert_eq!(same.len(), 1, "only the current revision is listed");
    assert_eq!(same[0]["revision"], 2);
    assert_eq!(same[0]["sbp"], 134);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE visit_id = $1")
        .bind(first["id"].as_str().unwrap())
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(stored, 2, "the old revision is kept");
}

#[tokio::test]
async fn the_server_enforces_the_urgent_referral_rule() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let mut v = htn_input(&rid);
    v["sbp"] = json!(185);
    v["dbp"] = json!(112);
    v["classification"] = json!(2);
    let r = app.call(&d1, "record_htn_visit", json!({"input": v.clone()})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = body(r).await["Validation"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert!(fields.contains(&"next_mgmt".to_string()), "{fields:?}");
    v["next_mgmt"] = json!(4);
    v["referral"] = json!({"reason": "血压185/112", "institution": "县医院心内科", "contact": "", "result": null});
    let r = app.call(&d1, "record_htn_visit", json!({"input": v})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["urgent"], true);
}

#[tokio::test]
async fn the_form_context_carries_the_previous_visit_forward() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    app.call(&d1, "record_htn_visit", json!({"input": htn_input(&rid)})).await;
    let ctx =
        body(app.call(&d1, "chronic_form_context", json!({"resident_id": rid, "disease": "hypertension"})).await).await;
    assert_eq!(ctx["previous_classification"], 1);
    assert_eq!(ctx["last_visit"]["meds"][0]["name"], "氨氯地平");
}

#[tokio::test]
async fn a_correction_naming_an_unknown_revision_is_refused() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let first = htn_input(&rid);
    app.call(&d1, "record_htn_visit", json!({"input": first.clone()})).await;
    let mut fix = first.clone();
    fix["id"] = json!(uuid::Uuid::now_v7());
    fix["supersedes"] = json!(uuid::Uuid::now_v7());
    let before = app.count("visits").await;
    let r = app.call(&d1, "record_htn_visit", json!({"input": fix})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("visits").await, before);
}

#[tokio::test]
async fn a_recorded_visit_can_be_read_back_for_correction_only_in_scope() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let v = htn_input(&rid);
    app.call(&d1, "record_htn_visit", json!({"input": v.clone()})).await;
    let back = body(app.call(&d1, "get_htn_visit", json!({"id": v["id"]})).await).await;
    assert_eq!(back["sbp"], 132);
    assert_eq!(back["meds"], v["meds"]);
    assert_eq!(app.call(&d3, "get_htn_visit", json!({"id": v["id"]})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.call(&d1, "get_htn_visit", json!({"id": uuid::Uuid::now_v7()})).await.status(),
        StatusCode::NOT_FOUND
    );
}
