//! `collector`: the feedback form's receiving server. See `collector --help`.

use clap::{Parser, Subcommand, ValueEnum};
use collector::export::{self, Format};
use collector::import;
use collector::{load_forms, Database, Error, Forms, Limits, RateLimit, ServeOptions};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Receives the feedback form's answers, stores them in SQLite or PostgreSQL, and exports them.
#[derive(Parser)]
#[command(name = "collector", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Take submissions over HTTP (and serve the built app, if --static is given).
    Serve(ServeArgs),
    /// Write the stored submissions to stdout.
    Export(ExportArgs),
    /// Store the answers in a file saved on a device, each exactly once, by the rules of POST /api/submissions.
    ///
    /// The file holds one submission, or a list of them, or a list of {"submission": …, "refused_because": …}
    /// (the app's file of refused or waiting answers). Prints how many were new, duplicates and refused (with
    /// every reason). Running it again on the same file stores nothing twice. Safe while a server uses the
    /// same database.
    Import(ImportArgs),
    /// Make a key pair for end-to-end encryption: writes the private key file (readable by you only; never
    /// over a file already there) and prints the "encryption" block to paste into config.json.
    ///
    /// Keep the private key off the server that receives the answers: it is needed only to read them
    /// (export --key, import --key), wherever that is done. Lose it and the answers sealed for it are lost.
    Keygen(KeygenArgs),
}

#[derive(clap::Args)]
struct KeygenArgs {
    /// Where to write the private key file (JSON, mode 0600); it must not exist yet.
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// The key's label, sent in clear with each encrypted submission [default: k- and the first 8 bytes of the
    /// public key's SHA-256 in hex].
    #[arg(long, value_name = "LABEL")]
    key_id: Option<String>,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The database: a SQLite file (made, with its folder, if missing), or a PostgreSQL URL
    /// (postgres://user:password@host:port/dbname; the database must exist, its tables are made). Several
    /// collectors may share one PostgreSQL database.
    #[arg(long, value_name = "FILE|URL", value_parser = database)]
    db: Database,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The built app (the dist/ folder) to serve at /.
    #[arg(long = "static", value_name = "DIR")]
    static_dir: Option<PathBuf>,
    /// The folder of form files [default: <static>/forms with --static, else public/forms].
    #[arg(long, value_name = "DIR")]
    forms: Option<PathBuf>,
    /// An origin allowed to post from another site, like https://example.org (repeatable).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origin: Vec<String>,
    /// The largest request body taken, in bytes.
    #[arg(long, default_value_t = 65536)]
    max_bytes: usize,
    /// Send Strict-Transport-Security: only when people reach the collector over https (as behind a reverse
    /// proxy that ends TLS), since browsers then refuse plain http for the site for a year.
    #[arg(long)]
    hsts: bool,
    /// The rate limit per client: how many answers (or pages with no app) it may post at once.
    #[arg(long, value_name = "N", default_value_t = RateLimit::DEFAULT.burst)]
    rate_burst: u32,
    /// The rate limit per client: how many more a minute after the burst; 0 turns the limit off.
    /// Over the limit: 429 with Retry-After (the app's outbox waits and sends again). Clients are told
    /// apart by a hash of their address under a random key that changes every day (UTC) and is never
    /// written: no address is kept or logged.
    #[arg(long, value_name = "N", default_value_t = RateLimit::DEFAULT.per_minute)]
    rate_per_minute: u32,
    /// Behind a reverse proxy: the header it puts the client's address in, like X-Forwarded-For or
    /// X-Real-IP. The right-most address in it is taken (the one the proxy added; those to its left could
    /// be forged). Without it, the connection's own address (and this machine's own are not limited).
    #[arg(long, value_name = "HEADER")]
    client_ip_header: Option<String>,
    /// Connections open at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_connections)]
    max_connections: usize,
    /// Requests handled at once; more are answered 503 with Retry-After.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.max_requests)]
    max_requests: usize,
    /// Seconds a client may take to send a request's headers (or leave a kept-alive connection idle).
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT.header_timeout.as_secs(), value_parser = seconds)]
    header_timeout: u64,
    /// Seconds a whole request may take, from its headers to its reply, reading its body included.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT.request_timeout.as_secs(), value_parser = seconds)]
    request_timeout: u64,
    /// Seconds a reply may wait for the client to read any of it, before the connection is closed.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT.send_timeout.as_secs(), value_parser = seconds)]
    send_timeout: u64,
    /// Seconds a connection may stay open, however busy.
    #[arg(long, value_name = "SECONDS", default_value_t = Limits::DEFAULT.connection_timeout.as_secs(), value_parser = seconds)]
    connection_timeout: u64,
    /// Proof of work: how many zero bits the SHA-256 of a submission's stamp must begin with (the app makes
    /// it after saving the answers, in about 2^N hashes; a stamp lacking them is answered 428 and the app
    /// makes a stronger one). 0 turns it off; at most 20.
    #[arg(long, value_name = "N", default_value_t = feedback_model::stamp::DEFAULT_STAMP_BITS)]
    stamp_bits: u8,
}

/// A `--db` value: a PostgreSQL URL or a SQLite file.
fn database(s: &str) -> Result<Database, String> {
    if s.trim().is_empty() {
        return Err("give a SQLite file (like data/feedback.sqlite) or a PostgreSQL URL (postgres://…)".into());
    }
    Ok(Database::from(s))
}

/// A number of seconds from 1 to a day, with a sentence for anything else.
fn seconds(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if (1..=86_400).contains(&n) => Ok(n),
        Ok(n) => Err(format!("{n} seconds is not a time limit this server takes: give 1 to 86400 (a day)")),
        Err(_) => Err(format!("“{s}” is not a number of seconds: give a whole number from 1 to 86400")),
    }
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The database: a SQLite file, or a PostgreSQL URL (postgres://…).
    #[arg(long, value_name = "FILE|URL", value_parser = database)]
    db: Database,
    /// jsonl: each payload exactly as received; csv: one column per question.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Only this form's submissions (needed for csv when several forms are stored).
    #[arg(long, value_name = "ID")]
    form: Option<String>,
    /// The folder of form files, for the csv columns' order and to check opened answers [default: public/forms,
    /// if it exists].
    #[arg(long, value_name = "DIR")]
    forms: Option<PathBuf>,
    /// A private key file (from keygen) to open encrypted answers with (repeatable, for keys rotated). Each
    /// opened submission is exported as the plain payload it holds; one that does not open is named on stderr
    /// with the reason, the rest are written, and the exit status is 1. Without it, jsonl writes encrypted
    /// submissions as stored and csv refuses them.
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The file of saved answers (JSON).
    file: PathBuf,
    /// The database: a SQLite file, made with its folder if missing (as serve does), or a PostgreSQL URL.
    #[arg(long, value_name = "FILE|URL", value_parser = database)]
    db: Database,
    /// The folder of form files the answers are checked against [default: public/forms].
    #[arg(long, value_name = "DIR")]
    forms: Option<PathBuf>,
    /// The longest submission taken, in bytes (as serve's --max-bytes).
    #[arg(long, default_value_t = 65536)]
    max_bytes: usize,
    /// A private key file (from keygen) to open encrypted answers with before storing them, to check their
    /// answers too (repeatable). They are stored as the envelopes they are, never opened.
    #[arg(long = "key", value_name = "FILE")]
    keys: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve(args) => serve(args),
        Command::Export(args) => export(args),
        Command::Import(args) => import(args),
        Command::Keygen(args) => keygen(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("collector: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: ServeArgs) -> Result<(), Error> {
    let forms_dir = args.forms.unwrap_or_else(|| match &args.static_dir {
        Some(dir) => dir.join("forms"),
        None => PathBuf::from("public/forms"),
    });
    let opts = ServeOptions {
        addr: args.addr,
        static_dir: args.static_dir,
        allow_origins: args.allow_origin,
        max_bytes: args.max_bytes,
        hsts: args.hsts,
        rate_limit: RateLimit { burst: args.rate_burst, per_minute: args.rate_per_minute },
        client_ip_header: args.client_ip_header,
        stamp_bits: args.stamp_bits,
        limits: Limits {
            max_connections: args.max_connections,
            max_requests: args.max_requests,
            header_timeout: Duration::from_secs(args.header_timeout),
            request_timeout: Duration::from_secs(args.request_timeout),
            send_timeout: Duration::from_secs(args.send_timeout),
            connection_timeout: Duration::from_secs(args.connection_timeout),
        },
        ..ServeOptions::new(args.db, forms_dir)
    };
    let runtime = tokio::runtime::Runtime::new().map_err(|e| Error(format!("Could not start: {e}")))?;
    runtime.block_on(collector::serve(opts))
}

fn export(args: ExportArgs) -> Result<(), Error> {
    let forms = match args.forms {
        Some(dir) => load_forms(&dir)?,
        None => {
            let default = PathBuf::from("public/forms");
            if default.is_dir() {
                load_forms(&default)?
            } else {
                Forms::new()
            }
        }
    };
    let keys = read_keys(&args.keys)?;
    if !keys.is_empty() && forms.is_empty() {
        return Err(Error(
            "Opened answers are checked against their form: give the folder of form files with --forms.".into(),
        ));
    }
    let store = args.db.open_existing()?;
    let format = match args.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let unopened = export::run(&*store, &forms, format, args.form.as_deref(), &keys, &mut out)?;
    if unopened.is_empty() {
        return Ok(());
    }
    for u in &unopened {
        for reason in &u.reasons {
            eprintln!("collector: submission {} not exported: {reason}", u.submission_id);
        }
    }
    let (n, were) = if unopened.len() == 1 {
        ("1 submission", "was")
    } else {
        (&*format!("{} submissions", unopened.len()), "were")
    };
    Err(Error(format!("{n} could not be opened and {were} left out (the reasons are above); the rest are written.")))
}

/// Reads every key file given, with a sentence naming any that is wrong.
fn read_keys(paths: &[PathBuf]) -> Result<Vec<collector::crypt::PrivateKey>, Error> {
    paths.iter().map(|p| collector::crypt::PrivateKey::read(p)).collect()
}

fn keygen(args: KeygenArgs) -> Result<(), Error> {
    let key = collector::crypt::PrivateKey::generate(args.key_id.as_deref())?;
    key.write_new(&args.out)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Wrote the private key {} to {} (readable by you only). Keep a copy somewhere safe and off the server that \
         receives the answers: without it, the answers sealed for it can never be read.\n\nPaste this into \
         config.json:\n\n{}",
        key.key_id(),
        args.out.display(),
        key.config_block()
    )
    .and_then(|()| out.flush())
    .map_err(|e| Error(format!("The key was written, but its config.json block could not be printed: {e}")))
}

fn import(args: ImportArgs) -> Result<(), Error> {
    let forms = load_forms(&args.forms.unwrap_or_else(|| PathBuf::from("public/forms")))?;
    // The whole file is read and checked before the database is opened: a file that is not
    // saved answers stores nothing and makes no database.
    let keys = read_keys(&args.keys)?;
    let text = import::read_file(&args.file)?;
    let found = import::check(&text, &forms, &keys, args.max_bytes, &collector::now_rfc3339())
        .map_err(|e| Error(format!("The file {} {e}.", args.file.display())))?;
    let made = matches!(&args.db, Database::Sqlite(path) if !path.exists());
    let store = args.db.open(collector::sqlite::BUSY_TIMEOUT)?;
    let report = import::store(&*store, found);
    let mut out = std::io::stdout().lock();
    let db = args.db.describe();
    let into = if made { format!("{db} (a new database, made now)") } else { db.to_string() };
    let noun = if report.read == 1 { "submission" } else { "submissions" };
    writeln!(out, "Read {} {noun} from {} into {into}.", report.read, args.file.display())
        .and_then(|()| write!(out, "{report}"))
        .and_then(|()| out.flush())
        .map_err(|e| Error(format!("The report could not be written: {e}")))?;
    if report.not_stored > 0 {
        return Err(Error(format!(
            "{} of the submissions could not be stored; run the import again.",
            report.not_stored
        )));
    }
    Ok(())
}
