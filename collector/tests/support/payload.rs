//! A valid payload for the test form, shared by the tests (`support`) and the load generators
//! (`examples/common`, which include this file by its path).

/// A valid payload for the test form (`tests/forms/test-form.json`, version 2) with these answers.
#[allow(dead_code)]
pub fn payload(id: &str, answers: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "schema_version": 1,
        "submission_id": id,
        "form_id": "test-form",
        "form_version": "2",
        "sent_at": "2026-11-23T10:00:00.000Z",
        "language": "en",
        "answers": answers,
    })
}
