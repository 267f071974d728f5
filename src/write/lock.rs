//! The lock that makes builds into one output take turns, and leaves no
//! file behind: part of stage 4, write.
//!
//! The lock file sits beside the output (`.public.lock`), where every build
//! of that output finds it whatever its environment. Its holder removes it
//! while still holding it, so a finished build leaves the user's folder as
//! it found it (their `git status` stays clean). That is safe because a
//! build counts as holding the lock only once it has locked the file the
//! path names at that moment: a build that was waiting on the removed file
//! wakes up holding a lock on a file no one else can open, sees that the
//! path no longer names it, and starts over on the path, where at most one
//! build can hold the lock at a time.

use anyhow::Context as _;
use same_file::Handle;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

/// Held while a build writes its output; dropping it removes the lock file
/// and lets the next build in.
pub(crate) struct Lock {
    path: PathBuf,
    /// The locked file: the lock lasts as long as it is open.
    _held: Handle,
}

impl Lock {
    /// Waits for the lock at `path`, creating the file if need be.
    pub(crate) fn take(path: &Path) -> anyhow::Result<Lock> {
        loop {
            let file = fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(path)
                .with_context(|| format!("failed to open lock file {}", path.display()))?;
            file.lock()
                .with_context(|| format!("failed to lock {}", path.display()))?;
            let held = Handle::from_file(file)
                .with_context(|| format!("failed to read lock file {}", path.display()))?;
            match Handle::from_path(path) {
                Ok(named) if named == held => {
                    return Ok(Lock {
                        path: path.to_path_buf(),
                        _held: held,
                    });
                }
                // Removed (or replaced) by the build that held it before.
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                Err(e) => {
                    return Err(e)
                        .with_context(|| format!("failed to read lock file {}", path.display()));
                }
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Removed before the file is closed, which is what lets go of the
        // lock (see the module comment). A file that cannot be removed
        // stays, harmlessly: the next build locks it as it is.
        let _ = fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Barrier};

    #[test]
    fn the_lock_file_is_gone_once_the_lock_is_released() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join(".public.lock");
        let lock = Lock::take(&path).unwrap();
        assert!(path.is_file());
        drop(lock);
        assert!(!path.exists());
        // A file left by a killed build is taken over and removed too.
        fs::write(&path, "").unwrap();
        drop(Lock::take(&path).unwrap());
        assert!(!path.exists());
    }

    /// Threads that take and release the lock as fast as they can, so that
    /// waiters often hold a removed file when they wake up: never are two
    /// inside at once. Each thread opens the file itself, so their locks
    /// exclude each other as separate processes' do.
    #[test]
    fn holders_never_overlap_while_the_file_comes_and_goes() {
        let tmp = tempfile::tempdir().unwrap();
        let path = Arc::new(tmp.path().join(".public.lock"));
        let inside = Arc::new(AtomicUsize::new(0));
        let entered = Arc::new(AtomicUsize::new(0));
        let threads = 4;
        let rounds = 200;
        let start = Arc::new(Barrier::new(threads));
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (path, inside, entered, start) =
                    (path.clone(), inside.clone(), entered.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    for _ in 0..rounds {
                        let lock = Lock::take(&path).unwrap();
                        assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0, "two holders");
                        entered.fetch_add(1, Ordering::SeqCst);
                        std::thread::yield_now();
                        inside.fetch_sub(1, Ordering::SeqCst);
                        drop(lock);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(entered.load(Ordering::SeqCst), threads * rounds);
        assert!(!path.exists());
    }
}
