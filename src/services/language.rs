//! What is shown, in which language: the form, the language its words are shown
//! in, and the interface's own sentences (not the form's), read from
//! `public/locales/{lang}.json`. English is built in, so the app always has words;
//! other languages are loaded when chosen, and fall back to English sentence by
//! sentence.
//!
//! [`Shown`] reaches the components through context as one signal
//! ([`use_shown`]); a change of language sets it, and every sentence on screen
//! that reads it follows (see [`t`]). Easy read works the same way through
//! [`Progress::easy_read`](super::state::Progress::easy_read). Nothing is drawn
//! again but the words.

use crate::browser::intl;
use feedback_model::{fill, Answer, Form, Kind, Problem, Question, Strings, Text};
use leptos::prelude::*;
use std::sync::{Arc, LazyLock};

/// English, built in: the words of last resort.
static ENGLISH: LazyLock<Strings> =
    LazyLock::new(|| Strings::parse(include_str!("../../public/locales/en.json")).unwrap_or_default());

/// The form as it is shown: its questions, the language its words are shown in,
/// and the interface's sentences in that language. A new language is a new
/// `Shown` (the same form with that language's words added, see
/// [`crate::services::loading::in_language`]).
#[derive(Clone)]
pub struct Shown {
    /// The form, with the words of every language loaded so far.
    pub form: Arc<Form>,
    /// The language shown, one of the form's.
    pub lang: String,
    /// The interface's sentences in `lang` (`None`: English).
    words: Option<Arc<Strings>>,
    /// The languages loaded so far besides the form's own, with their sentences.
    loaded: Vec<(String, Arc<Strings>)>,
}

impl Shown {
    /// The form in its own (first) language.
    pub fn new(form: Form) -> Shown {
        let lang = form.languages.first().cloned().unwrap_or_else(|| "en".into());
        Shown { form: Arc::new(form), lang, words: None, loaded: Vec::new() }
    }

    /// The same form in `lang`, if its words are loaded already (or it is the
    /// form's own language).
    pub fn switched(&self, lang: &str) -> Option<Shown> {
        let own = self.form.languages.first().is_some_and(|l| l == lang);
        let words = self.loaded.iter().find(|(l, _)| l == lang).map(|(_, w)| w.clone());
        (own || words.is_some()).then(|| Shown { lang: lang.to_owned(), words, ..self.clone() })
    }

    /// Whether `lang` is another of the form's languages than the one shown.
    pub fn offers_other(&self, lang: &str) -> bool {
        lang != self.lang && self.form.languages.iter().any(|l| l == lang)
    }

    /// The form in `lang`, with its words (`form`, already translated) and the
    /// interface's `words`, just loaded.
    pub fn with_language(&self, lang: &str, form: Form, words: Strings) -> Shown {
        let words = Arc::new(words);
        let mut loaded = self.loaded.clone();
        loaded.push((lang.to_owned(), words.clone()));
        Shown { form: Arc::new(form), lang: lang.to_owned(), words: Some(words), loaded }
    }

    /// An interface sentence by key (English where this language has none).
    pub fn t(&self, key: &str) -> String {
        self.words.as_ref().and_then(|w| w.get(key)).or_else(|| ENGLISH.get(key)).unwrap_or("").to_owned()
    }

    /// An interface sentence with its `{names}` filled in.
    ///
    /// ```ignore
    /// shown.tf("page_of", &[("page", "2"), ("pages", "6")]) // "Page 2 of 6"
    /// ```
    pub fn tf(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(&self.t(key), values)
    }

    /// A sentence about a number, in the plural form that the language shown needs
    /// for `count`, with `{count}` and `values` filled in. The locale file gives each
    /// form as `{key}_zero`, `{key}_one`, `{key}_two`, `{key}_few`, `{key}_many` and
    /// `{key}_other` (the names of CLDR's categories, as `leptos_i18n` spells them);
    /// English needs `_one` and `_other`, Welsh and Arabic all six. A form a language
    /// lacks falls back to its `_other`, then to English.
    ///
    /// ```ignore
    /// shown.tp("chars_left", 2, &[]) // "You have 2 characters remaining"; in Welsh, its "two" form
    /// ```
    pub fn tp(&self, key: &str, count: usize, values: &[(&str, &str)]) -> String {
        plural(&self.lang, self.words.as_deref(), key, count, values)
    }

    /// A problem with an answer, in words a person can act on. The same words appear
    /// in the error summary and beside the field (the GOV.UK pattern).
    pub fn problem_message(&self, problem: &Problem, q: &Question, easy: bool) -> String {
        let lang = self.lang.as_str();
        let question = ("question", q.label_in(lang, easy));
        match problem {
            Problem::Required => match q.kind {
                Kind::ShortText { .. } | Kind::LongText { .. } => self.tf("required_text", &[question]),
                Kind::MultipleChoice { .. } => self.tf("required_choices", &[question]),
                _ => self.tf("required_choice", &[question]),
            },
            Problem::TooLong { max, .. } => self.tp("too_long", *max, &[question]),
            Problem::ExclusiveWithOthers(v) => {
                let option = q.option(v).map_or(v.as_str(), |c| c.label_in(lang, easy));
                self.tf("exclusive", &[question, ("option", option)])
            }
            Problem::NotAnOption(_) | Problem::Repeated(_) | Problem::OutOfRange { .. } | Problem::WrongType => {
                self.tf("choose_again", &[question])
            }
        }
    }

    /// An answer in words, one line per chosen option, for Check your answers.
    pub fn answer_lines(&self, q: &Question, answer: &Answer, easy: bool) -> Vec<String> {
        let lang = self.lang.as_str();
        let option = |v: &str| q.option(v).map_or_else(|| v.to_owned(), |c| c.label_in(lang, easy).to_owned());
        match (answer, &q.kind) {
            (Answer::Flag(b), _) => {
                let (yes, no) = (self.t("yes"), self.t("no"));
                let (yes, no) = q.yes_no_words(lang, &yes, &no);
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

    /// A question of the form, by id, in the words of every language loaded.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.form.question(id).map(|(_, q)| q)
    }
}

/// What is shown, from context: one signal, set again when the language changes.
/// Read it where words are drawn, so they follow.
pub fn use_shown() -> RwSignal<Shown> {
    expect_context::<RwSignal<Shown>>()
}

/// An interface sentence that follows the language shown, for a view:
/// `{t("continue")}`. Outside the form's screens (Loading…, the error page),
/// where nothing is shown yet, it is English.
///
/// ```ignore
/// view! { <button>{t("continue")}</button> }
/// ```
pub fn t(key: &'static str) -> Signal<String> {
    let shown = use_context::<RwSignal<Shown>>();
    // A signal like [`words`]'s, so one copy of the code draws both.
    Signal::derive(move || shown.and_then(|s| s.try_with(|s| s.t(key))).unwrap_or_else(|| english(key)))
}

/// An interface sentence in English, for whoever runs the form (and for the
/// screens shown before the form is loaded).
pub fn english(key: &str) -> String {
    ENGLISH.get(key).unwrap_or("").to_owned()
}

/// [`Shown::tp`] in English, for the screens shown before the form is loaded.
pub fn english_tp(key: &str, count: usize, values: &[(&str, &str)]) -> String {
    plural("en", None, key, count, values)
}

fn plural(lang: &str, strings: Option<&Strings>, key: &str, count: usize, values: &[(&str, &str)]) -> String {
    let in_lang = |lang: &str, strings: &Strings| {
        let category = intl::plural_category(lang, count);
        strings.get(&format!("{key}_{category}")).or_else(|| strings.get(&format!("{key}_other"))).map(str::to_owned)
    };
    let sentence = strings.and_then(|w| in_lang(lang, w)).or_else(|| in_lang("en", &ENGLISH)).unwrap_or_default();
    let count = count.to_string();
    let mut all = vec![("count", count.as_str())];
    all.extend_from_slice(values);
    fill(&sentence, &all)
}

/// Words of the form that follow the language shown and easy read, for a view:
/// `words(move |s, easy| ...)`. One signal type for every such text, so its
/// drawing code is in the download once.
///
/// ```ignore
/// let title = words(move |s, _| s.form.title.get(&s.lang).to_owned());
/// view! { <h1>{title}</h1> }
/// ```
pub fn words(f: impl Fn(&Shown, bool) -> String + Send + Sync + 'static) -> Signal<String> {
    words_dyn(Arc::new(f))
}

/// Words the form gives, found by `find` in what is shown, in the language shown
/// (easy read does not change them; a text `find` does not find is empty).
///
/// ```ignore
/// let title = form_text(|s| Some(&s.form.title));
/// ```
pub fn form_text(find: impl Fn(&Shown) -> Option<&Text> + Send + Sync + 'static) -> Signal<String> {
    words(move |s, _| find(s).map_or("", |t| t.get(&s.lang)).to_owned())
}

/// A question's words, by its id, in the language shown and in easy read's words
/// when it is on.
pub fn question_label(id: String) -> Signal<String> {
    words(move |s, easy| s.question(&id).map_or("", |q| q.label_in(&s.lang, easy)).to_owned())
}

/// What [`words`] draws from: what is shown, and whether easy read is on.
type WordsFn = dyn Fn(&Shown, bool) -> String + Send + Sync;

/// [`words`] behind a pointer: one copy of the signal's code for every call, not
/// one per closure (0.6 KB brotli less; `node scripts/size.mjs dist`, measured when it was made).
fn words_dyn(f: Arc<WordsFn>) -> Signal<String> {
    let shown = use_shown();
    let easy = super::state::use_progress().easy_read;
    Signal::derive(move || {
        let easy = easy.try_get().unwrap_or_default();
        shown.try_with(|s| f(s, easy)).unwrap_or_default()
    })
}
