//! The screens of a form answered without the app (issue 11): which screen a server
//! page shows, what it carries, and where each of its buttons leads.
//!
//! Every server page is at one address (the form's own, `/`): each button posts the
//! page's form there, with the screen it was on ([`SCREEN_FIELD`]), what it carries
//! ([`Carried`]) and which button was pressed ([`DO_FIELD`]), and the reply is the next
//! screen. No answer is ever in an address, so none is in the browser's history, a
//! server's log or a `Referer`. [`post`] is the whole of it, in plain Rust.
//!
//! [`Resume`] is what a drawn page tells the app that takes it over: the screen, the
//! answers shown and the phase, so the app carries on exactly where the page was.
//!
//! ```
//! use feedback_model::{post, Carried, Form, Posted, Route, Screen};
//! let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
//! let start = Screen::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
//! // "Start now" on the start page: the browser posts the hidden fields and the button.
//! let body = format!("{}&do=start", start.to_urlencoded());
//! let Ok(Posted::Show(first)) = post(&form, body.as_bytes()) else { panic!() };
//! assert_eq!(first.resume.route, Route::Page("your-support".into()));
//! // Its "Back": the start page again, with the same id.
//! let back = format!("{}&do=back", first.to_urlencoded());
//! let Ok(Posted::Show(again)) = post(&form, back.as_bytes()) else { panic!() };
//! assert_eq!((again.resume.route, again.carried.submission_id), (Route::Start, start.carried.submission_id));
//! ```

use crate::carried::{parse_body, post_page, post_send, short, single, Carried, PagePost, Refused, SendPost};
use crate::read::{string, Fields};
use crate::{json_string, Answers, Form, Phase, Route};
use serde_json::Value;

/// The screen a posted page was on: the route, as in the app's address after `#`
/// (`/`, `/page/{id}`, `/check`).
pub const SCREEN_FIELD: &str = "carry-screen";
/// The button pressed: its `name`. The value is one of [`Action`]'s.
pub const DO_FIELD: &str = "do";

/// The buttons of a server page, by the value they post in [`DO_FIELD`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// "Start now" (`start`), on the start page.
    Start,
    /// "Continue" on a question page: the button, or Enter in a field, which posts no
    /// `do` (the page's first button), or `continue`.
    Continue,
    /// "Back" (`back`), on a question page or Check your answers.
    Back,
    /// "Easy read" (`easy`), on any screen but the confirmation: on, or off.
    EasyRead,
    /// A "Change" on Check your answers (`change-{page}`, the page's index).
    Change(usize),
    /// "Send" (`send`), on Check your answers.
    Send,
}

impl Action {
    /// The value a button posts.
    ///
    /// ```
    /// use feedback_model::Action;
    /// assert_eq!(Action::Change(2).value(), "change-2");
    /// assert_eq!(Action::read(Some("change-2")), Some(Action::Change(2)));
    /// ```
    pub fn value(&self) -> String {
        match self {
            Action::Start => "start".into(),
            Action::Continue => "continue".into(),
            Action::Back => "back".into(),
            Action::EasyRead => "easy".into(),
            Action::Change(page) => format!("change-{page}"),
            Action::Send => "send".into(),
        }
    }

    /// The action a posted `do` names; none is "Continue" (Enter in a field).
    pub fn read(value: Option<&str>) -> Option<Action> {
        Some(match value {
            None | Some("continue") => Action::Continue,
            Some("start") => Action::Start,
            Some("back") => Action::Back,
            Some("easy") => Action::EasyRead,
            Some("send") => Action::Send,
            Some(other) => Action::Change(other.strip_prefix("change-")?.parse().ok()?),
        })
    }
}

/// What the app needs to carry on from a page the server drew: the screen, the answers
/// its fields show, easy read, the phase, and whether the page shows its problems
/// (worked out again from the answers, by [`Form::page_problems`], on both sides).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resume {
    pub route: Route,
    pub answers: Answers,
    pub easy_read: bool,
    pub phase: Phase,
    /// The page shows its error summary.
    pub problems: bool,
}

/// A screen to draw: what it shows ([`Resume`]) and what its forms carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screen {
    pub resume: Resume,
    pub carried: Carried,
}

/// What a POST leads to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Draw this screen.
    Show(Screen),
    /// Send: store [`Carried::submission`], then draw the confirmation, `then`.
    Store { carried: Carried, then: Screen },
}

impl Screen {
    /// The start page of a new set of answers, under `submission_id` (a UUID v4 the server makes).
    pub fn start(form: &Form, submission_id: &str) -> Screen {
        Screen::at(Route::Start, Carried::start(form, submission_id))
    }

    /// `route` with `carried`, in the phase the app would be in on arriving there
    /// ([`Phase::arrive`] from the carried phase: answering, or changing after a Change).
    fn at(route: Route, carried: Carried) -> Screen {
        let phase = carried.phase().arrive(&route);
        Screen::of(route, carried, phase)
    }

    fn of(route: Route, carried: Carried, phase: Phase) -> Screen {
        let resume =
            Resume { route, answers: carried.answers.clone(), easy_read: carried.easy_read, phase, problems: false };
        Screen { resume, carried }
    }

    /// What every form of the screen carries, as hidden fields: [`Carried::fields`] and the screen.
    pub fn fields(&self) -> Vec<(String, String)> {
        let mut fields = self.carried.fields();
        fields.push((SCREEN_FIELD.to_owned(), self.resume.route.to_hash()[1..].to_owned()));
        fields
    }

    /// [`Screen::fields`] as a browser posts them (with no button).
    pub fn to_urlencoded(&self) -> String {
        form_urlencoded::Serializer::new(String::new()).extend_pairs(self.fields()).finish()
    }
}

/// A POST of a server page, from its body to what comes next.
///
/// The carried fields are checked as a submission's answers are ([`Carried::from_fields`]),
/// the screen must be one the answers lead to, and the button must be one of that
/// screen's: anything else is a changed or made-up request, refused with its reasons.
///
/// ```
/// use feedback_model::{post, Form, Posted, Screen};
/// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
/// let start = Screen::start(&form, "0f8fad5b-d9cb-469f-a165-70867728950e");
/// // Send from the start page: no page of ours has that button there.
/// let body = format!("{}&do=send", start.to_urlencoded());
/// assert!(post(&form, body.as_bytes()).is_err());
/// ```
pub fn post(form: &Form, body: &[u8]) -> Result<Posted, Refused> {
    let fields = parse_body(body);
    let one = |name: &str| single(&fields, name).map_err(|p| Refused(vec![p]));
    let screen = one(SCREEN_FIELD)?
        .ok_or_else(|| Refused(vec![format!("“{SCREEN_FIELD}” is missing: the page did not say which it was")]))?;
    let Some(action) = Action::read(one(DO_FIELD)?) else {
        return Err(Refused(vec![format!("no page has a button “{}”", short(one(DO_FIELD)?.unwrap_or("")))]));
    };
    let route = Route::from_hash(screen);
    if route.to_hash()[1..] != *screen || matches!(route, Route::Sent | Route::Facilitator) {
        return Err(Refused(vec![format!("“{}” is not a screen of this form", short(screen))]));
    }
    let carried = Carried::from_fields(&fields, form)?;
    let allowed = route.clone().allowed(form, &carried.answers, &carried.phase());
    if allowed != route {
        return Err(Refused(vec![format!("the screen “{}” is not asked for the answers given", short(screen))]));
    }
    let page = match &route {
        Route::Page(id) => form.page_index(id),
        _ => None,
    };
    let no_button = Refused(vec![format!("the screen “{}” has no button “{}”", short(screen), action.value())]);
    Ok(Posted::Show(match (action, &route, page) {
        (Action::EasyRead, _, _) => {
            let easy_read = !carried.easy_read;
            Screen::at(route, Carried { easy_read, ..carried })
        }
        (Action::Start, Route::Start, _) => {
            Screen::at(form.first_route(&carried.answers), Carried { changed_from: None, ..carried })
        }
        (Action::Back, _, Some(page)) => Screen::at(form.back_route(page, &carried.answers), carried),
        (Action::Back, Route::Check, _) => Screen::at(form.back_from_check(&carried.answers), carried),
        (Action::Continue, _, Some(page)) => match post_page(form, page, body)? {
            PagePost::Next { carried, route } => Screen::at(route, carried),
            PagePost::Problems { carried, answers, .. } => {
                let mut screen = Screen::at(route, carried);
                screen.resume.answers = answers;
                screen.resume.problems = true;
                screen
            }
        },
        (Action::Change(p), Route::Check, _) if form.journey(&carried.answers).pages.contains(&p) => {
            Screen::at(Route::page(form, p), carried.change(form))
        }
        (Action::Send, Route::Check, _) => match post_send(form, body)? {
            SendPost::Ready(carried) => {
                let phase = Phase::Sent { id: carried.submission_id.clone(), saved: true };
                let then = Screen::of(Route::Sent, carried.clone(), phase);
                return Ok(Posted::Store { carried, then });
            }
            SendPost::Fix { carried, route, .. } => {
                let mut screen = Screen::at(route, carried);
                screen.resume.problems = true;
                screen
            }
        },
        _ => return Err(no_button),
    }))
}

impl Resume {
    /// As a drawn page carries it for the app (in a `<script type="application/json">`).
    pub fn to_json(&self) -> String {
        let phase = match &self.phase {
            Phase::Changing { shown } => format!(r#","changing":{shown:?}"#),
            Phase::Sent { id, .. } => format!(r#","sent":{}"#, json_string(id)),
            Phase::Cleared => r#","cleared":true"#.into(),
            _ => String::new(),
        };
        format!(
            r#"{{"route":{},"answers":{},"easy":{},"problems":{}{phase}}}"#,
            json_string(&self.route.to_hash()),
            serde_json::to_string(&self.answers).unwrap_or_else(|_| "{}".into()),
            self.easy_read,
            self.problems,
        )
    }

    /// Read back in the app; `None` if it cannot be. Answers to questions `form` does not
    /// have are dropped; the rest are kept as the page showed them (even one too long,
    /// which its error message is about).
    pub fn from_json(json: &str, form: &Form) -> Option<Resume> {
        let v: Value = crate::parse_json(json).ok()?;
        let e = &mut Vec::new();
        let f = Fields::any(e, &v, String::new(), "an object")?;
        let flag = |name: &str| f.given(name).and_then(Value::as_bool).unwrap_or(false);
        let route = Route::from_hash(&f.get(e, "route", "a route", string)?);
        let answers = crate::draft::answers_in(e, f.given("answers")?, form, false)?;
        let phase = if let Some(id) = f.given("sent").and_then(Value::as_str) {
            Phase::Sent { id: id.to_owned(), saved: true }
        } else if let Some(shown) = f.given("changing").and_then(Value::as_array) {
            Phase::Changing { shown: shown.iter().filter_map(Value::as_u64).map(|p| p as usize).collect() }
        } else if flag("cleared") {
            Phase::Cleared
        } else {
            Phase::Answering.arrive(&route)
        };
        Some(Resume { route, answers, easy_read: flag("easy"), phase, problems: flag("problems") })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::nasty_text;
    use crate::Answer;
    use proptest::prelude::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn form() -> Form {
        Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap()
    }

    fn show(form: &Form, screen: &Screen, rest: &str) -> Screen {
        match post(form, format!("{}{rest}", screen.to_urlencoded()).as_bytes()) {
            Ok(Posted::Show(s)) => s,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_whole_journey_by_posts_stores_once_what_was_given() {
        let form = form();
        let start = Screen::start(&form, ID);
        let first = show(&form, &start, "&do=start");
        // Continue with nothing: "services" is required? Either way the page answers.
        let rated = show(&form, &first, "&q-ways=phone&q-services=housing");
        assert_eq!(rated.resume.route, Route::Page("how-well".into()));
        let mut screen = show(&form, &rated, "&q-rate_phone=1");
        let mut guard = 0;
        while screen.resume.route != Route::Check {
            screen = show(&form, &screen, "");
            guard += 1;
            assert!(guard < 10 && !screen.resume.problems, "{screen:?}");
        }
        assert_eq!(screen.resume.phase, Phase::Checking);
        let Ok(Posted::Store { carried, then }) = post(&form, format!("{}&do=send", screen.to_urlencoded()).as_bytes())
        else {
            panic!()
        };
        assert_eq!(carried.submission_id, ID);
        assert_eq!(carried.answers.get("ways"), Some(&Answer::Choices(vec!["phone".into()])));
        assert_eq!(then.resume.phase, Phase::Sent { id: ID.into(), saved: true });
    }

    #[test]
    fn change_goes_to_the_page_and_continue_comes_back_to_check() {
        let form = form();
        let mut screen = show(&form, &Screen::start(&form, ID), "&do=start");
        screen = show(&form, &screen, "&q-services=housing");
        while screen.resume.route != Route::Check {
            screen = show(&form, &screen, "");
        }
        let changing = show(&form, &screen, "&do=change-0");
        assert_eq!(changing.resume.route, Route::Page("your-support".into()));
        assert!(matches!(changing.resume.phase, Phase::Changing { .. }));
        let back = show(&form, &changing, "&q-services=justice");
        assert_eq!(back.resume.route, Route::Check);
        assert_eq!(back.carried.answers.get("services"), Some(&Answer::Choices(vec!["justice".into()])));
    }

    #[test]
    fn a_page_with_a_problem_is_drawn_again_with_what_was_sent() {
        let form = form();
        let first = show(&form, &Screen::start(&form, ID), "&do=start");
        let long = "x".repeat(5000);
        let mut screen = first;
        while screen.resume.route != Route::Page("anything-else".into()) {
            screen = show(&form, &screen, "");
        }
        let again = show(&form, &screen, &format!("&q-anything_else={long}"));
        assert!(again.resume.problems);
        assert_eq!(again.resume.route, screen.resume.route);
        assert_eq!(again.resume.answers.get("anything_else"), Some(&Answer::Text(long)));
        assert_eq!(again.carried.answers.get("anything_else"), None, "only answers that fit are carried");
    }

    #[test]
    fn easy_read_toggles_and_stays_on_the_screen() {
        let form = form();
        let start = Screen::start(&form, ID);
        let on = show(&form, &start, "&do=easy");
        assert!(on.carried.easy_read && on.resume.easy_read && on.resume.route == Route::Start);
        let first = show(&form, &on, "&do=start");
        assert!(first.carried.easy_read);
        assert!(!show(&form, &first, "&do=easy").carried.easy_read);
    }

    #[test]
    fn made_up_requests_are_refused_with_reasons() {
        let form = form();
        let start = Screen::start(&form, ID);
        for (body, why) in [
            (format!("{}&do=send", start.to_urlencoded()), "has no button"),
            (format!("{}&do=launch", start.to_urlencoded()), "no page has a button"),
            (start.to_urlencoded().replace("carry-screen=%2F", "carry-screen=%2Fcheck%2Fx"), "is not a screen"),
            (start.to_urlencoded().replace("carry-screen=%2F", "carry-screen=%2Fsent"), "is not a screen"),
            (start.to_urlencoded().replace("carry-screen=%2F", "carry-screen=%2Fpage%2Fcontact"), "not asked for"),
            (start.to_urlencoded().replace("&carry-screen=%2F", ""), "is missing"),
            (format!("{}&do=start&do=send", start.to_urlencoded()), "more than once"),
            (format!("{}&carry-screen=%2F&do=start", start.to_urlencoded()), "more than once"),
        ] {
            let refused = post(&form, body.as_bytes()).expect_err(&body);
            assert!(refused.0.iter().any(|r| r.contains(why)), "{body}: {refused:?}");
        }
    }

    proptest! {
        #[test]
        fn resume_round_trips(text in nasty_text(), easy: bool, problems: bool, which in 0..4usize, page in 0..7usize) {
            let form = form();
            let mut answers = Answers::default();
            answers.set("anything_else", Answer::Text(text.clone()));
            answers.set("ways", Answer::Choices(vec!["phone".into()]));
            answers.set("rate_phone", Answer::Number(3));
            answers.set("set_back", Answer::Flag(false));
            let route = Route::page(&form, page);
            let phase = match which {
                0 => Phase::Answering,
                1 => Phase::Changing { shown: vec![0, page] },
                2 => Phase::Sent { id: text, saved: true },
                _ => Phase::Cleared,
            };
            let resume = Resume { route, answers, easy_read: easy, phase, problems };
            prop_assert_eq!(Resume::from_json(&resume.to_json(), &form), Some(resume));
        }
    }
}
