//! Switching accounts off: the county administrator disables a doctor, whose session ends at once, whose
//! phone's next sync is refused and who cannot log in until enabled again; nobody else may do it.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn a_disabled_doctor_is_logged_out_refused_sync_and_login_until_enabled() {
    let app = spawn_app().await;
    let (county, t1, d1) = (app.login("county").await, app.login("township1").await, app.login("doctor1").await);
    let d2 = app.login("doctor2").await;
    let users = body(app.call(&county, "county_users", json!({})).await).await;
    let list = users.as_array().unwrap();
    assert!(list.iter().any(|u| u["username"] == "township1") && list.iter().all(|u| u["role"] != "resident"));
    let row = |name: &str| list.iter().find(|u| u["username"] == name).cloned().unwrap();
    let doctor2: Value = row("doctor2");
    assert_eq!(doctor2["active"], true);
    let id = doctor2["id"].clone();
    let pull = json!({"protocol": 1, "cursor": 0, "limit": 5});
    assert_eq!(app.sync(&d2, "pull", pull.clone()).await.status(), StatusCode::OK);

    for c in [&t1, &d1] {
        let r = app.call(c, "set_user_active", json!({"user_id": id, "active": false})).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
    }
    let me = row("county")["id"].clone();
    let r = app.call(&county, "set_user_active", json!({"user_id": me, "active": false})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "not one's own account");
    let r = app.call(&county, "set_user_active", json!({"user_id": "nobody", "active": false})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    assert_eq!(
        app.call(&county, "set_user_active", json!({"user_id": id, "active": false})).await.status(),
        StatusCode::OK
    );
    assert_eq!(app.sync(&d2, "pull", pull.clone()).await.status(), StatusCode::UNAUTHORIZED, "the phone's next sync");
    let push = json!({"protocol": 1, "device_id": "x", "entries": []});
    assert_eq!(app.sync(&d2, "push", push).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(body(app.call(&d2, "me", json!({})).await).await, Value::Null, "the session is gone");
    let login =
        app.call(&app.client(), "login", json!({"input": {"username": "doctor2", "password": "cunyi-demo"}})).await;
    assert_eq!(login.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let users = body(app.call(&county, "county_users", json!({})).await).await;
    assert!(users.as_array().unwrap().iter().any(|u| u["username"] == "doctor2" && u["active"] == false));
    // doctor1 is untouched.
    assert_eq!(app.sync(&d1, "pull", pull.clone()).await.status(), StatusCode::OK);

    assert_eq!(
        app.call(&county, "set_user_active", json!({"user_id": id, "active": true})).await.status(),
        StatusCode::OK
    );
    let again = app.login("doctor2").await;
    assert_eq!(app.sync(&again, "pull", pull).await.status(), StatusCode::OK);
}
