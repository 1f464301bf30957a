//! The feedback form's model: plain Rust with no browser in it.
//!
//! - [`Form`]: a form definition read from a JSON file (pages of questions).
//! - [`Answers`]: what a person has answered so far, keyed by question id.
//! - [`Condition`]: skip logic; a page or question is shown only when it holds.
//! - [`Journey`] helpers on [`Form`]: which pages and questions are shown, what is
//!   wrong on a page, where Continue and Back go.
//! - [`Phase`]: where the person is in answering, checking and sending one set of answers.
//! - [`Submission`]: the JSON payload sent to the endpoint, with its [`Context`] on a shared device
//!   and its `source` (the partner's label) when embedded in a partner's website; with the `envelope`
//!   feature (the collector's), `Envelope`: the same answers sealed for the deployment's key.
//! - [`Carried`]: what a server page carries in hidden fields when the form is answered
//!   without the app, and [`post`]: where each button of a server page leads ([`Screen`]).
//! - [`Config`]: the deployment's `config.json`, with [`Embed`]: which partners' websites may embed the form.
//! - [`Translation`] and [`Strings`]: the form's and the interface's words in other languages.
//!
//! ```
//! use feedback_model::{Answer, Answers, Form};
//! let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
//! let mut answers = Answers::default();
//! answers.set("ways", Answer::Choices(vec!["phone".into()]));
//! // Only the phone rating is shown on the ratings page.
//! let shown: Vec<_> = form.visible_questions(1, &answers).iter().map(|q| q.id.clone()).collect();
//! assert_eq!(shown, ["rate_phone"]);
//! ```

mod answers;
mod carried;
mod check;
mod condition;
mod config;
pub mod draft;
#[cfg(feature = "envelope")]
mod envelope;
mod form;
mod id;
mod journey;
mod json;
mod locale;
pub mod outbox;
mod parse;
mod payload;
mod phase;
mod quick_exit;
mod read;
mod route;
mod screen;
pub mod stamp;
mod text;
mod translation;

#[cfg(test)]
#[path = "../tests/support/strategies.rs"]
mod strategies;

pub use answers::{Answer, Answers};
pub use carried::{
    merge_page, parse_body, post_page, post_send, question_field, radio_answers, Carried, PagePost, Refused, SendPost,
    ANSWERS_FIELD, CARRY_PREFIX, CHANGING_FIELD, EASY_READ_FIELD, FORM_FIELD, HONEYPOT_FIELD, ID_FIELD, VERSION_FIELD,
};
pub use check::{check_answer, Problem};
pub use condition::Condition;
pub use config::{Config, Embed, Encryption, HelpContact, Organisation, DEFAULT_EXIT_URL, WARNING_SECONDS};
#[cfg(feature = "envelope")]
pub use envelope::{
    aad, decode_base64url, encode_base64url, is_envelope, EncryptedPart, Envelope, ENC_BYTES, INFO,
    MIN_CIPHERTEXT_BYTES,
};
pub use form::{Choice, Form, Kind, Page, Picture, Question};
pub use id::{is_uuid_v4, uuid_v4_from_bytes};
pub use journey::{Journey, PageProblem};
pub use json::parse_json;
pub use locale::{fill, is_rtl, language_name, placeholders, Strings};
pub use parse::FormErrors;
pub use payload::{
    is_language_tag, is_source, Context, Submission, FACILITATOR_MAX_CHARS, SCHEMA_VERSION, SESSION_MAX_CHARS,
    SOURCE_MAX_CHARS,
};
pub use phase::Phase;
pub use quick_exit::{ShiftCounter, ShiftPress};
pub use route::Route;
pub use screen::{post, Action, Posted, Resume, Screen, DO_FIELD, SCREEN_FIELD};
pub use text::{Text, FALLBACK_LANGUAGE};
pub use translation::Translation;

/// Whether `s` is a safe identifier for forms, pages, questions and option values:
/// 1 to 64 of `a-z`, `0-9`, `-` and `_`, starting with a letter or digit.
///
/// ```
/// assert!(feedback_model::is_identifier("rate_phone"));
/// assert!(!feedback_model::is_identifier("../etc"));
/// ```
pub fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

/// `s` as a JSON string, quotes and escapes included. Small stored formats (the
/// outbox, drafts) are written with this and `format!` rather than through
/// `serde_json::Value`, whose writer costs the app's download about a kilobyte.
///
/// ```
/// assert_eq!(feedback_model::json_string("say \"hi\"\n"), r#""say \"hi\"\n""#);
/// ```
pub fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}
