//! Pages drawn on the server from the app's own components (`feedback_form::server`): the
//! start page, whose words are in the first HTML a browser receives and which the app takes
//! over (hydrates), and every other screen of the journey for a person with no app (no
//! WebAssembly or no JavaScript: Lockdown Mode, a locked-down computer, an old phone).
//!
//! All at one address, the form's own (`/`, or `/index.html`): `GET` draws the start page of
//! a new set of answers; `POST` takes a page's form (`feedback_model::post`) and answers with
//! the next screen, drawn there and then. No cookie and no session: what the person has
//! answered travels in the pages' hidden fields, and nothing is stored until Send, which
//! stores the submission exactly once by the id chosen when the start page was drawn.
//! Answers are never in an address, so never in the browser's history or a log.
//!
//! In a partner's frame (the address has `embed=1`) every drawn page is marked `data-embed` and
//! takes the frame's stylesheet; a Send from a page whose address has `source=<label>` stores the
//! label with the answers when config.json's `embed.sources` lists it, and nothing otherwise.
//!
//! **The honeypot.** The pages' forms carry a field a person never sees or reaches
//! ([`feedback_model::HONEYPOT_FIELD`], drawn empty): a Send that comes with it filled is from a
//! program filling in every field. It is answered exactly as a Send that was stored (the same
//! confirmation page, 200), so the program learns nothing, but nothing is stored; it is counted
//! ([`crate::abuse::Guard::honeypot`], in the log). Any other button with it filled goes on as usual.
//!
//! The files are read on each request, so an edit to `config.json`, a form or a language on
//! the server shows at once, with no rebuild. A start page that cannot be drawn (a file
//! missing, unreadable or broken) is served as before: the plain `index.html`, whose app then
//! shows what is wrong on its error page.

use crate::routes::{check_submission, log, read_body, seal_here, store, AppState, BodyError, RETRY_SECONDS};
use crate::store::NewSubmission;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use feedback_form::server::{Page, Reply, Texts};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::{Layer, ServiceExt};
use tower_http::compression::CompressionLayer;

/// When a page cannot be drawn after a POST (its files missing or broken).
const CANNOT_SHOW: &str = "This form cannot be shown just now. Please try again later.";

/// The text of a file of the app's folder, `None` if it cannot be read (read for each page, so
/// an edit shows at once).
fn reader(dir: &Path) -> impl Fn(&str) -> Option<String> + '_ {
    move |name| std::fs::read_to_string(dir.join(name)).ok()
}

/// Draws `/` and `/index.html` on the server, in front of `app` (which serves everything
/// else, and the plain page when it cannot be drawn).
pub(crate) fn serve(app: Router, dir: &Path, state: AppState) -> Router {
    let dir: Arc<PathBuf> = Arc::new(dir.to_path_buf());
    app.layer(middleware::from_fn(move |req: Request, next: Next| {
        let (dir, state) = (dir.clone(), state.clone());
        async move {
            let path = req.uri().path();
            if path != "/" && path != "/index.html" {
                return next.run(req).await;
            }
            let query = req.uri().query().unwrap_or("");
            let lang = param(query, "lang").map(str::to_owned);
            let embed = param(query, "embed") == Some("1");
            let source = state.embed.now().embed.as_ref().and_then(|e| e.source_for(param(query, "source")));
            let keep = Keep { embed, source };
            if req.method() == Method::POST {
                return posted(req, &dir, lang, keep, &state).await;
            }
            if req.method() != Method::GET {
                return next.run(req).await;
            }
            let drawn_dir = dir.clone();
            match tokio::task::spawn_blocking(move || start_page(&drawn_dir, lang.as_deref(), &keep)).await {
                Ok(Some(html)) => drawn(StatusCode::OK, html, req).await,
                _ => next.run(req).await,
            }
        }
    }))
}

/// What a drawn page keeps of its address: `embed=1` in a partner's frame, and `source`, the partner's label,
/// when config.json lists it. Its forms post to the page's own address, so they keep both; its links (the
/// languages, Start again) are written to keep them too.
struct Keep {
    embed: bool,
    source: Option<String>,
}

impl Keep {
    /// The query the page's links keep before their own `lang`, as written in an attribute (`&amp;`); empty
    /// when there is nothing to keep. (A listed label is only a-z, 0-9, - and _.)
    fn query(&self) -> String {
        let embed = self.embed.then_some("embed=1".to_owned());
        let source = self.source.as_ref().map(|s| format!("source={s}"));
        embed.into_iter().chain(source).collect::<Vec<_>>().join("&amp;")
    }
}

/// A page's POST: the next screen; Send stores the answers first, with `keep.source` (the partner's label from
/// the page's address, when config.json lists it).
async fn posted(req: Request, dir: &Arc<PathBuf>, lang: Option<String>, keep: Keep, state: &AppState) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match read_body(body, state.max_bytes).await {
        Ok(b) => b,
        Err(BodyError::TooBig) => return plain(StatusCode::PAYLOAD_TOO_LARGE, "The answers are too long to take."),
        Err(_) => {
            return plain(StatusCode::BAD_REQUEST, "The answers did not arrive whole. Please go back and try again.")
        }
    };
    let req = Request::from_parts(parts, axum::body::Body::empty());
    let honeypot = feedback_model::parse_body(&bytes)
        .iter()
        .any(|(name, value)| name == feedback_model::HONEYPOT_FIELD && !value.is_empty());
    let dir = dir.clone();
    let sent_at = crate::now_rfc3339();
    let reply = tokio::task::spawn_blocking(move || {
        let read = reader(&dir);
        let texts = Texts::read_with(&read, lang.as_deref())?;
        let reply = feedback_form::server::answer(&texts, &bytes, &sent_at).ok()?;
        let index = read("index.html")?;
        Some((reply, index))
    })
    .await;
    let Ok(Some((reply, index))) = reply else {
        return plain(StatusCode::INTERNAL_SERVER_ERROR, CANNOT_SHOW);
    };
    let (status, page) = match reply {
        Reply::Show(page) => (StatusCode::OK, page),
        Reply::Refused { problems, page } => {
            log(&format!("refused a page with no app: 422 ({} problems)", problems.len()));
            (StatusCode::UNPROCESSABLE_ENTITY, page)
        }
        Reply::Store { page, .. } if honeypot => {
            let caught = state.guard.honeypot.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            log(&format!("a Send with no app filled the hidden field: answered as sent, not stored ({caught} so far)"));
            (StatusCode::OK, page)
        }
        Reply::Store { mut submission, page } => {
            submission.source = keep.source.clone();
            let id = submission.submission_id.clone();
            if check_submission(&submission, &state.forms).is_err() {
                log(&format!("submission {id} (no app): refused, 422"));
                return plain(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "These answers are for a form this server does not take.",
                );
            }
            let payload = serde_json::to_string(&submission).unwrap_or_default();
            // With encryption, the answers are sealed for config.json's key here, as the app seals them, so that
            // none are stored in clear (a page with no app has no Web Crypto to seal them in the browser).
            let new = match &state.embed.now().encryption {
                None => Some(NewSubmission::plain(&submission, payload, crate::now_rfc3339())),
                Some(e) => seal_here(e, &submission, &payload),
            };
            let Some(new) = new else {
                log("a Send with no app could not be sealed: config.json's encryption public_key is not a P-256 point");
                return plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Your answers could not be stored just now. Nothing is lost: go back and press Send again.",
                );
            };
            if store(state, new).await.is_err() {
                let mut res = plain(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Your answers could not be stored just now. Nothing is lost: go back and press Send again.",
                );
                res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static(RETRY_SECONDS));
                return res;
            }
            (StatusCode::OK, page)
        }
    };
    match splice(&index, &page, &keep) {
        Some(html) => drawn(status, html, req).await,
        None => plain(StatusCode::INTERNAL_SERVER_ERROR, CANNOT_SHOW),
    }
}

/// A short reply in plain text, for what cannot be drawn as a page.
fn plain(status: StatusCode, text: &'static str) -> Response {
    let mut res = (status, text).into_response();
    res.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The drawn page, compressed as it is sent (it is drawn for each request; the static files
/// have their compressed copies made at build time). Never kept (`no-store`): it carries the
/// id of a new set of answers, or answers, which must not come back from a cache or from the
/// browser's back-forward cache to the next person on the same device.
async fn drawn(status: StatusCode, html: String, req: Request) -> Response {
    let page = tower::service_fn(move |_: Request| {
        let mut res = (status, html.clone()).into_response();
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        async move { Ok::<_, Infallible>(res) }
    });
    match CompressionLayer::new().layer(page).oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    }
}

/// `index.html` with the start page of a new set of answers drawn in it, or `None` if a file
/// is missing or cannot be read or used (then the plain page is served).
fn start_page(dir: &Path, lang: Option<&str>, keep: &Keep) -> Option<String> {
    let read = reader(dir);
    let index = read("index.html")?;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    let id = feedback_model::uuid_v4_from_bytes(bytes);
    let texts = Texts::read_with(&read, lang)?;
    let mut page = feedback_form::server::start_page(&texts, &id).ok()?;
    // A shared device (a peer researcher's tablet) needs the app, which keeps each person's answers from the
    // next: with no JavaScript, its start page says so (after the app's markup, which the app takes over).
    if feedback_model::Config::parse(&texts.config).is_ok_and(|c| c.shared_device) {
        let words = |l: &str| read(&format!("shared/{l}.json")).and_then(|j| feedback_model::parse_json(&j).ok());
        let needs_app = words(&page.lang).or_else(|| words("en")).and_then(|w| w["needs_app"].as_str().map(escape));
        if let Some(text) = needs_app {
            page.body.push_str(&format!(
                r#"<noscript><div class="width-container"><div class="notice" id="needs-app"><p class="body">{text}</p></div></div></noscript>"#
            ));
        }
    }
    splice(&index, &page, keep)
}

/// Puts the drawn page into trunk's `index.html` (minified or not): `<html lang dir>`, the
/// title, the texts it was drawn from at the end of `<head>`, and the body in place of the
/// page's "Loading the form…" (its `<noscript>` message stays, after it). `None` if the page
/// is not shaped as trunk writes it. In a partner's frame (`keep.embed`), `<html>` also has
/// `data-embed` and `<head>` ends with the frame's own stylesheet, after the page's styles; the
/// page's links keep what `keep` names of the address.
fn splice(index: &str, page: &Page, keep: &Keep) -> Option<String> {
    let html_start = index.find("<html")?;
    let html_end = html_start + index[html_start..].find('>')? + 1;
    let head_end = index.rfind("</head>")?;
    let body_start = head_end + index[head_end..].find("<body")?;
    let body_open_end = body_start + index[body_start..].find('>')? + 1;
    let body_end = index.rfind("</body>")?;
    let mut head = index[html_end..head_end].to_owned();
    // The policy a static host gets as a meta (scripts/csp.mjs) is this server's header, which follows
    // config.json's endpoint as it is edited; two policies would both apply.
    if let Some(at) = head.find(r#"<meta http-equiv="Content-Security-Policy""#) {
        if let Some(end) = head[at..].find('>') {
            head.replace_range(at..at + end + 1, "");
        }
    }
    let title = head.find("<title>").zip(head.find("</title>"));
    if let Some((a, b)) = title.filter(|(a, b)| a < b) {
        head.replace_range(a..b + "</title>".len(), &format!("<title>{}</title>", escape(&page.title)));
    }
    // What follows "Loading the form…" stays: the `<noscript>` message, and any script.
    let body = &index[body_open_end..body_end];
    let rest = body.find("<noscript").or_else(|| body.find("<script")).map_or("", |i| &body[i..]);
    let (embed_attribute, embed_style) =
        if keep.embed { (" data-embed", r#"<link rel="stylesheet" href="embed/frame.css">"#) } else { ("", "") };
    let body = keep_in_links(&page.body, &keep.query());
    Some(format!(
        r#"{}<html lang="{}" dir="{}"{embed_attribute}>{head}{}{embed_style}</head>{}{}{rest}</body></html>"#,
        &index[..html_start],
        page.lang,
        page.dir,
        page.head,
        &index[head_end + "</head>".len()..body_open_end],
        body,
    ))
}

/// The page's links to the form's own address (the language picker's `?lang=…`, and Start again's `./` or
/// `./?lang=…`, as the app's components draw them) with `kept` before their own query, so that a person who
/// picks a language or starts again in a partner's frame stays in it, under the partner's label.
fn keep_in_links(body: &str, kept: &str) -> String {
    if kept.is_empty() {
        return body.to_owned();
    }
    body.replace(r#"href="?lang="#, &format!(r#"href="?{kept}&amp;lang="#))
        .replace(r#"href="./?lang="#, &format!(r#"href="./?{kept}&amp;lang="#))
        .replace(r#"href="./""#, &format!(r#"href="./?{kept}""#))
}

/// The first value of `name` in the address's query, as it is written: `lang` (`Texts::read_with` takes only
/// a language tag), `embed` (`1` in a partner's frame) and `source` (a label, used only if config.json lists
/// it). Their values are only a-z, 0-9, - and _, which no browser percent-encodes, so none is decoded.
fn param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// Text made safe in an element's content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}
