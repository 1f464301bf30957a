//! The app: loads the configuration and form, then runs the journey.

use crate::browser::{http, location, page};
use crate::components::{
    CheckAnswers, ClearAnswers, Confirmation, EasyReadSwitch, ErrorPage, Header, QuestionPage, QuickExit, StartPage,
};
use crate::delivery::{Delivery, Standing};
use crate::drafts;
use crate::state::{use_progress, LanguageSwitch, Progress, Survey};
use crate::text::{self, t, tf};
use feedback_model::{is_rtl, Config, Form, Route, Strings, Translation};
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone)]
enum Load {
    Loading,
    Broken(Vec<String>),
    Ready(Survey),
}

/// The whole app. Shows "Loading…", then the form, or a readable error page if the
/// configuration or form cannot be used. The person's progress lives here, above
/// the journey, so changing the language (which draws the journey again) keeps it.
#[component]
pub fn App() -> impl IntoView {
    let load = RwSignal::new(Load::Loading);
    let progress = Progress::new(Route::Start);
    let failed = RwSignal::new(None);
    let delivery = Delivery::new();
    provide_context(delivery);
    leptos::task::spawn_local(async move {
        let loaded = load_survey().await;
        if let Load::Ready(survey) = &loaded {
            progress.answers.set(drafts::restore(&survey.config, &survey.form));
            // Anything waiting on this device from before goes now.
            delivery.begin(survey.config.endpoint.clone());
            // Asked for by `?lang=`: shown in it if it can be loaded, else in the
            // form's own language with a message.
            let offered = |l: &String| *l != survey.lang && survey.form.languages.contains(l);
            if let Some(lang) = location::language_param().filter(offered) {
                match in_language(survey, &lang).await {
                    Some(s) => return load.set(Load::Ready(s)),
                    None => failed.set(Some(lang)),
                }
            }
        }
        load.set(loaded);
    });
    let choose = Callback::new(move |lang: String| {
        let Load::Ready(current) = load.get_untracked() else { return };
        if current.lang == lang {
            return;
        }
        leptos::task::spawn_local(async move {
            match in_language(&current, &lang).await {
                Some(survey) => {
                    failed.set(None);
                    location::set_language_param(&lang);
                    load.set(Load::Ready(survey));
                    page::focus_soon("language-current");
                }
                None => failed.set(Some(lang)),
            }
        });
    });
    provide_context(LanguageSwitch { choose, failed });
    // Answers in progress are kept on this device when they change (if the configuration
    // allows). The draft is written only when they differ from what it holds, so when this
    // runs (before or after the form is shown, or again on a change of language) does not matter.
    Effect::new(move |_| progress.answers.with(drafts::keep));
    move || match load.get() {
        Load::Loading => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
        Load::Broken(problems) => view! { <ErrorPage problems /> }.into_any(),
        Load::Ready(survey) => view! { <Journey survey progress /> }.into_any(),
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
    Load::Ready(Survey { config: Arc::new(config), form: Arc::new(form), lang, loaded: Vec::new() })
}

/// The survey in another of its form's languages: the interface's words from
/// `locales/{lang}.json` and the form's from `forms/{form}.{lang}.json`, loaded
/// together, once. `None` if the form does not offer the language or a file
/// cannot be loaded or read (the reason goes to the console for whoever runs the form).
async fn in_language(survey: &Survey, lang: &str) -> Option<Survey> {
    let form = &survey.form;
    if !form.languages.iter().any(|l| l == lang) {
        return None;
    }
    let mut next = Survey { lang: lang.to_owned(), ..survey.clone() };
    if form.languages.first().is_some_and(|l| l == lang) || survey.loaded.iter().any(|l| l == lang) {
        return Some(next);
    }
    let paths = [format!("locales/{lang}.json"), format!("forms/{}.{lang}.json", form.id)];
    let files = http::get_texts(&[&paths[0], &paths[1]]).await;
    let file = |i: usize| files[i].clone().map_err(|e| unreachable_file(&paths[i], &e));
    let mut translated = Form::clone(form);
    let outcome =
        file(0).and_then(|s| Strings::parse(&s).map_err(|why| format!("{} {why}", paths[0]))).and_then(|strings| {
            let t = Translation::parse(&file(1)?).map_err(|e| format!("{} {}", paths[1], e.join("; ")))?;
            text::add_language(lang, strings);
            Ok(translated.translate(&t))
        });
    match outcome {
        // Words for texts the form no longer has are harmless, but worth fixing.
        Ok(problems) if !problems.is_empty() => warn(&format!("{} {}", paths[1], problems.join("; "))),
        Ok(_) => {}
        Err(why) => {
            warn(&why);
            return None;
        }
    }
    next.form = Arc::new(translated);
    next.loaded.push(lang.to_owned());
    Some(next)
}

fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

fn unreachable_file(path: &str, e: &http::FetchError) -> String {
    match e {
        http::FetchError::Network => format!("{path} could not be loaded: there was no answer from the server."),
        http::FetchError::Status(404, ..) => format!("{path} was not found on the server (404)."),
        http::FetchError::Status(s, ..) => format!("{path} could not be loaded: the server answered {s}."),
    }
}

/// The journey through one form: start page, question pages, Check your answers,
/// confirmation. The route lives in the address's `#`, so Back and Forward work.
#[component]
fn Journey(survey: Survey, progress: Progress) -> impl IntoView {
    text::use_language(&survey.lang);
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
            page::focus_soon("main-heading");
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
            <main id="main-content" class="main" tabindex="-1">
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

/// A polite live region, present from the start so changes are announced: it
/// says when answers that were waiting on this device have been sent.
#[component]
fn LiveStatus() -> impl IntoView {
    let progress = use_progress();
    let delivery = expect_context::<Delivery>();
    let sent = Memo::new(move |_| {
        progress.phase.with(|phase| phase.sent_id().is_some_and(|id| delivery.standing(id) == Standing::Sent))
    });
    let message = move || sent.get().then(|| t("sent_title"));
    view! { <div class="visually-hidden" aria-live="polite" id="live-status">{message}</div> }
}
