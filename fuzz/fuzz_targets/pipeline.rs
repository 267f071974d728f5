//! Front matter + Markdown + link resolution + rendering, from raw bytes.
//!
//! The input is up to four files separated by `\n%%%%\n`; the first byte
//! picks each file's path from a small set (so entries can link to each
//! other, collide in slug or case, and sit in sub-folders). Every file goes
//! through `load::EntryParser::parse` (UTF-8, BOM, NUL, front matter, the one
//! Markdown pass), then the loaded entries through `resolve`, the search
//! index and every page of the default theme: the whole pipeline short of
//! touching the disk. Beyond "never panics" it checks what saywhen promises
//! about its output: no NUL slot survives into a page, the search index
//! never holds a raw `<`, `>` or `&`, and slugs are idempotent.
//!
//! Run: `cargo +nightly fuzz run pipeline` in fuzz/ (see docs/reliability.md).

#![no_main]

use libfuzzer_sys::fuzz_target;
use saywhen::config::SiteConfig;
use saywhen::load::{self, Content};
use saywhen::render::{self, OutFile, RenderOptions, Theme};
use saywhen::resolve::{self, ResolveOptions};
use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

const PATHS: [&str; 8] = [
    "faq/a.md",
    "faq/b.md",
    "techniques/a.md",
    "playbooks/c.md",
    "faq/sub/d.md",
    "techniques/A.md",
    "faq/caf\u{e9}.md",
    "notes/x.md",
];

fn config(allow: bool) -> &'static SiteConfig {
    static PLAIN: OnceLock<SiteConfig> = OnceLock::new();
    static ALLOW: OnceLock<SiteConfig> = OnceLock::new();
    let (cell, text) = if allow {
        (
            &ALLOW,
            "title = \"F\"\nbase_url = \"https://x.example/kb/\"\n[markdown]\nraw_html = \"allow\"\nallow_unsafe_links = true\n",
        )
    } else {
        (
            &PLAIN,
            "title = \"F\"\nbase_url = \"https://x.example/kb/\"\n",
        )
    };
    cell.get_or_init(|| SiteConfig::parse(text).expect("fuzz config parses"))
}

fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let none = std::path::Path::new("/nonexistent-saywhen-fuzz-root");
        render::theme::load(none, config(false))
            .unwrap_or_else(|_| panic!("the built-in theme loads"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, rest)) = data.split_first() else {
        return;
    };
    let config = config(control & 0x80 != 0);
    let assets: BTreeSet<String> = ["faq/chart.png", "faq/a b.pdf", "techniques/x.png"]
        .into_iter()
        .map(String::from)
        .collect();
    let mut content = Content {
        assets: assets.clone(),
        ..Content::default()
    };
    let parser = load::EntryParser::new(config, &assets);
    let mut used = BTreeSet::new();
    for (n, bytes) in split(rest).into_iter().take(4).enumerate() {
        let pick = (usize::from(control) >> (n * 2)) & 3;
        let rel = PATHS[(pick + n * 2) % PATHS.len()];
        if !used.insert(rel) {
            continue;
        }
        match parser.parse(rel, bytes.to_vec()) {
            Ok(Some((entry, _))) => {
                let slug = saywhen::slug::slugify(&entry.title);
                assert_eq!(saywhen::slug::slugify(&slug), slug, "slug not idempotent");
                for h in &entry.body.headings {
                    assert!(!h.id.is_empty(), "empty heading id");
                }
                content.entries.push(Arc::new(entry));
            }
            Ok(None) => {}
            Err(diagnostics) => {
                for d in diagnostics {
                    let _ = d.render(false);
                }
                content.failed.insert(rel.to_string());
            }
        }
    }
    let today = time::Date::from_calendar_date(2026, time::Month::June, 1).unwrap();
    let options = ResolveOptions {
        drafts: control & 0x40 != 0,
        today,
    };
    let (site, diagnostics) = resolve::resolve(content, config, &options);
    for d in diagnostics.iter() {
        let _ = d.render(false);
    }
    let (output, _) = render::render(
        &site,
        theme(),
        std::path::Path::new("/nonexistent-saywhen-fuzz-root"),
        &RenderOptions::default(),
    );
    for (path, file) in &output {
        let OutFile::Bytes(bytes) = file else {
            continue;
        };
        assert!(!bytes.contains(&0), "{path} holds a NUL");
        // The index and its text files (`search/*.js`), not the search page.
        if path.starts_with("search/") && path.ends_with(".js") {
            let text = std::str::from_utf8(bytes).expect("search files are UTF-8");
            let json = text
                .split_once('=')
                .map(|x| x.1)
                .unwrap_or("")
                .trim_end_matches(";\n");
            assert!(
                !json.contains(['<', '>', '&']),
                "{path} holds raw markup characters"
            );
        }
    }
});

fn split(data: &[u8]) -> Vec<&[u8]> {
    const SEP: &[u8] = b"\n%%%%\n";
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEP.len()).position(|w| w == SEP) {
        parts.push(&rest[..i]);
        rest = &rest[i + SEP.len()..];
    }
    parts.push(rest);
    parts
}
