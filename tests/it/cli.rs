//! `init`, `new`, usage errors and exit codes.

use crate::support::*;
use std::process::Command;

/// `saywhen ARGS` with no `SAYWHEN_TODAY` from the environment, so the
/// date is the real one unless ARGS give it.
fn on_the_real_date(args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("SAYWHEN_TODAY")
        .env("NO_COLOR", "1");
    crate::support::run(cmd)
}

/// The `reviewed = ...` lines of the starter entries.
fn review_dates(dir: &std::path::Path) -> Vec<String> {
    [
        "content/playbooks/taking-over-an-escalated-call.md",
        "content/techniques/active-listening.md",
        "content/faq/customer-demands-a-supervisor.md",
    ]
    .iter()
    .map(|rel| {
        let text = std::fs::read_to_string(dir.join(rel)).unwrap();
        let line = text.lines().find(|l| l.starts_with("reviewed = "));
        line.unwrap_or_else(|| panic!("{rel} has no review date"))
            .to_string()
    })
    .collect()
}

#[test]
fn init_creates_a_knowledge_base_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    let root = dir.to_str().unwrap();
    let before = time::OffsetDateTime::now_utc().date();
    on_the_real_date(&["init", root]).success();
    let after = time::OffsetDateTime::now_utc().date();
    // Stamped with today (UTC), so nothing is overdue or in the future.
    let dates = review_dates(&dir);
    assert!(
        [before, after]
            .iter()
            .any(|d| dates.iter().all(|l| *l == format!("reviewed = {d}"))),
        "{dates:?}, today {before}"
    );
    let check = on_the_real_date(&["--root", root, "check"]);
    check.success().stderr_lacks("warning");
    assert_eq!(check.stderr, "no problems found\n");
    on_the_real_date(&["--root", root, "check", "--deny-warnings"]).success();
    on_the_real_date(&["--root", root, "build"]).success();
    assert!(
        dir.join("public/faq/customer-demands-a-supervisor.html")
            .is_file()
    );
    // A second init into the same, now non-empty, folder is refused.
    saywhen(&["init", root])
        .failure(2)
        .stderr_has("is not empty");
}

#[test]
fn init_stamps_the_date_check_is_told_is_today() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    let root = dir.to_str().unwrap();
    let mut init = Command::new(BIN);
    init.args(["init", root]).env("SAYWHEN_TODAY", "2026-02-01");
    crate::support::run(init).success();
    assert_eq!(review_dates(&dir), ["reviewed = 2026-02-01"; 3]);
    let check = |today: &str| {
        on_the_real_date(&["--root", root, "check", "--deny-warnings", "--today", today])
    };
    check("2026-02-01").success();
    // Entries dated long before today are what a fixed date gave: overdue.
    check("2026-12-01")
        .failure(1)
        .stderr_has("0 errors, 3 warnings");
    // The flag, like check's, wins over the environment.
    let flagged = tmp.path().join("flagged");
    let mut init = Command::new(BIN);
    init.args(["init", flagged.to_str().unwrap(), "--today", "2026-03-04"])
        .env("SAYWHEN_TODAY", "2026-02-01");
    crate::support::run(init).success();
    assert_eq!(review_dates(&flagged), ["reviewed = 2026-03-04"; 3]);
    on_the_real_date(&[
        "init",
        tmp.path().join("bad").to_str().unwrap(),
        "--today",
        "2026-13-01",
    ])
    .failure(2)
    .stderr_has("--today / SAYWHEN_TODAY must be a date like 2026-01-31, not `2026-13-01`");
    assert!(!tmp.path().join("bad").exists(), "nothing is written");
}

#[test]
fn new_writes_an_entry_and_refuses_to_overwrite() {
    let kb = Kb::small();
    let run = kb.run(&["new", "faq", "The customer threatens to sue?"]);
    run.failure(2)
        .stderr_has("customer-threatens-to-sue.md already exists");
    let run = kb.run(&["new", "faq", "the customer says they lost their job"]);
    run.success();
    assert!(
        run.stdout
            .trim_end()
            .ends_with("content/faq/customer-says-they-lost-their-job.md")
    );
    let text = std::fs::read_to_string(
        kb.path()
            .join("content/faq/customer-says-they-lost-their-job.md"),
    )
    .unwrap();
    assert!(
        text.starts_with("+++\nsituation = \"the customer says they lost their job\"\n"),
        "{text}"
    );
    kb.run(&["new", "technique", "Setting boundaries"])
        .success();
    assert!(
        kb.path()
            .join("content/techniques/setting-boundaries.md")
            .is_file()
    );
    // The new entries load; the complaints are warnings: nothing links to
    // them yet, and their template text and empty owner are still there.
    let run = kb.run(&["check"]);
    run.success()
        .stderr_has("orphan entry: nothing links to `faq/customer-says-they-lost-their-job`");
}

#[test]
fn missing_site_toml_is_explained() {
    let tmp = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(BIN);
    cmd.args(["--root", tmp.path().to_str().unwrap(), "check"]);
    run(cmd)
        .failure(1)
        .stderr_has("error: no site.toml in")
        .stderr_has("saywhen init DIR");
}

#[test]
fn usage_errors_exit_2() {
    saywhen(&["build", "--no-such-flag"]).failure(2);
    let kb = Kb::small();
    kb.run(&["check", "--today", "yesterday"])
        .failure(2)
        .stderr_has("must be a date like 2026-01-31");
}

#[test]
fn help_lists_the_commands() {
    let out = saywhen(&["--help"]);
    out.success();
    for cmd in ["build", "check", "init", "new"] {
        assert!(out.stdout.contains(cmd), "{}", out.stdout);
    }
}
