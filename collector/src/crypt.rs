//! End-to-end encryption of the answers (`docs/encryption.md`): the deployment's key pairs, and opening the
//! envelopes the app seals for them.
//!
//! HPKE (RFC 9180), base mode, suite DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, through the `hpke`
//! crate; `info` is [`feedback_model::INFO`] and the associated data [`Envelope::aad`]. The server that takes
//! the answers needs only the public key (in config.json); the private key stays with the people who read the
//! answers, for `collector export --key` and `collector import --key`, run wherever they are.
//!
//! The collector also seals, for the one case where it holds answers in clear: a Send from a page with no app
//! (no JavaScript, so no Web Crypto), which it seals for config.json's key before storing, so a database meant
//! to hold no answers in clear holds none.

use crate::Error;
use feedback_model::{decode_base64url, encode_base64url, is_identifier, Envelope, Submission, INFO};
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::io::Write;
use std::path::Path;

/// The KEM: ECDH over P-256, with HKDF-SHA256 making the shared secret.
pub type Kem = hpke::kem::DhP256HkdfSha256;
/// The key schedule's KDF.
pub type Kdf = hpke::kdf::HkdfSha256;
/// The AEAD sealing the answers.
pub type Aead = hpke::aead::AesGcm128;

/// The suite's name, as a key file names it (and checked when one is read).
pub const SUITE: &str = "DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM";

/// A private key file's contents, as `collector keygen` writes it: JSON, readable by its owner only.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    suite: String,
    key_id: String,
    /// The P-256 scalar: 32 bytes, base64url without padding.
    private_key: String,
    /// The uncompressed public point: 65 bytes starting 0x04, base64url without padding.
    public_key: String,
}

/// One of the deployment's key pairs: its label (the `key_id` sent in clear with each envelope) and the
/// private key that opens what was sealed for it.
#[derive(Clone)]
pub struct PrivateKey {
    key_id: String,
    secret: <Kem as hpke::Kem>::PrivateKey,
}

/// Never prints the secret: only which key it is.
impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({})", self.key_id)
    }
}

impl PrivateKey {
    /// A new key pair from the system's random source, labelled `key_id`, or by default [`key_id_for`] its
    /// public key.
    ///
    /// ```
    /// let key = collector::crypt::PrivateKey::generate(None).unwrap();
    /// assert!(key.key_id().starts_with("k-") && key.key_id().len() == 18);
    /// assert_eq!(key.key_id(), collector::crypt::key_id_for(&key.public_key_bytes()));
    /// assert!(collector::crypt::PrivateKey::generate(Some("Not a label")).is_err());
    /// ```
    pub fn generate(key_id: Option<&str>) -> Result<PrivateKey, Error> {
        let (secret, public) = Kem::gen_keypair();
        let key_id = match key_id {
            None => key_id_for(&public.to_bytes()),
            Some(id) if is_identifier(id) => id.to_owned(),
            Some(id) => {
                return Err(Error(format!(
                    "The key id “{id}” must be a label: 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit"
                )))
            }
        };
        Ok(PrivateKey { key_id, secret })
    }

    /// A key from its 32-byte P-256 scalar (as RFC 9180's test vectors give `skRm`), labelled `key_id`.
    ///
    /// ```
    /// use collector::crypt::PrivateKey;
    /// assert!(PrivateKey::from_scalar("k-1", &[0; 32]).is_err(), "zero is not a private key");
    /// assert!(PrivateKey::from_scalar("k-1", &[1; 31]).is_err());
    /// assert_eq!(PrivateKey::from_scalar("k-1", &[1; 32]).unwrap().key_id(), "k-1");
    /// ```
    pub fn from_scalar(key_id: &str, scalar: &[u8]) -> Result<PrivateKey, String> {
        if !is_identifier(key_id) {
            return Err(format!("its key id “{key_id}” is not a label (a-z, 0-9, - and _)"));
        }
        let secret = <Kem as hpke::Kem>::PrivateKey::from_bytes(scalar)
            .map_err(|_| "its private key is not a P-256 private key (32 bytes, a number below the curve's order)")?;
        Ok(PrivateKey { key_id: key_id.to_owned(), secret })
    }

    /// The key's label.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key: the uncompressed P-256 point, 65 bytes starting 0x04.
    pub fn public_key_bytes(&self) -> Vec<u8> {
        Kem::sk_to_pk(&self.secret).to_bytes().to_vec()
    }

    /// The public key as config.json takes it: base64url without padding, 87 characters starting `B`.
    pub fn public_key(&self) -> String {
        encode_base64url(&self.public_key_bytes())
    }

    /// The `"encryption": {…}` block for config.json, as keygen prints it.
    ///
    /// ```
    /// let key = collector::crypt::PrivateKey::generate(Some("k-test")).unwrap();
    /// let block = key.config_block();
    /// let config = format!(r#"{{"endpoint": "/api/submissions", "form": "f", "organisation": {{"name": "X"}}, {block}}}"#);
    /// let e = feedback_model::Config::parse(&config).unwrap().encryption.unwrap();
    /// assert_eq!((e.key_id.as_str(), e.public_key), ("k-test", key.public_key()));
    /// ```
    pub fn config_block(&self) -> String {
        format!(
            "\"encryption\": {{\n  \"public_key\": \"{}\",\n  \"key_id\": \"{}\"\n}}",
            self.public_key(),
            self.key_id
        )
    }

    /// The key file's text: JSON with the suite, the key id, and both keys in base64url.
    fn to_json(&self) -> String {
        let file = KeyFile {
            suite: SUITE.to_owned(),
            key_id: self.key_id.clone(),
            private_key: encode_base64url(&self.secret.to_bytes()),
            public_key: self.public_key(),
        };
        // A struct of strings always serializes.
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }

    /// Reads a key file's text, as [`PrivateKey::write_new`] writes it; the error ends a sentence that starts
    /// with the file's name ("… is not a private key file: …").
    ///
    /// ```
    /// use collector::crypt::PrivateKey;
    /// let e = PrivateKey::from_json(r#"{"suite": "x"}"#).unwrap_err();
    /// assert!(e.starts_with("is not a private key file as collector keygen writes it: missing field"), "{e}");
    /// ```
    pub fn from_json(text: &str) -> Result<PrivateKey, String> {
        let file: KeyFile = serde_json::from_str(text)
            .map_err(|e| format!("is not a private key file as collector keygen writes it: {e}"))?;
        if file.suite != SUITE {
            return Err(format!("is for the suite “{}”; this collector opens only {SUITE}", file.suite));
        }
        let scalar = decode_base64url(&file.private_key)
            .ok_or("has a private_key that is not base64url (A-Z, a-z, 0-9, - and _, no padding)")?;
        let key = PrivateKey::from_scalar(&file.key_id, &scalar).map_err(|e| format!("is broken: {e}"))?;
        if key.public_key() != file.public_key {
            return Err("is broken: its public_key is not the private key's".into());
        }
        Ok(key)
    }

    /// Reads a key file, with a sentence naming the file for anything wrong.
    pub fn read(path: &Path) -> Result<PrivateKey, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error(format!("The key file {} could not be read: {e}", path.display())))?;
        PrivateKey::from_json(&text).map_err(|e| Error(format!("The key file {} {e}.", path.display())))
    }

    /// Writes the key file at `path`, readable and writable by its owner only (mode 0600), never over a file
    /// that is already there (a key file overwritten is every answer sealed for it lost).
    pub fn write_new(&self, path: &Path) -> Result<(), Error> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error(format!(
                    "{} is already there, so it is left as it is: a key file overwritten loses every answer sealed \
                     for its key. Choose another name.",
                    path.display()
                ))
            } else {
                Error(format!("The key file {} could not be made: {e}", path.display()))
            }
        })?;
        file.write_all(self.to_json().as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| Error(format!("The key file {} could not be written: {e}", path.display())))
    }

    /// Opens HPKE base mode's one message (sequence number 0) sealed for this key: the plaintext, or the
    /// crate's error. The building block of [`open`], and what RFC 9180's test vectors are checked against.
    pub fn open_raw(&self, enc: &[u8], info: &[u8], aad: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, hpke::HpkeError> {
        let enc = <Kem as hpke::Kem>::EncappedKey::from_bytes(enc)?;
        hpke::single_shot_open::<Aead, Kdf, Kem>(&OpModeR::Base, &self.secret, &enc, info, ciphertext, aad)
    }
}

/// The key id `collector keygen` gives a public key: `k-` and the first 8 bytes of its SHA-256 in lower-case hex.
///
/// ```
/// assert_eq!(collector::crypt::key_id_for(b""), "k-e3b0c44298fc1c14");
/// ```
pub fn key_id_for(public_key: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(public_key);
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("k-{hex}")
}

/// An envelope opened: the plain payload's text as sealed, and the payload read from it.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The plain payload's JSON text, exactly as the app sealed it.
    pub text: String,
    /// That payload, read; its clear fields are the envelope's.
    pub submission: Submission,
}

/// Opens an envelope with whichever of `keys` has its key id, and reads the plain payload inside: every reason
/// it does not (its shape, no key with its id, the key does not open it, what is inside is not a payload or not
/// the envelope's), as sentences. The answers are not checked against their form here: that is
/// [`crate::routes::check_submission`]'s, by the caller.
pub fn open(keys: &[PrivateKey], envelope: &Envelope) -> Result<Opened, Vec<String>> {
    let problems = envelope.problems();
    if !problems.is_empty() {
        return Err(problems);
    }
    let key_id = &envelope.encrypted.key_id;
    let candidates: Vec<&PrivateKey> = keys.iter().filter(|k| &k.key_id == key_id).collect();
    if candidates.is_empty() {
        let given: Vec<&str> = keys.iter().map(|k| k.key_id.as_str()).collect();
        return Err(vec![format!(
            "it is sealed for the key “{key_id}”, and no key given has that id (given: {})",
            if given.is_empty() { "none".to_owned() } else { given.join(", ") }
        )]);
    }
    // Both decode: `problems` checked them.
    let enc = decode_base64url(&envelope.encrypted.enc).unwrap_or_default();
    let ciphertext = decode_base64url(&envelope.encrypted.ciphertext).unwrap_or_default();
    let aad = envelope.aad();
    let mut last = String::new();
    for key in candidates {
        match key.open_raw(&enc, INFO, &aad, &ciphertext) {
            Ok(plain) => return read_opened(envelope, plain),
            Err(hpke::HpkeError::ValidationError | hpke::HpkeError::IncorrectInputLength(..)) => {
                last = "its enc is not a point on the P-256 curve, so nothing can open it".into();
            }
            Err(_) => {
                last = format!(
                    "it does not open with the key “{key_id}”: its ciphertext or its clear fields were changed or \
                     cut short after it was sealed, or it was sealed for another key with the same id"
                );
            }
        }
    }
    Err(vec![last])
}

/// The plain payload inside an opened envelope, read and matched against the envelope's clear fields.
fn read_opened(envelope: &Envelope, plain: Vec<u8>) -> Result<Opened, Vec<String>> {
    let text = String::from_utf8(plain).map_err(|_| vec!["what it holds is not text (UTF-8)".to_owned()])?;
    let submission: Submission = serde_json::from_str(&text).map_err(|e| {
        vec![format!("what it holds is not a plain payload: {}", crate::import::without_position(&e.to_string()))]
    })?;
    let mismatch = envelope.mismatch(&submission);
    if !mismatch.is_empty() {
        return Err(mismatch);
    }
    Ok(Opened { text, submission })
}

/// Seals a plain payload's text for a public key (config.json's `encryption`) as the app does, giving the
/// envelope's JSON text: for the answers a page with no app sends to a deployment with encryption.
/// `submission` is the payload `text` holds (its clear fields go outside). `None` when the public key is not a
/// point on the curve (config.json checks only its shape).
pub fn seal(public_key: &str, key_id: &str, submission: &Submission, text: &str) -> Option<String> {
    let public = <Kem as hpke::Kem>::PublicKey::from_bytes(&decode_base64url(public_key)?).ok()?;
    let aad = feedback_model::aad(
        &submission.submission_id,
        &submission.form_id,
        &submission.form_version,
        &submission.sent_at,
        key_id,
    );
    let (enc, ciphertext) =
        hpke::single_shot_seal::<Aead, Kdf, Kem>(&OpModeS::Base, &public, INFO, text.as_bytes(), &aad).ok()?;
    let envelope = Envelope {
        schema_version: submission.schema_version,
        submission_id: submission.submission_id.clone(),
        form_id: submission.form_id.clone(),
        form_version: submission.form_version.clone(),
        sent_at: submission.sent_at.clone(),
        encrypted: feedback_model::EncryptedPart {
            key_id: key_id.to_owned(),
            enc: encode_base64url(&enc.to_bytes()),
            ciphertext: encode_base64url(&ciphertext),
        },
        stamp: None,
    };
    serde_json::to_string(&envelope).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(id: &str) -> (Submission, String) {
        let text = format!(
            r#"{{"schema_version":1,"submission_id":"{id}","form_id":"f","form_version":"1","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{{"comment":"private words"}}}}"#
        );
        (serde_json::from_str(&text).unwrap(), text)
    }

    #[test]
    fn what_seal_makes_open_gives_back_exactly_and_nothing_else_opens_it() {
        let key = PrivateKey::generate(None).unwrap();
        let (submission, text) = plain(&feedback_model::uuid_v4_from_bytes([1; 16]));
        let sealed = seal(&key.public_key(), key.key_id(), &submission, &text).unwrap();
        assert!(!sealed.contains("private words"));
        let envelope: Envelope = serde_json::from_str(&sealed).unwrap();
        assert_eq!(envelope.problems(), Vec::<String>::new());
        let opened = open(std::slice::from_ref(&key), &envelope).unwrap();
        assert_eq!((opened.text.as_str(), &opened.submission), (text.as_str(), &submission));

        let other = PrivateKey::generate(Some(key.key_id())).unwrap();
        let e = open(&[other], &envelope).unwrap_err();
        assert!(e[0].starts_with(&format!("it does not open with the key “{}”", key.key_id())), "{e:?}");
        let e = open(&[], &envelope).unwrap_err();
        assert_eq!(
            e,
            [format!("it is sealed for the key “{}”, and no key given has that id (given: none)", key.key_id())]
        );
        // Another key with the same id is tried first; the right one still opens it.
        let twin = PrivateKey::generate(Some(key.key_id())).unwrap();
        assert!(open(&[twin, key.clone()], &envelope).is_ok());

        let moved = Envelope { form_version: "2".into(), ..envelope.clone() };
        assert!(open(std::slice::from_ref(&key), &moved).unwrap_err()[0].starts_with("it does not open"));
        let mut off_curve = envelope.clone();
        off_curve.encrypted.enc = encode_base64url(&[[4u8].as_slice(), &[0xff; 64]].concat());
        assert_eq!(
            open(std::slice::from_ref(&key), &off_curve).unwrap_err(),
            ["its enc is not a point on the P-256 curve, so nothing can open it"]
        );
        assert_eq!(seal("not a key", "k-1", &submission, &text), None);
    }

    #[test]
    fn a_sealed_payload_whose_clear_fields_differ_from_inside_is_refused() {
        let key = PrivateKey::generate(None).unwrap();
        let (inside, text) = plain(&feedback_model::uuid_v4_from_bytes([2; 16]));
        // The app (or an attacker with the public key) seals one payload under another's clear fields.
        let outside = Submission { submission_id: feedback_model::uuid_v4_from_bytes([3; 16]), ..inside.clone() };
        let sealed = seal(&key.public_key(), key.key_id(), &outside, &text).unwrap();
        let e = open(&[key], &serde_json::from_str(&sealed).unwrap()).unwrap_err();
        assert_eq!(
            e,
            [format!(
                "the opened answers' submission_id “{}” does not match its envelope's “{}”",
                inside.submission_id, outside.submission_id
            )]
        );
    }

    #[test]
    fn a_key_file_reads_back_and_a_broken_one_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.private");
        let key = PrivateKey::generate(None).unwrap();
        key.write_new(&path).unwrap();
        let read = PrivateKey::read(&path).unwrap();
        assert_eq!((read.key_id(), read.public_key()), (key.key_id(), key.public_key()));
        let e = key.write_new(&path).unwrap_err().0;
        assert!(e.contains("is already there, so it is left as it is"), "{e}");

        let text = std::fs::read_to_string(&path).unwrap();
        let file: serde_json::Value = serde_json::from_str(&text).unwrap();
        let with = |field: &str, value: &str| {
            let mut f = file.clone();
            f[field] = value.into();
            PrivateKey::from_json(&f.to_string()).unwrap_err()
        };
        assert_eq!(
            with("suite", "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305"),
            format!("is for the suite “DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305”; this collector opens only {SUITE}")
        );
        assert_eq!(
            with("private_key", "AAAA="),
            "has a private_key that is not base64url (A-Z, a-z, 0-9, - and _, no padding)"
        );
        assert!(with("private_key", &encode_base64url(&[0; 32])).starts_with("is broken: its private key is not"));
        let other = PrivateKey::generate(None).unwrap().public_key();
        assert_eq!(with("public_key", &other), "is broken: its public_key is not the private key's");
        assert!(with("key_id", "K 1").starts_with("is broken: its key id “K 1” is not a label"));
        let e = PrivateKey::read(&dir.path().join("missing")).unwrap_err().0;
        assert!(e.starts_with("The key file ") && e.contains("could not be read"), "{e}");
    }
}
