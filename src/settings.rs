//! The resolved settings every stage reads: the knowledge base's folder,
//! its site.toml, and the run's own choices (drafts, today's date). The
//! command line fills them in (`cli`); the stages and `serve` take them as
//! they are and never see a flag. (`--jobs` is the process's choice, not a
//! stage's: `cli` starts the worker threads before any stage runs.)

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::diag::Diagnostic;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// What a run chose, apart from site.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Include entries marked `draft = true`.
    pub drafts: bool,
    /// The day review ages and expiry are counted against.
    pub today: time::Date,
    /// Replaces site.toml's `base_url` (already checked).
    pub base_url: Option<String>,
}

/// What every pipeline run needs, resolved from the run's options and
/// site.toml.
#[derive(Debug, Clone)]
pub struct Settings {
    pub(crate) root: PathBuf,
    pub config: SiteConfig,
    pub(crate) drafts: bool,
    pub today: time::Date,
}

impl Settings {
    /// Reads site.toml under `root`. A broken config is a content error
    /// (`Ok(Err(..))`); an unreadable one, an error of the environment.
    pub fn load(root: &Path, options: &RunOptions) -> anyhow::Result<Result<Settings, Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Err(Diagnostic::error(format!("no {CONFIG_FILE} in {}", root.display())).help(
                    "run saywhen in a knowledge base folder, pass --root DIR, or create one with `saywhen init DIR`",
                )));
            }
            Err(e) => return Err(e).with_context(|| format!("failed to read {}", path.display())),
        };
        // Reported as an entry that is not UTF-8 is: a content error, located.
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                return Ok(Err(crate::load::not_utf8(CONFIG_FILE, e.as_bytes(), valid)));
            }
        };
        let mut config = match SiteConfig::parse(&text) {
            Ok(c) => c,
            Err(d) => return Ok(Err(d)),
        };
        if let Some(url) = &options.base_url {
            config.base_url = url.clone();
        }
        Ok(Ok(Settings {
            root: root.to_path_buf(),
            config,
            drafts: options.drafts,
            today: options.today,
        }))
    }

    /// site.toml read again (after an author saved it), with this run's
    /// options. `base_url` stays as it was: `serve` listens at its path,
    /// which is fixed for the run.
    pub(crate) fn reload(&self) -> anyhow::Result<Result<Settings, Diagnostic>> {
        let options = RunOptions {
            drafts: self.drafts,
            today: self.today,
            base_url: Some(self.config.base_url.clone()),
        };
        Settings::load(&self.root, &options)
    }
}
