//! Delivering submissions: the model's [`Outbox`] kept in this device's storage,
//! and a loop that sends what is due, one tab at a time.
//!
//! A submission is written to storage before the first attempt to send it. The
//! loop runs on page load, when the network comes back, when the page becomes
//! visible again, and when the next retry is due.
//!
//! ```ignore
//! let delivery = Delivery::new(); // in the app's root component
//! delivery.begin(config.endpoint.clone()); // once the configuration is read
//! delivery.add(&id, &form.id, &body).await?; // saved; sending starts at once
//! ```

use crate::browser::{clock, http, locks, page, random, storage};
use feedback_model::outbox::{Outbox, Outcome, State};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

/// How long one tab may send before another may take over (renewed while sending),
/// where the browser has no Web Locks.
const LEASE_MS: u64 = 30_000;
/// The Web Lock held by the tab that sends.
const LOCK: &str = "feedback-form:outbox";

/// Why a submission is kept only in this page's memory.
pub use storage::StorageError;

/// Where one submission stands. Gone from the outbox means the endpoint has it.
#[derive(Clone, Debug, PartialEq)]
pub enum Standing {
    Sent,
    Waiting,
    /// The endpoint refused it, with its reason; it is kept on the device.
    Refused(String),
}

/// The outbox as the app sees it, shared through context.
#[derive(Clone, Copy)]
pub struct Delivery {
    /// The outbox after the last change, for what the page shows.
    pub outbox: RwSignal<Outbox>,
    endpoint: StoredValue<String>,
    /// This page's name for the sending lease.
    tab: StoredValue<String>,
    busy: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    /// Set once storage fails: from then on this page works from memory, and
    /// never overwrites what is stored (it may hold answers it cannot read).
    fallback: StoredValue<Option<StorageError>>,
}

impl Delivery {
    /// The outbox, idle until [`Delivery::begin`] names the endpoint. Listens for
    /// the network coming back and the page becoming visible.
    pub fn new() -> Delivery {
        let d = Delivery {
            outbox: RwSignal::new(Outbox::default()),
            endpoint: StoredValue::new(String::new()),
            tab: StoredValue::new(random::submission_id()),
            busy: StoredValue::new(false),
            timer: StoredValue::new(None),
            fallback: StoredValue::new(None),
        };
        let online = window_event_listener(leptos::ev::online, move |_| d.wake());
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !page::is_hidden() {
                d.wake();
            }
        });
        // A reloaded or closed page hands over at once, not when its lease runs
        // out, and starts nothing more.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
            d.endpoint.set_value(String::new());
            // The Web Lock goes with the page; a lease is given up if there is time.
            let tab = d.tab.get_value();
            leptos::task::spawn_local(async move {
                let _ = d.update(move |o| o.release(&tab)).await;
            });
        });
        on_cleanup(move || {
            online.remove();
            visible.remove();
            leaving.remove();
        });
        d
    }

    /// Reads the stored outbox and starts sending anything waiting in it to `endpoint`.
    /// (Sends cut off by a closed page are queued again when this page takes over.)
    pub fn begin(&self, endpoint: String) {
        self.endpoint.set_value(endpoint);
        self.pump();
    }

    /// Reads the stored outbox, applies `change`, writes it back (all in one
    /// transaction) and shows it. Where storage cannot be used the change is
    /// kept in memory (this page still sends it) and the error says why. An
    /// outbox that cannot be read is never overwritten: it may hold someone's answers.
    async fn update<R: 'static>(
        &self,
        change: impl FnOnce(&mut Outbox) -> R + 'static,
    ) -> (R, Result<(), StorageError>) {
        let out = Rc::new(RefCell::new(None));
        let put = out.clone();
        let saved = self.change(Box::new(move |o| *put.borrow_mut() = Some(change(o)))).await;
        let r = out.borrow_mut().take().expect("the change is made once");
        (r, saved)
    }

    /// [`Delivery::update`]'s work, not generic, so it is in the download once.
    async fn change(&self, change: Box<dyn FnOnce(&mut Outbox)>) -> Result<(), StorageError> {
        // This page's copy, for when storage cannot be used: read only then.
        let outbox = self.outbox;
        let change = Rc::new(RefCell::new(Some(change)));
        let done = Rc::new(RefCell::new(None));
        let saved = match self.fallback.get_value() {
            Some(e) => Err(e),
            None => {
                let (change, done) = (change.clone(), done.clone());
                storage::transact(Box::new(move |stored, legacy| {
                    let read = |json: Option<String>| json.map(|j| Outbox::from_json(&j));
                    let (mut outbox, mut readable) = match read(stored) {
                        None => (Outbox::default(), true),
                        Some(Some(o)) => (o, true),
                        Some(None) => (outbox.get_untracked(), false),
                    };
                    // Left in localStorage by an earlier version of the app.
                    match read(legacy) {
                        Some(Some(old)) => outbox.merge(old),
                        Some(None) => readable = false,
                        None => {}
                    }
                    if let Some(f) = change.borrow_mut().take() {
                        f(&mut outbox);
                    }
                    let json = readable.then(|| outbox.to_json());
                    *done.borrow_mut() = Some((outbox, readable));
                    json
                }))
                .await
            }
        };
        let (outbox, saved) = match done.borrow_mut().take() {
            Some((o, true)) => (o, saved),
            Some((o, false)) => (o, Err(StorageError::Unreadable)),
            // Storage could not be read at all: the change is made in memory.
            None => {
                let mut o = outbox.get_untracked();
                if let Some(f) = change.borrow_mut().take() {
                    f(&mut o);
                }
                (o, saved.and(Err(StorageError::Unavailable)))
            }
        };
        if let Err(e) = &saved {
            self.fallback.set_value(Some(e.clone()));
        }
        self.outbox.set(outbox);
        saved
    }

    /// Adds a submission, saved before anything is sent, and starts sending it.
    /// `Err` means it is held only in this page's memory.
    pub async fn add(&self, id: &str, form: &str, body: &str) -> Result<(), StorageError> {
        let (id, form, body) = (id.to_owned(), form.to_owned(), body.to_owned());
        let ((), saved) = self
            .update(move |o| {
                o.add(&id, &form, &body, clock::now_ms());
            })
            .await;
        self.pump();
        saved
    }

    /// Removes the refused submissions from this device (once the person has saved them).
    pub fn discard_rejected(&self) {
        let d = *self;
        leptos::task::spawn_local(async move {
            let _ = d
                .update(|o| {
                    let ids: Vec<String> = o.rejected().map(|e| e.id.clone()).collect();
                    for id in ids {
                        o.discard_rejected(&id);
                    }
                })
                .await;
        });
    }

    /// Where the submission with this id stands (tracked, for what the page says).
    pub fn standing(&self, id: &str) -> Standing {
        self.outbox.with(|o| match o.get(id).map(|e| &e.state) {
            None => Standing::Sent,
            Some(State::Rejected { reason, .. }) => Standing::Refused(reason.clone()),
            Some(_) => Standing::Waiting,
        })
    }

    /// The network is back, or the page is visible again: try now.
    pub fn wake(&self) {
        let d = *self;
        leptos::task::spawn_local(async move {
            let _ = d.update(|o| o.wake(clock::now_ms())).await;
            d.pump();
        });
    }

    /// Sends whatever is due, one at a time, then sets a timer for the next retry.
    /// One tab sends at a time: the one holding the Web Lock, or where the browser
    /// has no Web Locks, the one holding the lease kept in the outbox.
    pub fn pump(&self) {
        if self.busy.get_value() || self.endpoint.with_value(String::is_empty) {
            return;
        }
        self.busy.set_value(true);
        let d = *self;
        leptos::task::spawn_local(async move {
            let locked = locks::exclusive(LOCK, move || async move {
                d.send_due(true).await;
            })
            .await;
            let wake_at = if locked {
                // As the outbox stood at its last read, just before the lock was let go.
                d.outbox.with_untracked(Outbox::next_wake)
            } else {
                let held = d.send_due(false).await;
                let tab = d.tab.get_value();
                let (wake_at, _) = d
                    .update(move |o| {
                        if held && o.waiting() == 0 {
                            o.release(&tab);
                        }
                        o.next_wake()
                    })
                    .await;
                // Another tab is sending: look again when its lease would have run out.
                if held {
                    wake_at
                } else {
                    Some(clock::now_ms() + LEASE_MS)
                }
            };
            d.busy.set_value(false);
            if let Some(handle) = d.timer.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            if let Some(at) = wake_at {
                let wait = Duration::from_millis(at.saturating_sub(clock::now_ms()).max(100));
                let handle = set_timeout_with_handle(move || d.pump(), wait).ok();
                d.timer.set_value(handle);
            }
        });
    }

    /// Sends what is due until nothing is. `locked`: this tab holds the Web Lock,
    /// so anything marked as being sent was cut off in a page that has gone.
    /// Without it, the lease is taken first; returns `false` if another tab holds it.
    async fn send_due(self, locked: bool) -> bool {
        let endpoint = self.endpoint.get_value();
        let mut first = true;
        loop {
            if self.endpoint.with_value(String::is_empty) {
                return true; // the page is going
            }
            let (tab, taking) = (self.tab.get_value(), std::mem::take(&mut first));
            let (next, _) = self
                .update(move |o| {
                    let taking_over = if locked { taking } else { o.holder() != Some(tab.as_str()) };
                    if !locked && !o.claim(&tab, clock::now_ms(), LEASE_MS) {
                        return Err(());
                    }
                    if taking_over {
                        // Sends cut off in a page that is gone are queued again.
                        o.recover();
                    }
                    let e = o.due(clock::now_ms()).cloned();
                    if let Some(e) = &e {
                        o.start(&e.id);
                    }
                    Ok(e)
                })
                .await;
            let entry = match next {
                Ok(Some(e)) => e,
                Ok(None) => return true,
                Err(()) => return false,
            };
            let outcome = match http::post_json(&endpoint, &entry.body, &entry.id).await {
                Ok((code, _)) => Outcome::Status { code, retry_after_s: None, reason: String::new() },
                Err(http::FetchError::Network) => Outcome::Network,
                Err(http::FetchError::Status(code, body, retry_after_s)) => {
                    Outcome::Status { code, retry_after_s, reason: server_reason(&body) }
                }
            };
            let _ = self.update(move |o| o.finish(&entry.id, outcome, clock::now_ms(), random::jitter())).await;
        }
    }
}

/// The endpoint's own sentence from a JSON error (`{"error": "..."}`), else a plain one.
fn server_reason(body: &str) -> String {
    feedback_model::parse_json(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_else(|| crate::text::t("no_reason").into())
}
