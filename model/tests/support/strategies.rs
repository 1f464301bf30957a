//! proptest strategies shared by the model's own tests (`src/lib.rs` includes this
//! file under `cfg(test)`) and the round trips through `JSON.parse` in Node
//! (`tests/wasm_json.rs`), so both try the same awkward text.

use proptest::prelude::*;

/// Text with what breaks hand-written JSON: quotes, backslashes, control
/// characters, line separators, and any Unicode (emoji, right to left).
pub fn nasty_text() -> impl Strategy<Value = String> {
    let char = prop_oneof![
        any::<char>(),
        Just('"'),
        Just('\\'),
        Just('\u{0}'),
        Just('\u{1f}'),
        Just('\u{7f}'),
        Just('\u{2028}'),
        Just('\n'),
        Just('/'),
        Just('ŵ'),
        Just('ع'),
        Just('🙂'),
    ];
    proptest::collection::vec(char, 0..40).prop_map(String::from_iter)
}

/// [`nasty_text`] that is not blank, as a text answer must be, or none.
pub fn text_answer() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(nasty_text().prop_filter("not blank", |s| !s.trim().is_empty()))
}
