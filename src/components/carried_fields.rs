use crate::services::state::Carry;
use leptos::prelude::*;

/// What each form of a page the server drew carries to the next (the answers so far, the
/// submission's id, the screen), as hidden fields, so the page works with no app and no
/// cookie (`feedback_model::Screen`). The server draws them; the app leaves them as drawn,
/// and handles every button itself, so its own forms carry nothing.
///
/// ```ignore
/// view! { <form method="post"><CarriedFields /><button name="do" value="back">{t("back")}</button></form> }
/// ```
#[component]
pub fn CarriedFields() -> impl IntoView {
    let hidden = use_context::<Carry>().unwrap_or_default().0;
    view! { <div class="carried" inner_html=hidden></div> }
}
