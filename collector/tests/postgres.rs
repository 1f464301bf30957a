//! Several collectors on one PostgreSQL database (the server COLLECTOR_TEST_POSTGRES names, a new database for
//! each test; skipped, saying so, without it): each submission id stored once across them, whichever receives
//! it, even the same id at the same moment at both.

use serde_json::{json, Value};
use std::net::SocketAddr;

mod support;
use support::{fresh_postgres, numbered, pg_query, pg_rows, Serve, FORMS, LIMIT};

/// A `collector serve` on `url`, killed when dropped.
fn start(url: &str) -> Serve {
    Serve::start(url, &["--forms", FORMS])
}

/// Posts on a connection of its own; the status and the reply's `status`.
async fn post(addr: SocketAddr, id: String, body: String) -> (u16, String) {
    let client = reqwest::Client::builder().timeout(LIMIT).build().unwrap();
    let res = client
        .post(format!("http://{addr}/api/submissions"))
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let reply: Value = res.json().await.unwrap();
    (status, reply["status"].as_str().unwrap_or_default().to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_collectors_store_each_id_once_even_the_same_id_at_both_at_once() {
    let Some(url) = fresh_postgres() else {
        eprintln!("PostgreSQL skipped: COLLECTOR_TEST_POSTGRES is not set (scripts/test.sh sets it)");
        return;
    };
    // Both start at once on a new database: each migration is applied once (the other waits for it).
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| start(&url));
        let b = s.spawn(|| start(&url));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(pg_query(&url, "SELECT version FROM schema_migrations"), [[Some("1".to_owned())]]);

    // Distinct ids, each to one of the two.
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..40 {
        let (id, body) = numbered(n, 0x3c);
        let addr = if n % 2 == 0 { a.addr } else { b.addr };
        tasks.spawn(post(addr, id, body));
    }
    let results = tasks.join_all().await;
    assert!(results.iter().all(|r| *r == (201, "stored".to_owned())), "{results:?}");

    // The same id to both at the same moment, 40 times over: both answer 2xx, one stores it.
    let mut pairs = tokio::task::JoinSet::new();
    for n in 100..140 {
        let (id, body) = numbered(n, 0x3c);
        let (at_a, at_b) = (post(a.addr, id.clone(), body.clone()), post(b.addr, id, body));
        pairs.spawn(async move {
            let (x, y) = tokio::join!(at_a, at_b);
            let mut pair = [x, y];
            pair.sort();
            pair
        });
    }
    for pair in pairs.join_all().await {
        assert_eq!(pair, [(200, "duplicate".to_owned()), (201, "stored".to_owned())]);
    }
    // And a repeat to the other collector later is a duplicate too.
    let (id, body) = numbered(0, 0x3c);
    assert_eq!(post(b.addr, id, body).await, (200, "duplicate".to_owned()));

    let rows = pg_rows(&url);
    let mut expected: Vec<(String, String)> = (0..40).chain(100..140).map(|n| numbered(n, 0x3c)).collect();
    let mut got = rows.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected, "each id once, as sent");
}

fn new(n: usize, form_id: &str, comment: &str) -> collector::store::NewSubmission {
    let (_, body) = numbered(n, 0x3c);
    let mut value: Value = serde_json::from_str(&body).unwrap();
    value["form_id"] = json!(form_id);
    value["answers"]["comment"] = json!(comment);
    let body = value.to_string();
    let submission = serde_json::from_str(&body).unwrap();
    collector::store::NewSubmission::plain(&submission, body, "2026-11-23T10:00:01.000Z".into())
}

/// As SQLite's own test (sqlite.rs): repeats kept out, a row refused on its own fails alone and the rest of
/// its batch is stored (PostgreSQL abandons the transaction at a failed row, so the batch is written again
/// without it).
#[test]
fn a_batch_keeps_repeats_out_and_one_broken_row_fails_alone() {
    use collector::store::{Outcome, Store};
    let Some(url) = fresh_postgres() else {
        eprintln!("PostgreSQL skipped: COLLECTOR_TEST_POSTGRES is not set (scripts/test.sh sets it)");
        return;
    };
    let store = collector::postgres::Postgres::connect(&url, std::time::Duration::from_secs(5)).unwrap();
    let before = new(1, "f", "stored before");
    assert_eq!(store.insert_batch(std::slice::from_ref(&before)), [Ok(Outcome::Stored)]);
    pg_query(
        &url,
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
             RAISE EXCEPTION 'a broken row' USING ERRCODE = 'check_violation'; END $$;
         CREATE TRIGGER refuse BEFORE INSERT ON submissions FOR EACH ROW WHEN (NEW.form_id = 'broken')
             EXECUTE FUNCTION refuse();",
    );
    let (a, broken, b) = (new(2, "f", "a"), new(3, "broken", "x"), new(4, "f", "b"));
    let a_changed = new(2, "f", "a, changed");
    let batch = [a.clone(), broken, before.clone(), a.clone(), b.clone(), a_changed];
    let results = store.insert_batch(&batch);
    assert_eq!(results.len(), batch.len());
    assert_eq!(results[0], Ok(Outcome::Stored));
    assert!(results[1].as_ref().is_err_and(|e| e.0.contains("a broken row")), "{:?}", results[1]);
    assert_eq!(results[2], Ok(Outcome::Duplicate { same_payload: true }), "stored in an earlier batch");
    assert_eq!(results[3], Ok(Outcome::Duplicate { same_payload: true }), "earlier in this batch");
    assert_eq!(results[4], Ok(Outcome::Stored), "a row after the broken one");
    assert_eq!(results[5], Ok(Outcome::Duplicate { same_payload: false }));
    let mut got = pg_rows(&url);
    got.sort();
    let mut expected: Vec<(String, String)> =
        [&before, &a, &b].iter().map(|n| (n.submission_id.clone(), n.payload.clone())).collect();
    expected.sort();
    assert_eq!(got, expected);
}
