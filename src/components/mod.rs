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
