use crate::state::{use_progress, use_survey};
use crate::text::t;
use feedback_model::Route;
use leptos::prelude::*;

/// After sending: thanks, what happens next, and who to contact for help now.
#[component]
pub fn Confirmation() -> impl IntoView {
    let s = use_survey();
    let progress = use_progress();
    let lang = s.lang.clone();
    let contacts = s
        .config
        .help
        .iter()
        .map(|h| {
            let call = h.tel_href().map(|href| {
                let phone = h.phone.clone().unwrap_or_default();
                view! { <p class="body"><a class="link" href=href>{t("call")} " " {phone}</a></p> }
            });
            let site = h.url.clone().map(|u| {
                let href = u.clone();
                view! { <p class="body"><a class="link" href=href rel="noreferrer">{u}</a></p> }
            });
            view! {
                <li class="help-contacts__item">
                    <h3 class="heading-s">{h.name.get(&lang).to_owned()}</h3>
                    {h.description.as_ref().map(|d| view! { <p class="body">{d.get(&lang).to_owned()}</p> })}
                    {call}
                    {h.hours.as_ref().map(|d| view! { <p class="body hint">{d.get(&lang).to_owned()}</p> })}
                    {site}
                </li>
            }
        })
        .collect_view();
    let help = (!s.config.help.is_empty()).then(|| view! {
        <h2 class="heading-m">{t("help_now")}</h2>
        <ul class="list help-contacts">{contacts}</ul>
    });
    view! {
        <div class="panel panel--confirmation">
            <h1 class="panel__title" id="main-heading" tabindex="-1">{t("sent_title")}</h1>
        </div>
        <h2 class="heading-m">{t("what_next")}</h2>
        <p class="body">{t("what_next_text")}</p>
        {help}
        <p class="body">
            <a class="link confirmation__again" href=Route::Start.to_hash() on:click=move |_| progress.sent.set(false)>{t("start_again")}</a>
        </p>
    }
}
