//! A feedback form that anyone can answer and that never loses an answer.
//!
//! The layers, each using only the ones below it (see the README's Architecture):
//! - [`components`]: what a person sees, one component per file
//! - [`services`]: the app's state and services (loading, words, sending, delivery, drafts)
//! - [`browser`]: every call into the browser, behind small functions
//! - `feedback_model` (a separate crate, plain Rust): forms, answers, skip logic, the
//!   person's phase, the outbox's rules, payloads

mod browser;
mod components;
mod services;

fn main() {
    // A panic is a bug, never noise: say where it happened, in release builds too.
    console_error_panic_hook::set_once();
    // Someone who left in a hurry must not be brought back by the Back button.
    if browser::exit::leave_again_if_exited() {
        return;
    }
    browser::page::remove_loading_message();
    leptos::mount::mount_to_body(components::App);
}
