use super::click::click;
use super::ids;
use crate::services::language::{form_text, t};
use leptos::prelude::*;

/// The bar at the top of every screen: a skip link and the form's name.
#[component]
pub fn Header() -> impl IntoView {
    let title = form_text(|s| Some(&s.form.title));
    view! {
        <a href=format!("#{}", ids::MAIN_CONTENT) class="skip-link" on:click=click(|| {
            crate::browser::page::focus_in_page(ids::MAIN_CONTENT)
        })>
            {t("skip_link")}
        </a>
        <header class="header">
            <div class="width-container">
                <span class="header__service">{title}</span>
            </div>
        </header>
    }
}
