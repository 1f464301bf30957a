//! What the components share through context: the loaded survey (read-only) and the
//! person's progress (signals). Logic lives in `feedback_model`; this only holds it.

use feedback_model::{Answers, Config, Form, PageProblem, Route};
use leptos::prelude::*;
use std::sync::Arc;

/// The configuration and form, loaded once at start-up.
#[derive(Clone)]
pub struct Survey {
    pub config: Arc<Config>,
    pub form: Arc<Form>,
    /// The language the form is shown in.
    pub lang: String,
    /// Languages whose words have been added to `form` (besides its own).
    pub loaded: Vec<String>,
}

/// The person's progress through the form.
#[derive(Clone, Copy)]
pub struct Progress {
    pub answers: RwSignal<Answers>,
    pub route: RwSignal<Route>,
    /// Pages the person has been shown, so a Change from Check your answers can
    /// walk through any pages that the change newly reveals.
    pub seen: RwSignal<Vec<usize>>,
    /// Came from Check your answers by a Change link.
    pub changing: RwSignal<bool>,
    /// Problems found by the last Continue on this page.
    pub problems: RwSignal<Vec<PageProblem>>,
    /// The id of the submission just sent, for the confirmation page to follow it
    /// through the outbox.
    pub submission_id: RwSignal<Option<String>>,
    /// The submission just sent could not be saved on this device (storage full
    /// or off): it is held in this page's memory only.
    pub not_saved: RwSignal<bool>,
    /// The answers were just sent (the confirmation page may be shown).
    pub sent: RwSignal<bool>,
    /// Simpler words where the form gives them.
    pub easy_read: RwSignal<bool>,
    /// The person just cleared their answers with "Clear my answers".
    pub cleared: RwSignal<bool>,
}

impl Progress {
    pub fn new(route: Route) -> Self {
        Progress {
            answers: RwSignal::new(Answers::default()),
            route: RwSignal::new(route),
            seen: RwSignal::new(Vec::new()),
            changing: RwSignal::new(false),
            problems: RwSignal::new(Vec::new()),
            submission_id: RwSignal::new(None),
            not_saved: RwSignal::new(false),
            sent: RwSignal::new(false),
            easy_read: RwSignal::new(false),
            cleared: RwSignal::new(false),
        }
    }

    /// Clears everything the person entered, here and in the draft kept on this
    /// device, for the next person on it.
    pub fn clear(&self) {
        crate::browser::storage::remove_draft();
        self.answers.set(Answers::default());
        self.seen.set(Vec::new());
        self.changing.set(false);
        self.problems.set(Vec::new());
    }
}

/// Changing the language, from the language picker.
#[derive(Clone, Copy)]
pub struct LanguageSwitch {
    /// Loads a language's words (if not loaded yet) and shows everything in it.
    pub choose: Callback<String>,
    /// The language that could not be loaded, if the last try failed.
    pub failed: RwSignal<Option<String>>,
}

/// The survey, from context.
pub fn use_survey() -> Survey {
    expect_context::<Survey>()
}

/// The person's progress, from context.
pub fn use_progress() -> Progress {
    expect_context::<Progress>()
}
