//! The browser's own cryptography (Web Crypto's `crypto.subtle`), so none is compiled into the WebAssembly.

use js_sys::{Promise, Uint8Array};
use wasm_bindgen_futures::JsFuture;

/// Web Crypto's `subtle`, where the page may use it: on https and on this machine's own addresses, not on a
/// plain-http page elsewhere (such as a tablet reaching a laptop on a local network), nor natively.
pub fn subtle() -> Option<web_sys::SubtleCrypto> {
    let subtle = super::window()?.crypto().ok()?.subtle();
    (!subtle.is_undefined()).then_some(subtle)
}

/// The SHA-256 of each of `texts`, all asked for at once (the browser works on them together), in order.
/// `None` if Web Crypto refused any.
///
/// ```ignore
/// let subtle = crypto::subtle()?;
/// let [a, b] = crypto::sha256_all(&subtle, &["one".into(), "two".into()]).await?[..] else { return None };
/// ```
pub async fn sha256_all(subtle: &web_sys::SubtleCrypto, texts: &[String]) -> Option<Vec<Vec<u8>>> {
    let started: Vec<Promise> = texts
        .iter()
        .map(|t| subtle.digest_with_str_and_u8_array("SHA-256", t.as_bytes()).ok())
        .collect::<Option<_>>()?;
    let mut out = Vec::with_capacity(started.len());
    for p in started {
        out.push(Uint8Array::new(&JsFuture::from(p).await.ok()?).to_vec());
    }
    Some(out)
}

/// Marks the start of something to time with [`measure`] (the browser's User Timing, which developer tools
/// and `scripts/bench.sh` read; nothing leaves the device).
pub fn mark(name: &str) {
    if let Some(p) = super::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// Records the time since [`mark`] was given `name`, under the same name.
pub fn measure(name: &str) {
    if let Some(p) = super::window().and_then(|w| w.performance()) {
        let _ = p.measure_with_start_mark(name, name);
        p.clear_marks_with_mark_name(name);
    }
}
