//! Site-wide warnings that need the whole resolved site: orphans and tags
//! outside the vocabulary. Review dates are governance's (`src/governance`).

use super::{Site, normalize_tag};
use crate::diag::{Diagnostic, Diagnostics, Place};
use std::collections::BTreeSet;

/// `clashing`: entries whose slug another entry shares. Whichever keeps
/// it, links by slug reach only one of them, so the other looks like an
/// orphan: the clash's error already says what to fix.
pub(super) fn run(
    site: &Site,
    referenced: &[bool],
    clashing: &BTreeSet<usize>,
    diagnostics: &mut Diagnostics,
) {
    orphans(site, referenced, clashing, diagnostics);
    vocabulary(site, diagnostics);
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
        for tag in raw {
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
                        .at_place(Place::Key("tags"))
                        .help(help),
                );
            } else if &norm != tag {
                diagnostics.push(
                    Diagnostic::warning(format!("tag `{tag}` is normalized to `{norm}`"))
                        .in_file(&entry.file)
                        .at_place(Place::Key("tags"))
                        .help(format!(
                            "write `{norm}`: tags are matched lower-case with single spaces"
                        )),
                );
            }
        }
    }
}
