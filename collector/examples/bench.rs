//! Load generator for the collector: how many submissions a second it accepts, and
//! how long each takes, at 1, 16 and 64 clients sending at once over loopback.
//!
//!     cargo build --profile server -p collector
//!     cargo run --release -p collector --example bench
//!
//! (`scripts/bench.sh` does both.) The server is the built `collector` binary in its
//! own process, on a fresh database in a temporary folder, with the test form. Each
//! client has its own connection and sends one valid, new submission after another;
//! only 201 "stored" counts as accepted. At the end the database's row count must
//! equal the number accepted.
//!
//! With `--postgres URL` (a server's URL; `scripts/bench.sh` passes the throwaway one of `scripts/postgres.sh`), the
//! database is a fresh PostgreSQL database made in that server instead, and `--collectors 2` starts two collectors
//! on it, the clients taking turns between them (as behind a reverse proxy); the row count is checked the same way.
//!
//! Beside each rate it prints the disk's own limit for one flush per submission,
//! measured in the same run: how many times a second a 4 KiB write can be appended
//! and flushed (`File::sync_data`, `fdatasync` on Linux) in the database's folder,
//! before the levels and again after them. The ratio is to the faster of the two.

use clap::Parser;
use std::fs::File;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

mod common;
use common::{collector_bin, http_client, next_submission, percentile_ms, start, temp_dir};

/// Measures the collector's accepted submissions per second and its latency.
#[derive(Parser)]
struct Args {
    /// The collector binary [default: `collector` beside this example's folder, e.g. target/release/collector; scripts/bench.sh passes target/server/collector].
    #[arg(long)]
    bin: Option<PathBuf>,
    /// Seconds of sending at each level.
    #[arg(long, default_value_t = 3.0)]
    seconds: f64,
    /// Seconds of warm-up (16 clients) before the first level; not reported.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Clients sending at once, one level each.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 16, 64])]
    clients: Vec<usize>,
    /// Where the temporary database folder is made [default: the system's temporary folder].
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Seconds of measuring the disk's flush rate, before the levels and again after.
    #[arg(long, default_value_t = 2.0)]
    sync_seconds: f64,
    /// A PostgreSQL server's URL (postgres://user@host:port/db): the bench makes a fresh database in it and
    /// stores there instead of in SQLite.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Collector processes on the one database, the clients taking turns between them (PostgreSQL only beyond 1).
    #[arg(long, default_value_t = 1)]
    collectors: usize,
}

/// What one level measured.
struct Level {
    clients: usize,
    accepted: u64,
    refused: u64,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Level {
    /// The nearest-rank percentile, in milliseconds.
    fn percentile_ms(&self, p: f64) -> f64 {
        percentile_ms(&self.latencies, p)
    }
}

/// `clients` clients, each on its own connection to one of the collectors at `addrs` (in turn), sending until
/// `seconds` have passed.
async fn run_level(addrs: &[SocketAddr], clients: usize, seconds: f64, salt: u64) -> Level {
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..clients {
        let url = format!("http://{}/api/submissions", addrs[i % addrs.len()]);
        tasks.spawn(async move {
            let client = http_client();
            let (mut accepted, mut refused, mut latencies) = (0u64, 0u64, Vec::new());
            while Instant::now() < deadline {
                let (id, body) = next_submission(salt);
                let sent = Instant::now();
                let res = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("idempotency-key", &id)
                    .body(body)
                    .send()
                    .await;
                let status = match res {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        // The whole reply, so the time is until it has arrived.
                        match res.bytes().await {
                            Ok(_) => status,
                            Err(_) => 0,
                        }
                    }
                    Err(_) => 0,
                };
                if status == 201 {
                    latencies.push(sent.elapsed());
                    accepted += 1;
                } else {
                    refused += 1;
                }
            }
            (accepted, refused, latencies)
        });
    }
    let mut level = Level { clients, accepted: 0, refused: 0, elapsed: Duration::ZERO, latencies: Vec::new() };
    while let Some(done) = tasks.join_next().await {
        let (accepted, refused, latencies) = done.expect("a client task");
        level.accepted += accepted;
        level.refused += refused;
        level.latencies.extend(latencies);
    }
    level.elapsed = start.elapsed();
    level.latencies.sort();
    level
}

/// Flushes a second: 4 KiB appended to a new file in `dir`, then `sync_data`, over and
/// over for `seconds` (as SQLite appends to its write-ahead log and flushes it at each commit).
fn sync_rate(dir: &Path, seconds: f64) -> Result<f64, String> {
    let path = dir.join("sync-rate.tmp");
    let mut file = File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let block = [0x5a_u8; 4096];
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut flushes = 0u64;
    while Instant::now() < deadline {
        file.write_all(&block).and_then(|_| file.sync_data()).map_err(|e| format!("{}: {e}", path.display()))?;
        flushes += 1;
    }
    let rate = flushes as f64 / start.elapsed().as_secs_f64();
    drop(file);
    let _ = std::fs::remove_file(&path);
    Ok(rate)
}

#[tokio::main]
async fn main() -> ExitCode {
    match bench(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn bench(args: Args) -> Result<(), String> {
    let bin = collector_bin(args.bin.as_deref())?;
    let tmp = temp_dir(args.dir.as_deref())?;
    let salt = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(0x5eed);
    let db = match &args.postgres {
        None if args.collectors > 1 => {
            return Err("several collectors need --postgres (one SQLite file is one process's)".into())
        }
        None => tmp.path().join("bench.sqlite").display().to_string(),
        Some(server) => {
            let (base, _) = server.rsplit_once('/').ok_or("--postgres takes postgres://user@host:port/dbname")?;
            let name = format!("bench_{}", salt % 1_000_000_007);
            pg(server, &format!("CREATE DATABASE {name}")).await?;
            format!("{base}/{name}")
        }
    };
    let sync_before = sync_rate(tmp.path(), args.sync_seconds)?;
    let mut servers = Vec::new();
    let mut addrs = Vec::new();
    for i in 0..args.collectors.max(1) {
        let (server, addr) = start(&bin, db.as_ref(), tmp.path(), &format!("serve{i}"), &["--stamp-bits", "0"])?;
        servers.push(server);
        addrs.push(addr);
    }

    let cpus = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "collector bench: {} in its own process, loopback, {cpus} CPUs (shared by server and clients){}",
        bin.display(),
        if cfg!(debug_assertions) { "; this load generator is a DEBUG build" } else { "" }
    );
    match &args.postgres {
        None => println!("database: {db} (fresh SQLite; WAL, synchronous=FULL); form: tests/forms/test-form.json"),
        Some(_) => println!(
            "database: a fresh PostgreSQL database on this machine's throwaway server, {} collector process{} on it, the \
             clients taking turns between them; form: tests/forms/test-form.json",
            addrs.len(),
            if addrs.len() == 1 { "" } else { "es" }
        ),
    }
    println!(
        "each level: {} s of sending after a {} s warm-up at 16 clients; each client its own connection, one request at a time",
        args.seconds, args.warmup
    );

    let warmup = run_level(&addrs, 16, args.warmup, salt).await;
    let mut accepted = warmup.accepted;
    let mut refused = warmup.refused;
    let mut levels = Vec::new();
    for &clients in &args.clients {
        let level = run_level(&addrs, clients, args.seconds, salt).await;
        accepted += level.accepted;
        refused += level.refused;
        levels.push(level);
    }
    let sync_after = sync_rate(tmp.path(), args.sync_seconds)?;
    let sync = sync_before.max(sync_after);

    println!();
    println!(
        "the disk's flush rate (4 KiB appended, then fdatasync, {} s each): {sync_before:.0}/s before the levels, \
         {sync_after:.0}/s after; the ratios below are to {sync:.0}/s",
        args.sync_seconds
    );
    println!();
    println!(
        "{:>7}  {:>8}  {:>10}  {:>11}  {:>7}  {:>7}  {:>7}",
        "clients", "accepted", "accepted/s", "× fdatasync", "p50 ms", "p99 ms", "refused"
    );
    for level in &levels {
        let rate = level.accepted as f64 / level.elapsed.as_secs_f64();
        println!(
            "{:>7}  {:>8}  {:>10.0}  {:>10.2}×  {:>7.2}  {:>7.2}  {:>7}",
            level.clients,
            level.accepted,
            rate,
            rate / sync,
            level.percentile_ms(50.0),
            level.percentile_ms(99.0),
            level.refused,
        );
    }

    let count = "SELECT COUNT(*), COUNT(DISTINCT submission_id) FROM submissions";
    let (rows, ids): (u64, u64) = if args.postgres.is_some() {
        let row = pg(&db, count).await?;
        let n = |i: usize| row.get(i).and_then(|v| v.parse().ok()).unwrap_or(0);
        (n(0), n(1))
    } else {
        let conn = rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
        conn.query_row(count, [], |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)))
            .map_err(|e| e.to_string())?
    };
    drop(servers);
    println!();
    println!(
        "stored: {rows} rows, {ids} distinct ids; accepted: {accepted} (incl. {} in the warm-up); refused or failed: {refused}",
        warmup.accepted
    );
    if rows != accepted || ids != accepted {
        return Err(format!("the database holds {rows} rows ({ids} ids) but {accepted} were accepted"));
    }
    if refused > 0 {
        let log = std::fs::read_to_string(tmp.path().join("serve0.log")).unwrap_or_default();
        let tail: Vec<&str> = log.lines().filter(|l| !l.ends_with(": stored")).collect();
        return Err(format!(
            "{refused} submissions were not accepted; the server's log says:\n{}",
            tail[tail.len().saturating_sub(20)..].join("\n")
        ));
    }
    Ok(())
}

/// Runs `sql` on the PostgreSQL database at `url` (bounded to 30 s); returns the first row's columns as text.
async fn pg(url: &str, sql: &str) -> Result<Vec<String>, String> {
    let limit = Duration::from_secs(30);
    let connect = tokio_postgres::connect(url, tokio_postgres::NoTls);
    let (client, connection) = tokio::time::timeout(limit, connect)
        .await
        .map_err(|_| format!("{url}: no connection within 30 s"))?
        .map_err(|e| format!("{url}: {e}"))?;
    tokio::spawn(connection);
    let messages = tokio::time::timeout(limit, client.simple_query(sql))
        .await
        .map_err(|_| format!("{sql}: no answer within 30 s"))?
        .map_err(|e| format!("{sql}: {e}"))?;
    Ok(messages
        .into_iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).unwrap_or_default().to_owned()).collect())
            }
            _ => None,
        })
        .unwrap_or_default())
}
