//! The walk over one body's events: each event goes to the part of the
//! pass that handles it (links, headings, phrase and snippet blocks, image
//! alt text), and what is left is passed on to pulldown-cmark's HTML writer
//! as it is. The plain text for search is collected here as the walk goes.

use super::state::{HeadingState, PhraseState, SnippetState};
use super::{ParseInput, ParsedBody, PhraseKind};
use crate::config::RawHtml;
use crate::diag::Diagnostic;
use crate::load::flow::Flow;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use std::collections::HashSet;

/// One walk over a body: what it has collected so far, and which block
/// or inline element it is inside.
pub(super) struct Pass<'i, 'e> {
    pub(super) input: &'i ParseInput<'i>,
    pub(super) out: ParsedBody,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) ids: HashSet<String>,
    pub(super) events: Vec<Event<'e>>,
    pub(super) heading: Option<HeadingState<'e>>,
    pub(super) phrase: Option<PhraseState>,
    /// Inside an unlabeled wikilink, whose text events are replaced by a slot.
    pub(super) wiki_skip: bool,
    /// Inside an image's description (its alt text), which is written as
    /// plain text: links there are not links, and no markup may be added.
    pub(super) image_depth: usize,
    pub(super) steps: usize,
    pub(super) flow: Flow,
    /// Inside a ```` ```snippet NAME ```` block.
    pub(super) snippet: Option<SnippetState>,
    /// A block or line ended since the last search text: the next text is
    /// a new word. Text on either side of inline markup (a link, emphasis)
    /// joins as it reads, so `clearly ([[x]]).` stays `clearly (X).`.
    text_gap: bool,
}

impl<'i, 'e> Pass<'i, 'e> {
    pub(super) fn new(input: &'i ParseInput<'i>) -> Self {
        Pass {
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
            text_gap: false,
        }
    }
}

impl<'e> Pass<'_, 'e> {
    pub(super) fn emit(&mut self, event: Event<'e>) {
        match &mut self.heading {
            Some(h) => h.events.push(event),
            None => self.events.push(event),
        }
    }

    pub(super) fn collect_text(&mut self, text: &str) {
        if let Some(h) = &mut self.heading {
            h.text.push_str(text);
        } else {
            if self.text_gap && !self.out.text.is_empty() && !self.out.text.ends_with(' ') {
                self.out.text.push(' ');
            }
            self.text_gap = false;
            self.out.text.push_str(text);
        }
    }

    pub(super) fn event(&mut self, event: Event<'e>, offset: usize, len: usize) {
        match &event {
            Event::Start(tag) => {
                self.text_gap |= !is_inline(tag);
                self.flow.start(tag, offset, len);
            }
            Event::End(tag) => {
                self.text_gap |= !is_inline_end(tag);
                self.flow.end(tag);
            }
            Event::Text(_) | Event::Code(_) => {}
            _ => self.text_gap = true,
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
}

/// Inline markup, which text runs through without a break.
fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
    )
}

fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
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

#[cfg(test)]
mod tests {
    use super::super::tests::run;

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
}
