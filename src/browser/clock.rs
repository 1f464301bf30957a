/// The current time as RFC 3339 UTC, for example `2026-11-23T10:00:00.000Z`.
#[cfg(target_arch = "wasm32")]
pub fn now_iso() -> String {
    js_sys::Date::new_0().to_iso_string().into()
}

/// Milliseconds since 1970, for the outbox's timings.
#[cfg(target_arch = "wasm32")]
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Milliseconds since 1970 (natively: the server's clock; nothing on the server reads it yet).
#[cfg(not(target_arch = "wasm32"))]
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
}

/// Natively nothing is sent, so nothing is stamped: an empty time.
#[cfg(not(target_arch = "wasm32"))]
pub fn now_iso() -> String {
    String::new()
}
