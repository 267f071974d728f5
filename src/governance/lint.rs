//! Compliance linting of wording: phrases a team must never say.
//!
//! Each `[[lint.forbidden]]` rule in site.toml names a phrase and the
//! message to show. Phrases match case-insensitively, on word boundaries
//! (`arrest` does not match `arrested`… unless the rule says `arrest*`),
//! with any run of spaces or punctuation between words. A match in a
//! say-phrase is an error (agents read those aloud); in the body it is a
//! warning (the body may quote what not to say).

/// A compiled forbidden phrase.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    words: Vec<(String, bool)>,
}

/// A text split into lower-cased words with their byte spans, once for all
/// matchers.
pub(crate) struct Words(Vec<(usize, usize, String)>);

impl Words {
    pub(crate) fn of(text: &str) -> Words {
        Words(fold(text))
    }
}

fn fold(text: &str) -> Vec<(usize, usize, String)> {
    word_spans(text)
        .map(|(s, e)| {
            let mut word = String::new();
            lower_into(&text[s..e], &mut word);
            (s, e, word)
        })
        .collect()
}

/// Byte spans of the words of `text`; apostrophes belong to the word
/// ("don't").
fn word_spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let is_part = |c: char| c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        let (start, _) = chars.by_ref().find(|&(_, c)| is_part(c))?;
        let mut end = text.len();
        for (i, c) in chars.by_ref() {
            if !is_part(c) {
                end = i;
                break;
            }
        }
        Some((start, end))
    })
}

/// `word` lower-cased, with a typographic apostrophe as `'`, into `out`.
fn lower_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.push_str(&word.to_lowercase().replace('\u{2019}', "'"));
    }
}

/// The first words of a set of matchers: a line holding none of them can
/// match none of them, and most lines hold none.
#[derive(Default)]
pub(crate) struct FirstWords {
    exact: std::collections::HashSet<String>,
    prefixes: Vec<String>,
}

impl FirstWords {
    pub(crate) fn new<'a>(matchers: impl IntoIterator<Item = &'a Matcher>) -> FirstWords {
        let mut first = FirstWords::default();
        for m in matchers {
            let (word, prefix) = &m.words[0];
            if *prefix {
                first.prefixes.push(word.clone());
            } else {
                first.exact.insert(word.clone());
            }
        }
        first
    }

    /// Whether `text` holds any of the first words. Allocates nothing per
    /// word: this runs on every line of every entry.
    pub(crate) fn any_in(&self, text: &str) -> bool {
        let mut word = String::new();
        word_spans(text).any(|(s, e)| {
            lower_into(&text[s..e], &mut word);
            self.exact.contains(word.as_str())
                || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
        })
    }
}

impl Matcher {
    pub(crate) fn new(phrase: &str) -> Option<Matcher> {
        let words: Vec<(String, bool)> = phrase
            .split_whitespace()
            .map(|w| {
                let prefix = w.ends_with('*');
                let w = w.trim_end_matches('*');
                let folded = fold(w)
                    .into_iter()
                    .map(|(_, _, f)| f)
                    .collect::<Vec<_>>()
                    .join(" ");
                (folded, prefix)
            })
            .filter(|(w, _)| !w.is_empty())
            .collect();
        (!words.is_empty()).then_some(Matcher { words })
    }

    /// Byte spans of every match in `text`.
    #[cfg(test)]
    fn find(&self, text: &str) -> Vec<(usize, usize)> {
        self.find_in(&Words::of(text))
    }

    /// Byte spans of every match in an already split text.
    pub(crate) fn find_in(&self, words: &Words) -> Vec<(usize, usize)> {
        let words = &words.0;
        let mut out = Vec::new();
        let n = self.words.len();
        if words.len() < n {
            return out;
        }
        for i in 0..=words.len() - n {
            let hit = self.words.iter().enumerate().all(|(k, (w, prefix))| {
                let have = &words[i + k].2;
                if *prefix {
                    have.starts_with(w.as_str())
                } else {
                    have == w
                }
            });
            if hit {
                out.push((words[i].0, words[i + n - 1].1));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Matcher;

    #[test]
    fn matches_on_word_boundaries_case_insensitively() {
        let m = Matcher::new("you have no choice").unwrap();
        assert_eq!(
            m.find("Honestly, YOU have  no—choice here."),
            vec![(10, 31)]
        );
        assert!(m.find("you have no choices").is_empty());
        let m = Matcher::new("arrest").unwrap();
        assert!(m.find("We could have you arrested").is_empty());
        assert_eq!(Matcher::new("arrest*").unwrap().find("arrested").len(), 1);
        let m = Matcher::new("don't").unwrap();
        assert_eq!(m.find("Don’t worry").len(), 1);
        assert!(Matcher::new("  ").is_none());
    }
}
