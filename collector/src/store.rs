//! Where submissions are kept: the one interface the HTTP routes and the exports use.
//!
//! [`Store`] is what they need: store a submission exactly once, and read the stored
//! ones back. SQLite ([`Sqlite`](crate::sqlite::Sqlite)) is the one implementation
//! today; another database goes beside it and is chosen in [`Server::bind`](crate::Server::bind).

use feedback_model::Submission;
use std::fmt;

/// Stores submissions exactly once and reads them back in the order received.
///
/// The methods block until the database answers: call them from a blocking thread
/// (`tokio::task::spawn_blocking`) inside the server.
pub trait Store: Send + Sync {
    /// Stores `submission` with its raw `payload` unless its id is already stored.
    /// Returns once the row is durably committed, so the sender can be told it is stored.
    fn insert(&self, submission: &Submission, payload: &str, received_at: &str) -> Result<Outcome, StoreError>;

    /// Every stored submission (of one form, if given), in the order received.
    fn rows(&self, form_id: Option<&str>) -> Result<Vec<Row>, StoreError>;

    /// The form ids that have stored submissions, sorted.
    fn form_ids(&self) -> Result<Vec<String>, StoreError>;
}

/// What happened to a submission given to [`Store::insert`].
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
    /// The language it was answered in.
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
