//! `server bench-dashboard --db PATH`: the township and county dashboards and the month's xlsx export over a
//! seeded county (`server seed --scale 200000 --years 12`: ~2.2 million entries), timed as server time (the
//! function a request runs, without the network). Not a test: the figures go to stdout for
//! docs/performance.md.
//!
//! Cold is the first request of a fresh process (and, where the kernel lets us, an empty page cache); warm is
//! the median of the repeats after it. The rollups are what the background refresher keeps; `--rebuild`
//! first drops them and times their full recomputation.

use anyhow::Context;
use app::indicator::api::{refresh, report_for};
use app::store::Store;
use std::time::{Duration, Instant};

pub async fn run(db: &str, repeat: usize, rebuild: bool) -> anyhow::Result<()> {
    let dropped = std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok();
    let mut store = crate::db::connect(&format!("sqlite://{db}")).await?;
    let now = chrono::Utc::now().timestamp();
    let count = |t: &'static str| {
        let pool = store.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(&pool).await }
    };
    let (residents, visits, records, villages) =
        (count("residents").await?, count("visits").await?, count("records").await?, count("org_units").await?);
    println!("| scope | {residents} residents, {visits} follow-up revisions + {records} service records = {} entries, {villages} org units |", visits + records);
    println!(
        "| page cache dropped before each cold run | {} |",
        if dropped { "yes" } else { "no (not permitted here)" }
    );
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if rebuild {
        sqlx::query("DELETE FROM rollups").execute(&store.pool).await?;
        let t = Instant::now();
        let n = refresh(&store, now).await?;
        println!(
            "| full rollup rebuild (every village, township and the county; this year's {n} unit-periods) | {:.1} s |",
            t.elapsed().as_secs_f64()
        );
    }
    let (_, township) = store.login("township1", crate::seed::DEMO_PASSWORD, now).await?.context("township1")?;
    let (_, county) = store.login("county", crate::seed::DEMO_PASSWORD, now).await?.context("county")?;
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let time = |store: &crate::db::SqlStore, user: &app::auth::SessionUser, xlsx: bool| {
        let (store, user, month) = (store.clone(), user.clone(), month.clone());
        async move {
            let t = Instant::now();
            let r = report_for(&store, &user, None, &month, now).await?;
            let bytes =
                if xlsx { crate::http::export::xlsx(&app::indicator::table::report_sheets(&r))?.len() } else { 0 };
            anyhow::Ok((t.elapsed(), r.children.len(), bytes))
        }
    };
    let mut rows = Vec::new();
    let drop_caches = || std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok();
    for (name, user, xlsx) in [
        ("township dashboard (15 villages, this month + the year's months)", township.clone(), false),
        ("county dashboard (all townships, this month + the year's months)", county.clone(), false),
        ("county month report as xlsx (report + workbook)", county.clone(), true),
    ] {
        // Cold: the database file out of the page cache, and a connection pool that has not read it.
        store.pool.close().await;
        drop_caches();
        store = crate::db::connect(&format!("sqlite://{db}")).await?;
        let (cold, children, bytes) = time(&store, &user, xlsx).await?;
        let mut warm = Vec::new();
        for _ in 0..repeat {
            warm.push(time(&store, &user, xlsx).await?.0);
        }
        warm.sort();
        let size = if xlsx { format!(", {bytes} bytes") } else { String::new() };
        rows.push(format!(
            "| {name}: {children} children{size} | cold {:.0} ms, warm {:.1} ms (median of {repeat}; max {:.1}) |",
            ms(cold),
            ms(warm[warm.len() / 2]),
            ms(*warm.last().unwrap_or(&cold))
        ));
    }
    // One village syncs a follow-up: the next dashboards recompute that village and the sums above it.
    let village = township.villages.first().context("a village")?.id.clone();
    let seq = store.max_change_seq().await?;
    sqlx::query("INSERT INTO changes (village_id, entity, entity_id, at) VALUES ($1, 'resident', $2, $3)")
        .bind(&village)
        .bind(uuid::Uuid::nil().to_string())
        .bind(now)
        .execute(&store.pool)
        .await?;
    let (t1, _, _) = time(&store, &township, false).await?;
    let (c1, _, _) = time(&store, &county, false).await?;
    rows.push(format!(
        "| after one village's sync (change seq {seq} → {}): township dashboard | {:.0} ms; county dashboard next {:.0} ms |",
        seq + 1,
        ms(t1),
        ms(c1)
    ));
    sqlx::query("DELETE FROM changes WHERE entity_id = $1")
        .bind(uuid::Uuid::nil().to_string())
        .execute(&store.pool)
        .await?;
    for r in rows {
        println!("{r}");
    }
    store.pool.close().await;
    Ok(())
}
