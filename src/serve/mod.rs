//! Serving the built site over HTTP: the static file server used by
//! `saywhen serve` (and by the browser tests, which drive the real thing).

pub mod http;
pub(crate) mod reload;
pub(crate) mod session;
pub(crate) mod watch;
