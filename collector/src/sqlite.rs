//! The SQLite [`Store`]: one row per submission id, written durably before the reply,
//! each batch in one transaction.

use crate::store::{read_failed, NewSubmission, Outcome, Row, Store, StoreError, Visit};
use crate::Error;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension, Statement, TransactionBehavior};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

/// The schema's versions, in order: migration N (from 1) brings a database at version N-1 to N, and
/// `schema_migrations` records each one applied. Migration 1 is the schema every database made before
/// migrations had, so it says `IF NOT EXISTS`: on such a database it changes nothing and is only recorded.
const MIGRATIONS: &[&str] = &["
CREATE TABLE IF NOT EXISTS submissions (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    submission_id TEXT NOT NULL UNIQUE,
    form_id       TEXT NOT NULL,
    form_version  TEXT NOT NULL,
    sent_at       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    language      TEXT NOT NULL,
    payload       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS submissions_form ON submissions (form_id, seq);
"];

/// How long a write waits for a database another connection is writing to (another
/// `collector` process, such as an import while the server runs) before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The SQLite database: one connection behind a mutex, used from blocking threads.
pub struct Sqlite {
    conn: Mutex<Connection>,
}

impl Sqlite {
    /// Opens or makes the database at `path` (and its folder), with WAL journaling,
    /// `synchronous=FULL` and the given busy timeout.
    pub fn open(path: &Path, busy_timeout: Duration) -> Result<Sqlite, Error> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)
                .map_err(|e| Error(format!("The folder {} could not be made: {e}", parent.display())))?;
        }
        let conn = Connection::open(path).map_err(|e| db_error(path, e))?;
        Self::setup(conn, busy_timeout, path)
    }

    /// Opens a database that must already exist (for exports); never makes one.
    pub fn open_existing(path: &Path) -> Result<Sqlite, Error> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(path, e))?;
        Self::setup(conn, BUSY_TIMEOUT, path)
    }

    fn setup(conn: Connection, busy_timeout: Duration, path: &Path) -> Result<Sqlite, Error> {
        let fail = |e: rusqlite::Error| db_error(path, e);
        conn.busy_timeout(busy_timeout).map_err(fail)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(fail)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error(format!(
                "The database {} could not use write-ahead logging (its journal mode is {mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL").map_err(fail)?;
        let mut conn = conn;
        migrate(&mut conn, path)?;
        Ok(Sqlite { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: a transaction
        // left open is rolled back when its `Transaction` is dropped in the unwinding.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Applies the migrations the database lacks, in one `BEGIN IMMEDIATE` transaction, so two processes opening
/// one file at once apply each once (the second waits, then finds them applied). A database already up to
/// date is only read, so opening it (an import, an export) never waits for another process's writes.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), Error> {
    let fail =
        |e: rusqlite::Error| Error(format!("The database {} could not be brought up to date: {e}", path.display()));
    let recorded = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')";
    if conn.query_row(recorded, [], |r| r.get::<_, bool>(0)).map_err(fail)? {
        let version: i64 = conn
            .query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0))
            .map_err(fail)?;
        crate::store::check_schema_version(version, MIGRATIONS.len(), &path.display().to_string())?;
        if version as usize == MIGRATIONS.len() {
            return Ok(());
        }
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(fail)?;
    tx.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(fail)?;
    let version: i64 =
        tx.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], |r| r.get(0)).map_err(fail)?;
    crate::store::check_schema_version(version, MIGRATIONS.len(), &path.display().to_string())?;
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql).map_err(fail)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![n as i64 + 1, crate::now_rfc3339()],
        )
        .map_err(fail)?;
    }
    tx.commit().map_err(fail)
}

/// Writes one new row unless its id is there; [`STORED`] reads the payload of the one there.
const INSERT: &str = "INSERT INTO submissions
     (submission_id, form_id, form_version, sent_at, received_at, language, payload)
 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
 ON CONFLICT (submission_id) DO NOTHING";
const STORED: &str = "SELECT payload FROM submissions WHERE submission_id = ?1";

impl Store for Sqlite {
    /// One `BEGIN IMMEDIATE` transaction for the whole batch, committed with
    /// `synchronous=FULL` (one flush of the write-ahead log) before it returns. A copy
    /// of an id, stored before or earlier in the batch, is kept out by the `UNIQUE` id
    /// and `ON CONFLICT DO NOTHING`.
    fn insert_batch(&self, batch: &[NewSubmission]) -> Vec<Result<Outcome, StoreError>> {
        let mut conn = self.conn();
        match write_batch(&mut conn, batch) {
            Ok(results) => results,
            Err(e) => {
                let e = StoreError::from(e);
                batch.iter().map(|_| Err(e.clone())).collect()
            }
        }
    }

    /// One read transaction for every pass (in WAL mode it sees one snapshot and keeps no writer waiting),
    /// each pass a query whose rows are read from the file one at a time.
    fn scan(&self, form_id: Option<&str>, passes: usize, visit: &mut Visit<'_>) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(read_failed)?;
        let mut stmt = tx
            .prepare(
                "SELECT submission_id, form_id, form_version, sent_at, received_at, language, payload
                 FROM submissions WHERE ?1 IS NULL OR form_id = ?1 ORDER BY seq",
            )
            .map_err(read_failed)?;
        for pass in 0..passes {
            let mut rows = stmt.query([form_id]).map_err(read_failed)?;
            while let Some(r) = rows.next().map_err(read_failed)? {
                let row = Row {
                    submission_id: r.get(0).map_err(read_failed)?,
                    form_id: r.get(1).map_err(read_failed)?,
                    form_version: r.get(2).map_err(read_failed)?,
                    sent_at: r.get(3).map_err(read_failed)?,
                    received_at: r.get(4).map_err(read_failed)?,
                    language: r.get(5).map_err(read_failed)?,
                    payload: r.get(6).map_err(read_failed)?,
                };
                visit(pass, Some(row))?;
            }
            visit(pass, None)?;
        }
        Ok(())
    }

    fn form_ids(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT form_id FROM submissions ORDER BY form_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }
}

/// Writes `batch` in one transaction and commits it. An error of one row's own (see
/// [`row_failed`]) is that row's result; any other error is returned, and dropping the
/// transaction rolls the whole batch back.
fn write_batch(conn: &mut Connection, batch: &[NewSubmission]) -> rusqlite::Result<Vec<Result<Outcome, StoreError>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    {
        let mut insert = tx.prepare_cached(INSERT)?;
        let mut stored = tx.prepare_cached(STORED)?;
        for new in batch {
            match write_row(&mut insert, &mut stored, new) {
                Ok(outcome) => results.push(Ok(outcome)),
                Err(e) if row_failed(&e) && !tx.is_autocommit() => results.push(Err(e.into())),
                Err(e) => return Err(e),
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

fn write_row(insert: &mut Statement<'_>, stored: &mut Statement<'_>, new: &NewSubmission) -> rusqlite::Result<Outcome> {
    let inserted = insert.execute(params![
        new.submission_id,
        new.form_id,
        new.form_version,
        new.sent_at,
        new.received_at,
        new.language,
        new.payload
    ])?;
    if inserted == 1 {
        return Ok(Outcome::Stored);
    }
    let there: Option<String> = stored.query_row([&new.submission_id], |r| r.get(0)).optional()?;
    Ok(Outcome::Duplicate { same_payload: there.as_deref() == Some(new.payload.as_str()) })
}

/// Whether an error belongs to the row being written (a constraint, a value too big)
/// rather than to the database (full, locked, broken). SQLite undoes a failed statement's
/// own changes and keeps the transaction, so the rest of the batch can still be committed
/// (<https://sqlite.org/lang_transaction.html>, "Response To Errors Within A Transaction").
fn row_failed(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::{ConstraintViolation, TooBig, TypeMismatch};
    matches!(e.sqlite_error_code(), Some(ConstraintViolation | TooBig | TypeMismatch))
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    Error(format!("The database {} could not be opened: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(n: u8, form_id: &str, comment: &str) -> NewSubmission {
        let id = feedback_model::uuid_v4_from_bytes([n; 16]);
        let payload = serde_json::json!({
            "schema_version": 1, "submission_id": id, "form_id": form_id, "form_version": "1",
            "sent_at": "2026-11-23T10:00:00Z", "language": "en", "answers": {"comment": comment},
        })
        .to_string();
        let submission = serde_json::from_str(&payload).unwrap();
        NewSubmission::plain(&submission, payload, "2026-11-23T10:00:01.000Z".into())
    }

    fn open() -> (tempfile::TempDir, Sqlite) {
        let dir = tempfile::tempdir().unwrap();
        let store = Sqlite::open(&dir.path().join("t.sqlite"), Duration::from_secs(5)).unwrap();
        (dir, store)
    }

    fn stored(store: &Sqlite) -> Vec<(String, String)> {
        store.rows(None).unwrap().into_iter().map(|r| (r.submission_id, r.payload)).collect()
    }

    #[test]
    fn a_batch_keeps_repeats_out_and_one_broken_row_fails_alone() {
        let (_dir, store) = open();
        let before = new(1, "f", "stored before");
        assert_eq!(store.insert_batch(std::slice::from_ref(&before)), [Ok(Outcome::Stored)]);
        // A row the database refuses on its own, as a broken row would be.
        store
            .conn()
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON submissions WHEN NEW.form_id = 'broken'
                 BEGIN SELECT RAISE(ABORT, 'a broken row'); END;",
            )
            .unwrap();
        let (a, broken, b) = (new(2, "f", "a"), new(3, "broken", "x"), new(4, "f", "b"));
        let a_changed = new(2, "f", "a, changed");
        let batch = [a.clone(), broken, before.clone(), a.clone(), b.clone(), a_changed];
        let results = store.insert_batch(&batch);
        assert_eq!(results.len(), batch.len());
        assert_eq!(results[0], Ok(Outcome::Stored));
        assert!(results[1].as_ref().is_err_and(|e| e.0.contains("a broken row")), "{:?}", results[1]);
        assert_eq!(results[2], Ok(Outcome::Duplicate { same_payload: true }), "stored in an earlier batch");
        assert_eq!(results[3], Ok(Outcome::Duplicate { same_payload: true }), "earlier in this batch");
        assert_eq!(results[4], Ok(Outcome::Stored), "the row after the broken one");
        assert_eq!(results[5], Ok(Outcome::Duplicate { same_payload: false }));
        let ids = |v: &[&NewSubmission]| -> Vec<(String, String)> {
            v.iter().map(|n| (n.submission_id.clone(), n.payload.clone())).collect()
        };
        assert_eq!(stored(&store), ids(&[&before, &a, &b]));
    }

    #[test]
    fn a_full_disk_fails_the_whole_batch_and_keeps_what_was_stored() {
        let (_dir, store) = open();
        let before = new(1, "f", "stored before");
        assert_eq!(store.insert_batch(std::slice::from_ref(&before)), [Ok(Outcome::Stored)]);
        // No more pages than the file has now: the next rows do not fit, as on a full disk.
        store.conn().execute_batch("PRAGMA max_page_count = 1").unwrap();
        // A short row that would fit first, then long ones that cannot.
        let mut batch = vec![new(2, "f", "short")];
        batch.extend((3..6).map(|n| new(n, "f", &"long answer ".repeat(1000))));
        let results = store.insert_batch(&batch);
        assert_eq!(results.len(), batch.len());
        for result in &results {
            assert!(result.as_ref().is_err_and(|e| e.0.contains("full")), "{result:?}");
        }
        assert_eq!(stored(&store).len(), 1, "nothing of the failed batch, and the row before it kept");
        assert_eq!(stored(&store)[0].1, before.payload);
        // Once there is room again, the same batch (as the senders retry) is stored.
        store.conn().execute_batch("PRAGMA max_page_count = 1073741823").unwrap();
        assert!(store.insert_batch(&batch).iter().all(|r| *r == Ok(Outcome::Stored)));
        assert_eq!(stored(&store).len(), 5);
    }
}
