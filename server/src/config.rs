//! Runtime configuration from the environment (see `.env.example`), with defaults that run the embedded
//! SQLite database under `./data/`.

use leptos::config::{get_configuration, LeptosOptions};
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://data/cunyi.db` by default.
    pub database_url: String,
    /// Load the demo county when the database has none (the run command sets this).
    pub seed_demo: bool,
    pub leptos: LeptosOptions,
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/cunyi.db";

impl Config {
    pub fn from_env() -> anyhow::Result<Config> {
        let built_by_cargo_leptos =
            option_env!("LEPTOS_OUTPUT_NAME").is_some() || std::env::var("LEPTOS_OUTPUT_NAME").is_ok();
        let mut leptos = if built_by_cargo_leptos {
            get_configuration(None)?.leptos_options
        } else {
            // A plain `cargo build`/`cargo test`: the site name is the one in Cargo.toml's metadata.
            LeptosOptions::builder()
                .output_name("cunyi")
                .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
                .build()
        };
        use_site_hashes(&mut leptos);
        if let Ok(addr) = std::env::var("CUNYI_ADDR") {
            leptos.site_addr = addr.parse::<SocketAddr>()?;
        }
        Ok(Config {
            database_url: std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_string()),
            seed_demo: std::env::var("CUNYI_SEED_DEMO").map(|v| v == "1" || v == "true").unwrap_or(false),
            leptos,
        })
    }
}

/// A release site carries the hashes of its `/pkg` file names (`cunyi.<hash>.wasm`) in its own `hash.txt`,
/// copied there by the build (`.ci/lib.sh`), so the pages name the files of the site being served, whichever
/// binary serves it. Leptos joins the name to the binary's directory: an absolute path makes that the site's.
pub fn use_site_hashes(leptos: &mut LeptosOptions) {
    let file = std::path::Path::new(leptos.site_root.as_ref()).join("hash.txt");
    if let Ok(file) = file.canonicalize() {
        leptos.hash_files = true;
        leptos.hash_file = file.to_string_lossy().as_ref().into();
    }
}
