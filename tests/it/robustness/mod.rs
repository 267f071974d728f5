//! Broken and hostile input: every mistake an author can make becomes a
//! clear message naming the file (and line), with exit code 1 or a warning,
//! never a panic or a hang; hostile text renders as text everywhere; and
//! property tests throw generated Markdown and front matter at the pipeline.
//! One file per class of input; the helpers they share are here.
//!
//! Inputs the cargo-fuzz target (fuzz/) finds are kept at the end of this
//! file as `fuzz_*` tests, so they stay fixed.

mod colliding_names;
mod encoding_and_front_matter;
mod escaping;
mod files_and_tags;
mod links;
mod properties;
mod size_and_depth;

use crate::support::*;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A knowledge base with the small cross-linked one plus `files`.
fn kb_with(files: &[(&str, &str)]) -> Kb {
    let kb = Kb::small();
    for (path, text) in files {
        kb.write(path, text);
    }
    kb
}

/// Runs `saywhen --root <kb> ARGS`, failing the test if it takes longer
/// than `limit`, a hang guard (a hang is a bug too), or dies of a signal
/// (a crash).
#[track_caller]
fn run_within(kb: &Kb, args: &[&str], limit: Duration) -> Run {
    let mut child = kb
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start saywhen");
    // Both pipes are read while the run goes on, so a run that prints more
    // than a pipe holds cannot block and pass for a hang.
    let drain = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr")));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("saywhen {args:?} took longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = std::process::Output {
        status,
        stdout: stdout.join().expect("stdout"),
        stderr: stderr.join().expect("stderr"),
    };
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        run.code >= 0,
        "saywhen was killed by a signal\n{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("panicked"),
        "saywhen panicked:\n{}",
        run.stderr
    );
    run
}

/// How long a run may take before it counts as hung: far beyond any normal
/// run, even of a debug build on a busy machine, so it is never a speed
/// target (those are benchmarks).
const HANG_GUARD: Duration = Duration::from_secs(60);

/// Elements the Markdown pass may produce (CommonMark, GFM tables, task
/// lists, footnotes, and saywhen's phrase cards and heading anchors).
const SAFE_ELEMENTS: &[&str] = &[
    "html",
    "p",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "input",
    "sup",
    "div",
    "span",
    "figure",
    "figcaption",
    "button",
    "section",
];

/// The first element or attribute in `html` that the Markdown pass must
/// never produce: an element outside [`SAFE_ELEMENTS`], an event handler,
/// or a `javascript:` value in any attribute.
fn unsafe_markup(html: &str) -> Option<String> {
    let fragment = scraper::Html::parse_fragment(html);
    for node in fragment.root_element().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        if !SAFE_ELEMENTS.contains(&el.name()) {
            return Some(format!("<{}>", el.name()));
        }
        for (attr, value) in el.attrs() {
            if attr.starts_with("on") || value.to_ascii_lowercase().contains("javascript:") {
                return Some(format!("{attr}=\"{value}\""));
            }
        }
    }
    None
}

/// The HTML of one Markdown body, as an entry page would show it (link
/// slots left unfilled).
fn render_body(body: &str) -> String {
    use saywhen::config::RawHtml;
    use saywhen::diag::LineIndex;
    use saywhen::load::markdown::{ParseInput, parse};
    let source = body.replace('\0', "\u{fffd}");
    let lines = LineIndex::new();
    let assets = ["faq/chart.png".to_string()].into();
    let input = ParseInput {
        file: "content/faq/x.md",
        dir: "faq",
        source: &source,
        body_offset: 0,
        lines: &lines,
        is_playbook: false,
        raw_html: RawHtml::Escape,
        allow_unsafe_links: false,
        assets: &assets,
    };
    let (parsed, _) = parse(&input);
    // Slots hold NUL, which an HTML parser drops; show them as text.
    parsed.html.replace('\0', "§")
}

// ---------------------------------------------------------------------------
// Regressions found by the fuzz target (fuzz/fuzz_targets/pipeline.rs).
// None so far: see docs/reliability.md for the runs.
// ---------------------------------------------------------------------------
