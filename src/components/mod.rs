//! The screens and parts a person sees, one per file.

mod back_link;
mod check_answers;
mod choices;
mod clear_answers;
mod confirmation;
mod easy_read_switch;
mod error_page;
mod error_summary;
mod header;
mod kept_answers;
mod language_picker;
mod question;
mod question_page;
mod quick_exit;
mod read_aloud;
mod start_page;
mod text_answer;

pub use back_link::BackLink;
pub use check_answers::CheckAnswers;
pub use clear_answers::ClearAnswers;
pub use confirmation::Confirmation;
pub use easy_read_switch::EasyReadSwitch;
pub use error_page::ErrorPage;
pub use error_summary::ErrorSummary;
pub use header::Header;
pub use kept_answers::KeptAnswers;
pub use language_picker::LanguagePicker;
pub use question::QuestionField;
pub use question_page::QuestionPage;
pub use quick_exit::QuickExit;
pub use read_aloud::ReadAloud;
pub use start_page::StartPage;

/// Moves focus to an element inside the page without touching the address's `#`
/// (which holds the route), scrolling it into view. For in-page links such as
/// the skip link and the error summary's links.
pub(crate) fn focus_in_page(ev: leptos::ev::MouseEvent, id: &str) {
    use wasm_bindgen::JsCast;
    ev.prevent_default();
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        // Show the question's legend or label too, not just the input.
        let context = el.closest("fieldset, .form-group").ok().flatten();
        context.as_ref().unwrap_or(&el).scroll_into_view();
        let _ = el.focus();
    }
}
