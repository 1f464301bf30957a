use super::carried_fields::carried_fields;
use super::click::click;
use super::ids;
use crate::services::language::t;
use crate::services::state::use_progress;
use leptos::prelude::*;

/// "Easy read": a toggle button that shows the form's simpler words where it
/// gives them. It stays put while the page redraws, so focus stays on it.
///
/// ```ignore
/// view! { <EasyReadSwitch /> }
/// ```
#[component]
pub fn EasyReadSwitch() -> impl IntoView {
    let progress = use_progress();
    let pressed = move || if progress.easy_read.get() { "true" } else { "false" };
    view! {
        // A form of its own, so that with no app the server draws the same screen in easy read.
        <form method="post" class="easy-read">
            {carried_fields()}
            <button
                type="submit"
                name="do"
                value="easy"
                class="easy-read__switch"
                id=ids::EASY_READ_SWITCH
                aria-pressed=pressed
                aria-describedby=ids::EASY_READ_HINT
                on:click=click(move || {
                    progress.easy_read.update(|on| *on = !*on);
                })
            >
                <svg class="easy-read__box" aria-hidden="true" focusable="false" width="24" height="24" viewBox="0 0 24 24">
                    <rect x="1.5" y="1.5" width="21" height="21" fill="none" stroke="currentColor" stroke-width="3"></rect>
                    <path class="easy-read__tick" fill="none" stroke="currentColor" stroke-width="3.5" d="M5 12.5l4.5 4.5L19 7"></path>
                </svg>
                {t("easy_read")}
            </button>
            <span class="easy-read__hint" id=ids::EASY_READ_HINT>{t("easy_read_hint")}</span>
        </form>
    }
}
