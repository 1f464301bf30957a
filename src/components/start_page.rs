use super::carried_fields::carried_fields;
use super::click::click;
use super::ids;
use super::{LanguagePicker, RefusedAnswers};
use crate::browser::location;
use crate::services::language::{form_text, t, use_shown, words};
use crate::services::state::{flag, use_config, use_progress};
use feedback_model::{Answers, Phase};
use leptos::prelude::*;

/// Who is asking, why, what happens to the answers, that it is anonymous, that any
/// question can be skipped, and how long it takes; then "Start now".
#[component]
pub fn StartPage() -> impl IntoView {
    let config = use_config();
    let drafts = config.keeps_drafts();
    let progress = use_progress();
    let form = use_shown().with_untracked(|s| s.form.clone());
    let first = form.first_route(&Answers::default());
    let minutes = form.minutes.map(|m| {
        let m = m as usize;
        view! { <p class="body">{words(move |s, _| s.tp("minutes", m, &[]))}</p> }
    });
    let asked_by = words(move |s, _| s.tf("asked_by", &[("organisation", config.organisation.name.get(&s.lang))]));
    let intro = (0..form.intro.len())
        .map(|i| view! { <p class="body">{form_text(move |s| s.form.intro.get(i))}</p> })
        .collect_view();
    // Said once, above the heading: where the answers are. Followed, not read once: on a page
    // taken over from the server, the draft is restored just after the page is taken over.
    // `Some(true)`: the answers were cleared; `Some(false)`: a draft is kept on this device.
    // Two `flag`s (memos of one type every flag shares), not a memo of a type of its own; the
    // view follows them only as far as it reads them, so it changes exactly when the status
    // does: with LiveStatus's flag, -361 bytes brotli.
    let cleared = flag(move || progress.phase.with(Phase::cleared));
    let kept = flag(move || drafts && !crate::services::shared::on() && progress.answers.with(|a| !a.is_empty()));
    let status = move || {
        let status = if cleared.get() { Some(true) } else { kept.get().then_some(false) };
        status.map(|cleared| {
            let words = if cleared { t("cleared") } else { t("draft_kept") };
            view! { <div class="notice" role="status"><p class="body">{words}</p></div> }
        })
    };
    view! {
        <LanguagePicker />
        <RefusedAnswers />
        {status}
        <h1 class="heading-xl" id=ids::MAIN_HEADING tabindex="-1">{form_text(|s| Some(&s.form.title))}</h1>
        {intro}
        <p class="body">{asked_by}</p>
        <p class="body">{t("anonymous")}</p>
        <p class="body">{t("skip_any")}</p>
        {minutes}
        <div class="notice"><p class="body">{t("exit_hint")}</p></div>
        // A button in a form, so that with no app it posts the new set of answers' id and the
        // server draws the first page; the app starts itself.
        <form method="post">
            {carried_fields()}
            <button
                type="submit"
                name="do"
                value="start"
                class="button button--start"
                on:click=click(move || {
                    progress.step(&Phase::start_now);
                    location::push(&first);
                })
            >
                {t("start")}
                <svg class="button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
                    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z"></path>
                </svg>
            </button>
        </form>
    }
}
