//! Reading a form file, and listing every problem in a broken one.

use crate::read::{string, strings, texts, uint, CONDITION_HELP};
use crate::{check_answer, is_identifier, Condition, Form, Kind, Page, Question, Text};
use serde_json::{Map, Value};
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
            serde_json::from_str(json).map_err(|e| FormErrors(vec![format!("the file is not valid JSON: {e}")]))?;
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
    let Some(form) = v.as_object() else {
        return Err(vec!["the form must be a JSON object with id, version, title and pages".into()]);
    };
    fields(&mut e, "the form", form, FORM_FIELDS, &["id", "version", "title", "pages"]);
    let id = typed(&mut e, "the form's “id”", form.get("id"), "a string", string);
    let version = typed(&mut e, "the form's “version”", form.get("version"), "a string", string);
    let title = typed(&mut e, "the form's “title”", form.get("title"), "a text", Text::from_value);
    let languages = typed(&mut e, "the form's “languages”", form.get("languages"), "a list of language codes", strings);
    let intro = typed(&mut e, "the form's “intro”", form.get("intro"), "a list of texts", texts);
    let minutes = typed(&mut e, "the form's “minutes”", form.get("minutes"), "a whole number", uint);
    let mut pages = Vec::new();
    match form.get("pages").map(Value::as_array) {
        None => {}
        Some(None) => e.push("“pages” must be a list of pages".into()),
        Some(Some(list)) => {
            for (pi, page) in list.iter().enumerate() {
                if let Some(page) = read_page(&mut e, pi, page) {
                    pages.push(page);
                }
            }
        }
    }
    match (id, version, title) {
        (Some(id), Some(version), Some(title)) if e.is_empty() => Ok(Form {
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
    let at = format!("page {}{}", pi + 1, id_of(page));
    let Some(page) = page.as_object() else {
        e.push(format!("{at} must be an object with id and questions"));
        return None;
    };
    fields(e, &at, page, PAGE_FIELDS, &["id", "questions"]);
    let id = typed(e, &format!("{at}: “id”"), page.get("id"), "a string", string);
    let title = typed(e, &format!("{at}: “title”"), page.get("title"), "a text", Text::from_value);
    let show_if = page.get("show_if").and_then(|c| {
        let c = Condition::from_value(c);
        if c.is_none() {
            e.push(format!("{at}: “show_if” is not a condition; {CONDITION_HELP}"));
        }
        c
    });
    let mut questions = Vec::new();
    match page.get("questions").map(Value::as_array) {
        None => {}
        Some(None) => e.push(format!("{at}: “questions” must be a list")),
        Some(Some(list)) => {
            for (qi, q) in list.iter().enumerate() {
                match Question::from_value(q) {
                    Ok(q) => questions.push(q),
                    Err(problems) => {
                        let at = format!("question {}{} on page {}", qi + 1, id_of(q), pi + 1);
                        e.extend(problems.into_iter().map(|p| format!("{at} {p}")));
                    }
                }
            }
        }
    }
    Some(Page { id: id?, title, show_if, questions })
}

fn id_of(v: &Value) -> String {
    v.get("id").and_then(Value::as_str).map(|id| format!(" (“{id}”)")).unwrap_or_default()
}

/// Reports unknown fields (usually typos) and missing required ones.
pub(crate) fn fields(e: &mut Vec<String>, at: &str, obj: &Map<String, Value>, allowed: &[&str], required: &[&str]) {
    for k in obj.keys() {
        if !allowed.contains(&k.as_str()) {
            e.push(format!("{at} has an unknown field “{k}”; the fields here are {}", allowed.join(", ")));
        }
    }
    for r in required {
        if !obj.contains_key(*r) {
            e.push(format!("{at} is missing “{r}”"));
        }
    }
}

/// `v` read by `read`, if given; a problem noted in `e` if it is not `expected`.
pub(crate) fn typed<T>(
    e: &mut Vec<String>,
    what: &str,
    v: Option<&Value>,
    expected: &str,
    read: fn(&Value) -> Option<T>,
) -> Option<T> {
    let v = v?;
    let r = read(v);
    if r.is_none() {
        e.push(format!("{what} must be {expected}"));
    }
    r
}
