use super::click::change;
use super::ids;
use crate::services::language::t;
use crate::services::state::use_progress;
use feedback_model::{Answer, Question};
use leptos::prelude::*;

/// One radio or checkbox, as shown. Its words follow the language shown.
#[derive(Clone)]
pub struct Opt {
    pub answer: Answer,
    pub label: Signal<String>,
    pub hint: Option<Signal<String>>,
    /// A picture (source, text alternative) shown with the words.
    pub picture: Option<(String, Signal<String>)>,
    /// "None of these" or "I'd rather not say": shown after an "or".
    pub exclusive: bool,
}

fn option_label(id: &str, opt: &Opt, class: &'static str) -> impl IntoView {
    let picture = opt
        .picture
        .clone()
        .map(|(src, alt)| view! { <img class="choice__picture" src=src alt=alt width="48" height="48" /> });
    view! { <label class=class for=id.to_owned()>{picture}<span>{opt.label}</span></label> }
}

/// Radios: choose one. Used for single choice, scales and yes/no.
#[component]
pub fn Radios(question_id: String, options: Vec<Opt>, layout: &'static str) -> impl IntoView {
    let progress = use_progress();
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, opt)| {
            let id = ids::option(&question_id, i);
            let hint_id = opt.hint.as_ref().map(|_| ids::option_hint(&question_id, i));
            let (q1, q2) = (question_id.clone(), question_id.clone());
            let (mine, chosen) = (opt.answer.clone(), opt.answer.clone());
            let checked = move || progress.answers.with(|a| a.get(&q1) == Some(&mine));
            // Also as the attribute, for a page drawn on the server (a property is not in HTML).
            let initially = checked();
            view! {
                <div class="radios__item">
                    <input
                        class="radios__input"
                        type="radio"
                        id=id.clone()
                        name=ids::question(&question_id)
                        value=i.to_string()
                        checked=initially
                        prop:checked=checked
                        aria-describedby=hint_id.clone()
                        on:change=change(move |_| progress.answers.update(|a| a.set(&q2, chosen.clone())))
                    />
                    {option_label(&id, &opt, "label radios__label")}
                    {opt.hint.map(|h| view! { <div class="hint radios__hint" id=hint_id>{h}</div> })}
                </div>
            }
        })
        .collect_view();
    view! { <div class=layout>{items}</div> }
}

/// Checkboxes: choose any. Choosing an exclusive option ("I'd rather not say")
/// clears the others, and choosing another clears it.
#[component]
pub fn Checkboxes(question: Question, options: Vec<Opt>) -> impl IntoView {
    let progress = use_progress();
    let question = StoredValue::new(question);
    let items = options
        .into_iter()
        .enumerate()
        .map(|(i, opt)| {
            let qid = question.with_value(|q| q.id.clone());
            let id = ids::option(&qid, i);
            let hint_id = opt.hint.as_ref().map(|_| ids::option_hint(&qid, i));
            let value = opt.answer.as_text().unwrap_or_default().to_owned();
            let (v1, v2) = (value.clone(), value.clone());
            let checked = move || progress.answers.with(|a| a.get(&qid).is_some_and(|x| x.includes(&v1)));
            let initially = checked();
            let divider = opt.exclusive.then(|| view! { <div class="checkboxes__divider">{t("or")}</div> });
            view! {
                {divider}
                <div class="checkboxes__item">
                    <input
                        class="checkboxes__input"
                        type="checkbox"
                        id=id.clone()
                        name=question.with_value(|q| ids::question(&q.id))
                        value=value
                        checked=initially
                        prop:checked=checked
                        aria-describedby=hint_id.clone()
                        on:change=change(move |ev| {
                            let ticked = event_target_checked(&ev);
                            question.with_value(|q| progress.answers.update(|a| a.toggle(q, &v2, ticked)));
                        })
                    />
                    {option_label(&id, &opt, "label checkboxes__label")}
                    {opt.hint.map(|h| view! { <div class="hint checkboxes__hint" id=hint_id>{h}</div> })}
                </div>
            }
        })
        .collect_view();
    view! { <div class="checkboxes">{items}</div> }
}
