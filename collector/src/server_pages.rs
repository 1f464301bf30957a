//! SPIKE (feature `ssr`): the start page drawn on the server from the app's own components
//! (`feedback_form::server`), so its words are in the first HTML a browser receives. The
//! files are read on each request, so an edit to `config.json` or a form on the server shows
//! at once; anything that cannot be drawn falls back to the plain `index.html`.

use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use feedback_form::server::LanguageTexts;
use feedback_model::Config;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::{Layer, ServiceExt};
use tower_http::compression::CompressionLayer;

/// Draws `GET /` and `GET /index.html` on the server; anything that cannot be drawn (a file
/// missing or unreadable) is served as before, as the plain `index.html`.
pub(crate) fn serve(app: Router, dir: &Path) -> Router {
    let dir: Arc<PathBuf> = Arc::new(dir.to_path_buf());
    app.layer(middleware::from_fn(move |req: Request, next: Next| {
        let dir = dir.clone();
        async move {
            let path = req.uri().path();
            if req.method() != Method::GET || (path != "/" && path != "/index.html") {
                return next.run(req).await;
            }
            let lang = req.uri().query().and_then(language_param);
            match tokio::task::spawn_blocking(move || start_page(&dir, lang.as_deref())).await {
                Ok(Some(html)) => drawn(html, req).await,
                _ => next.run(req).await,
            }
        }
    }))
}

/// The drawn page, compressed as it is sent (it is drawn for each request; the static files
/// have their compressed copies made at build time).
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
/// read (then the plain page is served).
fn start_page(dir: &Path, lang: Option<&str>) -> Option<String> {
    let index = std::fs::read_to_string(dir.join("index.html")).ok()?;
    let config = std::fs::read_to_string(dir.join("config.json")).ok()?;
    let parsed = Config::parse(&config).ok()?;
    let form = std::fs::read_to_string(dir.join(parsed.form_path())).ok()?;
    // Another language's files; if any is missing the page is drawn in the form's own.
    let language = lang.and_then(|lang| {
        Some(LanguageTexts {
            lang: lang.to_owned(),
            locale: std::fs::read_to_string(dir.join(format!("locales/{lang}.json"))).ok()?,
            translation: std::fs::read_to_string(dir.join(format!("forms/{}.{lang}.json", parsed.form))).ok()?,
        })
    });
    let page = feedback_form::server::start_page(&config, &form, language.as_ref()).ok()?;
    Some(splice(&index, &page))
}

/// Puts the drawn page into trunk's `index.html` (minified or not): `<html lang dir>`, the
/// title, the embedded configuration and form at the end of `<head>`, and the body.
fn splice(index: &str, page: &feedback_form::server::Page) -> String {
    let html = index.find("<html").and_then(|i| Some((i, i + index[i..].find('>')? + 1)));
    let (html_start, html_end) = html.unwrap_or((0, 0));
    let body = index.find("<body>").unwrap_or(index.len());
    let mut head = index[html_end..body].to_owned();
    if let (Some(a), Some(b)) = (head.find("<title>"), head.find("</title>")) {
        head.replace_range(a..b + "</title>".len(), &format!("<title>{}</title>", escape(&page.title)));
    }
    let at = head.rfind("</head>").unwrap_or(head.len());
    head.insert_str(at, &page.head);
    let head = app_after_load(&head);
    format!(
        r#"{}<html lang="{}" dir="{}">{head}<body>{}</body></html>"#,
        &index[..html_start],
        page.lang,
        page.dir,
        page.body
    )
}

/// SPIKE: the app is fetched once the drawn page has loaded, not while it is read: no preload
/// of the script and WebAssembly, and trunk's loader runs on `load`. The words need no app;
/// fetched early, the WebAssembly finishes before the first paint on a fast link, and
/// Lighthouse's simulation of a slow one then waits for it before the words (LCP 1.8 s, not
/// 0.66 s, measured). A tap before the app has started is a real link's, so it is not lost.
fn app_after_load(head: &str) -> String {
    let mut out = String::with_capacity(head.len());
    let mut rest = head;
    while let Some(i) = rest.find("<link") {
        let end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i..end];
        out.push_str(&rest[..i]);
        if !(tag.contains("modulepreload") || tag.contains("application/wasm")) {
            out.push_str(tag);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let marker = "<script type=module>import init, * as bindings from ";
    let Some(i) = out.find(marker) else { return out };
    let from = i + marker.len();
    let Some(semi) = out[from..].find(';') else { return out };
    let module = out[from..from + semi].to_owned();
    let Some(close) = out[from..].find("</script>") else { return out };
    let body = out[from + semi + 1..from + close].to_owned();
    let script = format!(
        "<script type=module>addEventListener(\"load\",async()=>{{const bindings=await import({module}),init=bindings.default;{body}}})</script>"
    );
    out.replace_range(i..from + close + "</script>".len(), &script);
    out
}

/// The language asked for by `?lang=`, if it is a language tag (so it is safe in a file name).
fn language_param(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))
        .filter(|l| feedback_model::is_language_tag(l))
        .map(str::to_owned)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;")
}
