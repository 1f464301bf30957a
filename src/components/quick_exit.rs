use super::click::click;
use crate::browser::exit;
use crate::services::drafts;
use crate::services::language::{english_tp, t, Shown};
use crate::services::state::Progress;
use feedback_model::{Phase, ShiftCounter, ShiftPress};
use leptos::prelude::*;

/// "Exit this page": on every screen, for people who may be watched. The button,
/// or pressing Shift three times, clears the answers held on this device and
/// replaces the page with a neutral site (the GOV.UK "Exit this page" pattern).
///
/// It is a real link to the neutral site, so it leaves even if the app has failed.
#[component]
pub fn QuickExit(url: String) -> impl IntoView {
    let announce = RwSignal::new(String::new());
    let counter = StoredValue::new(ShiftCounter::default());
    // Taken now: the exit runs from event handlers, outside the component's owner.
    let progress = use_context::<Progress>();
    let shown = use_context::<RwSignal<Shown>>();
    let leave = {
        let url = url.clone();
        move || {
            drafts::forget();
            if let Some(progress) = progress {
                progress.forget_answers();
                progress.step(&Phase::exit);
            }
            exit::leave(&url);
        }
    };
    let on_key = {
        let leave = leave.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() != "Shift" {
                counter.update_value(ShiftCounter::other_key);
                return;
            }
            if ev.repeat() {
                return;
            }
            let mut press = ShiftPress::Counted { left: 0 };
            counter.update_value(|c| press = c.press(crate::browser::clock::now_ms() as f64));
            match press {
                ShiftPress::Exit => leave(),
                ShiftPress::Counted { left } => {
                    let message = |s: &Shown| s.tp("exit_shift", left.into(), &[]);
                    let english = || english_tp("exit_shift", left.into(), &[]);
                    announce.set(shown.and_then(|s| s.try_with_untracked(message)).unwrap_or_else(english));
                }
            }
        }
    };
    let handle = window_event_listener(leptos::ev::keydown, on_key);
    on_cleanup(move || handle.remove());
    view! {
        <div class="exit-this-page">
            <a
                href=url
                role="button"
                class="button button--warning exit-this-page__button"
                rel="nofollow noreferrer"
                on:click=click(move || {
                    leave();
                })
            >
                <span class="visually-hidden">{t("exit_emergency")} " "</span>
                {t("exit")}
            </a>
            <div class="visually-hidden" aria-live="polite">{move || announce.get()}</div>
        </div>
    }
}
