//! What several of the collector's test files share: the real binary served on a free port ([`Serve`]) or run to
//! its end ([`run_bounded`]), bounded in time, and the databases a storage test runs on ([`databases`]).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// The collector's binary, as cargo built it for these tests.
#[allow(dead_code)]
pub const BIN: &str = env!("CARGO_BIN_EXE_collector");
/// The test forms the collector serves (`test-form` among them).
#[allow(dead_code)]
pub const FORMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/forms");

mod payload;
#[allow(unused_imports)]
pub use payload::payload;

/// The `n`th submission of a run, `number n` its comment, with an id of its own (`fill` tells runs apart):
/// (id, JSON).
#[allow(dead_code)]
pub fn numbered(n: usize, fill: u8) -> (String, String) {
    let mut bytes = [fill; 16];
    bytes[..8].copy_from_slice(&(n as u64).to_be_bytes());
    let id = feedback_model::uuid_v4_from_bytes(bytes);
    let body = payload(&id, serde_json::json!({"comment": format!("number {n}")})).to_string();
    (id, body)
}

/// The longest a command of the tests may take.
pub const LIMIT: Duration = Duration::from_secs(20);

/// Runs a command to its end, failing the test if it takes longer than [`LIMIT`].
#[allow(dead_code)] // each test file uses what it needs of this module
pub fn run_bounded(cmd: Command) -> Output {
    run_within(cmd, LIMIT)
}

/// Runs a command to its end, failing the test if it takes longer than `limit`.
#[allow(dead_code)]
pub fn run_within(mut cmd: Command, limit: Duration) -> Output {
    let child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    wait_within(child, limit)
}

/// Waits for a child started with piped stdout and stderr, failing the test if it takes longer than [`LIMIT`].
#[allow(dead_code)]
pub fn wait_bounded(child: Child) -> Output {
    wait_within(child, LIMIT)
}

fn wait_within(mut child: Child, limit: Duration) -> Output {
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = out.read_to_end(&mut b);
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = err.read_to_end(&mut b);
        b
    });
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the command did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output { status, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

/// A running `collector serve`, killed (SIGKILL) and reaped when dropped, so a failing test never leaves one
/// running. Its standard error is kept for failure messages ([`Serve::log`]).
#[allow(dead_code)]
pub struct Serve {
    pub child: Child,
    pub addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

#[allow(dead_code)]
impl Serve {
    /// Starts `collector serve --db DB --addr 127.0.0.1:0 ARGS` and waits, at most [`LIMIT`], for its start line
    /// (`Listening on http://ADDR (database DB)`), which names the port. Posted to by hand, these tests send no
    /// proof of work, so `--stamp-bits 0` is added unless `args` name `--stamp-bits`.
    pub fn start(db: impl AsRef<OsStr>, args: &[&str]) -> Serve {
        let db = db.as_ref();
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg("--db")
            .arg(db)
            .args(["--addr", "127.0.0.1:0"])
            .args(if args.contains(&"--stamp-bits") { &[][..] } else { &["--stamp-bits", "0"][..] })
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the collector binary runs");
        let log = Arc::new(Mutex::new(String::new()));
        let (stderr, sink) = (child.stderr.take().unwrap(), Arc::clone(&log));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap_or_else(|p| p.into_inner());
                log.push_str(&line);
                log.push('\n');
            }
        });
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve { child, addr: SocketAddr::from(([127, 0, 0, 1], 0)), log };
        let Ok(line) = rx.recv_timeout(LIMIT) else {
            panic!("no start line within {LIMIT:?}; log: {}", serve.log());
        };
        let end = format!(" (database {})", db.to_string_lossy());
        let addr = line.strip_prefix("Listening on http://").and_then(|l| l.strip_suffix(&end));
        serve.addr = addr.and_then(|a| a.parse().ok()).unwrap_or_else(|| panic!("not a start line: {line}"));
        serve
    }

    /// `http://ADDR{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// What the collector has written to its standard error so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The log once it contains `needle` (or after [`LIMIT`]): the collector writes a line before it answers, but
    /// this side reads its output on another thread, which may lag.
    pub fn log_when(&self, needle: &str) -> String {
        let deadline = Instant::now() + LIMIT;
        while !self.log().contains(needle) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.log()
    }

    /// SIGKILL (what `Child::kill` sends on Unix), then reap it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Where a test's collector keeps its submissions.
#[derive(Clone, Debug)]
#[allow(dead_code)] // each test file uses what it needs of this module
pub enum Db {
    /// A SQLite file in the test's temporary folder.
    Sqlite,
    /// A PostgreSQL database of the test's own, made for it on the server COLLECTOR_TEST_POSTGRES names.
    Postgres(String),
}

/// The databases a storage test runs on, one after the other: SQLite, and PostgreSQL (a new database for this
/// test) when the variable COLLECTOR_TEST_POSTGRES gives a server's URL, like
/// `postgres://postgres@127.0.0.1:5432/postgres` (scripts/test.sh starts one and sets it, through
/// scripts/postgres.sh). Without it the PostgreSQL half is skipped, and says so.
#[allow(dead_code)]
pub fn databases(test: &str) -> Vec<Db> {
    match fresh_postgres() {
        Some(url) => vec![Db::Sqlite, Db::Postgres(url)],
        None => {
            eprintln!("{test}: PostgreSQL skipped: COLLECTOR_TEST_POSTGRES is not set (scripts/test.sh sets it)");
            vec![Db::Sqlite]
        }
    }
}

/// A new, empty PostgreSQL database on the test server, or `None` when there is no test server.
#[allow(dead_code)]
pub fn fresh_postgres() -> Option<String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    // PostgreSQL copies template1 for each new database and refuses while another copy is being made.
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let server = std::env::var("COLLECTOR_TEST_POSTGRES").ok().filter(|v| !v.is_empty())?;
    let (base, _) = server.rsplit_once('/').expect("COLLECTOR_TEST_POSTGRES is postgres://user@host:port/dbname");
    let name = format!("t_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    pg_query(&server, &format!("CREATE DATABASE {name}"));
    Some(format!("{base}/{name}"))
}

/// Runs `sql` (one or more statements) on the PostgreSQL database at `url`, on a thread and runtime of its own
/// (so it can be called from async tests too), bounded by [`LIMIT`]; returns the rows as text.
#[allow(dead_code)]
pub fn pg_query(url: &str, sql: &str) -> Vec<Vec<Option<String>>> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    let run = move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let connect = tokio_postgres::connect(&url, tokio_postgres::NoTls);
            let (client, connection) = tokio::time::timeout(LIMIT, connect).await.expect("connected in time").unwrap();
            tokio::spawn(connection);
            let messages = tokio::time::timeout(LIMIT, client.simple_query(&sql)).await.expect("answered in time");
            let messages = messages.unwrap_or_else(|e| panic!("{sql}: {e:?}"));
            messages
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(r) => {
                        Some((0..r.len()).map(|i| r.get(i).map(str::to_owned)).collect())
                    }
                    _ => None,
                })
                .collect()
        })
    };
    std::thread::spawn(run).join().unwrap_or_else(|e| std::panic::resume_unwind(e))
}

/// (submission_id, payload) of every row of a PostgreSQL database, in the order received.
#[allow(dead_code)]
pub fn pg_rows(url: &str) -> Vec<(String, String)> {
    pg_query(url, "SELECT submission_id, payload FROM submissions ORDER BY seq")
        .into_iter()
        .map(|r| (r[0].clone().unwrap(), r[1].clone().unwrap()))
        .collect()
}
