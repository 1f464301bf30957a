//! The stored formats (outbox, draft) read back exactly as written when the
//! text goes through the JavaScript engine's own `JSON.parse`, as it does in
//! the app (see `model/src/json.rs`). Runs in Node:
//!
//! ```sh
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!   cargo test -p feedback-model --target wasm32-unknown-unknown --test wasm_json
//! ```
#![cfg(target_arch = "wasm32")]

use feedback_model::outbox::{Outbox, Outcome};
use feedback_model::{draft, parse_json, Answer, Answers, Form};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use strategies::{nasty_text, text_answer};
use wasm_bindgen_test::wasm_bindgen_test;

#[path = "support/strategies.rs"]
mod strategies;

/// Times as the app stores them: milliseconds, exact in JavaScript up to 2^53.
fn time() -> impl Strategy<Value = u64> {
    0..(1u64 << 53) / 2
}

/// One step of an outbox's life, through its public rules.
#[derive(Clone, Debug)]
enum Step {
    Add(String, String, String, u64),
    Send(usize, u16, String, u64),
    Claim(String, u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (nasty_text(), nasty_text(), nasty_text(), time()).prop_map(|(id, f, b, t)| Step::Add(id, f, b, t)),
        (0..8usize, any::<u16>(), nasty_text(), time()).prop_map(|(i, c, r, t)| Step::Send(i, c, r, t)),
        (nasty_text(), time()).prop_map(|(h, t)| Step::Claim(h, t)),
    ]
}

fn outbox(steps: &[Step]) -> Outbox {
    let mut o = Outbox::default();
    let mut ids = Vec::new();
    for s in steps {
        match s.clone() {
            Step::Add(id, form, body, now) => {
                o.add(&id, &form, &body, now);
                ids.push(id);
            }
            Step::Send(i, code, reason, now) => {
                if let Some(id) = ids.get(i) {
                    o.start(id);
                    o.finish(id, Outcome::Status { code, retry_after_s: None, reason }, now, 0.5);
                }
            }
            Step::Claim(holder, now) => {
                o.claim(&holder, now, 60_000);
            }
        }
    }
    o
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: 200, failure_persistence: None, ..Config::default() })
}

#[wasm_bindgen_test]
fn any_outbox_survives_storage_through_json_parse() {
    runner()
        .run(&proptest::collection::vec(step(), 0..12), |steps| {
            let o = outbox(&steps);
            prop_assert_eq!(Outbox::from_json(&o.to_json()), Some(o));
            Ok(())
        })
        .unwrap();
}

#[wasm_bindgen_test]
fn any_draft_survives_storage_through_json_parse() {
    let form = Form::parse(include_str!("../../public/forms/remote-support.json")).unwrap();
    let answers = (proptest::option::of(1..=5i64), proptest::option::of(any::<bool>()), text_answer(), text_answer());
    runner()
        .run(&(answers, time(), 0..=draft::KEEP_MS), |((rate, set_back, anything_else, contact), saved, later)| {
            let mut a = Answers::default();
            let given = [
                rate.map(Answer::Number).map(|a| ("rate_phone", a)),
                set_back.map(Answer::Flag).map(|a| ("set_back", a)),
                anything_else.map(Answer::Text).map(|a| ("anything_else", a)),
                contact.map(Answer::Text).map(|a| ("contact", a)),
            ];
            for (id, answer) in given.into_iter().flatten() {
                a.set(id, answer);
            }
            let expected = (!a.is_empty()).then(|| a.clone());
            prop_assert_eq!(draft::from_json(&draft::to_json(&form, &a, saved), &form, saved + later), expected);
            Ok(())
        })
        .unwrap();
}

#[wasm_bindgen_test]
fn json_parse_gives_what_serde_json_would() {
    let v = parse_json(r#"{"b": [1, -2, 1.5, 9007199254740993, "ŵ\n\u0000", true, null], "a": {}}"#).unwrap();
    assert_eq!(v["b"][0].as_u64(), Some(1));
    assert_eq!(v["b"][1].as_i64(), Some(-2));
    assert_eq!(v["b"][2].as_f64(), Some(1.5));
    assert!(v["b"][3].as_u64().is_some(), "a whole number past 2^53 is still whole");
    assert_eq!(v["b"][4], "ŵ\n\u{0}");
    assert_eq!((v["b"][5].as_bool(), v["b"][6].is_null()), (Some(true), true));
    assert!(v["a"].as_object().is_some_and(|m| m.is_empty()));
    let e = parse_json("{ not json").unwrap_err();
    assert!(e.contains("line 1 column 3"), "{e}");
    // Positions count UTF-16 units (🙂 is two); lines and columns count characters.
    let e = parse_json("{\"ŵ🙂\": 1,\n  \"b\" 2}").unwrap_err();
    assert!(e.contains("line 2 column 7"), "{e}");
}
