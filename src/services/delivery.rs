//! Delivering submissions: the model's [`Outbox`], kept on this device by [`OutboxStore`], and one loop that sends
//! what is due, one tab at a time.
//!
//! A submission is saved on this device before the first attempt to send it ([`Delivery::add`]). Then the loop,
//! top to bottom:
//!
//! 1. **Start** ([`Delivery::pump`]): on page load ([`Delivery::begin`]), after [`Delivery::add`], when the network
//!    comes back or the page becomes visible again ([`Delivery::wake`]), and when the next retry is due (a timer).
//!    Nothing starts while a round is running, or once the page is going.
//! 2. **Take the right to send** ([`Delivery::round`]), as one tab sends at a time: the Web Lock [`LOCK`] (waiting
//!    while another tab holds it; the browser lets go of it however the page goes), or where the browser has no Web
//!    Locks, the lease kept in the outbox ([`Outbox::claim`]), which a closed tab's runs out. While another tab holds
//!    the lease, look again when it would run out.
//! 3. **Take the next submission that is due** ([`next_due`]), in one change of the stored outbox: renew the lease;
//!    on taking over, queue again what a closed page was sending ([`Outbox::recover`]); mark the oldest due one as
//!    being sent. Nothing due: go to 6.
//!    **Stamp it** if it has no stamp yet ([`Delivery::stamped`]): a proof of work over its id with Web Crypto's
//!    SHA-256 ([`feedback_model::stamp`]), kept with it in the outbox, so it is made once.
//! 4. **Post it** ([`attempt`]), with its id as the `Idempotency-Key`, the same on every attempt, so the endpoint
//!    stores it once however many attempts it takes. An endpoint that wants a stronger stamp answers 428, and the
//!    next step 3 makes one ([`Outcome::NeedsStamp`]).
//! 5. **Record how it went**, in one change: removed once stored, queued again with backoff, or kept as refused
//!    ([`Outbox::finish`]). Back to 3.
//! 6. **Let go**: the Web Lock when the round ends, the lease once nothing waits; then a timer for the next retry.
//!
//! ```ignore
//! let delivery = Delivery::new(); // in the app's root component
//! delivery.begin(config.endpoint.clone()); // once the configuration is read
//! delivery.add(&id, &form.id, &body).await?; // saved; sending starts at once
//! ```

use crate::browser::{clock, crypto, http, locks, page, random};
use crate::services::outbox_store::OutboxStore;
use feedback_model::outbox::{Entry, Outbox, Outcome, State};
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
            d.endpoint.try_set_value(String::new());
            // The Web Lock goes with the page; a lease is given up if there is time.
            let Some(tab) = d.tab.try_get_value() else { return };
            leptos::task::spawn_local(async move {
                let _ = d.store.change(&mut |o| o.release(&tab)).await;
            });
        });
        on_cleanup(move || {
            online.remove();
            asked.remove();
            visible.remove();
            leaving.remove();
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
            // Step 3½: the proof of work, made once the answers are saved (never before, and never holding up
            // the confirmation) and kept with them, so it is made once.
            let entry = if entry.stamp.is_none() { self.stamped(entry).await } else { entry };
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

    /// Step 3½: `entry` with a proof of work of the bits it wants ([`feedback_model::stamp`]), kept in the
    /// outbox. Without Web Crypto (a plain-http page away from this machine) it goes without; an endpoint that
    /// wants one answers 428, and it waits and tries again (README: Security).
    async fn stamped(self, mut entry: Entry) -> Entry {
        let bits = entry.stamp_bits_wanted();
        crypto::mark(STAMP_TIMING);
        let Some(nonce) = find_stamp(&entry.id, bits).await else {
            return entry;
        };
        crypto::measure(STAMP_TIMING);
        let _ = self
            .store
            .change(&mut |o| {
                o.set_stamp(&entry.id, bits, nonce);
            })
            .await;
        // Sent with it even if it could not be kept: the same stamp is found again next time (counting from 0).
        entry.stamp = Some(nonce);
        entry
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

/// The User Timing name of the proof of work's time (`scripts/bench.sh` reads it).
const STAMP_TIMING: &str = "feedback-stamp";

/// SHA-256 digests asked of Web Crypto at once while looking for a stamp: together they take about a third
/// less time than one by one (measured in Chromium at 4× CPU slowdown: 17 µs a hash against 25 µs), and 16
/// wasted at most.
const STAMP_BATCH: u64 = 16;

/// The first number, counting from 0, that is a proof of work of `bits` for `id` (so the same one is found
/// again after a reload): about `2^bits` hashes. `None` without Web Crypto, or after 64 times the hashes it
/// should take (a chance of e⁻⁶⁴).
async fn find_stamp(id: &str, bits: u8) -> Option<u64> {
    use feedback_model::stamp::{leading_zero_bits, stamp_input};
    let subtle = crypto::subtle()?;
    let mut from = 0;
    while from < 64 << bits {
        let texts: Vec<String> = (from..from + STAMP_BATCH).map(|n| stamp_input(id, n)).collect();
        let digests = crypto::sha256_all(&subtle, &texts).await?;
        if let Some(i) = digests.iter().position(|d| leading_zero_bits(d) >= u32::from(bits)) {
            return Some(from + i as u64);
        }
        from += STAMP_BATCH;
    }
    None
}

/// Step 4: one attempt to post a submission with its stamp, and how it ended.
async fn attempt(endpoint: &str, entry: &Entry) -> Outcome {
    match http::post_json(endpoint, &entry.request_body(), &entry.id).await {
        Ok((code, _)) => Outcome::Status { code, retry_after_s: None, reason: String::new() },
        Err(http::FetchError::Network) => Outcome::Network,
        // The endpoint wants a proof of work with more bits: the bits are in its JSON.
        Err(http::FetchError::Status(428, body, _)) => Outcome::NeedsStamp {
            bits: feedback_model::parse_json(&body)
                .ok()
                .and_then(|v| v.get("stamp_bits")?.as_u64())
                .map_or(0, |b| b.min(u64::from(u8::MAX)) as u8),
        },
        Err(http::FetchError::Status(code, body, retry_after_s)) => {
            Outcome::Status { code, retry_after_s, reason: server_reason(&body) }
        }
    }
}

/// The endpoint's own sentence from a JSON error (`{"error": "..."}`), else
/// nothing (the confirmation then says so in the language shown).
fn server_reason(body: &str) -> String {
    feedback_model::parse_json(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_default()
}
