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

/// The honeypot: a text field every server page's form carries empty, hidden from people and from
/// assistive technology (not shown, not focusable, not in the accessibility tree), so only a program
/// filling in every field it finds fills it. The receiving server answers a Send that fills it as if
/// all went well (the same confirmation page) but stores nothing, and counts it. [`Carried::from_fields`]
/// ignores it, as it ignores every field it does not read, so a page that carries it is read as before.
///
/// ```
/// use feedback_model::{parse_body, HONEYPOT_FIELD};
/// let fields = parse_body(b"carry-website=http%3A%2F%2Fspam.example&do=send");
/// assert!(fields.iter().any(|(name, value)| name == HONEYPOT_FIELD && !value.is_empty()));
/// ```
pub const HONEYPOT_FIELD: &str = "carry-website";

/// The name of a question's field in a posted page: `q-{question id}`, as the
/// app's components name it (`ids::question` in `src/components/ids.rs` calls this).
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
        let mut one = |name: &str| match single(fields, name) {
            Ok(value) => value.map(str::to_owned),
            Err(problem) => {
                problems.push(problem);
                None
            }
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

/// The value of the field `name` among a POST's `fields`, if sent; sent more than once is
/// refused (no page of ours sends one of these twice), with the sentence saying so.
pub(crate) fn single<'a>(fields: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, String> {
    let mut values = fields.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
    match (values.next(), values.next()) {
        (first, None) => Ok(first),
        _ => Err(format!("“{name}” was sent more than once")),
    }
}

/// At most 64 characters of something sent, to quote it back.
pub(crate) fn short(s: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::nasty_text;
    use crate::uuid_v4_from_bytes;
    use proptest::prelude::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn form() -> Form {
        Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap()
    }

    /// A form where an answer reveals a required question on the same page, and a
    /// second page with a required question.
    fn small_form() -> Form {
        Form::parse(
            r#"{"id": "small", "version": "1", "title": "T", "pages": [
                {"id": "first", "title": "First", "questions": [
                    {"id": "a", "label": "A", "kind": "yes_no"},
                    {"id": "b", "label": "B", "kind": "short_text", "required": true,
                     "show_if": {"question": "a", "equals": true}}]},
                {"id": "second", "questions": [{"id": "r", "label": "R", "kind": "short_text", "required": true}]}]}"#,
        )
        .unwrap()
    }

    fn choices(v: &[&str]) -> Answer {
        Answer::Choices(v.iter().map(|s| (*s).to_owned()).collect())
    }

    fn text(s: &str) -> Answer {
        Answer::Text(s.to_owned())
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect()
    }

    fn carrying(form: &Form, answers: &[(&str, Answer)]) -> Carried {
        let mut c = Carried::start(form, ID);
        for (q, a) in answers {
            c.answers.set(q, a.clone());
        }
        c
    }

    /// The carried fields, with `answers_json` in place of the carried answers.
    fn with_answers_json(form: &Form, answers_json: &str) -> Vec<(String, String)> {
        let mut fields = Carried::start(form, ID).fields();
        fields[3].1 = answers_json.to_owned();
        fields
    }

    fn refused(r: Result<impl fmt::Debug, Refused>) -> Vec<String> {
        r.expect_err("should be refused").0
    }

    fn post(form: &Form, page: usize, carried: &Carried, page_fields: &str) -> Result<PagePost, Refused> {
        let body = format!("{}&{page_fields}", carried.to_urlencoded());
        post_page(form, page, body.as_bytes())
    }

    fn next(r: Result<PagePost, Refused>) -> (Carried, Route) {
        match r {
            Ok(PagePost::Next { carried, route }) => (carried, route),
            other => panic!("expected the next page, got {other:?}"),
        }
    }

    #[test]
    fn every_part_goes_round_a_body() {
        let form = form();
        let mut c = carrying(
            &form,
            &[
                ("services", choices(&["housing", "justice"])),
                ("keep", text("Line one\nline two, “quoted” & <b>not bold</b> = 100% ✓ ع")),
                ("set_back", Answer::Flag(false)),
            ],
        );
        c.easy_read = true;
        c.changed_from = Some(vec![0, 2, 3, 4, 5]);
        let back = Carried::from_body(c.to_urlencoded().as_bytes(), &form).unwrap();
        assert_eq!(back, c);
        // Off and not changing: the two optional fields are left out.
        let c = Carried::start(&form, ID);
        let names: Vec<String> = c.fields().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, [ID_FIELD, FORM_FIELD, VERSION_FIELD, ANSWERS_FIELD]);
        assert_eq!(Carried::from_body(c.to_urlencoded().as_bytes(), &form).unwrap(), c);
    }

    #[test]
    fn carried_names_cannot_be_a_questions() {
        for name in
            [ID_FIELD, FORM_FIELD, VERSION_FIELD, ANSWERS_FIELD, EASY_READ_FIELD, CHANGING_FIELD, HONEYPOT_FIELD]
        {
            assert!(name.starts_with(CARRY_PREFIX), "{name}");
        }
        for q in form().questions().chain(small_form().questions()) {
            assert!(!question_field(&q.id).starts_with(CARRY_PREFIX));
        }
        // Even a question called "carry-id" has a field of its own.
        assert!(crate::is_identifier("carry-id"));
        assert_eq!(question_field("carry-id"), "q-carry-id");
    }

    #[test]
    fn unknown_fields_are_ignored() {
        let form = form();
        let c = carrying(&form, &[("prefer", text("mix"))]);
        let body = format!("button=continue&{}&carry-future=1&q-nonsense=2&&=&noequals", c.to_urlencoded());
        assert_eq!(Carried::from_body(body.as_bytes(), &form).unwrap(), c);
    }

    #[test]
    fn the_honeypot_is_read_past_empty_or_filled() {
        let form = form();
        let c = carrying(&form, &[("prefer", text("mix"))]);
        for honeypot in ["", "https://spam.example", "x"] {
            let body = format!("{}&{HONEYPOT_FIELD}={honeypot}", c.to_urlencoded());
            assert_eq!(Carried::from_body(body.as_bytes(), &form), Ok(c.clone()), "{honeypot:?}");
            assert!(matches!(post_send(&form, body.as_bytes()), Ok(SendPost::Ready(_))), "{honeypot:?}");
        }
        assert!(
            !c.fields().iter().any(|(name, _)| name == HONEYPOT_FIELD),
            "the page draws it, empty; it is not carried"
        );
    }

    #[test]
    fn a_carried_field_sent_twice_is_refused() {
        let form = form();
        let c = Carried::start(&form, ID);
        let body = format!("{}&carry-id=6ba7b810-9dad-41d1-80b4-00c04fd430c8", c.to_urlencoded());
        assert_eq!(refused(Carried::from_body(body.as_bytes(), &form)), ["“carry-id” was sent more than once"]);
        let body = format!("{}&carry-answers=%7B%7D", c.to_urlencoded());
        assert_eq!(refused(Carried::from_body(body.as_bytes(), &form)), ["“carry-answers” was sent more than once"]);
    }

    #[test]
    fn missing_carried_fields_are_each_named() {
        let r = refused(Carried::from_body(b"q-prefer=2", &form()));
        assert_eq!(r.len(), 4, "{r:?}");
        for (line, name) in r.iter().zip([ID_FIELD, FORM_FIELD, VERSION_FIELD, ANSWERS_FIELD]) {
            assert_eq!(*line, format!("“{name}” is missing: the answers so far did not come with the page"));
        }
    }

    #[test]
    fn the_id_must_be_a_uuid_v4_as_the_collector_requires() {
        let form = form();
        for bad in ["", "not-an-id", "0F8FAD5B-D9CB-469F-A165-70867728950E", "0f8fad5b-d9cb-169f-a165-70867728950e"] {
            let mut fields = Carried::start(&form, ID).fields();
            fields[0].1 = bad.to_owned();
            assert_eq!(
                refused(Carried::from_fields(&fields, &form)),
                ["“carry-id” must be a random UUID (version 4), in lower case"],
                "{bad}"
            );
        }
    }

    #[test]
    fn answers_for_another_form_are_refused() {
        let mut fields = Carried::start(&form(), ID).fields();
        fields[1].1 = "someone-elses".into();
        assert_eq!(
            refused(Carried::from_fields(&fields, &form())),
            ["these answers are for another form than “remote-support”: “someone-elses”"]
        );
    }

    /// A tampered answer is refused with the very sentences the collector uses for a
    /// submission with the same answers.
    #[test]
    fn tampered_answers_are_refused_as_a_submission_would_be() {
        let form = form();
        for (json, expected) in [
            (r#"{"nonsense":"x"}"#, "there is no question “nonsense” in this form"),
            (r#"{"rate_phone":"five","ways":["phone"]}"#, "the answer to “rate_phone” must be a whole number"),
            (r#"{"rate_phone":9,"ways":["phone"]}"#, "the answer to “rate_phone” must be a whole number from 1 to 5"),
            (r#"{"prefer":"carrier_pigeon"}"#, "“carrier_pigeon” is not one of the options of “prefer”"),
            (r#"{"services":["housing","housing"]}"#, "“housing” is chosen twice in “services”"),
            (
                r#"{"services":["housing","prefer_not_to_say"]}"#,
                "“prefer_not_to_say” in “services” cannot be chosen with other options",
            ),
            (r#"{"set_back":"yes"}"#, "the answer to “set_back” must be true or false"),
            (r#"{"rate_phone":4}"#, "“rate_phone” was answered but is not asked for the other answers given"),
            (r#"{"contact":"07700 900123","involved":false}"#, "“contact” was answered but is not asked"),
        ] {
            let r = refused(Carried::from_fields(&with_answers_json(&form, json), &form));
            assert_eq!(r.len(), 1, "{json}: {r:?}");
            assert!(r[0].starts_with(expected), "{json}: {r:?}");
            let answers: Answers = serde_json::from_str(json).unwrap();
            let submission = Submission::new(&form, &Answers::default(), ID, "2026-11-23T10:00:00Z", "en");
            let submission = Submission { answers, ..submission };
            assert_eq!(submission.problems(Some(&form)), r, "{json}: the collector's own sentences");
        }
        let too_long = format!(r#"{{"contact":"{}","involved":true}}"#, "x".repeat(201));
        assert_eq!(
            refused(Carried::from_fields(&with_answers_json(&form, &too_long), &form)),
            ["the answer to “contact” is 201 characters; the most is 200"]
        );
    }

    #[test]
    fn answers_that_are_not_answers_are_refused() {
        let form = form();
        for json in ["", "not json", "[]", r#"{"prefer":{"a":1}}"#, r#"{"prefer":"mix""#, "null"] {
            let r = refused(Carried::from_fields(&with_answers_json(&form, json), &form));
            assert_eq!(r.len(), 1, "{json}: {r:?}");
            assert!(r[0].starts_with("“carry-answers” is not a set of answers: "), "{json}: {r:?}");
        }
    }

    #[test]
    fn easy_read_and_a_changes_pages_take_only_what_the_server_writes() {
        let form = form();
        let c = Carried::start(&form, ID).to_urlencoded();
        for (extra, expected) in [
            ("carry-easy=yes", "“carry-easy” must be 1 or not sent, not “yes”"),
            ("carry-changing=0+99", "“carry-changing” must list this form's pages by number"),
            ("carry-changing=how-well", "“carry-changing” must list this form's pages by number"),
            ("carry-changing=-1", "“carry-changing” must list this form's pages by number"),
        ] {
            let body = format!("{c}&{extra}");
            assert_eq!(refused(Carried::from_body(body.as_bytes(), &form)), [expected], "{extra}");
        }
        let body = format!("{c}&carry-easy=1&carry-changing=");
        let back = Carried::from_body(body.as_bytes(), &form).unwrap();
        assert!(back.easy_read);
        assert_eq!(back.changed_from, Some(vec![]));
    }

    #[test]
    fn invalid_utf8_escapes_become_replacement_characters_then_are_checked() {
        assert_eq!(parse_body(b"a=%FF%FE&b%C3=%C3%A9"), pairs(&[("a", "\u{FFFD}\u{FFFD}"), ("b\u{FFFD}", "é")]));
        let form = form();
        // In the id: not a UUID.
        let body = Carried::start(&form, ID).to_urlencoded().replace("0f8fad5b", "0f8fad%FF");
        assert_eq!(
            refused(Carried::from_body(body.as_bytes(), &form)),
            ["“carry-id” must be a random UUID (version 4), in lower case"]
        );
        // In a carried question id: no such question.
        let c = carrying(&form, &[("prefer", text("mix"))]);
        let body = c.to_urlencoded().replace("prefer", "pre%E2%82fer");
        assert_eq!(
            refused(Carried::from_body(body.as_bytes(), &form)),
            ["there is no question “pre\u{FFFD}fer” in this form"]
        );
        // In typed text: kept as the character a person can see on Check your answers.
        let (c, _) = next(post(&form, 4, &Carried::start(&form, ID), "q-keep=caf%E9"));
        assert_eq!(c.answers.get("keep"), Some(&text("caf\u{FFFD}")));
        assert_eq!(Carried::from_body(c.to_urlencoded().as_bytes(), &form).unwrap(), c);
    }

    #[test]
    fn answers_for_an_older_version_are_kept_as_a_draft_is() {
        let form = form();
        let json = r#"{"prefer":"carrier_pigeon","keep":"Phone calls","rate_phone":4,"gone":"x","ways":["video"]}"#;
        let mut fields = with_answers_json(&form, json);
        fields[2].1 = "2025-01-01".into();
        fields.push((CHANGING_FIELD.into(), "0 2".into()));
        let c = Carried::from_fields(&fields, &form).unwrap();
        // What still fits and is asked is kept; the rest, and the Change, are dropped.
        let kept: Vec<&String> = c.answers.iter().map(|(k, _)| k).collect();
        assert_eq!(kept, ["keep", "ways"]);
        assert_eq!(c.form_version, form.version);
        assert_eq!(c.changed_from, None);
        assert!(answers_problems(&form, &c.answers).is_empty());
    }

    #[test]
    fn a_page_post_reads_radios_checkboxes_and_text_as_the_app_does() {
        let form = form();
        let start = Carried::start(&form, ID);
        // Checkboxes, in the options' order whatever the order sent.
        let (c, route) = next(post(&form, 0, &start, "q-ways=video&q-ways=phone&q-services=justice"));
        assert_eq!(c.answers.get("ways"), Some(&choices(&["phone", "video"])));
        assert_eq!(c.answers.get("services"), Some(&choices(&["justice"])));
        assert_eq!(route, Route::Page("how-well".into()));
        // A scale's radio is its point's index from the lowest.
        let (c, route) = next(post(&form, 1, &c, "q-rate_phone=0&q-rate_video=4"));
        assert_eq!(c.answers.get("rate_phone"), Some(&Answer::Number(1)));
        assert_eq!(c.answers.get("rate_video"), Some(&Answer::Number(5)));
        assert_eq!(route, Route::Page("getting-help".into()));
        // A single choice's radio is its option's index.
        let (c, _) = next(post(&form, 2, &c, "q-speed=2"));
        assert_eq!(c.answers.get("speed"), Some(&text("slower")));
        // Yes is 0, No is 1.
        let (c, _) = next(post(&form, 3, &c, "q-set_back=1"));
        assert_eq!(c.answers.get("set_back"), Some(&Answer::Flag(false)));
        // A text area's CR LF is one line break; blank text is no answer.
        let (c, _) = next(post(&form, 4, &c, "q-keep=one%0D%0Atwo%0Dthree&q-change_back=+%0D%0A+"));
        assert_eq!(c.answers.get("keep"), Some(&text("one\ntwo\nthree")));
        assert_eq!(c.answers.get("change_back"), None);
        // Earlier pages untouched.
        assert_eq!(c.answers.get("ways"), Some(&choices(&["phone", "video"])));
        assert_eq!(c.answers.len(), 7);
    }

    #[test]
    fn a_page_post_replaces_only_that_pages_answers() {
        let form = form();
        let c = carrying(
            &form,
            &[("services", choices(&["housing"])), ("ways", choices(&["phone"])), ("speed", text("faster"))],
        );
        // Unticking everything on the first page removes its answers; a field for
        // another page's question is ignored.
        let (after, _) = next(post(&form, 0, &c, "q-speed=3&q-prefer=1"));
        assert_eq!(after.answers.get("services"), None);
        assert_eq!(after.answers.get("ways"), None);
        assert_eq!(after.answers.get("speed"), Some(&text("faster")));
        assert_eq!(after.answers.get("prefer"), None);
    }

    #[test]
    fn answers_the_skip_logic_now_hides_are_removed() {
        let form = form();
        let c = carrying(
            &form,
            &[
                ("ways", choices(&["phone", "video"])),
                ("rate_phone", Answer::Number(4)),
                ("rate_video", Answer::Number(2)),
                ("involved", Answer::Flag(true)),
                ("contact", text("07700 900123")),
            ],
        );
        assert!(Carried::from_body(c.to_urlencoded().as_bytes(), &form).is_ok());
        // No more phone: its rating goes.
        let (after, _) = next(post(&form, 0, &c, "q-ways=video"));
        assert_eq!(after.answers.get("rate_phone"), None);
        assert_eq!(after.answers.get("rate_video"), Some(&Answer::Number(2)));
        // No to being involved: the contact details go, and the contact page is not next.
        let (after, route) = next(post(&form, 5, &c, "q-involved=1"));
        assert_eq!(after.answers.get("contact"), None);
        assert_eq!(route, Route::Check);
    }

    #[test]
    fn an_exclusive_option_ticked_with_others_asks_the_person_to_choose() {
        let form = form();
        let c = carrying(&form, &[("ways", choices(&["phone"]))]);
        let r = post(&form, 0, &c, "q-services=housing&q-services=prefer_not_to_say&q-ways=phone");
        let Ok(PagePost::Problems { carried, answers, problems }) = r else { panic!("{r:?}") };
        assert_eq!(
            problems,
            [PageProblem {
                page: 0,
                question: "services".into(),
                problem: Problem::ExclusiveWithOthers("prefer_not_to_say".into())
            }]
        );
        // Both ticks drawn again; the carried answers stay those that came, which all fit.
        assert_eq!(answers.get("services"), Some(&choices(&["housing", "prefer_not_to_say"])));
        assert_eq!(carried, c);
        // Unticking one goes on.
        let (after, _) = next(post(&form, 0, &carried, "q-services=prefer_not_to_say&q-ways=phone"));
        assert_eq!(after.answers.get("services"), Some(&choices(&["prefer_not_to_say"])));
    }

    #[test]
    fn too_long_text_is_kept_and_shown_as_a_problem() {
        let form = form();
        let long = "x".repeat(1001);
        let r = post(&form, 4, &Carried::start(&form, ID), &format!("q-keep={long}"));
        let Ok(PagePost::Problems { answers, problems, .. }) = r else { panic!("{r:?}") };
        assert_eq!(answers.get("keep"), Some(&text(&long)));
        assert_eq!(problems[0].problem, Problem::TooLong { max: 1000, length: 1001 });
    }

    #[test]
    fn a_question_revealed_on_the_same_page_is_asked_for_then_read() {
        let form = small_form();
        let start = Carried::start(&form, ID);
        let r = post(&form, 0, &start, "q-a=0");
        let Ok(PagePost::Problems { carried, answers, problems }) = r else { panic!("{r:?}") };
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].question.as_str(), &problems[0].problem), ("b", &Problem::Required));
        assert_eq!(answers.get("a"), Some(&Answer::Flag(true)));
        // The page drawn again, now with "b": both are read.
        let (c, route) = next(post(&form, 0, &carried, "q-a=0&q-b=Yes+please"));
        assert_eq!(c.answers.get("b"), Some(&text("Yes please")));
        assert_eq!(route, Route::Page("second".into()));
        // A "b" sent while "a" is No is dropped with it.
        let (c, _) = next(post(&form, 0, &start, "q-a=1&q-b=sneaked+in"));
        assert_eq!(c.answers.get("b"), None);
    }

    #[test]
    fn a_page_post_no_page_can_send_is_refused() {
        let form = form();
        let c = carrying(&form, &[("ways", choices(&["phone"]))]);
        for (page, fields, expected) in [
            (0, "q-services=carrier_pigeon", "“carrier_pigeon” is not one of the options of “services”"),
            (0, "q-services=housing&q-services=housing", "“housing” is chosen twice in “services”"),
            (1, "q-rate_phone=5", "“5” is not one of the choices of “rate_phone”"),
            (1, "q-rate_phone=-1", "“-1” is not one of the choices of “rate_phone”"),
            (1, "q-rate_phone=one", "“one” is not one of the choices of “rate_phone”"),
            (1, "q-rate_phone=", "“” is not one of the choices of “rate_phone”"),
            (1, "q-rate_phone=0&q-rate_phone=1", "“q-rate_phone” was sent more than once"),
            (3, "q-set_back=2", "“2” is not one of the choices of “set_back”"),
            (4, "q-keep=a&q-keep=b", "“q-keep” was sent more than once"),
            (6, "q-contact=x", "the page “contact” is not asked for the answers given"),
            (7, "", "this form has no page 7"),
        ] {
            assert_eq!(refused(post(&form, page, &c, fields)), [expected], "{fields}");
        }
        // Every problem on the page is listed.
        assert_eq!(refused(post(&form, 2, &c, "q-speed=9&q-how_often=9")).len(), 2);
    }

    #[test]
    fn a_change_goes_through_newly_shown_pages_then_back_to_check() {
        let form = form();
        let c = carrying(&form, &[("ways", choices(&["phone"])), ("rate_phone", Answer::Number(3))]);
        let c = c.change(&form);
        assert_eq!(c.changed_from, Some(vec![0, 1, 2, 3, 4, 5]));
        // Adding video reveals nothing new (the ratings page was shown): back to Check.
        let (after, route) = next(post(&form, 0, &c, "q-ways=phone&q-ways=video"));
        assert_eq!(route, Route::Check);
        assert_eq!(after.changed_from, None);
        assert_eq!(after.phase(), Phase::Answering);
        // From no ways at all, a new way reveals the ratings page first.
        let c = carrying(&form, &[]).change(&form);
        let (after, route) = next(post(&form, 0, &c, "q-ways=video"));
        assert_eq!(route, Route::Page("how-well".into()));
        assert_eq!(after.changed_from, Some(vec![0, 2, 3, 4, 5]));
        let (after, route) = next(post(&form, 1, &after, "q-rate_video=1"));
        assert_eq!(route, Route::Check);
        assert_eq!(after.changed_from, None);
    }

    #[test]
    fn send_takes_the_carried_id_every_time() {
        let form = form();
        let c = carrying(&form, &[("prefer", text("mix")), ("keep", text("  kind staff  "))]);
        let body = c.to_urlencoded();
        let ids: Vec<Submission> = (0..2)
            .map(|_| match post_send(&form, body.as_bytes()) {
                Ok(SendPost::Ready(c)) => c.submission(&form, "2026-11-23T10:00:00Z", "cy"),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(ids[0], ids[1], "a repeated Send is the same submission, so stored once");
        assert_eq!(ids[0].submission_id, ID);
        assert_eq!(ids[0].answers.get("keep"), Some(&text("kind staff")));
        assert!(ids[0].problems(Some(&form)).is_empty());
        // Tampered at Send: refused, nothing to store.
        let tampered = body.replace("mix", "everything");
        assert_eq!(
            refused(post_send(&form, tampered.as_bytes())),
            ["“everything” is not one of the options of “prefer”"]
        );
    }

    #[test]
    fn send_with_a_required_answer_missing_goes_to_its_page() {
        let form = small_form();
        let c = carrying(&form, &[("a", Answer::Flag(false))]);
        let r = post_send(&form, c.to_urlencoded().as_bytes());
        let Ok(SendPost::Fix { route, problems, .. }) = r else { panic!("{r:?}") };
        assert_eq!(route, Route::Page("second".into()));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].question, "r");
    }

    /// Any answers valid for `form`: each question answered or not, as the app
    /// lets a person answer it, then the skip logic applied. With `line_breaks`,
    /// text may hold "\r", which a browser's text box cannot (it sends CR LF for a
    /// line break, and a lone CR becomes one too).
    fn valid_answers(form: &Form, line_breaks: bool) -> impl Strategy<Value = Answers> {
        let form = form.clone();
        let per_question: Vec<BoxedStrategy<Option<(String, Answer)>>> = form
            .questions()
            .map(|q| {
                let id = q.id.clone();
                let answer: BoxedStrategy<Answer> = match &q.kind {
                    Kind::MultipleChoice { options } => {
                        let options = options.clone();
                        proptest::collection::vec(any::<bool>(), options.len())
                            .prop_map(move |ticks| {
                                let ticked: Vec<_> =
                                    options.iter().zip(ticks).filter(|(_, t)| *t).map(|(c, _)| c).collect();
                                // As `toggle` leaves them: an exclusive option stands alone.
                                let chosen = match ticked.iter().find(|c| c.exclusive) {
                                    Some(c) => vec![c.value.clone()],
                                    None => ticked.iter().map(|c| c.value.clone()).collect(),
                                };
                                Answer::Choices(chosen)
                            })
                            .boxed()
                    }
                    Kind::ShortText { max_length } | Kind::LongText { max_length } => {
                        let max = *max_length;
                        nasty_text()
                            .prop_map(move |s| if line_breaks { s } else { s.replace('\r', "\n") })
                            .prop_filter("an answer", |s| !s.trim().is_empty())
                            .prop_map(move |s| Answer::Text(s.chars().take(max).collect()))
                            .boxed()
                    }
                    _ => proptest::sample::select(radio_answers(q)).boxed(),
                };
                proptest::option::of(answer.prop_map(move |a| (id.clone(), a))).boxed()
            })
            .collect();
        per_question.prop_map(move |given| form.journey(&given.into_iter().flatten().collect()).answers)
    }

    /// What a browser posts for page `page` drawn with `answers`: one field per box
    /// ticked, a radio's index, and every text box (blank or not), its line breaks as CR LF.
    fn browser_post(form: &Form, page: usize, answers: &Answers) -> String {
        let mut body = form_urlencoded::Serializer::new(String::new());
        for q in form.visible_questions(page, answers) {
            let name = question_field(&q.id);
            let given = answers.get(&q.id);
            match &q.kind {
                Kind::MultipleChoice { options } => {
                    for c in options.iter().filter(|c| given.is_some_and(|a| a.includes(&c.value))) {
                        body.append_pair(&name, &c.value);
                    }
                }
                Kind::ShortText { .. } | Kind::LongText { .. } => {
                    let typed = given.and_then(Answer::as_text).unwrap_or_default();
                    body.append_pair(&name, &typed.replace('\n', "\r\n"));
                }
                _ => {
                    if let Some(i) = radio_answers(q).iter().position(|a| Some(a) == given) {
                        body.append_pair(&name, &i.to_string());
                    }
                }
            }
        }
        body.finish()
    }

    proptest! {
        #[test]
        fn carried_goes_round_fields_and_a_body(
            answers in valid_answers(&form(), true),
            id in any::<[u8; 16]>(),
            easy_read in any::<bool>(),
            changed_from in proptest::option::of(proptest::sample::subsequence((0..7).collect::<Vec<usize>>(), 0..=7)),
        ) {
            let form = form();
            let carried = Carried { answers, easy_read, changed_from, ..Carried::start(&form, &uuid_v4_from_bytes(id)) };
            let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(carried.fields()).finish();
            prop_assert_eq!(Carried::from_body(body.as_bytes(), &form), Ok(carried));
        }

        /// Continue on any page shown, with the page posted as drawn: nothing changes.
        #[test]
        fn posting_a_page_as_drawn_changes_no_answer(answers in valid_answers(&form(), false)) {
            let form = form();
            let carried = Carried { answers: answers.clone(), ..Carried::start(&form, ID) };
            for page in form.journey(&answers).pages {
                let body = format!("{}&{}", carried.to_urlencoded(), browser_post(&form, page, &answers));
                let merged = merge_page(&form, page, &answers, &parse_body(body.as_bytes()));
                prop_assert_eq!(merged.as_ref(), Ok(&answers), "page {}", page);
                let goes_on = matches!(post_page(&form, page, body.as_bytes()), Ok(PagePost::Next { .. }));
                prop_assert!(goes_on, "page {}", page);
            }
        }
    }
}
