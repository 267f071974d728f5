//! `saywhen build`: the pages it writes, atomic replacement, determinism.

use crate::support::*;

#[test]
fn builds_every_page_of_the_site() {
    let kb = Kb::small();
    kb.run(&["build"]).success().stderr_has("built 3 entries");
    for page in [
        "index.html",
        "404.html",
        "sitemap.xml",
        "saywhen.css",
        "saywhen.js",
        "playbooks/index.html",
        "techniques/index.html",
        "faq/index.html",
        "tags/index.html",
        "tags/escalated.html",
        "situations/index.html",
        "search/index.html",
        "playbooks/escalated-call.html",
        "techniques/active-listening.html",
        "faq/customer-threatens-to-sue.html",
    ] {
        assert!(kb.out().join(page).is_file(), "missing {page}");
    }
    let faq = kb.read("faq/customer-threatens-to-sue.html");
    assert!(faq.contains("<h1>What should I say when the customer threatens to sue?</h1>"));
    assert!(faq.contains("Owner: <span class=\"owner\">Compliance</span>"));
    assert!(faq.contains("<span class=\"status-label\">Verified 2026-05-03</span>"));
    let tag = kb.read("tags/escalated.html");
    for url in [
        "../playbooks/escalated-call.html",
        "../techniques/active-listening.html",
        "../faq/customer-threatens-to-sue.html",
    ] {
        assert!(hrefs(&tag).iter().any(|h| h == url), "tag page lacks {url}");
    }
}

#[test]
fn phrase_blocks_render_as_cards_with_copy_buttons() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let faq = kb.read("faq/customer-threatens-to-sue.html");
    // Each card in page order: its kind, its phrase, and its copy button.
    let cards: Vec<(&str, &str, bool)> = faq
        .split("<figure class=\"phrase phrase-")
        .skip(1)
        .map(|card| {
            let card = &card[..card.find("</figure>").expect("a closed card")];
            let kind = &card[..card.find('"').unwrap()];
            let text = card
                .split_once("<blockquote class=\"phrase-text\">")
                .and_then(|(_, rest)| rest.split_once("</blockquote>"))
                .map(|(text, _)| text)
                .expect("the phrase");
            let copy = card.contains("<button type=\"button\" class=\"copy\"");
            (kind, text, copy)
        })
        .collect();
    assert_eq!(
        cards,
        [
            ("say", "I hear you.", true),
            ("say", "Let me note that.", true),
            ("avoid", "Go ahead then.", true),
        ]
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/draft.md",
        &entry("title = \"Draft\"\ndraft = true", "[[escalated-call]]"),
    );
    kb.run(&["build"]).success();
    assert!(!kb.out().join("techniques/draft.html").exists());
    kb.run(&["build", "--drafts"]).success();
    assert!(kb.out().join("techniques/draft.html").exists());
    // A published entry linking to a draft is an error that says so.
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "[[draft]] [[escalated-call]]",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: link to draft entry `draft`");
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    let before = tree(&kb.out());
    kb.write(
        "content/faq/broken.md",
        &entry("situation = \"x\"", "[[nowhere]]"),
    );
    kb.run(&["build"]).failure(1).stderr_has("build failed: ");
    assert_eq!(tree(&kb.out()), before);
    let leftovers: Vec<_> = std::fs::read_dir(kb.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_output_is_replaced_whole() {
    let kb = Kb::small();
    kb.run(&["build"]).success();
    kb.remove("content/techniques/active-listening.md");
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"",
            "[[escalated-call]]",
        ),
    );
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry("title = \"Escalated\"", "[[customer-threatens-to-sue]]"),
    );
    kb.run(&["build"]).success();
    assert!(
        !kb.out().join("techniques/active-listening.html").exists(),
        "stale page survived"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let kb = Kb::small();
    let a = kb.path().join("a");
    let b = kb.path().join("b");
    kb.run(&["build", "--output", a.to_str().unwrap()])
        .success();
    kb.run(&["build", "--output", b.to_str().unwrap()])
        .success();
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() > 10);
    assert_eq!(ta, tb);
    // No absolute path of the build machine leaks into the output.
    let root = kb.path().to_string_lossy().into_owned();
    for (path, bytes) in &ta {
        assert!(
            !String::from_utf8_lossy(bytes).contains(&root),
            "{path} contains the build path"
        );
    }
}

/// Enough entries, of every kind and cross-linked, that each stage splits
/// its work between threads many times over: more than one text shard of
/// search, many tags and A–Z letters, related entries and backlinks.
fn many_entries_kb(n: usize) -> Kb {
    let kb = Kb::small();
    let words = [
        "Ärger",
        "bill",
        "Éclair",
        "zebra",
        "İstanbul",
        "apple",
        "Banana",
        "refund",
    ];
    for i in 0..n {
        let word = words[i % words.len()];
        let tags = format!("[\"t{}\", \"{}\"]", i % 37, words[(i / 3) % words.len()]);
        let links = format!(
            "[[e{:04}]] [[e{:04}#say-it]] [[escalated-call]]",
            (i + 1) % n,
            // An FAQ's: a playbook's sections are its numbered steps.
            (i * 7 + 3) % n / 3 * 3
        );
        let (folder, front, body) = match i % 3 {
            0 => (
                "faq",
                format!(
                    "situation = \"the caller mentions {word} {i}\"\naliases = [\"{word} number {i}\"]"
                ),
                format!("## Say it\n\n```say\nAbout {word} {i}: I hear you.\n```\n\n{links}\n"),
            ),
            1 => (
                "techniques",
                format!(
                    "title = \"{word} technique {i}\"\nrelated = [\"e{:04}\"]",
                    (i + 2) % n
                ),
                format!("## Say it\n\nListen to {word}.\n\n{links}\n"),
            ),
            _ => (
                "playbooks",
                format!("title = \"{word} playbook {i}\""),
                format!("## Say it\n\nOpen.\n\n## Close\n\nClose on {word}. {links}\n"),
            ),
        };
        kb.write(
            &format!("content/{folder}/e{i:04}.md"),
            &entry(&format!("{front}\ntags = {tags}"), &body),
        );
    }
    kb
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let kb = many_entries_kb(700);
    let mut first: Option<(String, _)> = None;
    for jobs in ["1", "2", "8"] {
        let out = kb.path().join(format!("jobs-{jobs}"));
        kb.run(&["build", "--jobs", jobs, "--output", out.to_str().unwrap()])
            .success()
            .stderr_has("built 703 entries");
        let built = tree(&out);
        match &first {
            None => first = Some((jobs.to_string(), built)),
            Some((one, expected)) => {
                let differ: Vec<&String> = expected
                    .iter()
                    .filter(|(p, b)| built.get(*p) != Some(b))
                    .map(|(p, _)| p)
                    .collect();
                assert!(
                    differ.is_empty() && expected.len() == built.len(),
                    "--jobs {jobs} differs from --jobs {one} in {differ:?}"
                );
            }
        }
    }
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let kb = Kb::small();
    kb.write("mine/notes.txt", "precious");
    let mine = kb.path().join("mine");
    kb.run(&["build", "--output", mine.to_str().unwrap()])
        .failure(2)
        .stderr_has(
            "was not created by saywhen (no .saywhen-output file inside); refusing to replace it",
        );
    assert_eq!(
        std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
        "precious"
    );
    kb.run(&["build", "--output", mine.to_str().unwrap(), "--force"])
        .success();
    assert!(!mine.join("notes.txt").exists());
}

#[test]
fn site_templates_override_the_theme() {
    let kb = Kb::small();
    kb.write(
        "templates/tags.html",
        "<p>custom tags page for {{ site.title }}</p>",
    );
    kb.write("static/logo.svg", "<svg/>");
    kb.run(&["build"]).success();
    assert_eq!(
        kb.read("tags/index.html"),
        "<p>custom tags page for Test KB</p>"
    );
    assert_eq!(kb.read("logo.svg"), "<svg/>");
    assert!(
        kb.read("index.html").contains("saywhen.css"),
        "other templates still come from the theme"
    );
}

/// A template may loop over a table of values (`site.extra`, an entry's
/// `extra`); the order is the table's, sorted by key, on every build.
#[test]
fn a_template_looping_over_a_table_writes_the_same_bytes_every_time() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[extra]\nzeta = 3\nalpha = 1\nmid = 2\nbeta = 4\ngamma = 5\n"),
    );
    kb.write(
        "templates/tags.html",
        "{% for key, value in site.extra %}{{ key }}={{ value }};{% endfor %}",
    );
    kb.run(&["build"]).success();
    let first = kb.read("tags/index.html");
    assert_eq!(first, "alpha=1;beta=4;gamma=5;mid=2;zeta=3;");
    for _ in 0..3 {
        kb.run(&["build"]).success();
        assert_eq!(kb.read("tags/index.html"), first);
    }
}

/// `faq.html` (or `playbook.html`, `technique.html`) renders its kind's
/// entries in place of `entry.html`, with the same values.
#[test]
fn a_template_for_one_kind_renders_that_kind_only() {
    let kb = Kb::small();
    kb.write(
        "templates/faq.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"faq-only\">{{ entry.situation }}: {% for e in entry.related %}{{ e.title }}{% endfor %}</p>{% endblock main %}",
    );
    kb.run(&["build"]).success();
    let faq = kb.read("faq/customer-threatens-to-sue.html");
    assert!(
        faq.contains("<p class=\"faq-only\">the customer threatens to sue: Active listening"),
        "{faq}"
    );
    assert!(
        !faq.contains("entry-layout"),
        "entry.html did not render it"
    );
    let playbook = kb.read("playbooks/escalated-call.html");
    assert!(!playbook.contains("faq-only"));
    assert!(playbook.contains("entry-layout"));
}

#[test]
fn a_broken_template_is_an_error_naming_it() {
    let kb = Kb::small();
    kb.write("templates/tags.html", "<h1>Tags</h1>\n{% if %}\n");
    kb.run(&["build"])
        .failure(1)
        .stderr_has("error: template error: Found `%}` but expected one of:")
        .stderr_has(" --> templates/tags.html:2:7\n  |\n2 | {% if %}\n  |       ^^\n");
    assert!(!kb.out().exists());
}

/// A filter, component or block that does not exist is reported where it
/// is written, every one of them in one run.
#[test]
fn every_unknown_name_in_the_templates_is_reported_at_once() {
    let kb = Kb::small();
    kb.write(
        "templates/tags.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ tags | shout }}</p>\n{{ <tag_cloud /> }}\n{% endblock main %}\n{% block sidebar %}{% endblock sidebar %}\n",
    );
    let help = "  = help: fix the template syntax; see https://keats.github.io/tera/docs/ for tera's syntax\n";
    for command in ["check", "build"] {
        kb.run(&[command])
            .failure(1)
            .stderr_has(&format!("error: template error: Unknown filter `shout`\n --> templates/tags.html:3:14\n  |\n3 | <p>{{{{ tags | shout }}}}</p>\n  |              ^^^^^\n{help}"))
            .stderr_has("error: template error: Unknown component `tag_cloud`\n --> templates/tags.html:4:4\n")
            .stderr_has("error: template error: Block `sidebar` is not defined in any parent template\n --> templates/tags.html:6:10\n")
            .stderr_has("3 errors");
    }
}

/// Templates written for Tera 1 get told the Tera 2 way: components for
/// macros, named arguments for tests.
#[test]
fn a_tera_1_template_is_told_the_tera_2_way() {
    let kb = Kb::small();
    kb.write(
        "templates/macros.html",
        "{% macro badge(kind) %}<b>{{ kind }}</b>{% endmacro badge %}\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: template error: Unknown tag\n --> templates/macros.html:1:4\n")
        .stderr_has("  = help: saywhen's templates are Tera 2, which has components instead of macros: define `{% component name(arg) %}…{% endcomponent name %}` in any template (the default theme's are in components.html) and call it as `{{ <name arg={value} /> }}`, with no import\n");
    kb.write(
        "templates/macros.html",
        "{% component badge(kind) %}<b>{{ kind }}</b>{% endcomponent badge %}\n",
    );
    kb.write(
        "templates/tags.html",
        "<p>{% if page_url is starting_with(\"tags/\") %}here{% endif %}</p>\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has(" --> templates/tags.html:1:36\n")
        .stderr_has("  = help: in Tera 2 a test takes named arguments, as `page_url is starting_with(pat=\"tags/\")`\n");
    kb.write(
        "templates/tags.html",
        "<p>{% if page_url is starting_with(pat=\"tags/\") %}here{% endif %}</p>\n",
    );
    kb.run(&["build"]).success();
    assert_eq!(kb.read("tags/index.html"), "<p>here</p>\n");
}

/// A template that fails while rendering a page points at the failing line,
/// which may be in another template than the page's own.
#[test]
fn a_template_failing_on_a_page_points_at_its_line() {
    let kb = Kb::small();
    kb.write(
        "templates/components.html",
        "{% component entry_list(entries, root, show_kind=false) %}\n<ul>{% for e in entries %}\n<li>{{ e.summary }}</li>{% endfor %}</ul>\n{% endcomponent entry_list %}\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: template `home.html` failed for index.html: Field `summary` is not defined.")
        .stderr_has("error: template `tag.html` failed for tags/")
        .stderr_has(" --> templates/components.html:3:10\n  |\n3 | <li>{{ e.summary }}</li>{% endfor %}</ul>\n  |          ^^^^^^^\n")
        .stderr_has("  = help: fix the template, or remove the override in templates/ to use the theme's\n");
}

#[test]
fn content_escapes_into_text_everywhere() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/x.md",
        &entry(
            "title = \"</script><img src=x onerror=alert(1)> {{ site }}\"\ntags = [\"<b>\"]\naliases = [\"\\\"quoted\\\" & <i>\"]",
            "<script>alert(1)</script>\n\n```say\n</blockquote><script>alert(2)</script>\n```\n\n[[escalated-call]]\n",
        ),
    );
    kb.run(&["build"]).success();
    for (path, bytes) in tree(&kb.out()) {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("<img src=x"), "{path} has unescaped markup");
        assert!(
            !text.contains("<script>alert"),
            "{path} has an injected script"
        );
        assert!(!text.contains("<b>"), "{path} has an unescaped tag");
    }
    let page = kb.read("techniques/x.html");
    assert!(page.contains("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; {{ site }}"));
}

#[test]
fn a_static_file_never_replaces_a_generated_page() {
    let kb = Kb::small();
    kb.write(
        "static/faq/customer-threatens-to-sue.html",
        "<p>stale copy</p>",
    );
    kb.write("static/tags/index.html", "<p>mine</p>");
    kb.write("static/search/index.js", "mine");
    let help = "  = help: rename or move the file; to change how a page looks, override its template in templates/ instead\n";
    for command in ["build", "check"] {
        kb.run(&[command])
            .failure(1)
            .stderr_has(&format!(
                "error: file would replace `faq/customer-threatens-to-sue.html`, which saywhen generates (the page of content/faq/customer-threatens-to-sue.md)\n --> static/faq/customer-threatens-to-sue.html\n{help}"
            ))
            .stderr_has("error: file would replace `tags/index.html`, which saywhen generates\n --> static/tags/index.html\n")
            .stderr_has("error: file would replace `search/index.js`, which saywhen generates\n --> static/search/index.js\n")
            .stderr_has("3 errors");
    }
    assert!(!kb.out().exists(), "a failed build wrote its output");
    // Other names in static/ are copied, and may replace the theme's files.
    for file in [
        "static/faq/customer-threatens-to-sue.html",
        "static/tags/index.html",
        "static/search/index.js",
    ] {
        kb.remove(file);
    }
    kb.write("static/faq/handout.html", "<p>mine</p>");
    kb.write("static/saywhen.css", "body{}");
    kb.run(&["build"]).success();
    assert_eq!(kb.read("faq/handout.html"), "<p>mine</p>");
    assert_eq!(kb.read("saywhen.css"), "body{}");
}
