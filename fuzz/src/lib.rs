//! What each fuzz target checks, one function per target. The same files are compiled into the stable
//! tests that replay the corpora (`model/tests/fuzz_corpora.rs`, `collector/tests/fuzz_corpora.rs`).

#[path = "../checks/model.rs"]
pub mod model;

#[path = "../checks/collector.rs"]
pub mod collector;
