//! The smaller things an author's messages get right: the caret under the
//! tag that is wrong, a long line cut around the whole broken link, the
//! steps a playbook has, and the entry a shortened slug was meant for.

use crate::support::*;

/// The small site, its tags held to a vocabulary.
fn with_vocabulary() -> Kb {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[tags]\nvocabulary = [\"escalated\", \"listening\", \"legal\"]\n"),
    );
    kb
}

#[test]
fn the_tag_warning_points_at_the_tag_not_at_tags() {
    let kb = with_vocabulary();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\ntags = [\"listening\", \"legl\", \"Escalated\"]",
            "[[escalated-call]]\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.success();
    assert_eq!(
        run.stderr,
        "\
warning: tag `legl` is not in the site's vocabulary
 --> content/techniques/active-listening.md:3:22
  |
3 | tags = [\"listening\", \"legl\", \"Escalated\"]
  |                      ^^^^^^
  = help: did you mean `legal`? the vocabulary is set in site.toml under [tags]

warning: tag `Escalated` is normalized to `escalated`
 --> content/techniques/active-listening.md:3:30
  |
3 | tags = [\"listening\", \"legl\", \"Escalated\"]
  |                              ^^^^^^^^^^^
  = help: write `escalated`: tags are matched lower-case with single spaces

0 errors, 2 warnings
"
    );
}

#[test]
fn a_tag_list_over_several_lines_is_pointed_at_on_its_own_line() {
    let kb = with_vocabulary();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\ntags = [\n  \"listening\",\n  \"legl\",\n]",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .success()
        .stderr_has("warning: tag `legl` is not in the site's vocabulary\n --> content/techniques/active-listening.md:5:3\n  |\n5 |   \"legl\",\n  |   ^^^^^^\n");
}

#[test]
fn a_long_line_is_cut_around_the_whole_broken_link() {
    let kb = Kb::small();
    // The link starts before the 120th character and ends after it: the
    // window moves so that all of it is under the caret, with 40
    // characters before it.
    let before = "Listen first, then repeat back what you heard, and only then ";
    let target = "escalated-call#what-to-say-when-the-customer-asks-for-a-supervisor";
    let after = " before you ".repeat(20);
    let line = format!("{before}[[{target}]]{after}");
    kb.write(
        "content/techniques/active-listening.md",
        &entry("title = \"Active listening\"", &format!("{line}\n")),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    let column = before.len() + 2;
    let shown: String = line.chars().skip(column - 40).take(120).collect();
    assert_eq!(
        run.stderr,
        format!(
            "\
error: link to missing heading `#what-to-say-when-the-customer-asks-for-a-supervisor` in `playbooks/escalated-call`
 --> content/techniques/active-listening.md:4:{}
  |
4 | …{shown}…
  | {}{}
  = help: content/playbooks/escalated-call.md has these anchors: #step-1, #step-2

1 error, 0 warnings
",
            column + 1,
            " ".repeat(41),
            "^".repeat(target.len()),
        )
    );
}

#[test]
fn a_link_to_a_step_the_playbook_lacks_says_which_steps_it_has() {
    let kb = Kb::small();
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"",
            "[[customer-threatens-to-sue]] [[active-listening]]\n\n## Prepare\n\n## Greet\n\n## Listen\n\n## Offer\n\n## Close\n",
        ),
    );
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "Go on with [[escalated-call#step-9]].\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: link to missing heading `#step-9` in `playbooks/escalated-call`
 --> content/techniques/active-listening.md:4:14
  |
4 | Go on with [[escalated-call#step-9]].
  |              ^^^^^^^^^^^^^^^^^^^^^
  = help: this playbook has steps 1 to 5: link to one of `#step-1` to `#step-5`

1 error, 0 warnings
"
    );
}

#[test]
fn a_shortened_slug_is_answered_with_the_entry_it_was_cut_from() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/asking-a-closing-question.md",
        &entry(
            "title = \"Asking a closing question\"",
            "[[escalated-call]]\n",
        ),
    );
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"",
            "End with [[closing-question]]. See [[escalated-call]] and [[active-listening]].\n",
        ),
    );
    // Linked from elsewhere, so the one message is the broken link's.
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "Then [[asking-a-closing-question]]; back to [[escalated-call]].\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: link to unknown entry `closing-question`
 --> content/faq/customer-threatens-to-sue.md:4:12
  |
4 | End with [[closing-question]]. See [[escalated-call]] and [[active-listening]].
  |            ^^^^^^^^^^^^^^^^
  = help: did you mean `asking-a-closing-question`?

1 error, 0 warnings
"
    );
}
