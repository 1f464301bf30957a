//! The model's one reader for JSON objects ([`Fields`]), and readers for the
//! plain values inside them. Every file a person writes is read with it: the
//! form (`parse.rs`), `config.json` (`config.rs`), translations
//! (`translation.rs`) and the interface's locale files (`locale.rs`); the stored
//! formats (`outbox.rs`, `draft.rs`) use it too.
//!
//! It reads by hand from a `serde_json::Value`, not with serde's derive: a
//! derive stops at the first problem, buffers untagged and flattened types,
//! and was measured at +9.8 KB of the app's download.
//!
//! # The rules, the same in every file
//!
//! - **`null` is the same as leaving the field out.** An optional field that is
//!   `null` takes its default, as serde reads an `Option`; a required field that
//!   is `null` is reported as missing: `help contact 1 is missing “name”`.
//! - **Unknown fields are reported** (they are usually typos), naming the object
//!   they are in and the fields it may have:
//!   `option 2 (“phone”) of question 1 (“ways”) on page 1 has an unknown field “lable”; the fields here are …`.
//!   Two exceptions: the stored formats, which only the app writes, leave
//!   unknown fields alone, so a newer version's outbox is never refused by an
//!   older one; and a locale file is a map of key → sentence whose keys depend
//!   on its language's plural forms, so `model/tests/shipped.rs` reports the keys
//!   English lacks.
//! - **Every problem names where it is**, down to an option or a picture: the
//!   object by its place in the file, then the field. A field of the wrong type
//!   is put one of two ways, each kept from the messages people already know:
//!   as the object's own (`the organisation's “name” must be a text`, `“form”
//!   must be a string` at the top of config.json), or, for an item in a list
//!   that is found by where it is, as something it has (`question 4 (“d”) on
//!   page 1 has a “min” that is not a whole number`).

use crate::{Answer, Condition, Text};
use serde_json::{Map, Value};

pub(crate) const CONDITION_HELP: &str =
    "write {\"question\": ID, \"includes\": VALUE}, {\"question\": ID, \"equals\": VALUE}, \
{\"question\": ID, \"any_of\": [VALUES]}, {\"all\": [CONDITIONS]} or {\"any\": [CONDITIONS]}";

/// One JSON object being read. Made by [`Fields::new`], which notes unknown and
/// missing fields at once; each field is then read with [`Fields::get`] or
/// [`Fields::list`], which note a field of the wrong type. Every problem goes
/// into the caller's list, so one broken part never hides the next.
pub(crate) struct Fields<'a> {
    obj: &'a Map<String, Value>,
    /// The object as a problem names it: "the form", "help contact 2",
    /// "question 1 (“ways”) on page 1"; empty for a file the caller names.
    at: String,
    /// How a field of this object is named in "must be" problems
    /// ("the organisation's ", "page 1 (“p”): ", "" at a file's top), or `None`
    /// for "{at} has a “field” that is not …".
    owner: Option<String>,
}

/// `{at} {rest}`, or just `rest` when `at` is empty.
fn sentence(at: &str, rest: &str) -> String {
    if at.is_empty() {
        rest.to_owned()
    } else {
        format!("{at} {rest}")
    }
}

/// The problem for a key that is not one of `known`.
fn unknown_field(at: &str, key: &str, known: &str) -> String {
    sentence(at, &format!("has an unknown field “{key}”; the fields here are {known}"))
}

impl<'a> Fields<'a> {
    /// Reads `v` as an object with `allowed` fields, of which `required` must be
    /// given (not `null`). Unknown and missing fields are noted in `e` here, first.
    /// `None`, with a problem saying `{at} must be {shape}`, if `v` is not an object.
    pub(crate) fn new(
        e: &mut Vec<String>,
        v: &'a Value,
        at: String,
        shape: &str,
        allowed: &[&str],
        required: &[&str],
    ) -> Option<Fields<'a>> {
        let fields = Fields::any(e, v, at, shape)?;
        let known = allowed.join(", ");
        for k in fields.obj.keys().filter(|k| !allowed.contains(&k.as_str())) {
            e.push(unknown_field(&fields.at, k, &known));
        }
        for name in required.iter().filter(|name| fields.given(name).is_none()) {
            e.push(sentence(&fields.at, &format!("is missing “{name}”")));
        }
        Some(fields)
    }

    /// Reads `v` as an object of any fields: for the stored formats, which keep
    /// whatever a newer version of the app added, and for maps of key → words.
    pub(crate) fn any(e: &mut Vec<String>, v: &'a Value, at: String, shape: &str) -> Option<Fields<'a>> {
        match v.as_object() {
            Some(obj) => Some(Fields { obj, at, owner: None }),
            None => {
                e.push(sentence(&at, &format!("must be {shape}")));
                None
            }
        }
    }

    /// Names this object's fields as its own in problems: `owner` is put before
    /// the field's name, as in "the organisation's “name” must be a text".
    pub(crate) fn owned_by(mut self, owner: String) -> Self {
        self.owner = Some(owner);
        self
    }

    /// Where this object is, as problems name it.
    pub(crate) fn at(&self) -> &str {
        &self.at
    }

    /// The field's value, unless it is left out or `null`.
    pub(crate) fn given(&self, name: &str) -> Option<&'a Value> {
        self.obj.get(name).filter(|v| !v.is_null())
    }

    /// Every field that is given (not `null`), in the order of their keys.
    pub(crate) fn each(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.obj.iter().filter(|(_, v)| !v.is_null())
    }

    /// The problem for a field that is not what it must be.
    pub(crate) fn wrong(&self, name: &str, expected: &str) -> String {
        match &self.owner {
            Some(owner) => format!("{owner}“{name}” must be {expected}"),
            None => sentence(&self.at, &format!("has a “{name}” that is not {expected}")),
        }
    }

    /// A field read by `read`; `None` when it is left out or `null` (a required
    /// one was noted by [`Fields::new`]), or when it is not `expected` (noted here).
    pub(crate) fn get<T>(
        &self,
        e: &mut Vec<String>,
        name: &str,
        expected: &str,
        read: fn(&Value) -> Option<T>,
    ) -> Option<T> {
        let r = read(self.given(name)?);
        if r.is_none() {
            self.note_wrong(e, name, expected);
        }
        r
    }

    /// Notes [`Fields::wrong`] in `e`: kept out of the generic readers, so it is in the download once.
    #[inline(never)]
    fn note_wrong(&self, e: &mut Vec<String>, name: &str, expected: &str) {
        e.push(self.wrong(name, expected));
    }

    /// A field that is a list, each item read by `item` (with its index from 0),
    /// which notes the item's own problems. `None` when it is left out or `null`,
    /// when it is not a list (noted here), or when any item could not be read;
    /// every item is read either way, so every problem is noted.
    pub(crate) fn list<T>(
        &self,
        e: &mut Vec<String>,
        name: &str,
        expected: &str,
        mut item: impl FnMut(&mut Vec<String>, usize, &Value) -> Option<T>,
    ) -> Option<Vec<T>> {
        let Some(list) = self.given(name)?.as_array() else {
            self.note_wrong(e, name, expected);
            return None;
        };
        let (mut items, mut all) = (Vec::with_capacity(list.len()), true);
        for (i, v) in list.iter().enumerate() {
            match item(e, i, v) {
                Some(x) => items.push(x),
                None => all = false,
            }
        }
        all.then_some(items)
    }
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

pub(crate) fn boolean(v: &Value) -> Option<bool> {
    v.as_bool()
}

impl Text {
    /// A text as a file gives it: a string, or an object of strings keyed by language.
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

impl Condition {
    /// A condition (`show_if`) as a form file gives it; its shape decides its
    /// kind, so it is read here rather than as an object of fields.
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn null_is_left_out_unknown_and_missing_fields_are_noted_first() {
        let v = json!({"name": null, "colour": "red", "size": null, "count": "three"});
        let mut e = Vec::new();
        let f = Fields::new(&mut e, &v, "the box".into(), "an object", &["name", "size", "count"], &["name"]).unwrap();
        assert_eq!(f.get(&mut e, "size", "a string", string), None, "null is the same as left out");
        assert_eq!(f.get(&mut e, "count", "a whole number", uint), None);
        assert_eq!(
            e,
            [
                "the box has an unknown field “colour”; the fields here are name, size, count",
                "the box is missing “name”",
                "the box has a “count” that is not a whole number",
            ]
        );
        let f = f.owned_by("the box's ".into());
        assert_eq!(f.wrong("count", "a whole number"), "the box's “count” must be a whole number");
    }

    #[test]
    fn a_list_reads_every_item_and_names_it() {
        let v = json!({"items": [1, "two", 3, "four"]});
        let mut e = Vec::new();
        let f = Fields::new(&mut e, &v, String::new(), "an object", &["items"], &[]).unwrap();
        let read = |e: &mut Vec<String>, i: usize, v: &Value| {
            let n = uint(v);
            if n.is_none() {
                e.push(format!("item {} must be a number", i + 1));
            }
            n
        };
        assert_eq!(f.list(&mut e, "items", "a list", read), None);
        assert_eq!(e, ["item 2 must be a number", "item 4 must be a number"]);
        let v = json!({"items": {}});
        let f = Fields::new(&mut e, &v, String::new(), "an object", &["items"], &[]).unwrap();
        e.clear();
        assert_eq!(f.list(&mut e, "items", "a list", read), None);
        assert_eq!(e, ["has a “items” that is not a list"]);
    }
}
