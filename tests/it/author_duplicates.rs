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

#[test]
fn a_file_managers_copy_is_one_error_at_its_situation_naming_both_lines() {
    let kb = Kb::small();
    let original =
        std::fs::read_to_string(kb.path().join("content/faq/customer-threatens-to-sue.md"))
            .unwrap();
    kb.write("content/faq/customer-threatens-to-sue (copy).md", &original);
    let run = kb.run(&["check"]);
    run.failure(1);
    // Not its aliases again, nor an orphan warning for the copy nothing
    // links to: deleting the copy fixes all of it.
    assert_eq!(
        run.stderr,
        "\
error: situation \"the customer threatens to sue\" is also the situation of content/faq/customer-threatens-to-sue.md
 --> content/faq/customer-threatens-to-sue (copy).md:2:13
  |
2 | situation = \"the customer threatens to sue\"
  |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 ::: content/faq/customer-threatens-to-sue.md:2:13
  |
2 | situation = \"the customer threatens to sue\"
  |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: search and the A–Z index would list it twice, leading to two pages: if this file is a copy, delete it; otherwise merge the two entries, or reword the situation here

1 error, 0 warnings
"
    );
    // The error keeps the A–Z page with the situation twice from being
    // published.
    kb.run(&["build"]).failure(1);
    assert!(!kb.out().join("situations/index.html").exists());
}

#[test]
fn situations_differing_in_case_spacing_or_a_question_mark_are_the_same() {
    let kb = Kb::small();
    kb.write(
        "content/faq/threatens-legal-action.md",
        &entry(
            "situation = \"The customer  threatens to sue?\"",
            "[[escalated-call]]\n",
        ),
    );
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "[[customer-threatens-to-sue]] [[threatens-legal-action]] [[active-listening]]\n\n## Prepare\n\n## Open the call\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: situation \"The customer  threatens to sue\" is also the situation of content/faq/customer-threatens-to-sue.md\n --> content/faq/threatens-legal-action.md:2:13\n")
        .stderr_has("1 error, 0 warnings");
}

#[test]
fn an_alias_that_is_another_entrys_situation_is_an_error_at_the_alias() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\naliases = [\"caller is not listening\", \"the customer threatens to sue\"]",
            "[[escalated-call]]\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: alias \"the customer threatens to sue\" is the situation of content/faq/customer-threatens-to-sue.md
 --> content/techniques/active-listening.md:3:39
  |
3 | aliases = [\"caller is not listening\", \"the customer threatens to sue\"]
  |                                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
 ::: content/faq/customer-threatens-to-sue.md:2:13
  |
2 | situation = \"the customer threatens to sue\"
  |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: the A–Z index would list it twice, leading to two pages: remove the alias here, or link to that entry from this one

1 error, 0 warnings
"
    );
}

#[test]
fn an_alias_that_is_another_entrys_title_or_alias_is_an_error() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\naliases = [\"Taking over an escalated call\", \"customer mentions a lawyer\"]",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: alias \"Taking over an escalated call\" is the title of content/playbooks/escalated-call.md\n --> content/techniques/active-listening.md:3:12\n")
        .stderr_has(" ::: content/playbooks/escalated-call.md:2:9\n")
        .stderr_has("= help: search and the A–Z index would offer two entries by that name: remove the alias here, or link to that entry from this one\n")
        .stderr_has("error: alias \"customer mentions a lawyer\" is also an alias of content/faq/customer-threatens-to-sue.md\n --> content/techniques/active-listening.md:3:45\n")
        .stderr_has("= help: the A–Z index would list it twice, leading to two pages: keep the alias on one of the entries\n")
        .stderr_has("2 errors, 0 warnings");
}

#[test]
fn the_json_report_names_the_entry_a_duplicate_repeats() {
    let kb = Kb::small();
    let original =
        std::fs::read_to_string(kb.path().join("content/faq/customer-threatens-to-sue.md"))
            .unwrap();
    kb.write("content/faq/customer-threatens-to-sue (copy).md", &original);
    let run = kb.run(&["check", "--format", "json"]);
    run.failure(1);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(items.as_array().unwrap().len(), 1, "{items:#}");
    assert_eq!(
        items[0]["file"],
        "content/faq/customer-threatens-to-sue (copy).md"
    );
    assert_eq!(items[0]["line"], 2);
    assert_eq!(
        items[0]["also"],
        "content/faq/customer-threatens-to-sue.md:2:13"
    );
}
