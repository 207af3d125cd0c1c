//! The server's copy of a phone's data key: kept for the account and device that sent it, given back only to
//! a login with the right password (rate-limited like the login form), never to staff without a phone store.

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
