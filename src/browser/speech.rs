//! Reading aloud with the browser's own speech synthesis (nothing is sent anywhere).

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

fn synth() -> Option<web_sys::SpeechSynthesis> {
    super::window()?.speech_synthesis().ok()
}

/// Whether the browser has a voice for `lang` (for example `en` matches `en-GB`).
pub fn has_voice(lang: &str) -> bool {
    synth().is_some_and(|s| {
        s.get_voices().iter().any(|v| {
            let l = v.unchecked_into::<web_sys::SpeechSynthesisVoice>().lang().to_ascii_lowercase();
            l == lang || l.starts_with(&format!("{lang}-")) || l.starts_with(&format!("{lang}_"))
        })
    })
}

/// A signal that changes whenever the browser's voices do. Browsers load their
/// voices late, so whether there is one for a language ([`has_voice`]) is worth
/// asking again then. It follows the `voiceschanged` event until the calling
/// component goes (its listener is removed then).
///
/// ```ignore
/// let voices = voices_changed();
/// let can_speak = move || { voices.track(); has_voice(&lang) };
/// ```
pub fn voices_changed() -> ReadSignal<u32> {
    let (changes, set_changes) = signal(0u32);
    if let Some(s) = synth() {
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
            let _ = set_changes.try_update(|n| *n = n.wrapping_add(1));
        });
        let _ = s.add_event_listener_with_callback("voiceschanged", on_change.as_ref().unchecked_ref());
        // Kept alive by the cleanup, which removes it before it is freed.
        let on_change = SendWrapper::new(on_change);
        on_cleanup(move || {
            let _ = s.remove_event_listener_with_callback("voiceschanged", on_change.as_ref().unchecked_ref());
        });
    }
    changes
}

/// Reads `text` aloud in `lang`, stopping anything already being read.
pub fn speak(text: &str, lang: &str) {
    if let (Some(s), Ok(u)) = (synth(), web_sys::SpeechSynthesisUtterance::new_with_text(text)) {
        s.cancel();
        u.set_lang(lang);
        s.speak(&u);
    }
}

/// Stops reading aloud.
pub fn stop() {
    if let Some(s) = synth() {
        s.cancel();
    }
}
