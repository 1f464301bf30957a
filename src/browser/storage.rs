//! Durable storage on this device (`localStorage`): the delivery outbox lives
//! here, so answers survive a reload, a closed tab or a dead network.

const OUTBOX: &str = "feedback-form:outbox";

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Why storage could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// No storage at all (blocked by settings, or a private mode without it).
    Unavailable,
    /// Storage refused the write (full).
    Full,
    /// What is stored cannot be read (written by something else, or damaged).
    /// It is left as it is, since it may hold answers.
    Unreadable,
}

/// The stored outbox, if any. `Err` when storage cannot be read at all.
pub fn read_outbox() -> Result<Option<String>, StorageError> {
    local().ok_or(StorageError::Unavailable)?.get_item(OUTBOX).map_err(|_| StorageError::Unavailable)
}

/// Writes the outbox.
pub fn write_outbox(json: &str) -> Result<(), StorageError> {
    local().ok_or(StorageError::Unavailable)?.set_item(OUTBOX, json).map_err(|_| StorageError::Full)
}

const DRAFT: &str = "feedback-form:draft";

/// The answers in progress kept on this device, if any.
pub fn read_draft() -> Option<String> {
    local()?.get_item(DRAFT).ok().flatten()
}

/// Keeps the answers in progress. A draft is a convenience, not a submission: if
/// storage is full or off, the form works as before without it.
pub fn write_draft(json: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(DRAFT, json);
    }
}

/// Forgets the answers in progress (after Send, Clear my answers, or quick exit).
pub fn remove_draft() {
    if let Some(s) = local() {
        let _ = s.remove_item(DRAFT);
    }
}
