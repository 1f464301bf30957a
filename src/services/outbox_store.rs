//! The outbox kept on this device: the one place where it is read, changed and written.
//!
//! Every change is one read-change-write, so two tabs never overwrite each other's changes:
//!
//! 1. **Where it lives**: in IndexedDB; in `localStorage` where IndexedDB cannot be opened; in this page's memory
//!    once storage has failed (see 4).
//! 2. **An earlier version's outbox**, left in `localStorage` before the app used IndexedDB, is merged in and removed
//!    once the merged outbox is written.
//! 3. **What cannot be read is never overwritten**: it may hold someone's answers. The change is made to this page's
//!    copy instead, which this page still sends.
//! 4. **After a failure** (no storage, full, unreadable) this page works from memory for the rest of its life, and
//!    says so: the error tells the person to save their answers as a file.
//!
//! ```ignore
//! let store = OutboxStore::new();
//! let mut added = false;
//! let saved = store.change(&mut |o| added = o.add(&id, &form, &body, clock::now_ms())).await;
//! store.shown.get(); // the outbox after the change, for the page
//! ```

use crate::browser::storage::{self, StorageError};
use feedback_model::outbox::Outbox;
use leptos::prelude::*;

/// The stored outbox, and this page's copy of it.
#[derive(Clone, Copy)]
pub struct OutboxStore {
    /// The outbox after the last change: what the page shows, and the copy that is changed once storage has failed.
    pub shown: RwSignal<Outbox>,
    /// Why storage is no longer used, once it has failed.
    failed: StoredValue<Option<StorageError>>,
}

impl OutboxStore {
    /// An empty outbox until the first change reads the stored one.
    // Not `Default`: made once, by the app (the lint fires since the app became a library too).
    #[allow(clippy::new_without_default)]
    pub fn new() -> OutboxStore {
        OutboxStore { shown: RwSignal::new(Outbox::default()), failed: StoredValue::new(None) }
    }

    /// Reads the outbox, applies `change` to it once, writes it back and shows it. `Err` says why it is only in this
    /// page's memory (the change is made there all the same). `change` may tell its caller what it found by writing
    /// to what it captures; it is a `dyn` callback so this is in the download once.
    pub async fn change(self, change: &mut dyn FnMut(&mut Outbox)) -> Result<(), StorageError> {
        // The outbox after the change, and whether it was given to storage to write.
        let mut after: Option<(Outbox, bool)> = None;
        // Given what is stored and what an earlier version left (2), returns what to write.
        let mut apply = |stored: Option<&str>, earlier: Option<&str>| {
            let read = |json: Option<&str>| json.map(Outbox::from_json);
            let (mut outbox, mut readable) = match read(stored) {
                None => (Outbox::default(), true),
                Some(Some(outbox)) => (outbox, true),
                Some(None) => (self.copy(), false), // (3)
            };
            match read(earlier) {
                Some(Some(old)) => outbox.merge(old),
                Some(None) => readable = false, // (3)
                None => {}
            }
            change(&mut outbox);
            let json = readable.then(|| outbox.to_json());
            after = Some((outbox, readable));
            json
        };
        // (1) and (4): where it lives.
        let saved = match self.failed.try_get_value().flatten() {
            Some(failed) => Err(failed),
            None if storage::indexed_db_opens().await => {
                let earlier = storage::local_outbox();
                let saved = storage::change_in_indexed_db(&mut |stored| apply(stored, earlier.as_deref())).await;
                if saved.is_ok() && earlier.is_some() && matches!(after, Some((_, true))) {
                    storage::remove_local_outbox(); // (2): it is in IndexedDB now
                }
                saved
            }
            None => storage::change_in_local_storage(&mut |stored| apply(stored, None)),
        };
        let (outbox, saved) = match after {
            Some((outbox, true)) => (outbox, saved),
            Some((outbox, false)) => (outbox, Err(StorageError::Unreadable)),
            // (4) Storage was not read: the change is made to this page's copy.
            None => {
                let mut outbox = self.copy();
                change(&mut outbox);
                (outbox, saved.and(Err(StorageError::Unavailable)))
            }
        };
        if let Err(e) = &saved {
            self.failed.try_set_value(Some(e.clone()));
        }
        self.shown.try_set(outbox);
        saved
    }

    /// This page's copy (read only where storage is not used: it may be out of date where another tab sends).
    fn copy(self) -> Outbox {
        self.shown.try_get_untracked().unwrap_or_default()
    }
}
