//! Tag names as authors write them, folded to one spelling.

/// Trims, lower-cases and folds inner white space: `" Angry  Caller"` →
/// `"angry caller"`, so tags that differ only in case or spacing are one tag.
pub(crate) fn normalize_tag(tag: &str) -> String {
    // Most tags are written normalised already: one copy, not three.
    let normal = !tag.starts_with(' ')
        && !tag.ends_with(' ')
        && !tag.contains("  ")
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' ' || b == b'-');
    if normal {
        return tag.to_string();
    }
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::normalize_tag;

    #[test]
    fn tags_written_normalised_or_not_normalise_alike() {
        // The slow way, which the copy-only path must agree with.
        let folded = |t: &str| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for tag in [
            "angry",
            "after-call",
            "angry caller",
            "Angry  Caller",
            " angry",
            "angry ",
            "angry\tcaller",
            "angry\u{a0}caller",
            "ÉCOLE",
            "café",
            "",
            "2fa",
        ] {
            assert_eq!(normalize_tag(tag), folded(tag), "{tag:?}");
        }
        assert_eq!(normalize_tag(" Angry  Caller "), "angry caller");
    }
}
