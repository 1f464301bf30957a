//! A feedback form that anyone can answer and that never loses an answer.
//!
//! The layers, each using only the ones below it (see the README's Architecture):
//! - [`components`]: what a person sees, one component per file
//! - [`services`]: the app's state and services (loading, words, sending, delivery, drafts)
//! - [`browser`]: every call into the browser, behind small functions
//! - `feedback_model` (a separate crate, plain Rust): forms, answers, skip logic, the
//!   person's phase, the outbox's rules, payloads
//!
//! Built three ways from the same components: `csr` (the app draws every screen in the
//! browser, as on a static host), `hydrate` (the app takes over a page the collector drew)
//! and `ssr` (the collector draws a page, natively: [`server`]).

pub mod browser;
pub mod components;
#[cfg(feature = "ssr")]
pub mod server;
pub mod services;

/// Starts the app in the browser: draws it (`csr`) or takes over the page the server drew
/// (`hydrate`).
#[cfg(any(feature = "csr", feature = "hydrate"))]
pub fn start() {
    // A panic is a bug, never noise: say where it happened, in release builds too.
    console_error_panic_hook::set_once();
    // Someone who left in a hurry must not be brought back by the Back button.
    if browser::exit::leave_again_if_exited() {
        return;
    }
    browser::page::remove_loading_message();
    // SPIKE: the islands floor (see Cargo.toml's `islands`).
    #[cfg(feature = "islands")]
    leptos::mount::hydrate_islands();
    #[cfg(not(feature = "islands"))]
    mount_or_hydrate();
}

/// Takes over a page the collector drew (`hydrate`, when it carries what it was drawn
/// from), or draws the app in the page.
#[cfg(all(any(feature = "csr", feature = "hydrate"), not(feature = "islands")))]
fn mount_or_hydrate() {
    use components::App;
    use leptos::prelude::*;
    // A page the collector drew carries what it was drawn from: the app takes it over.
    #[cfg(feature = "hydrate")]
    if let Some(boot) = services::loading::embedded() {
        leptos::mount::hydrate_body(move || view! { <App boot /> });
        return;
    }
    leptos::mount::mount_to_body(|| view! { <App /> });
}
