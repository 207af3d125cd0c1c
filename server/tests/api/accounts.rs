//! Residents' accounts: activation codes issued by the doctor in scope, single use, replaced by a newer one,
//! expiring, guessing bounded; the activated resident logs in with ID number and password and reaches no
//! staff endpoint.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

const ID: &str = "110101198001010010";
const PASSWORD: &str = "bao-ping-an-2026";

async fn resident(app: &TestApp, d1: &Client) -> Value {
    let v1 = body(app.call(d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    body(app.call(d1, "save_resident", json!({"input": resident_input(&v1, ID)})).await).await
}

async fn issue(app: &TestApp, c: &Client, id: &Value) -> reqwest::Response {
    app.call(c, "issue_activation", json!({"resident_id": id})).await
}

async fn activate(app: &TestApp, c: &Client, code: &str) -> reqwest::Response {
    app.call(c, "activate", json!({"input": {"id_no": ID, "code": code, "password": PASSWORD}})).await
}

#[tokio::test]
async fn a_code_from_the_doctor_activates_once_and_the_resident_logs_in_with_the_id_number() {
    let app = spawn_app().await;
    let (d1, d3) = (app.login("doctor1").await, app.login("doctor3").await);
    let id = resident(&app, &d1).await;
    assert_eq!(issue(&app, &d3, &id).await.status(), StatusCode::FORBIDDEN, "another township's doctor");
    assert_eq!(issue(&app, &app.client(), &id).await.status(), StatusCode::UNAUTHORIZED);
    let r = issue(&app, &d1, &id).await;
    assert_eq!(r.status(), StatusCode::OK);
    let code = body(r).await["code"].as_str().unwrap().to_string();
    assert!(code.len() == 8 && code.bytes().all(|b| b.is_ascii_digit()), "{code}");
    let stored: String =
        sqlx::query_scalar("SELECT code_hash FROM activation_codes").fetch_one(&app.store.pool).await.unwrap();
    assert!(!stored.contains(&code), "codes are stored hashed");

    let phone = app.client();
    let wrong = if code == "00000000" { "11111111" } else { "00000000" };
    assert_eq!(activate(&app, &phone, wrong).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let weak = app.call(&phone, "activate", json!({"input": {"id_no": ID, "code": code, "password": "123"}})).await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = activate(&app, &phone, &format!("{} {}", &code[..4], &code[4..])).await;
    assert_eq!(r.status(), StatusCode::OK);
    let me = body(r).await;
    assert_eq!((me["role"].as_str(), me["resident_id"].as_str()), (Some("resident"), id.as_str()));
    assert_eq!(body(app.call(&phone, "me", json!({})).await).await["role"], "resident");
    // Single use.
    assert_eq!(activate(&app, &app.client(), &code).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // From now on: ID number and password.
    let again = app.client();
    let r = app.call(&again, "login", json!({"input": {"username": ID, "password": PASSWORD}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    // A resident reaches no staff endpoint.
    for (endpoint, b) in [
        ("list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}})),
        ("village_tasks", json!({"village_id": null})),
        ("indicator_report", json!({"org_id": null, "period": "2026"})),
        ("issue_activation", json!({"resident_id": id})),
    ] {
        assert_eq!(app.call(&again, endpoint, b).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    let pull = again
        .post(format!("{}/api/sync/v1/pull", app.base))
        .json(&json!({"protocol": 1, "cursor": 0, "limit": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(pull.status(), StatusCode::OK, "residents pull their own record (see resident_view.rs)");
}

#[tokio::test]
async fn a_newer_code_replaces_the_older_and_codes_expire() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let id = resident(&app, &d1).await;
    let first = body(issue(&app, &d1, &id).await).await["code"].as_str().unwrap().to_string();
    let second = body(issue(&app, &d1, &id).await).await["code"].as_str().unwrap().to_string();
    if first != second {
        assert_eq!(activate(&app, &app.client(), &first).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    sqlx::query("UPDATE activation_codes SET expires_at = 0").execute(&app.store.pool).await.unwrap();
    assert_eq!(activate(&app, &app.client(), &second).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "expired");
}

#[tokio::test]
async fn guessing_a_code_is_stopped_after_five_tries_even_with_the_right_one() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let id = resident(&app, &d1).await;
    let code = body(issue(&app, &d1, &id).await).await["code"].as_str().unwrap().to_string();
    let guesser = app.client();
    let mut tried = 0;
    for n in 0..20u32 {
        let guess = format!("{:08}", n * 7919);
        if guess == code {
            continue;
        }
        assert_eq!(activate(&app, &guesser, &guess).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
        tried += 1;
        if tried == 5 {
            break;
        }
    }
    let r = activate(&app, &guesser, &code).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Unknown ID numbers count too, so the limit cannot be used to find who has a record.
    let stranger = app
        .call(
            &app.client(),
            "activate",
            json!({"input": {"id_no": "11010119800101001X", "code": "12345678", "password": PASSWORD}}),
        )
        .await;
    assert!(stranger.status() == StatusCode::UNPROCESSABLE_ENTITY, "{}", stranger.status());
}
