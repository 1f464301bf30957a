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
//! let page = start_page(&texts).expect("a form that can be drawn");
//! assert_eq!((page.lang.as_str(), page.dir, page.title.as_str()), ("en", "ltr", "Tell us"));
//! assert!(page.body.contains("Tell us") && page.body.contains("Leeds Hostels"));
//! assert!(page.head.contains(r#"id="boot-form""#));
//! ```

use crate::components::App;
use crate::services::loading::{self, Boot, Load, EMBEDDED};
pub use crate::services::loading::{LanguageTexts, Texts};
use feedback_model::is_rtl;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

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

/// The start page, drawn from the texts of `config.json` and its form, in the form's own
/// language or in `texts.language` if the form offers it and its texts can be read.
/// `Err`: every problem found in them (the app shows them on its error page).
pub fn start_page(texts: &Texts) -> Result<Page, Vec<String>> {
    let (config, shown) = match loading::read(texts) {
        Load::Ready(config, shown) => (config, shown),
        Load::Broken(problems) => return Err(problems),
        Load::Loading => return Err(Vec::new()),
    };
    let lang = shown.lang.clone();
    let title = shown.form.title.get(&lang).to_owned();
    let boot = Boot { config, shown };
    // As `leptos_axum` renders: a root owner marked as the server's, so browser-only work
    // (window listeners, effects) is skipped.
    let owner = Owner::new_root(Some(std::sync::Arc::new(hydration_context::SsrSharedContext::new())));
    let body = owner.with(|| view! { <App boot /> }.to_html());
    let embed =
        |id: &str, text: &str| format!(r#"<script type="application/json" id="{id}">{}</script>"#, in_script(text));
    let [config_id, form_id, lang_id, locale_id, translation_id] = EMBEDDED;
    let mut head = embed(config_id, &texts.config) + &embed(form_id, &texts.form);
    // Another language's texts only if the page was drawn in it: the app takes it over in it.
    if let Some(l) = texts.language.as_ref().filter(|l| l.lang == lang) {
        head += &(embed(lang_id, &l.lang) + &embed(locale_id, &l.locale) + &embed(translation_id, &l.translation));
    }
    Ok(Page { dir: if is_rtl(&lang) { "rtl" } else { "ltr" }, lang, title, body, head })
}

/// A text made safe inside `<script>`: the HTML parser ends a script at `</script` and
/// changes state at `<!--`, and in JSON either can only be inside a string, where `<\/` and
/// `<\u0021--` mean the same. (A language tag has neither: it is checked before it is drawn.)
fn in_script(json: &str) -> String {
    json.replace("</", r"<\/").replace("<!--", r"<\u0021--")
}
