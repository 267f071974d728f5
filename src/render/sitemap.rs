//! `sitemap.xml`: every page at its full published URL. Written by hand
//! rather than by template so that escaping cannot be forgotten.

use crate::load::Kind;
use crate::resolve::Site;
use std::fmt::Write as _;

pub(crate) fn render(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut urls: Vec<(String, Option<String>)> = vec![("index.html".into(), None)];
    for kind in Kind::ALL {
        urls.push((format!("{}/index.html", kind.dir()), None));
    }
    urls.push(("situations/index.html".into(), None));
    urls.push(("tags/index.html".into(), None));
    // Written only when there are snippets (`pages::render_pages`).
    if !site.snippets.is_empty() {
        urls.push(("snippets/index.html".into(), None));
    }
    for tag in site.tags.values() {
        urls.push((format!("tags/{}.html", tag.slug), None));
    }
    for entry in &site.entries {
        urls.push((
            entry.url().to_string(),
            entry
                .front
                .reviewed
                .and_then(|d| d.date)
                .map(|d| d.to_string()),
        ));
    }
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in urls {
        let _ = write!(
            out,
            "  <url><loc>{}</loc>",
            escape_xml(&format!("{base}{path}"))
        );
        if let Some(date) = lastmod {
            let _ = write!(out, "<lastmod>{}</lastmod>", escape_xml(&date));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

fn escape_xml(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}
