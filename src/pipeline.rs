//! The whole pipeline in one place: load → resolve → render → write.
//!
//! `build` runs all four stages; `check` stops before write. If any stage
//! reports an error, nothing is written and the previous output stays.

use crate::settings::Settings;
use crate::diag::Diagnostics;
use crate::render::RenderOptions;
use crate::resolve::{ResolveOptions, Site};
use crate::{check, load, render, resolve, timings, write};
use std::path::Path;

/// The first two stages: load and resolve.
pub fn load_and_resolve(settings: &Settings) -> anyhow::Result<(Site, Diagnostics)> {
    let (content, mut diagnostics) =
        timings::measure("load", || load::load(&settings.root, &settings.config))?;
    let resolve_options = ResolveOptions {
        drafts: settings.drafts,
        today: settings.today,
    };
    let (site, mut found) = timings::measure("resolve", || {
        resolve::resolve(content, &settings.config, &resolve_options)
    });
    found.extend(timings::measure("check", || check::run(&site)));
    load::locate(&settings.root, &mut found);
    diagnostics.extend(found);
    Ok((site, diagnostics))
}

/// Load and resolve, and the theme: everything before render. `None` when
/// the theme failed to load.
fn prepare(settings: &Settings) -> anyhow::Result<(Option<(Site, render::Theme)>, Diagnostics)> {
    let (site, mut diagnostics) = load_and_resolve(settings)?;
    match render::theme::load(&settings.root, &settings.config) {
        Ok(theme) => Ok((Some((site, theme)), diagnostics)),
        Err(found) => {
            diagnostics.extend(found);
            Ok((None, diagnostics))
        }
    }
}

/// Everything `build` checks: every page is rendered (a template can fail
/// on any of them) and dropped at once; nothing is written.
pub fn check(settings: &Settings) -> anyhow::Result<Diagnostics> {
    let (prepared, mut diagnostics) = prepare(settings)?;
    if let Some((site, theme)) = prepared {
        let (_, found) = render::render_batches(
            &site,
            &theme,
            &settings.root,
            &RenderOptions {
                discard_pages: true,
                ..RenderOptions::default()
            },
            render::Extras::PagesOnly,
            &mut |_| Ok(()),
        )?;
        diagnostics.extend(found);
        free_in_background((site, theme));
    }
    Ok(diagnostics)
}

/// Frees `value` on a thread of its own. A resolved site is millions of
/// small allocations, and freeing them one by one took tens of
/// milliseconds at the end of every `check` and `build` of 10,000 entries
/// (docs/performance.md); the command can report and exit meanwhile.
fn free_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

pub struct BuildResult {
    pub diagnostics: Diagnostics,
    /// Files written, or `None` when the build failed and wrote nothing.
    pub pages: Option<usize>,
    pub entries: usize,
}

/// Renders in batches straight into the staging folder, so the site is
/// never in memory whole; it is swapped in only when no stage found an
/// error.
pub fn build(settings: &Settings, out: &Path, force: bool) -> anyhow::Result<BuildResult> {
    let failed = |diagnostics| BuildResult {
        diagnostics,
        pages: None,
        entries: 0,
    };
    let (prepared, mut diagnostics) = prepare(settings)?;
    let Some((site, theme)) = prepared.filter(|_| !diagnostics.has_errors()) else {
        return Ok(failed(diagnostics));
    };
    let mut files = 0;
    let mut found = Diagnostics::new();
    let complete = write::write_batches(out, &write::WriteOptions { force }, |put| {
        let (count, diagnostics) = render::render_batches(
            &site,
            &theme,
            &settings.root,
            &RenderOptions::default(),
            render::Extras::All,
            put,
        )?;
        files = count;
        let complete = !diagnostics.has_errors();
        found = diagnostics;
        Ok(complete)
    })?;
    diagnostics.extend(found);
    let entries = site.entries.len();
    free_in_background((site, theme));
    if !complete {
        return Ok(failed(diagnostics));
    }
    Ok(BuildResult {
        diagnostics,
        pages: Some(files),
        entries,
    })
}
