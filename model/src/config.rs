#[cfg(feature = "embed-lists")]
use crate::read::strings;
use crate::read::{boolean, string, uint, Fields};
use crate::{is_identifier, is_source, Text, SOURCE_MAX_CHARS};
use serde_json::Value;

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
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where answers are posted: a path on this site (`/api/submissions`) or an
    /// `https://` address (plain `http://` is allowed for local testing).
    pub endpoint: String,
    /// The id of the form to show; read from `forms/{form}.json`.
    pub form: String,
    /// Who is asking.
    pub organisation: Organisation,
    /// "If you need help now": shown on the confirmation page.
    pub help: Vec<HelpContact>,
    /// Where "Exit this page" goes: a neutral site that raises no questions if
    /// someone looks at the screen. Defaults to [`DEFAULT_EXIT_URL`].
    pub exit_url: String,
    /// Whether answers in progress are kept on the device, so a reload or a
    /// closed tab loses nothing (default `true`). Turn it off for shared devices,
    /// such as a tablet passed from person to person.
    pub drafts: bool,
    /// Where a collector serves this form as pages that work with no app (an `https://`
    /// address), for a static host's page to link to when the app cannot start in a browser
    /// (no WebAssembly, as in Apple's Lockdown Mode). Read by `index.html`'s loader.
    pub pages_url: Option<String>,
    /// Whether this deployment runs only on devices shared between people (a peer researcher's
    /// tablet), so a freshly installed device starts shared (default `false`). A device is also
    /// shared once a facilitator has set a PIN on it, whatever this says. On a shared device
    /// nothing in progress is kept, the history holds no earlier screen, the next person starts
    /// from a clean start page, and refused answers are shown only on the facilitator's screen.
    pub shared_device: bool,
    /// On a shared device: seconds the confirmation waits before the start page comes back for
    /// the next person (default 60, from 10 to 600).
    pub next_person_seconds: u32,
    /// On a shared device: seconds with no touch or key on a question page before the warning
    /// that the answers will be cleared (default 180, from 60 to 3600). The warning itself
    /// counts down [`WARNING_SECONDS`].
    pub inactivity_seconds: u32,
    /// Embedding the form in partners' websites (`"embed"`; nothing listed when it is left out).
    pub embed: Embed,
    /// End-to-end encryption of the answers (`"encryption"`, `docs/encryption.md`): when present, Send encrypts
    /// the answers for this public key before anything is written to the device, and nothing is ever sent
    /// in plain text.
    pub encryption: Option<Encryption>,
}

/// `"encryption": {"public_key": "B…", "key_id": "k-1a2b3c4d5e6f7a8b"}` in config.json: the key the answers are
/// encrypted for (HPKE, RFC 9180: DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM; `docs/encryption.md`).
///
/// ```
/// use feedback_model::Config;
/// let key = format!("B{}", "A".repeat(86));
/// let c = Config::parse(&format!(r#"{{"endpoint": "/api/submissions", "form": "remote-support", "organisation": {{"name": "X"}},
///   "drafts": true, "encryption": {{"public_key": "{key}", "key_id": "k-1"}}}}"#)).unwrap();
/// let e = c.encryption.as_ref().unwrap();
/// assert_eq!((e.key_id.as_str(), e.drafts), ("k-1", false));
/// assert!(!c.keeps_drafts(), "with encryption, drafts are off unless encryption's own drafts turns them on");
/// let e = Config::parse(r#"{"endpoint": "/a", "form": "f", "organisation": {"name": "X"},
///   "encryption": {"public_key": "not a key", "key_id": "K 1"}}"#).unwrap_err();
/// assert_eq!(e, [
///     "config.json: encryption's public key must be a P-256 public key as keygen prints it: 87 characters of base64url (A-Z, a-z, 0-9, - and _) starting with B",
///     "config.json: encryption's key id “K 1” must be a label: a-z, 0-9, - and _, starting with a letter or digit",
/// ]);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Encryption {
    /// The public key: the uncompressed P-256 point (65 bytes, starting 0x04) in base64url without padding.
    /// Checked here for its shape; Web Crypto and the collector check it is a point on the curve.
    pub public_key: String,
    /// The key's label, sent in clear with each encrypted submission so the holder of the private key knows
    /// which key opens it.
    pub key_id: String,
    /// Labels of earlier keys the collector still takes (answers encrypted before a rotation, still waiting on
    /// devices). Read only where the lists are used (the collector).
    pub earlier_key_ids: Vec<String>,
    /// Whether answers in progress are kept on the device (in plain text: they cannot be encrypted for a key
    /// the device does not hold). Default `false`; `true` lets config.json's `drafts` decide.
    pub drafts: bool,
}

impl Config {
    /// Whether answers in progress are kept on the device: `drafts`, unless encryption is on and has not
    /// turned them back on (`"encryption": {"drafts": true}`).
    pub fn keeps_drafts(&self) -> bool {
        self.drafts && self.encryption.as_ref().is_none_or(|e| e.drafts)
    }
}

/// Whether `key` has the shape of a public key as keygen writes it: the 65 bytes of an uncompressed P-256 point
/// (first byte 0x04, so the text starts with `B`) in base64url without padding, 87 characters.
fn is_public_key(key: &str) -> bool {
    key.len() == 87 && key.starts_with('B') && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// `"embed": {"sources": ["hostel-a"], "allowed_origins": ["https://hostel-a.example"]}` in config.json:
/// which partners' websites may show the form in a frame, and the labels their pages may send with the answers.
///
/// ```
/// use feedback_model::Config;
/// let c = Config::parse(r#"{"endpoint": "/api/submissions", "form": "remote-support", "organisation": {"name": "X"},
///   "embed": {"sources": ["hostel-a"], "allowed_origins": ["https://hostel-a.example"]}}"#).unwrap();
/// assert_eq!(c.embed.source_for(Some("hostel-a")).as_deref(), Some("hostel-a"));
/// assert_eq!(c.embed.source_for(Some("somewhere-else")), None, "only a listed label is sent");
/// assert!(c.embed.problems().is_empty());
/// let e = Config::parse(r#"{"endpoint": "/a", "form": "f", "organisation": {"name": "X"},
///   "embed": {"sources": "hostel-a"}}"#).unwrap_err();
/// assert_eq!(e, ["config.json: embed's “sources” must be a list of strings"]);
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Embed {
    /// The partners' labels (1 to [`SOURCE_MAX_CHARS`](crate::SOURCE_MAX_CHARS) of a-z, 0-9, - and _, each
    /// once) that a page embedding the form may send as the answers' `source`.
    pub sources: Vec<String>,
    /// The origins whose pages may show the form in a frame (`https://host` or `https://host:port`, exactly as
    /// a browser writes an origin; `http://` only for localhost, 127.0.0.1 and \[::1\]). The collector sends
    /// them as `Content-Security-Policy: frame-ancestors`; with none, only the form's own site may frame it.
    pub allowed_origins: Vec<String>,
}

impl Embed {
    /// The `source` to send with the answers when the page was asked for `asked` (the address's `source`
    /// parameter): the label if it is one of [`Embed::sources`] and a label ([`is_source`]), otherwise none.
    pub fn source_for(&self, asked: Option<&str>) -> Option<String> {
        asked.filter(|a| is_source(a) && self.sources.iter().any(|s| s == a)).map(str::to_owned)
    }

    /// Everything wrong with the labels and origins listed, as sentences like [`Config::parse`]'s: a label
    /// that is not one ([`is_source`]), an origin that is not exactly one (`https://host` or
    /// `https://host:port` in lower case, with nothing after it; `http://` only for localhost, 127.0.0.1 and
    /// \[::1\]), and one listed twice.
    ///
    /// Not part of [`Config::parse`], so that the app does not carry it (measured: 1,542 bytes of its first
    /// load, brotli) and a mistake here does not stop the form from being answered: the app sends only a
    /// listed label that is a label, and the collector and `cargo test` (every shipped config) check it.
    /// The collector lets no site frame the form while an origin is wrong, and logs why.
    ///
    /// ```
    /// use feedback_model::Embed;
    /// let embed = Embed { sources: vec!["hostel-a".into(), "Hostel A".into()], allowed_origins: vec!["https://*.example".into()] };
    /// assert_eq!(embed.problems(), [
    ///     "config.json: embed's source “Hostel A” must be a label of 1 to 40 characters: a-z, 0-9, - and _, starting with a letter or digit",
    ///     "config.json: embed's allowed origin “https://*.example” must not hold a user name or a wildcard (*)",
    /// ]);
    /// ```
    pub fn problems(&self) -> Vec<String> {
        let mut e = Vec::new();
        for (i, s) in self.sources.iter().enumerate() {
            if !is_source(s) {
                e.push(format!(
                    "config.json: embed's source “{s}” must be a label of 1 to {SOURCE_MAX_CHARS} characters: a-z, \
                     0-9, - and _, starting with a letter or digit"
                ));
            }
            if self.sources[..i].contains(s) {
                e.push(format!("config.json: embed's source “{s}” is listed twice"));
            }
        }
        for (i, o) in self.allowed_origins.iter().enumerate() {
            if let Some(why) = origin_problem(o) {
                e.push(format!("config.json: embed's allowed origin “{o}” {why}"));
            }
            if self.allowed_origins[..i].contains(o) {
                e.push(format!("config.json: embed's allowed origin “{o}” is listed twice"));
            }
        }
        e
    }
}

/// How long the "are you still there?" warning counts down before the answers are cleared
/// (at least 60 s, as WCAG 2.2.1 asks of a timeout's warning).
pub const WARNING_SECONDS: u32 = 60;

/// BBC Weather, as the GOV.UK "Exit this page" pattern suggests.
pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

#[derive(Clone, Debug, PartialEq)]
pub struct Organisation {
    pub name: Text,
}

/// Someone to contact for help now.
#[derive(Clone, Debug, PartialEq)]
pub struct HelpContact {
    pub name: Text,
    pub description: Option<Text>,
    /// A phone number as people would dial it.
    pub phone: Option<String>,
    /// An `https://` address.
    pub url: Option<String>,
    /// When they can be reached, for example "24 hours a day".
    pub hours: Option<Text>,
}

impl Config {
    /// Reads `config.json`, listing every problem (but those of the labels and origins in `embed`, which
    /// [`Embed::problems`] lists).
    pub fn parse(json: &str) -> Result<Config, Vec<String>> {
        let v: Value = crate::parse_json(json).map_err(|e| vec![format!("config.json: {e}")])?;
        let mut e = Vec::new();
        match read_config(&mut e, &v) {
            Some(c) if e.is_empty() => Ok(c),
            _ => Err(e.into_iter().map(|p| format!("config.json: {p}")).collect()),
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

const CONFIG_FIELDS: &[&str] = &[
    "endpoint",
    "form",
    "organisation",
    "help",
    "exit_url",
    "drafts",
    "pages_url",
    "shared_device",
    "next_person_seconds",
    "inactivity_seconds",
    "embed",
    "encryption",
];
const ENCRYPTION_FIELDS: &[&str] = &["public_key", "key_id", "earlier_key_ids", "drafts"];
#[cfg(feature = "embed-lists")]
const EMBED_FIELDS: &[&str] = &["sources", "allowed_origins"];
const HELP_FIELDS: &[&str] = &["name", "description", "phone", "url", "hours"];

/// Reads the config with the model's one object reader (a derive would stop at
/// the first problem, and cost the app's download more), noting in `e` every
/// problem with each field.
fn read_config(e: &mut Vec<String>, v: &Value) -> Option<Config> {
    let shape = "a JSON object with endpoint, form and organisation";
    let f = Fields::new(e, v, "the file".into(), shape, CONFIG_FIELDS, &["endpoint", "form", "organisation"])?
        .owned_by(String::new());
    let endpoint = f.get(e, "endpoint", "a string", string);
    if let Some(s) = endpoint.as_ref().filter(|s| !is_endpoint(s)) {
        e.push(format!("the endpoint “{s}” must be a path on this site starting with / or an https:// address"));
    }
    let form = f.get(e, "form", "a string", string);
    if let Some(s) = form.as_ref().filter(|s| !is_identifier(s)) {
        e.push(format!("the form “{s}” must be a form id (a-z, 0-9, - and _)"));
    }
    let mut https = |name: &str| {
        let url = f.get(e, name, "a string", string);
        if let Some(s) = url.as_ref().filter(|s| !s.starts_with("https://") || s.len() <= "https://".len()) {
            e.push(format!("the {name} “{s}” must be an https:// address"));
        }
        url
    };
    let exit_url = https("exit_url");
    let pages_url = https("pages_url");
    let organisation = f.given("organisation").and_then(|o| read_organisation(e, o));
    let help = f.list(e, "help", "a list of contacts, each with a name", read_help);
    let drafts = f.get(e, "drafts", "true or false", boolean);
    let shared_device = f.get(e, "shared_device", "true or false", boolean);
    // Out of range reads as the wrong kind of value: one message, "… must be a whole number of seconds from 60 to 3600".
    let next_person_seconds = f.get(e, "next_person_seconds", "a whole number of seconds from 10 to 600", |v| {
        uint(v).filter(|n| (10..=600).contains(n))
    });
    let inactivity_seconds = f.get(e, "inactivity_seconds", "a whole number of seconds from 60 to 3600", |v| {
        uint(v).filter(|n| (60..=3600).contains(n))
    });
    // Only where the lists are used (the `embed-lists` feature; not in the app, which only knows the field).
    #[cfg(feature = "embed-lists")]
    let embed = f.given("embed").and_then(|v| read_embed(e, v)).unwrap_or_default();
    #[cfg(not(feature = "embed-lists"))]
    let embed = Embed::default();
    let encryption = match f.given("encryption") {
        None | Some(Value::Null) => None,
        Some(v) => Some(read_encryption(e, v)?),
    };
    Some(Config {
        endpoint: endpoint?,
        form: form?,
        organisation: organisation?,
        help: match f.given("help") {
            Some(_) => help?,
            None => Vec::new(),
        },
        exit_url: exit_url.unwrap_or_else(|| DEFAULT_EXIT_URL.to_owned()),
        drafts: drafts.unwrap_or(true),
        pages_url,
        shared_device: shared_device.unwrap_or(false),
        next_person_seconds: next_person_seconds.unwrap_or(60),
        inactivity_seconds: inactivity_seconds.unwrap_or(180),
        embed,
        encryption,
    })
}

/// Reads `encryption`: the public key and its label are required and checked; `earlier_key_ids` only where
/// the lists are used (the `embed-lists` feature: the collector); `drafts` is optional.
fn read_encryption(e: &mut Vec<String>, v: &Value) -> Option<Encryption> {
    let f = Fields::new(
        e,
        v,
        "encryption".into(),
        "an object with public_key and key_id",
        ENCRYPTION_FIELDS,
        &["public_key", "key_id"],
    )?
    .owned_by("encryption's ".into());
    let public_key = f.get(e, "public_key", "a string", string);
    if public_key.as_deref().is_some_and(|k| !is_public_key(k)) {
        e.push(
            "encryption's public key must be a P-256 public key as keygen prints it: 87 characters of base64url \
             (A-Z, a-z, 0-9, - and _) starting with B"
                .into(),
        );
    }
    let key_id = f.get(e, "key_id", "a string", string);
    let label = |e: &mut Vec<String>, id: &str| {
        if !is_identifier(id) {
            e.push(format!(
                "encryption's key id “{id}” must be a label: a-z, 0-9, - and _, starting with a letter or digit"
            ));
        }
    };
    if let Some(id) = &key_id {
        label(e, id);
    }
    #[cfg(feature = "embed-lists")]
    let earlier_key_ids = {
        let ids = f.get(e, "earlier_key_ids", "a list of strings", strings).unwrap_or_default();
        for id in &ids {
            label(e, id);
        }
        ids
    };
    #[cfg(not(feature = "embed-lists"))]
    let earlier_key_ids = Vec::new();
    let drafts = f.get(e, "drafts", "true or false", boolean).unwrap_or(false);
    Some(Encryption { public_key: public_key?, key_id: key_id?, earlier_key_ids, drafts })
}

/// Reads `embed`: an object of two lists of strings. What is in them is checked by [`Embed::problems`].
#[cfg(feature = "embed-lists")]
fn read_embed(e: &mut Vec<String>, v: &Value) -> Option<Embed> {
    let f = Fields::new(e, v, "embed".into(), "an object with sources and allowed_origins", EMBED_FIELDS, &[])?
        .owned_by("embed's ".into());
    let sources = f.get(e, "sources", "a list of strings", strings).unwrap_or_default();
    let allowed_origins = f.get(e, "allowed_origins", "a list of strings", strings).unwrap_or_default();
    Some(Embed { sources, allowed_origins })
}

/// Why `s` is not exactly an origin, as a browser writes one (`https://host` or `https://host:port`), or one
/// that `http://` is allowed for (this machine only), if it is not. Hand-written rather than with the `url`
/// crate, which the app does not otherwise carry (it would add its IDNA tables to the download), and which
/// would tidy an address rather than say what is wrong with it.
fn origin_problem(s: &str) -> Option<&'static str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Some("must be in lower case");
    }
    let (https, rest) = match (s.strip_prefix("https://"), s.strip_prefix("http://")) {
        (Some(rest), _) => (true, rest),
        (_, Some(rest)) => (false, rest),
        _ => return Some("must start with https://"),
    };
    if rest.contains(['/', '?', '#']) {
        return Some("must be only https:// and a host, with nothing after it: no path, no slash at the end, no query");
    }
    if rest.contains(['@', '*']) {
        return Some("must not hold a user name or a wildcard (*)");
    }
    // The port follows the last colon after an IPv6 address's closing bracket.
    let host_end = rest.rfind(']').map_or(0, |i| i + 1);
    let (host, port) = match rest[host_end..].find(':') {
        Some(i) => (&rest[..host_end + i], Some(&rest[host_end + i + 1..])),
        None => (rest, None),
    };
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let ipv6 = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .is_some_and(|h| h.contains(':') && h.bytes().all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.'));
    if !(ipv6 || host.len() <= 253 && host.split('.').all(label)) {
        return Some("must have a host name of a-z, 0-9, - and dots (an international name in its xn-- form)");
    }
    let default = if https { "443" } else { "80" };
    if let Some(p) = port {
        if p.starts_with('0') || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err() || p == default {
            return Some("must have a port from 1 to 65535 after its colon, and none for the scheme's own (443, 80)");
        }
    }
    if !https && !["localhost", "127.0.0.1", "[::1]"].contains(&host) {
        return Some("must start with https:// (http:// is only for localhost, 127.0.0.1 and [::1], for testing)");
    }
    None
}

fn read_organisation(e: &mut Vec<String>, v: &Value) -> Option<Organisation> {
    let at = "the organisation";
    let f = Fields::new(e, v, at.into(), "an object with a name", &["name"], &["name"])?
        .owned_by("the organisation's ".into());
    let name = f.get(e, "name", "a text", Text::from_value)?;
    Some(Organisation { name })
}

/// Reads help contact `i` (from 0).
fn read_help(e: &mut Vec<String>, i: usize, v: &Value) -> Option<HelpContact> {
    let at = format!("help contact {}", i + 1);
    let f = Fields::new(e, v, at, "an object with a name", HELP_FIELDS, &["name"])?;
    let owner = format!("{}'s ", f.at());
    let f = f.owned_by(owner);
    let name = f.get(e, "name", "a text", Text::from_value);
    let shown = name.as_ref().map_or_else(|| f.at().to_owned(), |n| n.get("en").to_owned());
    let description = f.get(e, "description", "a text", Text::from_value);
    let phone = f.get(e, "phone", "a string", string);
    if phone.as_ref().is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c))) {
        e.push(format!("the phone number for “{shown}” may hold only digits, spaces and + ( ) -"));
    }
    let url = f.get(e, "url", "a string", string);
    if url.as_ref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
        e.push(format!("the help address for “{shown}” must start with https://"));
    }
    let hours = f.get(e, "hours", "a text", Text::from_value);
    Some(HelpContact { name: name?, description, phone, url, hours })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{"endpoint": "/api/submissions", "form": "f", "organisation": {"name": "Org"}"#;

    fn with(extra: &str) -> String {
        format!("{GOOD}, {extra}}}")
    }

    #[test]
    fn defaults() {
        let c = Config::parse(&format!("{GOOD}}}")).unwrap();
        assert_eq!((c.exit_url.as_str(), c.drafts, c.help.len()), (DEFAULT_EXIT_URL, true, 0));
        let c = Config::parse(&with(
            r#""drafts": false, "help": [{"name": "H", "phone": null, "hours": {"en": "Any time"}}]"#,
        ))
        .unwrap();
        assert!(!c.drafts);
        assert_eq!(c.help[0].phone, None, "null is the same as leaving it out");
        assert_eq!(c.help[0].hours.as_ref().map(|h| h.get("en")), Some("Any time"));
    }

    #[test]
    fn pages_url_is_an_https_address_or_not_given() {
        assert_eq!(Config::parse(&format!("{GOOD}}}")).unwrap().pages_url, None);
        let c = Config::parse(&with(r#""pages_url": "https://feedback.example.org/""#)).unwrap();
        assert_eq!(c.pages_url.as_deref(), Some("https://feedback.example.org/"));
        let e = Config::parse(&with(r#""pages_url": "javascript:alert(1)""#)).unwrap_err();
        assert_eq!(e, ["config.json: the pages_url “javascript:alert(1)” must be an https:// address"]);
    }

    #[test]
    fn shared_devices() {
        let c = Config::parse(&format!("{GOOD}}}")).unwrap();
        assert_eq!((c.shared_device, c.next_person_seconds, c.inactivity_seconds), (false, 60, 180));
        let c = Config::parse(&with(r#""shared_device": true, "next_person_seconds": 30, "inactivity_seconds": 600"#))
            .unwrap();
        assert_eq!((c.shared_device, c.next_person_seconds, c.inactivity_seconds), (true, 30, 600));
        let e = Config::parse(&with(r#""shared_device": "yes", "next_person_seconds": 5, "inactivity_seconds": 1.5"#))
            .unwrap_err();
        assert_eq!(
            e,
            [
                "config.json: “shared_device” must be true or false",
                "config.json: “next_person_seconds” must be a whole number of seconds from 10 to 600",
                "config.json: “inactivity_seconds” must be a whole number of seconds from 60 to 3600",
            ]
        );
        let e = Config::parse(&with(r#""inactivity_seconds": 59"#)).unwrap_err();
        assert_eq!(e, ["config.json: “inactivity_seconds” must be a whole number of seconds from 60 to 3600"]);
    }

    #[test]
    fn every_problem_is_listed_naming_its_field() {
        let e = Config::parse(
            r#"{"endpoint": "javascript:alert(1)", "form": 3, "colour": "red", "drafts": "no",
                "help": [{"name": "Line", "url": "ftp://x", "phone": "call me", "email": "a@b"}, "Samaritans"]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                "config.json: the file has an unknown field “colour”; the fields here are endpoint, form, organisation, help, exit_url, drafts, pages_url, shared_device, next_person_seconds, inactivity_seconds, embed, encryption",
                "config.json: the file is missing “organisation”",
                "config.json: the endpoint “javascript:alert(1)” must be a path on this site starting with / or an https:// address",
                "config.json: “form” must be a string",
                "config.json: help contact 1 has an unknown field “email”; the fields here are name, description, phone, url, hours",
                "config.json: the phone number for “Line” may hold only digits, spaces and + ( ) -",
                "config.json: the help address for “Line” must start with https://",
                "config.json: help contact 2 must be an object with a name",
                "config.json: “drafts” must be true or false",
            ]
        );
    }

    #[test]
    fn wrong_shapes() {
        assert_eq!(
            Config::parse("[]").unwrap_err(),
            ["config.json: the file must be a JSON object with endpoint, form and organisation"]
        );
        assert!(Config::parse("{ not json").unwrap_err()[0].contains("line 1"));
        let e = Config::parse(
            r#"{"endpoint": "/a", "form": "f", "organisation": {"name": 1, "logo": "x"}, "help": {}, "exit_url": 5}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                "config.json: “exit_url” must be a string",
                "config.json: the organisation has an unknown field “logo”; the fields here are name",
                "config.json: the organisation's “name” must be a text",
                "config.json: “help” must be a list of contacts, each with a name",
            ]
        );
    }

    #[test]
    #[cfg(feature = "embed-lists")]
    fn embed_is_optional_and_empty_by_default() {
        let c = Config::parse(&format!("{GOOD}}}")).unwrap();
        assert_eq!(c.embed, Embed::default());
        assert_eq!((c.embed.sources.len(), c.embed.allowed_origins.len()), (0, 0));
        for empty in [r#""embed": null"#, r#""embed": {}"#, r#""embed": {"sources": null, "allowed_origins": []}"#] {
            assert_eq!(Config::parse(&with(empty)).unwrap().embed, Embed::default(), "{empty}");
        }
        let c = Config::parse(&with(
            r#""embed": {"sources": ["hostel-a", "womens_centre", "7"], "allowed_origins": ["https://hostel-a.example"]}"#,
        ))
        .unwrap();
        assert_eq!(c.embed.sources, ["hostel-a", "womens_centre", "7"]);
        assert_eq!(c.embed.allowed_origins, ["https://hostel-a.example"]);
    }

    #[test]
    #[cfg(feature = "embed-lists")]
    fn embed_has_only_its_own_fields_each_a_list_of_strings() {
        let e = Config::parse(&with(r#""embed": {"sources": "hostel-a", "allowed_origins": [1], "origins": []}"#))
            .unwrap_err();
        assert_eq!(
            e,
            [
                "config.json: embed has an unknown field “origins”; the fields here are sources, allowed_origins",
                "config.json: embed's “sources” must be a list of strings",
                "config.json: embed's “allowed_origins” must be a list of strings",
            ]
        );
        let e = Config::parse(&with(r#""embed": ["hostel-a"]"#)).unwrap_err();
        assert_eq!(e, ["config.json: embed must be an object with sources and allowed_origins"]);
    }

    #[test]
    #[cfg(feature = "embed-lists")]
    fn sources_are_labels_each_listed_once() {
        let forty = "a".repeat(SOURCE_MAX_CHARS);
        let c = Config::parse(&with(&format!(r#""embed": {{"sources": ["a", "0-b_c", "{forty}"]}}"#))).unwrap();
        assert_eq!(c.embed.sources.len(), 3);
        assert_eq!(c.embed.problems(), Vec::<String>::new());
        let c = Config::parse(&with(&format!(
            r#""embed": {{"sources": ["hostel-a", "", "Hostel A", "-a", "{forty}a", "hostel-a", "../x", "café"]}}"#
        )))
        .unwrap();
        let label = |s: &str| {
            format!(
                "config.json: embed's source “{s}” must be a label of 1 to 40 characters: a-z, 0-9, - and _, \
                 starting with a letter or digit"
            )
        };
        assert_eq!(
            c.embed.problems(),
            [
                label(""),
                label("Hostel A"),
                label("-a"),
                label(&format!("{forty}a")),
                "config.json: embed's source “hostel-a” is listed twice".into(),
                label("../x"),
                label("café"),
            ]
        );
    }

    #[test]
    #[cfg(feature = "embed-lists")]
    fn allowed_origins_are_exactly_origins() {
        let good = [
            "https://hostel-a.example",
            "https://hostel-a.example:8443",
            "https://xn--caf-dma.example",
            "https://192.0.2.1",
            "https://[2001:db8::1]:8443",
            "http://localhost:8080",
            "http://127.0.0.1:4173",
            "http://[::1]:3000",
            "http://localhost",
        ];
        let list = |origins: &[&str]| format!(r#""embed": {{"allowed_origins": {}}}"#, serde_json::json!(origins));
        let c = Config::parse(&with(&list(&good))).unwrap();
        assert_eq!(c.embed.allowed_origins, good);
        assert_eq!(c.embed.problems(), Vec::<String>::new());

        let lower = "must be in lower case";
        let scheme = "must start with https://";
        let after = "must be only https:// and a host, with nothing after it: no path, no slash at the end, no query";
        let who = "must not hold a user name or a wildcard (*)";
        let host = "must have a host name of a-z, 0-9, - and dots (an international name in its xn-- form)";
        let port = "must have a port from 1 to 65535 after its colon, and none for the scheme's own (443, 80)";
        let local = "must start with https:// (http:// is only for localhost, 127.0.0.1 and [::1], for testing)";
        let bad = [
            ("https://hostel-a.example/", after),
            ("https://hostel-a.example/embed", after),
            ("https://hostel-a.example?x=1", after),
            ("https://hostel-a.example#top", after),
            ("https://user:secret@hostel-a.example", who),
            ("https://*.hostel-a.example", who),
            ("*", scheme),
            ("HTTPS://hostel-a.example", lower),
            ("https://Hostel-A.example", lower),
            ("hostel-a.example", scheme),
            ("//hostel-a.example", scheme),
            ("ftp://hostel-a.example", scheme),
            ("https://", host),
            ("https://hostel a.example", host),
            ("https://café.example", host),
            ("https://-a.example", host),
            ("https://a..example", host),
            ("https://hostel-a.example.", host),
            ("https://[not-ipv6]", host),
            ("https://hostel-a.example:", port),
            ("https://hostel-a.example:0", port),
            ("https://hostel-a.example:08443", port),
            ("https://hostel-a.example:+8443", port),
            ("https://hostel-a.example:65536", port),
            ("https://hostel-a.example:443", port),
            ("http://localhost:80", port),
            ("http://hostel-a.example", local),
            ("http://192.0.2.1:8080", local),
            ("http://localhost.example", local),
            ("'self'", scheme),
            ("https://a.example https://b.example", after),
            ("https://a.example;script-src", host),
        ];
        let origins: Vec<&str> = bad.iter().map(|(o, _)| *o).collect();
        let e = Config::parse(&with(&list(&origins))).unwrap().embed.problems();
        let expected: Vec<String> =
            bad.iter().map(|(o, why)| format!("config.json: embed's allowed origin “{o}” {why}")).collect();
        assert_eq!(e, expected);

        let twice = Config::parse(&with(&list(&["https://a.example", "https://b.example", "https://a.example"])));
        let e = twice.unwrap().embed.problems();
        assert_eq!(e, ["config.json: embed's allowed origin “https://a.example” is listed twice"]);
    }

    #[test]
    fn only_a_listed_source_is_sent() {
        let embed = Embed { sources: vec!["hostel-a".into(), "drop-in".into()], allowed_origins: vec![] };
        assert_eq!(embed.source_for(Some("hostel-a")).as_deref(), Some("hostel-a"));
        assert_eq!(embed.source_for(Some("drop-in")).as_deref(), Some("drop-in"));
        for unlisted in ["hostel-b", "Hostel-A", "hostel-a ", "", "https://evil.example"] {
            assert_eq!(embed.source_for(Some(unlisted)), None, "{unlisted}");
        }
        // A listed label that is not one (a mistake Embed::problems names) is never sent: the collector would refuse it.
        let mistaken = Embed { sources: vec!["Hostel A".into()], allowed_origins: vec![] };
        assert_eq!(mistaken.source_for(Some("Hostel A")), None);
        assert_eq!(embed.source_for(None), None);
        assert_eq!(Embed::default().source_for(Some("hostel-a")), None, "nothing is listed by default");
    }

    /// The one rule for `null`, in config.json: an optional field that is `null`
    /// takes its default; a required one is missing.
    #[test]
    fn null_is_the_same_as_leaving_a_field_out() {
        let c = Config::parse(&with(r#""exit_url": null, "drafts": null, "help": null"#)).unwrap();
        assert_eq!((c.exit_url.as_str(), c.drafts, c.help.len()), (DEFAULT_EXIT_URL, true, 0));
        let c = Config::parse(&with(r#""help": [{"name": "H", "description": null, "url": null, "hours": null}]"#))
            .unwrap();
        assert_eq!((&c.help[0].description, &c.help[0].url, &c.help[0].hours), (&None, &None, &None));
        let e = Config::parse(
            r#"{"endpoint": null, "form": "f", "organisation": {"name": null}, "help": [{"name": null}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            e,
            [
                "config.json: the file is missing “endpoint”",
                "config.json: the organisation is missing “name”",
                "config.json: help contact 1 is missing “name”",
            ]
        );
        let e = Config::parse(r#"{"endpoint": "/a", "form": "f", "organisation": null}"#).unwrap_err();
        assert_eq!(e, ["config.json: the file is missing “organisation”"]);
    }

    #[test]
    fn encryption_reads_its_key_its_earlier_labels_and_its_own_drafts_switch() {
        let key = format!("B{}", "x".repeat(86));
        let with = |enc: &str| {
            Config::parse(&format!(
                r#"{{"endpoint": "/a", "form": "f", "organisation": {{"name": "X"}}, "encryption": {enc}}}"#
            ))
        };
        let c =
            with(&format!(r#"{{"public_key": "{key}", "key_id": "k-2", "earlier_key_ids": ["k-1"], "drafts": true}}"#))
                .unwrap();
        let e = c.encryption.clone().unwrap();
        assert_eq!(
            (e.public_key, e.key_id, e.earlier_key_ids, e.drafts),
            (key.clone(), "k-2".into(), vec!["k-1".into()], true)
        );
        assert!(c.keeps_drafts());
        assert_eq!(with("null").unwrap().encryption, None);
        assert!(with("null").unwrap().keeps_drafts());
        for (enc, problem) in [
            ("{}".to_owned(), "config.json: encryption is missing “public_key”"),
            (format!(r#"{{"public_key": "{key}"}}"#), "config.json: encryption is missing “key_id”"),
            (format!(r#"{{"public_key": "{key}A", "key_id": "k"}}"#), "config.json: encryption's public key must be"),
            (
                format!(r#"{{"public_key": "C{}", "key_id": "k"}}"#, &key[1..]),
                "config.json: encryption's public key must be",
            ),
            (
                format!(r#"{{"public_key": "{key}", "key_id": "k", "earlier_key_ids": ["Old one"]}}"#),
                "encryption's key id “Old one”",
            ),
            (
                format!(r#"{{"public_key": "{key}", "key_id": "k", "drafts": "yes"}}"#),
                "encryption's “drafts” must be true or false",
            ),
            (format!(r#"{{"public_key": "{key}", "key_id": "k", "private_key": "x"}}"#), "unknown field “private_key”"),
            (r#""key""#.to_owned(), "encryption must be an object with public_key and key_id"),
        ] {
            let problems = with(&enc).unwrap_err();
            assert!(problems.iter().any(|p| p.contains(problem)), "{enc}: {problems:?}");
        }
    }
}
