//! The PostgreSQL [`Store`]: the database several collectors can share, each submission id stored once across
//! all of them, every batch committed (and so on disk, `synchronous_commit` on) before anyone is answered.
//!
//! `tokio-postgres` through a `deadpool-postgres` pool, on a small tokio runtime of the store's own: the
//! [`Store`] methods block (the server's one writer thread calls them, as it calls SQLite's), and the pool
//! makes a new connection whenever the one it had is gone, so a PostgreSQL restarting or out of reach fails
//! the writes of that moment (503 with `Retry-After`, the app's outbox sends again) and the next ones go
//! through once it is back.

use crate::store::{check_schema_version, read_failed, NewSubmission, Outcome, Row, Store, StoreError, Visit};
use crate::Error;
use deadpool_postgres::{Manager, ManagerConfig, Pool, PoolError, RecyclingMethod};
use futures_util::{pin_mut, TryStreamExt};
use std::future::Future;
use std::time::Duration;
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{IsolationLevel, NoTls};

/// The schema's versions, in order, as SQLite's (`sqlite.rs`): migration N brings a database at version N-1
/// to N, and `schema_migrations` records each one applied. The unique constraint on the id is what keeps each
/// submission once, whichever collector inserts it.
const MIGRATIONS: &[&str] = &["
CREATE TABLE submissions (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    submission_id TEXT NOT NULL CONSTRAINT submissions_submission_id_key UNIQUE,
    form_id       TEXT NOT NULL,
    form_version  TEXT NOT NULL,
    sent_at       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    language      TEXT NOT NULL,
    payload       TEXT NOT NULL
);
CREATE INDEX submissions_form ON submissions (form_id, seq);
"];

/// The advisory lock every collector takes while it migrates, so that two starting at once against one
/// database apply each migration once (the second waits, then finds it applied). Any number would do, the
/// same in every collector: this is "collecto" in ASCII.
const MIGRATION_LOCK: i64 = 0x636f_6c6c_6563_746f;

/// Writes one new row unless its id is there (committed, or earlier in this transaction; a copy being
/// inserted by another collector's open transaction is waited for, then counts as there if it committed).
const INSERT: &str = "INSERT INTO submissions
     (submission_id, form_id, form_version, sent_at, received_at, language, payload)
 VALUES ($1, $2, $3, $4, $5, $6, $7)
 ON CONFLICT (submission_id) DO NOTHING";
/// The payload of the row there, read after its insert did nothing. In READ COMMITTED each statement sees
/// what is committed when it starts, and the insert did nothing only because a row with the id is
/// committed (or is this transaction's own), so this always finds it: no read decides whether to write.
const STORED: &str = "SELECT payload FROM submissions WHERE submission_id = $1";
/// Rows are never acknowledged before they are on disk, whatever the server's default: a connection
/// whose `synchronous_commit` is `off` has it turned on for this transaction (`local`, `on` and the
/// stronger settings for standbys are kept as they are).
const DURABLE: &str =
    "SELECT set_config('synchronous_commit', 'on', true) WHERE current_setting('synchronous_commit') = 'off'";
const ROWS: &str = "SELECT submission_id, form_id, form_version, sent_at, received_at, language, payload
 FROM submissions WHERE $1::text IS NULL OR form_id = $1 ORDER BY seq";

/// How many connections one collector opens at most: its one writer, and reads beside it.
const POOL_SIZE: usize = 4;

/// A PostgreSQL database, through a pool of connections made again as needed.
pub struct Postgres {
    pool: Pool,
    /// Runs the pool's connections. An `Option` only so that `drop` can shut it down without waiting
    /// (a runtime dropped inside another's async context would panic).
    runtime: Option<tokio::runtime::Runtime>,
    /// The longest a write may take, from waiting for a connection to its commit.
    timeout: Duration,
    /// The URL without its password, for messages.
    shown: String,
}

impl Postgres {
    /// Connects to the database at `url` (`postgres://user:password@host:port/dbname`, or any form
    /// `tokio-postgres` reads) and applies the migrations it lacks. A write waits for a connection, and a
    /// connection is made, within `busy_timeout`; a write then has as long again to commit.
    pub fn connect(url: &str, busy_timeout: Duration) -> Result<Postgres, Error> {
        let shown = without_password(url);
        let mut config: tokio_postgres::Config = url.parse().map_err(|e: tokio_postgres::Error| {
            Error(format!("The PostgreSQL address {shown} could not be read: {}", pg_text(&e)))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(busy_timeout);
        }
        // A server gone without closing the connection (a machine switched off, a network cut) is noticed
        // within a minute instead of when the operating system gives up, hours later.
        config.keepalives_idle(Duration::from_secs(30));
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("collector-postgres")
            .enable_all()
            .build()
            .map_err(|e| Error(format!("The database's connections could not be started: {e}")))?;
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(busy_timeout))
            .create_timeout(Some(busy_timeout))
            .recycle_timeout(Some(busy_timeout))
            .build()
            .map_err(|e| Error(format!("The database's connections could not be set up: {e}")))?;
        let store = Postgres { pool, runtime: Some(runtime), timeout: busy_timeout * 2, shown };
        store.block_on(store.migrate())?;
        Ok(store)
    }

    fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.as_ref().expect("the runtime is there until the store is dropped").block_on(future)
    }

    async fn migrate(&self) -> Result<(), Error> {
        let fail = |e: String| Error(format!("The database {} could not be opened: {e}", self.shown));
        let mut client = self.pool.get().await.map_err(|e| fail(pool_text(&e)))?;
        let tx = client.transaction().await.map_err(|e| fail(pg_text(&e)))?;
        let steps = async {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
            tx.batch_execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
            )
            .await?;
            let version: i32 =
                tx.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[]).await?.get(0);
            Ok::<_, tokio_postgres::Error>(version)
        };
        let version = steps.await.map_err(|e| fail(pg_text(&e)))?;
        check_schema_version(version.into(), MIGRATIONS.len(), &self.shown)?;
        for (n, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let version = n as i32 + 1;
            tx.batch_execute(sql).await.map_err(|e| fail(pg_text(&e)))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
                &[&version, &crate::now_rfc3339()],
            )
            .await
            .map_err(|e| fail(pg_text(&e)))?;
        }
        tx.commit().await.map_err(|e| fail(pg_text(&e)))
    }

    /// Writes the rows of `batch` at `order` in one transaction, sent one after another without waiting
    /// for each answer (tokio-postgres pipelines the statements of one connection), and commits it.
    async fn write(&self, batch: &[NewSubmission], order: &[usize]) -> Result<Vec<Outcome>, Failed> {
        let mut client = self.pool.get().await.map_err(|e| Failed::Batch(StoreError(pool_text(&e))))?;
        let tx = client.transaction().await.map_err(Failed::batch)?;
        let insert = tx.prepare_cached(INSERT).await.map_err(Failed::batch)?;
        let inserts = order.iter().map(|&i| {
            let n = &batch[i];
            let params: [&(dyn ToSql + Sync); 7] =
                [&n.submission_id, &n.form_id, &n.form_version, &n.sent_at, &n.received_at, &n.language, &n.payload];
            tx.execute_raw(&insert, params)
        });
        let (durable, inserted) =
            futures_util::join!(tx.execute(DURABLE, &[]), futures_util::future::join_all(inserts));
        // The first row that failed is the one to blame; the ones after it failed only because the
        // transaction had.
        let mut counts = Vec::with_capacity(inserted.len());
        for (position, result) in inserted.into_iter().enumerate() {
            match result {
                Ok(count) => counts.push(count),
                Err(e) if row_failed(&e) => return Err(Failed::Row(position, StoreError(pg_text(&e)))),
                Err(e) => return Err(Failed::batch(e)),
            }
        }
        // Only now: after a failed row, this too failed, as the transaction had.
        durable.map_err(Failed::batch)?;
        let stored = tx.prepare_cached(STORED).await.map_err(Failed::batch)?;
        let there = futures_util::future::join_all(order.iter().zip(&counts).filter(|(_, &count)| count == 0).map(
            |(&i, _)| {
                let stored = &stored;
                let tx = &tx;
                async move {
                    let row = tx.query_opt(stored, &[&batch[i].submission_id]).await?;
                    Ok::<_, tokio_postgres::Error>(row.map(|r| r.get::<_, String>(0) == batch[i].payload))
                }
            },
        ))
        .await;
        let mut there = there.into_iter();
        let mut outcomes = Vec::with_capacity(counts.len());
        for count in counts {
            outcomes.push(if count == 1 {
                Outcome::Stored
            } else {
                let same = there.next().ok_or_else(|| Failed::Batch(StoreError("a read went missing".into())))?;
                Outcome::Duplicate { same_payload: same.map_err(Failed::batch)? == Some(true) }
            });
        }
        tx.commit().await.map_err(Failed::batch)?;
        Ok(outcomes)
    }
}

/// Why a transaction of [`Postgres::write`] was not committed: one row of its own (at that place in the
/// order given), or anything else, which fails the whole batch.
enum Failed {
    Row(usize, StoreError),
    Batch(StoreError),
}

impl Failed {
    fn batch(e: tokio_postgres::Error) -> Failed {
        Failed::Batch(StoreError(pg_text(&e)))
    }
}

impl Store for Postgres {
    /// One transaction for the whole batch, committed before it returns. Its rows are inserted in the order
    /// of their ids, so two collectors' transactions take their rows' locks in one order and never deadlock.
    /// PostgreSQL abandons a transaction at its first failed statement, so a row that fails on its own is
    /// taken out and the batch written again without it (each round commits, or takes a row out, or fails
    /// the rest: at most one round per row, and one in the usual case).
    fn insert_batch(&self, batch: &[NewSubmission]) -> Vec<Result<Outcome, StoreError>> {
        let mut order: Vec<usize> = (0..batch.len()).collect();
        // A stable sort: copies of one id stay in the order they came, so the first is the one stored.
        order.sort_by(|&a, &b| batch[a].submission_id.cmp(&batch[b].submission_id));
        let mut results: Vec<Option<Result<Outcome, StoreError>>> = vec![None; batch.len()];
        while !order.is_empty() {
            // The timer is made inside the runtime, which drives it.
            let attempt = self.block_on(async { tokio::time::timeout(self.timeout, self.write(batch, &order)).await });
            let failed = match attempt {
                Ok(Ok(outcomes)) => {
                    for (&i, outcome) in order.iter().zip(outcomes) {
                        results[i] = Some(Ok(outcome));
                    }
                    break;
                }
                Ok(Err(failed)) => failed,
                Err(_) => Failed::Batch(StoreError(format!(
                    "PostgreSQL did not commit within {} s",
                    self.timeout.as_secs_f32()
                ))),
            };
            match failed {
                Failed::Row(position, e) => {
                    results[order.remove(position)] = Some(Err(e));
                }
                Failed::Batch(e) => {
                    for &i in &order {
                        results[i] = Some(Err(e.clone()));
                    }
                    break;
                }
            }
        }
        results.into_iter().map(|r| r.unwrap_or_else(|| Err(StoreError("not written".into())))).collect()
    }

    /// One read-only REPEATABLE READ transaction (one snapshot) for every pass, each pass one query whose
    /// rows come as PostgreSQL sends them: tokio-postgres hands them on through a channel of one message and
    /// stops reading the socket while it is full, so only the row being visited is held.
    fn scan(&self, form_id: Option<&str>, passes: usize, visit: &mut Visit<'_>) -> Result<(), Error> {
        self.block_on(async {
            let mut client = self.pool.get().await.map_err(|e| read_failed(pool_text(&e)))?;
            let tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()
                .await
                .map_err(|e| read_failed(pg_text(&e)))?;
            let query = tx.prepare(ROWS).await.map_err(|e| read_failed(pg_text(&e)))?;
            for pass in 0..passes {
                let rows = tx
                    .query_raw(&query, [&form_id as &(dyn ToSql + Sync)])
                    .await
                    .map_err(|e| read_failed(pg_text(&e)))?;
                pin_mut!(rows);
                while let Some(r) = rows.try_next().await.map_err(|e| read_failed(pg_text(&e)))? {
                    let text = |n: usize| r.try_get::<_, String>(n).map_err(|e| read_failed(pg_text(&e)));
                    let row = Row {
                        submission_id: text(0)?,
                        form_id: text(1)?,
                        form_version: text(2)?,
                        sent_at: text(3)?,
                        received_at: text(4)?,
                        language: text(5)?,
                        payload: text(6)?,
                    };
                    visit(pass, Some(row))?;
                }
                visit(pass, None)?;
            }
            Ok(())
        })
    }

    fn form_ids(&self) -> Result<Vec<String>, StoreError> {
        self.block_on(async {
            let client = self.pool.get().await.map_err(|e| StoreError(pool_text(&e)))?;
            let rows = client
                .query("SELECT DISTINCT form_id FROM submissions ORDER BY form_id", &[])
                .await
                .map_err(|e| StoreError(pg_text(&e)))?;
            Ok(rows.iter().map(|r| r.get(0)).collect())
        })
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.pool.close();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Whether an error belongs to the row being written (a value the database refuses: a data exception,
/// class 22, or a constraint other than the id's, class 23) rather than to the database or the connection.
fn row_failed(e: &tokio_postgres::Error) -> bool {
    e.code().is_some_and(|c| {
        *c != SqlState::IN_FAILED_SQL_TRANSACTION && (c.code().starts_with("22") || c.code().starts_with("23"))
    })
}

/// A tokio-postgres error with what it stands on (its own text is only the kind, like "db error").
fn pg_text(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} {}: {}", db.severity(), db.code().code(), db.message()),
        None => match std::error::Error::source(e) {
            Some(cause) => format!("{e}: {cause}"),
            None => e.to_string(),
        },
    }
}

fn pool_text(e: &PoolError) -> String {
    match e {
        PoolError::Backend(e) => pg_text(e),
        other => other.to_string(),
    }
}

/// A PostgreSQL URL for a log line or a message: its password (in the user part or as a `password=`
/// parameter) written as `***`.
///
/// Hand-written rather than through the `url` crate (already in the tree), for a measured reason: the
/// connection URIs libpq and `tokio-postgres` read may name several hosts (`postgres://app:pw@db1:5432,db2:5432/x`,
/// for a standby), which WHATWG URL parsing refuses as an invalid port, so the start line would lose the address.
///
/// ```
/// use collector::postgres::without_password;
/// assert_eq!(without_password("postgres://app:s3cret@db:5432/feedback"), "postgres://app:***@db:5432/feedback");
/// assert_eq!(without_password("postgres://app:s3cret@db1:5432,db2:5432/feedback"),
///     "postgres://app:***@db1:5432,db2:5432/feedback");
/// assert_eq!(without_password("postgresql://db/feedback?user=app&password=s3cret"),
///     "postgresql://db/feedback?user=app&password=***");
/// assert_eq!(without_password("postgres://app@db/feedback"), "postgres://app@db/feedback");
/// ```
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return "(a PostgreSQL address)".into();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((user, hosts)) => match user.split_once(':') {
            Some((name, _)) => format!("{name}:***@{hosts}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let params: Vec<String> = query
                .split('&')
                .map(|p| match p.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}=***"),
                    _ => p.to_owned(),
                })
                .collect();
            format!("{path}?{}", params.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}
