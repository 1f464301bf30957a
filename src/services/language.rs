//! The interface's own words (not the form's), read from `public/locales/{lang}.json`.
//! English is built in, so the app always has words; other languages are loaded
//! when chosen, and fall back to English sentence by sentence.

use crate::browser::intl;
use feedback_model::{fill, Kind, Problem, Question, Strings};
use std::cell::{Cell, RefCell};

thread_local! {
    static ENGLISH: &'static Strings = Box::leak(Box::new(
        Strings::parse(include_str!("../../public/locales/en.json")).unwrap_or_default(),
    ));
    /// The language in use and its sentences (`None`: English).
    static CURRENT: Cell<Option<(&'static str, &'static Strings)>> = const { Cell::new(None) };
    /// Languages loaded so far. Each is kept for the page's life (a few kilobytes),
    /// which lets `t` hand out `&'static str`.
    static LOADED: RefCell<Vec<(&'static str, &'static Strings)>> = const { RefCell::new(Vec::new()) };
}

/// An interface sentence by key, in the language in use.
///
/// ```ignore
/// view! { <button>{t("continue")}</button> }
/// ```
pub fn t(key: &str) -> &'static str {
    CURRENT.get().and_then(|(_, s)| s.get(key)).or_else(|| ENGLISH.with(|en| en.get(key))).unwrap_or("")
}

/// A sentence about a number, in the plural form that the language in use needs
/// for `count`, with `{count}` and `values` filled in. The locale file gives each
/// form as `{key}_zero`, `{key}_one`, `{key}_two`, `{key}_few`, `{key}_many` and
/// `{key}_other` (the names of CLDR's categories, as `leptos_i18n` spells them);
/// English needs `_one` and `_other`, Welsh and Arabic all six. A form a language
/// lacks falls back to its `_other`, then to English.
///
/// ```ignore
/// tp("chars_left", 2, &[]) // "You have 2 characters remaining"; in Welsh, its "two" form
/// ```
pub fn tp(key: &str, count: usize, values: &[(&str, &str)]) -> String {
    let in_lang = |lang: &str, strings: &'static Strings| {
        let category = intl::plural_category(lang, count);
        strings.get(&format!("{key}_{category}")).or_else(|| strings.get(&format!("{key}_other")))
    };
    let sentence = CURRENT
        .get()
        .and_then(|(lang, s)| in_lang(lang, s))
        .or_else(|| ENGLISH.with(|en| in_lang("en", en)))
        .unwrap_or("");
    let count = count.to_string();
    let mut all = vec![("count", count.as_str())];
    all.extend_from_slice(values);
    fill(sentence, &all)
}

/// An interface sentence with its `{names}` filled in.
///
/// ```ignore
/// tf("page_of", &[("page", "2"), ("pages", "6")]) // "Page 2 of 6"
/// ```
pub fn tf(key: &str, values: &[(&str, &str)]) -> String {
    fill(t(key), values)
}

/// Keeps a language's sentences, read from its locale file.
pub fn add_language(lang: &str, strings: Strings) {
    if LOADED.with_borrow(|l| l.iter().all(|(k, _)| *k != lang)) {
        let lang: &'static str = Box::leak(lang.to_owned().into_boxed_str());
        LOADED.with_borrow_mut(|l| l.push((lang, Box::leak(Box::new(strings)))));
    }
}

/// Shows the interface in `lang` from now on (English where it has no sentence).
pub fn use_language(lang: &str) {
    CURRENT.set(LOADED.with_borrow(|l| l.iter().find(|(k, _)| *k == lang).copied()));
}

/// A problem with an answer, in words a person can act on. The same words appear
/// in the error summary and beside the field (the GOV.UK pattern).
pub fn problem_message(problem: &Problem, q: &Question, lang: &str, easy: bool) -> String {
    let question = ("question", q.label_in(lang, easy));
    match problem {
        Problem::Required => match q.kind {
            Kind::ShortText { .. } | Kind::LongText { .. } => tf("required_text", &[question]),
            Kind::MultipleChoice { .. } => tf("required_choices", &[question]),
            _ => tf("required_choice", &[question]),
        },
        Problem::TooLong { max, .. } => tp("too_long", *max, &[question]),
        Problem::ExclusiveWithOthers(v) => {
            let option = q.option(v).map_or(v.as_str(), |c| c.label_in(lang, easy));
            tf("exclusive", &[question, ("option", option)])
        }
        Problem::NotAnOption(_) | Problem::Repeated(_) | Problem::OutOfRange { .. } | Problem::WrongType => {
            tf("choose_again", &[question])
        }
    }
}

/// An answer in words, one line per chosen option, for Check your answers.
pub fn answer_lines(q: &Question, answer: &feedback_model::Answer, lang: &str, easy: bool) -> Vec<String> {
    use feedback_model::Answer;
    let option = |v: &str| q.option(v).map_or_else(|| v.to_owned(), |c| c.label_in(lang, easy).to_owned());
    match (answer, &q.kind) {
        (Answer::Flag(b), _) => {
            let (yes, no) = q.yes_no_words(lang, t("yes"), t("no"));
            vec![(if *b { yes } else { no }).to_owned()]
        }
        (Answer::Number(n), Kind::Scale { min, labels, .. }) => {
            let words = usize::try_from(n - min).ok().and_then(|i| labels.get(i));
            vec![words.map_or_else(|| n.to_string(), |w| w.get(lang).to_owned())]
        }
        (Answer::Number(n), _) => vec![n.to_string()],
        (Answer::Text(s), Kind::SingleChoice { .. }) => vec![option(s)],
        (Answer::Text(s), _) => vec![s.clone()],
        (Answer::Choices(v), _) => v.iter().map(|c| option(c)).collect(),
    }
}
