//! The connection pool's options: each SQLite connection's settings, and a guard that keeps a connection
//! whose transaction count went wrong from ever writing again.
//!
//! sqlx counts the transactions it opened on each connection and, when the count is not zero, opens a
//! SAVEPOINT instead of a transaction and "commits" by releasing it. Some SQLite errors, a full disk
//! (`SQLITE_FULL`) first of all, roll the whole transaction back by themselves; sqlx's own ROLLBACK then
//! fails ("no transaction is active") and its count stays at one. The connection's next transaction was
//! therefore a SAVEPOINT outside any transaction, and once one of those failed too, `ROLLBACK TO` left it
//! open for good: every later write on that connection was answered as committed, was seen by nobody else,
//! held the write lock (the others got "database is locked") and vanished with the process. The disk-full
//! run (`server load-disk-full`, docs/reliability.md) lost 9,640 acknowledged follow-ups this way. So an
//! idle connection that sqlx believes to be inside a transaction is closed (which rolls back whatever it
//! holds) instead of being handed out.

use sqlx::any::AnyPoolOptions;
use sqlx::{Connection, Executor};

pub fn options(is_sqlite: bool) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(if is_sqlite { 8 } else { 16 })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if is_sqlite {
                    // WAL lets readers proceed during a write. NORMAL sync is safe with WAL: a commit is in
                    // the WAL file when COMMIT returns, so a killed process (SIGKILL) loses nothing
                    // acknowledged; only a power cut or OS crash can lose the last commits, never corrupt
                    // the file. The WAL is checkpointed by `checkpoint_in_background` in a served process;
                    // the automatic checkpoint is only the ceiling (64 MB) for when nothing else runs it.
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;
                         PRAGMA busy_timeout = 5000; PRAGMA wal_autocheckpoint = 16384;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        // The queued rollback of a dropped transaction has run by now (the pool pings a connection when it
        // comes back), so a count above zero here is one that no longer matches the database.
        .before_acquire(|conn, _| {
            Box::pin(async move {
                if conn.is_in_transaction() {
                    tracing::warn!("closing a database connection whose transaction count went wrong");
                    return Ok(false);
                }
                Ok(true)
            })
        })
}

#[cfg(test)]
mod tests {
    use sqlx::{AnyPool, Row};

    /// A trigger's `RAISE(ROLLBACK)` ends the transaction inside SQLite the way a full disk does.
    #[tokio::test]
    async fn a_transaction_that_sqlite_rolled_back_itself_does_not_swallow_later_commits() {
        sqlx::any::install_default_drivers();
        let dir = std::env::temp_dir().join(format!("cunyi-pool-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.join("t.db").display());
        // One connection, so every transaction below runs on the one that went wrong.
        let pool = super::options(true).max_connections(1).connect(&url).await.unwrap();
        sqlx::raw_sql(
            "CREATE TABLE t (x TEXT NOT NULL UNIQUE);
             CREATE TRIGGER t_full BEFORE INSERT ON t WHEN NEW.x = 'full' BEGIN SELECT RAISE(ROLLBACK, 'full'); END;",
        )
        .execute(&pool)
        .await
        .unwrap();
        let insert = |x: &'static str| sqlx::query("INSERT INTO t (x) VALUES ($1)").bind(x);

        // Rolled back by SQLite itself, then dropped: sqlx's ROLLBACK fails.
        let mut tx = pool.begin().await.unwrap();
        insert("a").execute(&mut *tx).await.unwrap();
        assert!(insert("full").execute(&mut *tx).await.is_err());
        drop(tx);
        // An ordinary failure: a duplicate, rolled back.
        let mut tx = pool.begin().await.unwrap();
        insert("b").execute(&mut *tx).await.unwrap();
        assert!(insert("b").execute(&mut *tx).await.is_err());
        drop(tx);
        // A write that commits must be there for everybody.
        let mut tx = pool.begin().await.unwrap();
        insert("c").execute(&mut *tx).await.unwrap();
        tx.commit().await.unwrap();

        let other = AnyPool::connect(&url).await.unwrap();
        let rows: Vec<String> = sqlx::query("SELECT x FROM t ORDER BY x")
            .fetch_all(&other)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("x"))
            .collect();
        assert_eq!(rows, vec!["c".to_string()]);
        other.close().await;
        pool.close().await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}
