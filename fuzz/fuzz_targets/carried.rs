//! `cargo +nightly fuzz run carried`: see `checks/model.rs`'s `carried`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::model::carried(data));
