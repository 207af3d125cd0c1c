//! Stateless instances: two servers on one database (PostgreSQL in the PostgreSQL run), one doctor syncing
//! through them alternately, every push also retried on the other instance (a load balancer's retry): the
//! session, the change log and the rollups live in the database, so nothing is lost or stored twice and both
//! report the same figures.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};

fn entry(kind: &str, body: Value) -> Value {
    json!({"id": uuid::Uuid::now_v7(), "created_at": 1_700_000_000, "kind": kind, "body": body})
}

/// A valid ID number (GB 11643 check digit) for a man born on 1960-01-01 with sequence `n`.
fn id_no(n: u32) -> String {
    let body = format!("11010119600101{:03}", n * 2 + 1);
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let s: u32 = body.bytes().zip(w).map(|(b, w)| (b - b'0') as u32 * w).sum();
    format!("{body}{}", "10X98765432".as_bytes()[(s % 11) as usize] as char)
}

fn registry(report: &Value) -> u64 {
    report["rows"].as_array().unwrap().iter().find(|r| r["code"] == "htn_registry").unwrap()["num"].as_u64().unwrap()
}

#[tokio::test]
async fn one_doctor_syncing_through_two_instances_loses_and_doubles_nothing() {
    let (a, b) = spawn_pair().await;
    // One login; the session is in the database, so the other instance knows it (cookies ignore the port).
    let d1 = a.login("doctor1").await;
    let t1 = a.login("township1").await;
    let village = body(b.call(&d1, "my_villages", json!({})).await).await[0]["id"].as_str().unwrap().to_string();
    let year = chrono::Local::now().format("%Y").to_string();
    let org = json!({"org_id": village, "period": year});
    let before = registry(&body(a.call(&t1, "indicator_report", org.clone()).await).await);
    let visits_before = a.count("visits").await;

    let (mut cursor_seen, mut pulled) = (0i64, HashMap::<String, usize>::new());
    let (_, start, _) = a.pull_all(&d1, 0, 2000).await;
    cursor_seen = cursor_seen.max(start);
    let mut pushed_visits = HashSet::new();
    for round in 0..12u32 {
        let (this, other) = if round % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let resident = resident_input(&village, &id_no(round));
        let rid = resident["id"].as_str().unwrap().to_string();
        let visit = htn_input(&rid);
        pushed_visits.insert(visit["visit_id"].as_str().unwrap().to_string());
        let batch = json!({"protocol": 1, "device_id": "phone-1",
            "entries": [entry("resident", resident), entry("htn_visit", visit)]});
        let first = body(this.sync(&d1, "push", batch.clone()).await).await;
        assert!(first["results"].as_array().unwrap().iter().all(|r| r["status"] == "accepted"), "{first}");
        // The answer was lost; the phone sends the same batch again, and the balancer picks the other one.
        let again = body(other.sync(&d1, "push", batch).await).await;
        assert!(again["results"].as_array().unwrap().iter().all(|r| r["status"] == "duplicate"), "{again}");
        // Pull through the other instance from the cursor the phone holds.
        let (changes, next, _) = other.pull_all(&d1, cursor_seen, 3).await;
        cursor_seen = next;
        for c in changes.iter().filter(|c| c["kind"] == "visit") {
            *pulled.entry(c["summary"]["visit_id"].as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    assert_eq!(a.count("visits").await - visits_before, 12, "each visit stored once");
    assert_eq!(pulled.keys().cloned().collect::<HashSet<_>>(), pushed_visits, "every visit reached the phone");
    assert!(pulled.values().all(|n| *n == 1), "and once: {pulled:?}");
    // Both instances report the same figures, twelve patients more.
    let ra = registry(&body(a.call(&t1, "indicator_report", org.clone()).await).await);
    let rb = registry(&body(b.call(&t1, "indicator_report", org).await).await);
    assert_eq!((ra, rb), (before + 12, before + 12));
}
