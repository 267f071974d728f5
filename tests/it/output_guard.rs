//! The output folder's guard: no spelling of `--output`, no symlink and no
//! `--force` lets a build, `serve` or `watch` replace the knowledge base's
//! own files. Every refused case leaves the knowledge base byte-identical.

use crate::support::{BIN, Run, TODAY, run, tree};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh `saywhen init` knowledge base at `<tmp>/outer/kb`, so that even
/// its parent is a folder of the test's own, with every source folder the
/// guard protects holding a file.
struct Fixture {
    _dir: tempfile::TempDir,
    outer: PathBuf,
    kb: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let outer = dir.path().join("outer");
        let kb = outer.join("kb");
        std::fs::create_dir_all(&outer).unwrap();
        let init = run({
            let mut c = Command::new(BIN);
            c.arg("init").arg(&kb).env("NO_COLOR", "1");
            c
        });
        init.success();
        for file in [
            "templates/entry.html.note",
            "static/logo.txt",
            "themes/mine/static/x.css",
            ".git/HEAD",
        ] {
            let path = kb.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "keep me\n").unwrap();
        }
        Fixture {
            _dir: dir,
            outer,
            kb,
        }
    }

    /// `saywhen ARGS` run from inside the knowledge base, as an author in
    /// a terminal would.
    fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .current_dir(&self.kb)
            .env("SAYWHEN_TODAY", TODAY)
            .env("NO_COLOR", "1");
        run(cmd)
    }

    /// Every file of the knowledge base and of its parent folder.
    fn snapshot(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        tree(&self.outer)
    }
}

/// Runs `args`, expects the guard's refusal, and checks that nothing of the
/// knowledge base (or beside it) changed.
#[track_caller]
fn refused(fixture: &Fixture, args: &[&str], says: &[&str]) {
    let before = fixture.snapshot();
    assert!(
        before
            .keys()
            .any(|k| k.starts_with("kb/content/") && k.ends_with(".md")),
        "the fixture has no entries to lose"
    );
    let r = fixture.run(args);
    r.failure(2).stderr_has("refusing to build into");
    r.stderr_has("--output public");
    r.stderr_has("--force does not override this");
    for text in says {
        r.stderr_has(text);
    }
    assert_eq!(
        fixture.snapshot(),
        before,
        "`saywhen {}` changed the knowledge base",
        args.join(" ")
    );
}

#[test]
fn the_content_folder_is_refused_however_it_is_spelled() {
    let f = Fixture::new();
    let absolute = f.kb.join("content");
    let absolute = absolute.to_str().unwrap();
    for spelling in [
        "content",
        "content/",
        "./content",
        "./content/",
        "content/.",
        "content/faq/..",
        "../kb/content",
        absolute,
    ] {
        refused(
            &f,
            &["build", "--output", spelling, "--force"],
            &["it is the knowledge base's content", "every entry"],
        );
    }
}

#[test]
fn folders_inside_the_content_are_refused_with_or_without_force() {
    let f = Fixture::new();
    for spelling in ["content/faq", "content/faq/", "../kb/content/faq"] {
        refused(
            &f,
            &["build", "--output", spelling, "--force"],
            &["it lies inside the knowledge base's content"],
        );
    }
    // A new folder inside content/ would be published again as
    // attachments by every later build.
    refused(
        &f,
        &["build", "--output", "content/faq/out"],
        &["it lies inside the knowledge base's content"],
    );
    assert!(!f.kb.join("content/faq/out").exists());
}

#[test]
fn the_knowledge_base_and_its_parents_are_refused() {
    let f = Fixture::new();
    let kb = f.kb.to_str().unwrap().to_string();
    for spelling in [".", "./", &kb, &format!("{kb}/"), "../kb"] {
        refused(
            &f,
            &["build", "--output", spelling, "--force"],
            &["it is the knowledge base folder itself"],
        );
    }
    let outer = f.outer.to_str().unwrap().to_string();
    for spelling in ["..", "../", &outer] {
        refused(
            &f,
            &["build", "--output", spelling, "--force"],
            &["contains the knowledge base"],
        );
    }
}

#[test]
fn every_other_source_of_the_knowledge_base_is_refused() {
    let f = Fixture::new();
    for (spelling, name) in [
        ("templates", "templates"),
        ("static/", "static"),
        ("themes/mine", "themes"),
        ("site.toml", "site.toml"),
        (".git", ".git"),
    ] {
        refused(
            &f,
            &["build", "--output", spelling, "--force"],
            &[&format!("the knowledge base's {name}")],
        );
    }
}

#[test]
fn a_symlink_is_judged_by_where_it_leads() {
    let f = Fixture::new();
    std::os::unix::fs::symlink("content", f.kb.join("pub")).unwrap();
    refused(
        &f,
        &["build", "--output", "pub", "--force"],
        &["(it leads to", "it is the knowledge base's content"],
    );
    // No staging link or lock was left beside it.
    assert!(std::fs::read_dir(&f.kb).unwrap().all(|e| {
        !e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".pub.")
    }));
    // A symlinked parent: a new folder below it lies inside content/.
    std::os::unix::fs::symlink(f.kb.join("content/faq"), f.outer.join("faq-link")).unwrap();
    refused(
        &f,
        &["build", "--output", "../faq-link/site"],
        &["it lies inside the knowledge base's content"],
    );
    // A link to the knowledge base itself.
    std::os::unix::fs::symlink(&f.kb, f.outer.join("kb-link")).unwrap();
    refused(
        &f,
        &["build", "--output", "../kb-link", "--force"],
        &["it is the knowledge base folder itself"],
    );
}

#[test]
fn serve_and_watch_refuse_the_same_outputs() {
    let f = Fixture::new();
    refused(
        &f,
        &["watch", "--output", "content"],
        &["it is the knowledge base's content"],
    );
    refused(
        &f,
        &["serve", "--port", "0", "--output", "./content/faq"],
        &["it lies inside the knowledge base's content"],
    );
    refused(
        &f,
        &["serve", "--port", "0", "--output", ".."],
        &["contains the knowledge base"],
    );
}

#[test]
fn a_symlink_to_a_folder_elsewhere_is_written_through() {
    let f = Fixture::new();
    let target = f.outer.join("www");
    std::fs::create_dir_all(&target).unwrap();
    let link = f.kb.join("public-link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    f.run(&["build", "--output", "public-link"]).success();
    assert!(
        link.symlink_metadata().unwrap().file_type().is_symlink(),
        "the link was replaced by a folder"
    );
    assert!(target.join("index.html").is_file());
    assert!(target.join(".saywhen-output").is_file());
}

#[test]
fn force_still_replaces_an_unmarked_folder_outside_the_knowledge_base() {
    let f = Fixture::new();
    let other = f.outer.join("old-site");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("stale.html"), "old").unwrap();
    let other_arg = other.to_str().unwrap();
    f.run(&["build", "--output", other_arg])
        .failure(2)
        .stderr_has("was not created by saywhen");
    f.run(&["build", "--output", other_arg, "--force"])
        .success();
    assert!(!other.join("stale.html").exists());
    assert!(other.join("index.html").is_file());
    // The default output is untouched by any of this and still builds.
    f.run(&["build"]).success();
    assert!(f.kb.join("public/index.html").is_file());
    assert!(Path::new(&f.kb.join("content")).is_dir());
}
