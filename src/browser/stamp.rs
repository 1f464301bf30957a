//! The proof of work ([`feedback_model::stamp`]), made by `public/stamp.js` with the browser's own Web Crypto.
//!
//! In JavaScript, fetched only when answers are first sent (the loader's `feedbackStamp` imports it), not
//! compiled into the WebAssembly: the same search written here in Rust over `crypto.subtle` (batches of
//! digests, their bytes, the numbers' text, the payload's new member) added 2.9 KB brotli to the first load
//! (measured with `twiggy diff` and `scripts/size.mjs`); the script is 0.4 KB and outside the first load.

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The loader's (index.html, from Trunk.toml): imports `stamp.js` and runs it.
    #[wasm_bindgen(catch, js_name = feedbackStamp)]
    fn feedback_stamp(id: &str, body: &str, bits: u8) -> Result<js_sys::Promise, wasm_bindgen::JsValue>;
}

/// The payload `body` (a JSON object's text) with its proof of work of `bits` for the submission `id` added as
/// `"stamp": N`, its last member. N is the first such number counting from 0, so the same one is found on
/// every attempt; it takes about `2^bits` SHA-256 hashes, timed as the User Timing measure `feedback-stamp`
/// (developer tools and `scripts/bench.sh` read it; nothing leaves the device). `None` without Web Crypto (a
/// plain-http page away from this machine), if the script cannot be fetched, or natively.
pub async fn stamped(id: &str, body: &str, bits: u8) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm_bindgen_futures::JsFuture::from(feedback_stamp(id, body, bits).ok()?).await.ok()?.as_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (id, body, bits);
        None
    }
}
