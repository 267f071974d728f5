//! British and American spellings folded to one, before stemming, so that
//! "recognise" finds "recognizing" and "colour" finds "color" whichever
//! side of the Atlantic wrote the entry or types the query.
//!
//! Every word goes to its American form: -ise → -ize (and -isation,
//! -ising, …), -yse → -yze, -our → -or, a doubled l after two vowels before
//! -ed/-ing/-er/-or (fuelled, dialled, counsellor), -tre → -ter, -bre →
//! -ber, -logue → -log, and a short table of words no rule covers (cheque,
//! defence, licence, programme, grey, tyre…). The rules run on index and
//! query alike, so a word they change by mistake still meets itself; a
//! rule only wants a stem long enough that it does not make two different
//! common words one ("prise" and "prize", "four" and "for" stay apart).
//! The browser runs the same rules in `saywhen-search.js` (`spelling`),
//! and the browser tests check the two agree word for word.

use std::borrow::Cow;

/// Whole words no rule covers, with their inflections.
const WORDS: &[(&str, &str)] = &[
    ("aluminium", "aluminum"),
    ("cheque", "check"),
    ("cheques", "checks"),
    ("cosy", "cozy"),
    ("defence", "defense"),
    ("defences", "defenses"),
    ("grey", "gray"),
    ("greys", "grays"),
    ("jewellery", "jewelry"),
    ("judgement", "judgment"),
    ("judgements", "judgments"),
    ("kerb", "curb"),
    ("licence", "license"),
    ("licences", "licenses"),
    ("manoeuvre", "maneuver"),
    ("manoeuvres", "maneuvers"),
    ("mould", "mold"),
    ("offence", "offense"),
    ("offences", "offenses"),
    ("plough", "plow"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practises", "practices"),
    ("practising", "practicing"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("pyjamas", "pajamas"),
    ("sceptic", "skeptic"),
    ("sceptical", "skeptical"),
    ("scepticism", "skepticism"),
    ("storey", "story"),
    ("storeys", "stories"),
    ("tyre", "tire"),
    ("tyres", "tires"),
];

/// One rule: the endings it rewrites (longest first), the letters it
/// rewrites them to (the rest of the ending is kept), and the shortest
/// stem before the ending.
struct Rule {
    endings: &'static [&'static str],
    from: &'static str,
    to: &'static str,
    min_stem: usize,
}

const RULES: &[Rule] = &[
    Rule {
        endings: &[
            "isational",
            "isations",
            "isation",
            "ising",
            "isers",
            "ised",
            "iser",
            "ises",
            "ise",
        ],
        from: "is",
        to: "iz",
        min_stem: 3,
    },
    Rule {
        endings: &["ysing", "ysers", "ysed", "yser", "yses", "yse"],
        from: "ys",
        to: "yz",
        min_stem: 2,
    },
    Rule {
        endings: &[
            "ourites", "ourable", "ourably", "ourless", "ourite", "ouring", "ourful", "oured",
            "ourer", "ours", "our",
        ],
        from: "our",
        to: "or",
        min_stem: 3,
    },
    Rule {
        endings: &["tres", "tre"],
        from: "tre",
        to: "ter",
        min_stem: 2,
    },
    Rule {
        endings: &["bres", "bre"],
        from: "bre",
        to: "ber",
        min_stem: 2,
    },
    Rule {
        endings: &["logues", "logue"],
        from: "logue",
        to: "log",
        min_stem: 2,
    },
];

/// Endings after which a doubled l is single in American spelling, when
/// the stem before it has two vowels or more (travel, fuel, dial, counsel;
/// not call, fill, spell).
const DOUBLE_L: &[&str] = &["llers", "llors", "lling", "lled", "ller", "llor"];

fn vowels(s: &str) -> usize {
    s.bytes().filter(|b| b"aeiou".contains(b)).count()
}

/// `word` (lower case, accents folded) in its American spelling.
pub(crate) fn fold(word: &str) -> Cow<'_, str> {
    if let Ok(at) = WORDS.binary_search_by(|(from, _)| (*from).cmp(word)) {
        return Cow::Borrowed(WORDS[at].1);
    }
    for rule in RULES {
        if let Some(ending) = rule.endings.iter().find(|e| word.ends_with(*e)) {
            let stem = &word[..word.len() - ending.len()];
            if stem.chars().count() >= rule.min_stem {
                return Cow::Owned(format!("{stem}{}{}", rule.to, &ending[rule.from.len()..]));
            }
            return Cow::Borrowed(word);
        }
    }
    if let Some(ending) = DOUBLE_L.iter().find(|e| word.ends_with(*e)) {
        let stem = &word[..word.len() - ending.len()];
        if vowels(stem) >= 2 {
            return Cow::Owned(format!("{stem}{}", &ending[1..]));
        }
    }
    Cow::Borrowed(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenize::Tokenizer;

    #[test]
    fn the_word_table_is_sorted_for_its_binary_search() {
        assert!(WORDS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn british_and_american_spellings_stem_alike() {
        let t = Tokenizer::default();
        for (uk, us) in [
            ("recognise", "recognize"),
            ("recognising", "recognizing"),
            ("organisation", "organization"),
            ("apologised", "apologized"),
            ("prioritise", "prioritize"),
            ("authorisation", "authorization"),
            ("analyse", "analyze"),
            ("paralysed", "paralyzed"),
            ("colour", "color"),
            ("behaviour", "behavior"),
            ("favourite", "favorite"),
            ("honourable", "honorable"),
            ("neighbours", "neighbors"),
            ("travelled", "traveled"),
            ("cancelling", "canceling"),
            ("fuelled", "fueled"),
            ("dialled", "dialed"),
            ("counsellor", "counselor"),
            ("instalment", "installment"),
            ("enrolment", "enrollment"),
            ("fulfilment", "fulfillment"),
            ("cheque", "check"),
            ("centre", "center"),
            ("metres", "meters"),
            ("theatres", "theaters"),
            ("fibre", "fiber"),
            ("catalogue", "catalog"),
            ("dialogues", "dialogs"),
            ("defence", "defense"),
            ("licence", "license"),
            ("programme", "program"),
            ("judgement", "judgment"),
            ("grey", "gray"),
            ("tyre", "tire"),
            ("practise", "practice"),
            ("sceptical", "skeptical"),
        ] {
            assert_eq!(t.stem(uk), t.stem(us), "{uk} / {us}");
        }
    }

    #[test]
    fn short_words_and_single_syllables_keep_their_spelling() {
        for word in [
            "rise", "raise", "noise", "prise", "four", "hour", "your", "tour", "flour", "called",
            "filled", "spelling", "yelled", "crisis", "analysis", "our", "tree", "genre",
        ] {
            assert_eq!(fold(word), word, "{word}");
        }
        // A prize is not a prise, nor four for.
        let t = Tokenizer::default();
        assert_ne!(t.stem("prise"), t.stem("prize"));
        assert_ne!(t.stem("four"), t.stem("for"));
        assert_ne!(t.stem("filled"), t.stem("filed"));
    }
}
