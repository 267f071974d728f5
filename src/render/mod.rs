//! Stage 3, render: turn the resolved [`Site`] into an [`Output`], every
//! file of the published site in memory.
//!
//! Pure: reads only the site and the theme, touches no disk (files beside the
//! entries are recorded as copies for the write stage). Entry pages render in
//! parallel; everything lands in a `BTreeMap`, so the output is the same
//! bytes whatever the thread count.

mod context;
mod pages;
mod sitemap;
pub mod theme;

use crate::diag::Diagnostics;
use crate::resolve::Site;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use theme::Theme;

/// One file of the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutFile {
    Bytes(Vec<u8>),
    /// A file copied unchanged from the content folder.
    Copy(PathBuf),
}

/// Every file of the site, by output path (`faq/x.html`).
pub type Output = BTreeMap<String, OutFile>;

/// Extra behaviour for `serve`: pages get the live-reload script.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Inserted before `</body>` of every HTML page; empty for `build`.
    pub inject: String,
}

pub fn render(
    site: &Site,
    theme: &Theme,
    root: &std::path::Path,
    options: &RenderOptions,
) -> (Output, Diagnostics) {
    let mut diagnostics = Diagnostics::new();
    let mut output = Output::new();
    pages::render_all(site, theme, options, &mut output, &mut diagnostics);
    output.insert(
        "sitemap.xml".into(),
        OutFile::Bytes(sitemap::render(site).into_bytes()),
    );
    for (path, bytes) in crate::search::render(site) {
        output.insert(path, OutFile::Bytes(bytes));
    }
    for (path, bytes) in &theme.static_files {
        output.insert(path.clone(), OutFile::Bytes(bytes.clone()));
    }
    for asset in &site.assets {
        let source = root.join(crate::load::CONTENT_DIR).join(asset);
        output.insert(asset.clone(), OutFile::Copy(source));
    }
    (output, diagnostics)
}

/// Joins an entry's slotted HTML with its resolved links. `root` is the
/// way from the page up to the site root (`../` for entry pages).
pub fn fill_links(site: &Site, index: usize, root: &str) -> String {
    let entry = &site.entries[index];
    let html = &entry.body.html;
    let links = &site.links[index];
    let mut out = String::with_capacity(html.len() + links.len() * 32);
    let mut rest = html.as_str();
    while let Some(start) = rest.find('\0') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('\0') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let slot = &after[..end];
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
                out.push_str(&site.entries[*target].url());
                if let Some(a) = anchor {
                    out.push('#');
                    out.push_str(&crate::load::markdown::escape_html(a));
                }
            }
            (Some(crate::resolve::Resolved::Anchor(a)), false) => {
                out.push('#');
                out.push_str(&crate::load::markdown::escape_html(a));
            }
            (
                Some(crate::resolve::Resolved::Entry {
                    index: target,
                    anchor,
                }),
                true,
            ) => {
                let target = &site.entries[*target];
                out.push_str(&crate::load::markdown::escape_html(&target.title));
                if let Some(h) = anchor
                    .as_ref()
                    .and_then(|a| target.body.headings.iter().find(|h| &h.id == a))
                {
                    out.push_str(" › ");
                    out.push_str(&crate::load::markdown::escape_html(&h.text));
                }
            }
            (Some(crate::resolve::Resolved::Anchor(a)), true) => {
                let text = entry
                    .body
                    .headings
                    .iter()
                    .find(|h| &h.id == a)
                    .map_or(a.as_str(), |h| h.text.as_str());
                out.push_str(&crate::load::markdown::escape_html(text));
            }
            (_, false) => out.push('#'),
            (_, true) => {
                if let Some(crate::load::markdown::LinkTarget::Entry { reference, .. }) = n
                    .parse::<usize>()
                    .ok()
                    .and_then(|n| entry.body.links.get(n))
                    .map(|l| &l.target)
                {
                    out.push_str(&crate::load::markdown::escape_html(reference));
                }
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}
