//! Latency percentiles and the Markdown lines of a run's report (for docs/reliability.md).

/// The `p`-th percentile (nearest rank) of `ms`, sorted in place; 0 for no samples.
pub fn percentile(ms: &mut [f64], p: f64) -> f64 {
    if ms.is_empty() {
        return 0.0;
    }
    ms.sort_unstable_by(f64::total_cmp);
    let rank = ((p / 100.0) * ms.len() as f64).ceil() as usize;
    ms[rank.clamp(1, ms.len()) - 1]
}

/// "p50 / p95 / p99 / max" of a set of latencies, in milliseconds.
pub fn latencies(ms: &mut [f64]) -> String {
    let [p50, p95, p99, max] = [50.0, 95.0, 99.0, 100.0].map(|q| percentile(ms, q));
    format!("{p50:.0} / {p95:.0} / {p99:.0} / {max:.0} ms ({} requests)", ms.len())
}

/// Prints a two-column table.
pub fn table(rows: &[(&str, String)]) {
    println!();
    println!("| measure | figure |");
    println!("|---|---|");
    for (k, v) in rows {
        println!("| {k} | {v} |");
    }
}

/// The server log's lines holding `needle`: their number and the first few, so a failed run shows its cause.
pub fn log_lines(path: &std::path::Path, needle: &str) -> (usize, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let found: Vec<String> = text.lines().filter(|l| l.contains(needle)).map(str::to_string).collect();
    (found.len(), found.into_iter().take(5).collect())
}

/// Keeps a failed run's server log beside the temporary directory that is deleted, and says where.
pub fn keep_log(dir: &std::path::Path, run: &str) {
    let kept = std::env::temp_dir().join(format!("cunyi-{run}-server-{}.log", chrono::Utc::now().format("%H%M%S")));
    if std::fs::copy(dir.join("server.log"), &kept).is_ok() {
        println!("the server's log is kept in {}", kept.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut ms: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&mut ms, 50.0), 50.0);
        assert_eq!(percentile(&mut ms, 99.0), 99.0);
        assert_eq!(percentile(&mut ms, 100.0), 100.0);
        assert_eq!(percentile(&mut [], 50.0), 0.0);
    }
}
