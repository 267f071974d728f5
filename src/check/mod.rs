//! Stage 3, check: what `check` and `build` say about the resolved site
//! beyond its links — governance (review dates, expiry, required
//! snippets, forbidden wording) — and the owners' report.
//!
//! Runs after resolve, on every build and every `serve` rebuild, so a
//! site reused across a save is checked the same way as a new one. The
//! authors' search tests ([`search_tests`]) are the exception: they need
//! the search index, so `check` runs them after render.

mod governance;
pub(crate) mod report;
pub(crate) mod search_tests;

use crate::diag::Diagnostics;
use crate::resolve::Site;

/// The findings that depend on the entries' places in the site, their
/// front matter and the snippets, not on their words: `serve` keeps them
/// with a site it reuses across a save of words alone.
pub(crate) fn of_the_site(site: &Site) -> Diagnostics {
    let mut found = Diagnostics::new();
    governance::run(site, &mut found);
    found
}

/// The published entries' wording findings. Each entry was linted at load,
/// while its text was at hand (`Entry::wording`); they are gathered here.
pub(crate) fn wording(site: &Site) -> Diagnostics {
    site.entries
        .iter()
        .flat_map(|e| e.wording.iter().cloned())
        .collect()
}
