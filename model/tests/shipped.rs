//! Every form and config the project ships must be valid: a broken one fails `cargo test`.

use feedback_model::{Config, Form};
use std::path::Path;

fn public() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public"))
}

#[test]
fn every_shipped_form_validates() {
    let mut checked = 0;
    for entry in std::fs::read_dir(public().join("forms")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let form = Form::parse(&text).unwrap_or_else(|e| panic!("{}:\n{e}", path.display()));
            let stem = path.file_stem().unwrap().to_str().unwrap();
            assert_eq!(form.id, stem, "{}: the id must match the file name", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 1, "no forms found in public/forms");
}

#[test]
fn shipped_config_validates_and_names_a_shipped_form() {
    let text = std::fs::read_to_string(public().join("config.json")).unwrap();
    let config = Config::parse(&text).unwrap_or_else(|e| panic!("{}", e.join("\n")));
    assert!(public().join(config.form_path()).exists(), "config names a form that is not shipped");
}
