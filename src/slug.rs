//! The one slug rule, used for file names, heading anchors, tags and `new`.
//!
//! The text is first put in Unicode normal form C, so a name typed on one
//! system and a name saved by another (macOS stores `é` as `e` + U+0301) give
//! the same slug. Then case is folded: each letter is lower-cased,
//! upper-cased, then lower-cased again, so spellings that differ only in
//! case give one slug even where plain lower-casing would not (`ẞ`,
//! `Straße`, `STRASSE` → `strasse`;
//! Greek `ς` and `Σ` → `σ`; `ı` and `I` → `i`). Every run of characters that
//! are not letters or digits (any script) becomes one `-`; apostrophes are
//! dropped; no leading or trailing `-`. Combining marks stay with the letter
//! they follow, so scripts written with them (Devanagari, Thai, and `i̇`
//! from `İ`) keep their words whole. Letters keep their accents and scripts
//! (`Café` → `café`, `Über Uns` → `über-uns`) so that two different titles
//! never fold into one slug by accident; the build still reports any two
//! entries whose slugs collide, so the rule is safe on case-insensitive file
//! systems too.
//!
//! The rule is idempotent (`slugify(slugify(x)) == slugify(x)`) and does not
//! depend on the locale of the machine.
//!
//! Slugs and the names of files beside the entries become names in the
//! output folder, so they must fit a file system's limit on one name
//! ([`MAX_NAME_BYTES`]); load checks every such name against it, so `check`
//! fails where `build` could not write the file.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest name of one file or folder, in bytes of UTF-8: ext4, XFS,
/// Btrfs and APFS allow 255 bytes. NTFS and HFS+ count 255 UTF-16 units
/// instead, which a name of 255 UTF-8 bytes never exceeds, so a name that
/// fits here fits everywhere the site is likely to be built or copied.
pub(crate) const MAX_NAME_BYTES: usize = 255;

/// What a page's slug is followed by in its file name.
pub(crate) const PAGE_EXTENSION: &str = ".html";

/// The longest slug a page can be named after: `<slug>.html` must fit in
/// [`MAX_NAME_BYTES`].
pub(crate) const MAX_SLUG_BYTES: usize = MAX_NAME_BYTES - PAGE_EXTENSION.len();

/// The length in bytes of the page name `<slug>.html`, when it is too long
/// for a file name.
pub(crate) fn page_name_too_long(slug: &str) -> Option<usize> {
    let len = slug.len() + PAGE_EXTENSION.len();
    (len > MAX_NAME_BYTES).then_some(len)
}

/// The first part of a `/`-separated path that is too long for a file
/// name, with its length in bytes.
pub(crate) fn name_too_long(path: &str) -> Option<(&str, usize)> {
    path.split('/')
        .find(|part| part.len() > MAX_NAME_BYTES)
        .map(|part| (part, part.len()))
}

/// `slug` cut to at most `max` bytes, at the last `-` that allows it (else
/// at a character), so a long title still gives a file name that fits. The
/// cut is a slug itself.
pub(crate) fn shorten(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    let mut end = max;
    while !slug.is_char_boundary(end) {
        end -= 1;
    }
    let cut = &slug[..end];
    // A cut right before a `-` keeps the whole last word.
    if slug[end..].starts_with('-') {
        return cut;
    }
    match cut.rfind('-') {
        Some(dash) if dash > 0 => &cut[..dash],
        _ => cut,
    }
}

/// `text` shortened for a message: at most `chars` characters, `…` marking
/// a cut.
pub(crate) fn abbreviate(text: &str, chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(chars) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

pub fn slugify(text: &str) -> String {
    if text.is_ascii() {
        slugify_ascii(text)
    } else {
        slugify_unicode(text)
    }
}

fn slugify_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut in_word = false;
    for c in text.nfc() {
        if c.is_alphanumeric() || (in_word && is_combining_mark(c)) {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            in_word = true;
            out.extend(
                c.to_lowercase()
                    .flat_map(char::to_uppercase)
                    .flat_map(char::to_lowercase),
            );
        } else if c == '\'' || c == '\u{2019}' {
            // "customer's" → "customers", not "customer-s".
        } else {
            pending_dash = true;
            in_word = false;
        }
    }
    // Lower-casing can leave a sequence that composes further.
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

/// The same rule for ASCII text, which normal forms and case folding leave
/// as plain lower-casing; most titles, tags and links are ASCII.
fn slugify_ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(char::from(b.to_ascii_lowercase()));
        } else if b != b'\'' {
            pending_dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_names_are_limited_in_bytes_with_their_extension() {
        assert_eq!(MAX_SLUG_BYTES, 250);
        assert_eq!(page_name_too_long(&"a".repeat(250)), None);
        assert_eq!(page_name_too_long(&"a".repeat(251)), Some(256));
        // 84 letters of three bytes each: 252 bytes, 84 characters.
        assert_eq!(page_name_too_long(&"日".repeat(84)), Some(257));
        assert_eq!(page_name_too_long(&"日".repeat(83)), None);
    }

    #[test]
    fn long_parts_of_a_path_are_found() {
        let long = "é".repeat(128);
        assert_eq!(name_too_long("faq/chart.png"), None);
        assert_eq!(
            name_too_long(&format!("faq/{long}/x.png")),
            Some((long.as_str(), 256))
        );
        assert_eq!(name_too_long(&"x".repeat(255)), None);
    }

    #[test]
    fn shortened_slugs_fit_and_stay_slugs() {
        let slug = slugify(&"word ".repeat(100));
        let cut = shorten(&slug, MAX_SLUG_BYTES);
        assert!(
            cut.len() <= MAX_SLUG_BYTES && cut.ends_with("word"),
            "{cut}"
        );
        assert_eq!(slugify(cut), cut);
        assert_eq!(shorten("abc-def", 7), "abc-def");
        assert_eq!(shorten("abc-def", 6), "abc");
        assert_eq!(shorten("abc-def", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abcd");
        // Never inside a character.
        assert_eq!(shorten("ééé", 5), "éé");
    }

    #[test]
    fn messages_abbreviate_by_characters() {
        assert_eq!(abbreviate("abc", 3), "abc");
        assert_eq!(abbreviate("abcd", 3), "abc…");
        assert_eq!(abbreviate("日本語です", 2), "日本…");
    }

    #[test]
    fn the_ascii_path_follows_the_same_rule() {
        // Every printable ASCII character, alone and between letters.
        for b in 0x20u8..0x7f {
            let c = char::from(b);
            for text in [format!("{c}"), format!("Ab{c}Cd"), format!("{c}{c}x {c}")] {
                assert_eq!(slugify_ascii(&text), slugify_unicode(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn slug_rule() {
        assert_eq!(slugify("Active listening"), "active-listening");
        assert_eq!(slugify("  The customer's time!  "), "the-customers-time");
        assert_eq!(slugify("Café — Über uns"), "café-über-uns");
        assert_eq!(slugify("Step 3: close"), "step-3-close");
        assert_eq!(slugify("---"), "");
        assert_eq!(slugify("顧客が怒っている"), "顧客が怒っている");
    }

    #[test]
    fn normal_forms_give_one_slug() {
        // NFD, as macOS file names are stored, and NFC.
        assert_eq!(slugify("Cafe\u{301} noir"), "café-noir");
        assert_eq!(slugify("Caf\u{e9} noir"), "café-noir");
        // A combining mark belongs to its letter, not to a separator.
        assert_eq!(slugify("हिन्दी"), "हिन्दी");
        assert_eq!(slugify("İstanbul"), "i\u{307}stanbul");
        assert_eq!(slugify("- \u{301}x"), "x");
    }

    #[test]
    fn case_is_folded_not_just_lowered() {
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("STRAẞE"), "strasse");
        assert_eq!(slugify("STRASSE"), slugify("straße"));
        assert_eq!(slugify("ΟΔΟΣ"), slugify("οδος"));
        assert_eq!(slugify("ﬁle"), "file");
        assert_eq!(slugify("İstanbul"), slugify("i\u{307}stanbul"));
    }

    #[test]
    fn slugs_are_idempotent() {
        for s in ["A b", "x--y", "Ünïcödé Títle", "a'b c", "İstanbul", "हिन्दी"] {
            let once = slugify(s);
            assert_eq!(slugify(&once), once);
        }
    }
}
