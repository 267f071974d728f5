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
