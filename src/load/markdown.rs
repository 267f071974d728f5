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

use super::flow::{Branch, BranchTo, Flow};
use crate::config::RawHtml;
use crate::diag::{Diagnostic, LineIndex};
use crate::slug::slugify;
use crate::text::escape::{escape_html, push_escaped_html};
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd, TextMergeWithOffset,
};
use std::collections::{BTreeSet, HashSet};

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
    pub offset: usize,
    pub len: usize,
    /// The link is a wikilink without a label: its text is the target's title.
    pub wants_title: bool,
}

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// 1-based step number, for the level-2 headings of a playbook.
    pub step: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PhraseKind {
    Say,
    Avoid,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Phrase {
    pub kind: PhraseKind,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct ParsedBody {
    /// HTML with `\0N\0` link slots; see the module docs.
    pub html: String,
    pub links: Vec<RawLink>,
    pub headings: Vec<Heading>,
    pub phrases: Vec<Phrase>,
    /// Plain text of the body, phrases and headings excluded, for search.
    pub text: String,
    /// Where `html` and `text` went when load left them in a spool
    /// ([`crate::load::BodyHtml::Spooled`]); both are empty then.
    pub spooled: Option<super::spool::Spooled>,
    /// Content-relative paths of files (images, PDFs) this entry links to.
    pub assets: Vec<String>,
    /// Snippets included with a ```` ```snippet NAME ```` block, in order;
    /// the HTML holds a slot `\0iN\0` for the N-th.
    pub snippets: Vec<SnippetUse>,
    /// A playbook's branches (`→ step 5`, `→ [[entry]]`, `→ end`).
    pub branches: Vec<Branch>,
    /// Errors in where the playbook's branches lead (a missing step, a step
    /// nothing leads to). They leave the entry whole, so load keeps it and
    /// its links are still checked: a jump to an unknown entry is reported
    /// beside the step it cut off.
    pub flow_errors: Vec<Diagnostic>,
}

#[derive(Debug, Clone)]
pub struct SnippetUse {
    pub name: String,
    /// Byte span of the include block in the source file.
    pub offset: usize,
    pub len: usize,
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
    let mut pass = Pass {
        input,
        out: ParsedBody::default(),
        diagnostics: Vec::new(),
        ids: HashSet::new(),
        events: Vec::with_capacity(256),
        heading: None,
        phrase: None,
        wiki_skip: false,
        image_depth: 0,
        steps: 0,
        flow: Flow::new(),
        snippet: None,
    };
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

impl ParsedBody {
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

/// The problem was already pushed as a diagnostic.
struct Reported;

struct HeadingState<'e> {
    level: u8,
    custom_id: Option<String>,
    /// The `{.class}` names kept for the `class` attribute.
    classes: Vec<String>,
    text: String,
    events: Vec<Event<'e>>,
}

struct PhraseState {
    kind: PhraseKind,
    text: String,
}

struct Pass<'i, 'e> {
    input: &'i ParseInput<'i>,
    out: ParsedBody,
    diagnostics: Vec<Diagnostic>,
    ids: HashSet<String>,
    events: Vec<Event<'e>>,
    heading: Option<HeadingState<'e>>,
    phrase: Option<PhraseState>,
    /// Inside an unlabeled wikilink, whose text events are replaced by a slot.
    wiki_skip: bool,
    /// Inside an image's description (its alt text), which is written as
    /// plain text: links there are not links, and no markup may be added.
    image_depth: usize,
    steps: usize,
    flow: Flow,
    /// Inside a ```` ```snippet NAME ```` block.
    snippet: Option<SnippetState>,
}

struct SnippetState {
    name: String,
    offset: usize,
    len: usize,
    has_text: bool,
}

impl<'e> Pass<'_, 'e> {
    fn emit(&mut self, event: Event<'e>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.events.push(event),
        }
    }

    fn collect_text(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        } else {
            if !self.out.text.is_empty() && !self.out.text.ends_with(' ') {
                self.out.text.push(' ');
            }
            self.out.text.push_str(text);
        }
    }

    fn event(&mut self, event: Event<'e>, offset: usize, len: usize) {
        match &event {
            Event::Start(tag) => self.flow.start(tag, offset, len),
            Event::End(tag) => self.flow.end(tag),
            _ => {}
        }
        if let Some(snippet) = &mut self.snippet {
            match event {
                Event::Text(t) if !t.trim().is_empty() => snippet.has_text = true,
                Event::End(TagEnd::CodeBlock) => self.finish_snippet(),
                _ => {}
            }
            return;
        }
        if let Some(phrase) = &mut self.phrase {
            match event {
                Event::Text(t) => phrase.text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.finish_phrases(),
                _ => {}
            }
            return;
        }
        if self.image_depth > 0 {
            return self.alt_text_event(event);
        }
        match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let classes = self.heading_classes(classes, attrs, offset, len);
                self.heading = Some(HeadingState {
                    level: level as u8,
                    custom_id: id.map(|s| s.to_string()),
                    classes,
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => self.finish_heading(),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if matches!(info.split_whitespace().next(), Some("say" | "avoid")) =>
            {
                let kind = if info.trim_start().starts_with("say") {
                    PhraseKind::Say
                } else {
                    PhraseKind::Avoid
                };
                self.phrase = Some(PhraseState {
                    kind,
                    text: String::new(),
                });
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("snippet") =>
            {
                self.snippet = Some(SnippetState {
                    name: info.split_whitespace().nth(1).unwrap_or("").to_string(),
                    offset,
                    len,
                    has_text: false,
                });
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                let language = match info {
                    CowStr::Borrowed(s) => CowStr::Borrowed(code_language(s)),
                    other => code_language(&other).to_string().into(),
                };
                self.emit(Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
                    language,
                ))));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => self.start_link(link_type, dest_url, title, offset, len),
            Event::End(TagEnd::Link) => {
                self.wiki_skip = false;
                self.emit(Event::InlineHtml("</a>".into()));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (offset, len) = self.dest_location(&dest_url, offset, len);
                let dest_url = self.asset_or_external(&dest_url, offset, len);
                self.image_depth = 1;
                self.emit(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest_url.into(),
                    title,
                    id,
                }));
            }
            Event::Text(t) => {
                if self.wiki_skip {
                    return;
                }
                self.collect_text(&t);
                if self.input.is_playbook && self.heading.is_none() {
                    let refs = self.flow.text(&t);
                    if !refs.is_empty() {
                        return self.emit_step_branches(&t, refs, offset, len);
                    }
                }
                self.emit(Event::Text(t));
            }
            Event::Code(t) => {
                self.collect_text(&t);
                self.emit(Event::Code(t));
            }
            Event::Html(h) | Event::InlineHtml(h) if self.input.raw_html == RawHtml::Escape => {
                self.emit(Event::Text(h));
            }
            Event::Start(Tag::HtmlBlock) if self.input.raw_html == RawHtml::Escape => {
                self.emit(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::HtmlBlock) if self.input.raw_html == RawHtml::Escape => {
                self.emit(Event::End(TagEnd::Paragraph));
            }
            other => self.emit(other),
        }
    }

    /// An event inside an image's description. pulldown-cmark writes the
    /// description as the `alt` attribute, keeping only its text, so the
    /// events go to it as they are: a link there is text, not a link to
    /// check, and the `<a>` this pass draws for links would be written into
    /// the attribute as escaped markup for screen readers to read out.
    fn alt_text_event(&mut self, event: Event<'e>) {
        match &event {
            Event::Start(Tag::Image { .. }) => self.image_depth += 1,
            Event::End(TagEnd::Image) => self.image_depth -= 1,
            Event::Text(t) | Event::Code(t) => self.collect_text(t),
            _ => {}
        }
        self.emit(event);
    }

    fn start_link(
        &mut self,
        link_type: LinkType,
        dest: CowStr<'e>,
        title: CowStr<'e>,
        offset: usize,
        len: usize,
    ) {
        let (offset, len) = self.dest_location(&dest, offset, len);
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape_html(&title))
        };
        let target = match link_type {
            LinkType::WikiLink { has_pothole } => {
                let (reference, anchor) = split_anchor(&dest);
                if !has_pothole {
                    self.wiki_skip = true;
                }
                Some(LinkTarget::Entry {
                    reference: reference.trim().to_string(),
                    anchor,
                    by_path: false,
                })
            }
            // `<kb-owners@example.com>`: an address, never a file to check.
            LinkType::Email => {
                let mut open = String::with_capacity(24 + dest.len() + title_attr.len());
                open.push_str("<a href=\"mailto:");
                push_href(&mut open, &dest);
                open.push('"');
                open.push_str(&title_attr);
                open.push('>');
                self.emit(Event::InlineHtml(open.into()));
                return;
            }
            _ => match self.classify(&dest, offset, len) {
                Ok(target) => target,
                Err(Reported) => {
                    self.emit(Event::InlineHtml(
                        format!("<a href=\"#\"{title_attr}>").into(),
                    ));
                    return;
                }
            },
        };
        match target {
            Some(target) => {
                let n = self.out.links.len();
                self.flow.link(n);
                let wants_title = self.wiki_skip;
                self.out.links.push(RawLink {
                    target,
                    offset,
                    len,
                    wants_title,
                });
                self.emit(Event::InlineHtml(
                    format!("<a href=\"\0{n}\0\"{title_attr}>").into(),
                ));
                if wants_title {
                    self.emit(Event::InlineHtml(format!("\0t{n}\0").into()));
                    if let Some(h) = &mut self.heading {
                        h.text.push_str(&dest);
                    }
                }
            }
            None => {
                let href = self.asset_or_external(&dest, offset, len);
                let mut open = String::with_capacity(16 + href.len() + title_attr.len());
                open.push_str("<a href=\"");
                push_href(&mut open, &href);
                open.push('"');
                open.push_str(&title_attr);
                open.push('>');
                self.emit(Event::InlineHtml(open.into()));
            }
        }
    }

    /// Points the caret at the destination of a link or image where it is
    /// written out, as typed (`\\server` included); the whole link
    /// otherwise (reference links, entities in the destination).
    fn dest_location(&self, dest: &str, offset: usize, len: usize) -> (usize, usize) {
        self.input
            .source
            .get(offset..offset + len)
            .and_then(|span| dest_span(span, dest))
            .map_or((offset, len), |(i, n)| (offset + i, n))
    }

    /// Entry and same-page links become link targets; anything else
    /// (external URLs, files beside the entries) is `Ok(None)`.
    fn classify(
        &mut self,
        dest: &str,
        offset: usize,
        len: usize,
    ) -> Result<Option<LinkTarget>, Reported> {
        if let Some(anchor) = dest.strip_prefix('#') {
            return Ok(Some(LinkTarget::Anchor(anchor.to_string())));
        }
        if has_scheme(dest) || dest.starts_with('/') || dest.starts_with('\\') {
            return Ok(None);
        }
        let (path, anchor) = split_anchor(dest);
        let path = path.split('?').next().unwrap_or("");
        if !path.ends_with(".md") {
            return Ok(None);
        }
        let reference = self.normalize(path, offset, len).ok_or(Reported)?;
        Ok(Some(LinkTarget::Entry {
            reference,
            anchor,
            by_path: true,
        }))
    }

    /// Checks an image or a non-entry link and returns the `href` to write.
    /// Entry pages sit one folder deep (`faq/x.html`), so a file under
    /// `content/` is reached through `../`.
    fn asset_or_external(&mut self, dest: &str, offset: usize, len: usize) -> String {
        let lower = dest.trim_start().to_ascii_lowercase();
        if has_scheme(dest) {
            let unsafe_scheme = ["javascript:", "vbscript:", "data:"]
                .iter()
                .any(|s| lower.starts_with(s));
            if unsafe_scheme && !self.input.allow_unsafe_links {
                self.error(
                    offset,
                    len,
                    format!("unsafe link target `{}`", truncate(dest, 40)),
                    "`javascript:`, `vbscript:` and `data:` links are refused; link to a page or file instead, or set `markdown.allow_unsafe_links = true` in site.toml if every author is trusted",
                );
                return "#".to_string();
            }
            if lower.starts_with("file:") {
                self.error(
                    offset,
                    len,
                    format!("link to a local file `{}`", truncate(dest, 60)),
                    "agents cannot open files on the build machine: put the file under content/ and link it relatively",
                );
                return "#".to_string();
            }
            return dest.to_string();
        }
        if dest.starts_with('/') || dest.starts_with('\\') || is_windows_absolute(dest) {
            self.error(
                offset,
                len,
                format!("absolute path `{}` in a link", truncate(dest, 60)),
                "link with a path relative to this file (`../techniques/x.md`), or a wikilink `[[slug]]`",
            );
            return "#".to_string();
        }
        if dest.is_empty() || dest.starts_with('#') {
            return dest.to_string();
        }
        let (path, rest) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let Some(asset) = self.normalize(path, offset, len) else {
            return "#".to_string();
        };
        if !self.input.assets.contains(&asset) {
            self.error(
                offset,
                len,
                format!("link to missing file `{path}`"),
                format!("no file `content/{asset}` exists; check the name, or add the file beside the entries"),
            );
        } else {
            self.out.assets.push(asset.clone());
        }
        format!("../{asset}{rest}")
    }

    /// Resolves `path` against the entry's folder into a content-relative
    /// path; `None` (with an error) when it climbs out of `content/`.
    fn normalize(&mut self, path: &str, offset: usize, len: usize) -> Option<String> {
        let mut parts: Vec<&str> = self
            .input
            .dir
            .split('/')
            .filter(|p| !p.is_empty())
            .collect();
        // Decode first, so `%2e%2e/` climbs like `../` and is refused alike.
        let decoded = percent_decode(path);
        for part in decoded.split(['/', '\\']) {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        self.error(
                            offset,
                            len,
                            format!("link `{}` leaves the content folder", truncate(path, 60)),
                            "only files under content/ are published; link to an entry or to a file under content/",
                        );
                        return None;
                    }
                }
                p => parts.push(p),
            }
        }
        Some(parts.join("/"))
    }

    /// The classes of a heading's `{#id .class}` block that are kept: names
    /// of letters, digits, `-` and `_`, which a stylesheet can select as
    /// they are. Other classes and `key=value` attributes are left out
    /// with a warning: a theme cannot rely on them, and an attribute such
    /// as `style=` or `onclick=` would put the author's markup on the page.
    fn heading_classes(
        &mut self,
        classes: Vec<CowStr<'_>>,
        attrs: Vec<(CowStr<'_>, Option<CowStr<'_>>)>,
        offset: usize,
        len: usize,
    ) -> Vec<String> {
        let mut kept = Vec::with_capacity(classes.len());
        for class in classes {
            if is_plain_class(&class) {
                kept.push(class.to_string());
            } else {
                self.warn(
                    offset,
                    len,
                    format!("heading class `.{}` is left out", truncate(&class, 40)),
                    "a class may hold only letters, digits, `-` and `_` (`{.warning}`, `{.call-out_2}`)",
                );
            }
        }
        for (key, value) in attrs {
            let written = match value {
                Some(v) => format!("{key}={v}"),
                None => key.to_string(),
            };
            self.warn(
                offset,
                len,
                format!("heading attribute `{}` is left out", truncate(&written, 40)),
                "only `{#id}` and `{.class}` are kept on a heading; remove the attribute",
            );
        }
        kept
    }

    fn warn(&mut self, offset: usize, len: usize, message: String, help: impl Into<String>) {
        let loc = self.input.lines.locate(self.input.source, offset, len);
        self.diagnostics.push(
            Diagnostic::warning(message)
                .in_file(self.input.file)
                .at(Some(loc))
                .help(help),
        );
    }

    fn error(&mut self, offset: usize, len: usize, message: String, help: impl Into<String>) {
        let loc = self.input.lines.locate(self.input.source, offset, len);
        self.diagnostics.push(
            Diagnostic::error(message)
                .in_file(self.input.file)
                .at(Some(loc))
                .help(help),
        );
    }

    fn finish_heading(&mut self) {
        let Some(h) = self.heading.take() else { return };
        let text = h.text.trim().to_string();
        let step = (self.input.is_playbook && h.level == 2).then(|| {
            self.steps += 1;
            self.steps
        });
        let base = match (&h.custom_id, step) {
            (Some(id), _) => id.clone(),
            (None, Some(n)) => format!("step-{n}"),
            (None, None) => {
                let s = slugify(&text);
                if s.is_empty() {
                    "section".to_string()
                } else {
                    s
                }
            }
        };
        let mut id = base.clone();
        let mut n = 1;
        while !self.ids.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        let level = h.level;
        // Built piece by piece: every heading of every entry comes here,
        // and `format!` cost more than the rest.
        let digit = char::from(b'0' + level.min(9));
        let mut open = String::with_capacity(128 + id.len());
        open.push_str("<h");
        open.push(digit);
        open.push_str(" id=\"");
        push_escaped_html(&mut open, &id);
        open.push('"');
        if step.is_some() || !h.classes.is_empty() {
            open.push_str(" class=\"");
            if step.is_some() {
                open.push_str("step");
            }
            for (i, class) in h.classes.iter().enumerate() {
                if i > 0 || step.is_some() {
                    open.push(' ');
                }
                // Plain names (`is_plain_class`): nothing to escape.
                open.push_str(class);
            }
            open.push('"');
        }
        if let Some(n) = step {
            open.push_str(
                "><span class=\"step-number\"><span class=\"visually-hidden\">Step </span>",
            );
            open.push_str(itoa::Buffer::new().format(n));
            open.push_str("</span> ");
        } else {
            open.push('>');
        }
        self.events.push(Event::Html(open.into()));
        self.events.extend(h.events);
        let mut close = String::with_capacity(96 + id.len());
        close.push_str("<a class=\"anchor\" href=\"#");
        push_escaped_html(&mut close, &id);
        close.push_str("\" aria-label=\"Link to this section\">#</a></h");
        close.push(digit);
        close.push_str(">\n");
        self.events.push(Event::Html(close.into()));
        self.out.headings.push(Heading {
            level,
            text,
            id,
            step,
        });
    }

    /// Draws each `step N` after an arrow as a link; its target is set
    /// once every step is known ([`Pass::finish_flow`]).
    fn emit_step_branches(
        &mut self,
        text: &str,
        refs: Vec<super::flow::StepRef>,
        offset: usize,
        len: usize,
    ) {
        // The text is as written unless it held escapes or entities.
        let verbatim = self.input.source.get(offset..offset + len) == Some(text);
        let mut at = 0;
        for r in refs {
            self.emit(Event::Text(text[at..r.start].to_string().into()));
            let n = self.out.links.len();
            let (o, l) = if verbatim {
                (offset + r.start, r.end - r.start)
            } else {
                (offset, len)
            };
            self.out.links.push(RawLink {
                target: LinkTarget::Anchor(String::new()),
                offset: o,
                len: l,
                wants_title: false,
            });
            self.flow.step_link(r.number, n);
            self.emit(Event::InlineHtml(
                format!("<a class=\"branch\" href=\"\0{n}\0\">").into(),
            ));
            self.emit(Event::Text(text[r.start..r.end].to_string().into()));
            self.emit(Event::InlineHtml("</a>".into()));
            at = r.end;
        }
        self.emit(Event::Text(text[at..].to_string().into()));
    }

    /// Points step branches at their steps, and reports branches to
    /// missing steps and steps nothing leads to.
    fn finish_flow(&mut self) {
        let input = self.input;
        let steps: Vec<&Heading> = self
            .out
            .headings
            .iter()
            .filter(|h| h.step.is_some())
            .collect();
        for branch in &self.flow.branches {
            let BranchTo::Step { number, link } = branch.to else {
                continue;
            };
            match steps.get(number.wrapping_sub(1)) {
                Some(h) => self.out.links[link].target = LinkTarget::Anchor(h.id.clone()),
                None => {
                    let raw = &self.out.links[link];
                    let help = match steps.len() {
                        0 => "this playbook has no steps yet: each `##` heading is a step"
                            .to_string(),
                        1 => "this playbook has one step, step 1".to_string(),
                        n => format!("this playbook has steps 1 to {n}"),
                    };
                    self.out.flow_errors.push(
                        Diagnostic::error(format!("branch to missing step {number}"))
                            .in_file(input.file)
                            .at(Some(input.lines.locate(input.source, raw.offset, raw.len)))
                            .help(help),
                    );
                }
            }
        }
        for (k, span) in self.flow.unreachable() {
            let title = steps.get(k - 1).map_or("", |h| h.text.as_str());
            self.out.flow_errors.push(super::flow::unreachable_step(
                input.file,
                input.source,
                input.lines,
                k,
                title,
                span,
                self.flow.stops(k - 1),
            ));
        }
        self.out.branches = std::mem::take(&mut self.flow.branches);
    }

    fn finish_snippet(&mut self) {
        let Some(state) = self.snippet.take() else {
            return;
        };
        let input = self.input;
        let at = Some(
            input
                .lines
                .locate_line(input.source, state.offset, state.len),
        );
        if state.name.is_empty() {
            self.diagnostics.push(
                Diagnostic::error("snippet include without a name")
                    .in_file(input.file)
                    .at(at)
                    .help("name the snippet after `snippet`: ```` ```snippet disclosure ```` includes content/_snippets/disclosure.md"),
            );
            return;
        }
        if state.has_text {
            self.diagnostics.push(
                Diagnostic::error(format!("snippet include `{}` has text inside it", state.name))
                    .in_file(input.file)
                    .at(at)
                    .help(format!("the block only names the snippet; its words live in content/_snippets/{}.md, so leave the block empty", state.name)),
            );
        }
        let n = self.out.snippets.len();
        self.out.snippets.push(SnippetUse {
            name: state.name,
            offset: state.offset,
            len: state.len,
        });
        self.events.push(Event::Html(format!("\0i{n}\0").into()));
    }

    fn finish_phrases(&mut self) {
        let Some(state) = self.phrase.take() else {
            return;
        };
        let (class, label, icon) = match state.kind {
            PhraseKind::Say => ("say", "Say", "✓"),
            PhraseKind::Avoid => ("avoid", "Avoid", "✗"),
        };
        let mut html = String::with_capacity(64 + state.text.len() * 2);
        html.push_str("<div class=\"phrases phrases-");
        html.push_str(class);
        html.push_str("\">\n");
        for chunk in state.text.split("\n\n").flat_map(|c| c.split("\r\n\r\n")) {
            let mut text = String::with_capacity(chunk.len());
            for word in chunk.split_whitespace() {
                if !text.is_empty() {
                    text.push(' ');
                }
                text.push_str(word);
            }
            if text.is_empty() {
                continue;
            }
            html.push_str("<figure class=\"phrase phrase-");
            html.push_str(class);
            html.push_str("\"><figcaption><span class=\"phrase-icon\" aria-hidden=\"true\">");
            html.push_str(icon);
            html.push_str("</span> ");
            html.push_str(label);
            html.push_str("</figcaption><blockquote class=\"phrase-text\">");
            push_escaped_html(&mut html, &text);
            html.push_str("</blockquote><button type=\"button\" class=\"copy\" aria-label=\"Copy this phrase\">Copy</button></figure>\n");
            self.out.phrases.push(Phrase {
                kind: state.kind,
                text,
            });
        }
        html.push_str("</div>\n");
        self.events.push(Event::Html(html.into()));
    }
}

/// Where `dest` is written in `span`, the source of a link or image: after
/// a `](` (inline links; the first `](` may belong to the text) or anywhere
/// (autolinks, wikilinks), with backslash escapes undone while matching.
fn dest_span(span: &str, dest: &str) -> Option<(usize, usize)> {
    if dest.is_empty() {
        return None;
    }
    let bytes = span.as_bytes();
    let opens = memchr::memchr_iter(b']', bytes).filter(|&i| bytes.get(i + 1) == Some(&b'('));
    for i in opens {
        let rest = &span[i + 2..];
        let trimmed = rest.trim_start();
        let mut start = i + 2 + (rest.len() - trimmed.len());
        if trimmed.starts_with('<') {
            start += 1;
        }
        if let Some(n) = written_as(&span[start..], dest) {
            return Some((start, n));
        }
    }
    memchr::memmem::find(bytes, dest.as_bytes()).map(|i| (i, dest.len()))
}

/// The byte length of the prefix of `raw` that CommonMark reads as `dest`
/// (`\\` is one backslash, `\)` a parenthesis), if there is one.
fn written_as(raw: &str, dest: &str) -> Option<usize> {
    // Most destinations are written as they read: no escapes to undo.
    if !dest.contains('\\') && raw.starts_with(dest) {
        return Some(dest.len());
    }
    let mut chars = raw.char_indices().peekable();
    for want in dest.chars() {
        let (_, c) = chars.next()?;
        let got = match chars.peek() {
            Some(&(_, next)) if c == '\\' && next.is_ascii_punctuation() => {
                chars.next();
                next
            }
            _ => c,
        };
        if got != want {
            return None;
        }
    }
    Some(chars.peek().map_or(raw.len(), |&(i, _)| i))
}

fn split_anchor(dest: &str) -> (&str, Option<String>) {
    match dest.split_once('#') {
        Some((path, anchor)) => (path, Some(anchor.to_string())),
        None => (dest, None),
    }
}

/// `scheme:` per RFC 3986, so `mailto:`, `tel:` and `https:` are external;
/// a Windows drive letter (`C:`) is not a scheme.
fn has_scheme(dest: &str) -> bool {
    let Some(colon) = dest.find(':') else {
        return false;
    };
    let scheme = &dest[..colon];
    scheme.len() > 1
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The language of a fenced code block, for its `language-…` class: the
/// first word of the info string when it is a plain token (`rust`, `c++`,
/// `objective-c`, `c#`), nothing otherwise. Authors write anything there;
/// a class should not carry `:`, quotes or brackets into the page.
fn code_language(info: &str) -> &str {
    let word = info.split_whitespace().next().unwrap_or("");
    let plain = word
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+' | '.' | '#'));
    if plain { word } else { "" }
}

/// A heading class kept as it is written; see [`Pass::heading_classes`].
fn is_plain_class(class: &str) -> bool {
    !class.is_empty()
        && class
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
}

fn is_windows_absolute(dest: &str) -> bool {
    let b = dest.as_bytes();
    b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && (b[2] == b'\\' || b[2] == b'/')
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// `%20` and friends in a relative link name a file with that character.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
                && !(h * 16 + l < 0x20 || h * 16 + l == 0x7f)
            {
                // Control characters (`%00`) stay encoded: no file has them.
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// `href` onto `out` as pulldown-cmark writes the destinations it draws
/// itself (images): percent-encoded where a URL may not hold the byte
/// as it is (spaces, non-ASCII, quotes), with `&` and `'` as references,
/// so the value is also safe inside the quoted attribute.
fn push_href(out: &mut String, href: &str) {
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(out, href);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str, playbook: bool) -> (ParsedBody, Vec<Diagnostic>) {
        let lines = LineIndex::new();
        let assets: BTreeSet<String> = ["faq/chart.png".to_string()].into();
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

    #[test]
    fn links_become_slots() {
        let (p, d) = run(
            "See [[active-listening]] and [[offering-options|options]] and [a](../techniques/calm.md#breathe) and [b](#top) and [c](https://x.example).\n",
            false,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(p.links.len(), 4);
        assert!(p.links[0].wants_title);
        assert!(!p.links[1].wants_title);
        assert_eq!(
            p.links[2].target,
            LinkTarget::Entry {
                reference: "techniques/calm.md".into(),
                anchor: Some("breathe".into()),
                by_path: true
            }
        );
        assert_eq!(p.links[3].target, LinkTarget::Anchor("top".into()));
        assert!(
            p.html.contains("<a href=\"\x000\x00\">\x00t0\x00</a>"),
            "{}",
            p.html
        );
        assert!(p.html.contains(">options</a>"));
        assert!(p.html.contains("href=\"https://x.example\""));
        assert!(
            !p.html.contains("active-listening"),
            "unlabeled wikilink text is a slot"
        );
    }

    #[test]
    fn a_code_fence_language_is_kept_only_as_a_plain_token() {
        let (p, _) = run("```rust extra words\nfn x() {}\n```\n", false);
        assert!(
            p.html.contains("<code class=\"language-rust\">"),
            "{}",
            p.html
        );
        let (p, _) = run("```c++\nx\n```\n", false);
        assert!(
            p.html.contains("<code class=\"language-c++\">"),
            "{}",
            p.html
        );
        // Found by the robustness property: an info string that is a link.
        let (p, _) = run("[[a]][^1]: n\n~~~~[x](javascript:alert(1))\n", false);
        assert!(p.html.contains("<pre><code>"), "{}", p.html);
        assert!(!p.html.contains("javascript"), "{}", p.html);
    }

    #[test]
    fn link_source_location_points_at_destination() {
        let (p, _) = run("line one\nsee [x](../faq/other.md) now\n", false);
        assert_eq!(p.links[0].offset, "line one\nsee [x](".len());
        assert_eq!(p.links[0].len, "../faq/other.md".len());
    }

    #[test]
    fn the_caret_is_under_the_destination_as_written() {
        let at = |body: &str| {
            let (_, d) = run(body, false);
            d.iter()
                .map(|d| {
                    (
                        d.column().unwrap_or(0),
                        d.location.as_ref().map_or(0, |l| l.width),
                    )
                })
                .collect::<Vec<_>>()
        };
        // An image, a link whose text repeats the destination, escapes.
        assert_eq!(at("![chart](flowchart.png)\n"), [(10, 13)]);
        assert_eq!(at("[gone.pdf](gone.pdf)\n"), [(12, 8)]);
        assert_eq!(at("[j](\\\\server\\share\\x.md)\n"), [(5, 19)]);
        assert_eq!(at("[a\\](b](c.pdf)\n"), [(9, 5)]);
        assert_eq!(at("[x]( <javascript:x> )\n"), [(7, 12)]);
    }

    #[test]
    fn playbook_steps_are_numbered() {
        let (p, _) = run(
            "Intro\n\n## Prepare\n\n### Detail\n\n## Open the call\n",
            true,
        );
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["step-1", "detail", "step-2"]);
        assert_eq!(p.headings[2].step, Some(2));
        assert!(p.html.contains("<h2 id=\"step-2\" class=\"step\">"));
    }

    #[test]
    fn duplicate_headings_get_unique_ids() {
        let (p, _) = run("## Notes\n\n## Notes\n\n## Custom {#mine}\n", false);
        let ids: Vec<_> = p.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["notes", "notes-1", "mine"]);
    }

    #[test]
    fn phrase_blocks_become_cards() {
        let (p, _) = run(
            "```say\nI hear you.\nLet's fix it.\n\nSecond <phrase>.\n```\n\n```avoid\nCalm down.\n```\n",
            false,
        );
        assert_eq!(p.phrases.len(), 3);
        assert_eq!(p.phrases[0].text, "I hear you. Let's fix it.");
        assert_eq!(p.phrases[2].kind, PhraseKind::Avoid);
        assert!(p.html.contains("Second &lt;phrase&gt;."));
        assert_eq!(p.html.matches("class=\"copy\"").count(), 3);
        assert!(
            !p.text.contains("Calm down"),
            "phrases are kept apart from body text"
        );
    }

    #[test]
    fn raw_html_is_escaped_by_default() {
        let (p, _) = run(
            "<script>alert(1)</script>\n\nHi <b onclick=x>there</b>\n",
            false,
        );
        assert!(!p.html.contains("<script>"), "{}", p.html);
        assert!(!p.html.contains("<b "), "{}", p.html);
        assert!(p.html.contains("&lt;script&gt;"));
    }

    #[test]
    fn unsafe_and_escaping_links_are_errors() {
        let (_, d) = run(
            "[a](javascript:alert(1)) [b](../../secret.md) [c](/etc/passwd) [d](missing.pdf) [e](chart.png)\n",
            false,
        );
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 4, "{msgs:?}");
        assert!(msgs[0].starts_with("unsafe link target"));
        assert!(msgs[1].contains("leaves the content folder"));
        assert!(msgs[2].starts_with("absolute path"));
        assert!(msgs[3].contains("missing file"));
    }

    #[test]
    fn email_autolinks_are_mailto_links() {
        let (p, d) = run("Write to <kb-owners@example.com>.\n", false);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            p.html,
            "<p>Write to <a href=\"mailto:kb-owners@example.com\">kb-owners@example.com</a>.</p>\n"
        );
        assert!(p.links.is_empty());
    }

    #[test]
    fn image_alt_text_is_plain_text() {
        let (p, d) = run(
            "![Logo of <https://example.com>](chart.png)\n\n![a [b](https://x.example)](chart.png)\n\n![see [c](other.md) here](chart.png)\n",
            false,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            p.html,
            "<p><img src=\"../faq/chart.png\" alt=\"Logo of https://example.com\" /></p>\n\
             <p><img src=\"../faq/chart.png\" alt=\"a b\" /></p>\n\
             <p><img src=\"../faq/chart.png\" alt=\"see c here\" /></p>\n"
        );
        // A link in alt text is no link: nothing to resolve or check.
        assert!(p.links.is_empty(), "{:?}", p.links);
    }

    #[test]
    fn playbook_arrows_in_alt_text_are_not_branches() {
        let (p, _) = run("## One\n\n![→ step 2](chart.png)\n\n## Two\n", true);
        assert!(
            p.html
                .contains("<img src=\"../faq/chart.png\" alt=\"→ step 2\" />"),
            "{}",
            p.html
        );
        assert!(p.branches.is_empty());
    }

    #[test]
    fn heading_classes_are_kept_and_other_attributes_warned_about() {
        let (p, d) = run(
            "## Title {.warning}\n\n## Both {#mine .a .b-2_c}\n\n## Odd {.x:y onclick=alert(1)}\n",
            false,
        );
        assert_eq!(
            p.html,
            "<h2 id=\"title\" class=\"warning\">Title<a class=\"anchor\" href=\"#title\" aria-label=\"Link to this section\">#</a></h2>\n\
             <h2 id=\"mine\" class=\"a b-2_c\">Both<a class=\"anchor\" href=\"#mine\" aria-label=\"Link to this section\">#</a></h2>\n\
             <h2 id=\"odd\">Odd<a class=\"anchor\" href=\"#odd\" aria-label=\"Link to this section\">#</a></h2>\n"
        );
        let msgs: Vec<_> = d.iter().map(|d| (d.severity, d.message.as_str())).collect();
        assert_eq!(
            msgs,
            [
                (
                    crate::diag::Severity::Warning,
                    "heading class `.x:y` is left out"
                ),
                (
                    crate::diag::Severity::Warning,
                    "heading attribute `onclick=alert(1)` is left out"
                ),
            ]
        );
        assert_eq!(d[0].line(), Some(5));
    }

    #[test]
    fn playbook_steps_keep_their_class_beside_the_authors() {
        let (p, _) = run("## Open {.warning}\n", true);
        assert!(
            p.html.starts_with(
                "<h2 id=\"step-1\" class=\"step warning\"><span class=\"step-number\">"
            ),
            "{}",
            p.html
        );
    }

    #[test]
    fn link_destinations_are_percent_encoded() {
        let lines = LineIndex::new();
        let assets: BTreeSet<String> =
            ["faq/my file.pdf".to_string(), "faq/café.png".to_string()].into();
        let body = "[x](</my file.pdf>) [y](my%20file.pdf) [z](<my file.pdf>) \
                    [w](<https://x.example/a b?q=\"1\"&r='2'>) ![c](café.png)\n";
        let input = ParseInput {
            file: "content/faq/x.md",
            dir: "faq",
            source: body,
            body_offset: 0,
            lines: &lines,
            is_playbook: false,
            raw_html: RawHtml::Escape,
            allow_unsafe_links: false,
            assets: &assets,
        };
        let (p, d) = parse(&input);
        // The absolute path is still refused; the others resolve.
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.starts_with("absolute path"));
        assert_eq!(
            p.html,
            "<p><a href=\"#\">x</a> <a href=\"../faq/my%20file.pdf\">y</a> \
             <a href=\"../faq/my%20file.pdf\">z</a> \
             <a href=\"https://x.example/a%20b?q=%221%22&amp;r=&#x27;2&#x27;\">w</a> \
             <img src=\"../faq/caf%C3%A9.png\" alt=\"c\" /></p>\n"
        );
    }

    #[test]
    fn assets_are_linked_relatively() {
        let (p, d) = run("![chart](chart.png)\n", false);
        assert!(d.is_empty());
        assert!(p.html.contains("src=\"../faq/chart.png\""), "{}", p.html);
        assert_eq!(p.assets, ["faq/chart.png"]);
    }
}
