//! The two engines, each asked every query in the same headless Chromium:
//! saywhen through its real search page, MiniSearch loaded into a blank
//! page. Each answers with the slugs it ranks, best first.

use super::documents::Document;
use super::queries::Query;
use crate::browser::Page;
use std::path::Path;

/// How many results of each engine are looked at: the search page shows
/// this many at most, so MiniSearch is cut to the same length.
pub(crate) const LIMIT: usize = 50;

/// saywhen's ranking for each query: the search page of the site built
/// into `site`, opened once, typed into as an agent would.
pub(crate) fn saywhen(site: &Path, queries: &[Query]) -> Vec<Vec<String>> {
    let page = Page::open(&format!("file://{}/search/index.html", site.display()));
    // Results before the body postings arrive rank without the body: wait
    // for them, so every query is ranked on the whole index.
    page.wait_for("window.saywhenSearch && window.saywhenSearch.bodyLoaded && window.saywhenSearch.bodyLoaded()");
    queries
        .iter()
        .map(|q| {
            let text = serde_json::to_string(&q.query).unwrap();
            // The status line and the list are emptied first, so what the
            // wait below sees can only be the page's answer to this query,
            // however late the page renders it.
            page.run(&format!(
                "const input = document.getElementById('search-page-input');
                 document.getElementById('search-status').textContent = '';
                 document.getElementById('search-results').innerHTML = '';
                 input.value = {text};
                 input.dispatchEvent(new Event('input', {{ bubbles: true }}))"
            ));
            page.wait_for(&format!(
                "document.getElementById('search-page-input').value === {text} &&
                 (document.getElementById('search-status').textContent !== '' ||
                  document.querySelector('#search-results li > a') !== null)"
            ));
            // All the results the page has for the query, the ones past the
            // first few drawn by its button, as an agent would.
            let hrefs = page.eval(
                "(function () { var more = document.getElementById('search-more'); if (more && !more.hidden) more.click(); return Array.from(document.querySelectorAll('#search-results li > a')).map(a => a.getAttribute('href')); })()",
            );
            hrefs
                .as_array()
                .expect("a list of links")
                .iter()
                .filter_map(|h| h.as_str())
                .take(LIMIT)
                .map(slug_of)
                .collect()
        })
        .collect()
}

/// The slug an entry's link leads to: `../faq/customer-threatens-to-sue.html`
/// (or `…/customer-threatens-to-sue/`, `…/index.html`) →
/// `customer-threatens-to-sue`. A link to anything else stays as it is,
/// and so matches no expected entry.
pub(crate) fn slug_of(href: &str) -> String {
    let path = href.split(['#', '?']).next().unwrap_or(href);
    let path = path.strip_suffix("index.html").unwrap_or(path);
    let path = path.trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    last.strip_suffix(".html").unwrap_or(last).to_string()
}

/// MiniSearch's ranking for each query, over `documents`, with the site's
/// synonym `groups` (see minisearch.js for the set-up).
pub(crate) fn minisearch(
    source: &str,
    documents: &[Document],
    groups: &[Vec<String>],
    queries: &[Query],
) -> Vec<Vec<String>> {
    let page = Page::open("about:blank");
    page.tab
        .evaluate(source, false)
        .expect("load MiniSearch into the page");
    page.run(&format!(
        "{}({}, {})",
        include_str!("minisearch.js").trim_end(),
        serde_json::to_string(documents).unwrap(),
        serde_json::to_string(groups).unwrap()
    ));
    let texts: Vec<&str> = queries.iter().map(|q| q.query.as_str()).collect();
    let ranked = page.eval(&format!(
        "{}.map(q => window.saywhenEval.rank(q, {LIMIT}))",
        serde_json::to_string(&texts).unwrap()
    ));
    serde_json::from_value(ranked).expect("MiniSearch's rankings, a list of lists of slugs")
}

#[test]
fn links_to_entries_give_their_slugs() {
    assert_eq!(
        slug_of("../faq/customer-threatens-to-sue.html"),
        "customer-threatens-to-sue"
    );
    assert_eq!(
        slug_of("../faq/customer-threatens-to-sue/"),
        "customer-threatens-to-sue"
    );
    assert_eq!(
        slug_of("../faq/customer-threatens-to-sue/index.html"),
        "customer-threatens-to-sue"
    );
    assert_eq!(slug_of("../faq/x.html#what-to-say"), "x");
}

#[test]
fn minisearch_finds_a_synonym_and_a_phrase_member_only_whole() {
    let Some(_) = crate::browser::require_chromium() else {
        return;
    };
    let Some(source) = crate::needs::require_minisearch() else {
        return;
    };
    let doc = |id: &str, body: &str| Document::for_test(id, body);
    let documents = [
        doc("phrase", "Ask the team lead."),
        doc("half", "The team won."),
        doc("other", "Nothing here."),
    ];
    let groups = vec![vec!["supervisor".to_string(), "team lead".to_string()]];
    let query = |text: &str| Query {
        query: text.into(),
        expect: String::new(),
        class: "everyday".into(),
    };
    let ranked = minisearch(
        &source,
        &documents,
        &groups,
        &[query("supervisor"), query("Team Lead"), query("nothing")],
    );
    assert_eq!(ranked[0], ["phrase"], "a phrase member wants all its words");
    assert_eq!(ranked[1][0], "phrase");
    assert_eq!(ranked[2], ["other"], "no group, no expansion");
}
