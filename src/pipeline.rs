//! The whole pipeline in one place: load → resolve → render → write.
//!
//! `build` runs all four stages; `check` stops before write. If any stage
//! reports an error, nothing is written and the previous output stays.

use crate::cli::Settings;
use crate::diag::Diagnostics;
use crate::render::{Output, RenderOptions};
use crate::resolve::{ResolveOptions, Site};
use crate::{load, render, resolve, write};
use std::path::Path;

/// The stages up to render. `None` when any error was found.
pub fn run(
    settings: &Settings,
    options: &RenderOptions,
) -> anyhow::Result<(Option<(Site, Output)>, Diagnostics)> {
    let (content, mut diagnostics) = load::load(&settings.root, &settings.config)?;
    let resolve_options = ResolveOptions {
        drafts: settings.drafts,
        today: settings.today,
    };
    let (site, found) = resolve::resolve(content, &settings.config, &resolve_options);
    diagnostics.extend(found);
    let theme = match render::theme::load(&settings.root, &settings.config) {
        Ok(theme) => theme,
        Err(found) => {
            diagnostics.extend(found);
            return Ok((None, diagnostics));
        }
    };
    let (output, found) = render::render(&site, &theme, &settings.root, options);
    diagnostics.extend(found);
    if diagnostics.has_errors() {
        return Ok((None, diagnostics));
    }
    Ok((Some((site, output)), diagnostics))
}

pub fn check(settings: &Settings) -> anyhow::Result<Diagnostics> {
    Ok(run(settings, &RenderOptions::default())?.1)
}

pub struct BuildResult {
    pub diagnostics: Diagnostics,
    /// Files written, or `None` when the build failed and wrote nothing.
    pub pages: Option<usize>,
    pub entries: usize,
}

pub fn build(settings: &Settings, out: &Path, force: bool) -> anyhow::Result<BuildResult> {
    let (result, diagnostics) = run(settings, &RenderOptions::default())?;
    let Some((site, output)) = result else {
        return Ok(BuildResult {
            diagnostics,
            pages: None,
            entries: 0,
        });
    };
    write::write(&output, out, &write::WriteOptions { force })?;
    Ok(BuildResult {
        diagnostics,
        pages: Some(output.len()),
        entries: site.entries.len(),
    })
}
