//! Accepting connections with limits, so that slow or silent clients cannot tie the server up:
//! a cap on connections open at once, a time limit on sending a request's headers (which also
//! closes a kept-alive connection left idle), on a reply waiting for the client to read it, and
//! on a connection's whole life. The time limit on a whole request and the cap on requests handled
//! at once are layers on the routes ([`crate::routes::router`]); reading a body has its own.
//!
//! `axum::serve` has none of these (it gives hyper no timer, so hyper's header time limit is off),
//! so connections are served here with hyper's own HTTP/1 server, as `axum::serve` serves them,
//! with these limits added: hyper's `header_read_timeout`, `tokio-io-timeout` for a reply the
//! client does not read, a semaphore for the cap, and hyper-util's graceful shutdown.

use crate::abuse::Peer;
use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;

/// The limits on connections and requests (`collector serve`'s options of the same names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once; more wait in the system's queue until one closes.
    pub max_connections: usize,
    /// Requests handled at once; more are answered 503 with `Retry-After` at once.
    pub max_requests: usize,
    /// The longest a client may take to send a request's headers, and to start its next request on a
    /// kept-alive connection.
    pub header_timeout: Duration,
    /// The longest a request may take, from its headers to its reply (reading its body included).
    pub request_timeout: Duration,
    /// The longest a reply may wait for the client to read any of it.
    pub send_timeout: Duration,
    /// The longest a connection may stay open, however busy.
    pub connection_timeout: Duration,
}

impl Limits {
    /// The defaults: room for many people at once on a small server, and time enough for a slow
    /// phone on a bad connection (a whole first load of 165 KB at 2 KB/s takes under 90 s).
    pub const DEFAULT: Limits = Limits {
        max_connections: 1024,
        max_requests: 256,
        header_timeout: Duration::from_secs(10),
        request_timeout: Duration::from_secs(60),
        send_timeout: Duration::from_secs(30),
        connection_timeout: Duration::from_secs(600),
    };
}

impl Limits {
    /// What is wrong with these limits, as a sentence naming the option, or `None`.
    ///
    /// ```
    /// use collector::Limits;
    /// use std::time::Duration;
    /// assert_eq!(Limits::DEFAULT.problem(), None);
    /// let none = Limits { max_requests: 0, ..Limits::DEFAULT };
    /// assert!(none.problem().unwrap().contains("--max-requests"));
    /// let instant = Limits { header_timeout: Duration::ZERO, ..Limits::DEFAULT };
    /// assert!(instant.problem().unwrap().contains("--header-timeout"));
    /// ```
    pub fn problem(&self) -> Option<String> {
        if self.max_connections == 0 {
            return Some("--max-connections must be at least 1, or no one could connect.".into());
        }
        if self.max_requests == 0 {
            return Some("--max-requests must be at least 1, or no request could be answered.".into());
        }
        for (option, time) in [
            ("--header-timeout", self.header_timeout),
            ("--request-timeout", self.request_timeout),
            ("--send-timeout", self.send_timeout),
            ("--connection-timeout", self.connection_timeout),
        ] {
            if time.is_zero() {
                return Some(format!("{option} must be at least 1 second, or no request could be answered."));
            }
        }
        None
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// Serves `app` on `listener` within `limits` until `shutdown` completes; then takes no new
/// connection and waits for the requests under way (each within its time limits).
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break, // never closed
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // A connection that failed before it was accepted is the client's; anything
                    // else (out of file descriptors) passes with time.
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::ConnectionReset
                    ) {
                        crate::routes::log(&format!("a connection could not be accepted: {e}"));
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let mut stream = tokio_io_timeout::TimeoutStream::new(stream);
        stream.set_write_timeout(Some(limits.send_timeout));
        let io = TokioIo::new(Box::pin(stream));
        let service = app.clone().map_request(move |req: Request<Incoming>| {
            let mut req = req.map(Body::new);
            req.extensions_mut().insert(Peer(peer));
            req
        });
        let conn = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_timeout)
            .serve_connection(io, TowerToHyperService::new(service));
        let conn = graceful.watch(conn);
        let lifetime = limits.connection_timeout;
        tokio::spawn(async move {
            // Errors are the client's (gone, too slow, not HTTP) and are not logged, as no
            // address may be; a connection past its life is simply closed.
            let _ = tokio::time::timeout(lifetime, conn).await;
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}
