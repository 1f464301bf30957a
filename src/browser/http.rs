//! Fetching the configuration and form, and posting answers.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCache, RequestCredentials, RequestInit, Response};

/// How long one attempt to send may take before it is given up.
pub const SEND_TIMEOUT_MS: i32 = 20_000;

/// Why a request did not get an answer.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// No connection, a refused connection, a timeout, or a blocked request.
    Network,
    /// The server answered, but not with 2xx: the status, the body, and the
    /// `Retry-After` header in seconds if it gave one.
    Status(u16, String, Option<u64>),
}

/// Sends a request now; the answer is read by [`answer`].
fn start(req: Request) -> Result<js_sys::Promise, FetchError> {
    Ok(super::window().ok_or(FetchError::Network)?.fetch_with_request(&req))
}

async fn answer(started: js_sys::Promise) -> Result<(u16, String, Option<u64>), FetchError> {
    let resp: Response =
        JsFuture::from(started).await.map_err(|_| FetchError::Network)?.dyn_into().map_err(|_| FetchError::Network)?;
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    let retry_after =
        resp.headers().get("Retry-After").ok().flatten().and_then(|h| feedback_model::outbox::retry_after_seconds(&h));
    Ok((resp.status(), text, retry_after))
}

fn init(method: &str) -> RequestInit {
    let init = RequestInit::new();
    init.set_method(method);
    // Anonymous by default: no cookies, no referrer.
    init.set_credentials(RequestCredentials::Omit);
    init.set_referrer("");
    init
}

/// Fetches a file of the app (config, form) as text, asking the server whether it
/// changed, so a deployment's edits show at once.
pub async fn get_text(url: &str) -> Result<String, FetchError> {
    get_texts(&[url]).await.pop().unwrap_or(Err(FetchError::Network))
}

/// Fetches several files at once (the requests go out together), answering in order.
pub async fn get_texts(urls: &[&str]) -> Vec<Result<String, FetchError>> {
    let started: Vec<_> = urls
        .iter()
        .map(|url| {
            let init = init("GET");
            init.set_cache(RequestCache::NoCache);
            start(Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Network)?)
        })
        .collect();
    let mut out = Vec::with_capacity(started.len());
    for s in started {
        out.push(match s {
            Ok(promise) => match answer(promise).await {
                Ok((200..=299, text, _)) => Ok(text),
                Ok((status, text, retry_after)) => Err(FetchError::Status(status, text, retry_after)),
                Err(e) => Err(e),
            },
            Err(e) => Err(e),
        });
    }
    out
}

/// Posts a JSON body with an `Idempotency-Key`, giving up after [`SEND_TIMEOUT_MS`].
/// Returns the status and body of any 2xx answer.
pub async fn post_json(url: &str, body: &str, idempotency_key: &str) -> Result<(u16, String), FetchError> {
    let init = init("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = web_sys::Headers::new().map_err(|_| FetchError::Network)?;
    headers.set("Content-Type", "application/json").map_err(|_| FetchError::Network)?;
    headers.set("Idempotency-Key", idempotency_key).map_err(|_| FetchError::Network)?;
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().ok();
    // The timer that gives up is cleared once an answer (or a failure) has come.
    let timer = controller.as_ref().and_then(|c| {
        init.set_signal(Some(&c.signal()));
        let c = c.clone();
        let limit = std::time::Duration::from_millis(SEND_TIMEOUT_MS as u64);
        leptos::prelude::set_timeout_with_handle(move || c.abort(), limit).ok()
    });
    let req = Request::new_with_str_and_init(url, &init).map_err(|_| FetchError::Network)?;
    let answered = answer(start(req)?).await;
    if let Some(t) = timer {
        t.clear();
    }
    match answered? {
        (status @ 200..=299, text, _) => Ok((status, text)),
        (status, text, retry_after) => Err(FetchError::Status(status, text, retry_after)),
    }
}
