//! What the two load generators (`bench.rs`, `abuse.rs`) share: the collector binary they run, its temporary
//! folder, a collector process on a free loopback port, new submissions for the test form, the HTTP client and
//! percentiles. (A folder, not `common.rs`, so cargo does not take it for an example of its own.)
#![allow(dead_code)] // each example uses what it needs

#[path = "../../tests/support/payload.rs"]
mod payload;

use feedback_model::uuid_v4_from_bytes;
use serde_json::json;
use std::ffi::OsStr;
use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The test forms (`test-form` among them), served by the collector under load.
pub const FORMS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/forms");

/// The collector process, killed when dropped.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The collector binary: `given`, or `collector` beside the example's folder (target/<profile>/examples/NAME ->
/// target/<profile>/collector). An error saying how to build it if it is not there.
pub fn collector_bin(given: Option<&Path>) -> Result<PathBuf, String> {
    let bin = match given {
        Some(bin) => bin.to_owned(),
        None => {
            let exe = std::env::current_exe().map_err(|e| e.to_string())?;
            let profile_dir = exe.parent().and_then(Path::parent).ok_or("no target folder")?;
            profile_dir.join(format!("collector{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !bin.is_file() {
        return Err(format!(
            "{} is missing: build it first with `cargo build --profile server -p collector`",
            bin.display()
        ));
    }
    Ok(bin)
}

/// A temporary folder in `dir`, or in the system's temporary folder; removed when dropped.
pub fn temp_dir(dir: Option<&Path>) -> Result<tempfile::TempDir, String> {
    match dir {
        Some(dir) => tempfile::tempdir_in(dir),
        None => tempfile::tempdir(),
    }
    .map_err(|e| format!("no temporary folder: {e}"))
}

/// Starts `collector serve --db DB --addr 127.0.0.1:0 --forms FORMS ARGS` (`db` a file or a URL), its output in
/// `dir` as `NAME.out` and `NAME.log`, and waits at most 20 s for its start line; returns it and its address.
pub fn start(bin: &Path, db: &OsStr, dir: &Path, name: &str, args: &[&str]) -> Result<(Server, SocketAddr), String> {
    let (out, log) = (dir.join(format!("{name}.out")), dir.join(format!("{name}.log")));
    let child = Command::new(bin)
        .arg("serve")
        .arg("--db")
        .arg(db)
        .args(["--addr", "127.0.0.1:0", "--forms", FORMS])
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(&out).map_err(|e| e.to_string())?)
        .stderr(File::create(&log).map_err(|e| e.to_string())?)
        .spawn()
        .map_err(|e| format!("{} could not be started: {e}", bin.display()))?;
    let mut server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        if let Some(addr) =
            text.strip_prefix("Listening on http://").filter(|_| text.contains('\n')).and_then(|l| l.split(' ').next())
        {
            return Ok((server, addr.parse().map_err(|e| format!("{text}: {e}"))?));
        }
        if let Ok(Some(status)) = server.0.try_wait() {
            return Err(format!(
                "the collector stopped ({status}): {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            ));
        }
        if Instant::now() > deadline {
            return Err("the collector printed no start line within 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Unique ids: a per-run salt and a counter.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A new valid submission for the test form, with an id no other has: (id, JSON).
pub fn next_submission(salt: u64) -> (String, String) {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&salt.to_be_bytes());
    bytes[8..].copy_from_slice(&n.to_be_bytes());
    let id = uuid_v4_from_bytes(bytes);
    let answers = json!({
        "ways": ["phone", "video"],
        "rating": 1 + n % 3,
        "speed": "faster",
        "comment": format!("Benchmark submission {n}: the phone calls helped, video less so."),
        "involved": false,
    });
    (id.clone(), payload::payload(&id, answers).to_string())
}

/// A client with one connection of its own (a real person's device has one).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(1)
        .build()
        .expect("an HTTP client")
}

/// The nearest-rank percentile of `sorted` latencies, in milliseconds (NaN for none).
pub fn percentile_ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1].as_secs_f64() * 1000.0
}
