//! What the README and docs/search.md promise about ranking and matching,
//! checked through the search page itself in headless Chromium: the
//! ranking runs only in the page's script, on a small knowledge base built
//! for each point and opened from disk.

use crate::browser::{Page, query_url, require_chromium};
use crate::support::*;

/// The built site of `kb`, opened from disk.
pub(crate) fn site_url(kb: &Kb) -> String {
    kb.run(&["build"]).success();
    format!("file://{}/", kb.out().display())
}

/// The results the search page shows for `query`, once the body postings
/// are in (an empty list is a real answer: the status line says so).
pub(crate) fn results(site: &str, query: &str) -> Vec<String> {
    let page = Page::open(&query_url(site, query));
    page.wait_for(
        "window.saywhenSearch.bodyLoaded() && document.getElementById('search-status').textContent !== ''",
    );
    page.all_results()
        .into_iter()
        .map(|r| r.trim_start_matches("../").to_string())
        .collect()
}

#[test]
fn title_situation_and_alias_outrank_headings_tags_and_phrases_which_outrank_the_body() {
    let Some(_) = require_chromium() else {
        return;
    };
    // One rare word in one field of each entry. The weights put the
    // entries in listing order exactly backwards, so ties in listing order
    // cannot pass for the ranking.
    let kb = Kb::new();
    let technique = |slug: &str, weight: u32, front: &str, body: &str| {
        kb.write(
            &format!("content/techniques/{slug}.md"),
            &entry(&format!("weight = {weight}\n{front}"), body),
        );
    };
    technique(
        "in-body",
        1,
        "title = \"Body holder\"",
        "The zephyr came.\n",
    );
    technique(
        "in-description",
        2,
        "title = \"Description holder\"\ndescription = \"About a zephyr.\"",
        "Nothing here.\n",
    );
    technique(
        "in-say",
        3,
        "title = \"Say holder\"",
        "```say\nMind the zephyr.\n```\n",
    );
    technique(
        "in-tags",
        4,
        "title = \"Tag holder\"\ntags = [\"zephyr\"]",
        "Nothing here.\n",
    );
    technique(
        "in-heading",
        5,
        "title = \"Heading holder\"",
        "## The zephyr\n\nNothing here.\n",
    );
    technique(
        "in-alias",
        6,
        "title = \"Alias holder\"\naliases = [\"the zephyr question\"]",
        "Nothing here.\n",
    );
    technique("in-title", 7, "title = \"Zephyr notes\"", "Nothing here.\n");
    kb.write(
        "content/faq/in-situation.md",
        &entry(
            "situation = \"the customer mentions a zephyr\"",
            "Nothing here.\n",
        ),
    );
    let found = results(&site_url(&kb), "zephyr");
    let tier = |slugs: &[&str]| -> std::collections::BTreeSet<String> {
        slugs
            .iter()
            .map(|s| match *s {
                "in-situation" => format!("faq/{s}.html"),
                _ => format!("techniques/{s}.html"),
            })
            .collect()
    };
    let at = |range: std::ops::Range<usize>| -> std::collections::BTreeSet<String> {
        found
            .get(range)
            .unwrap_or_default()
            .iter()
            .cloned()
            .collect()
    };
    assert_eq!(found.len(), 8, "every entry holds the word: {found:?}");
    assert_eq!(at(0..2), tier(&["in-title", "in-situation"]), "{found:?}");
    assert_eq!(at(2..3), tier(&["in-alias"]), "{found:?}");
    assert_eq!(
        at(3..6),
        tier(&["in-heading", "in-tags", "in-say"]),
        "{found:?}"
    );
    // docs/search.md: the description weighs between those and the body.
    assert_eq!(at(6..7), tier(&["in-description"]), "{found:?}");
    assert_eq!(at(7..8), tier(&["in-body"]), "{found:?}");
}

#[test]
fn typos_are_forgiven_in_proportion_to_the_words_length() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    kb.write(
        "content/techniques/crane.md",
        &entry("title = \"Tower notes\"", "A crane lifts.\n"),
    );
    kb.write(
        "content/techniques/dove.md",
        &entry("title = \"Garden notes\"", "A dove flies.\n"),
    );
    kb.write(
        "content/techniques/kitchen.md",
        &entry(
            "title = \"House notes\"",
            "The kitchen and the stationery.\n",
        ),
    );
    let site = site_url(&kb);
    let crane = vec!["techniques/crane.html".to_string()];
    let dove = vec!["techniques/dove.html".to_string()];
    let kitchen = vec!["techniques/kitchen.html".to_string()];
    let none: Vec<String> = Vec::new();
    for (query, expected, why) in [
        ("crane", &crane, "the word itself"),
        ("crame", &crane, "one letter changed"),
        ("carne", &crane, "two neighbours swapped"),
        ("craine", &crane, "one letter added"),
        ("dove", &dove, "a four-letter word itself"),
        ("dive", &dove, "four letters, one changed"),
        ("dovve", &dove, "five letters, one added"),
        ("dv", &none, "too short to guess"),
        ("cxxne", &none, "five letters, two edits away"),
        ("kichne", &none, "six letters, two edits away"),
        ("kichen", &kitchen, "six letters, one dropped"),
        ("staitonry", &kitchen, "nine letters, two edits away"),
        ("stxxionxry", &none, "ten letters, three edits away"),
        // The first letter is taken as typed (docs/search.md).
        ("brane", &none, "the first letter changed"),
    ] {
        assert_eq!(&results(&site, query), expected, "{query:?}: {why}");
    }
}

#[test]
fn a_prefix_matches_the_first_forty_terms_or_ten_for_one_or_two_letters() {
    let Some(_) = require_chromium() else {
        return;
    };
    // 45 entries, each titled with one word starting "zax"; no other word
    // of the site starts with "z".
    let letters = "bdfgkmnprt";
    let mut words: Vec<String> = letters
        .chars()
        .flat_map(|a| letters.chars().map(move |b| format!("zax{a}{b}")))
        .take(45)
        .collect();
    words.sort();
    let tokenizer = saywhen::search::tokenize::Tokenizer::default();
    for w in &words {
        assert_eq!(&tokenizer.stem(w), w, "each word is its own stem");
    }
    let kb = Kb::new();
    for w in &words {
        kb.write(
            &format!("content/techniques/{w}.md"),
            &entry(&format!("title = \"{w}\""), "Nothing here.\n"),
        );
    }
    let site = site_url(&kb);
    let first = |n: usize| -> Vec<String> {
        words[..n]
            .iter()
            .map(|w| format!("techniques/{w}.html"))
            .collect()
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    assert_eq!(sorted(results(&site, "zax")), first(40), "three letters");
    assert_eq!(sorted(results(&site, "za")), first(10), "two letters");
    assert_eq!(sorted(results(&site, "z")), first(10), "one letter");
    // The words past the cap are there, and come first when typed (its
    // neighbours one letter away follow, as typos of it).
    assert_eq!(
        results(&site, &words[44]).first(),
        Some(&format!("techniques/{}.html", words[44]))
    );
}
