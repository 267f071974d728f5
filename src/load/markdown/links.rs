//! Links in the pass: wikilinks, links to other entries by path and
//! same-page anchors become link targets, written with a slot for render
//! to fill; e-mail autolinks and everything else are written as they go.
//! The caret of a link's diagnostic is put under its destination as
//! written in the source.

use super::pass::Pass;
use super::{LinkTarget, RawLink};
use crate::text::escape::escape_html;
use pulldown_cmark::{CowStr, Event, LinkType};

/// The problem was already pushed as a diagnostic.
struct Reported;

impl<'e> Pass<'_, 'e> {
    pub(super) fn start_link(
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
                    // The search text gets the same slot: the title it
                    // shows is known once links are resolved.
                    match &mut self.heading {
                        Some(h) => h.text.push_str(&dest),
                        None => self.collect_text(&format!("\0t{n}\0")),
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
    pub(super) fn dest_location(&self, dest: &str, offset: usize, len: usize) -> (usize, usize) {
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
pub(super) fn has_scheme(dest: &str) -> bool {
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
    use super::super::tests::run;
    use super::*;

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
    fn email_autolinks_are_mailto_links() {
        let (p, d) = run("Write to <kb-owners@example.com>.\n", false);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            p.html,
            "<p>Write to <a href=\"mailto:kb-owners@example.com\">kb-owners@example.com</a>.</p>\n"
        );
        assert!(p.links.is_empty());
    }
}
