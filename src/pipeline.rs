//! The whole pipeline in one place: load → resolve → check → render →
//! write.
//!
//! `build` runs every stage; `check` stops before write; `report` after
//! check. If any stage reports an error, nothing is written and the
//! previous output stays. `serve` and `watch` (`src/serve/session/`)
//! call the same stage functions, [`load()`] (or `load::load_one` for one
//! file) and [`resolve()`], then render and write only what changed.

use crate::diag::Diagnostics;
use crate::load::Content;
use crate::render::RenderOptions;
use crate::resolve::{ResolveOptions, Site};
use crate::settings::Settings;
use crate::{check, load, render, resolve, timings, write};
use std::path::Path;

/// Stage 1: every file under content/.
pub(crate) fn load(settings: &Settings) -> anyhow::Result<(Content, Diagnostics)> {
    timings::measure("load", || load::load(&settings.root, &settings.config))
}

/// Stages 2 and 3 for the site's structure: resolve, and the checks of the
/// resolved site ([`check::of_the_site`]), with every finding located in
/// its file. The entries' own wording findings are [`check::wording`]'s.
pub(crate) fn resolve(content: Content, settings: &Settings) -> (Site, Diagnostics) {
    let options = ResolveOptions {
        drafts: settings.drafts,
        today: settings.today,
    };
    let (site, mut found) = timings::measure("resolve", || {
        resolve::resolve(content, &settings.config, &options)
    });
    found.extend(timings::measure("check", || check::of_the_site(&site)));
    load::locate(&settings.root, &mut found);
    (site, found)
}

/// Load, resolve and check: everything `report` needs.
pub(crate) fn load_and_resolve(settings: &Settings) -> anyhow::Result<(Site, Diagnostics)> {
    let (content, mut diagnostics) = load(settings)?;
    let (site, found) = resolve(content, settings);
    diagnostics.extend(found);
    diagnostics.extend(check::wording(&site));
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
/// on any of them) and dropped at once; nothing is written. Then the
/// authors' search tests, which only `check` runs
/// ([`check::search_tests`]).
pub(crate) fn check(settings: &Settings) -> anyhow::Result<Diagnostics> {
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
        diagnostics.extend(timings::measure("search tests", || {
            check::search_tests::run(&settings.root, &site, theme.search_script())
        }));
        free_in_background((site, theme));
    }
    Ok(diagnostics)
}

/// Frees `value` on a thread of its own. A resolved site is a great many
/// small allocations, and freeing them one by one is time the user would
/// wait for (docs/performance.md); the command can report and exit
/// meanwhile.
fn free_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

pub(crate) struct BuildResult {
    pub(crate) diagnostics: Diagnostics,
    /// Files written, or `None` when the build failed and wrote nothing.
    pub(crate) pages: Option<usize>,
    pub(crate) entries: usize,
}

/// Renders in batches straight into the staging folder, so the site is
/// never in memory whole; it is swapped in only when no stage found an
/// error.
pub(crate) fn build(settings: &Settings, out: &Path, force: bool) -> anyhow::Result<BuildResult> {
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
