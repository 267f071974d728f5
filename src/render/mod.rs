//! Stage 3, render: turn the resolved [`Site`] into an [`Output`], every
//! file of the published site in memory.
//!
//! Reads only the site and the theme, and writes nothing (files beside the
//! entries are recorded as copies for the write stage); the one read is an
//! entry's own file, for sites too large to keep every body's HTML from
//! load ([`crate::load::BodyHtml`]). Entry pages render in
//! parallel; everything lands in a `BTreeMap`, so the output is the same
//! bytes whatever the thread count.

mod context;
mod pages;
mod sitemap;
pub mod theme;

use crate::diag::{Diagnostic, Diagnostics};
use crate::resolve::Site;
use crate::text::escape::escape_html;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

pub use pages::Selection;
pub use theme::Theme;

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutFile {
    Bytes(Vec<u8>),
    /// A file copied unchanged from the content folder.
    Copy(PathBuf),
}

/// Every file of the site, by output path (`faq/x.html`).
pub(crate) type Output = BTreeMap<String, OutFile>;

/// Extra behaviour for `serve` and `check`.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Inserted before `</body>` of every HTML page (`serve`'s live-reload
    /// script); empty for `build`.
    pub(crate) inject: String,
    /// Render every page but keep none of its bytes (`check`, which writes
    /// nothing): each page is handed over empty.
    pub(crate) discard_pages: bool,
}

pub fn render(
    site: &Site,
    theme: &Theme,
    root: &std::path::Path,
    options: &RenderOptions,
) -> (Output, Diagnostics) {
    let (mut output, mut diagnostics) =
        render_selected(site, theme, options, &Selection::all(site));
    output.insert("sitemap.xml".into(), render_sitemap(site));
    for (path, bytes) in crate::search::render(site) {
        output.insert(path, OutFile::Bytes(bytes));
    }
    let statics = static_files(site, theme, |p| output.contains_key(p), &mut diagnostics);
    output.extend(statics);
    let assets = copy_assets(site, root, |a| output.contains_key(a), &mut diagnostics);
    output.extend(assets);
    (output, diagnostics)
}

/// The theme's and the site's static files. One must not silently replace
/// a page or the search index saywhen generates under the same name
/// (`is_generated`): that is an error, as for a file in `content/`. (The
/// site's `static/` replacing a theme file is what it is for.)
pub(crate) fn static_files(
    site: &Site,
    theme: &Theme,
    is_generated: impl Fn(&str) -> bool,
    diagnostics: &mut Diagnostics,
) -> Output {
    let mut output = Output::new();
    for (path, bytes) in &theme.static_files {
        if is_generated(path) {
            let origin = theme
                .static_origins
                .get(path)
                .cloned()
                .unwrap_or_else(|| format!("static/{path}"));
            let page = match site.entries.iter().find(|e| e.url() == path) {
                Some(entry) => format!(" (the page of {})", entry.file),
                None => String::new(),
            };
            diagnostics.push(
                crate::diag::Diagnostic::error(format!(
                    "file would replace `{path}`, which saywhen generates{page}"
                ))
                .in_file(origin)
                .help("rename or move the file; to change how a page looks, override its template in templates/ instead"),
            );
            continue;
        }
        output.insert(path.clone(), OutFile::Bytes(bytes.clone()));
    }
    output
}

/// The files beside the entries, copied as they are. A file must not
/// silently replace a page, the search index or a theme file written under
/// the same name (`is_generated`): that is an error.
pub(crate) fn copy_assets(
    site: &Site,
    root: &std::path::Path,
    is_generated: impl Fn(&str) -> bool,
    diagnostics: &mut Diagnostics,
) -> Output {
    let mut output = Output::new();
    for asset in &site.assets {
        if is_generated(asset) {
            diagnostics.push(
                crate::diag::Diagnostic::error(format!(
                    "file would replace `{asset}`, which saywhen generates"
                ))
                .in_file(format!("{}/{asset}", crate::load::CONTENT_DIR))
                .help("rename or move the file; pages, the search index and theme files take these names"),
            );
            continue;
        }
        let source = root.join(crate::load::CONTENT_DIR).join(asset);
        output.insert(asset.clone(), OutFile::Copy(source));
    }
    output
}

/// Entry pages rendered per batch by [`render_batches`]: enough to keep
/// every thread busy, few enough that a batch held in memory is a small
/// part of the site.
const BATCH: usize = 512;

/// What [`render_batches`] produces besides the pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extras {
    /// Sitemap, search index, static files and assets: the whole site.
    All,
    /// Pages only, for `check`: the rest cannot fail, except for an asset
    /// named like a generated file, which is still checked.
    PagesOnly,
}

/// The same files as [`render`], handed to `sink` in batches so the whole
/// site is never in memory at once: entry pages [`BATCH`] at a time, then
/// the listing pages, then the rest. After the first error nothing more is
/// handed over, but rendering goes on so every problem is reported.
pub fn render_batches(
    site: &Site,
    theme: &Theme,
    root: &std::path::Path,
    options: &RenderOptions,
    extras: Extras,
    sink: &mut dyn FnMut(&Output) -> anyhow::Result<()>,
) -> anyhow::Result<(usize, Diagnostics)> {
    let mut diagnostics = Diagnostics::new();
    let mut generated: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut hand_over = |output: Output,
                         diagnostics: &Diagnostics,
                         generated: &mut std::collections::BTreeSet<String>|
     -> anyhow::Result<()> {
        generated.extend(output.keys().cloned());
        if diagnostics.has_errors() {
            return Ok(());
        }
        sink(&output)?;
        pages::recycle(output);
        Ok(())
    };
    // The listing pages and the search index are built beside the entry
    // pages: the largest listing and the index's merge are serial, and the
    // entry pages keep the other cores busy meanwhile. Their files come
    // over a channel as they are made and are written with the next batch,
    // so neither is ever in memory whole.
    let (made_tx, made_rx) = std::sync::mpsc::channel::<(String, Vec<u8>)>();
    let take_made = |output: &mut Output| {
        for (path, bytes) in made_rx.try_iter() {
            output.insert(path, OutFile::Bytes(bytes));
        }
    };
    let mut others = Diagnostics::new();
    // Each entry page has its body's text at hand, wherever load left it
    // (`BodyHtml`); the search index takes it from there, entry by entry,
    // in batches, so no body is read twice.
    let index_from_pages = extras == Extras::All;
    let made_records: Mutex<Vec<(usize, Arc<crate::search::Record>)>> = Mutex::new(Vec::new());
    let phrases = crate::search::Phrases::of(site);
    let to_record = |i: usize, text: &str| {
        if crate::search::is_indexed(site, i) {
            let record = crate::search::record_for(site, &phrases, i, text);
            lock(&made_records).push((i, Arc::new(record)));
        }
    };
    let shared = pages::Shared::new(site);
    let shared = if index_from_pages {
        shared.with_body_texts(&to_record)
    } else {
        shared
    };
    let shared = &shared;
    // At most two batches of records wait for the index.
    let (records_tx, records_rx) = std::sync::mpsc::sync_channel(2);
    std::thread::scope(|threads| {
        rayon::in_place_scope(|scope| -> anyhow::Result<()> {
            let search_tx = made_tx.clone();
            // The receiver lives until the scope ends.
            let mut emit = move |path, bytes| {
                let _ = search_tx.send((path, bytes));
            };
            if index_from_pages {
                // Its own thread: it waits for the entry pages' records,
                // and a waiting rayon worker would leave the pages one
                // thread short.
                threads.spawn(move || {
                    crate::timings::measure("search index", || {
                        crate::search::render_from_pages(site, records_rx, &mut emit)
                    })
                });
            }
            let others = &mut others;
            scope.spawn(move |_| {
                *others = crate::timings::measure("render other pages", || {
                    pages::render_other_pages(
                        shared,
                        theme,
                        options,
                        pages::Pace::OneAtATime,
                        &|path, bytes| {
                            let _ = made_tx.send((path, bytes));
                        },
                    )
                });
            });
            // Moved in, so the index stops waiting when the pages stop.
            let records_tx = records_tx;
            crate::timings::measure("entry pages (render and write)", || {
                let all: Vec<usize> = (0..site.entries.len()).collect();
                for chunk in all.chunks(BATCH) {
                    let selection = Selection {
                        entries: chunk.to_vec(),
                        other_pages: false,
                    };
                    let (mut output, found) = render_shared(shared, theme, options, &selection);
                    diagnostics.extend(found);
                    if index_from_pages {
                        let mut records = std::mem::take(&mut *lock(&made_records));
                        // Rendered in parallel, handed over in entry order.
                        records.sort_unstable_by_key(|r| r.0);
                        let _ = records_tx.send(records);
                    }
                    take_made(&mut output);
                    hand_over(output, &diagnostics, &mut generated)?;
                }
                // Every body has been read: what held them can go while the
                // index finishes, not at exit.
                site.body_html.release();
                anyhow::Ok(())
            })?;
            Ok(())
        })
    })?;
    diagnostics.extend(others);
    let mut output = Output::new();
    // Whatever came after the last entry batch.
    take_made(&mut output);
    output.insert("sitemap.xml".into(), render_sitemap(site));
    if extras == Extras::PagesOnly {
        generated.extend(crate::search::render_paths(site));
    }
    hand_over(output, &diagnostics, &mut generated)?;
    // Every page, the index and the sitemap are known by now.
    let statics = static_files(site, theme, |p| generated.contains(p), &mut diagnostics);
    hand_over(statics, &diagnostics, &mut generated)?;
    let output = copy_assets(site, root, |a| generated.contains(a), &mut diagnostics);
    if extras == Extras::All {
        hand_over(output, &diagnostics, &mut generated)?;
    }
    // `serve` goes on running after its first build.
    pages::forget_spare_pages();
    Ok((generated.len(), diagnostics))
}

/// `mutex`'s value; a thread that panicked holding it has already failed
/// the build.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Only the pages in `selection`, for `serve`'s incremental rebuilds (no
/// sitemap, search index, static files or assets).
pub fn render_selected(
    site: &Site,
    theme: &Theme,
    options: &RenderOptions,
    selection: &Selection,
) -> (Output, Diagnostics) {
    render_shared(&pages::Shared::new(site), theme, options, selection)
}

fn render_shared(
    shared: &pages::Shared<'_>,
    theme: &Theme,
    options: &RenderOptions,
    selection: &Selection,
) -> (Output, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut output = Output::new();
    pages::render_pages(
        shared,
        theme,
        options,
        selection,
        &mut output,
        &mut diagnostics,
    );
    (output, diagnostics)
}

/// The sitemap, whole.
pub(crate) fn render_sitemap(site: &Site) -> OutFile {
    OutFile::Bytes(sitemap::render(site).into_bytes())
}

/// Entry `index`'s body as HTML with its links filled in: the HTML kept
/// from load, or read back from the spool ([`crate::load::BodyHtml`]), whose
/// search text then goes to `texts`.
fn entry_html(
    site: &Site,
    index: usize,
    root: &str,
    texts: Option<&pages::BodyTexts<'_>>,
) -> Result<String, Diagnostic> {
    let entry = &site.entries[index];
    let (html, text) = site.body_html.of(entry).map_err(|e| {
        Diagnostic::error(format!(
            "cannot read this entry's HTML back from the build's temporary file: {e}"
        ))
        .in_file(&entry.file)
        .help("build again; if it happens again, check the disk TMPDIR is on")
    })?;
    if let Some(texts) = texts {
        texts(index, &text);
    }
    Ok(fill_links(site, index, &html, root))
}

/// Joins entry `index`'s slotted `html` with its resolved links. `root` is
/// the way from the page up to the site root (`../` for entry pages).
pub(crate) fn fill_links(site: &Site, index: usize, html: &str, root: &str) -> String {
    let entry = &site.entries[index];
    let links = &site.links[index];
    let mut out = String::with_capacity(html.len() + links.len() * 32);
    let mut rest = html;
    while let Some(start) = rest.find('\0') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('\0') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let slot = &after[..end];
        if let Some(n) = slot.strip_prefix('i') {
            // A snippet: its HTML is whole (snippets never link to entries).
            let snippet = n
                .parse::<usize>()
                .ok()
                .and_then(|n| entry.body.snippets.get(n))
                .and_then(|used| site.snippets.get(&used.name));
            if let Some(snippet) = snippet {
                out.push_str(&format!(
                    "<div class=\"included-snippet\" data-snippet=\"{}\">\n",
                    escape_html(&snippet.name)
                ));
                out.push_str(&snippet.body.html);
                out.push_str("</div>\n");
            }
            rest = &after[end + 1..];
            continue;
        }
        let (is_title, n) = match slot.strip_prefix('t') {
            Some(n) => (true, n),
            None => (false, slot),
        };
        let resolved = n.parse::<usize>().ok().and_then(|n| links.get(n));
        match (resolved, is_title) {
            (
                Some(crate::resolve::Resolved::Entry {
                    index: target,
                    anchor,
                }),
                false,
            ) => {
                out.push_str(root);
                out.push_str(site.entries[*target].url());
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(&escape_html(a));
                }
            }
            (Some(crate::resolve::Resolved::Anchor(a)), false) => {
                out.push('#');
                out.push_str(&escape_html(a));
            }
            (_, false) => out.push('#'),
            (_, true) => {
                let (title, heading) = site.wikilink_title(index, n);
                out.push_str(&escape_html(title));
                if let Some(h) = heading {
                    out.push_str(" › ");
                    out.push_str(&escape_html(h));
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}
