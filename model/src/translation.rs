//! A form's words in another language, kept in their own file
//! (`forms/{form}.{lang}.json`) so that a person downloads only the language
//! they read, and a translator works on one flat list.
//!
//! Each text in a form has a key:
//!
//! | key | text |
//! | --- | --- |
//! | `title`, `intro.0`, `intro.1`… | the form's title and start-page paragraphs |
//! | `page.{page}.title` | a page heading |
//! | `q.{question}.label`, `.easy_read`, `.hint` | a question |
//! | `q.{question}.option.{value}.label`, `.easy_read`, `.hint` | an option |
//! | `q.{question}.point.{n}`, `q.{question}.picture.{n}` | a scale point's words and its picture's text alternative |
//! | `q.{question}.yes`, `q.{question}.no` | a yes/no question's own words for its answers |

use crate::read::{string, Fields};
use crate::{Form, Kind, Text};
use serde_json::Value;

/// The contents of a translation file.
///
/// ```
/// use feedback_model::{Form, Translation};
/// let mut form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let cy = Translation::parse(r#"{"form": "remote-support", "language": "cy",
///     "texts": {"q.ways.label": "Sut gawsoch chi gymorth?"}}"#).unwrap();
/// assert!(form.translate(&cy).is_empty());
/// let (_, q) = form.question("ways").unwrap();
/// assert_eq!(q.label.get("cy"), "Sut gawsoch chi gymorth?");
/// assert_eq!(q.label.get("en"), "How did you get support?");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Translation {
    /// The id of the form it translates.
    pub form: String,
    /// The language code, which the form must list in its `languages`.
    pub language: String,
    /// (key, words), as in the table above.
    pub texts: Vec<(String, String)>,
}

impl Translation {
    /// Reads a translation file, listing every problem with it (each a sentence
    /// to put after the file's name), with the model's one object reader: a
    /// `null` text is the same as leaving it out, so it stays untranslated.
    ///
    /// ```
    /// use feedback_model::Translation;
    /// let e = Translation::parse(r#"{"form": "f", "language": null, "text": {}}"#).unwrap_err();
    /// assert_eq!(e, [
    ///     "has an unknown field “text”; the fields here are form, language, texts",
    ///     "is missing “language”",
    ///     "is missing “texts”",
    /// ]);
    /// ```
    pub fn parse(json: &str) -> Result<Translation, Vec<String>> {
        let value: Value = crate::parse_json(json).map_err(|e| vec![format!("is not valid JSON: {e}")])?;
        let mut e = Vec::new();
        let shape = "an object with form, language and texts";
        let fields = ["form", "language", "texts"];
        let Some(f) = Fields::new(&mut e, &value, String::new(), shape, &fields, &fields) else {
            return Err(e);
        };
        let form = f.get(&mut e, "form", "a string", string);
        let language = f.get(&mut e, "language", "a string", string);
        let mut texts = Vec::new();
        if let Some(v) = f.given("texts") {
            if let Some(words) = Fields::any(&mut e, v, "“texts”".into(), "an object of key → words") {
                for (k, v) in words.each() {
                    match v {
                        Value::String(s) if !s.trim().is_empty() => texts.push((k.clone(), s.clone())),
                        _ => e.push(format!("the text “{k}” must be words, not empty or another kind of value")),
                    }
                }
            }
        }
        match (form, language) {
            (Some(form), Some(language)) if e.is_empty() => Ok(Translation { form, language, texts }),
            _ => Err(e),
        }
    }
}

impl Text {
    /// Sets the words for `lang`; a plain text keeps its words for `source`.
    fn set(&mut self, source: &str, lang: &str, words: &str) {
        if let Text::Plain(s) = self {
            *self = Text::Translated(vec![(source.to_owned(), std::mem::take(s))]);
        }
        if let Text::Translated(m) = self {
            match m.iter_mut().find(|(k, _)| k == lang) {
                Some((_, w)) => words.clone_into(w),
                None => m.push((lang.to_owned(), words.to_owned())),
            }
        }
    }
}

/// Calls `f` with `{base}.{name}` and the text, for each of `texts` that is given.
fn visit<const N: usize>(f: &mut dyn FnMut(String, &mut Text), base: &str, texts: [(&str, Option<&mut Text>); N]) {
    for (name, text) in texts {
        if let Some(t) = text {
            f(format!("{base}.{name}"), t);
        }
    }
}

impl Form {
    /// Calls `f` with every text in the form and its key, in order.
    pub fn each_text_mut(&mut self, f: &mut dyn FnMut(String, &mut Text)) {
        f("title".into(), &mut self.title);
        for (i, t) in self.intro.iter_mut().enumerate() {
            f(format!("intro.{i}"), t);
        }
        for page in &mut self.pages {
            visit(f, &format!("page.{}", page.id), [("title", page.title.as_mut())]);
            for q in &mut page.questions {
                let b = format!("q.{}", q.id);
                visit(
                    f,
                    &b,
                    [("label", Some(&mut q.label)), ("easy_read", q.easy_read.as_mut()), ("hint", q.hint.as_mut())],
                );
                match &mut q.kind {
                    Kind::SingleChoice { options } | Kind::MultipleChoice { options } => {
                        for c in options {
                            let o = format!("{b}.option.{}", c.value);
                            visit(
                                f,
                                &o,
                                [
                                    ("label", Some(&mut c.label)),
                                    ("easy_read", c.easy_read.as_mut()),
                                    ("hint", c.hint.as_mut()),
                                ],
                            );
                        }
                    }
                    Kind::Scale { min, labels, pictures, .. } => {
                        for (n, t) in (*min..).zip(labels.iter_mut()) {
                            f(format!("{b}.point.{n}"), t);
                        }
                        for (n, p) in (*min..).zip(pictures.iter_mut()) {
                            f(format!("{b}.picture.{n}"), &mut p.alt);
                        }
                    }
                    Kind::YesNo { yes, no } => visit(f, &b, [("yes", yes.as_mut()), ("no", no.as_mut())]),
                    Kind::ShortText { .. } | Kind::LongText { .. } => {}
                }
            }
        }
    }

    /// Every text's key with its words in `lang` (falling back as [`Text::get`] does):
    /// what a translator starts from.
    pub fn texts(&self, lang: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        self.clone().each_text_mut(&mut |k, t| out.push((k, t.get(lang).to_owned())));
        out
    }

    /// Adds a translation's words to the form. Returns the problems: a translation
    /// of another form or of a language the form does not list (nothing is added),
    /// or keys that name no text (the rest is added).
    pub fn translate(&mut self, t: &Translation) -> Vec<String> {
        if t.form != self.id {
            return vec![format!("translates the form “{}”, not “{}”", t.form, self.id)];
        }
        if !self.languages.contains(&t.language) {
            return vec![format!("is in “{}”, which the form does not list in its languages", t.language)];
        }
        let source = self.languages.first().cloned().unwrap_or_else(|| crate::FALLBACK_LANGUAGE.into());
        let mut used = vec![false; t.texts.len()];
        self.each_text_mut(&mut |key, text| {
            if let Some(i) = t.texts.iter().position(|(k, _)| *k == key) {
                text.set(&source, &t.language, &t.texts[i].1);
                used[i] = true;
            }
        });
        t.texts
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|((k, _), _)| format!("has “{k}”, which is not a text in the form"))
            .collect()
    }

    /// The keys of texts that have no words in `lang` itself.
    pub fn untranslated(&self, lang: &str) -> Vec<String> {
        let source = self.languages.first().map_or(crate::FALLBACK_LANGUAGE, String::as_str) == lang;
        let mut out = Vec::new();
        self.clone().each_text_mut(&mut |k, t| {
            if !t.has(lang) || (matches!(t, Text::Plain(_)) && !source) {
                out.push(k);
            }
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one rule for `null` and for unknown fields, in a translation file.
    #[test]
    fn null_is_left_out_and_unknown_fields_are_named() {
        let t = Translation::parse(r#"{"form": "f", "language": "cy", "texts": {"title": "Teitl", "q.a.hint": null}}"#)
            .unwrap();
        assert_eq!(t.texts, [("title".to_owned(), "Teitl".to_owned())], "a null text is left untranslated");
        let e = Translation::parse(r#"{"form": null, "language": "cy", "texts": null, "lang": "cy"}"#).unwrap_err();
        assert_eq!(
            e,
            [
                "has an unknown field “lang”; the fields here are form, language, texts",
                "is missing “form”",
                "is missing “texts”",
            ]
        );
        let e =
            Translation::parse(r#"{"form": 1, "language": "cy", "texts": {"title": 2, "intro.0": " "}}"#).unwrap_err();
        assert_eq!(
            e,
            [
                "has a “form” that is not a string",
                "the text “intro.0” must be words, not empty or another kind of value",
                "the text “title” must be words, not empty or another kind of value",
            ]
        );
        assert_eq!(Translation::parse("[]").unwrap_err(), ["must be an object with form, language and texts"]);
    }
}
