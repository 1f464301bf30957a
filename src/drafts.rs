//! Answers in progress kept on this device, so a reload or a closed tab loses
//! nothing before Send. The rules (which form, how long, what still fits) are
//! the model's [`feedback_model::draft`]; this only reads and writes them.
//!
//! A deployment on a shared device turns drafts off with `"drafts": false` in
//! `config.json`; any draft left from before is then forgotten at start-up.
//!
//! ```ignore
//! drafts::restore(&config, &form, progress); // once, when the form is loaded
//! drafts::keep(&config, &form, &answers);    // whenever the answers change
//! ```

use crate::browser::{clock, storage};
use crate::state::Progress;
use feedback_model::{draft, Answers, Config, Form};
use leptos::prelude::*;

/// Brings back the answers in progress kept for this form, if drafts are on.
pub fn restore(config: &Config, form: &Form, progress: Progress) {
    if !config.drafts {
        storage::remove_draft();
        return;
    }
    let kept = storage::read_draft().and_then(|json| draft::from_json(&json, form, clock::now_ms()));
    match kept {
        Some(answers) => progress.answers.set(answers),
        // Too old, for another form, or unreadable: not worth keeping.
        None => storage::remove_draft(),
    }
}

/// Keeps the answers in progress, or forgets them once there are none.
pub fn keep(config: &Config, form: &Form, answers: &Answers) {
    if !config.drafts || answers.is_empty() {
        storage::remove_draft();
    } else {
        storage::write_draft(&draft::to_json(form, answers, clock::now_ms()));
    }
}
