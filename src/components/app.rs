//! The whole app: loads the form, then shows its screens.

use super::{ErrorPage, Screens};
use crate::services::delivery::Delivery;
use crate::services::drafts;
use crate::services::language::t;
#[cfg(not(feature = "ssr"))]
use crate::services::loading::{language_asked, load_survey};
use crate::services::loading::{Boot, Load};
use crate::services::state::Progress;
use feedback_model::Route;
use leptos::prelude::*;

/// The whole app. Shows "Loading…", then the form, or a readable error page if the
/// configuration or form cannot be used. Loading ends once: the screens are drawn
/// once, and a change of language changes only their words.
///
/// Given `boot` (the configuration and form a page drawn by the server was drawn
/// from, or that the server draws it from), the form is shown at once, exactly as
/// the server drew it, so the app can take the page over (hydrate); what this
/// device holds (a draft, the outbox, a language asked for) follows after.
#[component]
pub fn App(#[prop(optional)] boot: Option<Boot>) -> impl IntoView {
    let taking_over = boot.is_some();
    let load = RwSignal::new(match &boot {
        Some(b) => Load::Ready(b.config.clone(), b.shown.clone()),
        None => Load::Loading,
    });
    // A page drawn after a button was pressed with no app: the app carries on from it, and
    // what it shows wins over any draft on this device (it is newer).
    let resumed = boot.as_ref().is_some_and(|b| b.resume.is_some());
    let progress = match &boot {
        Some(Boot { resume: Some(r), shown, .. }) => Progress::resume(r.clone(), &shown.form),
        _ => Progress::new(Route::Start),
    };
    // What the server draws into each form (`carried_fields`); the app's forms carry nothing.
    #[cfg(feature = "ssr")]
    provide_context(crate::services::state::Carry(boot.as_ref().map(|b| b.hidden.clone()).unwrap_or_default()));
    let delivery = Delivery::new();
    provide_context(delivery);
    // A language asked for by `?lang=` that could not be loaded: the form is shown in
    // its own language, with a message.
    let failed = RwSignal::new(None);
    // Nothing of this device's on the server: the page is drawn as anyone would first see it.
    // In the browser, what this device holds follows: the draft, and anything waiting to be
    // sent. A page taken over keeps the screens it was drawn with (`Screens` switches to a
    // `?lang=` it was not drawn in); one the app draws itself is drawn in the language asked.
    #[cfg(not(feature = "ssr"))]
    leptos::task::spawn_local(async move {
        let mut loaded = match boot {
            Some(b) => Load::Ready(b.config, b.shown),
            None => load_survey().await,
        };
        if let Load::Ready(config, shown) = &mut loaded {
            // A shared device keeps nothing in progress, whatever the configuration says.
            let keep = config.keeps_drafts() && !crate::services::shared::begin(config);
            if !resumed {
                progress.answers.set(drafts::restore(keep, &shown.form));
            }
            // With encryption configured, its script is fetched now, so that Send works offline later.
            if config.encryption.is_some() {
                crate::browser::seal::load();
            }
            // Anything waiting on this device from before goes now.
            delivery.begin(config.endpoint.clone());
            if !taking_over {
                match language_asked(shown).await {
                    Some(Ok(s)) => *shown = s,
                    Some(Err(lang)) => failed.set(Some(lang)),
                    None => {}
                }
            }
        }
        if !taking_over {
            load.set(loaded);
        }
    });
    // Answers in progress are kept on this device when they change (if the configuration
    // allows). The draft is written only when they differ from what it holds, so when this
    // runs (before or after the form is shown) does not matter.
    crate::services::state::effect(move |_| progress.answers.with(drafts::keep));
    move || match load.get() {
        Load::Loading => view! { <p class="loading" role="status">{t("loading")}</p> }.into_any(),
        Load::Broken(problems) => view! { <ErrorPage problems /> }.into_any(),
        Load::Ready(config, shown) => view! { <Screens config shown progress failed taking_over resumed /> }.into_any(),
    }
}
