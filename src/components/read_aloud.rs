use crate::browser::speech;
use crate::services::language::t;
use crate::services::state::use_survey;
use feedback_model::Question;
use leptos::prelude::*;

/// "Listen": reads the question, its hint and its options aloud in the page's
/// language. Shown only where the browser has a voice for that language; stops
/// when the person moves to another page.
#[component]
pub fn ReadAloud(question: Question) -> impl IntoView {
    let s = use_survey();
    let lang = s.lang.clone();
    let voice = use_context::<ReadSignal<bool>>().unwrap_or_else(|| signal(false).0);
    let easy = crate::services::state::use_progress().easy_read.get_untracked();
    let text = question.spoken(&lang, easy, t("yes"), t("no"));
    let label = question.label_in(&lang, easy).to_owned();
    on_cleanup(speech::stop);
    view! {
        <Show when=move || voice.get()>
            <button
                type="button"
                class="button button--secondary read-aloud"
                aria-label=format!("{}: {label}", t("listen"))
                on:click={
                    let (text, lang) = (text.clone(), lang.clone());
                    move |_| speech::speak(&text, &lang)
                }
            >
                <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
                    <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"></path>
                </svg>
                {t("listen")}
            </button>
        </Show>
    }
}
