//! British and American spellings meet in search, both ways: an entry
//! written one way is found by a query typed the other (docs/search.md,
//! "Spelling variants"), through the search page in headless Chromium.

use crate::browser::require_chromium;
use crate::promises_search::{results, site_url};
use crate::support::*;

#[test]
fn a_query_in_one_spelling_finds_entries_written_in_the_other() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    let technique = |slug: &str, title: &str, body: &str| {
        kb.write(
            &format!("content/techniques/{slug}.md"),
            &entry(&format!("title = \"{title}\""), body),
        );
    };
    technique(
        "recognizing-a-difficult-call",
        "Recognizing a difficult call early",
        "Listen for the signs.\n",
    );
    technique(
        "after-a-difficult-call",
        "After a difficult call",
        "Take a breath.\n",
    );
    technique(
        "instalment-plans",
        "Offering instalment plans",
        "Split what is owed.\n",
    );
    technique(
        "the-customer-sends-a-cheque",
        "The customer sends a cheque",
        "Note the date it arrives.\n",
    );
    technique(
        "favorite-color",
        "Asking for a favorite color",
        "Small talk, briefly.\n",
    );
    technique(
        "a-counsellor-on-the-line",
        "A counsellor on the line",
        "Speak to them as to the customer.\n",
    );
    let site = site_url(&kb);
    for (query, first) in [
        (
            "recognise a difficult call",
            "techniques/recognizing-a-difficult-call.html",
        ),
        ("installment plan", "techniques/instalment-plans.html"),
        (
            "customer sent a check",
            "techniques/the-customer-sends-a-cheque.html",
        ),
        ("favourite colour", "techniques/favorite-color.html"),
        ("counselor", "techniques/a-counsellor-on-the-line.html"),
    ] {
        let found = results(&site, query);
        assert_eq!(
            found.first().map(String::as_str),
            Some(first),
            "{query:?} gave {found:?}"
        );
    }
}
