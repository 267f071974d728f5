//! The kinds of entry, in one table: each kind's folder, names and labels,
//! and the properties that set it apart. Code and templates ask a kind for
//! a property (`derives_title`, `steps`), never for its name, so a new kind
//! is a new row here, and a theme template if it wants a page of its own.
//!
//! The table's order is the kinds' order everywhere: listings sort entries
//! by it, the menu and the home page's cards follow it, and the search index
//! numbers kinds by their place in it ([`Kind::index`]).

use serde::Serialize;

/// One kind of entry. Templates see it as `kind_info` (listing pages) and
/// `entry.kind_info` (entry pages).
#[derive(Debug, Serialize)]
pub struct KindInfo {
    /// Its name in `saywhen new`, in `kind = "…"` front matter and
    /// `[[lint.required]]`, and in templates, CSS classes (`kind-faq`) and
    /// the search page's kind filter.
    pub name: &'static str,
    /// Its folder under `content/` and in the output.
    pub dir: &'static str,
    /// One entry's badge.
    pub label: &'static str,
    /// Its listing page's heading and its link in the menu.
    pub plural_label: &'static str,
    /// Its entries in running text: "a folder of Markdown playbooks, …".
    pub(crate) plural: &'static str,
    /// The title is not written but derived from `situation`: "What should
    /// I say when *situation*?". `situation` is required, and used by these
    /// kinds alone: it is an A–Z item and a search field, listings show it,
    /// search results show the entry's best-matching say-phrase under it, and
    /// `saywhen new` takes the situation in place of a title. Otherwise
    /// `title` is required.
    pub derives_title: bool,
    /// Its `##` headings are steps: numbered, outlined and linked one to
    /// the next.
    pub steps: bool,
    /// Its page lists, under "Used in", the entries with steps that link
    /// to it.
    pub used_in: bool,
    /// What `saywhen new` writes after the front matter: the kind's
    /// section headings.
    #[serde(skip)]
    pub new_body: &'static str,
    /// The lines of `new_body` that stand for the author's own words
    /// (headings without their `#`s). `check` warns about any entry that
    /// still holds one as a whole line: it was never finished.
    #[serde(skip)]
    pub placeholders: &'static [&'static str],
}

const KINDS: &[KindInfo] = &[
    KindInfo {
        name: "playbook",
        dir: "playbooks",
        label: "Playbook",
        plural_label: "Playbooks",
        plural: "playbooks",
        derives_title: false,
        steps: true,
        used_in: false,
        new_body: "When to use this playbook.\n\n## First step\n\n\n## Second step\n\n",
        placeholders: &["When to use this playbook.", "First step", "Second step"],
    },
    KindInfo {
        name: "technique",
        dir: "techniques",
        label: "Technique",
        plural_label: "Technique cards",
        plural: "technique cards",
        derives_title: false,
        steps: false,
        used_in: true,
        new_body: "## What it is\n\n\n## When to use it\n\n\n## How to do it\n\n1. \n\n## Example phrases\n\n```say\nAn example phrase.\n```\n\n## Pitfalls\n\n- \n",
        placeholders: &["An example phrase."],
    },
    KindInfo {
        name: "faq",
        dir: "faq",
        label: "FAQ",
        plural_label: "What should I say when…",
        plural: "\"What should I say when…\" entries",
        derives_title: true,
        steps: false,
        used_in: false,
        new_body: "## What to say\n\n```say\nFirst thing to say.\n\nAnother way to say it.\n```\n\n## Why they react this way\n\n\n## What to avoid\n\n```avoid\nWhat not to say.\n```\n\n## Steps\n\n1. \n",
        placeholders: &[
            "First thing to say.",
            "Another way to say it.",
            "What not to say.",
        ],
    },
];

const COUNT: usize = KINDS.len();

/// A kind of entry: its place in the table of kinds.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kind(u8);

impl Kind {
    /// Every kind, in the table's order.
    pub const ALL: [Kind; COUNT] = {
        assert!(COUNT <= u8::MAX as usize, "a kind's place fits a byte");
        let mut all = [Kind(0); COUNT];
        let mut i = 0;
        while i < COUNT {
            all[i] = Kind(i as u8);
            i += 1;
        }
        all
    };

    /// The kind's place in the table, which the search index ships as the
    /// entry's kind (`INDEX.kinds[doc[2]]`).
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn info(self) -> &'static KindInfo {
        &KINDS[self.index()]
    }

    pub(crate) fn from_dir(dir: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == dir)
    }

    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind of the entry at a content-relative path: the one whose
    /// folder it is in (`faq/x.md`, `faq/sub/y.md`). `None` for a file
    /// beside the folders or in any other folder.
    pub(crate) fn of_file(rel: &str) -> Option<Kind> {
        Kind::from_dir(rel.split_once('/')?.0)
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The folder under `content/` and in the output.
    pub fn dir(self) -> &'static str {
        self.info().dir
    }

    pub fn label(self) -> &'static str {
        self.info().label
    }

    pub fn plural_label(self) -> &'static str {
        self.info().plural_label
    }

    /// See [`KindInfo::derives_title`].
    pub fn derives_title(self) -> bool {
        self.info().derives_title
    }

    /// See [`KindInfo::steps`].
    pub fn has_steps(self) -> bool {
        self.info().steps
    }

    /// See [`KindInfo::used_in`].
    pub(crate) fn lists_used_in(self) -> bool {
        self.info().used_in
    }
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// `items` as a phrase: `a`, `a or b`, `a, b or c` (`last` is the word
/// before the last item). Messages and help texts list kinds with it, so
/// they name every kind of the table.
pub(crate) fn listed(items: impl IntoIterator<Item = String>, last: &str) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.split_last() {
        None => String::new(),
        Some((only, [])) => only.clone(),
        Some((final_item, rest)) => format!("{} {last} {final_item}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart_by_name_and_folder() {
        let mut names = std::collections::BTreeSet::new();
        let mut dirs = std::collections::BTreeSet::new();
        for (i, kind) in Kind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), i);
            let info = kind.info();
            assert!(names.insert(info.name), "two kinds named {}", info.name);
            assert!(dirs.insert(info.dir), "two kinds in content/{}/", info.dir);
            assert_eq!(Kind::from_name(info.name), Some(kind));
            assert_eq!(Kind::from_dir(info.dir), Some(kind));
            assert_eq!(Kind::of_file(&format!("{}/x.md", info.dir)), Some(kind));
            assert_eq!(Kind::of_file(&format!("{}.md", info.dir)), None);
            for text in [
                info.name,
                info.dir,
                info.label,
                info.plural_label,
                info.plural,
            ] {
                assert!(
                    !text.trim().is_empty(),
                    "{}: an empty name or label",
                    info.name
                );
            }
            // The name is a CSS class and a URL parameter; the folder a
            // path segment that slugs and links are checked against.
            assert!(
                info.name.bytes().all(|b| b.is_ascii_lowercase()),
                "{}",
                info.name
            );
            assert_eq!(crate::slug::slugify(info.dir), info.dir);
            // Load leaves folders starting with `_` alone.
            assert!(!info.dir.starts_with('_'), "{}", info.dir);
        }
    }

    #[test]
    fn every_kind_gives_new_its_section_headings() {
        for kind in Kind::ALL {
            let body = kind.info().new_body;
            assert!(
                body.lines().any(|l| l.starts_with("## ")),
                "{}: `new` writes no `##` heading",
                kind.name()
            );
            assert!(body.ends_with('\n'), "{}", kind.name());
        }
    }

    #[test]
    fn placeholders_are_whole_lines_of_what_new_writes() {
        for kind in Kind::ALL {
            let info = kind.info();
            assert!(!info.placeholders.is_empty(), "{}", info.name);
            for placeholder in info.placeholders {
                assert!(
                    info.new_body
                        .lines()
                        .any(|l| l.trim_start_matches('#').trim() == *placeholder),
                    "{}: `{placeholder}` is not a line `new` writes",
                    info.name
                );
            }
        }
    }

    #[test]
    fn lists_read_as_a_sentence() {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(listed(words(&[]), "or"), "");
        assert_eq!(listed(words(&["a"]), "or"), "a");
        assert_eq!(listed(words(&["a", "b"]), "or"), "a or b");
        assert_eq!(listed(words(&["a", "b", "c"]), "and"), "a, b and c");
    }
}
