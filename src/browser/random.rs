/// A new random submission id (UUID v4) from the browser's cryptographic random
/// numbers. `crypto.getRandomValues` works on plain-HTTP pages too, unlike
/// `crypto.randomUUID`, which matters for a tablet on a local network.
pub fn submission_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = super::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    // Natively (a page drawn on the server) no JavaScript: the system's random numbers.
    #[cfg(not(target_arch = "wasm32"))]
    let filled = filled || getrandom::fill(&mut bytes).is_ok();
    if !filled {
        // No Web Crypto (very old browser): Math.random is weaker, but an id is
        // only a label for retries, never a secret.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    feedback_model::uuid_v4_from_bytes(bytes)
}

/// A number in `[0, 1)` for retry jitter (not a secret).
pub fn jitter() -> f64 {
    if cfg!(not(target_arch = "wasm32")) {
        return 0.5;
    }
    js_sys::Math::random()
}
