//! Replays every file of the fuzz targets' corpora (`fuzz/corpus/<target>/`) through the very function its
//! target calls (`fuzz/checks/model.rs`), so `cargo test` on stable checks what the fuzzers found, and any
//! crash they found stays fixed (each crash's input is kept in its corpus). Fuzzing itself needs nightly:
//! `cargo +nightly fuzz run <target>` (fuzz/README.md).

#[path = "../../fuzz/checks/model.rs"]
mod checks;

#[path = "../../fuzz/checks/replay.rs"]
mod replay;

#[test]
fn form_corpus() {
    replay::corpus("form", checks::form);
}

#[test]
fn config_corpus() {
    replay::corpus("config", checks::config);
}

#[test]
fn words_corpus() {
    replay::corpus("words", checks::words);
}

#[test]
fn stored_corpus() {
    replay::corpus("stored", checks::stored);
}

#[test]
fn submission_corpus() {
    replay::corpus("submission", checks::submission);
}

#[test]
fn carried_corpus() {
    replay::corpus("carried", checks::carried);
}
