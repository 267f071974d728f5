//! What each page shows, as a hash, so a rebuild renders only the pages
//! whose signature changed.

use super::hash_of;
use crate::load;
use crate::resolve::{self, Site};
use std::collections::HashMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// What each entry page shows, as a signature per page: a page whose
/// signature is unchanged is the same bytes as last time. Built from the
/// digests taken at load, so the cost is per link and tag, not per byte of
/// content.
pub(super) struct Signatures {
    /// `pages[i]`: entry i's page path and signature.
    pub(super) pages: Vec<(String, u64)>,
    pub(super) by_page: HashMap<String, u64>,
}

/// The entry pages' signatures, and one for everything the listing pages
/// show.
pub(super) fn signatures(site: &Site) -> (Signatures, u64) {
    use rayon::prelude::*;
    let digests: Vec<u64> = site.entries.iter().map(|e| e.digests.display).collect();
    let site_digest = hash_of((
        &site.config.title,
        &site.config.base_url,
        site.entries.len(),
        load::Kind::ALL.map(|k| site.of_kind(k).count()),
        // Every page's footer links the Snippets page when there is one.
        site.snippets.is_empty(),
    ));
    // Entries per tag name (names that slug alike share a page and a count).
    let mut tag_counts: HashMap<&str, usize> = HashMap::new();
    for names in &site.entry_tags {
        for name in names {
            if !tag_counts.contains_key(name.as_str()) {
                let count = site
                    .tags
                    .get(&crate::slug::slugify(name))
                    .map_or(0, |t| t.entries.len());
                tag_counts.insert(name, count);
            }
        }
    }
    let pages: Vec<(String, u64)> = (0..site.entries.len())
        .into_par_iter()
        .map(|i| {
            let e = &site.entries[i];
            let mut h = DefaultHasher::new();
            site_digest.hash(&mut h);
            e.digests.source.hash(&mut h);
            for used in &e.body.snippets {
                site.snippets
                    .get(&used.name)
                    .map(|s| &s.source)
                    .hash(&mut h);
            }
            for r in &site.links[i] {
                if let resolve::Resolved::Entry { index, anchor } = r {
                    (digests[*index], anchor).hash(&mut h);
                }
            }
            for &j in site.backlinks[i].iter().chain(&site.related[i]) {
                digests[j].hash(&mut h);
            }
            for tag in &site.entry_tags[i] {
                (tag, tag_counts.get(tag.as_str())).hash(&mut h);
            }
            (e.url().to_string(), h.finish())
        })
        .collect();
    let by_page = pages.iter().cloned().collect();
    let snippets: Vec<(&String, &String, &Vec<usize>)> = site
        .snippets
        .iter()
        .map(|(name, s)| (name, &s.source, &site.snippet_users[name]))
        .collect();
    let listings = hash_of((site_digest, &digests, &site.entry_tags, snippets));
    (Signatures { pages, by_page }, listings)
}
