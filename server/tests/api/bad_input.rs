//! Bad input to every endpoint gets a 4xx with a message and stores nothing; never a 500.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

const ENDPOINTS: &[&str] = &[
    "login",
    "list_residents",
    "get_resident",
    "save_resident",
    "list_households",
    "chronic_form_context",
    "record_htn_visit",
    "resident_visits",
    "get_htn_visit",
    "indicator_report",
    "publish_report",
    "set_target",
    "review_queue",
    "review_entry",
    "review_set",
    "quality_report",
    "draw_sample",
    "record_call",
    "issue_activation",
    "activate",
];

async fn assert_4xx_nothing_stored(app: &TestApp, c: &reqwest::Client, endpoint: &str, raw: String, what: &str) {
    let before = (app.count("residents").await, app.count("visits").await);
    let r = app.call_raw(c, endpoint, raw).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_client_error(), "{endpoint} with {what}: {status} {}", &text[..text.len().min(200)]);
    assert!(!text.is_empty(), "{endpoint} with {what}: an error needs a message");
    assert!(text.len() < 4096, "{endpoint} with {what}: the input must not be echoed back");
    assert_eq!(
        (app.count("residents").await, app.count("visits").await),
        before,
        "{endpoint} with {what} stored something"
    );
}

#[tokio::test]
async fn malformed_json_missing_fields_and_wrong_types_get_400_everywhere() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    for endpoint in ENDPOINTS {
        assert_4xx_nothing_stored(&app, &d1, endpoint, "{\"input\": {".into(), "malformed JSON").await;
        assert_4xx_nothing_stored(&app, &d1, endpoint, "[1, 2, 3]".into(), "wrong shape").await;
        assert_4xx_nothing_stored(
            &app,
            &d1,
            endpoint,
            "{\"id\": 5, \"input\": 7, \"query\": \"x\", \"resident_id\": true, \"village_id\": 1}".into(),
            "wrong types",
        )
        .await;
    }
    for endpoint in ["save_resident", "record_htn_visit", "list_residents", "login"] {
        assert_4xx_nothing_stored(&app, &d1, endpoint, "{\"input\": {}, \"query\": {}}".into(), "missing fields").await;
    }
}

#[tokio::test]
async fn wrong_types_inside_a_valid_form_are_refused() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let mut v = htn_input(&rid);
    v["sbp"] = json!("one hundred");
    assert_4xx_nothing_stored(&app, &d1, "record_htn_visit", json!({"input": v}).to_string(), "sbp as text").await;
    let mut v = htn_input(&rid);
    v["visit_date"] = json!("2026-02-30");
    assert_4xx_nothing_stored(&app, &d1, "record_htn_visit", json!({"input": v}).to_string(), "impossible date").await;
    let mut v = htn_input(&rid);
    v["resident_id"] = json!("not-a-uuid");
    assert_4xx_nothing_stored(&app, &d1, "record_htn_visit", json!({"input": v}).to_string(), "bad uuid").await;
}

#[tokio::test]
async fn out_of_range_values_are_named_per_field() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    for (field, value) in [
        ("sbp", json!(999)),
        ("dbp", json!(10)),
        ("heart_rate", json!(400)),
        ("weight", json!(5.0)),
        ("fbg", json!(80.0)),
    ] {
        let mut v = htn_input(&rid);
        v[field] = value;
        let before = app.count("visits").await;
        let r = app.call(&d1, "record_htn_visit", json!({"input": v})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let err: Value = body(r).await;
        assert_eq!(err["Validation"]["fields"][0]["field"], field);
        assert!(!err["Validation"]["fields"][0]["zh"].as_str().unwrap().is_empty());
        assert_eq!(app.count("visits").await, before);
    }
    let v = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let mut r = resident_input(&v, "110101198001010010");
    r["education"] = json!(99);
    let res = app.call(&d1, "save_resident", json!({"input": r})).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut r = resident_input(&v, "110101198001010010");
    r["relation"] = json!(-1);
    assert_4xx_nothing_stored(&app, &d1, "save_resident", json!({"input": r}).to_string(), "negative code").await;
}

#[tokio::test]
async fn a_one_megabyte_string_is_refused_with_a_message() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let big = "长".repeat(350_000); // ≈1 MB of UTF-8
    let mut r = resident_input(&v, "110101198001010010");
    r["name"] = json!(big);
    assert_4xx_nothing_stored(&app, &d1, "save_resident", json!({"input": r}).to_string(), "1 MB name").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let mut h = htn_input(&rid);
    h["other_signs"] = json!(big);
    assert_4xx_nothing_stored(&app, &d1, "record_htn_visit", json!({"input": h}).to_string(), "1 MB text").await;
    assert_4xx_nothing_stored(
        &app,
        &d1,
        "list_residents",
        json!({"query": {"q": big, "flag": null, "village_id": null, "page": 0}}).to_string(),
        "1 MB search",
    )
    .await;
    assert_4xx_nothing_stored(
        &app,
        &d1,
        "login",
        json!({"input": {"username": big, "password": "x"}}).to_string(),
        "1 MB username",
    )
    .await;
}

#[tokio::test]
async fn the_township_views_refuse_malformed_and_injection_shaped_input() {
    let app = spawn_app().await;
    let t1 = app.login("township1").await;
    let views = [
        "indicator_report",
        "publish_report",
        "review_queue",
        "review_entry",
        "review_set",
        "quality_report",
        "draw_sample",
        "record_call",
    ];
    for endpoint in views {
        assert_4xx_nothing_stored(&app, &t1, endpoint, "{\"period\": [".into(), "malformed JSON").await;
        assert_4xx_nothing_stored(
            &app,
            &t1,
            endpoint,
            "{\"period\": 2026, \"org_id\": {}, \"entry_id\": 5, \"filter\": 1}".into(),
            "wrong types",
        )
        .await;
    }
    for (endpoint, body) in [
        ("indicator_report", json!({"org_id": "' OR 1=1 --", "period": "2026"})),
        ("indicator_report", json!({"org_id": null, "period": "2026-11'; DROP TABLE residents; --"})),
        ("quality_report", json!({"org_id": null, "period": "2026-11~2026-11-30' OR '1'='1"})),
        ("review_queue", json!({"filter": {"village_id": "x' OR '1'='1"}})),
        ("review_entry", json!({"entity": "visit' --", "entry_id": uuid::Uuid::nil()})),
        ("publish_report", json!({"org_id": "' OR 1=1 --", "period": "2026-01"})),
    ] {
        assert_4xx_nothing_stored(&app, &t1, endpoint, body.to_string(), "injection-shaped").await;
    }
    assert!(app.count("residents").await > 0, "the tables are still there");
}

/// Every registered server function, not only the ones listed above, called by each kind of staff with
/// malformed, wrong-shaped, wrong-typed and injection-shaped bodies: never a 5xx, always a message, nothing
/// stored. A new server function is covered the day it is registered.
#[tokio::test]
async fn every_registered_server_function_refuses_hostile_bodies_without_a_server_error() {
    let app = spawn_app().await;
    let callers = [app.login("doctor1").await, app.login("township1").await, app.login("county").await];
    let functions: Vec<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.trim_start_matches("/api/").to_string()).collect();
    assert!(functions.len() >= 40, "{functions:?}");
    let hostile = [
        ("{\"input\": {", "malformed JSON"),
        ("[1, 2, 3]", "wrong shape"),
        ("\"' OR 1=1 --\"", "a bare string"),
        (
            "{\"id\": \"' OR '1'='1\", \"input\": {\"name\": \"<script>alert(1)</script>\"}, \"query\": [], \
             \"resident_id\": \"../../etc/passwd\", \"village_id\": {\"$ne\": null}, \"user_id\": 1e999, \
             \"device_id\": null, \"key\": \"AAAA\", \"entity\": 7, \"period\": \"2026-13\", \"org_id\": true}",
            "wrong types and injection-shaped values",
        ),
    ];
    for endpoint in &functions {
        // Logging out or in would change the callers; they get their own checks (auth.rs).
        if matches!(endpoint.as_str(), "logout") {
            continue;
        }
        for c in &callers {
            for (raw, what) in hostile {
                let before = (app.count("residents").await, app.count("visits").await, app.count("records").await);
                let r = app.call_raw(c, endpoint, raw.to_string()).await;
                let status = r.status();
                let text = r.text().await.unwrap();
                assert!(!status.is_server_error(), "{endpoint} with {what}: {status} {text}");
                if what == "malformed JSON" {
                    assert!(status.is_client_error(), "{endpoint} accepted {what}: {status}");
                }
                if status.is_client_error() {
                    assert!(!text.is_empty() && text.len() < 4096, "{endpoint} with {what}: {text}");
                }
                let after = (app.count("residents").await, app.count("visits").await, app.count("records").await);
                assert_eq!(before, after, "{endpoint} with {what} stored something");
            }
        }
    }
}
