//! The app's binary: see the library (`src/lib.rs`).

fn main() {
    #[cfg(any(feature = "csr", feature = "hydrate"))]
    feedback_form::start();
}
