//! Data that is not typed in by users: the demo company a new installation starts with,
//! and the generated volumes the benchmarks and `cargo xtask seed` fill a database with.

pub mod demo;
pub mod generate;
