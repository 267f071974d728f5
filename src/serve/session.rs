//! Incremental rebuilds for `serve` and `watch`.
//!
//! A session keeps what the last build knew: every loaded entry, each
//! file's own diagnostics, the theme, the last good site and its output. On
//! a change it reloads only the files that changed, resolves the whole site
//! again unless only words changed (hash lookups, and links ripple), and
//! re-renders only the pages whose inputs changed: an entry page is drawn
//! again when its own source or anything it shows of another entry (a
//! linked title, a backlink, a related entry) changed. Pages that list
//! entries are drawn again when what they list changed. The saved
//! entries' own pages are written first, before the site is resolved
//! again when their links changed. Only files whose bytes differ are
//! written, each to a temp file renamed over the old one, so a server
//! never hands out half a page. The result is the same bytes a full build
//! gives; the serve tests check that.

use crate::cli::Settings;
use crate::diag::{Diagnostic, Diagnostics};
use crate::load::{self, Content, Entry};
use crate::render::{self, OutFile, Output, RenderOptions, Selection, Theme};
use crate::resolve::{self, ResolveOptions, Site};
use crate::serve::watch::Changes;
use anyhow::Context as _;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What the output folder holds of one file, to tell whether a new
/// version differs without keeping every page in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    /// Bytes saywhen wrote, by hash.
    Written(u64),
    /// A file copied from content/ (compared on disk).
    Copied,
}

/// The last good build.
struct Good {
    /// Every file of the output, by path.
    files: BTreeMap<String, Stamp>,
    /// Entry page path → signature of what the page shows.
    signatures: HashMap<String, u64>,
    /// Signature of everything the listing pages show.
    listings: u64,
}

pub struct Session {
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

/// The last resolved site with the saved entries swapped in, for a save
/// that left every entry's place in the site as it was. When no links
/// changed either, it is the site a new resolve would give, with the same
/// findings. When links changed, it is that site for the edited entries'
/// own pages once their links are resolved again ([`resolve::relink`]):
/// a page shows its own links, and what other entries show of themselves,
/// which did not change. Only other entries' pages (a new backlink) and
/// resolve's findings need the whole site resolved again.
struct Reused {
    site: Site,
    found: Diagnostics,
    /// The published entries saved since (indexes into `site.entries`).
    edited: Vec<usize>,
    links_changed: bool,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Output paths written or removed.
    pub changed: Vec<String>,
    /// Entry pages drawn again (for tests and the log line).
    pub rendered: usize,
    /// When the saved entries' own pages were on disk, when they were
    /// written first (see `Session::edited_pages_first`); else when the
    /// changed pages were. The search index follows them.
    pub pages_written: Option<std::time::Instant>,
    /// When the pages hook was told about the pages: what changed after
    /// them (sitemap, search index, removed files).
    pub later: Option<Vec<String>>,
    /// True when the change had errors and the last good site stays.
    pub failed: bool,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

impl Session {
    /// Loads and builds everything; the output is written in full.
    pub fn start(
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
    pub fn on_pages(&mut self, hook: impl FnMut(&[String]) + 'static) {
        self.pages_hook = Some(Box::new(hook));
    }

    pub fn problems(&self) -> &Diagnostics {
        &self.problems
    }

    /// Whether some build has published the site: false while the first
    /// build, and every rebuild since, failed.
    pub fn has_good_version(&self) -> bool {
        self.good.is_some()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    fn root(&self) -> &Path {
        &self.settings.root
    }

    /// The Markdown files and other files under content/, as load sees them.
    fn walk(&self) -> anyhow::Result<(Vec<String>, BTreeSet<String>, Diagnostics)> {
        let content_dir = self.root().join(load::CONTENT_DIR);
        let mut walk = Diagnostics::new();
        if !content_dir.is_dir() {
            return Ok((Vec::new(), BTreeSet::new(), walk));
        }
        let (markdown, assets) = load::discover(&content_dir, &mut walk)?;
        Ok((markdown, assets, walk))
    }

    fn reload_everything(&mut self) -> anyhow::Result<()> {
        let (markdown, assets, walk) = self.walk()?;
        self.assets = assets;
        self.entries.clear();
        self.snippets.clear();
        self.file_diagnostics.clear();
        for rel in markdown {
            self.reload_file(&rel);
        }
        if !walk.is_empty() {
            self.file_diagnostics
                .insert(String::new(), walk.iter().cloned().collect());
        }
        self.theme = render::theme::load(self.root(), &self.settings.config);
        Ok(())
    }

    fn reload_file(&mut self, rel: &str) {
        self.entries.remove(rel);
        self.file_diagnostics.remove(rel);
        let snippet = load::snippet::name_of(rel).map(str::to_string);
        if let Some(name) = &snippet {
            self.snippets.remove(name);
        }
        if !self.root().join(load::CONTENT_DIR).join(rel).is_file() {
            return;
        }
        if snippet.is_some() {
            match load::snippet::load(self.root(), rel, &self.settings.config, &self.assets) {
                Ok(s) => {
                    self.snippets.insert(s.name.clone(), Arc::new(s));
                }
                Err(diagnostics) => {
                    self.file_diagnostics.insert(rel.to_string(), diagnostics);
                }
            }
            return;
        }
        let parser = load::EntryParser::new(&self.settings.config, &self.assets);
        let mut loaded =
            load::read_entry(self.root(), rel).and_then(|bytes| parser.parse(rel, bytes));
        if let Ok(Some((entry, _))) = &mut loaded {
            entry.body.fit_texts();
        }
        match loaded {
            Ok(Some((entry, warnings))) => {
                self.entries.insert(rel.to_string(), Arc::new(entry));
                if !warnings.is_empty() {
                    self.file_diagnostics.insert(rel.to_string(), warnings);
                }
            }
            Ok(None) => {}
            Err(diagnostics) => {
                self.file_diagnostics.insert(rel.to_string(), diagnostics);
            }
        }
    }

    /// Applies a burst of changes and writes what changed.
    pub fn apply(&mut self, changes: &Changes) -> anyhow::Result<Rebuild> {
        if changes.config {
            let site_args = crate::cli::SiteArgs {
                drafts: self.settings.drafts,
                today: Some(self.settings.today.to_string()),
                jobs: None,
            };
            match Settings::load(&self.settings.root.clone(), &site_args, None)? {
                Ok(mut settings) => {
                    settings.config.base_url = self.settings.config.base_url.clone();
                    self.settings = settings;
                }
                Err(d) => {
                    self.problems = Diagnostics::from_iter([d]);
                    return Ok(Rebuild {
                        failed: true,
                        ..Rebuild::default()
                    });
                }
            }
            self.reload_everything()?;
            return self.rebuild(true);
        }
        if changes.theme {
            self.theme = render::theme::load(self.root(), &self.settings.config);
        }
        let mut full = changes.theme;
        if !changes.content.is_empty() {
            let only_entries = changes.content.iter().all(|p| p.ends_with(".md"));
            if only_entries {
                for rel in &changes.content {
                    self.reload_file(rel);
                }
            } else {
                // Folders renamed, files beside the entries added or removed:
                // walk again. Asset links are checked while loading, so every
                // entry is reloaded when the set of files changes.
                let (markdown, assets, _) = self.walk()?;
                let assets_changed = assets != self.assets;
                self.assets = assets;
                let present: BTreeSet<&String> = markdown.iter().collect();
                let snippet_files: Vec<String> = self
                    .snippets
                    .values()
                    .map(|s| {
                        load::content_relative(&s.file)
                            .unwrap_or(&s.file)
                            .to_string()
                    })
                    .collect();
                let gone: Vec<String> = self
                    .entries
                    .keys()
                    .chain(self.file_diagnostics.keys())
                    .chain(&snippet_files)
                    .filter(|k| !k.is_empty() && !present.contains(k))
                    .cloned()
                    .collect();
                for rel in gone {
                    self.entries.remove(&rel);
                    self.file_diagnostics.remove(&rel);
                    if let Some(name) = load::snippet::name_of(&rel) {
                        self.snippets.remove(name);
                    }
                }
                for rel in &markdown {
                    let known = self.entries.contains_key(rel)
                        || self.file_diagnostics.contains_key(rel)
                        || load::snippet::name_of(rel)
                            .is_some_and(|n| self.snippets.contains_key(n));
                    if assets_changed || !known || changes.content.contains(rel) {
                        self.reload_file(rel);
                    }
                }
                full |= assets_changed;
            }
        }
        self.rebuild(full)
    }

    /// The last resolved site with the reloaded entries swapped in. `None`
    /// when a file came or went, a snippet changed, or a reloaded entry
    /// changed its place in the site (its front matter, title, heading ids
    /// or snippets: `Digests::standing`). Taken: a failed rebuild leaves
    /// none.
    fn reuse_resolved(&mut self) -> Option<Reused> {
        let (mut site, found) = self.resolved.take()?;
        let unchanged_around = site.failed.is_empty()
            && site.assets == self.assets
            && site.entries.len() + site.drafts.len() == self.entries.len()
            && site.snippets.len() == self.snippets.len()
            && site.snippets.iter().all(|(name, s)| {
                self.snippets
                    .get(name)
                    .is_some_and(|now| Arc::ptr_eq(now, s))
            });
        if !unchanged_around {
            return None;
        }
        let published = site.entries.len();
        let mut edited = Vec::new();
        let mut links_changed = false;
        for (i, slot) in site
            .entries
            .iter_mut()
            .chain(site.drafts.iter_mut())
            .enumerate()
        {
            let now = self.entries.get(slot.content_path())?;
            if Arc::ptr_eq(now, slot) {
                continue;
            }
            if now.digests.standing != slot.digests.standing {
                return None;
            }
            links_changed |= now.digests.links != slot.digests.links;
            if i < published {
                edited.push(i);
            }
            *slot = Arc::clone(now);
        }
        Some(Reused {
            site,
            found,
            edited,
            links_changed,
        })
    }

    /// The pages of the entries at `edited`, drawn from `site` and written
    /// at once, before anything else of the rebuild: each is the page the
    /// rebuild would draw (see [`Reused`]), and the author is looking at
    /// it. The rebuild then finds them on disk already. Nothing is written
    /// when an edited entry has an error or a page fails to draw: the
    /// rebuild reports it and publishes nothing. (Should the rebuild fail
    /// on another page, say a template that fails only for the page that
    /// gained a backlink, the saved page alone is already out.) Returns
    /// the paths written, and when they were on disk.
    fn edited_pages_first(
        &mut self,
        site: &Site,
        edited: &[usize],
    ) -> Option<(Vec<String>, std::time::Instant)> {
        let (Some(good), Ok(theme)) = (&mut self.good, &self.theme) else {
            return None;
        };
        // A save with an error publishes nothing.
        if edited.is_empty() || edited.iter().any(|&i| site.entries[i].wording.has_errors()) {
            return None;
        }
        let selection = Selection {
            entries: edited.to_vec(),
            other_pages: false,
        };
        let (drawn, found) = crate::timings::measure("render edited pages", || {
            render::render_selected(site, theme, &self.options, &selection)
        });
        if found.has_errors() {
            return None;
        }
        let mut changed = Vec::new();
        let mut files = BTreeMap::new();
        let on_disk = match write_changed(
            Some(&good.files),
            drawn,
            &mut files,
            &self.out,
            &mut changed,
        ) {
            Ok(at) => at,
            // The rebuild writes them again, or says what is wrong.
            Err(_) => return None,
        };
        good.files.extend(files);
        if changed.is_empty() {
            return None;
        }
        if let Some(hook) = &mut self.pages_hook {
            hook(&changed);
        }
        Some((changed, on_disk))
    }

    /// Resolves, renders what changed, and writes it.
    fn rebuild(&mut self, full: bool) -> anyhow::Result<Rebuild> {
        let mut diagnostics = Diagnostics::new();
        for list in self.file_diagnostics.values() {
            list.iter().cloned().for_each(|d| diagnostics.push(d));
        }
        let failed: BTreeSet<String> = self
            .file_diagnostics
            .iter()
            .filter(|(rel, ds)| {
                !rel.is_empty()
                    && ds
                        .iter()
                        .any(|d| d.severity == crate::diag::Severity::Error)
            })
            .map(|(rel, _)| rel.clone())
            .collect();
        let options = ResolveOptions {
            drafts: self.settings.drafts,
            today: self.settings.today,
        };
        let reused = if full || !failed.is_empty() {
            self.resolved = None;
            None
        } else {
            self.reuse_resolved()
        };
        // The edited entries' pages first, when the last site still says
        // what they show.
        let mut written_first = None;
        let reused = match reused {
            Some(mut reused) => {
                let linked_alike = !reused.links_changed
                    || crate::timings::measure("relink saved entries", || {
                        reused.edited.iter().all(|&i| {
                            resolve::relink(&reused.site, i)
                                .map(|links| reused.site.links[i] = links)
                                .is_ok()
                        })
                    });
                if linked_alike {
                    written_first = self.edited_pages_first(&reused.site, &reused.edited);
                }
                // New links may change other pages (a backlink), and what
                // resolve reports: the site is resolved again.
                (!reused.links_changed).then_some((reused.site, reused.found))
            }
            None => None,
        };
        let (written_first, first_written_at) = match written_first {
            Some((paths, at)) => (paths, Some(at)),
            None => (Vec::new(), None),
        };
        let (site, found) = match reused {
            Some(resolved) => resolved,
            None => {
                let content = Content {
                    entries: self.entries.values().cloned().collect(),
                    assets: self.assets.clone(),
                    failed,
                    snippets: self.snippets.clone(),
                    body_html: load::BodyHtml::Kept,
                };
                let (site, mut found) = crate::timings::measure("resolve", || {
                    resolve::resolve(content, &self.settings.config, &options)
                });
                load::locate(self.root(), &mut found);
                (site, found)
            }
        };
        let resolve_found = found.clone();
        diagnostics.extend(found);
        diagnostics.extend(crate::governance::check::wording(&site));
        let theme = match &self.theme {
            Ok(theme) => theme,
            Err(found) => {
                diagnostics.extend(found.clone());
                self.problems = diagnostics;
                return Ok(Rebuild {
                    failed: true,
                    ..Rebuild::default()
                });
            }
        };
        if diagnostics.has_errors() {
            self.problems = diagnostics;
            return Ok(Rebuild {
                failed: true,
                ..Rebuild::default()
            });
        }

        let (signatures, listings) = crate::timings::measure("signatures", || signatures(&site));
        let previous = self.good.take();
        let (entries_to_draw, other_pages) = match (&previous, full) {
            (Some(good), false) => (
                (0..site.entries.len())
                    .filter(|&i| {
                        good.signatures.get(&signatures.pages[i].0) != Some(&signatures.pages[i].1)
                    })
                    .collect(),
                good.listings != listings,
            ),
            _ => ((0..site.entries.len()).collect(), true),
        };
        let selection = Selection {
            entries: entries_to_draw,
            other_pages,
        };
        let (drawn, found) = crate::timings::measure("render", || {
            render::render_selected(&site, theme, &self.options, &selection)
        });
        if found.has_errors() {
            diagnostics.extend(found);
            self.problems = diagnostics;
            self.good = previous;
            return Ok(Rebuild {
                failed: true,
                ..Rebuild::default()
            });
        }
        diagnostics.extend(found);

        // The new output, in two steps: the pages (and the small files
        // beside them) are written first, so the page an author is looking
        // at is on disk as soon as it is drawn; the search index follows.
        let mut files: BTreeMap<String, Stamp> = BTreeMap::new();
        let keep_others = !other_pages;
        if let Some(good) = &previous {
            // HTML pages are entry pages or listing pages; the signatures,
            // old and new, say which are entries.
            let new_entries = &signatures.by_page;
            for (path, stamp) in &good.files {
                // Copies are listed again by `copy_assets`, whatever their
                // name (a handout.html beside the entries is no page).
                if *stamp == Stamp::Copied {
                    continue;
                }
                let listing_page = path.ends_with(".html")
                    && !good.signatures.contains_key(path)
                    && !new_entries.contains_key(path);
                if new_entries.contains_key(path) || (keep_others && listing_page) {
                    files.insert(path.clone(), stamp.clone());
                }
            }
        }
        let old_files = previous.as_ref().map(|g| &g.files);
        let rendered = selection.entries.len();
        let mut pages = Output::new();
        pages.extend(drawn);
        let search_paths = crate::search::render_paths(&site);
        // The same checks as a full build: neither a static file nor a file
        // beside the entries replaces a generated one. (A change to static/
        // redraws every page, so the pages drawn, with the entry pages,
        // are all a static file can meet.)
        let mut clashes = Diagnostics::new();
        let statics = render::static_files(
            &site,
            theme,
            |a| {
                pages.contains_key(a)
                    || signatures.by_page.contains_key(a)
                    || a == "sitemap.xml"
                    || search_paths.iter().any(|p| p == a)
            },
            &mut clashes,
        );
        pages.extend(statics);
        let assets = render::copy_assets(
            &site,
            &self.settings.root,
            |a| {
                files.contains_key(a)
                    || pages.contains_key(a)
                    || a == "sitemap.xml"
                    || search_paths.iter().any(|p| p == a)
            },
            &mut clashes,
        );
        if clashes.has_errors() {
            diagnostics.extend(clashes);
            self.problems = diagnostics;
            self.good = previous;
            return Ok(Rebuild {
                failed: true,
                ..Rebuild::default()
            });
        }
        pages.extend(assets);

        // The edited pages written first are on disk already, and counted.
        let first = written_first.len();
        let mut changed = written_first;
        let pages_written = match old_files {
            Some(_) => Some(crate::timings::measure("write pages", || {
                write_changed(
                    old_files,
                    std::mem::take(&mut pages),
                    &mut files,
                    &self.out,
                    &mut changed,
                )
            })?),
            // The first build writes the whole site at once, below.
            None => None,
        };
        let announced = match (&mut self.pages_hook, pages_written) {
            (Some(hook), Some(_)) => {
                if first == 0 || changed.len() > first {
                    hook(&changed[first..]);
                }
                Some(changed.len())
            }
            _ => None,
        };
        // The sitemap and the search index follow the pages. Written
        // afresh, the output needs every file of the index.
        if old_files.is_none() {
            self.search.forget_written();
        }
        pages.insert("sitemap.xml".into(), render::render_sitemap(&site));
        let index = crate::timings::measure("search index", || self.search.render(&site));
        for (path, bytes) in index {
            match bytes {
                Some(bytes) => {
                    pages.insert(path, OutFile::Bytes(bytes));
                }
                // Unchanged since the last build, which wrote it.
                None => {
                    if let Some(stamp) = old_files.and_then(|old| old.get(&path)) {
                        files.insert(path, stamp.clone());
                    }
                }
            }
        }
        let all_written = crate::timings::measure("write search index", || {
            write_changed(old_files, pages, &mut files, &self.out, &mut changed)
        })?;
        if let Some(old) = old_files {
            remove_gone(old, &files, &self.out, &mut changed)?;
        }
        let later = announced.map(|n| {
            let mut later = changed[n..].to_vec();
            later.sort();
            later
        });
        changed.sort();
        self.problems = diagnostics;
        self.resolved = Some((site, resolve_found));
        self.good = Some(Good {
            files,
            signatures: signatures.by_page,
            listings,
        });
        Ok(Rebuild {
            changed,
            rendered,
            pages_written: Some(first_written_at.or(pages_written).unwrap_or(all_written)),
            later,
            failed: false,
        })
    }
}

/// What each entry page shows, as a signature per page: a page whose
/// signature is unchanged is the same bytes as last time. Built from the
/// digests taken at load, so the cost is per link and tag, not per byte of
/// content.
struct Signatures {
    /// `pages[i]`: entry i's page path and signature.
    pages: Vec<(String, u64)>,
    by_page: HashMap<String, u64>,
}

/// The entry pages' signatures, and one for everything the listing pages
/// show.
fn signatures(site: &Site) -> (Signatures, u64) {
    use rayon::prelude::*;
    let digests: Vec<u64> = site.entries.iter().map(|e| e.digests.display).collect();
    let site_digest = hash_of((
        &site.config.title,
        &site.config.base_url,
        site.entries.len(),
        load::Kind::ALL.map(|k| site.of_kind(k).count()),
    ));
    // Entries per tag name (names that slug alike share a page and a count).
    let mut tag_counts: HashMap<&str, usize> = HashMap::new();
    for names in &site.entry_tags {
        for name in names {
            if !tag_counts.contains_key(name.as_str()) {
                let count = site
                    .tags
                    .get(&crate::slug::slugify(name))
                    .map_or(0, |t| t.entries.len());
                tag_counts.insert(name, count);
            }
        }
    }
    let pages: Vec<(String, u64)> = (0..site.entries.len())
        .into_par_iter()
        .map(|i| {
            let e = &site.entries[i];
            let mut h = DefaultHasher::new();
            site_digest.hash(&mut h);
            e.digests.source.hash(&mut h);
            for used in &e.body.snippets {
                site.snippets
                    .get(&used.name)
                    .map(|s| &s.source)
                    .hash(&mut h);
            }
            for r in &site.links[i] {
                if let resolve::Resolved::Entry { index, anchor } = r {
                    (digests[*index], anchor).hash(&mut h);
                }
            }
            for &j in site.backlinks[i].iter().chain(&site.related[i]) {
                digests[j].hash(&mut h);
            }
            for tag in &site.entry_tags[i] {
                (tag, tag_counts.get(tag.as_str())).hash(&mut h);
            }
            (e.url().to_string(), h.finish())
        })
        .collect();
    let by_page = pages.iter().cloned().collect();
    let snippets: Vec<(&String, &String, &Vec<usize>)> = site
        .snippets
        .iter()
        .map(|(name, s)| (name, &s.source, &site.snippet_users[name]))
        .collect();
    let listings = hash_of((site_digest, &digests, &site.entry_tags, snippets));
    (Signatures { pages, by_page }, listings)
}

fn stamp_of(file: &OutFile) -> Stamp {
    match file {
        OutFile::Bytes(bytes) => Stamp::Written(hash_of(bytes)),
        OutFile::Copy(_) => Stamp::Copied,
    }
}

/// Writes the files of `new` that differ from what `old` says the output
/// holds, each to a temp file renamed over the old one, and records their
/// stamps in `files`. Without `old` (the first build) the output folder is
/// filled from scratch. Returns when the last file was on disk.
fn write_changed(
    old: Option<&BTreeMap<String, Stamp>>,
    new: Output,
    files: &mut BTreeMap<String, Stamp>,
    out: &Path,
    changed: &mut Vec<String>,
) -> anyhow::Result<std::time::Instant> {
    let Some(old) = old else {
        // The first build writes the whole site at once, atomically.
        crate::write::write(&new, out, &crate::write::WriteOptions { force: false })?;
        for (path, file) in &new {
            files.insert(path.clone(), stamp_of(file));
            changed.push(path.clone());
        }
        return Ok(std::time::Instant::now());
    };
    for (path, file) in new {
        let stamp = stamp_of(&file);
        let target = out.join(&path);
        let same = match &file {
            OutFile::Bytes(_) => old.get(&path) == Some(&stamp),
            // Copies are compared on disk: cheap, and usually unchanged.
            OutFile::Copy(source) => {
                old.contains_key(&path) && std::fs::read(source).ok() == std::fs::read(&target).ok()
            }
        };
        files.insert(path.clone(), stamp);
        if same {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let temp = target.with_file_name(format!(
            ".{}.saywhen-tmp",
            target.file_name().unwrap_or_default().to_string_lossy()
        ));
        match &file {
            OutFile::Bytes(bytes) => std::fs::write(&temp, bytes),
            OutFile::Copy(source) => std::fs::copy(source, &temp).map(|_| ()),
        }
        .with_context(|| format!("failed to write {}", temp.display()))?;
        std::fs::rename(&temp, &target)
            .with_context(|| format!("failed to replace {}", target.display()))?;
        changed.push(path);
    }
    Ok(std::time::Instant::now())
}

/// Removes the files of the last build that this one no longer has.
fn remove_gone(
    old: &BTreeMap<String, Stamp>,
    files: &BTreeMap<String, Stamp>,
    out: &Path,
    changed: &mut Vec<String>,
) -> anyhow::Result<()> {
    for path in old.keys().filter(|p| !files.contains_key(*p)) {
        let target = out.join(path);
        if target.exists() {
            std::fs::remove_file(&target)
                .with_context(|| format!("failed to remove {}", target.display()))?;
        }
        changed.push(path.clone());
        // Leave no empty folders behind (a deleted tag's folder, say).
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}
