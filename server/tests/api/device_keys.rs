//! The server's copy of a phone's data key: kept for the account and device that sent it, given back only to
//! a login with the right password (rate-limited like the login form), never to staff without a phone store.
//! And the PIN screen a cold start's page comes with, named by the screen cookie.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_device_key_is_kept_per_account_and_device_and_returned_only_for_the_password() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let key: Vec<u8> = (0..32).collect();
    let r = app.call(&d1, "escrow_device_key", json!({"device_id": "dev-1", "key": key})).await;
    assert_eq!(r.status(), StatusCode::OK);
    for (device, k) in [("dev-1", vec![1u8; 16]), ("dev 1<x>", vec![1u8; 32]), ("", vec![1u8; 32])] {
        let r = app.call(&d1, "escrow_device_key", json!({"device_id": device, "key": k})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{device}");
    }
    let t1 = app.login("township1").await;
    let r = app.call(&t1, "escrow_device_key", json!({"device_id": "dev-2", "key": key})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "managers keep no phone store");
    let r = app.call(&app.client(), "escrow_device_key", json!({"device_id": "dev-2", "key": key})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    let recover =
        |user: &str, password: &str, device: &str| json!({"username": user, "password": password, "device_id": device});
    // A fresh browser (the locked phone) with the right password gets the key back and a session.
    let phone = app.client();
    let r = app.call(&phone, "recover_device_key", recover("doctor1", "wrong-password", "dev-1")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call(&phone, "recover_device_key", recover("doctor1", "cunyi-demo", "dev-1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await, json!(key));
    assert_eq!(body(app.call(&phone, "me", json!({})).await).await["username"], "doctor1", "logged in again");
    // Another device, or another account on this device: no key.
    let r = app.call(&phone, "recover_device_key", recover("doctor1", "cunyi-demo", "dev-9")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call(&app.client(), "recover_device_key", recover("doctor2", "cunyi-demo", "dev-1")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // A new key for the device replaces the old one.
    let newer = vec![7u8; 32];
    let r = app.call(&d1, "escrow_device_key", json!({"device_id": "dev-1", "key": newer})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = app.call(&app.client(), "recover_device_key", recover("doctor1", "cunyi-demo", "dev-1")).await;
    assert_eq!(body(r).await, json!(newer));
    assert_eq!(app.count("device_keys").await, 1);

    // Guessing the password is limited like the login form, even with the right one afterwards.
    let guesser = app.client();
    for _ in 0..10 {
        app.call(&guesser, "recover_device_key", recover("doctor3", "guess", "dev-3")).await;
    }
    let r = app.call(&guesser, "recover_device_key", recover("doctor3", "cunyi-demo", "dev-3")).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// The server renders the PIN screen the screen cookie names for the logged-in account (so it is in the first
/// paint), and only a loading line for another account's cookie or none.
#[tokio::test]
async fn the_today_page_comes_with_the_pin_screen_the_cookie_names_for_this_account() {
    let app = spawn_app().await;
    // A client without a cookie jar, so the test writes the Cookie header itself.
    let c = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = c
        .post(format!("{}/api/login", app.base))
        .header("Accept", "application/json")
        .json(&json!({"input": {"username": "doctor1", "password": "cunyi-demo"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let session = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let me = c.post(format!("{}/api/me", app.base)).header("Cookie", &session).json(&json!({})).send().await.unwrap();
    let id = body(me).await["id"].as_str().unwrap().to_string();
    let today = |screen: String| {
        let c = c.clone();
        let cookie = format!("{session}; {screen}");
        let url = format!("{}/today", app.base);
        async move { c.get(url).header("Cookie", cookie).send().await.unwrap().text().await.unwrap() }
    };
    let html = today(format!("cunyi_pin={id}~pin3")).await;
    assert!(html.contains(r#"data-state="NeedsPin { left: 3 }""#), "{html}");
    assert!(html.contains("还可尝试 3 次"));
    let html = today(format!("cunyi_pin={id}~locked")).await;
    assert!(html.contains(r#"data-state="Locked""#) && html.contains("pin-locked"));
    for other in ["cunyi_pin=someone-else~pin3".to_string(), String::new()] {
        let html = today(other).await;
        assert!(!html.contains("pin-screen"), "{html}");
        assert!(html.contains("加载中"));
    }
}
