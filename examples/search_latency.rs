//! Search as an agent's browser lives it, in headless Chromium, on a built
//! site served over loopback HTTP with gzip (as an intranet server would):
//!
//! 1. **Downloads before the first result.** For each query, a fresh
//!    browser context (empty cache) opens `search/index.html?q=QUERY`, as
//!    a search from another page does. The figure is the bytes the browser
//!    received (gzipped bodies plus headers, the Resource Timing API's
//!    `transferSize`) for every response that had ended when the first
//!    result appeared in the list, and the same once the page has been
//!    quiet for a second (the rest of the index and the snippets' text).
//! 2. **Latency per keystroke.** With the whole index loaded, each query
//!    is typed one character at a time; the figure runs from the input
//!    event to the next frame painted after the results were drawn (a
//!    message posted from a `requestAnimationFrame` callback runs after
//!    that frame's paint).
//!
//! ```sh
//! cargo run --release --example search_latency -- public/ "threatens to sue" "wants my manager"
//! ```
//!
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM=path`). Fails when
//! the index does not load or a query shows no result in 60 s. Benchmarks
//! only: nothing here is a pass/fail test.

use flate2::{Compression, write::GzEncoder};
use headless_chrome::{Browser, LaunchOptions, Tab};
use std::ffi::OsStr;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const GIVE_UP: Duration = Duration::from_secs(60);

/// Serves `site` on a free loopback port, every file gzipped, one thread
/// per connection. Returns the base URL.
fn serve(site: PathBuf) -> anyhow::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let site = site.clone();
            std::thread::spawn(move || {
                let _ = answer(&site, stream);
            });
        }
    });
    Ok(url)
}

fn answer(site: &Path, mut stream: TcpStream) -> anyhow::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
        // The rest of the request head.
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
                break;
            }
        }
        let path = path.split(['?', '#']).next().unwrap_or("/");
        let mut file = site.join(path.trim_start_matches('/'));
        if file.is_dir() {
            file = file.join("index.html");
        }
        match std::fs::read(&file) {
            Ok(body) => {
                let mut gz = GzEncoder::new(Vec::new(), Compression::new(6));
                gz.write_all(&body)?;
                let body = gz.finish()?;
                let kind = match file.extension().and_then(OsStr::to_str) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript; charset=utf-8",
                    Some("css") => "text/css; charset=utf-8",
                    Some("json") => "application/json",
                    Some("svg") => "image/svg+xml",
                    _ => "application/octet-stream",
                };
                write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\r\n",
                    body.len()
                )?;
                stream.write_all(&body)?;
            }
            Err(_) => write!(
                stream,
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
            )?,
        }
    }
}

fn eval(tab: &Tab, js: &str, promise: bool) -> anyhow::Result<serde_json::Value> {
    Ok(tab
        .evaluate(js, promise)?
        .value
        .unwrap_or(serde_json::Value::Null))
}

/// Waits until `js` is true in `tab`.
fn wait_until(tab: &Tab, js: &str, what: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    while eval(tab, js, false)? != serde_json::Value::Bool(true) {
        anyhow::ensure!(started.elapsed() < GIVE_UP, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Records, from the first script the page runs, when the first result
/// appears in the list.
const WATCH_FIRST_RESULT: &str = r#"
window.__firstResult = null;
new MutationObserver(function (_, observer) {
  if (document.getElementById("result-0")) {
    window.__firstResult = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true });
"#;

/// Bytes received for the page and every resource that had ended by `at`
/// (a `performance.now()` time), or by now when `at` is null.
const BYTES_BY: &str = r#"
(function (at) {
  var all = performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource"));
  var n = 0, files = 0;
  all.forEach(function (e) { if (at === null || e.responseEnd <= at) { n += e.transferSize; files++; } });
  return JSON.stringify([n, files]);
})"#;

fn bytes_by(tab: &Tab, at: &str) -> anyhow::Result<(u64, u64)> {
    let v = eval(tab, &format!("{BYTES_BY}({at})"), false)?;
    let (n, files): (u64, u64) = serde_json::from_str(v.as_str().unwrap_or("[0,0]"))?;
    Ok((n, files))
}

fn downloads(browser: &Browser, base: &str, query: &str) -> anyhow::Result<()> {
    let context = browser.new_context()?;
    let tab = context.new_tab()?;
    tab.call_method(
        headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
            source: WATCH_FIRST_RESULT.into(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        },
    )?;
    let q: String = url::form_urlencoded::byte_serialize(query.as_bytes()).collect();
    tab.navigate_to(&format!("{base}search/index.html?q={q}"))?
        .wait_until_navigated()?;
    wait_until(&tab, "window.__firstResult !== null", "the first result")?;
    let shown = eval(&tab, "window.__firstResult", false)?
        .as_f64()
        .unwrap_or(f64::NAN);
    let (first, first_files) = bytes_by(&tab, "window.__firstResult")?;
    // The rest: body postings and snippet text, until a second passes with
    // no new response.
    let mut seen = bytes_by(&tab, "null")?;
    loop {
        std::thread::sleep(Duration::from_secs(1));
        let now = bytes_by(&tab, "null")?;
        if now == seen {
            break;
        }
        seen = now;
    }
    println!(
        "{query:<32} first result {shown:.0} ms after navigation, {first} bytes in {first_files} files before it; {} bytes in {} files once quiet",
        seen.0, seen.1
    );
    Ok(())
}

/// Types `query` one character at a time; each keystroke's time from the
/// input event to the frame painted after the results, and the page's own
/// figure for the search and drawing the list (`saywhenSearch.lastMs`).
fn keystrokes(tab: &Tab, query: &str) -> anyhow::Result<Vec<(f64, f64)>> {
    let mut times = Vec::new();
    for end in query.char_indices().map(|(i, c)| i + c.len_utf8()) {
        let prefix = serde_json::to_string(&query[..end])?;
        let ms = eval(
            tab,
            &format!(
                "new Promise(function (done) {{
                  var i = document.getElementById('search-page-input');
                  var started = performance.now();
                  i.value = {prefix};
                  i.dispatchEvent(new Event('input'));
                  requestAnimationFrame(function () {{
                    var c = new MessageChannel();
                    c.port1.onmessage = function () {{ done(JSON.stringify([performance.now() - started, window.saywhenSearch.lastMs])); }};
                    c.port2.postMessage(0);
                  }});
                }})"
            ),
            true,
        )?;
        times.push(
            serde_json::from_str(ms.as_str().unwrap_or("[null, null]"))
                .unwrap_or((f64::NAN, f64::NAN)),
        );
    }
    Ok(times)
}

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let site = PathBuf::from(args.next().unwrap_or_else(|| "public".into())).canonicalize()?;
    let mut queries: Vec<String> = args.collect();
    if queries.is_empty() {
        queries = [
            "threatens to sue",
            "wants my manager",
            "custmer swearing at me",
            "crying on the phone",
            "already paid",
        ]
        .map(String::from)
        .to_vec();
    }
    let base = serve(site)?;
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 800)))
        .args(
            [
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ]
            .iter()
            .map(OsStr::new)
            .collect(),
        )
        .idle_browser_timeout(GIVE_UP)
        .build()?;
    let browser = Browser::new(options)?;

    println!("## downloads before the first result (gzip over HTTP, empty cache)");
    for q in &queries {
        downloads(&browser, &base, q)?;
    }

    println!("## per keystroke, input event to the next frame painted");
    let tab = browser.new_tab()?;
    tab.navigate_to(&format!("{base}search/index.html"))?
        .wait_until_navigated()?;
    wait_until(
        &tab,
        "!!(window.saywhenSearch && window.saywhenSearch.bodyLoaded && window.saywhenSearch.bodyLoaded())",
        "the search index",
    )?;
    let mut painted = Vec::new();
    let mut searched = Vec::new();
    for q in &queries {
        let times = keystrokes(&tab, q)?;
        let max = times.iter().map(|t| t.0).fold(0.0, f64::max);
        println!(
            "{q:<32} {} keystrokes, first {:.1} ms, slowest {max:.1} ms",
            times.len(),
            times[0].0
        );
        painted.extend(times.iter().map(|t| t.0));
        searched.extend(times.iter().map(|t| t.1));
    }
    for (what, all) in [
        ("input to the next frame painted", &mut painted),
        ("search and drawing the list alone", &mut searched),
    ] {
        anyhow::ensure!(
            all.iter().all(|t| t.is_finite()),
            "a keystroke was not timed"
        );
        all.sort_by(f64::total_cmp);
        let at = |p: f64| all[((all.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "all {} keystrokes, {what}: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
            all.len(),
            at(0.5),
            at(0.95),
            at(1.0)
        );
    }
    Ok(())
}
