//! Sending the answers to the configured endpoint.

use crate::browser::{clock, http, location, random};
use crate::state::{Progress, Sending, Survey};
use feedback_model::{Route, Submission};
use leptos::prelude::*;

/// Sends the answers once: the same submission id (and `Idempotency-Key`) on every
/// try, so the endpoint stores them once even if an answer to an earlier try was
/// lost. On success the answers are cleared from this device.
pub fn send_answers(survey: Survey, progress: Progress) {
    let answers = progress.answers.get_untracked();
    // Checked on every page already; checked again in case a page was skipped by address.
    if let Some(first) = survey.form.problems(&answers).into_iter().next() {
        let route = Route::page(&survey.form, first.page);
        progress.problems.set(vec![first]);
        location::push(&route);
        return;
    }
    let id = progress.submission_id.get_untracked().unwrap_or_else(random::submission_id);
    progress.submission_id.set(Some(id.clone()));
    let payload = Submission::new(&survey.form, &answers, &id, &clock::now_iso(), &survey.lang);
    let Ok(body) = serde_json::to_string(&payload) else {
        progress.sending.set(Sending::Failed);
        return;
    };
    progress.sending.set(Sending::InProgress);
    let endpoint = survey.config.endpoint.clone();
    leptos::task::spawn_local(async move {
        match http::post_json(&endpoint, &body, &id).await {
            Ok(_) => {
                progress.clear();
                progress.sent.set(true);
                location::replace(&Route::Sent);
            }
            Err(http::FetchError::Status(status, body)) if is_refusal(status) => {
                progress.sending.set(Sending::Refused(server_reason(&body)));
            }
            Err(_) => progress.sending.set(Sending::Failed),
        }
    });
}

/// A 4xx other than 408 (timeout) and 429 (too many requests): trying again will not help.
fn is_refusal(status: u16) -> bool {
    (400..500).contains(&status) && status != 408 && status != 429
}

/// The endpoint's own sentence from a JSON error (`{"error": "..."}`), else a plain one.
fn server_reason(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("error").and_then(|e| e.as_str()).map(str::to_owned))
        .unwrap_or_else(|| crate::text::t("no_reason").into())
}
