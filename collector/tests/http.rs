//! The collector over real HTTP, against a real SQLite file in a temporary folder, and the tests that store
//! or export against a real PostgreSQL database as well, the same tests (`support::databases`).
//!
//! Most tests run the built binary (`collector serve` on port 0, reading the port
//! from its start line); one runs the library in-process to reach a setting the
//! command line does not offer (a short busy timeout).

use feedback_model::{
    uuid_v4_from_bytes, Context, Form, Submission, FACILITATOR_MAX_CHARS, SESSION_MAX_CHARS, SOURCE_MAX_CHARS,
};
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;
use tempfile::TempDir;

mod support;
use support::{databases, payload, pg_rows, run_bounded, Db, Serve, BIN, FORMS, LIMIT};

const SCHEMA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/schema/submission.schema.json");
const SHIPPED_FORM: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/forms/remote-support.json");

// ---------------------------------------------------------------- helpers

/// A `collector serve` process, killed when dropped.
struct Collector {
    serve: Serve,
    /// The SQLite file, for a collector on SQLite.
    db: PathBuf,
    store: Db,
    dir: TempDir,
}

impl Collector {
    /// Serves the test forms with a database in a folder that does not exist yet.
    fn start(extra: &[&str]) -> Collector {
        let mut args = vec!["--forms", FORMS];
        args.extend_from_slice(extra);
        Collector::start_in(tempfile::tempdir().unwrap(), &args)
    }

    /// Serves the test forms on `store` (SQLite: in a folder that does not exist yet).
    fn start_on(store: &Db, extra: &[&str]) -> Collector {
        let mut args = vec!["--forms", FORMS];
        args.extend_from_slice(extra);
        Collector::start_with(tempfile::tempdir().unwrap(), store, &args)
    }

    fn start_in(dir: TempDir, extra: &[&str]) -> Collector {
        Collector::start_with(dir, &Db::Sqlite, extra)
    }

    fn start_with(dir: TempDir, store: &Db, extra: &[&str]) -> Collector {
        let db = dir.path().join("data").join("feedback.sqlite");
        let serve = match store {
            Db::Sqlite => Serve::start(&db, extra),
            Db::Postgres(url) => Serve::start(url, extra),
        };
        Collector { serve, db, store: store.clone(), dir }
    }

    fn url(&self, path: &str) -> String {
        self.serve.url(path)
    }

    /// (submission_id, payload) of every row, in the order received.
    fn rows(&self) -> Vec<(String, String)> {
        match &self.store {
            Db::Sqlite => rows(&self.db),
            Db::Postgres(url) => pg_rows(url),
        }
    }

    /// Every row `sql` gives, each value as text, from this collector's database.
    fn query(&self, sql: &str) -> Vec<Vec<Option<String>>> {
        match &self.store {
            Db::Sqlite => {
                let conn = rusqlite::Connection::open(&self.db).unwrap();
                let mut stmt = conn.prepare(sql).unwrap();
                let n = stmt.column_count();
                let rows = stmt.query_map([], |r| (0..n).map(|i| r.get::<_, Option<String>>(i)).collect()).unwrap();
                rows.map(Result::unwrap).collect()
            }
            Db::Postgres(url) => support::pg_query(url, sql),
        }
    }

    /// The `--db` value of this collector's database.
    fn db_arg(&self) -> std::ffi::OsString {
        match &self.store {
            Db::Sqlite => self.db.clone().into_os_string(),
            Db::Postgres(url) => url.into(),
        }
    }

    /// Runs `collector export --db <this db>` with more arguments.
    fn export(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("export").arg("--db").arg(self.db_arg()).args(args);
        run_bounded(cmd)
    }

    fn log(&self) -> String {
        self.serve.log()
    }

    fn log_when(&self, needle: &str) -> String {
        self.serve.log_when(needle)
    }
}

fn rows(db: &Path) -> Vec<(String, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare("SELECT submission_id, payload FROM submissions ORDER BY seq").unwrap();
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    rows.map(Result::unwrap).collect()
}

fn id(n: u8) -> String {
    uuid_v4_from_bytes([n; 16])
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(LIMIT).build().unwrap()
}

/// Posts `body` as JSON; returns the status, headers and the reply parsed as JSON.
async fn post(c: &Collector, body: &str) -> (u16, HeaderMap, Value) {
    post_with(c, body, &[("content-type", "application/json")]).await
}

async fn post_with(c: &Collector, body: &str, headers: &[(&str, &str)]) -> (u16, HeaderMap, Value) {
    let mut req = client().post(c.url("/api/submissions")).body(body.to_owned());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    reply(req.send().await.unwrap()).await
}

async fn reply(res: reqwest::Response) -> (u16, HeaderMap, Value) {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let text = res.text().await.unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("reply is not JSON ({e}): {text:?}"));
    (status, headers, value)
}

/// Asserts a refusal: the status, a JSON body with an `error` sentence and a `problems` list.
fn assert_refusal(status: u16, headers: &HeaderMap, body: &Value, expected: u16) -> Vec<String> {
    assert_eq!(status, expected, "{body}");
    assert!(headers[CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
    let error = body["error"].as_str().unwrap_or_else(|| panic!("no error sentence: {body}"));
    assert!(error.ends_with('.') && error.len() > 10, "{error}");
    body["problems"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_owned()).collect()
}

/// Sends raw bytes with `Connection: close` and reads the whole reply:
/// (status, head, body).
fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(LIMIT)).unwrap();
    s.set_write_timeout(Some(LIMIT)).unwrap();
    let _ = s.write_all(request); // the server may answer before reading everything
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP reply: {text:?}"));
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_ascii_lowercase(), body.to_owned())
}

// ---------------------------------------------------------------- storing

#[tokio::test]
async fn stores_once_and_answers_repeats_as_duplicates() {
    for db in databases("stores_once_and_answers_repeats_as_duplicates") {
        let c = Collector::start_on(&db, &[]);
        if let Db::Sqlite = db {
            assert!(c.db.exists(), "the database and its folder are made");
        }
        let id = id(1);
        let body = payload(&id, json!({"ways": ["phone"], "comment": "Phone calls helped"})).to_string();

        let (status, headers, reply) = post(&c, &body).await;
        assert_eq!(status, 201, "{reply}");
        assert_eq!(reply, json!({"status": "stored", "submission_id": id}));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert!(headers.get("set-cookie").is_none());
        assert_eq!(c.rows(), vec![(id.clone(), body.clone())], "the exact payload is stored");

        let columns = c.query("SELECT form_id, form_version, sent_at, received_at, language FROM submissions");
        let columns: Vec<&str> = columns[0].iter().map(|v| v.as_deref().unwrap()).collect();
        let received = columns[3];
        assert_eq!(
            [columns[0], columns[1], columns[2], columns[4]],
            ["test-form", "2", "2026-11-23T10:00:00.000Z", "en"]
        );
        assert!(received.len() == 24 && received.ends_with('Z') && received.as_bytes()[10] == b'T', "{received}");
        if let Db::Sqlite = db {
            assert_eq!(c.query("PRAGMA journal_mode"), [[Some("wal".to_owned())]]);
        }

        // The same submission again (a retry): 200, still one row.
        let (status, _, reply) = post(&c, &body).await;
        assert_eq!(status, 200);
        assert_eq!(reply, json!({"status": "duplicate", "submission_id": id}));
        // Same id, different answers: still a duplicate, and the first is kept.
        let changed = payload(&id, json!({"comment": "Something else"})).to_string();
        let (status, _, reply) = post(&c, &changed).await;
        assert_eq!((status, reply["status"].as_str()), (200, Some("duplicate")));
        assert_eq!(c.rows(), vec![(id.clone(), body)]);

        // The log names the submission and what happened, never what it says or who sent it.
        c.log_when(&format!("submission {id}: stored"));
        let log = c.log_when(&format!("submission {id}: duplicate"));
        assert!(log.contains(&format!("submission {id}: stored")), "{log}");
        assert!(log.contains(&format!("submission {id}: duplicate")), "{log}");
        assert!(!log.contains("Phone calls helped") && !log.contains("127.0.0.1"), "{log}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_concurrent_posts_of_one_id_store_one_row() {
    for db in databases("twenty_concurrent_posts_of_one_id_store_one_row") {
        let c = Collector::start_on(&db, &[]);
        let id = id(2);
        let body = payload(&id, json!({"speed": "faster"})).to_string();
        let url = c.url("/api/submissions");
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..20 {
            let (url, body, key) = (url.clone(), body.clone(), id.clone());
            // A client each, so the requests arrive on separate connections.
            tasks.spawn(post_alone(url, key, body));
        }
        let mut results = tasks.join_all().await;
        results.sort();
        assert_eq!(results.len(), 20);
        assert_eq!(results.iter().filter(|r| r == &&(201, "stored".to_owned())).count(), 1, "{results:?}");
        assert_eq!(results.iter().filter(|r| r == &&(200, "duplicate".to_owned())).count(), 19, "{results:?}");
        assert_eq!(c.rows(), vec![(id, body)]);
    }
}

/// Posts `body` on a connection of its own; returns the status and the reply's `status`.
async fn post_alone(url: String, id: String, body: String) -> (u16, String) {
    let res = client()
        .post(url)
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let reply: Value = res.json().await.unwrap();
    (status, reply["status"].as_str().unwrap().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_id_twice_in_one_batch_is_stored_once_and_answered_as_a_duplicate() {
    let c = Collector::start(&[]);
    let url = c.url("/api/submissions");
    // The test holds the database's write lock, so the writer waits (within its 5 s busy
    // timeout) on a first submission while the two copies arrive and queue behind it:
    // they are then written together, in the next batch.
    let lock = rusqlite::Connection::open(&c.db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (first_id, twice_id) = (id(14), id(15));
    let first = payload(&first_id, json!({"rating": 1})).to_string();
    let twice = payload(&twice_id, json!({"rating": 2, "comment": "sent twice at once"})).to_string();
    let first_task = tokio::spawn(post_alone(url.clone(), first_id.clone(), first.clone()));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let copies = [
        tokio::spawn(post_alone(url.clone(), twice_id.clone(), twice.clone())),
        tokio::spawn(post_alone(url.clone(), twice_id.clone(), twice.clone())),
    ];
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        !first_task.is_finished() && !copies.iter().any(|t| t.is_finished()),
        "nothing is answered before its commit"
    );
    lock.execute_batch("COMMIT").unwrap();

    assert_eq!(first_task.await.unwrap(), (201, "stored".to_owned()));
    let mut results = vec![];
    for task in copies {
        results.push(task.await.unwrap());
    }
    results.sort();
    assert_eq!(results, [(200, "duplicate".to_owned()), (201, "stored".to_owned())]);
    assert_eq!(c.rows(), vec![(first_id, first), (twice_id.clone(), twice)]);
    c.log_when(&format!("submission {twice_id}: stored"));
    let log = c.log_when(&format!("submission {twice_id}: duplicate\n"));
    assert_eq!(log.matches(&format!("submission {twice_id}: stored")).count(), 1, "{log}");
    assert_eq!(log.matches(&format!("submission {twice_id}: duplicate\n")).count(), 1, "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_distinct_posts_are_each_stored_once() {
    for db in databases("many_concurrent_distinct_posts_are_each_stored_once") {
        const CLIENTS: usize = 64;
        const EACH: usize = 8;
        let c = Collector::start_on(&db, &[]);
        let url = c.url("/api/submissions");
        let all: Vec<(String, String)> = (0..CLIENTS * EACH)
            .map(|n| {
                let mut bytes = [0x6b; 16];
                bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
                let id = uuid_v4_from_bytes(bytes);
                let body = payload(
                    &id,
                    json!({"rating": 1 + n % 3, "comment": format!("client {} post {}", n / EACH, n % EACH)}),
                );
                (id, body.to_string())
            })
            .collect();
        let mut tasks = tokio::task::JoinSet::new();
        for mine in all.chunks(EACH) {
            let (url, mine) = (url.clone(), mine.to_vec());
            // A client each, sending its posts one after another, all clients at once.
            tasks.spawn(async move {
                let mut results = Vec::new();
                for (id, body) in mine {
                    results.push(post_alone(url.clone(), id, body).await);
                }
                results
            });
        }
        let results: Vec<(u16, String)> = tasks.join_all().await.into_iter().flatten().collect();
        assert_eq!(results.len(), CLIENTS * EACH);
        assert!(results.iter().all(|r| *r == (201, "stored".to_owned())), "{results:?}");
        let mut stored = c.rows();
        assert_eq!(stored.len(), CLIENTS * EACH, "one row each");
        stored.sort();
        let mut expected = all;
        expected.sort();
        assert_eq!(stored, expected, "each stored once, exactly as sent");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_storage_failure_is_503_with_retry_after() {
    // In-process, with a short busy timeout, while the test holds the write lock.
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("locked.sqlite");
    let opts = collector::ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        busy_timeout: Duration::from_millis(200),
        // Posted by hand, with no proof of work, as the tests that run the binary do.
        stamp_bits: 0,
        ..collector::ServeOptions::new(&db, FORMS)
    };
    let server = collector::Server::bind(opts).await.unwrap();
    let url = format!("http://{}/api/submissions", server.local_addr());
    assert!(server.start_line().starts_with(&format!("Listening on http://{}", server.local_addr())));
    tokio::spawn(server.run_until(std::future::pending()));

    let lock = rusqlite::Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN IMMEDIATE").unwrap();
    let body = payload(&id(3), json!({})).to_string();
    let send = || client().post(&url).header("content-type", "application/json").body(body.clone()).send();
    let (status, headers, body503) = reply(send().await.unwrap()).await;
    assert_refusal(status, &headers, &body503, 503);
    assert_eq!(body503["error"], "The answers could not be stored just now. Please try again.");
    assert_eq!(headers["retry-after"], "5");
    lock.execute_batch("COMMIT").unwrap();

    // The client's retry then succeeds.
    let (status, _, _) = reply(send().await.unwrap()).await;
    assert_eq!(status, 201);
    assert_eq!(rows(&db), vec![(id(3), body)]);
}

// ---------------------------------------------------------------- refusals

#[tokio::test]
async fn only_json_is_taken() {
    for db in databases("only_json_is_taken") {
        let c = Collector::start_on(&db, &[]);
        let body = payload(&id(4), json!({})).to_string();
        let (s, h, r) = post_with(&c, &body, &[("content-type", "text/plain")]).await;
        assert_refusal(s, &h, &r, 415);
        let (s, h, r) = post_with(&c, &body, &[]).await;
        assert_refusal(s, &h, &r, 415);
        let (s, h, r) = post_with(&c, &body, &[("content-type", "application/x-www-form-urlencoded")]).await;
        assert_refusal(s, &h, &r, 415);
        assert!(c.rows().is_empty());
        let (s, _, _) = post_with(&c, &body, &[("content-type", "application/json; charset=utf-8")]).await;
        assert_eq!(s, 201, "a charset is allowed");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_with_or_without_a_length() {
    for db in databases("bodies_over_the_limit_are_413_with_or_without_a_length") {
        let c = Collector::start_on(&db, &["--max-bytes", "1024"]);
        let big = payload(&id(5), json!({"comment": "x".repeat(1100)})).to_string();
        let (s, h, r) = post(&c, &big).await;
        assert_refusal(s, &h, &r, 413);
        assert!(r["error"].as_str().unwrap().contains("1024"));

        // Chunked, with no Content-Length: 3 chunks of 600 bytes.
        let mut req = b"POST /api/submissions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
        for _ in 0..3 {
            req.extend_from_slice(format!("258\r\n{}\r\n", "a".repeat(600)).as_bytes());
        }
        req.extend_from_slice(b"0\r\n\r\n");
        let (status, head, body) = raw(c.serve.addr, &req);
        assert_eq!(status, 413, "{head}\n{body}");
        assert!(head.contains("content-type: application/json"));
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());

        // A body just under the limit, chunked, is taken.
        let small = payload(&id(6), json!({"comment": "fits"})).to_string();
        let mut req = b"POST /api/submissions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            .to_vec();
        req.extend_from_slice(format!("{:x}\r\n{small}\r\n0\r\n\r\n", small.len()).as_bytes());
        let (status, _, body) = raw(c.serve.addr, &req);
        assert_eq!(status, 201, "{body}");
        assert_eq!(c.rows(), vec![(id(6), small)]);
    }
}

#[tokio::test]
async fn malformed_or_misshapen_bodies_are_400() {
    for db in databases("malformed_or_misshapen_bodies_are_400") {
        let c = Collector::start_on(&db, &[]);
        // Broken JSON.
        let (s, h, r) = post(&c, r#"{"schema_version": 1, "submission_id": "#).await;
        assert_refusal(s, &h, &r, 400);
        assert_eq!(r["error"], "The request body is not valid JSON.");
        let (s, h, r) = post(&c, "not json at all <script>").await;
        assert_refusal(s, &h, &r, 400);

        // An extra field: nothing about the device may be sent.
        let mut extra = payload(&id(7), json!({}));
        extra["device_id"] = json!("abc");
        let (s, h, r) = post(&c, &extra.to_string()).await;
        let problems = assert_refusal(s, &h, &r, 400);
        assert!(problems[0].contains("device_id"), "{problems:?}");

        // Wrong shapes: a missing field, answers as a list, an answer that is an object.
        let mut missing = payload(&id(7), json!({}));
        missing.as_object_mut().unwrap().remove("language");
        for bad in [missing, payload(&id(7), json!(["a"])), payload(&id(7), json!({"comment": {"a": 1}}))] {
            let (s, h, r) = post(&c, &bad.to_string()).await;
            assert_refusal(s, &h, &r, 400);
            assert_eq!(r["error"], "The request is JSON but not in the shape of a submission.");
        }

        // Bytes that are not UTF-8, sent raw.
        let body = b"{\"a\": \"\xff\xfe\"}";
        let mut req = format!(
        "POST /api/submissions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
        req.extend_from_slice(body);
        let (status, head, body) = raw(c.serve.addr, &req);
        assert_eq!(status, 400);
        assert!(head.contains("content-type: application/json"));
        assert!(serde_json::from_str::<Value>(&body).unwrap()["error"].is_string());
        assert!(c.rows().is_empty());
    }
}

#[tokio::test]
async fn the_idempotency_key_must_be_the_submission_id() {
    for db in databases("the_idempotency_key_must_be_the_submission_id") {
        let c = Collector::start_on(&db, &[]);
        let body = payload(&id(8), json!({})).to_string();
        let (s, h, r) =
            post_with(&c, &body, &[("content-type", "application/json"), ("idempotency-key", &id(9))]).await;
        assert_refusal(s, &h, &r, 400);
        assert!(r["error"].as_str().unwrap().contains("Idempotency-Key"));
        assert!(c.rows().is_empty());
        let (s, _, _) =
            post_with(&c, &body, &[("content-type", "application/json"), ("idempotency-key", &id(8))]).await;
        assert_eq!(s, 201);
    }
}

#[tokio::test]
async fn answers_the_form_cannot_take_are_422_with_every_problem() {
    for db in databases("answers_the_form_cannot_take_are_422_with_every_problem") {
        let c = Collector::start_on(&db, &[]);
        let body = payload(
            &id(10),
            json!({"speed": 3, "rating": 9, "ways": ["phone", "fax"], "nope": "x", "involved": false, "contact": "me@example.org"}),
        );
        let (s, h, r) = post(&c, &body.to_string()).await;
        let problems = assert_refusal(s, &h, &r, 422);
        for expected in [
            "the answer to “speed” must be one option's value, as a string",
            "the answer to “rating” must be a whole number from 1 to 3",
            "“fax” is not one of the options of “ways”",
            "there is no question “nope” in this form",
            "“contact” was answered but is not asked for the other answers given",
        ] {
            assert!(problems.iter().any(|p| p == expected), "missing {expected:?} in {problems:?}");
        }
        assert_eq!(problems.len(), 5, "{problems:?}");

        let mut unknown_form = payload(&id(11), json!({}));
        unknown_form["form_id"] = json!("ghost");
        let (s, h, r) = post(&c, &unknown_form.to_string()).await;
        assert_eq!(assert_refusal(s, &h, &r, 422), ["there is no form “ghost” here"]);

        let mut bad_meta = payload("not-a-uuid", json!({}));
        bad_meta["sent_at"] = json!("yesterday");
        let (s, h, r) = post(&c, &bad_meta.to_string()).await;
        let problems = assert_refusal(s, &h, &r, 422);
        assert!(problems.iter().any(|p| p.contains("submission_id")) && problems.iter().any(|p| p.contains("sent_at")));
        assert!(c.rows().is_empty(), "nothing refused is stored");
    }
}

// ---------------------------------------------------------------- hostile text and exports

#[tokio::test]
async fn hostile_text_is_stored_byte_for_byte_and_exported_safely() {
    for db in databases("hostile_text_is_stored_byte_for_byte_and_exported_safely") {
        let c = Collector::start_on(&db, &[]);
        let comment =
        "<script>alert(1)</script> '); DROP TABLE submissions;-- \u{0} \u{202E}txt.exe\u{202C} 😀🏳️‍🌈 \"quoted\", comma";
        let formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        let body = payload(&id(12), json!({"comment": comment, "involved": true, "contact": formula})).to_string();
        let (s, _, r) = post(&c, &body).await;
        assert_eq!(s, 201, "{r}");
        let (s, _, _) = post(&c, &payload(&id(13), json!({"comment": "@SUM(A1:A9)"})).to_string()).await;
        assert_eq!(s, 201);

        let stored = c.rows();
        assert_eq!(stored[0], (id(12), body.clone()), "the payload is kept byte for byte");
        let back: Submission = serde_json::from_str(&stored[0].1).unwrap();
        assert_eq!(back.answers.get("comment").unwrap().as_text(), Some(comment));
        assert_eq!(back.answers.get("contact").unwrap().as_text(), Some(formula));
        assert_eq!(c.rows().len(), 2, "the table is still there");

        let out = c.export(&["--format", "csv", "--forms", FORMS]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = String::from_utf8(out.stdout).unwrap();
        assert!(csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), "{csv}");
        let quoted_comment = format!("\"{}\"", comment.replace('"', "\"\""));
        assert!(csv.contains(&quoted_comment), "the comment is quoted, with its quotes doubled: {csv}");
        assert!(csv.contains(",'@SUM(A1:A9),"), "{csv}");
        assert!(!csv.contains(",=") && !csv.contains(",\"="), "no cell starts a formula: {csv}");

        let out = c.export(&["--format", "jsonl"]);
        assert!(out.status.success());
        let jsonl = String::from_utf8(out.stdout).unwrap();
        assert_eq!(jsonl.lines().next(), Some(body.as_str()));
    }
}

#[tokio::test]
async fn export_jsonl_gives_the_exact_payloads_in_the_order_received() {
    for db in databases("export_jsonl_gives_the_exact_payloads_in_the_order_received") {
        let c = Collector::start_on(&db, &[]);
        let first = payload(&id(20), json!({"rating": 2})).to_string();
        let second = payload(&id(21), json!({"speed": "slower", "comment": "Ünïcödé ✓"})).to_string();
        let pretty = serde_json::to_string_pretty(&payload(&id(22), json!({"ways": ["video"]}))).unwrap();
        for body in [&first, &second, &pretty] {
            assert_eq!(post(&c, body).await.0, 201);
        }
        assert_eq!(c.rows()[2].1, pretty, "stored as sent, line breaks and all");
        let out = c.export(&["--format", "jsonl"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], first);
        assert_eq!(lines[1], second);
        let third: Value = serde_json::from_str(lines[2]).unwrap();
        assert_eq!(third, serde_json::from_str::<Value>(&pretty).unwrap(), "a pretty payload stays on one line");
        for line in lines {
            let s: Submission = serde_json::from_str(line).unwrap();
            assert!(s.problems(Some(&test_form())).is_empty(), "a partner can check each line again");
        }
    }
}

#[tokio::test]
async fn a_shared_devices_context_is_stored_as_sent_and_exported_in_its_own_columns() {
    for db in databases("a_shared_devices_context_is_stored_as_sent_and_exported_in_its_own_columns") {
        let c = Collector::start_on(&db, &[]);
        let mut shared = payload(&id(40), json!({"rating": 3}));
        shared["context"] =
            json!({"shared_device": true, "session": "=HYPERLINK(\"http://evil.example\")", "facilitator": "AB"});
        let mut unlabelled = payload(&id(41), json!({}));
        unlabelled["context"] = json!({"shared_device": true});
        let own = payload(&id(42), json!({"comment": "at home"}));
        for body in [&shared, &unlabelled, &own] {
            let (s, _, r) = post(&c, &body.to_string()).await;
            assert_eq!(s, 201, "{r}");
        }
        let mut blank = payload(&id(43), json!({}));
        blank["context"] = json!({"shared_device": true, "session": "Leeds\ndrop-in", "facilitator": " "});
        let (s, h, r) = post(&c, &blank.to_string()).await;
        assert_eq!(
            assert_refusal(s, &h, &r, 422),
            [
                "context.session must not hold control characters such as line breaks or tabs",
                "context.facilitator must not be blank; leave it out when there is none"
            ]
        );
        let mut device = payload(&id(44), json!({}));
        device["context"] = json!({"shared_device": true, "device_id": "tablet-3"});
        assert_eq!(post(&c, &device.to_string()).await.0, 400, "nothing but the context's own fields");

        let out = c.export(&["--format", "jsonl"]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
        assert_eq!(
            lines,
            [shared.to_string(), unlabelled.to_string(), own.to_string()],
            "the context is in each line as sent"
        );

        let out = c.export(&["--format", "csv", "--forms", FORMS]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = String::from_utf8(out.stdout).unwrap();
        let mut table = csv.split("\r\n");
        let header = table.next().unwrap();
        assert!(
        header.starts_with(
            "submission_id,form_id,form_version,sent_at,received_at,language,shared_device,session,facilitator,source,ways,"
        ),
        "{header}"
    );
        let context_cells = |line: &str| -> String {
            let line = line.split_once(",en,").unwrap().1;
            line.splitn(4, ',').take(3).collect::<Vec<_>>().join(",")
        };
        let lines: Vec<&str> = table.filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(
            context_cells(lines[0]),
            "yes,\"'=HYPERLINK(\"\"http://evil.example\"\")\",AB",
            "a formula in the label is defused"
        );
        assert_eq!(context_cells(lines[1]), "yes,,");
        assert_eq!(context_cells(lines[2]), ",,", "a person's own device: empty");
    }
}

fn test_form() -> Form {
    Form::parse(&std::fs::read_to_string(Path::new(FORMS).join("test-form.json")).unwrap()).unwrap()
}

#[tokio::test]
async fn export_csv_has_a_column_per_question_and_older_answers_after() {
    for db in databases("export_csv_has_a_column_per_question_and_older_answers_after") {
        // Two forms, so CSV needs --form.
        let forms = tempfile::tempdir().unwrap();
        std::fs::copy(Path::new(FORMS).join("test-form.json"), forms.path().join("test-form.json")).unwrap();
        std::fs::copy(SHIPPED_FORM, forms.path().join("remote-support.json")).unwrap();
        let forms_dir = forms.path().to_str().unwrap();
        let c = Collector::start_with(tempfile::tempdir().unwrap(), &db, &["--forms", forms_dir]);

        let a = payload(
            &id(30),
            json!({"ways": ["phone", "video"], "rating": 3, "involved": false, "comment": "Fine, thanks"}),
        );
        let mut old = payload(
            &id(31),
            json!({"old_question": "kept", "rating": 1, "involved": true, "contact": "-07700 900123"}),
        );
        old["form_version"] = json!("1"); // an older version: only the shape is checked
        let other = json!({
            "schema_version": 1, "submission_id": id(32), "form_id": "remote-support",
            "form_version": "x", "sent_at": "2026-11-23T10:00:00Z", "language": "en", "answers": {"prefer": "mix"}
        });
        for body in [&a, &old, &other] {
            let (s, _, r) = post(&c, &body.to_string()).await;
            assert_eq!(s, 201, "{r}");
        }

        let out = c.export(&["--format", "csv", "--forms", forms_dir]);
        assert!(!out.status.success(), "two forms are stored, so --form is needed");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--form") && err.contains("remote-support") && err.contains("test-form"), "{err}");

        let out = c.export(&["--format", "csv", "--form", "test-form", "--forms", forms_dir]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = String::from_utf8(out.stdout).unwrap();
        let received: Vec<String> = c
            .query("SELECT received_at FROM submissions WHERE form_id = 'test-form' ORDER BY seq")
            .into_iter()
            .map(|r| r[0].clone().unwrap())
            .collect();
        let expected = format!(
            "submission_id,form_id,form_version,sent_at,received_at,language,shared_device,session,facilitator,source,\
         ways,rating,speed,comment,involved,contact,old_question\r\n\
         {},test-form,2,2026-11-23T10:00:00.000Z,{},en,,,,,phone; video,3,,\"Fine, thanks\",no,,\r\n\
         {},test-form,1,2026-11-23T10:00:00.000Z,{},en,,,,,,1,,,yes,'-07700 900123,kept\r\n",
            id(30),
            received[0],
            id(31),
            received[1]
        );
        assert_eq!(csv, expected);

        let out = c.export(&["--format", "jsonl", "--form", "remote-support", "--forms", forms_dir]);
        assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{other}\n"));
    }
}

// ---------------------------------------------------------------- the rest of HTTP

#[tokio::test]
async fn cors_only_for_the_allowed_origin() {
    let c = Collector::start(&["--allow-origin", "https://partner.example"]);
    let preflight = |origin: &'static str| {
        client()
            .request(reqwest::Method::OPTIONS, c.url("/api/submissions"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type,idempotency-key")
            .send()
    };
    let ok = preflight("https://partner.example").await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], "https://partner.example");
    assert!(ok.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let allowed = ok.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("idempotency-key"), "{allowed}");
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());

    let body = payload(&id(40), json!({})).to_string();
    let (s, h, _) =
        post_with(&c, &body, &[("content-type", "application/json"), ("origin", "https://partner.example")]).await;
    assert_eq!(s, 201);
    assert_eq!(h["access-control-allow-origin"], "https://partner.example");
    let (_, h, _) =
        post_with(&c, &body, &[("content-type", "application/json"), ("origin", "https://evil.example")]).await;
    assert!(h.get("access-control-allow-origin").is_none());

    // None by default.
    let plain = Collector::start(&[]);
    let res = client()
        .request(reqwest::Method::OPTIONS, plain.url("/api/submissions"))
        .header("origin", "https://partner.example")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn health_unknown_api_paths_and_wrong_methods_answer_in_json() {
    let c = Collector::start(&[]);
    let (s, h, r) = reply(client().get(c.url("/api/health")).send().await.unwrap()).await;
    assert_eq!((s, r), (200, json!({"status": "ok"})));
    assert_eq!(h["cache-control"], "no-store");
    let (s, h, r) = reply(client().get(c.url("/api/nothing/here")).send().await.unwrap()).await;
    assert_refusal(s, &h, &r, 404);
    let (s, h, r) = reply(client().get(c.url("/api/submissions")).send().await.unwrap()).await;
    assert_refusal(s, &h, &r, 405);
    let (s, h, r) = reply(client().delete(c.url("/api/health")).send().await.unwrap()).await;
    assert_refusal(s, &h, &r, 405);
    assert_eq!(h["x-content-type-options"], "nosniff");
    // Without --static, nothing else is served.
    let (s, h, r) = reply(client().get(c.url("/")).send().await.unwrap()).await;
    assert_refusal(s, &h, &r, 404);
}

#[tokio::test]
async fn serves_the_built_app_with_the_right_types_and_caching() {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("forms")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Feedback</title>").unwrap();
    std::fs::write(dist.join("app_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
    std::fs::write(dist.join("manifest.webmanifest"), r#"{"name": "Feedback"}"#).unwrap();
    std::fs::write(dist.join("config.json"), r#"{"endpoint": "/api/submissions"}"#).unwrap();
    std::fs::copy(Path::new(FORMS).join("test-form.json"), dist.join("forms/test-form.json")).unwrap();
    let dist_arg = dist.to_str().unwrap().to_owned();
    let c = Collector::start_in(dir, &["--static", &dist_arg]); // forms default to <static>/forms
    assert!(c.dir.path().join("dist").exists());

    let get = |path: &str| client().get(c.url(path)).send();
    let res = get("/").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["referrer-policy"], "no-referrer");
    assert!(res.headers().get("set-cookie").is_none());
    assert!(res.text().await.unwrap().contains("<title>Feedback</title>"));

    let res = get("/app_bg.wasm").await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/wasm");
    // No hash of its contents in its name, so it may change under the same name.
    assert_eq!(res.headers()["cache-control"], "no-cache");
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");

    for path in ["/config.json", "/forms/test-form.json"] {
        let res = get(path).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    }

    // The service worker and the manifest are checked for changes on every visit,
    // so a new version of the app reaches devices that keep it offline.
    for (path, kind) in [("/sw.js", "javascript"), ("/manifest.webmanifest", "manifest+json")] {
        let res = get(path).await.unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.headers()["content-type"].to_str().unwrap().contains(kind), "{path}");
        assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    }

    let res = get("/some/page").await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("<title>Feedback</title>"), "unknown paths get index.html");

    let (s, h, r) = reply(get("/api/missing").await.unwrap()).await;
    assert_refusal(s, &h, &r, 404);
    let (s, _, _) = post(&c, &payload(&id(50), json!({"rating": 1})).to_string()).await;
    assert_eq!(s, 201, "the forms in <static>/forms are used");
}

/// The brotli (quality 11) and gzip (level 9) copies scripts/compress.mjs writes beside a file.
fn write_compressed_copies(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut br = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut br, &params).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).unwrap();
    let gz = gz.finish().unwrap();
    assert!(br.len() < bytes.len() && gz.len() < bytes.len(), "{}: the test's files must compress", path.display());
    std::fs::write(format!("{}.br", path.display()), br).unwrap();
    std::fs::write(format!("{}.gz", path.display()), gz).unwrap();
}

/// `body` decoded as its `Content-Encoding` says (none, `br` or `gzip`).
fn decode(encoding: Option<&str>, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match encoding {
        None => out.extend_from_slice(body),
        Some("br") => {
            brotli::BrotliDecompress(&mut &body[..], &mut out).unwrap();
        }
        Some("gzip") => {
            flate2::read::GzDecoder::new(body).read_to_end(&mut out).unwrap();
        }
        Some(other) => panic!("unexpected Content-Encoding {other}"),
    }
    out
}

#[tokio::test]
async fn sends_compressed_copies_to_browsers_that_take_them_and_keeps_hashed_files_a_year() {
    const IMMUTABLE: &str = "public, max-age=31536000, immutable";
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    for sub in ["forms", "locales", "icons"] {
        std::fs::create_dir_all(dist.join(sub)).unwrap();
    }
    // Files shaped like trunk's (names with a hash of the contents), big enough to compress.
    let words = "<p>Tell us about the support you got. Anonymous, and you can skip any question.</p>\n".repeat(40);
    let page = format!("<!doctype html><title>Feedback</title>{words}");
    let mut wasm = b"\0asm\x01\0\0\0".to_vec();
    wasm.extend((0..4000u32).flat_map(|i| [(i % 7) as u8, (i % 13) as u8, 0x0b]));
    let note = "Anonymous, and you can skip any question. ".repeat(6);
    let config = format!(r#"{{"endpoint": "/api/submissions", "form": "test-form", "about": "{note}"}}"#);
    let locale = format!(r#"{{"start": "Start now", "continue": "Continue", "about": "{note}"}}"#);
    let manifest = format!(r##"{{"name": "Give feedback", "theme_color": "#0b0c0c", "description": "{note}"}}"##);
    let worker = format!("// {note}\nself.addEventListener('fetch', () => {{}});");
    let icon =
        format!(r##"<svg xmlns="http://www.w3.org/2000/svg"><title>{note}</title><rect fill="#0b0c0c"/></svg>"##);
    let form = std::fs::read(Path::new(FORMS).join("test-form.json")).unwrap();
    // (file, contents, Content-Type, Cache-Control)
    let files: [(&str, &[u8], &str, &str); 9] = [
        ("index.html", page.as_bytes(), "text/html", "no-cache"),
        ("feedback-form-0123456789abcdef_bg.wasm", &wasm, "application/wasm", IMMUTABLE),
        ("feedback-form-0123456789abcdef.js", words.as_bytes(), "text/javascript", IMMUTABLE),
        ("config.json", config.as_bytes(), "application/json", "no-cache"),
        ("locales/en.json", locale.as_bytes(), "application/json", "no-cache"),
        ("manifest.webmanifest", manifest.as_bytes(), "application/manifest+json", "no-cache"),
        ("sw.js", worker.as_bytes(), "text/javascript", "no-cache"),
        ("icons/icon.svg", icon.as_bytes(), "image/svg+xml", "public, max-age=86400"),
        ("forms/test-form.json", &form, "application/json", "no-cache"),
    ];
    for (name, bytes, _, _) in &files {
        std::fs::write(dist.join(name), bytes).unwrap();
        write_compressed_copies(&dist.join(name));
    }
    // A file without copies is sent as it is, whatever the browser takes.
    std::fs::write(dist.join("icons/plain.txt"), "no copies of this one").unwrap();
    let dist_arg = dist.to_str().unwrap().to_owned();
    let c = Collector::start_in(dir, &["--static", &dist_arg]);

    // reqwest is built without its gzip and brotli features, so it sends no Accept-Encoding of its
    // own and hands over the bytes as they came.
    let fetch = |path: &str, accept: Option<&str>| {
        let mut req = client().get(c.url(path));
        if let Some(accept) = accept {
            req = req.header("accept-encoding", accept);
        }
        async move {
            let res = req.send().await.unwrap();
            let headers = res.headers().clone();
            (res.status().as_u16(), headers, res.bytes().await.unwrap().to_vec())
        }
    };
    let header = |h: &HeaderMap, name: &str| h.get(name).map(|v| v.to_str().unwrap().to_owned());
    for (name, bytes, kind, cache) in &files {
        let path = format!("/{name}");
        let mut paths = vec![path.clone()];
        if *name == "index.html" {
            paths.extend(["/".to_owned(), "/some/page".to_owned()]); // the page, and the page in place of any address
        }
        for path in &paths {
            for (accept, expected) in [
                (None, None),
                (Some("br"), Some("br")),
                (Some("gzip"), Some("gzip")),
                (Some("gzip, deflate, br, zstd"), Some("br")), // as Chromium asks: brotli is the smaller
                (Some("deflate"), None),
                (Some("br;q=0, gzip"), Some("gzip")),
            ] {
                let (status, h, body) = fetch(path, accept).await;
                let what = format!("{path} with Accept-Encoding {accept:?}");
                assert_eq!(status, 200, "{what}");
                assert!(header(&h, "content-type").unwrap().starts_with(kind), "{what}: {h:?}");
                assert_eq!(header(&h, "cache-control").as_deref(), Some(*cache), "{what}");
                assert_eq!(header(&h, "vary").as_deref(), Some("accept-encoding"), "{what}");
                assert_eq!(header(&h, "content-encoding").as_deref(), expected, "{what}");
                assert_eq!(header(&h, "content-length"), Some(body.len().to_string()), "{what}");
                if expected.is_some() {
                    assert!(body.len() < bytes.len(), "{what}: the copy is sent, not the file");
                }
                assert_eq!(decode(expected, &body), *bytes, "{what}: decodes to exactly the file");
            }
        }
    }

    for accept in [None, Some("br"), Some("gzip")] {
        let (status, h, body) = fetch("/icons/plain.txt", accept).await;
        assert_eq!(status, 200);
        assert!(h.get("content-encoding").is_none(), "{accept:?}");
        assert_eq!(header(&h, "cache-control").as_deref(), Some("no-cache"));
        assert_eq!(body, b"no copies of this one");
    }

    // A hashed name that is not there gets the page, which must never be kept as that file.
    for accept in [None, Some("br")] {
        let (status, h, body) = fetch("/feedback-form-fedcba9876543210_bg.wasm", accept).await;
        assert_eq!(status, 200);
        assert!(header(&h, "content-type").unwrap().starts_with("text/html"));
        assert_eq!(header(&h, "cache-control").as_deref(), Some("no-cache"), "{accept:?}");
        assert_eq!(decode(header(&h, "content-encoding").as_deref(), &body), page.as_bytes());
    }
    // Nor when the browser asks whether its copy of that address changed, and it did not.
    let (_, h, _) = fetch("/feedback-form-fedcba9876543210_bg.wasm", None).await;
    let res = client()
        .get(c.url("/feedback-form-fedcba9876543210_bg.wasm"))
        .header("if-modified-since", header(&h, "last-modified").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["cache-control"], "no-cache");
    // A hashed file that is there, asked the same way, stays kept for a year.
    let (_, h, _) = fetch("/feedback-form-0123456789abcdef_bg.wasm", Some("br")).await;
    let res = client()
        .get(c.url("/feedback-form-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "br")
        .header("if-none-match", header(&h, "etag").unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["cache-control"], IMMUTABLE);

    // config.json and the page edited on the server after the build, without a rebuild (README):
    // their copies are now older than they are, so the files themselves are sent, as edited.
    for (name, path) in [("config.json", "/config.json"), ("index.html", "/"), ("index.html", "/some/page")] {
        let file = dist.join(name);
        let edited = format!("{}<!-- edited -->", std::fs::read_to_string(&file).unwrap());
        std::fs::write(&file, &edited).unwrap();
        let copy_time = std::fs::metadata(format!("{}.br", file.display())).unwrap().modified().unwrap();
        let later = copy_time + Duration::from_secs(2);
        std::fs::File::options().write(true).open(&file).unwrap().set_modified(later).unwrap();
        for accept in [None, Some("br"), Some("gzip"), Some("gzip, deflate, br, zstd")] {
            let (status, h, body) = fetch(path, accept).await;
            assert_eq!(status, 200);
            assert!(h.get("content-encoding").is_none(), "{path} with {accept:?}: the stale copy is not sent");
            assert_eq!(header(&h, "cache-control").as_deref(), Some("no-cache"));
            assert_eq!(String::from_utf8(body).unwrap(), edited, "{path} with {accept:?}");
        }
    }
    // The script's copies were not touched, so they are still sent.
    let (_, h, body) = fetch("/feedback-form-0123456789abcdef.js", Some("br")).await;
    assert_eq!(decode(header(&h, "content-encoding").as_deref(), &body), words.as_bytes());
    assert_eq!(header(&h, "content-encoding").as_deref(), Some("br"));
    // Whoever starts the server on those files is told which copies are not sent, and what to do.
    let again = Collector::start_in(tempfile::tempdir().unwrap(), &["--static", &dist_arg]);
    let log = again.log_when("compressed copies are older");
    assert!(log.contains("4 compressed copies are older than their files"), "{log}");
    assert!(log.contains("config.json.br") && log.contains("index.html.gz") && log.contains("compress.mjs"), "{log}");
    assert!(!log.contains(".js.br"), "{log}");

    let (s, h, r) =
        reply(client().get(c.url("/api/missing")).header("accept-encoding", "br").send().await.unwrap()).await;
    assert_refusal(s, &h, &r, 404);
    assert_eq!(h["cache-control"], "no-store");
}

// ---------------------------------------------------------------- start-up

#[test]
fn a_broken_form_file_stops_start_up_with_its_problems() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("forms");
    std::fs::create_dir(&forms).unwrap();
    std::fs::copy(Path::new(FORMS).join("test-form.json"), forms.join("test-form.json")).unwrap();
    std::fs::write(
        forms.join("broken.json"),
        r#"{"id": "broken", "version": "1", "title": "T", "pages": [{"id": "p", "questions": [{"id": "a", "label": "A", "kind": "slider"}]}]}"#,
    )
    .unwrap();
    let db = dir.path().join("never.sqlite");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--db"]).arg(&db).arg("--forms").arg(&forms);
    let out = run_bounded(cmd);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json") && err.contains("unknown kind “slider”"), "{err}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("Listening"));
    assert!(!db.exists(), "no database is made when the forms are broken");

    std::fs::write(forms.join("broken.json"), "{ not json").unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--db"]).arg(&db).arg("--forms").arg(&forms);
    let out = run_bounded(cmd);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not valid JSON"));

    // Invalid UTF-16 escaped into the JSON (a lone surrogate, issue 14's hostile strings): refused with the
    // file and the place named, not taken as text that is not text.
    let form = std::fs::read_to_string(Path::new(FORMS).join("test-form.json")).unwrap();
    let lone = form.replacen("\"A form for the collector's tests\"", "\"lone \\ud800\"", 1);
    assert_ne!(lone, form, "the test form has a title to spoil");
    std::fs::write(forms.join("broken.json"), lone).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--db"]).arg(&db).arg("--forms").arg(&forms);
    let out = run_bounded(cmd);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("broken.json") && err.contains("not valid JSON: unexpected end of hex escape at line 4"),
        "{err}"
    );
}

// ---------------------------------------------------------------- embedding in partners' websites

/// config.json for the test form, with `embed` when given.
fn config_json(embed: Option<Value>) -> String {
    let mut config = json!({"endpoint": "/api/submissions", "form": "test-form", "organisation": {"name": "Test"}});
    if let Some(embed) = embed {
        config["embed"] = embed;
    }
    config.to_string()
}

/// A built app's folder (a page, a file, the test form and `config_json(embed)`) and the path to it.
fn app_folder(embed: Option<Value>) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(dist.join("forms")).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Feedback</title>").unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
    std::fs::copy(Path::new(FORMS).join("test-form.json"), dist.join("forms/test-form.json")).unwrap();
    std::fs::write(dist.join("config.json"), config_json(embed)).unwrap();
    (dir, dist)
}

/// Edits a file while the server runs, as a person would, and moves its modification time on by a second
/// from the last, so the edit is seen even where the file system's clock is coarse and the length the same.
fn edit(path: &Path, text: &str) {
    let before = std::fs::metadata(path).and_then(|m| m.modified()).ok();
    std::fs::write(path, text).unwrap();
    if let Some(before) = before {
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(before + Duration::from_secs(1)).unwrap();
    }
}

/// The `frame-ancestors` of the `Content-Security-Policy` of the page, a static file, the API (a reply, a
/// refusal and an unknown address), the whole policy checked to be the same on each.
async fn frame_policy(c: &Collector) -> String {
    let replies = [
        client().get(c.url("/")).send().await.unwrap(),
        client().get(c.url("/sw.js")).send().await.unwrap(),
        client().get(c.url("/api/health")).send().await.unwrap(),
        client().get(c.url("/api/missing")).send().await.unwrap(),
        client()
            .post(c.url("/api/submissions"))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap(),
    ];
    let policies: Vec<String> = replies
        .iter()
        .map(|r| {
            let policy = r.headers().get("content-security-policy");
            policy.unwrap_or_else(|| panic!("{} has no policy", r.url())).to_str().unwrap().to_owned()
        })
        .collect();
    assert!(policies.iter().all(|p| p == &policies[0]), "{policies:?}");
    frame_ancestors(&policies[0]).to_owned()
}

/// The policy's `frame-ancestors` directive (the rest is the page's policy: `security_headers` below).
fn frame_ancestors(policy: &str) -> &str {
    policy.split("; ").find(|d| d.starts_with("frame-ancestors")).unwrap_or_else(|| panic!("{policy}"))
}

#[tokio::test]
async fn only_this_site_and_config_jsons_allowed_origins_may_frame_the_form_as_it_is_edited() {
    // With no app's folder there is no config.json: only this site.
    let api = Collector::start(&[]);
    let res = client().get(api.url("/api/health")).send().await.unwrap();
    assert_eq!(frame_ancestors(res.headers()["content-security-policy"].to_str().unwrap()), "frame-ancestors 'self'");

    let (dir, dist) = app_folder(None);
    let config = dist.join("config.json");
    let c = Collector::start_in(dir, &["--static", dist.to_str().unwrap()]);
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self'", "none listed: only this site");

    let two = json!({"allowed_origins": ["https://hostel-a.example", "http://localhost:8080"]});
    edit(&config, &config_json(Some(two)));
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self' https://hostel-a.example http://localhost:8080");
    // The same length, another origin: seen by the file's modification time.
    let other = json!({"allowed_origins": ["https://hostel-b.example", "http://localhost:8080"]});
    edit(&config, &config_json(Some(other)));
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self' https://hostel-b.example http://localhost:8080");

    // Broken, or an origin that is not one: only this site, the collector answers on, and it says so once.
    edit(&config, "{ not json");
    for _ in 0..3 {
        assert_eq!(frame_policy(&c).await, "frame-ancestors 'self'");
    }
    let log = c.log_when("config.json is broken");
    assert_eq!(log.matches("config.json is broken").count(), 1, "{log}");
    assert!(log.contains("config.json: key must be a string at line 1 column 3"), "the reason is given: {log}");
    edit(
        &config,
        &config_json(Some(json!({"allowed_origins": ["https://hostel-a.example", "https://*.hostel-a.example"]}))),
    );
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self'");
    let log = c.log_when("“https://*.hostel-a.example” must not hold a user name or a wildcard (*)");
    assert!(log.contains("config.json has mistakes in embed, so only this site may show the form"), "{log}");
    std::fs::remove_file(&config).unwrap();
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self'");
    assert!(c.log_when("config.json could not be read").contains("config.json could not be read"));

    std::fs::write(&config, config_json(Some(json!({"allowed_origins": ["https://hostel-a.example"]})))).unwrap();
    assert_eq!(frame_policy(&c).await, "frame-ancestors 'self' https://hostel-a.example");
    let log = c.log();
    assert_eq!(log.lines().filter(|l| l.contains("config.json")).count(), 3, "each problem is logged once: {log}");
}

#[tokio::test]
async fn a_listed_source_is_stored_and_exported_and_any_other_is_refused() {
    for db in databases("a_listed_source_is_stored_and_exported_and_any_other_is_refused") {
        let (dir, dist) = app_folder(Some(json!({"sources": ["hostel-a", "drop-in"]})));
        let config = dist.join("config.json");
        let c = Collector::start_with(dir, &db, &["--static", dist.to_str().unwrap()]);
        let with_source = |n: u8, answers: Value, source: &str| {
            let mut p = payload(&id(n), answers);
            p["source"] = json!(source);
            p
        };

        let listed = with_source(70, json!({"rating": 3}), "hostel-a");
        let (s, _, r) = post(&c, &listed.to_string()).await;
        assert_eq!(s, 201, "{r}");
        let unlisted = with_source(71, json!({}), "hostel-b");
        let (s, h, r) = post(&c, &unlisted.to_string()).await;
        assert_eq!(assert_refusal(s, &h, &r, 422), ["source “hostel-b” is not one of config.json's embed.sources"]);
        let misshapen = with_source(72, json!({}), "Hostel A");
        let (s, h, r) = post(&c, &misshapen.to_string()).await;
        assert_eq!(
        assert_refusal(s, &h, &r, 422),
        ["source must be a partner's label: 1 to 40 characters of a-z, 0-9, - and _, starting with a letter or digit"]
    );
        // Every problem at once.
        let both = with_source(73, json!({"nope": 1}), "hostel-b");
        let (s, h, r) = post(&c, &both.to_string()).await;
        assert_eq!(
            assert_refusal(s, &h, &r, 422),
            ["there is no question “nope” in this form", "source “hostel-b” is not one of config.json's embed.sources"]
        );
        // Nothing else about the host page has a place in the payload.
        let mut host = payload(&id(74), json!({}));
        host["referrer"] = json!("https://hostel-a.example/feedback?x=1");
        assert_eq!(post(&c, &host.to_string()).await.0, 400);

        // A partner added while the server runs is taken at once (the refused answers, sent again, are stored).
        edit(&config, &config_json(Some(json!({"sources": ["hostel-a", "drop-in", "hostel-b"]}))));
        let (s, _, r) = post(&c, &unlisted.to_string()).await;
        assert_eq!(s, 201, "{r}");
        // A config.json that cannot be read refuses no label: no one's answers are lost to a mistake in a file.
        edit(&config, "{");
        let unknown = with_source(75, json!({}), "hostel-z");
        let (s, _, r) = post(&c, &unknown.to_string()).await;
        assert_eq!(s, 201, "{r}");
        assert_eq!(
            c.rows(),
            [(id(70), listed.to_string()), (id(71), unlisted.to_string()), (id(75), unknown.to_string())],
            "each stored exactly as sent"
        );

        let out = c.export(&["--format", "jsonl"]);
        let lines: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(String::from).collect();
        assert_eq!(lines, [listed.to_string(), unlisted.to_string(), unknown.to_string()]);
        let out = c.export(&["--format", "csv", "--forms", FORMS]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = String::from_utf8(out.stdout).unwrap();
        let mut table = csv.split("\r\n");
        assert!(table.next().unwrap().contains(",language,shared_device,session,facilitator,source,ways,rating,"));
        let sources: Vec<&str> = table
            .filter(|l| !l.is_empty())
            .map(|l| l.split_once(",en,").unwrap().1.split(',').nth(3).unwrap())
            .collect();
        assert_eq!(sources, ["hostel-a", "hostel-b", "hostel-z"]);
    }
}

// ---------------------------------------------------------------- proof of work

/// The first stamp with `bits` zero bits for `id`, counting from 0, as the app does.
fn stamp_for(id: &str, bits: u8) -> u64 {
    (0..1u64 << 30).find(|&n| collector::abuse::stamp_ok(id, Some(n), bits)).unwrap()
}

#[tokio::test]
async fn a_submission_without_enough_proof_of_work_is_asked_for_more_and_nothing_is_stored() {
    for db in databases("a_submission_without_enough_proof_of_work_is_asked_for_more_and_nothing_is_stored") {
        // The default: the app's 12 bits, and no test setting.
        let c = Collector::start_on(&db, &["--stamp-bits", &feedback_model::stamp::DEFAULT_STAMP_BITS.to_string()]);
        let plain = payload(&id(90), json!({}));
        let (status, headers, body) = post(&c, &plain.to_string()).await;
        let problems = assert_refusal(status, &headers, &body, 428);
        assert_eq!(body["stamp_bits"], 12, "the bits wanted, for the app's outbox: {body}");
        assert!(problems[0].contains("begin with 12 zero bits"), "{problems:?}");
        assert!(headers.get("retry-after").is_none(), "not a wait: a stamp is what is wanted");

        // A stamp made for another id, or with too few bits, is no proof for this one.
        let weak = (0..).find(|&n| {
            collector::abuse::stamp_ok(&id(90), Some(n), 4) && !collector::abuse::stamp_ok(&id(90), Some(n), 12)
        });
        for stamp in [stamp_for(&id(91), 12), weak.unwrap(), feedback_model::stamp::MAX_STAMP + 1] {
            let mut p = plain.clone();
            p["stamp"] = json!(stamp);
            let (status, _, body) = post(&c, &p.to_string()).await;
            assert_eq!(status, 428, "{stamp}: {body}");
        }
        let mut p = plain.clone();
        p["stamp"] = json!("610");
        assert_eq!(post(&c, &p.to_string()).await.0, 400, "a stamp is a number");
        assert!(c.rows().is_empty(), "nothing stored without the proof of work");

        // With it: stored once; the same body again is the duplicate it is.
        let mut stamped = plain.clone();
        stamped["stamp"] = json!(stamp_for(&id(90), 12));
        let (status, _, body) = post(&c, &stamped.to_string()).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!(post(&c, &stamped.to_string()).await.0, 200);
        assert_eq!(c.rows(), [(id(90), stamped.to_string())], "stored as received, stamp and all");
        let log = c.log_when("428");
        assert!(log.contains("refused a submission: 428 (no proof of work, or too little)"), "{log}");
    }
}

#[tokio::test]
async fn the_bits_asked_are_the_collectors_setting_and_zero_asks_for_none() {
    let c = Collector::start(&["--stamp-bits", "16"]);
    let plain = payload(&id(92), json!({}));
    let mut weak = plain.clone();
    weak["stamp"] = json!(stamp_for(&id(92), 12));
    let stronger = stamp_for(&id(92), 16);
    if collector::abuse::stamp_ok(&id(92), weak["stamp"].as_u64(), 16) {
        panic!("the test's 12-bit stamp happens to have 16 bits; pick another id");
    }
    let (status, _, body) = post(&c, &weak.to_string()).await;
    assert_eq!((status, body["stamp_bits"].as_u64()), (428, Some(16)));
    weak["stamp"] = json!(stronger);
    assert_eq!(post(&c, &weak.to_string()).await.0, 201);

    let off = Collector::start(&["--stamp-bits", "0"]);
    assert_eq!(post(&off, &plain.to_string()).await.0, 201, "0 turns the proof of work off");

    let mut cmd = Command::new(BIN);
    let dir = tempfile::tempdir().unwrap();
    cmd.args(["serve", "--addr", "127.0.0.1:0", "--forms", FORMS, "--stamp-bits", "21", "--db"])
        .arg(dir.path().join("db"));
    let out = run_bounded(cmd);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--stamp-bits 21 is more work than a cheap phone can do: give 0 (no proof of work) to 20"),
        "{err}"
    );
}

// ---------------------------------------------------------------- the payload's schema

#[test]
fn the_json_schema_matches_the_submission_type() {
    let whole: Value = serde_json::from_str(&std::fs::read_to_string(SCHEMA).unwrap()).unwrap();
    assert_eq!(whole["$schema"], "https://json-schema.org/draft/2020-12/schema");
    // Two shapes, one of which a payload must be: the answers in clear, or sealed (docs/encryption.md).
    assert_eq!(whole["oneOf"], json!([{"$ref": "#/$defs/plain"}, {"$ref": "#/$defs/encrypted"}]));
    let schema = &whole["$defs"]["plain"];
    assert_eq!(schema["additionalProperties"], false);

    // The fields of a real Submission, in the order serde writes them: without a context
    // (a person's own device), and with every optional field of one.
    let form = Form::parse(&std::fs::read_to_string(SHIPPED_FORM).unwrap()).unwrap();
    let real = Submission::new(&form, &Default::default(), &id(60), "2026-11-23T10:00:00.000Z", "en");
    let keys = |v: &Value| -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    let strings = |v: &Value| -> Vec<String> {
        let mut s: Vec<String> = v.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
        s.sort();
        s
    };
    let fields = keys(&serde_json::to_value(&real).unwrap());
    assert_eq!(strings(&schema["required"]), fields, "required lists every Submission field that is always there");
    let full_context = Context { shared_device: true, session: Some("s".into()), facilitator: Some("f".into()) };
    let with_context = serde_json::to_value(real.clone().with_context(Some(full_context.clone()))).unwrap();
    assert_eq!(keys(&with_context).len(), fields.len() + 1);
    let everything =
        Submission { source: Some("hostel-a".into()), stamp: Some(7), ..real.clone().with_context(Some(full_context)) };
    let all_fields = keys(&serde_json::to_value(&everything).unwrap());
    assert_eq!(all_fields.len(), fields.len() + 3);
    assert_eq!(keys(&schema["properties"]), all_fields, "properties are exactly the Submission fields");
    assert_eq!(schema["properties"]["schema_version"]["const"], feedback_model::SCHEMA_VERSION);
    for field in &all_fields {
        assert!(schema["properties"][field]["description"].is_string(), "{field} has a description");
    }

    // The context: the same fields as the model's, the same limits, only shared_device required.
    let context = &schema["properties"]["context"];
    assert_eq!(context["additionalProperties"], false);
    assert_eq!(strings(&context["required"]), ["shared_device"]);
    assert_eq!(keys(&context["properties"]), keys(&with_context["context"]));
    assert_eq!(context["properties"]["shared_device"]["const"], true);
    assert_eq!(context["properties"]["session"]["maxLength"], SESSION_MAX_CHARS);
    assert_eq!(context["properties"]["facilitator"]["maxLength"], FACILITATOR_MAX_CHARS);
    for field in keys(&context["properties"]) {
        assert!(context["properties"][&field]["description"].is_string(), "context.{field} has a description");
    }

    // The source: a label, with the model's limit.
    let source = &schema["properties"]["source"];
    assert_eq!(source["type"], "string");
    assert_eq!(source["maxLength"], SOURCE_MAX_CHARS);
    assert_eq!(source["pattern"], format!("^[a-z0-9][a-z0-9_-]{{0,{}}}$", SOURCE_MAX_CHARS - 1));

    // The stamp: a whole number JavaScript reads exactly, the model's limit.
    let stamp = &schema["properties"]["stamp"];
    assert_eq!(stamp["type"], "integer");
    assert_eq!(stamp["minimum"], 0);
    assert_eq!(stamp["maximum"], feedback_model::stamp::MAX_STAMP);

    // The encrypted shape: exactly the Envelope's fields, the clear ones described as the plain payload's, the
    // sealed part's fields and limits as the model's.
    let sealed = &whole["$defs"]["encrypted"];
    assert_eq!(sealed["additionalProperties"], false);
    let envelope = feedback_model::Envelope {
        schema_version: 1,
        submission_id: id(61),
        form_id: "remote-support".into(),
        form_version: "1".into(),
        sent_at: "2026-11-23T10:00:00Z".into(),
        encrypted: feedback_model::EncryptedPart { key_id: "k".into(), enc: "B".into(), ciphertext: "A".into() },
        stamp: None,
    };
    let envelope_fields = keys(&serde_json::to_value(&envelope).unwrap());
    assert_eq!(strings(&sealed["required"]), envelope_fields, "required: every Envelope field always there");
    let stamped = serde_json::to_value(feedback_model::Envelope { stamp: Some(7), ..envelope.clone() }).unwrap();
    assert_eq!(keys(&sealed["properties"]), keys(&stamped), "properties are exactly the Envelope fields");
    for field in ["schema_version", "submission_id", "form_id", "form_version", "sent_at", "stamp"] {
        assert_eq!(sealed["properties"][field], schema["properties"][field], "{field} as in a plain payload");
    }
    let part = &sealed["properties"]["encrypted"];
    assert_eq!(part["additionalProperties"], false);
    assert_eq!(strings(&part["required"]), keys(&serde_json::to_value(&envelope.encrypted).unwrap()));
    assert_eq!(keys(&part["properties"]), strings(&part["required"]));
    for field in keys(&part["properties"]) {
        assert!(part["properties"][&field]["description"].is_string(), "encrypted.{field} has a description");
    }
    assert_eq!(part["properties"]["key_id"]["pattern"], "^[a-z0-9][a-z0-9_-]{0,63}$");
    // 65 bytes are 87 characters of base64url without padding, and 0x04 first makes the first one B.
    assert_eq!(
        part["properties"]["enc"]["pattern"],
        format!("^B[A-Za-z0-9_-]{{{}}}$", (feedback_model::ENC_BYTES * 4).div_ceil(3) - 1)
    );
    assert_eq!(part["properties"]["ciphertext"]["minLength"], (feedback_model::MIN_CIPHERTEXT_BYTES * 4).div_ceil(3));
    assert!(sealed["description"].as_str().unwrap().contains("feedback-form submission v1"));

    // Every example is a payload the model takes for the shipped form; one has a context, one a source,
    // one a stamp that is a proof of work of the collector's default bits; one is sealed, and opens (with the
    // test key it was made with) to a payload the model takes, whose clear fields are its envelope's.
    let examples = whole["examples"].as_array().unwrap();
    assert!(!examples.is_empty());
    let (mut contexts, mut sources, mut stamps, mut envelopes) = (0, 0, 0, 0);
    let example_key = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/schema-example.private");
    let example_key = collector::crypt::PrivateKey::read(Path::new(example_key)).unwrap();
    for example in examples {
        if feedback_model::is_envelope(&example.to_string()) {
            envelopes += 1;
            let e: feedback_model::Envelope = serde_json::from_value(example.clone()).unwrap();
            assert_eq!(e.problems(), Vec::<String>::new());
            let opened = collector::crypt::open(std::slice::from_ref(&example_key), &e).unwrap();
            assert_eq!(opened.submission.problems(Some(&form)), Vec::<String>::new());
            continue;
        }
        let s: Submission = serde_json::from_value(example.clone()).unwrap();
        assert_eq!(s.problems(Some(&form)), Vec::<String>::new());
        contexts += usize::from(s.context.is_some());
        sources += usize::from(s.source.is_some());
        if s.stamp.is_some() {
            stamps += 1;
            assert!(collector::abuse::stamp_ok(&s.submission_id, s.stamp, feedback_model::stamp::DEFAULT_STAMP_BITS));
        }
    }
    assert_eq!(stamps, 1, "one example shows a stamp");
    assert_eq!(contexts, 1, "one example shows a context");
    assert_eq!(sources, 1, "one example shows a source");
    assert_eq!(envelopes, 1, "one example is sealed");
}

// ---------------------------------------------------------------- the page's policy and security headers

#[tokio::test]
async fn security_headers_and_a_policy_that_follows_the_page_and_the_endpoint() {
    let (dir, dist) = app_folder(None);
    let page = |script: &str| {
        format!(
            "<!doctype html><html><head><meta charset=utf-8><style>p{{color:red}}</style><script type=module>{script}</script>\
             </head><body><script type=\"application/json\" id=\"boot-config\">{{}}</script></body></html>"
        )
    };
    std::fs::write(dist.join("index.html"), page("go()")).unwrap();
    let c = Collector::start_in(dir, &["--static", dist.to_str().unwrap(), "--hsts"]);
    let res = client().get(c.url("/sw.js")).send().await.unwrap();
    let h = res.headers();
    let policy = h["content-security-policy"].to_str().unwrap().to_owned();
    // `echo -n 'go()' | openssl dgst -sha256 -binary | base64`; likewise `p{color:red}`.
    assert_eq!(
        policy,
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='; \
         style-src 'self' 'sha256-p0bF+un5yUb9MBO6xRb8kPHlY2BdpHVtLiFkDrZPF64='; img-src 'self' data:; connect-src 'self'; \
         manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert!(h["permissions-policy"].to_str().unwrap().contains("camera=()"));
    assert_eq!(h["cross-origin-opener-policy"], "same-origin");
    assert_eq!(h["cross-origin-resource-policy"], "same-origin");
    assert_eq!(h["strict-transport-security"], "max-age=31536000; includeSubDomains");

    // A new build (its loader changed) and an endpoint on another site: the policy follows, with no restart.
    edit(&dist.join("index.html"), &page("go(1)"));
    let mut config: Value = serde_json::from_str(&config_json(None)).unwrap();
    config["endpoint"] = json!("https://answers.example.org:8443/api/submissions");
    edit(&dist.join("config.json"), &config.to_string());
    let policy = client().get(c.url("/api/health")).send().await.unwrap().headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!policy.contains("5KYv+PUboo5h"), "the old loader's hash is gone: {policy}");
    assert!(policy.contains("connect-src 'self' https://answers.example.org:8443;"), "{policy}");

    // Without --hsts (plain http), no Strict-Transport-Security.
    let (dir, dist) = app_folder(None);
    let c = Collector::start_in(dir, &["--static", dist.to_str().unwrap()]);
    let res = client().get(c.url("/")).send().await.unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
}
