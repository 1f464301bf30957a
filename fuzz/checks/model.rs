//! What the model's fuzz targets check: one function per target, each taking any bytes. A parser may
//! refuse its input, with sentences saying what is wrong, but never panic; and what it reads must
//! hold together (each function says how).
//!
//! Compiled twice: into the fuzz targets (`fuzz/src/lib.rs`, nightly) and into the stable test that
//! replays every file of `fuzz/corpus/<target>/` (`model/tests/fuzz_corpora.rs`).

use feedback_model::{
    draft, fill, is_rtl, language_name, outbox, placeholders, post, Answer, Answers, Config, Context, Form, Kind,
    Posted, Resume, Route, Strings, Submission, Translation,
};
use std::sync::OnceLock;

/// The shipped form, which most inputs are checked against.
pub fn default_form() -> &'static Form {
    static FORM: OnceLock<Form> = OnceLock::new();
    FORM.get_or_init(|| {
        Form::parse(include_str!("../../public/forms/remote-support.json")).expect("the shipped form is read")
    })
}

/// A UUID v4, a time and a language a payload may carry, for payloads made from fuzzed answers.
const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const SENT_AT: &str = "2026-11-23T10:00:00.000Z";

/// Every sentence in `problems` has words: a refusal never says nothing.
fn sentences(what: &str, problems: &[String]) {
    assert!(!problems.is_empty(), "{what}: refused with no reason");
    for p in problems {
        assert!(!p.trim().is_empty(), "{what}: a blank reason among {problems:?}");
    }
}

/// The bytes as text, as a file read with `fetch().text()` would be (invalid UTF-8 as U+FFFD).
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Reads choices from the fuzzer's bytes, one at a time; zero once they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let (&b, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        b
    }

    fn number(&mut self) -> i64 {
        i64::from_le_bytes(std::array::from_fn(|_| self.byte()))
    }

    /// Up to 255 bytes as text.
    fn text(&mut self) -> String {
        let n = usize::from(self.byte()).min(self.0.len());
        let (t, rest) = self.0.split_at(n);
        self.0 = rest;
        String::from_utf8_lossy(t).into_owned()
    }
}

/// Answers for `form` chosen by the bytes: for each question, nothing, a fitting answer, or any answer
/// (any kind, any text, options the question has and has not, repeated), and a question it does not have.
fn answers_from(form: &Form, bytes: &mut Bytes) -> Answers {
    let mut answers = Answers::default();
    for q in form.questions() {
        let options = q.kind.options();
        let option = |b: u8| options.get(usize::from(b) % options.len().max(1)).map(|c| c.value.clone());
        let answer = match bytes.byte() % 8 {
            0 | 1 => continue,
            2 => Answer::Text(bytes.text()),
            3 => Answer::Number(match q.kind {
                Kind::Scale { min, max, .. } if bytes.byte().is_multiple_of(2) => {
                    min + bytes.number().rem_euclid(max - min + 1)
                }
                _ => bytes.number(),
            }),
            4 => Answer::Flag(bytes.byte().is_multiple_of(2)),
            5 => Answer::Choices((0..bytes.byte() % 5).filter_map(|_| option(bytes.byte())).collect()),
            6 => Answer::Choices(vec![bytes.text()]),
            _ => match option(bytes.byte()) {
                Some(v) => Answer::Text(v),
                None => Answer::Text(bytes.text()),
            },
        };
        answers.set(&q.id, answer);
    }
    if bytes.byte().is_multiple_of(4) {
        answers.set(&bytes.text(), Answer::Text(bytes.text()));
    }
    answers
}

/// The form parser and validator: `Form::parse` on the text before the first NUL byte (the shipped form
/// when there is none), then the journey and every check on answers chosen by the bytes after it.
///
/// Holds: a refused form says why; the journey lists pages of the form in order, and answers only to
/// questions it shows; Continue and Back move forwards and backwards; and a payload made from answers
/// that pass their questions' checks (as the app's pages make sure) is taken by the receiver's check,
/// and survives its JSON exactly.
pub fn form(data: &[u8]) {
    let (form_text, rest) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let parsed;
    let form = if form_text.is_empty() {
        default_form()
    } else {
        match Form::parse(&text(form_text)) {
            Ok(f) => {
                parsed = f;
                &parsed
            }
            Err(e) => return sentences("Form::parse", &e.0),
        }
    };
    let answers = answers_from(form, &mut Bytes(rest));
    let journey = form.journey(&answers);
    assert!(journey.pages.windows(2).all(|w| w[0] < w[1]), "pages out of order: {:?}", journey.pages);
    assert!(journey.pages.iter().all(|&p| p < form.pages.len()));
    for (id, _) in journey.answers.iter() {
        assert!(journey.questions.contains(id), "“{id}” is answered but not shown");
    }
    for page in 0..form.pages.len() + 1 {
        for q in form.visible_questions(page, &answers) {
            assert!(journey.questions.contains(&q.id));
        }
        for p in form.page_problems(page, &answers) {
            assert!(!p.problem.english(form.question(&p.question).expect("a question of the form").1).is_empty());
        }
        assert!(form.next_page(page, &answers).is_none_or(|n| n > page && n < form.pages.len()));
        assert!(form.previous_page(page, &answers).is_none_or(|p| p < page));
        let (at, of) = form.progress(page, &answers);
        assert!(at <= of && of <= form.pages.len(), "page {at} of {of}");
        for route in [form.back_route(page, &answers), form.continue_to(page, &answers, Some(&journey.pages))] {
            assert_eq!(Route::from_hash(&route.to_hash()), route);
        }
    }
    let _ = (form.first_route(&answers), form.back_from_check(&answers));

    let payload = Submission::new(form, &answers, ID, SENT_AT, "en");
    let json = serde_json::to_string(&payload).expect("a payload is written");
    assert_eq!(serde_json::from_str::<Submission>(&json).ok().as_ref(), Some(&payload), "{json}");
    let checked = form.problems(&answers).iter().all(|p| p.problem == feedback_model::Problem::Required);
    if checked {
        assert_eq!(payload.problems(Some(form)), Vec::<String>::new(), "the app's payload is refused: {json}");
    }
}

/// The config parser: `Config::parse`, then `Embed::problems` on what it read.
///
/// Holds: every problem names config.json; a partner's label is sent only when it is listed.
pub fn config(data: &[u8]) {
    let text = text(data);
    let config = match Config::parse(&text) {
        Ok(c) => c,
        Err(e) => {
            sentences("Config::parse", &e);
            assert!(e.iter().all(|p| p.starts_with("config.json: ")), "{e:?}");
            return;
        }
    };
    for p in config.embed.problems() {
        assert!(p.starts_with("config.json: ") && p.len() > 13, "{p}");
    }
    let _ = config.form_path();
    for contact in &config.help {
        assert!(contact.tel_href().is_none_or(|t| t.starts_with("tel:") && !t.contains(char::is_whitespace)));
    }
    for asked in config.embed.sources.iter().map(String::as_str).chain([text.as_ref(), "", "hostel-a"]) {
        if let Some(source) = config.embed.source_for(Some(asked)) {
            assert!(config.embed.sources.contains(&source) && feedback_model::is_source(&source), "{source}");
        }
    }
}

/// The translation and locale parsers: the bytes as a form's translation (`Translation::parse`, applied to
/// the shipped form) and as a locale file (`Strings::parse`, each sentence filled in).
///
/// Holds: refusals say why; a translation either applies or says which texts it could not; a locale's
/// sentences are read back by their keys.
pub fn words(data: &[u8]) {
    let text = text(data);
    match Translation::parse(&text) {
        Ok(t) => {
            let mut form = default_form().clone();
            for p in form.translate(&t) {
                assert!(!p.trim().is_empty());
            }
            let _ = (form.untranslated(&t.language), form.texts(&t.language));
            let _ = (is_rtl(&t.language), language_name(&t.language));
        }
        Err(e) => sentences("Translation::parse", &e),
    }
    match Strings::parse(&text) {
        Ok(strings) => {
            let keys: Vec<&str> = strings.keys().collect();
            for key in keys {
                let sentence = strings.get(key).expect("a key's sentence");
                let names = placeholders(sentence);
                let values: Vec<(&str, &str)> = names.iter().map(|&n| (n, "{x}")).collect();
                let _ = fill(sentence, &values);
            }
        }
        Err(e) => assert!(!e.trim().is_empty(), "Strings::parse refused with no reason"),
    }
    let _ = fill(&text, &[("n", "3"), ("name", "{name}")]);
}

/// The outbox and draft readers, with a drawn page's `Resume` and a shared device's session: the bytes as
/// each stored format.
///
/// Holds: whatever is read is written back as text that reads back the same (so a read, changed and
/// written outbox keeps every answer); the outbox's steps never panic whatever its numbers; the context a
/// session gives is always taken by the receiver.
pub fn stored(data: &[u8]) {
    let text = text(data);
    if let Some(mut o) = outbox::Outbox::from_json(&text) {
        assert_eq!(outbox::Outbox::from_json(&o.to_json()).as_ref(), Some(&o), "{text}");
        o.recover();
        let now = o.next_wake().unwrap_or(0);
        o.wake(now);
        let _ = (o.waiting(), o.holder(), o.is_empty());
        if let Some(id) = o.due(u64::MAX).map(|e| e.id.clone()) {
            assert!(o.start(&id), "a due submission starts");
            let outcome =
                outbox::Outcome::Status { code: 429, retry_after_s: Some(u64::MAX), reason: text.to_string() };
            let _ = o.finish(&id, outcome, now, 1.0);
            let _ = o.start(&id);
            let _ = o.finish(&id, outbox::Outcome::Network, u64::MAX, 0.5);
            // An endpoint that wants a stronger proof of work (428) never makes a submission refused: kept, queued.
            o.wake(u64::MAX);
            if o.start(&id) {
                let outcome = outbox::Outcome::Status { code: 428, retry_after_s: None, reason: text.to_string() };
                let _ = o.finish(&id, outcome, now, 0.5);
                assert_eq!(o.get(&id).map(|e| &e.state), Some(&outbox::State::Queued), "a 428 is never a refusal");
            }
        }
        let refused = o.refused().next().map(|e| e.id.clone());
        if let Some(id) = refused {
            assert!(o.discard_refused(&id));
        }
        let _ = o.claim("tab", now, u64::MAX);
        let before = o.clone();
        o.merge(before);
        assert_eq!(outbox::Outbox::from_json(&o.to_json()).as_ref(), Some(&o));
    }
    let form = default_form();
    if let Some(answers) = draft::from_json(&text, form, 0) {
        assert_eq!(draft::from_json(&draft::to_json(form, &answers, 0), form, 0).as_ref(), Some(&answers));
    }
    if let Some(resume) = Resume::from_json(&text, form) {
        assert_eq!(Resume::from_json(&resume.to_json(), form).as_ref(), Some(&resume), "{text}");
    }
    let context = Context::of_session(Some(&text));
    let payload = Submission::new(form, &Answers::default(), ID, SENT_AT, "en").with_context(Some(context));
    assert_eq!(payload.problems(Some(form)), Vec::<String>::new());
}

/// The submission checker: the bytes as a payload (`Submission` from JSON, as the collector reads it), then
/// `problems` against the shipped form and against none.
///
/// Holds: what is read survives its JSON exactly; with no form, that is always one of its problems.
pub fn submission(data: &[u8]) {
    let Ok(s) = serde_json::from_slice::<Submission>(data) else {
        return;
    };
    let json = serde_json::to_string(&s).expect("a payload is written");
    assert_eq!(serde_json::from_str::<Submission>(&json).ok().as_ref(), Some(&s), "{json}");
    for p in s.problems(Some(default_form())) {
        assert!(!p.trim().is_empty());
    }
    let none = s.problems(None);
    assert!(none.iter().any(|p| p.starts_with("there is no form")), "{none:?}");
}

/// The carried no-app body parser: the bytes as a server page's POST (`post`, which reads the body with
/// `parse_body` and `Carried::from_fields`) for the shipped form.
///
/// Holds: a refusal says why; a screen drawn next carries fields that read back as what it carries; and
/// Send stores only a submission the receiver's check takes.
pub fn carried(data: &[u8]) {
    let form = default_form();
    match post(form, data) {
        Err(refused) => sentences("post", &refused.0),
        Ok(Posted::Show(screen)) => {
            let again = feedback_model::Carried::from_body(screen.carried.to_urlencoded().as_bytes(), form);
            assert_eq!(again.as_ref().ok(), Some(&screen.carried), "{:?}", again.as_ref().err());
            let _ = screen.resume.to_json();
        }
        Ok(Posted::Store { carried, then }) => {
            let s = carried.submission(form, SENT_AT, "en");
            assert_eq!(s.problems(Some(form)), Vec::<String>::new(), "the page's Send is refused: {s:?}");
            assert_eq!(then.resume.route, Route::Sent);
        }
    }
}
