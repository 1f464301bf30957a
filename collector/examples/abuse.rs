//! Load test of the collector under abuse: valid submissions' throughput and latency from 64
//! clients, first alone, then with an abusive client sending at 10 times the rate limit and slow
//! clients holding connections open (headers or a body a byte a second, replies never read),
//! printed beside each other as ratios; then a check that every valid submission was stored
//! exactly once (the exit status is 1 if not).
//!
//!     cargo build --profile server -p collector
//!     cargo run --release -p collector --example abuse -- --bin target/server/collector
//!
//! (`scripts/bench.sh` does both.) The server is the built binary in its own process, on a fresh
//! database, with `--client-ip-header X-Forwarded-For`, so that each request can come from an
//! address of its own (every connection here comes from 127.0.0.1). Each valid client sends one new
//! submission after another, each from an address (an IPv6 /64) of its own: a client stands for
//! many people, each sending their answers, so none of them is near the limit. Like the app's
//! outbox, it sends anything not answered 201 or 200 (429, 503, a failed connection) again with
//! the same id, after `Retry-After` (at most 1 s here), until it is stored. The abuser sends new
//! submissions from one address at 10 times the rate limit, over 16 connections: after its burst,
//! 9 in 10 are refused with 429. The limit here is 100 a second after a burst of 100 (the server's
//! default, 120 then 1 a second, would make 10 times it 10 a second: no load at all). Nothing here
//! asserts a speed.

use clap::Parser;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod common;
use common::{collector_bin, http_client, next_submission, percentile_ms, start, temp_dir, Server};
/// Served as static files, for a reply big enough to fill a socket's buffers when it is not read.
const PUBLIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
/// About 14 KB.
const BIG_FILE: &str = "/forms/remote-support.json";

/// The collector's valid throughput and latency, alone and under abuse.
#[derive(Parser)]
struct Args {
    /// The collector binary [default: `collector` beside this example's folder; scripts/bench.sh passes target/server/collector].
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Seconds of sending in each run (alone, then under abuse).
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Valid clients, each with an address of its own.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// The rate limit per client, a minute (the server's --rate-per-minute); the abuser sends at 10 times it.
    #[arg(long, default_value_t = 6_000)]
    rate_per_minute: u32,
    /// The rate limit's burst (the server's --rate-burst).
    #[arg(long, default_value_t = 100)]
    rate_burst: u32,
    /// Slow clients of each kind during the abuse: headers a byte a second, a body a byte a second, never reading.
    #[arg(long, default_value_t = 8)]
    slow: usize,
    /// Where the temporary database folder is made [default: the system's temporary folder].
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// What one run of the valid clients measured.
#[derive(Default)]
struct Run {
    /// Each valid submission stored (201 or 200), by id: how many times it was answered stored.
    ids: HashMap<String, u32>,
    /// From the first try to the answer that it was stored, retries included.
    latencies: Vec<Duration>,
    /// Answers other than stored (429, 503, failures), each followed by a retry.
    retried: HashMap<u16, u64>,
    elapsed: Duration,
}

impl Run {
    fn rate(&self) -> f64 {
        self.latencies.len() as f64 / self.elapsed.as_secs_f64()
    }

    /// The nearest-rank percentile, in milliseconds.
    fn percentile_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.latencies, p)
    }
}

/// Posts one submission from `from`: the status (0 if no answer) and `Retry-After`.
async fn post(client: &reqwest::Client, url: &str, from: &str, id: &str, body: &str) -> (u16, Option<u64>) {
    let res = client
        .post(url)
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .header("x-forwarded-for", from)
        .body(body.to_owned())
        .send()
        .await;
    match res {
        Ok(res) => {
            let status = res.status().as_u16();
            let retry = res.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
            match res.bytes().await {
                Ok(_) => (status, retry),
                Err(_) => (0, None),
            }
        }
        Err(_) => (0, None),
    }
}

/// The valid clients, each submission from an address of its own, sending until `seconds` have passed
/// (and every submission begun is stored).
async fn valid_clients(addr: SocketAddr, clients: usize, seconds: f64, salt: u64) -> Run {
    let url = format!("http://{addr}/api/submissions");
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..clients {
        let url = url.clone();
        tasks.spawn(async move {
            let client = http_client();
            let mut run = Run::default();
            let mut person = 0u32;
            while Instant::now() < deadline {
                // 2001:db8::/32 is for documentation (RFC 3849); one /64 a person.
                person = person.wrapping_add(1);
                let from = format!("2001:db8:{c:x}:{:x}::1", person % 0xffff);
                let (id, body) = next_submission(salt);
                let sent = Instant::now();
                loop {
                    let (status, retry) = post(&client, &url, &from, &id, &body).await;
                    if status == 201 || status == 200 {
                        *run.ids.entry(id).or_default() += 1;
                        run.latencies.push(sent.elapsed());
                        break;
                    }
                    *run.retried.entry(status).or_default() += 1;
                    let wait = Duration::from_secs(retry.unwrap_or(1).min(1));
                    tokio::time::sleep(wait.max(Duration::from_millis(50))).await;
                }
            }
            run
        });
    }
    let mut all = Run::default();
    while let Some(done) = tasks.join_next().await {
        let run = done.expect("a client task");
        for (id, n) in run.ids {
            *all.ids.entry(id).or_default() += n;
        }
        for (status, n) in run.retried {
            *all.retried.entry(status).or_default() += n;
        }
        all.latencies.extend(run.latencies);
    }
    all.elapsed = start.elapsed();
    all.latencies.sort();
    all
}

/// What the abuser did: sent, stored (within its limit), refused with 429, other.
#[derive(Default, Debug)]
struct Abuse {
    sent: u64,
    stored: u64,
    limited: u64,
    other: u64,
}

/// One address sending new submissions at `per_second`, over 16 connections, until `stop`.
async fn abuser(addr: SocketAddr, per_second: f64, salt: u64, stop: Arc<AtomicBool>) -> Abuse {
    let url = format!("http://{addr}/api/submissions");
    let connections = 16;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (url, stop) = (url.clone(), Arc::clone(&stop));
        tasks.spawn(async move {
            let client = http_client();
            let mut tick = tokio::time::interval(Duration::from_secs_f64(connections as f64 / per_second));
            let mut abuse = Abuse::default();
            while !stop.load(Ordering::Relaxed) {
                tick.tick().await;
                let (id, body) = next_submission(salt ^ 0xabcd);
                let (status, _) = post(&client, &url, "203.0.113.66", &id, &body).await;
                abuse.sent += 1;
                match status {
                    200 | 201 => abuse.stored += 1,
                    429 => abuse.limited += 1,
                    _ => abuse.other += 1,
                }
            }
            abuse
        });
    }
    let mut all = Abuse::default();
    while let Some(done) = tasks.join_next().await {
        let a = done.expect("an abuser task");
        all.sent += a.sent;
        all.stored += a.stored;
        all.limited += a.limited;
        all.other += a.other;
    }
    all
}

/// Slow clients of three kinds, `n` of each, on their own threads until `stop`: headers a byte a second,
/// a body a byte a second, and many requests for a reply never read. Returns how many of them the
/// server had closed by the time they stopped.
fn slow_clients(addr: SocketAddr, n: usize, stop: Arc<AtomicBool>) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let mut threads = Vec::new();
        for kind in 0..3 {
            for _ in 0..n {
                let stop = Arc::clone(&stop);
                threads.push(std::thread::spawn(move || -> bool {
                    let Ok(mut s) = TcpStream::connect(addr) else { return true };
                    // A write the server does not take within 2 s is given up (the server reads no more
                    // requests while its replies to this one wait unread).
                    let _ = s.set_write_timeout(Some(Duration::from_secs(2)));
                    let head = "POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
                    let (first, drip): (String, &[u8]) = match kind {
                        0 => (String::new(), head.as_bytes()),
                        1 => (format!("{head}Content-Length: 100000\r\n\r\n"), b"          "),
                        // About 14 MB of replies: more than the socket buffers on both sides hold.
                        _ => (
                            format!("GET {BIG_FILE} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n")
                                .repeat(1000),
                            b"",
                        ),
                    };
                    let _ = s.write_all(first.as_bytes());
                    let mut bytes = drip.iter().cycle();
                    while !stop.load(Ordering::Relaxed) {
                        std::thread::sleep(Duration::from_secs(1));
                        if let Some(b) = bytes.next() {
                            if s.write_all(&[*b]).is_err() {
                                return true;
                            }
                        }
                    }
                    closed_by_server(&mut s)
                }));
            }
        }
        threads.into_iter().map(|t| u64::from(t.join().unwrap_or(false))).sum()
    })
}

/// Whether the server has closed the connection: what it sent (read at once) comes to an end.
fn closed_by_server(s: &mut TcpStream) -> bool {
    let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
    let mut buf = vec![0u8; 1 << 16];
    for _ in 0..1000 {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) => return e.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }
    false
}

/// Starts `collector serve` on a free loopback port, with the app's files and the rate limit; returns it and its
/// address.
fn start_limited(bin: &Path, db: &Path, dir: &Path, args: &Args) -> Result<(Server, SocketAddr), String> {
    let (burst, per_minute) = (args.rate_burst.to_string(), args.rate_per_minute.to_string());
    #[rustfmt::skip]
    let flags = [
        "--static", PUBLIC, "--client-ip-header", "X-Forwarded-For", "--rate-burst", &burst, "--rate-per-minute", &per_minute,
        // The load is the rate limit's to bear; the proof of work is one hash per submission to check.
        "--stamp-bits", "0",
    ];
    start(bin, db.as_os_str(), dir, "serve", &flags)
}

#[tokio::main]
async fn main() -> ExitCode {
    match bench(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("abuse bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn retried(run: &Run) -> String {
    if run.retried.is_empty() {
        return "none".into();
    }
    let mut parts: Vec<String> = run.retried.iter().map(|(s, n)| format!("{n}×{s}")).collect();
    parts.sort();
    parts.join(" ")
}

async fn bench(args: Args) -> Result<(), String> {
    let bin = collector_bin(args.bin.as_deref())?;
    let tmp = temp_dir(args.dir.as_deref())?;
    let db = tmp.path().join("abuse.sqlite");
    let (server, addr) = start_limited(&bin, &db, tmp.path(), &args)?;
    let salt = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0x5eed);
    let abuse_rate = 10.0 * f64::from(args.rate_per_minute) / 60.0;
    println!(
        "abuse bench: {} in its own process, loopback; rate limit {} at once then {}/min per client; {} valid clients, \
         each submission from an address of its own, {} s a run{}",
        bin.display(),
        args.rate_burst,
        args.rate_per_minute,
        args.clients,
        args.seconds,
        if cfg!(debug_assertions) { "; this load generator is a DEBUG build" } else { "" }
    );

    let warmup = valid_clients(addr, 16, 1.0, salt).await;
    let alone = valid_clients(addr, args.clients, args.seconds, salt).await;

    let stop = Arc::new(AtomicBool::new(false));
    let slow = slow_clients(addr, args.slow, Arc::clone(&stop));
    std::thread::sleep(Duration::from_millis(200));
    let abuse = tokio::spawn(abuser(addr, abuse_rate, salt, Arc::clone(&stop)));
    let under = valid_clients(addr, args.clients, args.seconds, salt).await;
    stop.store(true, Ordering::Relaxed);
    let abuse = abuse.await.map_err(|e| e.to_string())?;
    let slow_closed = tokio::task::spawn_blocking(move || slow.join().unwrap_or(0)).await.unwrap_or(0);

    println!();
    println!("{:>34}  {:>8}  {:>10}  {:>7}  {:>7}  retried", "", "stored", "stored/s", "p50 ms", "p99 ms");
    for (name, run) in [("valid clients alone", &alone), ("valid clients under abuse", &under)] {
        println!(
            "{name:>34}  {:>8}  {:>10.0}  {:>7.2}  {:>7.2}  {}",
            run.latencies.len(),
            run.rate(),
            run.percentile_ms(50.0),
            run.percentile_ms(99.0),
            retried(run)
        );
    }
    println!(
        "{:>34}  {:>8}  {:>9.2}×  {:>6.2}×  {:>6.2}×",
        "under abuse / alone",
        "",
        under.rate() / alone.rate(),
        under.percentile_ms(50.0) / alone.percentile_ms(50.0),
        under.percentile_ms(99.0) / alone.percentile_ms(99.0),
    );
    println!();
    let seconds = under.elapsed.as_secs_f64();
    println!(
        "the abuser (one address, 10× the limit: {abuse_rate:.0}/s asked, {:.0}/s sent): {} sent, {} stored (its burst \
         and its {}/min), {} refused with 429, {} other",
        abuse.sent as f64 / seconds,
        abuse.sent,
        abuse.stored,
        args.rate_per_minute,
        abuse.limited,
        abuse.other
    );
    println!(
        "slow clients: {} each sending headers a byte a second, a body a byte a second, or never reading a reply, \
         held open through the run ({slow_closed} of {} closed by the server by its end: their time limits are longer)",
        args.slow,
        3 * args.slow
    );

    let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    let mut stmt = conn
        .prepare("SELECT submission_id, COUNT(*) FROM submissions GROUP BY submission_id")
        .map_err(|e| e.to_string())?;
    let stored: HashMap<String, i64> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    let rows: i64 = stored.values().sum();
    drop(stmt);
    drop(conn);
    drop(server);
    let mut missing = 0;
    let mut repeated = 0;
    let mut valid = 0;
    for run in [&warmup, &alone, &under] {
        for id in run.ids.keys() {
            valid += 1;
            match stored.get(id) {
                None => missing += 1,
                Some(1) => {}
                Some(_) => repeated += 1,
            }
        }
    }
    let expected = valid + abuse.stored as usize;
    println!(
        "stored: {rows} rows, {} distinct ids; valid submissions answered stored: {valid} (incl. {} in the warm-up), \
         {missing} of them missing, {repeated} stored more than once; the abuser's stored: {}",
        stored.len(),
        warmup.ids.len(),
        abuse.stored
    );
    if missing > 0 || repeated > 0 || rows as usize != stored.len() {
        let log = std::fs::read_to_string(tmp.path().join("serve.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().filter(|l| !l.ends_with(": stored")).collect();
        return Err(format!(
            "not every valid submission was stored exactly once; the server's log says:\n{}",
            tail[tail.len().saturating_sub(20)..].join("\n")
        ));
    }
    if rows as usize != expected {
        return Err(format!("the database holds {rows} rows, but {expected} were answered stored"));
    }
    Ok(())
}
