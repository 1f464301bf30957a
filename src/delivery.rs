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
//! delivery.add(&id, &form.id, &body)?; // saved; sending starts at once
//! ```

use crate::browser::{clock, http, page, random, storage};
use feedback_model::outbox::{Outbox, Outcome, State};
use leptos::prelude::*;
use std::time::Duration;

/// How long one tab may send before another may take over (renewed while sending).
const LEASE_MS: u64 = 30_000;

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
            let _ = d.update(|o| o.release(&d.tab.get_value()));
        });
        on_cleanup(move || {
            online.remove();
            visible.remove();
            leaving.remove();
        });
        d
    }

    /// Reads the stored outbox and starts sending anything waiting in it to `endpoint`.
    /// (Sends cut off by a closed page are queued again when this page takes the lease.)
    pub fn begin(&self, endpoint: String) {
        self.endpoint.set_value(endpoint);
        self.pump();
    }

    /// Reads the stored outbox, applies `change`, writes it back and shows it.
    /// Where storage cannot be used the change is kept in memory (this page
    /// still sends it) and the error says why. An outbox that cannot be read is
    /// never overwritten: it may hold someone's answers.
    fn update<R>(&self, change: impl FnOnce(&mut Outbox) -> R) -> (R, Result<(), StorageError>) {
        let memory = || self.outbox.get_untracked();
        let (mut outbox, mut saved) = match self.fallback.get_value() {
            Some(e) => (memory(), Err(e)),
            None => match storage::read_outbox() {
                Ok(Some(json)) => match Outbox::from_json(&json) {
                    Some(o) => (o, Ok(())),
                    None => (memory(), Err(StorageError::Unreadable)),
                },
                Ok(None) => (Outbox::default(), Ok(())),
                Err(e) => (memory(), Err(e)),
            },
        };
        let r = change(&mut outbox);
        if saved.is_ok() {
            saved = storage::write_outbox(&outbox.to_json());
        }
        if let Err(e) = &saved {
            self.fallback.set_value(Some(e.clone()));
        }
        self.outbox.set(outbox);
        (r, saved)
    }

    /// Adds a submission (saved before anything is sent) and starts sending it.
    /// `Err` means it is held only in this page's memory.
    pub fn add(&self, id: &str, form: &str, body: &str) -> Result<(), StorageError> {
        let ((), saved) = self.update(|o| {
            o.add(id, form, body, clock::now_ms());
        });
        self.pump();
        saved
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
        let _ = self.update(|o| o.wake(clock::now_ms()));
        self.pump();
    }

    /// Sends whatever is due, one at a time, then sets a timer for the next retry.
    pub fn pump(&self) {
        if self.busy.get_value() || self.endpoint.with_value(String::is_empty) {
            return;
        }
        self.busy.set_value(true);
        let d = *self;
        leptos::task::spawn_local(async move {
            let tab = d.tab.get_value();
            let endpoint = d.endpoint.get_value();
            let mut held = true;
            loop {
                if d.endpoint.with_value(String::is_empty) {
                    break; // the page is going
                }
                let (next, _) = d.update(|o| {
                    let taking_over = o.holder() != Some(tab.as_str());
                    if !o.claim(&tab, clock::now_ms(), LEASE_MS) {
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
                });
                let entry = match next {
                    Ok(Some(e)) => e,
                    Ok(None) => break,
                    Err(()) => {
                        held = false;
                        break;
                    }
                };
                let outcome = match http::post_json(&endpoint, &entry.body, &entry.id).await {
                    Ok((code, _)) => Outcome::Status { code, retry_after_s: None, reason: String::new() },
                    Err(http::FetchError::Network) => Outcome::Network,
                    Err(http::FetchError::Status(code, body, retry_after_s)) => {
                        Outcome::Status { code, retry_after_s, reason: server_reason(&body) }
                    }
                };
                let _ = d.update(|o| o.finish(&entry.id, outcome, clock::now_ms(), random::jitter()));
            }
            let (wake_at, _) = d.update(|o| {
                if held && o.waiting() == 0 {
                    o.release(&tab);
                }
                o.next_wake()
            });
            d.busy.set_value(false);
            // Another tab is sending: look again when its lease would have run out.
            let wake_at = if held { wake_at } else { Some(clock::now_ms() + LEASE_MS) };
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
}

/// The endpoint's own sentence from a JSON error (`{"error": "..."}`), else a plain one.
fn server_reason(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_else(|| crate::text::t("no_reason").into())
}
