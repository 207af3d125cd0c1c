//! Residents' own view: a resident's account reads their own record and the children a doctor linked to it,
//! through the pull and the resident endpoints, and nothing else through any endpoint or id; their answers
//! about visits reach the township's review queue and quality checks; their views count in the indicator.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use std::collections::HashSet;

const PARENT_ID: &str = "110101198001010010";
const CHILD_ID: &str = "110101202003150024";
const ADULT_ID: &str = "110101195505050047";
const PASSWORD: &str = "bao-ping-an-2026";

struct Family {
    village: String,
    parent: String,
    child: String,
    /// An adult of the same household (not linkable).
    adult: String,
    /// A demo resident of another household in the same village.
    other: String,
}

async fn save(app: &TestApp, d1: &Client, input: Value) -> String {
    let r = app.call(d1, "save_resident", json!({ "input": input })).await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await.as_str().unwrap().to_string()
}

/// doctor1's new household: a parent with hypertension, a child of 6 and a grandparent.
async fn family(app: &TestApp, d1: &Client) -> Family {
    let village = body(app.call(d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let parent = save(app, d1, resident_input(&village, PARENT_ID)).await;
    let household = body(app.call(d1, "get_resident", json!({"id": parent})).await).await["household_id"].clone();
    let member = |id_no: &str, relation: u8| {
        let mut m = resident_input(&village, id_no);
        m["household_id"] = household.clone();
        m["relation"] = json!(relation);
        m["flags"] = json!([]);
        m
    };
    let child = save(app, d1, member(CHILD_ID, 3)).await;
    let adult = save(app, d1, member(ADULT_ID, 5)).await;
    let other = app.first_resident(d1).await["id"].as_str().unwrap().to_string();
    Family { village, parent, child, adult, other }
}

/// Issues a code for `resident` and activates it in a fresh client: the resident's phone.
async fn activated(app: &TestApp, d1: &Client, resident: &str, id_no: &str) -> Client {
    let r = app.call(d1, "issue_activation", json!({"resident_id": resident})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let code = body(r).await;
    assert!(code["url"].as_str().unwrap().ends_with(&format!("/activate?code={}", code["code"].as_str().unwrap())));
    assert!(code["qr_svg"].as_str().unwrap().starts_with("<?xml"), "a QR code as SVG");
    let phone = app.client();
    let r = app
        .call(&phone, "activate", json!({"input": {"id_no": id_no, "code": code["code"], "password": PASSWORD}}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    phone
}

async fn pull(app: &TestApp, c: &Client, cursor: i64) -> reqwest::Response {
    c.post(format!("{}/api/sync/v1/pull", app.base))
        .json(&json!({"protocol": 1, "cursor": cursor, "limit": 500}))
        .send()
        .await
        .unwrap()
}

/// The resident ids, visit ids and record ids a pull sends, and the revoked resident ids.
fn contents(page: &Value) -> (HashSet<String>, HashSet<String>, HashSet<String>, HashSet<String>) {
    let (mut people, mut visits, mut records, mut revoked) = <(HashSet<String>, _, _, _)>::default();
    let text = |v: &Value| v.as_str().unwrap().to_string();
    for c in page["changes"].as_array().unwrap() {
        let (set, id) = match c["kind"].as_str().unwrap() {
            "resident" => (&mut people, &c["resident"]["id"]),
            "visit" => (&mut visits, &c["summary"]["visit_id"]),
            "record" => (&mut records, &c["record"]["record"]["record_id"]),
            "revoked" => (&mut revoked, &c["resident_id"]),
            other => panic!("unexpected change {other}"),
        };
        set.insert(text(id));
    }
    (people, visits, records, revoked)
}

async fn link(app: &TestApp, c: &Client, parent: &str, child: &str, linked: bool) -> reqwest::Response {
    app.call(c, "link_child", json!({"parent_id": parent, "child_id": child, "linked": linked})).await
}

async fn visit_of(app: &TestApp, d1: &Client, resident: &str) -> String {
    let v = htn_input(resident);
    assert_eq!(app.call(d1, "record_htn_visit", json!({"input": v})).await.status(), StatusCode::OK);
    v["visit_id"].as_str().unwrap().to_string()
}

async fn ids(app: &TestApp, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(&app.store.pool).await.unwrap()
}

#[tokio::test]
async fn a_resident_reads_their_own_record_and_linked_children_and_nothing_else() {
    let app = spawn_app().await;
    let (d1, d3) = (app.login("doctor1").await, app.login("doctor3").await);
    let f = family(&app, &d1).await;
    let own_visit = visit_of(&app, &d1, &f.parent).await;
    let other_visit = visit_of(&app, &d1, &f.other).await;

    // Linking: the doctor in scope, a minor of the same household only.
    assert_eq!(
        link(&app, &d3, &f.parent, &f.child, true).await.status(),
        StatusCode::FORBIDDEN,
        "another township's doctor"
    );
    assert_eq!(link(&app, &d1, &f.parent, &f.adult, true).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "an adult");
    assert_eq!(
        link(&app, &d1, &f.parent, &f.other, true).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "another household"
    );
    assert_eq!(link(&app, &d1, &f.parent, &f.child, true).await.status(), StatusCode::OK);
    let linked = body(app.call(&d1, "linked_children", json!({"parent_id": f.parent})).await).await;
    assert_eq!(linked, json!([f.child]));

    let phone = activated(&app, &d1, &f.parent, PARENT_ID).await;
    // The township returns the parent's visit with a comment: for the doctor, not for the resident's phone.
    let t1 = app.login("township1").await;
    let verdict = json!({"entity": "visit", "entry_id": own_visit, "revision_id": own_visit, "verdict": "returned", "comment": "请复测"});
    assert_eq!(app.call(&t1, "review_set", verdict).await.status(), StatusCode::OK);
    let (doctors, _, _) = app.pull_all(&d1, 0, 2000).await;
    assert!(doctors.iter().any(|c| c["summary"]["visit_id"] == json!(own_visit) && c["summary"]["review"].is_object()));

    // The pull: exactly the parent and the child, and only their entries.
    let r = pull(&app, &phone, 0).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = body(r).await;
    let (people, visits, records, revoked) = contents(&page);
    assert_eq!(people, HashSet::from([f.parent.clone(), f.child.clone()]));
    assert!(visits.contains(&own_visit) && !visits.contains(&other_visit));
    assert!(revoked.is_empty());
    let mine = format!("'{}', '{}'", f.parent, f.child);
    let theirs: HashSet<String> =
        ids(&app, &format!("SELECT DISTINCT visit_id FROM visits WHERE resident_id IN ({mine})"))
            .await
            .into_iter()
            .collect();
    assert_eq!(visits, theirs, "every visit of the two and no other");
    for r in &records {
        let owner: Option<String> =
            sqlx::query_scalar("SELECT resident_id FROM records WHERE record_id = $1 AND is_current = 1")
                .bind(r)
                .fetch_one(&app.store.pool)
                .await
                .unwrap();
        assert!(owner.is_none() || owner == Some(f.parent.clone()) || owner == Some(f.child.clone()), "record {r}");
    }
    assert!(page["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c.get("summary").is_none_or(|s| s.get("review").is_none())));
    // Nothing new: an empty page at the returned cursor.
    let again = body(pull(&app, &phone, page["next_cursor"].as_i64().unwrap()).await).await;
    assert_eq!(again["changes"], json!([]));

    // Every staff endpoint, with every kind of id (own, the child's, another household's, unknown), is refused.
    let unknown = uuid::Uuid::now_v7().to_string();
    let demo_record = ids(&app, "SELECT record_id FROM records WHERE resident_id IS NOT NULL LIMIT 1").await[0].clone();
    for id in [&f.parent, &f.child, &f.other, &unknown] {
        for (endpoint, b) in [
            ("get_resident", json!({"id": id})),
            ("resident_visits", json!({"resident_id": id})),
            ("resident_records", json!({"resident_id": id})),
            ("chronic_form_context", json!({"resident_id": id, "disease": "hypertension"})),
            ("issue_activation", json!({"resident_id": id})),
            ("linked_children", json!({"parent_id": id})),
            ("link_child", json!({"parent_id": id, "child_id": f.child, "linked": true})),
            ("get_htn_visit", json!({"id": own_visit})),
            ("get_htn_visit", json!({"id": other_visit})),
            ("get_record", json!({"record_id": demo_record})),
            ("review_entry", json!({"entity": "visit", "entry_id": own_visit})),
            (
                "review_set",
                json!({"entity": "visit", "entry_id": own_visit, "revision_id": own_visit, "verdict": "reviewed", "comment": ""}),
            ),
            ("record_call", json!({"id": id, "outcome": "confirmed", "note": ""})),
            (
                "duplicate_residents",
                json!({"village_id": f.village, "id": id, "name": "测试居民", "birth_date": "1980-01-01"}),
            ),
        ] {
            assert_eq!(app.call(&phone, endpoint, b).await.status(), StatusCode::FORBIDDEN, "{endpoint} {id}");
        }
    }
    for (endpoint, b) in [
        ("list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}})),
        ("my_villages", json!({})),
        ("list_households", json!({"village_id": f.village})),
        ("village_tasks", json!({"village_id": null})),
        ("village_records", json!({"kind": "contract"})),
        ("save_resident", json!({"input": resident_input(&f.village, ADULT_ID)})),
        ("record_htn_visit", json!({"input": htn_input(&f.parent)})),
        ("review_queue", json!({"filter": {}})),
        ("quality_report", json!({"org_id": null, "period": "2026"})),
        ("draw_sample", json!({"org_id": null, "period": "2026-11", "size": 5})),
        ("indicator_report", json!({"org_id": null, "period": "2026"})),
        ("publish_report", json!({"org_id": f.village, "period": "2026-01"})),
        ("set_target", json!({"year": 2026, "indicator": "htn_managed", "target": 50.0})),
        ("list_conflicts", json!({})),
        ("resolve_conflict", json!({"id": unknown})),
    ] {
        assert_eq!(app.call(&phone, endpoint, b).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
    }
    for path in [
        "export/report.csv?period=2026",
        "export/review.csv",
        "export/quality.csv?period=2026-11",
        "export/sample.csv?period=2026-11",
    ] {
        let r = phone.get(format!("{}/api/{path}", app.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let photo = ids(&app, "SELECT id FROM attachments LIMIT 1").await.pop().unwrap_or(unknown.clone());
    let r = phone.get(format!("{}/api/attachments/{photo}", app.base)).send().await.unwrap();
    assert!(matches!(r.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "photo {}", r.status());
    let push = phone
        .post(format!("{}/api/sync/v1/push", app.base))
        .json(&json!({"protocol": 1, "device_id": "phone", "entries": []}))
        .send()
        .await
        .unwrap();
    assert_eq!(push.status(), StatusCode::FORBIDDEN, "residents push nothing");

    // Answers: own and linked entries only. Enumerating other residents' visits finds nothing.
    let confirm = |entity: &'static str, id: String, answer: &'static str| {
        app.call(
            &phone,
            "confirm_entry",
            json!({"input": {"entity": entity, "entry_id": id, "answer": answer, "note": ""}}),
        )
    };
    assert_eq!(confirm("visit", own_visit.clone(), "confirmed").await.status(), StatusCode::OK);
    let others = ids(&app, &format!("SELECT visit_id FROM visits WHERE resident_id NOT IN ({mine}) LIMIT 40")).await;
    assert_eq!(others.len(), 40);
    for v in &others {
        assert_eq!(confirm("visit", v.clone(), "disputed").await.status(), StatusCode::NOT_FOUND, "visit {v}");
    }
    let other_records =
        ids(&app, &format!("SELECT record_id FROM records WHERE resident_id NOT IN ({mine}) LIMIT 20")).await;
    for r in &other_records {
        assert_eq!(confirm("record", r.clone(), "disputed").await.status(), StatusCode::NOT_FOUND, "record {r}");
    }
    assert_eq!(confirm("visit", unknown.clone(), "confirmed").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(confirm("visits", own_visit.clone(), "confirmed").await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.count("confirmations").await, 1, "nothing stored by the refused answers");
    let answers = body(app.call(&phone, "my_answers", json!({})).await).await;
    assert_eq!(answers.as_array().unwrap().len(), 1);
    // Staff cannot answer for a resident.
    let r = app
        .call(
            &d1,
            "confirm_entry",
            json!({"input": {"entity": "visit", "entry_id": own_visit, "answer": "confirmed", "note": ""}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for endpoint in ["care_team", "my_answers"] {
        assert_eq!(app.call(&d1, endpoint, json!({})).await.status(), StatusCode::FORBIDDEN, "{endpoint}");
        assert_eq!(app.call(&app.client(), endpoint, json!({})).await.status(), StatusCode::UNAUTHORIZED, "{endpoint}");
    }

    // The child's visits are answerable while linked; unlinked, the phone is told to drop the child.
    let child_visit = visit_of(&app, &d1, &f.child).await;
    let cursor = page["next_cursor"].as_i64().unwrap();
    let (_, visits, _, _) = contents(&body(pull(&app, &phone, cursor).await).await);
    assert!(visits.contains(&child_visit));
    assert_eq!(confirm("visit", child_visit.clone(), "confirmed").await.status(), StatusCode::OK);
    assert_eq!(link(&app, &d1, &f.parent, &f.child, false).await.status(), StatusCode::OK);
    let (people, visits, _, revoked) = contents(&body(pull(&app, &phone, cursor).await).await);
    assert_eq!(people, HashSet::from([f.parent.clone()]));
    assert_eq!(revoked, HashSet::from([f.child.clone()]));
    assert!(!visits.contains(&child_visit));
    assert_eq!(confirm("visit", child_visit.clone(), "disputed").await.status(), StatusCode::NOT_FOUND);
    let answers = body(app.call(&phone, "my_answers", json!({})).await).await;
    assert_eq!(answers.as_array().unwrap().len(), 1, "the unlinked child's answers are no longer shown");

    // The family doctor to call.
    let team = body(app.call(&phone, "care_team", json!({})).await).await;
    let team = team.as_array().unwrap();
    assert!(!team.is_empty() && team.iter().all(|c| c["name"].is_string() && c["village_name"].is_string()));
    assert_eq!(team[0]["phone"], "13900000001", "doctor1's number");
}

#[tokio::test]
async fn answers_reach_the_township_and_views_count_in_the_indicator() {
    let app = spawn_app().await;
    let (d1, t1) = (app.login("doctor1").await, app.login("township1").await);
    let f = family(&app, &d1).await;
    let seen = visit_of(&app, &d1, &f.parent).await;
    let phone = activated(&app, &d1, &f.parent, PARENT_ID).await;
    let r = app
        .call(
            &phone,
            "confirm_entry",
            json!({"input": {"entity": "visit", "entry_id": seen, "answer": "disputed", "note": "医生没有来过"}}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let queue = body(app.call(&t1, "review_queue", json!({"filter": {}})).await).await;
    let line = queue.as_array().unwrap().iter().find(|r| r["entry_id"] == seen).expect("in the queue");
    assert_eq!(
        (line["resident_answer"].as_str(), line["resident_note"].as_str()),
        (Some("disputed"), Some("医生没有来过"))
    );
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let q = body(app.call(&t1, "quality_report", json!({"org_id": null, "period": month})).await).await;
    let disputed: Vec<&Value> =
        q["flags"].as_array().unwrap().iter().filter(|x| x["kind"] == "disputed_by_resident").collect();
    assert_eq!(disputed.len(), 1);
    assert_eq!(disputed[0]["visit_id"], json!(seen));

    // A view of the record moves the "record viewed" numerator of the village, township and county.
    let views = |r: &Value| -> i64 {
        r["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == "record_views")
            .map(|x| x["num"].as_i64().unwrap())
            .unwrap()
    };
    let c1 = app.login("county").await;
    let year = chrono::Local::now().format("%Y").to_string();
    let report = |c: Client, org: Option<String>| {
        let app = &app;
        let year = year.clone();
        async move { body(app.call(&c, "indicator_report", json!({"org_id": org, "period": year})).await).await }
    };
    let before = (views(&report(t1.clone(), Some(f.village.clone())).await), views(&report(c1.clone(), None).await));
    let today = chrono::Local::now().date_naive();
    let days =
        json!([today, today - chrono::Days::new(3), today + chrono::Days::new(1), today - chrono::Days::new(400)]);
    assert_eq!(app.call(&phone, "record_viewed", json!({"days": days})).await.status(), StatusCode::OK);
    assert_eq!(app.count("record_views").await, 2, "today and three days ago; the future and last year are ignored");
    let after = (views(&report(t1.clone(), Some(f.village.clone())).await), views(&report(c1.clone(), None).await));
    assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1), "one resident viewed, counted once");
    assert_eq!(app.call(&d1, "record_viewed", json!({"days": [today]})).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_residents_login_is_rate_limited_and_reactivation_ends_old_sessions() {
    let app = spawn_app().await;
    let d1 = app.login("doctor1").await;
    let f = family(&app, &d1).await;
    let first = activated(&app, &d1, &f.parent, PARENT_ID).await;
    assert_eq!(app.call(&first, "my_answers", json!({})).await.status(), StatusCode::OK);
    let guesser = app.client();
    for _ in 0..10 {
        let r = app.call(&guesser, "login", json!({"input": {"username": PARENT_ID, "password": "guess-guess"}})).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app.call(&app.client(), "login", json!({"input": {"username": PARENT_ID, "password": PASSWORD}})).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the right password is refused while locked");
    // A forgotten password: the doctor issues a new code; activating again ends the old phone's session.
    let _second = activated(&app, &d1, &f.parent, PARENT_ID).await;
    assert_eq!(app.call(&first, "my_answers", json!({})).await.status(), StatusCode::UNAUTHORIZED);
    let r = app.call(&app.client(), "record_viewed", json!({"days": vec!["2026-01-01"; 65]})).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}
