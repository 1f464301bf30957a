use super::click::click;
use super::ids;
use crate::services::language::{t, use_shown, words};
use crate::services::state::LanguageSwitch;
use feedback_model::language_name;
use leptos::prelude::*;

/// The form's languages, each named in itself, on the start page (the GOV.UK
/// language switcher). Each is a real `?lang=` link; a click switches in place,
/// keeping any answers. Shows a message if a language cannot be loaded.
///
/// ```ignore
/// view! { <LanguagePicker /> }
/// ```
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let shown = use_shown();
    let switch = expect_context::<LanguageSwitch>();
    let languages = shown.with_untracked(|s| s.form.languages.clone());
    if languages.len() < 2 {
        return None;
    }
    // Drawn again when the language changes: the current one is marked, the others are links.
    let current = Memo::new(move |_| shown.with(|s| s.lang.clone()));
    let items = move || {
        let current = current.get();
        languages
            .iter()
            .map(|lang| {
                let name = language_name(lang).to_owned();
                if *lang == current {
                    view! {
                        <li class="language-picker__item" aria-current="true">
                            <span id=ids::LANGUAGE_CURRENT tabindex="-1" lang=lang.clone()>{name}</span>
                        </li>
                    }
                    .into_any()
                } else {
                    let (lang, chosen) = (lang.clone(), lang.clone());
                    view! {
                        <li class="language-picker__item">
                            <a
                                class="link"
                                href=format!("?lang={lang}")
                                hreflang=lang.clone()
                                lang=lang.clone()
                                on:click=click(move || {
                                    switch.choose.run(chosen.clone());
                                })
                            >
                                {name}
                            </a>
                        </li>
                    }
                    .into_any()
                }
            })
            .collect_view()
    };
    let problem = move || {
        switch.failed.get().map(|lang| {
            let message = words(move |s, _| s.tf("language_failed", &[("language", language_name(&lang))]));
            view! {
                <div class="notice notice--warning" role="alert">
                    <p class="body">{message}</p>
                </div>
            }
        })
    };
    Some(view! {
        <nav class="language-picker" aria-label=t("language")>
            <ul class="language-picker__list">{items}</ul>
        </nav>
        {problem}
    })
}
