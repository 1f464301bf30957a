use super::carried_fields::carried_fields;
use super::click::click;
use super::ids;
use super::BackLink;
use crate::browser::location;
use crate::services::language::{form_text, question_label, t, use_shown};
use crate::services::send::send_answers;
use crate::services::state::use_progress;
use feedback_model::{Action, Route};
use leptos::prelude::*;

/// Check your answers: every question shown, its answer, and a Change link back
/// to its page; then Send.
#[component]
pub fn CheckAnswers() -> impl IntoView {
    let shown = use_shown();
    let progress = use_progress();
    let form = shown.with_untracked(|s| s.form.clone());
    let answers = progress.answers.get_untracked();
    let journey = form.journey(&answers);
    // `Form::back_from_check`, from the journey already worked out here (calling it works the
    // journey out again and costs 124 bytes brotli more, measured with scripts/size.mjs).
    let back = journey.pages.last().map_or(Route::Start, |&p| Route::page(&form, p));

    let sections = journey
        .pages
        .iter()
        .map(|&p| {
            let page = &form.pages[p];
            let to = Route::page(&form, p);
            let change_value = Action::Change(p).value();
            let title = page.title.as_ref().map(|_| {
                let title = form_text(move |s| s.form.pages[p].title.as_ref());
                view! { <h2 class="heading-m">{title}</h2> }
            });
            let rows = page
                .questions
                .iter()
                .filter(|q| journey.questions.contains(&q.id))
                .map(|q| {
                    // A Change link remembers the pages shown, so Continue goes on to any the change reveals.
                    let form = form.clone();
                    let to = to.clone();
                    let change = click(move || {
                        let shown = progress.answers.with_untracked(|a| form.journey(a).pages);
                        progress.step(&|phase| phase.change(shown.clone()));
                        location::push(&to);
                    });
                    let label = question_label(q.id.clone());
                    let value = match answers.get(&q.id) {
                        None => view! { <span class="summary-list__missing">{t("not_answered")}</span> }.into_any(),
                        Some(a) => {
                            // The answer's words (an option's label, "Yes") follow the language too.
                            let (qid, a) = (q.id.clone(), a.clone());
                            let lines = Memo::new(move |_| {
                                let easy = progress.easy_read.get();
                                shown.with(|s| s.question(&qid).map(|q| s.answer_lines(q, &a, easy)).unwrap_or_default())
                            });
                            let lines = move || {
                                let lines = lines.get();
                                if lines.len() == 1 {
                                    view! { <p class="summary-list__text">{lines}</p> }.into_any()
                                } else {
                                    view! { <ul class="list">{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul> }.into_any()
                                }
                            };
                            lines.into_any()
                        }
                    };
                    view! {
                        <div class="summary-list__row">
                            <dt class="summary-list__key">{label}</dt>
                            <dd class="summary-list__value">{value}</dd>
                            <dd class="summary-list__actions">
                                <button type="submit" name="do" value=change_value.clone() class="link-button" on:click=change>
                                    {t("change")}<span class="visually-hidden">" " {label}</span>
                                </button>
                            </dd>
                        </div>
                    }
                })
                .collect_view();
            view! {
                {title}
                <dl class="summary-list">{rows}</dl>
            }
        })
        .collect_view();

    let delivery = expect_context::<crate::services::delivery::Delivery>();
    // With encryption configured: set when the answers could not be encrypted, so nothing was kept or sent.
    let encryption = crate::services::state::use_config().encryption.clone();
    let not_sealed = RwSignal::new(false);
    let not_sealed_notice = move || {
        not_sealed.get().then(|| {
            view! { <div class="notice notice--warning" role="alert"><p class="body">{t("not_encrypted")}</p></div> }
        })
    };
    view! {
        <BackLink to=back />
        <h1 class="heading-l" id=ids::MAIN_HEADING tabindex="-1">{t("check_title")}</h1>
        <p class="body">{t("check_intro")}</p>
        <form method="post" novalidate>
            {carried_fields()}
            {sections}
            <h2 class="heading-m">{t("send_title")}</h2>
            <p class="body">{t("send_text")}</p>
            {not_sealed_notice}
            <button
                type="submit"
                name="do"
                value="send"
                class="button"
                id=ids::SEND
                data-prevent-double-click="true"
                on:click=click(move || {
                    not_sealed.set(false);
                    send_answers(shown, progress, delivery, encryption.clone(), not_sealed);
                })
            >
                {t("send")}
            </button>
        </form>
    }
}
