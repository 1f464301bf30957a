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
    assert_eq!(res.headers()["cache-control"], "no-cache", "{path}");
    res.text().await.unwrap()
}

/// A collector serving a copy of `public/` with trunk's `index.html` (so a test may edit its
/// files: they are read for each page), on a free loopback port.
async fn serve_a_copy_of_public() -> (tempfile::TempDir, SocketAddr) {
    let dir = tempfile::tempdir().unwrap();
    let dist = dir.path().join("dist");
    copy_dir(&Path::new(PUBLIC).join("forms"), &dist.join("forms"));
    copy_dir(&Path::new(PUBLIC).join("locales"), &dist.join("locales"));
    std::fs::copy(Path::new(PUBLIC).join("config.json"), dist.join("config.json")).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    let opts = ServeOptions {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        static_dir: Some(dist.clone()),
        ..ServeOptions::new(dir.path().join("feedback.sqlite"), dist.join("forms"))
    };
    let server = Server::bind(opts).await.unwrap();
    let addr = server.local_addr();
    tokio::spawn(server.run_until(std::future::pending()));
    (dir, addr)
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
    assert_eq!(get(addr, "/index.html").await, page);

    // Arabic, asked for: right to left, in its words, with its words embedded.
    let arabic = get(addr, "/?lang=ar").await;
    assert!(arabic.contains(r#"<html lang="ar" dir="rtl">"#), "{arabic}");
    assert!(arabic.contains("<title>رأيك في الدعم الذي حصلت عليه</title>"), "{arabic}");
    assert!(arabic.contains(r#"id="boot-lang">ar</script>"#), "{arabic}");

    // A language the form does not offer, or one that is not a language tag, is the form's own.
    for path in ["/?lang=fr", "/?lang=../config", "/?lang=%3Cscript%3E"] {
        assert_eq!(get(addr, path).await, page, "{path}");
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
