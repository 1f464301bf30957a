//! A feedback form that anyone can answer and that never loses an answer.
//!
//! The layers, each using only the ones below it (see the README's Architecture):
//! - [`components`]: what a person sees, one component per file
//! - [`services`]: the app's state and services (loading, words, sending, delivery, drafts)
//! - [`browser`]: every call into the browser, behind small functions
//! - `feedback_model` (a separate crate, plain Rust): forms, answers, skip logic, the
//!   person's phase, the outbox's rules, payloads
//!
//! Built two ways from the same components: `hydrate`, the app in the browser, which takes
//! over a page the collector drew or, on a static host, draws every screen itself; and `ssr`,
//! natively, for the collector to draw pages ([`server`]).

pub mod browser;
pub mod components;
#[cfg(feature = "ssr")]
pub mod server;
pub mod services;

/// Starts the app in the browser: takes over the page the server drew, or draws it.
#[cfg(feature = "hydrate")]
pub fn start() {
    // A panic is a bug, never noise: say where it happened, in release builds too.
    console_error_panic_hook::set_once();
    use components::App;
    use leptos::prelude::*;
    // A page the collector drew carries what it was drawn from: the app takes it over.
    if let Some(boot) = services::loading::embedded() {
        if browser::page::touched_before_start() {
            return;
        }
        leptos::mount::hydrate_body(move || view! { <App boot /> });
        return;
    }
    // A static host's page: "Loading the form…" until the app has drawn it.
    browser::page::remove_loading_message();
    leptos::mount::mount_to_body(|| view! { <App /> });
}
