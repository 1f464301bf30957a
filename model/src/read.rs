//! Reading the form file's parts by hand from a `serde_json::Value`, rather than
//! by serde's derive (which would buffer the untagged and flattened ones, and
//! costs the app's download a visitor per type). This keeps the download small
//! and lets each part say exactly what is wrong with it. The form as a whole is
//! read in `parse.rs`, the config in `config.rs`.

use crate::form::KIND_NAMES;
use crate::{Answer, Choice, Condition, Kind, Picture, Question, Text};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

const COMMON_FIELDS: &[&str] = &["id", "label", "easy_read", "hint", "required", "show_if", "kind"];

pub(crate) const CONDITION_HELP: &str =
    "write {\"question\": ID, \"includes\": VALUE}, {\"question\": ID, \"equals\": VALUE}, \
{\"question\": ID, \"any_of\": [VALUES]}, {\"all\": [CONDITIONS]} or {\"any\": [CONDITIONS]}";

fn kind_fields(kind: &str) -> &'static [&'static str] {
    match kind {
        "single_choice" | "multiple_choice" => &["options"],
        "scale" => &["min", "max", "labels", "pictures"],
        "short_text" | "long_text" => &["max_length"],
        "yes_no" => &["yes", "no"],
        _ => &[],
    }
}

/// A field of `obj` read by `read`, or a sentence saying what it must be.
fn field<T>(
    obj: &Map<String, Value>,
    name: &str,
    expected: &str,
    read: fn(&Value) -> Option<T>,
) -> Result<Option<T>, String> {
    obj.get(name).map(|v| read(v).ok_or_else(|| format!("has a “{name}” that is not {expected}"))).transpose()
}

// Readers for plain values, each `None` when the value is of another type (as
// serde would refuse it: no numbers from strings, no fractions for whole numbers).

pub(crate) fn string(v: &Value) -> Option<String> {
    v.as_str().map(str::to_owned)
}

pub(crate) fn list<T>(v: &Value, read: fn(&Value) -> Option<T>) -> Option<Vec<T>> {
    v.as_array()?.iter().map(read).collect()
}

pub(crate) fn strings(v: &Value) -> Option<Vec<String>> {
    list(v, string)
}

pub(crate) fn texts(v: &Value) -> Option<Vec<Text>> {
    list(v, Text::from_value)
}

pub(crate) fn uint(v: &Value) -> Option<u32> {
    v.as_u64()?.try_into().ok()
}

/// Whether every key of `obj` is one of `allowed`.
fn only(obj: &Map<String, Value>, allowed: &[&str]) -> bool {
    obj.keys().all(|k| allowed.contains(&k.as_str()))
}

/// An optional text as serde reads `Option<Text>`: missing or `null` is none.
/// `Err` when it is something else that is not a text.
fn optional_text(obj: &Map<String, Value>, name: &str) -> Result<Option<Text>, ()> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => Text::from_value(v).map(Some).ok_or(()),
    }
}

impl Choice {
    fn from_value(v: &Value) -> Option<Choice> {
        let obj = v.as_object()?;
        if !only(obj, &["value", "label", "easy_read", "hint", "exclusive"]) {
            return None;
        }
        Some(Choice {
            value: string(obj.get("value")?)?,
            label: Text::from_value(obj.get("label")?)?,
            easy_read: optional_text(obj, "easy_read").ok()?,
            hint: optional_text(obj, "hint").ok()?,
            exclusive: match obj.get("exclusive") {
                None => false,
                Some(v) => v.as_bool()?,
            },
        })
    }
}

impl Picture {
    fn from_value(v: &Value) -> Option<Picture> {
        let obj = v.as_object()?;
        if !only(obj, &["src", "alt"]) {
            return None;
        }
        Some(Picture { src: string(obj.get("src")?)?, alt: Text::from_value(obj.get("alt")?)? })
    }
}

impl Text {
    pub(crate) fn from_value(v: &Value) -> Option<Text> {
        match v {
            Value::String(s) => Some(Text::Plain(s.clone())),
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| v.as_str().map(|s| (k.clone(), s.to_owned())))
                .collect::<Option<_>>()
                .map(Text::Translated),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Text::from_value(&Value::deserialize(d)?)
            .ok_or_else(|| D::Error::custom("a text must be a string, or an object of strings keyed by language code"))
    }
}

impl Answer {
    /// An answer as JSON gives it (in a payload, a condition or a draft).
    pub(crate) fn from_value(v: &Value) -> Option<Answer> {
        match v {
            Value::Bool(b) => Some(Answer::Flag(*b)),
            Value::Number(n) => n.as_i64().map(Answer::Number),
            Value::String(s) => Some(Answer::Text(s.clone())),
            Value::Array(a) => {
                a.iter().map(|x| x.as_str().map(str::to_owned)).collect::<Option<_>>().map(Answer::Choices)
            }
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Answer::from_value(&Value::deserialize(d)?).ok_or_else(|| {
            D::Error::custom("an answer must be a string, a whole number, true or false, or a list of strings")
        })
    }
}

impl Condition {
    pub(crate) fn from_value(v: &Value) -> Option<Condition> {
        let obj = v.as_object()?;
        let list = |v: &Value| v.as_array()?.iter().map(Condition::from_value).collect::<Option<Vec<_>>>();
        let answers = |v: &Value| v.as_array()?.iter().map(Answer::from_value).collect::<Option<Vec<_>>>();
        let question = || obj.get("question").and_then(Value::as_str).map(str::to_owned);
        if obj.len() == 1 {
            if let Some(all) = obj.get("all") {
                return list(all).map(|all| Condition::All { all });
            }
            if let Some(any) = obj.get("any") {
                return list(any).map(|any| Condition::Any { any });
            }
        }
        if obj.len() != 2 {
            return None;
        }
        let question = question()?;
        if let Some(v) = obj.get("includes") {
            return v.as_str().map(|s| Condition::Includes { question, includes: s.to_owned() });
        }
        if let Some(v) = obj.get("equals") {
            return Answer::from_value(v).map(|equals| Condition::Equals { question, equals });
        }
        obj.get("any_of").and_then(answers).map(|any_of| Condition::AnyOf { question, any_of })
    }
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Condition::from_value(&Value::deserialize(d)?)
            .ok_or_else(|| D::Error::custom(format!("not a condition; {CONDITION_HELP}")))
    }
}

impl Question {
    /// Reads one question, giving every problem with it.
    pub(crate) fn from_value(v: &Value) -> Result<Question, Vec<String>> {
        let Some(obj) = v.as_object() else {
            return Err(vec!["must be an object with id, label and kind".into()]);
        };
        let kinds = KIND_NAMES.map(|k| format!("“{k}”")).join(", ");
        let kind = match obj.get("kind") {
            None => return Err(vec![format!("has no “kind”; the kinds are {kinds}")]),
            Some(Value::String(k)) if KIND_NAMES.contains(&k.as_str()) => k.as_str(),
            Some(other) => {
                let shown = other.as_str().map_or_else(|| other.to_string(), str::to_owned);
                return Err(vec![format!("has an unknown kind “{shown}”; the kinds are {kinds}")]);
            }
        };
        let mut e = Vec::new();
        let allowed: Vec<&str> = COMMON_FIELDS.iter().chain(kind_fields(kind)).copied().collect();
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                e.push(format!("has an unknown field “{k}”; the fields for {kind} are {}", allowed.join(", ")));
            }
        }
        let text = |name: &str| {
            obj.get(name)
                .map(|v| Text::from_value(v).ok_or_else(|| format!("has a “{name}” that is not a text")))
                .transpose()
        };
        let id = required_field(&mut e, field(obj, "id", "a string", string), "id");
        let label = required_field(&mut e, text("label"), "label");
        let easy_read = optional_field(&mut e, text("easy_read"));
        let hint = optional_field(&mut e, text("hint"));
        let required = optional_field(&mut e, field(obj, "required", "true or false", Value::as_bool));
        let show_if = optional_field(
            &mut e,
            obj.get("show_if")
                .map(|v| {
                    Condition::from_value(v)
                        .ok_or_else(|| format!("has a “show_if” that is not a condition; {CONDITION_HELP}"))
                })
                .transpose(),
        );
        let kind = match kind {
            "single_choice" | "multiple_choice" => {
                let options = required_field(
                    &mut e,
                    field(obj, "options", "a list of options, each with value and label", |v| {
                        list(v, Choice::from_value)
                    }),
                    "options",
                );
                options.map(|options| {
                    if kind == "single_choice" {
                        Kind::SingleChoice { options }
                    } else {
                        Kind::MultipleChoice { options }
                    }
                })
            }
            "scale" => {
                let min = required_field(&mut e, field(obj, "min", "a whole number", Value::as_i64), "min");
                let max = required_field(&mut e, field(obj, "max", "a whole number", Value::as_i64), "max");
                let labels = required_field(
                    &mut e,
                    field(obj, "labels", "a list of texts, one for each point", texts),
                    "labels",
                );
                let pictures = optional_field(
                    &mut e,
                    field(obj, "pictures", "a list of pictures, each with src and alt", |v| {
                        list(v, Picture::from_value)
                    }),
                );
                match (min, max, labels) {
                    (Some(min), Some(max), Some(labels)) => {
                        Some(Kind::Scale { min, max, labels, pictures: pictures.unwrap_or_default() })
                    }
                    _ => None,
                }
            }
            "short_text" | "long_text" => {
                let max =
                    optional_field(&mut e, field(obj, "max_length", "a whole number", |v| v.as_u64()?.try_into().ok()));
                Some(if kind == "short_text" {
                    Kind::ShortText { max_length: max.unwrap_or(crate::form::DEFAULT_SHORT_MAX) }
                } else {
                    Kind::LongText { max_length: max.unwrap_or(crate::form::DEFAULT_LONG_MAX) }
                })
            }
            _ => Some(Kind::YesNo { yes: optional_field(&mut e, text("yes")), no: optional_field(&mut e, text("no")) }),
        };
        match (id, label, kind) {
            (Some(id), Some(label), Some(kind)) if e.is_empty() => {
                Ok(Question { id, label, easy_read, hint, required: required.unwrap_or(false), show_if, kind })
            }
            _ => Err(e),
        }
    }
}

/// A field that must be there: its value, or a problem noted in `e`.
fn required_field<T>(e: &mut Vec<String>, r: Result<Option<T>, String>, name: &str) -> Option<T> {
    match r {
        Ok(Some(v)) => Some(v),
        Ok(None) => {
            e.push(format!("is missing “{name}”"));
            None
        }
        Err(msg) => {
            e.push(msg);
            None
        }
    }
}

/// A field that may be left out: its value if given, or a problem noted in `e`.
fn optional_field<T>(e: &mut Vec<String>, r: Result<Option<T>, String>) -> Option<T> {
    r.unwrap_or_else(|msg| {
        e.push(msg);
        None
    })
}

impl<'de> Deserialize<'de> for Question {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Question::from_value(&Value::deserialize(d)?).map_err(|e| D::Error::custom(e.join("; ")))
    }
}
