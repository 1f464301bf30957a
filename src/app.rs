//! The app: loads the configuration and form, then runs the journey.

use crate::browser::{http, location, page};
use crate::components::{CheckAnswers, Confirmation, ErrorPage, Header, QuestionPage, QuickExit, StartPage};
use crate::state::{use_progress, Progress, Sending, Survey};
use crate::text::t;
use feedback_model::{Config, Form, Route};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone)]
enum Load {
    Loading,
    Broken(Vec<String>),
    Ready(Survey),
}

/// The whole app. Shows "Loading…", then the form, or a readable error page if the
/// configuration or form cannot be used.
#[component]
pub fn App() -> impl IntoView {
    let load = RwSignal::new(Load::Loading);
    leptos::task::spawn_local(async move { load.set(load_survey().await) });
    move || match load.get() {
        Load::Loading => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
        Load::Broken(problems) => view! { <ErrorPage problems /> }.into_any(),
        Load::Ready(survey) => view! { <Journey survey /> }.into_any(),
    }
}

async fn load_survey() -> Load {
    let config = match http::get_text("config.json").await {
        Ok(text) => match Config::parse(&text) {
            Ok(c) => c,
            Err(problems) => return Load::Broken(problems),
        },
        Err(e) => return Load::Broken(vec![unreachable_file("config.json", &e)]),
    };
    let path = config.form_path();
    let form = match http::get_text(&path).await {
        Ok(text) => match Form::parse(&text) {
            Ok(f) => f,
            Err(e) => return Load::Broken(e.0.into_iter().map(|p| format!("{path}: {p}")).collect()),
        },
        Err(e) => return Load::Broken(vec![unreachable_file(&path, &e)]),
    };
    let lang = form.languages.first().cloned().unwrap_or_else(|| "en".into());
    Load::Ready(Survey { config: Arc::new(config), form: Arc::new(form), lang })
}

fn unreachable_file(path: &str, e: &http::FetchError) -> String {
    match e {
        http::FetchError::Network => format!("{path} could not be loaded: there was no answer from the server."),
        http::FetchError::Status(404, _) => format!("{path} was not found on the server (404)."),
        http::FetchError::Status(s, _) => format!("{path} could not be loaded: the server answered {s}."),
    }
}

/// The journey through one form: start page, question pages, Check your answers,
/// confirmation. The route lives in the address's `#`, so Back and Forward work.
#[component]
fn Journey(survey: Survey) -> impl IntoView {
    page::set_language(&survey.lang, matches!(survey.lang.as_str(), "ar" | "he" | "fa" | "ur"));
    let progress = Progress::new(Route::Start);
    provide_context(survey.clone());
    provide_context(progress);
    provide_context(crate::browser::speech::voice_available(survey.lang.clone()));

    let form = survey.form.clone();
    let follow_address = move || {
        let wanted = location::current();
        let allowed = progress.answers.with_untracked(|a| {
            wanted.clone().allowed(&form, a, progress.sent.get_untracked())
        });
        if allowed != wanted {
            location::replace(&allowed);
        }
        if let Route::Page(id) = &allowed {
            if let Some(i) = form.page_index(id) {
                progress.seen.update(|s| {
                    if !s.contains(&i) {
                        s.push(i);
                    }
                });
            }
        }
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
                format!("{} {n} {} {of}", t("page"), t("of"))
            }),
            Route::Check => Some(t("check_title").to_owned()),
            Route::Sent => Some(t("sent_title").to_owned()),
        };
        let title = screen.map_or_else(|| form_title.clone(), |s| format!("{s} – {form_title}"));
        let error = if has_problems && matches!(route, Route::Page(_)) { format!("{} ", t("error_prefix")) } else { String::new() };
        page::set_title(&format!("{error}{title}"));
        if first_done.is_some() && !has_problems {
            page::scroll_to_top();
            page::focus_soon("main-heading");
        }
    });

    let form = survey.form.clone();
    view! {
        <Header />
        <div class="width-container">
            <QuickExit url=survey.config.exit_url.clone() />
            <main id="main-content" class="main" tabindex="-1">
                {move || match progress.route.get() {
                    Route::Start => view! { <StartPage /> }.into_any(),
                    Route::Page(id) => match form.page_index(&id) {
                        Some(page) => view! { <QuestionPage page /> }.into_any(),
                        None => view! { <StartPage /> }.into_any(),
                    },
                    Route::Check => view! { <CheckAnswers /> }.into_any(),
                    Route::Sent => view! { <Confirmation /> }.into_any(),
                }}
            </main>
        </div>
        <LiveStatus />
    }
}

/// A polite live region that tells screen-reader users what is happening in the
/// background (sending), present from the start so changes are announced.
#[component]
fn LiveStatus() -> impl IntoView {
    let progress = use_progress();
    let message = move || match progress.sending.get() {
        Sending::InProgress => t("sending"),
        _ => "",
    };
    view! { <div class="visually-hidden" aria-live="polite" id="live-status">{message}</div> }
}
