//! What a search result shows, in headless Chromium: the say-phrase and the
//! playbook step that match the query, link text and included snippets in
//! the blurb, and the Snippets page a reader can reach.

use crate::browser::{Page, bundled_site, query_url, require_chromium, server};
use crate::promises_search::site_url;
use crate::support::*;
use serde_json::Value;

/// The search page for `query` on `site`, once the text shard of the
/// results is in (the snippet line is empty until it is).
fn search(site: &str, query: &str) -> Page {
    let page = Page::open(&query_url(site, query));
    page.wait_for(
        "window.saywhenSearch.bodyLoaded() && !!(window.SAYWHEN_TEXT || {})[0] && document.querySelectorAll('#search-results > li').length > 0",
    );
    page
}

/// What each result shows, best first: its link, blurb, step line and
/// say-phrase, as text, and the words of the step line that are marked.
fn shown(page: &Page) -> Vec<Value> {
    page.eval(
        "Array.from(document.querySelectorAll('#search-results > li')).map(function (li) {
          var text = function (sel) { var el = li.querySelector(sel); return el ? el.textContent : null; };
          return { href: li.querySelector('a').getAttribute('href').replace(/^(\\.\\.\\/)+/, ''),
                   snippet: text('.snippet'), step: text('.result-step'),
                   say: text('.result-say .phrase-text'),
                   step_marks: Array.from(li.querySelectorAll('.result-step mark')).map(function (m) { return m.textContent; }) }; })",
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn result_for<'a>(results: &'a [Value], href: &str) -> &'a Value {
    results
        .iter()
        .find(|r| r["href"] == href)
        .unwrap_or_else(|| panic!("no result for {href}: {results:#?}"))
}

#[test]
fn an_faq_result_shows_the_say_phrase_that_matches_the_query() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    kb.write(
        "content/faq/customer-wants-a-refund.md",
        &entry(
            "situation = \"the customer wants a refund\"",
            "```say\nI understand, and I want to put this right.\n```\n\n```say\nI can send the refund form by email today.\n```\n\n```say\nIs there anything else on the account?\n```\n",
        ),
    );
    let site = site_url(&kb);
    // The second phrase holds both words, the first neither.
    let page = search(&site, "refund email");
    let results = shown(&page);
    assert_eq!(
        result_for(&results, "faq/customer-wants-a-refund.html")["say"],
        "I can send the refund form by email today.",
        "{results:#?}"
    );
    // No phrase holds the query's words: the first is shown.
    let page = search(&site, "wants a refund");
    let results = shown(&page);
    assert_eq!(
        result_for(&results, "faq/customer-wants-a-refund.html")["say"],
        "I understand, and I want to put this right.",
        "{results:#?}"
    );
}

#[test]
fn a_playbook_result_shows_the_step_that_matches_the_query() {
    let Some(_) = require_chromium() else {
        return;
    };
    // The bundled "De-escalating a hostile caller": its second step is
    // "Keep your own voice steady".
    let site = server().url("/");
    let page = search(&site, "voice steady");
    let results = shown(&page);
    let playbook = result_for(&results, "playbooks/de-escalating-a-hostile-caller.html");
    assert_eq!(
        playbook["step"], "Step 2: Keep your own voice steady",
        "{results:#?}"
    );
    assert_eq!(
        playbook["step_marks"],
        serde_json::json!(["voice", "steady"]),
        "{results:#?}"
    );
    // A query no step holds shows no step.
    let page = search(&site, "de-escalating a hostile caller");
    let results = shown(&page);
    let playbook = result_for(&results, "playbooks/de-escalating-a-hostile-caller.html");
    assert_eq!(playbook["step"], Value::Null, "{results:#?}");
}

#[test]
fn a_blurb_keeps_the_text_of_its_links() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    kb.write(
        "content/techniques/setting-boundaries.md",
        &entry("title = \"Setting boundaries\"", "Say where the line is.\n"),
    );
    kb.write(
        "content/faq/customer-swears.md",
        &entry(
            "situation = \"the customer swears\"",
            "Stay polite and speak clearly ([[setting-boundaries]]), then see [the *written* policy](https://example.com/policy).\n\n```say\nI want to help.\n```\n",
        ),
    );
    let site = site_url(&kb);
    let page = search(&site, "swears politely");
    let results = shown(&page);
    assert_eq!(
        result_for(&results, "faq/customer-swears.html")["snippet"],
        "Stay polite and speak clearly (Setting boundaries), then see the written policy.",
        "{results:#?}"
    );
    // The linked title's words are the entry's body words too: a word only
    // the link shows finds it.
    let page = search(&site, "boundaries");
    let results: Vec<String> = shown(&page)
        .iter()
        .map(|r| r["href"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        results.contains(&"faq/customer-swears.html".to_string()),
        "{results:?}"
    );
}

#[test]
fn the_words_of_an_included_snippet_find_the_entry_and_show_in_its_blurb() {
    let Some(_) = require_chromium() else {
        return;
    };
    // The bundled recorded-call notice: its say-phrase and its text are in
    // content/_snippets/, and two outbound playbooks include it.
    let site = server().url("/");
    let page = search(&site, "recorded for quality and training purposes");
    let results = shown(&page);
    let top: Vec<&str> = results
        .iter()
        .take(3)
        .map(|r| r["href"].as_str().unwrap_or(""))
        .collect();
    for playbook in [
        "playbooks/preparing-a-difficult-outbound-call.html",
        "playbooks/collection-call-that-keeps-the-relationship.html",
    ] {
        assert!(top.contains(&playbook), "{playbook} not in {top:?}");
        let snippet = result_for(&results, playbook)["snippet"]
            .as_str()
            .unwrap_or("")
            .to_string();
        assert!(
            snippet.contains("this call is recorded for quality and training purposes"),
            "{playbook}: {snippet}"
        );
    }
    let page = search(&site, "required disclosure word for word");
    let results = shown(&page);
    result_for(
        &results,
        "playbooks/preparing-a-difficult-outbound-call.html",
    );
}

#[test]
fn the_snippets_page_is_linked_from_every_page_and_in_the_sitemap() {
    let Some(_) = require_chromium() else {
        return;
    };
    let site = server().url("/");
    for from in [
        "",
        "faq/customer-threatens-to-sue.html",
        "search/index.html",
    ] {
        let page = Page::open(&format!("{site}{from}"));
        let link = page.eval(
            "(function(){ var a = Array.from(document.querySelectorAll('a')).find(function (a) { return a.textContent.trim() === 'Snippets'; });
              return a ? a.href : null; })()",
        );
        assert_eq!(
            link,
            Value::String(format!("{site}snippets/index.html")),
            "from /{from}"
        );
        page.run("Array.from(document.querySelectorAll('a')).find(function (a) { return a.textContent.trim() === 'Snippets'; }).click()");
        page.wait_for("document.readyState === 'complete' && location.pathname === '/snippets/index.html' && !!document.getElementById('recorded-call-notice')");
    }
    let sitemap = std::fs::read_to_string(bundled_site().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://intranet.example/kb/snippets/index.html</loc>"),
        "{sitemap}"
    );
}

#[test]
fn a_site_without_snippets_neither_links_nor_lists_a_snippets_page() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    assert!(!kb.out().join("snippets/index.html").exists());
    assert!(!kb.read("sitemap.xml").contains("snippets/index.html"));
    assert!(!kb.read("index.html").contains("snippets/index.html"));
    // The same site with a snippet has both.
    kb.write("content/_snippets/notice.md", "This call is recorded.\n");
    kb.run(&["build"]).success();
    assert!(kb.read("sitemap.xml").contains("snippets/index.html</loc>"));
    assert!(
        kb.read("index.html")
            .contains("href=\"snippets/index.html\">Snippets</a>")
    );
}

#[test]
fn the_first_twenty_results_are_drawn_and_a_button_draws_the_rest() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::new();
    for n in 0..25 {
        kb.write(
            &format!("content/techniques/t{n:02}.md"),
            &entry(&format!("title = \"Zorbling note {n:02}\""), "Nothing.\n"),
        );
    }
    kb.run(&["build"]).success();
    let site = format!("file://{}/", kb.out().display());
    let page = Page::open(&query_url(&site, "zorbling"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.getElementById('search-status').textContent !== ''");
    let state = || {
        page.eval(
            "(function () { var more = document.getElementById('search-more');
              return [document.querySelectorAll('#search-results > li').length, more.hidden, more.textContent,
                      document.getElementById('search-status').textContent]; })()",
        )
    };
    assert_eq!(
        state(),
        serde_json::json!([20, false, "Show 5 more", "25 entries"])
    );
    page.run("document.getElementById('search-more').click()");
    assert_eq!(
        state(),
        serde_json::json!([25, true, "Show 0 more", "25 entries"])
    );
    // The focus goes to the first result the button drew.
    assert_eq!(
        page.eval(
            "document.activeElement === document.querySelectorAll('#search-results > li > a')[20]"
        ),
        true
    );
    // Another query starts again from the first twenty.
    page.type_text("#search-page-input", " note");
    assert_eq!(
        state(),
        serde_json::json!([20, false, "Show 5 more", "25 entries"])
    );
}
