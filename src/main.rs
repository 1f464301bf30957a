//! A feedback form that anyone can answer and that never loses an answer.
//!
//! - [`browser`]: the thin edge that talks to the browser
//! - [`components`]: what a person sees
//! - `feedback_model` (a separate crate): forms, answers, skip logic, payloads

mod app;
mod browser;
mod components;
mod delivery;
mod drafts;
mod outbox_store;
mod send;
mod state;
mod text;

fn main() {
    // A panic is a bug, never noise: say where it happened, in release builds too.
    console_error_panic_hook::set_once();
    // Someone who left in a hurry must not be brought back by the Back button.
    if browser::exit::leave_again_if_exited() {
        return;
    }
    browser::exit::guard_back_forward_cache();
    browser::page::remove_loading_message();
    leptos::mount::mount_to_body(app::App);
}
