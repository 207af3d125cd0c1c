//! The resident registry over HTTP: add, validate, refuse duplicates, edit with versions, search.

use crate::common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn village_of(app: &TestApp, c: &reqwest::Client) -> String {
    body(app.call(c, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string()
}

async fn search(app: &TestApp, c: &reqwest::Client, q: &str, flag: Value) -> Value {
    body(app.call(c, "list_residents", json!({"query": {"q": q, "flag": flag, "village_id": null, "page": 0}})).await)
        .await
}

#[tokio::test]
async fn a_doctor_adds_a_resident_whose_birth_date_and_sex_come_from_the_id() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let input = resident_input(&v, "11010120230612005x");
    let r = app.call(&d1, "save_resident", json!({"input": input})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let id = body(r).await;
    let rec = body(app.call(&d1, "get_resident", json!({"id": id})).await).await;
    assert_eq!(rec["id_no"], "11010120230612005X");
    assert_eq!(rec["birth_date"], "2023-06-12");
    assert_eq!(rec["sex"], "male");
    assert_eq!(rec["version"], 1);
    assert_eq!(rec["record_no"].as_str().unwrap().len(), 17);
    assert_eq!(rec["flags"][0]["flag"], "HTN");
    // Listed with the ID masked.
    let page = search(&app, &d1, "测试居民", Value::Null).await;
    assert_eq!(page["total"], 1);
    assert_eq!(page["rows"][0]["id_masked"], "110101********005X");
}

#[tokio::test]
async fn a_wrong_check_digit_is_refused_with_a_chinese_message_and_nothing_stored() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let before = app.count("residents").await;
    let r = app.call(&d1, "save_resident", json!({"input": resident_input(&v, "110101198001010011")})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err = body(r).await;
    let f = &err["Validation"]["fields"][0];
    assert_eq!(f["field"], "id_no");
    assert!(f["zh"].as_str().unwrap().contains("校验位"), "{f}");
    assert_eq!(app.count("residents").await, before);
}

#[tokio::test]
async fn a_second_record_with_the_same_id_number_is_refused_with_a_link_to_the_first() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let first =
        body(app.call(&d1, "save_resident", json!({"input": resident_input(&v, "110101198001010010")})).await).await;
    let r = app.call(&d1, "save_resident", json!({"input": resident_input(&v, "110101198001010010")})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let err = body(r).await;
    assert_eq!(err["Conflict"]["existing_id"], first);
    assert!(err["Conflict"]["zh"].as_str().unwrap().contains("已建档"));
}

#[tokio::test]
async fn the_same_new_record_sent_twice_is_stored_once() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let input = resident_input(&v, "110101196508150021");
    let before = app.count("residents").await;
    assert_eq!(app.call(&d1, "save_resident", json!({"input": input.clone()})).await.status(), StatusCode::OK);
    assert_eq!(app.call(&d1, "save_resident", json!({"input": input})).await.status(), StatusCode::OK);
    assert_eq!(app.count("residents").await, before + 1);
}

#[tokio::test]
async fn an_edit_bumps_the_version_and_a_stale_edit_is_merged_field_by_field() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let mut input = resident_input(&v, "110101199003070046");
    let id = body(app.call(&d1, "save_resident", json!({"input": input.clone()})).await).await;
    input["base_version"] = json!(1);
    input["name"] = json!("改名居民");
    input["flags"] = json!([]);
    assert_eq!(app.call(&d1, "save_resident", json!({"input": input.clone()})).await.status(), StatusCode::OK);
    let rec = body(app.call(&d1, "get_resident", json!({"id": id})).await).await;
    assert_eq!(rec["name"], "改名居民");
    assert_eq!(rec["version"], 2);
    assert_eq!(rec["flags"], json!([]));
    // Someone else still editing version 1: fields only they changed apply, a field both changed keeps the
    // stored value, and the conflict is listed with the losing version kept.
    input["name"] = json!("另一个名字");
    input["phone"] = json!("13911112222");
    let r = app.call(&d1, "save_resident", json!({"input": input.clone()})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rec = body(app.call(&d1, "get_resident", json!({"id": id})).await).await;
    assert_eq!(rec["name"], "改名居民");
    assert_eq!(rec["phone"], "13911112222");
    assert_eq!(rec["version"], 3);
    assert_eq!(app.revisions_of(id.as_str().unwrap()).await, 3);
    let (fields, losing): (String, String) =
        sqlx::query_as("SELECT fields, losing FROM conflicts WHERE resident_id = $1")
            .bind(id.as_str().unwrap())
            .fetch_one(&app.store.pool)
            .await
            .unwrap();
    assert_eq!(fields, r#"["name"]"#);
    assert!(losing.contains("另一个名字"));
    // Sent again, it changes nothing more.
    assert_eq!(app.call(&d1, "save_resident", json!({"input": input})).await.status(), StatusCode::OK);
    assert_eq!((app.revisions_of(id.as_str().unwrap()).await, app.count("conflicts").await), (3, 1));
}

#[tokio::test]
async fn an_infant_without_id_needs_sex_and_birth_date() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let v = village_of(&app, &d1).await;
    let mut input = resident_input(&v, "");
    input["id_no"] = Value::Null;
    let r = app.call(&d1, "save_resident", json!({"input": input.clone()})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = body(r).await["Validation"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(fields, vec!["sex", "birth_date"]);
    input["sex"] = json!(2);
    input["birth_date"] = json!("2026-10-01");
    assert_eq!(app.call(&d1, "save_resident", json!({"input": input})).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn search_finds_by_name_id_tail_and_key_group() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let page = search(&app, &d1, "", Value::Null).await;
    let first = page["rows"].as_array().unwrap().iter().find(|r| r["id_masked"].is_string()).unwrap().clone();
    let name = first["name"].as_str().unwrap();
    let by_name = search(&app, &d1, name, Value::Null).await;
    assert!(by_name["rows"].as_array().unwrap().iter().any(|r| r["id"] == first["id"]));
    let tail = &first["id_masked"].as_str().unwrap()[14..];
    let by_id = search(&app, &d1, tail, Value::Null).await;
    assert!(by_id["rows"].as_array().unwrap().iter().any(|r| r["id"] == first["id"]));
    let htn = search(&app, &d1, "", json!("HTN")).await;
    let all = search(&app, &d1, "", Value::Null).await;
    let (h, a) = (htn["total"].as_i64().unwrap(), all["total"].as_i64().unwrap());
    assert!(h > 0 && h < a, "{h} of {a}");
    assert!(htn["rows"].as_array().unwrap().iter().all(|r| r["flags"].as_array().unwrap().contains(&json!("HTN"))));
    let elderly = search(&app, &d1, "", json!("ELDERLY_65")).await;
    assert!(elderly["total"].as_i64().unwrap() > 0);
}

#[tokio::test]
async fn the_demo_county_has_the_promised_shape() {
    let app = spawn_app().await;
    let residents = app.count("residents").await;
    assert!(residents >= 2000, "{residents}");
    let villages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units WHERE level = 'village'")
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    let townships: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM org_units WHERE level = 'township'")
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    assert!(villages >= 12 && townships >= 3);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id_no FROM residents WHERE id_no IS NOT NULL")
        .fetch_all(&app.store.pool)
        .await
        .unwrap();
    let today = chrono::Local::now().date_naive();
    assert!(ids.iter().all(|i| app::resident::id_number::IdNumber::parse(i, today).is_ok()));
    let htn: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM resident_flags WHERE flag = 'HTN'")
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    let adults: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM residents WHERE birth_date <= $1")
        .bind((today - chrono::Days::new(18 * 365)).to_string())
        .fetch_one(&app.store.pool)
        .await
        .unwrap();
    let share = htn as f64 / adults as f64;
    assert!((0.11..0.20).contains(&share), "hypertensive share of adults {share}");
    assert!(app.count("visits").await > 500);
}

/// A valid ID number born on 12 April 1958 with sequence `seq`.
fn id_1958(seq: u32) -> String {
    let body = format!("11010119580412{seq:03}");
    format!("{body}{}", app::resident::id_number::check_digit(&body).unwrap())
}

#[tokio::test]
async fn the_duplicate_check_names_residents_of_the_township_with_a_similar_name_and_the_same_birth_date() {
    let app = spawn_app().await;
    let (d1, d2, d3) = (app.login("doctor1").await, app.login("doctor2").await, app.login("doctor3").await);
    let (v1, v2, v3) = (village_of(&app, &d1).await, village_of(&app, &d2).await, village_of(&app, &d3).await);
    let add = |c: &reqwest::Client, v: &str, name: &str, seq: u32| {
        let mut input = resident_input(v, &id_1958(seq));
        input["name"] = json!(name);
        let (app, c) = (&app, c.clone());
        async move { assert_eq!(app.call(&c, "save_resident", json!({"input": input})).await.status(), StatusCode::OK) }
    };
    // The same spoken name in doctor2's village (same township as doctor1) and in doctor3's (another township).
    add(&d2, &v2, "刘桂兰", 11).await;
    add(&d3, &v3, "刘桂兰", 13).await;
    let ask = |name: &str, born: &str, village: &str| json!({"village_id": village, "id": uuid::Uuid::now_v7(), "name": name, "birth_date": born});

    // doctor1 is about to record 刘贵岚 (two characters differ, the same pinyin): the township neighbour shows.
    let r = app.call(&d1, "duplicate_residents", ask("刘贵岚", "1958-04-12", &v1)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let found = body(r).await;
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["name"], "刘桂兰");
    assert_eq!(found[0]["village_id"], v2);
    // Nothing of the candidate's health travels with it.
    assert!(found[0].get("flags").is_none() && found[0].get("id_no").is_none(), "{found}");

    // Another birth date, or a name that neither sounds alike nor is one character apart: nobody.
    let r = app.call(&d1, "duplicate_residents", ask("刘贵岚", "1958-04-13", &v1)).await;
    assert_eq!(body(r).await, json!([]));
    let r = app.call(&d1, "duplicate_residents", ask("陈美玲", "1958-04-12", &v1)).await;
    assert_eq!(body(r).await, json!([]));

    // Only from a village of one's own, with a name, when logged in.
    let r = app.call(&d1, "duplicate_residents", ask("刘贵岚", "1958-04-12", &v3)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app.call(&d1, "duplicate_residents", ask(" ", "1958-04-12", &v1)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call(&app.client(), "duplicate_residents", ask("刘贵岚", "1958-04-12", &v1)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
