//! "Did you mean …?": the nearest known name to a misspelled one.

/// The candidate closest to `name` by edit distance, if it is close enough
/// to be a plausible typo (about a third of the name may differ).
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::levenshtein(name, candidate);
        let better = match best {
            None => true,
            // Ties go to the alphabetically first, for a stable message.
            Some((d, c)) => distance < d || (distance == d && candidate < c),
        };
        if better {
            best = Some((distance, candidate));
        }
    }
    best.filter(|&(d, c)| d <= limit || (c.contains(name) && name.len() >= 4))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_only() {
        let names = ["active-listening", "offering-options", "staying-calm"];
        assert_eq!(closest("active-listning", names), Some("active-listening"));
        assert_eq!(closest("staying-clam", names), Some("staying-calm"));
        assert_eq!(closest("completely-different", names), None);
        assert_eq!(closest("tag", ["tags", "title"]), Some("tags"));
    }
}
