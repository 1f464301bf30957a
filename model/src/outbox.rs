//! The delivery outbox: submissions waiting to reach the endpoint, as a plain
//! state machine with no browser in it. The app keeps it in durable storage and
//! writes it back after every change, so a closed tab, a reload or a dead
//! network loses nothing; this module only decides what happens next.
//!
//! ```text
//!            add                 start                finish(Stored)
//!   (none) ───────▶ Queued ─────────────▶ Sending ───────────────────▶ (removed)
//!                     ▲                      │
//!                     │ finish(retryable)    │ finish(4xx other than 408/429)
//!                     └──────────────────────┤
//!                       recover (tab closed) ▼
//!                                        Refused (kept, with the server's reason)
//! ```
//!
//! Every attempt for one submission sends the same body with the same id (the
//! `Idempotency-Key`), so the endpoint stores it once however many tries it takes.
//!
//! ```
//! use feedback_model::outbox::{Outbox, Outcome};
//! let mut outbox = Outbox::default();
//! outbox.add("id-1", "remote-support", r#"{"answers":{}}"#, 1_000);
//! assert_eq!(outbox.due(1_000).map(|e| e.id.as_str()), Some("id-1"));
//! outbox.start("id-1");
//! // No signal: try again later, not at once.
//! outbox.finish("id-1", Outcome::Network, 1_500, 0.5);
//! assert!(outbox.due(1_500).is_none());
//! let wake = outbox.next_wake().unwrap();
//! outbox.start("id-1");
//! outbox.finish("id-1", Outcome::Status { code: 201, retry_after_s: None, reason: String::new() }, wake, 0.5);
//! assert!(outbox.is_empty());
//! ```

use crate::json_string;
use crate::read::{string, uint, Fields};
use serde_json::Value;

/// The first wait after a failed attempt, in milliseconds.
pub const FIRST_WAIT_MS: u64 = 2_000;
/// The longest wait between attempts chosen by backoff alone (5 minutes).
pub const MAX_WAIT_MS: u64 = 300_000;
/// The longest wait a server's `Retry-After` may ask for (1 hour).
pub const MAX_RETRY_AFTER_MS: u64 = 3_600_000;

/// Where one submission stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// Waiting for its next attempt.
    Queued,
    /// An attempt is under way (in this tab, or in one that was closed mid-send).
    Sending,
    /// The endpoint refused it; trying again will not help. Kept, with the
    /// endpoint's reason, so it can be saved as a file and not silently lost.
    /// (Stored as `"rejected"`, its first name, which outboxes on devices hold.)
    Refused { status: u16, reason: String },
}

/// One submission in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The submission id, sent as the `Idempotency-Key` on every attempt.
    pub id: String,
    /// The form it answers.
    pub form: String,
    /// The JSON payload exactly as it is sent, with its own form version, so a
    /// new version of the app never changes a queued submission.
    pub body: String,
    /// When it was added, in milliseconds since 1970.
    pub added_ms: u64,
    /// Attempts finished so far.
    pub attempts: u32,
    /// Not to be tried before this time (milliseconds since 1970).
    pub next_try_ms: u64,
    pub state: State,
}

impl Entry {
    /// The entry as stored (written by hand: see [`crate::json_string`]).
    fn to_json(&self) -> String {
        let state = match &self.state {
            State::Queued => r#"{"state":"queued"}"#.to_owned(),
            State::Sending => r#"{"state":"sending"}"#.to_owned(),
            State::Refused { status, reason } => {
                format!(r#"{{"state":"rejected","status":{status},"reason":{}}}"#, json_string(reason))
            }
        };
        format!(
            r#"{{"id":{},"form":{},"body":{},"added_ms":{},"attempts":{},"next_try_ms":{},"state":{state}}}"#,
            json_string(&self.id),
            json_string(&self.form),
            json_string(&self.body),
            self.added_ms,
            self.attempts,
            self.next_try_ms,
        )
    }

    /// An entry as stored, read with the model's one object reader (fields a
    /// newer version of the app may add are left alone). `e` gathers what is
    /// wrong, for the caller to drop: any problem makes the whole outbox unreadable.
    fn from_value(e: &mut Vec<String>, _: usize, v: &Value) -> Option<Entry> {
        let f = Fields::any(e, v, String::new(), "an object")?;
        let s = Fields::any(e, f.given("state")?, String::new(), "an object")?;
        let state = match s.get(e, "state", "a state", string)?.as_str() {
            "queued" => State::Queued,
            "sending" => State::Sending,
            "rejected" => State::Refused {
                status: s.get(e, "status", "a status", |v| v.as_u64()?.try_into().ok())?,
                reason: s.get(e, "reason", "a string", string)?,
            },
            _ => return None,
        };
        Some(Entry {
            id: f.get(e, "id", "a string", string)?,
            form: f.get(e, "form", "a string", string)?,
            body: f.get(e, "body", "a string", string)?,
            added_ms: f.get(e, "added_ms", "a time", Value::as_u64)?,
            attempts: f.get(e, "attempts", "a count", uint)?,
            next_try_ms: f.get(e, "next_try_ms", "a time", Value::as_u64)?,
            state,
        })
    }
}

/// How an attempt ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No answer: no connection, a reset, a timeout, a blocked request.
    Network,
    /// The endpoint answered with this status, an optional `Retry-After` in
    /// seconds, and its reason (for refusals).
    Status { code: u16, retry_after_s: Option<u64>, reason: String },
}

/// What [`Outbox::finish`] did with the submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Finished {
    /// Stored by the endpoint and removed from the outbox.
    Stored,
    /// Queued again, to be tried at this time.
    RetryAt(u64),
    /// Refused; kept as [`State::Refused`].
    Refused,
    /// No such submission was being sent (another tab finished it first).
    NotSending,
}

/// Whether a status means the endpoint refused the submission for good: a 4xx
/// other than 408, 428 and 429. A 2xx means stored; anything else (408, 428, 429, 5xx,
/// and odd answers such as 3xx) is trouble worth retrying.
///
/// ```
/// use feedback_model::outbox::is_refusal;
/// assert!(is_refusal(422));
/// assert!(is_refusal(400));
/// assert!(!is_refusal(429)); // too many requests: later
/// assert!(!is_refusal(428)); // a stronger proof of work wanted (crate::stamp): later, if not at once
/// assert!(!is_refusal(408));
/// assert!(!is_refusal(503));
/// assert!(!is_refusal(201));
/// ```
pub fn is_refusal(code: u16) -> bool {
    matches!(code, 400..=499) && !matches!(code, 408 | 428 | 429)
}

/// How long to wait before the next attempt: exponential backoff from
/// [`FIRST_WAIT_MS`] (doubling each attempt, at most [`MAX_WAIT_MS`]) with
/// "equal jitter" (half fixed, half random, so many devices coming back online
/// together do not all retry at once), and never sooner than the server's
/// `Retry-After` (itself capped at [`MAX_RETRY_AFTER_MS`]). `jitter` is a random
/// number in `[0, 1)`.
///
/// ```
/// use feedback_model::outbox::backoff_ms;
/// assert_eq!(backoff_ms(1, None, 0.0), 1_000);
/// assert_eq!(backoff_ms(1, None, 0.999_999), 1_999);
/// assert_eq!(backoff_ms(3, None, 0.0), 4_000);
/// assert_eq!(backoff_ms(30, None, 0.0), 150_000);
/// assert_eq!(backoff_ms(1, Some(120), 0.0), 120_000);
/// ```
pub fn backoff_ms(attempts: u32, retry_after_s: Option<u64>, jitter: f64) -> u64 {
    let exp = attempts.saturating_sub(1).min(20);
    let cap = FIRST_WAIT_MS.saturating_mul(1 << exp).min(MAX_WAIT_MS);
    let jitter = if jitter.is_finite() { jitter.clamp(0.0, 0.999_999) } else { 0.5 };
    let wait = cap / 2 + (((cap / 2) as f64) * jitter) as u64;
    let asked = retry_after_s.map_or(0, |s| s.saturating_mul(1000).min(MAX_RETRY_AFTER_MS));
    wait.max(asked)
}

/// Reads a `Retry-After` header given in seconds. (The HTTP-date form is not
/// read; backoff alone then decides, which is still safe.)
///
/// ```
/// use feedback_model::outbox::retry_after_seconds;
/// assert_eq!(retry_after_seconds(" 30 "), Some(30));
/// assert_eq!(retry_after_seconds("Wed, 21 Oct 2026 07:28:00 GMT"), None);
/// ```
pub fn retry_after_seconds(header: &str) -> Option<u64> {
    header.trim().parse().ok()
}

/// Submissions waiting to be sent, oldest first, and which tab may send them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    entries: Vec<Entry>,
    /// The tab that is sending, until when: only one tab sends at a time, where
    /// the browser has no Web Locks. A tab renews its lease while it works; a
    /// closed tab's lease runs out and another tab takes over.
    lease: Option<Lease>,
    /// How many submissions the endpoint has stored from this outbox, and when it stored the
    /// last (milliseconds since 1970; 0 for never): for a facilitator's screen on a shared
    /// device ("sent", "last reached the endpoint"). Counted in the same write that removes
    /// the submission, so two tabs never count one twice. Nothing about the answers is kept.
    pub delivered: Delivered,
}

/// See [`Outbox::delivered`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub count: u64,
    pub last_ms: u64,
}

/// See [`Outbox::claim`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub holder: String,
    pub until_ms: u64,
}

impl Outbox {
    /// Reads the outbox as stored. Returns `None` for anything unreadable, which
    /// the app must keep (not overwrite) and report, since it may hold answers.
    /// (Read by hand from a `Value` with the model's one object reader, like the
    /// form: serde's derive for these types cost several kilobytes of download.)
    pub fn from_json(json: &str) -> Option<Outbox> {
        let v: Value = crate::parse_json(json).ok()?;
        let e = &mut Vec::new();
        let f = Fields::any(e, &v, String::new(), "an object")?;
        let entries = f.list(e, "entries", "a list", Entry::from_value)?;
        let lease = match f.given("lease") {
            None => None,
            Some(l) => {
                let l = Fields::any(e, l, String::new(), "an object")?;
                let holder = l.get(e, "holder", "a string", string)?;
                Some(Lease { holder, until_ms: l.get(e, "until_ms", "a time", Value::as_u64)? })
            }
        };
        // Outboxes written before the count was kept have none: 0.
        let count = f.get(e, "delivered", "a count", Value::as_u64).unwrap_or(0);
        let last_ms = f.get(e, "last_delivered_ms", "a time", Value::as_u64).unwrap_or(0);
        Some(Outbox { entries, lease, delivered: Delivered { count, last_ms } })
    }

    /// The outbox as stored.
    pub fn to_json(&self) -> String {
        let lease = self.lease.as_ref().map_or_else(
            || "null".to_owned(),
            |l| format!(r#"{{"holder":{},"until_ms":{}}}"#, json_string(&l.holder), l.until_ms),
        );
        let entries: Vec<String> = self.entries.iter().map(Entry::to_json).collect();
        let Delivered { count, last_ms } = self.delivered;
        format!(
            r#"{{"entries":[{}],"lease":{lease},"delivered":{count},"last_delivered_ms":{last_ms}}}"#,
            entries.join(",")
        )
    }

    /// Adds a submission to be sent now. A repeated id is ignored (returns
    /// `false`), so pressing Send twice queues it once.
    pub fn add(&mut self, id: &str, form: &str, body: &str, now: u64) -> bool {
        if self.get(id).is_some() {
            return false;
        }
        self.entries.push(Entry {
            id: id.to_owned(),
            form: form.to_owned(),
            body: body.to_owned(),
            added_ms: now,
            attempts: 0,
            next_try_ms: now,
            state: State::Queued,
        });
        true
    }

    /// Takes in the entries of another outbox (one left by an earlier version
    /// of the app in other storage) that this one does not have, as they were.
    ///
    /// ```
    /// use feedback_model::outbox::Outbox;
    /// let (mut new, mut old) = (Outbox::default(), Outbox::default());
    /// new.add("a", "f", "{}", 1);
    /// old.add("a", "f", "{}", 1);
    /// old.add("b", "f", "{}", 2);
    /// new.merge(old);
    /// assert_eq!(new.waiting(), 2);
    /// ```
    pub fn merge(&mut self, other: Outbox) {
        for e in other.entries {
            if self.get(&e.id).is_none() {
                self.entries.push(e);
            }
        }
    }

    /// The submission with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    fn get_mut(&mut self, id: &str) -> Option<&mut Entry> {
        self.entries.iter_mut().find(|e| e.id == id)
    }

    /// The oldest queued submission whose time has come.
    pub fn due(&self, now: u64) -> Option<&Entry> {
        self.entries.iter().find(|e| e.state == State::Queued && e.next_try_ms <= now)
    }

    /// Marks a queued submission as being sent. Returns `false` if it is not queued.
    pub fn start(&mut self, id: &str) -> bool {
        match self.get_mut(id) {
            Some(e) if e.state == State::Queued => {
                e.state = State::Sending;
                true
            }
            _ => false,
        }
    }

    /// Records how an attempt ended and decides what happens next.
    pub fn finish(&mut self, id: &str, outcome: Outcome, now: u64, jitter: f64) -> Finished {
        let Some(i) = self.entries.iter().position(|e| e.id == id && e.state == State::Sending) else {
            return Finished::NotSending;
        };
        let (retry_after, refused) = match outcome {
            Outcome::Network => (None, None),
            Outcome::Status { code: 200..=299, .. } => {
                self.entries.remove(i);
                self.delivered = Delivered { count: self.delivered.count.saturating_add(1), last_ms: now };
                return Finished::Stored;
            }
            Outcome::Status { code, reason, .. } if is_refusal(code) => (None, Some((code, reason))),
            Outcome::Status { retry_after_s, .. } => (retry_after_s, None),
        };
        let e = &mut self.entries[i];
        e.attempts = e.attempts.saturating_add(1);
        if let Some((status, reason)) = refused {
            e.state = State::Refused { status, reason };
            return Finished::Refused;
        }
        e.state = State::Queued;
        e.next_try_ms = now.saturating_add(backoff_ms(e.attempts, retry_after, jitter));
        Finished::RetryAt(e.next_try_ms)
    }

    /// After a page load: attempts that were under way when a tab closed are
    /// queued again (safe, as the endpoint stores each id once).
    pub fn recover(&mut self) {
        for e in &mut self.entries {
            if e.state == State::Sending {
                e.state = State::Queued;
            }
        }
    }

    /// The network is back, or the page is visible again: queued submissions
    /// are due now, not when their backoff ends. A server's `Retry-After` is
    /// not known here, so this is for connectivity changes only.
    pub fn wake(&mut self, now: u64) {
        for e in &mut self.entries {
            if e.state == State::Queued && e.next_try_ms > now {
                e.next_try_ms = now;
            }
        }
    }

    /// When the next queued submission is due, for setting a timer.
    pub fn next_wake(&self) -> Option<u64> {
        self.entries.iter().filter(|e| e.state == State::Queued).map(|e| e.next_try_ms).min()
    }

    /// Submissions still to be delivered (queued or being sent).
    pub fn waiting(&self) -> usize {
        self.entries.iter().filter(|e| matches!(e.state, State::Queued | State::Sending)).count()
    }

    /// Submissions the endpoint refused, kept for the person to save.
    pub fn refused(&self) -> impl Iterator<Item = &Entry> {
        self.entries.iter().filter(|e| matches!(e.state, State::Refused { .. }))
    }

    /// Removes a refused submission once it has been saved elsewhere.
    pub fn discard_refused(&mut self, id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| !(e.id == id && matches!(e.state, State::Refused { .. })));
        self.entries.len() != before
    }

    /// Takes (or renews) the right to send for `holder` until `now + for_ms`.
    /// Returns `false` while another holder's lease has not run out.
    ///
    /// ```
    /// use feedback_model::outbox::Outbox;
    /// let mut o = Outbox::default();
    /// assert!(o.claim("tab-a", 0, 10_000));
    /// assert!(!o.claim("tab-b", 5_000, 10_000));
    /// assert!(o.claim("tab-a", 5_000, 10_000)); // renewed, now until 15 s
    /// assert!(o.claim("tab-b", 15_000, 10_000)); // tab a went quiet
    /// ```
    pub fn claim(&mut self, holder: &str, now: u64, for_ms: u64) -> bool {
        match &self.lease {
            Some(l) if l.holder != holder && l.until_ms > now => false,
            _ => {
                self.lease = Some(Lease { holder: holder.to_owned(), until_ms: now.saturating_add(for_ms) });
                true
            }
        }
    }

    /// Who holds the right to send, if anyone (it may have run out).
    pub fn holder(&self) -> Option<&str> {
        self.lease.as_ref().map(|l| l.holder.as_str())
    }

    /// Gives up the right to send (when the outbox is empty, or the tab closes).
    pub fn release(&mut self, holder: &str) {
        if self.lease.as_ref().is_some_and(|l| l.holder == holder) {
            self.lease = None;
        }
    }

    /// Whether nothing is waiting or kept.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::strategies::nasty_text;
    use proptest::prelude::*;

    fn status(code: u16) -> Outcome {
        Outcome::Status { code, retry_after_s: None, reason: format!("reason {code}") }
    }

    fn sending(outbox: &mut Outbox, id: &str, now: u64) {
        assert_eq!(outbox.due(now).map(|e| e.id.clone()).as_deref(), Some(id));
        assert!(outbox.start(id));
    }

    #[test]
    fn a_submission_is_removed_only_when_the_endpoint_confirms_it() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        for (t, outcome) in
            [(0, Outcome::Network), (10_000, status(503)), (100_000, status(429)), (400_000, status(408))]
        {
            o.wake(t);
            sending(&mut o, "a", t);
            assert!(matches!(o.finish("a", outcome, t, 0.3), Finished::RetryAt(at) if at > t));
            assert_eq!(o.waiting(), 1);
        }
        assert_eq!(o.get("a").unwrap().attempts, 4);
        o.wake(500_000);
        sending(&mut o, "a", 500_000);
        assert_eq!(o.finish("a", status(200), 500_000, 0.3), Finished::Stored);
        assert!(o.is_empty());
        assert_eq!(o.delivered, Delivered { count: 1, last_ms: 500_000 }, "counted once, when it was stored");
    }

    #[test]
    fn an_outbox_from_before_the_count_reads_as_none_delivered() {
        let o = Outbox::from_json(r#"{"entries":[],"lease":null}"#).unwrap();
        assert_eq!(o.delivered, Delivered::default());
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        o.start("a");
        o.finish("a", status(422), 7, 0.5);
        assert_eq!(o.delivered, Delivered::default(), "a refusal is not a delivery");
    }

    #[test]
    fn a_refusal_is_kept_with_the_reason_and_never_retried() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        sending(&mut o, "a", 0);
        assert_eq!(o.finish("a", status(422), 0, 0.0), Finished::Refused);
        assert!(o.due(u64::MAX).is_none());
        assert_eq!(o.next_wake(), None);
        assert_eq!(o.waiting(), 0);
        let kept: Vec<_> = o.refused().collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].state, State::Refused { status: 422, reason: "reason 422".into() });
        assert!(o.discard_refused("a"));
        assert!(o.is_empty());
    }

    #[test]
    fn retry_after_is_honoured_but_not_beyond_an_hour() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        sending(&mut o, "a", 0);
        let busy = Outcome::Status { code: 503, retry_after_s: Some(90), reason: String::new() };
        assert_eq!(o.finish("a", busy, 1_000, 0.0), Finished::RetryAt(91_000));
        assert!(o.due(90_999).is_none());
        sending(&mut o, "a", 91_000);
        let silly = Outcome::Status { code: 429, retry_after_s: Some(u64::MAX), reason: String::new() };
        assert_eq!(o.finish("a", silly, 0, 0.0), Finished::RetryAt(MAX_RETRY_AFTER_MS));
    }

    #[test]
    fn backoff_doubles_with_jitter_and_stops_growing() {
        let mut last = 0;
        for attempt in 1..=12 {
            let low = backoff_ms(attempt, None, 0.0);
            let high = backoff_ms(attempt, None, 0.999_999);
            assert!(low <= high && high < 2 * low.max(1) + 1, "attempt {attempt}: {low}..{high}");
            assert!(low >= last, "never shorter than the attempt before");
            assert!(high <= MAX_WAIT_MS);
            last = low;
        }
        assert_eq!(backoff_ms(u32::MAX, None, f64::NAN), MAX_WAIT_MS / 2 + MAX_WAIT_MS / 4);
    }

    #[test]
    fn the_same_id_is_queued_once_and_oldest_goes_first() {
        let mut o = Outbox::default();
        assert!(o.add("a", "f", "{\"n\":1}", 5));
        assert!(!o.add("a", "f", "{\"n\":2}", 6));
        assert!(o.add("b", "f", "{}", 7));
        assert_eq!(o.get("a").unwrap().body, "{\"n\":1}");
        assert_eq!(o.due(10).unwrap().id, "a");
        assert_eq!(o.waiting(), 2);
    }

    #[test]
    fn a_send_cut_off_by_a_closed_tab_is_queued_again_after_reload() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        sending(&mut o, "a", 0);
        let stored = o.to_json();
        let mut reloaded = Outbox::from_json(&stored).unwrap();
        assert_eq!(reloaded, o);
        assert!(reloaded.due(0).is_none());
        reloaded.recover();
        assert_eq!(reloaded.due(0).unwrap().id, "a");
    }

    #[test]
    fn a_finish_for_something_not_being_sent_changes_nothing() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        let before = o.clone();
        assert_eq!(o.finish("a", status(201), 0, 0.0), Finished::NotSending);
        assert_eq!(o.finish("zzz", status(201), 0, 0.0), Finished::NotSending);
        assert_eq!(o, before);
    }

    #[test]
    fn coming_back_online_makes_waiting_submissions_due_now() {
        let mut o = Outbox::default();
        o.add("a", "f", "{}", 0);
        sending(&mut o, "a", 0);
        o.finish("a", Outcome::Network, 0, 0.9);
        assert!(o.due(10).is_none());
        o.wake(10);
        assert_eq!(o.due(10).unwrap().id, "a");
        assert_eq!(o.next_wake(), Some(10));
    }

    #[test]
    fn every_state_survives_storage() {
        let mut o = Outbox::default();
        o.add("q", "f", "{\"a\":\"ünïcödé «»\"}", 1);
        o.add("s", "f", "{}", 2);
        o.add("r", "f", "{}", 3);
        o.claim("tab", 0, 10);
        o.start("s");
        o.start("r");
        o.finish("r", status(400), 4, 0.0);
        let back = Outbox::from_json(&o.to_json()).unwrap();
        assert_eq!(back, o);
    }

    /// What cannot be read is reported (`None`), never read as an outbox with
    /// less in it, which the app would then write back over the stored text,
    /// replacing (and losing) what it could not read. What can be read is
    /// written back exactly as it was stored.
    #[test]
    fn unreadable_storage_is_reported_not_replaced() {
        let mut o = Outbox::default();
        o.add("a", "f", "{\"n\":1}", 1);
        o.add("b", "f", "{\"n\":2}", 2);
        o.claim("tab", 0, 10);
        let stored = o.to_json();
        assert_eq!(Outbox::from_json(&stored).unwrap().to_json(), stored, "written back as it was");
        let damaged = [
            "".to_owned(),
            "{".to_owned(),
            "null".to_owned(),
            "[]".to_owned(),
            "{}".to_owned(),
            "{\"entries\": null}".to_owned(),
            "{\"entries\": [{\"id\": 1}]}".to_owned(),
            stored[..stored.len() - 1].to_owned(),
            stored.replace("\"entries\"", "\"entires\""),
            stored.replacen("\"attempts\":0", "\"attempts\":\"0\"", 1),
            stored.replacen("\"state\":\"queued\"", "\"state\":\"lost\"", 1),
            stored.replace("\"holder\":\"tab\"", "\"holder\":7"),
            stored.replacen("\"added_ms\":1", "\"added_ms\":-1", 1),
            stored.replacen("\"attempts\":0", "\"attempts\":4294967296", 1),
        ];
        for text in damaged {
            assert_eq!(Outbox::from_json(&text), None, "{text}");
        }
        assert_eq!(Outbox::from_json("{\"entries\": []}"), Some(Outbox::default()));
        assert_eq!(Outbox::from_json("{\"entries\": [], \"lease\": null}"), Some(Outbox::default()));
    }

    #[test]
    fn a_released_lease_lets_another_tab_send_at_once_and_survives_storage() {
        let mut o = Outbox::default();
        assert!(o.claim("a", 0, 60_000));
        let mut other = Outbox::from_json(&o.to_json()).unwrap();
        assert!(!other.claim("b", 1, 60_000));
        other.release("b"); // not b's to release
        assert!(!other.claim("b", 1, 60_000));
        o.release("a");
        let mut other = Outbox::from_json(&o.to_json()).unwrap();
        assert!(other.claim("b", 1, 60_000));
    }

    fn state() -> impl Strategy<Value = State> {
        prop_oneof![
            Just(State::Queued),
            Just(State::Sending),
            (any::<u16>(), nasty_text()).prop_map(|(status, reason)| State::Refused { status, reason }),
        ]
    }

    fn entry() -> impl Strategy<Value = Entry> {
        (nasty_text(), nasty_text(), nasty_text(), any::<u64>(), any::<u32>(), any::<u64>(), state()).prop_map(
            |(id, form, body, added_ms, attempts, next_try_ms, state)| Entry {
                id,
                form,
                body,
                added_ms,
                attempts,
                next_try_ms,
                state,
            },
        )
    }

    fn outbox() -> impl Strategy<Value = Outbox> {
        let lease = proptest::option::of(
            (nasty_text(), any::<u64>()).prop_map(|(holder, until_ms)| Lease { holder, until_ms }),
        );
        let delivered = (any::<u64>(), any::<u64>()).prop_map(|(count, last_ms)| Delivered { count, last_ms });
        (proptest::collection::vec(entry(), 0..6), lease, delivered).prop_map(|(entries, lease, delivered)| Outbox {
            entries,
            lease,
            delivered,
        })
    }

    proptest! {
        /// Whatever the outbox holds, it is read back from storage exactly as it was.
        #[test]
        fn any_outbox_survives_storage(o in outbox()) {
            let stored = o.to_json();
            prop_assert_eq!(Outbox::from_json(&stored), Some(o));
        }
    }
}
