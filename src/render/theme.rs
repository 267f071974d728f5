//! The theme: tera templates and static files, with the site's overrides.
//!
//! A theme lives in `themes/<name>/{templates,static}/`. The default theme is
//! also compiled into the binary, so a knowledge base made by `saywhen init`
//! builds without a copy of it. A site overrides any one template by putting
//! a file of the same name in its own `templates/` folder, and adds or
//! replaces static files through its `static/` folder (as Zola and Hugo do).

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, LineIndex, Location};
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
    "templates" / "components.html",
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
    pub(crate) tera: tera::Tera,
    /// Output path → bytes, theme files first, then the site's `static/`.
    pub(crate) static_files: BTreeMap<String, Vec<u8>>,
    /// Output path → the file it comes from (`static/logo.png`), for errors.
    pub(crate) static_origins: BTreeMap<String, String>,
    /// Each template's text and file, to point a rendering error at its line.
    templates: BTreeMap<String, Source>,
}

impl Theme {
    /// The search page's script as this site ships it, the site's own
    /// override included, for ranking outside the browser.
    pub(crate) fn search_script(&self) -> Option<crate::search::engine::Script<'_>> {
        let name = crate::search::engine::SCRIPT;
        let text = self.static_files.get(name)?;
        let origin = self
            .static_origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("static/{name}"));
        Some(crate::search::engine::Script { text, origin })
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// A template that failed while rendering `page` (an output path) as a
    /// diagnostic on the line of the template that failed: `template` is
    /// the page's own, which may not be the one at fault (`base.html`, a
    /// component).
    pub(crate) fn render_error(&self, e: &tera::Error, template: &str, page: &str) -> Diagnostic {
        let (message, place) = problems(e, &self.templates)
            .into_iter()
            .next()
            .expect("tera reports at least one problem");
        let (file, location) = match place {
            Some((file, location)) => (file, Some(location)),
            None => {
                let origin = self
                    .templates
                    .get(template)
                    .map_or_else(|| format!("templates/{template}"), |s| s.origin.clone());
                (origin, None)
            }
        };
        Diagnostic::error(format!(
            "template `{template}` failed for {page}: {message}"
        ))
        .in_file(file)
        .at(location)
        .help("fix the template, or remove the override in templates/ to use the theme's")
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
    let mut static_origins = BTreeMap::new();
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
            |name, origin, bytes| {
                static_origins.insert(name.clone(), origin);
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
                    static_origins.insert(name.to_string(), origin);
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
        |name, origin, bytes| {
            static_origins.insert(name.clone(), origin);
            static_files.insert(name, bytes);
        },
    );

    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    // saywhen's escaper, as for the Markdown: `&`, `<`, `>`, `"` and `'`,
    // so a value is safe in single-quoted attributes too (tera's fast
    // escaper leaves `'` alone).
    tera.set_escape_fn(escape_for_tera);
    let raw: Vec<(String, String)> = templates
        .iter()
        .map(|(name, s)| (name.clone(), s.text.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        template_errors(&e, &templates)
            .into_iter()
            .for_each(|d| diagnostics.push(d));
    }
    if diagnostics.has_errors() {
        return Err(diagnostics);
    }
    Ok(Theme {
        tera,
        static_files,
        static_origins,
        templates,
    })
}

fn escape_for_tera(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::text::escape::write_escaped_html(text, out)
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

/// A template that does not parse, or names a filter, test, component or
/// template that does not exist: one diagnostic per problem tera found,
/// each on its file and line.
fn template_errors(e: &tera::Error, templates: &BTreeMap<String, Source>) -> Vec<Diagnostic> {
    problems(e, templates)
        .into_iter()
        .map(|(message, place)| {
            let location = place.as_ref().map(|(_, l)| l);
            let mut d =
                Diagnostic::error(format!("template error: {message}")).help(syntax_help(location));
            if let Some((file, location)) = place {
                d = d.in_file(file).at(Some(location));
            }
            d
        })
        .collect()
}

/// The help for a template that does not parse: the Tera 2 way of writing
/// what Tera 1 templates (and the Jinja habit) write otherwise, when the
/// problem sits on one of those, else where to read the syntax.
fn syntax_help(location: Option<&Location>) -> String {
    const SYNTAX: &str =
        "fix the template syntax; see https://keats.github.io/tera/docs/ for tera's syntax";
    let Some(location) = location else {
        return SYNTAX.to_string();
    };
    let at: String = location
        .text
        .chars()
        .skip(location.column.saturating_sub(1))
        .take(location.width)
        .collect();
    let before: String = location
        .text
        .chars()
        .take(location.column.saturating_sub(1))
        .collect();
    if ["macro", "endmacro", "import"].contains(&at.as_str()) {
        "saywhen's templates are Tera 2, which has components instead of macros: define `{% component name(arg) %}…{% endcomponent name %}` in any template (the default theme's are in components.html) and call it as `{{ <name arg={value} /> }}`, with no import".to_string()
    } else if before.trim_end().ends_with('(') && before.contains(" is ") {
        "in Tera 2 a test takes named arguments, as `page_url is starting_with(pat=\"tags/\")`"
            .to_string()
    } else {
        SYNTAX.to_string()
    }
}

/// A problem's message, and its template file and place when known.
type Found = (String, Option<(String, Location)>);

/// Every problem tera reports in `e`, in its order, never none: the one
/// syntax or rendering error with its span; else the problems of tera's
/// printed reports (missing names come as one message of them); else the
/// whole message, placed nowhere.
fn problems(e: &tera::Error, templates: &BTreeMap<String, Source>) -> Vec<Found> {
    if let Some(one) = located(e, templates) {
        return vec![one];
    }
    let text = error_chain_text(e);
    let reports = printed_reports(&text, templates);
    if reports.is_empty() {
        vec![(one_line(&text), None)]
    } else {
        reports
    }
}

/// The first syntax or rendering error in `e`'s chain, with its span.
fn located(e: &tera::Error, templates: &BTreeMap<String, Source>) -> Option<Found> {
    let mut error: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(current) = error {
        if let Some(tera_error) = current.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) =
                tera_error.kind()
        {
            let place = templates.get(report.filename()).map(|source| {
                let span = report.span();
                let location = LineIndex::new().locate(
                    &source.text,
                    span.range.start,
                    span.range.end.saturating_sub(span.range.start),
                );
                (source.origin.clone(), location)
            });
            return Some((one_line(report.message()), place));
        }
        error = current.source();
    }
    None
}

/// Reads tera's printed reports (`error: MESSAGE`, then
/// `--> NAME:LINE:COLUMN`, the line and a caret) back into problems.
fn printed_reports(text: &str, templates: &BTreeMap<String, Source>) -> Vec<Found> {
    let lines: Vec<&str> = text.lines().collect();
    let mut found = Vec::new();
    for (k, line) in lines.iter().enumerate() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let place = lines
            .get(k + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
            .and_then(|at| {
                let mut parts = at.rsplitn(3, ':');
                let column: usize = parts.next()?.parse().ok()?;
                let line: usize = parts.next()?.parse().ok()?;
                let source = templates.get(parts.next()?)?;
                let text = source.text.lines().nth(line.checked_sub(1)?)?;
                let width = lines
                    .get(k + 4)
                    .map_or(1, |carets| carets.matches('^').count().max(1));
                let location = Location {
                    line,
                    column,
                    text: text.trim_end_matches('\r').to_string(),
                    width,
                };
                Some((source.origin.clone(), location))
            });
        found.push((one_line(message), place));
    }
    found
}

/// tera's message and those of its sources, as printed.
fn error_chain_text(e: &tera::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
