//! What the README promises of a site's settings and its authors' tools:
//! `theme = "name"`, `static/` over a theme's files, `weight`,
//! `related_limit`, `[[lint.required]]` by tags, same-page anchors,
//! `init --force` and `new playbook`.

use crate::support::*;
use scraper::{Html, Selector};
use std::path::Path;

/// The `href`s of the links `selector` picks on a built page.
fn links(kb: &Kb, page: &str, selector: &str) -> Vec<String> {
    let doc = Html::parse_document(&kb.read(page));
    let selector = Selector::parse(selector).unwrap();
    doc.select(&selector)
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let target = to.join(item.path().strip_prefix(from).unwrap());
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// The default theme copied to `themes/plain/`, its layout and stylesheet
/// marked so its pages can be told from the built-in theme's.
fn plain_theme(kb: &Kb) {
    let theme = kb.path().join("themes/plain");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &theme,
    );
    let base = theme.join("templates/base.html");
    let layout = std::fs::read_to_string(&base).unwrap();
    assert!(layout.contains("</body>"));
    std::fs::write(
        &base,
        layout.replace("</body>", "<p id=\"plain-theme\">plain</p>\n</body>"),
    )
    .unwrap();
    kb.write("themes/plain/static/saywhen.css", "/* plain */\n");
    kb.write("themes/plain/static/plain.js", "// plain\n");
}

fn with_theme(kb: &Kb, name: &str) {
    kb.write("site.toml", &format!("{SITE_TOML}theme = \"{name}\"\n"));
}

fn html_pages(kb: &Kb) -> Vec<(String, String)> {
    tree(&kb.out())
        .into_iter()
        .filter(|(rel, _)| rel.ends_with(".html"))
        .map(|(rel, bytes)| (rel, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn theme_name_picks_the_folder_under_themes() {
    let kb = Kb::small();
    plain_theme(&kb);
    // Without the setting the built-in theme is used, whatever themes/ holds.
    kb.run(&["build"]).success();
    assert!(
        html_pages(&kb)
            .iter()
            .all(|(_, text)| !text.contains("id=\"plain-theme\""))
    );
    assert_ne!(kb.read("saywhen.css"), "/* plain */\n");

    with_theme(&kb, "plain");
    kb.run(&["build"]).success();
    let pages = html_pages(&kb);
    assert!(pages.len() > 5, "{pages:?}");
    for (rel, text) in &pages {
        assert!(text.contains("id=\"plain-theme\""), "{rel} is not plain's");
    }
    assert_eq!(kb.read("saywhen.css"), "/* plain */\n");
    assert_eq!(kb.read("plain.js"), "// plain\n");

    with_theme(&kb, "missing");
    kb.run(&["build"])
        .failure(1)
        .stderr_has("error: theme `missing` not found\n --> site.toml");
}

#[test]
fn a_file_in_static_replaces_the_theme_file_of_that_name() {
    for theme in [None, Some("plain")] {
        let kb = Kb::small();
        if let Some(name) = theme {
            plain_theme(&kb);
            with_theme(&kb, name);
        }
        kb.write("static/saywhen.css", "/* the site's own */\n");
        kb.run(&["build"]).success();
        assert_eq!(
            kb.read("saywhen.css"),
            "/* the site's own */\n",
            "theme {theme:?}"
        );
        // The theme's other files stay.
        let script = match theme {
            None => std::fs::read_to_string(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/saywhen.js"),
            )
            .unwrap(),
            Some(_) => {
                std::fs::read_to_string(kb.path().join("themes/plain/static/saywhen.js")).unwrap()
            }
        };
        assert_eq!(kb.read("saywhen.js"), script, "theme {theme:?}");
    }
}

#[test]
fn weight_orders_listings_lower_first_then_by_title() {
    let kb = Kb::new();
    for (slug, title, weight) in [
        ("charlie", "Charlie", Some(10)),
        ("delta", "Delta", None),
        ("bravo", "Bravo", Some(0)),
        ("alpha", "alpha", None),
        ("zulu", "Zulu", Some(-1)),
    ] {
        let weight = weight.map_or(String::new(), |w| format!("\nweight = {w}"));
        kb.write(
            &format!("content/techniques/{slug}.md"),
            &entry(
                &format!("title = \"{title}\"\ntags = [\"shared\"]{weight}"),
                "Text.\n",
            ),
        );
    }
    kb.run(&["build"]).success();
    // Lower weights first; no weight is 0; equal weights by title, in any
    // case.
    let order = ["zulu", "alpha", "bravo", "delta", "charlie"];
    let listed = |page: &str, root: &str| {
        let expected: Vec<String> = order
            .iter()
            .map(|s| format!("{root}techniques/{s}.html"))
            .collect();
        assert_eq!(
            links(&kb, page, "ul.entry-list > li > a"),
            expected,
            "{page}"
        );
    };
    listed("techniques/index.html", "../");
    listed("tags/shared.html", "../");
}

#[test]
fn related_lists_named_entries_first_then_shared_tags_up_to_related_limit() {
    let kb = Kb::new();
    let technique = |slug: &str, front: &str| {
        kb.write(
            &format!("content/techniques/{slug}.md"),
            &entry(&format!("title = \"{slug}\"\n{front}"), "Text.\n"),
        );
    };
    technique("hub", "tags = [\"a\", \"b\", \"c\"]\nrelated = [\"named\"]");
    technique("named", "");
    technique("one-a", "tags = [\"a\"]");
    technique("one-b", "tags = [\"b\"]");
    technique("three", "tags = [\"a\", \"b\", \"c\"]");
    technique("two-ab", "tags = [\"a\", \"b\"]");
    technique("two-bc", "tags = [\"b\", \"c\"]");
    technique("one-c", "tags = [\"c\"]");
    let related = || links(&kb, "techniques/hub.html", "section.related a");
    let cards = |slugs: &[&str]| -> Vec<String> {
        slugs
            .iter()
            .map(|s| format!("../techniques/{s}.html"))
            .collect()
    };
    // The default limit is 5: the named entry, then by shared tags, ties
    // in listing order (by title).
    kb.run(&["build"]).success();
    assert_eq!(
        related(),
        cards(&["named", "three", "two-ab", "two-bc", "one-a"])
    );
    kb.write("site.toml", &format!("{SITE_TOML}related_limit = 2\n"));
    kb.run(&["build"]).success();
    assert_eq!(related(), cards(&["named", "three"]));
    kb.write("site.toml", &format!("{SITE_TOML}related_limit = 0\n"));
    kb.run(&["build"]).success();
    assert_eq!(related(), Vec::<String>::new());
}

#[test]
fn a_required_snippet_scoped_by_tags_binds_only_the_entries_carrying_them() {
    let kb = Kb::new();
    kb.write(
        "content/_snippets/recorded-call-notice.md",
        "This call is recorded.\n",
    );
    let entry_at = |rel: &str, front: &str, notice: bool| {
        let body = if notice {
            "```snippet recorded-call-notice\n```\n"
        } else {
            "No notice.\n"
        };
        kb.write(rel, &entry(front, body));
    };
    entry_at(
        "content/playbooks/outbound-without.md",
        "title = \"Outbound without\"\ntags = [\"outbound\"]",
        false,
    );
    entry_at(
        "content/playbooks/outbound-with.md",
        "title = \"Outbound with\"\ntags = [\"outbound\"]",
        true,
    );
    entry_at(
        "content/playbooks/inbound.md",
        "title = \"Inbound\"\ntags = [\"inbound\"]",
        false,
    );
    entry_at(
        "content/faq/outbound-question.md",
        "situation = \"the customer asks why we called\"\ntags = [\"outbound\"]",
        false,
    );
    let rule = |kind: &str| {
        format!(
            "{SITE_TOML}[[lint.required]]\nname = \"outbound-notice\"\nsnippet = \"recorded-call-notice\"\n{kind}tags = [\"outbound\"]\nmessage = \"outbound calls must give the recording notice\"\n"
        )
    };
    // The files flagged, in file order.
    let flagged = |check: &Run| -> Vec<String> {
        let mut files: Vec<String> = check
            .stderr
            .split(
                "error: missing required snippet `recorded-call-notice` (outbound-notice)\n --> ",
            )
            .skip(1)
            .map(|rest| rest.split(':').next().unwrap().to_string())
            .collect();
        files.sort();
        files
    };

    // Of a kind and tagged: the outbound playbook without the notice only.
    kb.write("site.toml", &rule("kind = \"playbook\"\n"));
    let check = kb.run(&["check"]);
    check
        .failure(1)
        .stderr_has("every playbook tagged outbound must include it");
    assert_eq!(flagged(&check), ["content/playbooks/outbound-without.md"]);

    // Tagged, of any kind: the FAQ entry too.
    kb.write("site.toml", &rule(""));
    let check = kb.run(&["check"]);
    check
        .failure(1)
        .stderr_has("every entry tagged outbound must include it");
    assert_eq!(
        flagged(&check),
        [
            "content/faq/outbound-question.md",
            "content/playbooks/outbound-without.md"
        ]
    );
}

#[test]
fn links_to_headings_on_the_same_page_are_checked() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "## How to do it\n\nSee [how](#how-to-do-it). [[escalated-call]]\n",
        ),
    );
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "Start at [the first step](#step-1). [[customer-threatens-to-sue]] [[active-listening]]\n\n## Prepare\n\nThen [open](#step-2).\n\n## Open the call\n\nSay your name.\n",
        ),
    );
    kb.run(&["build"]).success();
    assert!(
        kb.read("techniques/active-listening.html")
            .contains("<a href=\"#how-to-do-it\">how</a>")
    );
    let steps = links(&kb, "playbooks/escalated-call.html", "a[href^='#step-']");
    assert!(steps.contains(&"#step-1".to_string()), "{steps:?}");
    assert!(steps.contains(&"#step-2".to_string()), "{steps:?}");

    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "## How to do it\n\nSee [how](#how-to-do-iy). [[escalated-call]]\n",
        ),
    );
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "Start at [the last step](#step-9). [[customer-threatens-to-sue]] [[active-listening]]\n\n## Prepare\n\nRead.\n\n## Open the call\n\nSay your name.\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: link to missing heading `#how-to-do-iy` in this page\n --> content/techniques/active-listening.md:6:")
        .stderr_has("help: did you mean `#how-to-do-it`?")
        .stderr_has("error: link to missing heading `#step-9` in this page\n --> content/playbooks/escalated-call.md:4:")
        .stderr_has("2 errors");
}

#[test]
fn init_force_adds_the_starter_files_and_keeps_existing_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    std::fs::create_dir_all(dir.join("content/faq")).unwrap();
    let mine = [
        ("site.toml", SITE_TOML.to_string()),
        ("notes.txt", "my notes\n".to_string()),
        (
            "content/faq/customer-demands-a-supervisor.md",
            entry(
                "situation = \"the customer demands a supervisor\"",
                "My own words.\n",
            ),
        ),
    ];
    for (rel, text) in &mine {
        std::fs::write(dir.join(rel), text).unwrap();
    }
    let before = tree(&dir);
    let root = dir.to_str().unwrap();
    saywhen(&["init", root])
        .failure(2)
        .stderr_has("is not empty");
    assert_eq!(tree(&dir), before, "refused: nothing written");

    saywhen(&["init", root, "--force", "--today", TODAY]).success();
    let after = tree(&dir);
    for (rel, text) in &mine {
        assert_eq!(after[*rel], text.as_bytes(), "{rel} kept");
    }
    let added: Vec<&String> = after.keys().filter(|k| !before.contains_key(*k)).collect();
    assert_eq!(
        added,
        [
            "content/playbooks/taking-over-an-escalated-call.md",
            "content/techniques/active-listening.md",
            "search-tests.toml"
        ]
    );
}

#[test]
fn new_playbook_writes_the_kinds_sections_and_checks_clean() {
    let kb = Kb::small();
    let run = kb.run(&["new", "playbook", "Handling a chargeback"]);
    run.success();
    let rel = "content/playbooks/handling-a-chargeback.md";
    assert!(run.stdout.trim_end().ends_with(rel), "{}", run.stdout);
    let text = std::fs::read_to_string(kb.path().join(rel)).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"Handling a chargeback\"\n"),
        "{text}"
    );
    let headings: Vec<&str> = text.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(headings, ["## First step", "## Second step"]);
    kb.run(&["check"]).success().stderr_has("0 errors");
    kb.run(&["build"]).success();
    let page = "playbooks/handling-a-chargeback.html";
    assert_eq!(
        links(&kb, page, "#playbook-steps a"),
        ["#step-1", "#step-2"],
        "the step outline"
    );
}
