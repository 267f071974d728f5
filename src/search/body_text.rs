//! An entry's body text as search indexes and shows it: the text load
//! collected, with the slots load left in it filled. An unlabeled wikilink
//! (`\0tN\0`) reads as the title the page shows for it, and an included
//! snippet (`\0iN\0`) as the snippet's words, its say-phrases among them,
//! so an entry is found and shown by everything its page reads.

use crate::resolve::Site;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};

/// Entry `i`'s body `text` (as load collected it) with its slots filled.
pub(crate) fn filled<'t>(site: &Site, i: usize, text: &'t str) -> Cow<'t, str> {
    if !text.contains('\0') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 256);
    let mut rest = text;
    while let Some(start) = rest.find('\0') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('\0') else {
            break;
        };
        let slot = &after[..end];
        if let Some(n) = slot.strip_prefix('i') {
            push_snippet(site, i, n, &mut out);
        } else if let Some(n) = slot.strip_prefix('t') {
            let (title, heading) = site.wikilink_title(i, n);
            out.push_str(title);
            if let Some(h) = heading {
                out.push_str(" › ");
                out.push_str(h);
            }
        }
        rest = &after[end + 1..];
    }
    if !rest.contains('\0') {
        out.push_str(rest);
    }
    Cow::Owned(out)
}

/// The words of the N-th snippet entry `i` includes: its text, then its
/// say-phrases.
fn push_snippet(site: &Site, i: usize, n: &str, out: &mut String) {
    let Some(snippet) = snippet_of(site, i, n) else {
        return;
    };
    let says = snippet
        .body
        .phrases
        .iter()
        .filter(|p| p.kind == crate::load::markdown::PhraseKind::Say)
        .map(|p| p.text.as_str());
    let parts = std::iter::once(snippet.body.text.as_str()).chain(says);
    for (k, part) in parts.filter(|p| !p.is_empty()).enumerate() {
        if k > 0 {
            out.push(' ');
        }
        out.push_str(part);
    }
}

fn snippet_of<'s>(site: &'s Site, i: usize, n: &str) -> Option<&'s crate::load::snippet::Snippet> {
    let used = site.entries[i]
        .body
        .snippets
        .get(n.parse::<usize>().ok()?)?;
    site.snippets.get(&used.name).map(|s| &**s)
}

/// A hash of everything [`filled`] takes from outside entry `i`: the titles
/// its unlabeled wikilinks show and the snippets it includes. A record kept
/// between rebuilds is made again when this changes, though the entry's
/// own file did not.
pub(crate) fn outside(site: &Site, i: usize) -> u64 {
    let e = &site.entries[i];
    let mut h = rustc_hash::FxHasher::default();
    for (n, link) in e.body.links.iter().enumerate() {
        if link.wants_title {
            site.wikilink_title(i, &n.to_string()).hash(&mut h);
        }
    }
    for used in &e.body.snippets {
        site.snippets
            .get(&used.name)
            .map(|s| &s.source)
            .hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use crate::config::SiteConfig;
    use crate::resolve::{ResolveOptions, Site, resolve};
    use std::sync::Arc;

    /// A site of one FAQ that links another without a label and includes
    /// a snippet, and the FAQ's index.
    fn site() -> (tempfile::TempDir, Site, usize) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("faq")).unwrap();
        std::fs::create_dir_all(content.join("techniques")).unwrap();
        std::fs::create_dir_all(content.join("_snippets")).unwrap();
        std::fs::write(
            content.join("faq/asks.md"),
            "+++\nsituation = \"the customer asks\"\n+++\n\nAnswer *calmly* ([[listening]]).\n\n```snippet notice\n```\n\nThen go on.\n",
        )
        .unwrap();
        std::fs::write(
            content.join("techniques/listening.md"),
            "+++\ntitle = \"Active listening\"\n+++\n\nListen.\n",
        )
        .unwrap();
        std::fs::write(
            content.join("_snippets/notice.md"),
            "Read the notice.\n\n```say\nThis call is recorded.\n```\n",
        )
        .unwrap();
        let config = SiteConfig::parse("title = \"T\"\n").unwrap();
        let options = ResolveOptions {
            drafts: false,
            today: time::macros::date!(2026 - 06 - 01),
        };
        let (content, d) = crate::load::load_keeping_html(dir.path(), &config, usize::MAX).unwrap();
        assert!(d.is_empty(), "{d:?}");
        let site = resolve(content, &config, &options).0;
        let i = site
            .entries
            .iter()
            .position(|e| e.file.ends_with("asks.md"))
            .unwrap();
        (dir, site, i)
    }

    #[test]
    fn the_text_reads_the_linked_title_and_the_snippet_where_they_are() {
        let (_dir, site, i) = site();
        let text = &site.entries[i].body.text;
        assert_eq!(
            super::filled(&site, i, text),
            "Answer calmly (Active listening). Read the notice. This call is recorded. Then go on."
        );
    }

    #[test]
    fn a_kept_record_follows_the_snippet_it_includes() {
        let (_dir, mut site, _) = site();
        let mut cache = crate::search::RecordCache::default();
        let text = |files: &std::collections::BTreeMap<String, Option<Vec<u8>>>| {
            String::from_utf8(files["search/text-0.js"].clone().expect("written")).unwrap()
        };
        let before = text(&cache.render(&site));
        assert!(before.contains("This call is recorded."), "{before}");
        let changed = crate::load::snippet::parse(
            "_snippets/notice.md",
            b"Read the new notice.\n".to_vec(),
            &site.config,
            &Default::default(),
        )
        .unwrap();
        site.snippets.insert("notice".into(), Arc::new(changed));
        let after = text(&cache.render(&site));
        assert!(after.contains("Read the new notice."), "{after}");
        assert!(!after.contains("This call is recorded."), "{after}");
    }
}
