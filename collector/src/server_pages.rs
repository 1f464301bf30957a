//! Pages drawn on the server from the app's own components (`feedback_form::server`), so
//! the start page's words are in the first HTML a browser receives, in the form's own
//! language or the one asked for by `?lang=`, and the app takes the page over (hydrates).
//!
//! The files are read on each request, so an edit to `config.json`, a form or a language on
//! the server shows at once, with no rebuild. Anything that cannot be drawn (a file missing,
//! unreadable or broken) is served as before: the plain `index.html`, whose app then shows
//! what is wrong on its error page.

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use feedback_form::server::{Page, Texts};
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::{Layer, ServiceExt};
use tower_http::compression::CompressionLayer;

/// Draws `GET /` and `GET /index.html` on the server, in front of `app` (which serves
/// everything else, and the plain page when it cannot be drawn).
pub(crate) fn serve(app: Router, dir: &Path) -> Router {
    let dir: Arc<PathBuf> = Arc::new(dir.to_path_buf());
    app.layer(middleware::from_fn(move |req: Request, next: Next| {
        let dir = dir.clone();
        async move {
            let path = req.uri().path();
            if req.method() != Method::GET || (path != "/" && path != "/index.html") {
                return next.run(req).await;
            }
            let lang = req.uri().query().and_then(language_param).map(str::to_owned);
            match tokio::task::spawn_blocking(move || start_page(&dir, lang.as_deref())).await {
                Ok(Some(html)) => drawn(html, req).await,
                _ => next.run(req).await,
            }
        }
    }))
}

/// The drawn page, compressed as it is sent (it is drawn for each request; the static files
/// have their compressed copies made at build time). Never kept without asking: it carries
/// `config.json` and the form, which may change at any time.
async fn drawn(html: String, req: Request) -> Response {
    let page = tower::service_fn(move |_: Request| {
        let mut res = (StatusCode::OK, html.clone()).into_response();
        let h = res.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        async move { Ok::<_, Infallible>(res) }
    });
    match CompressionLayer::new().layer(page).oneshot(req).await {
        Ok(res) => res.into_response(),
        Err(never) => match never {},
    }
}

/// `index.html` with the start page drawn in it, or `None` if a file is missing or cannot be
/// read or used (then the plain page is served).
fn start_page(dir: &Path, lang: Option<&str>) -> Option<String> {
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    let index = read("index.html")?;
    let page = feedback_form::server::start_page(&Texts::read_with(read, lang)?).ok()?;
    splice(&index, &page)
}

/// Puts the drawn page into trunk's `index.html` (minified or not): `<html lang dir>`, the
/// title, the texts it was drawn from at the end of `<head>`, and the body in place of the
/// page's "Loading the form…" (its `<noscript>` message stays, after it). `None` if the page
/// is not shaped as trunk writes it.
fn splice(index: &str, page: &Page) -> Option<String> {
    let html_start = index.find("<html")?;
    let html_end = html_start + index[html_start..].find('>')? + 1;
    let head_end = index.rfind("</head>")?;
    let body_start = head_end + index[head_end..].find("<body")?;
    let body_open_end = body_start + index[body_start..].find('>')? + 1;
    let body_end = index.rfind("</body>")?;
    let mut head = index[html_end..head_end].to_owned();
    let title = head.find("<title>").zip(head.find("</title>"));
    if let Some((a, b)) = title.filter(|(a, b)| a < b) {
        head.replace_range(a..b + "</title>".len(), &format!("<title>{}</title>", escape(&page.title)));
    }
    // What follows "Loading the form…" stays: the `<noscript>` message, and any script.
    let body = &index[body_open_end..body_end];
    let rest = body.find("<noscript").or_else(|| body.find("<script")).map_or("", |i| &body[i..]);
    Some(format!(
        r#"{}<html lang="{}" dir="{}">{head}{}</head>{}{}{rest}</body></html>"#,
        &index[..html_start],
        page.lang,
        page.dir,
        page.head,
        &index[head_end + "</head>".len()..body_open_end],
        page.body,
    ))
}

/// The language asked for by `?lang=` (`Texts::read_with` takes only a language tag).
fn language_param(query: &str) -> Option<&str> {
    query.split('&').find_map(|pair| pair.strip_prefix("lang="))
}

/// Text made safe in an element's content.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}
