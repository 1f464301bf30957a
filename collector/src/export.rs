//! The stored answers as JSON lines (each payload exactly as received, its context and
//! source included) or CSV (one column per question, safe to open in a spreadsheet).
//!
//! Encrypted answers are opened with the private keys given (`--key`) and exported as the plain payloads they
//! hold; without a key, JSON lines copy them as stored and CSV is refused ([`run`]).
//!
//! The CSV's columns, in order: [`CSV_FIXED`] (`submission_id`, `form_id`, `form_version`,
//! `sent_at`, `received_at`, `language`), [`CSV_CONTEXT`] (`shared_device`, `session`,
//! `facilitator`), [`CSV_SOURCE`] (`source`), then one per question of the form, then any
//! other question found in the answers.

use crate::crypt::PrivateKey;
use crate::routes::{check_submission, read_envelope};
use crate::store::{Row, Store, StoreError};
use crate::{Error, Forms};
use feedback_model::{is_envelope, Answer, Form, Submission};
use std::borrow::Cow;
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

/// A stored submission left out of an export because it could not be opened: its id and every reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unopened {
    /// Its id.
    pub submission_id: String,
    /// Why it was not exported, as sentences.
    pub reasons: Vec<String>,
}

/// Writes the stored submissions (of `form_id`, if given) to `out`, and returns those left out because they
/// could not be opened (each to be reported; the export is then incomplete).
///
/// Rows are read from the database one at a time ([`Store::scan`]) and written as they come, so the memory an
/// export takes does not grow with the number of rows (only with the number left out, which are returned).
///
/// For CSV, the form is `form_id` or else the only form with stored answers; its
/// questions (from `forms`, when it is there) give the columns' order. CSV reads the rows twice, from one
/// snapshot: first for the columns (any question not in the form, and whether any is encrypted), then to write.
///
/// Encrypted submissions (envelopes): with `keys`, each is opened ([`crate::crypt::open`]), its answers checked
/// against their form ([`check_submission`]), and exported as the plain payload it holds; one that does not open
/// or whose answers are not taken is left out and returned. Without keys, JSON lines carry the envelopes as
/// stored, and CSV is refused, naming the submissions that need a key.
pub fn run(
    store: &dyn Store,
    forms: &Forms,
    format: Format,
    form_id: Option<&str>,
    keys: &[PrivateKey],
    out: &mut dyn Write,
) -> Result<Vec<Unopened>, Error> {
    let failed = |e: StoreError| Error(format!("The database could not be read: {e}"));
    let mut unopened = Vec::new();
    match format {
        Format::Jsonl => {
            store.scan(form_id, 1, &mut |_, row| {
                match row {
                    Some(row) => {
                        if let Some(row) = open_row(row, forms, keys, &mut unopened) {
                            jsonl_line(&row, out).map_err(written)?;
                        }
                    }
                    None => out.flush().map_err(written)?,
                }
                Ok(())
            })?;
            Ok(unopened)
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
            let mut table = Csv::new(forms.get(&id), out);
            let mut sealed: Vec<String> = Vec::new();
            store.scan(Some(&id), 2, &mut |pass, row| match (pass, row) {
                (0, Some(row)) => {
                    if keys.is_empty() && is_envelope(&row.payload) {
                        sealed.push(row.submission_id);
                    } else if let Some(row) = open_row(row, forms, keys, &mut Vec::new()) {
                        table.see(&parse(&row)?);
                    }
                    Ok(())
                }
                (0, None) => {
                    if !sealed.is_empty() {
                        return Err(Error(format!(
                            "{} of the submissions are encrypted, so CSV cannot show their answers: give the private \
                             key with --key (or export --format jsonl to copy them as stored). Encrypted: {}",
                            sealed.len(),
                            sealed.join(", ")
                        )));
                    }
                    table.header()
                }
                (_, Some(row)) => match open_row(row, forms, keys, &mut unopened) {
                    Some(row) => {
                        let submission = parse(&row)?;
                        table.row(&row, &submission)
                    }
                    None => Ok(()),
                },
                (_, None) => table.flush(),
            })?;
            Ok(unopened)
        }
    }
}

fn written(e: impl std::fmt::Display) -> Error {
    Error(format!("The export could not be written: {e}"))
}

fn parse(row: &Row) -> Result<Submission, Error> {
    serde_json::from_str(&row.payload)
        .map_err(|e| Error(format!("The stored submission {} could not be read: {e}", row.submission_id)))
}

/// With `keys`, an encrypted row opened: its payload the plain payload it holds and its language that
/// payload's, or, when it does not open or its answers are not taken, `None`, with the reasons added to
/// `unopened`. Without keys, the row as stored. A plain row is always as stored.
fn open_row(row: Row, forms: &Forms, keys: &[PrivateKey], unopened: &mut Vec<Unopened>) -> Option<Row> {
    if keys.is_empty() || !is_envelope(&row.payload) {
        return Some(row);
    }
    let opened = read_envelope(&row.payload)
        .map_err(|r| r.problems)
        .and_then(|envelope| crate::crypt::open(keys, &envelope))
        .and_then(|opened| match check_submission(&opened.submission, forms) {
            Ok(()) => Ok(opened),
            Err(refusal) => Err(refusal.problems.iter().map(|p| format!("its answers are not taken: {p}")).collect()),
        });
    match opened {
        Ok(opened) => Some(Row { payload: opened.text, language: opened.submission.language, ..row }),
        Err(reasons) => {
            unopened.push(Unopened { submission_id: row.submission_id, reasons });
            None
        }
    }
}

/// One payload as one line. Payloads are stored exactly as received; a payload sent pretty-printed has its
/// line breaks (which valid JSON has only between tokens) turned into spaces so it stays on one line.
fn jsonl_line(row: &Row, out: &mut dyn Write) -> io::Result<()> {
    let line = row.payload.trim();
    if line.contains(['\n', '\r']) {
        writeln!(out, "{}", line.replace(['\n', '\r'], " "))
    } else {
        writeln!(out, "{line}")
    }
}

/// The fixed columns before the questions.
pub const CSV_FIXED: [&str; 6] = ["submission_id", "form_id", "form_version", "sent_at", "received_at", "language"];

/// The payload's [`Context`](feedback_model::Context), after [`CSV_FIXED`] and before the
/// questions: `shared_device` is `yes` for answers given on a shared device; all three are
/// empty for answers given on a person's own device (a payload without context).
pub const CSV_CONTEXT: [&str; 3] = ["shared_device", "session", "facilitator"];

/// The payload's `source`, after [`CSV_CONTEXT`] and before the questions: the label of the partner whose
/// website the form was embedded in (from config.json's `embed.sources`), empty when it was not.
pub const CSV_SOURCE: &str = "source";

/// A CSV table written a row at a time: the fixed columns, the context's columns, the source, then one per
/// question of the form in form order, then (sorted) any other question ids found in the answers, for example
/// from an older version of the form, which every row must be [seen](Csv::see) for before the
/// [header](Csv::header). Lines end in CRLF (RFC 4180); the `csv` crate quotes a cell with a comma, quote, CR
/// or LF, doubling its quotes, and every text cell is first [defused](defuse) against spreadsheet formulas.
struct Csv<'a> {
    table: csv::Writer<&'a mut dyn Write>,
    columns: Vec<String>,
    extra: BTreeSet<String>,
}

impl<'a> Csv<'a> {
    fn new(form: Option<&Form>, out: &'a mut dyn Write) -> Csv<'a> {
        let mut columns: Vec<String> = Vec::new();
        if let Some(form) = form {
            for q in form.questions() {
                if !columns.contains(&q.id) {
                    columns.push(q.id.clone());
                }
            }
        }
        let table = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
        Csv { table, columns, extra: BTreeSet::new() }
    }

    /// Notes the questions a submission answers that the form does not have.
    fn see(&mut self, s: &Submission) {
        for (k, _) in s.answers.iter() {
            if !self.columns.contains(k) && !self.extra.contains(k) {
                self.extra.insert(k.clone());
            }
        }
    }

    /// Writes the header, with the columns seen.
    fn header(&mut self) -> Result<(), Error> {
        self.columns.extend(std::mem::take(&mut self.extra));
        let header = CSV_FIXED
            .iter()
            .chain(&CSV_CONTEXT)
            .chain([&CSV_SOURCE])
            .copied()
            .chain(self.columns.iter().map(String::as_str));
        self.table.write_record(header.map(|c| defuse(c).into_owned())).map_err(written)
    }

    fn row(&mut self, row: &Row, s: &Submission) -> Result<(), Error> {
        let fixed =
            [&row.submission_id, &row.form_id, &row.form_version, &row.sent_at, &row.received_at, &row.language];
        let mut cells: Vec<Cow<'_, str>> = fixed.into_iter().map(|c| defuse(c)).collect();
        let context = s.context.as_ref();
        cells.push(Cow::Borrowed(match context.map(|c| c.shared_device) {
            None => "",
            Some(true) => "yes",
            Some(false) => "no",
        }));
        for text in [context.and_then(|c| c.session.as_deref()), context.and_then(|c| c.facilitator.as_deref())] {
            cells.push(text.map_or(Cow::Borrowed(""), defuse));
        }
        cells.push(s.source.as_deref().map_or(Cow::Borrowed(""), defuse));
        for id in &self.columns {
            cells.push(match s.answers.get(id) {
                None => Cow::Borrowed(""),
                Some(Answer::Number(n)) => Cow::Owned(n.to_string()), // a number is never a formula
                Some(Answer::Flag(b)) => Cow::Borrowed(if *b { "yes" } else { "no" }),
                Some(Answer::Text(t)) => defuse(t),
                Some(Answer::Choices(v)) => Cow::Owned(defuse(&v.join("; ")).into_owned()),
            });
        }
        // A question answered here but not in the header can only be in a row the first pass did not see,
        // which one snapshot rules out; say so rather than drop the answer.
        if let Some((k, _)) = s.answers.iter().find(|(k, _)| !self.columns.contains(k)) {
            return Err(Error(format!(
                "The stored submission {} answers “{k}”, which was not there when the columns were chosen; \
                 run the export again.",
                row.submission_id
            )));
        }
        self.table.write_record(cells.iter().map(|c| c.as_bytes())).map_err(written)
    }

    fn flush(&mut self) -> Result<(), Error> {
        self.table.flush().map_err(written)
    }
}

/// The characters that make a spreadsheet read a cell as a formula when they come
/// first: `=`, `+`, `-` and `@`, and tab and carriage return (OWASP's CSV injection
/// guidance), and NUL (OWASP ASVS 5.0, requirement 1.2.10).
pub const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\0'];

/// Defends one text cell against spreadsheet formulas: a value starting with one of
/// [`FORMULA_STARTS`] gets a leading `'`, so a spreadsheet shows it as text instead of
/// running it. Quoting is left to the CSV writer.
///
/// ```
/// use collector::export::defuse;
/// assert_eq!(defuse("=1+2"), "'=1+2");
/// assert_eq!(defuse("a=b"), "a=b");
/// ```
pub fn defuse(value: &str) -> Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One text cell as it appears in the CSV: defused, then quoted by the `csv` crate.
    fn cell(value: &str) -> String {
        let mut out = Vec::new();
        let mut table = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        // Two cells, because the csv crate quotes a record that is one empty cell.
        table.write_record([defuse(value).as_ref(), ""]).unwrap();
        drop(table);
        let line = String::from_utf8(out).unwrap();
        line.strip_suffix(",\r\n").unwrap().to_owned()
    }

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

    #[test]
    fn every_leading_formula_character_is_defused_and_only_when_leading() {
        for c in FORMULA_STARTS {
            let value = format!("{c}1+2");
            assert_eq!(defuse(&value), format!("'{value}"), "{c:?}");
            assert_eq!(defuse(&format!("x{value}")), format!("x{value}"), "{c:?} not first");
        }
        // The cells with a tab, CR or NUL first: tab and NUL are not quoted; CR is.
        assert_eq!(cell("\t=1+2"), "'\t=1+2");
        assert_eq!(cell("\r=1+2"), "\"'\r=1+2\"");
        assert_eq!(cell("\0=1+2"), "'\0=1+2");
        // Look-alikes stay as they are: only the characters a spreadsheet acts on are guarded.
        assert_eq!(cell("'quoted"), "'quoted");
        assert_eq!(cell(" =1"), " =1");
    }
}
