//! Exports: the report as xlsx and CSV with the screen's numbers, the review list, and who may download what.

use crate::common::*;
use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};

async fn get(app: &TestApp, c: &Client, path: &str) -> reqwest::Response {
    c.get(format!("{}/api/export/{path}", app.base)).send().await.unwrap()
}

fn cell(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn the_month_s_workbook_holds_the_numbers_on_the_screen() {
    let app = spawn_app().await;
    let t1 = app.login("township1").await;
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let screen = body(app.call(&t1, "indicator_report", json!({"org_id": null, "period": month})).await).await;
    let org = screen["node"]["id"].as_str().unwrap();

    let r = get(&app, &t1, &format!("report.xlsx?org={org}&period={month}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(r.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("汇总").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(cell).collect()).collect();
    assert_eq!(rows[0], ["指标", "分子", "分母", "率(%)", "目标(%)", "是否达标"]);
    let on_screen = screen["rows"].as_array().unwrap();
    assert_eq!(rows.len() - 1, on_screen.len());
    for (line, r) in rows[1..].iter().zip(on_screen) {
        assert_eq!(line[0], r["zh"].as_str().unwrap());
        assert_eq!(line[1], r["num"].to_string());
        assert_eq!(line[2], r["den"].as_u64().map(|d| d.to_string()).unwrap_or_default(), "{}", line[0]);
    }
    let by_village = book.worksheet_range("分单位").unwrap();
    let lines: usize = screen["children"].as_array().unwrap().iter().map(|c| c["rows"].as_array().unwrap().len()).sum();
    assert_eq!(by_village.rows().count() - 1, lines, "every indicator of each village");

    let csv = get(&app, &t1, &format!("report.csv?org={org}&period={month}")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let text = csv.text().await.unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    let cov = on_screen.iter().find(|r| r["code"] == "record_coverage").unwrap();
    let line = format!("{},健康档案建档率,{},{}", screen["node"]["name"].as_str().unwrap(), cov["num"], cov["den"]);
    assert!(text.contains(&line), "{line} in {text:.300}");
}

#[tokio::test]
async fn exports_follow_the_same_scope_as_the_screens() {
    let app = spawn_app().await;
    let (t1, t2, d1) = (app.login("township1").await, app.login("township2").await, app.login("doctor1").await);
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let t1_report = body(app.call(&t1, "indicator_report", json!({"org_id": null, "period": month})).await).await;
    let org: &Value = &t1_report["node"]["id"];
    let org = org.as_str().unwrap();
    let village = t1_report["children"][0]["org"]["id"].as_str().unwrap();
    for (who, path, status) in [
        (&t2, format!("report.xlsx?org={org}&period={month}"), StatusCode::FORBIDDEN),
        (&t2, format!("report.csv?org={village}&period={month}"), StatusCode::FORBIDDEN),
        (&d1, format!("report.xlsx?org={org}&period={month}"), StatusCode::FORBIDDEN),
        (&d1, format!("report.xlsx?org={village}&period={month}"), StatusCode::OK),
        (&d1, "review.xlsx".to_string(), StatusCode::FORBIDDEN),
        (&t2, format!("review.csv?village={village}"), StatusCode::FORBIDDEN),
        (&t1, format!("review.csv?village={village}&state=all"), StatusCode::OK),
        (&t1, "report.xlsx?period=2026-13".to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        (&t1, "review.xlsx?from=yesterday".to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        (&t1, "secrets.xlsx".to_string(), StatusCode::NOT_FOUND),
        (&t1, format!("report.pdf?period={month}"), StatusCode::NOT_FOUND),
        (&app.client(), format!("report.xlsx?period={month}"), StatusCode::UNAUTHORIZED),
    ] {
        assert_eq!(get(&app, who, &path).await.status(), status, "{path}");
    }
    // The review list names the doctor's entries of the village.
    let text = get(&app, &t1, &format!("review.csv?village={village}&state=all")).await.text().await.unwrap();
    assert!(text.contains("服务日期,居民,村,医生,类别,版本,审核状态,居民签字,居民确认,审核意见"));
    assert!(text.lines().count() > 2, "{text:.300}");
}
