use super::ids;
use super::{
    CheckAnswers, ClearAnswers, Confirmation, EasyReadSwitch, Header, LiveStatus, QuestionPage, QuickExit, StartPage,
};
use crate::browser::{location, page};
use crate::services::language::Shown;
use crate::services::loading;
use crate::services::state::{effect, flag, LanguageSwitch, Progress};
use feedback_model::{is_rtl, Config, Route};
use leptos::prelude::*;
use std::sync::Arc;

/// The screens of one form: start page, question pages, Check your answers,
/// confirmation. The route lives in the address's `#`, so Back and Forward work.
///
/// Drawn once. What is shown ([`Shown`]: the form, its language, the interface's
/// words) is one signal in context, and easy read is one in [`Progress`]: a change
/// of either changes the words on screen, nothing else.
#[component]
pub fn Screens(
    config: Arc<Config>,
    shown: Shown,
    progress: Progress,
    /// A language that could not be loaded, for the language picker's message.
    failed: RwSignal<Option<String>>,
    /// Taking over a page the server drew (or drawing it on the server): the first
    /// screen is the one the server drew, and the address is followed once it is taken over.
    #[prop(optional)]
    taking_over: bool,
    /// The page taken over was drawn after a button was pressed with no app: its screen
    /// is where the person is, whatever the address says.
    #[prop(optional)]
    resumed: bool,
) -> impl IntoView {
    // The form's pages and questions are the same in every language.
    let form = shown.form.clone();
    let shown = RwSignal::new(shown);
    provide_context(config.clone());
    provide_context(shown);
    provide_context(progress);
    provide_context(crate::browser::speech::voices_changed());
    provide_context(LanguageSwitch::new(shown, failed));
    effect(move |_| shown.with(|s| page::set_language(&s.lang, is_rtl(&s.lang))));

    let follow_address = {
        let form = form.clone();
        move || {
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
        }
    };
    if taking_over {
        // An effect runs once the page is taken over (never on the server). Only an address
        // other than the screen drawn moves on: setting the same route draws the screen again,
        // which a browser counts as a new largest paint (LCP 1.8 s, not 0.66 s, measured).
        // Both effects here are `effect()`'s, which every effect shares, not `Effect`s of their
        // own type: -523 bytes brotli.
        let follow_address = follow_address.clone();
        effect(move |_| {
            let route = progress.route.get_untracked();
            if resumed {
                location::show(&route);
            } else if location::current() != route {
                follow_address();
            }
        });
        // A language asked for by `?lang=` that the page was not drawn in (a page kept by the
        // service worker is drawn in the form's own): switched to once taken over, as at start-up.
        effect(move |_| {
            let Some(current) = shown.try_get_untracked() else { return };
            leptos::task::spawn_local(async move {
                match loading::language_asked(&current).await {
                    Some(Ok(next)) => _ = shown.try_set(next),
                    Some(Err(lang)) => _ = failed.try_set(Some(lang)),
                    None => {}
                }
            });
        });
    } else {
        follow_address();
    }
    let handle = window_event_listener(leptos::ev::hashchange, move |_| follow_address());
    on_cleanup(move || handle.remove());

    // Each screen's title, announced by screen readers; in the language shown.
    effect(move |_| {
        let route = progress.route.get();
        let has_problems = progress.problems.with(|p| !p.is_empty());
        let title = shown.with(|s| progress.answers.with_untracked(|a| title(s, &route, a, has_problems)));
        page::set_title(&title);
    });
    // Each new screen: the view at the top, and focus on the heading. Not on the
    // first screen, where the browser starts at the top anyway.
    effect(move |again| {
        progress.route.track();
        let has_problems = progress.problems.with(|p| !p.is_empty());
        if again && !has_problems {
            page::scroll_to_top();
            page::focus_soon(ids::MAIN_HEADING);
        }
    });

    let form_has_easy_read = form.has_easy_read();
    let has_answers = flag(move || progress.answers.with(|a| !a.is_empty()));
    view! {
        <Header />
        <div class="width-container">
            <QuickExit url=config.exit_url.clone() />
            {move || {
                let shown = form_has_easy_read && !matches!(progress.route.get(), Route::Sent | Route::Facilitator);
                shown.then(|| view! { <EasyReadSwitch /> })
            }}
            <main id=ids::MAIN_CONTENT class="main" tabindex="-1">
                {move || match progress.route.get() {
                    Route::Start => view! { <StartPage /> }.into_any(),
                    Route::Page(id) => match form.page_index(&id) {
                        Some(page) => view! { <QuestionPage page /> }.into_any(),
                        None => view! { <StartPage /> }.into_any(),
                    },
                    Route::Check => view! { <CheckAnswers /> }.into_any(),
                    Route::Sent => view! { <Confirmation /> }.into_any(),
                    // Drawn by `shared/shared.js`, which this asks for (once: the loader imports it once).
                    Route::Facilitator => {
                        page::announce(crate::services::shared::SHARED_EVENT);
                        view! { <div id=ids::FACILITATOR></div> }.into_any()
                    }
                }}
                {move || (has_answers.get() && !matches!(progress.route.get(), Route::Sent | Route::Facilitator)).then(|| view! { <ClearAnswers /> })}
            </main>
        </div>
        <LiveStatus />
    }
}

/// A screen's title, in the language shown: "Page 2 of 6 – {form}", with "Error:" before it
/// when a question page shows problems. The server gives a page it draws the same.
pub fn title(s: &Shown, route: &Route, answers: &feedback_model::Answers, has_problems: bool) -> String {
    let form_title = s.form.title.get(&s.lang);
    let screen = match route {
        Route::Start | Route::Facilitator => None,
        Route::Page(id) => s.form.page_index(id).map(|i| {
            let (n, of) = s.form.progress(i, answers);
            s.tf("page_of", &[("page", &n.to_string()), ("pages", &of.to_string())])
        }),
        Route::Check => Some(s.t("check_title")),
        Route::Sent => Some(s.t("sent_title")),
    };
    let title = screen.map_or_else(|| form_title.to_owned(), |screen| format!("{screen} – {form_title}"));
    if has_problems && matches!(route, Route::Page(_)) {
        format!("{} {title}", s.t("error_prefix"))
    } else {
        title
    }
}
