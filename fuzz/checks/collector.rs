//! What the collector's fuzz target checks: what `POST /api/submissions` does with any bytes and headers,
//! in-process and without a server, by the same functions its handler calls, in the same order
//! (`collector/src/routes.rs`'s `submit`), then what a stored submission becomes in the exports, and what
//! `collector import` makes of the same text.
//!
//! Compiled twice: into the fuzz target (`fuzz/src/lib.rs`, nightly) and into the stable test that
//! replays every file of `fuzz/corpus/request/` (`collector/tests/fuzz_corpora.rs`).

use ::collector::routes::{check_submission, is_json, read_submission};
use ::collector::store::{NewSubmission, Outcome, Row, Store, StoreError, Visit};
use ::collector::{export, import, Forms};
use axum::http::header::{HeaderName, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use std::sync::OnceLock;

/// The forms the collector serves (`public/forms`), read once.
fn forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/forms");
        ::collector::load_forms(&dir).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The collector's default largest body (`ServeOptions::new`).
const MAX_BYTES: usize = 64 * 1024;

/// One line of `data` (up to a line feed) and the rest.
fn line(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[]),
    }
}

/// A request to `POST /api/submissions`: the first line of the bytes is its `Content-Type` (none when
/// empty), the second its `Idempotency-Key` (none when empty), the rest its body.
///
/// Holds: every refusal has the status and sentences the handler answers with; a submission the handler
/// would store is read back from its stored text exactly, exported as JSON lines and CSV (every text cell
/// defused against spreadsheet formulas), and taken by `collector import` from the same text.
pub fn request(data: &[u8]) {
    let (content_type, rest) = line(data);
    let (key, body) = line(rest);
    let mut headers = HeaderMap::new();
    for (name, value) in [(CONTENT_TYPE, content_type), (HeaderName::from_static("idempotency-key"), key)] {
        if value.is_empty() {
            continue;
        }
        // Bytes no HTTP parser would pass on as a header value never reach the handler.
        let Ok(value) = HeaderValue::from_bytes(value) else {
            return;
        };
        headers.insert(name, value);
    }
    // The handler's steps, in its order.
    if !is_json(&headers) || body.len() > MAX_BYTES {
        return;
    }
    let Ok(payload) = std::str::from_utf8(body) else {
        return;
    };
    let submission = match read_submission(payload) {
        Ok(s) => s,
        Err(refusal) => {
            assert_eq!(refusal.status, 400);
            assert!(!refusal.error.is_empty() && refusal.problems.iter().all(|p| !p.trim().is_empty()));
            return;
        }
    };
    if headers.get("idempotency-key").is_some_and(|k| k.to_str().ok() != Some(&submission.submission_id)) {
        return;
    }
    // The proof of work: checked with one hash whatever the id and stamp; none is needed at 0 bits.
    assert!(collector::abuse::stamp_ok(&submission.submission_id, submission.stamp, 0));
    let _ = collector::abuse::stamp_ok(&submission.submission_id, submission.stamp, 20);
    if let Err(refusal) = check_submission(&submission, forms()) {
        assert_eq!(refusal.status, 422);
        assert!(!refusal.problems.is_empty() && refusal.problems.iter().all(|p| !p.trim().is_empty()));
        return;
    }

    // Stored: the payload as received, read back by the exports.
    assert_eq!(read_submission(payload).ok().as_ref(), Some(&submission));
    let s = &submission;
    let row = Row {
        submission_id: s.submission_id.clone(),
        form_id: s.form_id.clone(),
        form_version: s.form_version.clone(),
        sent_at: s.sent_at.clone(),
        received_at: "2026-11-24T10:00:00.000Z".into(),
        language: s.language.clone(),
        payload: payload.to_owned(),
    };
    let store = OneRow(row);
    let mut lines = Vec::new();
    let left_out =
        export::run(&store, forms(), export::Format::Jsonl, None, &[], &mut lines).expect("JSON lines are written");
    assert!(left_out.is_empty(), "a plain payload is never left out");
    let lines = String::from_utf8(lines).expect("JSON lines are UTF-8");
    assert_eq!(lines.matches('\n').count(), 1, "one line per submission: {lines:?}");
    assert_eq!(read_submission(&lines).ok().as_ref(), Some(s), "the JSON line reads back as the submission");
    let mut table = Vec::new();
    export::run(&store, forms(), export::Format::Csv, Some(&s.form_id), &[], &mut table).expect("the CSV is written");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(table.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("the CSV reads back")).collect();
    assert_eq!(records.len(), 2, "a header and one row");
    assert_eq!(records[0].len(), records[1].len());
    for cell in &records[1] {
        // A whole number (a scale's answer) is written as it is: a spreadsheet reads -2 as a number.
        let number = cell.parse::<i64>().is_ok();
        assert!(number || !cell.starts_with(export::FORMULA_STARTS), "a cell a spreadsheet would run: {cell:?}");
    }

    // `collector import` takes the same text by the same rules.
    let found = import::check(payload, forms(), &[], MAX_BYTES, "2026-11-24T10:00:00.000Z").expect("the file is read");
    assert_eq!(found.len(), 1);
    let taken = found[0].checked.as_ref().expect("import takes what the endpoint takes");
    // The same id, form and text the endpoint would store.
    assert_eq!((&taken.submission_id, &taken.form_id, &taken.language), (&s.submission_id, &s.form_id, &s.language));
    assert_eq!(taken.payload, payload.trim(), "the text of the submission itself, without the space around it");
}

/// One stored row, as the exports read a database ([`Store::scan`]): the request check's stand-in for SQLite and
/// PostgreSQL, which a fuzz target cannot open for each of its millions of inputs.
struct OneRow(Row);

impl Store for OneRow {
    fn insert_batch(&self, batch: &[NewSubmission]) -> Vec<Result<Outcome, StoreError>> {
        batch.iter().map(|_| Ok(Outcome::Stored)).collect()
    }

    fn scan(&self, _: Option<&str>, passes: usize, visit: &mut Visit<'_>) -> Result<(), ::collector::Error> {
        for pass in 0..passes {
            visit(pass, Some(self.0.clone()))?;
            visit(pass, None)?;
        }
        Ok(())
    }

    fn form_ids(&self) -> Result<Vec<String>, StoreError> {
        Ok(vec![self.0.form_id.clone()])
    }
}
