//! The browser's own language rules (`Intl`), so the app carries no tables of its own.

/// The plural category (`zero`, `one`, `two`, `few`, `many` or `other`) of the
/// number `n` in language `lang`, by the browser's `Intl.PluralRules` (CLDR's
/// rules: Welsh and Arabic have all six). Browsers without it (none since 2019)
/// get English's two.
///
/// ```ignore
/// assert_eq!(intl::plural_category("cy", 2), "two");
/// ```
#[cfg(target_arch = "wasm32")]
pub fn plural_category(lang: &str, n: usize) -> String {
    use wasm_bindgen::JsValue;
    let has_rules = js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .and_then(|intl| js_sys::Reflect::has(&intl, &"PluralRules".into()))
        .unwrap_or(false);
    if !has_rules {
        return if n == 1 { "one" } else { "other" }.into();
    }
    let rules = js_sys::Intl::PluralRules::new(&js_sys::Array::of1(&JsValue::from_str(lang)), &js_sys::Object::new());
    rules.select(n as f64).into()
}

/// Natively (a page drawn on the server): the same CLDR rules, from ICU4X's compiled data.
#[cfg(not(target_arch = "wasm32"))]
pub fn plural_category(lang: &str, n: usize) -> String {
    use icu_plurals::{PluralCategory, PluralRules};
    let Ok(locale) = lang.parse::<icu_locale_core::Locale>() else {
        return if n == 1 { "one" } else { "other" }.into();
    };
    let Ok(rules) = PluralRules::try_new_cardinal((&locale).into()) else {
        return if n == 1 { "one" } else { "other" }.into();
    };
    match rules.category_for(n) {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
    .into()
}
