//! `cargo +nightly fuzz run config`: see `checks/model.rs`'s `config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::config(data));
