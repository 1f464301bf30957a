//! Sending the answers: they go into the outbox, saved on this device before the
//! first attempt, and the outbox delivers them (see [`crate::services::delivery`]).

use crate::browser::{clock, location, random, seal};
use crate::services::delivery::Delivery;
use crate::services::drafts;
use crate::services::language::Shown;
use crate::services::state::Progress;
use feedback_model::{Encryption, Phase, Route, Submission};
use leptos::prelude::*;

/// Puts the answers in the outbox under a new submission id (the
/// `Idempotency-Key` of every attempt), clears them from the form and the
/// draft, and shows the confirmation page, which follows the submission until
/// it is delivered. Only from Check your answers, once ([`Phase::send`]).
///
/// With `encryption` (config.json's), the answers are encrypted before anything is written to the device
/// ([`seal::sealed`]); if they cannot be, nothing is kept or sent, the person stays on Check your answers with
/// their answers, and `not_sealed` is set (the page says so).
pub fn send_answers(
    shown: RwSignal<Shown>,
    progress: Progress,
    delivery: Delivery,
    encryption: Option<Encryption>,
    not_sealed: RwSignal<bool>,
) {
    // A second tap while the first is being saved must not send the emptied form.
    if !progress.phase.with_untracked(Phase::may_send) {
        return;
    }
    let answers = progress.answers.get_untracked();
    // The payload names the language the answers were given in.
    let Some((form, lang)) = shown.try_with_untracked(|s| (s.form.clone(), s.lang.clone())) else { return };
    // Checked on every page already; checked again in case a page was skipped by address.
    if let Some(first) = form.problems(&answers).into_iter().next() {
        let route = Route::page(&form, first.page);
        progress.problems.set(vec![first]);
        location::push(&route);
        return;
    }
    let id = random::submission_id();
    let mut payload = Submission::new(&form, &answers, &id, &clock::now_iso(), &lang)
        .with_context(crate::services::shared::context());
    // In a partner's page: its label, which `public/embed/frame.js` checked against config.json's list.
    payload.source = crate::browser::page::root_attribute("data-source");
    let Ok(body) = serde_json::to_string(&payload) else { return };
    progress.step(&Phase::send);
    leptos::task::spawn_local(async move {
        let body = match &encryption {
            None => body,
            Some(e) => match seal::sealed(&body, &e.public_key, &e.key_id).await {
                Some(sealed) => sealed,
                None => {
                    progress.step(&Phase::not_sent);
                    not_sealed.try_set(true);
                    return;
                }
            },
        };
        // Saved first (a few milliseconds); the answers stay in the form, and
        // in the draft, until it is.
        let saved = delivery.add(&id, &form.id, &body).await;
        drafts::forget();
        progress.forget_answers();
        progress.step(&|phase| phase.sent(id.clone(), saved.is_ok()));
        location::replace(&Route::Sent);
    });
}
