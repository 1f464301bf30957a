//! End-to-end encryption of the answers ([`feedback_model::Encryption`], `docs/encryption.md`), done by
//! `public/seal.js` over the browser's own Web Crypto: HPKE (RFC 9180) with P-256, HKDF-SHA256 and AES-128-GCM.
//! In JavaScript, loaded only where config.json names a key, rather than compiled into the WebAssembly: the
//! `hpke` crate's seal alone measured 22.9 KB brotli as WebAssembly (`docs/measurements/hpke-wasm/`), against
//! 1.0 KB for `seal.js`, and even Rust glue over Web Crypto cost 2.9 KB for the much smaller proof of work
//! (`src/browser/stamp.rs`).

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The loader's (index.html, from Trunk.toml): imports `seal.js` and runs it.
    #[wasm_bindgen(catch, js_name = feedbackSeal)]
    fn feedback_seal(body: &str, public_key: &str, key_id: &str) -> Result<js_sys::Promise, wasm_bindgen::JsValue>;
    #[wasm_bindgen(catch, js_name = feedbackSeal)]
    fn feedback_seal_load() -> Result<js_sys::Promise, wasm_bindgen::JsValue>;
}

/// Fetches the encryption's script now, while there is a connection, so that Send works offline later (a
/// module once imported stays in the page; the service worker keeps the file for later visits).
pub fn load() {
    #[cfg(target_arch = "wasm32")]
    if let Ok(p) = feedback_seal_load() {
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(p).await;
        });
    }
}

/// The envelope's text for the plain payload `body`, encrypted for `public_key` under `key_id`; `None` if it
/// could not be encrypted (no Web Crypto, as on a plain-http page away from this machine; a key that is not a
/// P-256 point; the script could not be fetched), when nothing may be kept or sent in plain text.
pub async fn sealed(body: &str, public_key: &str, key_id: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm_bindgen_futures::JsFuture::from(feedback_seal(body, public_key, key_id).ok()?).await.ok()?.as_string()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (body, public_key, key_id);
        None
    }
}
