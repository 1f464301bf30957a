//! Reading a form file, and listing every problem in a broken one. Each part
//! (the form, a page, a question, an option, a picture) is read with the
//! model's one object reader, [`crate::read::Fields`], so the rules for `null`
//! and unknown fields are those of every file.

use crate::form::{DEFAULT_LONG_MAX, DEFAULT_SHORT_MAX, KIND_NAMES};
use crate::read::{boolean, string, strings, texts, uint, Fields, CONDITION_HELP};
use crate::{check_answer, is_identifier, Choice, Condition, Form, Kind, Page, Picture, Question, Text};
use serde_json::Value;
use std::fmt;

/// Every problem found in a form file, each a sentence saying where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormErrors(pub Vec<String>);

impl fmt::Display for FormErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "The form file has {n} problem{}:", if n == 1 { "" } else { "s" })?;
        for e in &self.0 {
            writeln!(f, "- {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for FormErrors {}

const FORM_FIELDS: &[&str] = &["id", "version", "title", "languages", "intro", "minutes", "pages"];
const PAGE_FIELDS: &[&str] = &["id", "title", "show_if", "questions"];
const QUESTION_FIELDS: &[&str] = &["id", "label", "easy_read", "hint", "required", "show_if", "kind"];
const OPTION_FIELDS: &[&str] = &["value", "label", "easy_read", "hint", "exclusive"];
const PICTURE_FIELDS: &[&str] = &["src", "alt"];

/// The fields a question of `kind` has besides [`QUESTION_FIELDS`], and which of them it must have.
fn kind_fields(kind: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        "single_choice" | "multiple_choice" => (&["options"], &["options"]),
        "scale" => (&["min", "max", "labels", "pictures"], &["min", "max", "labels"]),
        "short_text" | "long_text" => (&["max_length"], &[]),
        _ => (&["yes", "no"], &[]),
    }
}

impl Form {
    /// Reads a form file. A broken one gives every problem found, not just the first.
    ///
    /// ```
    /// use feedback_model::Form;
    /// let broken = r#"{"id": "f", "version": "1", "title": "T", "pages": [
    ///   {"id": "p", "questions": [
    ///     {"id": "a", "label": "A", "kind": "slider"},
    ///     {"id": "a", "label": "B", "kind": "yes_no", "show_if": {"question": "zzz", "equals": true}}
    ///   ]}]}"#;
    /// let errors = Form::parse(broken).unwrap_err().0;
    /// assert_eq!(errors.len(), 1); // the unknown kind; the rest is checked once the shape is right
    /// assert!(errors[0].contains("unknown kind “slider”"));
    /// ```
    pub fn parse(json: &str) -> Result<Form, FormErrors> {
        let value: Value =
            crate::parse_json(json).map_err(|e| FormErrors(vec![format!("the file is not valid JSON: {e}")]))?;
        let form = read_form(&value).map_err(FormErrors)?;
        let errors = form.check_meaning();
        if errors.is_empty() {
            Ok(form)
        } else {
            Err(FormErrors(errors))
        }
    }

    /// Checks what the types cannot: identifiers, duplicates, skip logic, translations.
    fn check_meaning(&self) -> Vec<String> {
        let mut e = Vec::new();
        if !is_identifier(&self.id) {
            e.push(format!("the form id “{}” must be 1 to 64 of a-z, 0-9, - and _", self.id));
        }
        if self.version.trim().is_empty() || self.version.len() > 64 {
            e.push("the form version must be 1 to 64 characters".into());
        }
        if self.languages.is_empty() {
            e.push("“languages” must name at least one language".into());
        }
        for l in &self.languages {
            if !crate::payload::is_language_tag(l) {
                e.push(format!("“{l}” in “languages” is not a language code like en, cy or ar"));
            }
        }
        if self.pages.is_empty() {
            e.push("the form has no pages".into());
        }
        let mut texts: Vec<(String, &Text)> = vec![("the form title".into(), &self.title)];
        texts.extend(self.intro.iter().enumerate().map(|(i, t)| (format!("intro paragraph {}", i + 1), t)));

        let mut page_ids: Vec<&str> = Vec::new();
        let mut asked: Vec<&Question> = Vec::new(); // questions before the current point
        for (pi, page) in self.pages.iter().enumerate() {
            let at = format!("page {} (“{}”)", pi + 1, page.id);
            if !is_identifier(&page.id) {
                e.push(format!("{at}: the id must be 1 to 64 of a-z, 0-9, - and _"));
            } else if page_ids.contains(&page.id.as_str()) {
                e.push(format!("{at}: the page id “{}” is used twice", page.id));
            }
            page_ids.push(&page.id);
            if page.questions.is_empty() {
                e.push(format!("{at}: the page has no questions"));
            }
            if let Some(t) = &page.title {
                texts.push((format!("{at}: the title"), t));
            }
            if page.title.is_none() && page.questions.len() > 1 {
                e.push(format!("{at}: a page with several questions needs a title"));
            }
            if let Some(c) = &page.show_if {
                check_condition(&mut e, &at, c, &asked);
            }
            for q in &page.questions {
                let at = format!("question “{}” on page {}", q.id, pi + 1);
                if !is_identifier(&q.id) {
                    e.push(format!("{at}: the id must be 1 to 64 of a-z, 0-9, - and _"));
                } else if self.questions().filter(|o| o.id == q.id).count() > 1 && asked.iter().all(|o| o.id != q.id) {
                    e.push(format!("{at}: the question id “{}” is used more than once", q.id));
                } else if let Some(o) = page
                    .questions
                    .iter()
                    .find(|o| q.id.strip_prefix(o.id.as_str()).is_some_and(|rest| rest.starts_with('-')))
                {
                    // Its fields' ids (`q-{id}-2`, `q-{id}-hint`, …) would be another's on the page.
                    e.push(format!(
                        "{at}: the id begins with “{}-”, which is another question's id on this page and a dash, so \
                         the page would give two of their parts one id; rename one of them",
                        o.id
                    ));
                }
                if let Some(c) = &q.show_if {
                    check_condition(&mut e, &at, c, &asked);
                }
                check_kind(&mut e, &at, q);
                texts.push((format!("{at}: the label"), &q.label));
                if let Some(h) = &q.hint {
                    texts.push((format!("{at}: the hint"), h));
                }
                for c in q.kind.options() {
                    texts.push((format!("{at}: option “{}”", c.value), &c.label));
                    if let Some(h) = &c.hint {
                        texts.push((format!("{at}: the hint of option “{}”", c.value), h));
                    }
                }
                if let Kind::Scale { labels, pictures, .. } = &q.kind {
                    texts.extend(labels.iter().enumerate().map(|(i, t)| (format!("{at}: scale word {}", i + 1), t)));
                    texts.extend(
                        pictures.iter().enumerate().map(|(i, p)| (format!("{at}: picture {}'s text", i + 1), &p.alt)),
                    );
                }
                asked.push(q);
            }
        }
        for (at, t) in texts {
            for lang in &self.languages {
                if !t.has(lang) {
                    e.push(format!("{at} has no text in “{lang}”"));
                }
            }
        }
        e
    }
}

fn check_kind(e: &mut Vec<String>, at: &str, q: &Question) {
    match &q.kind {
        Kind::SingleChoice { options } | Kind::MultipleChoice { options } => {
            if options.len() < 2 {
                e.push(format!("{at}: a choice needs at least two options"));
            }
            let mut seen: Vec<&str> = Vec::new();
            for c in options {
                if !is_identifier(&c.value) {
                    e.push(format!("{at}: the option value “{}” must be 1 to 64 of a-z, 0-9, - and _", c.value));
                } else if seen.contains(&c.value.as_str()) {
                    e.push(format!("{at}: the option value “{}” is used twice", c.value));
                }
                seen.push(&c.value);
                if c.exclusive && matches!(q.kind, Kind::SingleChoice { .. }) {
                    e.push(format!("{at}: “exclusive” is for multiple_choice options only"));
                }
            }
        }
        Kind::Scale { min, max, labels, pictures } => {
            if min >= max || max - min > 10 {
                e.push(format!("{at}: a scale must go up from min to max, at most 11 points"));
            } else {
                let points = (max - min + 1) as usize;
                if labels.len() != points {
                    e.push(format!(
                        "{at}: the scale has {points} points but {} words; give words for every point",
                        labels.len()
                    ));
                }
                if !pictures.is_empty() && pictures.len() != points {
                    e.push(format!("{at}: the scale has {points} points but {} pictures", pictures.len()));
                }
            }
            for p in pictures {
                if p.src.contains("://") || p.src.starts_with("//") || p.src.contains("..") {
                    e.push(format!("{at}: picture “{}” must be a path inside the app, not another site", p.src));
                }
            }
        }
        Kind::ShortText { max_length } | Kind::LongText { max_length } => {
            if *max_length == 0 || *max_length > 10_000 {
                e.push(format!("{at}: max_length must be from 1 to 10000"));
            }
        }
        Kind::YesNo { .. } => {}
    }
}

fn check_condition(e: &mut Vec<String>, at: &str, c: &Condition, asked: &[&Question]) {
    for (id, values, includes) in c.tests() {
        let Some(q) = asked.iter().find(|q| q.id == id) else {
            e.push(format!("{at}: the condition names “{id}”, which is not a question asked before this point"));
            continue;
        };
        let optional = Question { required: false, ..(*q).clone() };
        if let Some(v) = includes {
            if q.kind.options().iter().all(|o| o.value != v) {
                e.push(format!("{at}: the condition's “{v}” is not an option of “{id}”, so it can never match"));
            }
        }
        for v in values {
            if check_answer(&optional, Some(v)).is_err() {
                e.push(format!(
                    "{at}: the condition's value {} can never be an answer to “{id}” ({})",
                    serde_json::to_string(v).unwrap_or_default(),
                    q.kind.name()
                ));
            }
        }
    }
}

/// Reads the form, checking the shape of every part separately, so one broken
/// question does not hide the next. `Err` lists every problem found.
fn read_form(v: &Value) -> Result<Form, Vec<String>> {
    let mut e = Vec::new();
    let shape = "a JSON object with id, version, title and pages";
    let required = ["id", "version", "title", "pages"];
    let Some(f) = Fields::new(&mut e, v, "the form".into(), shape, FORM_FIELDS, &required) else {
        return Err(e);
    };
    let f = f.owned_by("the form's ".into());
    let id = f.get(&mut e, "id", "a string", string);
    let version = f.get(&mut e, "version", "a string", string);
    let title = f.get(&mut e, "title", "a text", Text::from_value);
    let languages = f.get(&mut e, "languages", "a list of language codes", strings);
    let intro = f.get(&mut e, "intro", "a list of texts", texts);
    let minutes = f.get(&mut e, "minutes", "a whole number", uint);
    let pages = f.list(&mut e, "pages", "a list of pages", read_page);
    match (id, version, title, pages) {
        (Some(id), Some(version), Some(title), Some(pages)) if e.is_empty() => Ok(Form {
            id,
            version,
            title,
            languages: languages.unwrap_or_else(|| vec![crate::FALLBACK_LANGUAGE.to_owned()]),
            intro: intro.unwrap_or_default(),
            minutes,
            pages,
        }),
        _ => Err(e),
    }
}

/// Reads page `pi` (from 0), noting its problems in `e`.
fn read_page(e: &mut Vec<String>, pi: usize, page: &Value) -> Option<Page> {
    let at = format!("page {}{}", pi + 1, named(page, "id"));
    let shape = "an object with id and questions";
    let f = Fields::new(e, page, at, shape, PAGE_FIELDS, &["id", "questions"])?;
    let owner = format!("{}: ", f.at());
    let f = f.owned_by(owner);
    let id = f.get(e, "id", "a string", string);
    let title = f.get(e, "title", "a text", Text::from_value);
    let show_if = f.get(e, "show_if", &format!("a condition; {CONDITION_HELP}"), Condition::from_value);
    let questions = f.list(e, "questions", "a list", |e, qi, q| read_question(e, pi, qi, q));
    Some(Page { id: id?, title, show_if, questions: questions? })
}

/// ` (“id”)` when `v` has a string `key`, to say which part a problem is in.
fn named(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).map(|id| format!(" (“{id}”)")).unwrap_or_default()
}

/// Reads question `qi` of page `pi` (both from 0), noting its problems in `e`.
fn read_question(e: &mut Vec<String>, pi: usize, qi: usize, v: &Value) -> Option<Question> {
    let at = format!("question {}{} on page {}", qi + 1, named(v, "id"), pi + 1);
    let kinds = || KIND_NAMES.map(|k| format!("“{k}”")).join(", ");
    // The kind says which other fields the question has, so it is read first.
    let kind = match v.get("kind").filter(|k| !k.is_null()) {
        _ if !v.is_object() => "",
        None => {
            e.push(format!("{at} has no “kind”; the kinds are {}", kinds()));
            return None;
        }
        Some(Value::String(k)) if KIND_NAMES.contains(&k.as_str()) => k.as_str(),
        Some(other) => {
            // Not `Value`'s own Display, whose JSON writer costs the download about
            // 2 KB, nor a fraction's, whose float writer costs about 1 KB more.
            let shown = match other {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.as_i64().map_or_else(|| "a fraction".into(), |n| n.to_string()),
                Value::Bool(b) => b.to_string(),
                Value::Array(_) => "[…]".into(),
                _ => "{…}".into(),
            };
            e.push(format!("{at} has an unknown kind “{shown}”; the kinds are {}", kinds()));
            return None;
        }
    };
    let (extra, extra_required) = kind_fields(kind);
    let allowed: Vec<&str> = QUESTION_FIELDS.iter().chain(extra).copied().collect();
    let required: Vec<&str> = ["id", "label"].iter().chain(extra_required).copied().collect();
    let f = Fields::new(e, v, at, "an object with id, label and kind", &allowed, &required)?;
    let id = f.get(e, "id", "a string", string);
    let label = f.get(e, "label", "a text", Text::from_value);
    let easy_read = f.get(e, "easy_read", "a text", Text::from_value);
    let hint = f.get(e, "hint", "a text", Text::from_value);
    let required = f.get(e, "required", "true or false", boolean);
    let show_if = f.get(e, "show_if", &format!("a condition; {CONDITION_HELP}"), Condition::from_value);
    let kind = match kind {
        "single_choice" | "multiple_choice" => {
            let options = f.list(e, "options", "a list of options, each with value and label", |e, i, v| {
                read_option(e, format!("option {}{} of {}", i + 1, named(v, "value"), f.at()), v)
            })?;
            if kind == "single_choice" {
                Kind::SingleChoice { options }
            } else {
                Kind::MultipleChoice { options }
            }
        }
        "scale" => {
            let min = f.get(e, "min", "a whole number", Value::as_i64);
            let max = f.get(e, "max", "a whole number", Value::as_i64);
            let labels = f.get(e, "labels", "a list of texts, one for each point", texts);
            let pictures = f.list(e, "pictures", "a list of pictures, each with src and alt", |e, i, v| {
                read_picture(e, format!("picture {} of {}", i + 1, f.at()), v)
            });
            Kind::Scale { min: min?, max: max?, labels: labels?, pictures: pictures.unwrap_or_default() }
        }
        "short_text" | "long_text" => {
            let max = f.get(e, "max_length", "a whole number", |v| v.as_u64()?.try_into().ok());
            if kind == "short_text" {
                Kind::ShortText { max_length: max.unwrap_or(DEFAULT_SHORT_MAX) }
            } else {
                Kind::LongText { max_length: max.unwrap_or(DEFAULT_LONG_MAX) }
            }
        }
        _ => Kind::YesNo {
            yes: f.get(e, "yes", "a text", Text::from_value),
            no: f.get(e, "no", "a text", Text::from_value),
        },
    };
    Some(Question { id: id?, label: label?, easy_read, hint, required: required.unwrap_or(false), show_if, kind })
}

/// Reads one option of a choice question, found at `at`.
fn read_option(e: &mut Vec<String>, at: String, v: &Value) -> Option<Choice> {
    let f = Fields::new(e, v, at, "an object with value and label", OPTION_FIELDS, &["value", "label"])?;
    let value = f.get(e, "value", "a string", string);
    let label = f.get(e, "label", "a text", Text::from_value);
    let easy_read = f.get(e, "easy_read", "a text", Text::from_value);
    let hint = f.get(e, "hint", "a text", Text::from_value);
    let exclusive = f.get(e, "exclusive", "true or false", boolean);
    Some(Choice { value: value?, label: label?, easy_read, hint, exclusive: exclusive.unwrap_or(false) })
}

/// Reads one picture of a scale, found at `at`.
fn read_picture(e: &mut Vec<String>, at: String, v: &Value) -> Option<Picture> {
    let f = Fields::new(e, v, at, "an object with src and alt", PICTURE_FIELDS, &["src", "alt"])?;
    let src = f.get(e, "src", "a string", string);
    let alt = f.get(e, "alt", "a text", Text::from_value);
    Some(Picture { src: src?, alt: alt? })
}
