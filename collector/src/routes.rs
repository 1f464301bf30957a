//! The HTTP side: `POST /api/submissions`, `GET /api/health`, the built app, and
//! headers common to every reply.

use crate::embed::Settings;
use crate::group::GroupCommit;
use crate::store::{NewSubmission, Outcome};
use crate::Forms;
use crate::Limits;
use axum::body::{Body, Bytes};
use axum::error_handling::HandleErrorLayer;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, RETRY_AFTER, SET_COOKIE,
    STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use feedback_model::{Encryption, Envelope, Submission};
use http_body_util::BodyExt;
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::{BoxError, ServiceBuilder};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// After a body passes the limit, up to this much more is read and thrown away, so
/// the sender is still connected to read the 413 reply.
const DRAIN_BYTES: usize = 1024 * 1024;
/// The longest a sender may take to send a body.
const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// The `Idempotency-Key` header: the submission's id, so a retry is recognised.
const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");

/// What every request handler shares.
#[derive(Clone)]
pub struct AppState {
    /// Where submissions are kept: the queue to the store's one writer.
    pub store: GroupCommit,
    /// The forms, by id.
    pub forms: Arc<Forms>,
    /// The largest body taken, in bytes.
    pub max_bytes: usize,
    /// config.json's embedding settings (which sites may frame the form, which partners' labels are taken).
    pub(crate) embed: Arc<crate::embed::Settings>,
    /// Whether to send `Strict-Transport-Security` (`--hsts`: only where the collector is reached over https).
    pub hsts: bool,
    /// The rate limit and the counts of what was turned away (the honeypot's among them).
    pub(crate) guard: Arc<crate::abuse::Guard>,
    /// The proof of work a posted submission must carry ([`crate::ServeOptions::stamp_bits`]).
    pub(crate) stamp_bits: u8,
}

/// The whole application: API routes, the optional built app, CORS for the given
/// origins (none when empty), and the common headers; in front of the routes, from the outside in:
/// the rate limit ([`crate::abuse`]), the time limit on a whole request, and the cap on requests
/// handled at once (beyond it, 503 with `Retry-After` at once: tower's load-shed over its global
/// concurrency limit, one count for every route).
pub fn router(state: AppState, static_dir: Option<&Path>, allow_origins: &[String], limits: &Limits) -> Router {
    let pages_state = state.clone();
    let headers = (Arc::clone(&state.embed), state.hsts);
    let guard = Arc::clone(&state.guard);
    let api = Router::new()
        .route("/api/submissions", post(submit))
        .route("/api/health", get(health))
        .route("/api", any(not_found))
        .route("/api/", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state);
    let app = match static_dir {
        Some(dir) => crate::server_pages::serve(crate::static_files::serve(api, dir), dir, pages_state),
        None => api.fallback(not_found),
    };
    let mut app = app
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(busy))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(limits.max_requests)),
        )
        .layer(middleware::from_fn_with_state(limits.request_timeout, time_limit))
        .layer(middleware::from_fn_with_state(guard, crate::abuse::limit));
    if !allow_origins.is_empty() {
        let origins: Vec<HeaderValue> = allow_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::POST])
                .allow_headers([CONTENT_TYPE, IDEMPOTENCY_KEY])
                .expose_headers([RETRY_AFTER])
                .max_age(Duration::from_secs(600)),
        );
    }
    app.layer(middleware::from_fn_with_state(headers, common_headers))
}

/// Every browser feature a page may ask for that the form does not use, turned off (for the page and any frame
/// in it); the screen kept on (a shared tablet's session) only for the page itself. Features Chromium knows,
/// as one it does not is reported in the console.
const PERMISSIONS: &str = "accelerometer=(), autoplay=(), bluetooth=(), camera=(), display-capture=(), \
    encrypted-media=(), fullscreen=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), magnetometer=(), \
    microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), \
    screen-wake-lock=(self), serial=(), usb=(), xr-spatial-tracking=()";

/// Headers on every reply: the page's policy ([`crate::embed::content_security_policy`]: what it may load,
/// run and send to, and which sites may frame it), no sniffing, no referrer, no cookies, no browser feature
/// the form does not use ([`PERMISSIONS`]), a page opened from it kept apart from it, files not to be taken
/// into other sites' pages (but the partner's loader, `embed/embed.js`, which is made for them),
/// `Strict-Transport-Security` with `--hsts`, and caching rules.
/// API replies are never stored. A file whose name carries trunk's hash of its contents
/// ([`is_content_hashed`]) is kept for a year without asking again, as a new version has a
/// new name; every other file (the page, `config.json`, the service worker, the manifest,
/// forms, locales, pictures) is checked for changes on each use (`no-cache`).
async fn common_headers(State((embed, hsts)): State<(Arc<Settings>, bool)>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    res.headers_mut().insert(CONTENT_SECURITY_POLICY, embed.now().policy.clone());
    let h = res.headers_mut();
    h.insert(HeaderName::from_static("permissions-policy"), HeaderValue::from_static(PERMISSIONS));
    h.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    let corp = if path == "/embed/embed.js" { "cross-origin" } else { "same-origin" };
    h.insert(HeaderName::from_static("cross-origin-resource-policy"), HeaderValue::from_static(corp));
    if hsts {
        h.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    let is_html =
        res.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    let found = res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED;
    let h = res.headers_mut();
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.remove(SET_COOKIE);
    if path == "/api" || path.starts_with("/api/") {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if h.contains_key(CACHE_CONTROL) {
        // A reply that chose its own rule keeps it: the page standing in for a missing file says no-cache.
    } else if found && !is_html && is_content_hashed(&path) {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    } else if found && is_picture(&path) {
        // Icons and the scales' pictures change rarely and are not worth a request on every
        // visit over a slow network (or a failed one offline): a day, then asked again.
        h.insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    } else {
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    res
}

/// A request beyond the cap on requests handled at once: 503, try again shortly.
async fn busy(uri: Uri, _: BoxError) -> Response {
    log("a request was turned away: 503 (too many at once)");
    let text = "The server is busy just now. Please try again in a few seconds.";
    let mut res = if uri.path().starts_with("/api/") {
        refuse(StatusCode::SERVICE_UNAVAILABLE, text, vec![])
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, text).into_response()
    };
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static(RETRY_SECONDS));
    res
}

/// The time limit on a whole request, from its headers to its reply: 408 past it (a request the
/// app's outbox sends again, with the same id, so stored once).
async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            log(&format!("a request took longer than {} s: 408", limit.as_secs()));
            let text = "The request took too long. Please try again.";
            if api {
                refuse(StatusCode::REQUEST_TIMEOUT, text, vec![])
            } else {
                (StatusCode::REQUEST_TIMEOUT, text).into_response()
            }
        }
    }
}

/// Whether the address is one of the app's icons or the scales' pictures.
fn is_picture(path: &str) -> bool {
    (path.starts_with("/icons/") || path.starts_with("/pictures/"))
        && [".svg", ".png", ".webp", ".jpg", ".ico"].iter().any(|ext| path.ends_with(ext))
}

/// Whether the address's last part is a file name trunk made from a hash of the file's
/// contents: `{name}-{hash}.{ext}` or `{name}-{hash}_bg.wasm`, the hash being a 64-bit
/// number in lowercase hex (`{:x}`, so up to 16 digits). At least 12 digits are asked for,
/// so that names like `icon-192.png` are not taken for hashes; a hash that short (about 1
/// in a million) only costs that build the long cache.
fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, ext)) = name.split_once('.') else {
        return false;
    };
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let Some((base, hash)) = stem.rsplit_once('-') else {
        return false;
    };
    !base.is_empty()
        && !ext.is_empty()
        && (12..=16).contains(&hash.len())
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A refusal: `{"error": sentence, "problems": [...]}`.
fn refuse(status: StatusCode, error: &str, problems: Vec<String>) -> Response {
    (status, Json(json!({ "error": error, "problems": problems }))).into_response()
}

async fn health() -> Response {
    Json(json!({ "status": "ok" })).into_response()
}

async fn not_found() -> Response {
    refuse(StatusCode::NOT_FOUND, "There is nothing at this address.", vec![])
}

async fn method_not_allowed() -> Response {
    refuse(StatusCode::METHOD_NOT_ALLOWED, "This address does not take that kind of request.", vec![])
}

pub(crate) enum BodyError {
    TooBig,
    TooSlow,
    Broken,
}

/// Reads at most `max` bytes of body. A longer body is read on (and thrown away)
/// up to [`DRAIN_BYTES`] more, whether or not it declared its length.
pub(crate) async fn read_body(mut body: Body, max: usize) -> Result<Bytes, BodyError> {
    let deadline = Instant::now() + BODY_TIMEOUT;
    let mut buf = Vec::new();
    let mut seen = 0usize;
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) if seen > max => return Err(BodyError::TooBig),
            Err(_) => return Err(BodyError::TooSlow),
            Ok(None) => break,
            Ok(Some(Err(_))) if seen > max => return Err(BodyError::TooBig),
            Ok(Some(Err(_))) => return Err(BodyError::Broken),
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen <= max {
            buf.extend_from_slice(&data);
        } else if seen > max.saturating_add(DRAIN_BYTES) {
            break;
        }
    }
    if seen > max {
        Err(BodyError::TooBig)
    } else {
        Ok(Bytes::from(buf))
    }
}

/// Whether the request says its body is JSON in UTF-8 (`Content-Type: application/json`, with no charset or
/// `charset=utf-8`), as `POST /api/submissions` asks before reading a submission (415 otherwise).
///
/// ```
/// use axum::http::{header::CONTENT_TYPE, HeaderMap, HeaderValue};
/// let mut headers = HeaderMap::new();
/// headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
/// assert!(collector::routes::is_json(&headers));
/// ```
pub fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let mut parts = ct.split(';');
    let essence = parts.next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        && parts.all(|p| {
            let p = p.trim();
            match p.split_once('=') {
                Some((k, v)) if k.trim().eq_ignore_ascii_case("charset") => {
                    v.trim().trim_matches('"').eq_ignore_ascii_case("utf-8")
                }
                _ => p.is_empty(),
            }
        })
}

pub(crate) fn log(what: &str) {
    eprintln!("{} {what}", crate::now_rfc3339());
}

/// `POST /api/submissions`: check, then store exactly once.
async fn submit(State(app): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let body = read_body(body, app.max_bytes).await;
    if !is_json(&headers) {
        log("refused a submission: 415 (not JSON)");
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "The answers must be sent as JSON, with Content-Type: application/json.",
            vec![],
        );
    }
    let bytes = match body {
        Ok(b) => b,
        Err(BodyError::TooBig) => {
            log("refused a submission: 413 (too large)");
            return refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("The answers are too long to take: the most is {} bytes.", app.max_bytes),
                vec![],
            );
        }
        Err(BodyError::TooSlow) => {
            log("refused a submission: 408 (too slow)");
            return refuse(
                StatusCode::REQUEST_TIMEOUT,
                "The answers took too long to arrive. Please try again.",
                vec![],
            );
        }
        Err(BodyError::Broken) => {
            log("refused a submission: 400 (broken body)");
            return refuse(StatusCode::BAD_REQUEST, "The answers did not arrive whole. Please try again.", vec![]);
        }
    };
    let Ok(payload) = std::str::from_utf8(&bytes) else {
        log("refused a submission: 400 (not UTF-8)");
        return refuse(StatusCode::BAD_REQUEST, "The request body is not valid UTF-8 text.", vec![]);
    };
    if feedback_model::is_envelope(payload) {
        return submit_sealed(&app, &headers, payload).await;
    }
    let submission = match read_submission(payload) {
        Ok(s) => s,
        Err(refusal) => {
            log("refused a submission: 400 (not a submission)");
            return refuse(StatusCode::BAD_REQUEST, refusal.error, refusal.problems);
        }
    };
    let settings = app.embed.now();
    let id = &submission.submission_id;
    if let Some(refused) = idempotency_refusal(&headers, id).or_else(|| stamp_refusal(&app, id, submission.stamp)) {
        return refused;
    }
    let listed = settings.source_problem(&submission);
    if let Err(refusal) = and_listed(check_submission(&submission, &app.forms), listed) {
        // The id is only named once it is known to be a well-formed UUID.
        if feedback_model::is_uuid_v4(id) {
            log(&format!("submission {id}: refused, 422"));
        } else {
            log("refused a submission: 422");
        }
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, refusal.error, refusal.problems);
    }
    let new = match &settings.encryption {
        None => NewSubmission::plain(&submission, payload.to_owned(), crate::now_rfc3339()),
        // Answers in clear to a deployment whose config.json has a key: queued on a device before the key was
        // configured, or sent by an app that had not read it yet. Refused, they would be lost for good (a 422 is
        // final); stored as they came, the database would hold answers in clear. So they are sealed here for the
        // key, as a Send from a page with no app is, and stored as any envelope.
        Some(e) => match seal_here(e, &submission, payload) {
            Some(new) => {
                log(&format!("submission {id}: arrived in clear, sealed here for key {}", e.key_id));
                new
            }
            None => return not_sealed(),
        },
    };
    stored_reply(store(&app, new).await, &submission.submission_id)
}

/// A checked submission that arrived in clear (`text`, as received), sealed for config.json's key, as it is
/// stored: `None` if the key is not a P-256 point (config.json's check is of its shape only).
pub(crate) fn seal_here(e: &Encryption, submission: &Submission, text: &str) -> Option<NewSubmission> {
    let sealed = crate::crypt::seal(&e.public_key, &e.key_id, submission, text)?;
    let envelope = serde_json::from_str(&sealed).ok()?;
    Some(NewSubmission::sealed(&envelope, sealed, crate::now_rfc3339()))
}

/// Answers in clear that cannot be sealed for config.json's key: they wait on the device (503) until the key is
/// put right, and the log says what is wrong.
fn not_sealed() -> Response {
    log("a submission in clear could not be sealed: config.json's encryption public_key is not a P-256 point");
    try_again_later()
}

/// `POST /api/submissions` with an envelope: the answers are sealed, so only what is in clear is checked (its
/// shape, a known form, a key id the deployment takes, the proof of work), and the text is stored as received.
async fn submit_sealed(app: &AppState, headers: &HeaderMap, payload: &str) -> Response {
    let envelope = match read_envelope(payload) {
        Ok(e) => e,
        Err(refusal) => {
            log("refused a submission: 400 (not an encrypted submission)");
            return refuse(StatusCode::BAD_REQUEST, refusal.error, refusal.problems);
        }
    };
    let id = &envelope.submission_id;
    if let Some(refused) = idempotency_refusal(headers, id).or_else(|| stamp_refusal(app, id, envelope.stamp)) {
        return refused;
    }
    let settings = app.embed.now();
    let key_ids = settings.encryption.as_ref().map(|e| {
        let mut ids = vec![e.key_id.clone()];
        ids.extend(e.earlier_key_ids.iter().cloned());
        ids
    });
    if let Err(refusal) = check_envelope(&envelope, &app.forms, key_ids.as_deref()) {
        if feedback_model::is_uuid_v4(id) {
            log(&format!("submission {id} (encrypted): refused, 422"));
        } else {
            log("refused an encrypted submission: 422");
        }
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, refusal.error, refusal.problems);
    }
    let new = NewSubmission::sealed(&envelope, payload.to_owned(), crate::now_rfc3339());
    stored_reply(store(app, new).await, &envelope.submission_id)
}

/// A refusal when the `Idempotency-Key` header is given and is not the submission's id.
fn idempotency_refusal(headers: &HeaderMap, id: &str) -> Option<Response> {
    let key = headers.get(IDEMPOTENCY_KEY)?;
    if key.to_str().ok() == Some(id) {
        return None;
    }
    log("refused a submission: 400 (Idempotency-Key differs from submission_id)");
    Some(refuse(StatusCode::BAD_REQUEST, "The Idempotency-Key header must be the same as the submission_id.", vec![]))
}

/// 428 when the submission's proof of work is missing or too weak for this collector ([`crate::abuse::stamp_ok`]).
fn stamp_refusal(app: &AppState, id: &str, stamp: Option<u64>) -> Option<Response> {
    if crate::abuse::stamp_ok(id, stamp, app.stamp_bits) {
        return None;
    }
    app.guard.count_unstamped();
    log("refused a submission: 428 (no proof of work, or too little)");
    // The bits wanted are in the JSON the app already reads, for its outbox (`Outcome::NeedsStamp`).
    let bits = app.stamp_bits;
    let body = json!({
        "error": "The answers need a proof of work (their stamp) before they can be taken. The app makes one \
                  and sends them again.",
        "problems": [format!("the SHA-256 of “feedback-stamp:<submission_id>:<stamp>” must begin with {bits} zero bits")],
        "stamp_bits": bits,
    });
    Some((StatusCode::PRECONDITION_REQUIRED, Json(body)).into_response())
}

/// The reply to a submission given to the store: 201 stored, 200 a duplicate, 503 not stored.
fn stored_reply(outcome: Result<Outcome, NotStored>, id: &str) -> Response {
    match outcome {
        Ok(Outcome::Stored) => {
            (StatusCode::CREATED, Json(json!({ "status": "stored", "submission_id": id }))).into_response()
        }
        Ok(Outcome::Duplicate { .. }) => {
            (StatusCode::OK, Json(json!({ "status": "duplicate", "submission_id": id }))).into_response()
        }
        Err(NotStored) => try_again_later(),
    }
}

/// 503 with `Retry-After`: the answers wait on the device and are sent again.
fn try_again_later() -> Response {
    let mut res =
        refuse(StatusCode::SERVICE_UNAVAILABLE, "The answers could not be stored just now. Please try again.", vec![]);
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static(RETRY_SECONDS));
    res
}

/// Why a submission is not taken: the sentence for the sender and each problem found.
/// `POST /api/submissions` answers it as `{"error": …, "problems": […]}`; `collector import`
/// prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The HTTP status it is answered with: 400 (not a submission) or 422 (answers not taken).
    pub status: u16,
    /// One sentence saying what is wrong.
    pub error: &'static str,
    /// Each problem, as a sentence for the sender.
    pub problems: Vec<String>,
}

/// Reads a submission from its JSON text, as `POST /api/submissions` does: a [`Refusal`]
/// with status 400 when the text is not JSON or not in the shape of a submission.
pub fn read_submission(payload: &str) -> Result<Submission, Refusal> {
    not_json(payload)?;
    serde_json::from_str(payload).map_err(|e| Refusal {
        status: 400,
        error: if e.is_data() {
            "The request is JSON but not in the shape of a submission."
        } else {
            "The request body is not valid JSON."
        },
        problems: vec![e.to_string()],
    })
}

/// A [`Refusal`] when the text is not JSON at all. Read whole first, so that a body cut short is said to be
/// one, rather than refused for the first member the shape being read does not expect (an envelope cut short
/// is not known to be an envelope: see [`feedback_model::is_envelope`]).
fn not_json(payload: &str) -> Result<(), Refusal> {
    match serde_json::from_str::<serde::de::IgnoredAny>(payload) {
        Ok(_) => Ok(()),
        Err(e) => {
            Err(Refusal { status: 400, error: "The request body is not valid JSON.", problems: vec![e.to_string()] })
        }
    }
}

/// Reads an encrypted submission (an [`Envelope`]) from its JSON text: a [`Refusal`] with status 400 when it is
/// not JSON or not in the envelope's shape (answers in clear beside the ciphertext among them).
pub fn read_envelope(payload: &str) -> Result<Envelope, Refusal> {
    not_json(payload)?;
    serde_json::from_str(payload).map_err(|e| Refusal {
        status: 400,
        error: if e.is_data() {
            "The request is JSON but not in the shape of an encrypted submission."
        } else {
            "The request body is not valid JSON."
        },
        problems: vec![e.to_string()],
    })
}

/// Checks an envelope as a receiver without the key can ([`Envelope::problems`]): its shape, a form this
/// collector has, and, when `key_ids` is given (config.json's `encryption`: its key id and earlier ones), a key
/// id among them; any well-formed one otherwise. A [`Refusal`] with status 422 listing every problem.
pub fn check_envelope(envelope: &Envelope, forms: &Forms, key_ids: Option<&[String]>) -> Result<(), Refusal> {
    let mut problems = envelope.problems();
    if !forms.contains_key(&envelope.form_id) {
        problems.push(format!("there is no form “{}” here", envelope.form_id));
    }
    let key_id = &envelope.encrypted.key_id;
    if let Some(ids) = key_ids.filter(|ids| !ids.contains(key_id)) {
        problems.push(format!(
            "encrypted.key_id “{key_id}” is not a key this deployment takes (config.json's encryption takes {})",
            ids.iter().map(|id| format!("“{id}”")).collect::<Vec<_>>().join(", ")
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal { status: 422, error: "The encrypted answers could not be taken.", problems })
    }
}

/// Checks a submission against its form with the model's rules ([`Submission::problems`]),
/// as `POST /api/submissions` does before storing it: a [`Refusal`] with status 422 listing
/// every problem.
pub fn check_submission(submission: &Submission, forms: &Forms) -> Result<(), Refusal> {
    let problems = submission.problems(forms.get(&submission.form_id));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Refusal { status: 422, error: "Some of the answers could not be taken.", problems })
    }
}

/// [`check_submission`]'s result with the problem of a `source` config.json does not list
/// ([`crate::embed::Read::source_problem`]) added, as `POST /api/submissions` checks a submission.
/// `collector import` has no config.json to read, and a page with no app takes its label from its address,
/// where one that is not listed is simply left out, so neither refuses a submission for its label.
fn and_listed(checked: Result<(), Refusal>, not_listed: Option<String>) -> Result<(), Refusal> {
    let Some(problem) = not_listed else {
        return checked;
    };
    let mut refusal = checked.err().unwrap_or(Refusal {
        status: 422,
        error: "Some of the answers could not be taken.",
        problems: Vec::new(),
    });
    refusal.problems.push(problem);
    Err(refusal)
}

/// How long to wait before sending again after a submission could not be stored (`Retry-After`).
pub(crate) const RETRY_SECONDS: &str = "5";

/// The database did not store the submission; the reason is in the log.
pub(crate) struct NotStored;

/// Stores a checked submission exactly once, through the store's one writer, and logs what
/// happened by its id only: for `POST /api/submissions` and for Send on a page with no app.
/// `new.payload` is what is kept as received.
pub(crate) async fn store(app: &AppState, new: NewSubmission) -> Result<Outcome, NotStored> {
    let id = new.submission_id.clone();
    let outcome = app.store.insert(new).await;
    match &outcome {
        Ok(Outcome::Stored) => log(&format!("submission {id}: stored")),
        Ok(Outcome::Duplicate { same_payload: true }) => log(&format!("submission {id}: duplicate")),
        Ok(Outcome::Duplicate { same_payload: false }) => {
            log(&format!("submission {id}: duplicate with different content; the first is kept"))
        }
        Err(e) => log(&format!("submission {id}: NOT stored, 503: {e}")),
    }
    outcome.map_err(|_| NotStored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hashed_names_are_trunks() {
        for hashed in [
            "/feedback-form-359af8e488968039.js",
            "/feedback-form-359af8e488968039_bg.wasm",
            "/app-59af8e488968039.js", // a hash with a leading zero has 15 digits
            "/sub/style-0123456789abcdef.css",
            "/feedback-form-359af8e488968039_bg.wasm.br",
        ] {
            assert!(is_content_hashed(hashed), "{hashed}");
        }
        for plain in [
            "/",
            "/index.html",
            "/sw.js",
            "/config.json",
            "/manifest.webmanifest",
            "/forms/remote-support.json",
            "/locales/cy.json",
            "/icons/icon-192.png",
            "/pictures/face-very-good.svg",
            "/app_bg.wasm",
            "/feedback-form-359AF8E488968039.js",
            "/feedback-form-359af8e48896803g.js",
            "/feedback-form-359af8e4889680391.js",
            "/-359af8e488968039.js",
            "/feedback-form-359af8e488968039",
            "/feedback-form-359af8e488968039.",
            "/feedback-form-359af8e488968039.js/",
        ] {
            assert!(!is_content_hashed(plain), "{plain}");
        }
    }

    #[test]
    fn json_content_types() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(CONTENT_TYPE, HeaderValue::from_str(v).unwrap());
            m
        };
        assert!(is_json(&h("application/json")));
        assert!(is_json(&h("Application/JSON; charset=UTF-8")));
        assert!(is_json(&h("application/json;charset=\"utf-8\"")));
        assert!(!is_json(&h("application/json; charset=latin1")));
        assert!(!is_json(&h("text/plain")));
        assert!(!is_json(&h("application/jsonp")));
        assert!(!is_json(&HeaderMap::new()));
    }
}
