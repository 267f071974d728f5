//! Snippets: approved wording written once in `content/_snippets/` and
//! included wherever it is needed with a ```` ```snippet NAME ```` block.
//!
//! A snippet is plain Markdown (no front matter): text, lists, say/avoid
//! phrase blocks, links to web pages or files. It may not link to entries
//! or include other snippets, so it reads the same on every page it lands on.

use super::markdown::{self, ParseInput, ParsedBody};
use super::{CONTENT_DIR, source_text};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, LineIndex};
use std::collections::BTreeSet;
use std::path::Path;

pub(crate) const SNIPPET_DIR: &str = "_snippets";

#[derive(Debug, Clone)]
pub struct Snippet {
    /// `disclosure` for `content/_snippets/disclosure.md`.
    pub(crate) name: String,
    /// Site-relative path: `content/_snippets/disclosure.md`.
    pub(crate) file: String,
    pub(crate) source: String,
    pub(crate) lines: LineIndex,
    pub(crate) body: ParsedBody,
}

/// The snippet name for a content-relative path, if it is a snippet file.
pub(crate) fn name_of(rel: &str) -> Option<&str> {
    rel.strip_prefix(SNIPPET_DIR)?
        .strip_prefix('/')?
        .strip_suffix(".md")
        .filter(|n| !n.is_empty())
}

pub(crate) fn load(
    root: &Path,
    rel: &str,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
) -> Result<Snippet, Vec<Diagnostic>> {
    let bytes = super::read_content(root, rel).map_err(|d| vec![d])?;
    parse(rel, bytes, config, assets)
}

pub(crate) fn parse(
    rel: &str,
    bytes: Vec<u8>,
    config: &SiteConfig,
    assets: &BTreeSet<String>,
) -> Result<Snippet, Vec<Diagnostic>> {
    let file = format!("{CONTENT_DIR}/{rel}");
    let name = name_of(rel).unwrap_or(rel).to_string();
    let source = source_text(&file, bytes).map_err(|d| vec![d])?;
    let lines = LineIndex::new();
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let input = ParseInput {
        file: &file,
        dir,
        source: &source,
        body_offset: 0,
        lines: &lines,
        is_playbook: false,
        raw_html: config.markdown.raw_html,
        allow_unsafe_links: config.markdown.allow_unsafe_links,
        assets,
    };
    let (body, mut errors) = markdown::parse(&input);
    if source.starts_with("+++") {
        errors.push(
            Diagnostic::error("snippets have no front matter")
                .in_file(&file)
                .at(Some(lines.locate(&source, 0, 3)))
                .help("a snippet is the Markdown to include, nothing else; remove the `+++` block"),
        );
    }
    for link in &body.links {
        errors.push(
            Diagnostic::error("a snippet cannot link to an entry")
                .in_file(&file)
                .at(Some(lines.locate(&source, link.offset, link.len)))
                .help("a snippet lands on many pages; put the link in the entries that include it"),
        );
    }
    for used in &body.snippets {
        errors.push(
            Diagnostic::error(format!(
                "a snippet cannot include another snippet (`{}`)",
                used.name
            ))
            .in_file(&file)
            .at(Some(lines.locate_line(&source, used.offset, used.len)))
            .help("include both snippets from the entry instead"),
        );
    }
    if errors
        .iter()
        .any(|d| d.severity == crate::diag::Severity::Error)
    {
        return Err(errors);
    }
    Ok(Snippet {
        name,
        file,
        source,
        lines,
        body,
    })
}
