//! The one Markdown pass per entry.
//!
//! Each body is parsed once at load, here, and everything later stages need
//! is collected in the same walk: the HTML, the links (with their source
//! location), the headings and their anchors, the say/avoid phrases and the
//! plain text for search. Links to other entries cannot be written yet (this
//! stage knows one file at a time), so their `href` is left as a *slot*,
//! `\0N\0`, that render fills from the resolved link table; an unlabeled
//! wikilink also leaves its text as a slot, `\0tN\0`, filled with the target's
//! title. NUL never survives loading (it is replaced like CommonMark does), so
//! a slot cannot be forged by content.
//!
//! Sites too large to keep every body's HTML and text in memory until render
//! keep them in a temporary file instead ([`crate::load::BodyHtml`]).
//!
//! The pass itself walks the events in `pass.rs`; each kind of thing it
//! collects has a file of its own: `links.rs` and `assets.rs` (where a
//! link leads), `headings.rs` (ids, anchors, playbook step numbers),
//! `branches.rs` (a playbook's `→ step N`), `phrases.rs` (say/avoid cards),
//! `snippets.rs` (included snippets) and `diagnostics.rs`.

mod assets;
mod branches;
mod diagnostics;
mod headings;
mod links;
mod pass;
mod phrases;
mod snippets;
mod state;

use super::flow::Branch;
use crate::config::RawHtml;
use crate::diag::{Diagnostic, LineIndex};
use pass::Pass;
use pulldown_cmark::{Options, Parser, TextMergeWithOffset};
use std::collections::BTreeSet;

/// What a link in an entry points at, as far as one file can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another entry, by slug (`active-listening`), by kind and slug
    /// (`techniques/active-listening`), or by content-relative path
    /// (`techniques/active-listening.md`, `by_path`).
    Entry {
        reference: String,
        anchor: Option<String>,
        by_path: bool,
    },
    /// A heading on the same page (`#step-2`).
    Anchor(String),
}

#[derive(Debug, Clone)]
pub struct RawLink {
    pub target: LinkTarget,
    /// Byte offset and length in the whole source file, for diagnostics.
    pub(crate) offset: usize,
    pub(crate) len: usize,
    /// The link is a wikilink without a label: its text is the target's title.
    pub(crate) wants_title: bool,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub(crate) level: u8,
    pub(crate) text: String,
    pub id: String,
    /// 1-based step number, for the level-2 headings of a playbook.
    pub(crate) step: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum PhraseKind {
    Say,
    Avoid,
}

#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct Phrase {
    pub(crate) kind: PhraseKind,
    pub(crate) text: String,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    /// HTML with `\0N\0` link slots; see the module docs.
    pub html: String,
    pub links: Vec<RawLink>,
    pub headings: Vec<Heading>,
    pub(crate) phrases: Vec<Phrase>,
    /// Plain text of the body, phrases and headings excluded, for search.
    /// An unlabeled wikilink's text and an included snippet are slots here
    /// too (`\0tN\0`, `\0iN\0`), which search fills
    /// (`crate::search::body_text`).
    pub text: String,
    /// Where `html` and `text` went when load left them in a spool
    /// ([`crate::load::BodyHtml::Spooled`]); both are empty then.
    pub spooled: Option<super::spool::Spooled>,
    /// Content-relative paths of files (images, PDFs) this entry links to.
    pub(crate) assets: Vec<String>,
    /// Snippets included with a ```` ```snippet NAME ```` block, in order;
    /// the HTML holds a slot `\0iN\0` for the N-th.
    pub(crate) snippets: Vec<SnippetUse>,
    /// A playbook's branches (`→ step 5`, `→ [[entry]]`, `→ end`).
    pub(crate) branches: Vec<Branch>,
    /// Errors in where the playbook's branches lead (a missing step, a step
    /// nothing leads to). They leave the entry whole, so load keeps it and
    /// its links are still checked: a jump to an unknown entry is reported
    /// beside the step it cut off.
    pub(crate) flow_errors: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub(crate) struct SnippetUse {
    pub(crate) name: String,
    /// Byte span of the include block in the source file.
    pub(crate) offset: usize,
    pub(crate) len: usize,
}

/// Everything the pass needs to know about the file it reads.
pub struct ParseInput<'a> {
    /// Site-relative path for diagnostics: `content/faq/x.md`.
    pub file: &'a str,
    /// Content-relative folder of the entry: `faq`.
    pub dir: &'a str,
    pub source: &'a str,
    pub body_offset: usize,
    pub lines: &'a LineIndex,
    pub is_playbook: bool,
    pub raw_html: RawHtml,
    pub allow_unsafe_links: bool,
    /// Content-relative paths of every non-Markdown file under `content/`.
    pub assets: &'a BTreeSet<String>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
}

pub fn parse(input: &ParseInput<'_>) -> (ParsedBody, Vec<Diagnostic>) {
    let body = &input.source[input.body_offset..];
    let mut pass = Pass::new(input);
    // Merged text, so an arrow and the `step N` after it arrive together.
    for (event, range) in
        TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter())
    {
        pass.event(
            event,
            range.start + input.body_offset,
            range.end - range.start,
        );
    }
    if input.is_playbook {
        pass.finish_flow();
    }
    // The HTML is a little longer than its Markdown; room for that up
    // front saves regrowing it.
    pass.out.html.reserve(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut pass.out.html, pass.events.into_iter());
    // `html` and `text` are fitted by whoever keeps them (`fit_texts`).
    let mut out = pass.out;
    out.links = fit_list(out.links);
    out.headings = fit_list(out.headings);
    out.phrases = fit_list(out.phrases);
    (out, pass.diagnostics)
}

impl Heading {
    /// The heading's plain text, as search indexes it.
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl ParsedBody {
    /// The text of each ```` ```say ```` block, in order (search indexes
    /// these, not the ```` ```avoid ```` ones).
    pub fn say_phrases(&self) -> impl Iterator<Item = &str> {
        self.phrases
            .iter()
            .filter(|p| p.kind == PhraseKind::Say)
            .map(|p| p.text.as_str())
    }

    /// `html` and `text` in buffers of their own length, for a body kept in
    /// memory. A body written to a spool is dropped as it is, uncopied.
    pub(crate) fn fit_texts(&mut self) {
        self.html = fit(std::mem::take(&mut self.html));
        self.text = fit(std::mem::take(&mut self.text));
    }
}

/// `text` in a buffer of its own length: the body's HTML and text are kept
/// for the whole build, and a grown string carries up to as much again in
/// spare room (which the allocator keeps even after a shrink).
fn fit(text: String) -> String {
    if text.capacity() - text.len() > text.len() / 16 {
        text.as_str().to_owned()
    } else {
        text
    }
}

/// [`fit`] for a list: its items move, nothing is copied.
fn fit_list<T>(list: Vec<T>) -> Vec<T> {
    if list.capacity() - list.len() > list.len() / 8 {
        let mut fitted = Vec::with_capacity(list.len());
        fitted.extend(list);
        fitted
    } else {
        list
    }
}

#[cfg(test)]
mod tests {
    use super::{ParseInput, ParsedBody, parse};
    use crate::config::RawHtml;
    use crate::diag::{Diagnostic, LineIndex};
    use std::collections::BTreeSet;

    /// Parses `body` as an entry of `content/faq/` beside one asset,
    /// `faq/chart.png`: the case most of the pass's tests need.
    pub(super) fn run(body: &str, playbook: bool) -> (ParsedBody, Vec<Diagnostic>) {
        run_beside(body, playbook, &["faq/chart.png"])
    }

    /// [`run`] beside the files `assets` instead.
    pub(super) fn run_beside(
        body: &str,
        playbook: bool,
        assets: &[&str],
    ) -> (ParsedBody, Vec<Diagnostic>) {
        let lines = LineIndex::new();
        let assets: BTreeSet<String> = assets.iter().map(|a| a.to_string()).collect();
        let input = ParseInput {
            file: "content/faq/x.md",
            dir: "faq",
            source: body,
            body_offset: 0,
            lines: &lines,
            is_playbook: playbook,
            raw_html: RawHtml::Escape,
            allow_unsafe_links: false,
            assets: &assets,
        };
        parse(&input)
    }
}
