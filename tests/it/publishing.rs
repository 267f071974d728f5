//! Publishing: a killed or concurrent build never leaves a half-written or
//! mixed site, the same input gives the same bytes everywhere, and `check`
//! speaks the machine-readable language CI needs.

use crate::support::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

type Tree = BTreeMap<String, Vec<u8>>;

/// A knowledge base big enough that writing its output takes a while:
/// `n` techniques, each linked from the playbook, with `title` in every
/// page so two versions differ in every file.
fn big_kb(n: usize, title: &str) -> Kb {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!("title = \"{title}\"\nbase_url = \"https://intranet.example/kb/\"\n"),
    );
    rewrite_big(&kb, n, title);
    kb
}

fn rewrite_big(kb: &Kb, n: usize, title: &str) {
    kb.write(
        "site.toml",
        &format!("title = \"{title}\"\nbase_url = \"https://intranet.example/kb/\"\n"),
    );
    let mut links = String::new();
    for i in 0..n {
        kb.write(
            &format!("content/techniques/t{i:04}.md"),
            &entry(
                &format!(
                    "title = \"Technique {i} of {title}\"\ntags = [\"t{}\"]",
                    i % 50
                ),
                &format!("## How\n\nStep {i}. Back to [[escalated-call]].\n"),
            ),
        );
        links.push_str(&format!("[[t{i:04}]] "));
    }
    kb.write(
        "content/playbooks/escalated-call.md",
        &entry(
            "title = \"Taking over an escalated call\"\ntags = [\"escalated\"]",
            &format!("Intro [[customer-threatens-to-sue]] [[active-listening]] {links}\n\n## Prepare\n\nRead.\n\n## Open the call\n\nSay.\n"),
        ),
    );
}

fn build_cmd(kb: &Kb, out: &Path) -> Command {
    build_at(kb.path(), out)
}

fn build_at(root: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--root")
        .arg(root)
        .args(["build", "--output"])
        .arg(out)
        .env("SAYWHEN_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    cmd
}

/// What a build puts beside `out` while it runs (staging and old folders,
/// the lock file) and must not leave there once it is done.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect()
}

fn kill(mut child: Child) {
    // `Child::kill` is SIGKILL on Unix: no handler, no cleanup.
    // A child that already finished is not an error.
    let _ = child.kill();
    child.wait().expect("wait");
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let kb = big_kb(300, "Old");
    let out = kb.path().join("site");
    assert!(build_cmd(&kb, &out).status().unwrap().success());
    let old = tree(&out);
    // What the new content gives, built elsewhere.
    rewrite_big(&kb, 300, "New");
    let elsewhere = kb.path().join("expected");
    let started = Instant::now();
    assert!(build_cmd(&kb, &elsewhere).status().unwrap().success());
    let took = started.elapsed();
    let new = tree(&elsewhere);
    assert!(old.len() > 300 && old != new);

    let whole = |label: &str| {
        let now = tree(&out);
        assert!(
            now == old || now == new,
            "{label}: the output is neither the old nor the new site ({} files)",
            now.len()
        );
        now == old
    };

    // Killed while the staging folder is being filled: the old site stays.
    let mut mid_write = 0;
    for round in 0..5 {
        let mut child = build_cmd(&kb, &out).spawn().unwrap();
        while leftovers(&out).iter().all(|n| !n.contains("staging"))
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(Duration::from_micros(200));
        }
        kill(child);
        let staged = leftovers(&out).iter().any(|n| n.contains("staging"));
        if whole(&format!("mid-write kill {round}")) && staged {
            mid_write += 1;
        }
    }
    assert!(
        mid_write > 0,
        "no kill landed while the staging folder was filled"
    );

    // Killed at moments spread over a whole build.
    for k in 0..=12u32 {
        let child = build_cmd(&kb, &out).spawn().unwrap();
        std::thread::sleep(took * k / 10);
        kill(child);
        whole(&format!("kill after {}/10 of a build", k));
    }

    // The next build cleans up after the killed ones and publishes.
    assert!(build_cmd(&kb, &out).status().unwrap().success());
    assert_eq!(tree(&out), new);
    assert_eq!(leftovers(&out), Vec::<String>::new());
}

#[test]
fn concurrent_builds_into_one_output_never_mix() {
    let a = big_kb(150, "Alpha");
    let b = big_kb(150, "Beta");
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("site");
    let (only_a, only_b) = {
        let (pa, pb) = (shared.path().join("a"), shared.path().join("b"));
        assert!(build_cmd(&a, &pa).status().unwrap().success());
        assert!(build_cmd(&b, &pb).status().unwrap().success());
        (tree(&pa), tree(&pb))
    };
    assert_ne!(only_a, only_b);
    assert!(build_cmd(&a, &out).status().unwrap().success());

    // A reader polls the site while the builds swap it: the home page is
    // always there (the swap is one exchange, never a gap).
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (stop, page) = (stop.clone(), out.join("index.html"));
        std::thread::spawn(move || {
            let mut reads = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let text = std::fs::read_to_string(&page).expect("the home page is always there");
                assert!(text.contains("Alpha") ^ text.contains("Beta"), "{text}");
                reads += 1;
            }
            reads
        })
    };
    for round in 0..4 {
        let ca = build_cmd(&a, &out).spawn().unwrap();
        let cb = build_cmd(&b, &out).spawn().unwrap();
        for mut c in [ca, cb] {
            assert!(c.wait().unwrap().success(), "round {round}");
        }
        let now = tree(&out);
        assert!(
            now == only_a || now == only_b,
            "round {round}: a mix of both builds"
        );
        assert_eq!(leftovers(&out), Vec::<String>::new());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(reader.join().expect("reader") > 0);
}

/// Every `*.lock` file below `dir`.
fn lock_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".lock"))
        .map(|e| e.into_path())
        .collect()
}

/// `git ARGS` in `dir`, or `None` when git is not installed.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=saywhen",
            "-c",
            "user.email=dev@saywhen.invalid",
        ])
        .args(args)
        .output();
    match out {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => panic!("git {args:?}: {e}"),
        Ok(out) => {
            assert!(
                out.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            Some(String::from_utf8(out.stdout).unwrap())
        }
    }
}

/// The lock that makes builds take turns is gone once a build ends,
/// whether it published, was refused, or found content errors: a
/// knowledge base kept in git stays clean.
#[test]
fn a_build_leaves_no_lock_file_in_the_knowledge_base() {
    let kb = Kb::small();
    kb.write(".gitignore", "/public\n");
    let tracked = git(kb.path(), &["init", "-q"]).is_some();
    if tracked {
        git(kb.path(), &["add", "-A"]);
        git(kb.path(), &["commit", "-qm", "knowledge base"]);
    } else {
        eprintln!("git is not installed: checking for lock files only");
    }
    kb.run(&["build"]).success();
    kb.run(&["build"]).success();
    assert_eq!(lock_files(kb.path()), Vec::<PathBuf>::new());
    assert_eq!(leftovers(&kb.out()), Vec::<String>::new());
    // Refused after the lock was taken: the folder is not saywhen's.
    std::fs::create_dir(kb.path().join("notes")).unwrap();
    kb.write("notes/mine.txt", "mine");
    let notes = kb.path().join("notes");
    kb.run(&["build", "--output", notes.to_str().unwrap()])
        .failure(2)
        .stderr_has("was not created by saywhen");
    kb.remove("notes/mine.txt");
    std::fs::remove_dir(kb.path().join("notes")).unwrap();
    // A content error: nothing is written.
    kb.write("content/faq/broken.md", "no front matter\n");
    kb.run(&["build"]).failure(1);
    kb.remove("content/faq/broken.md");
    assert_eq!(lock_files(kb.path()), Vec::<PathBuf>::new());
    if tracked {
        assert_eq!(git(kb.path(), &["status", "--porcelain"]).unwrap(), "");
    }
}

/// A knowledge base whose output depends on sorting, case and Unicode:
/// what locale settings would disturb if anything did.
fn unicode_kb() -> Kb {
    let kb = Kb::small();
    let names = [
        (
            "faq/istanbul.md",
            "situation = \"the caller is in İstanbul\"\ntags = [\"İ\", \"i\"]",
        ),
        (
            "faq/strasse.md",
            "situation = \"the address has Straße in it\"\ntags = [\"Ärger\"]",
        ),
        (
            "faq/zebra.md",
            "situation = \"zebra crossing\"\ntags = [\"z\"]",
        ),
        (
            "faq/ae.md",
            "situation = \"Ärger with the bill\"\ntags = [\"ärger\"]",
        ),
        (
            "techniques/nihongo.md",
            "title = \"日本語で話す\"\ntags = [\"言語\"]",
        ),
        (
            "techniques/eclair.md",
            "title = \"Éclair and eclair\"\ntags = [\"e\"]",
        ),
        ("techniques/lower.md", "title = \"apple\"\ntags = [\"a\"]"),
        ("techniques/upper.md", "title = \"Banana\"\ntags = [\"B\"]"),
    ];
    let mut links = String::new();
    for (path, front) in names {
        kb.write(
            &format!("content/{path}"),
            &entry(
                front,
                "## Ärger\n\n```say\nÇa va ?\n```\n\n[[escalated-call]]\n",
            ),
        );
        let slug = path.rsplit('/').next().unwrap().trim_end_matches(".md");
        links.push_str(&format!("[[{slug}]] "));
    }
    kb.write_bytes("content/faq/diagram.png", b"\x89PNG\r\n\x1a\nbytes");
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            &format!("{links} ![d](../faq/diagram.png)\n"),
        ),
    );
    kb
}

/// The locales and time zones the determinism test builds under, with how
/// `date` shows the instant [`PROBE`] in each: its month name in that
/// locale and that zone's offset. `LC_ALL` empty leaves `LANG` in charge.
const SETTINGS: [(&str, &str, &str, &str); 5] = [
    ("C", "C", "UTC", "June +0000"),
    (
        "tr_TR.UTF-8",
        "tr_TR.UTF-8",
        "Europe/Istanbul",
        "Haziran +0300",
    ),
    (
        "de_DE.UTF-8",
        "de_DE.UTF-8",
        "America/Los_Angeles",
        "Juni -0700",
    ),
    (
        "ja_JP.UTF-8",
        "ja_JP.UTF-8",
        "Pacific/Kiritimati",
        "6月 +1400",
    ),
    ("sv_SE.UTF-8", "", "Asia/Kolkata", "juni +0530"),
];

const PROBE: &str = "2026-06-01T12:00:00Z";

/// Sets the locale and the time zone of one of [`SETTINGS`].
fn set_locale(cmd: &mut Command, lang: &str, lc_all: &str, tz: &str) {
    cmd.env("LANG", lang)
        .env("LC_ALL", lc_all)
        .env("LC_COLLATE", lang)
        .env("TZ", tz);
}

/// `None` when every one of [`SETTINGS`] is in force on this machine, as
/// `date` shows it; else what is missing. A locale or a zone that is not
/// installed falls back to C or UTC without a word, and the test would
/// then compare builds in one setting under five names.
fn settings_missing() -> Option<String> {
    let mut missing = Vec::new();
    for (lang, lc_all, tz, expected) in SETTINGS {
        let mut date = Command::new("date");
        date.args(["-d", PROBE, "+%B %z"]);
        set_locale(&mut date, lang, lc_all, tz);
        let shown = date
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
            .unwrap_or_else(|e| format!("date: {e}"));
        if shown != expected {
            missing.push(format!(
                "{lang} {tz} (date shows {shown:?}, not {expected:?})"
            ));
        }
    }
    (!missing.is_empty()).then(|| {
        format!(
            "needs the locales and time zones {} (apt-get install locales tzdata, then localedef -i tr_TR -f UTF-8 tr_TR.UTF-8 and so on, as .ci/run does)",
            missing.join(", ")
        )
    })
}

#[test]
fn output_is_identical_across_locales_and_time_zones() {
    if !crate::needs::require_need(settings_missing()) {
        return;
    }
    let kb = unicode_kb();
    let mut first: Option<Tree> = None;
    for (lang, lc_all, tz, _) in SETTINGS {
        let out = kb.path().join(format!("out-{}", lang.replace('.', "_")));
        let mut cmd = build_cmd(&kb, &out);
        set_locale(&mut cmd, lang, lc_all, tz);
        assert!(cmd.status().unwrap().success(), "{lang} {tz}");
        let built = tree(&out);
        match &first {
            None => first = Some(built),
            Some(expected) => {
                assert!(
                    *expected == built,
                    "{lang} {tz}: output differs in {:?}",
                    expected
                        .iter()
                        .filter(|(p, b)| built.get(*p) != Some(b))
                        .map(|(p, _)| p)
                        .collect::<Vec<_>>()
                );
            }
        }
    }
}

/// Above `SAYWHEN_KEEP_HTML_UP_TO` entries (2,000 unless set), a build
/// keeps each body's HTML and search text in a temporary file until its
/// page is rendered instead of in memory. The bundled knowledge base (steps,
/// branches, snippets, wikilinks with anchors, phrase cards) and the Unicode
/// one come out the same bytes either way.
#[test]
fn html_kept_in_a_temporary_file_gives_the_same_site() {
    let kb = unicode_kb();
    // Saved by a Windows editor: a byte order mark and CRLF line ends.
    kb.write_bytes(
        "content/faq/saved-on-windows.md",
        b"\xef\xbb\xbf+++\r\nsituation = \"the caller's line drops\"\r\n+++\r\n\r\n## Call back\r\n\r\nSay *who* you are.\r\n\r\n```say\r\nIt's me again.\r\n```\r\n",
    );
    let bundled = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for root in [bundled.as_path(), kb.path()] {
        let mut built = Vec::new();
        for limit in ["20000", "0"] {
            let out = kb.path().join(format!("out-{}-{limit}", built.len()));
            let mut cmd = build_at(root, &out);
            cmd.env("SAYWHEN_KEEP_HTML_UP_TO", limit)
                .env("SAYWHEN_TIMINGS", "1")
                .stderr(Stdio::piped());
            let output = cmd.output().unwrap();
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                stderr.contains("timing: entry HTML is kept in a temporary file until rendered"),
                limit == "0",
                "{stderr}"
            );
            built.push(tree(&out));
        }
        assert!(built[0].len() > 20, "{:?}", built[0].keys());
        if root == kb.path() {
            let page = String::from_utf8_lossy(&built[1]["faq/saved-on-windows.html"]);
            assert!(page.contains("Say <em>who</em> you are."), "{page}");
        }
        assert_same_files(&built[0], &built[1]);
    }
}

/// Without a usable temporary folder a large site's HTML stays in memory:
/// the build says so once, as a warning, and the site is the same.
#[test]
fn no_temporary_folder_keeps_the_html_in_memory_and_says_so() {
    let kb = Kb::small();
    let mut built = Vec::new();
    for tmpdir in [None, Some(kb.path().join("no-such-folder"))] {
        let out = kb.path().join(format!("out-{}", built.len()));
        let mut cmd = build_at(kb.path(), &out);
        cmd.env("SAYWHEN_KEEP_HTML_UP_TO", "0")
            .stderr(Stdio::piped());
        if let Some(dir) = &tmpdir {
            cmd.env("TMPDIR", dir);
        }
        let output = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{stderr}");
        let warned = stderr
            .matches("warning: cannot make a temporary file for the entries' HTML: ")
            .count();
        assert_eq!(warned, usize::from(tmpdir.is_some()), "{stderr}");
        if tmpdir.is_some() {
            assert!(
                stderr.contains("  = help: the HTML stays in memory, which a site this large may not have room for; set TMPDIR to a writable folder\n"),
                "{stderr}"
            );
        }
        built.push(tree(&out));
    }
    assert_same_files(&built[0], &built[1]);
}

/// The same paths with the same bytes; the message names those that differ.
fn assert_same_files(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let differ: Vec<&String> = a
        .iter()
        .filter(|(path, bytes)| b.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(differ.is_empty() && a.len() == b.len(), "{differ:?}");
}

/// The same knowledge base in two different folders gives the same bytes,
/// and neither folder's path (nor the output's) appears anywhere in them.
#[test]
fn no_build_machine_path_leaks_into_the_output() {
    let kb = unicode_kb();
    let moved = tempfile::tempdir().unwrap();
    let copy = moved.path().join("somewhere-else").join("kb");
    copy_dir(kb.path(), &copy);
    let out_a = kb.path().join("public");
    let out_b = moved.path().join("deep").join("published");
    assert!(build_cmd(&kb, &out_a).status().unwrap().success());
    assert!(build_at(&copy, &out_b).status().unwrap().success());
    let (a, b) = (tree(&out_a), tree(&out_b));
    assert!(a.len() > 20);
    assert_eq!(a, b, "output depends on where the knowledge base lives");
    let home = std::env::var("HOME").unwrap_or_default();
    let cwd = std::env::current_dir().unwrap();
    let forbidden: Vec<String> = [
        kb.path().to_path_buf(),
        copy.clone(),
        out_a.clone(),
        out_b.clone(),
        cwd,
        PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    ]
    .iter()
    .map(|p| p.to_string_lossy().into_owned())
    .chain((home.len() > 1).then_some(home))
    .collect();
    for (path, bytes) in &a {
        let text = String::from_utf8_lossy(bytes);
        for f in &forbidden {
            assert!(
                !text.contains(f.as_str()),
                "{path} contains the build path {f}"
            );
        }
        assert!(!text.contains("staging"), "{path} names the staging folder");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for item in walkdir::WalkDir::new(from) {
        let item = item.unwrap();
        let rel = item.path().strip_prefix(from).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = to.join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(item.path(), &target).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------
// `check` for CI
// ---------------------------------------------------------------------------

#[test]
fn check_json_gives_ci_every_field_and_nothing_else() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry(
            "title = \"Active listening\"",
            "See [[c]] and [[escalated-call]].\n",
        ),
    );
    kb.write(
        "content/faq/c.md",
        &entry(
            "situation = \"c\"\ntags = [\"Legal\"]",
            "[[escalated-call]] and [[nowhere]]\n",
        ),
    );
    let run = kb.run(&["check", "--format", "json"]);
    run.failure(1);
    assert_eq!(run.stderr, "", "JSON mode keeps stderr for real failures");
    let items: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    // Sorted by file and line, as the text output is.
    let expected = serde_json::json!([
        {
            "severity": "warning",
            "file": "content/faq/c.md",
            "line": 3,
            "column": 9,
            "message": "tag `Legal` is normalized to `legal`",
            "help": "write `legal`: tags are matched lower-case with single spaces",
        },
        {
            "severity": "error",
            "file": "content/faq/c.md",
            "line": 5,
            "column": 26,
            "message": "link to unknown entry `nowhere`",
            "help": "link to an existing entry by slug (`[[active-listening]]`) or by relative path (`../techniques/active-listening.md`)",
        },
    ]);
    assert_eq!(items, expected);

    // Warnings only: exit 0, unless --deny-warnings.
    kb.write(
        "content/faq/c.md",
        &entry(
            "situation = \"c\"\ntags = [\"Legal\"]",
            "[[escalated-call]]\n",
        ),
    );
    let run = kb.run(&["check", "--format", "json"]);
    run.success();
    let items: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["severity"], "warning");
    kb.run(&["check", "--format", "json", "--deny-warnings"])
        .failure(1);
    kb.run(&["check", "--deny-warnings"])
        .failure(1)
        .stderr_has("warning: tag `Legal` is normalized to `legal`\n --> content/faq/c.md:3:9\n")
        .stderr_has("0 errors, 1 warning\n");

    // Clean: an empty list.
    kb.write(
        "content/faq/c.md",
        &entry("situation = \"c\"", "[[escalated-call]]\n"),
    );
    let run = kb.run(&["check", "--format", "json", "--deny-warnings"]);
    run.success();
    assert_eq!(run.stdout.trim(), "[]");
}

/// A site that keeps each body's HTML and text in a temporary file takes
/// each body's search text from there as its page is rendered, in batches of
/// pages, while the index is built beside them. Over several batches and
/// text shards, with expired entries left out of the index here and there
/// (at the edges of a batch and of a shard too), the index comes out the
/// same bytes as from the text kept in memory.
#[test]
fn search_index_from_spooled_texts_matches_the_one_from_memory() {
    let kb = Kb::new();
    kb.write(
        "site.toml",
        &format!("{SITE_TOML}review_after_days = 90\n[governance]\nexpired_in_search = \"hide\"\n"),
    );
    let expired = [0, 7, 499, 500, 511, 512, 1023, 1199];
    for n in 0..1200 {
        let valid = if expired.contains(&n) {
            "\nvalid_until = 2026-05-20"
        } else {
            ""
        };
        kb.write(
            &format!("content/faq/q{n:04}.md"),
            &entry(
                &format!("situation = \"the caller asks question {n}\"\nreviewed = 2026-05-01{valid}"),
                &format!("Answer number {n} with *care*: word{n} and [[q{:04}]].\n\n```say\nI hear you about {n}.\n```\n", (n + 1) % 1200),
            ),
        );
    }
    let mut built = Vec::new();
    for limit in ["20000", "0"] {
        let out = kb.path().join(format!("out-{limit}"));
        let status = build_at(kb.path(), &out)
            .env("SAYWHEN_KEEP_HTML_UP_TO", limit)
            .status()
            .unwrap();
        assert!(status.success());
        built.push(tree(&out));
    }
    let index = String::from_utf8_lossy(&built[1]["search/index.js"]).into_owned();
    assert!(!index.contains("faq/q0511.html") && !index.contains("faq/q0500.html"));
    assert!(index.contains("faq/q0510.html") && index.contains("faq/q1198.html"));
    assert!(built[1].contains_key("search/text-2.js"), "three shards");
    let texts: String = (0..3)
        .map(|n| String::from_utf8_lossy(&built[1][&format!("search/text-{n}.js")]).into_owned())
        .collect();
    assert!(texts.contains("Answer number 1000 with care"));
    assert!(!texts.contains("Answer number 512 "));
    assert_same_files(&built[0], &built[1]);
}

/// An entry whose HTML cannot be read back from the temporary file when
/// its page is rendered fails the build with the file named, and the search
/// index, which waits for each body's text from there, is not left waiting
/// for it.
#[test]
fn an_unreadable_spooled_body_fails_without_hanging_the_index() {
    use saywhen::config::SiteConfig;
    use saywhen::load::BodyHtml;
    use saywhen::load::spool::Spool;
    use saywhen::render::{Extras, RenderOptions};
    use saywhen::resolve::{ResolveOptions, resolve};
    use std::sync::Arc;
    let kb = Kb::small();
    let config = SiteConfig::parse(SITE_TOML).unwrap();
    let (mut content, d) = saywhen::load::load(kb.path(), &config).unwrap();
    assert!(!d.has_errors());
    // Each body goes to one spool, but the site reads from another, empty
    // one: every read runs past its end.
    let written = Spool::new().unwrap();
    for entry in &mut content.entries {
        let body = &mut Arc::get_mut(entry).unwrap().body;
        body.spooled = Some(written.put(&body.html, &body.text).unwrap());
    }
    content.body_html = BodyHtml::Spooled(Arc::new(Spool::new().unwrap()));
    let gone = content.entries[0].file.clone();
    let options = ResolveOptions {
        drafts: false,
        today: time::Date::from_calendar_date(2026, time::Month::June, 1).unwrap(),
    };
    let (site, _) = resolve(content, &config, &options);
    let theme = saywhen::render::theme::load(kb.path(), &config)
        .unwrap_or_else(|_| panic!("the built-in theme loads"));
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut handed = 0;
        let result = saywhen::render::render_batches(
            &site,
            &theme,
            kb.path(),
            &RenderOptions::default(),
            Extras::All,
            &mut |output| {
                handed += output.len();
                Ok(())
            },
        );
        let _ = done_tx.send((result.map(|(_, d)| d), handed));
    });
    let (result, handed) = done_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("render finishes");
    let diagnostics = result.unwrap();
    assert!(diagnostics.has_errors());
    let errors: Vec<String> = diagnostics.iter().map(|d| d.render(false)).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("cannot read this entry's HTML back") && e.contains(&gone)),
        "{errors:?}"
    );
    assert_eq!(handed, 0, "nothing is handed over after an error");
}
