//! Two entries where an author meant one: a copy whose name differs only
//! in case, a file manager's `(copy)`, an alias that is another entry's
//! situation. Each gets one error on the newcomer, and none of the
//! warnings that would only repeat it.

use crate::support::*;

/// The small site with a copy of its FAQ entry under a capitalised name,
/// as a file manager or a case-insensitive disk leaves it.
fn with_case_copy() -> Kb {
    let kb = Kb::small();
    let original =
        std::fs::read_to_string(kb.path().join("content/faq/customer-threatens-to-sue.md"))
            .unwrap();
    kb.write("content/faq/Customer-Threatens-To-Sue.md", &original);
    kb
}

#[test]
fn a_case_only_copy_is_the_one_the_error_points_at() {
    let kb = with_case_copy();
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: slug `customer-threatens-to-sue` is already used by content/faq/customer-threatens-to-sue.md
 --> content/faq/Customer-Threatens-To-Sue.md
  = help: both files would be the same page (names differing only in case or punctuation collide); content/faq/customer-threatens-to-sue.md keeps the slug because its file name is written as the slug (lower case, words joined by `-`): rename this file, or delete it if it is a copy

1 error, 0 warnings
"
    );
}

#[test]
fn the_original_keeps_its_slug_whichever_sorts_first() {
    // `Customer…` sorts before `customer…`; the lower-case name, written as
    // the slug, is still the one kept, so links keep reaching it.
    let kb = with_case_copy();
    kb.remove("content/faq/customer-threatens-to-sue.md");
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"\nowner = \"Compliance\"\nreviewed = 2026-05-03",
            "## The original\n\nFollow [[escalated-call#step-1]] and [[active-listening]].\n",
        ),
    );
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\nowner = \"Training\"\nreviewed = 2026-05-02",
            "See [[customer-threatens-to-sue#the-original]] and [[escalated-call]].\n",
        ),
    );
    let run = kb.run(&["check"]);
    // The link to a heading only the original has resolves: no missing
    // heading error, only the clash.
    run.failure(1)
        .stderr_lacks("missing heading")
        .stderr_has("1 error, 0 warnings");
}

#[test]
fn a_clash_adds_no_orphan_warning_for_either_file() {
    // Nothing links to the techniques: without the clash one of them
    // would be an orphan, with it neither is reported.
    let kb = Kb::small();
    kb.write(
        "content/techniques/staying-calm.md",
        &entry(
            "title = \"Staying calm\"\nowner = \"Training\"\nreviewed = 2026-05-02",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .success()
        .stderr_has("warning: orphan entry: nothing links to `techniques/staying-calm`");
    kb.write(
        "content/techniques/Staying-Calm.md",
        &entry(
            "title = \"Staying calm\"\nowner = \"Training\"\nreviewed = 2026-05-02",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: slug `staying-calm` is already used by content/techniques/staying-calm.md\n --> content/techniques/Staying-Calm.md\n")
        .stderr_lacks("orphan")
        .stderr_has("1 error, 0 warnings");
}
