//! The search evaluation: saywhen's real search page and MiniSearch, given
//! the same entries (the bundled knowledge base) and the same queries
//! (`tests/search_eval/queries.toml`), scored on how often each ranks the
//! expected entry first and in its top five. docs/search.md describes it;
//! `cargo test --test it search_eval -- --nocapture` prints the report, and
//! `SAYWHEN_EVAL_JSON=path` writes it as JSON too.

mod documents;
mod engines;
mod metrics;
mod queries;

use crate::browser::{bundled_site, require_chromium};
use crate::needs::require_minisearch;
use metrics::Report;
use std::path::Path;

/// What saywhen must keep on the query set, whatever MiniSearch does: the
/// figures measured when the set was written, less a query or two, so a
/// change that costs answers fails here. The targets it has not reached yet
/// (0.90 and 0.98) are in docs/search.md.
const MIN_RECALL_AT_1: f64 = 0.78;
const MIN_RECALL_AT_5: f64 = 0.94;

#[test]
fn saywhen_ranks_the_expected_entry_first_and_beats_minisearch() {
    let Some(_) = require_chromium() else {
        return;
    };
    let Some(minisearch) = require_minisearch() else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let documents = documents::load(root);
    let slugs = documents.iter().map(|d| d.id.clone()).collect();
    let queries = queries::read(&slugs).unwrap_or_else(|e| panic!("{e}"));

    let saywhen = engines::saywhen(bundled_site(), &queries);
    let mini = engines::minisearch(
        &minisearch,
        &documents,
        &documents::synonym_groups(root),
        &queries,
    );
    let report = Report::new(&queries, &saywhen, &mini);
    let text = report.text();
    println!(
        "search evaluation: {} queries from {}\n\n{text}",
        queries.len(),
        queries::QUERIES
    );
    if let Some(path) = std::env::var_os("SAYWHEN_EVAL_JSON") {
        let json = serde_json::to_string_pretty(&report).unwrap();
        std::fs::write(&path, json + "\n").unwrap_or_else(|e| {
            panic!(
                "cannot write SAYWHEN_EVAL_JSON={}: {e}",
                Path::new(&path).display()
            )
        });
    }

    let (s, m) = (report.saywhen.overall, report.minisearch.overall);
    let mut failures = Vec::new();
    if s.recall_at_1 < MIN_RECALL_AT_1 {
        failures.push(format!(
            "saywhen recall@1 {:.3} < {MIN_RECALL_AT_1}",
            s.recall_at_1
        ));
    }
    if s.recall_at_5 < MIN_RECALL_AT_5 {
        failures.push(format!(
            "saywhen recall@5 {:.3} < {MIN_RECALL_AT_5}",
            s.recall_at_5
        ));
    }
    if s.recall_at_1 < m.recall_at_1 {
        failures.push(format!(
            "saywhen recall@1 {:.3} < MiniSearch's {:.3}",
            s.recall_at_1, m.recall_at_1
        ));
    }
    if s.recall_at_5 < m.recall_at_5 {
        failures.push(format!(
            "saywhen recall@5 {:.3} < MiniSearch's {:.3}",
            s.recall_at_5, m.recall_at_5
        ));
    }
    assert!(
        failures.is_empty(),
        "search evaluation failed: {}\nsaywhen: recall@1 {:.3}, recall@5 {:.3}, MRR {:.3}; MiniSearch: recall@1 {:.3}, recall@5 {:.3}, MRR {:.3} ({} queries)\n\n{text}",
        failures.join("; "),
        s.recall_at_1,
        s.recall_at_5,
        s.mrr,
        m.recall_at_1,
        m.recall_at_5,
        m.mrr,
        s.queries
    );
}
