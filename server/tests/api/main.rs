//! Server integration tests: the real router on an ephemeral port, a fresh database per test, plain HTTP.
#![recursion_limit = "256"]

mod accounts;
mod assets;
mod audit;
mod auth;
mod bad_input;
mod common;
mod device_keys;
mod diabetes;
mod export;
mod indicators;
mod instances;
mod matrix;
mod program;
mod quality;
mod records;
mod resident_view;
mod residents;
mod review;
mod scope;
mod security;
mod sync;
mod tasks;
mod users;
mod visits;
