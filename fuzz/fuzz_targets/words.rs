//! `cargo +nightly fuzz run words`: see `checks/model.rs`'s `words`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::words(data));
