//! Replays every file of the `request` fuzz target's corpus (`fuzz/corpus/request/`) through the very
//! function the target calls (`fuzz/checks/collector.rs`): what `POST /api/submissions` does with those
//! bytes and headers, then the exports and `collector import`. Runs on stable; fuzzing itself needs
//! nightly: `cargo +nightly fuzz run request` (fuzz/README.md).

#[path = "../../fuzz/checks/collector.rs"]
mod checks;

#[path = "../../fuzz/checks/replay.rs"]
mod replay;

#[test]
fn request_corpus() {
    replay::corpus("request", checks::request);
}
