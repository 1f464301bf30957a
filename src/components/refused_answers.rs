use super::click::click;
use super::ids;
use crate::services::delivery::Delivery;
use crate::services::language::{t, words};
use feedback_model::{json_string, outbox::State};
use leptos::prelude::*;

/// Answers on this device that the endpoint refused, on the start page: how
/// many, a file to save them in (each with the endpoint's reason), and a button
/// to remove them once saved. Nothing refused is ever dropped without this.
/// Not on a shared device, where they are someone else's: the facilitator's
/// screen shows them there.
///
/// ```ignore
/// view! { <RefusedAnswers /> } // shows nothing while there are none
/// ```
#[component]
pub fn RefusedAnswers() -> impl IntoView {
    let delivery = expect_context::<Delivery>();
    let count = Memo::new(move |_| delivery.outbox.with(|o| o.refused().count()));
    move || {
        let n = count.get();
        (n > 0 && !crate::services::shared::on()).then(|| {
            // Each as the endpoint would have had it, with the reason it gave.
            let file = delivery.outbox.with_untracked(|o| {
                let kept: Vec<String> = o
                    .refused()
                    .map(|e| {
                        let reason = match &e.state {
                            State::Refused { status, reason } => format!("{status}: {reason}"),
                            _ => String::new(),
                        };
                        format!(r#"{{"refused_because":{},"submission":{}}}"#, json_string(&reason), e.body)
                    })
                    .collect();
                format!("[{}]", kept.join(","))
            });
            let href = crate::browser::page::json_file_href(&file);
            view! {
                <div class="notice notice--warning" id=ids::REFUSED_ANSWERS>
                    <p class="body">{words(move |s, _| s.tf("refused_text", &[("count", &n.to_string())]))}</p>
                    <p class="body"><a class="link" href=href download="answers-not-accepted.json">{t("refused_save")}</a></p>
                    <button type="button" class="button button--secondary" on:click=click(move || delivery.discard_refused())>
                        {t("refused_remove")}
                    </button>
                </div>
            }
        })
    }
}
