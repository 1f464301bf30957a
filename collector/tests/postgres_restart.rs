//! PostgreSQL stopped in the middle of a load and started again: while it is down every submission is
//! answered 503 with Retry-After (never 2xx), nothing answered 2xx is lost, and once it is back the
//! collector reconnects by itself and stores again.
//!
//! This stops the test server itself (COLLECTOR_TEST_PG_STOP and COLLECTOR_TEST_PG_START, from
//! scripts/postgres.sh), so it is a test file of its own: cargo runs test files one after another, so no other
//! test is using the server meanwhile.

use serde_json::Value;
use std::process::Command;
use std::time::{Duration, Instant};

mod support;
use support::{fresh_postgres, numbered, pg_rows, run_within, Serve, FORMS, LIMIT};

/// What one POST got: its status and its `Retry-After`, or `None` with no reply.
type Got = Option<(u16, Option<String>)>;

async fn post(client: &reqwest::Client, addr: &str, id: &str, body: &str) -> Got {
    let res = client
        .post(format!("http://{addr}/api/submissions"))
        .header("content-type", "application/json")
        .header("idempotency-key", id)
        .body(body.to_owned())
        .send()
        .await
        .ok()?;
    let status = res.status().as_u16();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    res.json::<Value>().await.ok()?;
    Some((status, retry))
}

fn control(var: &str) {
    let path = std::env::var(var).unwrap_or_else(|_| panic!("{var} is set with COLLECTOR_TEST_POSTGRES"));
    // pg_ctl is given 30 s (scripts/postgres.sh): a fast shutdown's checkpoint on a busy shared machine can take
    // longer than the tests' usual 20 s, so the bound here is above pg_ctl's own.
    let out = run_within(Command::new(path), Duration::from_secs(75));
    assert!(out.status.success(), "{var}: {}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_stopped_mid_load_is_503_with_retry_after_and_the_collector_reconnects() {
    let Some(url) = fresh_postgres() else {
        eprintln!("PostgreSQL skipped: COLLECTOR_TEST_POSTGRES is not set (scripts/test.sh sets it)");
        return;
    };
    let mut serve = Serve::start(&url, &["--forms", FORMS]);
    let addr = serve.addr.to_string();
    let client = reqwest::Client::builder().timeout(LIMIT).build().unwrap();

    // One client sending new submissions one after another: the server is stopped after the 30th is stored,
    // and started again after 10 sends have been refused.
    let mut outcomes: Vec<(usize, Got)> = Vec::new();
    let (mut stopped, mut restarted, mut refused_while_down) = (false, false, 0);
    let mut stored_after_restart = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    for n in 0..1000 {
        assert!(Instant::now() < deadline, "the load did not finish in time: {outcomes:?}");
        let (id, body) = numbered(n, 0x2d);
        let got = post(&client, &addr, &id, &body).await;
        if let Some((status, _)) = got {
            assert!([201, 503].contains(&status), "submission {n}: {status}");
            if stopped && !restarted {
                assert_eq!(status, 503, "nothing is stored while PostgreSQL is down");
                refused_while_down += 1;
            }
            if restarted && status == 201 {
                stored_after_restart += 1;
            }
        }
        outcomes.push((n, got));
        if !stopped && n == 29 {
            control("COLLECTOR_TEST_PG_STOP");
            stopped = true;
        } else if stopped && !restarted && refused_while_down >= 10 {
            control("COLLECTOR_TEST_PG_START");
            restarted = true;
        } else if stored_after_restart >= 20 {
            break;
        }
        if restarted && stored_after_restart == 0 {
            // The pool reconnects on the next write; a client waits as Retry-After says, here briefly.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    assert!(stored_after_restart >= 20, "the collector never stored again after PostgreSQL came back");
    for (n, got) in &outcomes {
        if let Some((503, retry)) = got {
            assert_eq!(retry.as_deref(), Some("5"), "submission {n}: a 503 says when to send again");
        }
    }
    assert!(serve.child.try_wait().unwrap().is_none(), "the collector is still running");

    // Every 2xx is stored, once; everything refused or cut off is sent again and stored once.
    let stored: Vec<String> = pg_rows(&url).into_iter().map(|r| r.0).collect();
    let acked: Vec<usize> = outcomes.iter().filter(|(_, g)| matches!(g, Some((201, _)))).map(|(n, _)| *n).collect();
    for n in &acked {
        assert_eq!(stored.iter().filter(|id| **id == numbered(*n, 0x2d).0).count(), 1, "answered submission {n}");
    }
    let others: Vec<usize> = outcomes.iter().filter(|(_, g)| !matches!(g, Some((201, _)))).map(|(n, _)| *n).collect();
    for n in &others {
        let (id, body) = numbered(*n, 0x2d);
        let got = post(&client, &addr, &id, &body).await;
        assert!(matches!(got, Some((200 | 201, _))), "re-sent submission {n}: {got:?}");
    }
    let rows = pg_rows(&url);
    assert_eq!(rows.len(), outcomes.len(), "one row per submission sent");
    serve.kill();
    let line = format!(
        "postgres restart: {} sent, PostgreSQL stopped after 30 stored, {refused_while_down} answered 503 while it \
         was down, {stored_after_restart} stored after it came back; {} answered 2xx all kept; {} re-sent; {} rows\n",
        outcomes.len(),
        acked.len(),
        others.len(),
        rows.len()
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}
