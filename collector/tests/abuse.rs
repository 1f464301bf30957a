//! Abuse without tracking, over real HTTP against the real binary: the rate limit per client
//! (429 with Retry-After; another client, and another /64, unaffected; the left of a forwarded
//! header not trusted; no address in the log), the limit off, and slow clients (headers or a
//! body a byte a second, a reply never read) while real submissions still get through, within
//! bounded time.
//!
//! The tests tell clients apart with `--client-ip-header X-Forwarded-For`, as a reverse proxy
//! in front would: every connection here comes from 127.0.0.1.

use feedback_model::uuid_v4_from_bytes;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod support;
use support::{payload, run_bounded, Serve, BIN, FORMS, LIMIT};

const PUBLIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
/// A file big enough that many replies of it fill any socket's buffers (about 14 KB each).
const BIG_FILE: &str = "/forms/remote-support.json";

/// A `collector serve` process on a fresh database, killed when dropped.
struct Collector {
    serve: Serve,
    addr: SocketAddr,
    db: PathBuf,
    _dir: tempfile::TempDir,
}

impl Collector {
    fn start(extra: &[&str]) -> Collector {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("feedback.sqlite");
        let mut args = vec!["--forms", FORMS, "--static", PUBLIC];
        args.extend_from_slice(extra);
        let serve = Serve::start(&db, &args);
        Collector { addr: serve.addr, serve, db, _dir: dir }
    }

    fn url(&self, path: &str) -> String {
        self.serve.url(path)
    }

    fn log(&self) -> String {
        self.serve.log()
    }

    fn rows(&self) -> usize {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        conn.query_row("SELECT COUNT(*) FROM submissions", [], |r| r.get::<_, i64>(0)).unwrap() as usize
    }
}

/// A new valid submission for the test form: (id, JSON).
fn submission() -> (String, String) {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0x5a_u8; 16];
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    let id = uuid_v4_from_bytes(bytes);
    let answers = json!({ "ways": ["phone"], "rating": 2, "speed": "faster", "comment": "Fine.", "involved": false });
    let body = payload(&id, answers).to_string();
    (id, body)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(LIMIT).build().unwrap()
}

/// Posts a new submission as the client at `from` (the X-Forwarded-For header; none when empty):
/// the status, `Retry-After` and the reply.
async fn send(c: &Collector, from: &str) -> (u16, Option<String>, Value) {
    let (id, body) = submission();
    let mut req = client()
        .post(c.url("/api/submissions"))
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(body);
    if !from.is_empty() {
        req = req.header("x-forwarded-for", from);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (status, retry, res.json().await.unwrap())
}

#[tokio::test]
async fn over_the_limit_a_client_gets_429_with_retry_after_and_other_clients_do_not() {
    let c = Collector::start(&["--client-ip-header", "X-Forwarded-For", "--rate-burst", "3", "--rate-per-minute", "2"]);
    let mut stored = 0;
    for _ in 0..3 {
        assert_eq!(send(&c, "198.51.100.7").await.0, 201);
        stored += 1;
    }
    let (status, retry, body) = send(&c, "198.51.100.7").await;
    assert_eq!(status, 429, "{body}");
    // 2 a minute: a token is back 30 s after the bucket ran dry.
    let retry: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((29..=30).contains(&retry), "{retry}");
    let error = body["error"].as_str().unwrap();
    assert!(error.contains(&format!("wait {retry} seconds")), "{error}");

    // Another client is unaffected; the client is the right-most address, whatever is to its left.
    assert_eq!(send(&c, "203.0.113.5").await.0, 201);
    assert_eq!(send(&c, "203.0.113.99, 198.51.100.7").await.0, 429, "a forged address on the left changes nothing");
    assert_eq!(send(&c, "198.51.100.7,203.0.113.6").await.0, 201);
    stored += 2;

    // IPv6: one bucket per /64.
    for from in ["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:fffe"] {
        assert_eq!(send(&c, from).await.0, 201, "{from}");
        stored += 1;
    }
    assert_eq!(send(&c, "2001:db8:1:2:abcd::5").await.0, 429, "the same /64");
    assert_eq!(send(&c, "2001:db8:1:3::1").await.0, 201, "the next /64");
    stored += 1;

    // Only posting answers is limited: the limited client still gets files and the health check.
    for path in ["/api/health", "/config.json", BIG_FILE] {
        let res = client().get(c.url(path)).header("x-forwarded-for", "198.51.100.7").send().await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
    }

    assert_eq!(c.rows(), stored, "every 201 stored, nothing refused stored");
    let log = c.log();
    assert!(log.contains("rate limit: 3 answers or pages at once, then 2 a minute"), "{log}");
    for address in ["198.51", "203.0.113", "2001:db8", "db8:1"] {
        assert!(!log.contains(address), "the log names an address ({address}):\n{log}");
    }
}

#[tokio::test]
async fn with_the_limit_off_or_from_this_machine_everything_goes_through() {
    let off = Collector::start(&["--client-ip-header", "X-Forwarded-For", "--rate-per-minute", "0"]);
    for n in 0..150 {
        assert_eq!(send(&off, "198.51.100.7").await.0, 201, "submission {n}");
    }
    assert_eq!(off.rows(), 150);
    assert!(off.log().contains("rate limit: off"), "{}", off.log());

    // The default limit (120 at once), with no header named: connections from this machine are not limited.
    let local = Collector::start(&[]);
    for n in 0..150 {
        assert_eq!(send(&local, "").await.0, 201, "submission {n}");
    }
    assert_eq!(local.rows(), 150);
    assert!(local.log().contains("connections from this machine itself are not limited"), "{}", local.log());
}

#[test]
fn limits_that_cannot_work_are_refused_with_a_sentence() {
    for (args, expected) in [
        (&["--rate-burst", "0"][..], "--rate-burst) must be at least 1"),
        (&["--rate-burst", "2000000"], "can be at most 1000000"),
        (&["--client-ip-header", "X Forwarded For"], "is not a header name"),
        (&["--max-requests", "0"], "--max-requests must be at least 1"),
        (&["--max-connections", "0"], "--max-connections must be at least 1"),
        (&["--header-timeout", "0"], "0 seconds is not a time limit"),
        (&["--send-timeout", "soon"], "“soon” is not a number of seconds"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = Command::new(BIN);
        cmd.arg("serve").arg("--db").arg(dir.path().join("db.sqlite")).args(["--addr", "127.0.0.1:0"]);
        cmd.args(["--forms", FORMS]).args(args);
        let out = run_bounded(cmd);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} started");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

// ---------------------------------------------------------------- slow clients

/// A client that sends a request's headers a byte a second, until the server closes the
/// connection (then the thread ends; it gives up after 30 s).
fn slow_headers(addr: SocketAddr) -> std::thread::JoinHandle<Duration> {
    let mut s = TcpStream::connect(addr).unwrap();
    std::thread::spawn(move || {
        let start = Instant::now();
        let request = b"POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Pad: ";
        for byte in request.iter().chain(std::iter::repeat(&b'a')) {
            if s.write_all(&[*byte]).is_err() || start.elapsed() > Duration::from_secs(30) {
                break;
            }
            std::thread::sleep(Duration::from_secs(1));
        }
        start.elapsed()
    })
}

/// A client that sends whole headers, then a body a byte a second; the status of the reply it
/// gets (0 if none) and when.
fn slow_body(addr: SocketAddr) -> std::thread::JoinHandle<(u16, Duration)> {
    let mut s = TcpStream::connect(addr).unwrap();
    std::thread::spawn(move || {
        let start = Instant::now();
        let head = "POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        s.write_all(head.as_bytes()).unwrap();
        let mut reader = s.try_clone().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reply = Vec::new();
            let _ = reader.read_to_end(&mut reply);
            let _ = tx.send(reply);
        });
        for _ in 0..30 {
            if s.write_all(b" ").is_err() {
                break;
            }
            if let Ok(reply) = rx.recv_timeout(Duration::from_secs(1)) {
                let text = String::from_utf8_lossy(&reply);
                let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
                return (status, start.elapsed());
            }
        }
        (0, start.elapsed())
    })
}

/// A client that asks for a big file 1,000 times on one connection and never reads the replies
/// (14 MB, more than any socket's buffers hold). Returns the stream, to read from later.
fn never_reads(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).unwrap();
    let mut writer = s.try_clone().unwrap();
    let request = format!("GET {BIG_FILE} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\n\r\n");
    // On its own thread: the server stops reading the requests once its replies are stuck.
    std::thread::spawn(move || writer.write_all(request.repeat(1000).as_bytes()));
    s
}

/// Whether the server has closed the connection: reading what it sent comes to an end within 10 s.
fn closed_by_server(mut s: TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => return true,
            Err(_) => return false,
        }
    }
}

/// Sends a real submission with no header; its status and how long it took.
async fn timed_send(c: &Collector) -> (u16, Duration) {
    let start = Instant::now();
    let (status, _, _) = send(c, "").await;
    (status, start.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_submissions_get_through_while_slow_clients_hang_and_the_slow_are_cut_off_in_time() {
    let c = Collector::start(&["--header-timeout", "2", "--request-timeout", "3", "--send-timeout", "2"]);
    let headers: Vec<_> = (0..10).map(|_| slow_headers(c.addr)).collect();
    let bodies: Vec<_> = (0..10).map(|_| slow_body(c.addr)).collect();
    let silent: Vec<_> = (0..10).map(|_| never_reads(c.addr)).collect();
    std::thread::sleep(Duration::from_millis(300));
    // While all 30 hang: 50 real submissions, each answered at once.
    let start = Instant::now();
    for n in 0..50 {
        let (status, took) = timed_send(&c).await;
        assert_eq!(status, 201, "submission {n}");
        assert!(took < Duration::from_secs(2), "submission {n} took {took:?}");
    }
    let real = start.elapsed();
    // Each slow client is cut off within its time limit (with a second or two of slack).
    for h in headers {
        let took = h.join().unwrap();
        assert!(took < Duration::from_secs(6), "a byte-a-second header writer was held for {took:?}");
    }
    for b in bodies {
        let (status, took) = b.join().unwrap();
        assert_eq!(status, 408, "a byte-a-second body writer");
        assert!(took < Duration::from_secs(6), "a byte-a-second body writer was held for {took:?}");
    }
    std::thread::sleep(Duration::from_secs(3));
    for s in silent {
        assert!(closed_by_server(s), "a client that never reads still holds its connection");
    }
    assert_eq!(c.rows(), 50);
    eprintln!(
        "slow clients: 50 real submissions in {real:?} while 30 slow clients hung; each slow one cut off in time"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_slow_clients_hold_every_connection_a_real_submission_waits_only_until_they_are_cut_off() {
    let c = Collector::start(&[
        "--max-connections",
        "3",
        "--header-timeout",
        "2",
        "--request-timeout",
        "3",
        "--send-timeout",
        "2",
    ]);
    for kind in ["headers a byte a second", "a body a byte a second", "never reading the reply"] {
        let mut silent = Vec::new();
        for _ in 0..3 {
            match kind {
                "headers a byte a second" => drop(slow_headers(c.addr)),
                "a body a byte a second" => drop(slow_body(c.addr)),
                _ => silent.push(never_reads(c.addr)),
            }
        }
        std::thread::sleep(Duration::from_millis(300));
        let (status, took) = timed_send(&c).await;
        assert_eq!(status, 201, "{kind}");
        // It waited for a slot (the 3 are held), and got one when their time ran out.
        assert!(took > Duration::from_secs(1), "{kind}: the real submission took {took:?}: no slot was held");
        assert!(took < Duration::from_secs(8), "{kind}: the real submission took {took:?}");
        eprintln!("every connection held by clients sending {kind}: a real submission answered in {took:?}");
        drop(silent);
        std::thread::sleep(Duration::from_secs(4));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn beyond_the_cap_on_requests_at_once_the_answer_is_503_with_retry_after() {
    let c = Collector::start(&["--max-requests", "1", "--request-timeout", "3"]);
    let slow = slow_body(c.addr);
    std::thread::sleep(Duration::from_millis(500));
    let (status, retry, body) = send(&c, "").await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(retry.as_deref(), Some("5"));
    assert!(body["error"].as_str().unwrap().contains("busy"), "{body}");
    assert_eq!(slow.join().unwrap().0, 408);
    assert_eq!(send(&c, "").await.0, 201, "once the slow one is gone");
}
