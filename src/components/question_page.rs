use super::carried_fields::carried_fields;
use super::ids;
use super::{BackLink, ErrorSummary, QuestionField};
use crate::browser::{location, page};
use crate::services::language::{form_text, t, use_shown, words};
use crate::services::state::{flag, use_progress};
use leptos::prelude::*;

/// One page of questions: Back, "Page 2 of 6", the questions shown for the answers
/// so far, and Continue. Continue checks the page first; problems appear in an
/// error summary that takes focus.
#[component]
pub fn QuestionPage(page: usize) -> impl IntoView {
    let progress = use_progress();
    let form = use_shown().with_untracked(|s| s.form.clone());
    let def = &form.pages[page];
    let as_heading = def.title.is_none() && def.questions.len() == 1;

    let back = form.back_route(page, &progress.answers.get_untracked());
    // The skip logic, worked out once per change of answers (not once per question),
    // and passed on only when what is shown changes.
    let shown = {
        let form = form.clone();
        Memo::new(move |_| {
            let j = progress.answers.with(|a| form.journey(a));
            feedback_model::Journey { answers: Default::default(), ..j }
        })
    };
    let position = words(move |s, _| {
        let (i, n) = shown.with(|j| j.progress(page));
        s.tf("page_of", &[("page", &i.to_string()), ("pages", &n.to_string())])
    });
    let heading = (!as_heading).then(|| {
        let title = form_text(move |s| s.form.page_heading(page));
        view! { <h1 class="heading-l" id=ids::MAIN_HEADING tabindex="-1">{title}</h1> }
    });
    let questions = def
        .questions
        .iter()
        .map(|q| {
            let id = q.id.clone();
            let q = q.clone();
            // Drawn when skip logic shows it, and only then (a memo, so an answer that
            // changes nothing here does not draw the question again).
            let visible = flag(move || shown.with(|j| j.questions.contains(&id)));
            move || visible.get().then(|| view! { <QuestionField question=q.clone() page as_heading /> })
        })
        .collect_view();

    let on_continue = {
        let form = form.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let answers = progress.answers.get_untracked();
            let problems = form.page_problems(page, &answers);
            let found = !problems.is_empty();
            progress.problems.set(problems);
            if found {
                page::focus_soon(ids::ERROR_SUMMARY);
                return;
            }
            // Reaching Check your answers ends a change (`Phase::arrive`).
            let next = progress.phase.with_untracked(|p| form.continue_to(page, &answers, p.changed_from()));
            location::push(&next);
        }
    };

    view! {
        <BackLink to=back />
        <ErrorSummary page />
        <form class="question-page" method="post" novalidate on:submit=on_continue>
            {carried_fields()}
            <span class="caption">{position}</span>
            {heading}
            {questions}
            <button type="submit" class="button" data-prevent-double-click="true">{t("continue")}</button>
        </form>
    }
}
