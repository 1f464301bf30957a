//! Answers in progress, kept on a personal device so a reload or a closed tab
//! loses nothing before Send. Plain Rust: the app decides where it is stored.
//!
//! A draft is read back only into the form it was written for, and only the
//! answers that still fit that form's questions are kept, so a new version of
//! the form never breaks a half-finished one. Drafts older than [`KEEP_MS`] are
//! forgotten: answers someone walked away from should not wait for the next
//! person to pick up the phone.
//!
//! ```
//! use feedback_model::{draft, Answer, Answers, Form};
//! let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
//! let mut answers = Answers::default();
//! answers.set("anything_else", Answer::Text("Phone calls helped".into()));
//! let saved = draft::to_json(&form, &answers, 1_000);
//! assert_eq!(draft::from_json(&saved, &form, 2_000), Some(answers));
//! // A week later it is gone.
//! assert_eq!(draft::from_json(&saved, &form, 1_000 + draft::KEEP_MS + 1), None);
//! ```

use crate::read::{string, Fields};
use crate::{check_answer, json_string, Answer, Answers, Form};
use serde_json::Value;

/// How long a draft is kept after its last change: 7 days, in milliseconds.
pub const KEEP_MS: u64 = 7 * 24 * 60 * 60 * 1000;

/// The draft as stored: the form's id and version, when it was saved, and the answers.
pub fn to_json(form: &Form, answers: &Answers, now_ms: u64) -> String {
    format!(
        r#"{{"form":{},"version":{},"saved_ms":{now_ms},"answers":{}}}"#,
        json_string(&form.id),
        json_string(&form.version),
        serde_json::to_string(answers).unwrap_or_else(|_| "{}".into()),
    )
}

/// The answers of a stored draft that fit `form`; `None` if the draft is for
/// another form, too old, unreadable, or has no answer that still fits.
pub fn from_json(json: &str, form: &Form, now_ms: u64) -> Option<Answers> {
    // Read with the model's one object reader; fields a newer version adds are left alone.
    let v: Value = crate::parse_json(json).ok()?;
    let e = &mut Vec::new();
    let f = Fields::any(e, &v, String::new(), "an object")?;
    if f.get(e, "form", "a string", string)? != form.id {
        return None;
    }
    let saved = f.get(e, "saved_ms", "a time", Value::as_u64)?;
    if now_ms.saturating_sub(saved) > KEEP_MS {
        return None;
    }
    let answers = answers_in(e, f.given("answers")?, form, true)?;
    (!answers.is_empty()).then_some(answers)
}

/// The answers in `v`, an object of answers by question id, to the questions `form` has;
/// `checked`: only those that pass their question's checks. Shared with a drawn page's
/// [`crate::Resume`] (one copy in the app's download, not two: -119 bytes brotli).
pub(crate) fn answers_in(e: &mut Vec<String>, v: &Value, form: &Form, checked: bool) -> Option<Answers> {
    let answers = Fields::any(e, v, String::new(), "an object")?.each().filter_map(|(id, value)| {
        let answer = Answer::from_value(value)?;
        let (_, question) = form.question(id)?;
        if checked {
            check_answer(question, Some(&answer)).ok()?;
        }
        Some((id.clone(), answer))
    });
    Some(answers.collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::text_answer;
    use proptest::prelude::*;
    use serde_json::json;

    fn form() -> Form {
        Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap()
    }

    fn answers() -> Answers {
        let mut a = Answers::default();
        a.set("ways", Answer::Choices(vec!["phone".into(), "video".into()]));
        a.set("rate_phone", Answer::Number(4));
        a.set("anything_else", Answer::Text("Ffôn – “quotes” & <b>tags</b>\n".into()));
        a
    }

    #[test]
    fn every_kind_of_answer_comes_back_as_it_was() {
        let f = form();
        let saved = to_json(&f, &answers(), 5);
        assert_eq!(from_json(&saved, &f, 6), Some(answers()));
    }

    #[test]
    fn another_form_or_damaged_text_gives_nothing() {
        let f = form();
        let mut other = f.clone();
        other.id = "another-form".into();
        assert_eq!(from_json(&to_json(&other, &answers(), 5), &f, 6), None);
        for broken in [
            "",
            "null",
            "{",
            "[]",
            r#"{"form":"remote-support"}"#,
            r#"{"form":"remote-support","saved_ms":1,"answers":[]}"#,
        ] {
            assert_eq!(from_json(broken, &f, 6), None, "{broken}");
        }
    }

    #[test]
    fn answers_that_no_longer_fit_a_new_version_of_the_form_are_dropped_and_the_rest_kept() {
        let f = form();
        let saved = json!({
            "form": f.id, "version": "an older version", "saved_ms": 5,
            "answers": {
                "ways": ["phone", "carrier_pigeon"],   // an option the form no longer has
                "gone_question": "hello",             // a question it no longer has
                "rate_phone": 99,                     // off the scale
                "anything_else": "kept",
            }
        })
        .to_string();
        let mut expected = Answers::default();
        expected.set("anything_else", Answer::Text("kept".into()));
        assert_eq!(from_json(&saved, &f, 6), Some(expected));
    }

    #[test]
    fn a_draft_is_kept_for_seven_days_and_no_longer() {
        let f = form();
        let saved = to_json(&f, &answers(), 1_000);
        assert!(from_json(&saved, &f, 1_000 + KEEP_MS).is_some());
        assert_eq!(from_json(&saved, &f, 1_000 + KEEP_MS + 1), None);
    }

    /// Answers that fit the default form: every kind, with text that breaks
    /// hand-written JSON (see [`crate::strategies::nasty_text`]).
    fn fitting_answers() -> impl Strategy<Value = Answers> {
        let f = form();
        let values =
            |id: &str| f.question(id).unwrap().1.kind.options().iter().map(|c| c.value.clone()).collect::<Vec<_>>();
        (
            proptest::sample::subsequence(values("ways"), 0..=4),
            proptest::option::of(1..=5i64),
            proptest::option::of(any::<bool>()),
            proptest::option::of(proptest::sample::select(values("prefer"))),
            text_answer(),
            text_answer(),
        )
            .prop_map(|(ways, rate, set_back, prefer, anything_else, contact)| {
                let mut a = Answers::default();
                a.set("ways", Answer::Choices(ways));
                let given = [
                    rate.map(Answer::Number).map(|a| ("rate_phone", a)),
                    set_back.map(Answer::Flag).map(|a| ("set_back", a)),
                    prefer.map(Answer::Text).map(|a| ("prefer", a)),
                    anything_else.map(Answer::Text).map(|a| ("anything_else", a)),
                    contact.map(Answer::Text).map(|a| ("contact", a)),
                ];
                for (id, answer) in given.into_iter().flatten() {
                    a.set(id, answer);
                }
                a
            })
    }

    proptest! {
        /// Any answers that fit the form, saved at any time, come back as they were within 7 days.
        #[test]
        fn any_draft_survives_storage(answers in fitting_answers(), saved_ms in any::<u64>(), later in 0..=KEEP_MS) {
            let f = form();
            let stored = to_json(&f, &answers, saved_ms);
            let expected = (!answers.is_empty()).then(|| answers.clone());
            prop_assert_eq!(from_json(&stored, &f, saved_ms.saturating_add(later)), expected);
        }
    }
}
