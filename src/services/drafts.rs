//! Answers in progress kept on this device, so a reload or a closed tab loses
//! nothing before Send. The rules (which form, how long, what still fits) are
//! the model's [`feedback_model::draft`]; this only reads and writes them, and
//! is the one place that does.
//!
//! A draft is written only when the answers differ from what it already holds,
//! so its days ([`draft::KEEP_MS`]) count from the last change, not from the last
//! page load or change of language. A deployment on a shared device turns drafts
//! off with `"drafts": false` in `config.json`; any draft left from before is then
//! forgotten at start-up.
//!
//! ```ignore
//! progress.answers.set(drafts::restore(config.drafts, &form)); // once, when the form is loaded
//! drafts::keep(&answers);                               // whenever the answers change
//! drafts::forget();                                     // Send, Clear my answers, quick exit
//! ```

use crate::browser::{clock, storage};
use feedback_model::{draft, Answers, Form};
use std::cell::RefCell;
use std::sync::Arc;

/// A draft that may be written: for this form, holding these answers (none: no draft).
struct Kept {
    form: Arc<Form>,
    answers: Answers,
}

thread_local! {
    /// What the draft on this device holds, as this page last read or wrote it;
    /// `None` while drafts are off or before [`restore`]. Like the draft itself
    /// there is one per page, so it lives here rather than in a `StoredValue` passed
    /// through context (which cost the download about 0.5 KB more, brotli; measured
    /// with `node scripts/size.mjs`).
    static KEPT: RefCell<Option<Kept>> = const { RefCell::new(None) };
}

/// The answers kept for `form`, once the form is loaded: none if drafts are off
/// (`keep` is false: the configuration says so, or the device is shared; any draft
/// left from before is removed) or if the draft is too old, for another form or
/// unreadable (it is removed). Restoring writes nothing.
pub fn restore(keep: bool, form: &Arc<Form>) -> Answers {
    let kept =
        if keep { storage::read_draft().and_then(|json| draft::from_json(&json, form, clock::now_ms())) } else { None };
    if kept.is_none() {
        storage::remove_draft();
    }
    let answers = kept.unwrap_or_default();
    let now = keep.then(|| Kept { form: form.clone(), answers: answers.clone() });
    KEPT.with_borrow_mut(|k| *k = now);
    answers
}

/// Keeps `answers` on the device if they differ from what the draft holds, or
/// removes the draft once there are none. Nothing while drafts are off or
/// before [`restore`].
pub fn keep(answers: &Answers) {
    KEPT.with_borrow_mut(|kept| {
        let Some(kept) = kept.as_mut().filter(|k| k.answers != *answers) else { return };
        if answers.is_empty() {
            storage::remove_draft();
        } else {
            storage::write_draft(&draft::to_json(&kept.form, answers, clock::now_ms()));
        }
        kept.answers = answers.clone();
    });
}

/// Removes the draft now, before the page can close: after Send has saved the
/// answers, on "Clear my answers", and on quick exit.
pub fn forget() {
    storage::remove_draft();
    KEPT.with_borrow_mut(|kept| {
        if let Some(kept) = kept {
            kept.answers = Answers::default();
        }
    });
}
