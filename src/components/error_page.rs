use super::ids;
use crate::services::language::{english, t};
use leptos::prelude::*;

/// Shown instead of the form when its configuration or form file cannot be used.
/// The person is told plainly; the people running the form get every problem.
#[component]
pub fn ErrorPage(problems: Vec<String>) -> impl IntoView {
    crate::browser::page::set_title(&format!("{} – {}", english("broken_title"), english("service")));
    view! {
        <div class="width-container">
            <super::QuickExit url=feedback_model::DEFAULT_EXIT_URL.to_owned() />
            <main id=ids::MAIN_CONTENT class="main" tabindex="-1">
                <h1 class="heading-l" id=ids::MAIN_HEADING tabindex="-1">{t("broken_title")}</h1>
                <p class="body">{t("broken_text")}</p>
                <h2 class="heading-s">{t("broken_details")}</h2>
                <ul class="list list--bullet error-page__problems">
                    {problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                </ul>
            </main>
        </div>
    }
}
