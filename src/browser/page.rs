//! The document: title, language, focus.

use wasm_bindgen::JsCast;

fn document() -> Option<web_sys::Document> {
    super::window().and_then(|w| w.document())
}

/// Sets the window title, which screen readers announce on page changes.
pub fn set_title(title: &str) {
    if let Some(d) = document() {
        d.set_title(title);
    }
}

/// Sets `lang` and `dir` on `<html>`.
pub fn set_language(lang: &str, rtl: bool) {
    if let Some(root) = document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("lang", lang);
        let _ = root.set_attribute("dir", if rtl { "rtl" } else { "ltr" });
    }
}

/// Moves focus to the element with this id once the browser has drawn the page.
pub fn focus_soon(id: &'static str) {
    leptos::prelude::request_animation_frame(move || {
        if let Some(el) =
            document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// Moves focus to an element inside the page without touching the address's `#`
/// (which holds the route), scrolling it into view with its question's legend or
/// label. For in-page links such as the skip link and the error summary's links
/// (their `click` must not follow the link: call `prevent_default` first).
pub fn focus_in_page(id: &str) {
    let el = document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let context = el.closest("fieldset, .form-group").ok().flatten();
        context.as_ref().unwrap_or(&el).scroll_into_view();
        let _ = el.focus();
    }
}

/// Whether the person changed a field of the page before the app started (the loader in
/// `Trunk.toml` marks `<html data-touched>`). Then the app does not take the page over: its
/// answers would not know of that change. The page goes on as plain HTML, and the app takes
/// over the next one. When it holds, this also marks `<html data-app="declined">` (one call,
/// as the loader then leaves `data-app` as it is).
/// The value of the page's `<html data-…>` attribute `name` (e.g. `data-source`, which
/// `public/embed/frame.js` sets to a partner's label that config.json lists), if it has one.
pub fn root_attribute(name: &str) -> Option<String> {
    document()?.document_element()?.get_attribute(name)
}

#[cfg(feature = "hydrate")]
pub fn touched_before_start() -> bool {
    let root = document().and_then(|d| d.document_element());
    root.is_some_and(|r| r.has_attribute("data-touched") && r.set_attribute("data-app", "declined").is_ok())
}

#[cfg(feature = "hydrate")]
/// The text of the element with this id (a `<script type="application/json">` the
/// server put in the page), if there is one.
pub fn embedded_text(id: &str) -> Option<String> {
    document()?.get_element_by_id(id)?.text_content()
}

/// Removes the "Loading…" message that `index.html` shows before the app starts.
pub fn remove_loading_message() {
    if let Some(el) = document().and_then(|d| d.get_element_by_id("loading")) {
        el.remove();
    }
}

/// Scrolls to the top, as a new page would.
pub fn scroll_to_top() {
    if let Some(w) = super::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Whether the page is hidden (another tab, a locked screen, or being left).
pub fn is_hidden() -> bool {
    document().is_some_and(|d| d.hidden())
}

/// A link address that saves `json` as a file when followed with `download`:
/// a `data:` address, so the answers never leave the device to be saved.
pub fn json_file_href(json: &str) -> String {
    if cfg!(not(target_arch = "wasm32")) {
        return "data:application/json;charset=utf-8,".to_owned(); // never refused answers on the server
    }
    format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(json))
}

/// Tells the page's other scripts something, by an event of this name on the window
/// (`index.html`'s loader and `public/shared/shared.js` listen).
pub fn announce(name: &str) {
    if let (Some(w), Ok(event)) = (super::window(), web_sys::Event::new(name)) {
        let _ = w.dispatch_event(&event);
    }
}

/// Writes a warning for whoever runs the form to the browser's console (never a
/// person's answers).
pub fn warn(message: &str) {
    if cfg!(not(target_arch = "wasm32")) {
        return eprintln!("{message}");
    }
    web_sys::console::warn_1(&message.into());
}
