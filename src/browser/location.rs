//! The address's `#` part, which holds the [`Route`], so Back and Forward work
//! and any static host can serve the app.

use feedback_model::Route;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// Whether moving between screens adds no history entry (a shared device: see [`keep_no_history`]).
static NO_HISTORY: AtomicBool = AtomicBool::new(false);

/// From now on, moving between screens replaces the history entry instead of adding one, so the
/// browser's history never holds an earlier screen: on a device shared between people, Back on the
/// next person's start page cannot reach the last person's pages. (The page's own Back buttons work.)
pub fn keep_no_history() {
    NO_HISTORY.store(true, Relaxed);
}

fn location() -> Option<web_sys::Location> {
    super::window().map(|w| w.location())
}

/// The route in the address now.
pub fn current() -> Route {
    Route::from_hash(&location().and_then(|l| l.hash().ok()).unwrap_or_default())
}

/// Goes to `route`, adding a history entry (so Back returns here), except on a shared device.
pub fn push(route: &Route) {
    if NO_HISTORY.load(Relaxed) {
        return replace(route);
    }
    if let Some(l) = location() {
        let _ = l.set_hash(&route.to_hash());
    }
}

/// Goes to `route` in place of the current history entry.
pub fn replace(route: &Route) {
    if let Some(l) = location() {
        let href = l.href().unwrap_or_default();
        let base = href.split('#').next().unwrap_or_default();
        let _ = l.replace(&format!("{base}{}", route.to_hash()));
    }
}

/// Puts `route` in the address without a new history entry and without telling anyone
/// (no `hashchange`): the screen shown is already `route`'s.
pub fn show(route: &Route) {
    if let Some(history) = super::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&route.to_hash()));
    }
}

/// The language asked for in the address (`?lang=cy`), if any.
pub fn language_param() -> Option<String> {
    let search = location()?.search().ok()?;
    search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .map(str::to_owned)
        .filter(|l| feedback_model::is_language_tag(l))
}

/// Puts `?lang=…` in the address without a new history entry, so a reload keeps the language. The rest
/// of the query stays (in a partner's frame, `embed=1` and the partner's `source`).
pub fn set_language_param(lang: &str) {
    let Some(w) = super::window() else { return };
    let Some(l) = location() else { return };
    let (search, hash) = (l.search().unwrap_or_default(), l.hash().unwrap_or_default());
    let mut query: Vec<&str> =
        search.trim_start_matches('?').split('&').filter(|p| !p.is_empty() && !p.starts_with("lang=")).collect();
    let lang = format!("lang={lang}");
    query.push(&lang);
    if let Ok(history) = w.history() {
        let url = format!("?{}{hash}", query.join("&"));
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
