//! Large sites' entry HTML and search text, kept in temporary files
//! instead of in memory ([`crate::load::BodyHtml::Spooled`]).
//!
//! The bodies' HTML and text grow with the site and would be held for the
//! whole build, beside everything else it holds (docs/performance.md has
//! the sizes). Parsing every body a second time when its page is rendered
//! would repeat load's Markdown pass; writing what load made to a file and
//! reading it back costs only a copy each way. The files are ordinary file
//! data: while memory is free the kernel keeps them cached (and, as they
//! are emptied once the last entry page has read them, usually never
//! writes them out); when memory is short, they go to disk like any other
//! file rather than counting against the build.
//!
//! The files have no name (each is removed as soon as it is made), so
//! nothing else can change them while the build reads them back, and they
//! go away when the build ends, however it ends.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

/// Where one entry's HTML and text are in the spool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spooled {
    part: usize,
    offset: u64,
    html_len: usize,
    text_len: usize,
}

/// Append-only temporary files that many threads write to at once: one
/// per worker thread, since the system lets one write into a file at a
/// time and threads sharing a file would wait on each other's writes;
/// within a file each write takes its own range.
pub struct Spool {
    parts: Vec<Part>,
}

struct Part {
    file: File,
    /// The end of the last range handed out.
    end: AtomicU64,
    #[cfg(not(unix))]
    seek: std::sync::Mutex<()>,
}

impl std::fmt::Debug for Spool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spool")
            .field("files", &self.parts.len())
            .field("bytes", &self.bytes())
            .finish()
    }
}

/// A spool is the same as itself only: two spools never share places.
impl PartialEq for Spool {
    fn eq(&self, other: &Spool) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Spool {}

impl Spool {
    /// A new, empty spool in the system's temporary folder (`TMPDIR`), with
    /// a file for each of rayon's worker threads and one for other threads.
    pub fn new() -> io::Result<Spool> {
        let parts = (0..=rayon::current_num_threads())
            .map(|_| {
                Ok(Part {
                    file: tempfile::tempfile()?,
                    end: AtomicU64::new(0),
                    #[cfg(not(unix))]
                    seek: std::sync::Mutex::new(()),
                })
            })
            .collect::<io::Result<_>>()?;
        Ok(Spool { parts })
    }

    /// Empties the files, giving their cached pages back to the system:
    /// for when nothing more will be read (a later [`Spool::get`] fails).
    /// Closing them would do the same, but at the end of the build, where
    /// it adds to the wait.
    pub(crate) fn release(&self) {
        for part in &self.parts {
            // A file that cannot be emptied is removed with the process.
            let _ = part.file.set_len(0);
        }
    }

    /// Bytes written so far.
    fn bytes(&self) -> u64 {
        self.parts
            .iter()
            .map(|p| p.end.load(Ordering::Relaxed))
            .sum()
    }

    /// Writes `html` and `text` one after the other; returns where they are.
    pub fn put(&self, html: &str, text: &str) -> io::Result<Spooled> {
        let part = rayon::current_thread_index().map_or(0, |n| n + 1) % self.parts.len();
        let len = html.len() + text.len();
        let offset = self.parts[part]
            .end
            .fetch_add(len as u64, Ordering::Relaxed);
        // One write: the two joined cost a copy, two writes a system call.
        let mut bytes = Vec::with_capacity(len);
        bytes.extend_from_slice(html.as_bytes());
        bytes.extend_from_slice(text.as_bytes());
        self.parts[part].write_at(&bytes, offset)?;
        Ok(Spooled {
            part,
            offset,
            html_len: html.len(),
            text_len: text.len(),
        })
    }

    /// The HTML and text [`Spool::put`] wrote at `at`.
    pub(crate) fn get(&self, at: Spooled) -> io::Result<(String, String)> {
        let mut bytes = vec![0; at.html_len + at.text_len];
        let part = self
            .parts
            .get(at.part)
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such part of the spool"))?;
        part.read_at(&mut bytes, at.offset)?;
        let text = bytes.split_off(at.html_len);
        let utf8 = |bytes| {
            String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
        };
        Ok((utf8(bytes)?, utf8(text)?))
    }
}

impl Part {
    #[cfg(unix)]
    fn write_at(&self, bytes: &[u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::write_all_at(&self.file, bytes, offset)
    }

    #[cfg(unix)]
    fn read_at(&self, bytes: &mut [u8], offset: u64) -> io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, bytes, offset)
    }

    // Elsewhere the file has one position for every thread: seek and
    // transfer under a lock.
    #[cfg(not(unix))]
    fn write_at(&self, bytes: &[u8], offset: u64) -> io::Result<()> {
        use std::io::{Seek, SeekFrom, Write};
        let _held = self.seek.lock().unwrap_or_else(|e| e.into_inner());
        let mut file = &self.file;
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(bytes)
    }

    #[cfg(not(unix))]
    fn read_at(&self, bytes: &mut [u8], offset: u64) -> io::Result<()> {
        use std::io::{Read, Seek, SeekFrom};
        let _held = self.seek.lock().unwrap_or_else(|e| e.into_inner());
        let mut file = &self.file;
        file.seek(SeekFrom::Start(offset))?;
        file.read_exact(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    #[test]
    fn what_is_put_comes_back_from_many_threads() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        pool.install(|| {
            let spool = Spool::new().unwrap();
            assert_eq!(spool.parts.len(), 4);
            let bodies: Vec<(String, String)> = (0..2_000)
                .map(|n| {
                    (
                        format!("<p>entry {n} — ünïcödé</p>").repeat(n % 7),
                        format!("text of {n} ").repeat(n % 5),
                    )
                })
                .collect();
            let places: Vec<Spooled> = bodies
                .par_iter()
                .map(|(html, text)| spool.put(html, text).unwrap())
                .collect();
            // Each worker writes to a file of its own.
            let from_each = pool.broadcast(|_| spool.put("<p>mine</p>", "mine").unwrap());
            let parts: std::collections::BTreeSet<usize> =
                from_each.iter().map(|p| p.part).collect();
            assert_eq!(parts.len(), 3, "{from_each:?}");
            let back: Vec<(String, String)> = places
                .par_iter()
                .rev()
                .map(|&at| spool.get(at).unwrap())
                .collect();
            let mut expected = bodies.clone();
            expected.reverse();
            assert_eq!(back, expected);
            for at in from_each {
                assert_eq!(
                    spool.get(at).unwrap(),
                    ("<p>mine</p>".into(), "mine".into())
                );
            }
            let total: usize = bodies.iter().map(|(h, t)| h.len() + t.len()).sum();
            assert_eq!(spool.bytes(), (total + 3 * 15) as u64);
        });
    }

    #[test]
    fn a_released_spool_holds_nothing() {
        let spool = Spool::new().unwrap();
        let at = spool.put("<p>body</p>", "body").unwrap();
        assert_eq!(spool.get(at).unwrap().1, "body");
        spool.release();
        for part in &spool.parts {
            assert_eq!(part.file.metadata().unwrap().len(), 0);
        }
        assert!(spool.get(at).is_err());
    }
}
