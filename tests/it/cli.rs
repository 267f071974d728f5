//! `init`, `new`, usage errors and exit codes.

use crate::support::*;
use std::process::Command;

#[test]
fn init_creates_a_knowledge_base_that_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kb");
    saywhen(&["init", dir.to_str().unwrap()]).success();
    let mut check = Command::new(BIN);
    check.args([
        "--root",
        dir.to_str().unwrap(),
        "check",
        "--deny-warnings",
        "--today",
        "2026-02-01",
    ]);
    crate::support::run(check).success();
    let mut build = Command::new(BIN);
    build.args(["--root", dir.to_str().unwrap(), "build"]);
    crate::support::run(build).success();
    assert!(
        dir.join("public/faq/customer-demands-a-supervisor.html")
            .is_file()
    );
    // A second init into the same, now non-empty, folder is refused.
    saywhen(&["init", dir.to_str().unwrap()])
        .failure(2)
        .stderr_has("is not empty");
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
    // The new entries load: the only complaints are that nothing links to them yet.
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
