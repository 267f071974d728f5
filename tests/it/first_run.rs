//! `saywhen init` as an author first meets it: what it prints, and a
//! starter knowledge base that is verified, checks clean with
//! `--deny-warnings`, and carries a live example wording rule.

use crate::support::*;
use std::process::Command;

/// `saywhen init DIR --today TODAY` with no colour.
fn init(dir: &std::path::Path, extra: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.arg("init")
        .arg(dir)
        .args(["--today", TODAY])
        .args(extra)
        .env("NO_COLOR", "1");
    run(cmd)
}

#[test]
fn init_prints_what_to_edit_first_and_how_to_preview() {
    // A relative folder, so the printed text is the same on every machine.
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.current_dir(tmp.path())
        .args(["init", "kb", "--today", TODAY])
        .env("NO_COLOR", "1");
    let run = run(cmd);
    run.success();
    assert_eq!(
        run.stdout,
        "\
created a knowledge base in kb

What to edit first:
  1. site.toml, `title`: the name on every page, now \"Our difficult-calls knowledge base\".
  2. site.toml, `base_url`: the address the site will be published at, path
     included, now \"https://intranet.example/kb/\". The preview uses the same path, so it opens
     at http://127.0.0.1:1111/kb/ and its links work as they will when published.
  3. `owner` in each entry under content/: the person or team who keeps it correct
     and writes the day they last checked it as `reviewed = YYYY-MM-DD`.
  4. site.toml, `[[lint.forbidden]]`: an example rule of words agents must never say;
     make its phrases your own.
  5. search-tests.toml: queries agents type and the entry each must find;
     `check` runs them with the search page's own ranking.

Then preview the site as you write (every save reloads the page):
  saywhen --root kb serve
Before a pull request, check what CI will check:
  saywhen --root kb check --deny-warnings
"
    );
    assert_eq!(run.stderr, "");
    assert!(tmp.path().join("kb/site.toml").is_file());
}

#[test]
fn init_names_the_site_toml_it_kept_and_quotes_a_folder_with_spaces() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("our kb");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("site.toml"),
        "title = \"Billing help\"\nbase_url = \"https://wiki.example/teams/billing/\"\n",
    )
    .unwrap();
    let run = init(&dir, &["--force"]);
    run.success();
    let at = dir.display();
    for line in [
        "  1. site.toml, `title`: the name on every page, now \"Billing help\".\n".to_string(),
        "     included, now \"https://wiki.example/teams/billing/\". The preview uses the same path, so it opens\n".to_string(),
        "     at http://127.0.0.1:1111/teams/billing/ and its links work as they will when published.\n".to_string(),
        format!("  saywhen --root '{at}' serve\n"),
    ] {
        assert!(run.stdout.contains(&line), "{line:?} missing from\n{}", run.stdout);
    }
}

#[test]
fn the_starter_knowledge_base_is_verified_and_checks_with_deny_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    init(&dir, &[]).success();
    let kb = |args: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.arg("--root")
            .arg(&dir)
            .args(args)
            .args(["--today", TODAY])
            .env("NO_COLOR", "1");
        run(cmd)
    };
    let check = kb(&["check", "--deny-warnings"]);
    check.success();
    assert_eq!(check.stderr, "no problems found\n");
    let report = kb(&["report"]);
    report.success();
    assert!(
        report
            .stdout
            .contains("Trust score: 100% (3 of 3 entries verified"),
        "{}",
        report.stdout
    );
    kb(&["build"]).success();
    for page in [
        "playbooks/taking-over-an-escalated-call.html",
        "techniques/active-listening.html",
        "faq/customer-demands-a-supervisor.html",
    ] {
        let html = std::fs::read_to_string(dir.join("public").join(page)).unwrap();
        assert!(
            html.contains(&format!("Verified {TODAY}")),
            "{page} is not shown as verified"
        );
        assert!(!html.contains("status-due"), "{page} is shown as due");
    }
}

#[test]
fn the_starter_wording_rule_is_live() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    init(&dir, &[]).success();
    let site = std::fs::read_to_string(dir.join("site.toml")).unwrap();
    assert!(
        site.contains("[[lint.forbidden]]\nname = \"no-threats\"\n"),
        "{site}"
    );
    // The same words in a say-phrase of a sample fail the check.
    let faq = dir.join("content/faq/customer-demands-a-supervisor.md");
    let text = std::fs::read_to_string(&faq).unwrap();
    let said = text.replace(
        "Of course. I'll brief them",
        "You have no choice. I'll brief them",
    );
    assert_ne!(said, text, "the sample's say-phrase moved");
    std::fs::write(&faq, said).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.arg("--root")
        .arg(&dir)
        .args(["check", "--today", TODAY])
        .env("NO_COLOR", "1");
    run(cmd)
        .failure(1)
        .stderr_has("error: forbidden wording in a say-phrase: “You have no choice” (no-threats)");
}
