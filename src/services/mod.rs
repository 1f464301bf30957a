//! The app's state and services, between the browser edge and the components:
//! what the components share (`state`), and the work they call on (loading,
//! the interface's words, sending, delivery, drafts). Rules live in the model
//! crate; browser calls in [`crate::browser`]; these only join them.
//!
//! - [`state`]: the survey and the person's progress, shared through context
//! - [`loading`]: the configuration and form at start-up, other languages on demand
//! - [`language`]: the interface's words (`t`, `tf`, `tp`)
//! - [`send`]: Send, from the answers to the outbox
//! - [`delivery`] and [`outbox_store`]: the outbox kept on the device and the loop that sends it
//! - [`drafts`]: answers in progress kept on the device
//! - [`shared`]: a device shared between people (a peer researcher's tablet)

pub mod delivery;
pub mod drafts;
pub mod language;
pub mod loading;
pub mod outbox_store;
pub mod send;
pub mod shared;
pub mod state;
