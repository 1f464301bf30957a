//! End-to-end encryption (issue 15, `docs/encryption.md`), with the built binary over real HTTP and a real
//! SQLite file: RFC 9180's test vectors for the suite; `collector keygen`; envelopes stored as received and
//! opened by `export --key` to exactly the payloads sealed; every way an envelope can be wrong refused or
//! reported by id with its reason, and nothing of its answers stored or exported in clear; a plain payload
//! sealed by a deployment with encryption, not refused; `import` of envelopes, with and without the key.

use collector::crypt::{Aead, Kdf, Kem, PrivateKey};
use feedback_model::{decode_base64url, encode_base64url, uuid_v4_from_bytes};
use hpke::{Deserializable, Kem as _, OpModeR, OpModeS, Serializable};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

mod support;
use support::{databases, run_bounded, Db, Serve, BIN, FORMS, LIMIT};

const VECTOR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rfc9180-p256-base.json");

// ---------------------------------------------------------------- RFC 9180's test vectors

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "{s}");
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// A "random" source that gives back exactly the bytes it was made with, so that the sender's ephemeral key is
/// the vector's (`ikmE`), as RFC 9180's vectors are made.
struct Replay(Vec<u8>);

impl hpke::rand_core::TryRng for Replay {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        unreachable!("HPKE asks for bytes")
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        unreachable!("HPKE asks for bytes")
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        assert!(dst.len() <= self.0.len(), "asked for {} bytes, {} left", dst.len(), self.0.len());
        let rest = self.0.split_off(dst.len());
        dst.copy_from_slice(&self.0);
        self.0 = rest;
        Ok(())
    }
}
impl hpke::rand_core::TryCryptoRng for Replay {}

#[test]
fn rfc_9180_a_3_1_vectors_open_and_seal_with_the_collectors_suite() {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(VECTOR).unwrap()).unwrap();
    let field = |name: &str| hex(v[name].as_str().unwrap());
    assert_eq!(
        (v["mode"].as_u64(), v["kem_id"].as_u64(), v["kdf_id"].as_u64(), v["aead_id"].as_u64()),
        (Some(0), Some(16), Some(1), Some(1))
    );
    assert_eq!(<Kem as hpke::Kem>::KEM_ID, 0x0010, "the collector's KEM is the vector's");

    // DeriveKeyPair(ikmR) gives the vector's key pair, and the collector's key from skRm is its public key.
    let (sk, pk) = Kem::derive_keypair(&field("ikmR"));
    assert_eq!(sk.to_bytes().to_vec(), field("skRm"));
    assert_eq!(pk.to_bytes().to_vec(), field("pkRm"));
    let key = PrivateKey::from_scalar("rfc-9180", &field("skRm")).unwrap();
    assert_eq!(key.public_key_bytes(), field("pkRm"));

    // The collector's own open: the first message (sequence number 0, the one message of each submission).
    let (info, enc) = (field("info"), field("enc"));
    let first = &v["encryptions"][0];
    let (pt, aad, ct) =
        (hex(first["pt"].as_str().unwrap()), hex(first["aad"].as_str().unwrap()), hex(first["ct"].as_str().unwrap()));
    assert_eq!(key.open_raw(&enc, &info, &aad, &ct).unwrap(), pt);
    // Any change to what is bound fails to open: a bit of the ciphertext or tag, the aad, the info, the enc.
    let mut flipped = ct.clone();
    flipped[3] ^= 1;
    assert!(key.open_raw(&enc, &info, &aad, &flipped).is_err());
    let mut tag = ct.clone();
    *tag.last_mut().unwrap() ^= 0x80;
    assert!(key.open_raw(&enc, &info, &aad, &tag).is_err());
    assert!(key.open_raw(&enc, &info, b"Count-1", &ct).is_err());
    assert!(key.open_raw(&enc, feedback_model::INFO, &aad, &ct).is_err());
    assert!(key.open_raw(&enc, &info, &aad, &ct[..ct.len() - 1]).is_err(), "cut short");
    let mut other_enc = enc.clone();
    other_enc[64] ^= 1;
    assert!(key.open_raw(&other_enc, &info, &aad, &ct).is_err(), "not the sender's point (or not on the curve)");
    // The second message is sealed under the next nonce: it is no first message.
    let second = &v["encryptions"][1];
    let (aad1, ct1) = (hex(second["aad"].as_str().unwrap()), hex(second["ct"].as_str().unwrap()));
    assert!(key.open_raw(&enc, &info, &aad1, &ct1).is_err());

    // The key schedule: the receiver's context opens both messages in order and exports the vector's values
    // (the exporter secret comes from the same schedule as the key and base nonce).
    let enc_key = <Kem as hpke::Kem>::EncappedKey::from_bytes(&enc).unwrap();
    let mut ctx = hpke::setup_receiver::<Aead, Kdf, Kem>(&OpModeR::Base, &sk, &enc_key, &info).unwrap();
    for e in v["encryptions"].as_array().unwrap() {
        let opened = ctx.open(&hex(e["ct"].as_str().unwrap()), &hex(e["aad"].as_str().unwrap())).unwrap();
        assert_eq!(opened, hex(e["pt"].as_str().unwrap()), "sequence number {}", e["sequence_number"]);
    }
    for x in v["exports"].as_array().unwrap() {
        let mut out = vec![0; x["L"].as_u64().unwrap() as usize];
        ctx.export(&hex(x["exporter_context"].as_str().unwrap()), &mut out).unwrap();
        assert_eq!(out, hex(x["exported_value"].as_str().unwrap()));
    }

    // The sender's side, as the app's Web Crypto must do it: with the vector's ephemeral key, the same enc and
    // the same ciphertext.
    let mut rng = Replay(field("ikmE"));
    let (sent_enc, mut sender) =
        hpke::setup_sender_with_rng::<Aead, Kdf, Kem>(&OpModeS::Base, &pk, &info, &mut rng).unwrap();
    assert!(rng.0.is_empty(), "the ephemeral key took exactly ikmE");
    assert_eq!(sent_enc.to_bytes().to_vec(), enc);
    assert_eq!(sender.seal(&pt, &aad).unwrap(), ct);
}

// ---------------------------------------------------------------- helpers

/// Seals a plain payload for a public key as the app does (`public/seal.js`, docs/encryption.md), with the
/// `hpke` crate directly rather than the collector's code: the envelope as a JSON value.
fn seal_for_tests(public_key: &str, key_id: &str, plain_text: &str) -> Value {
    let plain: Value = serde_json::from_str(plain_text).unwrap();
    let clear = |name: &str| plain[name].as_str().unwrap().to_owned();
    let (id, form, version, sent_at) =
        (clear("submission_id"), clear("form_id"), clear("form_version"), clear("sent_at"));
    let pk = <Kem as hpke::Kem>::PublicKey::from_bytes(&decode_base64url(public_key).unwrap()).unwrap();
    let aad = feedback_model::aad(&id, &form, &version, &sent_at, key_id);
    let (enc, ct) = hpke::single_shot_seal::<Aead, Kdf, Kem>(
        &OpModeS::Base,
        &pk,
        feedback_model::INFO,
        plain_text.as_bytes(),
        &aad,
    )
    .unwrap();
    json!({
        "schema_version": 1,
        "submission_id": id,
        "form_id": form,
        "form_version": version,
        "sent_at": sent_at,
        "encrypted": {"key_id": key_id, "enc": encode_base64url(&enc.to_bytes()), "ciphertext": encode_base64url(&ct)},
    })
}

fn id(n: u8) -> String {
    uuid_v4_from_bytes([n; 16])
}

/// A plain payload's text for the test form, as the app writes it, with a comment.
fn plain(n: u8, comment: &str) -> String {
    json!({
        "schema_version": 1, "submission_id": id(n), "form_id": "test-form", "form_version": "2",
        "sent_at": "2026-11-23T10:00:00.000Z", "language": "cy", "answers": {"rating": 2, "comment": comment},
    })
    .to_string()
}

/// A small, seeded random source for the payloads' words (xorshift64*): the seed is printed by a failing test.
struct Words(u64);

impl Words {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// Text with what could go wrong on the way: quotes, backslashes, line breaks, right to left, emoji.
    fn text(&mut self, marker: &str) -> String {
        const PIECES: [&str; 12] = ["a", "é", "\"", "\\", "\n", "ع", "🙂", " ", "ŵ", "</script>", "\u{2028}", "x"];
        // At most 16 pieces of at most 9 characters: within a short text's 200 with the marker.
        let n = self.below(17);
        let mut s: String = (0..n).map(|_| PIECES[self.below(PIECES.len() as u64) as usize]).collect();
        s.push_str(marker);
        s.trim().to_owned()
    }
}

/// `collector keygen --out DIR/NAME` (and more arguments): the key file's path and what was printed.
fn keygen(dir: &Path, name: &str, extra: &[&str]) -> (PathBuf, Output) {
    let path = dir.join(name);
    let mut cmd = Command::new(BIN);
    cmd.arg("keygen").arg("--out").arg(&path).args(extra);
    (path, run_bounded(cmd))
}

/// The `"encryption": {…}` block keygen printed, read as JSON.
fn printed_block(out: &Output) -> Value {
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    let start = stdout.find("\"encryption\": {").unwrap_or_else(|| panic!("no block: {stdout}"));
    let block = stdout[start..].trim_end();
    let config: Value = serde_json::from_str(&format!("{{{block}}}")).unwrap_or_else(|e| panic!("{e}: {block}"));
    config["encryption"].clone()
}

/// A new key in `dir` (`collector keygen`, which must succeed): its file, and the config block it printed.
fn new_key(dir: &Path, name: &str) -> (PathBuf, Value) {
    let (path, out) = keygen(dir, name, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (path, printed_block(&out))
}

/// A `collector serve` with an app's folder whose config.json has `encryption` (when given), killed when
/// dropped. No proof of work is asked (the stamp is tested with plain payloads; an envelope goes the same way).
struct Collector {
    serve: Serve,
    db: PathBuf,
    /// What `--db` was given: the SQLite file, or a PostgreSQL database's URL.
    target: String,
    /// The app's folder and the database, removed when dropped.
    _dir: TempDir,
}

impl Collector {
    fn start(encryption: Option<Value>) -> Collector {
        Collector::start_on(encryption, &Db::Sqlite)
    }

    fn start_on(encryption: Option<Value>, store: &Db) -> Collector {
        let dir = tempfile::tempdir().unwrap();
        let dist = dir.path().join("dist");
        std::fs::create_dir_all(dist.join("forms")).unwrap();
        std::fs::write(dist.join("index.html"), "<!doctype html><title>Feedback</title>").unwrap();
        std::fs::copy(Path::new(FORMS).join("test-form.json"), dist.join("forms/test-form.json")).unwrap();
        let mut config = json!({"endpoint": "/api/submissions", "form": "test-form", "organisation": {"name": "Test"}});
        if let Some(e) = encryption {
            config["encryption"] = e;
        }
        std::fs::write(dist.join("config.json"), config.to_string()).unwrap();
        let db = dir.path().join("feedback.sqlite");
        let target = match store {
            Db::Sqlite => db.display().to_string(),
            Db::Postgres(url) => url.clone(),
        };
        let serve = Serve::start(&target, &["--stamp-bits", "0", "--static", dist.to_str().unwrap()]);
        Collector { serve, db, target, _dir: dir }
    }

    /// Posts a body as JSON: the status and the reply.
    async fn post(&self, body: &str) -> (u16, Value) {
        let res = reqwest::Client::builder()
            .timeout(LIMIT)
            .build()
            .unwrap()
            .post(self.serve.url("/api/submissions"))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap())
    }

    /// (submission_id, language, payload) of every row, in the order received.
    fn rows(&self) -> Vec<(String, String, String)> {
        let conn = rusqlite::Connection::open(&self.db).unwrap();
        let mut stmt = conn.prepare("SELECT submission_id, language, payload FROM submissions ORDER BY seq").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        rows.map(Result::unwrap).collect()
    }

    /// Every byte the database keeps on disk (the file and its write-ahead log), as text where it is text.
    fn disk(&self) -> String {
        let mut bytes = std::fs::read(&self.db).unwrap();
        bytes.extend(std::fs::read(self.db.with_extension("sqlite-wal")).unwrap_or_default());
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// `collector export --db <db> --forms <test forms>` with more arguments.
    fn export(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("export").arg("--db").arg(&self.target).args(["--forms", FORMS]).args(args);
        run_bounded(cmd)
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

// ---------------------------------------------------------------- keygen

#[test]
fn keygen_writes_a_key_file_only_its_owner_reads_never_over_another_and_prints_the_config_block() {
    let dir = tempfile::tempdir().unwrap();
    let (path, out) = keygen(dir.path(), "key.private", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "readable and writable by its owner only: {mode:o}");
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut fields: Vec<&str> = file.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort();
    assert_eq!(fields, ["key_id", "private_key", "public_key", "suite"]);
    assert_eq!(file["suite"], "DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM");
    assert_eq!(decode_base64url(file["private_key"].as_str().unwrap()).unwrap().len(), 32);
    let public = decode_base64url(file["public_key"].as_str().unwrap()).unwrap();
    assert_eq!((public.len(), public[0]), (65, 0x04));
    assert_eq!(file["key_id"], collector::crypt::key_id_for(&public), "k- and the public key's hash");

    // The block printed is what config.json takes, for this key.
    let block = printed_block(&out);
    assert_eq!((&block["public_key"], &block["key_id"]), (&file["public_key"], &file["key_id"]));
    let config = format!(
        r#"{{"endpoint": "/api/submissions", "form": "test-form", "organisation": {{"name": "X"}}, "encryption": {block}}}"#
    );
    assert!(feedback_model::Config::parse(&config).is_ok());
    assert!(!text(&out.stdout).contains(file["private_key"].as_str().unwrap()), "the private key is never printed");

    // Never over a file already there: the key in it is kept.
    let before = std::fs::read(&path).unwrap();
    let (_, again) = keygen(dir.path(), "key.private", &[]);
    assert!(!again.status.success());
    let err = text(&again.stderr);
    assert!(err.contains("is already there, so it is left as it is"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);

    // A label of the deployment's choosing, and one that is not a label refused (no file made).
    let (labelled, out) = keygen(dir.path(), "spring.private", &["--key-id", "spring-2027"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(printed_block(&out)["key_id"], "spring-2027");
    assert_eq!(PrivateKey::read(&labelled).unwrap().key_id(), "spring-2027");
    let (bad, out) = keygen(dir.path(), "bad.private", &["--key-id", "Spring 2027"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("The key id “Spring 2027” must be a label"), "{}", text(&out.stderr));
    assert!(!bad.exists());
}

// ---------------------------------------------------------------- the round trip

#[tokio::test]
async fn random_payloads_sealed_stored_over_http_and_exported_with_the_key_come_back_exactly() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, block) = new_key(keys.path(), "key.private");
    let (public, key_id) = (block["public_key"].as_str().unwrap(), block["key_id"].as_str().unwrap());
    let c = Collector::start(Some(block.clone()));

    let seed = u64::from_le_bytes(*b"issue-15") ^ std::process::id() as u64;
    let mut words = Words(seed | 1);
    let mut sent = Vec::new();
    for n in 1..=12u8 {
        let marker = format!("MARKER-{n}-PRIVATE");
        let mut answers = json!({"comment": words.text(&marker), "rating": 1 + words.below(3)});
        if words.below(2) == 1 {
            answers["ways"] = json!(["phone", "video"]);
            answers["involved"] = json!(true);
            answers["contact"] = json!(words.text(&format!("{marker}-CONTACT")));
        }
        let language = ["en", "cy", "ar"][words.below(3) as usize];
        let mut p = json!({
            "schema_version": 1, "submission_id": id(n), "form_id": "test-form", "form_version": "2",
            "sent_at": format!("2026-11-23T10:00:{n:02}.000Z"), "language": language,
            "answers": answers,
        });
        if n % 4 == 0 {
            // A session's label has no line breaks (the model refuses them), unlike an answer.
            p["context"] = json!({"shared_device": true, "session": format!("Leeds drop-in {n} SESSION-PRIVATE")});
        }
        // Compact or pretty: the plaintext is the app's text, whatever its spacing.
        let plain_text = if n % 3 == 0 { serde_json::to_string_pretty(&p).unwrap() } else { p.to_string() };
        let envelope = seal_for_tests(public, key_id, &plain_text).to_string();
        let (status, reply) = c.post(&envelope).await;
        assert_eq!(status, 201, "seed {seed}: {reply}");
        assert_eq!(c.post(&envelope).await.0, 200, "the same envelope again is a duplicate");
        sent.push((plain_text, envelope));
    }

    let rows = c.rows();
    assert_eq!(rows.len(), sent.len());
    for ((row_id, language, payload), (_, envelope)) in rows.iter().zip(&sent) {
        assert_eq!(payload, envelope, "stored exactly as received");
        assert!(language.is_empty(), "an envelope's language is sealed with its answers");
        assert!(!row_id.is_empty());
    }
    let disk = c.disk();
    assert!(!disk.contains("PRIVATE") && !disk.contains("MARKER"), "seed {seed}: no answer in clear on disk");

    // With the key: exactly the payloads sealed, in order, as JSON lines (one line each).
    let key = key_file.to_str().unwrap();
    let out = c.export(&["--format", "jsonl", "--key", key]);
    assert!(out.status.success(), "seed {seed}: {}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let lines: Vec<Value> = text(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let expected: Vec<Value> = sent.iter().map(|(p, _)| serde_json::from_str(p).unwrap()).collect();
    assert_eq!(lines, expected, "seed {seed}");
    for ((plain_text, _), line) in sent.iter().zip(text(&out.stdout).lines()) {
        if !plain_text.contains('\n') {
            assert_eq!(line, plain_text, "byte for byte");
        }
    }

    // CSV with the key: the opened language and answers in their columns.
    let out = c.export(&["--format", "csv", "--key", key]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(csv.matches("MARKER-").count(), sent.iter().map(|(p, _)| p.matches("MARKER-").count()).sum::<usize>());
    let mut table = csv.split("\r\n");
    assert!(table.next().unwrap().starts_with("submission_id,form_id,form_version,sent_at,received_at,language,"));
    let first = table.next().unwrap();
    let language = serde_json::from_str::<Value>(&sent[0].0).unwrap()["language"].as_str().unwrap().to_owned();
    assert!(
        first.starts_with(&format!("{},test-form,2,", id(1))) && first.contains(&format!(",{language},")),
        "{first}"
    );

    // Without the key: JSON lines copy the envelopes as stored; CSV refuses, naming them.
    let out = c.export(&["--format", "jsonl"]);
    assert!(out.status.success());
    let stored: Vec<&str> = sent.iter().map(|(_, e)| e.as_str()).collect();
    assert_eq!(text(&out.stdout).lines().collect::<Vec<_>>(), stored);
    let out = c.export(&["--format", "csv"]);
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "12 of the submissions are encrypted, so CSV cannot show their answers: give the private key with --key"
        ),
        "{err}"
    );
    assert!((1..=12).all(|n| err.contains(&id(n))), "every id that needs the key is named: {err}");
    assert!(out.stdout.is_empty());
}

/// The same on every database (issue 16): envelopes stored as received, once, on SQLite and on PostgreSQL, and
/// exported with the key as exactly the payloads sealed.
#[tokio::test]
async fn envelopes_are_stored_once_and_opened_by_export_on_every_database() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, block) = new_key(keys.path(), "key.private");
    let (public, key_id) = (block["public_key"].as_str().unwrap(), block["key_id"].as_str().unwrap());
    for db in databases("envelopes_are_stored_once_and_opened_by_export_on_every_database") {
        let c = Collector::start_on(Some(block.clone()), &db);
        let mut sent = Vec::new();
        for n in 1..=3u8 {
            let envelope = seal_for_tests(public, key_id, &plain(n, &format!("SECRET-{n}"))).to_string();
            assert_eq!(c.post(&envelope).await.0, 201, "{db:?}");
            assert_eq!(c.post(&envelope).await.0, 200, "{db:?}: the same envelope again is a duplicate");
            sent.push(envelope);
        }
        let held = c.export(&["--format", "jsonl"]);
        assert!(held.status.success(), "{db:?}: {}", text(&held.stderr));
        assert_eq!(text(&held.stdout).lines().collect::<Vec<_>>(), sent, "{db:?}: stored exactly as received, once");
        assert!(!text(&held.stdout).contains("SECRET"), "{db:?}");
        let opened = c.export(&["--format", "jsonl", "--key", key_file.to_str().unwrap()]);
        assert!(opened.status.success(), "{db:?}: {}", text(&opened.stderr));
        let lines: Vec<String> = text(&opened.stdout).lines().map(str::to_owned).collect();
        assert_eq!(lines, (1..=3u8).map(|n| plain(n, &format!("SECRET-{n}"))).collect::<Vec<_>>(), "{db:?}");
    }
}

// ---------------------------------------------------------------- what is refused, and what export reports

#[tokio::test]
async fn every_broken_envelope_is_refused_or_reported_by_id_and_none_is_stored_or_exported_in_clear() {
    let keys = tempfile::tempdir().unwrap();
    let (key_file, block) = new_key(keys.path(), "key.private");
    let (old_file, old) = new_key(keys.path(), "old.private");
    let (_, stranger) = new_key(keys.path(), "stranger.private");
    let (public, key_id) = (block["public_key"].as_str().unwrap(), block["key_id"].as_str().unwrap());
    let old_id = old["key_id"].as_str().unwrap();
    let mut config = block.clone();
    config["earlier_key_ids"] = json!([old_id]);
    let c = Collector::start(Some(config));
    let key = key_file.to_str().unwrap();

    // Refused at the door (nothing stored): a key id the deployment does not take, a body cut short, a ciphertext
    // too short to hold its tag, an enc that is no point's length, a form the collector has not.
    let sealed = |n: u8, words: &str| seal_for_tests(public, key_id, &plain(n, words));
    let unknown_key = seal_for_tests(
        stranger["public_key"].as_str().unwrap(),
        stranger["key_id"].as_str().unwrap(),
        &plain(1, "SECRET one"),
    );
    let (status, reply) = c.post(&unknown_key.to_string()).await;
    assert_eq!(status, 422, "{reply}");
    assert_eq!(
        reply["problems"],
        json!([format!(
            "encrypted.key_id “{}” is not a key this deployment takes (config.json's encryption takes “{key_id}”, “{old_id}”)",
            stranger["key_id"].as_str().unwrap()
        )])
    );
    let whole = sealed(2, "SECRET two").to_string();
    let (status, reply) = c.post(&whole[..whole.len() / 2]).await;
    assert_eq!((status, reply["error"].as_str()), (400, Some("The request body is not valid JSON.")), "{reply}");
    let mut short = sealed(3, "SECRET three");
    short["encrypted"]["ciphertext"] = json!(encode_base64url(&[7; 15]));
    let (status, reply) = c.post(&short.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(
        reply["problems"],
        json!(["encrypted.ciphertext must be base64url (A-Z, a-z, 0-9, - and _, no padding) of at least 16 bytes"])
    );
    let mut no_point = sealed(4, "SECRET four");
    no_point["encrypted"]["enc"] = json!(encode_base64url(&[4; 33]));
    assert_eq!(c.post(&no_point.to_string()).await.0, 422);
    let mut ghost = sealed(5, "SECRET five");
    ghost["form_id"] = json!("ghost");
    let (status, reply) = c.post(&ghost.to_string()).await;
    assert_eq!(status, 422);
    assert!(reply["problems"].as_array().unwrap().contains(&json!("there is no form “ghost” here")), "{reply}");
    let mut leaky = sealed(6, "SECRET six");
    leaky["language"] = json!("en");
    let (status, reply) = c.post(&leaky.to_string()).await;
    assert_eq!(status, 400);
    assert!(reply["problems"][0].as_str().unwrap().contains("unknown field `language`"), "{reply}");
    assert!(c.rows().is_empty(), "nothing refused is stored");

    // Taken without the key (only the key can tell), then reported by export with the reason: a ciphertext
    // changed, one cut short, one sealed for another key under this key's id, and one moved under another id.
    let good = sealed(10, "fine words");
    let mut tampered = sealed(11, "SECRET eleven");
    let mut ct = decode_base64url(tampered["encrypted"]["ciphertext"].as_str().unwrap()).unwrap();
    ct[0] ^= 1;
    tampered["encrypted"]["ciphertext"] = json!(encode_base64url(&ct));
    let mut truncated = sealed(12, "SECRET twelve");
    let ct = decode_base64url(truncated["encrypted"]["ciphertext"].as_str().unwrap()).unwrap();
    truncated["encrypted"]["ciphertext"] = json!(encode_base64url(&ct[..ct.len() - 5]));
    let wrong_key = seal_for_tests(stranger["public_key"].as_str().unwrap(), key_id, &plain(13, "SECRET thirteen"));
    let mut moved = sealed(14, "SECRET fourteen");
    moved["submission_id"] = json!(id(15));
    let from_before = seal_for_tests(old["public_key"].as_str().unwrap(), old_id, &plain(16, "older words"));
    for e in [&good, &tampered, &truncated, &wrong_key, &moved, &from_before] {
        let (status, reply) = c.post(&e.to_string()).await;
        assert_eq!(status, 201, "{reply}");
    }
    assert!(!c.disk().contains("SECRET"), "nothing stored in clear");

    let out = c.export(&["--format", "jsonl", "--key", key]);
    assert!(!out.status.success(), "an export that left some out says so in its status");
    let err = text(&out.stderr);
    let does_not_open = format!(
        "it does not open with the key “{key_id}”: its ciphertext or its clear fields were changed or cut short after \
         it was sealed, or it was sealed for another key with the same id"
    );
    for n in [11, 12, 13] {
        assert!(err.contains(&format!("collector: submission {} not exported: {does_not_open}", id(n))), "{n}: {err}");
    }
    assert!(err.contains(&format!("collector: submission {} not exported: {does_not_open}", id(15))), "{err}");
    assert!(
        err.contains(&format!(
            "collector: submission {} not exported: it is sealed for the key “{old_id}”, and no key given has that id \
             (given: {key_id})",
            id(16)
        )),
        "{err}"
    );
    assert!(
        err.contains(
            "5 submissions could not be opened and were left out (the reasons are above); the rest are written."
        ),
        "{err}"
    );
    assert!(!err.contains("SECRET") && !err.contains("older words"), "no answer in the report: {err}");
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().collect::<Vec<_>>(), [plain(10, "fine words")], "the rest are written, and nothing else");

    // With both keys (a rotation): the earlier key's submission opens too.
    let out = c.export(&["--format", "jsonl", "--key", key, "--key", old_file.to_str().unwrap()]);
    assert_eq!(text(&out.stdout).lines().collect::<Vec<_>>(), [plain(10, "fine words"), plain(16, "older words")]);
    assert!(text(&out.stderr).contains("4 submissions could not be opened"), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("SECRET"));
    // CSV reports the same way and writes the rest.
    let out = c.export(&["--format", "csv", "--key", key]);
    assert!(!out.status.success());
    let csv = text(&out.stdout);
    assert!(csv.contains("fine words") && !csv.contains("SECRET"), "{csv}");

    // A key file that is not one stops the export before anything is written.
    let broken = keys.path().join("broken.private");
    std::fs::write(&broken, "{}").unwrap();
    let out = c.export(&["--format", "jsonl", "--key", broken.to_str().unwrap()]);
    assert!(!out.status.success() && out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("is not a private key file as collector keygen writes it"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test]
async fn answers_in_clear_to_a_deployment_with_a_key_are_sealed_for_it_stored_once_and_open_with_it() {
    // Queued on a device before the key was put in config.json: refusing them (a 422 is final) would lose them,
    // storing them as they came would put answers in clear in the database.
    let keys = tempfile::tempdir().unwrap();
    let (key_file, block) = new_key(keys.path(), "key.private");
    let key_id = block["key_id"].as_str().unwrap().to_owned();
    let c = Collector::start(Some(block));
    let (status, reply) = c.post(&plain(7, "SECRET seven")).await;
    assert_eq!((status, reply["status"].as_str()), (201, Some("stored")), "{reply}");
    assert_eq!(c.post(&plain(7, "SECRET seven")).await.0, 200, "the same again is a duplicate");
    assert!(!c.disk().contains("SECRET"), "nothing stored in clear");
    assert!(c.serve.log().contains(&format!("submission {}: arrived in clear, sealed here for key {key_id}", id(7))));

    let held = c.export(&["--format", "jsonl"]);
    let rows: Vec<Value> = text(&held.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0]["submission_id"].as_str(), rows[0]["encrypted"]["key_id"].as_str()),
        (Some(&*id(7)), Some(&*key_id))
    );
    let opened = c.export(&["--format", "jsonl", "--key", key_file.to_str().unwrap()]);
    assert!(opened.status.success(), "{}", text(&opened.stderr));
    assert_eq!(text(&opened.stdout).lines().collect::<Vec<_>>(), [plain(7, "SECRET seven")], "exactly as sent");
}

#[tokio::test]
async fn a_collector_without_encryption_in_config_json_takes_both_shapes_and_any_well_formed_key_id() {
    let c = Collector::start(None);
    let key = PrivateKey::generate(Some("any-label")).unwrap();
    let envelope = seal_for_tests(&key.public_key(), "any-label", &plain(1, "words"));
    assert_eq!(c.post(&envelope.to_string()).await.0, 201);
    assert_eq!(c.post(&plain(2, "words")).await.0, 201);
    let mut bad_label = envelope.clone();
    bad_label["submission_id"] = json!(id(3));
    bad_label["encrypted"]["key_id"] = json!("Any Label");
    let (status, reply) = c.post(&bad_label.to_string()).await;
    assert_eq!(status, 422);
    assert_eq!(
        reply["problems"],
        json!([
            "encrypted.key_id must be a key's label: 1 to 64 of a-z, 0-9, - and _, starting with a letter or digit"
        ])
    );
    let rows = c.rows();
    assert_eq!(
        rows.iter().map(|r| (r.0.as_str(), r.1.as_str())).collect::<Vec<_>>(),
        [(id(1).as_str(), ""), (id(2).as_str(), "cy")]
    );
}

// ---------------------------------------------------------------- import

#[test]
fn import_stores_envelopes_as_they_are_and_with_the_key_refuses_those_that_do_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let (key_file, out) = keygen(dir.path(), "key.private", &[]);
    let block = printed_block(&out);
    let (public, key_id) = (block["public_key"].as_str().unwrap(), block["key_id"].as_str().unwrap());
    let good = seal_for_tests(public, key_id, &plain(1, "kept words"));
    let mut tampered = seal_for_tests(public, key_id, &plain(2, "SECRET two"));
    tampered["sent_at"] = json!("2026-11-23T11:00:00.000Z");
    // Answers the form does not take, sealed: only the key can see it.
    let unfit = seal_for_tests(
        public,
        key_id,
        &json!({"schema_version": 1, "submission_id": id(3), "form_id": "test-form", "form_version": "2",
                "sent_at": "2026-11-23T10:00:00.000Z", "language": "en", "answers": {"rating": 9}})
        .to_string(),
    );
    let file = dir.path().join("saved.json");
    std::fs::write(&file, json!([good, tampered, unfit]).to_string()).unwrap();
    let import = |db: &str, keys: &[&Path]| {
        let mut cmd = Command::new(BIN);
        cmd.arg("import").arg(&file).arg("--db").arg(dir.path().join(db)).args(["--forms", FORMS]);
        for k in keys {
            cmd.arg("--key").arg(k);
        }
        run_bounded(cmd)
    };
    let stored = |db: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(dir.path().join(db)).unwrap();
        let mut stmt = conn.prepare("SELECT payload FROM submissions ORDER BY seq").unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };

    // Without the key: what is in clear is all there is to check, so all three are stored, as they are.
    let out = import("without.sqlite", &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 new: stored now."), "{}", text(&out.stdout));
    assert_eq!(stored("without.sqlite"), [good.to_string(), tampered.to_string(), unfit.to_string()]);

    // With it: opened and checked; stored as the envelopes they are; the others refused with the reason.
    let out = import("with.sqlite", &[&key_file]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.contains("1 new: stored now.") && stdout.contains("2 refused"), "{stdout}");
    assert!(
        stdout.contains(&format!("refused 2: submission {}: it does not open with the key “{key_id}”", id(2))),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("refused 3: submission {}: ", id(3))), "{stdout}");
    assert!(!stdout.contains("SECRET"), "{stdout}");
    assert_eq!(stored("with.sqlite"), [good.to_string()], "the envelope, never what it holds");
}
