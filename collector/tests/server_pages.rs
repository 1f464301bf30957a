//! The start page drawn by the collector from the app's own components, in the form's
//! language or in `?lang=`, with what it was drawn from embedded; and the plain page when it
//! cannot be drawn.

use collector::{ServeOptions, Server};
use std::net::SocketAddr;
use std::path::Path;

const PUBLIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../public");
/// Like trunk's page, before the app is drawn in it.
const INDEX: &str =
    "<!doctype html><html lang=\"en\" dir=\"ltr\"><head><meta charset=\"utf-8\"><title>Give feedback</title>\
                     </head><body><p id=\"loading\">Loading the form…</p><noscript><p>Needs JavaScript</p></noscript>\
                     </body></html>";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

async fn get(addr: SocketAddr, path: &str) -> String {
    let res = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/html"), "{path}");
    let cache = res.headers()["cache-control"].clone();
    let page = res.text().await.unwrap();
    // A drawn page is never kept: it carries the id of a new set of answers.
    assert_eq!(cache, if page == INDEX { "no-cache" } else { "no-store" }, "{path}");
    page
}

/// The page with its new set of answers' id (a random UUID, in each form) left out.
fn without_ids(page: &str) -> String {
    let marker = r#"name="carry-id" value=""#;
    let mut out = String::new();
    let mut rest = page;
    while let Some(i) = rest.find(marker) {
        let id = &rest[i + marker.len()..i + marker.len() + 36];
        assert!(feedback_model::is_uuid_v4(id), "{id}");
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len() + 36..];
    }
    out + rest
}

/// A collector serving a copy of `public/` with trunk's `index.html` (so a test may edit its
/// files: they are read for each page), on a free loopback port.
async fn serve_a_copy_of_public() -> (tempfile::TempDir, SocketAddr) {
    let (dir, addr, _) = serve_a_copy_of_public_with(|_| {}).await;
    (dir, addr)
}

/// [`serve_a_copy_of_public`] with options changed by `change`, and the counts of what it turns away.
async fn serve_a_copy_of_public_with(
    change: impl FnOnce(&mut ServeOptions),
) -> (tempfile::TempDir, SocketAddr, collector::abuse::Counts) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    copy_dir(&Path::new(PUBLIC).join("forms"), &dist.join("forms"));
    copy_dir(&Path::new(PUBLIC).join("locales"), &dist.join("locales"));
    std::fs::copy(Path::new(PUBLIC).join("config.json"), dist.join("config.json")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    let mut opts = ServeOptions {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        static_dir: Some(dist.clone()),
        ..ServeOptions::new(dir.path().join("feedback.sqlite"), dist.join("forms"))
    };
    change(&mut opts);
    let server = Server::bind(opts).await.unwrap();
    let (addr, counts) = (server.local_addr(), server.counts());
    tokio::spawn(server.run_until(std::future::pending()));
    (dir, addr, counts)
}

#[tokio::test]
async fn the_start_page_is_drawn_in_the_forms_language_or_the_one_asked_for() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let dist = dir.path().join("dist");

    // The form's own language: the start page's words, its title, and what the app takes over from.
    let page = get(addr, "/").await;
    assert!(page.contains(r#"<html lang="en" dir="ltr">"#), "{page}");
    assert!(page.contains("<title>Tell us about the support you got</title>"), "{page}");
    assert!(page.contains(r#"class="heading-xl">Tell us about the support you got"#), "{page}");
    assert!(page.contains("Start now"), "{page}");
    assert!(page.contains(r#"<script type="application/json" id="boot-config">"#), "{page}");
    assert!(page.contains(r#"<script type="application/json" id="boot-form">"#), "{page}");
    assert!(!page.contains("Loading the form"), "{page}");
    assert!(page.contains("<noscript><p>Needs JavaScript</p></noscript></body></html>"), "{page}");
    assert!(!page.contains("boot-lang"), "{page}");
    // Each start page has a new set of answers' id, in each of its forms.
    assert_ne!(get(addr, "/index.html").await, page);
    let page = without_ids(&page);
    assert_eq!(without_ids(&get(addr, "/index.html").await), page);

    // Arabic, asked for: right to left, in its words, with its words embedded.
    let arabic = get(addr, "/?lang=ar").await;
    assert!(arabic.contains(r#"<html lang="ar" dir="rtl">"#), "{arabic}");
    assert!(arabic.contains("<title>رأيك في الدعم الذي حصلت عليه</title>"), "{arabic}");
    assert!(arabic.contains(r#"id="boot-lang">ar</script>"#), "{arabic}");

    // A language the form does not offer, or one that is not a language tag, is the form's own.
    for path in ["/?lang=fr", "/?lang=../config", "/?lang=%3Cscript%3E"] {
        assert_eq!(without_ids(&get(addr, path).await), page, "{path}");
    }

    // Edited on the server, shown at once; unreadable, the plain page.
    let config = std::fs::read_to_string(dist.join("config.json")).unwrap();
    let edited = config.replace("Local Voices Partnership (example)", "Another Partnership");
    assert_ne!(edited, config);
    std::fs::write(dist.join("config.json"), &edited).unwrap();
    assert!(get(addr, "/").await.contains("This form is run by Another Partnership."));
    std::fs::write(dist.join("config.json"), "{").unwrap();
    assert_eq!(get(addr, "/").await, INDEX);
}

#[tokio::test]
async fn a_hostile_text_in_the_form_cannot_end_the_script_it_is_carried_in() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let dist = dir.path().join("dist");
    let form_path = dist.join("forms/remote-support.json");
    let form = std::fs::read_to_string(&form_path).unwrap();
    let hostile = "</script><script>alert(1)</script><!--";
    let edited = form.replacen("Tell us about the support you got", hostile, 1);
    assert_ne!(edited, form);
    std::fs::write(&form_path, edited).unwrap();

    let page = get(addr, "/").await;
    // Drawn as text, and carried in the embedded form only as an escaped JSON string.
    assert!(!page.contains(hostile), "{page}");
    assert!(page.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--"), "{page}");
    assert!(page.contains(r#"<\/script><script>alert(1)<\/script><\u0021--"#), "{page}");
}

/// The hidden fields of a drawn page's last form (its main one), as the browser would post them.
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    let form = &page[page.rfind(r#"<form method="post""#).expect("a form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let unescape = |s: &str| s.replace("&quot;", "\"").replace("&lt;", "<").replace("&amp;", "&");
    form.split(r#"<input type="hidden" name=""#)
        .skip(1)
        .map(|input| {
            let (name, rest) = input.split_once(r#"" value=""#).unwrap();
            let value = &rest[..rest.find('"').unwrap()];
            (unescape(name), unescape(value))
        })
        .collect()
}

/// POSTs `fields` (and `extra`) as a browser posts a form; the status, `Cache-Control`,
/// whether a cookie was set, and the page.
async fn post(addr: SocketAddr, fields: &[(String, String)], extra: &[(&str, &str)]) -> (u16, String, bool, String) {
    post_to(addr, "/", fields, extra).await
}

/// [`post`] to `path`: a page's form has no `action`, so it posts to the page's own address, query and all.
async fn post_to(
    addr: SocketAddr,
    path: &str,
    fields: &[(String, String)],
    extra: &[(&str, &str)],
) -> (u16, String, bool, String) {
    let mut all: Vec<(String, String)> = fields.to_vec();
    all.extend(extra.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())));
    let body: String = all.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect::<Vec<_>>().join("&");
    let res = reqwest::Client::new()
        .post(format!("http://{addr}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let cache = res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let cookie = res.headers().contains_key("set-cookie");
    (status, cache, cookie, res.text().await.unwrap())
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn title(page: &str) -> &str {
    &page[page.find("<title>").unwrap() + 7..page.find("</title>").unwrap()]
}

#[tokio::test]
async fn with_no_app_each_button_posts_to_the_next_screen_and_send_stores_once() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let start = get(addr, "/").await;
    let (status, cache, cookie, page) = post(addr, &hidden_fields(&start), &[("do", "start")]).await;
    assert_eq!((status, cache.as_str(), cookie), (200, "no-store", false));
    assert_eq!(title(&page), "Page 1 of 5 – Tell us about the support you got");

    // Continue with "Housing" and "I'd rather not say" both ticked: the same page, with its error.
    let both = [("q-services", "housing"), ("q-services", "prefer_not_to_say"), ("q-ways", "phone")];
    let (status, _, _, again) = post(addr, &hidden_fields(&page), &both).await;
    assert_eq!(status, 200);
    assert!(title(&again).starts_with("Error: Page 1 of"), "{}", title(&again));
    assert!(again.contains(r#"class="error-summary""#), "{again}");
    // What was ticked is shown ticked again; the carried answers are still only those that fit.
    assert!(hidden_fields(&again).contains(&("carry-answers".into(), "{}".into())));

    // Fixed: skip logic shows only the phone rating.
    let (_, _, _, rated) = post(addr, &hidden_fields(&again), &[("q-services", "housing"), ("q-ways", "phone")]).await;
    assert_eq!(title(&rated), "Page 2 of 6 – Tell us about the support you got");
    assert!(rated.contains(r#"name="q-rate_phone""#) && !rated.contains(r#"name="q-rate_video""#));
    let hostile = "</textarea><script>alert(1)</script> \"quoted\" & café";
    let mut page =
        post(addr, &hidden_fields(&rated), &[("q-rate_phone", "2")] /* the third point of the scale: 3 */).await.3;
    for _ in 0..8 {
        if title(&page).starts_with("Check your answers") {
            break;
        }
        let extra: &[(&str, &str)] =
            if page.contains(r#"name="q-anything_else""#) { &[("q-anything_else", hostile)] } else { &[] };
        page = post(addr, &hidden_fields(&page), extra).await.3;
    }
    assert!(title(&page).starts_with("Check your answers"), "{}", title(&page));
    // Drawn as text; in the embedded JSON, `</` is `<\/` (so it cannot end the script).
    assert!(!page.contains("</textarea><script>") && !page.contains("alert(1)</script>"), "{page}");
    assert!(page.contains("&lt;/textarea&gt;&lt;script&gt;alert(1)"), "{page}");
    let check = hidden_fields(&page);

    // Send twice (a double tap, or Back and Send again): one row, with exactly the answers given.
    for _ in 0..2 {
        let (status, cache, cookie, sent) = post(addr, &check, &[("do", "send")]).await;
        assert_eq!((status, cache.as_str(), cookie), (200, "no-store", false));
        assert!(title(&sent).starts_with("Thank you"), "{}", title(&sent));
    }
    let store = collector::sqlite::Sqlite::open(&dir.path().join("feedback.sqlite"), std::time::Duration::from_secs(5))
        .unwrap();
    use collector::store::Store;
    let rows = store.rows(None).unwrap();
    assert_eq!(rows.len(), 1);
    let answers: serde_json::Value = serde_json::from_str(&rows[0].payload).unwrap();
    assert_eq!(
        answers["answers"],
        serde_json::json!({"services": ["housing"], "ways": ["phone"], "rate_phone": 3, "anything_else": hostile})
    );

    // A tampered carried answer is checked as any submission's: refused, with its reason, and not stored.
    let tampered: Vec<(String, String)> = check
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "carry-answers" { v.replace("\"rate_phone\":3", "\"rate_phone\":9") } else { v.clone() },
            )
        })
        .collect();
    assert_ne!(tampered, check);
    let (status, cache, _, refused) = post(addr, &tampered, &[("do", "send")]).await;
    assert_eq!((status, cache.as_str()), (422, "no-store"));
    assert!(refused.contains("must be a whole number from 1 to 5"), "{refused}");
    // A button the screen does not have, or no screen at all.
    assert_eq!(post(addr, &check, &[("do", "start")]).await.0, 422);
    assert_eq!(post(addr, &[], &[("do", "send")]).await.0, 422);
    assert_eq!(store.rows(None).unwrap().len(), 1);
}

#[tokio::test]
async fn a_shared_devices_start_page_says_with_no_javascript_that_its_sessions_need_the_app() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let dist = dir.path().join("dist");
    assert!(!get(addr, "/").await.contains("needs-app"), "a personal device's page says nothing of it");
    copy_dir(&Path::new(PUBLIC).join("shared"), &dist.join("shared"));
    let config = std::fs::read_to_string(dist.join("config.json")).unwrap();
    std::fs::write(dist.join("config.json"), config.replacen('{', r#"{"shared_device": true,"#, 1)).unwrap();
    let page = get(addr, "/").await;
    let notice = r#"<noscript><div class="width-container"><div class="notice" id="needs-app"><p class="body">This device is set up for peer research sessions, which need JavaScript and WebAssembly turned on."#;
    assert!(page.contains(notice), "{page}");
    // After the app's markup, which the app takes over, and in the language shown.
    assert!(page.find(notice) > page.find("Start now"), "{page}");
    assert!(get(addr, "/?lang=cy").await.contains("Mae'r ddyfais hon wedi'i gosod"));
}

// ---------------------------------------------------------------- in a partner's frame

const FRAMED: &str = r#"<html lang="en" dir="ltr" data-embed>"#;
const FRAME_STYLE: &str = r#"<link rel="stylesheet" href="embed/frame.css"></head>"#;

/// Whether a drawn page is marked for a partner's frame: both marks, or neither.
fn framed(page: &str) -> bool {
    let (marked, styled) = (page.contains(" data-embed"), page.contains("embed/frame.css"));
    assert_eq!(marked, styled, "{page}");
    marked
}

#[tokio::test]
async fn in_a_partners_frame_every_drawn_page_is_marked_and_takes_the_frames_stylesheet() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let page = get(addr, "/?embed=1").await;
    assert!(page.contains(FRAMED) && page.contains(FRAME_STYLE), "{page}");
    assert_eq!(page.matches("embed/frame.css").count(), 1, "{page}");
    for path in ["/", "/index.html", "/?embed=0", "/?embedded=1", "/?lang=cy", "/?source=hostel-a"] {
        assert!(!framed(&get(addr, path).await), "{path}");
    }
    assert!(get(addr, "/?lang=cy&embed=1").await.contains(r#"<html lang="cy" dir="ltr" data-embed>"#));
    // The language links keep the frame (a person who picks Cymraeg stays in it); nothing else changes.
    assert!(page.contains(r#"href="?embed=1&amp;lang=cy""#), "{page}");
    let unmarked = without_ids(&page)
        .replacen(" data-embed", "", 1)
        .replacen(r#"<link rel="stylesheet" href="embed/frame.css">"#, "", 1)
        .replace(r#"href="?embed=1&amp;lang="#, r#"href="?lang="#);
    assert_eq!(unmarked, without_ids(&get(addr, "/").await));

    // The next screens: each button posts to the page's own address, so they stay marked.
    let (status, _, _, next) = post_to(addr, "/?embed=1", &hidden_fields(&page), &[("do", "start")]).await;
    assert_eq!(status, 200);
    assert!(next.contains(FRAMED) && next.contains(FRAME_STYLE), "{next}");
    let (status, _, _, refused) = post_to(addr, "/?embed=1", &[], &[("do", "send")]).await;
    assert_eq!(status, 422);
    assert!(framed(&refused), "the error page too");
    assert!(!framed(&post(addr, &hidden_fields(&page), &[("do", "start")]).await.3));

    // The page says which sites may frame it, as config.json lists them.
    let policy = |path: &'static str| async move {
        let res = reqwest::get(format!("http://{addr}{path}")).await.unwrap();
        let policy = res.headers()["content-security-policy"].to_str().unwrap().to_owned();
        policy.split("; ").find(|d| d.starts_with("frame-ancestors")).unwrap().to_owned()
    };
    assert_eq!(policy("/?embed=1").await, "frame-ancestors 'self'");
    let config_path = dir.path().join("dist/config.json");
    let config = std::fs::read_to_string(&config_path).unwrap();
    let listed = r#"{"embed": {"allowed_origins": ["https://hostel-a.example"]},"#;
    std::fs::write(&config_path, config.replacen('{', listed, 1)).unwrap();
    assert_eq!(policy("/?embed=1").await, "frame-ancestors 'self' https://hostel-a.example");
}

/// Answers the form from the start page at `path` to its end, pressing Continue with nothing chosen, and
/// presses Send, every page posting to `path`. Whether each page was marked for a frame.
async fn send_from(addr: SocketAddr, path: &str) -> Vec<bool> {
    let start = get(addr, path).await;
    let mut marks = vec![framed(&start)];
    let (_, _, _, mut page) = post_to(addr, path, &hidden_fields(&start), &[("do", "start")]).await;
    for _ in 0..10 {
        marks.push(framed(&page));
        if title(&page).starts_with("Check your answers") {
            break;
        }
        page = post_to(addr, path, &hidden_fields(&page), &[]).await.3;
    }
    assert!(title(&page).starts_with("Check your answers"), "{}", title(&page));
    let (status, _, _, sent) = post_to(addr, path, &hidden_fields(&page), &[("do", "send")]).await;
    assert_eq!(status, 200, "{sent}");
    assert!(title(&sent).starts_with("Thank you"), "{}", title(&sent));
    marks.push(framed(&sent));
    // Start again (the next person) keeps what the address kept: the frame, and a listed label.
    let tag = sent.split_once("confirmation__again").and_then(|(before, _)| before.rsplit_once("<a ")).map(|t| t.1);
    let again = tag.and_then(|t| t.split("href=\"").nth(1)).and_then(|a| a.split('"').next());
    let again = again.unwrap_or_else(|| panic!("no Start again: {sent}")).to_owned();
    marks.push(again.contains("embed=1"));
    marks.push(again.contains("source="));
    assert!(again.starts_with("./"), "{again}");
    marks
}

#[tokio::test]
async fn a_send_with_no_app_stores_the_label_config_json_lists_and_no_other() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let config_path = dir.path().join("dist/config.json");
    let config = std::fs::read_to_string(&config_path).unwrap();
    std::fs::write(&config_path, config.replacen('{', r#"{"embed": {"sources": ["hostel-a", "drop-in"]},"#, 1))
        .unwrap();

    let paths = [
        "/?embed=1&source=hostel-a",
        "/?embed=1&source=hostel-b",
        "/?lang=en&source=drop-in",
        "/?embed=1",
        "/?embed=1&source=Hostel-A",
        "/?embed=1&source=hostel-a%0A",
    ];
    let listed = [true, false, true, false, false, false];
    for (path, listed) in paths.into_iter().zip(listed) {
        let mut marks = send_from(addr, path).await;
        let (again_source, again_embed) = (marks.pop().unwrap(), marks.pop().unwrap());
        assert!(marks.iter().all(|m| *m == path.contains("embed=1")), "{path}: {marks:?}");
        assert_eq!((again_embed, again_source), (path.contains("embed=1"), listed), "{path}: Start again");
    }
    // The language links keep a listed label, after the frame's mark.
    let start = get(addr, "/?embed=1&source=hostel-a").await;
    assert!(start.contains(r#"href="?embed=1&amp;source=hostel-a&amp;lang=cy""#), "{start}");
    assert!(!get(addr, "/?embed=1&source=hostel-b").await.contains("hostel-b"), "an unlisted label is not written");
    let store = collector::sqlite::Sqlite::open(&dir.path().join("feedback.sqlite"), std::time::Duration::from_secs(5))
        .unwrap();
    use collector::store::Store;
    let rows = store.rows(None).unwrap();
    let sources: Vec<Option<String>> =
        rows.iter().map(|r| serde_json::from_str::<feedback_model::Submission>(&r.payload).unwrap().source).collect();
    assert_eq!(sources, [Some("hostel-a".into()), None, Some("drop-in".into()), None, None, None]);
    for row in &rows {
        assert!(!row.payload.contains("hostel-b") && !row.payload.contains("embed"), "{}", row.payload);
    }
}

fn stored(dir: &Path) -> usize {
    use collector::store::Store;
    let store =
        collector::sqlite::Sqlite::open(&dir.join("feedback.sqlite"), std::time::Duration::from_secs(5)).unwrap();
    store.rows(None).unwrap().len()
}

#[tokio::test]
async fn a_send_that_fills_the_honeypot_is_answered_as_sent_and_not_stored() {
    let (dir, addr, counts) = serve_a_copy_of_public_with(|_| {}).await;
    let spam = ("carry-website", "https://spam.example");
    let start = get(addr, "/").await;
    // Every other button with the field filled goes on as usual, to Check your answers.
    let mut page = post(addr, &hidden_fields(&start), &[spam, ("do", "start")]).await.3;
    for _ in 0..10 {
        if title(&page).starts_with("Check your answers") {
            break;
        }
        page = post(addr, &hidden_fields(&page), &[spam]).await.3;
    }
    assert!(title(&page).starts_with("Check your answers"), "{}", title(&page));
    let check = hidden_fields(&page);

    let (status, cache, cookie, caught) = post(addr, &check, &[spam, ("do", "send")]).await;
    assert_eq!((status, cache.as_str(), cookie), (200, "no-store", false));
    assert!(title(&caught).starts_with("Thank you"), "{}", title(&caught));
    assert_eq!(stored(dir.path()), 0, "nothing stored");
    assert_eq!(counts.honeypot(), 1);

    // The same Send with the field empty, as the page draws it: stored, and answered with the very same page,
    // so a program learns nothing from the answer.
    let (status, _, _, sent) = post(addr, &check, &[("carry-website", ""), ("do", "send")]).await;
    assert_eq!(status, 200);
    assert_eq!(sent, caught);
    assert_eq!(stored(dir.path()), 1);
    assert_eq!(counts.honeypot(), 1);
    // And without the field at all (a page drawn before the field was), as before.
    assert_eq!(post(addr, &check, &[("do", "send")]).await.0, 200);
    assert_eq!(stored(dir.path()), 1, "the same answers, stored once");
}

#[tokio::test]
async fn the_pages_posts_are_rate_limited_and_drawing_a_start_page_is_not() {
    let (_dir, addr, counts) = serve_a_copy_of_public_with(|o| {
        o.rate_limit = collector::RateLimit { burst: 2, per_minute: 1 };
        o.client_ip_header = Some("X-Forwarded-For".into());
    })
    .await;
    let start = get(addr, "/").await;
    let body: String = hidden_fields(&start)
        .iter()
        .chain([("do".to_owned(), "start".to_owned())].iter())
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let post_from = |from: &'static str| {
        reqwest::Client::new()
            .post(format!("http://{addr}/"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", from)
            .body(body.clone())
            .send()
    };
    for _ in 0..2 {
        assert_eq!(post_from("198.51.100.7").await.unwrap().status(), 200);
    }
    let res = post_from("198.51.100.7").await.unwrap();
    assert_eq!(res.status(), 429);
    assert_eq!(res.headers()["retry-after"], "60");
    let text = res.text().await.unwrap();
    assert!(text.contains("Nothing is lost: please wait 60 seconds, then go back"), "{text}");
    assert_eq!(counts.rate_limited(), 1);
    assert_eq!(post_from("203.0.113.5").await.unwrap().status(), 200, "another client");
    // The limited client still gets start pages drawn.
    for _ in 0..3 {
        let res = reqwest::Client::new()
            .get(format!("http://{addr}/"))
            .header("x-forwarded-for", "198.51.100.7")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains(r#"name="carry-id""#));
    }
}

#[tokio::test]
async fn with_encryption_in_config_json_a_send_with_no_app_is_sealed_for_its_key_before_it_is_stored() {
    let (dir, addr) = serve_a_copy_of_public().await;
    let key = collector::crypt::PrivateKey::generate(None).unwrap();
    let config_path = dir.path().join("dist/config.json");
    let config = std::fs::read_to_string(&config_path).unwrap();
    std::fs::write(&config_path, config.replacen('{', &format!("{{{},", key.config_block()), 1)).unwrap();

    send_from(addr, "/?lang=en").await;
    use collector::store::Store;
    let store = collector::sqlite::Sqlite::open(&dir.path().join("feedback.sqlite"), std::time::Duration::from_secs(5))
        .unwrap();
    let rows = store.rows(None).unwrap();
    assert_eq!(rows.len(), 1);
    assert!(feedback_model::is_envelope(&rows[0].payload), "stored sealed: {}", rows[0].payload);
    assert_eq!(rows[0].language, "", "the language is sealed with the answers");
    let envelope: feedback_model::Envelope = serde_json::from_str(&rows[0].payload).unwrap();
    assert_eq!(envelope.encrypted.key_id, key.key_id());
    let opened = collector::crypt::open(&[key], &envelope).unwrap();
    assert_eq!(opened.submission.language, "en");
    assert_eq!(opened.submission.submission_id, rows[0].submission_id);
}
