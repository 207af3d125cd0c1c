//! Role and scope: each role reaches what it should and gets 403 for the rest.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn get(app: &TestApp, c: &reqwest::Client, id: &Value) -> StatusCode {
    app.call(c, "get_resident", json!({"id": id})).await.status()
}

#[tokio::test]
async fn anonymous_requests_to_every_data_endpoint_get_401() {
    let app = spawn_app().await;
    let c = app.client();
    let any = json!(uuid::Uuid::nil());
    for (endpoint, b) in [
        ("list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}})),
        ("get_resident", json!({"id": any})),
        ("save_resident", json!({"input": resident_input("x", "110101198001010010")})),
        ("my_villages", json!({})),
        ("list_households", json!({"village_id": "x"})),
        ("chronic_form_context", json!({"resident_id": any, "disease": "hypertension"})),
        ("record_htn_visit", json!({"input": htn_input(&uuid::Uuid::nil().to_string())})),
        ("resident_visits", json!({"resident_id": any})),
        ("get_htn_visit", json!({"id": any})),
        ("list_conflicts", json!({})),
    ] {
        assert_eq!(app.call(&c, endpoint, b).await.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }
}

#[tokio::test]
async fn doctors_reach_only_their_villages() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let mine = app.first_resident(&d1).await;
    let theirs = app.first_resident(&d3).await;
    assert_eq!(get(&app, &d1, &mine["id"]).await, StatusCode::OK);
    assert_eq!(get(&app, &d1, &theirs["id"]).await, StatusCode::FORBIDDEN);
    assert_eq!(get(&app, &d3, &mine["id"]).await, StatusCode::FORBIDDEN);
    // Nor through the history, the form context or a visit.
    assert_eq!(
        app.call(&d3, "resident_visits", json!({"resident_id": mine["id"]})).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(&d3, "chronic_form_context", json!({"resident_id": mine["id"], "disease": "diabetes"})).await.status(),
        StatusCode::FORBIDDEN
    );
    let before = app.count("visits").await;
    let r = app.call(&d3, "record_htn_visit", json!({"input": htn_input(mine["id"].as_str().unwrap())})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("visits").await, before);
}

#[tokio::test]
async fn a_doctor_cannot_list_or_write_into_another_village() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let v3 = body(app.call(&d3, "my_villages", json!({})).await).await[0]["id"].clone();
    let r =
        app.call(&d1, "list_residents", json!({"query": {"q": "", "flag": null, "village_id": v3, "page": 0}})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.call(&d1, "list_households", json!({"village_id": v3})).await.status(), StatusCode::FORBIDDEN);
    let before = app.count("residents").await;
    let r = app
        .call(&d1, "save_resident", json!({"input": resident_input(v3.as_str().unwrap(), "110101199003070046")}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("residents").await, before);
}

#[tokio::test]
async fn a_doctor_cannot_edit_another_villages_resident_into_their_own() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let theirs = app.first_resident(&d3).await;
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].clone();
    let mut edit = resident_input(v1.as_str().unwrap(), "");
    edit["id"] = theirs["id"].clone();
    edit["base_version"] = json!(1);
    edit["sex"] = json!(1);
    edit["birth_date"] = json!("1980-01-01");
    let r = app.call(&d1, "save_resident", json!({"input": edit})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn managers_reach_their_township_and_not_another() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let d3 = app.login("doctor3").await;
    let t1 = app.login("township1").await;
    let in_t1 = app.first_resident(&d1).await;
    let in_t2 = app.first_resident(&d3).await;
    assert_eq!(get(&app, &t1, &in_t1["id"]).await, StatusCode::OK);
    assert_eq!(get(&app, &t1, &in_t2["id"]).await, StatusCode::FORBIDDEN);
    let villages = body(app.call(&t1, "my_villages", json!({})).await).await;
    assert_eq!(villages.as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn the_county_admin_reaches_every_village_of_the_county() {
    let app = spawn_app().await;
    let county = app.login("county").await;
    let d3 = app.login("doctor3").await;
    let in_t2 = app.first_resident(&d3).await;
    assert_eq!(get(&app, &county, &in_t2["id"]).await, StatusCode::OK);
    let villages = body(app.call(&county, "my_villages", json!({})).await).await;
    assert_eq!(villages.as_array().unwrap().len(), 12);
    let page = body(
        app.call(&county, "list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}}))
            .await,
    )
    .await;
    assert_eq!(page["total"], app.count("residents").await);
}

#[tokio::test]
async fn an_unknown_resident_is_404_not_403() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    assert_eq!(get(&app, &d1, &json!(uuid::Uuid::now_v7())).await, StatusCode::NOT_FOUND);
}
