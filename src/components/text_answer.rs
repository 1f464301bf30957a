use super::ids;
use crate::services::language::words;
use crate::services::state::use_progress;
use feedback_model::Answer;
use leptos::prelude::*;
use std::time::Duration;

/// A text box (one line) or text area (a paragraph, with a character count).
///
/// The count follows the GOV.UK character count: people may type past the limit
/// and are told by how much, rather than having their words cut off. Screen
/// readers hear the count a second after typing stops, not at every key.
#[component]
pub fn TextAnswer(
    question_id: String,
    input_id: String,
    long: bool,
    max_length: usize,
    described_by: Signal<Option<String>>,
    invalid: Signal<bool>,
) -> impl IntoView {
    let progress = use_progress();
    // The box keeps what is typed; the answers follow it. Its first value comes from
    // the answers, for a person coming back to this page.
    let initial = progress
        .answers
        .with_untracked(|a| a.get(&question_id).and_then(Answer::as_text).map(str::to_owned))
        .unwrap_or_default();
    let length = RwSignal::new(initial.chars().count());
    let announced = RwSignal::new(String::new());
    // The count is announced a second after typing stops. The timer is plain state,
    // not a reactive value, and is cleared with the component: a person who presses
    // Continue within that second must not have the timer read signals that are gone.
    let timer = std::sync::Arc::new(std::sync::Mutex::new(None::<TimeoutHandle>));
    on_cleanup({
        let timer = timer.clone();
        move || {
            if let Some(h) = timer.lock().ok().and_then(|mut t| t.take()) {
                h.clear();
            }
        }
    });
    let count_message = words(move |s, _| {
        let n = length.get();
        if n > max_length {
            s.tp("chars_over", n - max_length, &[])
        } else {
            s.tp("chars_left", max_length - n, &[])
        }
    });
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        length.set(text.chars().count());
        progress.answers.update(|a| a.set(&question_id, Answer::Text(text)));
        if long {
            if let Ok(mut timer) = timer.lock() {
                if let Some(h) = timer.take() {
                    h.clear();
                }
                *timer = set_timeout_with_handle(
                    move || {
                        if let Some(message) = count_message.try_get_untracked() {
                            let _ = announced.try_set(message);
                        }
                    },
                    Duration::from_millis(1000),
                )
                .ok();
            }
        }
    };
    let aria_invalid = move || invalid.get().then_some("true");
    if !long {
        return view! {
            <input
                class="input"
                class:input--error=move || invalid.get()
                type="text"
                id=input_id.clone()
                name=input_id
                spellcheck="false"
                autocomplete="off"
                value=initial.clone()
                prop:value=initial
                aria-describedby=move || described_by.get()
                aria-invalid=aria_invalid
                on:input=on_input
            />
        }
        .into_any();
    }
    let info_id = ids::info(&input_id);
    let describe = {
        let info_id = info_id.clone();
        move || Some(described_by.get().map_or_else(|| info_id.clone(), |d| format!("{d} {info_id}")))
    };
    let count_class = move || {
        if length.get() > max_length {
            "hint character-count__message character-count__message--over"
        } else {
            "hint character-count__message"
        }
    };
    let text = initial.clone();
    view! {
        <textarea
            class="textarea"
            class:textarea--error=move || invalid.get()
            id=input_id.clone()
            name=input_id
            rows="5"
            prop:value=initial
            aria-describedby=describe
            aria-invalid=aria_invalid
            on:input=on_input
        >
            // Also as its text, for a page drawn on the server (a property is not in HTML).
            {text}
        </textarea>
        <div id=info_id class="visually-hidden">{words(move |s, _| s.tp("chars_limit", max_length, &[]))}</div>
        <div class=count_class aria-hidden="true">
            {count_message}
        </div>
        <div class="visually-hidden" aria-live="polite">{move || announced.get()}</div>
    }
    .into_any()
}
