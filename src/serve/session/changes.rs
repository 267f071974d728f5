//! What a burst of saves changes: the files read again, and whether the
//! whole site must be rendered again.

use super::{Rebuild, Session};
use crate::diag::Diagnostics;
use crate::serve::watch::Changes;
use crate::{load, render};
use std::collections::BTreeSet;
use std::sync::Arc;

impl Session {
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

    pub(super) fn reload_everything(&mut self) -> anyhow::Result<()> {
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
        match load::load_one(self.root(), rel, &self.settings.config, &self.assets) {
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
    pub(crate) fn apply(&mut self, changes: &Changes) -> anyhow::Result<Rebuild> {
        if changes.config {
            match self.settings.reload()? {
                Ok(settings) => self.settings = settings,
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
}
