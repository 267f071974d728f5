//! Text → search terms, the same way on both sides.
//!
//! Lower-case, accents folded (NFD, combining marks dropped), apostrophes
//! removed inside words ("don't" → `dont`), split on anything that is not a
//! letter or digit, stop words dropped, British spellings folded to
//! American ones (`spelling`), then stemmed with the Snowball English
//! (Porter2) stemmer. The browser runs the same steps in
//! `saywhen-search.js`: the stop words travel in the index so the two lists
//! cannot drift, and the stemmer is a port of the same algorithm, checked
//! against this one by the browser tests.

use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::{Arc, OnceLock};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to search for. "What should I say when" is all stop
/// words, so typing the FAQ preamble does not drown the query.
pub(crate) const STOP_WORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did",
    "do", "does", "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in",
    "into", "is", "it", "its", "me", "my", "of", "on", "or", "our", "she", "should", "so", "that",
    "the", "their", "them", "then", "there", "they", "this", "to", "was", "we", "were", "what",
    "when", "where", "which", "who", "will", "with", "would", "you", "your", "say",
    // Words agents wrap a situation in ("the customer says he's just very
    // upset with us"): too common in queries and titles to tell entries apart.
    "says", "said", "saying", "us", "him", "am", "im", "ive", "just", "very", "really",
];

/// Words that start nearly every situation; ignored when deciding whether
/// a query *is* an entry's title, situation or alias.
pub(crate) const FILLER_WORDS: &[&str] = &["custom", "caller", "client", "cx"];

/// Lower-cased, accent-free words of `text`, stop words included, in order.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w| out.push(w.to_string()));
    out
}

/// [`ASCII_CLASS`] bits: the byte belongs to a word (a letter, a digit or
/// an apostrophe), and the byte stands in a term as it is (a lower-case
/// letter or a digit).
const IN_WORD: u8 = 1;
const AS_IS: u8 = 2;

/// What each ASCII byte is to the word splitter, looked up once per byte.
const ASCII_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            class[b] = IN_WORD | AS_IS;
        } else if c.is_ascii_uppercase() || c == b'\'' {
            class[b] = IN_WORD;
        }
        b += 1;
    }
    class
};

/// Calls `f` with each lower-cased, accent-free word of `text`, in order,
/// without allocating a string per word. The text is cut into runs at
/// ASCII characters that are no part of a word (which split words either
/// way); a run of ASCII alone (most of any English knowledge base) skips
/// Unicode normalisation, which leaves it unchanged, and a word already in
/// lower case is handed over as a slice of `text`. So one curly quote or
/// dash slows down only the run it stands in, not the whole text.
fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // A run is a stretch of letters, digits, apostrophes and non-ASCII
        // characters; it starts and ends on character boundaries, since it
        // stops only before an ASCII byte.
        let start = at;
        let mut plain = true;
        let mut ascii = true;
        while at < bytes.len() {
            let b = bytes[at];
            if !b.is_ascii() {
                ascii = false;
                plain = false;
                at += 1;
                continue;
            }
            let class = ASCII_CLASS[usize::from(b)];
            if class & IN_WORD == 0 {
                break;
            }
            plain &= class & AS_IS != 0;
            at += 1;
        }
        if at == start {
            at += 1;
            continue;
        }
        let run = &text[start..at];
        if plain {
            // No apostrophe, so no contraction to look for.
            f(run);
            continue;
        }
        let run = without_contractions(run);
        let run = &*run;
        if ascii {
            // Apostrophes are dropped ("don't" → `dont`), so a run of them
            // alone is no word.
            word.clear();
            word.extend(
                run.bytes()
                    .filter(|&b| b != b'\'')
                    .map(|b| char::from(b.to_ascii_lowercase())),
            );
            if !word.is_empty() {
                f(&word);
            }
        } else {
            unicode_words(run, &mut word, &mut f);
        }
    }
}

/// `run` without the endings of contractions that would otherwise read as
/// other words once the apostrophe is gone ("I'll" → `ill`, "he'll" →
/// `hell`, "we're" → `were`): an apostrophe then `ll`, `re`, `ve`, `d` or
/// `m`, in any case, at the end of a word. `n't` and `'s` stay (`dont`,
/// and the stemmer takes `customers` back to `custom`). The page drops the
/// same endings (`fold` in saywhen-search.js).
fn without_contractions(run: &str) -> std::borrow::Cow<'_, str> {
    if !run.contains(['\'', '\u{2019}']) {
        return std::borrow::Cow::Borrowed(run);
    }
    let chars: Vec<char> = run.chars().collect();
    let mut out = String::with_capacity(run.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\'' || chars[i] == '\u{2019}' {
            let ending = ["ll", "re", "ve", "d", "m"].iter().find(|e| {
                let n = e.len();
                i + 1 + n <= chars.len()
                    && chars[i + 1..i + 1 + n]
                        .iter()
                        .zip(e.chars())
                        .all(|(c, e)| c.to_ascii_lowercase() == e)
                    && chars.get(i + 1 + n).is_none_or(|c| !c.is_alphanumeric())
            });
            if let Some(e) = ending {
                i += 1 + e.len();
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    std::borrow::Cow::Owned(out)
}

/// The words of `run`, text with characters outside ASCII: decomposed,
/// combining marks and apostrophes dropped, lower-cased, split on anything
/// that is not a letter or digit.
fn unicode_words(run: &str, word: &mut String, f: &mut impl FnMut(&str)) {
    word.clear();
    for c in run
        .nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\'' && *c != '\u{2019}')
        .flat_map(char::to_lowercase)
    {
        if c.is_alphanumeric() {
            word.push(c);
        } else if !word.is_empty() {
            f(word);
            word.clear();
        }
    }
    if !word.is_empty() {
        f(word);
        word.clear();
    }
}

fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().copied().collect())
        .contains(word)
}

/// Terms already computed, per thread, by word: a knowledge base repeats
/// the same few thousand words, and stemming is most of the cost of
/// indexing. `None` marks a word that is no term (a stop word, or too long).
/// Terms are shared strings, so an entry's record holds them without
/// copying.
const STEM_CACHE_LIMIT: usize = 200_000;

thread_local! {
    static STEMS: RefCell<FxHashMap<Box<str>, Option<Term>>> = RefCell::new(FxHashMap::default());
}

/// A search term: a stem, shared between every record that holds it.
pub(crate) type Term = Arc<str>;

pub struct Tokenizer {
    stemmer: Stemmer,
}

impl Default for Tokenizer {
    fn default() -> Self {
        Tokenizer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Tokenizer {
    /// The term of one word: its American spelling (`spelling::fold`),
    /// stemmed.
    pub fn stem(&self, word: &str) -> String {
        self.stemmer.stem(&super::spelling::fold(word)).into_owned()
    }

    /// The search terms of `text`: stemmed words without stop words. Words
    /// longer than 40 characters (pasted IDs, URLs) are not worth indexing.
    pub(crate) fn terms(&self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.for_each_term(text, |t| out.push(t.to_string()));
        out
    }

    /// Calls `f` with each term of `text`, as [`Tokenizer::terms`] lists them.
    pub(crate) fn for_each_term(&self, text: &str, mut f: impl FnMut(&Term)) {
        STEMS.with(|stems| {
            let mut stems = stems.borrow_mut();
            for_each_word(text, |w| {
                if let Some(known) = stems.get(w) {
                    if let Some(term) = known {
                        f(term);
                    }
                    return;
                }
                let long = w.len() > 40 && w.chars().count() > 40;
                let term = (!is_stop_word(w) && !long).then(|| Term::from(self.stem(w)));
                if let Some(term) = &term {
                    f(term);
                }
                if stems.len() >= STEM_CACHE_LIMIT {
                    stems.clear();
                }
                stems.insert(w.into(), term);
            });
        });
    }

    /// The key an exact query must equal: terms without the filler words,
    /// joined by spaces ("the customer threatens to sue" → `threaten sue`).
    pub(crate) fn exact_key(&self, text: &str) -> String {
        self.terms(text)
            .into_iter()
            .filter(|t| !FILLER_WORDS.contains(&t.as_str()))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(
            words("Don't PANIC — café, Ærø, naïve"),
            ["dont", "panic", "cafe", "ærø", "naive"]
        );
        assert_eq!(words("customer’s e-mail"), ["customers", "e", "mail"]);
    }

    #[test]
    fn contractions_do_not_read_as_other_words() {
        assert_eq!(
            words(
                "I'll call, he’ll see, we're here, they've paid, I'd say, I'm ok, don't, customer's"
            ),
            [
                "i",
                "call",
                "he",
                "see",
                "we",
                "here",
                "they",
                "paid",
                "i",
                "say",
                "i",
                "ok",
                "dont",
                "customers"
            ]
        );
        // Only at the end of a word, in any case.
        assert_eq!(
            words("O'Dell WE'LL o'reilly he'll's"),
            ["odell", "we", "oreilly", "hes"]
        );
    }

    #[test]
    fn a_character_outside_ascii_is_read_where_it_stands() {
        assert_eq!(
            words("Setting boundaries › Warn once, then end the call—politely’s fine"),
            [
                "setting",
                "boundaries",
                "warn",
                "once",
                "then",
                "end",
                "the",
                "call",
                "politelys",
                "fine"
            ]
        );
        assert_eq!(words("naïve café's CAFÉ"), ["naive", "cafes", "cafe"]);
        assert_eq!(words("a\u{0301}b ’’ x"), ["ab", "x"]);
    }

    #[test]
    fn ascii_and_unicode_paths_split_alike() {
        assert_eq!(
            words("Don't PANIC, it's 3AM--ok?"),
            ["dont", "panic", "its", "3am", "ok"]
        );
        // The same text with one non-ASCII character takes the other path.
        assert_eq!(
            words("Don't PANIC, it's 3AM--ok? é"),
            ["dont", "panic", "its", "3am", "ok", "e"]
        );
    }

    #[test]
    fn stems_inflections_together() {
        let t = Tokenizer::default();
        let forms = ["threatens", "threatened", "threatening", "threaten"];
        let stems: Vec<String> = forms.iter().map(|w| t.terms(w).join(" ")).collect();
        assert!(stems.iter().all(|s| s == "threaten"), "{stems:?}");
        assert_eq!(t.terms("paying payments paid"), ["pay", "payment", "paid"]);
    }

    #[test]
    fn stop_words_do_not_drown_the_query() {
        let t = Tokenizer::default();
        assert_eq!(
            t.terms("What should I say when the customer threatens to sue?"),
            ["custom", "threaten", "sue"]
        );
        assert_eq!(
            t.exact_key("What should I say when the customer threatens to sue?"),
            "threaten sue"
        );
        assert_eq!(
            t.exact_key("caller says he'll take us to court"),
            "take court"
        );
    }
}
