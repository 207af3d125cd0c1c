//! The server under test on loopback, and a client that talks to it the way a phone does: shared by the
//! sync benchmark (`server bench-sync`) and the load and fault runs (`server load`).

mod client;
mod process;

pub use client::{follow_up, Client};
pub use process::{cpu_seconds, free_port, mem_mb, ServerProcess};
