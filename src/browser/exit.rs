//! Leaving in a hurry ("Exit this page").

const KEY: &str = "feedback-form:exited";

fn session() -> Option<web_sys::Storage> {
    super::window()?.session_storage().ok().flatten()
}

/// Replaces this page with `url`. The page is blanked first, so nothing shows if
/// the browser keeps it to restore, and this tab remembers (in session storage,
/// for this tab only) to leave again if anyone comes back with the Back button:
/// the loader does that (`Trunk.toml`), before the app has even arrived.
pub fn leave(url: &str) {
    if let Some(s) = session() {
        let _ = s.set_item(KEY, url);
    }
    if let Some(d) = super::window().and_then(|w| w.document()) {
        d.set_title("");
        if let Some(body) = d.body() {
            body.set_text_content(None);
        }
    }
    // The whole tab, also from a partner's page the form is embedded in (a frame may lead its top
    // window away while the person acts in it); where it may not, at least the frame.
    if let Some(w) = super::window() {
        let top = w.top().ok().flatten().map(|t| t.location().replace(url));
        if !matches!(top, Some(Ok(()))) {
            let _ = w.location().replace(url);
        }
    }
}
