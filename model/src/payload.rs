use crate::{check_answer, is_identifier, is_uuid_v4, Answer, Answers, Form};
use serde::{Deserialize, Serialize};

/// The version of the payload's shape; see `public/schema/submission.schema.json`.
pub const SCHEMA_VERSION: u32 = 1;

/// What is sent to the endpoint when a person presses Send.
///
/// It holds nothing about the person or their device but what they typed in.
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
        }
    }

    /// Everything wrong with a received payload, as sentences for the sender.
    ///
    /// `form` is the receiver's copy of the form with this id, if it has one. When
    /// its version is the payload's, every answer is checked against its question
    /// (type, options, length, shown); for other versions only the shape is checked,
    /// so answers queued on a device before the form changed are still taken.
    /// A missing required answer is not refused: what was given is kept.
    pub fn problems(&self, form: Option<&Form>) -> Vec<String> {
        let mut out = Vec::new();
        if self.schema_version != SCHEMA_VERSION {
            out.push(format!(
                "schema_version {} is not supported; this server takes {SCHEMA_VERSION}",
                self.schema_version
            ));
        }
        if !is_uuid_v4(&self.submission_id) {
            out.push("submission_id must be a random UUID (version 4), in lower case".into());
        }
        if !is_identifier(&self.form_id) {
            out.push("form_id must be a form's identifier".into());
        }
        if self.form_version.is_empty() || self.form_version.len() > 64 {
            out.push("form_version must be 1 to 64 characters".into());
        }
        if !is_timestamp(&self.sent_at) {
            out.push("sent_at must be a UTC time like 2026-11-23T10:00:00Z".into());
        }
        if !is_language_tag(&self.language) {
            out.push("language must be a language code like en, cy or ar".into());
        }
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
