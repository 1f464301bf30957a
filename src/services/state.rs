//! What the components share through context: the configuration (read-only),
//! the person's progress (signals) and, from [`super::language`], what is shown in
//! which language (a signal). Logic lives in `feedback_model`; this only holds it,
//! and stores nothing.

use super::language::Shown;
use super::loading::in_language;
use crate::browser::{location, page};
use crate::components::ids;
use feedback_model::{Answers, Config, Form, PageProblem, Phase, Resume, Route};
use leptos::prelude::*;
use std::sync::Arc;

/// The person's progress through the form: where they are ([`Phase`]), their
/// answers, the page shown, and easy read. Only state: storing the answers (the
/// draft, the outbox) is the services' work ([`crate::services::drafts`], [`crate::services::delivery`]).
#[derive(Clone, Copy)]
pub struct Progress {
    /// Answering, checking, sending, sent or just cleared. Moved on only by
    /// [`Progress::step`] with one of [`Phase`]'s transitions.
    pub phase: RwSignal<Phase>,
    pub answers: RwSignal<Answers>,
    pub route: RwSignal<Route>,
    /// Simpler words where the form gives them.
    pub easy_read: RwSignal<bool>,
    /// What the last Continue (or a Send sent back to a page) found wrong on the
    /// page shown, for its error summary, its questions and the page title. Not part
    /// of the phase: it describes one page's answers, not where the person is.
    pub problems: RwSignal<Vec<PageProblem>>,
}

impl Progress {
    pub fn new(route: Route) -> Self {
        Progress {
            phase: RwSignal::new(Phase::default()),
            answers: RwSignal::new(Answers::default()),
            route: RwSignal::new(route),
            easy_read: RwSignal::new(false),
            problems: RwSignal::new(Vec::new()),
        }
    }

    /// Moves the phase on by one of [`Phase`]'s transitions. Whoever follows the
    /// phase is told of every step, changed or not (comparing costs the download
    /// 0.17 KB), so follow it through a [`Memo`], which passes on only real changes,
    /// or read it untracked. (`&dyn`, not generic: one copy of the signal's update
    /// code rather than one per caller, 0.3 KB less. Both measured with
    /// `node scripts/size.mjs`, brotli.)
    ///
    /// ```ignore
    /// progress.step(&Phase::start_now);
    /// progress.step(&|phase| phase.arrive(&route));
    /// ```
    pub fn step(&self, transition: &dyn Fn(Phase) -> Phase) {
        self.phase.update(|phase| *phase = transition(std::mem::take(phase)));
    }

    /// Where a page the server drew left the person ([`Resume`]): its screen, the answers
    /// its fields show, easy read, the phase, and its problems, worked out again from the
    /// answers as the server worked them out.
    pub fn resume(r: Resume, form: &Form) -> Self {
        let problems = match (&r.route, r.problems) {
            (Route::Page(id), true) => form.page_index(id).map(|p| form.page_problems(p, &r.answers)),
            _ => None,
        };
        Progress {
            phase: RwSignal::new(r.phase),
            answers: RwSignal::new(r.answers),
            route: RwSignal::new(r.route),
            easy_read: RwSignal::new(r.easy_read),
            problems: RwSignal::new(problems.unwrap_or_default()),
        }
    }

    /// Forgets the answers given so far, in this page only (the draft on the
    /// device is [`crate::services::drafts::forget`]'s).
    pub fn forget_answers(&self) {
        self.answers.set(Answers::default());
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

impl LanguageSwitch {
    /// Switches what is `shown` to another of the form's languages: its words are
    /// loaded (once), then every word on screen follows, and focus goes to the
    /// language picker's current language (where the person was).
    pub fn new(shown: RwSignal<Shown>, failed: RwSignal<Option<String>>) -> LanguageSwitch {
        let choose = Callback::new(move |lang: String| {
            let Some(current) = shown.try_get_untracked() else { return };
            if current.lang == lang {
                return;
            }
            leptos::task::spawn_local(async move {
                match in_language(&current, &lang).await {
                    Some(next) => {
                        let _ = failed.try_set(None);
                        location::set_language_param(&lang);
                        if shown.try_set(next).is_none() {
                            page::focus_soon(ids::LANGUAGE_CURRENT);
                        }
                    }
                    None => {
                        let _ = failed.try_set(Some(lang));
                    }
                }
            });
        });
        LanguageSwitch { choose, failed }
    }
}

/// The hidden fields of a page the server drew, as HTML, for its forms (`carried_fields`);
/// empty in a page the app draws, whose forms are never posted.
#[derive(Clone, Default)]
pub struct Carry(pub String);

/// The configuration, from context: loaded once at start-up, the same in every language.
pub fn use_config() -> Arc<Config> {
    expect_context::<Arc<Config>>()
}

/// The person's progress, from context.
pub fn use_progress() -> Progress {
    expect_context::<Progress>()
}

/// A [`Memo`] of whether `f` holds: passes on only real changes. Behind a pointer, so every
/// such memo shares one copy of the memo's code rather than one per closure.
///
/// ```ignore
/// let any = flag(move || items.with(|i| !i.is_empty()));
/// ```
pub fn flag(f: impl Fn() -> bool + Send + Sync + 'static) -> Memo<bool> {
    flag_dyn(Arc::new(f))
}

fn flag_dyn(f: Arc<dyn Fn() -> bool + Send + Sync>) -> Memo<bool> {
    Memo::new(move |_| f())
}

/// An [`Effect`] running `f`, which is told whether it has run before. Behind a pointer, so
/// every such effect shares one copy of the effect's code rather than one per closure.
///
/// ```ignore
/// effect(move |again| if again { page::scroll_to_top() });
/// ```
pub fn effect(f: impl Fn(bool) + 'static) {
    effect_dyn(Box::new(f))
}

fn effect_dyn(f: Box<dyn Fn(bool)>) {
    Effect::new(move |ran: Option<()>| f(ran.is_some()));
}
