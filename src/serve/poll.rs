//! Polling the watched folders, for file systems that send no change
//! events (network drives, some containers).
//!
//! saywhen polls on its own rather than through notify's poll watcher,
//! which compares modification times in whole seconds and so misses a save
//! made in the same second as the file's last change. Here a file has
//! changed when its modification time (to the file system's own
//! resolution), its size or its identity (a save renamed into place is a
//! new file) differs from the last look.

use notify::event::{CreateKind, DataChange, ModifyKind, RemoveKind};
use notify::{Event, EventKind, RecursiveMode};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, SystemTime};

/// What a look at one path keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    modified: Option<SystemTime>,
    len: u64,
    id: u64,
    dir: bool,
}

fn seen(meta: &std::fs::Metadata) -> Seen {
    #[cfg(unix)]
    let id = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let id = 0;
    Seen {
        modified: meta.modified().ok(),
        len: meta.len(),
        id,
        dir: meta.is_dir(),
    }
}

/// Everything under the targets, as it is now.
fn look(targets: &[(PathBuf, RecursiveMode)]) -> BTreeMap<PathBuf, Seen> {
    let mut all = BTreeMap::new();
    for (path, mode) in targets {
        let depth = match mode {
            RecursiveMode::Recursive => usize::MAX,
            RecursiveMode::NonRecursive => 1,
        };
        for entry in walkdir::WalkDir::new(path)
            .max_depth(depth)
            .into_iter()
            .filter_map(Result::ok)
        {
            if let Ok(meta) = entry.metadata() {
                all.insert(entry.into_path(), seen(&meta));
            }
        }
    }
    all
}

/// The events that turn `before` into `after`.
fn differences(before: &BTreeMap<PathBuf, Seen>, after: &BTreeMap<PathBuf, Seen>) -> Vec<Event> {
    let mut events = Vec::new();
    for (path, now) in after {
        let kind = match before.get(path) {
            None if now.dir => EventKind::Create(CreateKind::Folder),
            None => EventKind::Create(CreateKind::File),
            Some(was) if was != now => EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            Some(_) => continue,
        };
        events.push(Event::new(kind).add_path(path.clone()));
    }
    for (path, was) in before {
        if !after.contains_key(path) {
            let kind = if was.dir {
                RemoveKind::Folder
            } else {
                RemoveKind::File
            };
            events.push(Event::new(EventKind::Remove(kind)).add_path(path.clone()));
        }
    }
    events
}

/// Polls until dropped.
pub(crate) struct Poller {
    stop: Arc<AtomicBool>,
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Looks at `targets` every `interval` and sends what changed on `events`.
pub(crate) fn start(
    targets: Vec<(PathBuf, RecursiveMode)>,
    interval: Duration,
    events: Sender<Event>,
) -> std::io::Result<Poller> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = Arc::clone(&stop);
    // The first look is taken before returning, so that a save made right
    // after the watcher starts is a difference.
    let mut before = look(&targets);
    std::thread::Builder::new()
        .name("saywhen-poll".into())
        .spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                std::thread::sleep(interval);
                let after = look(&targets);
                for event in differences(&before, &after) {
                    if events.send(event).is_err() {
                        return;
                    }
                }
                before = after;
            }
        })?;
    Ok(Poller { stop })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(modified: u64, len: u64, id: u64) -> Seen {
        Seen {
            modified: Some(SystemTime::UNIX_EPOCH + Duration::from_nanos(modified)),
            len,
            id,
            dir: false,
        }
    }

    #[test]
    fn a_change_within_the_same_second_is_a_difference() {
        let p = PathBuf::from("/kb/content/faq/a.md");
        let before = BTreeMap::from([(p.clone(), file(1_000_000_000, 10, 1))]);
        for after in [
            file(1_000_000_001, 10, 1), // a nanosecond later
            file(1_000_000_000, 11, 1), // same time, longer
            file(1_000_000_000, 10, 2), // renamed into place
        ] {
            let events = differences(&before, &BTreeMap::from([(p.clone(), after)]));
            assert_eq!(events.len(), 1, "{after:?}");
            assert_eq!(
                events[0].kind,
                EventKind::Modify(ModifyKind::Data(DataChange::Any))
            );
            assert_eq!(events[0].paths, std::slice::from_ref(&p));
        }
        assert!(differences(&before, &before).is_empty());
    }

    #[test]
    fn new_and_gone_files_are_created_and_removed() {
        let a = PathBuf::from("/kb/content/a.md");
        let b = PathBuf::from("/kb/content/b.md");
        let before = BTreeMap::from([(a.clone(), file(1, 1, 1))]);
        let after = BTreeMap::from([(b.clone(), file(1, 1, 2))]);
        let events = differences(&before, &after);
        let kinds: Vec<(EventKind, &PathBuf)> =
            events.iter().map(|e| (e.kind, &e.paths[0])).collect();
        assert_eq!(
            kinds,
            [
                (EventKind::Create(CreateKind::File), &b),
                (EventKind::Remove(RemoveKind::File), &a)
            ]
        );
    }
}
