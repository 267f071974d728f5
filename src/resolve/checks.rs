//! Site-wide checks that need the whole resolved site: orphans, one
//! situation or alias for two entries, and tags outside the vocabulary.
//! Review dates are governance's (`src/governance`).

use super::{Site, normalize_tag};
use crate::diag::{Diagnostic, Diagnostics, Place};
use rayon::prelude::*;
use std::collections::BTreeSet;

/// `clashes`: pairs of entries with one slug. Whichever keeps it, links
/// by slug reach only one of them, so the other looks like an orphan, and
/// a copy repeats its original's situation: the clash's error already says
/// what to fix, so neither is reported for them. A copy under a name of
/// its own (`… (copy).md`) is an orphan too, and gets only the error for
/// its situation.
pub(super) fn run(
    site: &Site,
    referenced: &[bool],
    clashes: &[(usize, usize)],
    diagnostics: &mut Diagnostics,
) {
    let mut quiet: BTreeSet<usize> = clashes.iter().flat_map(|&(a, b)| [a, b]).collect();
    quiet.extend(same_phrases(site, clashes, diagnostics));
    orphans(site, referenced, &quiet, diagnostics);
    vocabulary(site, diagnostics);
}

/// Which of an entry's phrases a [`Phrase`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    /// An FAQ's `situation`, its title and its line in the A–Z index.
    Situation,
    /// Another kind's `title`.
    Title,
    /// The `index`-th of `aliases`, a line of the A–Z index of its own.
    Alias(usize),
}

/// A phrase an agent finds an entry by, in search or the A–Z index.
struct Phrase<'a> {
    text: &'a str,
    entry: usize,
    what: What,
}

/// A phrase compared as an agent reads it: case, spacing and a closing
/// `?` or `.` do not make two phrases different.
fn phrase_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in crate::load::clean_situation(text).split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    key
}

/// One phrase leading to two entries: two FAQs with one situation (a file
/// manager's `… (copy).md`), or an alias that is another entry's
/// situation, title or alias. Search and the A–Z index would list the
/// phrase twice, so it is an error at the later one, naming the first.
/// Two titles of other kinds alike are left alone: they are not listed in
/// the A–Z, and headings elsewhere tell them apart. Of two entries with one
/// situation only that is reported, not the aliases a copy repeats too;
/// the entries reported for it are returned.
fn same_phrases(
    site: &Site,
    clashes: &[(usize, usize)],
    diagnostics: &mut Diagnostics,
) -> BTreeSet<usize> {
    // Every phrase with its key, sorted so that equal keys sit together:
    // one sort, rather than a map holding a list per phrase.
    let mut all: Vec<(String, Phrase)> = site
        .entries
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, e)| {
            let own = if e.kind.derives_title() {
                e.front.situation.as_deref().map(|s| (s, What::Situation))
            } else {
                Some((e.title.as_str(), What::Title))
            };
            let aliases = e.front.aliases.iter().enumerate();
            // An entry's alias that repeats its own situation, or another
            // of its aliases, leads nowhere else: kept once.
            let mut phrases: Vec<(String, Phrase)> = Vec::new();
            for (text, what) in own
                .into_iter()
                .chain(aliases.map(|(k, a)| (a.as_str(), What::Alias(k))))
            {
                let key = phrase_key(text);
                if !key.is_empty() && phrases.iter().all(|(k, _)| *k != key) {
                    let entry = i;
                    phrases.push((key, Phrase { text, entry, what }));
                }
            }
            phrases
        })
        .collect();
    all.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut found: Vec<(&Phrase, &Phrase)> = Vec::new();
    let mut groups: Vec<Vec<&Phrase>> = all
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1)
        .map(|group| group.iter().map(|(_, p)| p).collect())
        .collect();
    for phrases in &mut groups {
        // The first holder is the one an author wrote first: a situation
        // or title before an alias, then by the slug clash's rule.
        phrases.sort_by_cached_key(|p| {
            let e = &site.entries[p.entry];
            (
                matches!(p.what, What::Alias(_)),
                super::Claim::of(e),
                e.file.matches('/').count(),
                e.file.clone(),
                p.what,
            )
        });
        for (n, later) in phrases.iter().enumerate() {
            let first = phrases[..n].iter().find(|first| {
                let pair = (later.entry, first.entry);
                first.entry != later.entry
                    && !clashes.contains(&pair)
                    && !clashes.contains(&(pair.1, pair.0))
                    && matches!(
                        (first.what, later.what),
                        (What::Situation, What::Situation) | (_, What::Alias(_))
                    )
            });
            if let Some(first) = first {
                found.push((first, later));
            }
        }
    }
    let copies: BTreeSet<(usize, usize)> = found
        .iter()
        .filter(|(first, later)| (first.what, later.what) == (What::Situation, What::Situation))
        .map(|(first, later)| (first.entry, later.entry))
        .collect();
    for (first, later) in found {
        let pair = (first.entry, later.entry);
        if later.what == What::Situation || !copies.contains(&pair) {
            diagnostics.push(same_phrase(site, first, later));
        }
    }
    copies.into_iter().map(|(_, later)| later).collect()
}

fn same_phrase(site: &Site, first: &Phrase, later: &Phrase) -> Diagnostic {
    let was = &site.entries[first.entry].file;
    let at = &site.entries[later.entry].file;
    let text = crate::load::clean_situation(later.text);
    let (message, help) = match (first.what, later.what) {
        (What::Situation, What::Situation) => (
            format!("situation \"{text}\" is also the situation of {was}"),
            "search and the A–Z index would list it twice, leading to two pages: if this file is a copy, delete it; otherwise merge the two entries, or reword the situation here",
        ),
        (What::Situation, _) => (
            format!("alias \"{text}\" is the situation of {was}"),
            "the A–Z index would list it twice, leading to two pages: remove the alias here, or link to that entry from this one",
        ),
        (What::Title, _) => (
            format!("alias \"{text}\" is the title of {was}"),
            "search and the A–Z index would offer two entries by that name: remove the alias here, or link to that entry from this one",
        ),
        (What::Alias(_), _) => (
            format!("alias \"{text}\" is also an alias of {was}"),
            "the A–Z index would list it twice, leading to two pages: keep the alias on one of the entries",
        ),
    };
    Diagnostic::error(message)
        .in_file(at)
        .at_place(place_of(later.what))
        .also_at(was, place_of(first.what))
        .help(help)
}

fn place_of(what: What) -> Place {
    match what {
        What::Situation => Place::Item {
            key: "situation",
            index: 0,
        },
        What::Title => Place::Item {
            key: "title",
            index: 0,
        },
        What::Alias(index) => Place::Item {
            key: "aliases",
            index,
        },
    }
}

fn orphans(
    site: &Site,
    referenced: &[bool],
    clashing: &BTreeSet<usize>,
    diagnostics: &mut Diagnostics,
) {
    // Links from an entry that failed to load are unknown: an orphan
    // warning now could be wrong, and the error says what to fix first.
    if site.entries.len() < 2 || !site.failed.is_empty() {
        return;
    }
    for (i, (entry, &is_referenced)) in site.entries.iter().zip(referenced).enumerate() {
        if !is_referenced && !clashing.contains(&i) {
            diagnostics.push(
                Diagnostic::warning(format!("orphan entry: nothing links to `{}`", entry.id()))
                    .in_file(&entry.file)
                    .help(format!(
                        "link it from a playbook or FAQ (`[[{}]]`) or name it in another entry's `related`, so agents can find it from where they are",
                        entry.slug
                    )),
            );
        }
    }
}

fn vocabulary(site: &Site, diagnostics: &mut Diagnostics) {
    let vocabulary: Vec<String> = site
        .config
        .tags
        .vocabulary
        .iter()
        .map(|t| normalize_tag(t))
        .collect();
    let known: std::collections::HashSet<&str> = vocabulary.iter().map(String::as_str).collect();
    for (entry, raw) in site
        .entries
        .iter()
        .zip(site.entries.iter().map(|e| &e.front.tags))
    {
        for (index, tag) in raw.iter().enumerate() {
            // The caret goes under the tag itself, not the `tags` key.
            let place = Place::Item { key: "tags", index };
            let norm = normalize_tag(tag);
            if !vocabulary.is_empty() && !known.contains(norm.as_str()) {
                let help = match crate::text::suggest::closest(
                    &norm,
                    vocabulary.iter().map(String::as_str),
                ) {
                    Some(s) => format!(
                        "did you mean `{s}`? the vocabulary is set in site.toml under [tags]"
                    ),
                    None => format!(
                        "use a tag from site.toml's [tags] vocabulary ({}), or add this one there",
                        vocabulary.join(", ")
                    ),
                };
                diagnostics.push(
                    Diagnostic::warning(format!("tag `{tag}` is not in the site's vocabulary"))
                        .in_file(&entry.file)
                        .at_place(place)
                        .help(help),
                );
            } else if &norm != tag {
                diagnostics.push(
                    Diagnostic::warning(format!("tag `{tag}` is normalized to `{norm}`"))
                        .in_file(&entry.file)
                        .at_place(place)
                        .help(format!(
                            "write `{norm}`: tags are matched lower-case with single spaces"
                        )),
                );
            }
        }
    }
}
