//! Drawing the app's pages on the server (native, feature `ssr`), from the same components
//! the browser draws, so the words are on screen before the app has loaded and the app
//! takes the page over (feature `hydrate`).
//!
//! ```
//! use feedback_form::server::{start_page, Texts};
//! let texts = Texts {
//!     config: r#"{"form": "f", "endpoint": "/api/submissions",
//!                 "organisation": {"name": {"en": "Leeds Hostels"}}}"#.into(),
//!     form: r#"{"id": "f", "version": "1", "languages": ["en"], "title": {"en": "Tell us"},
//!               "pages": [{"id": "p", "questions": [{"id": "q", "kind": "short_text",
//!                          "label": {"en": "Anything?"}}]}]}"#.into(),
//!     language: None,
//! };
//! let page = start_page(&texts, "0f8fad5b-d9cb-469f-a165-70867728950e").expect("a form that can be drawn");
//! assert_eq!((page.lang.as_str(), page.dir, page.title.as_str()), ("en", "ltr", "Tell us"));
//! assert!(page.body.contains("Tell us") && page.body.contains("Leeds Hostels"));
//! assert!(page.head.contains(r#"id="boot-form""#));
//! ```

use crate::components::{title, App, ErrorPage};
use crate::services::language::Shown;
use crate::services::loading::{self, Boot, Load, EMBEDDED, RESUME};
pub use crate::services::loading::{LanguageTexts, Texts};
use feedback_model::{is_rtl, Config, Posted, Refused, Route, Screen, Submission};
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use std::sync::Arc;

/// A page drawn on the server.
pub struct Page {
    /// The `lang` and `dir` of `<html>`.
    pub lang: String,
    pub dir: &'static str,
    /// The page's title.
    pub title: String,
    /// What goes in `<body>`: the app's markup as it would draw it.
    pub body: String,
    /// What goes at the end of `<head>`: the texts the page was drawn from, for the app to
    /// take over from (`loading::embedded`).
    pub head: String,
}

/// The start page of a new set of answers under `submission_id` (a UUID v4 the server
/// makes: with no app, "Start now" posts it), drawn from the texts of `config.json` and its
/// form, in the form's own language or in `texts.language` if the form offers it and its
/// texts can be read. `Err`: every problem found in them (the app shows them on its error page).
pub fn start_page(texts: &Texts, submission_id: &str) -> Result<Page, Vec<String>> {
    let (config, shown) = ready(texts)?;
    let screen = Screen::start(&shown.form, submission_id);
    Ok(draw(texts, config, shown, &screen, false))
}

/// The screen a page's POST leads to ([`feedback_model::post`]), drawn as [`start_page`]
/// draws the start page, carrying where the person is for the app to take over from.
///
/// ```
/// use feedback_model::{Form, Screen};
/// use feedback_form::server::{screen, Texts};
/// let form = r#"{"id": "f", "version": "1", "languages": ["en"], "title": {"en": "Tell us"},
///                "pages": [{"id": "p", "questions": [{"id": "q", "kind": "short_text",
///                           "label": {"en": "Anything?"}}]}]}"#;
/// let config = r#"{"form": "f", "endpoint": "/api/submissions", "organisation": {"name": "Leeds Hostels"}}"#;
/// let texts = Texts { config: config.into(), form: form.into(), language: None };
/// let start = Screen::start(&Form::parse(form).unwrap(), "0f8fad5b-d9cb-469f-a165-70867728950e");
/// let body = format!("{}&do=start", start.to_urlencoded());
/// let Ok(feedback_model::Posted::Show(first)) = feedback_model::post(&Form::parse(form).unwrap(), body.as_bytes()) else { panic!() };
/// let page = screen(&texts, &first).unwrap();
/// assert_eq!(page.title, "Page 1 of 1 – Tell us");
/// assert!(page.body.contains(r#"name="q-q""#) && page.body.contains(r#"name="carry-screen" value="/page/p""#));
/// assert!(page.head.contains(r#"id="boot-resume""#));
/// ```
pub fn screen(texts: &Texts, screen: &Screen) -> Result<Page, Vec<String>> {
    let (config, shown) = ready(texts)?;
    Ok(draw(texts, config, shown, screen, true))
}

/// The page for a POST that cannot be taken: the error page, with every reason, in the
/// language of `texts`.
pub fn refused(texts: &Texts, problems: Vec<String>) -> Result<Page, Vec<String>> {
    let (_, shown) = ready(texts)?;
    let lang = shown.lang.clone();
    let title = format!("{} – {}", shown.t("broken_title"), shown.form.title.get(&lang));
    let body = on_server(|| {
        provide_context(RwSignal::new(shown));
        view! { <ErrorPage problems /> }.to_html()
    });
    Ok(Page { dir: if is_rtl(&lang) { "rtl" } else { "ltr" }, lang, title, body, head: String::new() })
}

/// What to answer a POST of a server page with.
pub enum Reply {
    /// The next screen.
    Show(Page),
    /// Send: store `submission` (exactly once, by its id), then show `page`, the confirmation.
    Store { submission: Box<Submission>, page: Page },
    /// A POST no page of ours sends: its reasons, and the error page that shows them.
    Refused { problems: Vec<String>, page: Page },
}

/// Answers a POST of a server page (`body`, `application/x-www-form-urlencoded`) drawn
/// from `texts`, as [`feedback_model::post`] says. `sent_at` is when Send was pressed, for
/// a submission. `Err`: the texts cannot be drawn from (every problem found).
pub fn answer(texts: &Texts, body: &[u8], sent_at: &str) -> Result<Reply, Vec<String>> {
    let (_, shown) = ready(texts)?;
    Ok(match feedback_model::post(&shown.form, body) {
        Ok(Posted::Show(next)) => Reply::Show(screen(texts, &next)?),
        Ok(Posted::Store { carried, then }) => Reply::Store {
            submission: Box::new(carried.submission(&shown.form, sent_at, &shown.lang)),
            page: screen(texts, &then)?,
        },
        Err(Refused(problems)) => Reply::Refused { page: refused(texts, problems.clone())?, problems },
    })
}

fn ready(texts: &Texts) -> Result<(Arc<Config>, Shown), Vec<String>> {
    match loading::read(texts) {
        Load::Ready(config, shown) => Ok((config, shown)),
        Load::Broken(problems) => Err(problems),
        Load::Loading => Err(Vec::new()),
    }
}

/// Runs `f` as `leptos_axum` renders: in a root owner marked as the server's, so
/// browser-only work (window listeners, effects) is skipped.
fn on_server(f: impl FnOnce() -> String) -> String {
    let owner = Owner::new_root(Some(Arc::new(hydration_context::SsrSharedContext::new())));
    owner.with(f)
}

fn draw(texts: &Texts, config: Arc<Config>, shown: Shown, screen: &Screen, resumed: bool) -> Page {
    let lang = shown.lang.clone();
    let r = &screen.resume;
    let problems = r.problems && matches!(r.route, Route::Page(_));
    let title = title(&shown, &r.route, &r.answers, problems);
    let hidden: String = screen
        .fields()
        .iter()
        .map(|(name, value)| {
            format!(r#"<input type="hidden" name="{}" value="{}">"#, attribute(name), attribute(value))
        })
        .collect();
    let resume = resumed.then(|| r.clone());
    let boot = Boot { config, shown, resume, hidden };
    let body = on_server(|| view! { <App boot /> }.to_html());
    let embed =
        |id: &str, text: &str| format!(r#"<script type="application/json" id="{id}">{}</script>"#, in_script(text));
    let [config_id, form_id, lang_id, locale_id, translation_id] = EMBEDDED;
    let mut head = embed(config_id, &texts.config) + &embed(form_id, &texts.form);
    // Another language's texts only if the page was drawn in it: the app takes it over in it.
    if let Some(l) = texts.language.as_ref().filter(|l| l.lang == lang) {
        head += &(embed(lang_id, &l.lang) + &embed(locale_id, &l.locale) + &embed(translation_id, &l.translation));
    }
    if resumed {
        head += &embed(RESUME, &r.to_json());
    }
    Page { dir: if is_rtl(&lang) { "rtl" } else { "ltr" }, lang, title, body, head }
}

/// Text made safe in a double-quoted attribute.
fn attribute(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// A text made safe inside `<script>`: the HTML parser ends a script at `</script` and
/// changes state at `<!--`, and in JSON either can only be inside a string, where `<\/` and
/// `<\u0021--` mean the same. (A language tag has neither: it is checked before it is drawn.)
fn in_script(json: &str) -> String {
    json.replace("</", r"<\/").replace("<!--", r"<\u0021--")
}
