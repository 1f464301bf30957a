use super::click::click;
use super::ids;
use crate::browser::location;
use crate::services::delivery::Delivery;
use crate::services::language::{t, words};
use crate::services::state::{use_config, use_progress};
use feedback_model::outbox::State;
use feedback_model::{HelpContact, Phase, Route, Text};
use leptos::prelude::*;

/// After sending: thanks, what happens next, and who to contact for help now.
#[component]
pub fn Confirmation() -> impl IntoView {
    let config = use_config();
    let progress = use_progress();
    let contacts = (0..config.help.len())
        .map(|i| {
            let h = &config.help[i];
            // The contact's words, in the language shown (config files give each in every language).
            let text = |pick: fn(&HelpContact) -> Option<&Text>| {
                let config = config.clone();
                pick(h)
                    .is_some()
                    .then(|| words(move |s, _| pick(&config.help[i]).map_or("", |t| t.get(&s.lang)).to_owned()))
            };
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
                    <h3 class="heading-s">{text(|h| Some(&h.name))}</h3>
                    {text(|h| h.description.as_ref()).map(|d| view! { <p class="body">{d}</p> })}
                    {call}
                    {text(|h| h.hours.as_ref()).map(|d| view! { <p class="body hint">{d}</p> })}
                    {site}
                </li>
            }
        })
        .collect_view();
    let help = (!config.help.is_empty()).then(|| {
        view! {
            <h2 class="heading-m">{t("help_now")}</h2>
            <ul class="list help-contacts">{contacts}</ul>
        }
    });
    // Where this submission stands. A memo, so retries (which change the outbox)
    // do not redraw the notice and make screen readers announce it again.
    let delivery = expect_context::<Delivery>();
    // `None`: nothing sent yet; `Some(None)`: the endpoint has it.
    let standing = Memo::new(move |_| progress.phase.with(|p| p.sent_id().map(|id| delivery.state_of(id))));
    let title = move || match standing.get() {
        None | Some(None) => t("sent_title"),
        Some(Some(_)) => t("saved_title"),
    };
    let status = move || {
        let file = move || {
            let id = progress.phase.with_untracked(|p| p.sent_id().unwrap_or_default().to_owned());
            let body = delivery.outbox.with_untracked(|o| o.get(&id).map(|e| e.body.clone())).unwrap_or_default();
            let href = crate::browser::page::json_file_href(&body);
            view! { <p class="body"><a class="link" href=href download=format!("answers-{id}.json")>{t("download")}</a></p> }
        };
        match standing.get()?? {
            // On a shared device a refusal is the facilitator's to see, not the person's (who is told their
            // answers are saved on the device, which they are).
            State::Refused { reason, .. } if !crate::services::shared::on() => Some(
                view! {
                    <div class="notice notice--warning" role="alert">
                        <p class="body">{t("send_refused")}</p>
                        <p class="body">{if reason.is_empty() { t("no_reason").get() } else { reason }}</p>
                        {file()}
                    </div>
                }
                .into_any(),
            ),
            State::Queued | State::Sending if progress.phase.with_untracked(Phase::not_saved) => Some(
                view! { <div class="notice notice--warning" role="alert"><p class="body">{t("not_saved_text")}</p>{file()}</div> }
                    .into_any(),
            ),
            _ => Some(view! { <div class="notice"><p class="body">{t("saved_text")}</p></div> }.into_any()),
        }
    };
    // A real address, for a page with no app: the form's start page, in the language shown.
    // A `words` signal, whose attribute code the language picker's label already brings,
    // rather than a closure of its own: -218 bytes brotli.
    let again =
        words(
            |s, _| {
                if s.form.languages.first() == Some(&s.lang) {
                    "./".to_owned()
                } else {
                    format!("./?lang={}", s.lang)
                }
            },
        );
    // "Start again", like any way out of the confirmation, starts a new set of
    // answers: the address changes, and the phase follows it (`Phase::arrive`).
    view! {
        // Its id, for a partner's page the form is embedded in (`public/embed/frame.js` tells the page that
        // answers were sent, never what they were).
        <div class="panel panel--confirmation" data-submission=progress.phase.with_untracked(|p| p.sent_id().unwrap_or_default().to_owned())>
            <h1 class="panel__title" id=ids::MAIN_HEADING tabindex="-1">{title}</h1>
        </div>
        {status}
        <h2 class="heading-m">{t("what_next")}</h2>
        <p class="body">{t("what_next_text")}</p>
        {help}
        // On a shared device, `shared/shared.js` puts the step to the next person here.
        {crate::services::shared::on().then(|| view! { <div id=ids::NEXT_PERSON></div> })}
        <p class="body">
            <a class="link confirmation__again" href=again on:click=click(|| {
                location::push(&Route::Start);
            })>{t("start_again")}</a>
        </p>
    }
}
