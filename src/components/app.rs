//! The whole app: loads the survey, then shows its screens.

use super::{ErrorPage, Screens};
use crate::browser::{exit, location, page};
use crate::components::ids;
use crate::services::delivery::Delivery;
use crate::services::drafts;
use crate::services::language::t;
use crate::services::loading::{in_language, load_survey, Load};
use crate::services::state::{LanguageSwitch, Progress};
use feedback_model::Route;
use leptos::prelude::*;

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
    // Someone who left by quick exit must not be brought back by the Back button,
    // even from the browser's back-forward cache.
    let guard = window_event_listener(leptos::ev::pageshow, |_| {
        exit::leave_again_if_exited();
    });
    on_cleanup(move || guard.remove());
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
                    page::focus_soon(ids::LANGUAGE_CURRENT);
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
        Load::Ready(survey) => view! { <Screens survey progress /> }.into_any(),
    }
}
