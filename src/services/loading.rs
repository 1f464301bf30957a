//! Loading the survey: the configuration and form at start-up, and another
//! language's words when someone picks it. Anything that cannot be loaded or read
//! becomes a list of problems a person running the form can act on.

use super::language::Shown;
use crate::browser::{http, location, page};
use feedback_model::{Config, Form, Resume, Strings, Translation};
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

/// What a page is drawn from, on the server or in the browser: the configuration, the
/// form in the language shown, and, for a page drawn after one of its buttons was pressed
/// with no app, where the person is.
#[derive(Clone)]
pub struct Boot {
    pub config: Arc<Config>,
    pub shown: Shown,
    /// The screen, answers and phase of a page drawn in answer to a POST
    /// (`feedback_model::post`); `None` for the start page as anyone first sees it.
    pub resume: Option<Resume>,
    /// What the page's forms carry, as the HTML of their hidden fields. Drawn on the
    /// server; the app leaves what was drawn (`carried_fields`).
    pub hidden: String,
}

/// The id of the `<script type="application/json">` with a drawn page's [`Resume`].
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub const RESUME: &str = "boot-resume";

/// The ids of the `<script type="application/json">` elements in which a page the server
/// drew carries the texts it was drawn from ([`Texts`]), so the app takes it over from
/// exactly those, with no request: `config.json`, the form, and, for a page drawn in another
/// of the form's languages, its tag, its sentences and its form words.
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub const EMBEDDED: [&str; 5] = ["boot-config", "boot-form", "boot-lang", "boot-locale", "boot-translation"];

/// The texts of the files a page is drawn from, as read from the server's folder or from a
/// page it drew.
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub struct Texts {
    /// `config.json`.
    pub config: String,
    /// The form file it names.
    pub form: String,
    /// Another of the form's languages, if the page is drawn in it.
    pub language: Option<LanguageTexts>,
}

/// Another language's texts: its tag, `locales/{lang}.json` and `forms/{form}.{lang}.json`.
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub struct LanguageTexts {
    pub lang: String,
    pub locale: String,
    pub translation: String,
}

#[cfg(feature = "ssr")]
impl Texts {
    /// The texts a page is drawn from, each read by `read` (a file's text by its path in the
    /// app's folder, `None` if it cannot be read): `config.json`, the form it names, and, if
    /// `lang` is a language tag, that language's two files (if either is missing, the page is
    /// drawn in the form's own language). `None` if the config or the form cannot be had.
    pub fn read_with(read: impl Fn(&str) -> Option<String>, lang: Option<&str>) -> Option<Texts> {
        let config = read("config.json")?;
        let parsed = Config::parse(&config).ok()?;
        let form = read(&parsed.form_path())?;
        // Only a language tag: it becomes part of two file paths.
        let language = lang.filter(|l| feedback_model::is_language_tag(l)).and_then(|lang| {
            let [locale, translation] = language_paths(&parsed.form, lang);
            Some(LanguageTexts { lang: lang.to_owned(), locale: read(&locale)?, translation: read(&translation)? })
        });
        Some(Texts { config, form, language })
    }
}

/// What a page the server drew carries, if this page is one and it can be read; otherwise
/// the app loads the files as on a static host.
#[cfg(feature = "hydrate")]
pub fn embedded() -> Option<Boot> {
    let [config, form, lang, locale, translation] = EMBEDDED.map(page::embedded_text);
    let language = match (lang, locale, translation) {
        (Some(lang), Some(locale), Some(translation)) => Some(LanguageTexts { lang, locale, translation }),
        _ => None,
    };
    match read(&Texts { config: config?, form: form?, language }) {
        Load::Ready(config, shown) => {
            let resume = page::embedded_text(RESUME).and_then(|r| Resume::from_json(&r, &shown.form));
            Some(Boot { config, shown, resume, hidden: String::new() })
        }
        _ => None,
    }
}

/// The configuration and form from their texts, in another language if they carry one the
/// form offers and its texts can be read (otherwise in the form's own): ready, or every
/// problem found. The same reading as [`load_survey`] and [`in_language`].
#[cfg(any(feature = "hydrate", feature = "ssr"))]
pub fn read(texts: &Texts) -> Load {
    let config = match Config::parse(&texts.config) {
        Ok(c) => c,
        Err(problems) => return Load::Broken(problems),
    };
    let shown = match read_form(&config.form_path(), &texts.form) {
        Ok(f) => Shown::new(f),
        Err(problems) => return Load::Broken(problems),
    };
    let shown = match &texts.language {
        Some(l) if shown.offers_other(&l.lang) => {
            let paths = language_paths(&shown.form.id, &l.lang);
            translate(&shown, &l.lang, &paths, Ok(l.locale.clone()), Ok(l.translation.clone())).unwrap_or(shown)
        }
        _ => shown,
    };
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
        Ok(text) => match read_form(&path, &text) {
            Ok(f) => f,
            Err(problems) => return Load::Broken(problems),
        },
        Err(e) => return Load::Broken(vec![unreachable_file(&path, &e)]),
    };
    Load::Ready(Arc::new(config), Shown::new(form))
}

/// The form from its file's text, or every problem found in it, each naming the file.
fn read_form(path: &str, text: &str) -> Result<Form, Vec<String>> {
    Form::parse(text).map_err(|e| e.0.into_iter().map(|p| format!("{path}: {p}")).collect())
}

/// The form shown in another of its languages: the interface's words from
/// `locales/{lang}.json` and the form's from `forms/{form}.{lang}.json`, loaded
/// together, once. `None` if the form does not offer the language or a file
/// cannot be loaded or read (the reason goes to the console for whoever runs the form).
pub async fn in_language(shown: &Shown, lang: &str) -> Option<Shown> {
    if !shown.form.languages.iter().any(|l| l == lang) {
        return None;
    }
    if let Some(next) = shown.switched(lang) {
        return Some(next);
    }
    let paths = language_paths(&shown.form.id, lang);
    let mut files = http::get_texts(&[&paths[0], &paths[1]]).await.into_iter();
    let mut next =
        |i: usize| files.next().unwrap_or(Err(http::FetchError::Network)).map_err(|e| unreachable_file(&paths[i], &e));
    let locale = next(0);
    translate(shown, lang, &paths, locale, next(1))
}

/// `locales/{lang}.json` and `forms/{form}.{lang}.json`.
fn language_paths(form_id: &str, lang: &str) -> [String; 2] {
    [format!("locales/{lang}.json"), format!("forms/{form_id}.{lang}.json")]
}

/// The language the address asks for (`?lang=`), if it is another of the form's than the
/// one shown: the form shown in it, or `Err(lang)` if its words could not be loaded.
pub async fn language_asked(shown: &Shown) -> Option<Result<Shown, String>> {
    let lang = location::language_param().filter(|l| shown.offers_other(l))?;
    Some(in_language(shown, &lang).await.ok_or(lang))
}

/// The form shown in `lang`, from the texts of its two files (`paths`), or `None` if either
/// cannot be had or read (the reason goes to the console for whoever runs the form).
fn translate(
    shown: &Shown,
    lang: &str,
    paths: &[String; 2],
    locale: Result<String, String>,
    translation: Result<String, String>,
) -> Option<Shown> {
    let mut translated = Form::clone(&shown.form);
    let outcome =
        locale.and_then(|s| Strings::parse(&s).map_err(|why| format!("{} {why}", paths[0]))).and_then(|strings| {
            let t = Translation::parse(&translation?).map_err(|e| format!("{} {}", paths[1], e.join("; ")))?;
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
