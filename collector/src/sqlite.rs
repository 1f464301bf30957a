//! The SQLite [`Store`]: one row per submission id, written durably before the reply.

use crate::store::{Outcome, Row, Store, StoreError};
use crate::Error;
use feedback_model::Submission;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

const SCHEMA: &str = "
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
";

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
        Self::setup(conn, Duration::from_secs(5), path)
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
        conn.execute_batch(SCHEMA).map_err(fail)?;
        Ok(Sqlite { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: each
        // statement is its own transaction.
        self.conn.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Store for Sqlite {
    /// Committed with `synchronous=FULL` before it returns. A copy arriving at the same
    /// moment is kept out by the `UNIQUE` id and `ON CONFLICT DO NOTHING`.
    fn insert(&self, submission: &Submission, payload: &str, received_at: &str) -> Result<Outcome, StoreError> {
        let conn = self.conn();
        let inserted = conn.execute(
            "INSERT INTO submissions
                 (submission_id, form_id, form_version, sent_at, received_at, language, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (submission_id) DO NOTHING",
            params![
                submission.submission_id,
                submission.form_id,
                submission.form_version,
                submission.sent_at,
                received_at,
                submission.language,
                payload
            ],
        )?;
        if inserted == 1 {
            return Ok(Outcome::Stored);
        }
        let stored: Option<String> = conn
            .query_row("SELECT payload FROM submissions WHERE submission_id = ?1", [&submission.submission_id], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(Outcome::Duplicate { same_payload: stored.as_deref() == Some(payload) })
    }

    fn rows(&self, form_id: Option<&str>) -> Result<Vec<Row>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT submission_id, form_id, form_version, sent_at, received_at, language, payload
             FROM submissions WHERE ?1 IS NULL OR form_id = ?1 ORDER BY seq",
        )?;
        let rows = stmt.query_map([form_id], |r| {
            Ok(Row {
                submission_id: r.get(0)?,
                form_id: r.get(1)?,
                form_version: r.get(2)?,
                sent_at: r.get(3)?,
                received_at: r.get(4)?,
                language: r.get(5)?,
                payload: r.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn form_ids(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT DISTINCT form_id FROM submissions ORDER BY form_id")?;
        let ids = stmt.query_map([], |r| r.get(0))?;
        Ok(ids.collect::<rusqlite::Result<_>>()?)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError(e.to_string())
    }
}

fn db_error(path: &Path, e: rusqlite::Error) -> Error {
    Error(format!("The database {} could not be opened: {e}", path.display()))
}
