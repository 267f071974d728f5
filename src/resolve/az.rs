//! The A–Z "What should I say when…" index: every FAQ situation and every
//! alias of any entry, filed under the word an agent would look for.
//!
//! Situations mostly begin "the customer …", which would put everything under
//! C or T. The sort key skips a leading article and a leading "customer",
//! "caller" or "client", so "the customer threatens to sue" files under T
//! for *threatens*, and the page shows the skipped lead-in dimmed.

use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AzItem {
    /// The letter heading it is filed under (`#` for digits and symbols).
    pub(crate) letter: String,
    /// The skipped lead-in, e.g. "the customer ".
    pub(crate) lead: String,
    /// The rest of the phrase, which the sort key starts with.
    pub(crate) rest: String,
    /// Index of the entry it leads to.
    pub(crate) entry: usize,
    /// True for an alias; false for the entry's own situation.
    pub(crate) alias: bool,
    #[serde(skip)]
    pub(crate) key: String,
}

const ARTICLES: &[&str] = &["the", "a", "an"];
const PEOPLE: &[&str] = &[
    "customer",
    "customers",
    "caller",
    "callers",
    "client",
    "clients",
    "debtor",
];

pub(crate) fn item(text: &str, entry: usize, alias: bool) -> AzItem {
    let text = text.trim();
    let mut cut = 0;
    let mut words = text.split_inclusive(char::is_whitespace).peekable();
    let mut skipped_person = false;
    while let Some(word) = words.peek() {
        let lower = word.trim().to_lowercase();
        let stem = lower.trim_end_matches(['\'', '’', 's']);
        let is_article = ARTICLES.contains(&lower.as_str());
        let is_person =
            !skipped_person && (PEOPLE.contains(&lower.as_str()) || PEOPLE.contains(&stem));
        if !(is_article || is_person) || cut + word.len() >= text.len() {
            break;
        }
        skipped_person |= is_person;
        cut += word.len();
        words.next();
    }
    let (lead, rest) = text.split_at(cut);
    let key = rest.to_lowercase();
    let letter = key
        .chars()
        .next()
        .filter(|c| c.is_alphabetic())
        .map_or("#".to_string(), |c| c.to_uppercase().collect());
    AzItem {
        letter,
        lead: lead.to_string(),
        rest: rest.to_string(),
        entry,
        alias,
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::item;

    #[test]
    fn files_under_the_telling_word() {
        let i = item("the customer threatens to sue", 0, false);
        assert_eq!(
            (i.lead.as_str(), i.rest.as_str(), i.letter.as_str()),
            ("the customer ", "threatens to sue", "T")
        );
        assert_eq!(
            item("caller says he'll take us to court", 0, true).letter,
            "S"
        );
        assert_eq!(
            item("someone other than the customer answers", 0, false).letter,
            "S"
        );
        assert_eq!(item("3 missed payments", 0, false).letter, "#");
        assert_eq!(item("the customer", 0, false).rest, "customer");
    }
}
