//! Related entries: the explicit `related` list first, then the entries
//! sharing the most tags with this one (ties in listing order), up to the
//! site's `related_limit`.
//!
//! Counting shared tags against every member of every tag the entry has is
//! quadratic: a tag on a tenth of the knowledge base makes every one of its
//! entries visit all the others. Instead, every entry files itself under
//! each subset of its tags, once. The entries sharing at least `c` tags with
//! entry `i` are then the union of the lists filed under `i`'s subsets of
//! size `c`; the lists are in listing order, so walking them merged from the
//! front, for `c` from the number of `i`'s tags down to 1, meets the
//! candidates in exactly the ranked order and stops as soon as the limit is
//! reached. The work per entry depends on its own tag count and the limit,
//! not on the size of the site.
//!
//! Entries with more than [`MAX_SUBSET_TAGS`] tags would file under too many
//! subsets; they are kept aside, compared with directly, and ranked with the
//! plain count (still exact, and rare in practice).

use super::Tag;
use crate::slug::slugify;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Entries with more tags than this are ranked by counting.
const MAX_SUBSET_TAGS: usize = 8;

/// A set of at most [`MAX_SUBSET_TAGS`] tag numbers, each stored plus one in
/// its own 16 bits, ascending.
type Key = u128;

pub(super) fn related_entries(
    explicit: &[Vec<usize>],
    entry_tags: &[Vec<String>],
    tags: &BTreeMap<String, Tag>,
    limit: usize,
) -> Vec<Vec<usize>> {
    let numbers: HashMap<&str, usize> = tags
        .keys()
        .enumerate()
        .map(|(n, slug)| (slug.as_str(), n))
        .collect();
    let tag_lists: Vec<&[usize]> = tags.values().map(|t| t.entries.as_slice()).collect();
    // Per entry: its tags as numbers, once per name (so a name that slugs
    // like another counts twice, as a plain count would), and as a set.
    let named: Vec<Vec<usize>> = entry_tags
        .par_iter()
        .map(|names| {
            names
                .iter()
                .filter_map(|name| numbers.get(slugify(name).as_str()).copied())
                .collect()
        })
        .collect();
    let sets: Vec<Vec<usize>> = named
        .iter()
        .map(|n| {
            let mut set = n.clone();
            set.sort_unstable();
            set.dedup();
            set
        })
        .collect();
    let small = |set: &[usize]| set.len() <= MAX_SUBSET_TAGS && set.iter().all(|&n| n < 0xffff);

    let mut filed: HashMap<Key, Vec<usize>> = HashMap::new();
    let mut wide: Vec<usize> = Vec::new();
    for (i, set) in sets.iter().enumerate() {
        if set.is_empty() {
            continue;
        }
        if !small(set) {
            wide.push(i);
            continue;
        }
        for mask in 1..(1u32 << set.len()) {
            filed.entry(key(set, mask)).or_default().push(i);
        }
    }

    explicit
        .par_iter()
        .enumerate()
        .map(|(i, own)| {
            let mut list: Vec<usize> = own.iter().copied().take(limit).collect();
            if list.len() >= limit || sets[i].is_empty() {
                return list;
            }
            let set = &sets[i];
            if !small(set) || named[i].len() != set.len() {
                by_count(i, &named[i], &tag_lists, &mut list, limit);
                return list;
            }
            let shared_with_wide: Vec<(usize, usize)> = wide
                .iter()
                .map(|&w| (w, shared(set, &sets[w])))
                .filter(|&(_, c)| c > 0)
                .collect();
            for c in (1..=set.len()).rev() {
                let mut heads: Vec<&[usize]> = (1..(1u32 << set.len()))
                    .filter(|mask| mask.count_ones() as usize == c)
                    .filter_map(|mask| filed.get(&key(set, mask)).map(Vec::as_slice))
                    .collect();
                let wide_here: Vec<usize> = shared_with_wide
                    .iter()
                    .filter(|&&(_, n)| n >= c)
                    .map(|&(w, _)| w)
                    .collect();
                heads.push(&wide_here);
                while let Some(next) = heads.iter().filter_map(|h| h.first().copied()).min() {
                    for head in &mut heads {
                        if head.first() == Some(&next) {
                            *head = &head[1..];
                        }
                    }
                    if next != i && !list.contains(&next) {
                        list.push(next);
                        if list.len() >= limit {
                            return list;
                        }
                    }
                }
            }
            list
        })
        .collect()
}

fn key(set: &[usize], mask: u32) -> Key {
    let mut key: Key = 0;
    for (bit, &n) in set.iter().enumerate() {
        if mask & (1 << bit) != 0 {
            key = (key << 16) | (n as Key + 1);
        }
    }
    key
}

/// How many of the sorted sets' members they share.
fn shared(a: &[usize], b: &[usize]) -> usize {
    a.iter().filter(|n| b.binary_search(n).is_ok()).count()
}

/// The plain ranking: count shared tags with every entry of every tag.
fn by_count(
    i: usize,
    named: &[usize],
    tag_lists: &[&[usize]],
    list: &mut Vec<usize>,
    limit: usize,
) {
    let mut counts: HashMap<usize, u32> = HashMap::new();
    for &n in named {
        for &j in tag_lists[n] {
            if j != i {
                *counts.entry(j).or_default() += 1;
            }
        }
    }
    let mut ranked: Vec<(u32, usize)> = counts
        .iter()
        .filter(|(j, _)| !list.contains(j))
        .map(|(&j, &c)| (c, j))
        .collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    list.extend(ranked.into_iter().map(|(_, j)| j).take(limit - list.len()));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: rank everything by shared-tag count.
    fn naive(
        explicit: &[Vec<usize>],
        entry_tags: &[Vec<String>],
        tags: &BTreeMap<String, Tag>,
        limit: usize,
    ) -> Vec<Vec<usize>> {
        explicit
            .iter()
            .enumerate()
            .map(|(i, own)| {
                let mut list: Vec<usize> = own.iter().copied().take(limit).collect();
                if list.len() >= limit {
                    return list;
                }
                let mut counts: HashMap<usize, u32> = HashMap::new();
                for name in &entry_tags[i] {
                    if let Some(tag) = tags.get(&slugify(name)) {
                        for &j in &tag.entries {
                            if j != i {
                                *counts.entry(j).or_default() += 1;
                            }
                        }
                    }
                }
                let mut ranked: Vec<(u32, usize)> = counts
                    .iter()
                    .filter(|(j, _)| !list.contains(j))
                    .map(|(&j, &c)| (c, j))
                    .collect();
                ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
                list.extend(ranked.into_iter().map(|(_, j)| j).take(limit - list.len()));
                list
            })
            .collect()
    }

    #[test]
    fn same_ranking_as_counting_every_shared_tag() {
        // A small deterministic generator: skewed tag popularity, a few
        // entries with many tags, names that slug alike, explicit lists.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let vocabulary: Vec<String> = (0..12).map(|n| format!("tag {n}")).collect();
        for round in 0..40 {
            let entries = 1 + next(60);
            let entry_tags: Vec<Vec<String>> = (0..entries)
                .map(|_| {
                    let count = if next(10) == 0 { 9 + next(4) } else { next(5) };
                    let mut names: Vec<String> = (0..count)
                        .map(|_| {
                            vocabulary[next(vocabulary.len()).min(next(vocabulary.len()))].clone()
                        })
                        .collect();
                    if next(15) == 0 {
                        names.push("Tag-0".into());
                    }
                    names.dedup();
                    names
                })
                .collect();
            let tags = crate::resolve::tags_by_slug(&entry_tags);
            let explicit: Vec<Vec<usize>> = (0..entries)
                .map(|i| {
                    let mut own: Vec<usize> = (0..next(3))
                        .map(|_| next(entries))
                        .filter(|&j| j != i)
                        .collect();
                    own.dedup();
                    own
                })
                .collect();
            for limit in [0, 1, 3, 5, 50] {
                assert_eq!(
                    related_entries(&explicit, &entry_tags, &tags, limit),
                    naive(&explicit, &entry_tags, &tags, limit),
                    "round {round}, limit {limit}"
                );
            }
        }
    }
}
