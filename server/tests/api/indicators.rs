//! The indicator reports of the township and county views: sums that add up, scope per endpoint, freshness
//! after a sync, published months that stay frozen, and county targets.

use crate::common::*;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn report(app: &TestApp, c: &Client, org: Option<&str>, period: &str) -> reqwest::Response {
    app.call(c, "indicator_report", json!({"org_id": org, "period": period})).await
}

fn this_month() -> String {
    chrono::Local::now().format("%Y-%m").to_string()
}

fn row<'a>(rows: &'a Value, code: &str) -> &'a Value {
    rows.as_array().unwrap().iter().find(|r| r["code"] == code).unwrap_or_else(|| panic!("{code} in {rows}"))
}

fn num(rows: &Value, code: &str) -> u64 {
    row(rows, code)["num"].as_u64().unwrap()
}

#[tokio::test]
async fn a_township_report_is_the_sum_of_its_villages() {
    let app = spawn_app().await;
    let t1 = app.login("township1").await;
    let year = chrono::Local::now().format("%Y").to_string();
    let r = report(&app, &t1, None, &year).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rep = body(r).await;
    assert_eq!(rep["node"]["level"], "township");
    assert_eq!(rep["period"], year.as_str());
    let children = rep["children"].as_array().unwrap();
    assert_eq!(children.len(), 4, "the demo township has four villages");
    for code in ["record_coverage", "htn_registry", "htn_standard", "dm_control", "elderly_management", "card_rate"] {
        let total = row(&rep["rows"], code);
        let sum = |f: &str| children.iter().map(|c| row(&c["rows"], code)[f].as_u64().unwrap_or(0)).sum::<u64>();
        assert_eq!(total["num"].as_u64().unwrap(), sum("num"), "{code} numerator");
        assert_eq!(total["den"].as_u64().unwrap(), sum("den"), "{code} denominator");
    }
    // The demo county's villages have hypertensive patients followed up this year and a configured population
    // larger than the records kept.
    let htn = row(&rep["rows"], "htn_registry");
    assert!(htn["num"].as_u64().unwrap() > 0 && htn["num"].as_u64() <= htn["den"].as_u64(), "{htn}");
    let cov = row(&rep["rows"], "record_coverage");
    assert!(cov["den"].as_u64().unwrap() > cov["num"].as_u64().unwrap(), "{cov}");
    assert_eq!(cov["target"], 62.0);
    // One trend point per month of the year so far.
    let months = chrono::Local::now().format("%m").to_string().parse::<usize>().unwrap();
    assert_eq!(rep["trend"].as_array().unwrap().len(), months);
}

/// The later services of the program (issue 10) in the demo county: each code adds up over the villages,
/// and there is something to count — babies visited, children and mothers followed, TCM, disease reports.
#[tokio::test]
async fn the_demo_county_has_figures_for_the_mothers_children_tcm_and_reports() {
    use chrono::Datelike;
    let app = spawn_app().await;
    let county = app.login("county").await;
    let year = chrono::Local::now().format("%Y").to_string();
    let rep = body(report(&app, &county, None, &year).await).await;
    let children = rep["children"].as_array().unwrap();
    let codes = [
        "newborn_visit",
        "child_management",
        "early_registration",
        "postpartum_visit",
        "tcm_elderly",
        "tcm_child",
        "idr_rate",
        "idr_timely",
        "sup_rate",
    ];
    for code in codes {
        let total = row(&rep["rows"], code);
        let sum = |f: &str| children.iter().map(|c| row(&c["rows"], code)[f].as_u64().unwrap_or(0)).sum::<u64>();
        assert_eq!(total["num"].as_u64().unwrap(), sum("num"), "{code} numerator");
        assert_eq!(total["den"].as_u64().unwrap(), sum("den"), "{code} denominator");
        assert!(total["num"].as_u64() <= total["den"].as_u64(), "{code}: {total}");
    }
    // The demo's dates reach back a year (babies, checks) or two months (reports): in the first weeks of a
    // year this year's figures are still thin, so they are asked for from mid-March on.
    if chrono::Local::now().ordinal() > 75 {
        for code in ["newborn_visit", "child_management", "postpartum_visit", "tcm_elderly", "tcm_child", "idr_rate"] {
            let r = row(&rep["rows"], code);
            assert!(r["num"].as_u64().unwrap() > 0, "{code}: {r}");
        }
        let timely = row(&rep["rows"], "idr_timely");
        assert!(timely["num"].as_u64().unwrap() > 0, "most demo reports arrive within hours: {timely}");
    }
}

#[tokio::test]
async fn each_level_sees_its_own_part_of_the_hierarchy_only() {
    let app = spawn_app().await;
    let (county, t1, t2, d1) = (
        app.login("county").await,
        app.login("township1").await,
        app.login("township2").await,
        app.login("doctor1").await,
    );
    let month = this_month();
    let c = body(report(&app, &county, None, &month).await).await;
    assert_eq!(c["node"]["level"], "county");
    let townships: Vec<String> =
        c["children"].as_array().unwrap().iter().map(|t| t["org"]["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(townships.len(), 3);
    let county_id = c["node"]["id"].as_str().unwrap().to_string();
    let own = body(report(&app, &t1, None, &month).await).await;
    assert_eq!(own["node"]["id"], townships[0].as_str());
    let village_of_t2 =
        body(report(&app, &t2, None, &month).await).await["children"][0]["org"]["id"].as_str().unwrap().to_string();
    let village_of_t1 = own["children"][0]["org"]["id"].as_str().unwrap().to_string();

    for (who, org, status) in [
        (&county, county_id.as_str(), StatusCode::OK),
        (&county, townships[1].as_str(), StatusCode::OK),
        (&county, village_of_t2.as_str(), StatusCode::OK),
        (&t1, townships[0].as_str(), StatusCode::OK),
        (&t1, village_of_t1.as_str(), StatusCode::OK),
        (&t1, county_id.as_str(), StatusCode::FORBIDDEN),
        (&t1, townships[1].as_str(), StatusCode::FORBIDDEN),
        (&t1, village_of_t2.as_str(), StatusCode::FORBIDDEN),
        (&d1, village_of_t1.as_str(), StatusCode::OK),
        (&d1, townships[0].as_str(), StatusCode::FORBIDDEN),
        (&d1, village_of_t2.as_str(), StatusCode::FORBIDDEN),
        (&county, "no-such-unit", StatusCode::NOT_FOUND),
    ] {
        assert_eq!(report(&app, who, Some(org), &month).await.status(), status, "{org}");
    }
    // A township drilled down from the county names the path from the county.
    let t = body(report(&app, &county, Some(&townships[0]), &month).await).await;
    assert_eq!(t["path"].as_array().unwrap().len(), 2);
    // A village report lists its doctors' work (the step before the entries).
    let v = body(report(&app, &t1, Some(&village_of_t1), &month).await).await;
    assert!(v["doctors"].as_array().unwrap().iter().any(|d| d["name"].as_str().is_some()), "{}", v["doctors"]);

    assert_eq!(report(&app, &app.client(), None, &month).await.status(), StatusCode::UNAUTHORIZED);
    for bad in ["2026-13", "", "last month", "2026-02-01~2025-01-01"] {
        let r = report(&app, &t1, None, bad).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(body(r).await.to_string().contains("统计期"));
    }
}

#[tokio::test]
async fn a_new_follow_up_changes_the_village_township_and_county_at_once() {
    let app = spawn_app().await;
    let (county, t1, d1) = (app.login("county").await, app.login("township1").await, app.login("doctor1").await);
    let month = this_month();
    let before_t = body(report(&app, &t1, None, &month).await).await;
    let before_c = body(report(&app, &county, None, &month).await).await;
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let id =
        body(app.call(&d1, "save_resident", json!({"input": resident_input(&v1, "110101198001010010")})).await).await;
    let r = app.call(&d1, "record_htn_visit", json!({"input": htn_input(id.as_str().unwrap())})).await;
    assert_eq!(r.status(), StatusCode::OK);

    let after_t = body(report(&app, &t1, None, &month).await).await;
    let after_c = body(report(&app, &county, None, &month).await).await;
    for (before, after) in [(&before_t, &after_t), (&before_c, &after_c)] {
        assert_eq!(num(&after["rows"], "record_coverage"), num(&before["rows"], "record_coverage") + 1);
        assert_eq!(num(&after["rows"], "htn_registry"), num(&before["rows"], "htn_registry") + 1);
        assert_eq!(
            row(&after["rows"], "htn_registry")["den"],
            row(&before["rows"], "htn_registry")["den"].as_u64().unwrap() + 1
        );
    }
    // The county's first township is doctor1's: its line moved by one too.
    assert_eq!(
        num(&after_c["children"][0]["rows"], "htn_registry"),
        num(&before_c["children"][0]["rows"], "htn_registry") + 1
    );
}

#[tokio::test]
async fn a_published_month_stays_as_sent_and_shows_what_changed_since() {
    let app = spawn_app().await;
    let (t1, d1) = (app.login("township1").await, app.login("doctor1").await);
    let today = chrono::Local::now().date_naive();
    let last = today.checked_sub_months(chrono::Months::new(1)).unwrap();
    let period = last.format("%Y-%m").to_string();
    let rep = body(report(&app, &t1, None, &period).await).await;
    assert!(rep["published"].is_null());
    assert_eq!(rep["can_publish"], true);
    let township = rep["node"]["id"].as_str().unwrap().to_string();

    // Doctors do not publish; this month is not over.
    let publish = |c: &Client, period: String| {
        let (c, body) = (c.clone(), json!({"org_id": township, "period": period}));
        let app = &app;
        async move { app.call(&c, "publish_report", body).await }
    };
    assert_eq!(publish(&d1, period.clone()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(publish(&t1, this_month()).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = publish(&t1, period.clone()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await, 4, "four villages frozen");
    assert_eq!(body(publish(&t1, period.clone()).await).await, 0, "published once");

    // A follow-up of last month synced late, for a hypertensive patient of doctor1's not seen that month.
    let v1 = body(app.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let start = chrono::Datelike::with_day(&last, 1).unwrap();
    let end = start.checked_add_months(chrono::Months::new(1)).unwrap().pred_opt().unwrap();
    let patient: String = sqlx::query_scalar(
        "SELECT r.id FROM residents r JOIN resident_flags f ON f.resident_id = r.id AND f.flag = 'HTN'
         WHERE r.village_id = $1 AND r.status = 1 AND f.since < $2 AND NOT EXISTS (SELECT 1 FROM visits v
           WHERE v.resident_id = r.id AND v.kind = 'htn' AND ((v.visit_date >= $2 AND v.visit_date <= $3) OR v.outcome = 3))
         ORDER BY r.id LIMIT 1",
    )
    .bind(&v1)
    .bind(start.to_string())
    .bind(end.to_string())
    .fetch_one(&app.store.pool)
    .await
    .unwrap();
    let mut visit = htn_input(&patient);
    visit["visit_date"] = json!(end.to_string());
    visit["next_visit_date"] = json!(end.checked_add_months(chrono::Months::new(3)).unwrap().to_string());
    let r = app.call(&d1, "record_htn_visit", json!({"input": visit})).await;
    assert_eq!(r.status(), StatusCode::OK, "{}", body(r).await);

    let rep = body(report(&app, &t1, None, &period).await).await;
    let published = &rep["published"]["rows"];
    assert_eq!(rep["can_publish"], false);
    assert_eq!(num(&rep["rows"], "htn_registry"), num(published, "htn_registry") + 1, "live figure moved");
    assert_eq!(rep["published"]["by"].as_str().map(|s| !s.is_empty()), Some(true));
}

#[tokio::test]
async fn the_county_sets_its_targets() {
    let app = spawn_app().await;
    let (county, t1) = (app.login("county").await, app.login("township1").await);
    let year: i32 = chrono::Local::now().format("%Y").to_string().parse().unwrap();
    let set = |c: &Client, target: Value| {
        let (c, body) = (c.clone(), json!({"year": year, "indicator": "elderly_management", "target": target}));
        let app = &app;
        async move { app.call(&c, "set_target", body).await }
    };
    assert_eq!(set(&t1, json!(67.0)).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(set(&county, json!(167.0)).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.call(&county, "set_target", json!({"year": year, "indicator": "no_such", "target": 5.0})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(set(&county, json!(67.0)).await.status(), StatusCode::OK);
    let rep = body(report(&app, &t1, None, &year.to_string()).await).await;
    assert_eq!(row(&rep["rows"], "elderly_management")["target"], 67.0);
    assert_eq!(set(&county, Value::Null).await.status(), StatusCode::OK);
    let rep = body(report(&app, &t1, None, &year.to_string()).await).await;
    assert!(row(&rep["rows"], "elderly_management")["target"].is_null());
}
