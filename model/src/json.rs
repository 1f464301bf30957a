//! Turning JSON text into a `serde_json::Value`, for every reader in the model.
//!
//! In the browser (`wasm32`) the text is parsed by the JavaScript engine's own
//! `JSON.parse` and walked into a `Value`, so serde_json's parser is not in the
//! app's download: measured at 164,809 → 159,250 bytes brotli for the first
//! load (−5.6 KB; WASM 464,043 → 451,194 bytes raw). `JSON.parse` is part of
//! the language, not of the page, so the model still needs no browser.
//! Natively (the collector, the tests) serde_json parses. The stored formats'
//! round trips are checked both ways: natively by proptest (`outbox.rs`,
//! `draft.rs`), and through `JSON.parse` in Node by the same properties
//! (`model/tests/wasm_json.rs`).
//!
//! Numbers: JavaScript has only `f64`, so a whole number is given as an integer
//! (`1.0` reads as `1`, as it does in JavaScript), exact up to 2^53; the app
//! stores nothing larger (times in milliseconds are about 2^41). Past that, a
//! whole number is still read as a whole number, rounded, rather than making
//! a stored outbox unreadable.

use serde_json::Value;

/// JSON text as a `Value`, or the parser's own sentence saying what is wrong
/// (both name the line: "… at line 1 column 3").
///
/// ```
/// let v = feedback_model::parse_json(r#"{"a": [1, "ŵ\n", true, null]}"#).unwrap();
/// assert_eq!(v["a"][1], "ŵ\n");
/// assert!(feedback_model::parse_json("{ not json").unwrap_err().contains("line 1"));
/// ```
pub fn parse_json(text: &str) -> Result<Value, String> {
    parse(text)
}

#[cfg(not(target_arch = "wasm32"))]
fn parse(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(target_arch = "wasm32")]
fn parse(text: &str) -> Result<Value, String> {
    let v = js_sys::JSON::parse(text).map_err(|e| with_line(text, js_sys::Error::from(e).message().into()))?;
    Ok(walk(&v))
}

/// The engine's message, with the line and column where it gives only a
/// position (Chromium before 2023, Node 20: "… at position 2"), so every
/// problem says where it is, as serde_json's did. (Safari gives neither.)
#[cfg(target_arch = "wasm32")]
fn with_line(text: &str, message: String) -> String {
    // Only "… at position N", at the very end: Chromium since 2023 and Firefox
    // already name the line. (Prefix and suffix checks: a substring search
    // would cost the download more than this whole function.)
    let head = message.trim_end_matches(|c: char| c.is_ascii_digit());
    let Some(position) = head.strip_suffix("position ").and_then(|_| message[head.len()..].parse::<usize>().ok())
    else {
        return message;
    };
    // The position counts UTF-16 units, as JavaScript strings do.
    let (mut line, mut column, mut units) = (1, 1, 0);
    for c in text.chars().take_while(|c| {
        units += c.len_utf16();
        units <= position
    }) {
        if c == '\n' {
            (line, column) = (line + 1, 1);
        } else {
            column += 1;
        }
    }
    format!("{message} (line {line} column {column})")
}

/// A value `JSON.parse` gave, as a `Value`.
#[cfg(target_arch = "wasm32")]
fn walk(v: &js_sys::wasm_bindgen::JsValue) -> Value {
    use js_sys::{Array, Object};
    if let Some(s) = v.as_string() {
        Value::String(s)
    } else if let Some(b) = v.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = v.as_f64() {
        number(n)
    } else if Array::is_array(v) {
        Value::Array(Array::from(v).iter().map(|x| walk(&x)).collect())
    } else if v.is_object() {
        let entries = Object::entries(&Object::from(v.clone()));
        let mut map = serde_json::Map::new();
        for entry in entries.iter() {
            let entry = Array::from(&entry);
            map.insert(entry.get(0).as_string().unwrap_or_default(), walk(&entry.get(1)));
        }
        Value::Object(map)
    } else {
        Value::Null
    }
}

/// A JavaScript number as JSON's: whole numbers as integers (see the module's notes).
#[cfg(target_arch = "wasm32")]
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&n) {
        Value::from(n as u64)
    } else if n.fract() == 0.0 && (-9_223_372_036_854_775_808.0..0.0).contains(&n) {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
