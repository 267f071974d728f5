//! Discovery: the walk of `content/` that finds the Markdown files and the
//! other files beside them, and the reading of one file under it.

use super::{CONTENT_DIR, Kind};
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::{MAX_NAME_BYTES, abbreviate, name_too_long};
use anyhow::Context as _;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Files editors write beside the real one while saving.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
}

/// Lists Markdown files and other files under `content/`, sorted, as
/// content-relative paths.
pub fn discover(
    content_dir: &Path,
    diagnostics: &mut Diagnostics,
) -> anyhow::Result<(Vec<String>, BTreeSet<String>)> {
    let mut markdown = Vec::new();
    let mut assets = BTreeSet::new();
    // Symbolic links are followed only while they stay inside content/: a
    // link to /etc/passwd or ~/.ssh must never be published by CI.
    let content_real = content_dir
        .canonicalize()
        .unwrap_or_else(|_| content_dir.to_path_buf());
    let mut escaping = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if e.depth() == 0 {
                return true;
            }
            if is_ignored_name(&e.file_name().to_string_lossy()) {
                return false;
            }
            if e.path_is_symlink()
                && let Ok(real) = e.path().canonicalize()
                && !real.starts_with(&content_real)
            {
                escaping.push(e.path().to_path_buf());
                return false;
            }
            true
        });
    for item in walker {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                let path = e.path().map(|p| relative_display(content_dir, p));
                let is_link = e
                    .path()
                    .and_then(|p| p.symlink_metadata().ok())
                    .is_some_and(|m| m.file_type().is_symlink());
                let io = e.io_error();
                let (message, help) = if e.loop_ancestor().is_some() || io.is_some_and(is_link_loop)
                {
                    (
                        "symbolic link loop in content/".to_string(),
                        "remove the link, or point it at a folder that does not contain it",
                    )
                } else if is_link && io.is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
                {
                    (
                        "broken symbolic link: its target does not exist".to_string(),
                        "remove the link, or put the file it points at back",
                    )
                } else {
                    // The walk fails on a folder it cannot list as often as
                    // on a file: say which, before the system's reason.
                    let what = match e.path().and_then(|p| p.symlink_metadata().ok()) {
                        Some(m) if m.is_dir() => "folder",
                        _ => "file",
                    };
                    (
                        match io {
                            Some(io) => format!("cannot read {what}: {io}"),
                            None => format!("cannot read {what}"),
                        },
                        "check its permissions",
                    )
                };
                let mut d = Diagnostic::error(message).help(help);
                if let Some(path) = path {
                    d = d.in_file(path);
                }
                diagnostics.push(d);
                continue;
            }
        };
        if !item.file_type().is_file() {
            continue;
        }
        let rel = item
            .path()
            .strip_prefix(content_dir)
            .context("walked outside content/")?;
        let Some(rel) = rel.to_str().map(|s| s.replace('\\', "/")) else {
            diagnostics.push(
                Diagnostic::error("file name is not valid UTF-8")
                    .in_file(format!("content/{}", rel.to_string_lossy()))
                    .help("rename the file using UTF-8 characters"),
            );
            continue;
        };
        if rel.ends_with(".md") {
            markdown.push(rel);
        } else if let Some((name, len)) = name_too_long(&rel) {
            // Copied under its own name, which another file system (the
            // server's, or CI's) may not hold.
            diagnostics.push(
                Diagnostic::error(format!(
                    "file name is too long to publish: `{}` is {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                    abbreviate(name, 40),
                ))
                .in_file(format!("{CONTENT_DIR}/{rel}"))
                .help(format!(
                    "rename it: it is copied under its own name, which may take at most {MAX_NAME_BYTES} bytes (a letter outside ASCII takes 2 to 4)"
                )),
            );
        } else {
            assets.insert(rel);
        }
    }
    for path in escaping {
        diagnostics.push(
            Diagnostic::error("symbolic link leads outside content/")
                .in_file(relative_display(content_dir, &path))
                .help("only files under content/ are published; copy the file into content/ instead of linking to it"),
        );
    }
    Ok((markdown, assets))
}

/// ELOOP: a link that points at itself, or a chain of links that does.
fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error())
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    {
        e.to_string().contains("symbolic links")
    }
}

fn relative_display(content_dir: &Path, path: &Path) -> String {
    let rel: PathBuf = path
        .strip_prefix(content_dir)
        .map(|p| Path::new(CONTENT_DIR).join(p))
        .unwrap_or_else(|_| path.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

/// The bytes of a file under `content/`, by content-relative path.
pub(crate) fn read_content(root: &Path, rel: &str) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(root.join(CONTENT_DIR).join(rel)).map_err(|e| {
        Diagnostic::error(format!("cannot read file: {e}")).in_file(format!("{CONTENT_DIR}/{rel}"))
    })
}

/// A Markdown file's bytes, for [`super::EntryParser::parse`]: read only
/// for a file in a kind's folder, since the parser tells a file elsewhere
/// by its path alone (and an unreadable one there is nothing to report).
pub(crate) fn read_entry(root: &Path, rel: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
    if Kind::of_file(rel).is_some() {
        read_content(root, rel).map_err(|d| vec![d])
    } else {
        Ok(Vec::new())
    }
}
