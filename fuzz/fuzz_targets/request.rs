//! `cargo +nightly fuzz run request`: see `checks/collector.rs`'s `request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| feedback_fuzz::collector::request(data));
