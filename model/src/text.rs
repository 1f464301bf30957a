/// The language used when a text has no translation for the one asked for.
pub const FALLBACK_LANGUAGE: &str = "en";

/// Words a person reads, in one language or several.
///
/// In a form file it is either a plain string or an object keyed by language code.
///
/// ```
/// use feedback_model::Text;
/// let t = Text::Translated(vec![("en".into(), "Hello".into()), ("cy".into(), "Helo".into())]);
/// assert_eq!(t.get("cy"), "Helo");
/// assert_eq!(t.get("ar"), "Hello"); // falls back to English
/// let plain = Text::from("Hello");
/// assert_eq!(plain.get("cy"), "Hello");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// The same words in every language.
    Plain(String),
    /// Words per language code, as (code, words).
    Translated(Vec<(String, String)>),
}

impl Text {
    /// The words in `lang`, else in English, else in any language given.
    pub fn get(&self, lang: &str) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Translated(m) => {
                let find = |l: &str| m.iter().find(|(k, _)| k == l).map(|(_, v)| v.as_str());
                find(lang)
                    .or_else(|| find(FALLBACK_LANGUAGE))
                    .or_else(|| m.first().map(|(_, v)| v.as_str()))
                    .unwrap_or("")
            }
        }
    }

    /// Whether there are words for `lang` itself (a plain text counts for every language).
    pub fn has(&self, lang: &str) -> bool {
        match self {
            Text::Plain(s) => !s.trim().is_empty(),
            Text::Translated(m) => m.iter().any(|(k, s)| k == lang && !s.trim().is_empty()),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_owned())
    }
}
