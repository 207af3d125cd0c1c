//! The audit log: reads and writes of a resident's record — online, by sync push and by pull — are logged
//! with who, when and the device; the county administrator finds them by ID number, account, action and day;
//! refused requests leave no row; nobody else may search.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;

/// A browser of its own whose app has named its device (the `cunyi_device` cookie) and says who it is.
fn phone(app: &TestApp, device: &str) -> reqwest::Client {
    let jar = Arc::new(reqwest::cookie::Jar::default());
    jar.add_cookie_str(&format!("cunyi_device={device}; Path=/"), &app.base.parse().unwrap());
    reqwest::Client::builder().cookie_provider(jar).user_agent("TestPhone/1.0 (Android 9)").build().unwrap()
}

async fn search(app: &TestApp, c: &reqwest::Client, query: Value) -> Value {
    let r = app.call(c, "audit_log", json!({"query": query})).await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

fn rows(page: &Value) -> Vec<Value> {
    page["rows"].as_array().unwrap().clone()
}

#[tokio::test]
async fn reads_and_writes_are_logged_with_who_when_and_device_and_found_by_the_county() {
    let app = spawn_app().await;
    let d1 = phone(&app, "phone-A");
    let r = app.call(&d1, "login", json!({"input": {"username": "doctor1", "password": "cunyi-demo"}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let county = app.login("county").await;
    let start = chrono::Utc::now().timestamp();

    let first = app.first_resident(&d1).await;
    let id = first["id"].as_str().unwrap().to_string();
    let resident = body(app.call(&d1, "get_resident", json!({"id": id})).await).await;
    let id_no = resident["id_no"].as_str().unwrap().to_string();
    let online = htn_input(&id);
    assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": online})).await.status(), StatusCode::OK);
    let pushed = htn_input(&id);
    let push = json!({"protocol": 1, "device_id": "phone-B", "entries": [
        {"id": uuid::Uuid::now_v7(), "created_at": 1_700_000_000, "kind": "chronic_visit", "body": pushed}]});
    let r = app.sync(&d1, "push", push).await;
    assert_eq!(body(r).await["results"][0]["status"], "accepted");
    let (changes, _, _) = app.pull_all(&d1, 0, 500).await;
    let pulled: std::collections::HashSet<&str> =
        changes.iter().filter(|c| c["kind"] == "resident").map(|c| c["resident"]["id"].as_str().unwrap()).collect();
    // A doctor of another township is refused: no row for what was not read.
    let d3 = app.login("doctor3").await;
    assert_eq!(app.call(&d3, "get_resident", json!({"id": id})).await.status(), StatusCode::FORBIDDEN);

    // The county finds every row about the resident by ID number.
    let found = rows(&search(&app, &county, json!({"resident": id_no})).await);
    let has = |action: &str, entity: &str, device: &str| {
        found.iter().any(|r| {
            r["action"] == action && r["entity"] == entity && r["device"] == device && r["username"] == "doctor1"
        })
    };
    assert!(has("read", "resident", "phone-A"), "the record opened: {found:?}");
    assert!(has("write", "visit", "phone-A"), "the online follow-up");
    assert!(has("write", "visit", "phone-B"), "the pushed follow-up names the pushing device");
    assert!(has("read", "pull", "phone-A"), "the pull carried the record to the phone");
    for r in &found {
        assert_eq!(r["resident_id"], id.as_str());
        assert!(r["at"].as_i64().unwrap() >= start && r["at"].as_i64().unwrap() <= start + 120);
        assert_ne!(r["username"], "doctor3");
    }
    let visit_rows: Vec<&Value> = found.iter().filter(|r| r["entity"] == "visit").collect();
    assert!(visit_rows.iter().any(|r| r["entity_id"] == online["visit_id"]));
    assert!(visit_rows.iter().any(|r| r["entity_id"] == pushed["visit_id"]));
    assert!(found.iter().all(|r| r["client"] == "TestPhone/1.0 (Android 9)" || r["device"] == "phone-B"));
    // The same resident by record number.
    let by_no = rows(&search(&app, &county, json!({"resident": resident["record_no"]})).await);
    assert_eq!(by_no.len(), found.len());

    // One pull row per resident the pull carried.
    let pull_rows: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE username = 'doctor1' AND entity = 'pull' AND action = 'read'",
    )
    .fetch_one(&app.store.pool)
    .await
    .unwrap();
    assert!(pulled.len() > 50);
    assert!(pull_rows >= pulled.len() as i64, "{pull_rows} rows for {} residents", pulled.len());
    assert_eq!(
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE username = 'doctor3'")
            .fetch_one(&app.store.pool)
            .await
            .unwrap(),
        0
    );

    // The township opens the follow-up to review it.
    let t1 = app.login("township1").await;
    let r = app.call(&t1, "review_entry", json!({"entity": "visit", "entry_id": online["visit_id"]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let t = rows(&search(&app, &county, json!({"username": "township1", "action": "read"})).await);
    assert!(t.iter().any(|r| r["entity"] == "visit" && r["entity_id"] == online["visit_id"] && r["resident_id"] == id));
    assert!(t.iter().all(|r| r["username"] == "township1" && r["action"] == "read"));

    // Lists are logged with what was searched.
    let lists = rows(&search(&app, &county, json!({"username": "doctor1", "action": "list"})).await);
    assert!(lists.iter().any(|r| r["entity"] == "residents" && r["detail"].as_str().unwrap().starts_with("q=")));

    // Pages of 50, newest first, each older than the last.
    let p1 = search(&app, &county, json!({"username": "doctor1"})).await;
    assert_eq!(rows(&p1).len(), 50);
    assert_eq!(p1["more"], true);
    let last = rows(&p1)[49]["id"].as_i64().unwrap();
    let p2 = rows(&search(&app, &county, json!({"username": "doctor1", "before": last})).await);
    assert!(!p2.is_empty() && p2.iter().all(|r| r["id"].as_i64().unwrap() < last));
    let ids: Vec<i64> = rows(&p1).iter().map(|r| r["id"].as_i64().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]));

    // Days: nothing tomorrow; a range backwards is refused with a message.
    let tomorrow = (chrono::Local::now().date_naive() + chrono::Days::new(1)).to_string();
    let today = chrono::Local::now().date_naive().to_string();
    assert!(rows(&search(&app, &county, json!({"from": tomorrow})).await).is_empty());
    assert!(!rows(&search(&app, &county, json!({"from": today, "to": today})).await).is_empty());
    let r = app.call(&county, "audit_log", json!({"query": {"from": tomorrow, "to": today}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Only the county administrator searches.
    for c in [&d1, &t1] {
        assert_eq!(app.call(c, "audit_log", json!({"query": {}})).await.status(), StatusCode::FORBIDDEN);
    }
}

#[tokio::test]
async fn exports_naming_residents_are_logged_and_hostile_device_names_are_cleaned() {
    let app = spawn_app().await;
    let t1 = phone(&app, "<script>alert(1)</script>");
    let r = app.call(&t1, "login", json!({"input": {"username": "township1", "password": "cunyi-demo"}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = t1.get(format!("{}/api/export/review.csv", app.base)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let county = app.login("county").await;
    let found = rows(&search(&app, &county, json!({"username": "township1", "action": "list"})).await);
    let export = found.iter().find(|r| r["entity"] == "export").expect("the export is logged");
    assert_eq!(export["detail"], "review.csv");
    assert_eq!(export["device"], "scriptalert1script");
}
