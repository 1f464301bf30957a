//! Drawing the app's pages on the server (native, feature `ssr`), from the same components
//! the browser draws, so the words are on screen before the app has loaded and the app
//! takes the page over (feature `hydrate`).
//!
//! ```ignore
//! let page = feedback_form::server::start_page(&config_json, &form_json)?;
//! // page.lang, page.dir and page.title go on <html> and <title>; page.body in <body>.
//! ```

use crate::components::App;
pub use crate::services::loading::LanguageTexts;
use crate::services::loading::{self, Boot, Load, EMBEDDED_CONFIG, EMBEDDED_FORM, EMBEDDED_LANGUAGE};
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
    /// What goes at the end of `<head>`: the configuration and form the page was drawn
    /// from, for the app to take over from ([`loading::embedded`]).
    pub head: String,
}

/// The start page, drawn from `config.json`'s text and its form's, in the form's own language
/// or in `language` (`?lang=`) if the form offers it and its texts can be read. `Err`: every
/// problem found in them (the app would show them on its error page).
pub fn start_page(config_json: &str, form_json: &str, language: Option<&LanguageTexts>) -> Result<Page, Vec<String>> {
    let (config, shown) = match loading::read(config_json, form_json, language) {
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
    let mut head = embed(EMBEDDED_CONFIG, config_json) + &embed(EMBEDDED_FORM, form_json);
    // Only the language drawn: the app takes the page over in it.
    if let Some(l) = language.filter(|l| l.lang == lang) {
        for (id, text) in EMBEDDED_LANGUAGE.iter().zip([&l.lang, &l.locale, &l.translation]) {
            head += &embed(id, text);
        }
    }
    Ok(Page { dir: if is_rtl(&lang) { "rtl" } else { "ltr" }, lang, title, body, head })
}

/// JSON made safe inside `<script>`: `</` can only be in a JSON string, where `<\/` means the same.
fn in_script(json: &str) -> String {
    json.replace("</", r"<\/").replace("<!--", r"<\u0021--")
}
