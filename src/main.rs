//! The app's binary: see the library (`src/lib.rs`).

// Talc instead of Rust's default dlmalloc for the WebAssembly (single-threaded: no `atomics`).
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn main() {
    #[cfg(feature = "hydrate")]
    feedback_form::start();
}
