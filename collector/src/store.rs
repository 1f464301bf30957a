//! Where submissions are kept: the one interface the HTTP routes and the exports use.
//!
//! [`Store`] is what they need: store a submission exactly once, and read the stored
//! ones back. SQLite ([`Sqlite`](crate::sqlite::Sqlite)) is the one implementation
//! today; another database goes beside it and is chosen in [`Server::bind`](crate::Server::bind).

use feedback_model::{Envelope, Submission};
use std::fmt;

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

    /// Every stored submission (of one form, if given), in the order received.
    fn rows(&self, form_id: Option<&str>) -> Result<Vec<Row>, StoreError>;

    /// The form ids that have stored submissions, sorted.
    fn form_ids(&self) -> Result<Vec<String>, StoreError>;
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
