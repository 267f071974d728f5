//! `serve` and `watch`: real HTTP, real file-system events, bounded waits.

use crate::needs::require_chromium;
use crate::support::*;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `saywhen serve` or `watch`, with its stderr collected.
pub(crate) struct Running {
    pub(crate) child: Child,
    log: Arc<Mutex<String>>,
    /// Its `TMPDIR`, removed after the process is stopped: `serve` keeps
    /// its site in a private temporary folder, which a killed process
    /// leaves behind.
    _tmp: tempfile::TempDir,
}

impl Running {
    pub(crate) fn start(kb: &Kb, args: &[&str]) -> Running {
        Running::spawn(kb.command(args))
    }

    pub(crate) fn spawn(mut command: std::process::Command) -> Running {
        let tmp = tempfile::tempdir().expect("temp dir");
        if !command.get_envs().any(|(name, _)| name == "TMPDIR") {
            command.env("TMPDIR", tmp.path());
        }
        let mut child = command
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start saywhen");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let stderr = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Running {
            child,
            log,
            _tmp: tmp,
        }
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The process's own `TMPDIR`.
    pub(crate) fn tmp(&self) -> &std::path::Path {
        self._tmp.path()
    }

    /// Waits until the log contains `text` `count` times.
    #[track_caller]
    pub(crate) fn wait_log(&self, text: &str, count: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.log().matches(text).count() < count {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {count}× {text:?}\n--- log ---\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The URL `serve` printed.
    pub(crate) fn url(&self) -> String {
        self.wait_log("serving ", 1);
        let log = self.log();
        let at = log.find("http://").unwrap();
        log[at..].split_whitespace().next().unwrap().to_string()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) headers: String,
    pub(crate) body: String,
}

/// A GET over a plain TCP connection, the path sent exactly as given.
pub(crate) fn get(url: &str, raw_path: Option<&str>) -> Response {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n",
        raw_path.unwrap_or(path)
    )
    .unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    Response {
        status,
        headers: head.to_lowercase(),
        body: body.to_string(),
    }
}

/// Polls `url` until `check` accepts the body.
#[track_caller]
pub(crate) fn wait_for_page(url: &str, what: &str, check: impl Fn(&Response) -> bool) -> Response {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let r = get(url, None);
        if check(&r) {
            return r;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} at {url}; last status {}",
            r.status
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Polls the status until the server reports problems; returns them.
#[track_caller]
fn wait_for_problems(base: &str, serve: &Running) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    while status(base)["ok"] == true {
        assert!(
            Instant::now() < deadline,
            "error never reported\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    status(base)["problems"].as_str().unwrap().to_string()
}

/// Waits until the server reports no problems: the status clears when the
/// whole rebuild is done, which is after the changed page is on disk.
fn wait_for_ok(base: &str, serve: &Running) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while status(base)["ok"] != true {
        assert!(
            Instant::now() < deadline,
            "problems never cleared\n{}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn status(base: &str) -> serde_json::Value {
    serde_json::from_str(&get(&format!("{base}__saywhen/status"), None).body).unwrap()
}

#[test]
fn serves_the_site_at_its_base_path_like_a_published_one() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    assert!(base.ends_with("/kb/"), "{base}");
    let home = get(&base, None);
    assert_eq!(home.status, 200);
    assert!(
        home.headers
            .contains("content-type: text/html; charset=utf-8")
    );
    assert!(
        home.body.contains("__saywhen/events"),
        "served pages carry the live-reload script"
    );
    let css = get(&format!("{base}saywhen.css"), None);
    assert!(css.headers.contains("content-type: text/css"));
    let js = get(&format!("{base}search/index.js"), None);
    assert!(js.headers.contains("content-type: text/javascript"));
    let missing = get(&format!("{base}no/such/page.html"), None);
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the theme's 404 page"
    );
    let root = get(&base.replace("/kb/", "/"), None);
    assert_eq!(root.status, 302);
    assert!(root.headers.contains("location: /kb/"));
    // The build output never carries the script.
    kb.run(&["build"]).success();
    assert!(!kb.read("index.html").contains("__saywhen"));
}

/// Browsers open several connections at once and keep them open when
/// allowed. The server's pool once left a connection accepted in such a
/// burst waiting behind the idle ones (a page's script never loaded); now
/// every answer asks the client to close, so each connection gives its
/// thread back. Thirty browser-like clients (each keeps its connection
/// unless told to close) against four fresh servers: every request is
/// answered at once.
#[test]
fn a_burst_of_connections_is_answered_while_earlier_ones_stay_open() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "home").unwrap();
    for _ in 0..4 {
        let server = saywhen::serve::http::Server::start(
            dir.path().to_path_buf(),
            "/".into(),
            "127.0.0.1:0".parse().unwrap(),
        )
        .unwrap();
        let addr = server.addr;
        let kept = Arc::new(Mutex::new(Vec::new()));
        let clients: Vec<_> = (0..30)
            .map(|_| {
                let kept = Arc::clone(&kept);
                std::thread::spawn(move || {
                    let mut stream = std::net::TcpStream::connect(addr).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(5)))
                        .unwrap();
                    stream
                        .write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n")
                        .unwrap();
                    let mut head = Vec::new();
                    let mut byte = [0u8; 1];
                    while !head.ends_with(b"\r\n\r\n") {
                        match stream.read(&mut byte) {
                            Ok(1) => head.push(byte[0]),
                            _ => return None,
                        }
                    }
                    let head = String::from_utf8_lossy(&head).to_lowercase();
                    if !head.contains("connection: close") {
                        kept.lock().unwrap().push(stream);
                    }
                    Some(head)
                })
            })
            .collect();
        let heads: Vec<Option<String>> = clients.into_iter().map(|c| c.join().unwrap()).collect();
        let unanswered = heads.iter().filter(|h| h.is_none()).count();
        assert_eq!(
            unanswered, 0,
            "{unanswered} of 30 requests unanswered after 5 s"
        );
        for head in heads.into_iter().flatten() {
            assert!(head.starts_with("http/1.1 200"), "{head}");
            assert!(head.contains("connection: close"), "{head}");
        }
    }
}

#[test]
fn refuses_paths_outside_the_output() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    for path in [
        "/kb/../site.toml",
        "/kb/%2e%2e/site.toml",
        "/kb/faq/%2E%2E/%2E%2E/site.toml",
        "/kb/..%5Csite.toml",
    ] {
        let r = get(&base, Some(path));
        assert!(
            r.status == 403 || r.status == 404,
            "{path} gave {}",
            r.status
        );
        assert!(!r.body.contains("Test KB"), "{path} leaked site.toml");
    }
}

#[test]
fn a_save_shows_up_and_a_mistake_keeps_the_last_good_page() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    let page = format!("{base}techniques/active-listening.html");
    let technique = "content/techniques/active-listening.md";
    let front = "title = \"Active listening\"\ntags = [\"listening\", \"escalated\"]";
    kb.write(
        technique,
        &entry(
            front,
            "## How to do it\n\nFirst version. [[escalated-call]]\n",
        ),
    );
    wait_for_page(&page, "first version", |r| {
        r.body.contains("First version.")
    });
    // A broken link: reported with file and line, last good page kept.
    kb.write(
        technique,
        &entry(
            front,
            "## How to do it\n\nBroken version. [[escalatd-call]]\n",
        ),
    );
    let problems = wait_for_problems(&base, &serve);
    assert!(
        problems.contains("--> content/techniques/active-listening.md:7:"),
        "{problems}"
    );
    assert!(
        problems.contains("did you mean `escalated-call`?"),
        "{problems}"
    );
    assert!(get(&page, None).body.contains("First version."));
    assert!(
        serve
            .log()
            .contains("error: link to unknown entry `escalatd-call`")
    );
    // The fix clears it.
    kb.write(
        technique,
        &entry(
            front,
            "## How to do it\n\nFixed version. [[escalated-call]]\n",
        ),
    );
    wait_for_page(&page, "fixed version", |r| {
        r.body.contains("Fixed version.")
    });
    wait_for_ok(&base, &serve);
    // Bad front matter is survived the same way.
    kb.write(
        technique,
        "+++\ntitle = \"Active listening\"\ntag = [\"x\"]\n+++\n",
    );
    assert!(wait_for_problems(&base, &serve).contains("unknown front matter field `tag`"));
    assert!(get(&page, None).body.contains("Fixed version."));
}

#[test]
fn editor_save_patterns_are_seen() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    let page = format!("{base}techniques/active-listening.html");
    let front = "title = \"Active listening\"";
    // Write a temp file, then rename it over the original (vim, JetBrains, VS Code).
    kb.write(
        "content/techniques/.active-listening.md.tmp",
        &entry(front, "Renamed into place. [[escalated-call]]"),
    );
    std::fs::rename(
        kb.path()
            .join("content/techniques/.active-listening.md.tmp"),
        kb.path().join("content/techniques/active-listening.md"),
    )
    .unwrap();
    wait_for_page(&page, "renamed save", |r| {
        r.body.contains("Renamed into place.")
    });
    // A burst of saves: the last one wins.
    for n in 0..8 {
        kb.write(
            "content/techniques/active-listening.md",
            &entry(front, &format!("Burst {n}. [[escalated-call]]")),
        );
    }
    wait_for_page(&page, "last of a burst", |r| r.body.contains("Burst 7."));
    // A file created, then deleted.
    kb.write(
        "content/faq/brief.md",
        &entry("situation = \"brief\"", "[[escalated-call]]"),
    );
    wait_for_page(&format!("{base}faq/brief.html"), "new entry", |r| {
        r.status == 200
    });
    kb.remove("content/faq/brief.md");
    wait_for_page(&format!("{base}faq/brief.html"), "deleted entry", |r| {
        r.status == 404
    });
    // A folder renamed: its entries move with it.
    kb.write(
        "content/faq/extra/nested-one.md",
        &entry("situation = \"nested one\"", "[[escalated-call]]"),
    );
    wait_for_page(&format!("{base}faq/nested-one.html"), "nested entry", |r| {
        r.status == 200
    });
    std::fs::rename(
        kb.path().join("content/faq/extra"),
        kb.path().join("content/faq/moved"),
    )
    .unwrap();
    kb.write(
        "content/faq/moved/nested-one.md",
        &entry("situation = \"nested one\"", "Moved. [[escalated-call]]"),
    );
    wait_for_page(&format!("{base}faq/nested-one.html"), "moved entry", |r| {
        r.body.contains("Moved.")
    });
    assert_eq!(status(&base)["ok"], true, "{}", serve.log());
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let kb = Kb::small();
    for n in 0..6 {
        kb.write(
            &format!("content/techniques/t{n}.md"),
            &entry(
                &format!(
                    "title = \"Technique {n}\"\ntags = [\"escalated\", \"t{}\"]",
                    n % 2
                ),
                &format!(
                    "## Use\n\nSee [[escalated-call]] and [[t{}]].\n",
                    (n + 1) % 6
                ),
            ),
        );
    }
    // No tags: t0 shows this entry only as a backlink, nowhere else.
    kb.write(
        "content/faq/only-a-backlink.md",
        &entry("situation = \"only a backlink\"", "[[t0]]\n"),
    );
    let out = kb.path().join("watched");
    let watch = Running::start(&kb, &["watch", "--output", out.to_str().unwrap()]);
    watch.wait_log("watching ", 1);
    // The first build prints one "rebuilt in" line too.
    let mut rebuilds = 1;
    let mut step = |what: &str, change: &dyn Fn()| {
        change();
        rebuilds += 1;
        watch.wait_log("rebuilt in", rebuilds);
        let fresh = kb.path().join(format!("fresh-{rebuilds}"));
        kb.run(&["build", "--output", fresh.to_str().unwrap()])
            .success();
        // One change can arrive as events in two bursts, and so as two
        // rebuilds: the output must match once the last one is done.
        let b = tree(&fresh);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let a = tree(&out);
            let differ: Vec<&String> = a
                .keys()
                .chain(b.keys())
                .filter(|k| a.get(*k) != b.get(*k))
                .collect();
            if differ.is_empty() {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "after {what}: incremental output differs from a full build in {differ:?}\n{}",
                watch.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    };
    let before = watch.log().matches("rebuilt in").count();
    step("a body edit", &|| {
        kb.write(
            "content/techniques/t1.md",
            &entry(
                "title = \"Technique 1\"\ntags = [\"escalated\", \"t1\"]",
                "## Use\n\nEdited body. [[escalated-call]] [[t2]]\n",
            ),
        );
    });
    // The rebuilds of this edit (one, or two when its events came in two
    // bursts) rendered one entry page between them.
    let log = watch.log();
    let rendered: Vec<usize> = log
        .lines()
        .filter(|l| l.starts_with("rebuilt in"))
        .skip(before)
        .map(|l| {
            let (_, counts) = l.rsplit_once(": ").unwrap();
            counts.split(' ').next().unwrap().parse().unwrap()
        })
        .collect();
    assert_eq!(
        rendered.iter().sum::<usize>(),
        1,
        "a body edit renders only its own page again: {rendered:?}\n{log}"
    );
    step("a link edit: its page first, backlinks after", &|| {
        kb.write(
            "content/techniques/t1.md",
            &entry(
                "title = \"Technique 1\"\ntags = [\"escalated\", \"t1\"]",
                "## Use\n\nEdited body. [[escalated-call#step-2]] [[t4|the fourth]] [[t2]]\n",
            ),
        );
    });
    step("a title edit shown in backlinks and wikilinks", &|| {
        kb.write(
            "content/techniques/t2.md",
            &entry(
                "title = \"Renamed technique two\"\ntags = [\"t0\"]",
                "## Use\n\n[[escalated-call]] [[t3]]\n",
            ),
        );
    });
    step("a title shown only as a backlink", &|| {
        kb.write(
            "content/faq/only-a-backlink.md",
            &entry("situation = \"a backlink, renamed\"", "[[t0]]\n"),
        );
    });
    step("a new entry", &|| {
        kb.write(
            "content/faq/new-one.md",
            &entry(
                "situation = \"a new situation\"\naliases = [\"fresh alias\"]\ntags = [\"legal\"]",
                "[[t4]] [[active-listening]]\n",
            ),
        );
    });
    step("a renamed entry with its links updated", &|| {
        std::fs::rename(
            kb.path().join("content/techniques/t5.md"),
            kb.path().join("content/techniques/t5-renamed.md"),
        )
        .unwrap();
        kb.write(
            "content/techniques/t4.md",
            &entry(
                "title = \"Technique 4\"",
                "## Use\n\n[[escalated-call]] [[t5-renamed]]\n",
            ),
        );
    });
    step("a deleted entry", &|| {
        kb.write("content/faq/new-one.md", "");
        kb.remove("content/faq/new-one.md");
    });
    step("a new snippet", &|| {
        kb.write(
            "content/_snippets/notice.md",
            "```say\nThis call is recorded.\n```\n",
        );
    });
    step("a snippet included", &|| {
        kb.write(
            "content/techniques/t3.md",
            &entry(
                "title = \"Technique 3\"",
                "## Use\n\n```snippet notice\n```\n\n[[escalated-call]] [[t4]]\n",
            ),
        );
    });
    step("a snippet edited: the pages including it change", &|| {
        kb.write(
            "content/_snippets/notice.md",
            "```say\nThis call is recorded for training.\n```\n",
        );
    });
    step("a template change", &|| {
        kb.write("templates/tags.html", "<p>{{ tags | length }} tags</p>");
    });
}

#[test]
fn a_link_to_a_deleted_entry_becomes_an_error() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    kb.remove("content/techniques/active-listening.md");
    let problems = wait_for_problems(&base, &serve);
    assert!(
        problems.contains("link to unknown entry `active-listening`"),
        "{problems}"
    );
    // The last good site, deleted page included, stays served.
    assert_eq!(
        get(&format!("{base}techniques/active-listening.html"), None).status,
        200
    );
}

#[test]
fn a_busy_port_is_an_error_only_when_chosen() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let kb = Kb::small();
    kb.run(&["serve", "--port", &port])
        .failure(2)
        .stderr_has("is in use or not allowed; choose another with --port");
}

#[test]
fn open_tabs_reload_in_place_and_show_problems_over_the_page() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::small();
    let technique = "content/techniques/active-listening.md";
    let front = "title = \"Active listening\"";
    let body = |version: &str, extra: &str| {
        let filler: String = (0..60)
            .map(|n| format!("Paragraph {n} of a long card.\n\n"))
            .collect();
        entry(
            front,
            &format!("Version {version}. [[escalated-call]] {extra}\n\n{filler}"),
        )
    };
    kb.write(technique, &body("one", ""));
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let page =
        crate::browser::Page::open(&format!("{}techniques/active-listening.html", serve.url()));
    page.wait_for(
        "window.saywhenLive === true && document.body.textContent.includes('Version one')",
    );
    page.run("window.scrollTo(0, 700); window.stale = true");
    page.wait_for("window.scrollY > 650");
    let before = page.eval("window.scrollY");

    kb.write(technique, &body("two", ""));
    page.wait_for(
        "window.stale === undefined && document.body.textContent.includes('Version two')",
    );
    page.wait_for(&format!("window.scrollY === {before}"));

    kb.write(technique, &body("three", "[[no-such-entry]]"));
    page.wait_for("!!document.getElementById('saywhen-overlay')");
    let overlay = page.eval("document.getElementById('saywhen-overlay').textContent");
    assert!(
        overlay
            .as_str()
            .unwrap()
            .contains("content/techniques/active-listening.md:4:"),
        "{overlay}"
    );
    assert!(
        page.eval("document.body.textContent.includes('Version two')") == true,
        "the last good page stays"
    );

    kb.write(technique, &body("four", ""));
    page.wait_for("!document.getElementById('saywhen-overlay') && document.body.textContent.includes('Version four')");
}

#[test]
fn a_tab_open_on_a_site_never_built_shows_the_problems_and_loads_the_fix() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = Kb::small();
    let technique = "content/techniques/active-listening.md";
    let front = "title = \"Active listening\"";
    kb.write(
        technique,
        &entry(front, "Broken version. [[no-such-entry]]\n"),
    );
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let page =
        crate::browser::Page::open(&format!("{}techniques/active-listening.html", serve.url()));
    page.wait_for("window.saywhenLive === true && !!document.getElementById('saywhen-overlay')");
    let overlay = page.eval("document.getElementById('saywhen-overlay').textContent");
    let overlay = overlay.as_str().unwrap();
    assert!(
        overlay.contains("content/techniques/active-listening.md:4:"),
        "{overlay}"
    );
    assert!(
        overlay.contains("no version of it to show yet"),
        "{overlay}"
    );
    assert!(!overlay.contains("last good version"), "{overlay}");

    kb.write(
        technique,
        &entry(front, "Fixed version. [[escalated-call]]\n"),
    );
    page.wait_for(
        "!document.getElementById('saywhen-unbuilt') && !document.getElementById('saywhen-overlay') && document.body.textContent.includes('Fixed version.')",
    );
}

#[test]
fn a_file_named_like_a_generated_page_is_refused_as_in_a_build() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    kb.write("content/faq/index.html", "<p>not the listing</p>");
    let problems = wait_for_problems(&base, &serve);
    assert!(
        problems.contains("file would replace `faq/index.html`, which saywhen generates"),
        "{problems}"
    );
    // The listing the last good build wrote stays served.
    assert!(
        !get(&format!("{base}faq/index.html"), None)
            .body
            .contains("not the listing")
    );
}

/// Waits until the watched output equals a fresh build of the same files
/// (one save can arrive as two bursts of events, so as two rebuilds).
pub(crate) fn wait_until_built_alike(kb: &Kb, out: &std::path::Path, watch: &Running, name: &str) {
    let fresh = kb.path().join(name);
    kb.run(&["build", "--output", fresh.to_str().unwrap()])
        .success();
    let expected = tree(&fresh);
    let deadline = Instant::now() + Duration::from_secs(10);
    while tree(out) != expected {
        assert!(
            Instant::now() < deadline,
            "watched output never equalled a full build\n{}",
            watch.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// What the last rebuild printed: the lines after the one before it.
fn last_rebuild(log: &str) -> &str {
    let end = log.rfind("rebuilt in").unwrap();
    let start = log[..end].rfind("rebuilt in").unwrap_or(0);
    &log[start..end]
}

#[test]
fn a_words_only_save_keeps_what_resolve_reported() {
    let kb = Kb::small();
    // Nothing links here: every rebuild warns about it.
    kb.write(
        "content/faq/lonely.md",
        &entry("situation = \"lonely\"", "See [[escalated-call]].\n"),
    );
    // A page of its own beside the entries: copied, never taken for one
    // of saywhen's listing pages.
    kb.write("content/faq/handout.html", "<p>mine</p>");
    let technique = "content/techniques/active-listening.md";
    let original = std::fs::read_to_string(kb.path().join(technique)).unwrap();
    let out = kb.path().join("watched");
    let watch = Running::start(&kb, &["watch", "--output", out.to_str().unwrap()]);
    watch.wait_log("watching ", 1);
    let orphan = "warning: orphan entry: nothing links to `faq/lonely`";
    assert!(watch.log().contains(orphan), "{}", watch.log());

    // Words only: the site resolves the same, and says the same.
    kb.write(
        technique,
        &format!("{original}\nOne more paragraph of words.\n"),
    );
    watch.wait_log("rebuilt in", 2);
    wait_until_built_alike(&kb, &out, &watch, "fresh-1");
    let log = watch.log();
    assert!(last_rebuild(&log).contains(orphan), "{log}");
    assert!(!log.contains("would replace"), "{log}");
    assert!(
        std::fs::read_to_string(out.join("techniques/active-listening.html"))
            .unwrap()
            .contains("One more paragraph of words.")
    );

    // A new link is structure: resolved again, and the warning goes.
    let rebuilds = log.matches("rebuilt in").count();
    kb.write(technique, &format!("{original}\nSee also [[lonely]].\n"));
    watch.wait_log("rebuilt in", rebuilds + 1);
    wait_until_built_alike(&kb, &out, &watch, "fresh-2");
    let log = watch.log();
    assert!(!last_rebuild(&log).contains(orphan), "{log}");
}

#[test]
fn with_wording_rules_a_words_only_save_is_linted_without_resolving_again() {
    let kb = Kb::small();
    kb.write(
        "site.toml",
        &format!(
            "{SITE_TOML}[[lint.forbidden]]\nname = \"no-threats\"\nphrases = [\"arrest*\"]\nmessage = \"never threaten arrest\"\n"
        ),
    );
    let technique = "content/techniques/active-listening.md";
    let original = std::fs::read_to_string(kb.path().join(technique)).unwrap();
    let out = kb.path().join("watched");
    // Stage timings show whether a rebuild resolved the site again.
    let mut command = kb.command(&["watch", "--output", out.to_str().unwrap()]);
    command.env("SAYWHEN_TIMINGS", "1");
    let watch = Running::spawn(command);
    watch.wait_log("watching ", 1);
    assert!(watch.log().contains("timing: resolve"), "{}", watch.log());
    assert!(
        !watch.log().contains("forbidden wording"),
        "{}",
        watch.log()
    );
    let warning = "warning: forbidden wording: “arrested” (no-threats)";
    kb.write(
        technique,
        &format!("{original}\nNever hint that they could be arrested.\n"),
    );
    watch.wait_log(warning, 1);
    wait_until_built_alike(&kb, &out, &watch, "fresh-1");

    // The words went back: the warning goes with them.
    let rebuilds = watch.log().matches("rebuilt in").count();
    kb.write(technique, &original);
    watch.wait_log("rebuilt in", rebuilds + 1);
    wait_until_built_alike(&kb, &out, &watch, "fresh-2");
    let log = watch.log();
    assert!(!last_rebuild(&log).contains(warning), "{log}");
    let after_start = &log[log.find("watching ").unwrap()..];
    assert!(
        !after_start.contains("timing: resolve"),
        "a words-only save resolved the site again:\n{log}"
    );
}

/// Everything a client of the event stream at `base` has heard so far.
/// Returns once the client is subscribed: the server sends a new listener
/// the current status at once, after adding it to those it tells.
fn heard_events(base: &str) -> impl Fn() -> String + use<> {
    let rest = base.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET /{path}__saywhen/events HTTP/1.1\r\nHost: {host}\r\n\r\n"
    )
    .unwrap();
    let heard = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&heard);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let heard = move || heard.lock().unwrap().clone();
    let deadline = Instant::now() + Duration::from_secs(20);
    while !heard().contains("event: status\n") {
        assert!(
            Instant::now() < deadline,
            "the event stream never sent its first status:\n{}",
            heard()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    heard
}

/// The data of each event named `name` in `heard`, in order.
fn events_named(heard: &str, name: &str) -> Vec<String> {
    heard
        .split(&format!("event: {name}\ndata: "))
        .skip(1)
        .map(|e| e.lines().next().unwrap_or("").to_string())
        .collect()
}

/// The `reload` events `serve` sends open tabs, as they arrive: each one's
/// JSON data. Subscribed before it returns.
fn reload_events(serve: &Running) -> impl Fn() -> Vec<String> + use<> {
    let heard = heard_events(&serve.url());
    move || events_named(&heard(), "reload")
}

/// Waits for `count` reload events and returns them.
#[track_caller]
fn wait_for_reloads(
    reloads: &impl Fn() -> Vec<String>,
    count: usize,
    serve: &Running,
) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while reloads().len() < count {
        assert!(
            Instant::now() < deadline,
            "{count} reload events expected: {:?}\n{}",
            reloads(),
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    reloads()
}

#[test]
fn tabs_are_told_about_a_page_before_the_search_index_is_rebuilt() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let reloads = reload_events(&serve);
    let technique = "content/techniques/active-listening.md";
    let original = std::fs::read_to_string(kb.path().join(technique)).unwrap();
    kb.write(technique, &format!("{original}\nA new paragraph.\n"));
    let events = wait_for_reloads(&reloads, 2, &serve);
    assert!(
        events[0].contains("\"techniques/active-listening.html\"")
            && !events[0].contains("search/"),
        "{events:?}"
    );
    assert!(
        events[1].contains("\"search/index.js\"") && !events[1].contains(".html"),
        "{events:?}"
    );
}

#[test]
fn a_saved_link_puts_its_own_page_on_disk_before_the_pages_it_changes() {
    let kb = Kb::small();
    kb.write(
        "content/faq/lonely.md",
        &entry("situation = \"lonely\"", "Nothing links here yet.\n"),
    );
    let mut command = kb.command(&["serve", "--port", "0"]);
    command.env("SAYWHEN_TIMINGS", "1");
    let serve = Running::spawn(command);
    let base = serve.url();
    let heard = heard_events(&base);
    let reloads = || events_named(&heard(), "reload");
    let technique = "content/techniques/active-listening.md";
    let original = std::fs::read_to_string(kb.path().join(technique)).unwrap();
    kb.write(technique, &format!("{original}\nSee also [[lonely]].\n"));

    // The saved page alone, then the page that gained a backlink, then the
    // search index.
    let events = wait_for_reloads(&reloads, 3, &serve);
    assert_eq!(
        events[0],
        r#"{"changed":["techniques/active-listening.html"]}"#
    );
    assert_eq!(events[1], r#"{"changed":["faq/lonely.html"]}"#);
    assert!(
        events[2].contains("\"search/index.js\"") && !events[2].contains(".html"),
        "{events:?}"
    );
    // Rendered before the site was resolved again, and both pages as a full
    // build has them.
    serve.wait_log("rebuilt in", 2);
    let log = serve.log();
    let rebuild = last_rebuild(&log);
    let first = rebuild.find("timing: render edited pages").expect(rebuild);
    let resolve = rebuild.find("timing: resolve").expect(rebuild);
    assert!(first < resolve, "{rebuild}");
    let page = get(&format!("{base}techniques/active-listening.html"), None).body;
    assert!(page.contains(r#"<a href="../faq/lonely.html">"#), "{page}");
    let lonely = get(&format!("{base}faq/lonely.html"), None).body;
    assert!(lonely.contains("Referenced by"), "{lonely}");
    assert!(
        lonely.contains(r#"<a href="../techniques/active-listening.html">Active listening</a>"#),
        "{lonely}"
    );

    // A broken link is not written first: the last good page stays, and
    // no tab is told to reload. A failed rebuild ends with a status event
    // carrying its problems, sent after anything it announced, so once it
    // is heard any reload from that save has arrived. The second broken
    // save covers a save seen as two rebuilds: its status comes after both.
    for typo in ["lonley", "lonly"] {
        kb.write(
            technique,
            &format!("{original}\nBroken version: see also [[{typo}]].\n"),
        );
        let deadline = Instant::now() + Duration::from_secs(20);
        while !events_named(&heard(), "status")
            .iter()
            .any(|s| s.contains(&format!("`{typo}`")))
        {
            assert!(
                Instant::now() < deadline,
                "no status event for [[{typo}]]:\n{}\n{}",
                heard(),
                serve.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let page = get(&format!("{base}techniques/active-listening.html"), None).body;
    assert!(page.contains(r#"<a href="../faq/lonely.html">"#), "{page}");
    assert!(!page.contains("Broken version"), "{page}");
    assert_eq!(reloads().len(), 3, "{:?}", reloads());
}

/// Peak resident memory of process `pid`, in KiB (Linux).
#[cfg(target_os = "linux")]
fn peak_memory_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM in /proc/PID/status");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Sends `prefix`, then `filler` bytes of `a` (and the end of the head when
/// `finish`), from a thread of its own, while this one reads the answer.
/// Returns the answer, how many bytes were sent before the server closed
/// the connection (`None`: everything was sent), and how the read ended.
fn send_huge(
    addr: &str,
    prefix: &str,
    filler: usize,
    finish: bool,
) -> (String, Option<usize>, std::io::Result<usize>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let prefix = prefix.to_string();
    let sending = std::thread::spawn(move || {
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        if writer.write_all(prefix.as_bytes()).is_err() {
            return Some(0);
        }
        while sent < filler {
            let n = chunk.len().min(filler - sent);
            if writer.write_all(&chunk[..n]).is_err() {
                return Some(sent);
            }
            sent += n;
        }
        if finish && writer.write_all(b"\r\n\r\n").is_err() {
            return Some(sent);
        }
        None
    });
    let mut answer = Vec::new();
    let read = stream.read_to_end(&mut answer);
    let sent = sending.join().unwrap();
    (String::from_utf8_lossy(&answer).into_owned(), sent, read)
}

/// One request with a header line of megabytes once made the server read
/// it whole and keep the memory. Now the head is bounded: the answer is 431,
/// the server stops reading and closes the connection, and it goes on
/// serving.
#[test]
fn an_endless_header_is_refused_and_the_server_goes_on() {
    let kb = Kb::small();
    let serve = Running::start(&kb, &["serve", "--port", "0"]);
    let base = serve.url();
    let addr = base
        .strip_prefix("http://")
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let head = "GET /kb/ HTTP/1.1\r\nHost: x\r\nX-Long: ";

    // A header line of 8 MB, ended properly.
    let (answer, _, _) = send_huge(&addr, head, 8 << 20, true);
    assert!(
        answer.starts_with("HTTP/1.1 431 "),
        "{}",
        &answer[..answer.len().min(200)]
    );
    assert!(
        answer.to_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert_eq!(get(&base, None).status, 200);

    // One that never ends: the server closes the connection long before
    // the client is done.
    let started = Instant::now();
    let (answer, sent, read) = send_huge(&addr, head, 256 << 20, false);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer:?}");
    let sent = sent.expect("the server let a 256 MB header through");
    assert!(
        sent < 32 << 20,
        "the client could send {sent} bytes before the server closed"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // The read ended because the server closed, not at the timeout.
    if let Err(e) = &read {
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset, "{e}");
    }
    let home = get(&base, None);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("__saywhen/events"));
    #[cfg(target_os = "linux")]
    {
        let peak = peak_memory_kib(serve.child.id());
        assert!(peak < 128 * 1024, "serve peaked at {peak} KiB");
    }
}

/// The request line, the method and idle clients, against the server
/// alone.
#[test]
fn an_overlong_request_line_a_post_and_idle_clients_are_handled() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "home").unwrap();
    let server = saywhen::serve::http::Server::start(
        dir.path().to_path_buf(),
        "/".into(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let base = server.url("/");
    let addr = server.addr.to_string();
    // Clients that connect and send nothing hold no one up.
    let idle: Vec<_> = (0..8)
        .map(|_| std::net::TcpStream::connect(&addr).unwrap())
        .collect();

    let long = format!("/{}", "a".repeat(100 * 1024));
    let r = get(&base, Some(&long));
    assert_eq!(r.status, 414);
    assert!(r.headers.contains("connection: close"), "{}", r.headers);
    // One that fits is served as usual (here: not found).
    let fits = format!("/{}", "a".repeat(8 * 1024));
    assert_eq!(get(&base, Some(&fits)).status, 404);

    let mut post = std::net::TcpStream::connect(&addr).unwrap();
    post.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    post.write_all(b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        .unwrap();
    let mut answer = String::new();
    post.read_to_string(&mut answer).unwrap();
    let lower = answer.to_lowercase();
    assert!(lower.starts_with("http/1.1 405 "), "{answer}");
    assert!(lower.contains("allow: get, head"), "{answer}");

    let mut head = std::net::TcpStream::connect(&addr).unwrap();
    head.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    head.write_all(b"HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    head.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.contains("Content-Length: 4\r\n"), "{answer}");
    assert!(answer.ends_with("\r\n\r\n"), "a HEAD answer has no body");

    let started = Instant::now();
    assert_eq!(get(&base, None).body, "home");
    assert!(started.elapsed() < Duration::from_secs(2));
    drop(idle);
}

/// An author who starts `serve` on a knowledge base with a broken link
/// (say, just cloned) once got a bare "not found" everywhere while the
/// terminal spoke of a last good version. Now every URL shows the problems
/// with the live-reload script, and the site as soon as the fix is saved.
#[test]
fn a_knowledge_base_broken_at_start_shows_its_problems_at_every_url_until_fixed() {
    let kb = Kb::small();
    let technique = "content/techniques/active-listening.md";
    let front = "title = \"Active listening\"\ntags = [\"listening\", \"escalated\"]";
    kb.write(
        technique,
        &entry(
            front,
            "## How to do it\n\nBroken version. [[escalatd-call]]\n",
        ),
    );
    // Run from inside the knowledge base, as an author does: `--root` is `.`.
    let mut command = std::process::Command::new(BIN);
    command
        .current_dir(kb.path())
        .args(["serve", "--port", "0"])
        .env("SAYWHEN_TODAY", TODAY)
        .env("NO_COLOR", "1");
    let serve = Running::spawn(command);
    let base = serve.url();
    let log = serve.log();
    let folder = kb.path().canonicalize().unwrap();
    assert!(
        log.contains(&format!("serving {} at http://", folder.display())),
        "{log}"
    );
    assert!(
        log.contains("site not built: fix the problems above"),
        "{log}"
    );
    assert!(!log.contains("last good version"), "{log}");

    let events = heard_events(&base);
    let page = format!("{base}techniques/active-listening.html");
    for url in [
        base.clone(),
        page.clone(),
        format!("{base}playbooks/escalated-call.html"),
        format!("{base}no/such/page.html"),
    ] {
        let r = get(&url, None);
        assert_eq!(r.status, 500, "{url}");
        assert!(
            r.headers.contains("content-type: text/html; charset=utf-8"),
            "{url}: {}",
            r.headers
        );
        for text in [
            "content/techniques/active-listening.md:7:",
            "link to unknown entry `escalatd-call`",
            "did you mean `escalated-call`?",
            "__saywhen/events",
            "saywhen-unbuilt",
        ] {
            assert!(r.body.contains(text), "{url} lacks {text:?}:\n{}", r.body);
        }
    }
    let now = status(&base);
    assert_eq!(now["ok"], false, "{now}");
    assert_eq!(now["built"], false, "{now}");

    kb.write(
        technique,
        &entry(
            front,
            "## How to do it\n\nFixed version. [[escalated-call]]\n",
        ),
    );
    let fixed = wait_for_page(&page, "the fixed page", |r| {
        r.status == 200 && r.body.contains("Fixed version.")
    });
    assert!(fixed.body.contains("__saywhen/events"));
    let home = get(&base, None);
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Test KB"), "the theme's page");
    assert_eq!(get(&format!("{base}no/such/page.html"), None).status, 404);
    // An open error page hears that a good version exists (its script then
    // loads the page), after having been told there was none.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !events().contains("\"built\":true") {
        assert!(Instant::now() < deadline, "{}", events());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(events().contains("\"built\":false"), "{}", events());
    assert!(
        !serve.log().contains("last good version"),
        "{}",
        serve.log()
    );
}

#[test]
fn watch_on_a_broken_knowledge_base_says_nothing_is_built() {
    let kb = Kb::small();
    kb.write(
        "content/techniques/active-listening.md",
        &entry("title = \"Active listening\"", "[[no-such-entry]]\n"),
    );
    let out = kb.path().join("watched");
    let mut command = std::process::Command::new(BIN);
    command
        .current_dir(kb.path())
        .args(["watch", "--output", out.to_str().unwrap()])
        .env("SAYWHEN_TODAY", TODAY)
        .env("NO_COLOR", "1");
    let watch = Running::spawn(command);
    watch.wait_log("watching ", 1);
    let log = watch.log();
    assert!(
        log.contains("site not built: fix the problems above"),
        "{log}"
    );
    assert!(!log.contains("last good version"), "{log}");
    let folder = kb.path().canonicalize().unwrap();
    assert!(
        log.contains(&format!("watching {} for changes", folder.display())),
        "{log}"
    );
}

/// The worker threads of a running process, by the name saywhen gives them.
#[cfg(target_os = "linux")]
fn workers_of(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the process is running")
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|name| name.starts_with("saywhen-job-"))
        .count()
}

/// `--jobs` is honoured by the long-running commands too, not only by
/// `build` and `check`: the count of worker threads is what was asked.
#[cfg(target_os = "linux")]
#[test]
fn watch_and_serve_run_as_many_workers_as_jobs_asks() {
    let kb = Kb::small();
    for (args, ready, asked) in [
        (&["watch", "--jobs", "3"][..], "watching ", 3),
        (&["serve", "--jobs", "1", "--port", "0"][..], "serving ", 1),
        (&["watch", "-j", "2"][..], "watching ", 2),
    ] {
        let running = Running::start(&kb, args);
        running.wait_log(ready, 1);
        assert_eq!(workers_of(running.child.id()), asked, "{args:?}");
    }
}

/// A save still being written is never built half-written: the rebuild
/// waits for the file to be closed. `--debounce` is ten minutes here, so
/// only the close can end the wait.
#[test]
fn a_save_still_being_written_is_built_once_it_is_closed() {
    let kb = Kb::small();
    let out = kb.path().join("watched");
    let watch = Running::start(
        &kb,
        &[
            "watch",
            "--output",
            out.to_str().unwrap(),
            "--debounce",
            "600000",
        ],
    );
    watch.wait_log("watching ", 1);
    let full = entry(
        "situation = \"the customer threatens legal action\"\ntags = [\"legal\"]\nowner = \"Compliance\"\nreviewed = 2026-05-03",
        "## What to say\n\n```say\nI hear you.\n```\n\nFollow [[escalated-call]] and [[active-listening]].\n",
    );
    // Cut inside the front matter: built as it stands, it is broken TOML.
    let (head, tail) = full.split_at(full.find("legal action").unwrap());
    let path = kb.path().join("content/faq/customer-threatens-to-sue.md");
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(head.as_bytes()).unwrap();
    file.sync_data().unwrap();
    // A slow writer: ample time for a rebuild to read the half, had one
    // started on the first write.
    std::thread::sleep(Duration::from_millis(500));
    file.write_all(tail.as_bytes()).unwrap();
    drop(file);
    watch.wait_log("rebuilt in", 2);
    let log = watch.log();
    assert!(
        !log.contains("error") && !log.contains("not published"),
        "a half-written file was built:\n{log}"
    );
    let page = std::fs::read_to_string(out.join("faq/customer-threatens-to-sue.html")).unwrap();
    assert!(page.contains("legal action"), "{page}");
}
