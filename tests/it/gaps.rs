//! Search gaps: the page's query beacons (`[search] log_queries`) in a
//! real browser, and `saywhen gaps` on the access log of a real nginx.

use crate::browser::{Page, require_chromium};
use crate::needs::require_nginx;
use crate::support::{Kb, SITE_TOML};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const LOGGING: &str = "\n[search]\nlog_queries = true\n";

/// The small knowledge base with query logging on (or not), built.
fn built(logging: bool) -> Kb {
    let kb = Kb::small();
    if logging {
        kb.write("site.toml", &format!("{SITE_TOML}{LOGGING}"));
    }
    kb.run(&["build"]).success();
    kb
}

/// The beacons the page has requested, as `{q, open, rank}` objects, from
/// the browser's own record of what it fetched.
fn beacons(page: &Page) -> Vec<Value> {
    page.eval(
        "performance.getEntriesByType('resource').map(e => new URL(e.name)).filter(u => u.pathname.endsWith('/search/q.gif')).map(u => ({ path: u.pathname, q: u.searchParams.get('q'), open: u.searchParams.get('open'), rank: u.searchParams.get('rank') }))",
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

fn beacon(path: &str, q: &str, open: Option<&str>, rank: Option<&str>) -> Value {
    serde_json::json!({ "path": path, "q": q, "open": open, "rank": rank })
}

/// Waits past the page's pause (1.5 s) and a little more.
fn past_the_pause() {
    std::thread::sleep(Duration::from_millis(2200));
}

/// `kb`'s built site served over HTTP at `/kb/`, and its search page open
/// with the index loaded; the server stops when the first value is dropped.
fn search_page(kb: &Kb) -> (saywhen::serve::http::Server, Page) {
    let server = saywhen::serve::http::Server::start(
        kb.out(),
        "/kb/".into(),
        "127.0.0.1:0".parse().unwrap(),
    )
    .unwrap();
    let page = Page::open(&server.url("/kb/search/index.html"));
    page.wait_for("window.saywhenSearch.bodyLoaded()");
    (server, page)
}

#[test]
fn typing_and_opening_send_exactly_the_expected_beacons() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = built(true);
    assert_eq!(
        std::fs::read(kb.out().join("search/q.gif")).unwrap()[..6],
        *b"GIF89a"
    );
    let (_server, page) = search_page(&kb);

    // One pause: one beacon, the account number masked.
    page.type_text("#search-page-input", "Threatens  4111 2222");
    page.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    past_the_pause();
    let path = "/kb/search/q.gif";
    assert_eq!(beacons(&page), [beacon(path, "Threatens # #", None, None)]);

    // Typing on and opening the second result at once: the query it was
    // opened for, then the opening with the entry and its rank. The click
    // is kept from navigating so the page's record stays readable.
    page.tab.type_str(" sue").unwrap();
    page.wait_for("document.querySelectorAll('#search-results > li').length > 1");
    let second = page
        .eval("document.querySelectorAll('#search-results > li > a')[1].getAttribute('href')")
        .as_str()
        .unwrap()
        .trim_start_matches("../")
        .to_string();
    page.run("document.addEventListener('click', e => e.preventDefault())");
    page.run("document.querySelectorAll('#search-results > li > a')[1].click()");
    past_the_pause();
    assert_eq!(
        beacons(&page),
        [
            beacon(path, "Threatens # #", None, None),
            beacon(path, "Threatens # # sue", None, None),
            beacon(path, "Threatens # # sue", Some(&second), Some("2")),
        ]
    );
    assert_eq!(page.eval("document.cookie"), "");
    assert_eq!(page.eval("localStorage.length + sessionStorage.length"), 0);

    // The same site from disk sends nothing, though logging is on.
    let file = Page::open(&format!("file://{}/search/index.html", kb.out().display()));
    file.wait_for("window.saywhenSearch.bodyLoaded()");
    assert_eq!(file.eval("window.SAYWHEN_SEARCH.log_queries"), true);
    file.type_text("#search-page-input", "threatens to sue");
    file.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    file.run("document.querySelector('#search-results > li > a').addEventListener('click', e => e.preventDefault())");
    file.run("document.querySelector('#search-results > li > a').click()");
    past_the_pause();
    assert_eq!(beacons(&file), Vec::<Value>::new());
}

#[test]
fn with_logging_off_the_page_sends_nothing_and_the_build_writes_no_beacon() {
    let Some(_) = require_chromium() else {
        return;
    };
    let kb = built(false);
    assert!(!kb.out().join("search/q.gif").exists());
    assert!(!kb.read("search/index.js").contains("log_queries"));
    let (_server, page) = search_page(&kb);
    page.type_text("#search-page-input", "threatens to sue");
    page.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    page.run("document.addEventListener('click', e => e.preventDefault())");
    page.run("document.querySelector('#search-results > li > a').click()");
    past_the_pause();
    assert_eq!(beacons(&page), Vec::<Value>::new());
}

#[test]
fn the_suggested_alias_ranks_the_entry_agents_scrolled_for_first_once_pasted() {
    let kb = Kb::small();
    kb.write("site.toml", &format!("{SITE_TOML}{LOGGING}"));
    // Agents searched and opened "Active listening" from below the top
    // three (the rank the page sent).
    kb.write(
        "access.log",
        concat!(
            "10.1.2.3 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=Listening+to+an+upset+caller HTTP/1.1\" 200 43 \"-\" \"Mozilla/5.0\"\n",
            "10.1.2.3 - - [04/Dec/2026:09:00:02 +0000] \"GET /kb/search/q.gif?q=Listening+to+an+upset+caller&open=techniques%2Factive-listening.html&rank=5 HTTP/1.1\" 200 43 \"-\" \"Mozilla/5.0\"\n",
        ),
    );
    let test = "[[test]]\nquery = \"listening to an upset caller\"\nexpect = \"active-listening\"\ntop = 1\n";
    kb.write("search-tests.toml", test);
    kb.run(&["check"])
        .failure(1)
        .stderr_has("search test failed");

    let log = kb.path().join("access.log");
    let run = kb.run(&["gaps", log.to_str().unwrap(), "--format", "json"]);
    run.success();
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let row = &out["report"]["opened_below_top3"][0];
    assert_eq!(row["query"], "listening to an upset caller");
    assert_eq!(
        row["best"]["file"],
        "content/techniques/active-listening.md"
    );
    assert_eq!(row["alias_verified"], true, "{row}");
    let advice = row["advice"].as_str().unwrap();
    assert_eq!(
        advice,
        "add to content/techniques/active-listening.md: aliases = [\"listening to an upset caller\"]"
    );

    // Pasted into the entry's front matter, `check` ranks it first.
    let file = "content/techniques/active-listening.md";
    let line = advice.split_once(": ").unwrap().1;
    let source = std::fs::read_to_string(kb.path().join(file)).unwrap();
    kb.write(
        file,
        &source.replacen("+++\n", &format!("+++\n{line}\n"), 1),
    );
    kb.run(&["check"]).success();
}

#[test]
fn unreadable_lines_are_reported_once_and_are_not_fatal() {
    let kb = Kb::small();
    kb.write(
        "access.log",
        "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=parking+permit HTTP/1.1\" 200 43 \"-\" \"-\"\nnot a log line\nnor this\n",
    );
    let log = kb.path().join("access.log");
    let run = kb.run(&["gaps", log.to_str().unwrap()]);
    run.success();
    assert!(run.stdout.contains("“parking permit”"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("2 lines skipped as no access log line or beacon (first: "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("access.log:2: no [time])"),
        "{}",
        run.stdout
    );
    let missing = kb.path().join("missing.log");
    kb.run(&["gaps", missing.to_str().unwrap()])
        .failure(2)
        .stderr_has(&format!("cannot read {}", missing.display()));
}

/// nginx in the foreground with its own prefix, config, pid and logs in a
/// temp folder, serving `site` at `/kb/` on a loopback port; stopped by its
/// PID when dropped.
struct Nginx {
    child: std::process::Child,
    dir: tempfile::TempDir,
    port: u16,
}

impl Nginx {
    fn start(binary: &Path, site: &Path) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = dir.path().display();
        // One process, so no worker switches to a user who cannot read the
        // temp folders; the standard `combined` log format.
        let conf = format!(
            "master_process off;\nerror_log {d}/error.log;\npid {d}/nginx.pid;\nevents {{ worker_connections 64; }}\n\
             http {{\n  types {{ text/html html; application/javascript js; text/css css; image/gif gif; image/svg+xml svg; }}\n\
             access_log {d}/access.log combined;\n\
             client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n\
             server {{ listen 127.0.0.1:{port}; location /kb/ {{ alias {}/; }} }}\n}}\n",
            site.display()
        );
        std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
        let child = std::process::Command::new(binary)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(dir.path().join("nginx.conf"))
            .args(["-g", "daemon off;"])
            .stdin(std::process::Stdio::null())
            .spawn()
            .expect("start nginx");
        let nginx = Nginx { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "nginx did not listen on {port}: {}",
                std::fs::read_to_string(nginx.dir.path().join("error.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        nginx
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("access.log")
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn gaps_reads_a_real_nginx_log_of_real_searches() {
    let Some(_) = require_chromium() else {
        return;
    };
    let Some(nginx) = require_nginx() else {
        return;
    };
    let kb = built(true);
    let server = Nginx::start(&nginx, &kb.out());
    let search = format!("http://127.0.0.1:{}/kb/search/index.html", server.port);

    // Found and opened: no gap. A planted gap: nothing covers it. And one
    // whose results were never opened.
    let page = Page::open(&search);
    page.wait_for("window.saywhenSearch.bodyLoaded()");
    page.type_text("#search-page-input", "threatens to sue");
    page.wait_for("document.querySelectorAll('#search-results > li').length > 0");
    page.run("document.querySelector('#search-results > li > a').click()");
    page.wait_for("location.pathname.startsWith('/kb/faq/')");
    for query in ["parking permit 4411", "listening skills"] {
        page.goto(&search);
        page.wait_for("window.saywhenSearch.bodyLoaded()");
        page.type_text("#search-page-input", query);
        past_the_pause();
    }
    let log = server.log();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.matches("/kb/search/q.gif?").count() >= 4 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "beacons missing from nginx's log:\n{text}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }

    let run = kb.run(&["gaps", log.to_str().unwrap(), "--format", "json"]);
    run.success();
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let report = &out["report"];
    let queries = |list: &str| -> Vec<String> {
        report[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["query"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(queries("no_result"), ["parking permit #"], "{report}");
    assert_eq!(
        report["no_result"][0]["advice"],
        "no entry covers this: write one (saywhen new faq \"parking permit #\")"
    );
    assert_eq!(queries("never_opened"), ["listening skills"], "{report}");
    assert_eq!(
        report["never_opened"][0]["best"]["file"],
        "content/techniques/active-listening.md"
    );
    assert_eq!(
        report["never_opened"][0]["advice"],
        "add to content/techniques/active-listening.md: aliases = [\"listening skills\"]"
    );
    assert_eq!(queries("opened_below_top3"), Vec::<String>::new());
    assert_eq!(report["figures"]["searches"], 3);
    // Every request the page made is in the log, none of them unreadable.
    assert_eq!(out["read"]["unreadable"], 0);
    let text = kb.run(&["gaps", log.to_str().unwrap()]);
    assert!(
        text.stdout.contains("no entry covers this: write one"),
        "{}",
        text.stdout
    );
}

#[test]
fn since_splits_the_log_and_says_how_the_figures_moved() {
    let kb = Kb::small();
    let line = |day: u8, q: &str| {
        format!(
            "10.0.0.1 - - [{day:02}/Dec/2026:12:00:00 +0000] \"GET /kb/search/q.gif?q={q} HTTP/1.1\" 200 43 \"-\" \"-\"\n"
        )
    };
    let log = [
        line(1, "parking+permit"),
        line(1, "parking+permit"),
        line(1, "active+listening"),
        line(8, "parking+permit"),
    ]
    .concat();
    // The older week gzipped, as logrotate leaves it.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut gz, log.as_bytes()).unwrap();
    kb.write_bytes("access.log.1.gz", &gz.finish().unwrap());
    let path = kb.path().join("access.log.1.gz");
    let run = kb.run(&[
        "gaps",
        path.to_str().unwrap(),
        "--since",
        "2026-12-05",
        "--format",
        "json",
    ]);
    run.success();
    let out: Value = serde_json::from_str(&run.stdout).unwrap();
    let report = &out["report"];
    assert_eq!(report["since"], "2026-12-05");
    assert_eq!(report["figures"]["searches"], 1);
    assert_eq!(report["figures"]["no_result"], 1);
    assert_eq!(report["before"]["searches"], 3);
    assert_eq!(report["before"]["no_result"], 2);
    assert_eq!(report["before"]["never_opened"], 1);
    assert_eq!(report["no_result"][0]["query"], "parking permit");
    assert_eq!(report["no_result"][0]["searches_before"], 2);
    // "active listening" was searched only before: not a gap of this week.
    assert_eq!(report["never_opened"], serde_json::json!([]));
}
