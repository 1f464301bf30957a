//! Reading form files: skip logic, answer checks, payloads, and clear errors for broken files.

use feedback_model::{check_answer, Answer, Answers, Form, Phase, Problem, Route, Submission};

const DEFAULT: &str = include_str!("../../public/forms/remote-support.json");

fn default_form() -> Form {
    Form::parse(DEFAULT).unwrap()
}

fn choices(v: &[&str]) -> Answer {
    Answer::Choices(v.iter().map(|s| s.to_string()).collect())
}

fn errors(json: &str) -> Vec<String> {
    Form::parse(json).expect_err("should be refused").0
}

const PAGE: &str = r#"{"id": "f", "version": "1", "title": "T", "pages": [{"id": "p", "questions": QUESTIONS}]}"#;

fn with_questions(q: &str) -> String {
    PAGE.replace("QUESTIONS", q)
}

#[test]
fn bad_json_says_where() {
    let e = errors("{\"id\": \"f\",\n \"pages\": [}");
    assert_eq!(e.len(), 1);
    assert!(e[0].contains("not valid JSON") && e[0].contains("line 2"), "{e:?}");
}

#[test]
fn every_unknown_kind_and_typo_is_listed_not_just_the_first() {
    let e = errors(&with_questions(
        r#"[{"id": "a", "label": "A", "kind": "slider"},
            {"id": "b", "label": "B", "kind": "yes_no", "requried": true},
            {"id": "c", "label": "C"},
            {"id": "d", "label": "D", "kind": "scale", "min": "one", "max": 5, "labels": []}]"#,
    ));
    assert_eq!(e.len(), 4, "{e:#?}");
    assert!(e[0].contains("question 1 (“a”) on page 1 has an unknown kind “slider”"), "{}", e[0]);
    assert!(e[0].contains("“single_choice”"), "lists the kinds: {}", e[0]);
    assert!(e[1].contains("unknown field “requried”"), "{}", e[1]);
    assert!(e[2].contains("has no “kind”"), "{}", e[2]);
    assert_eq!(e[3], "question 4 (“d”) on page 1 has a “min” that is not a whole number");
}

#[test]
fn duplicate_ids_and_dangling_conditions_are_all_listed() {
    let e = errors(&with_questions(
        r#"[{"id": "a", "label": "A", "kind": "yes_no", "show_if": {"question": "later", "equals": true}},
            {"id": "a", "label": "A again", "kind": "yes_no"},
            {"id": "b", "label": "B", "kind": "yes_no", "show_if": {"question": "missing", "equals": true}},
            {"id": "later", "label": "L", "kind": "yes_no"},
            {"id": "c", "label": "C", "kind": "yes_no", "show_if": {"question": "later", "equals": "maybe"}},
            {"id": "d", "label": "D", "kind": "short_text", "show_if": {"question": "later", "includes": "x"}}]"#,
    ));
    let all = e.join("\n");
    assert!(all.contains("the question id “a” is used more than once"), "{all}");
    assert!(all.contains("names “later”, which is not a question asked before this point"), "{all}");
    assert!(all.contains("names “missing”"), "{all}");
    assert!(all.contains("value \"maybe\" can never be an answer to “later”"), "{all}");
    assert!(all.contains("“x” is not an option of “later”"), "{all}");
    assert!(all.contains("several questions needs a title"), "{all}");
    assert_eq!(e.len(), 6, "{e:#?}");
}

#[test]
fn question_ids_on_one_page_that_would_give_two_parts_one_id_are_refused() {
    // `rating`'s second option is `q-rating-2`, which is `rating-2`'s own field.
    let e = errors(&with_questions(
        r#"[{"id": "rating", "label": "R", "kind": "yes_no"},
            {"id": "rating-2", "label": "R2", "kind": "short_text"},
            {"id": "rating_b", "label": "R3", "kind": "yes_no"},
            {"id": "other", "label": "O", "kind": "yes_no"}]"#,
    ));
    let clashes: Vec<&String> = e.iter().filter(|m| m.contains("begins with")).collect();
    assert_eq!(
        clashes,
        ["question “rating-2” on page 1: the id begins with “rating-”, which is another question's id on this page and a \
          dash, so the page would give two of their parts one id; rename one of them"]
    );
}

#[test]
fn choices_scales_and_texts_are_checked() {
    let e = errors(&with_questions(
        r#"[{"id": "a", "label": "A", "kind": "single_choice", "options": [{"value": "x", "label": "X"}]},
            {"id": "b", "label": "B", "kind": "multiple_choice", "options": [{"value": "x", "label": "X"}, {"value": "x", "label": "Y"}]},
            {"id": "c", "label": "C", "kind": "scale", "min": 1, "max": 5, "labels": ["bad", "good"]},
            {"id": "d", "label": "D", "kind": "long_text", "max_length": 0},
            {"id": "Bad Id", "label": "E", "kind": "yes_no"}]"#,
    ));
    let all = e.join("\n");
    for needle in [
        "a choice needs at least two options",
        "the option value “x” is used twice",
        "5 points but 2 words",
        "max_length must be from 1 to 10000",
        "question “Bad Id” on page 1: the id must be",
    ] {
        assert!(all.contains(needle), "missing {needle:?} in:\n{all}");
    }
}

#[test]
fn missing_translations_are_listed() {
    let json = r#"{"id": "f", "version": "1", "title": {"en": "T", "cy": "T"}, "languages": ["en", "cy"],
      "pages": [{"id": "p", "questions": [{"id": "a", "label": {"en": "A"}, "kind": "yes_no"}]}]}"#;
    let e = errors(json);
    assert_eq!(e, ["question “a” on page 1: the label has no text in “cy”"]);
}

#[test]
fn the_error_message_counts_and_lists_problems() {
    let text = Form::parse("[]").unwrap_err().to_string();
    assert!(text.starts_with("The form file has 1 problem:\n- the form must be a JSON object"), "{text}");
}

#[test]
fn skip_logic_shows_ratings_only_for_the_ways_used() {
    let form = default_form();
    let mut a = Answers::default();
    let how_well = form.page_index("how-well").unwrap();
    assert!(!form.journey(&a).pages.contains(&how_well), "no ways chosen: no ratings page");
    a.set("ways", choices(&["phone", "video"]));
    let shown: Vec<_> = form.visible_questions(how_well, &a).iter().map(|q| q.id.as_str()).collect();
    assert_eq!(shown, ["rate_phone", "rate_video"]);
}

#[test]
fn hidden_answers_are_not_sent() {
    let form = default_form();
    let mut a = Answers::default();
    a.set("ways", choices(&["phone", "video"]));
    a.set("rate_phone", Answer::Number(4));
    a.set("rate_video", Answer::Number(2));
    a.set("involved", Answer::Flag(true));
    a.set("contact", Answer::Text("  sam@example.org ".into()));
    let s = Submission::new(&form, &a, "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-11-23T10:00:00Z", "en");
    assert_eq!(s.answers.get("contact"), Some(&Answer::Text("sam@example.org".into())), "trimmed");
    // Changing their minds: video unticked, no longer want to be involved.
    a.set("ways", choices(&["phone"]));
    a.set("involved", Answer::Flag(false));
    let s = Submission::new(&form, &a, "0f8fad5b-d9cb-469f-a165-70867728950e", "2026-11-23T10:00:00Z", "en");
    let keys: Vec<_> = s.answers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["involved", "rate_phone", "ways"]);
    assert!(s.problems(Some(&form)).is_empty());
}

#[test]
fn continue_back_and_progress_follow_the_pages_shown() {
    let form = default_form();
    let mut a = Answers::default();
    let first = 0;
    let getting_help = form.page_index("getting-help").unwrap();
    assert_eq!(form.next_page(first, &a), Some(getting_help), "ratings page skipped");
    assert_eq!(form.progress(getting_help, &a), (2, 5));
    a.set("ways", choices(&["in_person"]));
    assert_eq!(form.next_page(first, &a), Some(1));
    assert_eq!(form.progress(getting_help, &a), (3, 6));
    assert_eq!(form.previous_page(getting_help, &a), Some(1));
    assert_eq!(form.previous_page(first, &a), None);
    let last = form.page_index("anything-else").unwrap();
    assert_eq!(form.next_page(last, &a), None);
    a.set("involved", Answer::Flag(true));
    assert_eq!(form.next_page(last, &a), form.page_index("contact"));
    assert_eq!(form.progress(last, &a), (6, 7));
}

#[test]
fn answers_are_checked_against_their_questions() {
    let form = default_form();
    let q = |id| form.question(id).unwrap().1.clone();
    assert_eq!(check_answer(&q("rate_phone"), Some(&Answer::Number(6))), Err(Problem::OutOfRange { min: 1, max: 5 }));
    assert_eq!(check_answer(&q("rate_phone"), Some(&Answer::Text("5".into()))), Err(Problem::WrongType));
    assert_eq!(
        check_answer(&q("services"), Some(&choices(&["housing", "prefer_not_to_say"]))),
        Err(Problem::ExclusiveWithOthers("prefer_not_to_say".into()))
    );
    assert_eq!(
        check_answer(&q("services"), Some(&choices(&["housing", "housing"]))),
        Err(Problem::Repeated("housing".into()))
    );
    let long = "é".repeat(1001);
    assert_eq!(check_answer(&q("keep"), Some(&Answer::Text(long))), Err(Problem::TooLong { max: 1000, length: 1001 }));
    assert_eq!(check_answer(&q("keep"), Some(&Answer::Text("é".repeat(1000)))), Ok(()), "counts characters, not bytes");
    let mut required = q("prefer");
    required.required = true;
    assert_eq!(check_answer(&required, None), Err(Problem::Required));
    assert_eq!(check_answer(&required, Some(&Answer::Text("  ".into()))), Err(Problem::Required));
}

#[test]
fn page_problems_name_the_question() {
    let mut form = default_form();
    form.pages[0].questions[1].required = true;
    let mut a = Answers::default();
    let p = form.page_problems(0, &a);
    assert_eq!(p.len(), 1);
    assert_eq!((p[0].question.as_str(), &p[0].problem), ("ways", &Problem::Required));
    a.set("ways", choices(&["phone"]));
    assert!(form.page_problems(0, &a).is_empty());
    assert!(form.problems(&a).is_empty());
}

#[test]
fn received_payloads_are_checked() {
    let form = default_form();
    let good = r#"{"schema_version": 1, "submission_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
      "form_id": "remote-support", "form_version": "2026-11-23", "sent_at": "2026-11-23T10:00:00.000Z",
      "language": "en", "answers": {"ways": ["phone"], "rate_phone": 5, "set_back": true, "keep": "Phone calls"}}"#;
    let s: Submission = serde_json::from_str(good).unwrap();
    assert_eq!(s.problems(Some(&form)), Vec::<String>::new());

    let bad = good
        .replace("\"rate_phone\": 5", "\"rate_video\": 5, \"nope\": 1")
        .replace("\"set_back\": true", "\"set_back\": \"yes\"")
        .replace("0f8fad5b-d9cb-469f", "0f8fad5b-d9cb-169f");
    let s: Submission = serde_json::from_str(&bad).unwrap();
    let p = s.problems(Some(&form)).join("\n");
    assert!(p.contains("submission_id must be a random UUID"), "{p}");
    assert!(p.contains("no question “nope”"), "{p}");
    assert!(p.contains("“rate_video” was answered but is not asked"), "{p}");
    assert!(p.contains("“set_back” must be true or false"), "{p}");

    // An older version of the form: only the shape is checked, so queued answers are kept.
    let older = good.replace("2026-11-23\"", "2025-01-01\"");
    let s: Submission = serde_json::from_str(&older).unwrap();
    assert!(s.problems(Some(&form)).is_empty());
    assert!(s.problems(None)[0].contains("no form “remote-support”"));

    assert!(
        serde_json::from_str::<Submission>(&good.replace("\"language\"", "\"device_id\": \"x\", \"language\""))
            .is_err(),
        "unknown fields such as device identifiers are refused"
    );
}

#[test]
fn routes_round_trip() {
    for r in [Route::Start, Route::Page("how-well".into()), Route::Check, Route::Sent] {
        assert_eq!(Route::from_hash(&r.to_hash()), r);
    }
    assert_eq!(Route::from_hash("#/page/../../etc"), Route::Start);
    assert_eq!(Route::from_hash(""), Route::Start);
}

#[test]
fn continue_goes_through_every_page_then_to_check() {
    let form = default_form();
    let mut a = Answers::default();
    a.set("ways", choices(&["phone"]));
    let mut route = Route::page(&form, 0);
    let mut visited = vec![];
    while let Route::Page(id) = route.clone() {
        visited.push(id.clone());
        assert!(visited.len() <= form.pages.len(), "loops: {visited:?}");
        route = form.continue_to(form.page_index(&id).unwrap(), &a, None);
    }
    assert_eq!(route, Route::Check);
    assert_eq!(visited, ["your-support", "how-well", "getting-help", "your-worker", "what-next", "anything-else"]);
}

#[test]
fn addresses_cannot_reach_hidden_pages() {
    let form = default_form();
    let mut a = Answers::default();
    assert_eq!(Route::Page("contact".into()).allowed(&form, &a, &Phase::default()), Route::Start);
    assert_eq!(Route::Page("no-such-page".into()).allowed(&form, &a, &Phase::default()), Route::Start);
    a.set("involved", Answer::Flag(true));
    assert_eq!(Route::Page("contact".into()).allowed(&form, &a, &Phase::default()), Route::Page("contact".into()));
    assert_eq!(Route::Check.allowed(&form, &a, &Phase::default()), Route::Check);
    assert_eq!(Route::Sent.allowed(&form, &a, &Phase::Sent { id: "id-1".into(), saved: true }), Route::Sent);
}

#[test]
fn a_yes_no_question_may_give_its_own_words_in_each_language() {
    let json = r#"{"id": "f", "version": "1", "title": "T", "languages": ["en", "cy"], "pages": [{"id": "p", "title": "P", "questions": [
        {"id": "q", "kind": "yes_no", "label": "Did it help?", "yes": "Yes", "no": "No"},
        {"id": "r", "kind": "yes_no", "label": "Plain?"}]}]}"#;
    let mut form = feedback_model::Form::parse(json).unwrap();
    let cy = feedback_model::Translation::parse(
        r#"{"form": "f", "language": "cy", "texts": {"q.q.yes": "Do", "q.q.no": "Naddo"}}"#,
    )
    .unwrap();
    assert!(form.translate(&cy).is_empty());
    let (_, q) = form.question("q").unwrap();
    assert_eq!(q.yes_no_words("cy", "Ie", "Na"), ("Do", "Naddo"));
    assert_eq!(q.yes_no_words("en", "Yes!", "No!"), ("Yes", "No"));
    let (_, r) = form.question("r").unwrap();
    assert_eq!(r.yes_no_words("cy", "Ie", "Na"), ("Ie", "Na"));
    assert_eq!(form.untranslated("cy"), ["title", "page.p.title", "q.q.label", "q.r.label"]);

    let bad = json.replace(r#""yes": "Yes""#, r#""options": []"#);
    let e = feedback_model::Form::parse(&bad).unwrap_err().to_string();
    assert!(e.contains("unknown field “options”") && e.contains("yes, no"), "{e}");
}

#[test]
fn a_typo_inside_an_option_or_a_picture_names_the_field_and_where_it_is() {
    let e = errors(&with_questions(
        r#"[{"id": "ways", "label": "How?", "kind": "multiple_choice", "options": [
              {"value": "phone", "label": "Phone"},
              {"value": "video", "lable": "Video"},
              {"value": "text", "label": "Text", "exclusive": "yes"},
              "in person"]},
            {"id": "rate", "label": "Rate", "kind": "scale", "min": 1, "max": 2, "labels": ["Bad", "Good"],
             "pictures": [{"src": "pictures/sad.svg", "alt": "Sad", "title": "x"}, {"src": "pictures/happy.svg"}]}]"#,
    ));
    assert_eq!(
        e,
        [
            "option 2 (“video”) of question 1 (“ways”) on page 1 has an unknown field “lable”; \
             the fields here are value, label, easy_read, hint, exclusive",
            "option 2 (“video”) of question 1 (“ways”) on page 1 is missing “label”",
            "option 3 (“text”) of question 1 (“ways”) on page 1 has a “exclusive” that is not true or false",
            "option 4 of question 1 (“ways”) on page 1 must be an object with value and label",
            "picture 1 of question 2 (“rate”) on page 1 has an unknown field “title”; the fields here are src, alt",
            "picture 2 of question 2 (“rate”) on page 1 is missing “alt”",
        ]
    );
}

/// The one rule for `null`, in a form file: an optional field that is `null` is
/// left out; a required one is missing.
#[test]
fn null_is_the_same_as_leaving_a_field_out() {
    let form = Form::parse(&with_questions(
        r#"[{"id": "a", "label": "A", "hint": null, "required": null, "show_if": null, "kind": "single_choice",
             "options": [{"value": "x", "label": "X", "easy_read": null, "exclusive": null}, {"value": "y", "label": "Y"}]},
            {"id": "b", "label": "B", "kind": "long_text", "max_length": null},
            {"id": "c", "label": "C", "kind": "scale", "min": 1, "max": 2, "labels": ["-", "+"], "pictures": null}]"#,
    )
    .replace(r#""id": "p","#, r#""id": "p", "title": "P", "show_if": null,"#))
    .unwrap();
    let q = &form.pages[0].questions;
    assert_eq!((&q[0].hint, q[0].required, &q[0].show_if), (&None, false, &None));
    assert_eq!((&q[0].kind.options()[0].easy_read, q[0].kind.options()[0].exclusive), (&None, false));
    assert_eq!(q[1].kind.max_length(), Some(1200));
    assert!(matches!(&q[2].kind, feedback_model::Kind::Scale { pictures, .. } if pictures.is_empty()));

    let e = errors(
        r#"{"id": "f", "version": null, "title": "T", "languages": null, "pages": [{"id": "p", "questions": [
             {"id": "a", "label": null, "kind": "single_choice", "options": [{"value": null, "label": "X"}]},
             {"id": "b", "label": "B", "kind": null}]}]}"#,
    );
    assert_eq!(
        e,
        [
            "the form is missing “version”",
            "question 1 (“a”) on page 1 is missing “label”",
            "option 1 of question 1 (“a”) on page 1 is missing “value”",
            "question 2 (“b”) on page 1 has no “kind”; the kinds are “single_choice”, “multiple_choice”, “scale”, \
             “short_text”, “long_text”, “yes_no”",
        ]
    );
}

#[test]
fn an_unknown_field_is_named_at_every_level_of_a_form() {
    let e = errors(
        r#"{"id": "f", "version": "1", "title": "T", "colour": "red", "pages": [{"id": "p", "titel": "P", "questions": [
             {"id": "a", "label": "A", "kind": "yes_no", "hnit": "h"}]}]}"#,
    );
    assert_eq!(
        e,
        [
            "the form has an unknown field “colour”; the fields here are id, version, title, languages, intro, minutes, pages",
            "page 1 (“p”) has an unknown field “titel”; the fields here are id, title, show_if, questions",
            "question 1 (“a”) on page 1 has an unknown field “hnit”; \
             the fields here are id, label, easy_read, hint, required, show_if, kind, yes, no",
        ]
    );
}

#[test]
fn a_kind_that_is_not_a_string_is_shown_as_written() {
    let e = errors(&with_questions(
        r#"[{"id": "a", "label": "A", "kind": 3}, {"id": "b", "label": "B", "kind": true}, {"id": "e", "label": "E", "kind": 0.5},
            {"id": "c", "label": "C", "kind": ["yes_no"]}, {"id": "d", "label": "D", "kind": {"x": 1}}]"#,
    ));
    let shown: Vec<&str> = e.iter().map(|p| p.split('“').nth(2).unwrap().split('”').next().unwrap()).collect();
    assert_eq!(shown, ["3", "true", "a fraction", "[…]", "{…}"], "{e:#?}");
}
