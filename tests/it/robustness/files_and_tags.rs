//! Files beside entries and tags: images and PDFs copied whole, tags that
//! differ in case or have no letters, a file named like a page saywhen
//! writes, and control characters in file names.

use super::{HANG_GUARD, run_within};
use crate::support::*;

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
    run_within(&kb, &["build"], HANG_GUARD).success();
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
    run_within(&kb, &["check"], HANG_GUARD)
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
    let run = run_within(&kb, &["build"], HANG_GUARD);
    run.success()
        .stderr_has("warning: tag `Legal` is normalized to `legal`\n --> content/faq/tags.md:3:9\n")
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
    run_within(&kb, &["build"], HANG_GUARD)
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
        run_within(&kb, &[command], HANG_GUARD)
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
    run_within(&kb, &["build"], HANG_GUARD).success();
    assert_eq!(kb.read("faq/handout.html"), "<p>mine</p>");
}

#[test]
fn control_characters_in_file_names_are_not_printed() {
    let kb = Kb::small();
    kb.write(
        "content/faq/\u{1b}[2Jred.md",
        &entry("situation = \"escape\"", "[[nowhere\u{7}]]"),
    );
    let run = run_within(&kb, &["check"], HANG_GUARD);
    run.failure(1)
        .stderr_has("--> content/faq/\u{fffd}[2Jred.md:4:3\n");
    assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'));
}
