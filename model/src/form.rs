use crate::{Condition, Text};

/// A form definition: what is asked, in which order, and when.
///
/// Read one with [`Form::parse`], which lists every problem in a broken file
/// (the form file's parts are read by hand, see `parse.rs` and `read.rs`).
///
/// Its methods are grouped by what they are about, one `impl Form` in each file:
/// - finding things (`question`, `page_index`, `questions`, `page_heading`,
///   `has_easy_read`): here, in `form.rs`;
/// - reading a form file (`parse`): `parse.rs`;
/// - skip logic, what is shown and where Continue and Back go (`journey`,
///   `visible_questions`, `page_problems`, `problems`, `next_page`, `previous_page`,
///   `progress`, `continue_to`): `journey.rs`;
/// - its words in other languages (`translate`, `texts`, `untranslated`,
///   `each_text_mut`): `translation.rs`.
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Short identifier, also the file name: `forms/{id}.json`.
    pub id: String,
    /// Changes whenever questions change; sent with every answer.
    pub version: String,
    /// The form's name, shown on the start page and in the window title.
    pub title: Text,
    /// Languages the form's text is given in; the first is the default. `["en"]` when not given.
    pub languages: Vec<String>,
    /// Paragraphs on the start page: who is asking, why, what happens to the answers.
    pub intro: Vec<Text>,
    /// About how many minutes the form takes.
    pub minutes: Option<u32>,
    /// The question pages, in order.
    pub pages: Vec<Page>,
}

/// One screen of questions.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub id: String,
    /// The page heading. Without one, a page of one question uses the question as its heading.
    pub title: Option<Text>,
    /// The page is shown only when this holds.
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// One question. Optional unless `required` is true.
///
/// Read by hand (see `parse.rs`): its kind's fields sit beside the common ones.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Unique within the form; the key of its answer in the payload.
    pub id: String,
    pub label: Text,
    /// The question in simpler words, shown instead of `label` when the person
    /// turns on easy read.
    pub easy_read: Option<Text>,
    pub hint: Option<Text>,
    pub required: bool,
    /// The question is shown only when this holds.
    pub show_if: Option<Condition>,
    pub kind: Kind,
}

/// What sort of answer a question takes; `kind` in the form file.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Radios: one option.
    SingleChoice { options: Vec<Choice> },
    /// Checkboxes: any options, except that an `exclusive` one stands alone.
    MultipleChoice { options: Vec<Choice> },
    /// A scale from `min` to `max` with words at every point (and optional pictures).
    Scale { min: i64, max: i64, labels: Vec<Text>, pictures: Vec<Picture> },
    /// One line of text (200 characters unless `max_length` says otherwise).
    ShortText { max_length: usize },
    /// A paragraph, with a visible count of characters left (1200 unless `max_length` says).
    LongText { max_length: usize },
    /// Yes or No. The words default to the interface's "Yes" and "No"; a form may
    /// give its own where a language answers with the question's verb (Welsh
    /// answers "Did…?" with "Do" / "Naddo", not "Ie" / "Na").
    YesNo { yes: Option<Text>, no: Option<Text> },
}

/// The kinds' names as written in form files.
pub const KIND_NAMES: [&str; 6] = ["single_choice", "multiple_choice", "scale", "short_text", "long_text", "yes_no"];

pub(crate) const DEFAULT_SHORT_MAX: usize = 200;
pub(crate) const DEFAULT_LONG_MAX: usize = 1200;

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// What is sent when this option is chosen.
    pub value: String,
    pub label: Text,
    /// The option in simpler words, for easy read.
    pub easy_read: Option<Text>,
    pub hint: Option<Text>,
    /// "None of these" or "Prefer not to say": choosing it clears the others.
    pub exclusive: bool,
}

/// A picture for one point of a scale, always with a text alternative.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    /// Path relative to the app, for example `pictures/happy.svg`.
    pub src: String,
    pub alt: Text,
}

impl Choice {
    /// The option's words: the easy-read ones when asked for and given.
    pub fn label_in(&self, lang: &str, easy: bool) -> &str {
        easy_or(&self.label, self.easy_read.as_ref(), lang, easy)
    }
}

fn easy_or<'a>(label: &'a Text, easy_read: Option<&'a Text>, lang: &str, easy: bool) -> &'a str {
    match easy_read {
        Some(e) if easy => e.get(lang),
        _ => label.get(lang),
    }
}

impl Question {
    /// The words for Yes and No on a yes/no question: its own if it gives them,
    /// else `yes` and `no` (the interface's).
    pub fn yes_no_words<'a>(&'a self, lang: &str, yes: &'a str, no: &'a str) -> (&'a str, &'a str) {
        match &self.kind {
            Kind::YesNo { yes: y, no: n } => {
                (y.as_ref().map_or(yes, |t| t.get(lang)), n.as_ref().map_or(no, |t| t.get(lang)))
            }
            _ => (yes, no),
        }
    }
    /// The question's words: the easy-read ones when asked for and given.
    pub fn label_in(&self, lang: &str, easy: bool) -> &str {
        easy_or(&self.label, self.easy_read.as_ref(), lang, easy)
    }

    /// The option with this value, if the question has one.
    pub fn option(&self, value: &str) -> Option<&Choice> {
        self.kind.options().iter().find(|c| c.value == value)
    }

    /// What "Listen" reads out: the question, its hint, then each option, as
    /// sentences. `yes` and `no` are the interface's words for yes/no questions.
    ///
    /// ```
    /// use feedback_model::Form;
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let (_, q) = form.question("set_back").unwrap();
    /// assert_eq!(q.spoken("en", false, "Yes", "No"),
    ///     "Did Covid-19 rules set back your progress? For example, a service closed or you could not see people. Yes. No.");
    /// ```
    pub fn spoken(&self, lang: &str, easy: bool, yes: &str, no: &str) -> String {
        let mut parts = vec![self.label_in(lang, easy).to_owned()];
        if let Some(h) = &self.hint {
            parts.push(h.get(lang).to_owned());
        }
        match &self.kind {
            Kind::SingleChoice { options } | Kind::MultipleChoice { options } => {
                parts.extend(options.iter().map(|c| c.label_in(lang, easy).to_owned()));
            }
            Kind::Scale { labels, .. } => parts.extend(labels.iter().map(|l| l.get(lang).to_owned())),
            Kind::YesNo { .. } => {
                let (yes, no) = self.yes_no_words(lang, yes, no);
                parts.extend([yes.to_owned(), no.to_owned()]);
            }
            Kind::ShortText { .. } | Kind::LongText { .. } => {}
        }
        parts
            .iter()
            .map(|p| {
                let p = p.trim();
                if p.ends_with(['.', '?', '!', '…']) {
                    p.to_owned()
                } else {
                    format!("{p}.")
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl Kind {
    /// The options of a choice question; empty for other kinds.
    pub fn options(&self) -> &[Choice] {
        match self {
            Kind::SingleChoice { options } | Kind::MultipleChoice { options } => options,
            _ => &[],
        }
    }

    /// The kind's name as written in form files.
    pub fn name(&self) -> &'static str {
        KIND_NAMES[match self {
            Kind::SingleChoice { .. } => 0,
            Kind::MultipleChoice { .. } => 1,
            Kind::Scale { .. } => 2,
            Kind::ShortText { .. } => 3,
            Kind::LongText { .. } => 4,
            Kind::YesNo { .. } => 5,
        }]
    }

    /// The longest text answer allowed, for text questions.
    pub fn max_length(&self) -> Option<usize> {
        match self {
            Kind::ShortText { max_length } | Kind::LongText { max_length } => Some(*max_length),
            _ => None,
        }
    }
}

impl Form {
    /// The question with this id, with the index of its page.
    pub fn question(&self, id: &str) -> Option<(usize, &Question)> {
        self.pages.iter().enumerate().find_map(|(p, page)| page.questions.iter().find(|q| q.id == id).map(|q| (p, q)))
    }

    /// The index of the page with this id.
    pub fn page_index(&self, id: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.id == id)
    }

    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    /// The page's heading: its title, else its only question's label.
    /// `None` when the page has several questions and no title.
    pub fn page_heading(&self, page: usize) -> Option<&Text> {
        let p = self.pages.get(page)?;
        match (&p.title, p.questions.as_slice()) {
            (Some(t), _) => Some(t),
            (None, [q]) => Some(&q.label),
            _ => None,
        }
    }

    /// Whether any question or option has easy-read words (so the switch is worth showing).
    pub fn has_easy_read(&self) -> bool {
        self.questions().any(|q| q.easy_read.is_some() || q.kind.options().iter().any(|c| c.easy_read.is_some()))
    }
}
