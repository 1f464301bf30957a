use crate::{Answer, Answers};

/// Skip logic: when a page or question is shown.
///
/// In a form file:
/// - `{"question": "ways", "includes": "video"}`: a multiple-choice answer includes
///   an option (or a single-choice answer is that option)
/// - `{"question": "involved", "equals": true}`: the answer is exactly this
/// - `{"question": "prefer", "any_of": ["remote", "mix"]}`: the answer is one of these
/// - `{"all": [...]}` and `{"any": [...]}`: every one, or at least one, of the conditions
///
/// A question that was not answered, or was not shown, matches nothing.
///
/// ```
/// use feedback_model::{Answer, Answers, Condition};
/// // {"question": "ways", "includes": "video"} in a form file
/// let c = Condition::Includes { question: "ways".into(), includes: "video".into() };
/// let mut a = Answers::default();
/// assert!(!c.holds(&a));
/// a.set("ways", Answer::Choices(vec!["phone".into(), "video".into()]));
/// assert!(c.holds(&a));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Condition {
    Includes { question: String, includes: String },
    Equals { question: String, equals: Answer },
    AnyOf { question: String, any_of: Vec<Answer> },
    All { all: Vec<Condition> },
    Any { any: Vec<Condition> },
}

impl Condition {
    /// Whether the condition holds for these answers.
    pub fn holds(&self, answers: &Answers) -> bool {
        match self {
            Condition::Includes { question, includes } => answers.get(question).is_some_and(|a| a.includes(includes)),
            Condition::Equals { question, equals } => answers.get(question) == Some(equals),
            Condition::AnyOf { question, any_of } => answers.get(question).is_some_and(|a| any_of.contains(a)),
            Condition::All { all } => all.iter().all(|c| c.holds(answers)),
            Condition::Any { any } => any.iter().any(|c| c.holds(answers)),
        }
    }

    /// Each test on one question: (question id, values it names), for checking a form file.
    pub(crate) fn tests(&self) -> Vec<(&str, Vec<&Answer>, Option<&str>)> {
        match self {
            Condition::Includes { question, includes } => vec![(question, vec![], Some(includes))],
            Condition::Equals { question, equals } => vec![(question, vec![equals], None)],
            Condition::AnyOf { question, any_of } => vec![(question, any_of.iter().collect(), None)],
            Condition::All { all: cs } | Condition::Any { any: cs } => cs.iter().flat_map(Condition::tests).collect(),
        }
    }
}
