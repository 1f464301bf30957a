use crate::{check_answer, is_identifier, is_uuid_v4, Answer, Answers, Form};
use serde::{Deserialize, Serialize};

/// The version of the payload's shape; see `public/schema/submission.schema.json`.
pub const SCHEMA_VERSION: u32 = 1;

/// What is sent to the endpoint when a person presses Send.
///
/// It holds nothing about the person or their device but what they typed in, and,
/// when the answers were given on a shared device, the session's [`Context`], and, when
/// the form was embedded in a partner's website, that partner's label ([`Submission::source`]).
///
/// ```
/// use feedback_model::{Answer, Answers, Form, Submission};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let mut a = Answers::default();
/// a.set("prefer", Answer::Text("mix".into()));
/// let s = Submission::new(&form, &a, "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-11-23T10:00:00.000Z", "en");
/// assert!(s.problems(Some(&form)).is_empty());
/// let json = serde_json::to_string(&s).unwrap();
/// assert!(json.contains(r#""answers":{"prefer":"mix"}"#));
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub schema_version: u32,
    /// A random UUID v4, made on the device; also the `Idempotency-Key` header.
    pub submission_id: String,
    pub form_id: String,
    pub form_version: String,
    /// When the person pressed Send (RFC 3339, UTC), not when it arrived.
    pub sent_at: String,
    /// The language the person answered in.
    pub language: String,
    /// Answers to the questions that were shown, keyed by question id.
    pub answers: Answers,
    /// Where the answers were collected, when it was a shared device; absent (and not
    /// written at all) for answers given on a person's own device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Context>,
    /// The partner whose website the form was embedded in, a label from config.json's `embed.sources`
    /// (see [`Embed::source_for`](crate::Embed::source_for)); nothing else about the host page. Absent (and not
    /// written at all) when the form was not embedded, or embedded by a page that gave no listed label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The proof of work for this submission's id ([`crate::stamp`]): a whole number up to
    /// [`MAX_STAMP`](crate::stamp::MAX_STAMP). The app adds it to the payload's text as it sends
    /// (`public/stamp.js`, once the answers are saved), so the model writes none; the collector reads it and
    /// keeps the text as received. Absent where none was made (answers sent with no app, files for
    /// `collector import`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<u64>,
}

/// The most characters in a [`Submission::source`] (and a label in config.json's `embed.sources`).
pub const SOURCE_MAX_CHARS: usize = 40;

/// Whether `s` is a partner's label, as [`Submission::source`] and config.json's `embed.sources` take:
/// 1 to [`SOURCE_MAX_CHARS`] of a-z, 0-9, - and _, starting with a letter or digit.
///
/// ```
/// assert!(feedback_model::is_source("hostel-a"));
/// assert!(!feedback_model::is_source("Hostel A"));
/// assert!(!feedback_model::is_source(&"a".repeat(41)));
/// ```
pub fn is_source(s: &str) -> bool {
    s.len() <= SOURCE_MAX_CHARS && is_identifier(s)
}

/// The most characters (Unicode scalar values, as JSON Schema's `maxLength` counts) in
/// [`Context::session`].
pub const SESSION_MAX_CHARS: usize = 100;
/// The most characters in [`Context::facilitator`].
pub const FACILITATOR_MAX_CHARS: usize = 40;

/// Where the answers were collected, when it was not a person's own device: set on a shared device
/// (a peer researcher's tablet). Nothing in it identifies the person who answered.
///
/// In the payload it is `"context": {"shared_device": true, "session": "Leeds drop-in, 24 Nov", "facilitator": "AB"}`;
/// `session` and `facilitator` are left out when not given.
///
/// ```
/// use feedback_model::{Context, Submission};
/// let json = r#"{"schema_version": 1, "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
///   "form_id": "remote-support", "form_version": "2026-11-23", "sent_at": "2026-11-23T10:00:00Z",
///   "language": "en", "answers": {}, "context": {"shared_device": true, "session": "Leeds drop-in, 24 Nov"}}"#;
/// let s: Submission = serde_json::from_str(json).unwrap();
/// let context = s.context.as_ref().unwrap();
/// assert_eq!(context.session.as_deref(), Some("Leeds drop-in, 24 Nov"));
/// assert_eq!(context.facilitator, None);
/// assert!(s.problems(None).iter().all(|p| !p.contains("context")));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Context {
    /// Always true when present: the answers were given on a device shared between people.
    pub shared_device: bool,
    /// The session's label as the facilitator typed it, e.g. "Leeds drop-in, 24 Nov".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The facilitator's code, as typed (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facilitator: Option<String>,
}

impl Context {
    /// The context of answers given on a shared device, from the facilitator's session the
    /// device keeps (`stored`: its JSON as `public/shared/shared.js` writes it, with `label` and
    /// an optional `code`; none while no session runs). Anything unreadable gives no session,
    /// never an error: the answers are still sent, marked as from a shared device.
    ///
    /// ```
    /// use feedback_model::Context;
    /// let c = Context::of_session(Some(r#"{"label": "Leeds drop-in", "code": null, "started_ms": 1}"#));
    /// assert_eq!((c.shared_device, c.session.as_deref(), c.facilitator), (true, Some("Leeds drop-in"), None));
    /// assert_eq!(Context::of_session(Some("not json")), Context::of_session(None));
    /// ```
    pub fn of_session(stored: Option<&str>) -> Context {
        let v = stored.and_then(|s| crate::parse_json(s).ok()).unwrap_or_default();
        let text = |name: &str| v.get(name).and_then(|t| t.as_str()).map(str::to_owned);
        Context { shared_device: true, session: text("label"), facilitator: text("code") }
    }

    /// Everything wrong with a received context, as sentences (see [`Submission::problems`]).
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.shared_device {
            out.push(
                "context.shared_device must be true; leave context out for answers given on a person's own device"
                    .into(),
            );
        }
        for (name, value, max) in
            [("session", &self.session, SESSION_MAX_CHARS), ("facilitator", &self.facilitator, FACILITATOR_MAX_CHARS)]
        {
            let Some(value) = value else { continue };
            if value.trim().is_empty() {
                out.push(format!("context.{name} must not be blank; leave it out when there is none"));
            }
            let chars = value.chars().count();
            if chars > max {
                out.push(format!("context.{name} must be at most {max} characters; it has {chars}"));
            }
            if value.chars().any(char::is_control) {
                out.push(format!("context.{name} must not hold control characters such as line breaks or tabs"));
            }
        }
        out
    }
}

/// One of the context's texts as the model sends it: control characters as spaces, trimmed,
/// cut to `max` characters (trimmed again, so a cut never leaves a space at the end), and
/// none when nothing is left.
fn tidy(text: Option<String>, max: usize) -> Option<String> {
    // One pass (trimmed, cut, control characters made spaces, trimmed again): a pass fewer costs the app's
    // download less, and gives the same text but where a control character at the start was cut after counting.
    let cut: String = text?.trim().chars().take(max).map(|c| if c.is_control() { ' ' } else { c }).collect();
    let cut = cut.trim();
    (!cut.is_empty()).then(|| cut.to_owned())
}

impl Submission {
    /// Builds the payload: only answers to questions that were shown, text trimmed.
    pub fn new(form: &Form, answers: &Answers, id: &str, sent_at: &str, language: &str) -> Self {
        let answers = form
            .journey(answers)
            .answers
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Answer::Text(s) => Answer::Text(s.trim().to_owned()),
                    other => other.clone(),
                };
                (k.clone(), v)
            })
            .collect();
        Submission {
            schema_version: SCHEMA_VERSION,
            submission_id: id.to_owned(),
            form_id: form.id.clone(),
            form_version: form.version.clone(),
            sent_at: sent_at.to_owned(),
            language: language.to_owned(),
            answers,
            context: None,
            source: None,
            stamp: None,
        }
    }

    /// The same payload with `context` (none for a person's own device). What the model
    /// sends is always taken by [`Submission::problems`]: `shared_device` is set to true,
    /// and each text has its control characters made spaces, is trimmed, cut to its most
    /// characters ([`SESSION_MAX_CHARS`], [`FACILITATOR_MAX_CHARS`]), and left out if blank.
    ///
    /// ```
    /// use feedback_model::{Answers, Context, Form, Submission};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let context = Context { session: Some(" Leeds drop-in, 24 Nov ".into()), facilitator: Some(" ".into()), ..Context::default() };
    /// let s = Submission::new(&form, &Answers::default(), "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-11-23T10:00:00Z", "en")
    ///     .with_context(Some(context));
    /// let json = serde_json::to_string(&s).unwrap();
    /// assert!(json.ends_with(r#","context":{"shared_device":true,"session":"Leeds drop-in, 24 Nov"}}"#), "{json}");
    /// assert!(s.problems(Some(&form)).is_empty());
    /// ```
    pub fn with_context(mut self, context: Option<Context>) -> Self {
        self.context = context.map(|c| Context {
            shared_device: true,
            session: tidy(c.session, SESSION_MAX_CHARS),
            facilitator: tidy(c.facilitator, FACILITATOR_MAX_CHARS),
        });
        self
    }

    /// Everything wrong with a received payload, as sentences for the sender.
    ///
    /// `form` is the receiver's copy of the form with this id, if it has one. When
    /// its version is the payload's, every answer is checked against its question
    /// (type, options, length, shown); for other versions only the shape is checked,
    /// so answers queued on a device before the form changed are still taken.
    /// A missing required answer is not refused: what was given is kept. A
    /// [`Context`]'s texts must be given non-blank when present, within their most
    /// characters, and without control characters.
    pub fn problems(&self, form: Option<&Form>) -> Vec<String> {
        let mut out = Vec::new();
        clear_problems(
            &mut out,
            self.schema_version,
            &self.submission_id,
            &self.form_id,
            &self.form_version,
            &self.sent_at,
        );
        if !is_language_tag(&self.language) {
            out.push("language must be a language code like en, cy or ar".into());
        }
        if let Some(context) = &self.context {
            out.extend(context.problems());
        }
        if self.source.as_deref().is_some_and(|s| !is_source(s)) {
            out.push(format!(
                "source must be a partner's label: 1 to {SOURCE_MAX_CHARS} characters of a-z, 0-9, - and _, starting \
                 with a letter or digit"
            ));
        }
        stamp_problem(&mut out, self.stamp);
        match form {
            None => out.push(format!("there is no form “{}” here", self.form_id)),
            Some(form) if form.version == self.form_version => out.extend(answers_problems(form, &self.answers)),
            Some(_) => {
                for (id, answer) in self.answers.iter() {
                    if !is_identifier(id) {
                        out.push("answer keys must be question identifiers".into());
                        break;
                    }
                    if let Answer::Choices(v) = answer {
                        if v.iter().any(|c| !is_identifier(c)) {
                            out.push(format!("the answer to “{id}” must list option values"));
                        }
                    }
                }
            }
        }
        out
    }
}

/// What is wrong with the fields a payload always has in clear, plain or encrypted (an
/// [`Envelope`](crate::Envelope)): the schema version, the id, the form's id and version, and the time sent.
pub(crate) fn clear_problems(
    out: &mut Vec<String>,
    schema_version: u32,
    submission_id: &str,
    form_id: &str,
    form_version: &str,
    sent_at: &str,
) {
    if schema_version != SCHEMA_VERSION {
        out.push(format!("schema_version {schema_version} is not supported; this server takes {SCHEMA_VERSION}"));
    }
    if !is_uuid_v4(submission_id) {
        out.push("submission_id must be a random UUID (version 4), in lower case".into());
    }
    if !is_identifier(form_id) {
        out.push("form_id must be a form's identifier".into());
    }
    if form_version.is_empty() || form_version.len() > 64 {
        out.push("form_version must be 1 to 64 characters".into());
    }
    if !is_timestamp(sent_at) {
        out.push("sent_at must be a UTC time like 2026-11-23T10:00:00Z".into());
    }
}

/// What is wrong with a payload's proof of work, plain or encrypted: only a number beyond [`crate::stamp::MAX_STAMP`].
pub(crate) fn stamp_problem(out: &mut Vec<String>, stamp: Option<u64>) {
    if stamp.is_some_and(|n| n > crate::stamp::MAX_STAMP) {
        out.push("stamp must be a whole number from 0 to 9007199254740991".into());
    }
}

/// Everything wrong with `answers` for this version of `form`, as sentences: an
/// unknown question, an answer that does not fit its question (type, options,
/// length), or an answer to a question the skip logic hides. A missing required
/// answer is not a problem here. The receiving server's check of a submission's
/// answers ([`Submission::problems`]), and of the answers a server page carries
/// ([`crate::Carried`]).
pub(crate) fn answers_problems(form: &Form, answers: &Answers) -> Vec<String> {
    let mut out = Vec::new();
    let shown = form.journey(answers);
    for (id, answer) in answers.iter() {
        match form.question(id) {
            None => out.push(format!("there is no question “{id}” in this form")),
            Some((_, q)) => {
                if let Err(p) = check_answer(q, Some(answer)) {
                    out.push(p.english(q));
                } else if !shown.questions.contains(id) {
                    out.push(format!("“{id}” was answered but is not asked for the other answers given"));
                }
            }
        }
    }
    out
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`, as JavaScript's `toISOString` writes it.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let frac_ok = match &b.get(19..).unwrap_or(b"") {
        [b'Z'] => true,
        [b'.', rest @ .., b'Z'] => !rest.is_empty() && rest.len() <= 9 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && frac_ok
}

/// A simple BCP 47 tag: `en`, `cy`, `ar`, `pt-BR`.
///
/// ```
/// assert!(feedback_model::is_language_tag("pt-BR"));
/// assert!(!feedback_model::is_language_tag("<img src=x>"));
/// ```
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::nasty_text;
    use proptest::prelude::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn payload(context: &str) -> String {
        format!(
            r#"{{"schema_version":1,"submission_id":"{ID}","form_id":"f","form_version":"1","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{{}}{context}}}"#
        )
    }

    fn context(session: Option<&str>, facilitator: Option<&str>) -> Context {
        Context { shared_device: true, session: session.map(Into::into), facilitator: facilitator.map(Into::into) }
    }

    /// The problems of a submission carrying only this context (no form, so that one problem is dropped).
    fn context_problems(c: Context) -> Vec<String> {
        let s: Submission = serde_json::from_str(&payload("")).unwrap();
        let mut p = Submission { context: Some(c), ..s }.problems(None);
        assert_eq!(p.remove(p.len() - 1), "there is no form “f” here");
        p
    }

    #[test]
    fn a_payload_without_context_is_exactly_as_before() {
        let s: Submission = serde_json::from_str(&payload("")).unwrap();
        assert_eq!(s.context, None);
        assert_eq!(serde_json::to_string(&s).unwrap(), payload(""), "no context key is written");
        let with = payload(r#","context":{"shared_device":true,"session":"Leeds drop-in, 24 Nov","facilitator":"AB"}"#);
        let s: Submission = serde_json::from_str(&with).unwrap();
        assert_eq!(s.context, Some(context(Some("Leeds drop-in, 24 Nov"), Some("AB"))));
        assert_eq!(serde_json::to_string(&s).unwrap(), with);
        let bare = payload(r#","context":{"shared_device":true}"#);
        assert_eq!(serde_json::to_string(&serde_json::from_str::<Submission>(&bare).unwrap()).unwrap(), bare);
    }

    #[test]
    fn a_context_takes_no_unknown_fields_and_needs_shared_device() {
        let device = payload(r#","context":{"shared_device":true,"device_id":"tablet-3"}"#);
        let e = serde_json::from_str::<Submission>(&device).unwrap_err().to_string();
        assert!(e.contains("unknown field `device_id`"), "{e}");
        let missing = payload(r#","context":{"session":"x"}"#);
        let e = serde_json::from_str::<Submission>(&missing).unwrap_err().to_string();
        assert!(e.contains("missing field `shared_device`"), "{e}");
        let wrong_type = payload(r#","context":{"shared_device":true,"session":7}"#);
        assert!(serde_json::from_str::<Submission>(&wrong_type).is_err());
    }

    #[test]
    fn a_context_is_checked() {
        assert_eq!(context_problems(context(None, None)), Vec::<String>::new());
        assert_eq!(context_problems(context(Some("Leeds drop-in, 24 Nov"), Some("AB"))), Vec::<String>::new());
        // Characters are counted, not bytes: 100 two-byte letters are within the most.
        let welsh = "ŵ".repeat(SESSION_MAX_CHARS);
        assert_eq!(
            context_problems(context(Some(&welsh), Some(&"ŷ".repeat(FACILITATOR_MAX_CHARS)))),
            Vec::<String>::new()
        );
        assert_eq!(
            context_problems(context(Some(&format!("{welsh}ŵ")), Some(&"a".repeat(FACILITATOR_MAX_CHARS + 1)))),
            [
                "context.session must be at most 100 characters; it has 101",
                "context.facilitator must be at most 40 characters; it has 41"
            ]
        );
        assert_eq!(
            context_problems(context(Some(" \t"), Some(""))),
            [
                "context.session must not be blank; leave it out when there is none",
                "context.session must not hold control characters such as line breaks or tabs",
                "context.facilitator must not be blank; leave it out when there is none",
            ]
        );
        assert_eq!(
            context_problems(context(Some("Leeds\ndrop-in"), Some("A\u{0}B"))),
            [
                "context.session must not hold control characters such as line breaks or tabs",
                "context.facilitator must not hold control characters such as line breaks or tabs",
            ]
        );
        let own_device = Context { shared_device: false, ..context(None, None) };
        assert_eq!(
            context_problems(own_device),
            ["context.shared_device must be true; leave context out for answers given on a person's own device"]
        );
    }

    #[test]
    fn with_context_sends_a_context_the_receiver_takes() {
        let s: Submission = serde_json::from_str(&payload("")).unwrap();
        assert_eq!(s.clone().with_context(None).context, None);
        let given = Context {
            shared_device: false,
            session: Some(format!("  Leeds\ndrop-in {}", "x".repeat(200))),
            facilitator: Some("\t \r".into()),
        };
        let sent = s.with_context(Some(given)).context.unwrap();
        assert!(sent.shared_device);
        let session = sent.session.unwrap();
        assert!(session.starts_with("Leeds drop-in x") && session.chars().count() == SESSION_MAX_CHARS, "{session}");
        assert_eq!(sent.facilitator, None, "blank once its control characters are spaces");
    }

    #[test]
    fn a_source_is_written_only_when_there_is_one_and_nothing_else_of_the_host_page_is_taken() {
        let s: Submission = serde_json::from_str(&payload("")).unwrap();
        assert_eq!(s.source, None);
        assert_eq!(serde_json::to_string(&s).unwrap(), payload(""), "no source key is written");
        let with = payload(r#","source":"hostel-a""#);
        let s: Submission = serde_json::from_str(&with).unwrap();
        assert_eq!(s.source.as_deref(), Some("hostel-a"));
        assert_eq!(serde_json::to_string(&s).unwrap(), with);
        let both = payload(r#","context":{"shared_device":true},"source":"drop-in_2""#);
        assert_eq!(serde_json::to_string(&serde_json::from_str::<Submission>(&both).unwrap()).unwrap(), both);
        for other in [r#","referrer":"https://hostel-a.example/""#, r#","host":"hostel-a.example""#] {
            let e = serde_json::from_str::<Submission>(&payload(other)).unwrap_err().to_string();
            assert!(e.contains("unknown field"), "{e}");
        }
        assert!(serde_json::from_str::<Submission>(&payload(r#","source":7"#)).is_err());
    }

    #[test]
    fn a_source_is_checked_as_a_label() {
        let problems = |source: &str| {
            let s: Submission = serde_json::from_str(&payload("")).unwrap();
            let mut p = Submission { source: Some(source.into()), ..s }.problems(None);
            assert_eq!(p.remove(p.len() - 1), "there is no form “f” here");
            p
        };
        for ok in ["hostel-a", "a", "0", "womens_centre-2", &"a".repeat(SOURCE_MAX_CHARS)] {
            assert_eq!(problems(ok), Vec::<String>::new(), "{ok}");
        }
        let bad = "source must be a partner's label: 1 to 40 characters of a-z, 0-9, - and _, starting with a letter \
                   or digit";
        for wrong in ["", "Hostel-A", "hostel a", "-a", "_a", "https://hostel-a.example/", "café", &"a".repeat(41)] {
            assert_eq!(problems(wrong), [bad], "{wrong:?}");
        }
    }

    fn any_context() -> impl Strategy<Value = Context> {
        (any::<bool>(), proptest::option::of(nasty_text()), proptest::option::of(nasty_text()))
            .prop_map(|(shared_device, session, facilitator)| Context { shared_device, session, facilitator })
    }

    /// The rule for one text, written again plainly for the property below.
    fn text_ok(text: &Option<String>, max: usize) -> bool {
        text.as_ref()
            .is_none_or(|t| !t.trim().is_empty() && t.chars().count() <= max && !t.chars().any(|c| c.is_control()))
    }

    /// A `source`: mostly labels near the rule's edges (length, first character), and any text.
    fn any_source() -> impl Strategy<Value = String> {
        prop_oneof![proptest::string::string_regex("[a-z0-9_-]{0,42}").unwrap(), nasty_text()]
    }

    /// The rule for a source, written again plainly for the property below.
    fn source_ok(source: &Option<String>) -> bool {
        source.as_ref().is_none_or(|s| {
            (1..=SOURCE_MAX_CHARS).contains(&s.len())
                && !s.starts_with(['-', '_'])
                && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
    }

    proptest! {
        /// Any context and any source, hostile text included, survive the payload's JSON exactly; each
        /// is refused exactly when a rule is broken; and what `with_context` makes is always taken.
        #[test]
        fn any_context_round_trips_and_is_checked(c in any_context(), source in proptest::option::of(any_source())) {
            let s: Submission = serde_json::from_str(&payload("")).unwrap();
            let s = Submission { context: Some(c.clone()), source: source.clone(), ..s };
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(&serde_json::from_str::<Submission>(&json).unwrap(), &s);
            prop_assert_eq!(json.contains(r#""source":"#), source.is_some(), "{}", json);
            let ok = c.shared_device && text_ok(&c.session, SESSION_MAX_CHARS) && text_ok(&c.facilitator, FACILITATOR_MAX_CHARS);
            prop_assert_eq!(c.problems().is_empty(), ok, "{:?}", c.problems());
            let mut all = s.problems(None);
            all.retain(|p| p != "there is no form “f” here");
            prop_assert_eq!(all.is_empty(), ok && source_ok(&source), "{:?}", all);
            let tidied = s.with_context(Some(c)).context.unwrap();
            prop_assert_eq!(tidied.problems(), Vec::<String>::new());
        }
    }

    /// Any answer of any kind: hostile text (empty and blank included, which are not kept), any whole number.
    fn any_answer() -> impl Strategy<Value = Answer> {
        prop_oneof![
            any::<bool>().prop_map(Answer::Flag),
            any::<i64>().prop_map(Answer::Number),
            prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(-(1i64 << 53)), Just(1i64 << 53)].prop_map(Answer::Number),
            nasty_text().prop_map(Answer::Text),
            proptest::collection::vec(nasty_text(), 0..4).prop_map(Answer::Choices),
        ]
    }

    /// Any payload: every field any text (checked or not), any answers under any keys, any context and source.
    fn any_submission() -> impl Strategy<Value = Submission> {
        let texts = (nasty_text(), nasty_text(), nasty_text(), nasty_text(), nasty_text());
        let answers = proptest::collection::vec((nasty_text(), any_answer()), 0..8);
        let extra = (
            proptest::option::of(any_context()),
            proptest::option::of(any_source()),
            proptest::option::of(prop_oneof![any::<u64>(), Just(crate::stamp::MAX_STAMP)]),
        );
        (any::<u32>(), texts, answers, extra).prop_map(
            |(schema_version, (id, form, version, sent_at, language), answers, (context, source, stamp))| Submission {
                schema_version,
                submission_id: id,
                form_id: form,
                form_version: version,
                sent_at,
                language,
                answers: answers.into_iter().collect(),
                context,
                source,
                stamp,
            },
        )
    }

    proptest! {
        /// Whatever payload the app writes (the outbox keeps it as this text, and the collector stores it and
        /// reads it back for its exports) is read back identical: every answer of every kind, under any key,
        /// with its context and source.
        #[test]
        fn any_payload_round_trips(s in any_submission()) {
            let json = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(serde_json::from_str::<Submission>(&json).unwrap(), s.clone());
            #[cfg(feature = "envelope")]
            prop_assert!(!crate::is_envelope(&json), "a plain payload is never taken for an envelope");
            let pretty = serde_json::to_string_pretty(&s).unwrap();
            prop_assert_eq!(serde_json::from_str::<Submission>(&pretty).unwrap(), s);
        }

        /// A stamp added to any unstamped payload's text as `public/stamp.js` adds it (its last member) is read
        /// back, with every other field as it was.
        #[test]
        fn a_stamp_added_to_any_payload_is_read_back(s in any_submission(), stamp in 0..=crate::stamp::MAX_STAMP) {
            let s = Submission { stamp: None, ..s };
            let json = serde_json::to_string(&s).unwrap();
            let stamped = format!("{},\"stamp\":{stamp}}}", &json[..json.len() - 1]);
            prop_assert_eq!(serde_json::from_str::<Submission>(&stamped).unwrap(), Submission { stamp: Some(stamp), ..s });
        }
    }

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-11-23T10:00:00Z"));
        assert!(is_timestamp("2026-11-23T10:00:00.123Z"));
        assert!(!is_timestamp("2026-11-23 10:00:00Z"));
        assert!(!is_timestamp("2026-11-23T10:00:00+01:00"));
        assert!(!is_timestamp("2026-11-23T10:00:00.Z"));
        assert!(!is_timestamp(""));
    }

    #[test]
    fn language_tags() {
        for ok in ["en", "cy", "ar", "pt-BR", "zh-Hant"] {
            assert!(is_language_tag(ok), "{ok}");
        }
        for bad in ["", "e", "EN", "english", "en_GB", "en-", "<script>"] {
            assert!(!is_language_tag(bad), "{bad}");
        }
    }
}
