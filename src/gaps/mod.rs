//! `saywhen gaps`: what agents searched for and did not find, from the web
//! server's access log of the search page's query beacons
//! (`[search] log_queries`), replayed against the current content with the
//! page's own ranking.

pub(crate) mod log;
pub(crate) mod report;
