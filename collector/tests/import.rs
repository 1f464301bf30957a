//! `collector import`, run as the built binary on files in a temporary folder: the three
//! shapes of saved answers, exactly once (a second run stores nothing new, a submission
//! first sent over HTTP to a running server is a duplicate), refusals with every reason,
//! files that are not saved answers, and text and context kept byte for byte.

use feedback_model::uuid_v4_from_bytes;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use tempfile::TempDir;

mod support;
use support::{databases, payload, pg_rows, run_bounded, wait_bounded, Db, Serve, BIN, FORMS, LIMIT};

fn id(n: u8) -> String {
    uuid_v4_from_bytes([n; 16])
}

/// A temporary folder with a database path in a folder not made yet.
struct Place {
    dir: TempDir,
}

impl Place {
    fn new() -> Place {
        Place { dir: tempfile::tempdir().unwrap() }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("data").join("feedback.sqlite")
    }

    /// Writes a file of saved answers and returns its path.
    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// `collector import FILE --db <db> --forms <test forms>`.
    fn import(&self, file: &Path) -> Output {
        let mut cmd = Command::new(BIN);
        cmd.arg("import").arg(file).arg("--db").arg(self.db()).args(["--forms", FORMS]);
        run_bounded(cmd)
    }

    /// Imports and expects success; returns stdout.
    fn import_ok(&self, file: &Path) -> String {
        let out = self.import(file);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "stdout: {stdout}\nstderr: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
        stdout
    }

    fn export(&self, format: &str) -> String {
        let mut cmd = Command::new(BIN);
        cmd.arg("export").arg("--db").arg(self.db()).args(["--format", format, "--forms", FORMS]);
        let out = run_bounded(cmd);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    }

    /// (submission_id, payload) of every row, in the order stored.
    fn rows(&self) -> Vec<(String, String)> {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        let mut stmt = conn.prepare("SELECT submission_id, payload FROM submissions ORDER BY seq").unwrap();
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
        rows.map(Result::unwrap).collect()
    }
}

/// The counts at the end of an import's report: (new, duplicates, refused).
fn counts(stdout: &str) -> (usize, usize, usize) {
    let count = |suffix: &[&str]| -> usize {
        let line = stdout
            .lines()
            .find(|l| suffix.iter().any(|s| l.split_once(' ').is_some_and(|(_, rest)| rest.starts_with(s))))
            .unwrap_or_else(|| panic!("no line for {suffix:?}: {stdout}"));
        line.split(' ').next().unwrap().parse().unwrap()
    };
    (count(&["new: "]), count(&["duplicate: ", "duplicates: "]), count(&["refused"]))
}

// ---------------------------------------------------------------- the three shapes

#[test]
fn a_single_submission_file_is_stored_as_it_is_in_the_file() {
    let place = Place::new();
    // As a person might save it: pretty-printed, with a line break at the end.
    let text = serde_json::to_string_pretty(&payload(&id(1), json!({"ways": ["phone"], "rating": 3}))).unwrap();
    let file = place.file("my-answers.json", &format!("{text}\n"));
    assert!(!place.db().exists());
    let stdout = place.import_ok(&file);
    assert!(stdout.starts_with(&format!("Read 1 submission from {} into {}", file.display(), place.db().display())));
    assert!(stdout.contains("(a new database, made now)"), "{stdout}");
    assert_eq!(counts(&stdout), (1, 0, 0));
    assert_eq!(place.rows(), [(id(1), text.clone())], "the object's text exactly, line breaks and all");
    assert_eq!(place.export("jsonl"), format!("{}\n", text.replace('\n', " ")));
}

#[test]
fn a_list_of_submissions_and_a_list_of_saved_ones_with_reasons_are_stored_each_once() {
    let place = Place::new();
    let plain = [payload(&id(1), json!({"rating": 1})), payload(&id(2), json!({"speed": "faster"}))];
    let list = place.file("list.json", &serde_json::to_string(&plain).unwrap());
    let stdout = place.import_ok(&list);
    assert!(stdout.starts_with("Read 2 submissions from "), "{stdout}");
    assert_eq!(counts(&stdout), (2, 0, 0));

    // The app's file of refused answers, and the facilitator's file of waiting ones (no reason),
    // in one list, written by hand as the app writes it: the submission's text is kept as it is.
    let three = r#"{"schema_version":1,"submission_id":"ID3","form_id":"test-form","form_version":"2","sent_at":"2026-11-23T10:00:00.000Z","language":"en","answers":{"comment":"kept  as   typed"}}"#.replace("ID3", &id(3));
    let four = format!(
        "{{ \"answers\" : {{}}, \"language\":\"en\",\"sent_at\":\"2026-11-23T10:00:00Z\",\"form_version\":\"2\",\
         \"form_id\":\"test-form\",\"submission_id\":\"{}\",\"schema_version\":1 }}",
        id(4)
    );
    let saved = format!(
        "[{{\"refused_because\":\"503: The answers could not be stored just now.\",\"submission\":{three}}},\n\
         {{\"submission\": {four}}},\n{}]",
        payload(&id(1), json!({"rating": 1}))
    );
    let stdout = place.import_ok(&place.file("answers-not-accepted.json", &saved));
    assert!(stdout.starts_with("Read 3 submissions from "), "{stdout}");
    assert_eq!(counts(&stdout), (2, 1, 0));
    assert!(stdout.contains("1 duplicate: was already stored, so nothing changed."), "{stdout}");
    let rows = place.rows();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2], (id(3), three));
    assert_eq!(rows[3], (id(4), four), "the submission's text exactly, spaces and key order too");
}

#[test]
fn a_second_run_stores_nothing_new() {
    let place = Place::new();
    let list: Vec<Value> = (1..=5).map(|n| payload(&id(n), json!({"rating": 2}))).collect();
    let file = place.file("list.json", &serde_json::to_string(&list).unwrap());
    assert_eq!(counts(&place.import_ok(&file)), (5, 0, 0));
    let first = place.rows();
    let stdout = place.import_ok(&file);
    assert!(!stdout.contains("(a new database"), "{stdout}");
    assert_eq!(counts(&stdout), (0, 5, 0));
    assert!(stdout.contains("5 duplicates: were already stored, so nothing changed."), "{stdout}");
    assert!(!stdout.contains("different content"), "{stdout}");
    assert_eq!(place.rows(), first);
}

// ---------------------------------------------------------------- on every database

/// The same import, twice, then an export, on SQLite and on PostgreSQL (issue 16: import and export work the
/// same from either): new ones stored once as in the file, a refused one named, the second run all duplicates.
#[test]
fn import_and_export_agree_on_every_database() {
    for db in databases("import_and_export_agree_on_every_database") {
        let place = Place::new();
        let target = match &db {
            Db::Sqlite => place.db().display().to_string(),
            Db::Postgres(url) => url.clone(),
        };
        let good: Vec<String> = (1..=3).map(|n| payload(&id(n), json!({"rating": n})).to_string()).collect();
        let bad = payload(&id(9), json!({"nope": 1})).to_string();
        let file = place.file("list.json", &format!("[{},{bad}]", good.join(",")));
        let run = |args: &[&str]| {
            let mut cmd = Command::new(BIN);
            cmd.args(args).args(["--db", &target, "--forms", FORMS]);
            let out = run_bounded(cmd);
            assert!(out.status.success(), "{db:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        let file = file.display().to_string();
        let first = run(&["import", &file]);
        assert_eq!(counts(&first), (3, 0, 1), "{db:?}: {first}");
        assert!(first.contains(&format!("refused 4: submission {}: there is no question “nope” in this form", id(9))));
        assert_eq!(counts(&run(&["import", &file])), (0, 3, 1), "{db:?}: the second run stores nothing new");
        let rows = match &db {
            Db::Sqlite => place.rows(),
            Db::Postgres(url) => pg_rows(url),
        };
        let expected: Vec<(String, String)> = (1..=3).map(id).zip(good.iter().cloned()).collect();
        assert_eq!(rows, expected, "{db:?}: each once, the file's text exactly, in the file's order");
        assert_eq!(run(&["export", "--format", "jsonl"]), format!("{}\n", good.join("\n")), "{db:?}");
    }
}

// ---------------------------------------------------------------- refusals

#[test]
fn refused_submissions_are_listed_with_every_reason_and_not_stored() {
    let place = Place::new();
    let good = payload(&id(1), json!({"rating": 3}));
    let mut bad = payload(&id(2), json!({"ways": "phone", "nope": 1}));
    bad["sent_at"] = json!("yesterday");
    let mut not_uuid = payload(&id(3), json!({}));
    not_uuid["submission_id"] = json!("\u{1b}[31mred");
    let unknown_form = {
        let mut p = payload(&id(4), json!({}));
        p["form_id"] = json!("ghost");
        p
    };
    let device = {
        let mut p = payload(&id(5), json!({}));
        p["device_id"] = json!("tablet-3");
        p
    };
    let entries =
        json!([good, bad, not_uuid, {"submission": unknown_form, "refused_because": "422: no form"}, device, "text"]);
    let stdout = place.import_ok(&place.file("mixed.json", &entries.to_string()));
    assert_eq!(counts(&stdout), (1, 0, 5));
    let refused: Vec<&str> = stdout.lines().filter(|l| l.starts_with("refused ")).collect();
    let two = format!("refused 2: submission {}: ", id(2));
    let four = format!("refused 4: submission {}: ", id(4));
    assert_eq!(
        refused,
        [
            format!("{two}sent_at must be a UTC time like 2026-11-23T10:00:00Z").as_str(),
            &format!("{two}there is no question “nope” in this form"),
            &format!("{two}the answer to “ways” must be a list of option values"),
            "refused 3: submission_id must be a random UUID (version 4), in lower case",
            &format!("{four}there is no form “ghost” here"),
            &format!("refused 5: submission {}: it is not in the shape of a submission: unknown field `device_id`, expected one of \
             `schema_version`, `submission_id`, `form_id`, `form_version`, `sent_at`, `language`, `answers`, `context`, `source`, `stamp`", id(5)),
            "refused 6: it is a piece of text, not a submission (a JSON object)",
        ]
    );
    assert!(stdout.contains("5 refused: not stored; the reasons are above."), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "nothing from the file reaches the terminal as a control character");
    assert_eq!(place.rows().into_iter().map(|r| r.0).collect::<Vec<_>>(), [id(1)], "only the good one is stored");
}

#[test]
fn a_submission_too_long_for_the_endpoint_is_refused_as_the_endpoint_would() {
    let place = Place::new();
    let long = payload(&id(1), json!({"comment": "a".repeat(400)})).to_string();
    let file = place.file("long.json", &long);
    let mut cmd = Command::new(BIN);
    cmd.arg("import").arg(&file).arg("--db").arg(place.db()).args(["--forms", FORMS, "--max-bytes", "300"]);
    let out = run_bounded(cmd);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let reason = format!("it is {} bytes long; the most the endpoint takes is 300 bytes", long.len());
    assert!(stdout.contains(&format!("refused 1: submission {}: {reason}", id(1))), "{stdout}");
    assert_eq!(counts(&stdout), (0, 0, 1));
}

// ---------------------------------------------------------------- alongside a running server

/// A `collector serve` process on the place's database, killed when dropped.
struct Server(Serve);

impl Server {
    fn start(place: &Place) -> Server {
        Server(Serve::start(place.db(), &["--forms", FORMS]))
    }

    /// POSTs a body to /api/submissions; returns the status and the reply's body.
    fn post(&self, body: &str) -> (u16, String) {
        let mut s = TcpStream::connect(self.0.addr).unwrap();
        s.set_read_timeout(Some(LIMIT)).unwrap();
        let request = format!(
            "POST /api/submissions HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.0.addr,
            body.len()
        );
        s.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        let status = reply.get(9..12).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, reply.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default())
    }
}

#[test]
fn a_submission_first_sent_over_http_is_a_duplicate_and_the_server_runs_on() {
    let place = Place::new();
    let server = Server::start(&place);
    let sent = payload(&id(1), json!({"rating": 2})).to_string();
    let (status, reply) = server.post(&sent);
    assert_eq!(status, 201, "{reply}");

    // The app's refused-answers file holds the body exactly as it was sent.
    let saved = format!(
        "[{{\"refused_because\":\"\",\"submission\":{sent}}},{{\"submission\":{}}}]",
        payload(&id(2), json!({"rating": 1}))
    );
    let stdout = place.import_ok(&place.file("saved.json", &saved));
    assert_eq!(counts(&stdout), (1, 1, 0));
    assert!(!stdout.contains("different content"), "the same bytes: {stdout}");

    // The server still takes answers, and sees the imported one as stored.
    let (status, reply) = server.post(&payload(&id(2), json!({"rating": 1})).to_string());
    assert_eq!((status, reply.contains("\"duplicate\"")), (200, true), "{reply}");
    let (status, _) = server.post(&payload(&id(3), json!({})).to_string());
    assert_eq!(status, 201);
    assert_eq!(place.rows().into_iter().map(|r| r.0).collect::<Vec<_>>(), [id(1), id(2), id(3)]);
}

#[test]
fn imports_and_a_server_writing_at_the_same_time_store_everything_once() {
    let place = Place::new();
    let server = Server::start(&place);
    let files: Vec<PathBuf> = (0..3u8)
        .map(|f| {
            let list: Vec<Value> = (0..40u8).map(|n| payload(&id(100 + f * 40 + n), json!({"rating": 1}))).collect();
            place.file(&format!("tablet-{f}.json"), &serde_json::to_string(&list).unwrap())
        })
        .collect();
    let imports: Vec<Child> = files
        .iter()
        .map(|file| {
            Command::new(BIN)
                .arg("import")
                .arg(file)
                .arg("--db")
                .arg(place.db())
                .args(["--forms", FORMS])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Meanwhile, people send over HTTP, some of them the same answers as in the files.
    for n in (90..100u8).chain([100, 140, 180]) {
        let (status, reply) = server.post(&payload(&id(n), json!({"rating": 1})).to_string());
        assert!(status == 201 || status == 200, "{status} {reply}");
    }
    let mut new = 0;
    for child in imports {
        let out = wait_bounded(child);
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
        let (n, d, r) = counts(&stdout);
        assert_eq!((n + d, r), (40, 0), "{stdout}");
        new += n;
    }
    let ids: std::collections::BTreeSet<String> = place.rows().into_iter().map(|r| r.0).collect();
    assert_eq!(place.rows().len(), 130, "each once");
    assert_eq!(ids.len(), 130);
    assert!(new >= 117, "at most the three sent over HTTP first were duplicates: {new}");
}

#[test]
fn a_database_held_by_another_writer_stores_nothing_and_says_to_run_again() {
    let place = Place::new();
    let list: Vec<Value> = (1..=3).map(|n| payload(&id(n), json!({}))).collect();
    let file = place.file("list.json", &serde_json::to_string(&list).unwrap());
    assert_eq!(counts(&place.import_ok(&place.file("first.json", &list[0].to_string()))), (1, 0, 0));
    // Another connection holds the write lock for longer than the import waits (5 s).
    let conn = rusqlite::Connection::open(place.db()).unwrap();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let out = place.import(&file);
    conn.execute_batch("ROLLBACK").unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stdout}");
    assert!(stderr.contains("3 of the submissions could not be stored; run the import again."), "{stderr}");
    assert!(
        stdout.contains(&format!("not stored 2: submission {}: the database could not store it just now", id(2))),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 not stored: the database could not store them just now. Run the import again"),
        "{stdout}"
    );
    assert_eq!(counts(&stdout), (0, 0, 0));
    assert_eq!(place.rows().len(), 1);
    // Run again once the database is free: the one stored before is a duplicate, the rest are new.
    assert_eq!(counts(&place.import_ok(&file)), (2, 1, 0));
}

// ---------------------------------------------------------------- files that are not saved answers

#[test]
fn a_file_that_is_not_saved_answers_is_named_and_nothing_is_made() {
    let place = Place::new();
    let missing = place.dir.path().join("no-such-file.json");
    let cases: [(PathBuf, &str); 5] = [
        (missing.clone(), "could not be read"),
        (place.file("broken.json", "[{\"schema_version\": 1,"), "is not valid JSON: "),
        (place.file("number.json", "42"), "holds a number, not saved answers"),
        (place.file("config.json", r#"{"endpoint": "https://example.org/api"}"#), "holds no saved answers"),
        (place.file("words.json", "café, not JSON"), "is not valid JSON"),
    ];
    for (file, expected) in &cases {
        let out = place.import(file);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {stderr}", file.display());
        assert!(stderr.starts_with(&format!("collector: The file {} ", file.display())), "{stderr}");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert!(out.stdout.is_empty());
    }
    let not_text = place.dir.path().join("binary.json");
    std::fs::write(&not_text, [0xff, 0xfe, 0x00, 0x7b]).unwrap();
    let out = place.import(&not_text);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not text (UTF-8)"));
    assert!(!place.db().exists(), "no database is made for a file that is not saved answers");
}

#[test]
fn a_database_that_cannot_be_opened_is_named() {
    let place = Place::new();
    std::fs::create_dir_all(place.db()).unwrap(); // a folder where the database file should be
    let file = place.file("one.json", &payload(&id(1), json!({})).to_string());
    let out = place.import(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains(&format!("The database {} could not be opened", place.db().display())), "{stderr}");
}

#[test]
fn a_partners_label_is_imported_as_saved_and_one_that_is_not_a_label_is_refused() {
    // `collector import` reads no config.json: a label is checked for its shape only, as the device checked
    // it against its config.json before saving.
    let place = Place::new();
    let mut embedded = payload(&id(1), json!({"rating": 2}));
    embedded["source"] = json!("hostel-a");
    let mut misshapen = payload(&id(2), json!({}));
    misshapen["source"] = json!("https://hostel-a.example/");
    let stdout = place.import_ok(&place.file("embedded.json", &json!([embedded, misshapen]).to_string()));
    assert_eq!(counts(&stdout), (1, 0, 1));
    assert!(
        stdout.contains(&format!(
            "refused 2: submission {}: source must be a partner's label: 1 to 40 characters of a-z, 0-9, - and _, \
             starting with a letter or digit",
            id(2)
        )),
        "{stdout}"
    );
    assert_eq!(place.rows(), [(id(1), embedded.to_string())]);
    let csv = place.export("csv");
    assert!(csv.lines().next().unwrap().contains(",facilitator,source,"), "{csv}");
    assert!(csv.contains(&format!("{},test-form,2,", id(1))) && csv.contains(",en,,,,hostel-a,"), "{csv}");
}

// ---------------------------------------------------------------- text and context kept exactly

#[test]
fn hostile_text_and_a_sessions_context_survive_import_and_export_exactly() {
    let place = Place::new();
    let comment =
        "<script>alert(1)</script> '); DROP TABLE submissions;-- \u{0} \u{202E}txt.exe\u{202C} 😀🏳️‍🌈 \"quoted\", \
                   comma \\ back\u{2028}slash";
    let mut shared = payload(&id(1), json!({"comment": comment, "involved": true, "contact": "=1+2"}));
    shared["context"] = json!({"shared_device": true, "session": "@Leeds drop-in, 24 Nov", "facilitator": "ŵ-AB"});
    let own = payload(&id(2), json!({"comment": "at home"}));
    // Escapes as a browser might write them (\u00e9 for é, \/ for /), which are kept as written.
    let escaped = format!(
        r#"{{"schema_version":1,"submission_id":"{}","form_id":"test-form","form_version":"2","sent_at":"2026-11-23T10:00:00Z","language":"en","answers":{{"comment":"caf\u00e9 \/ \ud83d\ude00"}},"context":{{"shared_device":true}}}}"#,
        id(3)
    );
    let file_text = format!("\u{feff}[{shared},\n  {{\"submission\": {own}}},\n  {escaped}]\n");
    let stdout = place.import_ok(&place.file("tablet.json", &file_text));
    assert_eq!(counts(&stdout), (3, 0, 0));
    let rows = place.rows();
    assert_eq!(rows[0].1, shared.to_string());
    assert_eq!(rows[1].1, own.to_string());
    assert_eq!(rows[2].1, escaped, "escapes as written");

    let jsonl = place.export("jsonl");
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines, [shared.to_string().as_str(), &own.to_string(), &escaped]);
    let back: Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(back["answers"]["comment"], comment);
    assert_eq!(back["context"]["session"], "@Leeds drop-in, 24 Nov");

    let csv = place.export("csv");
    let header = csv.lines().next().unwrap();
    assert!(header.contains(",language,shared_device,session,facilitator,source,ways,"), "{header}");
    assert!(csv.contains(",en,yes,\"'@Leeds drop-in, 24 Nov\",ŵ-AB,"), "the label is defused and quoted: {csv}");
    assert!(csv.contains(&format!("{},test-form,2,", id(2))));
    let own_line = csv.split("\r\n").find(|l| l.starts_with(&id(2))).unwrap();
    assert!(own_line.contains(",en,,,,"), "no context: empty cells: {own_line}");
    let third = csv.split("\r\n").find(|l| l.starts_with(&id(3))).unwrap();
    assert!(third.contains(",en,yes,,,"), "{third}");
    assert!(third.contains("café / 😀"), "{third}");
}
