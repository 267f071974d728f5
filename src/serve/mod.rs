//! `saywhen serve` and `watch`: watching the knowledge base (`watch`,
//! `poll`), rebuilding what changed (`session`), and serving the site over
//! HTTP with live reload (`http`, `reload`; the browser tests drive the
//! real server).

pub mod http;
pub(crate) mod poll;
pub(crate) mod reload;
pub(crate) mod session;
pub(crate) mod watch;
