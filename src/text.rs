//! The interface's own words (not the form's), in one place so they can be translated.

use feedback_model::{Kind, Problem, Question};

/// An interface string by key.
pub fn t(key: &str) -> &'static str {
    match key {
        "service" => "Give feedback",
        "loading" => "Loading the form…",
        "start" => "Start now",
        "anonymous" => "You do not have to give your name. We do not collect anything that could show who you are, unless you choose to tell us.",
        "skip_any" => "You can skip any question you do not want to answer.",
        "asked_by" => "This form is run by",
        "about_minutes" => "It takes about",
        "minutes" => "minutes.",
        "exit" => "Exit this page",
        "exit_emergency" => "Emergency",
        "exit_shift_2" => "Shift, press 2 more times to exit.",
        "exit_shift_1" => "Shift, press 1 more time to exit.",
        "exit_hint" => "To leave this form quickly, press “Exit this page” at the top of every page, or press the Shift key 3 times. Your answers will be cleared.",
        "listen" => "Listen",
        "back" => "Back",
        "continue" => "Continue",
        "page" => "Page",
        "of" => "of",
        "optional" => "(optional)",
        "yes" => "Yes",
        "no" => "No",
        "or" => "or",
        "there_is_a_problem" => "There is a problem",
        "error_prefix" => "Error:",
        "check_title" => "Check your answers",
        "check_intro" => "You can change any answer before you send them.",
        "not_answered" => "Not answered",
        "change" => "Change",
        "send_title" => "Now send your answers",
        "send_text" => "When you press Send, your answers go to the team named above.",
        "send" => "Send",
        "sending" => "Sending your answers…",
        "send_failed" => "Your answers have not been sent yet. Check your internet connection and try again. Your answers are still here.",
        "send_refused" => "The answers could not be accepted:",
        "try_again" => "Try again",
        "sent_title" => "Thank you. Your answers have been sent",
        "what_next" => "What happens next",
        "what_next_text" => "We read every answer. What people tell us will help decide how support is given from now on.",
        "help_now" => "If you need help now",
        "call" => "Call",
        "start_again" => "Answer the form again, or hand this device to the next person",
        "broken_title" => "Sorry, this form is not working right now",
        "broken_text" => "If someone asked you to fill this in, please tell them. Nothing you typed has been sent.",
        "broken_details" => "Details for the people who run this form:",
        "chars_left_1" => "You have",
        "chars_left_2" => "characters remaining",
        "chars_over_2" => "characters too many",
        "chars_limit" => "You can enter up to",
        "chars_limit_2" => "characters",
        _ => "",
    }
}

/// A problem with an answer, in words a person can act on. The same words appear
/// in the error summary and beside the field (the GOV.UK pattern).
pub fn problem_message(problem: &Problem, q: &Question, lang: &str) -> String {
    let label = q.label.get(lang);
    match problem {
        Problem::Required => match q.kind {
            Kind::ShortText { .. } | Kind::LongText { .. } => format!("Enter an answer to “{label}”"),
            Kind::MultipleChoice { .. } => format!("Select at least one answer to “{label}”"),
            _ => format!("Select an answer to “{label}”"),
        },
        Problem::TooLong { max, .. } => {
            format!("Your answer to “{label}” must be {max} characters or fewer")
        }
        Problem::ExclusiveWithOthers(v) => {
            let name = q.option(v).map_or(v.as_str(), |c| c.label.get(lang));
            format!("For “{label}”, select “{name}” on its own, or other answers")
        }
        Problem::NotAnOption(_) | Problem::Repeated(_) | Problem::OutOfRange { .. } | Problem::WrongType => {
            format!("Select an answer to “{label}” again")
        }
    }
}

/// An answer in words, one line per chosen option, for Check your answers.
pub fn answer_lines(q: &Question, answer: &feedback_model::Answer, lang: &str) -> Vec<String> {
    use feedback_model::Answer;
    let option = |v: &str| q.option(v).map_or_else(|| v.to_owned(), |c| c.label.get(lang).to_owned());
    match (answer, &q.kind) {
        (Answer::Flag(b), _) => vec![t(if *b { "yes" } else { "no" }).to_owned()],
        (Answer::Number(n), Kind::Scale { min, labels, .. }) => {
            let words = usize::try_from(n - min).ok().and_then(|i| labels.get(i));
            vec![words.map_or_else(|| n.to_string(), |w| w.get(lang).to_owned())]
        }
        (Answer::Number(n), _) => vec![n.to_string()],
        (Answer::Text(s), Kind::SingleChoice { .. }) => vec![option(s)],
        (Answer::Text(s), _) => vec![s.clone()],
        (Answer::Choices(v), _) => v.iter().map(|c| option(c)).collect(),
    }
}
