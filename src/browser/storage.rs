//! Durable storage on this device: the delivery outbox and the draft of answers in progress.
//!
//! The outbox is one record, read, changed and written back in one go, so two tabs never overwrite each other's
//! changes. In IndexedDB that is one `readwrite` transaction committed with `durability: "strict"`, so the browser
//! has it on disk before Send says it is saved; where IndexedDB cannot be opened the record lives in `localStorage`.
//! Which of the two is used, and what happens when neither works, is decided by [`crate::services::outbox_store`]; this module
//! only reads and writes. The draft is small and read before the first screen, so it lives in `localStorage`.
//!
//! ```ignore
//! // Read, change and write the outbox in one transaction (`None`: leave it as it is).
//! if storage::indexed_db_opens().await {
//!     storage::change_in_indexed_db(&mut |stored| Some(change(stored))).await?;
//! }
//! ```

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

/// The outbox's key in `localStorage` (where it was kept before IndexedDB, and
/// where it is kept when IndexedDB cannot be used).
const OUTBOX: &str = "feedback-form:outbox";
const DATABASE: &str = "feedback-form";
const STORE: &str = "outbox";

fn local() -> Option<web_sys::Storage> {
    super::window()?.local_storage().ok().flatten()
}

/// The text kept in `localStorage` under `key`, if any.
fn read_local(key: &str) -> Option<String> {
    local()?.get_item(key).ok().flatten()
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

/// One read-change-write of the outbox's record: `change` is given what is stored (`None` if nothing is; anything
/// stored that is not text is given as `""`, which no reader takes for an outbox) and returns what to write in its
/// place (`None`: leave the record as it is). A `dyn` callback, not a generic one, so the code that runs it is in the
/// download once, not once per kind of change (2.3 KB of brotli when it was generic).
pub type Change<'a> = &'a mut dyn FnMut(Option<&str>) -> Option<String>;

#[wasm_bindgen]
extern "C" {
    /// `IDBDatabase`, for `transaction` with its options (unstable in web-sys).
    #[wasm_bindgen(js_name = IDBDatabase)]
    type Database;
    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &Database,
        store: &str,
        mode: &str,
        options: &JsValue,
    ) -> Result<IdbTransaction, JsValue>;
}

thread_local! {
    /// The open database; `None` inside once it has failed to open (then `localStorage`).
    static DB: RefCell<Option<Option<IdbDatabase>>> = const { RefCell::new(None) };
}

/// Waits for the first of these events on `target`: `true` for `ok`, `false` for any of `fail`. The listeners are
/// removed once it has come. (By hand, with the promise's own `resolve` and `reject` as the listeners: the same with
/// `gloo-events` 0.3, a boxed closure per listener, measured 0.7 KB more brotli on the first load.)
async fn settled(target: &web_sys::EventTarget, ok: &str, fail: &[&str]) -> bool {
    let mut handlers = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| handlers = Some((resolve, reject)));
    let Some((resolve, reject)) = handlers else { return false };
    let _ = target.add_event_listener_with_callback(ok, &resolve);
    for name in fail {
        let _ = target.add_event_listener_with_callback(name, &reject);
    }
    let done = JsFuture::from(promise).await.is_ok();
    let _ = target.remove_event_listener_with_callback(ok, &resolve);
    for name in fail {
        let _ = target.remove_event_listener_with_callback(name, &reject);
    }
    done
}

/// The database, opened the first time it is asked for and kept open; `None` if this browser will not open it.
async fn open() -> Option<IdbDatabase> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return db;
    }
    let request: Option<IdbOpenDbRequest> =
        super::window().and_then(|w| w.indexed_db().ok().flatten()).and_then(|f| f.open_with_u32(DATABASE, 1).ok());
    let db = match request {
        Some(request) => {
            // A new database (or one deleted since) gets its one store.
            let mut upgrade = || {
                if let Some(db) = request.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
                    let _ = db.create_object_store(STORE);
                }
            };
            let upgrade = ScopedClosure::<dyn FnMut()>::borrow_mut(&mut upgrade);
            request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
            let opened = settled(&request, "success", &["error", "blocked"]).await;
            request.set_onupgradeneeded(None);
            drop(upgrade);
            opened.then(|| request.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok())).flatten()
        }
        None => None,
    };
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    db
}

/// Whether the outbox can be kept in IndexedDB here (the database is opened the first time, then kept open).
pub async fn indexed_db_opens() -> bool {
    open().await.is_some()
}

/// Reads the outbox's record in IndexedDB, gives it to `change`, and writes what `change` returns, all in one
/// `readwrite` transaction committed with `durability: "strict"`. `change` is not called if the record cannot be
/// read at all (`Err(Unavailable)`); `Err(Full)` if the write was refused.
pub async fn change_in_indexed_db(change: Change<'_>) -> Result<(), StorageError> {
    let db = open().await.ok_or(StorageError::Unavailable)?;
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
    let tx = db
        .unchecked_ref::<Database>()
        .transaction_with_options(STORE, "readwrite", &options)
        .map_err(|_| StorageError::Unavailable)?;
    let store = tx.object_store(STORE).map_err(|_| StorageError::Unavailable)?;
    let read: IdbRequest = store.get(&STORE.into()).map_err(|_| StorageError::Unavailable)?;
    // Whether a write was asked for, and whether the store took it.
    let mut wrote = None;
    // Runs while the transaction is still open, so the write is part of it.
    let mut on_read = || {
        // Something stored that is not text is given as "" (unreadable), not as absent, so it is never overwritten.
        let stored = read.result().ok().filter(|v| !v.is_undefined()).map(|v| v.as_string().unwrap_or_default());
        if let Some(json) = change(stored.as_deref()) {
            wrote = Some(store.put_with_key(&json.into(), &STORE.into()).is_ok());
        }
    };
    let on_read = ScopedClosure::<dyn FnMut()>::borrow_mut(&mut on_read);
    read.set_onsuccess(Some(on_read.as_ref().unchecked_ref()));
    let committed = settled(&tx, "complete", &["error", "abort"]).await;
    read.set_onsuccess(None);
    drop(on_read);
    match (committed, wrote) {
        (true, Some(false)) => Err(StorageError::Full),
        (true, _) => Ok(()),
        // A write refused for lack of space aborts with QuotaExceededError.
        (false, _) if tx.error().is_some_and(|e| e.name() == "QuotaExceededError") => Err(StorageError::Full),
        (false, _) => Err(StorageError::Unavailable),
    }
}

/// [`change_in_indexed_db`] for the record in `localStorage` (read and written at once, with no wait in between).
/// `Err(Unavailable)`, without calling `change`, if there is no `localStorage`.
pub fn change_in_local_storage(change: Change<'_>) -> Result<(), StorageError> {
    let s = local().ok_or(StorageError::Unavailable)?;
    match change(s.get_item(OUTBOX).ok().flatten().as_deref()) {
        Some(json) => s.set_item(OUTBOX, &json).map_err(|_| StorageError::Full),
        None => Ok(()),
    }
}

/// The outbox in `localStorage`, if there is one: left by an earlier version of the app (before IndexedDB), or
/// kept there because IndexedDB cannot be opened.
pub fn local_outbox() -> Option<String> {
    read_local(OUTBOX)
}

/// Removes the outbox from `localStorage` (once an earlier version's is safely in IndexedDB).
pub fn remove_local_outbox() {
    if let Some(s) = local() {
        let _ = s.remove_item(OUTBOX);
    }
}

const DRAFT: &str = "feedback-form:draft";
/// What `public/shared/shared.js` keeps on a shared device: the facilitator's session (its
/// label and code), and the salted hash of the PIN that guards the facilitator's screen.
const SESSION: &str = "feedback-form:session";
const PIN: &str = "feedback-form:pin";

/// The facilitator's session running on this device, if any (its JSON).
pub fn read_session() -> Option<String> {
    read_local(SESSION)
}

/// Whether a facilitator has made this device a shared one (by choosing a PIN for it).
pub fn has_facilitator_pin() -> bool {
    read_local(PIN).is_some()
}

/// The answers in progress kept on this device, if any.
pub fn read_draft() -> Option<String> {
    read_local(DRAFT)
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
