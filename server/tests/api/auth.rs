//! Logging in and out.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn login_sets_an_httponly_session_cookie_and_logout_ends_the_session() {
    let app = spawn_app().await;
    let c = app.client();
    let r = app.call(&c, "login", json!({"input": {"username": "doctor1", "password": "cunyi-demo"}})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("cunyi_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let user = body(r).await;
    assert_eq!(user["role"], "village_doctor");
    assert_eq!(user["villages"].as_array().unwrap().len(), 1);

    let me = body(app.call(&c, "me", json!({})).await).await;
    assert_eq!(me["username"], "doctor1");

    assert_eq!(app.call(&c, "logout", json!({})).await.status(), StatusCode::OK);
    assert_eq!(body(app.call(&c, "me", json!({})).await).await, serde_json::Value::Null);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn a_wrong_password_is_refused_without_a_session() {
    let app = spawn_app().await;
    let c = app.client();
    let r = app.call(&c, "login", json!({"input": {"username": "doctor1", "password": "wrong"}})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.headers().get("set-cookie").is_none());
    let err = body(r).await;
    assert_eq!(err["Validation"]["fields"][0]["zh"], "用户名或密码错误");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = spawn_app().await;
    let c = app.client();
    for _ in 0..10 {
        app.call(&c, "login", json!({"input": {"username": "doctor2", "password": "guess"}})).await;
    }
    let r = app.call(&c, "login", json!({"input": {"username": "doctor2", "password": "cunyi-demo"}})).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // Other accounts are unaffected.
    app.login("doctor1").await;
}

#[tokio::test]
async fn every_demo_login_works_with_its_role() {
    let app = spawn_app().await;
    for (user, role) in [
        ("county", "county_admin"),
        ("township1", "township_manager"),
        ("doctor1", "village_doctor"),
        ("doctor2", "village_doctor"),
        ("doctor3", "village_doctor"),
    ] {
        let c = app.login(user).await;
        assert_eq!(body(app.call(&c, "me", json!({})).await).await["role"], role, "{user}");
    }
}

#[tokio::test]
async fn a_forged_session_cookie_is_not_a_login() {
    let app = spawn_app().await;
    let c = reqwest::Client::new();
    let r = c
        .post(format!("{}/api/list_residents", app.base))
        .header("Cookie", "cunyi_session=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
        .json(&json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
