//! "Did you mean …?": the nearest known name to a misspelled or shortened
//! one.

/// The candidate closest to `name`: by edit distance when it is close
/// enough to be a plausible typo (about a third of the name may differ),
/// else one that holds every word of `name` in the same order, as a
/// shortened slug does (`closing-question` for
/// `asking-a-closing-question`). Of several, the one with fewest other
/// characters, then the alphabetically first, for a stable message.
pub(crate) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    let words = words_of(name);
    let mut best: Option<(usize, &str)> = None;
    let mut shortened: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::levenshtein(name, candidate);
        if is_better(best, distance, candidate) {
            best = Some((distance, candidate));
        }
        let extra = candidate.len().abs_diff(name.len());
        if name.len() >= 4
            && holds_in_order(&words_of(candidate), &words)
            && is_better(shortened, extra, candidate)
        {
            shortened = Some((extra, candidate));
        }
    }
    best.filter(|&(d, _)| d <= limit)
        .or(shortened)
        .map(|(_, c)| c)
}

fn is_better(best: Option<(usize, &str)>, score: usize, candidate: &str) -> bool {
    match best {
        None => true,
        Some((s, c)) => score < s || (score == s && candidate < c),
    }
}

/// The words of a name, split where slugs and headings split them.
fn words_of(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether `haystack` holds every word of `needle`, in order; a word of
/// `needle` may also be the start of one (`closing-q` for
/// `closing-question`).
fn holds_in_order(haystack: &[String], needle: &[String]) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut rest = haystack.iter();
    needle
        .iter()
        .all(|w| rest.any(|h| h == w || (w.chars().count() >= 3 && h.starts_with(w.as_str()))))
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

    #[test]
    fn finds_shortened_names_by_their_words() {
        let names = [
            "active-listening",
            "asking-a-closing-question",
            "asking-open-questions",
            "closing-the-call",
        ];
        assert_eq!(
            closest("closing-question", names),
            Some("asking-a-closing-question")
        );
        assert_eq!(closest("listening", names), Some("active-listening"));
        assert_eq!(
            closest("open-question", names),
            Some("asking-open-questions")
        );
        // The words must come in the slug's order, and be whole words or
        // their starts, not letters found anywhere.
        assert_eq!(closest("question-closing", names), None);
        assert_eq!(closest("losing", names), None);
    }
}
