//! What the README promises of `watch`: a reader of the output never sees
//! half a page, and a change to site.toml starts over.

use crate::serve::{Running, wait_until_built_alike};
use crate::support::*;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Writes `text` to `rel` whole, as an editor that saves by renaming does:
/// a half-written source would rightly give a half page, which is not what
/// these tests look for. The temp file sits in the root, which the watcher
/// ignores.
fn save(kb: &Kb, rel: &str, text: &str) {
    let temp = kb.path().join(".saving");
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, kb.path().join(rel)).unwrap();
}

/// Waits until the file at `path` satisfies `check` (a hang guard: 20 s).
#[track_caller]
fn wait_for_file(path: &Path, watch: &Running, what: &str, check: impl Fn(&str) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(path).is_ok_and(|text| check(&text)) {
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what} in {}\n{}",
            path.display(),
            watch.log()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The card's source at `version`: a marker at each end of a long body, so
/// a page cut short or made of two versions shows.
fn card(version: usize) -> String {
    let filler: String = (0..2000)
        .map(|n| format!("Paragraph {n} of a long card, long enough to take a while to write.\n\n"))
        .collect();
    entry(
        "title = \"Active listening\"",
        &format!("begin-v{version:03} [[escalated-call]]\n\n{filler}end-v{version:03}\n"),
    )
}

/// What is wrong with one read of the page, if anything.
fn fault(text: &str) -> Option<String> {
    let version = |marker: &str| -> Vec<&str> {
        text.match_indices(marker)
            .map(|(at, _)| {
                let at = at + marker.len();
                text.get(at..at + 3).unwrap_or("cut")
            })
            .collect()
    };
    let (begin, end) = (version("begin-v"), version("end-v"));
    if !text.ends_with("</html>\n") {
        return Some(format!("{} bytes not ending in </html>", text.len()));
    }
    if begin.len() != 1 || begin != end {
        return Some(format!("versions {begin:?} … {end:?}"));
    }
    None
}

#[test]
fn a_reader_of_the_output_only_ever_sees_whole_pages() {
    let kb = Kb::small();
    let source = "content/techniques/active-listening.md";
    save(&kb, source, &card(0));
    let watch = Running::start(&kb, &["watch"]);
    watch.wait_log("watching ", 1);
    let page = kb.out().join("techniques/active-listening.html");
    wait_for_file(&page, &watch, "version 0", |t| t.contains("begin-v000"));

    let stop = Arc::new(AtomicBool::new(false));
    let reader = {
        let (stop, page) = (Arc::clone(&stop), page.clone());
        std::thread::spawn(move || {
            let (mut reads, mut faults, mut seen) =
                (0usize, Vec::new(), std::collections::BTreeSet::new());
            while !stop.load(Ordering::Relaxed) {
                reads += 1;
                match std::fs::read_to_string(&page) {
                    Ok(text) => match fault(&text) {
                        Some(f) => faults.push(f),
                        None => {
                            let at = text.find("begin-v").unwrap() + 7;
                            seen.insert(text[at..at + 3].to_string());
                        }
                    },
                    Err(e) => faults.push(format!("unreadable: {e}")),
                }
            }
            (reads, faults, seen)
        })
    };
    let rebuilds = 25;
    for version in 1..=rebuilds {
        save(&kb, source, &card(version));
        let marker = format!("begin-v{version:03}");
        wait_for_file(&page, &watch, &marker, |t| t.contains(&marker));
    }
    stop.store(true, Ordering::Relaxed);
    let (reads, faults, seen) = reader.join().unwrap();
    assert!(
        faults.is_empty(),
        "{} of {reads} reads saw a broken page: {:?}",
        faults.len(),
        &faults[..faults.len().min(5)]
    );
    // The reader was there for the rebuilds, not only before or after them.
    assert!(
        seen.len() > rebuilds / 2,
        "the reader saw only versions {seen:?} in {reads} reads"
    );
}

#[test]
fn a_change_to_site_toml_starts_over() {
    let kb = Kb::small();
    let site = |title: &str, raw_html: &str| {
        format!(
            "title = \"{title}\"\nbase_url = \"https://intranet.example/kb/\"\n\n[markdown]\nraw_html = \"{raw_html}\"\n"
        )
    };
    save(&kb, "site.toml", &site("Old Desk Title", "escape"));
    let technique = "content/techniques/active-listening.md";
    save(
        &kb,
        technique,
        &entry(
            "title = \"Active listening\"",
            "Listen. <kbd>Hold</kbd> [[escalated-call]]\n",
        ),
    );
    let watch = Running::start(&kb, &["watch"]);
    watch.wait_log("watching ", 1);
    let card = kb.out().join("techniques/active-listening.html");
    wait_for_file(&card, &watch, "the escaped HTML", |t| {
        t.contains("&lt;kbd&gt;Hold")
    });

    // A title every page shows, and a setting read as entries are loaded:
    // both take effect only if the site is built again from the start.
    save(&kb, "site.toml", &site("New Desk Title", "allow"));
    wait_for_file(&card, &watch, "the raw HTML", |t| {
        t.contains("<kbd>Hold</kbd>")
    });
    let out = kb.out();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let pages: Vec<(String, bool)> = tree(&out)
            .into_iter()
            .filter(|(rel, _)| rel.ends_with(".html"))
            .map(|(rel, bytes)| {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let picked_up = text.contains("New Desk Title") && !text.contains("Old Desk Title");
                (rel, picked_up)
            })
            .collect();
        let stale: Vec<&String> = pages.iter().filter(|p| !p.1).map(|p| &p.0).collect();
        if pages.len() > 5 && stale.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "pages still without the new title: {stale:?}\n{}",
            watch.log()
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    // And what it wrote is what a build of the same files writes.
    wait_until_built_alike(&kb, &out, &watch, "fresh");
}
