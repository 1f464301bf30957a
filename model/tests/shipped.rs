//! Every form and config the project ships must be valid: a broken one fails `cargo test`.

use feedback_model::{placeholders, Config, Form, Strings, Text, Translation};
use std::path::Path;

fn public() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../public"))
}

#[test]
fn every_shipped_form_validates() {
    let mut checked = 0;
    for entry in std::fs::read_dir(public().join("forms")).unwrap() {
        let path = entry.unwrap().path();
        let is_translation = path.file_stem().is_some_and(|s| s.to_string_lossy().contains('.'));
        if path.extension().is_some_and(|e| e == "json") && !is_translation {
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
    assert_eq!(config.embed.problems(), Vec::<String>::new(), "embed's labels and origins are checked apart");
}

fn source_forms() -> Vec<Form> {
    let mut forms = Vec::new();
    for entry in std::fs::read_dir(public().join("forms")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with(".json") && name.matches('.').count() == 1 {
            forms.push(Form::parse(&std::fs::read_to_string(&path).unwrap()).unwrap());
        }
    }
    forms
}

#[test]
fn every_form_language_has_a_complete_translation_file() {
    let mut checked = 0;
    for form in source_forms() {
        for lang in form.languages.iter().skip(1) {
            let path = public().join(format!("forms/{}.{lang}.json", form.id));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
            let t = Translation::parse(&text).unwrap_or_else(|e| panic!("{}:\n{}", path.display(), e.join("\n")));
            assert_eq!(&t.language, lang, "{}: the language must match the file name", path.display());
            let mut translated = form.clone();
            let problems = translated.translate(&t);
            assert!(problems.is_empty(), "{}:\n{}", path.display(), problems.join("\n"));
            let missing = translated.untranslated(lang);
            assert!(missing.is_empty(), "{} has no words for:\n{}", path.display(), missing.join("\n"));
            checked += 1;
        }
    }
    assert!(checked >= 2, "the default form ships in Welsh and Arabic");
}

#[test]
fn every_translation_file_belongs_to_a_form_that_lists_its_language() {
    let forms = source_forms();
    for entry in std::fs::read_dir(public().join("forms")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if let Some((id, lang)) = name.strip_suffix(".json").and_then(|s| s.split_once('.')) {
            let form = forms.iter().find(|f| f.id == id);
            assert!(
                form.is_some_and(|f| f.languages.iter().any(|l| l == lang)),
                "forms/{name} belongs to no form in that language"
            );
        }
    }
}

fn locale(lang: &str) -> Strings {
    let path = public().join(format!("locales/{lang}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
    Strings::parse(&text).unwrap_or_else(|e| panic!("{} {e}", path.display()))
}

/// CLDR's plural categories for the cardinal numbers of each shipped language
/// (the categories the browser's `Intl.PluralRules` answers with).
const PLURAL_CATEGORIES: &[(&str, &[&str])] = &[
    ("en", &["one", "other"]),
    ("cy", &["zero", "one", "two", "few", "many", "other"]),
    ("ar", &["zero", "one", "two", "few", "many", "other"]),
];
const ALL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The base of a plural sentence's key (`chars_left` for `chars_left_few`), if `key`
/// is one of the forms of a sentence whose `_other` form English has.
fn plural_base<'a>(en: &Strings, key: &'a str) -> Option<&'a str> {
    let (base, category) = key.rsplit_once('_')?;
    (ALL_CATEGORIES.contains(&category) && en.get(&format!("{base}_other")).is_some()).then_some(base)
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort_unstable();
    v.dedup();
    v
}

#[test]
fn every_locale_has_every_sentence_with_the_same_placeholders() {
    let en = locale("en");
    let mut checked = 0;
    for entry in std::fs::read_dir(public().join("locales")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let lang = name.strip_suffix(".json").expect("locale files are .json");
        let other = locale(lang);
        let categories = PLURAL_CATEGORIES
            .iter()
            .find(|(l, _)| *l == lang)
            .unwrap_or_else(|| panic!("add {lang}'s plural categories (CLDR) to PLURAL_CATEGORIES"))
            .1;
        let mut problems = Vec::new();
        // Plain sentences: every one of English's, with the same placeholders.
        for key in en.keys().filter(|k| plural_base(&en, k).is_none()) {
            match other.get(key) {
                None => problems.push(format!("“{key}” is missing")),
                Some(s) if s.trim().is_empty() => problems.push(format!("“{key}” is empty")),
                Some(s) if placeholders(s) != placeholders(en.get(key).unwrap()) => problems
                    .push(format!("“{key}” must fill in {:?}, as English does", placeholders(en.get(key).unwrap()))),
                Some(_) => {}
            }
        }
        // Sentences about a number: every form this language's plural rules need. The
        // `_other` form fills in what English's does; another form may leave out the
        // number ("a minute"), but fills in nothing English's `_other` does not.
        let bases = sorted(en.keys().filter_map(|k| plural_base(&en, k)).collect());
        for base in &bases {
            let english = sorted(placeholders(en.get(&format!("{base}_other")).unwrap()));
            for category in categories.iter() {
                let key = format!("{base}_{category}");
                match other.get(&key) {
                    None => problems.push(format!("“{key}” is missing ({lang} has a “{category}” plural form)")),
                    Some(s) if s.trim().is_empty() => problems.push(format!("“{key}” is empty")),
                    Some(s) if *category == "other" && sorted(placeholders(s)) != english => {
                        problems.push(format!("“{key}” must fill in {english:?}, as English's does"))
                    }
                    Some(s) if !placeholders(s).iter().all(|p| english.contains(p)) => {
                        problems.push(format!("“{key}” fills in something English's “{base}_other” does not"))
                    }
                    Some(_) => {}
                }
            }
        }
        problems.extend(
            other
                .keys()
                .filter(|k| match plural_base(&en, k) {
                    Some(_) => !categories.iter().any(|c| k.ends_with(&format!("_{c}"))),
                    None => en.get(k).is_none(),
                })
                .map(|k| format!("“{k}” is not in en.json, or not a plural form {lang} has")),
        );
        assert!(problems.is_empty(), "locales/{name}:\n{}", problems.join("\n"));
        checked += 1;
    }
    assert!(checked >= 3, "English, Welsh and Arabic ship");
}

#[test]
fn every_form_language_has_interface_words() {
    for form in source_forms() {
        for lang in &form.languages {
            assert!(
                public().join(format!("locales/{lang}.json")).exists(),
                "{} is in {lang} but locales/{lang}.json is missing",
                form.id
            );
        }
    }
}

/// Every `t("key")` and `tf("key", …)` in the app names a sentence in `en.json`,
/// and every sentence there is used.
#[test]
fn the_app_uses_exactly_the_sentences_in_en_json() {
    let en = locale("en");
    let mut used = std::collections::BTreeSet::new();
    let mut dirs = vec![Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../src")).to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let src = std::fs::read_to_string(&path).unwrap();
                for call in ["t(\"", "tf(\"", "tp(\"", "english(\"", "english_tp(\""] {
                    for (i, _) in src.match_indices(call) {
                        let before = src[..i].chars().next_back().unwrap_or(' ');
                        if before.is_alphanumeric() || before == '_' {
                            continue;
                        }
                        let key: String = src[i + call.len()..].chars().take_while(|&c| c != '"').collect();
                        if call.ends_with("tp(\"") {
                            // A sentence about a number: its forms are `{key}_one`, `{key}_other`…
                            let forms: Vec<String> = en
                                .keys()
                                .filter(|k| plural_base(&en, k) == Some(key.as_str()))
                                .map(str::to_owned)
                                .collect();
                            assert!(
                                !forms.is_empty(),
                                "{} uses “{key}”, which en.json lacks (as {key}_other)",
                                path.display()
                            );
                            used.extend(forms);
                        } else {
                            assert!(en.get(&key).is_some(), "{} uses “{key}”, which en.json lacks", path.display());
                            used.insert(key);
                        }
                    }
                }
            }
        }
    }
    // And the loader's, for a static host's page where the app cannot start.
    let loader = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/cannot-start.js")).unwrap();
    for key in ["cannot_start", "cannot_start_link"] {
        assert!(loader.contains(&format!("t(\"{key}\"")), "public/cannot-start.js no longer shows “{key}”");
        used.insert(key.to_owned());
    }
    let unused: Vec<&str> = en.keys().filter(|k| !used.contains(*k)).collect();
    assert!(unused.is_empty(), "en.json has sentences the app never shows: {unused:?}");
}

/// The config's texts (the organisation's name, each help contact's name,
/// description and hours) that have no words of their own in one of `form`'s
/// languages. A plain string is the same words in every language: fine for the
/// form's first language, or a deployment in one language, but for any other
/// language it is untranslated, just as [`Form::untranslated`] counts it.
fn config_texts_without_words(config: &Config, form: &Form) -> Vec<String> {
    let mut texts = vec![("the organisation's name", &config.organisation.name)];
    for h in &config.help {
        texts.push(("a help contact's name", &h.name));
        texts.extend(h.description.iter().map(|t| ("a help contact's description", t)));
        texts.extend(h.hours.iter().map(|t| ("a help contact's hours", t)));
    }
    let mut missing = Vec::new();
    for (i, lang) in form.languages.iter().enumerate() {
        for (what, t) in &texts {
            let own_words = t.has(lang) && (i == 0 || matches!(t, Text::Translated(_)));
            if !own_words {
                missing.push(format!("{what} “{}” has no words in {lang}", t.get("en")));
            }
        }
    }
    missing
}

#[test]
fn the_shipped_config_has_words_in_every_language_of_its_form() {
    let text = std::fs::read_to_string(public().join("config.json")).unwrap();
    let config = Config::parse(&text).unwrap();
    let form = source_forms().into_iter().find(|f| f.id == config.form).unwrap();
    assert!(form.languages.len() >= 3, "the default form offers English, Welsh and Arabic");
    let missing = config_texts_without_words(&config, &form);
    assert!(missing.is_empty(), "config.json:\n{}", missing.join("\n"));

    // The check can fail: an English-only name, or one lacking Arabic, is caught.
    let mut english_only = config.clone();
    english_only.organisation.name = Text::from("Local Voices Partnership");
    english_only.help[0].hours =
        Some(Text::Translated(vec![("en".into(), "9 to 5".into()), ("cy".into(), "9 i 5".into())]));
    assert_eq!(
        config_texts_without_words(&english_only, &form),
        [
            "the organisation's name “Local Voices Partnership” has no words in cy",
            "the organisation's name “Local Voices Partnership” has no words in ar",
            "a help contact's hours “9 to 5” has no words in ar",
        ]
    );
}

#[test]
fn every_picture_a_shipped_form_names_is_shipped() {
    let mut checked = 0;
    for form in source_forms() {
        for q in form.questions() {
            if let feedback_model::Kind::Scale { pictures, .. } = &q.kind {
                for p in pictures {
                    assert!(public().join(&p.src).is_file(), "{}: {} is missing", q.id, p.src);
                    assert!(!p.alt.get("en").trim().is_empty(), "{}: {} needs a text alternative", q.id, p.src);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 0, "the default form's scales have pictures");
}
