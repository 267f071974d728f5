//! Stage 1, load: walk `content/` and turn each Markdown file into an
//! [`Entry`], one file at a time, knowing nothing of the others.
//!
//! Files are read and parsed in parallel; the result is sorted by path so the
//! rest of the pipeline sees the same order every run. Problems become
//! diagnostics and the file is left out, so one run reports every broken file.
//!
//! `kind.rs` is the table of kinds, `entry.rs` the [`Entry`], `discover.rs`
//! the walk of `content/`, and `parse.rs` the turn of one file into an
//! entry ([`EntryParser`]), with `front_matter`, `markdown` (and its
//! `flow` check) and `snippet` for the parts; this file runs them over the
//! whole folder.

mod date_spelling;
mod discover;
mod entry;
pub(crate) mod flow;
pub mod front_matter;
mod kind;
mod locate;
pub mod markdown;
mod parse;
pub(crate) mod snippet;
pub mod spool;

pub use discover::{discover, is_ignored_name};
pub(crate) use discover::{read_content, read_entry};
pub(crate) use entry::Entry;
pub(crate) use kind::listed;
pub use kind::{Kind, KindInfo};
pub(crate) use locate::locate;
pub use parse::{EntryParser, Loaded, clean_situation};
pub(crate) use parse::{not_utf8, source_text};

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use anyhow::Context as _;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

pub(crate) const CONTENT_DIR: &str = "content";

/// The path below `content/` of a site-relative file path
/// (`content/faq/x.md` → `faq/x.md`); `None` for a file elsewhere.
pub(crate) fn content_relative(file: &str) -> Option<&str> {
    file.strip_prefix(CONTENT_DIR)?.strip_prefix('/')
}

/// Everything under `content/`: the entries and the other files beside them.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Shared, so a rebuild in `serve` can keep every entry it did not
    /// reload without copying it.
    pub entries: Vec<Arc<Entry>>,
    /// Content-relative paths of non-Markdown files, copied as they are.
    pub assets: BTreeSet<String>,
    /// Content-relative paths of entries that failed to load. Links to them
    /// are not reported again: the file's own error says what to fix.
    pub failed: BTreeSet<String>,
    /// By name: `content/_snippets/disclosure.md` is `disclosure`.
    pub snippets: std::collections::BTreeMap<String, Arc<snippet::Snippet>>,
    /// Whether the entries hold their body's HTML.
    pub body_html: BodyHtml,
}

/// Where an entry page gets its body's HTML from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum BodyHtml {
    /// Made at load and kept on the entry (`body.html`): the fastest way,
    /// and what `serve` uses, since it keeps the site between saves.
    #[default]
    Kept,
    /// Made at load and written to a temporary file, each entry's place in
    /// it on `body.spooled`, so a large site never holds every body's HTML
    /// and search text at once. `body.html` and `body.text` are empty: the
    /// page reads them back when it is rendered, and the search index takes
    /// each text from there.
    Spooled(Arc<spool::Spool>),
}

impl BodyHtml {
    /// Puts a freshly parsed body where this site keeps bodies: its HTML
    /// and text into the spool, or trimmed to size in memory.
    fn keep(&self, body: &mut markdown::ParsedBody) -> std::io::Result<()> {
        match self {
            BodyHtml::Spooled(spool) => {
                body.spooled = Some(spool.put(&body.html, &body.text)?);
                body.html = String::new();
                body.text = String::new();
            }
            BodyHtml::Kept => body.fit_texts(),
        }
        Ok(())
    }

    /// Lets the spool's cached pages go, on a thread of their own, once
    /// every body has been read for the last time.
    pub(crate) fn release(&self) {
        if let BodyHtml::Spooled(spool) = self {
            let spool = Arc::clone(spool);
            std::thread::spawn(move || spool.release());
        }
    }

    /// `entry`'s body HTML (with link slots) and search text: read back from
    /// the spool where load left them there, else the entry's own.
    pub(crate) fn of<'e>(&self, entry: &'e Entry) -> std::io::Result<(Cow<'e, str>, Cow<'e, str>)> {
        match (self, entry.body.spooled) {
            (BodyHtml::Spooled(spool), Some(at)) => {
                let (html, text) = spool.get(at)?;
                Ok((Cow::Owned(html), Cow::Owned(text)))
            }
            _ => Ok((
                Cow::Borrowed(entry.body.html.as_str()),
                Cow::Borrowed(entry.body.text.as_str()),
            )),
        }
    }
}

/// Above this many Markdown files, `load` writes the bodies' HTML and text
/// to a spool ([`BodyHtml::Spooled`]): the bodies grow with the site and
/// would be held for the whole build, and read back from the spool they
/// cost no more time (docs/performance.md). Below it, a site's bodies are
/// small enough that a spool would save nothing worth a file.
pub(crate) const KEEP_HTML_UP_TO: usize = 2_000;

/// [`KEEP_HTML_UP_TO`], or `SAYWHEN_KEEP_HTML_UP_TO` when set (the tests
/// set 0 to render every page from the spool).
fn keep_html_up_to() -> usize {
    std::env::var("SAYWHEN_KEEP_HTML_UP_TO")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(KEEP_HTML_UP_TO)
}

pub fn load(root: &Path, config: &SiteConfig) -> anyhow::Result<(Content, Diagnostics)> {
    load_keeping_html(root, config, keep_html_up_to())
}

/// [`load`], keeping each body's HTML only when there are at most
/// `keep_up_to` Markdown files.
pub(crate) fn load_keeping_html(
    root: &Path,
    config: &SiteConfig,
    keep_up_to: usize,
) -> anyhow::Result<(Content, Diagnostics)> {
    let content_dir = root.join(CONTENT_DIR);
    let mut diagnostics = Diagnostics::new();
    if !content_dir.is_dir() {
        diagnostics.push(Diagnostic::error("no `content/` folder").help(format!(
            "create {}/content/ with {} inside, or run `saywhen init`",
            root.display(),
            kind::listed(Kind::ALL.map(|k| format!("{}/", k.dir())), "and"),
        )));
        return Ok((Content::default(), diagnostics));
    }
    let (mut markdown, assets) = discover(&content_dir, &mut diagnostics)?;
    let mut snippets = std::collections::BTreeMap::new();
    let mut bad_snippets = Vec::new();
    markdown.retain(|rel| {
        if snippet::name_of(rel).is_none() {
            return true;
        }
        match snippet::load(root, rel, config, &assets) {
            Ok(s) => {
                snippets.insert(s.name.clone(), Arc::new(s));
            }
            Err(errors) => {
                bad_snippets.push(rel.clone());
                errors.into_iter().for_each(|e| diagnostics.push(e));
            }
        }
        false
    });
    let parser = EntryParser::new(config, &assets);
    let body_html = if markdown.len() > keep_up_to {
        match spool::Spool::new() {
            Ok(spool) => {
                crate::timings::note("entry HTML is kept in a temporary file until rendered");
                BodyHtml::Spooled(Arc::new(spool))
            }
            Err(e) => {
                diagnostics.push(
                    Diagnostic::warning(format!(
                        "cannot make a temporary file for the entries' HTML: {e}"
                    ))
                    .help("the HTML stays in memory, which a site this large may not have room for; set TMPDIR to a writable folder"),
                );
                BodyHtml::Kept
            }
        }
    } else {
        BodyHtml::Kept
    };
    let results = markdown
        .par_iter()
        .map(|rel| {
            let mut loaded = read_entry(root, rel).and_then(|bytes| parser.parse(rel, bytes));
            if let Ok(Some((entry, _))) = &mut loaded {
                body_html.keep(&mut entry.body)?;
            }
            Ok(loaded)
        })
        .collect::<std::io::Result<Vec<_>>>()
        .context("cannot write the entries' HTML to a temporary file (is TMPDIR's disk full?)")?;
    let mut entries = Vec::with_capacity(results.len());
    let mut failed: BTreeSet<String> = bad_snippets.into_iter().collect();
    for (rel, result) in markdown.into_iter().zip(results) {
        match result {
            Ok(Some((entry, warnings))) => {
                entries.push(Arc::new(entry));
                warnings.into_iter().for_each(|w| diagnostics.push(w));
            }
            Ok(None) => {}
            Err(errors) => {
                if errors
                    .iter()
                    .any(|e| e.severity == crate::diag::Severity::Error)
                {
                    failed.insert(rel);
                }
                errors.into_iter().for_each(|e| diagnostics.push(e));
            }
        }
    }
    Ok((
        Content {
            entries,
            assets,
            failed,
            snippets,
            body_html,
        },
        diagnostics,
    ))
}

/// One entry file (content-relative `rel`) read and parsed again, its body
/// kept in memory: `serve` and `watch` after a save. `Ok(None)` for a file
/// that is no entry (a README beside them, say).
pub(crate) fn load_one(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
) -> Result<Loaded, Vec<Diagnostic>> {
    let parser = EntryParser::new(config, assets);
    let mut loaded = read_entry(root, rel).and_then(|bytes| parser.parse(rel, bytes))?;
    if let Some((entry, _)) = &mut loaded {
        entry.body.fit_texts();
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAYBOOK: &str = "+++\ntitle = \"Calls\"\n+++\n\n## Step 1: Greet\n\nSee [[b]] and [the card](../techniques/b.md#why).\n\n```say\nHello.\n```\n";
    const CARD: &str =
        "+++\ntitle = \"B\"\n+++\n\n## Why\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> quoted *text*\n";

    fn site() -> (tempfile::TempDir, SiteConfig) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir_all(content.join("playbooks")).unwrap();
        std::fs::create_dir_all(content.join("techniques")).unwrap();
        std::fs::write(content.join("playbooks/a.md"), PLAYBOOK).unwrap();
        std::fs::write(content.join("techniques/b.md"), CARD).unwrap();
        (dir, SiteConfig::parse("title = \"T\"\n").unwrap())
    }

    #[test]
    fn the_spool_gives_back_the_html_and_text_load_would_keep() {
        let (dir, config) = site();
        let (kept, d) = load_keeping_html(dir.path(), &config, usize::MAX).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(kept.body_html, BodyHtml::Kept);
        let (later, d) = load_keeping_html(dir.path(), &config, 1).unwrap();
        assert!(d.is_empty(), "{d:?}");
        let BodyHtml::Spooled(spool) = &later.body_html else {
            panic!("{:?}", later.body_html);
        };
        assert_eq!(kept.entries.len(), 2);
        for (kept, later) in kept.entries.iter().zip(&later.entries) {
            assert!(kept.body.html.contains("<h2"), "{}", kept.body.html);
            assert!(!kept.body.text.is_empty());
            assert!(kept.body.spooled.is_none());
            assert!(later.body.html.is_empty() && later.body.text.is_empty());
            assert_eq!(kept.body.links.len(), later.body.links.len());
            let (html, text) = spool.get(later.body.spooled.unwrap()).unwrap();
            assert_eq!(html, kept.body.html);
            assert_eq!(text, kept.body.text);
        }
    }
}
