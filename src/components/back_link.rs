use super::carried_fields::carried_fields;
use super::click::click;
use crate::browser::location;
use crate::services::language::t;
use feedback_model::Route;
use leptos::prelude::*;

/// "Back", to the previous page of the journey. A button in a form of its own, so that with
/// no app it posts what the page carries and the server draws the page before (a form of its
/// own, not the page's: Enter in a field must press Continue, the page's first button). The
/// app goes back itself, through the address.
#[component]
pub fn BackLink(to: Route) -> impl IntoView {
    view! {
        <form method="post" class="back-form">
            {carried_fields()}
            <button
                type="submit"
                name="do"
                value="back"
                class="back-link"
                on:click=click(move || {
                    location::push(&to);
                })
            >
                {t("back")}
            </button>
        </form>
    }
}
