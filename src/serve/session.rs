//! Incremental rebuilds for `serve` and `watch`.
//!
//! A session keeps what the last build knew: every loaded entry, each
//! file's own diagnostics, the theme, the last good site and its output. On
//! a change it reloads only the files that changed, resolves the whole site
//! again (cheap: hash lookups, and links ripple), and re-renders only the
//! pages whose inputs changed: an entry page is drawn again when its own
//! source or anything it shows of another entry (a linked title, a
//! backlink, a related entry) changed. Pages that list entries are drawn
//! again when what they list changed. Only files whose bytes differ are
//! written, each to a temp file renamed over the old one, so a server never
//! hands out half a page. The result is the same bytes a full build gives;
//! the serve tests check that.

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

/// The last good build.
struct Good {
    site: Site,
    output: Output,
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
    problems: Diagnostics,
    /// Each entry's part of the search index, so a save re-indexes one entry.
    search: crate::search::RecordCache,
}

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct Rebuild {
    /// Output paths written or removed.
    pub changed: Vec<String>,
    /// Entry pages drawn again (for tests and the log line).
    pub rendered: usize,
    /// True when the change had errors and the last good site stays.
    pub failed: bool,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// What other pages show of an entry: enough to know when they must change.
fn display_digest(e: &Entry) -> u64 {
    let mut h = DefaultHasher::new();
    (&e.file, &e.title, e.kind, &e.slug).hash(&mut h);
    (
        &e.front.description,
        &e.front.situation,
        &e.front.owner,
        &e.front.aliases,
        &e.front.tags,
    )
        .hash(&mut h);
    (
        e.front.reviewed.map(|d| d.to_string()),
        &e.front.review_every,
        e.front.valid_until.map(|d| d.to_string()),
    )
        .hash(&mut h);
    for heading in &e.body.headings {
        (&heading.id, &heading.text).hash(&mut h);
    }
    for phrase in &e.body.phrases {
        phrase.text.hash(&mut h);
    }
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
            problems: Diagnostics::new(),
            search: crate::search::RecordCache::default(),
        };
        session.reload_everything()?;
        let rebuild = session.rebuild(true)?;
        Ok((session, rebuild))
    }

    pub fn problems(&self) -> &Diagnostics {
        &self.problems
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
        match load::load_entry(self.root(), rel, &self.settings.config, &self.assets) {
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
                    .map(|s| s.file.trim_start_matches("content/").to_string())
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
        let content = Content {
            entries: self.entries.values().cloned().collect(),
            assets: self.assets.clone(),
            failed,
            snippets: self.snippets.clone(),
        };
        let options = ResolveOptions {
            drafts: self.settings.drafts,
            today: self.settings.today,
        };
        let (site, found) = resolve::resolve(content, &self.settings.config, &options);
        diagnostics.extend(found);
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

        let digests: Vec<u64> = site.entries.iter().map(|e| display_digest(e)).collect();
        let site_digest = hash_of((
            &self.settings.config.title,
            &self.settings.config.base_url,
            site.entries.len(),
            site.of_kind(load::Kind::Faq).count(),
            site.of_kind(load::Kind::Playbook).count(),
        ));
        let signatures: HashMap<String, u64> = (0..site.entries.len())
            .map(|i| {
                let e = &site.entries[i];
                let mut h = DefaultHasher::new();
                site_digest.hash(&mut h);
                (&e.file, &e.source).hash(&mut h);
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
                    (
                        tag,
                        site.tags
                            .get(&crate::slug::slugify(tag))
                            .map(|t| t.entries.len()),
                    )
                        .hash(&mut h);
                }
                (e.url(), h.finish())
            })
            .collect();
        let snippets: Vec<(&String, &String, &Vec<usize>)> = site
            .snippets
            .iter()
            .map(|(name, s)| (name, &s.source, &site.snippet_users[name]))
            .collect();
        let listings = hash_of((site_digest, &digests, &site.entry_tags, snippets));

        let previous = self.good.take();
        let (entries_to_draw, other_pages) = match (&previous, full) {
            (Some(good), false) => (
                (0..site.entries.len())
                    .filter(|&i| {
                        let url = site.entries[i].url();
                        good.signatures.get(&url) != signatures.get(&url)
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
        let (drawn, found) = render::render_selected(&site, theme, &self.options, &selection);
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

        // The new output: what was kept, what was drawn, and the files that
        // are always cheap to produce.
        let mut output = Output::new();
        let keep_others = !other_pages;
        if let Some(good) = &previous {
            // HTML pages are entry pages or listing pages; the old site says
            // which were entries.
            let old_entries: BTreeSet<String> = good.site.entries.iter().map(|e| e.url()).collect();
            let new_entries: BTreeSet<String> = site.entries.iter().map(|e| e.url()).collect();
            for (path, file) in &good.output {
                let listing_page = path.ends_with(".html")
                    && !old_entries.contains(path)
                    && !new_entries.contains(path);
                if new_entries.contains(path) || (keep_others && listing_page) {
                    output.insert(path.clone(), file.clone());
                }
            }
        }
        let rendered = selection.entries.len();
        output.extend(drawn);
        output.insert("sitemap.xml".into(), render::render_sitemap(&site));
        let records = self.search.records(&site);
        for (path, bytes) in crate::search::render_records(&site, &records) {
            output.insert(path, OutFile::Bytes(bytes));
        }
        for (path, bytes) in &theme.static_files {
            output.insert(path.clone(), OutFile::Bytes(bytes.clone()));
        }
        // The same check as a full build: a file beside the entries never
        // replaces a generated one.
        let mut clashes = Diagnostics::new();
        let assets = render::copy_assets(
            &site,
            &self.settings.root,
            |a| output.contains_key(a),
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
        output.extend(assets);

        let changed = match &previous {
            None => {
                crate::write::write(
                    &output,
                    &self.out,
                    &crate::write::WriteOptions { force: false },
                )?;
                output.keys().cloned().collect()
            }
            Some(good) => write_changes(&good.output, &output, &self.out)?,
        };
        self.problems = diagnostics;
        self.good = Some(Good {
            site,
            output,
            signatures,
            listings,
        });
        Ok(Rebuild {
            changed,
            rendered,
            failed: false,
        })
    }
}

/// Writes the files of `new` that differ from `old`, each atomically, and
/// removes the ones that are gone. Returns the paths touched, sorted.
fn write_changes(old: &Output, new: &Output, out: &Path) -> anyhow::Result<Vec<String>> {
    let mut changed = Vec::new();
    for (path, file) in new {
        let same = match (old.get(path), file) {
            (Some(OutFile::Bytes(a)), OutFile::Bytes(b)) => a == b,
            (Some(OutFile::Copy(_)), OutFile::Copy(_)) => false,
            _ => false,
        };
        if same {
            continue;
        }
        let target = out.join(path);
        if let OutFile::Copy(source) = file {
            // Copies are compared on disk: cheap, and usually unchanged.
            if std::fs::read(source).ok() == std::fs::read(&target).ok() {
                continue;
            }
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let temp = target.with_file_name(format!(
            ".{}.saywhen-tmp",
            target.file_name().unwrap_or_default().to_string_lossy()
        ));
        match file {
            OutFile::Bytes(bytes) => std::fs::write(&temp, bytes),
            OutFile::Copy(source) => std::fs::copy(source, &temp).map(|_| ()),
        }
        .with_context(|| format!("failed to write {}", temp.display()))?;
        std::fs::rename(&temp, &target)
            .with_context(|| format!("failed to replace {}", target.display()))?;
        changed.push(path.clone());
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
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
    changed.sort();
    Ok(changed)
}
