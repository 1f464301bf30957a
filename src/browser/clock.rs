/// The current time as RFC 3339 UTC, for example `2026-11-23T10:00:00.000Z`.
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Milliseconds since 1970, for the outbox's timings.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}
