use crate::Phase;

/// Where a person is in the journey, as kept in the address's `#` part, so the
/// browser's Back and Forward buttons move between pages and any static host works.
///
/// ```
/// use feedback_model::Route;
/// assert_eq!(Route::from_hash("#/page/ways"), Route::Page("ways".into()));
/// assert_eq!(Route::Page("ways".into()).to_hash(), "#/page/ways");
/// assert_eq!(Route::from_hash("#/nonsense"), Route::Start);
/// assert_eq!(Route::from_hash("#/facilitator"), Route::Facilitator);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Start,
    Page(String),
    Check,
    Sent,
    /// The peer researcher's screen on a shared device (`#/facilitator`): linked from nothing a
    /// respondent sees, guarded by a PIN, drawn by `public/shared/shared.js`. Not a step of the journey.
    Facilitator,
}

impl Route {
    /// Reads a `location.hash`; anything unknown is the start page.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        match path.split('/').collect::<Vec<_>>().as_slice() {
            ["", "page", id] if crate::is_identifier(id) => Route::Page((*id).to_owned()),
            ["", "check"] => Route::Check,
            ["", "sent"] => Route::Sent,
            ["", "facilitator"] => Route::Facilitator,
            _ => Route::Start,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Start => "#/".into(),
            Route::Page(id) => format!("#/page/{id}"),
            Route::Check => "#/check".into(),
            Route::Sent => "#/sent".into(),
            Route::Facilitator => "#/facilitator".into(),
        }
    }
}

impl Route {
    /// The route to show when the address asks for `self` in `phase`: a page
    /// that is not shown for these answers (or does not exist) goes to the start,
    /// and the confirmation page is only for answers just sent ([`Phase::Sent`]).
    ///
    /// ```
    /// use feedback_model::{Answers, Form, Phase, Route};
    /// let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    /// let none = Answers::default();
    /// let answering = Phase::default();
    /// assert_eq!(Route::Page("how-well".into()).allowed(&form, &none, &answering), Route::Start);
    /// assert_eq!(Route::Page("getting-help".into()).allowed(&form, &none, &answering), Route::Page("getting-help".into()));
    /// assert_eq!(Route::Sent.allowed(&form, &none, &answering), Route::Start);
    /// let sent = Phase::Sent { id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(), saved: true };
    /// assert_eq!(Route::Sent.allowed(&form, &none, &sent), Route::Sent);
    /// ```
    pub fn allowed(self, form: &crate::Form, answers: &crate::Answers, phase: &Phase) -> Route {
        match &self {
            Route::Page(id) => match form.page_index(id) {
                Some(i) if form.journey(answers).pages.contains(&i) => self,
                _ => Route::Start,
            },
            Route::Sent if phase.sent_id().is_none() => Route::Start,
            _ => self,
        }
    }

    /// The route of the page at index `page`.
    pub fn page(form: &crate::Form, page: usize) -> Route {
        form.pages.get(page).map_or(Route::Start, |p| Route::Page(p.id.clone()))
    }
}
