//! The [`Entry`]: one Markdown file as load leaves it, with the digests
//! `serve` compares to tell what a save changed.

use super::front_matter::FrontMatter;
use super::markdown::{self, ParsedBody};
use super::{Kind, content_relative};
use crate::diag::Diagnostics;

/// One Markdown file, parsed.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Site-relative source path with `/` separators: `content/faq/x.md`.
    pub file: String,
    pub(crate) kind: Kind,
    pub(crate) slug: String,
    pub title: String,
    pub front: FrontMatter,
    pub body: ParsedBody,
    /// Problems found at load that leave the entry whole, reported when it
    /// is published (the text itself is not kept): forbidden wording, and
    /// a playbook's branches that lead nowhere
    /// ([`markdown::ParsedBody::flow_errors`]). `serve` publishes nothing
    /// of an entry while they hold an error.
    pub(crate) wording: Diagnostics,
    /// Hashes taken once at load, so `serve` can tell what a save changed
    /// without reading every entry again.
    pub(crate) digests: Digests,
    /// [`Entry::url`] and [`Entry::reviewed`], made once: every page that
    /// links to the entry shows them.
    pub(super) url: String,
    pub(super) reviewed: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Digests {
    /// The file's path and whole text: its own page changes with it.
    pub(crate) source: u64,
    /// What other pages show of the entry (title, description, tags,
    /// headings, say-phrases, review dates…): they change with it.
    pub(crate) display: u64,
    /// What resolve reads of the entry apart from its links: the whole
    /// front matter as written, title, slug, heading ids and included
    /// snippets. While it is unchanged, the entry keeps its place in the
    /// site and every other entry's links resolve as they did.
    pub(crate) standing: u64,
    /// The entry's links, as written. A save that leaves both `standing`
    /// and `links` unchanged (an edit of the words only) resolves to the
    /// same site.
    pub(crate) links: u64,
}

/// [`Digests::source`]: the file's path and whole text.
fn source_digest(file: &str, source_text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (file, source_text).hash(&mut h);
    h.finish()
}

impl Digests {
    /// `front_end`: where the Markdown starts in `source_text`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn of(
        file: &str,
        kind: Kind,
        slug: &str,
        title: &str,
        front: &FrontMatter,
        body: &ParsedBody,
        source_text: &str,
        front_end: usize,
    ) -> Digests {
        use std::hash::{Hash, Hasher};
        let source = source_digest(file, source_text);
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (file, title, kind, slug).hash(&mut h);
        (
            &front.description,
            &front.situation,
            &front.owner,
            &front.aliases,
            &front.tags,
        )
            .hash(&mut h);
        (
            front.reviewed.map(|d| d.to_string()),
            &front.review_every,
            front.valid_until.map(|d| d.to_string()),
        )
            .hash(&mut h);
        for heading in &body.headings {
            (&heading.id, &heading.text).hash(&mut h);
        }
        for phrase in &body.phrases {
            phrase.text.hash(&mut h);
        }
        let display = h.finish();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (file, title, kind, slug, &source_text[..front_end]).hash(&mut h);
        for heading in &body.headings {
            (&heading.id, heading.level, heading.step).hash(&mut h);
        }
        for used in &body.snippets {
            used.name.hash(&mut h);
        }
        let standing = h.finish();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for link in &body.links {
            match &link.target {
                markdown::LinkTarget::Entry {
                    reference,
                    anchor,
                    by_path,
                } => (0u8, reference, anchor, by_path).hash(&mut h),
                markdown::LinkTarget::Anchor(anchor) => (1u8, anchor).hash(&mut h),
            }
            link.wants_title.hash(&mut h);
        }
        Digests {
            source,
            display,
            standing,
            links: h.finish(),
        }
    }
}

impl Entry {
    /// `techniques/active-listening`: the kind-qualified name used in links
    /// and messages.
    pub(crate) fn id(&self) -> String {
        format!("{}/{}", self.kind.dir(), self.slug)
    }

    /// Output path relative to the site root. Entries sit one folder deep.
    pub(crate) fn url(&self) -> &str {
        &self.url
    }

    /// The `reviewed` date as written in the front matter.
    pub(crate) fn reviewed(&self) -> Option<&str> {
        self.reviewed.as_deref()
    }

    /// The entry's name in links and URLs: its file name without `.md`.
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// The kind, from the folder the entry is in.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Content-relative path of the source: `faq/x.md`.
    pub fn content_path(&self) -> &str {
        content_relative(&self.file).unwrap_or(&self.file)
    }
}
