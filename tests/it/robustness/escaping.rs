//! Hostile text: markup, script, event handlers and template syntax in
//! every field and in the body must come out as text in HTML, attributes,
//! JSON, XML and the browser; raw HTML passes only when allowed.

use super::{HANG_GUARD, run_within};
use crate::support::*;
use std::time::Duration;

/// Text that must come out as text: closes a script, breaks out of an
/// attribute, runs an event handler, and looks like a template.
const HOSTILE: &str =
    "</script><img src=x onerror=\"window.__pwned=1\"> \"q\" 'a' & {{ site.title }} {% raw %}";

/// Markup characters in the path: a query, which would carry them too, is
/// refused in a base URL.
const HOSTILE_BASE_URL: &str = "https://intranet.example/kb&b=<2>/";

fn hostile_kb() -> Kb {
    let kb = Kb::small();
    let toml_str = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    kb.write(
        "site.toml",
        &format!("title = \"KB </title><script>window.__pwned=5</script>\"\nbase_url = {HOSTILE_BASE_URL:?}\n"),
    );
    kb.write(
        "content/faq/hostile.md",
        &entry(
            &format!(
                "situation = {situation}\ndescription = {description}\ntags = [{tag}]\naliases = [{alias}]\nowner = {owner}",
                situation = toml_str(&format!("pwnzor {HOSTILE}")),
                description = toml_str(&format!("pwnzor description {HOSTILE}")),
                tag = toml_str("<img src=x onerror=window.__pwned=2>"),
                alias = toml_str(&format!("pwnzor alias {HOSTILE}")),
                owner = toml_str(HOSTILE),
            ),
            &format!(
                "## Heading {HOSTILE}\n\n```say\npwnzor phrase </blockquote><script>window.__pwned=3</script> {HOSTILE}\n```\n\n<script>window.__pwned=4</script>\n\nBody {{{{ x }}}} [[escalated-call]] [[hostile|label {HOSTILE}]]\n"
            ),
        ),
    );
    kb
}

#[test]
fn hostile_text_renders_as_text_in_html_attributes_json_and_xml() {
    use scraper::{Html, Selector};
    // The theme's own scripts, from a build of harmless content: the only
    // scripts any page may hold, whatever the content.
    let script = Selector::parse("script").unwrap();
    let scripts_of = |files: &std::collections::BTreeMap<String, Vec<u8>>| {
        let mut found = std::collections::BTreeSet::new();
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            for el in doc.select(&script) {
                let src = el.value().attr("src").unwrap_or("").to_string();
                found.insert((path.clone(), src, el.inner_html()));
            }
        }
        found
    };
    // Under the hostile site's base URL, whose path `404.html` links from.
    let harmless = Kb::small();
    harmless.write(
        "site.toml",
        &format!("title = \"Harmless\"\nbase_url = {HOSTILE_BASE_URL:?}\n"),
    );
    harmless.run(&["build"]).success();
    let theme_scripts: std::collections::BTreeSet<(String, String)> =
        scripts_of(&tree(&harmless.out()))
            .into_iter()
            .map(|(_, src, inline)| (src, inline))
            .collect();
    assert!(!theme_scripts.is_empty());

    let kb = hostile_kb();
    kb.run(&["build"]).success();
    let situation = format!("pwnzor {HOSTILE}");
    let title = format!("What should I say when {situation}?");
    let files = tree(&kb.out());
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<img src=x"), "{path}: unescaped <img>");
        assert!(!text.contains("<script>window"), "{path}: injected script");
        if !path.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&text);
        for el in doc.select(&Selector::parse("*").unwrap()) {
            let name = el.value().name();
            assert!(
                !["img", "iframe", "object", "embed", "svg", "style"].contains(&name),
                "{path}: a <{name}> element"
            );
            for (attr, value) in el.value().attrs() {
                assert!(!attr.starts_with("on"), "{path}: <{name} {attr}=…>");
                assert!(
                    !value
                        .trim_start()
                        .to_ascii_lowercase()
                        .starts_with("javascript:"),
                    "{path}: {attr}={value}"
                );
            }
        }
    }
    for (path, src, inline) in scripts_of(&files) {
        assert!(
            theme_scripts.contains(&(src.clone(), inline.clone())),
            "{path}: a script the theme does not have: src={src:?} {inline:?}"
        );
    }
    // The text round-trips: what the author wrote is what the agent reads.
    let page = Html::parse_document(&kb.read("faq/hostile.html"));
    let one = |css: &str| {
        page.select(&Selector::parse(css).unwrap())
            .next()
            .unwrap_or_else(|| panic!("no {css}"))
    };
    assert_eq!(one("h1").text().collect::<String>(), title);
    assert_eq!(
        one("title").text().collect::<String>(),
        format!("{title} · KB </title><script>window.__pwned=5</script>")
    );
    assert_eq!(
        one("meta[name=description]").value().attr("content"),
        Some(format!("pwnzor description {HOSTILE}").as_str())
    );
    let phrase = one("blockquote.phrase-text").text().collect::<String>();
    assert_eq!(
        phrase,
        format!("pwnzor phrase </blockquote><script>window.__pwned=3</script> {HOSTILE}")
    );
    let body = one("main").text().collect::<String>();
    assert!(
        body.contains("<script>window.__pwned=4</script>"),
        "raw HTML shown as text"
    );
    assert!(body.contains("Body {{ x }}"));
    assert!(body.contains(&format!("label {HOSTILE}")));

    // The search index: JSON with no raw markup characters at all.
    let index = kb.read("search/index.js");
    let json = index
        .strip_prefix("window.SAYWHEN_SEARCH=")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("index shape");
    assert!(!json.contains(['<', '>', '&']), "raw markup in the index");
    assert!(json.contains("\\u003c/script\\u003e"));
    let value: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let docs = value["docs"].as_array().unwrap();
    assert!(
        docs.iter().any(|d| d[0].as_str() == Some(title.as_str())),
        "the title round-trips through the index"
    );
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with("search/text-")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains(['<', '>']), "{path}");
    }

    // The sitemap: escaped XML; the base URL's `&` and `<` are entities.
    let sitemap = kb.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://intranet.example/kb&amp;b=&lt;2&gt;/faq/hostile.html</loc>"),
        "{sitemap}"
    );
    let inner: String = sitemap
        .split("<loc>")
        .skip(1)
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert!(!inner.contains(['<', '>', '"']));
    assert!(
        inner.matches('&').count()
            == inner.matches("&amp;").count()
                + inner.matches("&lt;").count()
                + inner.matches("&gt;").count()
    );
}

#[test]
fn raw_html_is_text_by_default_and_passes_only_when_allowed() {
    let kb = Kb::small();
    kb.write(
        "content/faq/raw.md",
        &entry(
            "situation = \"raw html\"",
            "Press <kbd>Ctrl</kbd> then [[escalated-call]].\n\n<div class=\"note\">Block</div>\n",
        ),
    );
    run_within(&kb, &["build"], HANG_GUARD).success();
    let page = kb.read("faq/raw.html");
    assert!(
        page.contains("Press &lt;kbd&gt;Ctrl&lt;/kbd&gt; then"),
        "{page}"
    );
    // Quotes in text need no escaping; `<` and `>` do.
    assert!(
        page.contains("<p>&lt;div class=\"note\"&gt;Block&lt;/div&gt;"),
        "{page}"
    );
    assert!(!page.contains("<kbd>") && !page.contains("<div class=\"note\">"));

    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nraw_html = \"allow\"\n"),
    );
    run_within(&kb, &["build"], HANG_GUARD).success();
    let page = kb.read("faq/raw.html");
    assert!(page.contains("Press <kbd>Ctrl</kbd> then"), "{page}");
    assert!(page.contains("<div class=\"note\">Block</div>"), "{page}");

    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nraw_html = \"sanitize\"\n"),
    );
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: invalid site.toml: unknown variant `sanitize`, expected `escape` or `allow`\n --> site.toml:4:12\n");
}

#[test]
fn hostile_entry_is_inert_in_the_browser() {
    use crate::browser::{Page, query_url, require_chromium};
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = hostile_kb();
    kb.run(&["build"]).success();
    let server =
        saywhen::serve::http::Server::start(kb.out(), "/".into(), "127.0.0.1:0".parse().unwrap())
            .expect("start server");
    let base = server.url("/");
    let pwned = "typeof window.__pwned";

    // The entry page itself.
    let page = Page::open(&format!("{base}faq/hostile.html"));
    page.wait_for("document.readyState === 'complete'");
    assert_eq!(page.eval(pwned), "undefined");
    assert_eq!(page.eval("document.images.length"), 0);
    assert_eq!(
        page.eval("document.querySelector('h1').textContent"),
        format!("What should I say when pwnzor {HOSTILE}?")
    );

    // Search for it: the results are drawn with innerHTML from the index.
    let search = Page::open(&query_url(&base, "pwnzor"));
    search.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    search.wait_for("document.querySelector('#search-results .snippet') !== null");
    assert_eq!(search.eval(pwned), "undefined");
    assert_eq!(search.eval("document.images.length"), 0);
    assert_eq!(
        search.eval(
            "document.querySelectorAll('#search-results script, #search-results img').length"
        ),
        0
    );
    let shown = search.eval("document.querySelector('#search-results > li > a').textContent");
    assert_eq!(shown, format!("What should I say when pwnzor {HOSTILE}?"));
    let say = search.eval("document.querySelector('#search-results .phrase-text').textContent");
    assert!(
        say.as_str()
            .unwrap_or("")
            .contains("</blockquote><script>window.__pwned=3</script>"),
        "{say}"
    );
    // An alias match shows the alias, still as text.
    let alias = Page::open(&query_url(&base, "pwnzor alias"));
    alias.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    assert_eq!(alias.eval(pwned), "undefined");
    assert_eq!(alias.eval("document.images.length"), 0);
    // The tag filter lists the hostile tag as text.
    assert_eq!(
        search.eval("Array.from(document.querySelectorAll('#search-tag option')).some(o => o.textContent === '<img src=x onerror=window.__pwned=2>')"),
        true
    );
    // The A–Z index and the tag page.
    for url in ["situations/index.html", "tags/index.html"] {
        let p = Page::open(&format!("{base}{url}"));
        p.wait_for("document.readyState === 'complete'");
        assert_eq!(p.eval(pwned), "undefined", "{url}");
        assert_eq!(p.eval("document.images.length"), 0, "{url}");
    }
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(search.eval(pwned), "undefined");
}
