//! A save of words alone: the last resolved site is reused, and the saved
//! entries' own pages are written before anything else.

use super::Session;
use crate::diag::Diagnostics;
use crate::render::{self, Selection};
use crate::resolve::Site;
use crate::write::changed::write_changed;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The last resolved site with the saved entries swapped in, for a save
/// that left every entry's place in the site as it was. When no links
/// changed either, it is the site a new resolve would give, with the same
/// findings. When links changed, it is that site for the edited entries'
/// own pages once their links are resolved again ([`crate::resolve::relink`]):
/// a page shows its own links, and what other entries show of themselves,
/// which did not change. Only other entries' pages (a new backlink) and
/// resolve's findings need the whole site resolved again.
pub(super) struct Reused {
    pub(super) site: Site,
    pub(super) found: Diagnostics,
    /// The published entries saved since (indexes into `site.entries`).
    pub(super) edited: Vec<usize>,
    pub(super) links_changed: bool,
}

impl Session {
    /// The last resolved site with the reloaded entries swapped in. `None`
    /// when a file came or went, a snippet changed, or a reloaded entry
    /// changed its place in the site (its front matter, title, heading ids
    /// or snippets: `Digests::standing`). Taken: a failed rebuild leaves
    /// none.
    pub(super) fn reuse_resolved(&mut self) -> Option<Reused> {
        let (mut site, found) = self.resolved.take()?;
        let unchanged_around = site.failed.is_empty()
            && site.assets == self.assets
            && site.entries.len() + site.drafts.len() == self.entries.len()
            && site.snippets.len() == self.snippets.len()
            && site.snippets.iter().all(|(name, s)| {
                self.snippets
                    .get(name)
                    .is_some_and(|now| Arc::ptr_eq(now, s))
            });
        if !unchanged_around {
            return None;
        }
        let published = site.entries.len();
        let mut edited = Vec::new();
        let mut links_changed = false;
        for (i, slot) in site
            .entries
            .iter_mut()
            .chain(site.drafts.iter_mut())
            .enumerate()
        {
            let now = self.entries.get(slot.content_path())?;
            if Arc::ptr_eq(now, slot) {
                continue;
            }
            if now.digests.standing != slot.digests.standing {
                return None;
            }
            links_changed |= now.digests.links != slot.digests.links;
            if i < published {
                edited.push(i);
            }
            *slot = Arc::clone(now);
        }
        Some(Reused {
            site,
            found,
            edited,
            links_changed,
        })
    }

    /// The pages of the entries at `edited`, rendered from `site` and written
    /// at once, before anything else of the rebuild: each is the page the
    /// rebuild would render (see [`Reused`]), and the author is looking at
    /// it. The rebuild then finds them on disk already. Nothing is written
    /// when an edited entry has an error or a page fails to render: the
    /// rebuild reports it and publishes nothing. (Should the rebuild fail
    /// on another page, say a template that fails only for the page that
    /// gained a backlink, the saved page alone is already out.) Returns
    /// the paths written, and when they were on disk.
    pub(super) fn edited_pages_first(
        &mut self,
        site: &Site,
        edited: &[usize],
    ) -> Option<(Vec<String>, std::time::Instant)> {
        let (Some(good), Ok(theme)) = (&mut self.good, &self.theme) else {
            return None;
        };
        // A save with an error publishes nothing.
        if edited.is_empty() || edited.iter().any(|&i| site.entries[i].wording.has_errors()) {
            return None;
        }
        let selection = Selection {
            entries: edited.to_vec(),
            other_pages: false,
        };
        let (rendered_pages, found) = crate::timings::measure("render edited pages", || {
            render::render_selected(site, theme, &self.options, &selection)
        });
        if found.has_errors() {
            return None;
        }
        let mut changed = Vec::new();
        let mut files = BTreeMap::new();
        let on_disk = match write_changed(
            Some(&good.files),
            rendered_pages,
            &mut files,
            &self.out,
            &mut changed,
        ) {
            Ok(at) => at,
            // The rebuild writes them again, or says what is wrong.
            Err(_) => return None,
        };
        good.files.extend(files);
        if changed.is_empty() {
            return None;
        }
        if let Some(hook) = &mut self.pages_hook {
            hook(&changed);
        }
        Some((changed, on_disk))
    }
}
