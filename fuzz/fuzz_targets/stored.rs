//! `cargo +nightly fuzz run stored`: see `checks/model.rs`'s `stored`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::stored(data));
