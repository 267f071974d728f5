//! The test driver: a knowledge base in a temp dir, files written by the
//! test, and the real binary run on it with stdout, stderr and exit code
//! captured for assertions.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_saywhen");

/// A fixed "today" so review-age warnings never depend on the day tests run.
pub(crate) const TODAY: &str = "2026-06-01";

pub(crate) struct Kb {
    pub dir: tempfile::TempDir,
}

pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub(crate) fn success(&self) -> &Self {
        assert_eq!(
            self.code, 0,
            "expected success\n--- stderr ---\n{}\n--- stdout ---\n{}",
            self.stderr, self.stdout
        );
        self
    }

    #[track_caller]
    pub(crate) fn failure(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "expected exit {code}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_lacks(&self, text: &str) -> &Self {
        assert!(
            !self.stderr.contains(text),
            "stderr has {text:?}\n--- stderr ---\n{}",
            self.stderr
        );
        self
    }
}

pub(crate) const SITE_TOML: &str =
    "title = \"Test KB\"\nbase_url = \"https://intranet.example/kb/\"\n";

/// Front matter and body for a quick entry.
pub(crate) fn entry(front: &str, body: &str) -> String {
    format!("+++\n{front}\n+++\n{body}")
}

impl Kb {
    /// An empty knowledge base with a minimal site.toml.
    pub(crate) fn new() -> Kb {
        let kb = Kb {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        kb.write("site.toml", SITE_TOML);
        std::fs::create_dir_all(kb.path().join("content")).unwrap();
        kb
    }

    /// A small, fully cross-linked knowledge base: one entry of each kind.
    pub(crate) fn small() -> Kb {
        let kb = Kb::new();
        kb.write(
            "content/playbooks/escalated-call.md",
            &entry(
                "title = \"Taking over an escalated call\"\ntags = [\"escalated\"]\nowner = \"Desk\"\nreviewed = 2026-05-01",
                "Intro linking [[customer-threatens-to-sue]].\n\n## Prepare\n\nRead the notes. Use [[active-listening]].\n\n## Open the call\n\nSay your name.\n",
            ),
        );
        kb.write(
            "content/techniques/active-listening.md",
            &entry(
                "title = \"Active listening\"\ntags = [\"listening\", \"escalated\"]\nowner = \"Training\"\nreviewed = 2026-05-02",
                "## How to do it\n\nListen. Back to [the playbook](../playbooks/escalated-call.md#step-2).\n",
            ),
        );
        kb.write(
            "content/faq/customer-threatens-to-sue.md",
            &entry(
                "situation = \"the customer threatens to sue\"\ntags = [\"legal\", \"escalated\"]\naliases = [\"caller says he'll take us to court\", \"customer mentions a lawyer\"]\nrelated = [\"active-listening\"]\nowner = \"Compliance\"\nreviewed = 2026-05-03",
                "## What to say\n\n```say\nI hear you.\n\nLet me note that.\n```\n\n```avoid\nGo ahead then.\n```\n\nFollow [[escalated-call#step-1]] and [[active-listening|listen]].\n",
            ),
        );
        kb
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    pub(crate) fn remove(&self, rel: &str) -> &Self {
        std::fs::remove_file(self.path().join(rel)).unwrap();
        self
    }

    /// `saywhen --root <kb> ARGS` with the fixed date and no colour, to run
    /// or to spawn.
    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.arg("--root")
            .arg(self.path())
            .args(args)
            .env("SAYWHEN_TODAY", TODAY)
            .env("NO_COLOR", "1");
        cmd
    }

    /// Runs `saywhen --root <kb> ARGS` with the fixed date.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run(self.command(args))
    }

    pub(crate) fn out(&self) -> PathBuf {
        self.path().join("public")
    }

    /// A file of the built site, as text.
    #[track_caller]
    pub(crate) fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }
}

pub(crate) fn run(mut cmd: Command) -> Run {
    let out = cmd.output().expect("run saywhen");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file below `dir`, relative path → bytes, for byte-for-byte
/// comparisons of two builds. A file that vanishes while it is read (a
/// watcher's temp file renamed into place) is left out: the comparison
/// then fails and a polling caller looks again.
pub(crate) fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, std::fs::read(e.path()).ok()?))
        })
        .collect()
}

/// The `href` values of all links in `html`, in order.
pub(crate) fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or("").to_string())
        .collect()
}

/// Runs the binary with `args` and no `--root`.
pub(crate) fn saywhen(args: &[&str]) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env("NO_COLOR", "1");
    run(cmd)
}

/// Size of `bytes` after gzip at the default level, as a web server sends it.
pub(crate) fn gzip_len(bytes: &[u8]) -> usize {
    use std::io::Write as _;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap().len()
}
