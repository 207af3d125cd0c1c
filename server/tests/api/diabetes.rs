//! Type-2 diabetes follow-ups through the sync API: stored and pulled as what was sent, refused with the
//! shared rules' per-field reasons, kept apart from the resident's hypertension visits.

use crate::common::*;
use serde_json::{json, Value};

fn entry(body: Value) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "created_at": 1_700_000_000, "kind": "chronic_visit", "body": body})
}

async fn push(app: &TestApp, c: &reqwest::Client, entries: Vec<Value>) -> Value {
    let r = app.sync(c, "push", json!({"protocol": 1, "device_id": "phone-1", "entries": entries})).await;
    body(r).await
}

#[tokio::test]
async fn a_diabetes_visit_round_trips_through_push_and_pull() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let (_, cursor, _) = app.pull_all(&d1, 0, 2_000).await;
    let mut visit = dm_input(&rid);
    visit["signature"] = json!("M10 10 L40 30");
    let resp = push(&app, &d1, vec![entry(visit.clone())]).await;
    assert_eq!(resp["results"][0]["status"], "accepted", "{resp}");
    let kind: String = sqlx::query_scalar("SELECT kind FROM visits WHERE id = $1")
        .bind(visit["id"].as_str().unwrap())
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert_eq!(kind, "dm");
    let (changes, _, _) = app.pull_all(&d1, cursor, 2_000).await;
    let pulled = changes.iter().find(|c| c["kind"] == "visit").expect("the visit comes back");
    assert_eq!(pulled["summary"]["kind"], "diabetes");
    assert_eq!(pulled["summary"]["fbg"], json!(6.4));
    for field in [
        "disease",
        "fbg",
        "dorsalis_pedis",
        "hypoglycemia",
        "staple",
        "hba1c",
        "hba1c_date",
        "insulin",
        "meds",
        "signature",
    ] {
        assert_eq!(pulled["payload"][field], visit[field], "{field}");
    }
    // The history list names it a diabetes follow-up with its glucose.
    let history = body(app.call(&d1, "resident_visits", json!({"resident_id": rid})).await).await;
    let row = history.as_array().unwrap().iter().find(|v| v["id"] == visit["id"]).expect("listed").clone();
    assert_eq!((row["kind"].clone(), row["fbg"].clone()), (json!("diabetes"), json!(6.4)));
    // Signed by the resident (proof of service), which the township's list shows.
    assert_eq!(row["signed"], json!(true));
    assert_eq!(pulled["summary"]["signed"], json!(true));
}

#[tokio::test]
async fn the_server_refuses_what_the_diabetes_rules_refuse_with_per_field_reasons() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let before = app.count("visits").await;
    let mut missing = dm_input(&rid);
    missing["fbg"] = Value::Null;
    missing["hypoglycemia"] = Value::Null;
    let mut urgent = dm_input(&rid);
    urgent["fbg"] = json!(17.2);
    let mut side = dm_input(&rid);
    side["dorsalis_pedis"] = json!(2);
    let resp = push(&app, &d1, vec![entry(missing), entry(urgent), entry(side), entry(dm_input(&rid))]).await;
    let fields = |i: usize| -> Vec<String> {
        resp["results"][i]["error"]["Validation"]["fields"]
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(fields(0), vec!["fbg", "hypoglycemia"]);
    // Glucose ≥ 16.7 is an urgent referral: a routine next step is refused.
    assert_eq!(fields(1), vec!["next_mgmt"]);
    assert_eq!(fields(2), vec!["dorsalis_side"]);
    assert_eq!(resp["results"][3]["status"], "accepted");
    assert_eq!(app.count("visits").await, before + 1);
}

#[tokio::test]
async fn a_correction_keeps_its_disease_and_the_forms_start_from_their_own_visits() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let rid = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let dm = dm_input(&rid);
    let resp = push(&app, &d1, vec![entry(dm.clone())]).await;
    assert_eq!(resp["results"][0]["status"], "accepted");
    // A "correction" that turns the diabetes visit into a hypertension one is refused.
    let mut wrong = htn_input(&rid);
    wrong["visit_id"] = dm["visit_id"].clone();
    wrong["supersedes"] = dm["id"].clone();
    let resp = push(&app, &d1, vec![entry(wrong)]).await;
    assert_eq!(resp["results"][0]["error"]["Validation"]["fields"][0]["field"], "disease", "{resp}");
    // The diabetes form carries the diabetes visit forward; the hypertension form does not.
    let ctx =
        body(app.call(&d1, "chronic_form_context", json!({"resident_id": rid, "disease": "diabetes"})).await).await;
    assert_eq!(ctx["last_visit"]["id"], dm["id"]);
    let ctx =
        body(app.call(&d1, "chronic_form_context", json!({"resident_id": rid, "disease": "hypertension"})).await).await;
    assert_ne!(ctx["last_visit"]["id"], dm["id"]);
}
