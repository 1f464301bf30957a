//! Embedding the form in partners' websites, as config.json's `embed` allows it: which pages may
//! frame the form (`Content-Security-Policy: frame-ancestors`, on every reply) and which partners'
//! labels a submission may carry as its `source`.
//!
//! config.json is read from the app's folder (`--static`), as the app reads it, and read again
//! whenever its modification time or length changes, so an edit (a new partner) takes effect on
//! the next request, with no restart. A config.json that is missing or broken never stops the
//! collector answering: only the form's own site may then frame it, and the broken file is
//! logged once (each time it changes).

use axum::http::HeaderValue;
use feedback_model::{Config, Embed, Submission};
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
}

/// config.json's file, when it was last read: its modification time and length (a file being written
/// changes one or the other, so a half-written file read between two changes is read again).
type Stamp = Option<(Option<SystemTime>, u64)>;

/// config.json's embedding settings, read again when the file changes.
#[derive(Debug)]
pub(crate) struct Settings {
    /// `<static>/config.json`; `None` when the collector serves no app.
    file: Option<PathBuf>,
    /// The file's stamp when it was last read (`None` before the first read), and what it gave.
    last: Mutex<(Option<Stamp>, Arc<Read>)>,
}

impl Settings {
    /// The settings of the config.json in `static_dir` (none without one).
    pub(crate) fn new(static_dir: Option<&std::path::Path>) -> Settings {
        let nothing = Arc::new(Read { embed: None, policy: content_security_policy(&[]) });
        Settings { file: static_dir.map(|d| d.join("config.json")), last: Mutex::new((None, nothing)) }
    }

    /// The settings now: read again if the file changed since it was last read. The check is one `stat` per
    /// request, made here rather than on a blocking thread: it takes microseconds, less than handing it over.
    pub(crate) fn now(&self) -> Arc<Read> {
        let stamp: Option<Stamp> =
            self.file.as_ref().map(|f| std::fs::metadata(f).ok().map(|m| (m.modified().ok(), m.len())));
        let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
        let (Some(file), Some(stamp)) = (&self.file, stamp) else {
            return Arc::clone(&last.1);
        };
        if last.0 != Some(stamp) {
            let (embed, policy) = read(file);
            *last = (Some(stamp), Arc::new(Read { embed, policy }));
        }
        Arc::clone(&last.1)
    }
}

/// Reads config.json's `embed` and the policy it gives, logging what is wrong. A file that cannot be read
/// or is broken gives no settings (only this site may frame the form, and no label is refused); a wrong
/// label or origin in `embed` ([`Embed::problems`]) lets only this site frame the form, and labels are
/// still checked against the list as it is.
fn read(file: &std::path::Path) -> (Option<Embed>, HeaderValue) {
    let only_this_site = content_security_policy(&[]);
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            crate::routes::log(&format!(
                "{} could not be read ({e}), so only this site may show the form in a frame, and no partner's \
                 label (source) is checked",
                file.display()
            ));
            return (None, only_this_site);
        }
    };
    let embed = match Config::parse(&text) {
        Ok(config) => config.embed,
        Err(problems) => {
            crate::routes::log(&format!(
                "{} is broken, so only this site may show the form in a frame, and no partner's label (source) \
                 is checked: {}",
                file.display(),
                problems.join("; ")
            ));
            return (None, only_this_site);
        }
    };
    let problems = embed.problems();
    if problems.is_empty() {
        let policy = content_security_policy(&embed.allowed_origins);
        return (Some(embed), policy);
    }
    crate::routes::log(&format!(
        "{} has mistakes in embed, so only this site may show the form in a frame until they are put right: {}",
        file.display(),
        problems.join("; ")
    ));
    (Some(embed), only_this_site)
}

/// The `Content-Security-Policy` header: for now only `frame-ancestors`, the form's own site and each origin
/// config.json's `embed.allowed_origins` lists, so no other site can show the form in a frame (to trick a
/// person into pressing its buttons). Issue 14's full policy is to be added here.
///
/// The origins were checked by [`Config::parse`] (each exactly an origin, with no space or `;`); one that
/// still cannot be in a header leaves the policy at the form's own site.
pub(crate) fn content_security_policy(allowed_origins: &[String]) -> HeaderValue {
    let mut policy = String::from("frame-ancestors 'self'");
    for origin in allowed_origins {
        policy.push(' ');
        policy.push_str(origin);
    }
    HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("frame-ancestors 'self'"))
}

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

    #[test]
    fn the_policy_lists_this_site_and_each_allowed_origin() {
        assert_eq!(content_security_policy(&[]), "frame-ancestors 'self'");
        let two = ["https://hostel-a.example".to_owned(), "http://localhost:8080".to_owned()];
        assert_eq!(
            content_security_policy(&two),
            "frame-ancestors 'self' https://hostel-a.example http://localhost:8080"
        );
        assert_eq!(content_security_policy(&["https://a.example\n".to_owned()]), "frame-ancestors 'self'");
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
        assert_eq!(read.policy, "frame-ancestors 'self'");
        assert_eq!(read.embed.as_ref().map(|e| e.sources.clone()), Some(vec!["hostel-a".to_owned()]));
        std::fs::write(dir.path().join("config.json"), config(r#"{"allowed_origins": ["https://hostel-a.example"]}"#))
            .unwrap();
        assert_eq!(
            settings.now().policy,
            "frame-ancestors 'self' https://hostel-a.example",
            "read again: its length changed"
        );
        assert_eq!(Settings::new(None).now().policy, "frame-ancestors 'self'", "no app's folder, no config.json");
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
            policy: content_security_policy(&[]),
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
