//! Data quality: flags over the period's follow-ups, the verification sample and its calls, and scope.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn month() -> String {
    chrono::Local::now().format("%Y-%m").to_string()
}

#[tokio::test]
async fn copied_readings_are_flagged_and_a_drawn_visit_records_its_call() {
    let app = spawn_app().await;
    let (d1, t1, t2) = (app.login("doctor1").await, app.login("township1").await, app.login("township2").await);
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let id =
        body(app.call(&d1, "save_resident", json!({"input": resident_input(&v1, "110101198001010010")})).await).await;
    // Three visits with the same 132/84, the last today.
    let today = chrono::Local::now().date_naive();
    let mut last = Value::Null;
    for days in [60, 30, 0] {
        let mut v = htn_input(id.as_str().unwrap());
        v["visit_date"] = json!((today - chrono::Duration::days(days)).to_string());
        assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": v.clone()})).await.status(), StatusCode::OK);
        last = v;
    }
    let r = body(app.call(&t1, "quality_report", json!({"org_id": null, "period": month()})).await).await;
    assert!(r["checked"].as_u64().unwrap() > 0);
    let copied: Vec<&Value> =
        r["flags"].as_array().unwrap().iter().filter(|f| f["kind"] == "copied_readings").collect();
    assert!(copied.iter().any(|f| f["visit_id"] == last["visit_id"] && f["detail"] == "132/84 mmHg ×3"), "{copied:?}");
    // Unsigned visits lack the resident's proof.
    assert!(r["flags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["kind"] == "no_resident_proof" && f["visit_id"] == last["visit_id"]));

    // A sample of 5 seen visits with a phone; drawing again adds others, never the same visit twice.
    let draw = |size: u32| app.call(&t1, "draw_sample", json!({"org_id": null, "period": month(), "size": size}));
    let n = body(draw(5).await).await.as_u64().unwrap();
    assert!((1..=5).contains(&n), "{n}");
    let more = body(draw(5).await).await.as_u64().unwrap();
    let r = body(app.call(&t1, "quality_report", json!({"org_id": null, "period": month()})).await).await;
    let sample = r["sample"].as_array().unwrap();
    assert_eq!(sample.len() as u64, n + more);
    let ids: std::collections::HashSet<&str> = sample.iter().map(|s| s["visit_id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), sample.len());
    assert!(sample.iter().all(|s| !s["phone"].as_str().unwrap().is_empty()));
    assert_eq!(draw(0).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(draw(101).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let call = sample[0]["id"].clone();
    let record = |c: &reqwest::Client, outcome: &str| {
        let (c, b) = (c.clone(), json!({"id": call, "outcome": outcome, "note": "居民称未见到医生"}));
        let app = &app;
        async move { app.call(&c, "record_call", b).await.status() }
    };
    assert_eq!(record(&t2, "denied").await, StatusCode::FORBIDDEN);
    assert_eq!(record(&d1, "denied").await, StatusCode::FORBIDDEN);
    assert!(record(&t1, "maybe").await.is_client_error());
    assert_eq!(record(&t1, "denied").await, StatusCode::OK);
    let r = body(app.call(&t1, "quality_report", json!({"org_id": null, "period": month()})).await).await;
    let done = r["sample"].as_array().unwrap().iter().find(|s| s["id"] == call).unwrap().clone();
    assert_eq!((done["outcome"].as_str(), done["note"].as_str()), (Some("denied"), Some("居民称未见到医生")));

    // Another township's manager sees none of it; doctors have no quality view.
    let other = body(app.call(&t2, "quality_report", json!({"org_id": null, "period": month()})).await).await;
    assert!(!other["sample"].as_array().unwrap().iter().any(|s| s["id"] == call));
    assert_eq!(
        app.call(&d1, "quality_report", json!({"org_id": null, "period": month()})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(&t1, "quality_report", json!({"org_id": null, "period": "yesterday"})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn the_findings_and_the_call_list_export_for_the_reviewer_only() {
    let app = spawn_app().await;
    let (d1, t1) = (app.login("doctor1").await, app.login("township1").await);
    let drawn = body(app.call(&t1, "draw_sample", json!({"org_id": null, "period": month(), "size": 3})).await).await;
    let get = |c: &reqwest::Client, path: String| {
        let (c, url) = (c.clone(), format!("{}/api/export/{path}", app.base));
        async move { c.get(url).send().await.unwrap() }
    };
    let csv = get(&t1, format!("sample.csv?period={}", month())).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.contains("服务日期,居民,电话,村,医生,类别,结果,备注"), "{text:.200}");
    assert_eq!(text.lines().count() as u64, 1 + drawn.as_u64().unwrap(), "one line per drawn visit");
    let flags = get(&t1, format!("quality.csv?period={}", month())).await.text().await.unwrap();
    assert!(flags.contains("问题,服务日期,居民,村,医生,说明") && flags.contains("无居民签字确认"));
    let xlsx = get(&t1, format!("quality.xlsx?period={}", month())).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "a zip (xlsx) file");
    assert_eq!(get(&d1, format!("sample.csv?period={}", month())).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(get(&t1, "sample.csv?period=13".to_string()).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
