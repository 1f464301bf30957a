use super::ids;
use crate::services::language::{t, tf};
use crate::services::state::{use_survey, LanguageSwitch};
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
    let s = use_survey();
    let switch = expect_context::<LanguageSwitch>();
    let languages = s.form.languages.clone();
    if languages.len() < 2 {
        return None;
    }
    let items = languages
        .into_iter()
        .map(|lang| {
            let name = language_name(&lang).to_owned();
            if lang == s.lang {
                view! {
                    <li class="language-picker__item" aria-current="true">
                        <span id=ids::LANGUAGE_CURRENT tabindex="-1" lang=lang.clone()>{name}</span>
                    </li>
                }
                .into_any()
            } else {
                let chosen = lang.clone();
                view! {
                    <li class="language-picker__item">
                        <a
                            class="link"
                            href=format!("?lang={lang}")
                            hreflang=lang.clone()
                            lang=lang.clone()
                            on:click=move |ev| {
                                ev.prevent_default();
                                switch.choose.run(chosen.clone());
                            }
                        >
                            {name}
                        </a>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    let problem = move || {
        switch.failed.get().map(|lang| {
            view! {
                <div class="notice notice--warning" role="alert">
                    <p class="body">{tf("language_failed", &[("language", language_name(&lang))])}</p>
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
