//! Durable storage on this device. The delivery outbox lives in IndexedDB (one
//! record, changed in one read-and-write transaction, so two tabs never
//! overwrite each other's changes, and committed with `durability: "strict"`,
//! so the browser has it on disk before Send says it is saved). Where IndexedDB
//! cannot be opened it lives in `localStorage` instead. The draft of answers in
//! progress is small and read before the first screen, so it lives in
//! `localStorage`.
//!
//! ```ignore
//! // Read, change and write the outbox in one go:
//! storage::transact(Box::new(|stored, _legacy| Some(change(stored)))).await?;
//! ```

use std::cell::RefCell;
use std::rc::Rc;
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

/// A promise settled by the first of these events on `target`: `Ok` for the
/// first name, `Err` for the others.
fn settled(target: &web_sys::EventTarget, ok: &str, fail: &[&str]) -> js_sys::Promise {
    let target = target.clone();
    let ok = ok.to_owned();
    let fail: Vec<String> = fail.iter().map(|s| (*s).to_owned()).collect();
    js_sys::Promise::new(&mut move |resolve, reject| {
        let _ = target.add_event_listener_with_callback(&ok, &resolve);
        for f in &fail {
            let _ = target.add_event_listener_with_callback(f, &reject);
        }
    })
}

async fn open() -> Option<IdbDatabase> {
    if let Some(db) = DB.with(|d| d.borrow().clone()) {
        return db;
    }
    let request: Option<IdbOpenDbRequest> =
        web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).and_then(|f| f.open_with_u32(DATABASE, 1).ok());
    let db = match request {
        Some(request) => {
            let upgrade = {
                let request = request.clone();
                Closure::<dyn FnMut()>::new(move || {
                    if let Some(db) = request.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
                        let _ = db.create_object_store(STORE);
                    }
                })
            };
            request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
            let done = settled(&request, "success", &["error", "blocked"]);
            let opened = JsFuture::from(done).await.ok().and_then(|_| request.result().ok());
            opened.and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        }
        None => None,
    };
    DB.with(|d| *d.borrow_mut() = Some(db.clone()));
    db
}

/// Reads the stored outbox (`None` if there is none), gives it to `apply`, and
/// writes what `apply` returns (nothing, if it returns `None`), all in one
/// transaction. `apply` is not called if storage cannot be read at all.
///
/// An outbox left in `localStorage` by an earlier version of the app is given
/// to `apply` along with this one (`legacy`), and removed once `apply` has
/// returned something to write and it is written.
/// (Boxed, not generic, so its code is in the download once, not once per caller.)
pub async fn transact(
    apply: Box<dyn FnOnce(Option<String>, Option<String>) -> Option<String>>,
) -> Result<(), StorageError> {
    let legacy = local().and_then(|s| s.get_item(OUTBOX).ok().flatten());
    let Some(db) = open().await else {
        // No IndexedDB here: the outbox lives in localStorage.
        let s = local().ok_or(StorageError::Unavailable)?;
        return match apply(legacy, None) {
            Some(json) => s.set_item(OUTBOX, &json).map_err(|_| StorageError::Full),
            None => Ok(()),
        };
    };
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"durability".into(), &"strict".into());
    let tx = db
        .unchecked_ref::<Database>()
        .transaction_with_options(STORE, "readwrite", &options)
        .map_err(|_| StorageError::Unavailable)?;
    let store = tx.object_store(STORE).map_err(|_| StorageError::Unavailable)?;
    let read: IdbRequest = store.get(&STORE.into()).map_err(|_| StorageError::Unavailable)?;
    let had_legacy = legacy.is_some();
    // Whether a write was asked for, and whether the store took it.
    let wrote = Rc::new(std::cell::Cell::new(None));
    let apply = Rc::new(RefCell::new(Some((apply, legacy))));
    let on_read = {
        let read = read.clone();
        let wrote = wrote.clone();
        Closure::<dyn FnMut()>::new(move || {
            let Some((apply, legacy)) = apply.borrow_mut().take() else { return };
            // Something stored that is not text is passed on as unreadable (empty), not as
            // absent, so it is never overwritten.
            let stored = read.result().ok().filter(|v| !v.is_undefined()).map(|v| v.as_string().unwrap_or_default());
            if let Some(json) = apply(stored, legacy) {
                wrote.set(Some(store.put_with_key(&json.into(), &STORE.into()).is_ok()));
            }
        })
    };
    read.set_onsuccess(Some(on_read.as_ref().unchecked_ref()));
    let committed = JsFuture::from(settled(&tx, "complete", &["error", "abort"])).await;
    drop(on_read);
    match committed {
        Ok(_) if wrote.get() == Some(false) => Err(StorageError::Full),
        Ok(_) => {
            if had_legacy && wrote.get() == Some(true) {
                if let Some(s) = local() {
                    let _ = s.remove_item(OUTBOX);
                }
            }
            Ok(())
        }
        // A write refused for lack of space aborts with QuotaExceededError.
        Err(_) if tx.error().is_some_and(|e| e.name() == "QuotaExceededError") => Err(StorageError::Full),
        Err(_) => Err(StorageError::Unavailable),
    }
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
