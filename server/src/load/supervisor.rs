//! Watches the server child during a run: samples its peak memory and, with `--kill-every`, SIGKILLs it at
//! that interval and starts it again on the same port once it is gone. Clients see refused or cut
//! connections meanwhile and send their requests again.

use crate::loopback::{cpu_seconds, mem_mb, ServerProcess};
use std::time::{Duration, Instant};
use tokio::sync::watch;

const SAMPLE_EVERY: Duration = Duration::from_millis(250);

#[derive(Default)]
pub struct Watched {
    pub kills: u32,
    /// From each kill until the new process answered `/health`, in milliseconds.
    pub downtime_ms: Vec<f64>,
    /// Exits nobody asked for (a crash), each restarted.
    pub crashes: u32,
    /// The largest peak RSS (VmHWM) of any of the server's processes, in MB.
    pub peak_rss_mb: f64,
    /// CPU time of the server's processes from the start of the clock, in seconds.
    pub cpu_s: f64,
}

/// Runs until `stop` turns true; kills only before `kill_until` (the end of the clock), so the drain that
/// follows meets a server that stays up. Gives the server back for the caller to stop.
pub async fn supervise(
    mut server: ServerProcess,
    kill_every: Option<Duration>,
    kill_until: Instant,
    mut stop: watch::Receiver<bool>,
) -> anyhow::Result<(ServerProcess, Watched)> {
    let mut w = Watched { cpu_s: -cpu_seconds(&server.pid().to_string()), ..Default::default() };
    let mut next_kill = kill_every.map(|k| Instant::now() + k);
    let mut tick = tokio::time::interval(SAMPLE_EVERY);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => {}
        }
        w.peak_rss_mb = w.peak_rss_mb.max(mem_mb(server.pid(), "VmHWM:"));
        if *stop.borrow() {
            w.cpu_s += cpu_seconds(&server.pid().to_string());
            return Ok((server, w));
        }
        if let Some(status) = server.exited() {
            tracing::error!("the server exited by itself ({status}); starting it again");
            w.crashes += 1;
            server.restart().await?;
        }
        if let (Some(at), Some(every)) = (next_kill, kill_every) {
            if Instant::now() >= at && Instant::now() < kill_until {
                w.cpu_s += cpu_seconds(&server.pid().to_string());
                let t = Instant::now();
                server.restart().await?;
                w.kills += 1;
                w.downtime_ms.push(t.elapsed().as_secs_f64() * 1000.0);
                next_kill = Some(Instant::now() + every);
            }
        }
    }
}
