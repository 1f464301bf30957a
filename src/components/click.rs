//! Click (and change) handlers of one type.

use leptos::ev::{Event, MouseEvent};

/// A click handler for `on:click`: the app does `f` *instead of* what the element does without it
/// (post its form, follow its link), so the click's default action is always prevented. Every
/// handler in the app wants that (a button or link whose work the app does itself; on a
/// `type="button"` there is no default to prevent), so it is done here once, not by each.
/// Every handler made here has the same type, so the code that attaches a click handler is in
/// the download once, not once per closure.
///
/// ```ignore
/// view! { <button on:click=click(move || asking.set(true))>{t("clear_answers")}</button> }
/// ```
pub fn click(f: impl FnMut() + 'static) -> Box<dyn FnMut(MouseEvent)> {
    instead(Box::new(f))
}

/// One copy of the wrapper for every handler (not one per closure).
fn instead(mut f: Box<dyn FnMut()>) -> Box<dyn FnMut(MouseEvent)> {
    Box::new(move |ev: MouseEvent| {
        ev.prevent_default();
        f()
    })
}

/// A change handler for `on:change`, one type for all, like [`click`]'s (the radios' and the
/// checkboxes': -353 bytes brotli).
pub fn change(f: impl FnMut(Event) + 'static) -> Box<dyn FnMut(Event)> {
    Box::new(f)
}
