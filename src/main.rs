//! The app's binary: see the library (`src/lib.rs`).

fn main() {
    #[cfg(feature = "hydrate")]
    feedback_form::start();
}
