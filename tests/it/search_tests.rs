//! Authors' search tests (`search-tests.toml`), run by `saywhen check` with
//! the page's own script in an embedded engine: a failure's diagnostic,
//! mistakes in the file, and the engine agreeing with the browser.

use crate::browser::{Page, require_chromium, server};
use crate::support::{Kb, entry};

/// A knowledge base where "manager" finds the supervisor entry first and
/// the escalation playbook second.
fn kb() -> Kb {
    let kb = Kb::new();
    kb.write(
        "content/faq/customer-demands-a-supervisor.md",
        &entry(
            "situation = \"the customer demands a supervisor\"\naliases = [\"caller wants my manager\"]",
            "```say\nI can ask my supervisor to join.\n```\n",
        ),
    );
    kb.write(
        "content/playbooks/taking-over-an-escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "## Prepare\n\nRead the notes your manager left.\n",
        ),
    );
    kb.write(
        "content/techniques/active-listening.md",
        &entry("title = \"Active listening\"", "Listen, then sum up.\n"),
    );
    kb
}

#[test]
fn passing_tests_say_nothing() {
    let kb = kb();
    kb.write(
        "search-tests.toml",
        "[[test]]\nquery = \"caller wants my manager\"\nexpect = \"customer-demands-a-supervisor\"\ntop = 1\n",
    );
    kb.run(&["check"]).success().stderr_lacks("search test");
}

#[test]
fn a_failing_test_names_its_line_query_rank_and_what_ranked_above() {
    let kb = kb();
    kb.write(
        "search-tests.toml",
        "top = 3\n\n[[test]]\nquery = \"manager\"\nexpect = \"customer-demands-a-supervisor\"\n\n[[test]]\nquery = \"manager\"\nexpect = \"taking-over-an-escalated-call\"\ntop = 1\n",
    );
    let run = kb.run(&["check"]);
    run.failure(1)
        .stderr_has("search-tests.toml:8:")
        .stderr_has("search test failed: “manager” should find taking-over-an-escalated-call within the top 1, but it ranks 2")
        .stderr_has("ranked above it: 1. What should I say when the customer demands a supervisor? (content/faq/customer-demands-a-supervisor.md)")
        .stderr_has("give content/playbooks/taking-over-an-escalated-call.md an alias");
    // The first test passes: one error, not two.
    assert_eq!(
        run.stderr.matches("search test failed").count(),
        1,
        "{}",
        run.stderr
    );

    let json = kb.run(&["check", "--format", "json"]);
    json.failure(1);
    let items: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i.get("search_test").is_some())
        .unwrap_or_else(|| panic!("no search_test in {}", json.stdout));
    assert_eq!(item["file"], "search-tests.toml");
    assert_eq!(item["line"], 8);
    let t = &item["search_test"];
    assert_eq!(t["query"], "manager");
    assert_eq!(t["expect"], "taking-over-an-escalated-call");
    assert_eq!(t["top"], 1);
    assert_eq!(t["rank"], 2);
    assert_eq!(
        t["above"][0]["file"],
        "content/faq/customer-demands-a-supervisor.md"
    );
}

#[test]
fn an_entry_no_result_finds_is_reported_as_not_found() {
    let kb = kb();
    kb.write(
        "search-tests.toml",
        "[[test]]\nquery = \"zeppelin\"\nexpect = \"active-listening\"\n",
    );
    kb.run(&["check"]).failure(1).stderr_has(
        "“zeppelin” should find active-listening within the top 3, but no result finds it",
    );
}

#[test]
fn mistakes_in_the_file_are_errors_at_their_line_and_every_one_is_reported() {
    let kb = kb();
    kb.write(
        "search-tests.toml",
        "[[test]]\nquery = \"manager\"\nexpect = \"customer-demands-a-superviser\"\n\n[[test]]\nquery = \"listen\"\nexpect = \"active-listening\"\ntop = 0\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("search-tests.toml:3:")
        .stderr_has("expects `customer-demands-a-superviser`, which is no entry")
        .stderr_has("did you mean `customer-demands-a-supervisor`?")
        .stderr_has("search-tests.toml:8:")
        .stderr_has("`top` must be 1 or more");

    kb.write(
        "search-tests.toml",
        "[[test]]\nquery = \"manager\"\nexpected = \"x\"\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("search-tests.toml:3:")
        .stderr_has("invalid search-tests.toml: unknown field `expected`");
}

#[test]
fn build_does_not_run_search_tests() {
    let kb = kb();
    kb.write(
        "search-tests.toml",
        "[[test]]\nquery = \"zeppelin\"\nexpect = \"active-listening\"\n",
    );
    kb.run(&["build"]).success();
}

#[test]
fn the_bundled_knowledge_base_passes_its_own_search_tests() {
    let root = env!("CARGO_MANIFEST_DIR");
    let tests = std::fs::read_to_string(format!("{root}/search-tests.toml")).unwrap();
    assert!(tests.matches("[[test]]").count() >= 10, "{tests}");
    crate::support::saywhen(&["--root", root, "check"])
        .success()
        .stderr_lacks("search test");
}

/// Queries made from the bundled site's own words: whole words, words cut
/// short as if still being typed, and words with a letter dropped or two
/// swapped, one to four at a time. Deterministic, so a failure repeats.
fn generated_queries(vocabulary: &[String], count: usize) -> Vec<String> {
    let mut seed: u64 = 0x5eed;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    (0..count)
        .map(|_| {
            let words = 1 + next(4);
            let mut q: Vec<String> = (0..words)
                .map(|_| {
                    let w: Vec<char> = vocabulary[next(vocabulary.len())].chars().collect();
                    match next(5) {
                        0 if w.len() > 4 => w[..w.len() - 2].iter().collect(),
                        1 if w.len() > 5 => {
                            let at = 1 + next(w.len() - 2);
                            w.iter()
                                .enumerate()
                                .filter(|(i, _)| *i != at)
                                .map(|(_, c)| c)
                                .collect()
                        }
                        2 if w.len() > 5 => {
                            let mut w = w.clone();
                            let at = 1 + next(w.len() - 3);
                            w.swap(at, at + 1);
                            w.into_iter().collect()
                        }
                        _ => w.into_iter().collect(),
                    }
                })
                .collect();
            if next(3) == 0 {
                q.insert(0, "what should i say when the customer".into());
            }
            q.join(" ")
        })
        .collect()
}

/// `check` ranks with the page's script in an embedded engine; this shows
/// the engine's order is the browser's. For each generated query the
/// browser's first five results become five tests: the k-th result within
/// the top k. All pass only if the engine puts the same five entries in
/// the same order.
#[test]
fn check_ranks_exactly_as_the_browser_does() {
    let Some(_) = require_chromium() else {
        return;
    };
    let page = Page::open(&format!("{}search/index.html", server().url("/")));
    page.wait_for("window.saywhenSearch && window.saywhenSearch.bodyLoaded()");
    let vocabulary: Vec<String> = serde_json::from_value(page.eval(
        "Array.from(new Set(window.SAYWHEN_SEARCH.docs.flatMap(function (d) { return window.saywhenSearch.words(d[0]); }).concat(Object.values(window.SAYWHEN_TEXT || {}).flat().flatMap(function (t) { return window.saywhenSearch.words(t[0]).slice(0, 60); })))).filter(function (w) { return w.length > 2; }).sort()",
    ))
    .unwrap();
    assert!(vocabulary.len() > 100, "{}", vocabulary.len());
    let queries = generated_queries(&vocabulary, 600);
    let ranked: Vec<Vec<String>> = serde_json::from_value(page.eval(&format!(
        "{}.map(function (q) {{ return window.saywhenSearch.search(q, {{}}).slice(0, 5).map(function (r) {{ return window.SAYWHEN_SEARCH.docs[r.doc][1]; }}); }})",
        serde_json::to_string(&queries).unwrap()
    )))
    .unwrap();
    let slug = |url: &str| {
        url.rsplit('/')
            .next()
            .unwrap()
            .trim_end_matches(".html")
            .to_string()
    };
    let mut file = String::new();
    let mut tests = 0;
    for (q, urls) in queries.iter().zip(&ranked) {
        for (k, url) in urls.iter().enumerate() {
            file.push_str(&format!(
                "[[test]]\nquery = {}\nexpect = {:?}\ntop = {}\n\n",
                toml_string(q),
                slug(url),
                k + 1
            ));
            tests += 1;
        }
    }
    assert!(
        tests > 1000,
        "only {tests} tests: most queries found nothing"
    );
    let kb = tempfile::tempdir().unwrap();
    copy_bundled(kb.path());
    std::fs::write(kb.path().join("search-tests.toml"), file).unwrap();
    let run = crate::support::saywhen(&["--root", kb.path().to_str().unwrap(), "check"]);
    let failures: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("search test failed"))
        .take(10)
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {tests} ranks differ, e.g.:\n{}",
        run.stderr.matches("search test failed").count(),
        failures.join("\n")
    );
    run.success();
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The bundled knowledge base's site.toml and content/, without its own
/// search tests.
fn copy_bundled(to: &std::path::Path) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("site.toml"), to.join("site.toml")).unwrap();
    for file in walk(&root.join("content")) {
        let rel = file.strip_prefix(root).unwrap();
        std::fs::create_dir_all(to.join(rel).parent().unwrap()).unwrap();
        std::fs::copy(&file, to.join(rel)).unwrap();
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
