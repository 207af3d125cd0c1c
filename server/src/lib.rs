//! The Cunyi server: axum + leptos_axum serving the app's pages and server functions, the SQL store behind
//! `app::store::Store`, plain HTTP routes, and the demo-county generator.
#![forbid(unsafe_code)]
#![recursion_limit = "256"]

pub mod bench;
pub mod bench_dashboard;
pub mod bench_tasks;
pub mod config;
pub mod db;
pub mod http;
pub mod load;
pub mod loopback;
pub mod rollups;
pub mod seed;
pub mod startup;
pub mod state;
