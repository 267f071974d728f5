//! docs/authoring.md shows authors complete entries; these tests build
//! exactly those, so the guide cannot drift from what `check` accepts.

use crate::support::*;

const GUIDE: &str = include_str!("../../docs/authoring.md");

/// The marker before each example in the guide: the file it is, relative to
/// the knowledge base. The example is the four-backtick fenced block that
/// follows it (four, because entries hold three-backtick blocks).
const MARKER: &str = "<!-- authoring-example: ";

/// Every (path, text) example of the guide, in order.
fn examples() -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut lines = GUIDE.lines();
    while let Some(line) = lines.next() {
        let Some(path) = line.strip_prefix(MARKER) else {
            continue;
        };
        let path = path
            .strip_suffix(" -->")
            .unwrap_or_else(|| panic!("marker without ` -->`: {line}"));
        assert_eq!(
            lines.next(),
            Some("````markdown"),
            "{path}: the marker must be followed by a ````markdown block"
        );
        let mut text = String::new();
        loop {
            match lines.next() {
                Some("````") => break,
                Some(body) => {
                    text.push_str(body);
                    text.push('\n');
                }
                None => panic!("{path}: the ````markdown block is never closed"),
            }
        }
        found.push((path.to_string(), text));
    }
    found
}

#[test]
fn the_guide_shows_a_complete_entry_of_each_kind_and_a_snippet() {
    let paths: Vec<String> = examples().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        paths,
        [
            "content/faq/customer-asks-for-a-refund.md",
            "content/techniques/summarising.md",
            "content/playbooks/handling-a-refund-request.md",
            "content/_snippets/refund-timescale.md",
        ]
    );
    for (path, text) in examples() {
        if !path.contains("/_snippets/") {
            assert!(text.starts_with("+++\n"), "{path} has no front matter");
        }
    }
}

#[test]
fn the_guides_examples_build_and_check_with_deny_warnings() {
    // As an author starts: a knowledge base from `init`, the guide's files
    // added to it.
    let kb = Kb::new();
    std::fs::remove_file(kb.path().join("site.toml")).unwrap();
    kb.run(&["init", kb.path().to_str().unwrap(), "--force"])
        .success();
    for (path, text) in examples() {
        kb.write(&path, &text);
    }
    let check = kb.run(&["check", "--deny-warnings"]);
    check.success();
    assert_eq!(check.stderr, "no problems found\n");
    kb.run(&["build"]).success();
    // What the guide says the examples do on the site.
    let faq = kb.read("faq/customer-asks-for-a-refund.html");
    assert!(
        faq.contains("What should I say when the customer asks for a refund?"),
        "{faq}"
    );
    let playbook = kb.read("playbooks/handling-a-refund-request.html");
    assert!(
        playbook.contains("The refund reaches your account within five working days"),
        "the snippet is not in the playbook"
    );
    assert!(playbook.contains("id=\"step-4\""), "{playbook}");
}

/// The messages the guide's table explains: the code spans of its first
/// column, in section 9. `…` stands for a part that varies.
fn explained_messages() -> Vec<String> {
    let section = GUIDE
        .split_once("## 9. What the messages mean")
        .and_then(|(_, rest)| rest.split_once("\n## 10."))
        .map(|(section, _)| section)
        .expect("the guide has section 9");
    let mut messages = Vec::new();
    for row in section.lines().filter(|l| l.starts_with("| `")) {
        let first = row[1..].split(" | ").next().unwrap();
        // Code spans: ``…`` when the message holds backticks, else `…`.
        let mut rest = first.trim();
        while let Some(start) = rest.find('`') {
            let ticks = if rest[start..].starts_with("``") {
                2
            } else {
                1
            };
            let delim = &rest[start..start + ticks];
            let after = &rest[start + ticks..];
            let end = after.find(delim).expect("an unclosed code span");
            messages.push(after[..end].trim().to_string());
            rest = &after[end + ticks..];
        }
    }
    messages
}

#[test]
fn the_guide_explains_messages_check_really_prints() {
    let messages = explained_messages();
    assert!(messages.len() >= 18, "{messages:?}");

    // Errors: each mistake in its own file, so one does not hide another.
    let errors = Kb::new();
    std::fs::remove_file(errors.path().join("site.toml")).unwrap();
    errors
        .run(&["init", errors.path().to_str().unwrap(), "--force"])
        .success();
    let faq = |front: &str, body: &str| {
        entry(
            &format!("{front}\nowner = \"Team lead\"\nreviewed = {TODAY}"),
            body,
        )
    };
    errors
        .write(
            "content/faq/links.md",
            &faq(
                "situation = \"the links are wrong\"",
                "See [[active-listening#how-to-do-that]] and [[nowhere]].\n\n```say\nYou have no choice.\n```\n\n```snippet greeting\n```\n",
            ),
        )
        .write(
            "content/faq/quotes.md",
            "+++\nsituation = \"the quotes are missing\"\nowner = Team lead\n+++\n",
        )
        .write(
            "content/faq/date.md",
            "+++\nsituation = \"the date is misspelled\"\nreviewed = 12/01/2026\n+++\n",
        )
        .write(
            "content/faq/yaml.md",
            "---\nsituation: the customer cannot pay\n---\n",
        )
        .write(
            "content/faq/field.md",
            "+++\nsituation = \"a field is unknown\"\ncolour = \"red\"\n+++\n",
        )
        .write("content/faq/untitled.md", "+++\ndescription = \"x\"\n+++\n")
        .write(
            "content/playbooks/untitled.md",
            "+++\ndescription = \"x\"\n+++\n",
        )
        .write(
            "content/techniques/Active-Listening.md",
            &entry("title = \"A copy\"", "Text.\n"),
        )
        .write(
            "content/playbooks/forks.md",
            &entry(
                "title = \"Forks\"\nowner = \"Team lead\"",
                "## Ask\n\n- If yes → step 7\n- If no → end\n\n## Never reached\n\nText.\n",
            ),
        );
    // The guide's worked example: its link on line 14, column 17.
    let lines = (4..=13).map(|n| format!("Line {n}.\n")).collect::<String>();
    errors.write(
        "content/faq/customer-is-upset.md",
        &format!(
            "+++\nsituation = \"the customer is upset\"\n+++\n{lines}See [listening](../techniques/active-listning.md) for how.\n"
        ),
    );
    let mut printed = errors.run(&["check"]).stderr.clone();

    // Warnings show once the errors are gone.
    let warnings = Kb::new();
    std::fs::remove_file(warnings.path().join("site.toml")).unwrap();
    warnings
        .run(&["init", warnings.path().to_str().unwrap(), "--force"])
        .success();
    warnings
        .run(&["new", "technique", "Setting boundaries"])
        .success();
    warnings.write(
        "content/faq/old.md",
        &entry(
            "situation = \"the entry is old\"\ntags = [\"upsett\"]\nowner = \"Team lead\"\nreviewed = 2020-01-01",
            "Never say you have no choice.\n",
        ),
    );
    let run = warnings.run(&["check"]);
    run.success();
    printed += &run.stderr;

    for message in &messages {
        let mut at = 0;
        for piece in message.split('…') {
            match printed[at..].find(piece) {
                Some(i) => at += i + piece.len(),
                None => panic!("check never prints {message:?}\n{printed}"),
            }
        }
    }
    // The worked example at the top of section 9, as check prints it.
    let example = GUIDE
        .split_once("<!-- authoring-message -->\n```\n")
        .and_then(|(_, rest)| rest.split_once("```\n"))
        .map(|(block, _)| block)
        .expect("the guide has a worked message");
    assert!(
        printed.contains(example),
        "the guide's example:\n{example}\nis not what check prints:\n{printed}"
    );
}
