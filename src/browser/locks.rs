//! Web Locks: work that one tab at a time may do, such as sending the outbox.
//!
//! ```ignore
//! if !locks::exclusive("feedback-form:outbox", || async { send().await }).await {
//!     // This browser has no Web Locks: use the lease kept in storage instead.
//! }
//! ```

use std::future::Future;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Runs `work` while holding the lock `name`, waiting first for any other tab
/// that holds it. The browser lets go of the lock when `work` ends or the page
/// goes, however it goes. Returns `false`, without running `work`, if this
/// browser has no Web Locks (older browsers, or a page not served securely).
pub async fn exclusive<F: Future<Output = ()> + 'static>(name: &str, work: impl FnOnce() -> F + 'static) -> bool {
    let Some(locks) = super::window()
        .and_then(|w| js_sys::Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| l.is_object())
    else {
        return false;
    };
    let Some(request) =
        js_sys::Reflect::get(&locks, &"request".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let callback = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
        wasm_bindgen_futures::future_to_promise(async move {
            work().await;
            Ok(JsValue::TRUE)
        })
        .into()
    });
    match request.call2(&locks, &name.into(), &callback).map(|p| p.dyn_into::<js_sys::Promise>()) {
        Ok(Ok(granted)) => JsFuture::from(granted).await.is_ok(),
        _ => false,
    }
}
