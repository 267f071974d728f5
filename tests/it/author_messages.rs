//! The messages an author who is not a programmer meets first: dates in
//! everyday spellings, YAML front matter, and an entry fresh from
//! `saywhen new` that nobody has reviewed yet.

use crate::support::*;

/// `check` on a site whose one technique has `reviewed = {value}`: its
/// whole output.
fn check_reviewed(value: &str) -> String {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            &format!("title = \"Active listening\"\nowner = \"Training\"\nreviewed = {value}"),
            "[[escalated-call]]\n",
        ),
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    run.stderr.clone()
}

#[test]
fn an_ambiguous_slashed_date_is_answered_once_with_both_readings() {
    assert_eq!(
        check_reviewed("12/01/2026"),
        "\
error: `reviewed = 12/01/2026` is not a date saywhen can read
 --> content/techniques/active-listening.md:4:12
  |
4 | reviewed = 12/01/2026
  |            ^^^^^^^^^^
  = help: 12/01/2026 could be 1 December or 12 January 2026: write the date as year-month-day without quotes: `reviewed = 2026-12-01` for 1 December, `reviewed = 2026-01-12` for 12 January

1 error, 0 warnings
"
    );
}

#[test]
fn the_same_date_in_quotes_gets_the_same_answer() {
    assert_eq!(
        check_reviewed("\"12/01/2026\""),
        "\
error: `reviewed = \"12/01/2026\"` is text in quotes, not a date
 --> content/techniques/active-listening.md:4:12
  |
4 | reviewed = \"12/01/2026\"
  |            ^^^^^^^^^^^^
  = help: 12/01/2026 could be 1 December or 12 January 2026: write the date as year-month-day without quotes: `reviewed = 2026-12-01` for 1 December, `reviewed = 2026-01-12` for 12 January

1 error, 0 warnings
"
    );
}

#[test]
fn an_unambiguous_slashed_date_has_one_reading() {
    assert_eq!(
        check_reviewed("25/12/2026"),
        "\
error: `reviewed = 25/12/2026` is not a date saywhen can read
 --> content/techniques/active-listening.md:4:12
  |
4 | reviewed = 25/12/2026
  |            ^^^^^^^^^^
  = help: write the date as year-month-day without quotes: `reviewed = 2026-12-25`

1 error, 0 warnings
"
    );
}

#[test]
fn a_dotted_date_says_it_was_read_day_first() {
    assert_eq!(
        check_reviewed("01.12.2026"),
        "\
error: `reviewed = 01.12.2026` is not a date saywhen can read
 --> content/techniques/active-listening.md:4:12
  |
4 | reviewed = 01.12.2026
  |            ^^^^^^^^^^
  = help: write the date as year-month-day without quotes: `reviewed = 2026-12-01` (01.12.2026 read as day.month.year, 1 December 2026)

1 error, 0 warnings
"
    );
}

#[test]
fn a_date_in_words_quoted_or_not_is_rewritten() {
    for (value, message) in [
        (
            "\"1 Dec 2026\"",
            "error: `reviewed = \"1 Dec 2026\"` is text in quotes, not a date\n",
        ),
        (
            "1 Dec 2026",
            "error: `reviewed = 1 Dec 2026` is not a date saywhen can read\n",
        ),
    ] {
        let out = check_reviewed(value);
        assert!(out.starts_with(message), "{out}");
        assert!(
            out.contains(" --> content/techniques/active-listening.md:4:12\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "  = help: write the date as year-month-day without quotes: `reviewed = 2026-12-01`\n"
            ),
            "{out}"
        );
        assert!(out.ends_with("\n1 error, 0 warnings\n"), "{out}");
    }
}

#[test]
fn valid_until_dates_are_read_the_same_way() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\nvalid_until = 31.12.2026 # end of the offer",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: `valid_until = 31.12.2026` is not a date saywhen can read\n --> content/techniques/active-listening.md:3:15\n")
        .stderr_has("  = help: write the date as year-month-day without quotes: `valid_until = 2026-12-31`\n")
        .stderr_has("1 error, 0 warnings");
}

#[test]
fn a_date_error_does_not_hide_the_other_problems_of_the_block() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"\nreviewed = 25/12/2026\nonwer = \"Training\"",
            "[[escalated-call]]\n",
        ),
    );
    kb.run(&["check"])
        .failure(1)
        .stderr_has("error: `reviewed = 25/12/2026` is not a date saywhen can read\n --> content/techniques/active-listening.md:3:12\n")
        .stderr_has("error: unknown front matter field `onwer`\n --> content/techniques/active-listening.md:4:1\n")
        .stderr_has("2 errors, 0 warnings");
}

#[test]
fn the_yaml_suggestion_is_toml_that_parses() {
    let kb = Kb::small();
    kb.write(
        "content/faq/hardship.md",
        "---\nsituation: the customer cannot pay\ntags: [hardship, payment, upset]\nreviewed: 2026-05-01\n---\n\nText.\n",
    );
    let run = kb.run(&["check"]);
    run.failure(1);
    let help = run
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("  = help: replace both `---` lines with `+++` and write the fields as TOML, e.g. `"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let fields: Vec<&str> = help.strip_suffix('`').unwrap().split("`, `").collect();
    assert_eq!(
        fields,
        [
            "situation = \"the customer cannot pay\"",
            "tags = [\"hardship\", \"payment\", \"upset\"]",
            "reviewed = 2026-05-01",
        ]
    );
    let table: toml::Table = toml::from_str(&fields.join("\n")).expect("the suggestion is TOML");
    assert_eq!(
        table["tags"],
        toml::Value::Array(vec!["hardship".into(), "payment".into(), "upset".into()])
    );
    assert!(table["reviewed"].is_datetime());
}

/// A knowledge base from `init`, reviewed on the tests' date, with one FAQ
/// entry from `new` beside its samples: the entry's path and text.
fn init_and_new() -> (Kb, String, String) {
    let kb = Kb::new();
    std::fs::remove_file(kb.path().join("site.toml")).unwrap();
    kb.run(&["init", kb.path().to_str().unwrap(), "--force"])
        .success();
    let run = kb.run(&["new", "faq", "the customer asks for a refund"]);
    run.success();
    let rel = "content/faq/customer-asks-for-a-refund.md".to_string();
    assert!(run.stdout.trim_end().ends_with(&rel), "{}", run.stdout);
    let text = std::fs::read_to_string(kb.path().join(&rel)).unwrap();
    (kb, rel, text)
}

#[test]
fn new_does_not_claim_a_review_that_never_happened() {
    let (_kb, _, text) = init_and_new();
    let front = text
        .strip_prefix("+++\n")
        .and_then(|t| t.split_once("\n+++\n"))
        .map(|(front, _)| front)
        .expect("new writes a `+++` block");
    let table: toml::Table = toml::from_str(front).expect("new writes TOML");
    assert!(table.get("reviewed").is_none(), "{front}");
    assert_eq!(table["owner"].as_str(), Some(""), "{front}");
    assert!(
        front.lines().any(|l| l
            == "# The owner adds `reviewed = YYYY-MM-DD` (no quotes) on the day they review this entry."),
        "{front}"
    );
}

#[test]
fn check_flags_the_template_text_and_the_empty_owner_of_a_new_entry() {
    let (kb, rel, text) = init_and_new();
    let run = kb.run(&["check"]);
    // Warnings: the entry is readable, but not finished.
    run.success()
        .stderr_has(&format!(
            "\
warning: `owner` is empty: nobody is named to keep this entry correct
 --> {rel}:7:1
  |
7 | owner = \"\"
  | ^^^^^
  = help: write the person or team who reviews the entry, as `owner = \"Billing team\"`; they add `reviewed = YYYY-MM-DD` once they have checked it
"
        ))
        .stderr_has(&format!(
            "\
warning: template text left in the entry: “First thing to say.”
  --> {rel}:14:1
   |
14 | First thing to say.
   | ^^^^^^^^^^^^^^^^^^^
   = help: `saywhen new` wrote this line as an example: replace it with the entry's own words, or delete it
"
        ))
        .stderr_has(&format!(
            "warning: template text left in the entry: “Another way to say it.”\n  --> {rel}:16:1\n"
        ))
        .stderr_has(&format!(
            "\
warning: template text left in the entry: “What not to say.”
  --> {rel}:25:1
   |
25 | What not to say.
   | ^^^^^^^^^^^^^^^^
"
        ));
    kb.run(&["check", "--deny-warnings"]).failure(1);

    // Once the owner is named and the words are the entry's own, the
    // warnings go.
    let finished = text
        .replace("owner = \"\"", "owner = \"Billing\"")
        .replace(
            "First thing to say.",
            "I can look at a refund with you now.",
        )
        .replace("Another way to say it.", "Let me check what I can refund.")
        .replace("What not to say.", "Refunds are not my job.");
    kb.write(&rel, &finished);
    kb.run(&["check"])
        .success()
        .stderr_lacks("template text")
        .stderr_lacks("`owner` is empty");
}

#[test]
fn the_samples_from_init_check_with_no_warnings() {
    let kb = Kb::new();
    std::fs::remove_file(kb.path().join("site.toml")).unwrap();
    kb.run(&["init", kb.path().to_str().unwrap(), "--force"])
        .success();
    kb.run(&["check", "--deny-warnings"])
        .success()
        .stderr_lacks("warning");
}

#[test]
fn a_new_entry_is_not_yet_reviewed_on_its_page_and_in_the_trust_score() {
    let (kb, _, _) = init_and_new();
    kb.run(&["build"]).success();
    let page = kb.read("faq/customer-asks-for-a-refund.html");
    assert!(
        page.contains("<p class=\"status status-due\"><span class=\"status-icon\" aria-hidden=\"true\">!</span> <span class=\"status-label\">Not yet reviewed</span></p>"),
        "{page}"
    );
    assert!(!page.contains("status-verified"), "{page}");
    assert!(!page.contains("Verified"), "{page}");
    // The samples, reviewed today, are the verified ones.
    let sample = kb.read("faq/customer-demands-a-supervisor.html");
    assert!(sample.contains("status status-verified"), "{sample}");
    let report = kb.run(&["report"]);
    report.success();
    assert!(
        report
            .stdout
            .contains("Trust score: 75% (3 of 4 entries verified; 1 due for review, 0 expired)"),
        "{}",
        report.stdout
    );
}
