/// Where a person is in the journey, as kept in the address's `#` part, so the
/// browser's Back and Forward buttons move between pages and any static host works.
///
/// ```
/// use feedback_model::Route;
/// assert_eq!(Route::from_hash("#/page/ways"), Route::Page("ways".into()));
/// assert_eq!(Route::Page("ways".into()).to_hash(), "#/page/ways");
/// assert_eq!(Route::from_hash("#/nonsense"), Route::Start);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Start,
    Page(String),
    Check,
    Sent,
}

impl Route {
    /// Reads a `location.hash`; anything unknown is the start page.
    pub fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        match path.split('/').collect::<Vec<_>>().as_slice() {
            ["", "page", id] if crate::is_identifier(id) => Route::Page((*id).to_owned()),
            ["", "check"] => Route::Check,
            ["", "sent"] => Route::Sent,
            _ => Route::Start,
        }
    }

    pub fn to_hash(&self) -> String {
        match self {
            Route::Start => "#/".into(),
            Route::Page(id) => format!("#/page/{id}"),
            Route::Check => "#/check".into(),
            Route::Sent => "#/sent".into(),
        }
    }
}
