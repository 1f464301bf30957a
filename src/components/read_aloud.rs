use super::click::click;
use crate::browser::speech;
use crate::services::language::{t, use_shown, words};
use crate::services::state::{flag, use_progress};
use feedback_model::Question;
use leptos::prelude::*;

/// "Listen": reads the question, its hint and its options aloud in the page's
/// language. Shown only where the browser has a voice for that language; stops
/// when the person moves to another page.
#[component]
pub fn ReadAloud(question: Question) -> impl IntoView {
    let shown = use_shown();
    let easy = use_progress().easy_read;
    let voices = use_context::<ReadSignal<u32>>();
    // Whether the browser has a voice for the language shown (asked again when its voices change).
    let has_voice = move || {
        if let Some(v) = voices {
            v.track();
        }
        shown.with(|s| speech::has_voice(&s.lang))
    };
    let id = question.id.clone();
    let label = words(move |s, easy| {
        let label = s.question(&id).map_or("", |q| q.label_in(&s.lang, easy));
        format!("{}: {label}", s.t("listen"))
    });
    let id = question.id;
    let speak = move || {
        let easy = easy.get_untracked();
        shown.with_untracked(|s| {
            if let Some(q) = s.question(&id) {
                speech::speak(&q.spoken(&s.lang, easy, &s.t("yes"), &s.t("no")), &s.lang);
            }
        });
    };
    on_cleanup(speech::stop);
    let has_voice = flag(has_voice);
    move || {
        has_voice.get().then(|| view! {
            <button type="button" class="button button--secondary read-aloud" aria-label=label on:click=click(speak.clone())>
                <svg aria-hidden="true" focusable="false" width="20" height="20" viewBox="0 0 24 24">
                    <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4z"></path>
                </svg>
                {t("listen")}
            </button>
        })
    }
}
