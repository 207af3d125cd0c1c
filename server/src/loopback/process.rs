//! The server as a child process (`current_exe() serve`) on a loopback port, so its memory is measured apart
//! from the client's and it can be killed outright (SIGKILL) and started again on the same port. Dropping a
//! `ServerProcess` kills it: an early return never leaves a server behind.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a (re)started server may take to answer `/health`.
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A process's resident memory (`VmRSS`) or its peak (`VmHWM`) in MB, from /proc; 0 when it is gone.
pub fn mem_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with(field)).map(|l| l.to_string()))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<f64>().ok()))
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

/// CPU time (user + system) a process has used so far, in seconds, from /proc ("self" for this one); 0 when
/// it is gone. /proc counts in USER_HZ ticks, 100 a second on Linux.
pub fn cpu_seconds(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The fields after the command name (which may hold spaces), from the state on: utime and stime are
    // the 12th and 13th.
    let fields: Vec<&str> =
        stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    let tick = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

/// A port free at the moment of asking (the listener is closed again at once).
pub fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

pub struct ServerProcess {
    child: Child,
    database_url: String,
    port: u16,
    /// The server's stdout and stderr, appended to across restarts; None inherits the terminal.
    log: Option<PathBuf>,
}

impl ServerProcess {
    /// Starts `serve` on `database_url` and waits until it answers.
    pub async fn start(database_url: &str, port: u16, log: Option<&Path>) -> anyhow::Result<ServerProcess> {
        let child = spawn(database_url, port, log)?;
        let mut s = ServerProcess { child, database_url: database_url.into(), port, log: log.map(Path::to_path_buf) };
        s.wait_ready().await?;
        Ok(s)
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The process ended by itself (a crash): its status.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGKILL (what `Child::kill` sends on Unix) and reaps it, so the port and the files are free after.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same port and database once the old process is gone; waits until it
    /// answers.
    pub async fn restart(&mut self) -> anyhow::Result<()> {
        self.kill();
        self.child = spawn(&self.database_url, self.port, self.log.as_deref())?;
        self.wait_ready().await
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let probe = reqwest::Client::builder().timeout(Duration::from_secs(2)).build()?;
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Some(status) = self.exited() {
                anyhow::bail!("the server exited while starting: {status}");
            }
            let health = probe.get(format!("{}/health", self.base())).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        anyhow::bail!("the server did not answer within {START_TIMEOUT:?}")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn(database_url: &str, port: u16, log: Option<&Path>) -> anyhow::Result<Child> {
    let mut cmd = Command::new(std::env::current_exe()?);
    cmd.arg("serve")
        .env("DATABASE_URL", database_url)
        .env("CUNYI_SEED_DEMO", "0")
        .env("CUNYI_ADDR", format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1");
    if let Some(path) = log {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        cmd.stdout(Stdio::from(file.try_clone()?)).stderr(Stdio::from(file));
    }
    cmd.spawn().context("starting the server")
}
