use crate::delivery::Delivery;
use crate::text::{t, tf};
use leptos::prelude::*;

/// Answers on this device that the endpoint refused, on the start page: how
/// many, a file to save them in (each with the endpoint's reason), and a button
/// to remove them once saved. Nothing refused is ever dropped without this.
///
/// ```ignore
/// view! { <KeptAnswers /> } // shows nothing while there are none
/// ```
#[component]
pub fn KeptAnswers() -> impl IntoView {
    let delivery = expect_context::<Delivery>();
    let count = Memo::new(move |_| delivery.outbox.with(|o| o.rejected().count()));
    move || {
        let n = count.get();
        (n > 0).then(|| {
            let file = delivery.outbox.with_untracked(|o| {
                let kept: Vec<_> = o
                    .rejected()
                    .map(|e| {
                        let answers = serde_json::from_str::<serde_json::Value>(&e.body).unwrap_or_else(|_| e.body.clone().into());
                        let reason = match &e.state {
                            feedback_model::outbox::State::Rejected { status, reason } => format!("{status}: {reason}"),
                            _ => String::new(),
                        };
                        serde_json::json!({ "refused_because": reason, "submission": answers })
                    })
                    .collect();
                serde_json::Value::from(kept).to_string()
            });
            let href = format!("data:application/json;charset=utf-8,{}", js_sys::encode_uri_component(&file));
            view! {
                <div class="notice notice--warning" id="kept-answers">
                    <p class="body">{tf("kept_text", &[("count", &n.to_string())])}</p>
                    <p class="body"><a class="link" href=href download="answers-not-accepted.json">{t("kept_save")}</a></p>
                    <button type="button" class="button button--secondary" on:click=move |_| delivery.discard_rejected()>
                        {t("kept_remove")}
                    </button>
                </div>
            }
        })
    }
}
