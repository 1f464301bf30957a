use super::click::click;
use super::ids;
use crate::browser::{location, page};
use crate::services::drafts;
use crate::services::language::t;
use crate::services::state::use_progress;
use feedback_model::{Phase, Route};
use leptos::prelude::*;

/// "Clear my answers": removes everything entered so far, from the form and from
/// this device, after asking once more (a slip of the thumb must not lose a
/// long answer). Then the start page says the answers have gone.
///
/// ```ignore
/// view! { <ClearAnswers /> } // under the page's own content, while there are answers
/// ```
#[component]
pub fn ClearAnswers() -> impl IntoView {
    let progress = use_progress();
    let asking = RwSignal::new(false);
    let ask = move || {
        asking.set(true);
        page::focus_soon(ids::CLEAR_QUESTION);
    };
    let keep = move || {
        asking.set(false);
        page::focus_soon(ids::CLEAR_ANSWERS);
    };
    let clear = move || {
        drafts::forget();
        progress.forget_answers();
        progress.step(&Phase::clear);
        location::push(&Route::Start);
        page::focus_soon(ids::MAIN_HEADING); // also when already on the start page
    };
    move || {
        if asking.get() {
            view! {
                <div class="clear-answers" role="group" aria-labelledby=ids::CLEAR_QUESTION>
                    <p class="body clear-answers__question" id=ids::CLEAR_QUESTION tabindex="-1">{t("clear_confirm")}</p>
                    <div class="button-group">
                        <button type="button" class="button button--warning" id=ids::CLEAR_YES on:click=click(clear)>{t("clear_yes")}</button>
                        <button type="button" class="button button--secondary" id=ids::CLEAR_NO on:click=click(keep)>{t("clear_no")}</button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <div class="clear-answers">
                    <button type="button" class="button button--secondary" id=ids::CLEAR_ANSWERS on:click=click(ask)>{t("clear_answers")}</button>
                </div>
            }
            .into_any()
        }
    }
}
