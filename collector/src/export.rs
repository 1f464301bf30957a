//! The stored answers as JSON lines (each payload exactly as received) or CSV
//! (one column per question, safe to open in a spreadsheet).

use crate::db::{Row, Store};
use crate::{Error, Forms};
use feedback_model::{Answer, Form, Submission};
use std::collections::BTreeSet;
use std::io::{self, Write};

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One payload per line, exactly as received, in the order received.
    Jsonl,
    /// One row per submission, one column per question.
    Csv,
}

/// Writes the stored submissions (of `form_id`, if given) to `out`.
///
/// For CSV, the form is `form_id` or else the only form with stored answers; its
/// questions (from `forms`, when it is there) give the columns' order.
pub fn run(
    store: &Store,
    forms: &Forms,
    format: Format,
    form_id: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let failed = |e: rusqlite::Error| Error(format!("The database could not be read: {e}"));
    let written = |e: io::Error| Error(format!("The export could not be written: {e}"));
    match format {
        Format::Jsonl => {
            let rows = store.rows(form_id).map_err(failed)?;
            jsonl(&rows, out).map_err(written)
        }
        Format::Csv => {
            let id = match form_id {
                Some(id) => id.to_owned(),
                None => {
                    let ids = store.form_ids().map_err(failed)?;
                    match ids.as_slice() {
                        [one] => one.clone(),
                        [] if forms.len() == 1 => forms.keys().next().cloned().unwrap_or_default(),
                        [] => {
                            return Err(Error(
                                "Nothing is stored yet; name the form with --form to get its column headings.".into(),
                            ))
                        }
                        several => {
                            return Err(Error(format!(
                                "Answers to several forms are stored ({}); choose one with --form.",
                                several.join(", ")
                            )))
                        }
                    }
                }
            };
            let rows = store.rows(Some(&id)).map_err(failed)?;
            csv(&rows, forms.get(&id), out)
        }
    }
}

/// One payload per line, in order. Payloads are stored exactly as received; a
/// payload sent pretty-printed has its line breaks (which valid JSON has only
/// between tokens) turned into spaces so it stays on one line.
pub fn jsonl(rows: &[Row], out: &mut dyn Write) -> io::Result<()> {
    for row in rows {
        let line = row.payload.trim();
        if line.contains(['\n', '\r']) {
            writeln!(out, "{}", line.replace(['\n', '\r'], " "))?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    out.flush()
}

/// The fixed columns before the questions.
pub const CSV_FIXED: [&str; 6] = ["submission_id", "form_id", "form_version", "sent_at", "received_at", "language"];

/// A CSV table: the fixed columns, then one per question of `form` in form order,
/// then (sorted) any other question ids found in the answers, for example from an
/// older version of the form. Lines end in CRLF (RFC 4180).
pub fn csv(rows: &[Row], form: Option<&Form>, out: &mut dyn Write) -> Result<(), Error> {
    let mut parsed = Vec::with_capacity(rows.len());
    for row in rows {
        let s: Submission = serde_json::from_str(&row.payload)
            .map_err(|e| Error(format!("The stored submission {} could not be read: {e}", row.submission_id)))?;
        parsed.push(s);
    }
    let mut columns: Vec<String> = Vec::new();
    if let Some(form) = form {
        for q in form.questions() {
            if !columns.contains(&q.id) {
                columns.push(q.id.clone());
            }
        }
    }
    let extra: BTreeSet<&String> =
        parsed.iter().flat_map(|s| s.answers.iter().map(|(k, _)| k)).filter(|k| !columns.contains(k)).collect();
    columns.extend(extra.into_iter().cloned());

    let written = |e: io::Error| Error(format!("The export could not be written: {e}"));
    let header: Vec<String> = CSV_FIXED.iter().map(|c| c.to_string()).chain(columns.iter().cloned()).collect();
    write_record(out, &header).map_err(written)?;
    for (row, s) in rows.iter().zip(&parsed) {
        let mut cells: Vec<String> =
            [&row.submission_id, &row.form_id, &row.form_version, &row.sent_at, &row.received_at, &row.language]
                .iter()
                .map(|c| cell(c))
                .collect();
        for id in &columns {
            cells.push(match s.answers.get(id) {
                None => String::new(),
                Some(Answer::Number(n)) => quote(&n.to_string()), // a number is never a formula
                Some(Answer::Flag(b)) => (if *b { "yes" } else { "no" }).to_owned(),
                Some(Answer::Text(t)) => cell(t),
                Some(Answer::Choices(v)) => cell(&v.join("; ")),
            });
        }
        write_record(out, &cells).map_err(written)?;
    }
    out.flush().map_err(written)
}

fn write_record(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    write!(out, "{}\r\n", cells.join(","))
}

/// One CSV cell: defended against spreadsheet formulas, then quoted if needed.
///
/// A value starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'`, so a
/// spreadsheet shows it as text instead of running it.
pub fn cell(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        quote(&format!("'{value}"))
    } else {
        quote(value)
    }
}

/// RFC 4180 quoting: a value with a comma, quote, CR or LF is put in quotes, with
/// its quotes doubled.
fn quote(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("=1+2"), "'=1+2");
        assert_eq!(cell("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for risky in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(risky).trim_start_matches('"').starts_with('\''), "{risky:?}");
        }
        assert_eq!(cell("a=b"), "a=b");
    }
}
