use super::choices::{Checkboxes, Opt, Radios};
use super::ids;
use super::text_answer::TextAnswer;
use super::ReadAloud;
use crate::services::language::{form_text, question_label, t, use_shown, words};
use crate::services::state::use_progress;
use feedback_model::{Answer, Kind, Question, Text};
use leptos::prelude::*;

/// One question: a `fieldset` with a `legend` for choices, or a `label` for text,
/// with its hint and its error tied to the field by `aria-describedby`.
///
/// When the question is the page's only one, its legend or label is the page's
/// heading (the GOV.UK pattern), so there is one heading, not two.
#[component]
pub fn QuestionField(question: Question, page: usize, as_heading: bool) -> impl IntoView {
    let shown = use_shown();
    let progress = use_progress();
    let id = ids::question(&question.id);
    let hint_id = question.hint.as_ref().map(|_| ids::hint(&id));
    let error_id = ids::error(&id);
    // The question's own words, in the language shown and in easy read's when it is on.
    let label = question_label(question.id.clone());
    let qid = question.id.clone();
    let hint = question.hint.as_ref().map(|_| form_text(move |s| s.question(&qid).and_then(|q| q.hint.as_ref())));

    let error = {
        let qid = question.id.clone();
        Memo::new(move |_| {
            let easy = progress.easy_read.get();
            progress.problems.with(|ps| {
                let p = ps.iter().find(|p| p.page == page && p.question == qid)?;
                shown.with(|s| Some(s.problem_message(&p.problem, s.question(&qid)?, easy)))
            })
        })
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let ids: Vec<&str> = hint_id
                .iter()
                .map(String::as_str)
                .chain(error.with(Option::is_some).then_some(error_id.as_str()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let hint_view = hint.map(|h| view! { <div class="hint" id=hint_id.clone()>{h}</div> });
    let error_view = move || {
        error.get().map(|m| {
            view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">{t("error_prefix")} " "</span>{m}
                </p>
            }
        })
    };
    let group_class = move || if error.with(Option::is_some) { "form-group form-group--error" } else { "form-group" };

    if let Kind::ShortText { max_length } | Kind::LongText { max_length } = question.kind {
        let long = matches!(question.kind, Kind::LongText { .. });
        let label_view = if as_heading {
            view! { <h1 class="label-wrapper" id=ids::MAIN_HEADING tabindex="-1"><label class="label label--l" for=id.clone()>{label}</label></h1> }.into_any()
        } else {
            view! { <label class="label label--m" for=id.clone()>{label}</label> }.into_any()
        };
        return view! {
            <div class=group_class>
                {label_view}
                {hint_view}
                <ReadAloud question=question.clone() />
                {error_view}
                <TextAnswer question_id=question.id.clone() input_id=id long max_length described_by=Signal::derive(described_by) invalid=Signal::derive(move || error.with(Option::is_some)) />
            </div>
        }
        .into_any();
    }

    let legend = if as_heading {
        view! { <legend class="fieldset__legend fieldset__legend--l"><h1 class="fieldset__heading" id=ids::MAIN_HEADING tabindex="-1">{label}</h1></legend> }.into_any()
    } else {
        view! { <legend class="fieldset__legend fieldset__legend--m">{label}</legend> }.into_any()
    };
    let opt =
        |answer: Answer, label: Signal<String>| Opt { answer, label, hint: None, picture: None, exclusive: false };
    let qid = question.id.clone();
    // The `i`th option's words, wherever `pick` finds them in the question.
    let option_text = move |i: usize, pick: fn(&Question, usize) -> Option<&Text>| {
        let qid = qid.clone();
        form_text(move |s| s.question(&qid).and_then(|q| pick(q, i)))
    };
    let choices = match &question.kind {
        Kind::SingleChoice { options } | Kind::MultipleChoice { options } => options
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let qid = question.id.clone();
                Opt {
                    answer: Answer::Text(c.value.clone()),
                    label: words(move |s, easy| {
                        s.question(&qid)
                            .and_then(|q| q.kind.options().get(i))
                            .map_or("", |c| c.label_in(&s.lang, easy))
                            .to_owned()
                    }),
                    hint: c.hint.as_ref().map(|_| option_text(i, |q, i| q.kind.options().get(i)?.hint.as_ref())),
                    picture: None,
                    exclusive: c.exclusive,
                }
            })
            .collect::<Vec<_>>(),
        Kind::Scale { min, labels, pictures, .. } => (0..labels.len())
            .map(|i| Opt {
                picture: pictures.get(i).map(|p| {
                    let alt = option_text(i, |q, i| match &q.kind {
                        Kind::Scale { pictures, .. } => pictures.get(i).map(|p| &p.alt),
                        _ => None,
                    });
                    (p.src.clone(), alt)
                }),
                ..opt(
                    Answer::Number(min + i as i64),
                    option_text(i, |q, i| match &q.kind {
                        Kind::Scale { labels, .. } => labels.get(i),
                        _ => None,
                    }),
                )
            })
            .collect(),
        Kind::YesNo { .. } => {
            let yes_no = |yes: bool| {
                let qid = question.id.clone();
                words(move |s, _| {
                    let words = (s.t("yes"), s.t("no"));
                    let (y, n) = s
                        .question(&qid)
                        .map_or((&*words.0, &*words.1), |q| q.yes_no_words(&s.lang, &words.0, &words.1));
                    (if yes { y } else { n }).to_owned()
                })
            };
            vec![opt(Answer::Flag(true), yes_no(true)), opt(Answer::Flag(false), yes_no(false))]
        }
        Kind::ShortText { .. } | Kind::LongText { .. } => unreachable!("handled above"),
    };
    let inputs = match &question.kind {
        Kind::MultipleChoice { .. } => view! { <Checkboxes question=question.clone() options=choices /> }.into_any(),
        Kind::Scale { .. } => {
            view! { <Radios question_id=question.id.clone() options=choices layout="radios radios--scale" /> }
                .into_any()
        }
        Kind::YesNo { .. } => {
            view! { <Radios question_id=question.id.clone() options=choices layout="radios radios--inline" /> }
                .into_any()
        }
        _ => view! { <Radios question_id=question.id.clone() options=choices layout="radios" /> }.into_any(),
    };
    view! {
        <div class=group_class>
            <fieldset class="fieldset" aria-describedby=described_by>
                {legend}
                {hint_view}
                <ReadAloud question=question.clone() />
                {error_view}
                {inputs}
            </fieldset>
        </div>
    }
    .into_any()
}
