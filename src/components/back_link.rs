use leptos::prelude::*;

/// "Back", to the previous page of the journey (a real link, so it works like one).
#[component]
pub fn BackLink(href: String) -> impl IntoView {
    view! { <a href=href class="back-link">{crate::services::language::t("back")}</a> }
}
