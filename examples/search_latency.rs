//! Search latency in a real browser: types queries into a built site's
//! search page one keystroke at a time, in headless Chromium, and reports
//! how long each keystroke's search and rendering took (the page's own
//! `saywhenSearch.lastMs`, the same figure it writes to `data-ms`).
//!
//! ```sh
//! cargo run --release --example search_latency -- public/ "threatens to sue" "wants my manager"
//! ```
//!
//! Needs Chromium (`/usr/bin/chromium`, or `CHROMIUM=path`). Benchmarks
//! only: nothing here is a pass/fail test.

use headless_chrome::{Browser, LaunchOptions};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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
    let chromium = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let options = LaunchOptions::default_builder()
        .path(Some(chromium))
        .headless(true)
        .sandbox(false)
        .window_size(Some((1280, 800)))
        .args(
            ["--disable-gpu", "--allow-file-access-from-files"]
                .iter()
                .map(OsStr::new)
                .collect(),
        )
        .build()?;
    let browser = Browser::new(options)?;
    let tab = browser.new_tab()?;
    tab.navigate_to(&format!("file://{}/search/index.html", site.display()))?
        .wait_until_navigated()?;
    let eval = |js: &str| -> anyhow::Result<serde_json::Value> {
        Ok(tab
            .evaluate(js, false)?
            .value
            .unwrap_or(serde_json::Value::Null))
    };
    let started = Instant::now();
    while eval(
        "!!(window.saywhenSearch && window.saywhenSearch.bodyLoaded && window.saywhenSearch.bodyLoaded())",
    )? != serde_json::Value::Bool(true)
    {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(60),
            "the search index did not load"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    println!(
        "index and body postings loaded {} ms after navigation",
        started.elapsed().as_millis()
    );
    let mut all = Vec::new();
    for q in &queries {
        let mut times = Vec::new();
        for end in q.char_indices().map(|(i, c)| i + c.len_utf8()) {
            let prefix = serde_json::to_string(&q[..end])?;
            let ms = eval(&format!(
                "(function(){{ var i = document.getElementById('search-page-input'); i.value = {prefix}; i.dispatchEvent(new Event('input')); return window.saywhenSearch.lastMs; }})()"
            ))?;
            times.push(ms.as_f64().unwrap_or(f64::NAN));
        }
        let first = times[0];
        let max = times.iter().copied().fold(0.0, f64::max);
        println!(
            "{q:<32} {} keystrokes, first {first:.1} ms, slowest {max:.1} ms",
            times.len()
        );
        all.extend(times);
    }
    all.sort_by(f64::total_cmp);
    let at = |p: f64| all[((all.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "all {} keystrokes: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        all.len(),
        at(0.5),
        at(0.95),
        at(1.0)
    );
    Ok(())
}
