//! How search weighs evidence (docs/search.md, "Ranking"), each class of
//! failure the old ranking had shown on a small knowledge base built for
//! it, through the search page in headless Chromium.

use crate::browser::{Page, query_url, require_chromium};
use crate::promises_search::{results, site_url};
use crate::support::*;

fn kb_with_synonyms(synonyms: &str) -> Kb {
    let kb = Kb::new();
    kb.write(
        "site.toml",
        &format!(
            "title = \"T\"\nbase_url = \"https://example.com/\"\n\n[search.synonyms]\n{synonyms}\n"
        ),
    );
    kb
}

fn technique(kb: &Kb, slug: &str, front: &str, body: &str) {
    kb.write(
        &format!("content/techniques/{slug}.md"),
        &entry(front, body),
    );
}

#[test]
fn one_rare_word_in_a_title_outweighs_two_common_words_elsewhere() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = kb_with_synonyms("discount = [\"settlement\", \"deal\"]");
    kb.write(
        "content/faq/customer-asks-for-a-settlement.md",
        &entry(
            "situation = \"the customer asks for a settlement\"",
            "Explain the options.\n",
        ),
    );
    // "get" is common (every entry below has it) and "deal" is a synonym
    // of "settlement": the old ranking sorted by words matched first and
    // put this entry, which matches both, above the one that matches the
    // rare word in its title.
    technique(
        &kb,
        "getting-a-chatty-customer-back",
        "title = \"Getting a chatty customer back on track\"\naliases = [\"get a rambling caller to the point\"]",
        "```say\nLet's get this deal done today.\n```\n",
    );
    for n in 0..4 {
        technique(
            &kb,
            &format!("other-{n}"),
            &format!("title = \"Other {n}\""),
            "Get the notes first.\n",
        );
    }
    let found = results(&site_url(&kb), "could you get me a settlement");
    assert_eq!(
        found.first().map(String::as_str),
        Some("faq/customer-asks-for-a-settlement.html"),
        "{found:?}"
    );
}

#[test]
fn a_synonym_never_outranks_the_word_typed_and_matches_its_inflections() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = kb_with_synonyms("supervisor = [\"manager\", \"legal team\"]");
    // The same field, the same length: only how each matched differs.
    // Listing order puts the synonym's entry first, so a tie would show.
    technique(
        &kb,
        "asks-for-a-supervisor",
        "title = \"Wants supervisor\"\nweight = 1",
        "Nothing.\n",
    );
    technique(
        &kb,
        "asks-for-a-manager",
        "title = \"Wants manager\"\nweight = 2",
        "Nothing.\n",
    );
    let site = site_url(&kb);
    let supervisor = "techniques/asks-for-a-supervisor.html".to_string();
    let manager = "techniques/asks-for-a-manager.html".to_string();
    assert_eq!(
        results(&site, "manager"),
        [manager.clone(), supervisor.clone()]
    );
    assert_eq!(
        results(&site, "managers "),
        [manager.clone(), supervisor.clone()],
        "an inflected form"
    );
    assert_eq!(
        results(&site, "supervisors "),
        [supervisor, manager],
        "the group's other member, inflected"
    );
}

#[test]
fn a_synonym_of_several_words_matches_as_a_phrase_not_as_words_anywhere() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = kb_with_synonyms("sue = [\"legal action\"]");
    technique(
        &kb,
        "together",
        "title = \"One\"",
        "They took legal action last year.\n",
    );
    technique(
        &kb,
        "apart",
        "title = \"Two\"",
        "The legal team took no action.\n",
    );
    let site = site_url(&kb);
    assert_eq!(results(&site, "sue "), ["techniques/together.html"]);
    // Typed in full, the phrase comes first; its words apart still count,
    // for less.
    assert_eq!(
        results(&site, "legal action "),
        ["techniques/together.html", "techniques/apart.html"]
    );
}

#[test]
fn query_words_side_by_side_in_an_alias_earn_a_bonus() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    // Four terms each, the same words but one pair; listing order puts the
    // entry without the phrase first.
    technique(
        &kb,
        "apart",
        "title = \"Apart\"\nweight = 1\naliases = [\"court staff take notes\"]",
        "Nothing.\n",
    );
    technique(
        &kb,
        "together",
        "title = \"Together\"\nweight = 2\naliases = [\"they take us to court today\"]",
        "Nothing.\n",
    );
    let found = results(&site_url(&kb), "take court");
    assert_eq!(found, ["techniques/together.html", "techniques/apart.html"]);
}

#[test]
fn a_weak_match_says_so_and_shows_only_the_closest_few() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    for n in 0..9 {
        technique(
            &kb,
            &format!("entry-{n}"),
            &format!("title = \"Entry {n} zorbling{n}\""),
            "The caller picks up the phone.\n",
        );
    }
    let site = site_url(&kb);
    let status = |query: &str| {
        let page = Page::open(&query_url(&site, query));
        page.wait_for(
            "window.saywhenSearch.bodyLoaded() && document.getElementById('search-status').textContent !== ''",
        );
        let text = page.eval("document.getElementById('search-status').textContent");
        (
            text.as_str().unwrap_or("").to_string(),
            page.results().len(),
        )
    };
    let (text, shown) = status("up caller");
    assert_eq!(
        text,
        "Nothing matches “up caller” closely. The closest situations:"
    );
    assert_eq!(shown, 5, "the closest five of nine");
    let (text, shown) = status("zorbling3 caller");
    assert_eq!(
        (text.as_str(), shown),
        ("9 entries", 9),
        "a rare word matched is no weak match"
    );
}

#[test]
fn a_word_typed_past_its_stem_still_finds_it_in_either_spelling() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    technique(
        &kb,
        "recognizing",
        "title = \"Recognizing a hard call\"",
        "Nothing.\n",
    );
    technique(
        &kb,
        "threatens",
        "title = \"When a caller threatens\"",
        "Nothing.\n",
    );
    let site = site_url(&kb);
    // Still typing: the word is not whole, and the stems are `recogn` and
    // `threaten`, shorter than what is typed.
    for (query, expected) in [
        ("recognis", "techniques/recognizing.html"),
        ("recogniz", "techniques/recognizing.html"),
        ("threatenin", "techniques/threatens.html"),
    ] {
        assert_eq!(results(&site, query), [expected], "{query:?}");
    }
}
