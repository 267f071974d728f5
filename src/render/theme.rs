//! The theme: tera templates and static files, with the site's overrides.
//!
//! A theme lives in `themes/<name>/{templates,static}/`. The default theme is
//! also compiled into the binary, so a knowledge base made by `saywhen init`
//! builds without a copy of it. A site overrides any one template by putting
//! a file of the same name in its own `templates/` folder, and adds or
//! replaces static files through its `static/` folder (as Zola and Hugo do).

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use std::collections::BTreeMap;
use std::error::Error as _;
use std::path::Path;

macro_rules! embed {
    ($($dir:literal / $name:literal),* $(,)?) => {
        &[$(($dir, $name, include_bytes!(concat!("../../themes/default/", $dir, "/", $name)) as &[u8])),*]
    };
}

/// The default theme as shipped, for sites without a `themes/default/`.
const DEFAULT_THEME: &[(&str, &str, &[u8])] = embed![
    "templates" / "base.html",
    "templates" / "macros.html",
    "templates" / "home.html",
    "templates" / "entry.html",
    "templates" / "listing.html",
    "templates" / "tag.html",
    "templates" / "tags.html",
    "templates" / "situations.html",
    "templates" / "search.html",
    "templates" / "404.html",
    "templates" / "needs-review.html",
    "templates" / "snippets.html",
    "static" / "saywhen.css",
    "static" / "saywhen.js",
    "static" / "saywhen-search.js",
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Output path → bytes, theme files first, then the site's `static/`.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    pub fn has_template(&self, name: &str) -> bool {
        self.tera.get_template_names().any(|n| n == name)
    }
}

/// A template's text with the site-relative path it came from.
struct Source {
    origin: String,
    text: String,
}

pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Diagnostics> {
    let mut diagnostics = Diagnostics::new();
    let mut templates: BTreeMap<String, Source> = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    let theme_dir = root.join("themes").join(&config.theme);
    if theme_dir.is_dir() {
        let base = format!("themes/{}", config.theme);
        read_tree(
            &theme_dir.join("templates"),
            &format!("{base}/templates"),
            &mut diagnostics,
            |name, origin, bytes| {
                add_template(&mut templates, name, origin, bytes, &mut Vec::new());
            },
        );
        read_tree(
            &theme_dir.join("static"),
            &format!("{base}/static"),
            &mut diagnostics,
            |name, _, bytes| {
                static_files.insert(name, bytes);
            },
        );
    } else if config.theme == "default" {
        for (dir, name, bytes) in DEFAULT_THEME {
            let origin = format!("themes/default/{dir}/{name}");
            match *dir {
                "templates" => add_template(
                    &mut templates,
                    name.to_string(),
                    origin,
                    bytes.to_vec(),
                    &mut Vec::new(),
                ),
                _ => {
                    static_files.insert(name.to_string(), bytes.to_vec());
                }
            }
        }
    } else {
        diagnostics.push(
            Diagnostic::error(format!("theme `{}` not found", config.theme))
                .in_file(crate::config::CONFIG_FILE)
                .help(format!(
                    "create themes/{}/ with templates/ and static/, or set `theme = \"default\"`",
                    config.theme
                )),
        );
        return Err(diagnostics);
    }
    read_tree(
        &root.join("templates"),
        "templates",
        &mut diagnostics,
        |name, origin, bytes| {
            add_template(&mut templates, name, origin, bytes, &mut Vec::new());
        },
    );
    read_tree(
        &root.join("static"),
        "static",
        &mut diagnostics,
        |name, _, bytes| {
            static_files.insert(name, bytes);
        },
    );

    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // tera's default escaper also rewrites `/` as `&#x2F;`, which is valid
    // but turns every URL in the output into noise; `/` needs no escaping in
    // HTML text or quoted attributes.
    tera.set_escape_fn(escape_for_tera);
    let raw: Vec<(String, String)> = templates
        .iter()
        .map(|(name, s)| (name.clone(), s.text.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        diagnostics.push(template_error(&e, &templates));
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Theme { tera, static_files })
}

fn escape_for_tera(text: &str) -> String {
    crate::load::markdown::escape_html(text)
}

fn add_template(
    templates: &mut BTreeMap<String, Source>,
    name: String,
    origin: String,
    bytes: Vec<u8>,
    _: &mut Vec<Diagnostic>,
) {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    templates.insert(name, Source { origin, text });
}

/// Calls `add(name, origin, bytes)` for every file below `dir`, sorted.
fn read_tree(
    dir: &Path,
    origin: &str,
    diagnostics: &mut Diagnostics,
    mut add: impl FnMut(String, String, Vec<u8>),
) {
    if !dir.is_dir() {
        return;
    }
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item = match item {
            Ok(i) => i,
            Err(e) => {
                diagnostics.push(Diagnostic::error(format!("cannot read {origin}: {e}")));
                continue;
            }
        };
        if !item.file_type().is_file()
            || crate::load::is_ignored_name(&item.file_name().to_string_lossy())
        {
            continue;
        }
        let rel = item.path().strip_prefix(dir).unwrap_or(item.path());
        let name = rel.to_string_lossy().replace('\\', "/");
        match std::fs::read(item.path()) {
            Ok(bytes) => add(name.clone(), format!("{origin}/{name}"), bytes),
            Err(e) => diagnostics.push(
                Diagnostic::error(format!("cannot read file: {e}"))
                    .in_file(format!("{origin}/{name}")),
            ),
        }
    }
}

/// A tera parse error as a diagnostic on the template file, with tera's own
/// line and column when it gives them.
fn template_error(e: &tera::Error, templates: &BTreeMap<String, Source>) -> Diagnostic {
    let chain = error_chain(e);
    let origin = templates
        .iter()
        .find(|(name, _)| chain.contains(&format!("'{name}'")))
        .map(|(_, s)| s.origin.clone());
    let mut d = Diagnostic::error(format!("template error: {chain}"))
        .help("fix the template syntax; see https://keats.github.io/tera/docs/ for tera's syntax");
    if let Some(origin) = origin {
        d = d.in_file(origin);
    }
    d
}

/// tera nests the useful part (line, column, what was expected) in its
/// sources; show them all on one line.
pub fn error_chain(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts
        .join(": ")
        .replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
