//! The ids of the elements that code finds again (to move focus, to link to, to
//! describe a field), in one place, so a focus move and the element it looks for
//! cannot drift apart. Tests find the same elements by these ids.
//!
//! ```ignore
//! view! { <h1 id=ids::MAIN_HEADING tabindex="-1">{title}</h1> }
//! page::focus_soon(ids::MAIN_HEADING);
//! ```

/// `<main>`, the skip link's target.
pub const MAIN_CONTENT: &str = "main-content";
/// Each screen's heading, which takes focus when the screen changes.
pub const MAIN_HEADING: &str = "main-heading";
/// The error summary, which takes focus when Continue finds problems.
pub const ERROR_SUMMARY: &str = "error-summary";
pub const ERROR_SUMMARY_TITLE: &str = "error-summary-title";
/// The language picker's current language, which keeps focus after a switch.
pub const LANGUAGE_CURRENT: &str = "language-current";
pub const EASY_READ_SWITCH: &str = "easy-read-switch";
pub const EASY_READ_HINT: &str = "easy-read-hint";
/// "Clear my answers", and the question it asks before clearing.
pub const CLEAR_ANSWERS: &str = "clear-answers";
pub const CLEAR_QUESTION: &str = "clear-question";
pub const CLEAR_YES: &str = "clear-yes";
pub const CLEAR_NO: &str = "clear-no";
pub const SEND: &str = "send";
pub const REFUSED_ANSWERS: &str = "refused-answers";
/// Where `public/shared/shared.js` draws the facilitator's screen, and the step to the
/// next person under the confirmation, on a shared device.
pub const FACILITATOR: &str = "facilitator";
pub const NEXT_PERSON: &str = "next-person";
/// The polite live region that says when waiting answers have been sent.
pub const LIVE_STATUS: &str = "live-status";

/// A question's field: its text box, or its first radio or checkbox. The error
/// summary links here. Also the field's `name`, which a page posted without the app
/// carries to the server (`feedback_model::carried`): one spelling for both.
pub fn question(question_id: &str) -> String {
    feedback_model::question_field(question_id)
}

/// Option `i` (from 0) of a question's radios or checkboxes: the first is the
/// question's own id, which the error summary links to.
pub fn option(question_id: &str, i: usize) -> String {
    if i == 0 {
        question(question_id)
    } else {
        format!("q-{question_id}-{}", i + 1)
    }
}

/// The hint of option `i` (from 0) of a question's radios or checkboxes: `q-{id}-1-hint` for the
/// first, whose field's own id is the question's, so that its hint is never the question's
/// (`q-{id}-hint`). (A form whose question ids on a page begin with another's and a dash is
/// refused, so every id that begins with `q-{id}-` is this question's.)
pub fn option_hint(question_id: &str, i: usize) -> String {
    format!("q-{question_id}-{}-hint", i + 1)
}

/// The hint that describes the element `id`.
pub fn hint(id: &str) -> String {
    format!("{id}-hint")
}

/// The error message beside the field `id`.
pub fn error(id: &str) -> String {
    format!("{id}-error")
}

/// The character limit, read out with the text area `id`.
pub fn info(id: &str) -> String {
    format!("{id}-info")
}
