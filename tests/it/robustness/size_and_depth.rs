//! Size and depth: a 10 MB entry, a 100,000-character line, and nesting
//! deep enough to overflow a recursive parser's stack.

use super::{HANG_GUARD, run_within};
use crate::support::*;
use std::time::Duration;

/// [`HANG_GUARD`] for a build of megabytes of Markdown in a debug build.
const BIG_HANG_GUARD: Duration = Duration::from_secs(5 * 60);

#[test]
fn a_10_mb_entry_and_a_100k_character_line_build_and_are_reported_at_their_column() {
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
    // How fast is for a benchmark; here a build that never ends fails.
    run_within(&kb, &["build"], BIG_HANG_GUARD).success();
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
    let run = run_within(&kb, &["check"], HANG_GUARD);
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
    run_within(&kb, &["build"], BIG_HANG_GUARD).success();
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
