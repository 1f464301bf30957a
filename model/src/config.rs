use crate::{is_identifier, Text};
use serde::Deserialize;

/// The deployment's `config.json`, read when the app starts, so a deployment can
/// change it without rebuilding.
///
/// The endpoint comes only from this file, never from the page's address, so a
/// link cannot send someone's answers elsewhere.
///
/// ```
/// use feedback_model::Config;
/// let c = Config::parse(r#"{"endpoint": "/api/submissions", "form": "remote-support",
///   "organisation": {"name": "Leeds Together"}}"#).unwrap();
/// assert_eq!(c.form_path(), "forms/remote-support.json");
/// let errors = Config::parse(r#"{"endpoint": "javascript:alert(1)", "form": "../x", "organisation": {"name": "X"}}"#).unwrap_err();
/// assert_eq!(errors.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where answers are posted: a path on this site (`/api/submissions`) or an
    /// `https://` address (plain `http://` is allowed for local testing).
    pub endpoint: String,
    /// The id of the form to show; read from `forms/{form}.json`.
    pub form: String,
    /// Who is asking.
    pub organisation: Organisation,
    /// "If you need help now": shown on the confirmation page.
    #[serde(default)]
    pub help: Vec<HelpContact>,
    /// Where "Exit this page" goes: a neutral site that raises no questions if
    /// someone looks at the screen. Defaults to [`DEFAULT_EXIT_URL`].
    #[serde(default = "default_exit_url")]
    pub exit_url: String,
    /// Whether answers in progress are kept on the device, so a reload or a
    /// closed tab loses nothing (default `true`). Turn it off for shared devices,
    /// such as a tablet passed from person to person.
    #[serde(default = "yes")]
    pub drafts: bool,
}

fn yes() -> bool {
    true
}

/// BBC Weather, as the GOV.UK "Exit this page" pattern suggests.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

fn default_exit_url() -> String {
    DEFAULT_EXIT_URL.to_owned()
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: Text,
}

/// Someone to contact for help now.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HelpContact {
    pub name: Text,
    #[serde(default)]
    pub description: Option<Text>,
    /// A phone number as people would dial it.
    #[serde(default)]
    pub phone: Option<String>,
    /// An `https://` address.
    #[serde(default)]
    pub url: Option<String>,
    /// When they can be reached, for example "24 hours a day".
    #[serde(default)]
    pub hours: Option<Text>,
}

impl Config {
    /// Reads `config.json`, listing every problem.
    pub fn parse(json: &str) -> Result<Config, Vec<String>> {
        let c: Config = serde_json::from_str(json).map_err(|e| vec![format!("config.json: {e}")])?;
        let mut e = Vec::new();
        if !is_endpoint(&c.endpoint) {
            e.push(format!(
                "config.json: the endpoint “{}” must be a path on this site starting with / or an https:// address",
                c.endpoint
            ));
        }
        if !is_identifier(&c.form) {
            e.push(format!("config.json: the form “{}” must be a form id (a-z, 0-9, - and _)", c.form));
        }
        if !c.exit_url.starts_with("https://") || c.exit_url.len() <= "https://".len() {
            e.push(format!("config.json: the exit_url “{}” must be an https:// address", c.exit_url));
        }
        for h in &c.help {
            let name = h.name.get("en");
            if let Some(u) = &h.url {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    e.push(format!("config.json: the help address for “{name}” must start with https://"));
                }
            }
            if let Some(p) = &h.phone {
                if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
                    e.push(format!("config.json: the phone number for “{name}” may hold only digits, spaces and + ( ) -"));
                }
            }
        }
        if e.is_empty() {
            Ok(c)
        } else {
            Err(e)
        }
    }

    /// The form file's path, relative to the app.
    pub fn form_path(&self) -> String {
        format!("forms/{}.json", self.form)
    }
}

fn is_endpoint(s: &str) -> bool {
    let safe = !s.is_empty() && s.len() <= 2048 && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    let relative = s.starts_with('/') && !s.starts_with("//");
    let absolute = ["https://", "http://"].iter().any(|p| s.starts_with(p) && s.len() > p.len());
    safe && (relative || absolute)
}

impl HelpContact {
    /// A `tel:` link for the phone number, without spaces.
    pub fn tel_href(&self) -> Option<String> {
        self.phone.as_ref().map(|p| format!("tel:{}", p.chars().filter(|c| !c.is_whitespace()).collect::<String>()))
    }
}
