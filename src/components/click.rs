//! Click handlers of one type.

use leptos::ev::MouseEvent;

/// A click handler for `on:click`. Every handler made here has the same type, so the code that attaches a click
/// handler is in the download once, not once per closure.
///
/// ```ignore
/// view! { <button on:click=click(move |_| asking.set(true))>{t("clear_answers")}</button> }
/// ```
pub fn click(f: impl FnMut(MouseEvent) + 'static) -> Box<dyn FnMut(MouseEvent)> {
    Box::new(f)
}
