//! The browser edge: every call into the browser that the app makes, behind small
//! functions, so the model never touches `web_sys`.
//!
//! Rendered on the server (a native build, feature `ssr`), there is no browser: [`window`]
//! is `None` there, so every function here takes the way it already takes in a browser
//! that lacks the feature (no storage, no voices, the start page's address), and the few
//! that would call JavaScript without a window answer natively instead.

pub mod clock;
pub mod exit;
pub mod http;
pub mod intl;
pub mod location;
pub mod locks;
pub mod page;
pub mod random;
pub mod seal;
pub mod speech;
pub mod stamp;
pub mod storage;

/// The browser's window; `None` natively, where the page is being drawn on the server.
pub fn window() -> Option<web_sys::Window> {
    if cfg!(target_arch = "wasm32") {
        web_sys::window()
    } else {
        None
    }
}
