//! Writing a rebuild in place, for `serve` and `watch`: only the files
//! whose bytes differ are written, each to a temp file renamed over the
//! old one, so a server never hands out half a page; files the new build
//! lacks are removed. The first build of a session is written whole, like
//! `build`'s.

use crate::render::{OutFile, Output};
use anyhow::Context as _;
use std::collections::BTreeMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;

/// What the output folder holds of one file, to tell whether a new
/// version differs without keeping every page in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stamp {
    /// Bytes saywhen wrote, by hash.
    Written(u64),
    /// A file copied from content/ (compared on disk).
    Copied,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

fn stamp_of(file: &OutFile) -> Stamp {
    match file {
        OutFile::Bytes(bytes) => Stamp::Written(hash_of(bytes)),
        OutFile::Copy(_) => Stamp::Copied,
    }
}

/// Writes the files of `new` that differ from what `old` says the output
/// holds, each to a temp file renamed over the old one, and records their
/// stamps in `files`. Without `old` (the first build) the output folder is
/// filled from scratch. Returns when the last file was on disk.
pub(crate) fn write_changed(
    old: Option<&BTreeMap<String, Stamp>>,
    new: Output,
    files: &mut BTreeMap<String, Stamp>,
    out: &Path,
    changed: &mut Vec<String>,
) -> anyhow::Result<std::time::Instant> {
    let Some(old) = old else {
        // The first build writes the whole site at once, atomically.
        super::write(&new, out, &super::WriteOptions { force: false })?;
        for (path, file) in &new {
            files.insert(path.clone(), stamp_of(file));
            changed.push(path.clone());
        }
        return Ok(std::time::Instant::now());
    };
    for (path, file) in new {
        let stamp = stamp_of(&file);
        let target = out.join(&path);
        let same = match &file {
            OutFile::Bytes(_) => old.get(&path) == Some(&stamp),
            // Copies are compared on disk: cheap, and usually unchanged.
            OutFile::Copy(source) => {
                old.contains_key(&path) && std::fs::read(source).ok() == std::fs::read(&target).ok()
            }
        };
        files.insert(path.clone(), stamp);
        if same {
            continue;
        }
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("failed to create {}", dir.display()))?;
        }
        let temp = target.with_file_name(format!(
            ".{}.saywhen-tmp",
            target.file_name().unwrap_or_default().to_string_lossy()
        ));
        match &file {
            OutFile::Bytes(bytes) => std::fs::write(&temp, bytes),
            OutFile::Copy(source) => std::fs::copy(source, &temp).map(|_| ()),
        }
        .with_context(|| format!("failed to write {}", temp.display()))?;
        std::fs::rename(&temp, &target)
            .with_context(|| format!("failed to replace {}", target.display()))?;
        changed.push(path);
    }
    Ok(std::time::Instant::now())
}

/// Removes the files of the last build that this one no longer has.
pub(crate) fn remove_gone(
    old: &BTreeMap<String, Stamp>,
    files: &BTreeMap<String, Stamp>,
    out: &Path,
    changed: &mut Vec<String>,
) -> anyhow::Result<()> {
    for path in old.keys().filter(|p| !files.contains_key(*p)) {
        let target = out.join(path);
        if target.exists() {
            std::fs::remove_file(&target)
                .with_context(|| format!("failed to remove {}", target.display()))?;
        }
        changed.push(path.clone());
        // Leave no empty folders behind (a deleted tag's folder, say).
        let mut dir = target.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    Ok(())
}
