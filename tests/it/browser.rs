//! Headless Chromium for the tests that need a real browser, and the
//! bundled knowledge base built once and served over real HTTP.
//!
//! Chromium is Debian's (`/usr/bin/chromium`, or `$SAYWHEN_CHROMIUM`);
//! `.ci/run` installs it. Each test that opens a page first calls
//! [`crate::needs::require_chromium`], which skips it with a hint when
//! Chromium is missing, or fails it under CI.

#![allow(dead_code)]

pub(crate) use crate::needs::require_chromium;
use crate::needs::{Component, Outcome, decide};
use headless_chrome::{Browser, LaunchOptions, Tab};
use saywhen::serve::http::Server;
use serde_json::Value;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub(crate) fn browser() -> &'static Browser {
    static BROWSER: OnceLock<Browser> = OnceLock::new();
    BROWSER.get_or_init(|| {
        // Reached without Chromium only by a test that does not call
        // `require_chromium`: it fails, whatever `CI` says.
        let path = crate::needs::chromium_path();
        if let Outcome::Skip(hint) = decide(Component::Chromium, &path, false) {
            panic!("{hint}; this test opens a page without calling require_chromium first");
        }
        let options = LaunchOptions::default_builder()
            .path(Some(path))
            .headless(true)
            .sandbox(false)
            .window_size(Some((1280, 800)))
            .idle_browser_timeout(Duration::from_secs(900))
            .args(
                [
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--allow-file-access-from-files",
                ]
                .iter()
                .map(OsStr::new)
                .collect(),
            )
            .build()
            .expect("launch options");
        let browser = Browser::new(options).expect("start headless Chromium");
        if let Some(chromium) = browser.get_process_id() {
            when_this_process_ends("kill \"$1\" 2>/dev/null", &chromium.to_string());
        }
        browser
    })
}

/// A static is never dropped, so what it owns (Chromium, a folder) would
/// outlive the test binary: a small shell watches this process and runs
/// `script`, with `arg` as `$1`, once it is gone, however it ended.
fn when_this_process_ends(script: &str, arg: &str) {
    let me = std::process::id().to_string();
    let _ = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "while kill -0 \"$0\" 2>/dev/null; do sleep 1; done; {script}"
        ))
        .args([me.as_str(), arg])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// The repository's own knowledge base, built once per test run into a
/// folder removed when the run ends.
pub(crate) fn bundled_site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = build_bundled(None).keep();
        when_this_process_ends("rm -rf -- \"$1\"", dir.to_str().expect("a UTF-8 temp path"));
        dir.join("public")
    })
}

/// The bundled knowledge base built with a `base_url` into `public/` of a
/// fresh folder, removed when the value is dropped.
pub(crate) fn build_bundled(base_url: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    let mut args = vec![
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "build",
        "--output",
        out.to_str().unwrap(),
    ];
    if let Some(url) = base_url {
        args.extend(["--base-url", url]);
    }
    let mut cmd = std::process::Command::new(crate::support::BIN);
    cmd.args(&args).env("SAYWHEN_TODAY", "2026-11-23");
    crate::support::run(cmd).success();
    dir
}

/// The bundled site served at `/` over HTTP on 127.0.0.1.
pub(crate) fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| {
        Server::start(
            bundled_site().to_path_buf(),
            "/".into(),
            "127.0.0.1:0".parse().unwrap(),
        )
        .expect("start server")
    })
}

pub(crate) struct Page {
    pub tab: Arc<Tab>,
}

impl Page {
    pub(crate) fn open(url: &str) -> Page {
        let tab = browser().new_tab().expect("new tab");
        tab.set_default_timeout(Duration::from_secs(20));
        let page = Page { tab };
        page.goto(url);
        page
    }

    /// Loads `url` in this tab and waits until it has loaded. The browser
    /// library learns that a navigation ended from one DevTools event; on a
    /// busy machine a wait for it once ran out, with no more said, so when
    /// it does the page itself is asked whether it is loaded, and a failure
    /// names the address.
    #[track_caller]
    pub(crate) fn goto(&self, url: &str) {
        if let Err(e) = self.tab.navigate_to(url) {
            panic!("navigate to {url}: {e}");
        }
        if let Err(e) = self.tab.wait_until_navigated() {
            let state = self.eval("[document.readyState, location.href]");
            eprintln!("navigation to {url} not reported ({e}); the page says {state}");
            self.wait_for(&format!(
                "document.readyState === 'complete' && location.href === {}",
                serde_json::to_string(url).unwrap()
            ));
        }
    }

    /// Evaluates `js` and returns its value (objects come back through JSON).
    #[track_caller]
    pub(crate) fn eval(&self, js: &str) -> Value {
        let result = self
            .tab
            .evaluate(&as_json(js), false)
            .unwrap_or_else(|e| panic!("evaluate {js}: {e}"));
        match result.value {
            Some(Value::String(s)) => serde_json::from_str(&s).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// Runs JS statements for their effect.
    #[track_caller]
    pub(crate) fn run(&self, js: &str) {
        let wrapped = format!("(function(){{ {js}; }})()");
        self.tab
            .evaluate(&wrapped, false)
            .unwrap_or_else(|e| panic!("run {js}: {e}"));
    }

    /// Polls `condition` (a JS expression) until it is true, for up to 10 s.
    #[track_caller]
    pub(crate) fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let wrapped = as_json(condition);
        loop {
            // A page that navigates or reloads while it is asked (what many
            // waits wait for) has no answer yet: ask again. Any other error
            // of the browser is the test's.
            match self.tab.evaluate(&wrapped, false) {
                Ok(result) if result.value == Some(Value::String("true".into())) => return,
                Ok(_) => {}
                Err(e) if e.to_string().contains("navigated or closed") => {}
                Err(e) => panic!("evaluate {condition}: {e}"),
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {condition}\nurl: {}",
                self.tab.get_url()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// The `href` attributes of the search results, best first.
    pub(crate) fn results(&self) -> Vec<String> {
        let v = self.eval("Array.from(document.querySelectorAll('#search-results > li > a')).map(a => a.getAttribute('href'))");
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every result the page has for its query: the page draws the first
    /// ones and a button draws the rest, which this presses first.
    pub(crate) fn all_results(&self) -> Vec<String> {
        self.run("(function () { var more = document.getElementById('search-more'); if (more && !more.hidden) more.click(); })()");
        self.results()
    }

    pub(crate) fn type_text(&self, selector: &str, text: &str) {
        self.tab
            .find_element(selector)
            .expect("element")
            .click()
            .expect("click");
        self.tab.type_str(text).expect("type");
    }

    pub(crate) fn press(&self, key: &str) {
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("press {key}: {e}"));
    }

    pub(crate) fn url(&self) -> String {
        self.tab.get_url()
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

/// `?q=` for a query.
pub(crate) fn query_url(base: &str, query: &str) -> String {
    let mut encoded = String::new();
    for b in query.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => encoded.push(b as char),
            b' ' => encoded.push('+'),
            _ => encoded.push_str(&format!("%{b:02X}")),
        }
    }
    format!("{base}search/index.html?q={encoded}")
}

/// `js`, an expression, as a script whose value is its JSON text.
fn as_json(js: &str) -> String {
    format!("JSON.stringify((function(){{ return ({js}); }})())")
}
