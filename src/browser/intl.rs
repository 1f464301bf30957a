//! The browser's own language rules (`Intl`), so the app carries no tables of its own.

use wasm_bindgen::JsValue;

/// The plural category (`zero`, `one`, `two`, `few`, `many` or `other`) of the
/// number `n` in language `lang`, by the browser's `Intl.PluralRules` (CLDR's
/// rules: Welsh and Arabic have all six). Browsers without it (none since 2019)
/// get English's two.
///
/// ```ignore
/// assert_eq!(intl::plural_category("cy", 2), "two");
/// ```
pub fn plural_category(lang: &str, n: usize) -> String {
    let has_rules = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::has(&intl, &"PluralRules".into()))
        .unwrap_or(false);
    if !has_rules {
        return if n == 1 { "one" } else { "other" }.into();
    }
    let rules = js_sys::Intl::PluralRules::new(&js_sys::Array::of1(&JsValue::from_str(lang)), &js_sys::Object::new());
    rules.select(n as f64).into()
}
