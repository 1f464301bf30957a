//! The encrypted payload, its envelope (`docs/encryption.md`): what the app sends in place of a plain
//! [`Submission`] when config.json has `encryption`.
//!
//! The answers are sealed with HPKE (RFC 9180) in base mode, suite DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
//! AES-128-GCM, with [`INFO`] as the `info` and [`Envelope::aad`] as the associated data; the plaintext is the
//! plain payload's JSON text. In clear stays only what delivery exactly once and routing need: the schema
//! version, the id, the form's id and version, the time sent, the key's id, and the proof of work.
//!
//! Only the collector reads envelopes (the `envelope` feature): the app seals with the browser's Web Crypto and
//! never opens one, so its download carries none of this.

use crate::payload::{clear_problems, stamp_problem};
use crate::{is_identifier, Submission};
use base64::Engine;
use serde::{Deserialize, Serialize};

/// HPKE's `info` for every submission: binds the key schedule to this use, so a ciphertext made for another
/// purpose under the same key does not open as answers.
///
/// ```
/// assert_eq!(feedback_model::INFO, b"feedback-form submission v1");
/// ```
pub const INFO: &[u8] = b"feedback-form submission v1";

/// The length of [`EncryptedPart::enc`] once decoded: an uncompressed P-256 point (0x04, then x and y).
///
/// ```
/// assert_eq!(feedback_model::ENC_BYTES, 1 + 32 + 32);
/// ```
pub const ENC_BYTES: usize = 65;

/// The shortest [`EncryptedPart::ciphertext`] once decoded: AES-GCM's 16-byte tag, which every ciphertext
/// ends with (the plaintext is never empty, but a shorter one cannot even hold the tag).
///
/// ```
/// assert_eq!(feedback_model::MIN_CIPHERTEXT_BYTES, 16);
/// ```
pub const MIN_CIPHERTEXT_BYTES: usize = 16;

/// An encrypted submission as sent and stored: the clear fields, the sealed answers, and the proof of work.
///
/// ```
/// use feedback_model::Envelope;
/// let enc = format!("B{}", "A".repeat(86));
/// let json = format!(r#"{{"schema_version": 1, "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
///   "form_id": "remote-support", "form_version": "2026-11-23", "sent_at": "2026-11-23T10:00:00.000Z",
///   "encrypted": {{"key_id": "k-1a2b3c4d5e6f7a8b", "enc": "{enc}", "ciphertext": "AAAAAAAAAAAAAAAAAAAAAA"}},
///   "stamp": 610}}"#);
/// let e: Envelope = serde_json::from_str(&json).unwrap();
/// assert!(e.problems().is_empty(), "{:?}", e.problems());
/// assert_eq!(e.encrypted.key_id, "k-1a2b3c4d5e6f7a8b");
/// // Nothing of the answers may travel in clear beside the ciphertext.
/// let leaky = json.replacen("\"stamp\"", "\"language\": \"en\", \"stamp\"", 1);
/// assert!(serde_json::from_str::<Envelope>(&leaky).unwrap_err().to_string().contains("unknown field `language`"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// As [`Submission::schema_version`].
    pub schema_version: u32,
    /// As [`Submission::submission_id`]; also the `Idempotency-Key` header.
    pub submission_id: String,
    /// As [`Submission::form_id`].
    pub form_id: String,
    /// As [`Submission::form_version`].
    pub form_version: String,
    /// As [`Submission::sent_at`].
    pub sent_at: String,
    /// The sealed answers and what opens them.
    pub encrypted: EncryptedPart,
    /// As [`Submission::stamp`]: added by the app as it sends, outside the ciphertext.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stamp: Option<u64>,
}

/// The `encrypted` member of an [`Envelope`].
///
/// ```
/// use feedback_model::EncryptedPart;
/// let part: EncryptedPart = serde_json::from_str(r#"{"key_id": "k-1", "enc": "BA", "ciphertext": "AA"}"#).unwrap();
/// assert_eq!(part.key_id, "k-1");
/// assert!(serde_json::from_str::<EncryptedPart>(r#"{"key_id": "k-1", "enc": "BA", "ciphertext": "AA", "iv": "x"}"#).is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncryptedPart {
    /// The label of the public key the answers were sealed for (config.json's `encryption.key_id`), so the
    /// holder of the private keys knows which one opens them.
    pub key_id: String,
    /// HPKE's encapsulated key: the sender's ephemeral P-256 public key, uncompressed ([`ENC_BYTES`] bytes
    /// starting 0x04), base64url without padding.
    pub enc: String,
    /// AES-128-GCM's output, its 16-byte tag at the end, base64url without padding.
    pub ciphertext: String,
}

impl Envelope {
    /// Everything wrong with a received envelope's shape, as sentences for the sender: the clear fields as
    /// [`Submission::problems`] checks them, the key id a label ([`is_identifier`]), `enc` a P-256 point's
    /// [`ENC_BYTES`] bytes starting 0x04, and the ciphertext at least [`MIN_CIPHERTEXT_BYTES`], both base64url
    /// without padding. Whether the form is known and the key id one the deployment takes is for the receiver
    /// to say; whether the answers open is for the holder of the private key.
    ///
    /// ```
    /// use feedback_model::Envelope;
    /// let e: Envelope = serde_json::from_str(r#"{"schema_version": 1, "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    ///   "form_id": "remote-support", "form_version": "1", "sent_at": "2026-11-23T10:00:00Z",
    ///   "encrypted": {"key_id": "K 1", "enc": "BA==", "ciphertext": "short"}}"#).unwrap();
    /// assert_eq!(e.problems(), [
    ///     "encrypted.key_id must be a key's label: 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit",
    ///     "encrypted.enc must be base64url (A-Z, a-z, 0-9, - and _, no padding) of a P-256 point: 65 bytes starting 0x04",
    ///     "encrypted.ciphertext must be base64url (A-Z, a-z, 0-9, - and _, no padding) of at least 16 bytes",
    /// ]);
    /// ```
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        clear_problems(
            &mut out,
            self.schema_version,
            &self.submission_id,
            &self.form_id,
            &self.form_version,
            &self.sent_at,
        );
        stamp_problem(&mut out, self.stamp);
        let part = &self.encrypted;
        if !is_identifier(&part.key_id) {
            out.push(
                "encrypted.key_id must be a key's label: 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit"
                    .into(),
            );
        }
        let enc = decode_base64url(&part.enc);
        if !enc.is_some_and(|b| b.len() == ENC_BYTES && b[0] == 0x04) {
            out.push(format!(
                "encrypted.enc must be base64url (A-Z, a-z, 0-9, - and _, no padding) of a P-256 point: {ENC_BYTES} \
                 bytes starting 0x04"
            ));
        }
        if decode_base64url(&part.ciphertext).is_none_or(|b| b.len() < MIN_CIPHERTEXT_BYTES) {
            out.push(format!(
                "encrypted.ciphertext must be base64url (A-Z, a-z, 0-9, - and _, no padding) of at least \
                 {MIN_CIPHERTEXT_BYTES} bytes"
            ));
        }
        out
    }

    /// The associated data the answers are sealed with: [`aad`] of this envelope's clear fields, so a
    /// ciphertext moved under another id, form, version, time or key does not open.
    ///
    /// ```
    /// use feedback_model::{EncryptedPart, Envelope};
    /// let e = Envelope {
    ///     schema_version: 1, submission_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(), form_id: "f".into(),
    ///     form_version: "2".into(), sent_at: "2026-11-23T10:00:00Z".into(), stamp: None,
    ///     encrypted: EncryptedPart { key_id: "k-1".into(), enc: String::new(), ciphertext: String::new() },
    /// };
    /// assert_eq!(e.aad(), b"0f8fad5b-d9cb-469f-a165-70867728950e\nf\n2\n2026-11-23T10:00:00Z\nk-1");
    /// ```
    pub fn aad(&self) -> Vec<u8> {
        aad(&self.submission_id, &self.form_id, &self.form_version, &self.sent_at, &self.encrypted.key_id)
    }

    /// How the opened plain payload differs from its envelope, one sentence per clear field that is not the
    /// same inside (none when they match): a ciphertext cannot then be passed off under another id, form or time.
    ///
    /// ```
    /// use feedback_model::{EncryptedPart, Envelope, Submission};
    /// let opened: Submission = serde_json::from_str(r#"{"schema_version": 1, "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
    ///   "form_id": "f", "form_version": "2", "sent_at": "2026-11-23T10:00:00Z", "language": "en", "answers": {}}"#).unwrap();
    /// let e = Envelope {
    ///     schema_version: 1, submission_id: opened.submission_id.clone(), form_id: "f".into(), form_version: "3".into(),
    ///     sent_at: opened.sent_at.clone(), stamp: None,
    ///     encrypted: EncryptedPart { key_id: "k-1".into(), enc: String::new(), ciphertext: String::new() },
    /// };
    /// assert_eq!(e.mismatch(&opened), ["the opened answers' form_version “2” does not match its envelope's “3”"]);
    /// ```
    pub fn mismatch(&self, opened: &Submission) -> Vec<String> {
        [
            ("submission_id", &opened.submission_id, &self.submission_id),
            ("form_id", &opened.form_id, &self.form_id),
            ("form_version", &opened.form_version, &self.form_version),
            ("sent_at", &opened.sent_at, &self.sent_at),
        ]
        .into_iter()
        .filter(|(_, inside, outside)| inside != outside)
        .map(|(name, inside, outside)| {
            format!("the opened answers' {name} “{inside}” does not match its envelope's “{outside}”")
        })
        .collect()
    }
}

/// The associated data of a sealed submission: the UTF-8 bytes of its clear fields joined by `\n`, in this
/// order. Unambiguous for an envelope that passes [`Envelope::problems`]: the only field that may hold a line
/// break, `form_version`, sits between two that cannot (`form_id`, a label, and `sent_at`, a fixed shape).
///
/// ```
/// let aad = feedback_model::aad("0f8fad5b-d9cb-469f-a165-70867728950e", "remote-support", "2026-11-23",
///     "2026-11-23T10:00:00.000Z", "k-1a2b3c4d5e6f7a8b");
/// assert_eq!(String::from_utf8(aad).unwrap(),
///     "0f8fad5b-d9cb-469f-a165-70867728950e\nremote-support\n2026-11-23\n2026-11-23T10:00:00.000Z\nk-1a2b3c4d5e6f7a8b");
/// ```
pub fn aad(submission_id: &str, form_id: &str, form_version: &str, sent_at: &str, key_id: &str) -> Vec<u8> {
    [submission_id, form_id, form_version, sent_at, key_id].join("\n").into_bytes()
}

/// Whether a payload's JSON text is an envelope rather than a plain payload: an object with an `encrypted`
/// member (whatever its value, so a broken one is read, and refused, as an envelope). Anything else, JSON or
/// not, is read as a plain payload, which then says what is wrong with it.
///
/// ```
/// use feedback_model::is_envelope;
/// assert!(is_envelope(r#"{"submission_id": "x", "encrypted": {"key_id": "k-1"}}"#));
/// assert!(is_envelope(r#"{"encrypted": null}"#));
/// assert!(!is_envelope(r#"{"submission_id": "x", "answers": {"encrypted": true}}"#));
/// assert!(!is_envelope("[1, 2]"));
/// assert!(!is_envelope("{ not json"));
/// ```
pub fn is_envelope(text: &str) -> bool {
    /// Only whether `encrypted` is there; every other member is skipped unread.
    #[derive(Deserialize)]
    struct Probe {
        #[serde(default)]
        encrypted: Present,
    }
    #[derive(Default)]
    struct Present(bool);
    impl<'de> Deserialize<'de> for Present {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            serde::de::IgnoredAny::deserialize(d).map(|_| Present(true))
        }
    }
    // A derived struct also reads a JSON list as its fields in order, so an object is asked for first.
    text.trim_start().starts_with('{') && serde_json::from_str::<Probe>(text).is_ok_and(|p| p.encrypted.0)
}

/// The bytes of base64url text without padding (RFC 4648 §5), as the envelope and the key files write them;
/// none for anything else (padding, the other alphabet's `+` and `/`, spaces, or unused bits left set, so each
/// value has exactly one spelling).
///
/// ```
/// use feedback_model::decode_base64url;
/// assert_eq!(decode_base64url("BAD_-w").as_deref(), Some(&[0x04, 0x00, 0xff, 0xfb][..]));
/// assert_eq!(decode_base64url(""), Some(vec![]));
/// assert_eq!(decode_base64url("BA=="), None);
/// assert_eq!(decode_base64url("BB"), None, "a bit set past the last byte");
/// assert_eq!(decode_base64url("+/8"), None);
/// ```
pub fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).ok()
}

/// The base64url text without padding of `bytes`: what [`decode_base64url`] reads back.
///
/// ```
/// assert_eq!(feedback_model::encode_base64url(&[0x04, 0x00, 0xff, 0xfb]), "BAD_-w");
/// ```
pub fn encode_base64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strategies::nasty_text;
    use proptest::prelude::*;

    const ID: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";

    fn envelope() -> Envelope {
        Envelope {
            schema_version: 1,
            submission_id: ID.into(),
            form_id: "remote-support".into(),
            form_version: "2026-11-23".into(),
            sent_at: "2026-11-23T10:00:00.000Z".into(),
            encrypted: EncryptedPart {
                key_id: "k-1a2b3c4d5e6f7a8b".into(),
                enc: encode_base64url(&[[4u8].as_slice(), &[7; 64]].concat()),
                ciphertext: encode_base64url(&[9; 16]),
            },
            stamp: Some(610),
        }
    }

    #[test]
    fn a_well_formed_envelope_has_no_problems_and_each_field_is_checked() {
        assert_eq!(envelope().problems(), Vec::<String>::new());
        let with = |f: &dyn Fn(&mut Envelope)| {
            let mut e = envelope();
            f(&mut e);
            e.problems()
        };
        assert_eq!(with(&|e| e.schema_version = 2), ["schema_version 2 is not supported; this server takes 1"]);
        assert_eq!(
            with(&|e| e.submission_id = ID.to_uppercase()),
            ["submission_id must be a random UUID (version 4), in lower case"]
        );
        assert_eq!(with(&|e| e.form_id = "../x".into()), ["form_id must be a form's identifier"]);
        assert_eq!(with(&|e| e.form_version = String::new()), ["form_version must be 1 to 64 characters"]);
        assert_eq!(with(&|e| e.form_version = "v".repeat(65)), ["form_version must be 1 to 64 characters"]);
        assert_eq!(with(&|e| e.sent_at = "yesterday".into()), ["sent_at must be a UTC time like 2026-11-23T10:00:00Z"]);
        assert_eq!(with(&|e| e.stamp = Some(1 << 53)), ["stamp must be a whole number from 0 to 9007199254740991"]);
        let key =
            "encrypted.key_id must be a key's label: 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit";
        for bad in ["", "-k", "K-1", "k 1", &"k".repeat(65)] {
            assert_eq!(with(&|e| e.encrypted.key_id = bad.into()), [key], "{bad:?}");
        }
        let enc = "encrypted.enc must be base64url (A-Z, a-z, 0-9, - and _, no padding) of a P-256 point: 65 bytes \
                   starting 0x04";
        let point = |first: u8, len: usize| encode_base64url(&[[first].as_slice(), &vec![7; len - 1]].concat());
        for bad in
            [point(2, 33), point(3, 65), point(4, 64), point(4, 66), format!("{}=", point(4, 65)), "not base64!".into()]
        {
            assert_eq!(with(&|e| e.encrypted.enc = bad.clone()), [enc], "{bad:?}");
        }
        let ct = "encrypted.ciphertext must be base64url (A-Z, a-z, 0-9, - and _, no padding) of at least 16 bytes";
        for bad in [
            encode_base64url(&[1; 15]),
            String::new(),
            "AAAAAAAAAAAAAAAAAAAAAA==".into(),
            "AAAA AAAA AAAA AAAA AAAA AA".into(),
        ] {
            assert_eq!(with(&|e| e.encrypted.ciphertext = bad.clone()), [ct], "{bad:?}");
        }
        assert_eq!(with(&|e| e.encrypted.ciphertext = encode_base64url(&[1; 16])), Vec::<String>::new());
    }

    #[test]
    fn the_aad_is_the_clear_fields_in_order_and_changes_with_each() {
        let e = envelope();
        assert_eq!(
            e.aad(),
            format!("{ID}\nremote-support\n2026-11-23\n2026-11-23T10:00:00.000Z\nk-1a2b3c4d5e6f7a8b").into_bytes()
        );
        let changed: [&dyn Fn(&mut Envelope); 5] = [
            &|e| e.submission_id = crate::uuid_v4_from_bytes([1; 16]),
            &|e| e.form_id = "other".into(),
            &|e| e.form_version = "2026-11-24".into(),
            &|e| e.sent_at = "2026-11-23T10:00:01.000Z".into(),
            &|e| e.encrypted.key_id = "k-2".into(),
        ];
        for change in changed {
            let mut other = envelope();
            change(&mut other);
            assert_ne!(other.aad(), e.aad());
        }
        // The proof of work and the ciphertext itself are not associated data.
        let other = Envelope { stamp: None, ..envelope() };
        assert_eq!(other.aad(), e.aad());
    }

    #[test]
    fn the_opened_payload_must_carry_the_envelopes_clear_fields() {
        let e = envelope();
        let json = format!(
            r#"{{"schema_version":1,"submission_id":"{ID}","form_id":"remote-support","form_version":"2026-11-23",
            "sent_at":"2026-11-23T10:00:00.000Z","language":"en","answers":{{}}}}"#
        );
        let inside: Submission = serde_json::from_str(&json).unwrap();
        assert_eq!(e.mismatch(&inside), Vec::<String>::new());
        let moved =
            Submission { submission_id: crate::uuid_v4_from_bytes([1; 16]), form_id: "x".into(), ..inside.clone() };
        assert_eq!(
            e.mismatch(&moved),
            [
                format!(
                    "the opened answers' submission_id “{}” does not match its envelope's “{ID}”",
                    moved.submission_id
                ),
                "the opened answers' form_id “x” does not match its envelope's “remote-support”".into(),
            ]
        );
        let later = Submission { sent_at: "2026-11-24T10:00:00Z".into(), ..inside };
        assert_eq!(
            e.mismatch(&later),
            ["the opened answers' sent_at “2026-11-24T10:00:00Z” does not match its envelope's “2026-11-23T10:00:00.000Z”"]
        );
    }

    #[test]
    fn plain_payloads_and_envelopes_are_told_apart_by_encrypted() {
        let text = serde_json::to_string(&envelope()).unwrap();
        assert!(is_envelope(&text));
        let plain = format!(
            r#"{{"schema_version":1,"submission_id":"{ID}","form_id":"f","form_version":"1","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{{"encrypted":"no"}}}}"#
        );
        assert!(!is_envelope(&plain));
        assert!(serde_json::from_str::<Submission>(&plain).is_ok());
        // An envelope that also carries answers in clear is an envelope, refused for the unknown field.
        let leaky = text.replacen('{', r#"{"answers":{"a":"secret"},"#, 1);
        assert!(is_envelope(&leaky));
        let e = serde_json::from_str::<Envelope>(&leaky).unwrap_err().to_string();
        assert!(e.contains("unknown field `answers`"), "{e}");
        for not_an_object in ["", "null", "\"encrypted\"", "[{\"encrypted\":1}]", "{\"encrypted\":"] {
            assert!(!is_envelope(not_an_object), "{not_an_object:?}");
        }
    }

    /// Base64url text: mostly of bytes (so well formed), sometimes any text.
    fn any_base64() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => proptest::collection::vec(any::<u8>(), 0..100).prop_map(|b| encode_base64url(&b)),
            1 => nasty_text(),
        ]
    }

    /// Any envelope: every text field any text (checked or not), any numbers.
    fn any_envelope() -> impl Strategy<Value = Envelope> {
        let clear = (any::<u32>(), nasty_text(), nasty_text(), nasty_text(), nasty_text());
        let part = (nasty_text(), any_base64(), any_base64()).prop_map(|(key_id, enc, ciphertext)| EncryptedPart {
            key_id,
            enc,
            ciphertext,
        });
        let stamp = proptest::option::of(prop_oneof![any::<u64>(), Just(crate::stamp::MAX_STAMP)]);
        (clear, part, stamp).prop_map(
            |((schema_version, submission_id, form_id, form_version, sent_at), encrypted, stamp)| Envelope {
                schema_version,
                submission_id,
                form_id,
                form_version,
                sent_at,
                encrypted,
                stamp,
            },
        )
    }

    proptest! {
        /// Whatever envelope is written (the app's outbox keeps its text, the collector stores it as received
        /// and exports it without the key) is read back identical, compact and pretty, and is told apart from
        /// a plain payload.
        #[test]
        fn any_envelope_round_trips(e in any_envelope()) {
            let json = serde_json::to_string(&e).unwrap();
            prop_assert!(is_envelope(&json));
            prop_assert_eq!(serde_json::from_str::<Envelope>(&json).unwrap(), e.clone());
            let pretty = serde_json::to_string_pretty(&e).unwrap();
            prop_assert!(is_envelope(&pretty));
            prop_assert_eq!(serde_json::from_str::<Envelope>(&pretty).unwrap(), e);
        }

        /// Any bytes survive base64url both ways.
        #[test]
        fn any_bytes_round_trip_through_base64url(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let text = encode_base64url(&bytes);
            prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(decode_base64url(&text), Some(bytes));
        }
    }
}
