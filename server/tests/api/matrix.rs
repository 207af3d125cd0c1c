//! The authorization matrix: every server function and every plain route, called by every kind of user —
//! anonymous, a resident, the doctor of the village, a doctor of another township, the village's township
//! manager, another township's manager, the county administrator — on a resource of one village, with the
//! answer each must get. One table; a server function or route without a row fails the test, so none can be
//! added without deciding who may call it.

use crate::common::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Who calls, in the order of the expectation strings.
const ACTORS: [&str; 7] = ["anonymous", "resident", "doctor1", "doctor3", "township1", "township2", "county"];

/// The resources of the village in question (doctor1's first village, township1's).
struct Ctx {
    village: String,
    resident: String,
    visit: String,
    record: String,
    verification: String,
    photo: String,
    month: String,
    /// doctor2's account (township1's other doctor).
    doctor2: String,
}

type Body = fn(&Ctx, usize) -> Value;

/// One row: the route (a server function by name, or "METHOD /path" with `{…}` filled from `Ctx`), the body,
/// and per actor `A` (allowed: 2xx), `D` (denied: 401, 403 or 404), `P` (passed the checks of who may call:
/// any answer but 401/403, e.g. the 422 of deliberately invalid input).
struct Row {
    route: &'static str,
    body: Body,
    expect: &'static str,
}

fn none(_: &Ctx, _: usize) -> Value {
    json!({})
}

/// A new resident of the village for each call (a different ID number per actor).
fn new_resident(c: &Ctx, n: usize) -> Value {
    let base = format!("11010119700101{:03}", 101 + 2 * n);
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = base.bytes().zip(w).map(|(b, w)| (b - b'0') as u32 * w).sum();
    let id = format!("{base}{}", "10X98765432".as_bytes()[(s % 11) as usize] as char);
    json!({"input": resident_input(&c.village, &id)})
}

/// A grade of the village's resident (an orange pregnancy).
fn risk_grade(c: &Ctx, _: usize) -> Value {
    json!({"input": {
        "id": uuid::Uuid::now_v7(), "record_id": uuid::Uuid::now_v7(), "village_id": c.village,
        "resident_id": c.resident, "date": chrono::Local::now().date_naive(), "signature": null,
        "body": {"type": "risk_grade", "pregnancy_id": uuid::Uuid::now_v7(), "grade": {"level": "orange", "purple": false}, "reasons": "年龄41岁"},
    }})
}

const ROWS: &[Row] = &[
    // Reading one village's residents and entries: staff of the village, township and county.
    Row {
        route: "list_residents",
        body: |_, _| json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}}),
        expect: "DDAAAAA",
    },
    Row { route: "get_resident", body: |c, _| json!({"id": c.resident}), expect: "DDADADA" },
    Row { route: "resident_visits", body: |c, _| json!({"resident_id": c.resident}), expect: "DDADADA" },
    Row { route: "resident_records", body: |c, _| json!({"resident_id": c.resident}), expect: "DDADADA" },
    Row { route: "get_htn_visit", body: |c, _| json!({"id": c.visit}), expect: "DDADADA" },
    Row { route: "get_record", body: |c, _| json!({"record_id": c.record}), expect: "DDADADA" },
    Row {
        route: "chronic_form_context",
        body: |c, _| json!({"resident_id": c.resident, "disease": "hypertension"}),
        expect: "DDADADA",
    },
    Row { route: "village_tasks", body: |c, _| json!({"village_id": c.village}), expect: "DDADADA" },
    Row { route: "village_records", body: |_, _| json!({"kind": "contract"}), expect: "DDAAAAA" },
    // The new disease reports of the caller's villages, without patient data.
    Row { route: "report_alerts", body: none, expect: "DDAAAAA" },
    // The five-colour grade: the township's and county's (doctors screen, they do not grade). The grade here
    // names no real registration, so a caller in scope passes the checks of who may call and is refused by
    // the rules (422); another township is refused by scope.
    Row { route: "pregnancy_register", body: none, expect: "DDDDAAA" },
    Row { route: "grade_pregnancy", body: risk_grade, expect: "DDDDPDP" },
    Row { route: "list_households", body: |c, _| json!({"village_id": c.village}), expect: "DDADADA" },
    Row {
        route: "duplicate_residents",
        body: |c, _| json!({"village_id": c.village, "id": uuid::Uuid::now_v7(), "name": "张三", "birth_date": "1970-01-01"}),
        expect: "DDADADA",
    },
    Row { route: "my_villages", body: none, expect: "DDAAAAA" },
    Row { route: "linked_children", body: |c, _| json!({"parent_id": c.resident}), expect: "DDADADA" },
    // Writing: staff of the village.
    Row { route: "save_resident", body: new_resident, expect: "DDADADA" },
    Row { route: "record_htn_visit", body: |c, _| json!({"input": htn_input(&c.resident)}), expect: "DDADADA" },
    Row { route: "issue_activation", body: |c, _| json!({"resident_id": c.resident}), expect: "DDADADA" },
    Row {
        route: "link_child",
        body: |c, _| json!({"parent_id": c.resident, "child_id": c.resident, "linked": true}),
        expect: "DDPDPDP",
    },
    // The township's and county's work: reviewers of the village only, never doctors.
    Row { route: "review_queue", body: |c, _| json!({"filter": {"village_id": c.village}}), expect: "DDDDADA" },
    Row { route: "review_entry", body: |c, _| json!({"entity": "visit", "entry_id": c.visit}), expect: "DDDDADA" },
    Row {
        route: "review_set",
        body: |c, _| json!({"entity": "visit", "entry_id": c.visit, "revision_id": c.visit, "verdict": "reviewed", "comment": ""}),
        expect: "DDDDADA",
    },
    Row { route: "quality_report", body: |c, _| json!({"org_id": c.village, "period": c.month}), expect: "DDDDADA" },
    Row {
        route: "draw_sample",
        body: |c, _| json!({"org_id": c.village, "period": c.month, "size": 1}),
        expect: "DDDDADA",
    },
    Row {
        route: "record_call",
        body: |c, _| json!({"id": c.verification, "outcome": "confirmed", "note": ""}),
        expect: "DDDDADA",
    },
    Row { route: "list_conflicts", body: none, expect: "DDDDAAA" },
    // An unknown conflict: doctors are refused before it is looked for.
    Row { route: "resolve_conflict", body: |_, _| json!({"id": uuid::Uuid::now_v7().to_string()}), expect: "DDDDDDD" },
    Row { route: "indicator_report", body: |c, _| json!({"org_id": c.village, "period": c.month}), expect: "DDADADA" },
    Row { route: "publish_report", body: |c, _| json!({"org_id": c.village, "period": "2026-01"}), expect: "DDDDADA" },
    Row {
        route: "set_target",
        body: |_, _| json!({"year": 2026, "indicator": "record_views", "target": 40.0}),
        expect: "DDDDDDA",
    },
    // Accounts: the county administrator only (switching doctor2 on, which changes nothing).
    Row { route: "county_users", body: none, expect: "DDDDDDA" },
    Row { route: "set_user_active", body: |c, _| json!({"user_id": c.doctor2, "active": true}), expect: "DDDDDDA" },
    Row { route: "audit_log", body: |_, _| json!({"query": {}}), expect: "DDDDDDA" },
    // The phone's data key: accounts with a phone store keep their own; getting it back takes the password
    // (a wrong one here: 422 for every caller).
    Row {
        route: "escrow_device_key",
        body: |_, _| json!({"device_id": "matrix-device", "key": vec![1u8; 32]}),
        expect: "DAAADDD",
    },
    Row {
        route: "recover_device_key",
        body: |_, _| json!({"username": "doctor1", "password": "not-the-password", "device_id": "matrix-device"}),
        expect: "PPPPPPP",
    },
    // A resident's own account.
    Row { route: "care_team", body: none, expect: "DADDDDD" },
    Row { route: "my_answers", body: none, expect: "DADDDDD" },
    // Another resident's visit: even a resident gets "not found".
    Row {
        route: "confirm_entry",
        body: |c, _| json!({"input": {"entity": "visit", "entry_id": c.visit, "answer": "confirmed", "note": ""}}),
        expect: "DDDDDDD",
    },
    Row { route: "record_viewed", body: |_, _| json!({"days": []}), expect: "DADDDDD" },
    // Plain routes.
    Row { route: "GET /api/export/report.csv?org={village}&period={month}", body: none, expect: "DDADADA" },
    Row { route: "GET /api/export/review.csv?village={village}", body: none, expect: "DDDDADA" },
    Row { route: "GET /api/export/quality.csv?org={village}&period={month}", body: none, expect: "DDDDADA" },
    Row { route: "GET /api/export/sample.csv?org={village}&period={month}", body: none, expect: "DDDDADA" },
    Row { route: "GET /api/attachments/{photo}", body: none, expect: "DDADADA" },
    Row {
        route: "POST /api/sync/v1/pull",
        body: |_, _| json!({"protocol": 1, "cursor": 0, "limit": 5}),
        expect: "DAAAAAA",
    },
    Row {
        route: "POST /api/sync/v1/push",
        body: |_, _| json!({"protocol": 1, "device_id": "matrix", "entries": []}),
        expect: "DDAAAAA",
    },
    Row { route: "GET /health", body: none, expect: "AAAAAAA" },
    Row { route: "GET /sw.js", body: none, expect: "PPPPPPP" },
    // Public, and last: they change who the client is.
    Row { route: "me", body: none, expect: "AAAAAAA" },
    Row {
        route: "activate",
        body: |_, _| json!({"input": {"id_no": "11010119800101001X", "code": "12345678", "password": "long-enough-1"}}),
        expect: "PPPPPPP",
    },
    Row {
        route: "login",
        body: |_, _| json!({"input": {"username": "nobody", "password": "wrong-password"}}),
        expect: "PPPPPPP",
    },
    Row { route: "logout", body: none, expect: "AAAAAAA" },
];

/// The plain routes the router declares: every `.route("…"` in `server/src/http`.
fn plain_routes() -> Vec<String> {
    let mut out = Vec::new();
    for f in std::fs::read_dir("src/http").unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for part in text.split(".route(\"").skip(1) {
            out.push(part.split('"').next().unwrap().to_string());
        }
    }
    out
}

async fn setup(app: &TestApp) -> (Ctx, Vec<Client>) {
    let d1 = app.login("doctor1").await;
    let village = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let resident = app.first_resident(&d1).await["id"].as_str().unwrap().to_string();
    let v = htn_input(&resident);
    assert_eq!(app.call(&d1, "record_htn_visit", json!({"input": v})).await.status(), StatusCode::OK);
    let record: String =
        sqlx::query_scalar("SELECT record_id FROM records WHERE village_id = $1 AND is_current = 1 LIMIT 1")
            .bind(&village)
            .fetch_one(&app.store.pool)
            .await
            .unwrap();
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let t1 = app.login("township1").await;
    let r = app.call(&t1, "draw_sample", json!({"org_id": village, "period": month, "size": 1})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let q = body(app.call(&t1, "quality_report", json!({"org_id": village, "period": month})).await).await;
    let verification = q["sample"][0]["id"].as_str().unwrap().to_string();
    // A photo of that record.
    let photo = uuid::Uuid::now_v7().to_string();
    let attachment = json!({"id": photo, "record_id": record, "village_id": village, "kind": 3, "mime": "image/jpeg", "data": "/9j/4AAQSkZJRgABAQ=="});
    let push = json!({"protocol": 1, "device_id": "matrix", "entries": [
        {"id": uuid::Uuid::now_v7(), "created_at": 1_700_000_000, "kind": "attachment", "body": attachment}]});
    let r = d1.post(format!("{}/api/sync/v1/push", app.base)).json(&push).send().await.unwrap();
    assert_eq!(body(r).await["results"][0]["status"], "accepted");
    // The resident of the village with an account (not the one whose record is read).
    let id_no = "110101198001010010";
    let own = body(app.call(&d1, "save_resident", json!({"input": resident_input(&village, id_no)})).await).await;
    let code = body(app.call(&d1, "issue_activation", json!({"resident_id": own})).await).await["code"].clone();
    let phone = app.client();
    let r = app
        .call(&phone, "activate", json!({"input": {"id_no": id_no, "code": code, "password": "bao-ping-an-2026"}}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let clients = vec![
        app.client(),
        phone,
        d1,
        app.login("doctor3").await,
        t1,
        app.login("township2").await,
        app.login("county").await,
    ];
    let ctx = Ctx {
        village,
        resident,
        visit: v["visit_id"].as_str().unwrap().to_string(),
        record,
        verification,
        photo,
        month,
        doctor2: sqlx::query_scalar("SELECT id FROM users WHERE username = 'doctor2'")
            .fetch_one(&app.store.pool)
            .await
            .unwrap(),
    };
    (ctx, clients)
}

async fn send(app: &TestApp, c: &Client, route: &str, ctx: &Ctx, body: Value) -> StatusCode {
    let fill =
        |s: &str| s.replace("{village}", &ctx.village).replace("{month}", &ctx.month).replace("{photo}", &ctx.photo);
    let r = match route.split_once(' ') {
        Some((method, path)) => {
            let req = c.request(Method::from_bytes(method.as_bytes()).unwrap(), format!("{}{}", app.base, fill(path)));
            if method == "GET" {
                req
            } else {
                req.json(&body)
            }
        }
        None => c.post(format!("{}/api/{route}", app.base)).header("Accept", "application/json").json(&body),
    };
    r.send().await.unwrap().status()
}

#[tokio::test]
async fn every_route_answers_every_kind_of_user_as_the_table_says() {
    let app = spawn_app().await;
    let (ctx, clients) = setup(&app).await;
    let mut wrong = Vec::new();
    let mut seen = String::new();
    for row in ROWS {
        let mut line = String::new();
        for (i, c) in clients.iter().enumerate() {
            let status = send(&app, c, row.route, &ctx, (row.body)(&ctx, i)).await;
            let want = row.expect.as_bytes()[i];
            let allowed = status.is_success();
            let denied = matches!(status.as_u16(), 401 | 403 | 404);
            line.push(if allowed {
                'A'
            } else if denied {
                'D'
            } else {
                'x'
            });
            let ok = match want {
                b'A' => allowed,
                b'D' => denied,
                b'P' => !matches!(status.as_u16(), 401 | 403) && status.as_u16() < 500,
                _ => true,
            };
            if !ok || status.is_server_error() {
                wrong.push(format!("{} as {}: {status}, expected {}", row.route, ACTORS[i], want as char));
            }
        }
        seen.push_str(&format!("{:<60} {line}\n", row.route));
    }
    assert!(wrong.is_empty(), "{}\n\nactual:\n{seen}", wrong.join("\n"));

    // Every server function and every plain route has a row.
    let functions: BTreeSet<String> =
        leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.trim_start_matches("/api/").to_string()).collect();
    let rows: BTreeSet<String> = ROWS.iter().filter(|r| !r.route.contains(' ')).map(|r| r.route.to_string()).collect();
    let missing: Vec<&String> = functions.difference(&rows).collect();
    assert!(missing.is_empty(), "server functions without a row in the matrix: {missing:?}");
    let plain = plain_routes();
    assert!(plain.len() >= 6, "{plain:?}");
    for route in plain {
        let prefix = route.split('{').next().unwrap();
        assert!(
            ROWS.iter().any(|r| r.route.split_once(' ').is_some_and(|(_, p)| p.starts_with(prefix))),
            "the route {route} has no row in the matrix"
        );
    }
}
