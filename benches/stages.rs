//! Criterion benchmarks of the hot stages, on one knowledge base:
//! front matter, loading an entry (front matter and Markdown), link
//! resolution, entry page templates and the search index.
//!
//! ```sh
//! cargo bench --bench stages                     # the bundled knowledge base
//! SAYWHEN_BENCH_KB=/tmp/kb1000 cargo bench --bench stages
//! ```
//!
//! `scripts/bench.sh` runs it on a generated corpus of 1,000 entries.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use saywhen::diag::LineIndex;
use saywhen::load::{self, front_matter};
use saywhen::render::{self, RenderOptions, Selection};
use saywhen::resolve::{self, ResolveOptions};
use saywhen::settings::{RunOptions, Settings};
use std::hint::black_box;
use std::path::PathBuf;

fn knowledge_base() -> PathBuf {
    std::env::var_os("SAYWHEN_BENCH_KB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn stages(c: &mut Criterion) {
    let root = knowledge_base();
    let options = RunOptions {
        drafts: false,
        today: time::macros::date!(2026 - 01 - 01),
        base_url: None,
    };
    let settings = Settings::load(&root, &options)
        .expect("site.toml is readable")
        .unwrap_or_else(|d| panic!("{}: {}", root.display(), d.message));
    let (content, _) = load::load(&root, &settings.config).expect("content loads");
    let files: Vec<(String, Vec<u8>)> = content
        .entries
        .iter()
        .map(|e| {
            let bytes = std::fs::read(root.join(&e.file)).expect("entry file is readable");
            (e.content_path().to_string(), bytes)
        })
        .collect();
    let bytes: u64 = files.iter().map(|(_, b)| b.len() as u64).sum();
    let resolve_options = ResolveOptions {
        drafts: false,
        today: settings.today,
    };
    let (site, _) = resolve::resolve(content.clone(), &settings.config, &resolve_options);
    let theme = render::theme::load(&root, &settings.config)
        .unwrap_or_else(|_| panic!("the theme of {} loads", root.display()));

    let mut group = c.benchmark_group(format!("{} entries", files.len()));
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("front matter", |b| {
        b.iter(|| {
            for (rel, source) in &files {
                let source = std::str::from_utf8(source).expect("UTF-8");
                let lines = LineIndex::new();
                let file = format!("content/{rel}");
                if let Ok(split) = front_matter::split(&file, source, &lines) {
                    let _ = black_box(front_matter::parse(&file, source, &split, &lines));
                }
            }
        })
    });
    group.bench_function("load entries (front matter + Markdown)", |b| {
        b.iter(|| {
            for (rel, source) in &files {
                // A parser for each file, as `serve` makes for a saved one.
                let parser = load::EntryParser::new(&settings.config, &content.assets);
                let _ = black_box(parser.parse(rel, source.clone()));
            }
        })
    });
    group.bench_function("resolve (links, backlinks, related, tags, A-Z)", |b| {
        b.iter(|| {
            black_box(resolve::resolve(
                content.clone(),
                &settings.config,
                &resolve_options,
            ))
        })
    });
    group.bench_function("entry page templates", |b| {
        let selection = Selection {
            entries: (0..site.entries.len()).collect(),
            other_pages: false,
        };
        b.iter(|| {
            black_box(render::render_selected(
                &site,
                &theme,
                &RenderOptions::default(),
                &selection,
            ))
        })
    });
    group.bench_function("listing pages (home, A-Z, tags, listings)", |b| {
        let selection = Selection {
            entries: Vec::new(),
            other_pages: true,
        };
        b.iter(|| {
            black_box(render::render_selected(
                &site,
                &theme,
                &RenderOptions::default(),
                &selection,
            ))
        })
    });
    group.bench_function("search index", |b| {
        b.iter(|| black_box(saywhen::search::render(&site)))
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
