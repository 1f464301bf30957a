use crate::{Kind, Question};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

/// One answer, as it appears in the payload.
///
/// - single choice and text: a string
/// - multiple choice: an array of option values
/// - scale: a whole number
/// - yes/no: `true` or `false`
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Answer {
    Flag(bool),
    Number(i64),
    Text(String),
    Choices(Vec<String>),
}

impl Answer {
    /// Blank text and no choices count as no answer.
    pub fn is_empty(&self) -> bool {
        match self {
            Answer::Text(s) => s.trim().is_empty(),
            Answer::Choices(v) => v.is_empty(),
            Answer::Flag(_) | Answer::Number(_) => false,
        }
    }

    /// The text of a text or single-choice answer.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Answer::Text(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this answer is, or includes, the option `value`.
    pub fn includes(&self, value: &str) -> bool {
        match self {
            Answer::Text(s) => s == value,
            Answer::Choices(v) => v.iter().any(|c| c == value),
            _ => false,
        }
    }
}

/// What a person has answered, keyed by question id. Empty answers are not kept.
///
/// ```
/// use feedback_model::{Answer, Answers};
/// let mut a = Answers::default();
/// a.set("anything_else", Answer::Text("Phone calls helped".into()));
/// a.set("contact", Answer::Text("   ".into())); // blank: not kept
/// assert_eq!(a.len(), 1);
/// ```
///
/// Kept as a list sorted by question id rather than a `BTreeMap`: a form has a few
/// dozen questions, and the list needs far less code in the app's download.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers(Vec<(String, Answer)>);

impl Answers {
    fn find(&self, question: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(question))
    }

    pub fn get(&self, question: &str) -> Option<&Answer> {
        self.find(question).ok().map(|i| &self.0[i].1)
    }

    /// Sets an answer, or removes it when it is empty.
    pub fn set(&mut self, question: &str, answer: Answer) {
        match (self.find(question), answer.is_empty()) {
            (Ok(i), true) => {
                self.0.remove(i);
            }
            (Ok(i), false) => self.0[i].1 = answer,
            (Err(i), false) => self.0.insert(i, (question.to_owned(), answer)),
            (Err(_), true) => {}
        }
    }

    pub fn remove(&mut self, question: &str) {
        if let Ok(i) = self.find(question) {
            self.0.remove(i);
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The answers in order of question id.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Answer)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Ticks or unticks one checkbox of a multiple-choice question, keeping the
    /// options' order. Ticking an exclusive option ("Prefer not to say") clears
    /// the others; ticking any other option clears the exclusive ones.
    ///
    /// ```
    /// use feedback_model::{Answer, Answers, Form};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let (_, services) = form.question("services").unwrap();
    /// let mut a = Answers::default();
    /// a.toggle(services, "housing", true);
    /// a.toggle(services, "mental_health", true);
    /// assert_eq!(a.get("services"), Some(&Answer::Choices(vec!["housing".into(), "mental_health".into()])));
    /// a.toggle(services, "prefer_not_to_say", true);
    /// assert_eq!(a.get("services"), Some(&Answer::Choices(vec!["prefer_not_to_say".into()])));
    /// ```
    pub fn toggle(&mut self, question: &Question, value: &str, ticked: bool) {
        let Kind::MultipleChoice { options } = &question.kind else {
            return;
        };
        let Some(target) = options.iter().find(|c| c.value == value) else {
            return;
        };
        let current = self.get(&question.id).cloned();
        let was = |v: &str| current.as_ref().is_some_and(|a| a.includes(v));
        let chosen = options
            .iter()
            .filter(|c| {
                if c.value == target.value {
                    ticked
                } else if ticked && (target.exclusive || c.exclusive) {
                    false
                } else {
                    was(&c.value)
                }
            })
            .map(|c| c.value.clone())
            .collect();
        self.set(&question.id, Answer::Choices(chosen));
    }
}

impl FromIterator<(String, Answer)> for Answers {
    fn from_iter<I: IntoIterator<Item = (String, Answer)>>(iter: I) -> Self {
        let mut a = Answers::default();
        for (k, v) in iter {
            a.set(&k, v);
        }
        a
    }
}

impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Answers {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let serde_json::Value::Object(map) = serde_json::Value::deserialize(d)? else {
            return Err(D::Error::custom("answers must be an object keyed by question id"));
        };
        map.into_iter()
            .map(|(k, v)| match Answer::from_value(&v) {
                Some(a) => Ok((k, a)),
                None => Err(D::Error::custom(format!(
                    "“{}”: an answer must be a string, a whole number, true or false, or a list of strings",
                    k_short(&k)
                ))),
            })
            .collect()
    }
}

/// A question id as quoted back in an error: at most 64 characters.
fn k_short(k: &str) -> String {
    k.chars().take(64).collect()
}
