//! Save-to-page latency of `saywhen watch`, timed from outside the process
//! as an author lives it: from the moment an edit is renamed into place
//! over the entry (how editors save) to the moment the entry's page on disk
//! is complete and shows the edit. `watch` runs with its default settings.
//!
//! ```sh
//! cargo run --release --example save_latency -- \
//!     --saywhen target/release/saywhen --kb target/bench-corpus/kb10000 \
//!     --edit words --edits 10
//! ```
//!
//! `--edit` is one of `words` (one paragraph of the body), `link` (a
//! paragraph with a link to a different entry each time), `title` (the
//! entry's `situation` in its front matter) or `heading` (a new `##`
//! heading). The entry edited is the first FAQ entry in file order; it is
//! put back as it was at the end, also after a failure.
//!
//! Fails (exit code 1, with watch's log) when watch does not start, when an
//! edit's page does not appear within 60 s, or when fewer edits were timed
//! than asked. Benchmarks only: nothing here is a pass/fail test.

use notify::Watcher as _;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const GIVE_UP: Duration = Duration::from_secs(60);

struct Args {
    saywhen: PathBuf,
    kb: PathBuf,
    out: PathBuf,
    edit: String,
    edits: usize,
}

fn args() -> anyhow::Result<Args> {
    let mut a = Args {
        saywhen: PathBuf::from("target/release/saywhen"),
        kb: PathBuf::from("target/bench-corpus/kb10000"),
        out: std::env::temp_dir().join("saywhen-save-latency"),
        edit: "words".into(),
        edits: 10,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| anyhow::anyhow!("{flag} needs a value"))?;
        match flag.as_str() {
            "--saywhen" => a.saywhen = value.into(),
            "--kb" => a.kb = value.into(),
            "--out" => a.out = value.into(),
            "--edit" => a.edit = value,
            "--edits" => a.edits = value.parse()?,
            _ => anyhow::bail!("unknown flag {flag}"),
        }
    }
    anyhow::ensure!(
        ["words", "link", "title", "heading"].contains(&a.edit.as_str()),
        "--edit is words, link, title or heading"
    );
    anyhow::ensure!(a.edits > 0, "--edits must be at least 1");
    Ok(a)
}

/// `watch`, its stderr collected line by line.
struct Watch {
    child: Child,
    log: Arc<Mutex<String>>,
}

impl Watch {
    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn count(&self, text: &str) -> usize {
        self.log().matches(text).count()
    }

    fn wait_for(&self, text: &str, count: usize) -> anyhow::Result<()> {
        let deadline = Instant::now() + GIVE_UP;
        while self.count(text) < count {
            anyhow::ensure!(
                Instant::now() < deadline,
                "gave up waiting for {count}× {text:?} from watch:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        Ok(())
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The entry's text after edit `k`, and a word that shows on its page only
/// once the edit is built.
fn edited(original: &str, edit: &str, k: usize, techniques: &[String]) -> (String, String) {
    let marker = format!("zq{k}marker{}", std::process::id());
    let text = match edit {
        "words" => format!(
            "{original}\nEdit {k}: the caller asked again, so this paragraph now says {marker}.\n"
        ),
        "link" => format!(
            "{original}\nEdit {k}: the caller asked again, so [this technique](../techniques/{}) says {marker}.\n",
            techniques[k % techniques.len()]
        ),
        "heading" => format!("{original}\n## Heading {marker}\n\nWhat to do next.\n"),
        "title" => {
            let at = original
                .find("situation = \"")
                .expect("a FAQ entry has a situation")
                + "situation = \"".len();
            format!("{}{marker} {}", &original[..at], &original[at..])
        }
        _ => unreachable!("checked in args"),
    };
    (text, marker)
}

/// Waits for `page` to be complete and to contain `marker`, woken by the
/// file events in its folder (pages are renamed into place), with a
/// re-check every 20 ms in case an event is missed.
fn page_done(page: &Path, marker: &str, events: &Receiver<()>) -> anyhow::Result<Instant> {
    let deadline = Instant::now() + GIVE_UP;
    loop {
        if let Ok(html) = std::fs::read_to_string(page)
            && html.contains(marker)
            && html.trim_end().ends_with("</html>")
        {
            return Ok(Instant::now());
        }
        anyhow::ensure!(
            Instant::now() < deadline,
            "{} never showed the edit",
            page.display()
        );
        let _ = events.recv_timeout(Duration::from_millis(20));
    }
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn run(a: &Args, entry: &Path, original: &str) -> anyhow::Result<Vec<f64>> {
    let slug = entry.file_stem().unwrap().to_string_lossy().into_owned();
    let mut techniques: Vec<String> = std::fs::read_dir(a.kb.join("content/techniques"))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    techniques.sort();
    anyhow::ensure!(!techniques.is_empty(), "the corpus has no techniques");

    let _ = std::fs::remove_dir_all(&a.out);
    let mut child = Command::new(&a.saywhen)
        .arg("--root")
        .arg(&a.kb)
        .arg("watch")
        .arg("--output")
        .arg(&a.out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
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
    let watch = Watch { child, log };
    watch.wait_for("watching ", 1)?;

    let page = a.out.join("faq").join(format!("{slug}.html"));
    anyhow::ensure!(page.is_file(), "no page at {}", page.display());
    let (tx, events) = channel();
    let mut watcher = notify::recommended_watcher(move |_: notify::Result<notify::Event>| {
        let _ = tx.send(());
    })?;
    watcher.watch(page.parent().unwrap(), notify::RecursiveMode::NonRecursive)?;

    let temp = entry.with_file_name(format!(".{slug}.md.saving"));
    let mut timings = Vec::new();
    for k in 1..=a.edits {
        let (text, marker) = edited(original, &a.edit, k, &techniques);
        let rebuilds = watch.count("rebuilt in");
        std::fs::write(&temp, &text)?;
        while events.try_recv().is_ok() {}
        let saved = Instant::now();
        std::fs::rename(&temp, entry)?;
        let done = page_done(&page, &marker, &events)
            .map_err(|e| anyhow::anyhow!("edit {k}: {e}\n--- watch's log ---\n{}", watch.log()))?;
        let ms = done.duration_since(saved).as_secs_f64() * 1000.0;
        println!("edit {k}: page on disk {ms:.1} ms after the save");
        timings.push(ms);
        // Let the rebuild finish (the search index comes after the page)
        // before the next save, so each save is its own rebuild.
        watch.wait_for("rebuilt in", rebuilds + 1)?;
        anyhow::ensure!(
            !watch.log().contains("not published"),
            "edit {k} failed to build:\n{}",
            watch.log()
        );
    }
    Ok(timings)
}

fn main() -> anyhow::Result<()> {
    let a = args()?;
    let mut faq: Vec<PathBuf> = std::fs::read_dir(a.kb.join("content/faq"))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    faq.sort();
    let entry = faq
        .first()
        .ok_or_else(|| anyhow::anyhow!("no FAQ entries in {}", a.kb.display()))?
        .clone();
    let original = std::fs::read_to_string(&entry)?;
    let result = run(&a, &entry, &original);
    std::fs::write(&entry, &original)?;
    let mut timings = result?;
    anyhow::ensure!(
        timings.len() == a.edits,
        "timed {} edits of {}",
        timings.len(),
        a.edits
    );
    timings.sort_by(f64::total_cmp);
    println!(
        "{} edit, {} edits: save → page on disk best {:.1} ms, median {:.1} ms, worst {:.1} ms",
        a.edit,
        timings.len(),
        timings[0],
        median(&timings),
        timings[timings.len() - 1]
    );
    Ok(())
}
