//! `collector import`: answers saved on a device as a file, stored exactly once by the
//! endpoint's own rules, so answers from a tablet that never got a connection can still
//! be handed in.
//!
//! A file holds one submission (the app's "save your answers as a file"), or a list of
//! submissions, or a list of `{"submission": {...}, "refused_because": "422: ..."}` (the
//! app's file of answers the endpoint refused, and the facilitator's file of answers still
//! waiting, where `refused_because` may be absent); one list may mix the two. A saved
//! reason is not used: each submission is checked again, so one refused before (by a server
//! that was down, or had an older form) is stored if it is taken now. Each
//! submission is read and checked as `POST /api/submissions` does it
//! ([`read_submission`], [`check_submission`]) and stored through
//! [`Store::insert_batch`], the path the server's one writer uses: a submission whose id
//! is stored already is a duplicate and changes nothing, so importing a file twice is safe.
//!
//! The payload stored is the submission's JSON text exactly as it appears in the file
//! (read as a [`RawValue`]), as the endpoint keeps a body exactly as received.
//!
//! An encrypted submission (an envelope, `docs/encryption.md`) is checked as the endpoint checks one without
//! the key; given keys (`--key`), it is also opened and its answers checked against their form, and one that
//! does not open is refused with the reason. It is stored as the envelope it is, never opened.

use crate::crypt::PrivateKey;
use crate::group::MAX_BATCH;
use crate::routes::{check_envelope, check_submission, read_envelope, read_submission, Refusal};
use crate::store::{NewSubmission, Outcome, Store};
use crate::{Error, Forms};
use feedback_model::{is_envelope, is_uuid_v4, Envelope};
use serde_json::value::RawValue;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// One submission found in a file: where it is (counting from 1) and what its check gave.
#[derive(Debug)]
pub struct Found<'a> {
    /// Its place in the file's list, from 1 (1 for a file of one submission).
    pub position: usize,
    /// The checked submission and its JSON text as it appears in the file, or why it is not taken.
    pub checked: Result<NewSubmission, Refused>,
    /// Its JSON text in the file, when it is a JSON object (for the length check and messages).
    text: Option<&'a str>,
}

/// Why one submission of a file is not stored: the endpoint's
/// [`Refusal`](crate::routes::Refusal), or what is wrong with the entry itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Its id, when it has one that is a well-formed UUID (other ids are not printed).
    pub submission_id: Option<String>,
    /// Every reason, as sentences.
    pub reasons: Vec<String>,
}

/// Reads the file's text, with a message naming the file when it cannot be read or is not text.
pub fn read_file(path: &Path) -> Result<String, Error> {
    let bytes =
        std::fs::read(path).map_err(|e| Error(format!("The file {} could not be read: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|_| {
        Error(format!("The file {} is not text (UTF-8), so it is not a file of saved answers.", path.display()))
    })
}

/// Finds and checks every submission in a file's text, by the endpoint's rules.
/// `received_at` is what each is stored with as its time of arrival.
///
/// The error, for a file that is not one of the shapes taken, is the end of a sentence
/// that starts with the file's name, like "is not valid JSON: …".
///
/// ```
/// use collector::import::check;
/// let forms = collector::Forms::new();
/// assert!(check("[]", &forms, &[], 65536, "2026-11-24T10:00:00.000Z").unwrap().is_empty());
/// assert_eq!(check("7", &forms, &[], 65536, "").unwrap_err(),
///     "holds a number, not saved answers: it must hold one submission (a JSON object) or a list of them");
/// ```
pub fn check<'a>(
    text: &'a str,
    forms: &Forms,
    keys: &[PrivateKey],
    max_bytes: usize,
    received_at: &str,
) -> Result<Vec<Found<'a>>, String> {
    // A byte order mark, as some editors on Windows write, is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top: &RawValue = serde_json::from_str(text).map_err(|e| format!("is not valid JSON: {e}"))?;
    let entries: Vec<&RawValue> = if top.get().starts_with('[') {
        serde_json::from_str(top.get()).map_err(|e| format!("is not valid JSON: {e}"))?
    } else if is_object(top) {
        vec![top]
    } else {
        return Err(format!(
            "holds {}, not saved answers: it must hold one submission (a JSON object) or a list of them",
            kind(top)
        ));
    };
    let found: Vec<Found<'a>> = entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let (text, checked) = check_entry(entry, forms, keys, max_bytes, received_at);
            Found { position: i + 1, checked, text }
        })
        .collect();
    // Not one entry in the shape of a submission: this is another kind of file, not answers.
    let shaped = |f: &Found<'_>| {
        f.checked.is_ok()
            || f.text
                .is_some_and(|t| if is_envelope(t) { read_envelope(t).is_ok() } else { read_submission(t).is_ok() })
    };
    if !found.is_empty() && !found.iter().any(shaped) {
        let first = found[0].checked.as_ref().err().and_then(|r| r.reasons.first()).cloned().unwrap_or_default();
        let others = match found.len() - 1 {
            0 => String::new(),
            1 => ", and neither is the other entry".to_owned(),
            n => format!(", and none of the other {n} entries is a submission either"),
        };
        return Err(format!("holds no saved answers: in entry 1, {}{others}", printable(&first)));
    }
    Ok(found)
}

/// One entry of a file: a submission, or `{"submission": …, "refused_because": …}`.
/// Returns the submission's text in the file (when it is an object) and what its check gave.
fn check_entry<'a>(
    entry: &'a RawValue,
    forms: &Forms,
    keys: &[PrivateKey],
    max_bytes: usize,
    received_at: &str,
) -> (Option<&'a str>, Result<NewSubmission, Refused>) {
    let refused = |reasons: Vec<String>| Refused { submission_id: None, reasons };
    if !is_object(entry) {
        return (None, Err(refused(vec![format!("it is {}, not a submission (a JSON object)", kind(entry))])));
    }
    // Only the names are read here; each value stays the text it is in the file. A submission
    // has no field "submission", so an entry with one is a saved submission with its reason.
    let fields: BTreeMap<String, &'a RawValue> = match serde_json::from_str(entry.get()) {
        Ok(fields) => fields,
        Err(e) => return (None, Err(refused(vec![format!("it could not be read: {e}")]))),
    };
    let text = match fields.get("submission") {
        None => entry.get(),
        Some(inner) if is_object(inner) => inner.get(),
        Some(inner) => {
            return (None, Err(refused(vec![format!("its “submission” is {}, not a JSON object", kind(inner))])));
        }
    };
    if text.len() > max_bytes {
        let reason = format!("it is {} bytes long; the most the endpoint takes is {max_bytes} bytes", text.len());
        return (Some(text), Err(Refused { submission_id: named_id(text), reasons: vec![reason] }));
    }
    let checked = if is_envelope(text) {
        check_sealed(text, forms, keys).map(|e| NewSubmission::sealed(&e, text.to_owned(), received_at.to_owned()))
    } else {
        read_submission(text).and_then(|submission| {
            check_submission(&submission, forms)
                .map(|()| NewSubmission::plain(&submission, text.to_owned(), received_at.to_owned()))
        })
    };
    match checked {
        Ok(new) => (Some(text), Ok(new)),
        Err(refusal) => {
            let id = named_id(text);
            let reasons = match refusal.status {
                400 => refusal
                    .problems
                    .iter()
                    .map(|p| format!("it is not in the shape of a submission: {}", without_position(p)))
                    .collect(),
                _ => refusal.problems,
            };
            (Some(text), Err(Refused { submission_id: id, reasons }))
        }
    }
}

/// An encrypted submission of a file, checked as `POST /api/submissions` checks one ([`check_envelope`], any
/// well-formed key id: an import has no config.json), and with `keys` given, opened and its answers checked
/// against their form too. What is stored is the envelope as it is in the file, never what it holds.
fn check_sealed(text: &str, forms: &Forms, keys: &[PrivateKey]) -> Result<Envelope, Refusal> {
    let envelope = read_envelope(text)?;
    check_envelope(&envelope, forms, None)?;
    if !keys.is_empty() {
        let opened = crate::crypt::open(keys, &envelope).map_err(|problems| Refusal {
            status: 422,
            error: "The encrypted answers could not be opened.",
            problems,
        })?;
        check_submission(&opened.submission, forms)?;
    }
    Ok(envelope)
}

/// The id of a submission's text, to name it in a refusal: only when it is a well-formed
/// UUID, as the server's log does, so nothing else from the file is printed as an id.
fn named_id(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value["submission_id"].as_str().filter(|id| is_uuid_v4(id)).map(str::to_owned)
}

/// A JSON reader's message without its " at line 3 column 7": that place counts from the
/// start of the submission, not of the file, so it would mislead; the entry's number says where.
pub(crate) fn without_position(message: &str) -> &str {
    match message.rsplit_once(" at line ") {
        Some((before, place))
            if place.split_once(" column ").is_some_and(|(l, c)| {
                [l, c].iter().all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            }) =>
        {
            before
        }
        _ => message,
    }
}

fn is_object(value: &RawValue) -> bool {
    value.get().starts_with('{')
}

/// What kind of JSON value it is, in words.
fn kind(value: &RawValue) -> &'static str {
    match value.get().as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "a list",
        Some(b'"') => "a piece of text",
        Some(b't' | b'f') => "true or false",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// What an import did, counted, with a line for each submission not simply stored or a
/// plain duplicate. Its `Display` is what `collector import` prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// How many submissions the file holds.
    pub read: usize,
    /// Stored now.
    pub new: usize,
    /// Already stored (the same id), so not stored again.
    pub duplicates: usize,
    /// Not taken by the endpoint's rules.
    pub refused: usize,
    /// Taken, but the database could not store them just now: the import should be run again.
    pub not_stored: usize,
    /// One line for each refusal reason, each duplicate with different content and each
    /// submission not stored, in the file's order.
    pub lines: Vec<String>,
}

/// Stores every checked submission of `found` exactly once, through [`Store::insert_batch`]
/// in batches of at most [`MAX_BATCH`] (each its own short transaction, so a server using the
/// same database waits for none of them long), and counts what happened.
pub fn store(store: &dyn Store, found: Vec<Found<'_>>) -> Report {
    let mut report = Report { read: found.len(), ..Report::default() };
    // Each entry's line, by position, so the report keeps the file's order.
    let mut lines: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    let mut taken = Vec::new();
    for f in found {
        match f.checked {
            Ok(new) => taken.push((f.position, new)),
            Err(refused) => {
                report.refused += 1;
                let who = match &refused.submission_id {
                    Some(id) => format!("refused {}: submission {id}", f.position),
                    None => format!("refused {}", f.position),
                };
                let entry = lines.entry(f.position).or_default();
                entry.extend(refused.reasons.iter().map(|r| format!("{who}: {}", printable(r))));
            }
        }
    }
    for chunk in taken.chunks(MAX_BATCH) {
        let batch: Vec<NewSubmission> = chunk.iter().map(|(_, new)| new.clone()).collect();
        for ((position, new), result) in chunk.iter().zip(store.insert_batch(&batch)) {
            let id = &new.submission_id;
            match result {
                Ok(Outcome::Stored) => report.new += 1,
                Ok(Outcome::Duplicate { same_payload }) => {
                    report.duplicates += 1;
                    if !same_payload {
                        lines.entry(*position).or_default().push(format!(
                            "duplicate {position}: submission {id} was stored before with different content; \
                             the one stored first is kept"
                        ));
                    }
                }
                Err(e) => {
                    report.not_stored += 1;
                    lines.entry(*position).or_default().push(format!(
                        "not stored {position}: submission {id}: the database could not store it just now ({})",
                        printable(&e.0)
                    ));
                }
            }
        }
    }
    report.lines = lines.into_values().flatten().collect();
    report
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.lines {
            writeln!(f, "{line}")?;
        }
        writeln!(f, "{} new: stored now.", self.new)?;
        let (duplicates, were) = if self.duplicates == 1 { ("duplicate", "was") } else { ("duplicates", "were") };
        writeln!(f, "{} {duplicates}: {were} already stored, so nothing changed.", self.duplicates)?;
        if self.refused == 0 {
            writeln!(f, "0 refused.")?;
        } else {
            writeln!(f, "{} refused: not stored; the reasons are above.", self.refused)?;
        }
        if self.not_stored > 0 {
            writeln!(
                f,
                "{} not stored: the database could not store them just now. Run the import again; \
                 what is stored already will count as duplicates.",
                self.not_stored
            )?;
        }
        Ok(())
    }
}

/// Text from a file made safe to print on a terminal: control characters (which could move
/// the cursor or change colours) and the characters that reorder text shown right to left
/// are written as `\u{…}` escapes.
fn printable(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
            {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readers_place_in_the_submission_is_left_out() {
        assert_eq!(without_position("missing field `form_id` at line 1 column 40"), "missing field `form_id`");
        assert_eq!(without_position("at line 2"), "at line 2");
        assert_eq!(without_position("a quote: \" at line x column 2\""), "a quote: \" at line x column 2\"");
    }

    #[test]
    fn printable_escapes_what_a_terminal_acts_on() {
        assert_eq!(printable("a\u{1b}[31mb\nc\u{202e}d ŵ 🙂"), "a\\u{1b}[31mb\\u{a}c\\u{202e}d ŵ 🙂");
    }

    #[test]
    fn files_of_other_shapes_are_named_as_such() {
        let forms = Forms::new();
        let check = |text: &str| check(text, &forms, &[], 65536, "2026-11-24T10:00:00.000Z").map(|f| f.len());
        assert_eq!(check(" [ ] \n"), Ok(0));
        assert!(check("{ not json").unwrap_err().starts_with("is not valid JSON: "));
        assert!(check("").unwrap_err().starts_with("is not valid JSON: "));
        assert_eq!(
            check("\"answers\"").unwrap_err(),
            "holds a piece of text, not saved answers: it must hold one submission (a JSON object) or a list of them"
        );
        let e = check(r#"{"endpoint": "https://example.org"}"#).unwrap_err();
        let expected =
            "holds no saved answers: in entry 1, it is not in the shape of a submission: unknown field `endpoint`";
        assert!(e.starts_with(expected), "{e}");
        assert!(!e.contains("none of the other"), "{e}");
        let e = check("[1, null, [], {\"submission\": 2}]").unwrap_err();
        assert_eq!(
            e,
            "holds no saved answers: in entry 1, it is a number, not a submission (a JSON object), \
             and none of the other 3 entries is a submission either"
        );
    }
}
