//! `collector`: the feedback form's receiving server. See `collector --help`.

use clap::{Parser, Subcommand, ValueEnum};
use collector::export::{self, Format};
use collector::import;
use collector::{load_forms, sqlite::Sqlite, Error, Forms, ServeOptions};
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Receives the feedback form's answers, stores them in SQLite, and exports them.
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
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The SQLite database file; made, with its folder, if missing.
    #[arg(long)]
    db: PathBuf,
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
}

#[derive(clap::Args)]
struct ExportArgs {
    /// The SQLite database file.
    #[arg(long)]
    db: PathBuf,
    /// jsonl: each payload exactly as received; csv: one column per question.
    #[arg(long, value_enum)]
    format: FormatArg,
    /// Only this form's submissions (needed for csv when several forms are stored).
    #[arg(long, value_name = "ID")]
    form: Option<String>,
    /// The folder of form files, for the csv columns' order [default: public/forms, if it exists].
    #[arg(long, value_name = "DIR")]
    forms: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ImportArgs {
    /// The file of saved answers (JSON).
    file: PathBuf,
    /// The SQLite database file; made, with its folder, if missing (as serve does).
    #[arg(long)]
    db: PathBuf,
    /// The folder of form files the answers are checked against [default: public/forms].
    #[arg(long, value_name = "DIR")]
    forms: Option<PathBuf>,
    /// The longest submission taken, in bytes (as serve's --max-bytes).
    #[arg(long, default_value_t = 65536)]
    max_bytes: usize,
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
    let store = Sqlite::open_existing(&args.db)?;
    let format = match args.format {
        FormatArg::Jsonl => Format::Jsonl,
        FormatArg::Csv => Format::Csv,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    export::run(&store, &forms, format, args.form.as_deref(), &mut out)
}

fn import(args: ImportArgs) -> Result<(), Error> {
    let forms = load_forms(&args.forms.unwrap_or_else(|| PathBuf::from("public/forms")))?;
    // The whole file is read and checked before the database is opened: a file that is not
    // saved answers stores nothing and makes no database.
    let text = import::read_file(&args.file)?;
    let found = import::check(&text, &forms, args.max_bytes, &collector::now_rfc3339())
        .map_err(|e| Error(format!("The file {} {e}.", args.file.display())))?;
    let made = !args.db.exists();
    let store = Sqlite::open(&args.db, collector::sqlite::BUSY_TIMEOUT)?;
    let report = import::store(&store, found);
    let mut out = std::io::stdout().lock();
    let db = args.db.display();
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
