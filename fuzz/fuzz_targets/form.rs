//! `cargo +nightly fuzz run form`: see `checks/model.rs`'s `form`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::form(data));
