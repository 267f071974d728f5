//! Broken files: bytes that are not UTF-8, a byte-order mark, CRLF line
//! endings, empty files, and front matter that is missing its fence,
//! written in YAML, mistyped or nested past reason: each a located message,
//! never a crash, while unusual but valid values just render.

use super::{HANG_GUARD, kb_with, run_within};
use crate::support::*;

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
    run_within(&kb, &["check"], HANG_GUARD)
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
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("link to unknown entry `nowhere`\n --> content/faq/bom.md:4:26\n")
        .stderr_lacks("front matter");
    kb.write(
        "content/faq/bom.md",
        "\u{feff}+++\nsituation = \"the file starts with a BOM\"\n+++\n[[escalated-call]]\n",
    );
    run_within(&kb, &["build"], HANG_GUARD).success();
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
    run_within(&kb, &["build"], HANG_GUARD).success();
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
    let run = run_within(&kb, &["check"], HANG_GUARD);
    run.failure(1)
        .stderr_has("--> content/faq/windows.md:3:8\n")
        .stderr_has("3 | tags = \"legal\"\n");
    kb.write(
        "content/faq/windows.md",
        &crlf(
            "+++\nsituation = \"the file was saved on Windows\"\n+++\nLine four.\n\nSee [[escalated-call#nope]] and [x](../faq/missing.md).\n",
        ),
    );
    let run = run_within(&kb, &["check"], HANG_GUARD);
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
    run_within(&kb, &["check"], HANG_GUARD)
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
    run_within(&kb, &["build"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: front matter is never closed: no second `+++` line\n --> content/faq/open.md:1:1\n")
        .stderr_has("help: add a line `+++` after the last front matter field");
    // No front matter at all is a different message.
    kb.write("content/faq/open.md", "Just text.\n");
    run_within(&kb, &["check"], HANG_GUARD).failure(1).stderr_has(
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
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("error: front matter uses YAML (`---`), but saywhen reads TOML between `+++` lines\n --> content/faq/yaml.md:1:1\n")
        .stderr_has("e.g. `situation = \"the customer asks for a refund\"`, `tags = [\"refund\", \"billing\"]`, `draft = false`");
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
    run_within(&kb, &["check"], HANG_GUARD)
        .failure(1)
        .stderr_has("--> content/faq/types.md:3:8\n")
        .stderr_has("help: lists are written in brackets, as `tags = [\"angry\", \"legal\"]`")
        .stderr_has("--> content/techniques/weight.md:4:10\n")
        .stderr_has("--> content/techniques/draft.md:3:9\n")
        .stderr_has("--> content/techniques/date.md:3:12\n")
        .stderr_has("error: `reviewed = \"2026-01-01\"` is text in quotes, not a date\n")
        .stderr_has(
            "help: write the date as year-month-day without quotes: `reviewed = 2026-01-01`\n",
        )
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
    run_within(&kb, &["check"], HANG_GUARD)
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
    run_within(&kb, &["build"], HANG_GUARD).success();
}
