use crate::{Answer, Kind, Question};

/// What is wrong with one answer. The interface words each one in the person's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A required question has no answer.
    Required,
    /// The answer is of the wrong type for the question (for example a number for a text).
    WrongType,
    /// A choice that is not one of the question's options.
    NotAnOption(String),
    /// The same option chosen twice.
    Repeated(String),
    /// An exclusive option ("Prefer not to say") chosen with others.
    ExclusiveWithOthers(String),
    /// A scale answer outside the scale.
    OutOfRange { min: i64, max: i64 },
    /// A text answer longer than allowed, in characters.
    TooLong { max: usize, length: usize },
}

impl Problem {
    /// The problem in plain English, for the receiving server's error replies.
    pub fn english(&self, q: &Question) -> String {
        match self {
            Problem::Required => format!("“{}” needs an answer", q.label.get("en")),
            Problem::WrongType => format!("the answer to “{}” must be {}", q.id, expected(&q.kind)),
            Problem::NotAnOption(v) => format!("“{v}” is not one of the options of “{}”", q.id),
            Problem::Repeated(v) => format!("“{v}” is chosen twice in “{}”", q.id),
            Problem::ExclusiveWithOthers(v) => {
                format!("“{v}” in “{}” cannot be chosen with other options", q.id)
            }
            Problem::OutOfRange { min, max } => {
                format!("the answer to “{}” must be a whole number from {min} to {max}", q.id)
            }
            Problem::TooLong { max, length } => {
                format!("the answer to “{}” is {length} characters; the most is {max}", q.id)
            }
        }
    }
}

fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::SingleChoice { .. } => "one option's value, as a string",
        Kind::MultipleChoice { .. } => "a list of option values",
        Kind::Scale { .. } => "a whole number",
        Kind::ShortText { .. } | Kind::LongText { .. } => "a string",
        Kind::YesNo { .. } => "true or false",
    }
}

/// Checks one answer against its question. `None` is no answer.
///
/// ```
/// use feedback_model::{check_answer, Answer, Form, Problem};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let (_, q) = form.question("prefer").unwrap();
/// assert_eq!(check_answer(q, Some(&Answer::Text("carrier pigeon".into()))),
///            Err(Problem::NotAnOption("carrier pigeon".into())));
/// assert_eq!(check_answer(q, None), Ok(())); // optional
/// ```
pub fn check_answer(q: &Question, answer: Option<&Answer>) -> Result<(), Problem> {
    let Some(answer) = answer.filter(|a| !a.is_empty()) else {
        return if q.required { Err(Problem::Required) } else { Ok(()) };
    };
    match (&q.kind, answer) {
        (Kind::SingleChoice { options }, Answer::Text(v)) => {
            if options.iter().any(|c| &c.value == v) {
                Ok(())
            } else {
                Err(Problem::NotAnOption(v.clone()))
            }
        }
        (Kind::MultipleChoice { options }, Answer::Choices(vs)) => {
            for (i, v) in vs.iter().enumerate() {
                let Some(choice) = options.iter().find(|c| &c.value == v) else {
                    return Err(Problem::NotAnOption(v.clone()));
                };
                if vs[..i].contains(v) {
                    return Err(Problem::Repeated(v.clone()));
                }
                if choice.exclusive && vs.len() > 1 {
                    return Err(Problem::ExclusiveWithOthers(v.clone()));
                }
            }
            Ok(())
        }
        (Kind::Scale { min, max, .. }, Answer::Number(n)) => {
            if (min..=max).contains(&n) {
                Ok(())
            } else {
                Err(Problem::OutOfRange { min: *min, max: *max })
            }
        }
        (Kind::ShortText { max_length } | Kind::LongText { max_length }, Answer::Text(s)) => {
            let length = s.chars().count();
            if length > *max_length {
                Err(Problem::TooLong { max: *max_length, length })
            } else {
                Ok(())
            }
        }
        (Kind::YesNo { .. }, Answer::Flag(_)) => Ok(()),
        _ => Err(Problem::WrongType),
    }
}
