//! Delivering submissions: the model's [`Outbox`], kept on this device by [`OutboxStore`], and one loop that sends
//! what is due, one tab at a time.
//!
//! A submission is saved on this device before the first attempt to send it ([`Delivery::add`]). Then the loop,
//! top to bottom:
//!
//! 1. **Start** ([`Delivery::pump`]): on page load ([`Delivery::begin`]), after [`Delivery::add`], when the network
//!    comes back or the page becomes visible again ([`Delivery::wake`]), and when the next retry is due (a timer).
//!    Nothing starts while a round is running, or once the page is going (until it comes back from the browser's
//!    back/forward cache).
//! 2. **Take the right to send** ([`Delivery::round`]), as one tab sends at a time: the Web Lock [`LOCK`] (waiting
//!    while another tab holds it; the browser lets go of it however the page goes), or where the browser has no Web
//!    Locks, the lease kept in the outbox ([`Outbox::claim`]), which a closed tab's runs out. While another tab holds
//!    the lease, look again when it would run out.
//! 3. **Take the next submission that is due** ([`next_due`]), in one change of the stored outbox: renew the lease;
//!    on taking over, queue again what a closed page was sending ([`Outbox::recover`]); mark the oldest due one as
//!    being sent. Nothing due: go to 6.
//! 4. **Stamp it and post it** ([`attempt`]): a proof of work over its id with Web Crypto's SHA-256
//!    ([`feedback_model::stamp`]), found after the answers were saved, then the post, with its id as the
//!    `Idempotency-Key`, the same on every attempt, so the endpoint stores it once however many attempts it
//!    takes. An endpoint that wants a stronger stamp answers 428, and a stronger one is sent at once.
//! 5. **Record how it went**, in one change: removed once stored, queued again with backoff, or kept as refused
//!    ([`Outbox::finish`]). Back to 3.
//! 6. **Let go**: the Web Lock when the round ends, the lease once nothing waits; then a timer for the next retry.
//!
//! ```ignore
//! let delivery = Delivery::new(); // in the app's root component
//! delivery.begin(config.endpoint.clone()); // once the configuration is read
//! delivery.add(&id, &form.id, &body).await?; // saved; sending starts at once
//! ```

use crate::browser::{clock, http, locks, page, random, stamp};
use crate::services::outbox_store::OutboxStore;
use feedback_model::outbox::{Entry, Outbox, Outcome, State};
use feedback_model::stamp::{DEFAULT_STAMP_BITS, MAX_STAMP_BITS};
use leptos::prelude::*;
use std::time::Duration;

/// How long one tab may send before another may take over (renewed while sending),
/// where the browser has no Web Locks.
const LEASE_MS: u64 = 30_000;
/// The Web Lock held by the tab that sends.
const LOCK: &str = "feedback-form:outbox";

/// Why a submission is kept only in this page's memory.
pub use crate::browser::storage::StorageError;

/// The outbox as the app sees it, shared through context.
#[derive(Clone, Copy)]
pub struct Delivery {
    /// The outbox after the last change, for what the page shows.
    pub outbox: RwSignal<Outbox>,
    store: OutboxStore,
    /// Where to send; empty until [`Delivery::begin`], and again once the page is going.
    endpoint: StoredValue<String>,
    /// Where this page sent before it went (`pagehide`): a page kept in the back/forward cache comes back
    /// (`pageshow`) and sends again.
    away: StoredValue<String>,
    /// This page's name for the sending lease.
    tab: StoredValue<String>,
    /// A round of sending is running (steps 2–6).
    busy: StoredValue<bool>,
    /// The timer for the next retry.
    timer: StoredValue<Option<TimeoutHandle>>,
}

impl Delivery {
    /// The outbox, idle until [`Delivery::begin`] names the endpoint. Listens for
    /// the network coming back and the page becoming visible.
    // Not `Default`: made once, by the app (the lint fires since the app became a library too).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Delivery {
        let store = OutboxStore::new();
        let d = Delivery {
            outbox: store.shown,
            store,
            endpoint: StoredValue::new(String::new()),
            away: StoredValue::new(String::new()),
            tab: StoredValue::new(random::submission_id()),
            busy: StoredValue::new(false),
            timer: StoredValue::new(None),
        };
        let online = window_event_listener(leptos::ev::online, move |_| d.wake());
        // The facilitator's "Send now", on a shared device.
        let asked =
            window_event_listener(leptos::ev::Custom::new(super::shared::SEND_NOW_EVENT), move |_: web_sys::Event| {
                d.wake()
            });
        let visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
            if !page::is_hidden() {
                d.wake();
            }
        });
        // A reloaded or closed page hands over at once, not when its lease runs
        // out, and starts nothing more.
        let leaving = window_event_listener(leptos::ev::pagehide, move |_| {
            if let Some(endpoint) = d.endpoint.try_update_value(std::mem::take) {
                d.away.try_set_value(endpoint);
            }
            // The Web Lock goes with the page; a lease is given up if there is time.
            let Some(tab) = d.tab.try_get_value() else { return };
            leptos::task::spawn_local(async move {
                let _ = d.store.change(&mut |o| o.release(&tab)).await;
            });
        });
        // A page that went into the back/forward cache (Back from a help link, say) was kept, not closed: when it
        // is shown again it sends what is waiting, at once and on every wake after. (A closed page never gets
        // here, and the first `pageshow` of a page comes before any `pagehide`, with nothing kept.)
        let back = window_event_listener(leptos::ev::pageshow, move |_| {
            if let Some(endpoint) = d.away.try_update_value(std::mem::take).filter(|e| !e.is_empty()) {
                d.endpoint.try_set_value(endpoint);
                d.wake();
            }
        });
        on_cleanup(move || {
            online.remove();
            asked.remove();
            visible.remove();
            leaving.remove();
            back.remove();
            d.clear_timer();
        });
        d
    }

    /// Reads the stored outbox and starts sending anything waiting in it to `endpoint`.
    /// (Sends cut off by a closed page are queued again when this page takes over.)
    pub fn begin(&self, endpoint: String) {
        self.endpoint.set_value(endpoint);
        self.pump();
    }

    /// Adds a submission, saved before anything is sent, and starts sending it.
    /// `Err` means it is held only in this page's memory.
    pub async fn add(&self, id: &str, form: &str, body: &str) -> Result<(), StorageError> {
        let saved = self
            .store
            .change(&mut |o| {
                o.add(id, form, body, clock::now_ms());
            })
            .await;
        self.pump();
        saved
    }

    /// Removes the refused submissions from this device (once the person has saved them).
    pub fn discard_refused(&self) {
        let store = self.store;
        leptos::task::spawn_local(async move {
            let _ = store
                .change(&mut |o| {
                    let ids: Vec<String> = o.refused().map(|e| e.id.clone()).collect();
                    for id in ids {
                        o.discard_refused(&id);
                    }
                })
                .await;
        });
    }

    /// Where the submission with this id stands (tracked, for what the page says):
    /// `None` once it has gone from the outbox, which means the endpoint has it.
    pub fn state_of(&self, id: &str) -> Option<State> {
        self.outbox.with(|o| o.get(id).map(|e| e.state.clone()))
    }

    /// The network is back, or the page is visible again: try now.
    pub fn wake(&self) {
        let d = *self;
        leptos::task::spawn_local(async move {
            let _ = d.store.change(&mut |o| o.wake(clock::now_ms())).await;
            d.pump();
        });
    }

    /// Step 1: starts a round of sending (steps 2–6), unless one is running or there is nowhere to send.
    pub fn pump(&self) {
        if self.busy.try_get_value() != Some(false) || self.stopped() {
            return;
        }
        self.busy.set_value(true);
        let d = *self;
        leptos::task::spawn_local(async move {
            let next_try = d.round().await;
            d.busy.try_set_value(false);
            // Step 6: a timer for the next retry, in place of any set before.
            d.clear_timer();
            if let Some(at) = next_try {
                let wait = Duration::from_millis(at.saturating_sub(clock::now_ms()).max(100));
                d.timer.try_set_value(set_timeout_with_handle(move || d.pump(), wait).ok());
            }
        });
    }

    /// Steps 2–6: takes the right to send, sends what is due, and lets go. Returns when the next retry is due.
    async fn round(self) -> Option<u64> {
        // With a Web Lock, held while everything due is sent.
        if locks::exclusive(LOCK, move || async move {
            self.send_due(true).await;
        })
        .await
        {
            // As the outbox stood at its last change, just before the lock was let go.
            return self.outbox.try_with_untracked(Outbox::next_wake).flatten();
        }
        // No Web Locks in this browser: the lease kept in the outbox.
        if !self.send_due(false).await {
            // Another tab is sending: look again when its lease would have run out.
            return Some(clock::now_ms() + LEASE_MS);
        }
        // Step 6 for the lease: given up once nothing waits, so that no other tab waits for it to run out.
        let tab = self.tab.try_get_value().unwrap_or_default();
        let mut next_try = None;
        let _ = self
            .store
            .change(&mut |o| {
                if o.waiting() == 0 {
                    o.release(&tab);
                }
                next_try = o.next_wake();
            })
            .await;
        next_try
    }

    /// Steps 3–5, until nothing is due. `locked`: this tab holds the Web Lock. Without it, the lease is taken (or
    /// renewed) at each step 3; returns `false` if another tab holds it.
    async fn send_due(self, locked: bool) -> bool {
        let (Some(endpoint), Some(tab)) = (self.endpoint.try_get_value(), self.tab.try_get_value()) else {
            return true; // the page is gone
        };
        let mut first = true;
        // Until the page is going (then another tab, or the next visit, takes over).
        while !self.stopped() {
            // Step 3.
            let taking = std::mem::take(&mut first);
            let mut next = Err(());
            let _ = self.store.change(&mut |o| next = next_due(o, locked, &tab, taking)).await;
            let entry = match next {
                Ok(Some(entry)) => entry,
                Ok(None) => return true,
                Err(()) => return false,
            };
            // Steps 4 and 5.
            let outcome = attempt(&endpoint, &entry).await;
            let _ = self
                .store
                .change(&mut |o| {
                    o.finish(&entry.id, outcome.clone(), clock::now_ms(), random::jitter());
                })
                .await;
        }
        true
    }

    /// No endpoint yet, or the page is going (or gone).
    fn stopped(self) -> bool {
        self.endpoint.try_with_value(String::is_empty).unwrap_or(true)
    }

    fn clear_timer(self) {
        if let Some(handle) = self.timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }
}

/// Step 3 on the outbox: the submission to send now, marked as being sent (`Ok(None)`: nothing is due), or `Err`
/// if another tab holds the lease. `first`: the first step of a round.
fn next_due(o: &mut Outbox, locked: bool, tab: &str, first: bool) -> Result<Option<Entry>, ()> {
    // With the Web Lock, whatever is marked as being sent was cut off in a page that has gone.
    let taking_over = if locked { first } else { o.holder() != Some(tab) };
    if !locked && !o.claim(tab, clock::now_ms(), LEASE_MS) {
        return Err(());
    }
    if taking_over {
        o.recover();
    }
    let entry = o.due(clock::now_ms()).cloned();
    if let Some(e) = &entry {
        o.start(&e.id);
    }
    Ok(entry)
}

/// Step 4: one attempt to post a submission, with its proof of work, and how it ended.
///
/// The stamp is found here, once the answers are saved (never before, and never holding up the confirmation),
/// and again for each attempt rather than kept: the search counts from 0, so it is the same one. With `None`
/// (no Web Crypto) the answers go without one, and an endpoint that wants one answers 428, which waits like any
/// trouble worth retrying. An endpoint that wants more bits than the app's own says how many (`{"stamp_bits":
/// N}`), and one stronger stamp is made and sent at once.
async fn attempt(endpoint: &str, entry: &Entry) -> Outcome {
    let mut bits = DEFAULT_STAMP_BITS;
    loop {
        let body = stamp::stamped(&entry.id, &entry.body, bits).await.unwrap_or_else(|| entry.body.clone());
        return match http::post_json(endpoint, &body, &entry.id).await {
            Ok((code, _)) => Outcome::Status { code, retry_after_s: None, reason: String::new() },
            Err(http::FetchError::Network) => Outcome::Network,
            Err(http::FetchError::Status(code, body, retry_after_s)) => {
                // The endpoint's JSON error: `{"error": "..."}`, its own sentence (else none, and the
                // confirmation says so in the language shown); with 428, the bits a stamp must have.
                let error = feedback_model::parse_json(&body).ok();
                let field = |name| error.as_ref().and_then(|v| v.get(name));
                let wanted = field("stamp_bits").and_then(|b| b.as_u64()).unwrap_or(0);
                if code == 428 && wanted > u64::from(bits) && wanted <= u64::from(MAX_STAMP_BITS) {
                    bits = wanted as u8;
                    continue;
                }
                let reason = field("error").and_then(|e| e.as_str()).unwrap_or_default().to_owned();
                Outcome::Status { code, retry_after_s, reason }
            }
        };
    }
}
