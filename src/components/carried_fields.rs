use leptos::prelude::*;

/// What each form of a page the server drew carries to the next (the answers so far, the
/// submission's id, the screen), as hidden fields, so the page works with no app and no
/// cookie (`feedback_model::Screen`). The server draws them; the app leaves them as drawn,
/// and handles every button itself, so its own forms carry nothing.
///
/// A function, not a component: each form's view then holds the `<div>` itself rather
/// than an erased component view it builds through a pointer (-99 bytes brotli).
///
/// ```ignore
/// view! { <form method="post">{carried_fields()}<button name="do" value="back">{t("back")}</button></form> }
/// ```
#[cfg(feature = "ssr")]
pub fn carried_fields() -> impl IntoView {
    let hidden = use_context::<crate::services::state::Carry>().unwrap_or_default().0 + &honeypot();
    view! { <div class="carried" inner_html=hidden></div> }
}

/// The honeypot ([`feedback_model::HONEYPOT_FIELD`]): a text field no person sees, can reach by keyboard or
/// hears from a screen reader (`hidden`: not drawn, not focusable, not in the accessibility tree), which
/// only a program filling in every field it finds fills; the collector then answers as usual and stores
/// nothing. In each form of a page the server draws, inside the carried fields (so the app, which never
/// posts its forms, has none).
#[cfg(feature = "ssr")]
fn honeypot() -> String {
    format!(
        r#"<div hidden><label>Website <input type="text" name="{}" value="" autocomplete="off" tabindex="-1"></label></div>"#,
        feedback_model::HONEYPOT_FIELD
    )
}

/// In the browser the fields are always empty (`Carry` is the server's): a page taken over
/// keeps the fields it was drawn with (hydration leaves an element's inner HTML alone, and
/// children it is not given), and the app's own forms are never posted. So the same markup,
/// without the context and the inner-HTML code (-298 bytes brotli).
#[cfg(not(feature = "ssr"))]
pub fn carried_fields() -> impl IntoView {
    view! { <div class="carried"></div> }
}
