//! The whole app: loads the form, then shows its screens.

use super::{ErrorPage, Screens};
use crate::browser::{exit, location};
use crate::services::delivery::Delivery;
use crate::services::drafts;
use crate::services::language::t;
use crate::services::loading::{in_language, load_survey, Load};
use crate::services::state::Progress;
use feedback_model::Route;
use leptos::prelude::*;

/// The whole app. Shows "Loading…", then the form, or a readable error page if the
/// configuration or form cannot be used. Loading ends once: the screens are drawn
/// once, and a change of language changes only their words.
#[component]
pub fn App() -> impl IntoView {
    let load = RwSignal::new(Load::Loading);
    let progress = Progress::new(Route::Start);
    let delivery = Delivery::new();
    provide_context(delivery);
    // Someone who left by quick exit must not be brought back by the Back button,
    // even from the browser's back-forward cache.
    let guard = window_event_listener(leptos::ev::pageshow, |_| {
        exit::leave_again_if_exited();
    });
    on_cleanup(move || guard.remove());
    // A language asked for by `?lang=` that could not be loaded: the form is shown in
    // its own language, with a message.
    let failed = RwSignal::new(None);
    leptos::task::spawn_local(async move {
        let mut loaded = load_survey().await;
        if let Load::Ready(config, shown) = &mut loaded {
            progress.answers.set(drafts::restore(config, &shown.form));
            // Anything waiting on this device from before goes now.
            delivery.begin(config.endpoint.clone());
            let offered = |l: &String| *l != shown.lang && shown.form.languages.contains(l);
            if let Some(lang) = location::language_param().filter(offered) {
                match in_language(shown, &lang).await {
                    Some(s) => *shown = s,
                    None => failed.set(Some(lang)),
                }
            }
        }
        load.set(loaded);
    });
    // Answers in progress are kept on this device when they change (if the configuration
    // allows). The draft is written only when they differ from what it holds, so when this
    // runs (before or after the form is shown) does not matter.
    crate::services::state::effect(move |_| progress.answers.with(drafts::keep));
    move || match load.get() {
        Load::Loading => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
        Load::Broken(problems) => view! { <ErrorPage problems /> }.into_any(),
        Load::Ready(config, shown) => view! { <Screens config shown progress failed /> }.into_any(),
    }
}
