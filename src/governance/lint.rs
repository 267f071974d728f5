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
pub struct Matcher {
    words: Vec<(String, bool)>,
}

/// A text split into lower-cased words with their byte spans, once for all
/// matchers.
pub struct Words(Vec<(usize, usize, String)>);

impl Words {
    pub fn of(text: &str) -> Words {
        Words(fold(text))
    }
}

fn fold(text: &str) -> Vec<(usize, usize, String)> {
    // Words with their byte spans in `text`, lower-cased; apostrophes
    // belong to the word ("don't").
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, lower(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len(), lower(&text[s..])));
    }
    out
}

fn lower(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase().replace('\u{2019}', "'")
    }
}

/// The first words of a set of matchers: a line holding none of them can
/// match none of them, and most lines hold none.
#[derive(Default)]
pub struct FirstWords {
    exact: std::collections::HashSet<String>,
    prefixes: Vec<String>,
}

impl FirstWords {
    pub fn new<'a>(matchers: impl IntoIterator<Item = &'a Matcher>) -> FirstWords {
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
    pub fn any_in(&self, text: &str) -> bool {
        let mut word = String::new();
        let hit = |w: &str, word: &mut String| {
            word.clear();
            if w.is_ascii() {
                word.extend(w.chars().map(|c| c.to_ascii_lowercase()));
            } else {
                word.push_str(&lower(w));
            }
            self.exact.contains(word.as_str())
                || self.prefixes.iter().any(|p| word.starts_with(p.as_str()))
        };
        let mut start = None;
        for (i, c) in text.char_indices() {
            let part = c.is_alphanumeric() || c == '\'' || c == '\u{2019}';
            match (part, start) {
                (true, None) => start = Some(i),
                (false, Some(s)) => {
                    if hit(&text[s..i], &mut word) {
                        return true;
                    }
                    start = None;
                }
                _ => {}
            }
        }
        start.is_some_and(|s| hit(&text[s..], &mut word))
    }
}

impl Matcher {
    pub fn new(phrase: &str) -> Option<Matcher> {
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
    pub fn find(&self, text: &str) -> Vec<(usize, usize)> {
        self.find_in(&Words::of(text))
    }

    /// Byte spans of every match in an already split text.
    pub fn find_in(&self, words: &Words) -> Vec<(usize, usize)> {
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
