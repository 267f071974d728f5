//! What a test needs from the machine beyond the Rust toolchain: Chromium
//! for the browser tests, axe-core (from `npm ci`) for the accessibility
//! audit, MiniSearch (also from `npm ci`) for the search evaluation, nginx
//! for the search gaps' real access log, and the like (installed locales,
//! root).
//!
//! On a fresh machine a test whose component is missing is skipped with a
//! one-line hint saying what to install; with `CI` set it fails with that
//! hint instead, so CI can never pass by skipping. Every such test starts
//! with [`require_chromium`] (and [`require_axe`] or
//! [`require_minisearch`]), or [`require_need`] for a need that is not a
//! file, which make that one decision in [`decide_need`].

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Something a test needs that `cargo` does not provide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Component {
    Chromium,
    AxeCore,
    MiniSearch,
    Nginx,
}

impl Component {
    /// What is missing and how to get it, for a path that holds no file.
    fn hint(self, path: &Path) -> String {
        match self {
            Component::Chromium => format!(
                "needs Chromium at {} (apt-get install chromium, or set SAYWHEN_CHROMIUM)",
                path.display()
            ),
            Component::AxeCore => format!("needs axe-core at {AXE} (npm ci)"),
            Component::MiniSearch => format!("needs MiniSearch at {MINISEARCH} (npm ci)"),
            Component::Nginx => format!(
                "needs nginx at {} (apt-get install nginx, or set SAYWHEN_NGINX)",
                path.display()
            ),
        }
    }
}

/// What a test does about one component.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Run,
    /// Missing on a developer's machine: skip, printing this hint.
    Skip(String),
    /// Missing under CI: fail with this hint.
    Fail(String),
}

/// Runs when `path` is a file; otherwise skips with a hint, or fails with
/// it when `ci` is set. Takes the path and the flag rather than reading
/// the environment, so both ways can be tested in one process.
pub(crate) fn decide(component: Component, path: &Path, ci: bool) -> Outcome {
    decide_need((!path.is_file()).then(|| component.hint(path)), ci)
}

/// Whether `CI` (as read from the environment) asks for missing components
/// to fail: any non-empty value (CI services set `true`), so no spelling
/// lets CI skip; an empty value counts as unset, so `CI= cargo test`
/// behaves as on a developer's machine.
pub(crate) fn ci_from(value: Option<&OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

fn ci() -> bool {
    ci_from(std::env::var_os("CI").as_deref())
}

/// Applies [`decide`]: `true` to run, `false` after writing one line to
/// `log` to skip; panics under CI. The harness names each test's thread
/// after the test, so the line says which test was skipped.
#[track_caller]
pub(crate) fn require(component: Component, path: &Path, ci: bool, log: &mut dyn Write) -> bool {
    apply(decide(component, path, ci), log)
}

/// Runs, or writes the skip line naming the test, or panics.
#[track_caller]
fn apply(outcome: Outcome, log: &mut dyn Write) -> bool {
    match outcome {
        Outcome::Run => true,
        Outcome::Skip(hint) => {
            let test = std::thread::current()
                .name()
                .filter(|n| *n != "main")
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let _ = writeln!(log, "skipped{test}: {hint}");
            false
        }
        Outcome::Fail(hint) => panic!("{hint}"),
    }
}

/// [`decide`] for a need that is not one file (a locale, a privilege):
/// `missing` is `None` when it is met, else the hint saying how to meet it.
pub(crate) fn decide_need(missing: Option<String>, ci: bool) -> Outcome {
    match missing {
        None => Outcome::Run,
        Some(hint) if ci => Outcome::Fail(format!(
            "{hint}; CI is set, so a missing component fails the test"
        )),
        Some(hint) => Outcome::Skip(hint),
    }
}

/// [`require_chromium`]'s rule for any other need: `true` to run, `false`
/// after one line on stderr to skip; panics under CI.
#[track_caller]
pub(crate) fn require_need(missing: Option<String>) -> bool {
    apply(decide_need(missing, ci()), &mut std::io::stderr())
}

/// [`require`] with the line going straight to stderr rather than through
/// `eprintln!`, which the harness captures and shows only for failing
/// tests: a skip is never silent.
#[track_caller]
fn require_here(component: Component, path: &Path) -> bool {
    require(component, path, ci(), &mut std::io::stderr())
}

/// Debian's Chromium, or `$SAYWHEN_CHROMIUM`.
pub(crate) fn chromium_path() -> PathBuf {
    std::env::var_os("SAYWHEN_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Where `npm ci` puts axe-core, relative to the repository.
const AXE: &str = "node_modules/axe-core/axe.min.js";

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(AXE)
}

/// Where `npm ci` puts MiniSearch's browser build, relative to the
/// repository.
const MINISEARCH: &str = "node_modules/minisearch/dist/umd/index.js";

/// MiniSearch's source if it is there; `None` when the test should return
/// at once (skipped).
#[track_caller]
pub(crate) fn require_minisearch() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(MINISEARCH);
    if !require_here(Component::MiniSearch, &path) {
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => panic!("cannot read MiniSearch at {}: {e}", path.display()),
    }
}

/// Chromium's path if it is there; `None` when the test should return at
/// once (skipped). Call it first in every test that opens a page.
#[track_caller]
pub(crate) fn require_chromium() -> Option<PathBuf> {
    let path = chromium_path();
    require_here(Component::Chromium, &path).then_some(path)
}

/// Debian's nginx, or `$SAYWHEN_NGINX`, for the test that reads a real
/// web server's access log; `None` when the test should return at once
/// (skipped).
#[track_caller]
pub(crate) fn require_nginx() -> Option<PathBuf> {
    let path = std::env::var_os("SAYWHEN_NGINX")
        .map_or_else(|| PathBuf::from("/usr/sbin/nginx"), PathBuf::from);
    require_here(Component::Nginx, &path).then_some(path)
}

/// axe-core's source if it is there; `None` when the test should return
/// at once (skipped).
#[track_caller]
pub(crate) fn require_axe() -> Option<String> {
    let path = axe_path();
    if !require_here(Component::AxeCore, &path) {
        return None;
    }
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(e) => panic!("cannot read axe-core at {}: {e}", path.display()),
    }
}

#[test]
fn a_missing_component_skips_with_a_hint_and_fails_under_ci() {
    let bogus = Path::new("/nonexistent/saywhen-test/chromium");
    let hint = "needs Chromium at /nonexistent/saywhen-test/chromium (apt-get install chromium, or set SAYWHEN_CHROMIUM)";
    assert_eq!(
        decide(Component::Chromium, bogus, false),
        Outcome::Skip(hint.into())
    );
    assert_eq!(
        decide(Component::Chromium, bogus, true),
        Outcome::Fail(format!(
            "{hint}; CI is set, so a missing component fails the test"
        ))
    );
    assert_eq!(
        decide(Component::AxeCore, bogus, false),
        Outcome::Skip("needs axe-core at node_modules/axe-core/axe.min.js (npm ci)".into())
    );
    assert_eq!(
        decide(Component::MiniSearch, bogus, false),
        Outcome::Skip(
            "needs MiniSearch at node_modules/minisearch/dist/umd/index.js (npm ci)".into()
        )
    );
    assert_eq!(
        decide(Component::Nginx, bogus, false),
        Outcome::Skip(
            "needs nginx at /nonexistent/saywhen-test/chromium (apt-get install nginx, or set SAYWHEN_NGINX)".into()
        )
    );
    let mut log = Vec::new();
    assert!(!require(Component::Chromium, bogus, false, &mut log));
    assert_eq!(
        String::from_utf8(log).unwrap(),
        format!(
            "skipped needs::a_missing_component_skips_with_a_hint_and_fails_under_ci: {hint}\n"
        ),
        "one line, naming the test"
    );
    let mut log = Vec::new();
    let under_ci =
        std::panic::catch_unwind(move || require(Component::AxeCore, bogus, true, &mut log));
    let message = under_ci.expect_err("CI turns a skip into a failure");
    assert_eq!(
        message.downcast_ref::<String>().map(String::as_str),
        Some(
            "needs axe-core at node_modules/axe-core/axe.min.js (npm ci); CI is set, so a missing component fails the test"
        )
    );
}

#[test]
fn a_present_component_runs_and_a_folder_is_not_one() {
    let file = tempfile::NamedTempFile::new().unwrap();
    for ci in [false, true] {
        assert_eq!(decide(Component::Chromium, file.path(), ci), Outcome::Run);
        let mut log = Vec::new();
        assert!(require(Component::AxeCore, file.path(), ci, &mut log));
        assert!(log.is_empty());
    }
    let folder = tempfile::tempdir().unwrap();
    assert!(matches!(
        decide(Component::Chromium, folder.path(), false),
        Outcome::Skip(_)
    ));
}

#[test]
fn any_other_need_follows_the_same_rule() {
    assert_eq!(decide_need(None, true), Outcome::Run);
    assert_eq!(
        decide_need(Some("needs X (apt-get install x)".into()), false),
        Outcome::Skip("needs X (apt-get install x)".into())
    );
    assert_eq!(
        decide_need(Some("needs X (apt-get install x)".into()), true),
        Outcome::Fail(
            "needs X (apt-get install x); CI is set, so a missing component fails the test".into()
        )
    );
}

#[test]
fn ci_is_any_non_empty_value() {
    assert!(!ci_from(None));
    assert!(!ci_from(Some(OsStr::new(""))));
    assert!(ci_from(Some(OsStr::new("true"))));
    assert!(ci_from(Some(OsStr::new("1"))));
    assert!(ci_from(Some(OsStr::new("false"))));
}
