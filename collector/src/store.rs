//! Where submissions are kept: the one interface the HTTP routes and the exports use.
//!
//! [`Store`] is what they need: store a submission exactly once, and read the stored
//! ones back. SQLite ([`Sqlite`](crate::sqlite::Sqlite)) is the embedded default and
//! PostgreSQL ([`Postgres`](crate::postgres::Postgres)) the one several collectors can share;
//! [`Database`] says which, from the `--db` value, and [`Database::open`] opens it.

use crate::Error;
use feedback_model::{Envelope, Submission};
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Stores submissions exactly once and reads them back in the order received.
///
/// The methods block until the database answers: call them from a blocking thread
/// inside the server. The server gives every write to one writer thread
/// ([`GroupCommit`](crate::group::GroupCommit)), which hands over all the submissions
/// that arrived together as one batch, so a store can commit them with one flush.
pub trait Store: Send + Sync {
    /// Stores each submission of `batch` unless its id is already stored (or comes earlier
    /// in the same batch), and returns one result per submission, in order.
    ///
    /// An `Ok` comes only once the transaction holding that row is durably committed, so
    /// the sender can be told it is stored. One row that cannot be written fails alone;
    /// a failed commit (a full disk, a lock held too long) fails every row of the batch
    /// and leaves what was stored before as it was.
    fn insert_batch(&self, batch: &[NewSubmission]) -> Vec<Result<Outcome, StoreError>>;

    /// Reads every stored submission (of one form, if given) in the order received, `passes` times over, all
    /// from one snapshot of the database (so each pass sees the same rows, whatever arrives meanwhile). Each row
    /// is given to `visit` with its pass (0, 1, …) as it is read, never all at once, and `None` ends each pass:
    /// an export of a million rows holds one at a time. An error from `visit` stops the reading and is returned;
    /// the database's own is "The database could not be read: …".
    fn scan(&self, form_id: Option<&str>, passes: usize, visit: &mut Visit<'_>) -> Result<(), Error>;

    /// The form ids that have stored submissions, sorted.
    fn form_ids(&self) -> Result<Vec<String>, StoreError>;

    /// Every stored submission (of one form, if given), in the order received, in memory: for tests and small
    /// databases only; exports use [`scan`](Store::scan).
    fn rows(&self, form_id: Option<&str>) -> Result<Vec<Row>, Error> {
        let mut rows = Vec::new();
        self.scan(form_id, 1, &mut |_, row| {
            rows.extend(row);
            Ok(())
        })?;
        Ok(rows)
    }
}

/// What [`Store::scan`] calls for each row of each pass (and with `None` at the end of each pass).
pub type Visit<'a> = dyn FnMut(usize, Option<Row>) -> Result<(), Error> + 'a;

/// The message for a database that could not be read.
pub(crate) fn read_failed(e: impl fmt::Display) -> Error {
    Error(format!("The database could not be read: {e}"))
}

/// Refuses a database whose schema is newer than this collector's (`known` migrations): it was brought up
/// to date by a newer collector, and this one could misread it.
pub(crate) fn check_schema_version(found: i64, known: usize, database: &str) -> Result<(), Error> {
    if found < 0 || found as u64 > known as u64 {
        return Err(Error(format!(
            "The database {database} has schema version {found}, newer than this collector knows ({known}): \
             run the newer collector that brought it there"
        )));
    }
    Ok(())
}

/// Which database the `--db` value names: a PostgreSQL URL (`postgres://…` or `postgresql://…`) or else the
/// SQLite file's path.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    /// The SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL, with its password if it has one (never printed: see [`Database::describe`]).
    Postgres(String),
}

impl Database {
    /// Reads a `--db` value.
    pub fn parse(value: &std::ffi::OsStr) -> Database {
        match value.to_str() {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Database::Postgres(url.to_owned())
            }
            _ => Database::Sqlite(PathBuf::from(value)),
        }
    }

    /// The database for a log line or a message: the file's path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => path.display().to_string(),
            Database::Postgres(url) => crate::postgres::without_password(url),
        }
    }

    /// Opens the database, making it (a SQLite file and its folder) or bringing its tables up to date
    /// (either) as needed. `busy_timeout`: how long a write may wait for the database before it fails
    /// (and the sender is answered 503).
    ///
    /// This blocks (PostgreSQL's pool runs on a small runtime of its own): call it from a blocking thread
    /// inside a server.
    pub fn open(&self, busy_timeout: std::time::Duration) -> Result<Arc<dyn Store>, Error> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(crate::sqlite::Sqlite::open(path, busy_timeout)?),
            Database::Postgres(url) => Arc::new(crate::postgres::Postgres::connect(url, busy_timeout)?),
        })
    }

    /// Opens a database that must already be there (for exports): a SQLite file is never made. A PostgreSQL
    /// database is opened as [`open`](Database::open) does.
    pub fn open_existing(&self) -> Result<Arc<dyn Store>, Error> {
        Ok(match self {
            Database::Sqlite(path) => Arc::new(crate::sqlite::Sqlite::open_existing(path)?),
            Database::Postgres(url) => Arc::new(crate::postgres::Postgres::connect(url, crate::sqlite::BUSY_TIMEOUT)?),
        })
    }
}

/// Never the URL itself: it may hold a password.
impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Database({})", self.describe())
    }
}

impl From<PathBuf> for Database {
    fn from(value: PathBuf) -> Self {
        Database::parse(value.as_os_str())
    }
}

impl From<&PathBuf> for Database {
    fn from(value: &PathBuf) -> Self {
        Database::parse(value.as_os_str())
    }
}

impl From<&str> for Database {
    fn from(value: &str) -> Self {
        Database::parse(value.as_ref())
    }
}

/// A submission to store: what [`Store::insert_batch`] takes, plain or encrypted.
///
/// The row's columns come from the payload's clear fields; an envelope's `language` is sealed with its answers,
/// so its row's is empty.
#[derive(Clone, Debug)]
pub struct NewSubmission {
    /// The submission's UUID.
    pub submission_id: String,
    /// The form it answers.
    pub form_id: String,
    /// The form's version when it was answered.
    pub form_version: String,
    /// When the person pressed Send (from the payload).
    pub sent_at: String,
    /// The language it was answered in; empty for an envelope.
    pub language: String,
    /// The request body exactly as received.
    pub payload: String,
    /// When it arrived here (RFC 3339 UTC).
    pub received_at: String,
}

impl NewSubmission {
    /// A checked plain payload and its text as received.
    pub fn plain(submission: &Submission, payload: String, received_at: String) -> NewSubmission {
        NewSubmission {
            submission_id: submission.submission_id.clone(),
            form_id: submission.form_id.clone(),
            form_version: submission.form_version.clone(),
            sent_at: submission.sent_at.clone(),
            language: submission.language.clone(),
            payload,
            received_at,
        }
    }

    /// A checked envelope and its text as received: only its clear fields are known, and no language.
    pub fn sealed(envelope: &Envelope, payload: String, received_at: String) -> NewSubmission {
        NewSubmission {
            submission_id: envelope.submission_id.clone(),
            form_id: envelope.form_id.clone(),
            form_version: envelope.form_version.clone(),
            sent_at: envelope.sent_at.clone(),
            language: String::new(),
            payload,
            received_at,
        }
    }
}

/// What happened to a submission given to [`Store::insert_batch`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A new row was written and committed.
    Stored,
    /// A row with this id was already there; nothing was written.
    Duplicate {
        /// Whether the stored payload is byte-for-byte the one given.
        same_payload: bool,
    },
}

/// One stored submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The submission's UUID.
    pub submission_id: String,
    /// The form it answers.
    pub form_id: String,
    /// The form's version when it was answered.
    pub form_version: String,
    /// When the person pressed Send (from the payload).
    pub sent_at: String,
    /// When it arrived here (RFC 3339 UTC).
    pub received_at: String,
    /// The language it was answered in; empty for an envelope (its language is sealed with its answers).
    pub language: String,
    /// The request body exactly as received.
    pub payload: String,
}

/// The database could not do what was asked (it is locked, full, broken or gone).
/// Its text is the database's own message, for the log; it never holds answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreError(pub String);

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}
