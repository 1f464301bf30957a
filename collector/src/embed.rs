//! The page's policy and embedding, as config.json and the app's `index.html` give them: the
//! `Content-Security-Policy` on every reply ([`content_security_policy`]: what the page may load and run,
//! where it may send answers, which sites may frame it, as config.json's `embed` allows) and which
//! partners' labels a submission may carry as its `source`.
//!
//! config.json and index.html are read from the app's folder (`--static`), as the app reads them, and
//! read again whenever either's modification time or length changes, so an edit (a new partner, a new
//! endpoint, a new build) takes effect on the next request, with no restart. A config.json that is
//! missing or broken never stops the collector answering: only the form's own site may then frame it,
//! answers go only to the site itself, and the broken file is logged once (each time it changes).

use axum::http::HeaderValue;
use feedback_model::{Config, Embed, Encryption, Submission};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

/// What the collector does with config.json's `embed`, as last read.
#[derive(Debug)]
pub(crate) struct Read {
    /// The embedding settings, or `None` when there is no config.json to read them from (no
    /// `--static`, or it is missing or broken).
    pub(crate) embed: Option<Embed>,
    /// The `Content-Security-Policy` header for every reply.
    pub(crate) policy: HeaderValue,
    /// config.json's `encryption`: the key a plain payload is refused for (and a page with no app's answers are
    /// sealed for), and the key ids an envelope may carry. Kept from the last readable config.json while the
    /// file is missing or broken, so a mistake in an edit never lets answers be stored in clear.
    pub(crate) encryption: Option<Encryption>,
}

/// config.json's file, when it was last read: its modification time and length (a file being written
/// changes one or the other, so a half-written file read between two changes is read again).
type Stamp = Option<(Option<SystemTime>, u64)>;

/// config.json's embedding settings and the page's policy, read again when config.json or index.html changes.
#[derive(Debug)]
pub(crate) struct Settings {
    /// The app's folder (`--static`); `None` when the collector serves no app.
    dir: Option<PathBuf>,
    /// The files' stamps when they were last read (`None` before the first read), and what they gave.
    last: Mutex<(Option<[Stamp; 2]>, Arc<Read>)>,
}

impl Settings {
    /// The settings of the config.json and index.html in `static_dir` (none without one).
    pub(crate) fn new(static_dir: Option<&std::path::Path>) -> Settings {
        let nothing = Arc::new(Read {
            embed: None,
            policy: content_security_policy(&Page::default(), None, &[]),
            encryption: None,
        });
        Settings { dir: static_dir.map(std::path::Path::to_path_buf), last: Mutex::new((None, nothing)) }
    }

    /// The settings now: read again if a file changed since it was last read. The check is two `stat`s per
    /// request, made here rather than on a blocking thread: they take microseconds, less than handing it over.
    pub(crate) fn now(&self) -> Arc<Read> {
        let Some(dir) = &self.dir else {
            return Arc::clone(&self.last.lock().unwrap_or_else(PoisonError::into_inner).1);
        };
        let stamp = |name: &str| std::fs::metadata(dir.join(name)).ok().map(|m| (m.modified().ok(), m.len()));
        let stamps = [stamp("config.json"), stamp("index.html")];
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        if last.0 != Some(stamps) {
            let page = std::fs::read_to_string(dir.join("index.html")).map(|html| Page::of(&html)).unwrap_or_default();
            let (embed, endpoint, origins, encryption) = read(&dir.join("config.json"));
            let policy = content_security_policy(&page, endpoint.as_deref(), &origins);
            let encryption = encryption.unwrap_or_else(|| last.1.encryption.clone());
            *last = (Some(stamps), Arc::new(Read { embed, policy, encryption }));
        }
        Arc::clone(&last.1)
    }
}

/// What of the app's `index.html` the policy must allow by its hash: the contents of its inline scripts
/// (the loader, the service worker's registration) and styles (the inlined CSS), as the build wrote them.
/// Data blocks (`<script type="application/json">`, which the collector's pages add) are never run, so
/// they need none.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Page {
    scripts: Vec<String>,
    styles: Vec<String>,
}

impl Page {
    pub(crate) fn of(html: &str) -> Page {
        let inline = |tag: &str, skip: &dyn Fn(&str) -> bool| {
            let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
            let mut found = Vec::new();
            let mut rest = html;
            while let Some(at) = rest.find(&open) {
                let after = &rest[at + open.len()..];
                let (Some(end), true) = (after.find('>'), after.starts_with([' ', '>'])) else {
                    rest = after;
                    continue;
                };
                let attributes = &after[..end];
                let body = &after[end + 1..];
                let Some(stop) = body.find(&close) else { break };
                if !skip(attributes) {
                    found.push(hash(&body[..stop]));
                }
                rest = &body[stop + close.len()..];
            }
            found
        };
        Page {
            scripts: inline("script", &|a| a.contains("src=") || a.contains("application/json")),
            styles: inline("style", &|_| false),
        }
    }
}

/// `'sha256-…'`, as a policy names an inline script or style.
fn hash(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(text.as_bytes())))
}

/// What [`read`] gives: `embed`, the endpoint, the origins that may frame the form, and `encryption` (`None`
/// when the file could not be read, so the last one read is kept).
type FromConfig = (Option<Embed>, Option<String>, Vec<String>, Option<Option<Encryption>>);

/// Reads config.json's `embed`, its endpoint, the origins that may frame the form, and its `encryption`, logging
/// what is wrong. A file that cannot be read or is broken gives no settings (only this site may frame the form,
/// answers go only to it, and no label is refused) and leaves encryption as it was; a wrong label or origin in
/// `embed` ([`Embed::problems`]) lets only this site frame the form, and labels are still checked against the
/// list as it is.
fn read(file: &std::path::Path) -> FromConfig {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            crate::routes::log(&format!(
                "{} could not be read ({e}), so only this site may show the form in a frame, and no partner's \
                 label (source) is checked",
                file.display()
            ));
            return (None, None, Vec::new(), None);
        }
    };
    let config = match Config::parse(&text) {
        Ok(config) => config,
        Err(problems) => {
            crate::routes::log(&format!(
                "{} is broken, so only this site may show the form in a frame, and no partner's label (source) \
                 is checked: {}",
                file.display(),
                problems.join("; ")
            ));
            return (None, None, Vec::new(), None);
        }
    };
    let (embed, endpoint, encryption) = (config.embed, Some(config.endpoint), Some(config.encryption));
    let problems = embed.problems();
    if problems.is_empty() {
        let origins = embed.allowed_origins.clone();
        return (Some(embed), endpoint, origins, encryption);
    }
    crate::routes::log(&format!(
        "{} has mistakes in embed, so only this site may show the form in a frame until they are put right: {}",
        file.display(),
        problems.join("; ")
    ));
    (Some(embed), endpoint, Vec::new(), encryption)
}

/// The origin of an endpoint on another site (`https://host[:port]`), for `connect-src`; none for a path on
/// this site (config.json's endpoint is a path starting with `/` or an `http(s)://` address).
fn endpoint_origin(endpoint: &str) -> Option<&str> {
    let scheme = ["https://", "http://"].into_iter().find(|p| endpoint.starts_with(p))?;
    let host_end = endpoint[scheme.len()..].find(['/', '?', '#']).map_or(endpoint.len(), |i| scheme.len() + i);
    Some(&endpoint[..host_end])
}

/// The `Content-Security-Policy` header, the same on every reply: nothing but what the form uses.
/// - scripts only from the site itself, WebAssembly, and the page's own inline scripts by their hashes
///   (`index.html` as built: the loader and the service worker's registration), so a text that somehow
///   became markup could run nothing;
/// - styles from the site and the page's inlined CSS by its hash; pictures from the site and `data:`;
///   answers sent only to the site and the configured endpoint's origin; the manifest from the site (the
///   service worker is a script from the site: `worker-src` falls back to `script-src`); no `<base>`, and forms posted only to the site (the pages that need no app);
/// - `frame-ancestors`: the form's own site and each origin config.json's `embed.allowed_origins` lists,
///   so no other site can show the form in a frame (to trick a person into pressing its buttons).
///
/// A value that cannot be in a header (never, as config.json was checked) leaves the strictest policy.
pub(crate) fn content_security_policy(page: &Page, endpoint: Option<&str>, allowed_origins: &[String]) -> HeaderValue {
    let join = |items: &[String]| items.iter().map(|i| format!(" {i}")).collect::<String>();
    let connect = endpoint.and_then(endpoint_origin).map(|o| format!(" {o}")).unwrap_or_default();
    let policy = format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{}; style-src 'self'{}; img-src 'self' data:; \
         connect-src 'self'{connect}; manifest-src 'self'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'self'{}",
        join(&page.scripts),
        join(&page.styles),
        join(allowed_origins),
    );
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(STRICTEST))
}

/// The policy when nothing else can be given: the site's own files only.
const STRICTEST: &str = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

impl Read {
    /// Why a received submission's `source` is not taken: a well-formed label that config.json's
    /// `embed.sources` does not list. (A label that is not well formed is one of the submission's own
    /// [`problems`](Submission::problems).) When config.json cannot be read, no label is refused: the
    /// person's answers are not lost to a mistake in a file they cannot see.
    pub(crate) fn source_problem(&self, submission: &Submission) -> Option<String> {
        let source = submission.source.as_deref().filter(|s| feedback_model::is_source(s))?;
        let embed = self.embed.as_ref()?;
        embed
            .source_for(Some(source))
            .is_none()
            .then(|| format!("source “{source}” is not one of config.json's embed.sources"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy's `frame-ancestors` directive.
    fn frame_ancestors(policy: &HeaderValue) -> &str {
        policy.to_str().unwrap().split("; ").find(|d| d.starts_with("frame-ancestors")).unwrap()
    }

    #[test]
    fn the_policy_lists_this_site_and_each_allowed_origin() {
        let none = Page::default();
        assert_eq!(frame_ancestors(&content_security_policy(&none, None, &[])), "frame-ancestors 'self'");
        let two = ["https://hostel-a.example".to_owned(), "http://localhost:8080".to_owned()];
        assert_eq!(
            frame_ancestors(&content_security_policy(&none, None, &two)),
            "frame-ancestors 'self' https://hostel-a.example http://localhost:8080"
        );
        assert_eq!(content_security_policy(&none, None, &["https://a.example\n".to_owned()]), STRICTEST);
    }

    #[test]
    fn the_policy_allows_the_pages_own_inline_script_and_style_by_hash_and_the_endpoints_origin() {
        let html = r#"<html><head><style>p{color:red}</style><script type="module">go()</script>
            <script src="x.js"></script><script type="application/json" id="boot-config">{"a":1}</script>
            <scripted>not a script</scripted></head><body><script>if (1) f()</script></body></html>"#;
        let page = Page::of(html);
        // `echo -n 'go()' | openssl dgst -sha256 -binary | base64`, and the same for the others.
        assert_eq!(page.scripts, [hash("go()"), hash("if (1) f()")]);
        assert_eq!(page.styles, [hash("p{color:red}")]);
        assert_eq!(hash("go()"), "'sha256-5KYv+PUboo5h+0+YAtGRPbwv5d/QxzHslP4YGnUaxRw='");
        let policy = content_security_policy(&page, Some("https://forms.example.org:8443/api/submissions"), &[]);
        assert_eq!(
            policy,
            format!(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' {} {}; style-src 'self' {}; \
                 img-src 'self' data:; connect-src 'self' https://forms.example.org:8443; manifest-src 'self'; \
                 base-uri 'none'; form-action 'self'; frame-ancestors 'self'",
                hash("go()"),
                hash("if (1) f()"),
                hash("p{color:red}")
            )
            .as_str()
        );
        let on_this_site = content_security_policy(&page, Some("/api/submissions"), &[]);
        assert!(on_this_site.to_str().unwrap().contains("connect-src 'self';"), "{on_this_site:?}");
    }

    #[test]
    fn a_mistake_in_embed_lets_only_this_site_frame_the_form_and_labels_are_still_checked() {
        let dir = tempfile::tempdir().unwrap();
        let config = |embed: &str| {
            format!(
                r#"{{"endpoint": "/api/submissions", "form": "f", "organisation": {{"name": "X"}}, "embed": {embed}}}"#
            )
        };
        std::fs::write(
            dir.path().join("config.json"),
            config(
                r#"{"sources": ["hostel-a"], "allowed_origins": ["https://hostel-a.example", "https://*.example"]}"#,
            ),
        )
        .unwrap();
        let settings = Settings::new(Some(dir.path()));
        let read = settings.now();
        assert_eq!(frame_ancestors(&read.policy), "frame-ancestors 'self'");
        assert_eq!(read.embed.as_ref().map(|e| e.sources.clone()), Some(vec!["hostel-a".to_owned()]));
        std::fs::write(dir.path().join("config.json"), config(r#"{"allowed_origins": ["https://hostel-a.example"]}"#))
            .unwrap();
        assert_eq!(
            frame_ancestors(&settings.now().policy),
            "frame-ancestors 'self' https://hostel-a.example",
            "read again: its length changed"
        );
        assert_eq!(
            frame_ancestors(&Settings::new(None).now().policy),
            "frame-ancestors 'self'",
            "no app's folder, no config.json"
        );
    }

    #[test]
    fn a_source_is_refused_only_when_config_json_is_read_and_does_not_list_it() {
        let submission = |source: Option<&str>| Submission {
            source: source.map(str::to_owned),
            ..serde_json::from_str(
                r#"{"schema_version":1,"submission_id":"0f8fad5b-d9cb-469f-a165-70867728950e","form_id":"f",
                "form_version":"1","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{}}"#,
            )
            .unwrap()
        };
        let listed = Read {
            embed: Some(Embed { sources: vec!["hostel-a".into()], allowed_origins: vec![] }),
            policy: content_security_policy(&Page::default(), None, &[]),
            encryption: None,
        };
        assert_eq!(listed.source_problem(&submission(Some("hostel-a"))), None);
        assert_eq!(listed.source_problem(&submission(None)), None);
        assert_eq!(
            listed.source_problem(&submission(Some("hostel-b"))).as_deref(),
            Some("source “hostel-b” is not one of config.json's embed.sources")
        );
        assert_eq!(listed.source_problem(&submission(Some("Not A Label"))), None, "its shape is another problem");
        let unread = Read { embed: None, ..listed };
        assert_eq!(unread.source_problem(&submission(Some("hostel-b"))), None);
    }
}
