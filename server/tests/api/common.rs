//! Test harness: the real router on 127.0.0.1:0 over a fresh database holding the demo county: a SQLite
//! file, or a PostgreSQL database when `CUNYI_TEST_POSTGRES` names a server (`.ci/test` runs the suite both
//! ways).
//!
//! The demo county is generated once per test binary into a template (a file, or a template database); each
//! test copies it, so tests stay independent without paying for the generation each time.

use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use server::config::Config;
use server::startup::Application;
use std::path::PathBuf;
use tokio::sync::OnceCell;

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
/// One `CREATE DATABASE … TEMPLATE` at a time: PostgreSQL refuses to copy a template another copy is reading.
static CREATING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The PostgreSQL server the suite runs against (`CUNYI_TEST_POSTGRES`, an administrative URL such as
/// `postgres://cunyi:cunyi@127.0.0.1:5432/postgres` of a role allowed to create databases); SQLite when unset.
fn postgres() -> Option<String> {
    std::env::var("CUNYI_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
}

pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join("cunyi-tests");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(format!("{name}-{}.db", uuid::Uuid::new_v4()))
}

/// The URL of database `name` on the server of the administrative URL `admin`.
fn pg_url(admin: &str, name: &str) -> String {
    format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
}

const PG_PREFIX: &str = "cunyi_test_";

/// The demo county, generated once per test binary: a SQLite file each test copies, or a PostgreSQL template
/// database each test clones. Returns the SQLite path or the template's name.
async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let url = match postgres() {
                Some(admin) => {
                    let pool = admin_pool(&admin).await;
                    // The databases of earlier runs go first, so they never pile up. One still open (an
                    // autovacuum worker may be) stays for the next run to drop.
                    let old: Vec<String> = sqlx::query_scalar(&format!(
                        "SELECT datname::text FROM pg_database WHERE datname LIKE '{PG_PREFIX}%'"
                    ))
                    .fetch_all(&pool)
                    .await
                    .unwrap();
                    for db in old {
                        let _ = sqlx::query(&format!("DROP DATABASE IF EXISTS {db}")).execute(&pool).await;
                    }
                    let name = format!("{PG_PREFIX}template_{}", uuid::Uuid::new_v4().simple());
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&pool).await.unwrap();
                    pool.close().await;
                    pg_url(&admin, &name)
                }
                None => {
                    let _ = std::fs::remove_dir_all(std::env::temp_dir().join("cunyi-tests"));
                    format!("sqlite://{}", scratch("template").display())
                }
            };
            let store = server::db::connect(&url).await.unwrap();
            server::seed::generate(&store, &server::seed::Spec::demo()).await.unwrap();
            if !store.postgres {
                // Checkpoint the WAL into the main file before it is copied.
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&store.pool).await.unwrap();
            }
            store.pool.close().await;
            url
        })
        .await
        .clone()
}

async fn admin_pool(admin: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::any::AnyPoolOptions::new().max_connections(1).connect(admin).await.unwrap()
}

/// A fresh database holding the demo county, for one test.
async fn fresh_database() -> String {
    let template = template().await;
    match postgres() {
        Some(admin) => {
            let name = format!("{PG_PREFIX}{}", uuid::Uuid::new_v4().simple());
            let _one = CREATING.lock().await;
            let pool = admin_pool(&admin).await;
            let from = template.rsplit_once('/').unwrap().1;
            sqlx::query(&format!("CREATE DATABASE {name} TEMPLATE {from}")).execute(&pool).await.unwrap();
            pool.close().await;
            pg_url(&admin, &name)
        }
        None => {
            let db = scratch("test");
            std::fs::copy(template.strip_prefix("sqlite://").unwrap(), &db).unwrap();
            format!("sqlite://{}", db.display())
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub store: server::db::SqlStore,
}

pub async fn spawn_app() -> TestApp {
    start(fresh_database().await).await
}

/// Two server instances on one fresh database, as behind a load balancer: they share nothing else.
pub async fn spawn_pair() -> (TestApp, TestApp) {
    let url = fresh_database().await;
    (start(url.clone()).await, start(url).await)
}

/// A server of a built site in `site` (its `/pkg` files, `hash.txt`, `sw.js`).
pub async fn spawn_app_with_site(site: &std::path::Path) -> TestApp {
    start_with(fresh_database().await, Some(site)).await
}

async fn start(database_url: String) -> TestApp {
    start_with(database_url, None).await
}

async fn start_with(database_url: String, site: Option<&std::path::Path>) -> TestApp {
    let mut config = Config::from_env().unwrap();
    if let Some(site) = site {
        config.leptos.site_root = site.to_string_lossy().as_ref().into();
        server::config::use_site_hashes(&mut config.leptos);
    }
    config.database_url = database_url;
    config.seed_demo = false;
    config.leptos.site_addr = "127.0.0.1:0".parse().unwrap();
    let app = Application::build(config).await.unwrap();
    let base = format!("http://127.0.0.1:{}", app.port());
    let store = app.store.clone();
    tokio::spawn(app.run_until_stopped());
    TestApp { base, store }
}

impl TestApp {
    /// A client with its own cookie jar (one browser).
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// Calls a server function with a JSON body.
    pub async fn call(&self, c: &Client, endpoint: &str, body: Value) -> Response {
        c.post(format!("{}/api/{endpoint}", self.base))
            .header("Accept", "application/json")
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Sends a raw body, for malformed input.
    pub async fn call_raw(&self, c: &Client, endpoint: &str, body: String) -> Response {
        c.post(format!("{}/api/{endpoint}", self.base))
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// A client logged in as `username`.
    pub async fn login(&self, username: &str) -> Client {
        let c = self.client();
        let r = self.call(&c, "login", json!({"input": {"username": username, "password": "cunyi-demo"}})).await;
        assert_eq!(r.status(), StatusCode::OK, "login {username}");
        c
    }

    /// The first resident on the user's list.
    pub async fn first_resident(&self, c: &Client) -> Value {
        let r = self
            .call(c, "list_residents", json!({"query": {"q": "", "flag": null, "village_id": null, "page": 0}}))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json::<Value>().await.unwrap()["rows"][0].clone()
    }

    pub async fn revisions_of(&self, resident_id: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM resident_revisions WHERE resident_id = $1")
            .bind(resident_id)
            .fetch_one(&self.store.pool)
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.store.pool).await.unwrap()
    }

    /// Service records written by the test (the demo county's own come from the device `seed`).
    pub async fn pushed_records(&self) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM records WHERE device_id <> 'seed'")
            .fetch_one(&self.store.pool)
            .await
            .unwrap()
    }
}

/// A complete valid resident form for doctor1's first village.
pub fn resident_input(village_id: &str, id_no: &str) -> Value {
    json!({
        "id": uuid::Uuid::now_v7(),
        "base_version": null,
        "village_id": village_id,
        "household_id": null,
        "relation": 1,
        "name": "测试居民",
        "id_no": id_no,
        "sex": null,
        "birth_date": null,
        "phone": "13800138000",
        "address": "一组1号",
        "residence_type": 1,
        "ethnicity": 1,
        "blood_abo": 5,
        "education": 7,
        "occupation": 4,
        "marital": 2,
        "payment": [2],
        "status": 1,
        "flags": ["HTN"],
        "device_id": "test-device"
    })
}

/// A complete valid hypertension visit for `resident_id`.
pub fn htn_input(resident_id: &str) -> Value {
    let id = uuid::Uuid::now_v7();
    let today = chrono::Local::now().date_naive();
    json!({
        "id": id, "visit_id": id, "supersedes": null, "resident_id": resident_id,
        "visit_date": today.to_string(), "outcome": 1, "lost_reason": "", "death_date": null, "death_cause": "",
        "mode": 2, "symptoms": [1], "symptoms_other": "", "urgent_signs": [],
        "sbp": 132, "dbp": 84, "height_cm": 165.0, "weight": 68.0, "target_weight": null, "heart_rate": 76,
        "other_signs": "", "smoking": 0, "smoking_target": null, "drinking": 0.0, "drinking_target": null,
        "exercise_times": null, "exercise_minutes": null, "exercise_times_target": null, "exercise_minutes_target": null,
        "salt": 2, "salt_target": null, "psych": 1, "compliance": 1, "fbg": null, "aux_exam": "",
        "adherence": 1, "adr": 1, "adr_text": "", "classification": 1,
        "meds": [{"name": "氨氯地平", "times_per_day": 1, "dose": "5mg"}], "med_adjust": [], "referral": null,
        "next_mgmt": 1, "next_visit_date": (today + chrono::Months::new(3)).to_string(), "device_id": "test-device"
    })
}

/// A complete valid type-2 diabetes visit for `resident_id`: the hypertension fields they share, without
/// heart rate and salt, with the diabetes ones.
pub fn dm_input(resident_id: &str) -> Value {
    let mut v = htn_input(resident_id);
    let today = chrono::Local::now().date_naive();
    let o = v.as_object_mut().unwrap();
    o.insert("disease".into(), json!("diabetes"));
    o.insert("heart_rate".into(), Value::Null);
    o.insert("salt".into(), Value::Null);
    o.insert("fbg".into(), json!(6.4));
    o.insert("dorsalis_pedis".into(), json!(1));
    o.insert("hypoglycemia".into(), json!(1));
    o.insert("staple".into(), json!(300));
    o.insert("hba1c".into(), json!(6.8));
    o.insert("hba1c_date".into(), json!(today.to_string()));
    o.insert("insulin".into(), json!([{"kind": "甘精胰岛素", "usage": "睡前皮下注射10单位"}]));
    o.insert("meds".into(), json!([{"name": "二甲双胍", "times_per_day": 2, "dose": "0.5g"}]));
    v
}

pub async fn body(r: Response) -> Value {
    r.json::<Value>().await.unwrap_or(Value::Null)
}
