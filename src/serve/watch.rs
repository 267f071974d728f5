//! Watching the knowledge base for changes, with notify and a debouncer.
//!
//! Folders are watched, not files, because editors save by writing a temp
//! file and renaming it over the original. The root itself is watched
//! without recursion to see `site.toml` replaced and `templates/` or
//! `static/` appear; `content/`, `templates/`, `static/` and `themes/` are
//! watched recursively. The output folder, hidden files and editor temp
//! files never count as changes, so writing the site cannot trigger itself.

use crate::load::is_ignored_name;
use anyhow::Context as _;
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
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
    pub(crate) fn is_empty(&self) -> bool {
        self.content.is_empty() && !self.theme && !self.config
    }
}

/// Sorts one changed path into `changes`. `root` and `out` are canonical.
pub(crate) fn classify(root: &Path, out: &Path, path: &Path, changes: &mut Changes) {
    if path.starts_with(out) {
        return;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return;
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return;
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
        _ => {}
    }
}

/// Keeps the watcher alive; dropping it stops watching.
pub(crate) struct Watching {
    _debouncer: Box<dyn std::any::Any + Send>,
}

pub(crate) struct WatchOptions {
    pub(crate) debounce: Duration,
    /// Poll the file system instead of using native events (network
    /// drives, some containers).
    pub(crate) poll: bool,
}

/// Sends a [`Changes`] on `tx` for every debounced burst of events.
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
    let handler_root = root.clone();
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let mut changes = Changes {
            first_event: Some(Instant::now()),
            ..Changes::default()
        };
        for event in &events {
            if event.kind.is_access() {
                continue;
            }
            for path in &event.paths {
                classify(&handler_root, &out, path, &mut changes);
            }
        }
        if !changes.is_empty() {
            let _ = tx.send(changes);
        }
    };
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
    let debouncer: Box<dyn std::any::Any + Send> = if options.poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(250));
        let mut d =
            new_debouncer_opt::<_, notify::PollWatcher, notify_debouncer_full::RecommendedCache>(
                options.debounce,
                None,
                handler,
                notify_debouncer_full::RecommendedCache::new(),
                config,
            )
            .context("cannot start the polling watcher")?;
        for (path, mode) in &targets {
            d.watch(path, *mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
        Box::new(d)
    } else {
        let mut d = new_debouncer(options.debounce, None, handler)
            .context("cannot start the file watcher")?;
        for (path, mode) in &targets {
            d.watch(path, *mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
        Box::new(d)
    };
    Ok(Watching {
        _debouncer: debouncer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_paths() {
        let root = Path::new("/kb");
        let out = Path::new("/kb/public");
        let mut c = Changes::default();
        for p in [
            "/kb/content/faq/a.md",
            "/kb/content/faq/.a.md.swp",
            "/kb/content/faq/a.md~",
            "/kb/public/faq/a.html",
            "/kb/templates/entry.html",
            "/kb/site.toml",
            "/kb/README.md",
            "/elsewhere/x",
        ] {
            classify(root, out, Path::new(p), &mut c);
        }
        assert_eq!(c.content.iter().collect::<Vec<_>>(), ["faq/a.md"]);
        assert!(c.theme && c.config);
    }
}
