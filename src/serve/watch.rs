//! Watching the knowledge base for changes, with notify (or `poll`).
//!
//! Folders are watched, not files, because editors save by writing a temp
//! file and renaming it over the original. The root itself is watched
//! without recursion to see `site.toml` replaced and `templates/` or
//! `static/` appear; `content/`, `templates/`, `static/` and `themes/` are
//! watched recursively. The output folder, hidden files and editor temp
//! files never count as changes, so writing the site cannot trigger itself.
//!
//! A save is sent on as soon as it is complete, not after a fixed wait: a
//! rename, a removal or a file closed after writing completes it, and the
//! rebuild starts once a few milliseconds pass with no further event. Only
//! a file still open for writing (or, when polling, any change, since
//! polling sees no closes) holds the burst until the events go quiet for
//! the `quiet` time.
//! Events that arrive while a rebuild runs queue up and make one more
//! rebuild after it (see `cli::serve`).

use crate::load::is_ignored_name;
use anyhow::Context as _;
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind};
use notify::{Event, EventKind, RecursiveMode, Watcher as _};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

/// What a burst of file events amounts to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changes {
    /// Content-relative paths that changed (files or folders).
    pub(crate) content: BTreeSet<String>,
    /// Templates or static files (of the site or its theme) changed.
    pub(crate) theme: bool,
    /// `site.toml` changed: start over.
    pub(crate) config: bool,
    /// When the first event of the burst reached us, for latency figures.
    pub(crate) first_event: Option<Instant>,
}

impl Changes {
    /// Folds a later burst into this one (the first event stays the
    /// earlier one's).
    pub(crate) fn absorb(&mut self, later: Changes) {
        self.content.extend(later.content);
        self.theme |= later.theme;
        self.config |= later.config;
        self.first_event = match (self.first_event, later.first_event) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
}

/// Sorts one changed path into `changes`; says whether it counted. `root`
/// and `out` are canonical.
pub(crate) fn classify(root: &Path, out: &Path, path: &Path, changes: &mut Changes) -> bool {
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return false;
    }
    match parts.first().map(String::as_str) {
        Some(crate::config::CONFIG_FILE) if parts.len() == 1 => changes.config = true,
        Some("content") if parts.len() > 1 => {
            changes.content.insert(parts[1..].join("/"));
        }
        Some("content") => {
            changes.content.insert(String::new());
        }
        Some("templates" | "static" | "themes") => changes.theme = true,
        _ => return false,
    }
    true
}

/// What one event says about the files it names.
#[derive(Debug, PartialEq, Eq)]
enum Meaning {
    /// Not a change: a read, an open, a close after reading.
    Nothing,
    /// Written to, or created empty: more writing may follow until it is
    /// closed.
    Writing,
    /// Closed after writing: this file's save is complete.
    Closed,
    /// Complete as it is: renamed into place, removed, its metadata
    /// changed, a folder created.
    Done,
    /// The watcher lost events (its queue overflowed): look at everything.
    Rescan,
}

fn meaning(event: &Event) -> Meaning {
    if event.need_rescan() {
        return Meaning::Rescan;
    }
    match event.kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => Meaning::Closed,
        EventKind::Access(_) => Meaning::Nothing,
        EventKind::Create(CreateKind::File)
        | EventKind::Modify(ModifyKind::Data(_) | ModifyKind::Any | ModifyKind::Other)
        | EventKind::Any => Meaning::Writing,
        _ => Meaning::Done,
    }
}

/// One burst being gathered: the changes so far and the files still open
/// for writing.
struct Burst {
    changes: Changes,
    writing: BTreeSet<PathBuf>,
    /// Polling sees no closes, so every change may still be mid-write.
    polling: bool,
}

impl Burst {
    fn new(polling: bool) -> Burst {
        Burst {
            changes: Changes::default(),
            writing: BTreeSet::new(),
            polling,
        }
    }

    /// Takes in one event; says whether it was a change that counts.
    fn add(&mut self, root: &Path, out: &Path, event: &Event) -> bool {
        let meaning = meaning(event);
        if meaning == Meaning::Rescan {
            self.changes.content.insert(String::new());
            self.changes.theme = true;
            return true;
        }
        if meaning == Meaning::Nothing {
            return false;
        }
        let mut counted = false;
        for path in &event.paths {
            if !classify(root, out, path, &mut self.changes) {
                continue;
            }
            counted = true;
            match meaning {
                _ if self.polling => {
                    self.writing.insert(path.clone());
                }
                Meaning::Writing => {
                    self.writing.insert(path.clone());
                }
                _ => {
                    self.writing.remove(path);
                }
            }
        }
        counted
    }
}

/// How often `--poll` looks at the watched folders.
const POLL_EVERY: Duration = Duration::from_millis(250);

/// How long a complete burst waits for one more event before it is sent.
const SETTLE: Duration = Duration::from_millis(5);

/// Turns the watcher's events into bursts on `tx`, until the watcher is
/// dropped. A burst starts at the first event that counts and ends when no
/// file in it is still being written and no event came for [`SETTLE`], or
/// when a file is still being written but no event came for `quiet`.
fn gather(
    root: &Path,
    out: &Path,
    options: &WatchOptions,
    events: &Receiver<Event>,
    tx: &Sender<Changes>,
) {
    while let Ok(event) = events.recv() {
        let mut burst = Burst::new(options.poll);
        if !burst.add(root, out, &event) {
            continue;
        }
        let mut last = Instant::now();
        burst.changes.first_event = Some(last);
        loop {
            // Complete: wait only the few milliseconds in which the rest of
            // a multi-step save (a temp file renamed over the entry, a
            // checkout writing many files) would follow. Reads do not
            // extend the wait, so a busy indexer cannot hold a save back.
            let wait = if burst.writing.is_empty() {
                SETTLE
            } else {
                options.quiet
            };
            let Some(left) = (last + wait).checked_duration_since(Instant::now()) else {
                break;
            };
            match events.recv_timeout(left) {
                Ok(event) => {
                    if burst.add(root, out, &event) {
                        last = Instant::now();
                    }
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if tx.send(burst.changes).is_err() {
            return;
        }
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct Watching {
    _watcher: Box<dyn std::any::Any + Send>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct WatchOptions {
    /// How long a burst may go without events while a file in it is still
    /// open for writing (every change, when polling) before it is sent.
    pub(crate) quiet: Duration,
    /// Poll the file system instead of using native events (network
    /// drives, some containers).
    pub(crate) poll: bool,
}

/// Sends a [`Changes`] on `tx` for every burst of events.
pub(crate) fn watch(
    root: &Path,
    out: &Path,
    options: &WatchOptions,
    tx: Sender<Changes>,
) -> anyhow::Result<Watching> {
    let root = root
        .canonicalize()
        .with_context(|| format!("cannot watch {}", root.display()))?;
    let out = out.canonicalize().unwrap_or_else(|_| out.to_path_buf());
    let (events_tx, events) = channel::<Event>();
    let targets: Vec<(PathBuf, RecursiveMode)> =
        std::iter::once((root.clone(), RecursiveMode::NonRecursive))
            .chain(
                ["content", "templates", "static", "themes"]
                    .iter()
                    .map(|d| root.join(d))
                    .filter(|d| d.is_dir())
                    .map(|d| (d, RecursiveMode::Recursive)),
            )
            .collect();
    let watcher: Box<dyn std::any::Any + Send> = if options.poll {
        let poller = crate::serve::poll::start(targets, POLL_EVERY, events_tx)
            .context("cannot start the polling watcher")?;
        Box::new(poller)
    } else {
        let handler = move |result: notify::Result<Event>| {
            if let Ok(event) = result {
                let _ = events_tx.send(event);
            }
        };
        let mut w =
            notify::recommended_watcher(handler).context("cannot start the file watcher")?;
        for (path, mode) in &targets {
            w.watch(path, *mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
        Box::new(w)
    };
    let options = *options;
    std::thread::Builder::new()
        .name("saywhen-watch".into())
        .spawn(move || gather(&root, &out, &options, &events, &tx))
        .context("cannot start the file watcher")?;
    Ok(Watching { _watcher: watcher })
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{RemoveKind, RenameMode};

    #[test]
    fn classifies_paths() {
        let root = Path::new("/kb");
        let out = Path::new("/kb/public");
        let mut c = Changes::default();
        let counted: Vec<bool> = [
            "/kb/content/faq/a.md",
            "/kb/content/faq/.a.md.swp",
            "/kb/content/faq/a.md~",
            "/kb/public/faq/a.html",
            "/kb/templates/entry.html",
            "/kb/site.toml",
            "/kb/README.md",
            "/elsewhere/x",
        ]
        .iter()
        .map(|p| classify(root, out, Path::new(p), &mut c))
        .collect();
        assert_eq!(
            counted,
            [true, false, false, false, true, true, false, false]
        );
        assert_eq!(c.content.iter().collect::<Vec<_>>(), ["faq/a.md"]);
        assert!(c.theme && c.config);
    }

    const ENTRY: &str = "/kb/content/faq/a.md";

    fn event(kind: EventKind, path: &str) -> Event {
        Event::new(kind).add_path(PathBuf::from(path))
    }

    fn write(path: &str) -> Event {
        event(
            EventKind::Modify(ModifyKind::Data(notify::event::DataChange::Any)),
            path,
        )
    }

    fn close_write(path: &str) -> Event {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            path,
        )
    }

    fn renamed_to(path: &str) -> Event {
        event(EventKind::Modify(ModifyKind::Name(RenameMode::To)), path)
    }

    /// Runs `gather` on its own thread, as `watch` does, with events fed by
    /// hand.
    fn gathering(quiet: Duration, poll: bool) -> (Sender<Event>, Receiver<Changes>) {
        let (events_tx, events) = channel();
        let (tx, rx) = channel();
        let options = WatchOptions { quiet, poll };
        std::thread::spawn(move || {
            gather(
                Path::new("/kb"),
                Path::new("/kb/public"),
                &options,
                &events,
                &tx,
            )
        });
        (events_tx, rx)
    }

    /// Longer than any test runs: a burst that arrives at all was not held
    /// for the quiet time.
    const FOREVER: Duration = Duration::from_secs(3600);
    /// Hang guard for a burst that should come.
    const ARRIVES: Duration = Duration::from_secs(30);

    fn paths(changes: &Changes) -> Vec<&str> {
        changes.content.iter().map(String::as_str).collect()
    }

    #[test]
    fn a_rename_into_place_is_sent_at_once() {
        let (events, bursts) = gathering(FOREVER, false);
        events.send(renamed_to(ENTRY)).unwrap();
        let burst = bursts.recv_timeout(ARRIVES).expect("sent without waiting");
        assert_eq!(paths(&burst), ["faq/a.md"]);
        assert!(burst.first_event.is_some());
    }

    #[test]
    fn a_file_being_written_is_held_until_it_is_closed() {
        let (events, bursts) = gathering(FOREVER, false);
        events
            .send(event(EventKind::Create(CreateKind::File), ENTRY))
            .unwrap();
        events.send(write(ENTRY)).unwrap();
        // Another file's save completes meanwhile: the burst still waits
        // for the first, and carries both.
        events.send(renamed_to("/kb/content/faq/b.md")).unwrap();
        assert_eq!(
            bursts.recv_timeout(Duration::from_millis(300)),
            Err(RecvTimeoutError::Timeout),
            "sent while a.md was still open for writing"
        );
        events.send(write(ENTRY)).unwrap();
        events.send(close_write(ENTRY)).unwrap();
        let burst = bursts.recv_timeout(ARRIVES).expect("sent once closed");
        assert_eq!(paths(&burst), ["faq/a.md", "faq/b.md"]);
        drop(events);
        assert!(bursts.recv().is_err(), "one burst, not two");
    }

    #[test]
    fn a_file_left_open_is_sent_after_the_quiet_time() {
        let (events, bursts) = gathering(Duration::from_millis(50), false);
        events.send(write(ENTRY)).unwrap();
        let burst = bursts
            .recv_timeout(ARRIVES)
            .expect("sent after going quiet");
        assert_eq!(paths(&burst), ["faq/a.md"]);
    }

    #[test]
    fn polling_waits_for_quiet_even_after_a_rename() {
        let (events, bursts) = gathering(FOREVER, true);
        events.send(renamed_to(ENTRY)).unwrap();
        assert_eq!(
            bursts.recv_timeout(Duration::from_millis(300)),
            Err(RecvTimeoutError::Timeout),
            "polling cannot tell a finished file from one mid-write"
        );
        let (events, bursts) = gathering(Duration::from_millis(50), true);
        events.send(renamed_to(ENTRY)).unwrap();
        assert_eq!(paths(&bursts.recv_timeout(ARRIVES).unwrap()), ["faq/a.md"]);
    }

    #[test]
    fn reads_and_ignored_files_make_no_burst() {
        let (events, bursts) = gathering(FOREVER, false);
        for e in [
            event(EventKind::Access(AccessKind::Open(AccessMode::Any)), ENTRY),
            event(
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                ENTRY,
            ),
            write("/kb/content/faq/.a.md.swp"),
            renamed_to("/kb/public/faq/a/index.html"),
        ] {
            events.send(e).unwrap();
        }
        drop(events);
        assert!(
            bursts.recv().is_err(),
            "no burst for reads or ignored files"
        );
    }

    #[test]
    fn reads_do_not_hold_a_complete_save_back() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let (events, bursts) = gathering(FOREVER, false);
        events.send(renamed_to(ENTRY)).unwrap();
        // An indexer keeps reading the file, faster than the settle time,
        // until the burst comes or for five seconds at most.
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let stopped = std::sync::Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            for _ in 0..5000 {
                if stopped.load(Ordering::SeqCst) {
                    return true;
                }
                let open = event(EventKind::Access(AccessKind::Open(AccessMode::Any)), ENTRY);
                events.send(open).unwrap();
                std::thread::sleep(Duration::from_millis(1));
            }
            false
        });
        let burst = bursts
            .recv_timeout(ARRIVES)
            .expect("sent despite the reads");
        stop.store(true, Ordering::SeqCst);
        assert!(
            reader.join().unwrap(),
            "the burst waited for the reads to stop"
        );
        assert_eq!(paths(&burst), ["faq/a.md"]);
    }

    #[test]
    fn a_removal_completes_a_file_being_written() {
        let (events, bursts) = gathering(FOREVER, false);
        events.send(write(ENTRY)).unwrap();
        events
            .send(event(EventKind::Remove(RemoveKind::File), ENTRY))
            .unwrap();
        assert_eq!(paths(&bursts.recv_timeout(ARRIVES).unwrap()), ["faq/a.md"]);
    }

    #[test]
    fn lost_events_rebuild_everything() {
        let (events, bursts) = gathering(FOREVER, false);
        events
            .send(Event::new(EventKind::Other).set_flag(notify::event::Flag::Rescan))
            .unwrap();
        let burst = bursts.recv_timeout(ARRIVES).unwrap();
        assert_eq!(paths(&burst), [""]);
        assert!(burst.theme);
    }

    #[test]
    fn a_later_burst_folds_into_an_earlier_one() {
        let early = Instant::now();
        let mut a = Changes {
            first_event: Some(early),
            ..Changes::default()
        };
        a.content.insert("faq/a.md".into());
        let mut b = Changes {
            first_event: Some(early + Duration::from_millis(5)),
            config: true,
            ..Changes::default()
        };
        b.content.insert("faq/b.md".into());
        a.absorb(b);
        assert_eq!(paths(&a), ["faq/a.md", "faq/b.md"]);
        assert!(a.config && !a.theme);
        assert_eq!(a.first_event, Some(early));
    }
}
