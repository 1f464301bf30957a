//! A device shared between people: a peer researcher's tablet, passed from person to person.
//!
//! A device is shared once a facilitator has chosen a PIN for it on the facilitator's screen
//! (`#/facilitator`, where sessions are started and ended), or always where `config.json` says
//! `"shared_device": true`. Then:
//!
//! - nothing in progress is kept on the device (no draft, whatever `drafts` says);
//! - moving between screens adds no history entry, so Back on the next person's start page
//!   cannot reach the last person's pages ([`location::keep_no_history`]);
//! - answers the endpoint refused are shown only on the facilitator's screen, never on a
//!   respondent's start page;
//! - each answer carries the session's context (`feedback_model::Context`);
//! - the page's script for shared devices, `public/shared/shared.js`, is loaded (by
//!   `index.html`'s loader, on [`SHARED_EVENT`]): the facilitator's screen, the step back to a
//!   clean start page for the next person, the warning before answers left alone are cleared,
//!   and keeping the screen on. It is hand-written JavaScript outside the first load, so a
//!   person on their own phone downloads none of it (see its opening comment).
//!
//! ```ignore
//! let shared = shared::begin(&config); // once, when the configuration is loaded
//! if !shared::on() { /* show refused answers */ }
//! ```

use crate::browser::{location, page, storage};
use feedback_model::{Config, Context};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

/// The event that asks the loader for `shared/shared.js`.
pub const SHARED_EVENT: &str = "feedback-shared";
/// The event `shared.js` sends for the facilitator's "Send now".
pub const SEND_NOW_EVENT: &str = "feedback-send-now";

static SHARED: AtomicBool = AtomicBool::new(false);

/// Decides, once the configuration is loaded, whether this device is shared, and if so
/// makes it behave as one. Returns whether it is.
pub fn begin(config: &Config) -> bool {
    let shared = config.shared_device || storage::has_facilitator_pin();
    if shared {
        SHARED.store(true, Relaxed);
        location::keep_no_history();
        page::announce(SHARED_EVENT);
    }
    shared
}

/// Whether this device is shared (see [`begin`]).
pub fn on() -> bool {
    SHARED.load(Relaxed)
}

/// What an answer sent now carries about where it was given: on a shared device, that it was,
/// and the running session's label and facilitator code; nothing on a person's own device.
pub fn context() -> Option<Context> {
    on().then(|| Context::of_session(storage::read_session().as_deref()))
}
