//! The interface's own words (Continue, Back, error messages…) per language,
//! read from `locales/{lang}.json`: a flat object of key → sentence, where
//! `{name}` marks a value filled in when the sentence is shown.
//!
//! Sentences are whole, never glued from pieces, so each language can put the
//! filled-in values where its grammar needs them.

use crate::read::Fields;
use serde_json::Value;

/// The interface's words in one language.
///
/// ```
/// use feedback_model::Strings;
/// let cy = Strings::parse(r#"{"page_of": "Tudalen {page} o {pages}"}"#).unwrap();
/// assert_eq!(cy.get("page_of"), Some("Tudalen {page} o {pages}"));
/// assert_eq!(cy.get("missing"), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Strings(Vec<(String, String)>);

impl Strings {
    /// Reads a locale file, saying what is wrong with it if it cannot be used.
    /// Read with the model's one object reader: a `null` sentence is the same as
    /// leaving it out, so the app shows the English one.
    ///
    /// ```
    /// use feedback_model::Strings;
    /// let cy = Strings::parse(r#"{"back": "Yn ôl", "continue": null}"#).unwrap();
    /// assert_eq!((cy.get("back"), cy.get("continue")), (Some("Yn ôl"), None));
    /// assert_eq!(Strings::parse(r#"{"a": 1, "b": "x", "c": []}"#).unwrap_err(), "has values that are not text: a, c");
    /// ```
    pub fn parse(json: &str) -> Result<Strings, String> {
        let value: Value = crate::parse_json(json).map_err(|e| format!("is not valid JSON: {e}"))?;
        let mut e = Vec::new();
        let Some(f) = Fields::any(&mut e, &value, String::new(), "an object of key → sentence") else {
            return Err(e.concat());
        };
        let mut pairs = Vec::new();
        let mut wrong = Vec::new();
        for (k, v) in f.each() {
            match v {
                Value::String(s) => pairs.push((k.clone(), s.clone())),
                _ => wrong.push(k.as_str()),
            }
        }
        if !wrong.is_empty() {
            return Err(format!("has values that are not text: {}", wrong.join(", ")));
        }
        Ok(Strings(pairs))
    }

    /// The sentence for `key`, if this language has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        // A few dozen sentences: a plain search is as quick as any and smaller to download.
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Every key.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }
}

/// `template` with each `{name}` replaced by its value; unknown names are left as written.
///
/// ```
/// use feedback_model::fill;
/// assert_eq!(fill("Page {page} of {pages}", &[("page", "2"), ("pages", "6")]), "Page 2 of 6");
/// assert_eq!(fill("{odd} stays", &[]), "{odd} stays");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        match after.find('}').and_then(|close| {
            let name = &after[1..close];
            values.iter().find(|(n, _)| *n == name).map(|(_, v)| (close, *v))
        }) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{names}` a sentence fills in, sorted, for checking that a translation
/// keeps them all.
///
/// ```
/// assert_eq!(feedback_model::placeholders("For “{question}”, select “{option}”"), ["option", "question"]);
/// ```
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .filter(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Whether a language is written right to left.
///
/// ```
/// assert!(feedback_model::is_rtl("ar"));
/// assert!(feedback_model::is_rtl("fa-IR"));
/// assert!(!feedback_model::is_rtl("cy"));
/// ```
pub fn is_rtl(lang: &str) -> bool {
    let base = lang.split('-').next().unwrap_or(lang);
    matches!(base, "ar" | "he" | "fa" | "ur" | "ps" | "sd" | "ckb" | "dv" | "yi" | "ug")
}

/// A language's name in that language, for the language picker; the code
/// itself for languages not listed here.
///
/// ```
/// assert_eq!(feedback_model::language_name("cy"), "Cymraeg");
/// assert_eq!(feedback_model::language_name("xx"), "xx");
/// ```
pub fn language_name(lang: &str) -> &str {
    match lang {
        "en" => "English",
        "cy" => "Cymraeg",
        "ar" => "العربية",
        "bn" => "বাংলা",
        "fa" => "فارسی",
        "fr" => "Français",
        "gd" => "Gàidhlig",
        "ga" => "Gaeilge",
        "pa" => "ਪੰਜਾਬੀ",
        "pl" => "Polski",
        "pt" => "Português",
        "ro" => "Română",
        "so" => "Soomaali",
        "ti" => "ትግርኛ",
        "uk" => "Українська",
        "ur" => "اردو",
        _ => lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_files_it_cannot_use() {
        assert_eq!(Strings::parse("[1]").unwrap_err(), "must be an object of key → sentence");
        assert_eq!(Strings::parse(r#"{"a": 1, "b": "x"}"#).unwrap_err(), "has values that are not text: a");
        assert!(Strings::parse("{").unwrap_err().starts_with("is not valid JSON: EOF while parsing an object"));
    }

    #[test]
    fn fills_repeated_and_adjacent_names() {
        assert_eq!(fill("{a}{a}-{b}", &[("a", "1"), ("b", "2")]), "11-2");
        assert_eq!(fill("{ not closed", &[("x", "y")]), "{ not closed");
        assert_eq!(fill("«{question}»", &[("question", "Pam?")]), "«Pam?»");
    }

    /// The one rule for `null`, in a locale file: every sentence may be left
    /// out (the app shows English's), and a `null` one is left out. Which keys a
    /// language may have depends on its plural forms, so keys English lacks are
    /// reported by `model/tests/shipped.rs`, not here.
    #[test]
    fn a_null_sentence_is_left_out() {
        let cy = Strings::parse(r#"{"back": "Yn ôl", "continue": null}"#).unwrap();
        assert_eq!((cy.get("back"), cy.get("continue")), (Some("Yn ôl"), None));
        assert_eq!(cy.keys().collect::<Vec<_>>(), ["back"]);
    }
}
