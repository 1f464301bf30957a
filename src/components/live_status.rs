use super::ids;
use crate::services::delivery::Delivery;
use crate::services::language::t;
use crate::services::state::{flag, use_progress};
use leptos::prelude::*;

/// A polite live region, present from the start so changes are announced: it
/// says when answers that were waiting on this device have been sent.
#[component]
pub fn LiveStatus() -> impl IntoView {
    let progress = use_progress();
    let delivery = expect_context::<Delivery>();
    // A `flag`, whose memo code every flag shares (with StartPage's, -361 bytes brotli).
    let sent =
        flag(move || progress.phase.with(|phase| phase.sent_id().is_some_and(|id| delivery.state_of(id).is_none())));
    let message = move || sent.get().then(|| t("sent_title"));
    view! { <div class="visually-hidden" aria-live="polite" id=ids::LIVE_STATUS>{message}</div> }
}
