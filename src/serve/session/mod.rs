//! Incremental rebuilds for `serve` and `watch`.
//!
//! A session keeps what the last build knew: every loaded entry, each
//! file's own diagnostics, the theme, the last good site and its output. On
//! a change it reloads only the files that changed, resolves the whole site
//! again unless only words changed (hash lookups, and links ripple), and
//! re-renders only the pages whose inputs changed: an entry page is rendered
//! again when its own source or anything it shows of another entry (a
//! linked title, a backlink, a related entry) changed. Pages that list
//! entries are rendered again when what they list changed. The saved
//! entries' own pages are written first, before the site is resolved
//! again when their links changed. Only files whose bytes differ are
//! written, each to a temp file renamed over the old one, so a server
//! never hands out half a page. The result is the same bytes a full build
//! gives; the serve tests check that.

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Entry};
use crate::render::{RenderOptions, Theme};
use crate::resolve::Site;
use crate::settings::Settings;
use crate::write::changed::Stamp;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The last good build.
struct Good {
    /// Every file of the output, by path.
    files: BTreeMap<String, Stamp>,
    /// Entry page path → signature of what the page shows.
    signatures: HashMap<String, u64>,
    /// Signature of everything the listing pages show.
    listings: u64,
}

pub(crate) struct Session {
    settings: Settings,
    options: RenderOptions,
    out: PathBuf,
    entries: BTreeMap<String, Arc<Entry>>,
    snippets: BTreeMap<String, Arc<load::snippet::Snippet>>,
    /// Load diagnostics by content-relative path, kept until the file changes.
    file_diagnostics: BTreeMap<String, Vec<Diagnostic>>,
    assets: BTreeSet<String>,
    theme: Result<Theme, Diagnostics>,
    good: Option<Good>,
    /// The site the last good rebuild resolved, and what resolve reported:
    /// reused as it is when a save changes only the words of entries.
    resolved: Option<(Site, Diagnostics)>,
    problems: Diagnostics,
    /// Each entry's part of the search index, so a save re-indexes one entry.
    search: crate::search::RecordCache,
    /// Told the paths of the changed pages as soon as they are on disk,
    /// before the search index is rebuilt (serve reloads tabs from it).
    pages_hook: Option<PagesHook>,
}

type PagesHook = Box<dyn FnMut(&[String])>;

/// What a rebuild did.
#[derive(Debug, Default)]
pub(crate) struct Rebuild {
    /// Output paths written or removed.
    pub(crate) changed: Vec<String>,
    /// Entry pages rendered again (for tests and the log line).
    pub(crate) rendered: usize,
    /// When the saved entries' own pages were on disk, when they were
    /// written first (see `Session::edited_pages_first`); else when the
    /// changed pages were. The search index follows them.
    pub(crate) pages_written: Option<std::time::Instant>,
    /// When the pages hook was told about the pages: what changed after
    /// them (sitemap, search index, removed files).
    pub(crate) later: Option<Vec<String>>,
    /// True when the change had errors and the last good site stays.
    pub(crate) failed: bool,
}

mod changes;
mod rebuild;
mod reuse;
mod signatures;

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Session {
    /// Loads and builds everything; the output is written in full.
    pub(crate) fn start(
        settings: Settings,
        options: RenderOptions,
        out: PathBuf,
    ) -> anyhow::Result<(Session, Rebuild)> {
        let mut session = Session {
            settings,
            options,
            out,
            entries: BTreeMap::new(),
            snippets: BTreeMap::new(),
            file_diagnostics: BTreeMap::new(),
            assets: BTreeSet::new(),
            theme: Err(Diagnostics::new()),
            good: None,
            resolved: None,
            problems: Diagnostics::new(),
            search: crate::search::RecordCache::default(),
            pages_hook: None,
        };
        session.reload_everything()?;
        let rebuild = session.rebuild(true)?;
        Ok((session, rebuild))
    }

    /// Calls `hook` with the changed pages of each later rebuild as soon as
    /// they are on disk; [`Rebuild::later`] then lists what changed after.
    pub(crate) fn on_pages(&mut self, hook: impl FnMut(&[String]) + 'static) {
        self.pages_hook = Some(Box::new(hook));
    }

    pub(crate) fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    /// Whether some build has published the site: false while the first
    /// build, and every rebuild since, failed.
    pub(crate) fn has_good_version(&self) -> bool {
        self.good.is_some()
    }

    fn root(&self) -> &Path {
        &self.settings.root
    }
}
