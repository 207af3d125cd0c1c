//! The Cunyi server binary: `server` serves the app; `server seed` loads the demo county or a large one.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use server::config::Config;
use server::startup::Application;

#[derive(Parser)]
#[command(name = "server", about = "Cunyi (村医) server")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app (the default).
    Serve,
    /// Generate a county into an empty database: the demo county, or a large one with --scale.
    Seed {
        /// Number of residents; villages and townships grow with it (default: the 2,400-resident demo).
        #[arg(long)]
        scale: Option<u32>,
        /// Years of past follow-ups to generate.
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// Put every resident in one village (doctor1's), the scope of the sync benchmarks.
        #[arg(long)]
        one_village: bool,
    },
    /// Measure sync against a fresh county served on loopback (see docs/performance.md).
    BenchSync {
        /// Residents in the doctor's village.
        #[arg(long, default_value_t = 3_000)]
        residents: u32,
        /// Years of past follow-ups, which set the scope's entry count (11 gives ~20,000).
        #[arg(long, default_value_t = 11)]
        years: u32,
        /// New follow-ups to push.
        #[arg(long, default_value_t = 10_000)]
        push: usize,
    },
    /// Time the township and county dashboards and the xlsx export over a seeded county (see
    /// docs/performance.md).
    BenchDashboard {
        /// The SQLite file of a county made with `server seed --scale …`.
        #[arg(long)]
        db: String,
        /// Warm repeats per measure.
        #[arg(long, default_value_t = 5)]
        repeat: usize,
        /// Drop the rollups first and time their full recomputation.
        #[arg(long)]
        rebuild: bool,
    },
    /// Many doctors' phones syncing at once against a fresh county on loopback, optionally with the server
    /// SIGKILLed and restarted; checks that nothing acknowledged is lost or doubled (docs/reliability.md).
    Load {
        /// Simulated doctors, each with its own login, outbox and cursor.
        #[arg(long, default_value_t = 300)]
        doctors: usize,
        /// How long the phones keep writing and syncing.
        #[arg(long, default_value_t = 60)]
        seconds: u64,
        /// SIGKILL the server every so many seconds during the run and start it again on the same port.
        #[arg(long)]
        kill_every: Option<u64>,
        /// Longest time after the clock for the phones to empty their outboxes.
        #[arg(long, default_value_t = 120)]
        drain_seconds: u64,
    },
    /// The database's disk runs full under sync, then space returns (a tmpfs; needs root; see
    /// docs/reliability.md).
    LoadDiskFull {
        /// Simulated doctors.
        #[arg(long, default_value_t = 10)]
        doctors: usize,
        /// Size of the tmpfs holding the database, in MB.
        #[arg(long, default_value_t = 64)]
        size_mb: u64,
    },
    /// Time the task engine over one doctor's village (see docs/performance.md).
    BenchTasks {
        /// Residents in the doctor's village.
        #[arg(long, default_value_t = 3_000)]
        residents: u32,
        /// Years of past follow-ups.
        #[arg(long, default_value_t = 1)]
        years: u32,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let config = Config::from_env()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config.clone()).await?;
            tracing::info!("Cunyi listening on http://{}", config.leptos.site_addr);
            app.run_until_stopped().await
        }
        Command::BenchSync { residents, years, push } => {
            server::bench::run(server::bench::BenchArgs { residents, years, push }).await
        }
        Command::Load { doctors, seconds, kill_every, drain_seconds } => {
            server::load::run(server::load::LoadArgs { doctors, seconds, kill_every, drain_seconds }).await
        }
        Command::LoadDiskFull { doctors, size_mb } => {
            server::load::run_disk_full(server::load::DiskFullArgs { doctors, size_mb }).await
        }
        Command::BenchTasks { residents, years } => server::bench_tasks::run(residents, years).await,
        Command::BenchDashboard { db, repeat, rebuild } => server::bench_dashboard::run(&db, repeat, rebuild).await,
        Command::Seed { scale, years, one_village } => {
            let store = server::db::connect(&config.database_url).await?;
            let spec = match (scale, one_village) {
                (Some(n), true) => server::seed::Spec::one_village(n, years),
                (Some(n), false) => server::seed::Spec::scaled(n, years),
                (None, _) => server::seed::Spec::demo(),
            };
            let stats = server::seed::generate(&store, &spec).await?;
            println!("{stats}");
            // The indicator rollups, as the serving process keeps them.
            let started = std::time::Instant::now();
            let n = server::rollups::refresh(&store).await?;
            println!("indicator rollups: {n} unit-periods in {:.1}s", started.elapsed().as_secs_f64());
            Ok(())
        }
    }
}
