use super::click::click;
use super::ids;
use crate::services::language::{t, use_shown};
use crate::services::state::{flag, use_progress};
use leptos::prelude::*;

/// "There is a problem", at the top of a page after Continue finds problems on it.
/// It takes focus (the page's Continue handler moves it here), and each problem
/// links to its field.
#[component]
pub fn ErrorSummary(page: usize) -> impl IntoView {
    let shown = use_shown();
    let progress = use_progress();
    // In the language shown, and in easy read's words when it is on.
    let items = Memo::new(move |_| {
        let easy = progress.easy_read.get();
        shown.with(|s| {
            progress.problems.with(|problems| {
                problems
                    .iter()
                    .filter(|p| p.page == page)
                    .filter_map(|p| {
                        let q = s.question(&p.question)?;
                        Some((ids::question(&q.id), s.problem_message(&p.problem, q, easy)))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    // Shown while there are problems; drawn once when they appear (a memo), so the
    // list inside changes without the alert being made again.
    let any = flag(move || items.with(|i| !i.is_empty()));
    move || {
        any.get().then(|| {
            view! {
                <div class="error-summary" id=ids::ERROR_SUMMARY tabindex="-1">
                    <div role="alert">
                        <h2 class="error-summary__title" id=ids::ERROR_SUMMARY_TITLE>{t("there_is_a_problem")}</h2>
                        <ul class="list error-summary__list">
                            {move || items.get().into_iter().map(|(id, message)| {
                                let href = format!("#{id}");
                                view! {
                                    <li><a href=href on:click=click(move || {
                                        crate::browser::page::focus_in_page(&id)
                                    })>{message}</a></li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                </div>
            }
        })
    }
}
