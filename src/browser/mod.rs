//! The browser edge: every call into the browser that the app makes, behind small
//! functions, so the model never touches `web_sys`.

pub mod clock;
pub mod exit;
pub mod http;
pub mod intl;
pub mod location;
pub mod locks;
pub mod page;
pub mod random;
pub mod speech;
pub mod storage;
