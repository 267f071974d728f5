//! One rebuild: resolve (or reuse) the site, check it, render the pages
//! whose inputs changed, and write what differs.

use super::signatures::signatures;
use super::{Good, Rebuild, Session};
use crate::diag::Diagnostics;
use crate::load::{self, Content};
use crate::render::{self, OutFile, Output, Selection};
use crate::resolve;
use crate::write::changed::{Stamp, remove_gone, write_changed};
use std::collections::{BTreeMap, BTreeSet};

impl Session {
    /// Resolves, renders what changed, and writes it.
    pub(super) fn rebuild(&mut self, full: bool) -> anyhow::Result<Rebuild> {
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
                crate::pipeline::resolve(content, &self.settings)
            }
        };
        let resolve_found = found.clone();
        diagnostics.extend(found);
        diagnostics.extend(crate::check::wording(&site));
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
        let (entries_to_render, other_pages) = match (&previous, full) {
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
            entries: entries_to_render,
            other_pages,
        };
        let (rendered_pages, found) = crate::timings::measure("render", || {
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
        // at is on disk as soon as it is rendered; the search index follows.
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
        pages.extend(rendered_pages);
        let search_paths = crate::search::render_paths(&site);
        // The same checks as a full build: neither a static file nor a file
        // beside the entries replaces a generated one. (A change to static/
        // renders every page again, so the pages rendered, with the entry pages,
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
