//! The task engine on the server: the same rules as the phone, over the database, within the user's scope.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn tasks(app: &TestApp, c: &reqwest::Client, village: Option<&str>) -> reqwest::Response {
    app.call(c, "village_tasks", json!({"village_id": village})).await
}

fn of<'a>(rows: &'a Value, resident: &Value) -> Vec<&'a Value> {
    rows.as_array().unwrap().iter().filter(|r| r["task"]["resident_id"] == *resident).collect()
}

#[tokio::test]
async fn a_new_patient_has_a_follow_up_task_until_the_visit_is_recorded() {
    let app = spawn_app().await;
    let (d1, d3) = (app.login("doctor1").await, app.login("doctor3").await);
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let v3 = body(app.call(&d3, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let id =
        body(app.call(&d1, "save_resident", json!({"input": resident_input(&v1, "110101198001010010")})).await).await;

    let r = tasks(&app, &d1, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rows = body(r).await;
    let mine = of(&rows, &id);
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["task"]["kind"], "htn");
    assert_eq!(mine[0]["task"]["rule"], "first_follow_up");
    assert_eq!(mine[0]["name"], "测试居民");

    // The visit is recorded: the next one is next quarter's, not in the list of the coming days.
    let visit = htn_input(id.as_str().unwrap());
    assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": visit})).await.status(), StatusCode::OK);
    let rows = body(tasks(&app, &d1, Some(&v1)).await).await;
    assert!(of(&rows, &id).is_empty(), "{rows}");

    // Another township's doctor neither sees it nor may ask for the village.
    assert!(of(&body(tasks(&app, &d3, None).await).await, &id).is_empty());
    assert_eq!(tasks(&app, &d1, Some(&v3)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(tasks(&app, &app.client(), None).await.status(), StatusCode::UNAUTHORIZED);
}
