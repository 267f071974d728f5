//! Search in a real browser, on the bundled knowledge base served over HTTP,
//! from a sub-path, and from disk.

use crate::browser::*;
use serde_json::Value;
use std::path::Path;

/// Representative agent queries, in an agent's own words, and the entry
/// that must come up in the top 3.
const QUERIES: &[(&str, &str)] = &[
    ("threatens to sue", "faq/customer-threatens-to-sue.html"),
    (
        "caller says he'll take us to court",
        "faq/customer-threatens-to-sue.html",
    ), // alias phrasing
    (
        "threatened legal action",
        "faq/customer-threatens-to-sue.html",
    ), // inflected form
    ("wants my manager", "faq/customer-demands-a-supervisor.html"), // synonym: manager → supervisor
    (
        "custmer swearing at me",
        "faq/customer-is-yelling-or-swearing.html",
    ), // misspelling
    ("lost his job cant pay", "faq/customer-lost-their-job.html"),
    (
        "crying on the phone",
        "faq/customer-is-crying-or-distressed.html",
    ),
    (
        "says its not their debt",
        "faq/customer-says-the-debt-is-not-theirs.html",
    ),
    ("already paid", "faq/customer-says-they-already-paid.html"),
    (
        "stop calling me",
        "faq/customer-asks-you-to-stop-calling.html",
    ),
    (
        "harassment",
        "faq/customer-says-you-are-harassing-them.html",
    ),
    ("payment plan", "faq/customer-asks-for-a-payment-plan.html"),
    ("settlement offer", "faq/customer-asks-for-a-discount.html"), // synonym: settlement → discount
    ("activ listening", "techniques/active-listening.html"),       // misspelling
    (
        "taking over escalated call",
        "playbooks/taking-over-an-escalated-call.html",
    ),
    (
        "someone else answers the phone",
        "faq/third-party-answers-the-phone.html",
    ),
    ("has a lawyer", "faq/customer-says-they-have-a-lawyer.html"),
    ("driving", "faq/customer-is-driving-or-busy.html"),
];

#[test]
fn representative_queries_put_the_right_entry_in_the_top_3() {
    let Some(_) = require_chromium() else {
        return;
    };
    let base = server().url("/");
    let mut failures = Vec::new();
    for (query, expected) in QUERIES {
        let page = Page::open(&query_url(&base, query));
        page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0 || document.getElementById('search-status').textContent !== ''");
        let results = page.results();
        let want = format!("../{expected}");
        if !results.iter().take(3).any(|r| r == &want) {
            failures.push(format!(
                "{query:?}: expected {expected} in top 3, got {:?}",
                &results[..results.len().min(3)]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_title_situation_and_alias_typed_exactly_ranks_its_entry_first() {
    let Some(_) = require_chromium() else {
        return;
    };
    // A query loads the bodies' postings and the one text shard, which
    // holds the aliases.
    let page = Page::open(&query_url(&server().url("/"), "sue"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && !!(window.SAYWHEN_TEXT || {})[0]");
    // Every entry's title (a playbook's, a technique card's, an FAQ's
    // question, which holds its situation) and every alias, typed as
    // written, puts that entry in first place as an exact match. The one
    // exception is the documented precedence: an alias that is another
    // entry's own title puts that entry first, and its own entry second.
    let phrases = page.eval(
        r#"(function () {
            var S = window.SAYWHEN_SEARCH, api = window.saywhenSearch, out = [];
            var url = function (x) { return S.docs[x.doc][1] + (x.exact ? " (exact " + x.exact + ")" : ""); };
            S.docs.forEach(function (d, i) {
              var aliases = window.SAYWHEN_TEXT[Math.floor(i / S.shard)][i % S.shard][3];
              [d[0]].concat(aliases).forEach(function (p, n) {
                var key = api.analyse(p).exactKey;
                var titled = n === 0 ? -1 : S.docs.findIndex(function (o, j) { return j !== i && o[4][0] === key; });
                var want = titled >= 0 ? [S.docs[titled][1] + " (exact 2)", d[1] + " (exact 1)"] : [d[1] + " (exact " + (n === 0 ? 2 : 1) + ")"];
                var r = api.search(p, {});
                out.push({ phrase: p, kind: S.kinds[d[2]], key: key, want: want,
                           got: r.slice(0, want.length).map(url), top: r.slice(0, 3).map(url) });
              });
            });
            return out;
        })()"#,
    );
    let phrases = phrases.as_array().expect("phrases");
    let count = |kind: &str| phrases.iter().filter(|p| p["kind"] == kind).count();
    for kind in ["playbook", "technique", "faq"] {
        assert!(count(kind) > 0, "no {kind} titles checked: {phrases:?}");
    }
    let failures: Vec<String> = phrases
        .iter()
        .filter(|p| p["got"] != p["want"])
        .map(|p| {
            format!(
                "{} (key {}): want {}, top 3 {}",
                p["phrase"], p["key"], p["want"], p["top"]
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn faq_results_answer_first_with_a_say_phrase_and_highlights() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&query_url(&server().url("/"), "threatens to sue"));
    // The say-phrase comes with the text shard, rendered as soon as it loads.
    page.wait_for("window.saywhenSearch.bodyLoaded() && !!document.querySelector('#search-results > li .result-say')");
    let first = page.eval(
        "(function(){ var li = document.querySelector('#search-results > li');
          return { links: li.querySelectorAll('a').length,
                   title: li.querySelector('a').innerHTML,
                   say: (li.querySelector('.result-say .phrase-text') || {}).textContent,
                   copy: !!li.querySelector('.result-say button.copy'),
                   kind: li.querySelector('.kind-badge').textContent }; })()",
    );
    assert_eq!(first["links"], 1, "one link per result: {first}");
    assert_eq!(
        first["title"],
        "What should I say when the customer <mark>threatens</mark> to <mark>sue</mark>?"
    );
    assert_eq!(first["kind"], "FAQ");
    // The phrase shown is the one holding the query's words: "sue" also
    // matches its synonym "legal action", which only the second holds.
    assert!(
        first["say"]
            .as_str()
            .unwrap()
            .starts_with("I'm going to note on your account that you've mentioned legal action"),
        "{first}"
    );
    assert_eq!(first["copy"], true);
    // Snippets show the matched words highlighted once the text shard loads.
    page.wait_for(
        "Array.from(document.querySelectorAll('#search-results .snippet mark')).length > 0",
    );
}

#[test]
fn only_kinds_whose_title_is_a_situation_show_a_say_phrase_in_results() {
    let Some(_) = require_chromium() else {
        return;
    };
    // Technique cards hold say-phrases too; their results show none.
    let page = Page::open(&query_url(&server().url("/"), "active listening"));
    page.wait_for(
        "Array.from(document.querySelectorAll('#search-results .snippet mark')).length > 0",
    );
    let results = page.eval(
        "(function(){ var S = window.SAYWHEN_SEARCH;
          return Array.from(document.querySelectorAll('#search-results > li')).map(function (li) {
            var kind = li.className.match(/kind-(\\w+)/)[1];
            return { kind: kind, derives: S.kind_derives_title[S.kinds.indexOf(kind)],
                     say: !!li.querySelector('.result-say') }; }); })()",
    );
    let results = results.as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["kind"] == "technique" && r["derives"] == false),
        "{results:?}"
    );
    assert!(results.iter().any(|r| r["say"] == true), "{results:?}");
    for r in results {
        assert!(r["say"] == false || r["derives"] == true, "{r}");
    }
}

#[test]
fn an_alias_match_shows_the_alias() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&query_url(&server().url("/"), "take us to court"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && !!document.querySelector('#search-results > li .result-alias')");
    let alias = page.eval(
        "(document.querySelector('#search-results > li .result-alias') || {}).textContent || ''",
    );
    assert!(
        alias.as_str().unwrap().contains("take us to court"),
        "{alias}"
    );
}

#[test]
fn keyboard_moves_through_results_and_enter_opens() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&query_url(&server().url("/"), "calm"));
    // The list is drawn again when the body postings arrive and again when
    // the text shard does, which would take the focus away from a result:
    // wait for both, seen in the list as every result's snippet.
    page.wait_for(
        "window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 2
         && Array.from(document.querySelectorAll('#search-results .snippet')).every(s => s.textContent !== '')",
    );
    page.run("window.firstResult = document.querySelector('#search-results > li')");
    let results = page.results();
    page.eval("document.getElementById('search-page-input').focus()");
    page.press("ArrowDown");
    assert_eq!(
        page.eval("document.activeElement.getAttribute('href')"),
        Value::String(results[0].clone())
    );
    page.press("ArrowDown");
    assert_eq!(
        page.eval("document.activeElement.getAttribute('href')"),
        Value::String(results[1].clone())
    );
    page.press("ArrowUp");
    page.press("ArrowUp");
    assert_eq!(page.eval("document.activeElement.id"), "search-page-input");
    page.press("ArrowDown");
    page.press("ArrowDown");
    assert_eq!(
        page.eval("document.contains(window.firstResult)"),
        true,
        "the list was drawn again while the keys were pressed"
    );
    page.press("Enter");
    let want = results[1].trim_start_matches("../").to_string();
    page.wait_for(&format!("location.pathname.endsWith({want:?})"));
}

#[test]
fn slash_focuses_the_search_box_from_any_page() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&format!(
        "{}faq/customer-goes-silent.html",
        server().url("/")
    ));
    assert_ne!(page.eval("document.activeElement.id"), "site-search");
    page.press("/");
    assert_eq!(page.eval("document.activeElement.id"), "site-search");
    // Typing there and pressing Enter lands on the search page with the query.
    page.tab.type_str("supervisor").unwrap();
    page.press("Enter");
    page.wait_for("location.pathname.endsWith('/search/index.html') && window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    assert_eq!(
        page.eval("new URLSearchParams(location.search).get('q')"),
        "supervisor"
    );
}

#[test]
fn typing_updates_the_url_and_back_returns_to_the_previous_search() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&format!("{}search/index.html", server().url("/")));
    page.type_text("#search-page-input", "sue");
    page.wait_for("new URLSearchParams(location.search).get('q') === 'sue' && window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    page.wait_for("window.saywhenSearch.committed()");
    page.eval("document.getElementById('search-page-input').select()");
    page.tab.type_str("supervisor").unwrap();
    page.wait_for("new URLSearchParams(location.search).get('q') === 'supervisor'");
    let supervisor_first = page.results()[0].clone();
    // Open a result, then come back: the search is still there.
    page.eval("document.querySelector('#search-results > li > a').click()");
    page.wait_for("!location.pathname.endsWith('/search/index.html')");
    page.eval("history.back()");
    page.wait_for("location.pathname.endsWith('/search/index.html') && window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    assert_eq!(
        page.eval("document.getElementById('search-page-input').value"),
        "supervisor"
    );
    assert_eq!(page.results()[0], supervisor_first);
    // Back again: the earlier query and its results.
    page.eval("history.back()");
    page.wait_for("document.getElementById('search-page-input').value === 'sue'");
    assert_eq!(page.results()[0], "../faq/customer-threatens-to-sue.html");
}

#[test]
fn filters_by_kind_and_tag() {
    let Some(_) = require_chromium() else {
        return;
    };
    let base = server().url("/");
    let page = Page::open(&format!("{}&kind=technique", query_url(&base, "calm")));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    let results = page.results();
    assert!(
        results.iter().all(|r| r.starts_with("../techniques/")),
        "{results:?}"
    );
    assert_eq!(
        page.eval("document.getElementById('search-kind').value"),
        "technique"
    );

    let page = Page::open(&format!("{}&tag=legal", query_url(&base, "customer")));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    let untagged = page.eval(
        "(function(){ var S = window.SAYWHEN_SEARCH, legal = S.tags.indexOf('legal');
           return Array.from(document.querySelectorAll('#search-results > li > a')).map(a => a.getAttribute('href').replace('../',''))
             .filter(u => !S.docs.some(d => d[1] === u && d[3].indexOf(legal) >= 0)); })()",
    );
    assert_eq!(untagged, Value::Array(vec![]));
    // Changing a filter updates the URL.
    page.run("var k = document.getElementById('search-kind'); k.value = 'faq'; k.dispatchEvent(new Event('change'))");
    page.wait_for("new URLSearchParams(location.search).get('kind') === 'faq'");
    assert!(page.results().iter().all(|r| r.starts_with("../faq/")));
}

#[test]
fn works_under_a_sub_path() {
    let Some(_) = require_chromium() else {
        return;
    };
    let site = build_bundled(Some("http://intranet.example/support/kb/"));
    let server = saywhen::serve::http::Server::start(
        site.path().join("public"),
        "/support/kb/".into(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let base = server.url("/support/kb/");
    let page = Page::open(&query_url(&base, "threatens to sue"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    let href = page.eval("document.querySelector('#search-results > li > a').href");
    assert_eq!(
        href,
        Value::String(format!("{base}faq/customer-threatens-to-sue.html"))
    );
    page.eval("document.querySelector('#search-results > li > a').click()");
    page.wait_for("document.querySelector('h1') && document.querySelector('h1').textContent.includes('threatens to sue')");
    // The stylesheet loaded from the sub-path too.
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('.phrase-say')).borderTopStyle"),
        "solid"
    );
}

#[test]
fn works_from_disk() {
    let Some(_) = require_chromium() else {
        return;
    };
    let url = format!("file://{}/", bundled_site().display());
    let page = Page::open(&query_url(&url, "wants my manager"));
    page.wait_for("window.saywhenSearch.bodyLoaded() && document.querySelectorAll('#search-results > li').length > 0");
    assert_eq!(
        page.results()[0],
        "../faq/customer-demands-a-supervisor.html"
    );
}

#[test]
fn browser_stemmer_agrees_with_the_index_stemmer() {
    let Some(_) = require_chromium() else {
        return;
    };
    // Every word of the bundled content, plus the classic edge cases.
    let mut words = std::collections::BTreeSet::new();
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            words.extend(saywhen::search::tokenize::words(
                &std::fs::read_to_string(entry.path()).unwrap(),
            ));
        }
    }
    for w in [
        "generously",
        "communities",
        "arsenal",
        "skies",
        "dying",
        "innings",
        "proceed",
        "cries",
        "ties",
        "gaps",
        "gas",
        "kiwis",
        "hoping",
        "hopping",
        "fizzed",
        "relational",
        "hesitancy",
        "digitizer",
        "feudalism",
        "callousness",
        "triplicate",
        "formative",
        "electrical",
        "adjustable",
        "replacement",
        "adoption",
        "controll",
        "yelling",
        "sayings",
        "enjoying",
        "knightly",
        "consignment",
        "by",
        "cry",
        "early",
        "news",
        "idly",
        // Each of the spelling rules, and words they must leave alone.
        "recognise",
        "organisational",
        "analysing",
        "colours",
        "favourite",
        "honourable",
        "fuelled",
        "counsellors",
        "centre",
        "metres",
        "fibres",
        "catalogues",
        "cheques",
        "practising",
        "prise",
        "raise",
        "four",
        "yours",
        "called",
        "spelling",
        "analysis",
    ] {
        words.insert(w.to_string());
    }
    let words: Vec<String> = words.into_iter().collect();
    let tokenizer = saywhen::search::tokenize::Tokenizer::default();
    let page = Page::open(&format!("{}search/index.html", server().url("/")));
    page.wait_for("!!window.saywhenSearch");
    let js = format!(
        "{}.map(w => window.saywhenSearch.stem(w))",
        serde_json::to_string(&words).unwrap()
    );
    let browser = page.eval(&js);
    let browser: Vec<&str> = browser
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mismatches: Vec<String> = words
        .iter()
        .zip(&browser)
        .filter(|(w, b)| tokenizer.stem(w) != **b)
        .map(|(w, b)| format!("{w}: index {} browser {b}", tokenizer.stem(w)))
        .collect();
    assert!(words.len() > 1500, "vocabulary too small: {}", words.len());
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}

#[test]
fn the_bundled_index_is_compact() {
    // The index is what the first results need plus the body postings.
    let mut index = std::fs::read(bundled_site().join("search/index.js")).unwrap();
    index.extend(std::fs::read(bundled_site().join("search/body.js")).unwrap());
    let gz = crate::support::gzip_len(&index);
    // Per entry, so the bound holds as entries are added; a quarter above
    // the size docs/search.md gives, so a format change that makes the
    // index markedly bigger fails here.
    let entries = script_json(bundled_site(), "search/index.js", "window.SAYWHEN_SEARCH=")["docs"]
        .as_array()
        .unwrap()
        .len();
    assert!(entries >= 50, "bundled entries: {entries}");
    assert!(
        gz <= entries * 460,
        "search index is {gz} bytes gzipped for {entries} entries, {} per entry",
        gz / entries
    );
}

/// The JSON value a search script of `site` assigns after `prefix`.
fn script_json(site: &Path, name: &str, prefix: &str) -> Value {
    let text = std::fs::read_to_string(site.join(name)).unwrap();
    let json = text
        .trim_end()
        .strip_prefix(prefix)
        .unwrap()
        .strip_suffix(';')
        .unwrap();
    serde_json::from_str(json).unwrap()
}

#[test]
fn body_only_postings_are_split_off_and_counted_in_df() {
    let site = bundled_site();
    let index = script_json(site, "search/index.js", "window.SAYWHEN_SEARCH=");
    let body = script_json(site, "search/body.js", "window.SAYWHEN_BODY=");
    let (head, body, df) = (
        index["postings"].as_array().unwrap(),
        body.as_array().unwrap(),
        index["df"].as_array().unwrap(),
    );
    let terms = index["terms"].as_array().unwrap().len();
    assert_eq!((head.len(), body.len(), df.len()), (terms, terms, terms));
    let mut body_only = 0;
    for i in 0..terms {
        let masks = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_u64().unwrap() % 256)
                .collect::<Vec<_>>()
        };
        assert!(
            masks(&head[i]).iter().all(|&m| m != 128),
            "term {i}: a body-only posting in the head"
        );
        assert!(
            masks(&body[i]).iter().all(|&m| m == 128),
            "term {i}: a field posting in body.js"
        );
        assert_eq!(
            df[i].as_u64().unwrap() as usize,
            masks(&head[i]).len() + masks(&body[i]).len()
        );
        body_only += masks(&body[i]).len();
    }
    assert!(
        body_only > 1000,
        "the bundled site has many body-only postings: {body_only}"
    );
}

/// The page splits text into words exactly as the index does: accents,
/// apostrophes and contractions, characters outside ASCII among plain
/// words, and every file of the bundled content.
#[test]
fn browser_words_agree_with_the_index_words() {
    let Some(_) = require_chromium() else {
        return;
    };
    let mut texts: Vec<String> = [
        "I'll call, he’ll see, we're here, they've paid, I'd say, I'm ok, don't, customer's",
        "O'Dell WE'LL o'reilly he'll's ma'am y'all rock'n'roll",
        "Setting boundaries › Warn once, then end the call—politely’s fine",
        "naïve café's CAFÉ Ærø ß İstanbul a\u{0301}b ’’ x 3AM--ok?",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            texts.push(std::fs::read_to_string(entry.path()).unwrap());
        }
    }
    let page = Page::open(&format!("{}search/index.html", server().url("/")));
    page.wait_for("!!window.saywhenSearch");
    let browser: Vec<Vec<String>> = serde_json::from_value(page.eval(&format!(
        "{}.map(function (t) {{ return window.saywhenSearch.words(t); }})",
        serde_json::to_string(&texts).unwrap()
    )))
    .unwrap();
    for (text, words) in texts.iter().zip(&browser) {
        assert_eq!(
            &saywhen::search::tokenize::words(text),
            words,
            "{}",
            text.chars().take(80).collect::<String>()
        );
    }
}
