//! Authors' search tests: `search-tests.toml` beside site.toml lists
//! queries and the entry each must find within the top N.
//!
//! They are ranked by the search page's own script, run in an embedded
//! engine ([`crate::search::engine`]) on the index this site's build would
//! write, so `check` and the browser cannot disagree. Only `check` runs
//! them: a ranking that slipped is for review, not a reason to keep the
//! last good site offline.

use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::load::Kind;
use crate::resolve::Site;
use crate::search::engine::{Engine, Script, Unavailable};
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

pub(crate) const FILE: &str = "search-tests.toml";

/// How far down a test's entry may rank when neither the test nor the file
/// says: the results an agent sees without scrolling.
const DEFAULT_TOP: usize = 3;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    top: Option<Spanned<usize>>,
    #[serde(default)]
    test: Vec<Test>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Test {
    query: Spanned<String>,
    expect: Spanned<String>,
    top: Option<Spanned<usize>>,
}

/// Every failing or unreadable test, each at its line of `search-tests.toml`.
/// `script` is the theme's search script (`Theme::search_script`).
pub(crate) fn run(root: &Path, site: &Site, script: Option<Script<'_>>) -> Diagnostics {
    let mut found = Diagnostics::new();
    let path = root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return found,
        Err(e) => {
            found.push(
                Diagnostic::error(format!("cannot read {FILE}: {e}"))
                    .in_file(FILE)
                    .help("make the file readable, or remove it to run no search tests"),
            );
            return found;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines = LineIndex::new();
    let at = |span: std::ops::Range<usize>| Some(lines.locate_line(text, span.start, span.len()));
    let file: TestFile = match toml::from_str(text) {
        Ok(file) => file,
        Err(e) => {
            found.push(
                Diagnostic::error(format!("invalid {FILE}: {}", e.message().trim_end()))
                    .in_file(FILE)
                    .at(e.span().and_then(&at))
                    .help("each test is a [[test]] table with `query` and `expect` (an entry's slug, as a [[link]] names it), and optionally `top`; see docs/search.md"),
            );
            return found;
        }
    };
    let mut top_of = |top: &Option<Spanned<usize>>, default: usize| match top {
        Some(t) if *t.get_ref() == 0 => {
            found.push(
                Diagnostic::error("`top` must be 1 or more")
                    .in_file(FILE)
                    .at(at(t.span()))
                    .help(
                        "`top = 1` asks for the first result, `top = 3` for one of the first three",
                    ),
            );
            None
        }
        Some(t) => Some(*t.get_ref()),
        None => Some(default),
    };
    let Some(default_top) = top_of(&file.top, DEFAULT_TOP) else {
        return found;
    };
    let tests: Vec<(&Test, usize)> = file
        .test
        .iter()
        .filter_map(|t| top_of(&t.top, default_top).map(|top| (t, top)))
        .collect();
    if tests.is_empty() {
        return found;
    }

    let engine = match engine_for(site, script) {
        Ok(engine) => engine,
        Err(d) => {
            found.push(d);
            return found;
        }
    };
    for (test, top) in tests {
        let query = test.query.get_ref();
        let Some(expected) = find(site, test.expect.get_ref()) else {
            found.push(unknown_entry(site, test, &at));
            continue;
        };
        let ranked = match engine.rank(query) {
            Ok(ranked) => ranked,
            Err(e) => {
                found.push(
                    Diagnostic::error(format!("search failed for “{query}”: {e}"))
                        .in_file(FILE)
                        .at(at(test.query.span()))
                        .help("the theme's saywhen-search.js threw: fix the script, or remove its override in static/"),
                );
                continue;
            }
        };
        let e = &site.entries[expected];
        let rank = ranked.urls.iter().position(|u| u == e.url()).map(|r| r + 1);
        if rank.is_some_and(|r| r <= top) {
            continue;
        }
        found.push(failure(site, test, expected, top, rank, &ranked.urls, &at));
    }
    found
}

/// The engine with the index this site would write and the theme's script.
fn engine_for(site: &Site, script: Option<Script<'_>>) -> Result<Engine, Diagnostic> {
    crate::search::engine::for_site(site, script).map_err(|e| match e {
        Unavailable::NoScript(script) => Diagnostic::error(format!(
            "{FILE} has tests, but the theme has no {script} to rank them"
        ))
        .in_file(FILE)
        .help("use a theme with saywhen's search page, or remove search-tests.toml"),
        Unavailable::Failed { origin, problem } => {
            Diagnostic::error(format!("cannot run the search tests: {problem}"))
                .in_file(origin)
                .help("fix the script, or remove its override to use the theme's")
        }
    })
}

/// The entry a test's `expect` names, as a wikilink would: `slug` or
/// `kind/slug`, with or without `.md`.
fn find(site: &Site, reference: &str) -> Option<usize> {
    let reference = reference.trim().trim_end_matches(".md");
    let (kind, slug) = match reference.split_once('/') {
        Some((dir, slug)) => (Some(Kind::from_dir(dir)?), slug),
        None => (None, reference),
    };
    let slug = crate::slug::slugify(slug);
    site.entries
        .iter()
        .position(|e| e.slug == slug && kind.is_none_or(|k| e.kind == k))
}

fn unknown_entry(
    site: &Site,
    test: &Test,
    at: &dyn Fn(std::ops::Range<usize>) -> Option<crate::diag::Location>,
) -> Diagnostic {
    let wanted = test.expect.get_ref();
    let closest = site
        .entries
        .iter()
        .map(|e| (strsim::jaro_winkler(&e.slug, wanted), &e.slug))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score > 0.8);
    let help = match closest {
        Some((_, slug)) => format!("did you mean `{slug}`?"),
        None => "write the entry's slug, as a [[link]] names it (its file name without .md)".into(),
    };
    Diagnostic::error(format!(
        "search test for “{}” expects `{wanted}`, which is no entry",
        test.query.get_ref()
    ))
    .in_file(FILE)
    .at(at(test.expect.span()))
    .help(help)
}

fn failure(
    site: &Site,
    test: &Test,
    expected: usize,
    top: usize,
    rank: Option<usize>,
    urls: &[String],
    at: &dyn Fn(std::ops::Range<usize>) -> Option<crate::diag::Location>,
) -> Diagnostic {
    let query = test.query.get_ref();
    let e = &site.entries[expected];
    let by_url = |url: &str| site.entries.iter().find(|e| e.url() == url);
    // What an author needs to see: the entries that beat this one, up to
    // the place it should have had and a couple more.
    let above: Vec<serde_json::Value> = urls
        .iter()
        .take(rank.map_or(top + 2, |r| r - 1).min(top + 2))
        .enumerate()
        .map(|(n, url)| {
            let other = by_url(url);
            serde_json::json!({
                "rank": n + 1,
                "title": other.map_or("", |o| o.title.as_str()),
                "file": other.map_or(url.as_str(), |o| o.file.as_str()),
            })
        })
        .collect();
    let where_ = match rank {
        Some(r) => format!("it ranks {r}"),
        None => "no result finds it".to_string(),
    };
    let listed: Vec<String> = above
        .iter()
        .map(|a| {
            format!(
                "{}. {} ({})",
                a["rank"],
                a["title"].as_str().unwrap_or(""),
                a["file"].as_str().unwrap_or("")
            )
        })
        .collect();
    let mut help = String::new();
    if !listed.is_empty() {
        help.push_str(&format!("ranked above it: {}; ", listed.join(", ")));
    }
    help.push_str(&format!(
        "give {} an alias in the words agents use, or add a synonym in site.toml",
        e.file
    ));
    Diagnostic::error(format!(
        "search test failed: “{query}” should find {} within the top {top}, but {where_}",
        e.slug
    ))
    .in_file(FILE)
    .at(at(test.query.span()))
    .help(help)
    .with_data(
        "search_test",
        serde_json::json!({
            "query": query,
            "expect": e.slug,
            "file": e.file,
            "top": top,
            "rank": rank,
            "above": above,
        }),
    )
}
