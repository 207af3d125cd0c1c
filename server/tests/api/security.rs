//! Security headers on every answer, cross-site requests refused before they act (CSRF), and bodies over the
//! limit answered 413 with a message.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn pages_carry_a_nonce_policy_and_every_answer_the_security_headers() {
    let app = spawn_app().await;
    let c = app.client();
    let page = c.get(format!("{}/login", app.base)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let h = page.headers().clone();
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    for part in ["default-src 'self'", "'wasm-unsafe-eval'", "frame-ancestors 'none'", "object-src 'none'"] {
        assert!(csp.contains(part), "{part} in {csp}");
    }
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let html = page.text().await.unwrap();
    assert!(html.contains(&format!("nonce=\"{nonce}\"")), "the page's inline script carries the nonce");
    let again = c.get(format!("{}/login", app.base)).send().await.unwrap();
    assert!(!again.headers()["content-security-policy"].to_str().unwrap().contains(&nonce), "a nonce per page");
    for (name, value) in
        [("x-content-type-options", "nosniff"), ("referrer-policy", "same-origin"), ("x-frame-options", "DENY")]
    {
        assert_eq!(h[name], value, "{name}");
    }
    let api = c.get(format!("{}/health", app.base)).send().await.unwrap();
    let csp = api.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("nonce"), "{csp}");
    assert_eq!(api.headers()["x-content-type-options"], "nosniff");
}

#[tokio::test]
async fn a_state_changing_request_from_another_site_is_refused_and_stores_nothing() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let before = app.count("residents").await;
    let save = |origin: Option<&str>, site: Option<&str>| {
        let mut r = d1
            .post(format!("{}/api/save_resident", app.base))
            .header("Accept", "application/json")
            .json(&json!({"input": resident_input(&v1, "110101198001010010")}));
        if let Some(o) = origin {
            r = r.header("Origin", o);
        }
        if let Some(s) = site {
            r = r.header("Sec-Fetch-Site", s);
        }
        r.send()
    };
    assert_eq!(save(Some("https://evil.example"), None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(save(None, Some("cross-site")).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(save(Some("null"), None).await.unwrap().status(), StatusCode::FORBIDDEN);
    assert_eq!(app.count("residents").await, before, "nothing stored");
    let own = app.base.clone();
    let r = save(Some(&own), Some("same-origin")).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the app's own pages");
    assert_eq!(app.count("residents").await, before + 1);
    // Logging in and syncing from a foreign page are refused too.
    let login = app
        .client()
        .post(format!("{}/api/login", app.base))
        .header("Origin", "https://evil.example")
        .json(&json!({"input": {"username": "doctor1", "password": "cunyi-demo"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    let push = d1
        .post(format!("{}/api/sync/v1/push", app.base))
        .header("Origin", "https://evil.example")
        .json(&json!({"protocol": 1, "device_id": "x", "entries": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(push.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_a_message() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let before = app.count("residents").await;
    let big = format!("{{\"input\": {{\"name\": \"{}\"}}}}", "x".repeat(3 * 1024 * 1024));
    let r = app.call_raw(&d1, "save_resident", big).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("提交的内容过大"));
    let huge = format!(
        "{{\"protocol\": 1, \"device_id\": \"x\", \"entries\": [\"{}\"]}}",
        "x".repeat(app::sync::PUSH_BODY_LIMIT + 1)
    );
    let r = d1
        .post(format!("{}/api/sync/v1/push", app.base))
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("过大"));
    assert_eq!(app.count("residents").await, before);
}
