//! Every author-facing error: file, line, what is wrong and how to fix it,
//! all of them in one run.

use crate::support::*;

#[test]
fn broken_link_names_file_line_and_suggestion() {
    let kb = Kb::small();
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"",
            "[[escalated-call]]\n\nStart with [active listening](../techniques/active-listning.md).\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert_eq!(
        run.stderr,
        "\
error: link to unknown entry `techniques/active-listning.md`
 --> content/faq/customer-threatens-to-sue.md:6:31
  |
6 | Start with [active listening](../techniques/active-listning.md).
  |                               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  = help: did you mean `techniques/active-listening.md`?

1 error, 0 warnings
"
    );
}

#[test]
fn broken_anchor_names_file_line_and_nearest_anchor() {
    let kb = Kb::small();
    kb.write(
        "content/faq/customer-threatens-to-sue.md",
        &entry(
            "situation = \"the customer threatens to sue\"",
            "See [[escalated-call#step-7]] and [[active-listening#how-to-do-t]].\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1)
        .stderr_has("error: link to missing heading `#step-7` in `playbooks/escalated-call`\n --> content/faq/customer-threatens-to-sue.md:4:7\n")
        .stderr_has("= help: this playbook has steps 1 to 2: link to one of `#step-1` to `#step-2`")
        .stderr_has("error: link to missing heading `#how-to-do-t` in `techniques/active-listening`\n --> content/faq/customer-threatens-to-sue.md:4:37\n")
        .stderr_has("= help: did you mean `#how-to-do-it`?")
        .stderr_has("2 errors, 0 warnings");
}

#[test]
fn unknown_front_matter_field_lists_allowed_fields() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\ntag = [\"listening\"]",
            "[[escalated-call]]\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    assert!(
        run.stderr.starts_with(
            "\
error: unknown front matter field `tag`
 --> content/techniques/active-listening.md:3:1
  |
3 | tag = [\"listening\"]
  | ^^^
  = help: did you mean `tags`? allowed fields are: title, description, situation, tags, aliases, related, owner, reviewed, draft, weight, kind, review_every, valid_until, extra; free-form values go in an `[extra]` table
"
        ),
        "{}",
        run.stderr
    );
    // The entry failed to load, but links to it are not reported again.
    run.stderr_lacks("unknown entry");
}

#[test]
fn malformed_toml_points_at_the_line_in_the_markdown_file() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        "+++\ntitle = \"Active listening\"\n\ndescription = \"never closed\nowner = \"x\"\n+++\nBody\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: invalid front matter:")
        .stderr_has(" --> content/techniques/active-listening.md:4:");
}

#[test]
fn wrong_field_type_explains_the_toml_form() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        "+++\ntitle = \"Active listening\"\ntags = \"listening\"\n+++\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has(" --> content/techniques/active-listening.md:3:8")
        .stderr_has("= help: lists are written in brackets");
}

#[test]
fn quoted_date_is_explained() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        "+++\ntitle = \"Active listening\"\nreviewed = \"2026-01-01\"\n+++\n",
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: `reviewed = \"2026-01-01\"` is text in quotes, not a date\n --> content/techniques/active-listening.md:3:12\n")
        .stderr_has("= help: write the date as year-month-day without quotes: `reviewed = 2026-01-01`\n");
}

#[test]
fn all_errors_are_reported_in_one_run() {
    let kb = Kb::small();
    kb.write(
        "content/faq/a.md",
        &entry("situation = \"a\"\nowner = 3", "x"),
    );
    kb.write("content/faq/b.md", "---\ntitle: B\n---\n");
    kb.write(
        "content/faq/c.md",
        &entry(
            "situation = \"c\"",
            "[[nowhere]] and [[escalated-call#nope]]",
        ),
    );
    kb.write("content/playbooks/d.md", "+++\ntitle = \"D\"\n");
    kb.write(
        "content/techniques/e.md",
        &entry("description = \"no title\"", ""),
    );
    let run = kb.run(&["check"]);
    run.failure(1)
        .stderr_has("--> content/faq/a.md:3:9")
        .stderr_has("error: front matter uses YAML (`---`), but saywhen reads TOML between `+++` lines\n --> content/faq/b.md:1:1")
        .stderr_has("= help: replace both `---` lines with `+++` and write the fields as TOML, e.g. `title = \"B\"`")
        .stderr_has("link to unknown entry `nowhere`")
        .stderr_has("link to missing heading `#nope`")
        .stderr_has("error: front matter is never closed: no second `+++` line\n --> content/playbooks/d.md:1:1")
        .stderr_has("error: technique has no `title`\n --> content/techniques/e.md:1:1")
        // Orphan warnings wait until every entry loads: a broken entry's
        // links are unknown.
        .stderr_lacks("orphan")
        .stderr_has("6 errors, 0 warnings");
}

#[test]
fn duplicate_slugs_across_kinds_are_errors() {
    let kb = Kb::small();
    kb.write(
        "content/faq/active-listening.md",
        &entry("situation = \"x\"", "[[escalated-call]]"),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: slug `active-listening` is already used by content/faq/active-listening.md\n --> content/techniques/active-listening.md")
        .stderr_has("slugs must be unique across all kinds");
}

#[test]
fn kind_field_must_match_the_folder() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/x.md",
        &entry("title = \"X\"\nkind = \"faq\"", "[[escalated-call]]"),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: `kind = \"faq\"` disagrees with the folder, which makes this a technique\n --> content/techniques/x.md:3:1")
        .stderr_has("= help: move the file to content/faq/ or remove the `kind` field");
}

#[test]
fn orphans_and_stale_reviews_are_warnings() {
    let kb = Kb::small();
    kb.write("site.toml", &format!("{SITE_TOML}review_after_days = 20\n"));
    kb.write(
        "content/techniques/lonely.md",
        &entry(
            "title = \"Lonely\"\nreviewed = 2026-01-01",
            "[[escalated-call]]",
        ),
    );
    let run = kb.run(&["check"]);
    run.success()
        .stderr_has("warning: orphan entry: nothing links to `techniques/lonely`\n --> content/techniques/lonely.md\n")
        .stderr_has("warning: entry is due for review: last reviewed 2026-01-01, 151 days ago (site.toml sets review_after_days = 20)\n --> content/techniques/lonely.md:3:1")
        .stderr_has("warning: entry is due for review: last reviewed 2026-05-01, 31 days ago");
    kb.run(&["check", "--deny-warnings"]).failure(1);
    // The same warnings do not stop a build.
    kb.run(&["build"]).success();
}

#[test]
fn tags_outside_the_vocabulary_are_warned() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}[tags]\nvocabulary = [\"escalated\", \"listening\", \"legal\"]\n"),
    );
    kb.write(
        "content/techniques/x.md",
        &entry(
            "title = \"X\"\ntags = [\"legl\", \"Escalated\"]",
            "[[escalated-call]]",
        ),
    );
    kb.write("content/playbooks/escalated-call.md", &entry("title = \"Taking over an escalated call\"", "[[x]] [[active-listening]] [[customer-threatens-to-sue]]\n## Prepare\n## Open the call"));
    kb.run(&["check"])
        .success()
        .stderr_has(
            "warning: tag `legl` is not in the site's vocabulary\n --> content/techniques/x.md:3:9",
        )
        .stderr_has("= help: did you mean `legal`?")
        .stderr_has("warning: tag `Escalated` is normalized to `escalated`");
}

#[test]
fn bad_site_toml_names_the_file_and_line() {
    let kb = Kb::small();
    kb.write("site.toml", "title = \"x\"\nreview_after_day = 3\n");
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: invalid site.toml: unknown field `review_after_day`")
        .stderr_has(" --> site.toml:2:1");
}

#[test]
fn check_json_lists_diagnostics_for_ci() {
    let kb = Kb::small();
    kb.write(
        "content/faq/c.md",
        &entry("situation = \"c\"", "[[nowhere]]"),
    );
    let run = kb.run(&["check", "--format", "json"]);
    run.failure(1);
    let items: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let items = items.as_array().unwrap();
    // Found by its message, so its severity is the program's word, not
    // the filter's; and it is the only error the broken link makes.
    let link = items
        .iter()
        .find(|d| d["message"] == "link to unknown entry `nowhere`")
        .unwrap_or_else(|| panic!("no diagnostic for the link: {items:?}"));
    assert_eq!(link["severity"], "error");
    assert_eq!(link["file"], "content/faq/c.md");
    assert_eq!(link["line"], 4);
    assert_eq!(link["column"], 3);
    let errors = items.iter().filter(|d| d["severity"] == "error").count();
    assert_eq!(errors, 1, "{items:?}");
}
