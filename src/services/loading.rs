//! Loading the survey: the configuration and form at start-up, and another
//! language's words when someone picks it. Anything that cannot be loaded or read
//! becomes a list of problems a person running the form can act on.

use super::language::Shown;
use crate::browser::{http, page};
use feedback_model::{Config, Form, Strings, Translation};
use std::sync::Arc;

/// Where loading stands.
#[derive(Clone)]
pub enum Load {
    Loading,
    /// The configuration or form cannot be used: every problem found.
    Broken(Vec<String>),
    /// The configuration, and the form in its own language.
    Ready(Arc<Config>, Shown),
}

/// The configuration and form a page drawn by the server carries (the same
/// `config.json` and form file, in `<script type="application/json">` elements with
/// these ids), so the app starts from exactly what the server drew, with no request.
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub const EMBEDDED_CONFIG: &str = "boot-config";
/// See [`EMBEDDED_CONFIG`].
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub const EMBEDDED_FORM: &str = "boot-form";
/// A page drawn in another of the form's languages (`?lang=`) also carries that language's
/// tag, interface sentences (`locales/{lang}.json`) and form words (`forms/{form}.{lang}.json`).
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub const EMBEDDED_LANGUAGE: [&str; 3] = ["boot-lang", "boot-locale", "boot-translation"];

/// Another language's texts: its tag, `locales/{lang}.json` and `forms/{form}.{lang}.json`.
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub struct LanguageTexts {
    pub lang: String,
    pub locale: String,
    pub translation: String,
}

/// What the server drew the page from: the app takes over from the same.
#[derive(Clone)]
pub struct Boot {
    pub config: Arc<Config>,
    pub shown: Shown,
}

#[cfg(feature = "hydrate")]
/// The configuration and form embedded in a page the server drew, if this page is one
/// and they can be read (otherwise the app loads them as on a static host).
pub fn embedded() -> Option<Boot> {
    let config = page::embedded_text(EMBEDDED_CONFIG)?;
    let form = page::embedded_text(EMBEDDED_FORM)?;
    let [lang, locale, translation] = EMBEDDED_LANGUAGE.map(page::embedded_text);
    let language = match (lang, locale, translation) {
        (Some(lang), Some(locale), Some(translation)) => Some(LanguageTexts { lang, locale, translation }),
        _ => None,
    };
    match read(&config, &form, language.as_ref()) {
        Load::Ready(config, shown) => Some(Boot { config, shown }),
        _ => None,
    }
}

#[cfg(any(feature = "hydrate", feature = "ssr"))]
/// The configuration and form from their texts: ready, or every problem found (as
/// [`load_survey`] reads them; SPIKE: one copy of this belongs in both).
pub fn read(config: &str, form: &str, language: Option<&LanguageTexts>) -> Load {
    let config = match Config::parse(config) {
        Ok(c) => c,
        Err(problems) => return Load::Broken(problems),
    };
    let path = config.form_path();
    let shown = match Form::parse(form) {
        Ok(f) => Shown::new(f),
        Err(e) => return Load::Broken(e.0.into_iter().map(|p| format!("{path}: {p}")).collect()),
    };
    // In another language, if it is the form's and its words can be read (as [`in_language`]
    // does; SPIKE: one copy of this belongs in both); otherwise in the form's own.
    let shown = language
        .filter(|l| l.lang != shown.lang && shown.form.languages.contains(&l.lang))
        .and_then(|l| {
            let strings = Strings::parse(&l.locale).ok()?;
            let translation = Translation::parse(&l.translation).ok()?;
            let mut translated = Form::clone(&shown.form);
            translated.translate(&translation);
            Some(shown.with_language(&l.lang, translated, strings))
        })
        .unwrap_or(shown);
    Load::Ready(Arc::new(config), shown)
}

/// Loads `config.json` and the form it names.
pub async fn load_survey() -> Load {
    let config = match http::get_text("config.json").await {
        Ok(text) => match Config::parse(&text) {
            Ok(c) => c,
            Err(problems) => return Load::Broken(problems),
        },
        Err(e) => return Load::Broken(vec![unreachable_file("config.json", &e)]),
    };
    let path = config.form_path();
    let form = match http::get_text(&path).await {
        Ok(text) => match Form::parse(&text) {
            Ok(f) => f,
            Err(e) => return Load::Broken(e.0.into_iter().map(|p| format!("{path}: {p}")).collect()),
        },
        Err(e) => return Load::Broken(vec![unreachable_file(&path, &e)]),
    };
    Load::Ready(Arc::new(config), Shown::new(form))
}

/// The form shown in another of its languages: the interface's words from
/// `locales/{lang}.json` and the form's from `forms/{form}.{lang}.json`, loaded
/// together, once. `None` if the form does not offer the language or a file
/// cannot be loaded or read (the reason goes to the console for whoever runs the form).
pub async fn in_language(shown: &Shown, lang: &str) -> Option<Shown> {
    let form = &shown.form;
    if !form.languages.iter().any(|l| l == lang) {
        return None;
    }
    if let Some(next) = shown.switched(lang) {
        return Some(next);
    }
    let paths = [format!("locales/{lang}.json"), format!("forms/{}.{lang}.json", form.id)];
    let files = http::get_texts(&[&paths[0], &paths[1]]).await;
    let file = |i: usize| files[i].clone().map_err(|e| unreachable_file(&paths[i], &e));
    let mut translated = Form::clone(form);
    let outcome =
        file(0).and_then(|s| Strings::parse(&s).map_err(|why| format!("{} {why}", paths[0]))).and_then(|strings| {
            let t = Translation::parse(&file(1)?).map_err(|e| format!("{} {}", paths[1], e.join("; ")))?;
            Ok((translated.translate(&t), strings))
        });
    match outcome {
        // Words for texts the form no longer has are harmless, but worth fixing.
        Ok((problems, strings)) => {
            if !problems.is_empty() {
                page::warn(&format!("{} {}", paths[1], problems.join("; ")));
            }
            Some(shown.with_language(lang, translated, strings))
        }
        Err(why) => {
            page::warn(&why);
            None
        }
    }
}

fn unreachable_file(path: &str, e: &http::FetchError) -> String {
    match e {
        http::FetchError::Network => format!("{path} could not be loaded: there was no answer from the server."),
        http::FetchError::Status(404, ..) => format!("{path} was not found on the server (404)."),
        http::FetchError::Status(s, ..) => format!("{path} could not be loaded: the server answered {s}."),
    }
}
