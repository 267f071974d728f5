//! Broken and hostile input: every mistake an author can make becomes a
//! clear message naming the file (and line), with exit code 1 or a warning,
//! never a panic or a hang; hostile text renders as text everywhere; and
//! property tests throw generated Markdown and front matter at the pipeline.
//!
//! Inputs the cargo-fuzz target (fuzz/) finds are kept at the end of this
//! file as `fuzz_*` tests, so they stay fixed.

use crate::support::*;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A knowledge base with the small cross-linked one plus `files`.
fn kb_with(files: &[(&str, &str)]) -> Kb {
    let kb = Kb::small();
    for (path, text) in files {
        kb.write(path, text);
    }
    kb
}

/// Runs `saywhen --root <kb> ARGS`, failing the test if it takes longer
/// than `limit` (a hang is a bug too) or dies of a signal (a crash).
#[track_caller]
fn run_within(kb: &Kb, args: &[&str], limit: Duration) -> Run {
    let mut child = kb
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start saywhen");
    let started = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("saywhen {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        run.code >= 0,
        "saywhen was killed by a signal\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "saywhen panicked:\n{}",
        run.stderr
    );
    run
}

const MINUTE: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------
// Encodings, line endings, empty and broken front matter
// ---------------------------------------------------------------------------

#[test]
fn non_utf8_bytes_name_the_file_line_and_column() {
    let kb = Kb::small();
    // "Café" in Windows-1252 on line 5.
    kb.write_bytes(
        "content/faq/latin1.md",
        b"+++\nsituation = \"latin1\"\n+++\n\nCaf\xe9 au lait\n",
    );
    // Notepad's "Unicode": UTF-16 with a byte-order mark.
    let utf16: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain("+++\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    kb.write_bytes("content/faq/utf16.md", &utf16);
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has(
            "error: file is not valid UTF-8 (bad byte 0xe9 on line 5)\n --> content/faq/latin1.md:5:4\n",
        )
        .stderr_has("5 | Caf\u{fffd} au lait\n")
        .stderr_has("help: save the file with UTF-8 encoding")
        .stderr_has("error: file is UTF-16, not UTF-8\n --> content/faq/utf16.md\n")
        .stderr_has("2 errors");
}

#[test]
fn a_utf8_bom_is_ignored() {
    let kb = Kb::small();
    kb.write(
        "content/faq/bom.md",
        "\u{feff}+++\nsituation = \"the file starts with a BOM\"\n+++\n[[escalated-call]] and [[nowhere]]\n",
    );
    // Lines and columns are those an editor shows: the BOM is invisible.
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("link to unknown entry `nowhere`\n --> content/faq/bom.md:4:26\n")
        .stderr_lacks("front matter");
    kb.write(
        "content/faq/bom.md",
        "\u{feff}+++\nsituation = \"the file starts with a BOM\"\n+++\n[[escalated-call]]\n",
    );
    run_within(&kb, &["build"], MINUTE).success();
    let page = kb.read("faq/bom.html");
    assert!(page.contains("<h1>What should I say when the file starts with a BOM?</h1>"));
    assert!(!page.contains('\u{feff}'));
}

#[test]
fn crlf_line_endings_just_work() {
    let kb = Kb::small();
    let crlf = |s: &str| s.replace('\n', "\r\n");
    kb.write(
        "content/faq/windows.md",
        &crlf(
            "+++\nsituation = \"the file was saved on Windows\"\ntags = [\"legal\"]\n+++\n## What to say\n\n```say\nI hear you.\nLet me check.\n\nSecond phrase.\n```\n\nThen [[escalated-call#step-1]].\n",
        ),
    );
    run_within(&kb, &["build"], MINUTE).success();
    let page = kb.read("faq/windows.html");
    assert!(!page.contains('\r'), "a carriage return reached the page");
    assert!(
        page.contains("<blockquote class=\"phrase-text\">I hear you. Let me check.</blockquote>")
    );
    assert!(page.contains("<blockquote class=\"phrase-text\">Second phrase.</blockquote>"));
    assert!(page.contains("id=\"what-to-say\""));
    assert!(page.contains("href=\"../playbooks/escalated-call.html#step-1\""));

    // Diagnostics count lines and columns as in a Unix file, and never
    // print the carriage return.
    kb.write(
        "content/faq/windows.md",
        &crlf(
            "+++\nsituation = \"the file was saved on Windows\"\ntags = \"legal\"\n+++\nLine five.\n\nSee [[escalated-call#nope]] and [x](../faq/missing.md).\n",
        ),
    );
    let run = run_within(&kb, &["check"], MINUTE);
    run.failure(1)
        .stderr_has("--> content/faq/windows.md:3:8\n")
        .stderr_has("3 | tags = \"legal\"\n");
    kb.write(
        "content/faq/windows.md",
        &crlf(
            "+++\nsituation = \"the file was saved on Windows\"\n+++\nLine four.\n\nSee [[escalated-call#nope]] and [x](../faq/missing.md).\n",
        ),
    );
    let run = run_within(&kb, &["check"], MINUTE);
    run.failure(1)
        .stderr_has("link to missing heading `#nope` in `playbooks/escalated-call`\n --> content/faq/windows.md:6:7\n")
        .stderr_has("6 | See [[escalated-call#nope]] and [x](../faq/missing.md).\n")
        .stderr_has("link to unknown entry `faq/missing.md`\n --> content/faq/windows.md:6:37\n");
    assert!(!run.stderr.contains('\r'));
}

#[test]
fn an_empty_file_is_an_error_naming_it() {
    let kb = Kb::small();
    kb.write("content/faq/empty.md", "");
    kb.write("content/techniques/blank.md", "\n  \r\n\t\n");
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: empty entry: the file has no front matter and no text\n --> content/faq/empty.md\n")
        .stderr_has("error: empty entry: the file has no front matter and no text\n --> content/techniques/blank.md\n")
        .stderr_has("2 errors");
}

#[test]
fn a_missing_closing_fence_is_an_error_at_line_one() {
    let kb = Kb::small();
    kb.write(
        "content/faq/open.md",
        "+++\nsituation = \"never closed\"\n\nBody text that was meant to follow.\n",
    );
    run_within(&kb, &["build"], MINUTE)
        .failure(1)
        .stderr_has("error: front matter is never closed: no second `+++` line\n --> content/faq/open.md:1:1\n")
        .stderr_has("help: add a line `+++` after the last front matter field");
    // No front matter at all is a different message.
    kb.write("content/faq/open.md", "Just text.\n");
    run_within(&kb, &["check"], MINUTE).failure(1).stderr_has(
        "error: missing front matter: the first line must be `+++`\n --> content/faq/open.md:1:1\n",
    );
}

#[test]
fn yaml_front_matter_shows_the_toml_to_write() {
    let kb = Kb::small();
    kb.write(
        "content/faq/yaml.md",
        "---\nsituation: the customer asks for a refund\ntags: [refund, billing]\ndraft: false\n---\nBody\n",
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: front matter uses YAML (`---`), but saywhen reads TOML between `+++` lines\n --> content/faq/yaml.md:1:1\n")
        .stderr_has("e.g. `situation = \"the customer asks for a refund\"`, `tags = [refund, billing]`, `draft = false`");
}

#[test]
fn wrong_field_types_are_located_and_explained() {
    let kb = Kb::small();
    kb.write(
        "content/faq/types.md",
        &entry("situation = \"types\"\ntags = \"x\"", "[[escalated-call]]"),
    );
    kb.write(
        "content/techniques/weight.md",
        &entry(
            "title = \"Weight\"\n\nweight = \"heavy\"",
            "[[escalated-call]]",
        ),
    );
    kb.write(
        "content/techniques/draft.md",
        &entry("title = \"Draft\"\ndraft = \"yes\"", "[[escalated-call]]"),
    );
    kb.write(
        "content/techniques/date.md",
        &entry(
            "title = \"Date\"\nreviewed = \"2026-01-01\"",
            "[[escalated-call]]",
        ),
    );
    kb.write(
        "content/techniques/aliases.md",
        &entry(
            "title = \"Aliases\"\naliases = [1, 2]",
            "[[escalated-call]]",
        ),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("--> content/faq/types.md:3:8\n")
        .stderr_has("help: lists are written in brackets, as `tags = [\"angry\", \"legal\"]`")
        .stderr_has("--> content/techniques/weight.md:4:10\n")
        .stderr_has("--> content/techniques/draft.md:3:9\n")
        .stderr_has("--> content/techniques/date.md:3:12\n")
        .stderr_has("help: write dates without quotes, as `reviewed = 2026-01-31`")
        .stderr_has("--> content/techniques/aliases.md:3:")
        .stderr_has("5 errors");
}

#[test]
fn deeply_nested_toml_is_an_error_not_a_crash() {
    let kb = Kb::small();
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    kb.write(
        "content/faq/deep.md",
        &entry(&format!("situation = \"deep\"\n[extra]\nx = {deep}"), ""),
    );
    let inline = format!("{}1{}", "{a=".repeat(50_000), "}".repeat(50_000));
    kb.write(
        "content/faq/deep-table.md",
        &entry(
            &format!("situation = \"deep table\"\n[extra]\nx = {inline}"),
            "",
        ),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: invalid front matter: ")
        .stderr_has("--> content/faq/deep.md:4:")
        .stderr_has("--> content/faq/deep-table.md:4:")
        .stderr_has("2 errors");
}

#[test]
fn unusual_but_valid_extra_values_render() {
    let kb = kb_with(&[(
        "content/faq/extra.md",
        &entry(
            "situation = \"odd extra values\"\n[extra]\nnan = nan\ninf = -inf\nwhen = 1979-05-27T07:32:00Z\nat = 07:32:00\nnested = { a = [1, { b = \"<c>\" }] }",
            "[[escalated-call]]",
        ),
    )]);
    run_within(&kb, &["build"], MINUTE).success();
}

// ---------------------------------------------------------------------------
// Two files, one URL
// ---------------------------------------------------------------------------

#[test]
fn names_differing_only_in_case_are_one_url_and_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/Active-Listening.md",
        &entry("title = \"Active listening, again\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: slug `active-listening` is already used by content/techniques/Active-Listening.md\n --> content/techniques/active-listening.md\n")
        .stderr_has("names differing only in case or punctuation collide");
}

#[test]
fn files_in_sub_folders_and_punctuation_variants_collide_too() {
    let kb = Kb::small();
    kb.write(
        "content/faq/billing/customer-threatens-to-sue.md",
        &entry("situation = \"again\"", "[[escalated-call]]"),
    );
    kb.write(
        "content/techniques/active_listening!.md",
        &entry("title = \"Underscore\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: slug `customer-threatens-to-sue` is already used by content/faq/billing/customer-threatens-to-sue.md\n --> content/faq/customer-threatens-to-sue.md\n")
        .stderr_has("error: slug `active-listening` is already used by content/techniques/active-listening.md\n --> content/techniques/active_listening!.md\n");
}

#[test]
fn unicode_names_get_stable_slugs_in_either_normal_form() {
    let kb = Kb::small();
    // The same word in NFC (Linux, Windows) and NFD (as macOS stores names).
    kb.write(
        "content/techniques/Café-crème.md",
        &entry(
            "title = \"Café crème\"",
            "## Über uns\n\n## 顧客が怒っている\n\n[[escalated-call]] [[café-crème#über-uns]] [[Cafe\u{301}-cre\u{300}me#顧客が怒っている]]\n",
        ),
    );
    kb.write(
        "content/faq/İstanbul.md",
        &entry(
            "situation = \"the caller is in İstanbul\"",
            "[[café-crème]]",
        ),
    );
    run_within(&kb, &["build"], MINUTE).success();
    assert!(kb.out().join("techniques/café-crème.html").is_file());
    assert!(kb.out().join("faq/i\u{307}stanbul.html").is_file());
    let page = kb.read("techniques/café-crème.html");
    assert!(page.contains("id=\"über-uns\""));
    assert!(page.contains("id=\"顧客が怒っている\""));
    assert!(page.contains("href=\"../techniques/café-crème.html#顧客が怒っている\""));
    let first = tree(&kb.out());
    run_within(&kb, &["build"], MINUTE).success();
    assert_eq!(first, tree(&kb.out()), "slugs changed between builds");

    // The NFD spelling of the same name is the same slug: a collision.
    kb.write(
        "content/techniques/Cafe\u{301}-Cre\u{300}me.md",
        &entry("title = \"Café crème (mac)\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: slug `café-crème` is already used by");
}

#[test]
fn a_file_name_without_letters_is_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/faq/!!!.md",
        &entry("situation = \"bangs\"", "[[escalated-call]]"),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: file name gives an empty slug\n --> content/faq/!!!.md\n");
}

// ---------------------------------------------------------------------------
// Links
// ---------------------------------------------------------------------------

#[test]
fn links_out_of_content_absolute_paths_and_script_urls_are_refused() {
    let kb = Kb::small();
    kb.write(
        "content/faq/hostile-links.md",
        &entry(
            "situation = \"hostile links\"",
            concat!(
                "[[escalated-call]]\n",
                "[a](../../secret.md)\n",
                "[b](%2e%2e/%2e%2e/site.toml)\n",
                "[c](/etc/passwd)\n",
                "[d](C:\\Windows\\win.ini)\n",
                "[e](javascript:alert(1))\n",
                "[f](JaVaScRiPt:alert(1))\n",
                "![g](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n",
                "[h](vbscript:msgbox)\n",
                "<javascript:alert(2)>\n",
                "[i](file:///etc/passwd)\n",
                "[j](\\\\server\\share\\x.md)\n",
            ),
        ),
    );
    let run = run_within(&kb, &["check"], MINUTE);
    let f = "content/faq/hostile-links.md";
    // From line 10 on, the gutter is one column wider.
    run.failure(1)
        .stderr_has(&format!("error: link `../../secret.md` leaves the content folder\n --> {f}:5:5\n"))
        .stderr_has(&format!("error: link `%2e%2e/%2e%2e/site.toml` leaves the content folder\n --> {f}:6:5\n"))
        .stderr_has(&format!("error: absolute path `/etc/passwd` in a link\n --> {f}:7:5\n"))
        .stderr_has(&format!("error: absolute path `C:\\Windows\\win.ini` in a link\n --> {f}:8:5\n"))
        .stderr_has(&format!("error: unsafe link target `javascript:alert(1)`\n --> {f}:9:5\n"))
        .stderr_has(&format!("error: unsafe link target `JaVaScRiPt:alert(1)`\n  --> {f}:10:5\n"))
        .stderr_has(&format!("error: unsafe link target `data:image/svg+xml;base64,PHN2ZyBvbmxvYW…`\n  --> {f}:11:6\n"))
        .stderr_has(&format!("error: unsafe link target `vbscript:msgbox`\n  --> {f}:12:5\n"))
        .stderr_has(&format!("error: unsafe link target `javascript:alert(2)`\n  --> {f}:13:2\n"))
        .stderr_has(&format!("error: link to a local file `file:///etc/passwd`\n  --> {f}:14:5\n"))
        // Markdown reads `\\` as one backslash; the caret covers both.
        .stderr_has(&format!("error: absolute path `\\server\\share\\x.md` in a link\n  --> {f}:15:5\n   |\n15 | [j](\\\\server\\share\\x.md)\n   |     ^^^^^^^^^^^^^^^^^^^\n"))
        .stderr_has("11 errors");
}

#[test]
fn script_urls_are_allowed_only_when_site_toml_says_so() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nallow_unsafe_links = true\n"),
    );
    kb.write(
        "content/faq/trusted.md",
        &entry(
            "situation = \"trusted\"",
            "[[escalated-call]] [run](javascript:void(0))\n",
        ),
    );
    run_within(&kb, &["build"], MINUTE).success();
    assert!(
        kb.read("faq/trusted.html")
            .contains("href=\"javascript:void(0)\"")
    );
}

#[test]
fn self_links_and_link_cycles_are_fine() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/a.md",
        &entry(
            "title = \"A\"\nrelated = [\"a\", \"b\"]",
            "## Top\n\nMe: [[a]], [here](#top), [[a#top]], [file](a.md). Next: [[b]].\n",
        ),
    );
    kb.write(
        "content/techniques/b.md",
        &entry("title = \"B\"", "Next: [[c]].\n"),
    );
    kb.write(
        "content/techniques/c.md",
        &entry("title = \"C\"", "Back to [[a]] and [[escalated-call]].\n"),
    );
    let run = run_within(&kb, &["build"], MINUTE);
    run.success().stderr_lacks("error");
    let a = kb.read("techniques/a.html");
    assert!(a.contains("href=\"../techniques/a.html\""));
    assert!(a.contains("href=\"#top\""));
    // a is referenced by c (the cycle), not by itself.
    let backlinks = a.split("Referenced by").nth(1).unwrap_or("");
    assert!(backlinks.contains("../techniques/c.html"), "{backlinks}");
}

#[test]
fn a_symlink_loop_in_content_is_a_clear_error_not_a_hang() {
    let kb = Kb::small();
    let content = kb.path().join("content");
    std::os::unix::fs::symlink("..", content.join("faq/up")).unwrap();
    std::os::unix::fs::symlink("self.md", content.join("techniques/self.md")).unwrap();
    let run = run_within(&kb, &["check"], Duration::from_secs(30));
    run.failure(1)
        .stderr_has("error: symbolic link loop in content/\n --> content/faq/up\n")
        .stderr_has("error: symbolic link loop in content/\n --> content/techniques/self.md\n");
}

#[test]
fn symlinks_out_of_content_and_broken_symlinks_are_errors() {
    let kb = Kb::small();
    kb.write("secret.txt", "password=hunter2");
    let content = kb.path().join("content");
    std::os::unix::fs::symlink(kb.path().join("secret.txt"), content.join("faq/notes.txt"))
        .unwrap();
    std::os::unix::fs::symlink("/etc", content.join("faq/etc")).unwrap();
    std::os::unix::fs::symlink("gone.md", content.join("faq/gone-link.md")).unwrap();
    // A link that stays inside content/ is followed as usual.
    kb.write_bytes("content/techniques/chart.png", b"\x89PNG");
    std::os::unix::fs::symlink("../techniques/chart.png", content.join("faq/chart.png")).unwrap();
    let run = run_within(&kb, &["build"], MINUTE);
    run.failure(1)
        .stderr_has("error: symbolic link leads outside content/\n --> content/faq/etc\n")
        .stderr_has("error: symbolic link leads outside content/\n --> content/faq/notes.txt\n")
        .stderr_has("error: broken symbolic link: its target does not exist\n --> content/faq/gone-link.md\n")
        .stderr_has("3 errors");
    assert!(!kb.out().exists());
}

// ---------------------------------------------------------------------------
// Size and depth
// ---------------------------------------------------------------------------

#[test]
fn a_10_mb_entry_and_a_100k_character_line_build_in_reasonable_time() {
    let kb = Kb::small();
    let paragraph = "The customer says the bill is wrong, and asks **why** we charged twice; see [[active-listening]].\n\n";
    let big = paragraph.repeat(10 * 1024 * 1024 / paragraph.len() + 1);
    assert!(big.len() >= 10 * 1024 * 1024);
    kb.write(
        "content/faq/big.md",
        &entry("situation = \"a very big entry\"", &big),
    );
    let line: String = "word ".repeat(20_000);
    assert_eq!(line.len(), 100_000);
    kb.write(
        "content/faq/long-line.md",
        &entry(
            "situation = \"one very long line\"",
            &format!("[[escalated-call]] {line}\n"),
        ),
    );
    let started = Instant::now();
    run_within(&kb, &["build"], Duration::from_secs(120)).success();
    let took = started.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    let page = std::fs::metadata(kb.out().join("faq/big.html")).unwrap();
    assert!(page.len() > 10 * 1024 * 1024);
    assert!(kb.read("faq/long-line.html").contains(&line[..1000]));

    // A problem at the end of the long line is shown around its column.
    kb.write(
        "content/faq/long-line.md",
        &entry(
            "situation = \"one very long line\"",
            &format!("[[escalated-call]] {line}[[nowhere]]\n"),
        ),
    );
    let run = run_within(&kb, &["check"], MINUTE);
    run.failure(1).stderr_has(
        "error: link to unknown entry `nowhere`\n --> content/faq/long-line.md:4:100022\n",
    );
    let shown = run
        .stderr
        .lines()
        .find(|l| l.starts_with("4 | "))
        .expect("the source line is shown");
    assert!(shown.chars().count() < 200, "{shown}");
    assert!(shown.contains("word [[nowhere]]"), "{shown}");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let kb = Kb::small();
    let n = 10_000;
    kb.write(
        "content/faq/quotes.md",
        &entry(
            "situation = \"deep quotes\"",
            &format!("{} deep [[escalated-call]]\n", ">".repeat(n)),
        ),
    );
    kb.write(
        "content/faq/lists.md",
        &entry(
            "situation = \"deep lists\"",
            &format!("{}deep [[escalated-call]]\n", "- ".repeat(n)),
        ),
    );
    kb.write(
        "content/faq/numbered.md",
        &entry(
            "situation = \"deep numbered lists\"",
            &format!("{}deep\n", "1. ".repeat(n)),
        ),
    );
    kb.write(
        "content/faq/mixed.md",
        &entry(
            "situation = \"deep mixed\"",
            &format!(
                "{}## A heading with a [[escalated-call]] link\n\n```say\nstill a phrase\n```\n",
                "> - ".repeat(n / 2)
            ),
        ),
    );
    kb.write(
        "content/faq/inline.md",
        &entry(
            "situation = \"deep inline\"",
            // The innermost `[x](#deep-inline)` is a link (links do not
            // nest); it points at the heading, so the build succeeds.
            &format!(
                "## Deep inline\n\n{}x{}\n\n{}x{}\n\n{}\n",
                "*".repeat(n),
                "*".repeat(n),
                "[".repeat(n),
                "](#deep-inline)".repeat(n),
                "<".repeat(n)
            ),
        ),
    );
    run_within(&kb, &["build"], Duration::from_secs(120)).success();
    let quotes = kb.read("faq/quotes.html");
    assert_eq!(quotes.matches("<blockquote>").count(), n);
    assert!(kb.read("faq/lists.html").matches("<ul>").count() >= n);
    let mixed = kb.read("faq/mixed.html");
    assert!(
        mixed.contains("id=\"a-heading-with-a-escalated-call-link\""),
        "heading id"
    );
    assert!(mixed.contains("still a phrase"));
    let inline = kb.read("faq/inline.html");
    assert_eq!(inline.matches("<a href=\"#deep-inline\">x</a>").count(), 1);
}

// ---------------------------------------------------------------------------
// Files beside entries, tags
// ---------------------------------------------------------------------------

#[test]
fn images_and_pdfs_beside_entries_are_copied_whole_and_links_checked() {
    let kb = Kb::small();
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n"
        .iter()
        .copied()
        .chain((0..=255u8).cycle().take(4096))
        .collect();
    kb.write_bytes("content/faq/flow chart.png", &png);
    kb.write_bytes("content/playbooks/script.pdf", b"%PDF-1.7\n\x00\xff binary");
    kb.write_bytes("content/faq/.DS_Store", b"junk");
    kb.write_bytes("content/faq/notes.txt~", b"editor backup");
    kb.write(
        "content/faq/assets.md",
        &entry(
            "situation = \"files beside entries\"",
            "![chart](flow%20chart.png) [script](../playbooks/script.pdf#page=2) [[escalated-call]]\n",
        ),
    );
    run_within(&kb, &["build"], MINUTE).success();
    assert_eq!(
        std::fs::read(kb.out().join("faq/flow chart.png")).unwrap(),
        png
    );
    assert_eq!(
        std::fs::read(kb.out().join("playbooks/script.pdf")).unwrap(),
        b"%PDF-1.7\n\x00\xff binary"
    );
    assert!(!kb.out().join("faq/.DS_Store").exists());
    assert!(!kb.out().join("faq/notes.txt~").exists());
    let page = kb.read("faq/assets.html");
    assert!(page.contains("src=\"../faq/flow%20chart.png\""), "{page}");
    assert!(page.contains("href=\"../playbooks/script.pdf#page=2\""));

    kb.write(
        "content/faq/assets.md",
        &entry(
            "situation = \"files beside entries\"",
            "[[escalated-call]]\n\n![chart](flowchart.png) [script](script.pdf)\n",
        ),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: link to missing file `flowchart.png`\n --> content/faq/assets.md:6:10\n  |\n6 | ![chart](flowchart.png) [script](script.pdf)\n  |          ^^^^^^^^^^^^^\n")
        .stderr_has("error: link to missing file `script.pdf`\n --> content/faq/assets.md:6:34\n")
        .stderr_has("no file `content/faq/script.pdf` exists");
}

#[test]
fn tags_differing_in_case_or_spacing_are_one_tag_and_warned() {
    let kb = Kb::small();
    kb.write(
        "content/faq/tags.md",
        &entry(
            "situation = \"tag spelling\"\ntags = [\"Legal\", \" legal \", \"ANGRY   Caller\"]",
            "[[escalated-call]]",
        ),
    );
    kb.write(
        "content/techniques/tags2.md",
        &entry(
            "title = \"Tags two\"\ntags = [\"angry caller\"]",
            "[[escalated-call]]",
        ),
    );
    let run = run_within(&kb, &["build"], MINUTE);
    run.success()
        .stderr_has("warning: tag `Legal` is normalized to `legal`\n --> content/faq/tags.md:3:1\n")
        .stderr_has("warning: tag ` legal ` is normalized to `legal`")
        .stderr_has("warning: tag `ANGRY   Caller` is normalized to `angry caller`")
        .stderr_lacks("`angry caller` is normalized");
    let tag = kb.read("tags/angry-caller.html");
    assert!(tag.contains("../faq/tags.html") && tag.contains("../techniques/tags2.html"));
    let legal = kb.read("tags/legal.html");
    assert_eq!(
        legal.matches("../faq/tags.html\"").count(),
        1,
        "one tag, listed once"
    );
}

/// Found while testing: `tags = ["!!!"]` wrote a page named `tags/.html`
/// (a hidden file many servers refuse) shared by every such tag.
#[test]
fn a_tag_without_letters_or_digits_is_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/faq/bangs.md",
        &entry(
            "situation = \"bangs\"\n\ntags = [\"legal\", \"!!!\", \"\"]",
            "[[escalated-call]]",
        ),
    );
    run_within(&kb, &["build"], MINUTE)
        .failure(1)
        .stderr_has("error: tag `!!!` has no letters or digits\n --> content/faq/bangs.md:4:1\n")
        .stderr_has("warning: empty tag is ignored\n --> content/faq/bangs.md:4:1\n");
    assert!(!kb.out().join("tags/.html").exists());
}

/// Found while testing: a file beside the entries with the name of a page
/// saywhen writes (`content/faq/index.html`, `content/faq/<slug>.html`,
/// `content/search/index.js`) silently replaced that page.
#[test]
fn a_file_cannot_replace_a_generated_page() {
    let kb = Kb::small();
    kb.write("content/faq/index.html", "<p>mine</p>");
    kb.write("content/techniques/active-listening.html", "<p>mine</p>");
    kb.write("content/search/index.js", "alert(1)");
    kb.write("content/search/body.js", "alert(2)");
    let help = "  = help: rename or move the file; pages, the search index and theme files take these names\n";
    // `check` says the same as `build`, without the search index in hand.
    for command in ["build", "check"] {
        run_within(&kb, &[command], MINUTE)
            .failure(1)
            .stderr_has(&format!("error: file would replace `faq/index.html`, which saywhen generates\n --> content/faq/index.html\n{help}"))
            .stderr_has("error: file would replace `techniques/active-listening.html`, which saywhen generates\n --> content/techniques/active-listening.html\n")
            .stderr_has("error: file would replace `search/index.js`, which saywhen generates\n --> content/search/index.js\n")
            .stderr_has("error: file would replace `search/body.js`, which saywhen generates\n --> content/search/body.js\n")
            .stderr_has("4 errors");
    }
    assert!(!kb.out().exists());
    // Any other name beside the entries is copied as it is.
    std::fs::remove_file(kb.path().join("content/faq/index.html")).unwrap();
    std::fs::remove_file(kb.path().join("content/techniques/active-listening.html")).unwrap();
    std::fs::remove_file(kb.path().join("content/search/index.js")).unwrap();
    std::fs::remove_file(kb.path().join("content/search/body.js")).unwrap();
    kb.write("content/faq/handout.html", "<p>mine</p>");
    run_within(&kb, &["build"], MINUTE).success();
    assert_eq!(kb.read("faq/handout.html"), "<p>mine</p>");
}

#[test]
fn control_characters_in_file_names_are_not_printed() {
    let kb = Kb::small();
    kb.write(
        "content/faq/\u{1b}[2Jred.md",
        &entry("situation = \"escape\"", "[[nowhere\u{7}]]"),
    );
    let run = run_within(&kb, &["check"], MINUTE);
    run.failure(1)
        .stderr_has("--> content/faq/\u{fffd}[2Jred.md:4:3\n");
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
}

// ---------------------------------------------------------------------------
// Escaping
// ---------------------------------------------------------------------------

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
    run_within(&kb, &["build"], MINUTE).success();
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
    run_within(&kb, &["build"], MINUTE).success();
    let page = kb.read("faq/raw.html");
    assert!(page.contains("Press <kbd>Ctrl</kbd> then"), "{page}");
    assert!(page.contains("<div class=\"note\">Block</div>"), "{page}");

    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[markdown]\nraw_html = \"sanitize\"\n"),
    );
    run_within(&kb, &["check"], MINUTE)
        .failure(1)
        .stderr_has("error: invalid site.toml: unknown variant `sanitize`, expected `escape` or `allow`\n --> site.toml:4:12\n");
}

#[test]
fn hostile_entry_is_inert_in_the_browser() {
    use crate::browser::{Page, query_url};
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

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

mod properties {
    use proptest::prelude::*;
    use saywhen::config::SiteConfig;
    use saywhen::load::{Content, EntryParser};
    use saywhen::render::{OutFile, RenderOptions};
    use saywhen::resolve::{ResolveOptions, resolve};
    use saywhen::slug::slugify;
    use std::collections::BTreeSet;
    use std::sync::{Arc, OnceLock};

    fn config() -> &'static SiteConfig {
        static C: OnceLock<SiteConfig> = OnceLock::new();
        C.get_or_init(|| {
            SiteConfig::parse("title = \"P\"\nbase_url = \"https://x.example/kb/\"\n").unwrap()
        })
    }

    fn theme() -> &'static saywhen::render::Theme {
        static T: OnceLock<saywhen::render::Theme> = OnceLock::new();
        T.get_or_init(|| {
            saywhen::render::theme::load(std::path::Path::new("/nonexistent-kb"), config())
                .unwrap_or_else(|_| panic!("the built-in theme loads"))
        })
    }

    fn assets() -> BTreeSet<String> {
        [
            "faq/chart.png".to_string(),
            "techniques/a b.pdf".to_string(),
        ]
        .into()
    }

    /// Pieces Markdown and saywhen give meaning to, and text around them.
    fn markdown_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 ]{0,12}",
            "\\PC{0,8}",
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\r\n".to_string()),
            Just("## ".to_string()),
            Just("# ".to_string()),
            Just("> ".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("    ".to_string()),
            Just("```say\n".to_string()),
            Just("```avoid\n".to_string()),
            Just("```\n".to_string()),
            Just("[[a]]".to_string()),
            Just("[[b|x]]".to_string()),
            Just("[[a#top]]".to_string()),
            Just("[[techniques/c]]".to_string()),
            Just("[x](../faq/b.md)".to_string()),
            Just("[x](a.md#top)".to_string()),
            Just("[x](#top)".to_string()),
            Just("[x](../../etc.md)".to_string()),
            Just("![i](chart.png)".to_string()),
            Just("[x](javascript:alert(1))".to_string()),
            Just("[x](/abs)".to_string()),
            Just("{#top}".to_string()),
            Just("<script>alert(1)</script>".to_string()),
            Just("<img src=x onerror=alert(1)>".to_string()),
            Just("&amp; &#0; &lt;".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{feff}".to_string()),
            Just("+++\n".to_string()),
            Just("*".to_string()),
            Just("_".to_string()),
            Just("`".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("(".to_string()),
            Just("|".to_string()),
            Just("[^1]".to_string()),
            Just("[^1]: n\n".to_string()),
            Just("~~".to_string()),
            Just("- [ ] ".to_string()),
            Just("| a | b |\n|---|---|\n".to_string()),
        ]
    }

    fn markdown() -> impl Strategy<Value = String> {
        prop::collection::vec(markdown_piece(), 0..40).prop_map(|v| v.concat())
    }

    fn toml_string() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z ]{0,10}",
            "\\PC{0,10}",
            Just("</script><img src=x onerror=alert(1)>".to_string()),
            Just("{{ site }}".to_string()),
            Just("a\"b'c".to_string()),
            Just("!!!".to_string()),
            Just(String::new()),
        ]
        .prop_map(|s| toml::Value::String(s).to_string())
    }

    fn front_line() -> impl Strategy<Value = String> {
        let key = prop::sample::select(vec![
            "title",
            "situation",
            "description",
            "owner",
            "kind",
            "tags",
            "aliases",
            "related",
            "draft",
            "weight",
            "reviewed",
            "tag",
            "extra.x",
        ]);
        let value = prop_oneof![
            toml_string(),
            prop::collection::vec(toml_string(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            Just("true".to_string()),
            Just("-3".to_string()),
            Just("9223372036854775807".to_string()),
            Just("2026-02-30".to_string()),
            Just("2026-01-31".to_string()),
            Just("07:32:00".to_string()),
            Just("nan".to_string()),
            Just("[\"a\", \"b\"]".to_string()),
            Just("{ a = 1 }".to_string()),
            "\\PC{0,6}",
        ];
        (key, value).prop_map(|(k, v)| format!("{k} = {v}"))
    }

    fn entry_source() -> impl Strategy<Value = Vec<u8>> {
        let front = prop::collection::vec(front_line(), 0..8).prop_map(|v| v.join("\n"));
        let fence = prop::sample::select(vec!["+++\n", "+++\r\n", "---\n", "", "\u{feff}+++\n"]);
        let close = prop::sample::select(vec!["\n+++\n", "\r\n+++\r\n", "\n", "\n+++"]);
        let noise = prop::collection::vec(any::<u8>(), 0..4);
        (fence, front, close, markdown(), noise, any::<bool>()).prop_map(
            |(fence, front, close, body, noise, with_noise)| {
                let mut bytes = format!("{fence}{front}{close}{body}").into_bytes();
                if with_noise {
                    bytes.extend(noise);
                }
                bytes
            },
        )
    }

    const PATHS: [&str; 4] = [
        "faq/a.md",
        "techniques/b.md",
        "techniques/c.md",
        "playbooks/d.md",
    ];

    /// Every stage after reading the disk, on the generated files.
    fn pipeline(files: &[Vec<u8>], drafts: bool) {
        let assets = assets();
        let mut content = Content {
            assets: assets.clone(),
            ..Content::default()
        };
        let parser = EntryParser::new(config(), &assets);
        for (rel, bytes) in PATHS.iter().zip(files) {
            match parser.parse(rel, bytes.clone()) {
                Ok(Some((entry, _))) => content.entries.push(Arc::new(entry)),
                Ok(None) => {}
                Err(diagnostics) => {
                    for d in &diagnostics {
                        assert!(d.file.as_deref() == Some(&format!("content/{rel}")[..]));
                        let _ = d.render(false);
                    }
                    content.failed.insert(rel.to_string());
                }
            }
        }
        let options = ResolveOptions {
            drafts,
            today: time::Date::from_calendar_date(2026, time::Month::June, 1).unwrap(),
        };
        let (site, _) = resolve(content, config(), &options);
        let (output, _) = saywhen::render::render(
            &site,
            theme(),
            std::path::Path::new("/nonexistent-kb"),
            &RenderOptions::default(),
        );
        for (path, file) in &output {
            if let OutFile::Bytes(bytes) = file {
                assert!(!bytes.contains(&0), "{path} holds a NUL");
                // The index and its text files, not the search page.
                if path.starts_with("search/") && path.ends_with(".js") {
                    let text = String::from_utf8_lossy(bytes);
                    let json = text.split_once('=').map_or("", |x| x.1);
                    assert!(!json.contains(['<', '>', '&']), "{path}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(256),
            failure_persistence: None,
            .. ProptestConfig::default()
        })]

        #[test]
        fn arbitrary_entries_never_panic_the_pipeline(
            files in prop::collection::vec(entry_source(), 1..=4),
            drafts in any::<bool>(),
        ) {
            pipeline(&files, drafts);
        }

        #[test]
        fn arbitrary_bytes_never_panic_the_pipeline(
            bytes in prop::collection::vec(any::<u8>(), 0..512),
        ) {
            pipeline(&[bytes], false);
        }

        #[test]
        fn slugify_is_idempotent(text in "\\PC{0,40}") {
            let once = slugify(&text);
            prop_assert_eq!(slugify(&once), once.clone());
            prop_assert!(!once.starts_with('-') && !once.ends_with('-'));
            prop_assert!(!once.contains("--"));
            prop_assert!(once.chars().all(|c| c == '-' || !c.is_whitespace() && !c.is_control()));
        }

        #[test]
        fn slugify_is_stable_across_normal_forms_and_case(text in "\\PC{0,40}") {
            use unicode_normalization::UnicodeNormalization;
            let nfc: String = text.nfc().collect();
            let nfd: String = text.nfd().collect();
            prop_assert_eq!(slugify(&nfc), slugify(&nfd));
            prop_assert_eq!(slugify(&text.to_uppercase()), slugify(&text.to_lowercase()));
        }

        /// Names made of different words get different slugs; only case,
        /// punctuation and spacing between words may fold together, as the
        /// README's slug rule says.
        #[test]
        fn different_words_give_different_slugs(
            a in prop::collection::vec("[a-zA-Z0-9éüßçñøÅ日本語]{1,6}", 1..5),
            b in prop::collection::vec("[a-zA-Z0-9éüßçñøÅ日本語]{1,6}", 1..5),
            sep_a in "[ _.,!?/()-]{1,3}",
            sep_b in "[ _.,!?/()-]{1,3}",
        ) {
            // Words compare with case folded, as the slug rule folds it.
            let fold = |w: &String| w.chars().flat_map(char::to_uppercase).flat_map(char::to_lowercase).collect::<String>();
            let words = |v: &Vec<String>| v.iter().map(fold).collect::<Vec<_>>();
            let (sa, sb) = (slugify(&a.join(&sep_a)), slugify(&b.join(&sep_b)));
            prop_assert_eq!(sa == sb, words(&a) == words(&b), "{:?} {:?}", sa, sb);
        }

        /// Any text as a paragraph: the HTML parses back to the same text,
        /// with no element but the paragraph. Punctuation is written with
        /// Markdown's backslash escapes, so `>`, `1.`, `&amp;` or `<a:b>`
        /// stay text instead of becoming a quote, a list, an entity or a
        /// link; the HTML must still escape every `<`, `&` and quote.
        #[test]
        fn plain_text_renders_to_well_formed_html(text in "[a-zA-Z0-9 <>&\"'/=;:{}%.,!?éü日]{1,80}") {
            let escaped: String = text
                .chars()
                .flat_map(|c| c.is_ascii_punctuation().then_some('\\').into_iter().chain([c]))
                .collect();
            let html = super::render_body(&escaped);
            let fragment = scraper::Html::parse_fragment(&html);
            let names: Vec<String> = fragment
                .root_element()
                .descendants()
                .filter_map(|n| n.value().as_element().map(|e| e.name().to_string()))
                .collect();
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if expected.is_empty() {
                return Ok(());
            }
            prop_assert_eq!(names, vec!["html".to_string(), "p".to_string()], "{}", html);
            let shown: String = fragment.root_element().text().collect();
            prop_assert_eq!(shown.split_whitespace().collect::<Vec<_>>().join(" "), expected);
        }

        /// Any Markdown: only harmless elements, no event handlers or
        /// script URLs, whatever the input.
        #[test]
        fn arbitrary_markdown_renders_only_safe_elements(body in markdown()) {
            let html = super::render_body(&body);
            let found = super::unsafe_markup(&html);
            prop_assert!(found.is_none(), "{} in {}", found.unwrap_or_default(), html);
        }
    }
}

/// Elements the Markdown pass may produce (CommonMark, GFM tables, task
/// lists, footnotes, and saywhen's phrase cards and heading anchors).
const SAFE_ELEMENTS: &[&str] = &[
    "html",
    "p",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "sup",
    "div",
    "span",
    "figure",
    "figcaption",
    "button",
    "section",
];

/// The first element or attribute in `html` that the Markdown pass must
/// never produce: an element outside [`SAFE_ELEMENTS`], an event handler,
/// or a `javascript:` value in any attribute.
fn unsafe_markup(html: &str) -> Option<String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        if !SAFE_ELEMENTS.contains(&el.name()) {
            return Some(format!("<{}>", el.name()));
        }
        for (attr, value) in el.attrs() {
            if attr.starts_with("on") || value.to_ascii_lowercase().contains("javascript:") {
                return Some(format!("{attr}=\"{value}\""));
            }
        }
    }
    None
}

/// Inputs the property tests found, kept so they stay fixed.
#[test]
fn property_regressions_render_only_safe_elements() {
    // A fenced code block whose info string is a link became
    // `<code class="language-[x](javascript:alert(1))">`.
    for body in [
        "[[a]][^1]: n\n~~~~[x](javascript:alert(1))",
        "```[x](javascript:alert(1))\ncode\n```\n",
        "~~~ \"onmouseover=alert(1)\nx\n~~~\n",
    ] {
        let html = render_body(body);
        assert_eq!(unsafe_markup(&html), None, "{body:?} rendered {html}");
    }
}

/// The HTML of one Markdown body, as an entry page would show it (link
/// slots left unfilled).
fn render_body(body: &str) -> String {
    use saywhen::config::RawHtml;
    use saywhen::diag::LineIndex;
    use saywhen::load::markdown::{ParseInput, parse};
    let source = body.replace('\0', "\u{fffd}");
    let lines = LineIndex::new();
    let assets = ["faq/chart.png".to_string()].into();
    let input = ParseInput {
        file: "content/faq/x.md",
        dir: "faq",
        source: &source,
        body_offset: 0,
        lines: &lines,
        is_playbook: false,
        raw_html: RawHtml::Escape,
        allow_unsafe_links: false,
        assets: &assets,
    };
    let (parsed, _) = parse(&input);
    // Slots hold NUL, which an HTML parser drops; show them as text.
    parsed.html.replace('\0', "§")
}

// ---------------------------------------------------------------------------
// Regressions found by the fuzz target (fuzz/fuzz_targets/pipeline.rs).
// None so far: see docs/reliability.md for the runs.
// ---------------------------------------------------------------------------
