//! Abuse without tracking: a rate limit per client that never keeps or logs an address, the check of a
//! submission's proof of work ([`stamp_ok`]), and the figures of what was turned away (requests over the
//! limit, Sends that filled the honeypot, submissions without enough proof of work).
//!
//! **Proof of work.** A submission posted to the endpoint carries a `stamp` ([`feedback_model::stamp`]):
//! the app spends about `2^bits` SHA-256 hashes finding it once the answers are saved, and the collector
//! one hash checking it. Without enough, `428 Precondition Required` with `{"stamp_bits": N}`, and the app
//! makes a stronger one and sends again. The submission id's uniqueness (stored once) stops a stamp being
//! used twice. Answers given with no app (server pages) carry none: the rate limit and the honeypot guard
//! that way in; `collector import` is run by the deployment's own people and checks none.
//!
//! **The rate limit.** Each client has a token bucket: `burst` tokens at first, one taken by each
//! POST of answers (`POST /api/submissions`, and a page's POST to `/` or `/index.html` when the
//! form is answered with no app), refilled at `per_minute` a minute up to `burst`. With none left
//! the request is answered `429 Too Many Requests` with `Retry-After` (the seconds until a token
//! is back), which the app's outbox honours: a person's answers are delayed, never lost. Static
//! files and drawn start pages (`GET`) are not limited.
//!
//! **No address is kept.** A bucket is found by a 64-bit keyed hash (SipHash-1-3) of the client's
//! address (an IPv6 address by its /64, the block one household or phone is given; an IPv4 address
//! whole) under a random key drawn from the system's random source. The key lives only in memory,
//! is never written or logged, and is replaced when the UTC day changes (at the first request or
//! the minute's check after midnight, whichever comes first), when every bucket is
//! dropped: a bucket of today cannot be linked to an address, nor to a bucket of yesterday. The
//! log names no address and no key, only counts. (Someone who can read the running server's memory
//! could find today's IPv4 addresses again by hashing every one under today's key; such a person can
//! as well watch the connections themselves. Nothing survives a restart or a day.)
//!
//! **Bounded memory.** At most [`BUCKETS_MAX`] buckets (about 3 MB). When a new client comes and
//! there is no room, the buckets that have filled up again are dropped (a full bucket is the same as
//! none), and if that frees too little, the fullest eighth: a dropped bucket comes back full, so
//! dropping the fullest gives the least away.
//!
//! **Which address.** The socket's peer, or with a `client_header` (a reverse proxy in front, which
//! adds the address it saw to a header such as `X-Forwarded-For`), the right-most address in that
//! header's last line: the one the proxy next to this server added. Addresses further left were
//! written by the client or by other proxies, so anyone could forge them. A request from this
//! machine itself (a loopback peer, with no address taken from a header) is not limited: it is a
//! reverse proxy not told to name its clients (all the world in one bucket, which one abuser would
//! keep empty for everyone), or the machine's own tools and tests.
//!
//! Why the bucket is written here and not taken from `governor` (the maintained keyed limiter):
//! its keyed store has no bound on its number of keys (its `retain_recent` drops only full buckets,
//! so a flood from many addresses grows it until the next sweep, with no "drop the fullest"), and
//! governor 0.10.4 with its default features would add 19 crates that are not in the server's build
//! now (measured with `cargo tree`: dashmap, quanta, parking_lot, rand and their own). The bucket itself
//! is the few lines of [`Bucket::take`].

use axum::extract::{Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use feedback_model::stamp::{leading_zero_bits, stamp_input};
use serde_json::json;
use siphasher::sip::SipHasher13;
use std::collections::HashMap;
use std::hash::Hasher;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The most buckets kept at once (each about 40 bytes with the map's own).
pub const BUCKETS_MAX: usize = 65_536;

/// The rate limit per client: `burst` requests at once, then `per_minute` a minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// How many requests a client may send at once (the bucket's size), at least 1.
    pub burst: u32,
    /// How many a minute come back after that; 0 turns the limit off.
    pub per_minute: u32,
}

impl RateLimit {
    /// The default: 120 at once, then 60 a minute (one a second). A person answering with no app
    /// posts one page every few seconds; a shared tablet back online after a day sends its whole
    /// backlog (60 answers, say) at once, through one address.
    pub const DEFAULT: RateLimit = RateLimit { burst: 120, per_minute: 60 };

    /// No limit.
    pub const OFF: RateLimit = RateLimit { burst: 1, per_minute: 0 };

    /// Whether requests are limited at all.
    pub fn is_on(&self) -> bool {
        self.per_minute > 0
    }
}

impl RateLimit {
    /// What is wrong with these settings, as a sentence naming the option, or `None`.
    ///
    /// ```
    /// use collector::RateLimit;
    /// assert_eq!(RateLimit::DEFAULT.problem(), None);
    /// assert_eq!(RateLimit { burst: 0, per_minute: 0 }.problem(), None, "off");
    /// assert!(RateLimit { burst: 0, per_minute: 60 }.problem().unwrap().contains("--rate-burst"));
    /// ```
    pub fn problem(&self) -> Option<String> {
        if !self.is_on() {
            None
        } else if self.burst == 0 {
            Some(
                "The rate limit's burst (--rate-burst) must be at least 1, or no answer could ever be sent; \
                 to turn the limit off, give --rate-per-minute 0."
                    .into(),
            )
        } else if self.burst > BURST_MAX {
            Some(format!(
                "The rate limit's burst (--rate-burst) can be at most {BURST_MAX}, not {}; to turn the limit off, \
                 give --rate-per-minute 0.",
                self.burst
            ))
        } else {
            None
        }
    }
}

/// The largest burst taken: far above what any person or tablet sends at once.
pub const BURST_MAX: u32 = 1_000_000;

/// The log line saying how requests are limited, when the server starts.
pub(crate) fn describe(limit: RateLimit, client_header: Option<&HeaderName>) -> String {
    if !limit.is_on() {
        return "rate limit: off (--rate-per-minute 0)".into();
    }
    let by = match client_header {
        Some(name) => format!("the right-most address in the {name} header (the one the reverse proxy in front added)"),
        None => "the address each connection comes from; connections from this machine itself are not limited \
                 (behind a reverse proxy, name the header it puts the client's address in with --client-ip-header)"
            .into(),
    };
    format!(
        "rate limit: {} answers or pages at once, then {} a minute, per client by {by}; addresses are only hashed, \
         under a random key of the day, never kept or logged",
        limit.burst, limit.per_minute
    )
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit::DEFAULT
    }
}

/// The peer address of a connection, put on each of its requests by the server's accept loop.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Peer(pub SocketAddr);

/// One client's tokens, as of `at`.
#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Bucket {
    /// The tokens at `now`, refilled since `at`.
    fn tokens_at(&self, now: Instant, limit: RateLimit) -> f64 {
        let refilled = now.saturating_duration_since(self.at).as_secs_f64() * f64::from(limit.per_minute) / 60.0;
        (self.tokens + refilled).min(f64::from(limit.burst))
    }

    /// Takes a token at `now`, or says how long until one is back.
    fn take(&mut self, now: Instant, limit: RateLimit) -> Result<(), Duration> {
        let tokens = self.tokens_at(now, limit);
        if tokens >= 1.0 {
            *self = Bucket { tokens: tokens - 1.0, at: now };
            Ok(())
        } else {
            *self = Bucket { tokens, at: now };
            Err(Duration::from_secs_f64((1.0 - tokens) * 60.0 / f64::from(limit.per_minute)))
        }
    }
}

/// Today's buckets under today's key.
struct Buckets {
    /// The UTC day (days since 1970-01-01) the key is for.
    day: u64,
    /// The SipHash key: random, in memory only, new each day.
    key: (u64, u64),
    map: HashMap<u64, Bucket>,
}

/// The buckets of every client, behind one lock (each request holds it for a hash and a few sums).
pub(crate) struct Limiter {
    limit: RateLimit,
    cap: usize,
    buckets: Mutex<Buckets>,
}

/// A fresh random key from the system's random source. Should it fail (it does not on the
/// systems this runs on), the key is from the clock and the standard library's own random hasher
/// state, still unknown outside this process.
fn random_key() -> (u64, u64) {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        use std::hash::{BuildHasher, RandomState};
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        bytes[..8].copy_from_slice(&RandomState::new().hash_one(nanos).to_le_bytes());
        bytes[8..].copy_from_slice(&RandomState::new().hash_one(!nanos).to_le_bytes());
    }
    let (a, b) = bytes.split_at(8);
    (u64::from_le_bytes(a.try_into().unwrap_or_default()), u64::from_le_bytes(b.try_into().unwrap_or_default()))
}

/// Today's UTC day number.
pub(crate) fn utc_day() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400)
}

/// What identifies a client, before it is hashed: an IPv4 address whole (an IPv4-mapped IPv6
/// address is its IPv4 address), an IPv6 address by its first 64 bits.
fn client_bits(ip: IpAddr) -> [u8; 9] {
    let mut bits = [0u8; 9];
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            bits[0] = 4;
            bits[1..5].copy_from_slice(&v4.octets());
        }
        IpAddr::V6(v6) => {
            bits[0] = 6;
            bits[1..9].copy_from_slice(&v6.octets()[..8]);
        }
    }
    bits
}

impl Limiter {
    pub(crate) fn new(limit: RateLimit, cap: usize) -> Limiter {
        let buckets = Buckets { day: utc_day(), key: random_key(), map: HashMap::new() };
        Limiter { limit, cap: cap.max(8), buckets: Mutex::new(buckets) }
    }

    /// Takes a token from `ip`'s bucket at `now` on UTC day `day`, or says how long until one is back.
    pub(crate) fn take(&self, ip: IpAddr, now: Instant, day: u64) -> Result<(), Duration> {
        let mut b = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Limiter::turn(&mut b, day);
        let mut hasher = SipHasher13::new_with_keys(b.key.0, b.key.1);
        hasher.write(&client_bits(ip));
        let hash = hasher.finish();
        if !b.map.contains_key(&hash) && b.map.len() >= self.cap {
            self.make_room(&mut b.map, now);
        }
        let limit = self.limit;
        let fresh = Bucket { tokens: f64::from(limit.burst), at: now };
        b.map.entry(hash).or_insert(fresh).take(now, limit)
    }

    /// On a new UTC `day`: a new key, and nothing of yesterday's buckets kept. Called by each request and
    /// once a minute ([`report_every_minute`]), so yesterday's are gone within a minute of midnight even
    /// when no one posts.
    pub(crate) fn turn_day(&self, day: u64) {
        Limiter::turn(&mut self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner()), day);
    }

    fn turn(b: &mut Buckets, day: u64) {
        if b.day != day {
            *b = Buckets { day, key: random_key(), map: HashMap::new() };
        }
    }

    /// Drops the buckets that are full again; if that leaves more than seven eighths of the
    /// cap, also the fullest, down to seven eighths.
    fn make_room(&self, map: &mut HashMap<u64, Bucket>, now: Instant) {
        let (limit, full) = (self.limit, f64::from(self.limit.burst));
        map.retain(|_, bucket| bucket.tokens_at(now, limit) < full);
        let keep = self.cap - self.cap / 8;
        if map.len() > keep {
            let mut by_tokens: Vec<(u64, f64)> = map.iter().map(|(k, b)| (*k, b.tokens_at(now, limit))).collect();
            let fullest = map.len() - keep;
            by_tokens.select_nth_unstable_by(fullest - 1, |a, b| b.1.total_cmp(&a.1));
            for (key, _) in &by_tokens[..fullest] {
                map.remove(key);
            }
        }
        map.shrink_to(self.cap);
    }

    /// How many buckets are kept now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.buckets.lock().unwrap().map.len()
    }
}

/// The rate limit, where the client's address is found, and the counts of what was turned away.
pub(crate) struct Guard {
    limiter: Option<Limiter>,
    client_header: Option<HeaderName>,
    /// The header was missing or unreadable at least once (said once in the log).
    header_missing_said: AtomicBool,
    /// Requests answered 429 since the start.
    pub(crate) rate_limited: AtomicU64,
    /// Sends with no app that filled the honeypot, answered as sent and not stored, since the start.
    pub(crate) honeypot: AtomicU64,
    /// Submissions answered 428 for want of a proof of work ([`stamp_ok`]), since the start.
    pub(crate) unstamped: AtomicU64,
}

impl Guard {
    pub(crate) fn new(limit: RateLimit, client_header: Option<HeaderName>) -> Guard {
        Guard {
            limiter: limit.is_on().then(|| Limiter::new(limit, BUCKETS_MAX)),
            client_header,
            header_missing_said: AtomicBool::new(false),
            rate_limited: AtomicU64::new(0),
            honeypot: AtomicU64::new(0),
            unstamped: AtomicU64::new(0),
        }
    }

    /// The address a request is limited by: from the header, if one is named and it holds an
    /// address, else the peer's; `None` when it is not limited (no peer, or a loopback peer).
    fn client(&self, headers: &HeaderMap, peer: Option<SocketAddr>) -> Option<IpAddr> {
        if let Some(name) = &self.client_header {
            let last_line = headers.get_all(name).iter().next_back();
            match last_line.and_then(|v| v.to_str().ok()).and_then(rightmost_address) {
                Some(ip) => return Some(ip),
                None => {
                    if !self.header_missing_said.swap(true, Ordering::Relaxed) {
                        crate::routes::log(&format!(
                            "a request came without a client address in {name} (said once): it is limited by the \
                             address it came from; is the reverse proxy adding it?"
                        ));
                    }
                }
            }
        }
        peer.map(|p| p.ip()).filter(|ip| !ip.to_canonical().is_loopback())
    }

    /// One more submission answered 428 for want of a proof of work.
    pub(crate) fn count_unstamped(&self) {
        self.unstamped.fetch_add(1, Ordering::Relaxed);
    }
}

/// Whether `stamp` is a proof of work of `bits` for the submission `id` ([`feedback_model::stamp`]): the
/// SHA-256 of [`stamp_input`] begins with at least `bits` zero bits. One hash to check, about `2^bits` to
/// find. With `bits` 0 any submission passes, stamped or not.
///
/// ```
/// use collector::abuse::stamp_ok;
/// let id = "0f8fad5b-d9cb-469f-a165-70867728950e";
/// assert!(stamp_ok(id, None, 0));
/// assert!(!stamp_ok(id, None, 1));
/// // The first stamp with 8 zero bits for this id, found by counting from 0.
/// let n = (0..).find(|&n| stamp_ok(id, Some(n), 8)).unwrap();
/// assert!(n < 10_000);
/// ```
pub fn stamp_ok(id: &str, stamp: Option<u64>, bits: u8) -> bool {
    use sha2::{Digest, Sha256};
    if bits == 0 {
        return true;
    }
    let Some(nonce) = stamp else { return false };
    let digest = Sha256::digest(stamp_input(id, nonce).as_bytes());
    leading_zero_bits(&digest) >= u32::from(bits)
}

/// What was turned away since the server started ([`crate::Server::counts`]); the log says it too, each
/// minute it changes. Counts only: nothing about who.
#[derive(Clone)]
pub struct Counts(pub(crate) Arc<Guard>);

impl Counts {
    /// Requests answered 429 (over the rate limit).
    pub fn rate_limited(&self) -> u64 {
        self.0.rate_limited.load(Ordering::Relaxed)
    }

    /// Sends with no app that filled the honeypot: answered as sent, not stored.
    pub fn honeypot(&self) -> u64 {
        self.0.honeypot.load(Ordering::Relaxed)
    }

    /// Submissions answered 428 for want of a proof of work (or with too little).
    pub fn unstamped(&self) -> u64 {
        self.0.unstamped.load(Ordering::Relaxed)
    }
}

/// The right-most address in a header's value: the last of its comma-separated items, as an IP
/// address, an address with a port (`192.0.2.1:4711`, `[2001:db8::1]:4711`), or a `Forwarded`
/// element's `for=` (`for="[2001:db8::1]:4711";proto=https`). `None` if the last item is none of these:
/// an item further left was written by someone else, and is never taken instead.
fn rightmost_address(value: &str) -> Option<IpAddr> {
    let item = value.rsplit(',').next()?.trim();
    let item = match item.split(';').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case("for").then_some(v.trim())
    }) {
        Some(for_value) => for_value.trim_matches('"'),
        None => item,
    };
    if let Ok(ip) = item.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Ok(addr) = item.parse::<SocketAddr>() {
        return Some(addr.ip());
    }
    item.strip_prefix('[').and_then(|rest| rest.split(']').next()).and_then(|ip| ip.parse().ok())
}

/// Whether a request posts answers, so is rate-limited: `POST /api/submissions`, or a page's POST with no app.
fn posts_answers(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(path, "/api/submissions" | "/" | "/index.html")
}

/// The rate limit, in front of the routes.
pub(crate) async fn limit(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let Some(limiter) = &guard.limiter else {
        return next.run(req).await;
    };
    if !posts_answers(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let peer = req.extensions().get::<Peer>().map(|p| p.0);
    let Some(ip) = guard.client(req.headers(), peer) else {
        return next.run(req).await;
    };
    let Err(wait) = limiter.take(ip, Instant::now(), utc_day()) else {
        return next.run(req).await;
    };
    guard.rate_limited.fetch_add(1, Ordering::Relaxed);
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut res = if req.uri().path().starts_with("/api/") {
        let error = format!(
            "Too many answers have come from this address just now. Please wait {seconds} seconds, then send again."
        );
        (StatusCode::TOO_MANY_REQUESTS, axum::Json(json!({ "error": error, "problems": [] }))).into_response()
    } else {
        let text = format!(
            "Too many pages have come from this address just now. Nothing is lost: please wait {seconds} \
             seconds, then go back and press the button again."
        );
        (StatusCode::TOO_MANY_REQUESTS, text).into_response()
    };
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    res
}

/// Every minute in which something was turned away, one log line of counts (never an address).
pub(crate) async fn report_every_minute(guard: Arc<Guard>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    let mut before = (0, 0, 0);
    loop {
        tick.tick().await;
        if let Some(limiter) = &guard.limiter {
            limiter.turn_day(utc_day());
        }
        let now = (
            guard.rate_limited.load(Ordering::Relaxed),
            guard.honeypot.load(Ordering::Relaxed),
            guard.unstamped.load(Ordering::Relaxed),
        );
        if now != before {
            let (l, h, u) = now;
            crate::routes::log(&format!(
                "in the last minute: {} requests over the rate limit (429), {} Sends with no app discarded by the \
                 honeypot, {} submissions without enough proof of work (428); since the start: {l}, {h} and {u}",
                l - before.0,
                h - before.1,
                u - before.2
            ));
            before = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMIT: RateLimit = RateLimit { burst: 3, per_minute: 60 };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn a_bucket_gives_its_burst_then_one_a_second_and_says_how_long_to_wait() {
        let limiter = Limiter::new(LIMIT, 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.take(ip("192.0.2.1"), t0, 1), Ok(()));
        }
        assert_eq!(limiter.take(ip("192.0.2.1"), t0, 1), Err(Duration::from_secs(1)));
        let half = t0 + Duration::from_millis(500);
        assert_eq!(limiter.take(ip("192.0.2.1"), half, 1), Err(Duration::from_millis(500)));
        assert_eq!(limiter.take(ip("192.0.2.1"), t0 + Duration::from_secs(1), 1), Ok(()));
        // Another address has its own bucket.
        assert_eq!(limiter.take(ip("192.0.2.2"), t0, 1), Ok(()));
        // A long rest fills the bucket up to its burst, no more.
        let later = t0 + Duration::from_secs(3600);
        for _ in 0..3 {
            assert_eq!(limiter.take(ip("192.0.2.1"), later, 1), Ok(()));
        }
        assert!(limiter.take(ip("192.0.2.1"), later, 1).is_err());
    }

    #[test]
    fn ipv6_addresses_share_a_bucket_by_their_64_bit_prefix_and_mapped_ipv4_is_ipv4() {
        let limiter = Limiter::new(RateLimit { burst: 2, per_minute: 1 }, 100);
        let t = Instant::now();
        assert!(limiter.take(ip("2001:db8:1:2::1"), t, 1).is_ok());
        assert!(limiter.take(ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), t, 1).is_ok());
        assert!(limiter.take(ip("2001:db8:1:2:abcd::9"), t, 1).is_err());
        assert!(limiter.take(ip("2001:db8:1:3::1"), t, 1).is_ok(), "another /64");
        assert!(limiter.take(ip("198.51.100.7"), t, 1).is_ok());
        assert!(limiter.take(ip("::ffff:198.51.100.7"), t, 1).is_ok());
        assert!(limiter.take(ip("198.51.100.7"), t, 1).is_err(), "the mapped address is the same client");
        assert!(limiter.take(ip("198.51.100.8"), t, 1).is_ok(), "IPv4 is whole");
    }

    #[test]
    fn a_new_utc_day_drops_every_bucket_and_takes_a_new_key() {
        let limiter = Limiter::new(LIMIT, 100);
        let t = Instant::now();
        for _ in 0..3 {
            limiter.take(ip("192.0.2.1"), t, 7).unwrap();
        }
        assert!(limiter.take(ip("192.0.2.1"), t, 7).is_err());
        let key = limiter.buckets.lock().unwrap().key;
        assert_eq!(limiter.take(ip("192.0.2.1"), t, 8), Ok(()), "a fresh bucket on the new day");
        assert_eq!(limiter.len(), 1);
        assert_ne!(limiter.buckets.lock().unwrap().key, key);
        // With no request, the minute's turn drops them too.
        limiter.turn_day(9);
        assert_eq!(limiter.len(), 0);
        limiter.turn_day(9);
        assert_eq!(limiter.buckets.lock().unwrap().day, 9);
    }

    #[test]
    fn the_buckets_are_capped_dropping_full_ones_then_the_fullest() {
        let limiter = Limiter::new(RateLimit { burst: 10, per_minute: 1 }, 64);
        let t = Instant::now();
        // 64 clients: client n has taken n % 10 + 1 tokens.
        for n in 0..64u32 {
            for _ in 0..n % 10 + 1 {
                limiter.take(IpAddr::from([10, 0, 0, n as u8]), t, 1).unwrap();
            }
        }
        assert_eq!(limiter.len(), 64);
        // A new client: no bucket is full, so the fullest eighth go (the 7 that took 1 token, 1 that took 2).
        limiter.take(ip("192.0.2.1"), t, 1).unwrap();
        assert_eq!(limiter.len(), 57);
        // The emptiest are still there, still empty.
        assert!(limiter.take(IpAddr::from([10, 0, 0, 9]), t, 1).is_err());
        // An hour on, the old buckets have filled up again: all of them are dropped to make room, and
        // the 7 that have just taken a token stay.
        let later = t + Duration::from_secs(3600);
        for n in 0..7u8 {
            limiter.take(IpAddr::from([10, 1, 0, n]), later, 1).unwrap();
        }
        assert_eq!(limiter.len(), 64);
        limiter.take(ip("192.0.2.2"), later, 1).unwrap();
        assert_eq!(limiter.len(), 8);
    }

    #[test]
    fn the_client_is_the_rightmost_address_a_proxy_added() {
        for (value, expected) in [
            ("203.0.113.9", Some("203.0.113.9")),
            ("1.2.3.4, 203.0.113.9", Some("203.0.113.9")),
            ("forged, 10.0.0.1,203.0.113.9 ", Some("203.0.113.9")),
            ("203.0.113.9:4711", Some("203.0.113.9")),
            ("2001:db8::1", Some("2001:db8::1")),
            ("[2001:db8::1]:4711", Some("2001:db8::1")),
            ("for=192.0.2.60;proto=http;by=203.0.113.43", Some("192.0.2.60")),
            (r#"for=192.0.2.1, for="[2001:db8:cafe::17]:4711""#, Some("2001:db8:cafe::17")),
            ("203.0.113.9, unknown", None),
            ("203.0.113.9, ", None),
            ("", None),
            ("for=_hidden", None),
        ] {
            assert_eq!(rightmost_address(value), expected.map(ip), "{value:?}");
        }
    }

    #[test]
    fn loopback_peers_are_not_limited_and_a_header_address_is() {
        let guard = Guard::new(LIMIT, None);
        let peer = |s: &str| Some(SocketAddr::new(ip(s), 4711));
        assert_eq!(guard.client(&HeaderMap::new(), peer("127.0.0.1")), None);
        assert_eq!(guard.client(&HeaderMap::new(), peer("::1")), None);
        assert_eq!(guard.client(&HeaderMap::new(), peer("::ffff:127.0.0.1")), None);
        assert_eq!(guard.client(&HeaderMap::new(), peer("192.0.2.1")), Some(ip("192.0.2.1")));
        assert_eq!(guard.client(&HeaderMap::new(), None), None);
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert_eq!(guard.client(&headers, peer("192.0.2.1")), Some(ip("192.0.2.1")), "no header named: ignored");
        let guard = Guard::new(LIMIT, Some(HeaderName::from_static("x-forwarded-for")));
        assert_eq!(guard.client(&headers, peer("127.0.0.1")), Some(ip("203.0.113.9")));
        headers.append("x-forwarded-for", HeaderValue::from_static("198.51.100.1"));
        assert_eq!(guard.client(&headers, peer("127.0.0.1")), Some(ip("198.51.100.1")), "the last line");
        assert_eq!(guard.client(&HeaderMap::new(), peer("192.0.2.1")), Some(ip("192.0.2.1")), "missing: the peer");
    }

    #[test]
    fn only_posts_of_answers_are_limited() {
        assert!(posts_answers(&Method::POST, "/api/submissions"));
        assert!(posts_answers(&Method::POST, "/"));
        assert!(posts_answers(&Method::POST, "/index.html"));
        assert!(!posts_answers(&Method::GET, "/"));
        assert!(!posts_answers(&Method::GET, "/config.json"));
        assert!(!posts_answers(&Method::POST, "/config.json"));
        assert!(!posts_answers(&Method::OPTIONS, "/api/submissions"));
    }
}
