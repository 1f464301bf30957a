//! `cargo +nightly fuzz run submission`: see `checks/model.rs`'s `submission`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::submission(data));
