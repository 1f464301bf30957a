use super::ids;
use super::{
    CheckAnswers, ClearAnswers, Confirmation, EasyReadSwitch, Header, LiveStatus, QuestionPage, QuickExit, StartPage,
};
use crate::browser::{location, page};
use crate::services::language::{self, t, tf};
use crate::services::state::{Progress, Survey};
use feedback_model::{is_rtl, Route};
use leptos::prelude::*;

/// The screens of one form: start page, question pages, Check your answers,
/// confirmation. The route lives in the address's `#`, so Back and Forward work.
#[component]
pub fn Screens(survey: Survey, progress: Progress) -> impl IntoView {
    language::use_language(&survey.lang);
    page::set_language(&survey.lang, is_rtl(&survey.lang));
    provide_context(survey.clone());
    provide_context(progress);
    provide_context(crate::browser::speech::voice_available(survey.lang.clone()));

    let form = survey.form.clone();
    let follow_address = move || {
        let wanted = location::current();
        let allowed = progress
            .phase
            .with_untracked(|phase| progress.answers.with_untracked(|a| wanted.clone().allowed(&form, a, phase)));
        if allowed != wanted {
            location::replace(&allowed);
        }
        // Moving on from the confirmation (Back, or a link) starts a new set of
        // answers, which Send must take; reaching Check your answers makes Send possible.
        progress.step(&|phase| phase.arrive(&allowed));
        progress.route.set(allowed);
    };
    follow_address();
    let handle = window_event_listener(leptos::ev::hashchange, move |_| follow_address());
    on_cleanup(move || handle.remove());

    // Each new screen: a new title (announced by screen readers), the view at the
    // top, and focus on the heading. Not on the first screen, where the browser
    // starts at the top anyway.
    let form = survey.form.clone();
    let form_title = survey.form.title.get(&survey.lang).to_owned();
    Effect::new(move |first_done: Option<()>| {
        let route = progress.route.get();
        let has_problems = progress.problems.with(|p| !p.is_empty());
        let screen = match &route {
            Route::Start => None,
            Route::Page(id) => form.page_index(id).map(|i| {
                let (n, of) = progress.answers.with_untracked(|a| form.progress(i, a));
                tf("page_of", &[("page", &n.to_string()), ("pages", &of.to_string())])
            }),
            Route::Check => Some(t("check_title").to_owned()),
            Route::Sent => Some(t("sent_title").to_owned()),
        };
        let title = screen.map_or_else(|| form_title.clone(), |s| format!("{s} – {form_title}"));
        let error = if has_problems && matches!(route, Route::Page(_)) {
            format!("{} ", t("error_prefix"))
        } else {
            String::new()
        };
        page::set_title(&format!("{error}{title}"));
        if first_done.is_some() && !has_problems {
            page::scroll_to_top();
            page::focus_soon(ids::MAIN_HEADING);
        }
    });

    let form = survey.form.clone();
    let form_has_easy_read = form.has_easy_read();
    let has_answers = Memo::new(move |_| progress.answers.with(|a| !a.is_empty()));
    view! {
        <Header />
        <div class="width-container">
            <QuickExit url=survey.config.exit_url.clone() />
            {move || {
                let shown = form_has_easy_read && !matches!(progress.route.get(), Route::Sent);
                shown.then(|| view! { <EasyReadSwitch /> })
            }}
            <main id=ids::MAIN_CONTENT class="main" tabindex="-1">
                {move || {
                    // Drawn again when easy read is turned on or off.
                    progress.easy_read.track();
                    match progress.route.get() {
                    Route::Start => view! { <StartPage /> }.into_any(),
                    Route::Page(id) => match form.page_index(&id) {
                        Some(page) => view! { <QuestionPage page /> }.into_any(),
                        None => view! { <StartPage /> }.into_any(),
                    },
                    Route::Check => view! { <CheckAnswers /> }.into_any(),
                    Route::Sent => view! { <Confirmation /> }.into_any(),
                }}}
                {move || (has_answers.get() && !matches!(progress.route.get(), Route::Sent)).then(|| view! { <ClearAnswers /> })}
            </main>
        </div>
        <LiveStatus />
    }
}
