//! The README's exit codes for problems of the environment: a knowledge
//! base that cannot be read and an output that cannot be written exit 2,
//! while a file or folder under `content/` that cannot be read is reported
//! with the content's problems (exit 1).
//!
//! Permissions only bind a user without root's privileges, so under root
//! the commands run as the unprivileged user 65534, after a first run as
//! that user has shown it can read and write where it should.

#![cfg(unix)]

use crate::support::*;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The user the commands run as when this process is root.
const NOBODY: u32 = 65534;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// A knowledge base every user may read (a temp dir is its owner's only).
fn readable_kb() -> Kb {
    let kb = Kb::small();
    chmod(kb.path(), 0o755);
    kb
}

/// `kb.command(args)`, run as a user the mode bits apply to.
fn as_user(kb: &Kb, args: &[&str]) -> Command {
    let mut cmd = kb.command(args);
    let root = std::fs::metadata(kb.path()).unwrap().uid() == 0;
    if root {
        cmd.uid(NOBODY).gid(NOBODY);
    }
    cmd
}

fn run_as_user(kb: &Kb, args: &[&str]) -> Run {
    run(as_user(kb, args))
}

#[test]
fn an_unreadable_knowledge_base_exits_2() {
    let kb = readable_kb();
    run_as_user(&kb, &["check"]).success();
    chmod(kb.path(), 0o000);
    let whole = run_as_user(&kb, &["check"]);
    chmod(kb.path(), 0o755);
    whole
        .failure(2)
        .stderr_has("site.toml")
        .stderr_has("Permission denied");

    let settings = kb.path().join("site.toml");
    chmod(&settings, 0o000);
    let toml = run_as_user(&kb, &["check"]);
    chmod(&settings, 0o644);
    toml.failure(2)
        .stderr_has("failed to read ")
        .stderr_has("site.toml: Permission denied");
}

#[test]
fn an_unreadable_folder_in_content_is_reported_with_the_content() {
    let kb = readable_kb();
    run_as_user(&kb, &["check"]).success();
    let techniques = kb.path().join("content/techniques");
    chmod(&techniques, 0o000);
    let check = run_as_user(&kb, &["check"]);
    chmod(&techniques, 0o755);
    check
        .failure(1)
        .stderr_has("error: cannot read folder: Permission denied")
        .stderr_has(" --> content/techniques\n")
        .stderr_has("help: check its permissions");
}

#[test]
fn an_output_that_cannot_be_written_exits_2_and_writes_nothing() {
    let kb = readable_kb();
    let open = kb.path().join("open");
    std::fs::create_dir(&open).unwrap();
    chmod(&open, 0o777);
    let site = open.join("site");
    run_as_user(&kb, &["build", "--output", site.to_str().unwrap()]).success();
    assert!(site.join("index.html").is_file());

    let closed = kb.path().join("closed");
    std::fs::create_dir(&closed).unwrap();
    chmod(&closed, 0o555);
    let out = closed.join("site");
    let out = out.to_str().unwrap();
    let build = run_as_user(&kb, &["build", "--output", out]);
    build.failure(2).stderr_has("Permission denied");
    let empty = |dir: &Path| std::fs::read_dir(dir).unwrap().next().is_none();
    assert!(empty(&closed), "nothing is written");

    // serve and watch stop too, rather than run with nowhere to write.
    for args in [
        &["serve", "--port", "0", "--output", out][..],
        &["watch", "--output", out][..],
    ] {
        let mut child = as_user(&kb, args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        // A hang guard, not a speed target: it stops at once.
        let deadline = Instant::now() + Duration::from_secs(60);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("{args:?} kept running with an output it cannot write");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        assert_eq!(status.code(), Some(2), "{args:?}");
    }
    assert!(empty(&closed), "nothing is written");
}
