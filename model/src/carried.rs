//! What a server page carries from one POST to the next, when the form is answered
//! without the app (issue 11): no cookie and no session, so the answers so far, the
//! submission id and the few things the journey needs travel in the page itself, as
//! `<input type="hidden">` fields, and come back in each `application/x-www-form-urlencoded`
//! POST with the page's own questions.
//!
//! Everything that comes back is untrusted. [`Carried::from_fields`] checks the carried
//! answers exactly as the receiving server checks a submission's answers
//! ([`crate::Submission::problems`]), and [`merge_page`] reads a page's posted fields
//! as the app reads taps and typing. [`post_page`] and [`post_send`] are the server's
//! two POST handlers' model, each one call.
//!
//! **Field names.** A question's field is named `q-{question id}`
//! ([`question_field`], the same as `ids::question` in the app's components), and
//! every carried field starts with `carry-` ([`CARRY_PREFIX`]). A question id is an
//! identifier (`a-z`, `0-9`, `-`, `_`), so no question's field can start with
//! `carry-`, and a new carried field can never take a question's name.
//!
//! ```
//! use feedback_model::{post_page, Carried, Form, PagePost, Route};
//! let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
//! // "Start now": the server chooses the id, and the first page carries it.
//! let carried = Carried::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
//! // The first page's Continue, with "Phone" ticked: the browser posts the hidden fields and the page's own.
//! let body = format!("{}&q-ways=phone", carried.to_urlencoded());
//! let PagePost::Next { carried, route } = post_page(&form, 0, body.as_bytes()).unwrap() else { panic!() };
//! assert_eq!(route, Route::Page("how-well".into())); // skip logic: the ratings page, for phone
//! assert!(carried.answers.get("ways").is_some());
//! ```

use crate::payload::answers_problems;
use crate::{
    check_answer, is_uuid_v4, Answer, Answers, Form, Kind, PageProblem, Phase, Problem, Question, Route, Submission,
};
use std::fmt;

/// Every carried field's name starts with this; a question's field never does.
pub const CARRY_PREFIX: &str = "carry-";
/// The submission id, chosen when the person starts: a UUID v4, also the `Idempotency-Key`.
pub const ID_FIELD: &str = "carry-id";
/// The form's id: answers carried for one form are not taken by another.
pub const FORM_FIELD: &str = "carry-form";
/// The form's version when the answers were carried (see [`Carried::from_fields`]).
pub const VERSION_FIELD: &str = "carry-version";
/// The answers so far, as the JSON object of the payload's `answers` (one field:
/// JSON keeps line breaks and every character exactly, where a browser would turn
/// a raw line break in a field into CR LF).
pub const ANSWERS_FIELD: &str = "carry-answers";
/// Easy read: `1` when on; absent when off.
pub const EASY_READ_FIELD: &str = "carry-easy";
/// After a Change link: the pages shown then, as page indexes separated by spaces
/// ([`Phase::Changing`]); absent otherwise.
pub const CHANGING_FIELD: &str = "carry-changing";

/// The name of a question's field in a posted page: `q-{question id}`, as the
/// app's components name it (`ids::question` in `src/components/ids.rs`).
///
/// ```
/// assert_eq!(feedback_model::question_field("rate_phone"), "q-rate_phone");
/// ```
pub fn question_field(question_id: &str) -> String {
    format!("q-{question_id}")
}

/// A POST that cannot be taken, with every reason as a sentence in plain English
/// (as the receiving server words a refused submission). Nothing a person does in
/// a browser on a page the server drew leads here: only a changed or made-up request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub Vec<String>);

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.join("; "))
    }
}

impl std::error::Error for Refused {}

/// The name/value pairs of an `application/x-www-form-urlencoded` body (or a query
/// string), in order, repeated names kept. Read as the URL Standard says, with servo's
/// `form_urlencoded`: `+` is a space, and a percent-escape that is not UTF-8 becomes
/// U+FFFD (which then fails whatever check its field has, or shows in a text answer).
///
/// ```
/// let fields = feedback_model::parse_body(b"q-ways=phone&q-ways=video&q-keep=caf%C3%A9+au+lait");
/// assert_eq!(fields[1], ("q-ways".to_owned(), "video".to_owned()));
/// assert_eq!(fields[2].1, "café au lait");
/// ```
pub fn parse_body(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// What a server page carries for the person answering: see the module's notes.
///
/// Its answers always fit its form: every one answers a question of the form, fits
/// it (type, options, length) and is asked for the other answers (skip logic).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    /// Chosen when the person starts ([`crate::uuid_v4_from_bytes`]); sent as the
    /// submission's id, so a second Send, or Back and Send again, stores one row.
    pub submission_id: String,
    pub form_id: String,
    pub form_version: String,
    /// The answers so far.
    pub answers: Answers,
    /// Easy read is on.
    pub easy_read: bool,
    /// After a Change link on Check your answers: the pages shown then
    /// ([`Phase::Changing`]), so that Continue goes back to Check your answers.
    pub changed_from: Option<Vec<usize>>,
}

impl Carried {
    /// A new set of answers for `form`, under `submission_id` (a UUID v4 the server makes).
    pub fn start(form: &Form, submission_id: &str) -> Carried {
        Carried {
            submission_id: submission_id.to_owned(),
            form_id: form.id.clone(),
            form_version: form.version.clone(),
            answers: Answers::default(),
            easy_read: false,
            changed_from: None,
        }
    }

    /// The person's phase, as far as a server page needs it: changing an answer
    /// after a Change link, or answering.
    pub fn phase(&self) -> Phase {
        match &self.changed_from {
            Some(shown) => Phase::Changing { shown: shown.clone() },
            None => Phase::Answering,
        }
    }

    /// A Change link on Check your answers: Continue on the page changed goes on
    /// through any pages the change reveals, then back to Check your answers
    /// ([`Phase::change`]).
    #[must_use]
    pub fn change(self, form: &Form) -> Carried {
        let shown = form.journey(&self.answers).pages;
        Carried { changed_from: Some(shown), ..self }
    }

    /// The hidden fields, as name/value pairs, in a fixed order. Each becomes one
    /// `<input type="hidden" name=… value=…>` inside the page's `<form method="post">`.
    ///
    /// ```
    /// use feedback_model::{Answer, Carried, Form};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let mut carried = Carried::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
    /// carried.answers.set("prefer", Answer::Text("mix".into()));
    /// let fields = carried.fields();
    /// assert_eq!(fields[0], ("carry-id".to_owned(), "0f8fad5b-d9cb-469f-a165-70867728950e".to_owned()));
    /// assert_eq!(fields[3], ("carry-answers".to_owned(), r#"{"prefer":"mix"}"#.to_owned()));
    /// ```
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut out = vec![
            (ID_FIELD.to_owned(), self.submission_id.clone()),
            (FORM_FIELD.to_owned(), self.form_id.clone()),
            (VERSION_FIELD.to_owned(), self.form_version.clone()),
            (ANSWERS_FIELD.to_owned(), serde_json::to_string(&self.answers).unwrap_or_else(|_| "{}".into())),
        ];
        if self.easy_read {
            out.push((EASY_READ_FIELD.to_owned(), "1".to_owned()));
        }
        if let Some(shown) = &self.changed_from {
            let pages: Vec<String> = shown.iter().map(usize::to_string).collect();
            out.push((CHANGING_FIELD.to_owned(), pages.join(" ")));
        }
        out
    }

    /// [`Carried::fields`] as a browser posts them: `application/x-www-form-urlencoded`.
    pub fn to_urlencoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new()).extend_pairs(self.fields()).finish()
    }

    /// Reads the carried fields back from a posted body: [`parse_body`], then [`Carried::from_fields`].
    pub fn from_body(body: &[u8], form: &Form) -> Result<Carried, Refused> {
        Carried::from_fields(&parse_body(body), form)
    }

    /// Reads and checks the carried fields among a POST's `fields`.
    ///
    /// - Fields whose names are neither carried nor a question's are ignored (a
    ///   browser add-on or a named button may add some; none can change an answer).
    /// - Each carried field may come at most once; the id, form, version and answers must come.
    /// - The id must be a UUID v4, as the receiving server requires of a submission.
    /// - The form must be `form`.
    /// - When the version is `form`'s, the answers are checked as the receiving server
    ///   checks a submission's (an unknown question, a wrong type, an unknown option,
    ///   too long, or an answer to a question the skip logic hides): any problem refuses
    ///   the POST, with the server's own sentences, since the server itself only ever
    ///   carries answers that pass. When the form has changed since (another version), the
    ///   answers are kept as a draft is ([`crate::draft::from_json`]): those that still
    ///   fit are kept, the rest are dropped, so editing the form never turns away a
    ///   person who is halfway through; the pages of a Change are forgotten.
    ///
    /// ```
    /// use feedback_model::{Carried, Form};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let carried = Carried::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
    /// let tampered = carried.to_urlencoded().replace("%7B%7D", "%7B%22rate_phone%22%3A9%7D"); // {"rate_phone":9}
    /// let refused = Carried::from_body(tampered.as_bytes(), &form).unwrap_err();
    /// assert_eq!(refused.0, ["the answer to “rate_phone” must be a whole number from 1 to 5"]);
    /// ```
    pub fn from_fields(fields: &[(String, String)], form: &Form) -> Result<Carried, Refused> {
        let mut problems = Vec::new();
        let mut one = |name: &str| -> Option<String> {
            let mut values = fields.iter().filter(|(n, _)| n == name).map(|(_, v)| v);
            let first = values.next();
            if values.next().is_some() {
                problems.push(format!("“{name}” was sent more than once"));
                return None;
            }
            first.cloned()
        };
        let id = one(ID_FIELD);
        let form_id = one(FORM_FIELD);
        let version = one(VERSION_FIELD);
        let answers = one(ANSWERS_FIELD);
        let easy = one(EASY_READ_FIELD);
        let changing = one(CHANGING_FIELD);

        for (name, given) in
            [(ID_FIELD, &id), (FORM_FIELD, &form_id), (VERSION_FIELD, &version), (ANSWERS_FIELD, &answers)]
        {
            if given.is_none() && !problems.iter().any(|p| p.contains(name)) {
                problems.push(format!("“{name}” is missing: the answers so far did not come with the page"));
            }
        }
        if id.as_deref().is_some_and(|id| !is_uuid_v4(id)) {
            problems.push(format!("“{ID_FIELD}” must be a random UUID (version 4), in lower case"));
        }
        if let Some(other) = form_id.as_deref().filter(|f| *f != form.id) {
            problems.push(format!("these answers are for another form than “{}”: “{}”", form.id, short(other)));
        }
        let same_version = version.as_deref() == Some(form.version.as_str());
        let answers = match answers.as_deref().map(serde_json::from_str::<Answers>) {
            None => Answers::default(),
            Some(Err(e)) => {
                problems.push(format!("“{ANSWERS_FIELD}” is not a set of answers: {e}"));
                Answers::default()
            }
            Some(Ok(a)) if same_version => {
                problems.extend(answers_problems(form, &a));
                a
            }
            Some(Ok(a)) => still_fitting(form, &a),
        };
        let easy_read = match easy.as_deref() {
            None => false,
            Some("1") => true,
            Some(other) => {
                problems.push(format!("“{EASY_READ_FIELD}” must be 1 or not sent, not “{}”", short(other)));
                false
            }
        };
        let changed_from = match changing.as_deref() {
            None => None,
            Some(_) if !same_version => None,
            Some(pages) => {
                let read: Option<Vec<usize>> = pages
                    .split(' ')
                    .filter(|p| !p.is_empty())
                    .map(|p| p.parse().ok().filter(|&i: &usize| i < form.pages.len()))
                    .collect();
                if read.is_none() {
                    problems.push(format!("“{CHANGING_FIELD}” must list this form's pages by number"));
                }
                read
            }
        };
        if !problems.is_empty() {
            return Err(Refused(problems));
        }
        Ok(Carried {
            submission_id: id.unwrap_or_default(),
            form_id: form.id.clone(),
            form_version: form.version.clone(),
            answers,
            easy_read,
            changed_from,
        })
    }

    /// The submission to store when the person presses Send: the carried id, only
    /// the answers shown, text trimmed ([`Submission::new`]).
    pub fn submission(&self, form: &Form, sent_at: &str, language: &str) -> Submission {
        Submission::new(form, &self.answers, &self.submission_id, sent_at, language)
    }
}

/// At most 64 characters of something sent, to quote it back.
fn short(s: &str) -> String {
    s.chars().take(64).collect()
}

/// The answers that still fit `form` and are asked for the others, as a draft is read back.
fn still_fitting(form: &Form, answers: &Answers) -> Answers {
    let fitting: Answers = answers
        .iter()
        .filter(|(id, a)| form.question(id).is_some_and(|(_, q)| check_answer(q, Some(a)).is_ok()))
        .map(|(id, a)| (id.clone(), a.clone()))
        .collect();
    form.journey(&fitting).answers
}

/// The answers of a radio question's radios, in the order drawn: the options of a
/// single choice, each point of a scale from its lowest, or Yes then No. A radio's
/// posted value is its index in this list, as the app's components draw it
/// (`Radios` in `src/components/choices.rs`, from `src/components/question.rs`).
/// Empty for checkboxes and text.
///
/// ```
/// use feedback_model::{radio_answers, Answer, Form};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let (_, set_back) = form.question("set_back").unwrap();
/// assert_eq!(radio_answers(set_back), [Answer::Flag(true), Answer::Flag(false)]);
/// ```
pub fn radio_answers(q: &Question) -> Vec<Answer> {
    match &q.kind {
        Kind::SingleChoice { options } => options.iter().map(|c| Answer::Text(c.value.clone())).collect(),
        Kind::Scale { min, max, .. } => (*min..=*max).map(Answer::Number).collect(),
        Kind::YesNo { .. } => vec![Answer::Flag(true), Answer::Flag(false)],
        Kind::MultipleChoice { .. } | Kind::ShortText { .. } | Kind::LongText { .. } => Vec::new(),
    }
}

/// The answer one question's posted `values` give, read as the app reads taps and
/// typing; `None` is no answer (nothing ticked, or blank text). A value that no page
/// the server draws can send is refused (`Err`, a sentence).
fn posted_answer(q: &Question, values: &[&str]) -> Result<Option<Answer>, String> {
    let name = question_field(&q.id);
    match &q.kind {
        // Checkboxes: one value per box ticked, kept in the options' order (as
        // `Answers::toggle` keeps them). An exclusive option ticked with others is
        // kept as sent: `page_problems` then asks the person to choose (see `merge_page`).
        Kind::MultipleChoice { options } => {
            for (i, v) in values.iter().enumerate() {
                if q.option(v).is_none() {
                    return Err(Problem::NotAnOption((*v).to_owned()).english(q));
                }
                if values[..i].contains(v) {
                    return Err(Problem::Repeated((*v).to_owned()).english(q));
                }
            }
            let chosen = options.iter().filter(|c| values.contains(&c.value.as_str())).map(|c| c.value.clone());
            Ok(Some(Answer::Choices(chosen.collect())))
        }
        _ if values.len() > 1 => Err(format!("“{name}” was sent more than once")),
        Kind::ShortText { .. } | Kind::LongText { .. } => {
            // A browser sends a text box's line breaks as CR LF; the app, and a
            // text answer's length, count each as one "\n".
            Ok(values.first().map(|v| Answer::Text(v.replace("\r\n", "\n").replace('\r', "\n"))))
        }
        _ => match values.first() {
            None => Ok(None),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .and_then(|i| radio_answers(q).into_iter().nth(i))
                .map(Some)
                .ok_or_else(|| format!("“{}” is not one of the choices of “{}”", short(v), q.id)),
        },
    }
}

/// The answers after page `page`'s Continue: the carried `answers`, with that page's
/// questions replaced by what was `posted` (a POST's fields, [`parse_body`]), and
/// answers to questions the skip logic now hides removed.
///
/// - Nothing ticked, or blank text, is no answer; radios give one value (the index
///   of [`radio_answers`]); checkboxes give one field per box ticked.
/// - Text is kept as typed (line breaks as `\n`), even too long: [`Form::page_problems`]
///   then says so, as the app does, and the person can shorten it.
/// - An exclusive option ("I'd rather not say") ticked with others, which a page
///   without the app allows, is kept as ticked, and [`Form::page_problems`] asks the
///   person to choose ([`Problem::ExclusiveWithOthers`], the app's own error message).
///   The app's `Answers::toggle` never lets that happen, because it knows which box
///   was ticked last; a POST does not say, so no tick is dropped by guessing.
/// - Every question on the page is read from the POST, not only those shown before
///   it: a question that an answer on the same page reveals is not drawn until the
///   page is drawn again (with the error summary, if it needs an answer), and its
///   answer is then read like any other. An answer to a question still hidden is removed.
/// - Other pages' answers are untouched, except those the skip logic now hides.
/// - Fields of other questions, and unknown fields, are ignored. A value the page
///   cannot send (a radio that is not there, an option that is not the question's,
///   the same box twice, one radio group or text box sent twice) refuses the POST.
/// - The page must be shown for the carried answers (a made-up address is refused).
pub fn merge_page(
    form: &Form,
    page: usize,
    answers: &Answers,
    posted: &[(String, String)],
) -> Result<Answers, Refused> {
    let Some(def) = form.pages.get(page) else {
        return Err(Refused(vec![format!("this form has no page {page}")]));
    };
    if !form.journey(answers).pages.contains(&page) {
        return Err(Refused(vec![format!("the page “{}” is not asked for the answers given", def.id)]));
    }
    let mut merged = answers.clone();
    let mut problems = Vec::new();
    for q in &def.questions {
        let name = question_field(&q.id);
        let values: Vec<&str> = posted.iter().filter(|(n, _)| *n == name).map(|(_, v)| v.as_str()).collect();
        match posted_answer(q, &values) {
            Ok(Some(a)) => merged.set(&q.id, a),
            Ok(None) => merged.remove(&q.id),
            Err(p) => problems.push(p),
        }
    }
    if !problems.is_empty() {
        return Err(Refused(problems));
    }
    Ok(form.journey(&merged).answers)
}

/// What to show after a question page's Continue ([`post_page`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PagePost {
    /// The page is fine: show `route` (the next page, or Check your answers),
    /// carrying `carried` (the answers with this page's, the phase moved on).
    Next { carried: Carried, route: Route },
    /// Something on the page needs fixing: draw the same page again with the error
    /// summary for `problems`, its fields filled from `answers` (what was just sent),
    /// and carrying `carried` as it came (its answers all fit; `answers` may not).
    Problems { carried: Carried, answers: Answers, problems: Vec<PageProblem> },
}

/// A question page's POST, from its body to what to show next: the carried fields
/// read and checked ([`Carried::from_fields`]), the page's answers merged in
/// ([`merge_page`]), the page checked ([`Form::page_problems`]), and where Continue
/// goes ([`Form::continue_to`]), as the app does on Continue.
///
/// ```
/// use feedback_model::{post_page, Carried, Form, PagePost};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let mut carried = Carried::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
/// // Both "Housing" and "I'd rather not say" ticked, which a page without the app allows.
/// let body = format!("{}&q-services=housing&q-services=prefer_not_to_say", carried.to_urlencoded());
/// let Ok(PagePost::Problems { problems, .. }) = post_page(&form, 0, body.as_bytes()) else { panic!() };
/// assert_eq!(problems[0].question, "services");
/// ```
pub fn post_page(form: &Form, page: usize, body: &[u8]) -> Result<PagePost, Refused> {
    let fields = parse_body(body);
    let carried = Carried::from_fields(&fields, form)?;
    let answers = merge_page(form, page, &carried.answers, &fields)?;
    let problems = form.page_problems(page, &answers);
    if !problems.is_empty() {
        return Ok(PagePost::Problems { carried, answers, problems });
    }
    let route = form.continue_to(page, &answers, carried.changed_from.as_deref());
    let changed_from = carried.phase().arrive(&route).changed_from().map(<[usize]>::to_vec);
    Ok(PagePost::Next { carried: Carried { answers, changed_from, ..carried }, route })
}

/// What to do after Send on Check your answers ([`post_send`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendPost {
    /// Store [`Carried::submission`], then show the confirmation.
    Ready(Carried),
    /// A page shown still has a problem (a required answer missing, when a page was
    /// skipped by its address): show page `route` with this one problem, as the app does.
    Fix { carried: Carried, route: Route, problems: Vec<PageProblem> },
}

/// Send's POST: the carried fields read and checked, and every page shown checked
/// again ([`Form::problems`]), as the app does before sending.
///
/// ```
/// use feedback_model::{post_send, Carried, Form, SendPost};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let carried = Carried::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
/// let Ok(SendPost::Ready(carried)) = post_send(&form, carried.to_urlencoded().as_bytes()) else { panic!() };
/// let s = carried.submission(&form, "2026-11-23T10:00:00Z", "cy");
/// assert_eq!(s.submission_id, "0f8fad5b-d9cb-469f-a165-70867728950e");
/// assert!(s.problems(Some(&form)).is_empty());
/// ```
pub fn post_send(form: &Form, body: &[u8]) -> Result<SendPost, Refused> {
    let carried = Carried::from_body(body, form)?;
    match form.problems(&carried.answers).into_iter().next() {
        None => Ok(SendPost::Ready(carried)),
        Some(first) => Ok(SendPost::Fix { route: Route::page(form, first.page), problems: vec![first], carried }),
    }
}
