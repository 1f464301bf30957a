//! Never lose a response: a burst of submissions from many clients, the server
//! killed with SIGKILL in the middle of it, then restarted on the same database.
//!
//! Every submission answered 2xx before the kill must be stored with its exact
//! bytes; every one the clients then send again (the unanswered ones, as a real
//! client retries, and a few answered ones) must end up stored exactly once.
//!
//! It runs twice: as first written (600 submissions, 32 clients), and under the heaviest
//! load (4,000 from 128 clients), where the server's one writer commits many submissions
//! in each transaction and the kill comes while batches are being written.
//!
//! And on PostgreSQL: two collectors on one database, one killed mid-burst while the other keeps
//! answering; every answered submission is there once, and re-sending the rest leaves exactly the number sent.
//!
//! The counts are written straight to stderr (not through `eprintln!`, which the
//! test harness captures), so they show in `cargo test` output and in CI logs.

use feedback_model::uuid_v4_from_bytes;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

mod support;
use support::{run_bounded, Serve, BIN, FORMS, LIMIT};

/// Submissions in the whole burst.
const TOTAL: usize = 600;
/// Clients sending at once, each on its own connection.
const CLIENTS: usize = 32;
/// The server is killed once this many submissions have been answered 2xx.
const KILL_AFTER: usize = 150;
/// The heavy-load run: submissions, clients and when the kill comes.
const HEAVY_TOTAL: usize = 4000;
const HEAVY_CLIENTS: usize = 128;
const HEAVY_KILL_AFTER: usize = 1500;

/// Starts `collector serve` (killed with SIGKILL when dropped) on a free port and waits until `/api/health`
/// answers.
fn start(db: impl AsRef<OsStr>) -> Serve {
    let server = Serve::start(db, &["--forms", FORMS]);
    let url = server.url("/api/health");
    let deadline = Instant::now() + LIMIT;
    while !health_ok(&url) {
        assert!(Instant::now() < deadline, "/api/health never answered: {}", tail(&server));
        std::thread::sleep(Duration::from_millis(10));
    }
    server
}

/// The last lines of a collector's log, for failure messages.
fn tail(server: &Serve) -> String {
    let log = server.log();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A blocking GET over a plain socket (no runtime needed): whether it answered 200.
fn health_ok(url: &str) -> bool {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let Ok(mut s) = std::net::TcpStream::connect(host) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

/// The `n`th submission: a unique id and answers that differ from every other's,
/// including text that JSON escapes and text outside ASCII.
fn submission(n: usize) -> (String, String) {
    let mut bytes = [0x5a; 16];
    bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
    let id = uuid_v4_from_bytes(bytes);
    let ways = [json!(["phone"]), json!(["video"]), json!(["phone", "video"]), json!(["none"])];
    let mut answers = json!({
        "ways": ways[n % 4],
        "rating": 1 + n % 3,
        "speed": if n.is_multiple_of(2) { "faster" } else { "slower" },
        "comment": format!("Submission №{n}: \"quoted\", a back\\slash, a tab\t, Diolch ✓ — {}", "x".repeat(n % 50)),
        "involved": n.is_multiple_of(3),
    });
    if n.is_multiple_of(3) {
        answers["contact"] = json!(format!("0770090{n:04}"));
    }
    let body = json!({
        "schema_version": 1,
        "submission_id": id,
        "form_id": "test-form",
        "form_version": "2",
        "sent_at": format!("2026-11-23T10:{:02}:{:02}.{:03}Z", n / 3600 % 60, n / 60 % 60, n % 1000),
        "language": "en",
        "answers": answers,
    });
    (id, body.to_string())
}

/// What became of one POST.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sent {
    /// 201 stored.
    Stored,
    /// 200 duplicate.
    Duplicate,
    /// Any other status.
    Other(u16),
    /// No whole reply: refused, reset or cut off.
    CutOff,
}

async fn send(client: &reqwest::Client, addr: SocketAddr, id: &str, body: &str) -> Sent {
    let res = client
        .post(format!("http://{addr}/api/submissions"))
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(body.to_owned())
        .send()
        .await;
    let Ok(res) = res else { return Sent::CutOff };
    let status = res.status().as_u16();
    // Only a whole reply counts as an answer.
    let Ok(reply) = res.json::<Value>().await else {
        return Sent::CutOff;
    };
    match (status, reply["status"].as_str()) {
        (201, Some("stored")) if reply["submission_id"] == id => Sent::Stored,
        (200, Some("duplicate")) if reply["submission_id"] == id => Sent::Duplicate,
        _ => Sent::Other(status),
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(LIMIT).build().unwrap()
}

/// `collector export --db DB --format jsonl`, bounded: each stored payload by id.
fn export(db: impl AsRef<OsStr>) -> (BTreeMap<String, String>, usize) {
    let mut cmd = Command::new(BIN);
    cmd.args(["export", "--format", "jsonl", "--db"]).arg(db);
    let out = run_bounded(cmd);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut stored = BTreeMap::new();
    let mut lines = 0;
    for line in text.lines() {
        lines += 1;
        let v: Value = serde_json::from_str(line).unwrap();
        let id = v["submission_id"].as_str().unwrap().to_owned();
        assert!(stored.insert(id.clone(), line.to_owned()).is_none(), "{id} is stored twice");
    }
    (stored, lines)
}

/// The ids answered 2xx (stored, or a duplicate of one stored), and how many requests were cut off.
fn answered_ids<'a>(results: &BTreeMap<usize, Sent>, all: &'a [(String, String)]) -> (BTreeSet<&'a str>, usize) {
    let acked = results
        .iter()
        .filter(|(_, s)| matches!(s, Sent::Stored | Sent::Duplicate))
        .map(|(&n, _)| all[n].0.as_str())
        .collect();
    (acked, results.values().filter(|s| **s == Sent::CutOff).count())
}

/// What the clients send again: every submission not answered, then ten that were (as a client whose answer was
/// lost would): the list, and how many of it were not answered.
fn to_retry(all: &[(String, String)], acked: &BTreeSet<&str>) -> (Vec<usize>, usize) {
    let mut retries: Vec<usize> = (0..all.len()).filter(|&n| !acked.contains(all[n].0.as_str())).collect();
    let unacked = retries.len();
    retries.extend((0..all.len()).filter(|&n| acked.contains(all[n].0.as_str())).take(10));
    (retries, unacked)
}

/// Each retry is answered stored, or a duplicate if it was already `stored`.
fn check_retried(retried: &[(usize, Sent)], all: &[(String, String)], stored: &BTreeMap<String, String>) {
    for (n, result) in retried {
        let id = all[*n].0.as_str();
        let expected = if stored.contains_key(id) { Sent::Duplicate } else { Sent::Stored };
        assert_eq!(*result, expected, "retry of submission {n} ({id})");
    }
}

#[test]
fn answered_submissions_survive_sigkill_and_retries_store_the_rest_once() {
    burst_kill_restart("kill test", TOTAL, CLIENTS, KILL_AFTER);
}

/// The same under the heaviest load: many more clients at once, so the writer commits
/// large batches, and the kill comes while some are being written.
#[test]
fn under_heavy_load_every_answered_submission_survives_sigkill() {
    burst_kill_restart("kill test, heavy load", HEAVY_TOTAL, HEAVY_CLIENTS, HEAVY_KILL_AFTER);
}

/// `total` submissions from `clients` clients at once; SIGKILL once `kill_after` are
/// answered 2xx; restart, check, re-send, check.
fn burst_kill_restart(name: &str, total: usize, clients: usize, kill_after: usize) {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite");
    let all: Arc<Vec<(String, String)>> = Arc::new((0..total).map(submission).collect());
    let by_id: BTreeMap<&str, &str> = all.iter().map(|(i, b)| (i.as_str(), b.as_str())).collect();
    assert_eq!(by_id.len(), total, "the ids are unique");

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    // ---- the burst, and SIGKILL in the middle of it
    let mut first = start(&db);
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let results: Arc<Mutex<BTreeMap<usize, Sent>>> = Arc::default();
    let (kill_now, kill_rx) = mpsc::channel::<()>();
    let mut workers = Vec::new();
    for _ in 0..clients {
        let (next, answered, results, kill_now) =
            (Arc::clone(&next), Arc::clone(&answered), Arc::clone(&results), kill_now.clone());
        let all = Arc::clone(&all);
        let addr = first.addr;
        workers.push(rt.spawn(async move {
            let client = client(); // a client each: its own connection
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= total {
                    break;
                }
                let (id, body) = &all[n];
                let sent = send(&client, addr, id, body).await;
                results.lock().unwrap().insert(n, sent);
                match sent {
                    Sent::Stored | Sent::Duplicate => {
                        if answered.fetch_add(1, Ordering::SeqCst) + 1 == kill_after {
                            let _ = kill_now.send(());
                        }
                    }
                    // The server is gone: this client stops, as a real one would back off.
                    Sent::CutOff => break,
                    Sent::Other(status) => panic!("submission {n}: unexpected {status}"),
                }
            }
        }));
    }
    drop(kill_now);
    kill_rx.recv_timeout(LIMIT).unwrap_or_else(|_| panic!("{kill_after} answers never came: {}", tail(&first)));
    first.kill();
    let answered_at_kill = answered.load(Ordering::SeqCst);
    rt.block_on(async {
        for w in workers {
            tokio::time::timeout(LIMIT, w).await.expect("the clients stop after the kill").expect("no client panicked");
        }
    });
    let results = Arc::try_unwrap(results).unwrap().into_inner().unwrap();
    let (acked, cut_off) = answered_ids(&results, &all);
    let sent = results.len();
    assert!(acked.len() >= kill_after, "{} answered", acked.len());
    assert!(cut_off > 0, "no request was cut off: the kill came after the burst");
    assert!(acked.len() < total, "every submission was answered: the kill came too late");

    // ---- restart on the same file: everything answered is there, byte for byte
    let second = start(&db);
    let (stored, _) = export(&db);
    let found = acked.iter().filter(|id| stored.contains_key(**id)).count();
    for id in &acked {
        assert_eq!(
            stored.get(*id).map(String::as_str),
            Some(by_id[id]),
            "submission {id} was answered 2xx before the kill but is not stored as sent"
        );
    }
    for (id, payload) in &stored {
        assert_eq!(
            by_id.get(id.as_str()).copied(),
            Some(payload.as_str()),
            "a stored row ({id}) is not one that was sent, or not as it was sent"
        );
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    drop(conn);
    // Stored but never answered: committed just before the kill, reply lost.
    let unanswered_but_stored = stored.len() - found;

    // ---- the clients retry what was not answered, and a few answered ones again
    let (retries, unacked) = to_retry(&all, &acked);
    let queue = Arc::new(Mutex::new(retries.clone()));
    let addr = second.addr;
    let retried: Vec<(usize, Sent)> = rt.block_on(async {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..clients {
            let (queue, all) = (Arc::clone(&queue), Arc::clone(&all));
            tasks.spawn(async move {
                let client = client();
                let mut out = Vec::new();
                loop {
                    let Some(n) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    out.push((n, send(&client, addr, &all[n].0, &all[n].1).await));
                }
                out
            });
        }
        tokio::time::timeout(LIMIT, tasks.join_all()).await.expect("the retries finish").into_iter().flatten().collect()
    });
    assert_eq!(retried.len(), retries.len());
    check_retried(&retried, &all, &stored);

    // ---- exactly the full set, each once, each as sent
    let (finally, lines) = export(&db);
    assert_eq!(lines, total, "one row per submission");
    assert_eq!(finally.len(), total);
    for (id, body) in all.iter() {
        assert_eq!(finally.get(id), Some(body), "submission {id}");
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (rows, ids): (i64, i64) = conn
        .query_row("SELECT COUNT(*), COUNT(DISTINCT submission_id) FROM submissions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((rows, ids), (total as i64, total as i64));
    drop(second);

    // Straight to stderr: libtest captures print!/eprint!, not the stream itself.
    let line = format!(
        "{name}: {total} submissions from {clients} clients; SIGKILL after {answered_at_kill} answered; \
         {sent} sent, {} answered 2xx, {cut_off} cut off; after restart {found} of {} answered found byte-for-byte \
         (+{unanswered_but_stored} stored but unanswered); {unacked} unanswered + {} answered re-sent; \
         {rows} stored, each once ({:.1} s)\n",
        acked.len(),
        acked.len(),
        retries.len() - unacked,
        started.elapsed().as_secs_f64(),
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// Two collectors on one PostgreSQL database, the clients split between them; one is killed with SIGKILL
/// mid-burst and its clients move to the other (as behind a reverse proxy), which keeps answering throughout.
#[test]
fn on_postgres_two_collectors_one_killed_mid_burst_and_every_answer_is_kept_once() {
    let Some(url) = support::fresh_postgres() else {
        eprintln!("PostgreSQL skipped: COLLECTOR_TEST_POSTGRES is not set (scripts/test.sh sets it)");
        return;
    };
    let (total, clients, kill_after) = (TOTAL, CLIENTS, KILL_AFTER);
    let started = Instant::now();
    let all: Arc<Vec<(String, String)>> = Arc::new((0..total).map(submission).collect());
    let by_id: BTreeMap<&str, &str> = all.iter().map(|(i, b)| (i.as_str(), b.as_str())).collect();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();

    let mut doomed = start(&url);
    let survivor = start(&url);
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    // Answers from the survivor after the kill: it must keep answering.
    let after_kill = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let results: Arc<Mutex<BTreeMap<usize, Sent>>> = Arc::default();
    let (kill_now, kill_rx) = mpsc::channel::<()>();
    let mut workers = Vec::new();
    for c in 0..clients {
        let (next, answered, results, kill_now) =
            (Arc::clone(&next), Arc::clone(&answered), Arc::clone(&results), kill_now.clone());
        let (all, after_kill, killed) = (Arc::clone(&all), Arc::clone(&after_kill), Arc::clone(&killed));
        let (to_doomed, addr) = if c % 2 == 0 { (true, doomed.addr) } else { (false, survivor.addr) };
        workers.push(rt.spawn(async move {
            let client = client();
            loop {
                let n = next.fetch_add(1, Ordering::SeqCst);
                if n >= total {
                    break;
                }
                let (id, body) = &all[n];
                let sent = send(&client, addr, id, body).await;
                results.lock().unwrap().insert(n, sent);
                match sent {
                    Sent::Stored | Sent::Duplicate => {
                        if !to_doomed && killed.load(Ordering::SeqCst) {
                            after_kill.fetch_add(1, Ordering::SeqCst);
                        }
                        if answered.fetch_add(1, Ordering::SeqCst) + 1 == kill_after {
                            let _ = kill_now.send(());
                        }
                    }
                    Sent::CutOff if to_doomed => break,
                    other => panic!(
                        "submission {n} to the {} collector: {other:?}",
                        if to_doomed { "killed" } else { "surviving" }
                    ),
                }
            }
        }));
    }
    drop(kill_now);
    kill_rx.recv_timeout(LIMIT).unwrap_or_else(|_| panic!("{kill_after} answers never came: {}", tail(&doomed)));
    killed.store(true, Ordering::SeqCst);
    doomed.kill();
    rt.block_on(async {
        for w in workers {
            tokio::time::timeout(LIMIT, w).await.expect("the clients finish").expect("no client panicked");
        }
    });
    let results = Arc::try_unwrap(results).unwrap().into_inner().unwrap();
    let (acked, cut_off) = answered_ids(&results, &all);
    assert!(cut_off > 0, "no request to the killed collector was cut off: the kill came after the burst");
    let kept_answering = after_kill.load(Ordering::SeqCst);
    assert!(kept_answering > 0, "the surviving collector answered nothing after the kill: {}", tail(&survivor));

    let (stored, _) = export(&url);
    for id in &acked {
        assert_eq!(stored.get(*id).map(String::as_str), Some(by_id[id]), "answered {id} is not stored as sent");
    }
    for (id, payload) in &stored {
        assert_eq!(by_id.get(id.as_str()).copied(), Some(payload.as_str()), "{id} is not one that was sent");
    }
    let unanswered_but_stored = stored.len() - acked.len();

    // The clients send the unanswered ones again, and ten answered ones, all to the survivor.
    let (retries, unacked) = to_retry(&all, &acked);
    let addr = survivor.addr;
    let retried: Vec<(usize, Sent)> = rt.block_on(async {
        let client = client();
        let mut out = Vec::new();
        for &n in &retries {
            out.push((n, send(&client, addr, &all[n].0, &all[n].1).await));
        }
        out
    });
    check_retried(&retried, &all, &stored);
    let (finally, lines) = export(&url);
    assert_eq!(lines, total, "one row per submission");
    for (id, body) in all.iter() {
        assert_eq!(finally.get(id), Some(body), "submission {id}");
    }
    let counts = support::pg_query(&url, "SELECT COUNT(*), COUNT(DISTINCT submission_id) FROM submissions");
    assert_eq!(counts, [[Some(total.to_string()), Some(total.to_string())]]);
    let line = format!(
        "kill test on PostgreSQL, two collectors: {total} submissions from {clients} clients; one collector killed \
         after {kill_after} answered; {} answered 2xx, {cut_off} cut off, {kept_answering} answered by the other \
         after the kill; {} of {} answered found byte-for-byte (+{unanswered_but_stored} stored but unanswered); \
         {unacked} unanswered + {} answered re-sent; {total} stored, each once ({:.1} s)\n",
        acked.len(),
        acked.len(),
        acked.len(),
        retries.len() - unacked,
        started.elapsed().as_secs_f64(),
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}
