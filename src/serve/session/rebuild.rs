//! One rebuild, in the pipeline's order: what the files said when last
//! loaded, resolve (or reuse the last site), check, render the pages whose
//! inputs changed, write what differs. Each stage is one method below;
//! [`Session::rebuild`] runs them in that order and stops at the first
//! that finds an error, keeping the last good site.

use super::signatures::{Signatures, signatures};
use super::{Good, Rebuild, Session};
use crate::diag::{Diagnostics, Severity};
use crate::load::{self, Content};
use crate::render::{self, OutFile, Output, Selection, Theme};
use crate::resolve::{self, Site};
use crate::write::changed::{Stamp, remove_gone, write_changed};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

/// The site a rebuild publishes, with what resolving it found, and the
/// saved entries' pages when they went out before the rest.
struct Resolved {
    site: Site,
    found: Diagnostics,
    written_first: Vec<String>,
    first_written_at: Option<Instant>,
}

/// What a rebuild renders: the entry pages whose signature changed, and
/// the listing pages when what they list did.
struct Plan {
    signatures: Signatures,
    listings: u64,
    selection: Selection,
}

impl Session {
    /// Resolves, renders what changed, and writes it.
    pub(super) fn rebuild(&mut self, full: bool) -> anyhow::Result<Rebuild> {
        // Load: each file was read when it changed; its findings are kept.
        let (mut diagnostics, failed) = self.load_findings();
        // Resolve.
        let resolved = self.resolve_or_reuse(full, failed);
        // Check.
        diagnostics.extend(resolved.found.clone());
        diagnostics.extend(crate::check::wording(&resolved.site));
        let theme = match &self.theme {
            Ok(theme) => theme,
            Err(found) => {
                diagnostics.extend(found.clone());
                return Ok(self.fail(diagnostics, None));
            }
        };
        if diagnostics.has_errors() {
            return Ok(self.fail(diagnostics, None));
        }
        // Render.
        let previous = self.good.take();
        let plan = crate::timings::measure("signatures", || {
            Plan::of(&resolved.site, previous.as_ref(), full)
        });
        let (rendered, found) = crate::timings::measure("render", || {
            render::render_selected(&resolved.site, theme, &self.options, &plan.selection)
        });
        diagnostics.extend(found);
        if diagnostics.has_errors() {
            return Ok(self.fail(diagnostics, previous));
        }
        let mut files = kept_files(previous.as_ref(), &plan);
        let mut clashes = Diagnostics::new();
        let pages = beside_the_pages(
            &resolved.site,
            theme,
            &self.settings.root,
            rendered,
            &plan,
            &files,
            &mut clashes,
        );
        if clashes.has_errors() {
            diagnostics.extend(clashes);
            return Ok(self.fail(diagnostics, previous));
        }
        // Write.
        let rendered = plan.selection.entries.len();
        let mut rebuild = self.write(resolved, pages, previous.as_ref(), &mut files)?;
        rebuild.rendered = rendered;
        self.problems = diagnostics;
        self.good = Some(Good {
            files,
            signatures: plan.signatures.by_page,
            listings: plan.listings,
        });
        Ok(rebuild)
    }

    /// A rebuild that found an error: the last good site stays published.
    fn fail(&mut self, diagnostics: Diagnostics, previous: Option<Good>) -> Rebuild {
        self.problems = diagnostics;
        if previous.is_some() {
            self.good = previous;
        }
        Rebuild {
            failed: true,
            ..Rebuild::default()
        }
    }

    /// What loading the files found, and the files that failed to load
    /// (resolve leaves their links unchecked).
    fn load_findings(&self) -> (Diagnostics, BTreeSet<String>) {
        let mut diagnostics = Diagnostics::new();
        for list in self.file_diagnostics.values() {
            list.iter().cloned().for_each(|d| diagnostics.push(d));
        }
        let failed = self
            .file_diagnostics
            .iter()
            .filter(|(rel, ds)| !rel.is_empty() && ds.iter().any(|d| d.severity == Severity::Error))
            .map(|(rel, _)| rel.clone())
            .collect();
        (diagnostics, failed)
    }

    /// The last site with the saved entries swapped in when a save changed
    /// only their words or links (their pages then go out first), else
    /// the site resolved again from every entry.
    fn resolve_or_reuse(&mut self, full: bool, failed: BTreeSet<String>) -> Resolved {
        let reused = if full || !failed.is_empty() {
            self.resolved = None;
            None
        } else {
            self.reuse_resolved()
        };
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
        let (site, found) = reused.unwrap_or_else(|| {
            let content = Content {
                entries: self.entries.values().cloned().collect(),
                assets: self.assets.clone(),
                failed,
                snippets: self.snippets.clone(),
                body_html: load::BodyHtml::Kept,
            };
            crate::pipeline::resolve(content, &self.settings)
        });
        let (written_first, first_written_at) = match written_first {
            Some((paths, at)) => (paths, Some(at)),
            None => (Vec::new(), None),
        };
        Resolved {
            site,
            found,
            written_first,
            first_written_at,
        }
    }

    /// Writes the new output in two steps: the pages (and the small files
    /// beside them) first, so the page an author is looking at is on disk
    /// as soon as it is rendered; then the sitemap and the search index,
    /// and the files the site no longer has are removed. `files` ends as
    /// the stamps of the whole output.
    fn write(
        &mut self,
        resolved: Resolved,
        mut pages: Output,
        previous: Option<&Good>,
        files: &mut BTreeMap<String, Stamp>,
    ) -> anyhow::Result<Rebuild> {
        let Resolved {
            site,
            found,
            written_first,
            first_written_at,
        } = resolved;
        let old_files = previous.map(|g| &g.files);
        // The edited pages written first are on disk already, and counted.
        let first = written_first.len();
        let mut changed = written_first;
        let pages_written = match old_files {
            Some(_) => Some(crate::timings::measure("write pages", || {
                write_changed(
                    old_files,
                    std::mem::take(&mut pages),
                    files,
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
        // Written afresh, the output needs every file of the index.
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
            write_changed(old_files, pages, files, &self.out, &mut changed)
        })?;
        if let Some(old) = old_files {
            remove_gone(old, files, &self.out, &mut changed)?;
        }
        let later = announced.map(|n| {
            let mut later = changed[n..].to_vec();
            later.sort();
            later
        });
        changed.sort();
        self.resolved = Some((site, found));
        Ok(Rebuild {
            changed,
            rendered: 0,
            pages_written: Some(first_written_at.or(pages_written).unwrap_or(all_written)),
            later,
            failed: false,
        })
    }
}

impl Plan {
    fn of(site: &Site, previous: Option<&Good>, full: bool) -> Plan {
        let (signatures, listings) = signatures(site);
        let (entries, other_pages) = match (previous, full) {
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
        Plan {
            signatures,
            listings,
            selection: Selection {
                entries,
                other_pages,
            },
        }
    }
}

/// The files of the last build that stay as they are: the pages of
/// entries still in the site (those rendered again are replaced when
/// written), and the listing pages when none is rendered again.
fn kept_files(previous: Option<&Good>, plan: &Plan) -> BTreeMap<String, Stamp> {
    let mut files = BTreeMap::new();
    let Some(good) = previous else {
        return files;
    };
    let keep_listings = !plan.selection.other_pages;
    // HTML pages are entry pages or listing pages; the signatures, old and
    // new, say which are entries.
    let new_entries = &plan.signatures.by_page;
    for (path, stamp) in &good.files {
        // Copies are listed again by `copy_assets`, whatever their name (a
        // handout.html beside the entries is no page).
        if *stamp == Stamp::Copied {
            continue;
        }
        let listing_page = path.ends_with(".html")
            && !good.signatures.contains_key(path)
            && !new_entries.contains_key(path);
        if new_entries.contains_key(path) || (keep_listings && listing_page) {
            files.insert(path.clone(), stamp.clone());
        }
    }
    files
}

/// The rendered pages with the theme's static files and the files beside
/// the entries added, under the same checks as a full build: neither
/// replaces a generated file. (A change to static/ renders every page
/// again, so the pages rendered, with the entry pages, are all a static
/// file can meet.)
fn beside_the_pages(
    site: &Site,
    theme: &Theme,
    root: &std::path::Path,
    rendered: Output,
    plan: &Plan,
    kept: &BTreeMap<String, Stamp>,
    clashes: &mut Diagnostics,
) -> Output {
    let mut pages = rendered;
    let search_paths = crate::search::render_paths(site);
    let entry_page = |a: &str| plan.signatures.by_page.contains_key(a);
    let generated_elsewhere = |a: &str| a == "sitemap.xml" || search_paths.iter().any(|p| p == a);
    let statics = render::static_files(
        site,
        theme,
        |a| pages.contains_key(a) || entry_page(a) || generated_elsewhere(a),
        clashes,
    );
    pages.extend(statics);
    let assets = render::copy_assets(
        site,
        root,
        |a| kept.contains_key(a) || pages.contains_key(a) || generated_elsewhere(a),
        clashes,
    );
    pages.extend(assets);
    pages
}
