//! The feedback form's receiving server ("collector").
//!
//! - [`serve`] / [`Server`]: the HTTP server. `POST /api/submissions` checks a
//!   [`Submission`](feedback_model::Submission) against its form with the model's own
//!   rules and stores it in SQLite exactly once; it can also serve the built app.
//! - [`store::Store`]: where submissions are kept, the one interface the routes and
//!   exports use; [`sqlite::Sqlite`] keeps them in SQLite.
//! - [`group::GroupCommit`]: the one writer that stores the submissions arriving
//!   together in one transaction, with one flush of the disk.
//! - [`export`]: the stored answers as JSON lines or CSV.
//! - [`import`]: answers saved on a device as a file, stored exactly once by the same rules.
//! - [`crypt`]: end-to-end encryption's keys (`collector keygen`) and opening the envelopes the app seals
//!   (`export --key`, `import --key`); `POST /api/submissions` stores envelopes as received, without the key.
//! - `embed`: config.json's `embed`, followed as it is edited: which sites may frame the form
//!   (`Content-Security-Policy: frame-ancestors` on every reply) and which partners' labels
//!   (`source`) a submission may carry.
//!
//! - [`abuse`]: abuse without tracking: a rate limit per client keyed by a hash of its address
//!   under a random key of the day, and the counts of what was turned away (the honeypot's too).
//! - `listen`: connections served within [`Limits`] (how many at once, how long each part may take).
//!
//! Anonymity: nothing about the sender (address, cookies, headers) is stored or
//! logged; the log names only a submission's id and what happened to it.

#![warn(missing_docs)]

pub mod abuse;
pub mod crypt;
mod embed;
pub mod export;
pub mod group;
pub mod import;
mod listen;
pub mod postgres;
pub mod routes;
mod server_pages;
pub mod sqlite;
mod static_files;
pub mod store;
mod time;

use feedback_model::Form;
use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub use abuse::RateLimit;
pub use listen::Limits;
pub use store::Database;
pub use time::now_rfc3339;

/// The forms this server knows, keyed by form id.
pub type Forms = BTreeMap<String, Form>;

/// Why the server could not start or an export could not be made: one message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// How to run the server (the `serve` command's options).
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The database: a SQLite file (it and its folder are made if missing) or a PostgreSQL URL.
    pub db: Database,
    /// Where to listen. Port 0 picks a free port (see [`Server::local_addr`]).
    pub addr: SocketAddr,
    /// The built app (`dist/`), served at `/` when given.
    pub static_dir: Option<PathBuf>,
    /// The folder of form definitions (`*.json`).
    pub forms_dir: PathBuf,
    /// Origins allowed to post from other sites (exact match, like `https://example.org`).
    pub allow_origins: Vec<String>,
    /// The largest request body taken, in bytes.
    pub max_bytes: usize,
    /// How long a write waits for a locked database (SQLite), or for a connection and then as long again
    /// for its commit (PostgreSQL), before giving up with 503.
    pub busy_timeout: Duration,
    /// Send `Strict-Transport-Security` (only where the collector is reached over https, as behind a
    /// reverse proxy that ends TLS: browsers then never try plain http for the site again, for a year).
    pub hsts: bool,
    /// The rate limit per client on posting answers ([`abuse`]).
    pub rate_limit: RateLimit,
    /// The header a reverse proxy in front puts the client's address in (like `X-Forwarded-For`); the
    /// right-most address in it is taken ([`abuse`]). `None`: the connection's own peer address.
    pub client_ip_header: Option<String>,
    /// How many connections and requests at once, and how long each part of a request may take.
    pub limits: Limits,
    /// The proof of work a submission posted to the endpoint must carry ([`abuse::stamp_ok`]): its `stamp`'s
    /// SHA-256 begins with this many zero bits. 0 takes submissions with no stamp; at most
    /// [`feedback_model::stamp::MAX_STAMP_BITS`].
    pub stamp_bits: u8,
}

impl ServeOptions {
    /// The defaults: 127.0.0.1:8080, 64 KiB bodies, 5 s busy timeout, no static files, no CORS, the
    /// default rate limit ([`RateLimit::DEFAULT`]) by the peer's address, and [`Limits::DEFAULT`].
    pub fn new(db: impl Into<Database>, forms_dir: impl Into<PathBuf>) -> Self {
        ServeOptions {
            db: db.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            static_dir: None,
            forms_dir: forms_dir.into(),
            allow_origins: Vec::new(),
            max_bytes: 64 * 1024,
            busy_timeout: sqlite::BUSY_TIMEOUT,
            hsts: false,
            rate_limit: RateLimit::DEFAULT,
            stamp_bits: feedback_model::stamp::DEFAULT_STAMP_BITS,
            client_ip_header: None,
            limits: Limits::DEFAULT,
        }
    }
}

/// Reads every `*.json` form file in `dir`, keyed by form id. Translation files
/// (`{form}.{lang}.json`) hold only words, so they are not forms and are skipped.
///
/// Any broken file, a repeated form id, or a folder without forms is an error
/// listing every problem, so a deployment never starts with a form it cannot check.
pub fn load_forms(dir: &Path) -> Result<Forms, Error> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error(format!("The forms folder {} could not be read: {e}", dir.display())))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .filter(|p| p.file_stem().is_some_and(|s| !s.to_string_lossy().contains('.')))
        .collect();
    paths.sort();
    let mut forms = Forms::new();
    let mut problems = Vec::new();
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{} could not be read: {e}", path.display()));
                continue;
            }
        };
        match Form::parse(&text) {
            Ok(form) => {
                if forms.contains_key(&form.id) {
                    problems.push(format!(
                        "{}: the form id “{}” is already used by another file",
                        path.display(),
                        form.id
                    ));
                } else {
                    forms.insert(form.id.clone(), form);
                }
            }
            Err(errors) => problems.push(format!("{}: {}", path.display(), errors.to_string().trim_end())),
        }
    }
    if !problems.is_empty() {
        return Err(Error(problems.join("\n")));
    }
    if forms.is_empty() {
        return Err(Error(format!("There are no form files (*.json) in {}", dir.display())));
    }
    Ok(forms)
}

/// A server bound to its address, ready to run.
pub struct Server {
    listener: tokio::net::TcpListener,
    app: axum::Router,
    addr: SocketAddr,
    /// The database as it may be printed (a PostgreSQL URL without its password).
    db: String,
    limits: Limits,
    guard: Arc<abuse::Guard>,
}

impl Server {
    /// Loads the forms, opens (or makes) the database and binds the address.
    pub async fn bind(opts: ServeOptions) -> Result<Server, Error> {
        let forms = load_forms(&opts.forms_dir)?;
        for origin in &opts.allow_origins {
            if !is_origin(origin) {
                return Err(Error(format!(
                    "The origin “{origin}” must be a scheme and host, like https://example.org (no path, no slash at the end)"
                )));
            }
        }
        let client_header = match &opts.client_ip_header {
            None => None,
            Some(name) => Some(axum::http::HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
                Error(format!(
                    "The client address header “{name}” is not a header name: give one like X-Forwarded-For or X-Real-IP"
                ))
            })?),
        };
        if let Some(problem) = opts.rate_limit.problem() {
            return Err(Error(problem));
        }
        if let Some(problem) = opts.limits.problem() {
            return Err(Error(problem));
        }
        if opts.stamp_bits > feedback_model::stamp::MAX_STAMP_BITS {
            return Err(Error(format!(
                "--stamp-bits {} is more work than a cheap phone can do: give 0 (no proof of work) to {}",
                opts.stamp_bits,
                feedback_model::stamp::MAX_STAMP_BITS
            )));
        }
        if let Some(dir) = &opts.static_dir {
            let stale = static_files::stale_copies(dir);
            if !stale.is_empty() {
                routes::log(&format!(
                    "{} compressed copies are older than their files, so the files are sent uncompressed \
                     (run `node scripts/compress.mjs {}` after editing files): {}",
                    stale.len(),
                    dir.display(),
                    stale.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                ));
            }
        }
        // Opening blocks (files, or connecting and migrating over the network), so not on the runtime's threads.
        let (db, busy_timeout) = (opts.db.clone(), opts.busy_timeout);
        let store = tokio::task::spawn_blocking(move || db.open(busy_timeout))
            .await
            .map_err(|e| Error(format!("The database could not be opened: {e}")))??;
        let store = group::GroupCommit::start(store)
            .map_err(|e| Error(format!("The database's writer could not be started: {e}")))?;
        let embed = Arc::new(embed::Settings::new(opts.static_dir.as_deref()));
        embed.now(); // says at once if config.json is missing or broken
        routes::log(&abuse::describe(opts.rate_limit, client_header.as_ref()));
        let guard = Arc::new(abuse::Guard::new(opts.rate_limit, client_header));
        let state = routes::AppState {
            store,
            forms: Arc::new(forms),
            max_bytes: opts.max_bytes,
            embed,
            hsts: opts.hsts,
            guard: Arc::clone(&guard),
            stamp_bits: opts.stamp_bits,
        };
        let app = routes::router(state, opts.static_dir.as_deref(), &opts.allow_origins, &opts.limits);
        let listener = tokio::net::TcpListener::bind(opts.addr)
            .await
            .map_err(|e| Error(format!("Could not listen on {}: {e}", opts.addr)))?;
        let addr = listener.local_addr().map_err(|e| Error(format!("Could not listen on {}: {e}", opts.addr)))?;
        Ok(Server { listener, app, addr, db: opts.db.describe(), limits: opts.limits, guard })
    }

    /// The address actually bound (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// What the server has turned away (over the rate limit, the honeypot's Sends), from now on.
    pub fn counts(&self) -> abuse::Counts {
        abuse::Counts(Arc::clone(&self.guard))
    }

    /// The line printed when the server starts:
    /// `Listening on http://127.0.0.1:8080 (database data/feedback.sqlite)`.
    pub fn start_line(&self) -> String {
        format!("Listening on http://{} (database {})", self.addr, self.db)
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> Result<(), Error> {
        let report = tokio::spawn(abuse::report_every_minute(self.guard));
        listen::serve(self.listener, self.app, self.limits, shutdown).await;
        report.abort();
        Ok(())
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run(self) -> Result<(), Error> {
        self.run_until(stop_signal()).await
    }
}

/// Binds, prints the start line to stdout (flushed), and serves until Ctrl-C or SIGTERM.
pub async fn serve(opts: ServeOptions) -> Result<(), Error> {
    let server = Server::bind(opts).await?;
    let mut out = std::io::stdout().lock();
    // A closed stdout must not stop the server; the line is only a courtesy.
    let _ = writeln!(out, "{}", server.start_line()).and_then(|_| out.flush());
    drop(out);
    server.run().await
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// `scheme://host[:port]` with nothing after.
fn is_origin(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once("://") else {
        return false;
    };
    !scheme.is_empty()
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        && !rest.is_empty()
        && !rest.contains(['/', '?', '#', ' ', '*'])
        && axum::http::HeaderValue::from_str(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        assert!(is_origin("https://example.org"));
        assert!(is_origin("http://localhost:8080"));
        for bad in ["*", "example.org", "https://example.org/", "https://", "https://a.org/path"] {
            assert!(!is_origin(bad), "{bad}");
        }
    }
}

#[cfg(test)]
mod form_folder_tests {
    use super::*;

    #[test]
    fn the_shipped_forms_folder_holds_one_form_and_its_translations_are_skipped() {
        let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/forms"));
        assert!(dir.join("remote-support.cy.json").exists(), "the test needs a translation file beside the form");
        let forms = load_forms(dir).unwrap_or_else(|e| panic!("{}", e.0));
        assert_eq!(forms.keys().collect::<Vec<_>>(), ["remote-support"]);
    }
}
