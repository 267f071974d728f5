//! Recall at 1 and 5 and mean reciprocal rank, per engine, over all the
//! queries and per class, and the report that shows them.

use super::queries::{CLASSES, Query};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One engine's figures over a group of queries.
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub(crate) struct Figures {
    pub(crate) queries: usize,
    pub(crate) recall_at_1: f64,
    pub(crate) recall_at_5: f64,
    pub(crate) mrr: f64,
}

impl Figures {
    /// The figures of `ranks`: the expected entry's 1-based rank for each
    /// query, `None` where the engine did not list it.
    pub(crate) fn of(ranks: &[Option<usize>]) -> Figures {
        let n = ranks.len();
        let share = |hit: &dyn Fn(usize) -> bool| {
            ranks.iter().filter(|r| r.is_some_and(hit)).count() as f64 / n.max(1) as f64
        };
        Figures {
            queries: n,
            recall_at_1: share(&|r| r == 1),
            recall_at_5: share(&|r| r <= 5),
            mrr: ranks
                .iter()
                .map(|r| r.map_or(0.0, |r| 1.0 / r as f64))
                .sum::<f64>()
                / n.max(1) as f64,
        }
    }
}

/// One query's outcome.
#[derive(Debug, Serialize)]
pub(crate) struct Outcome {
    pub(crate) query: String,
    pub(crate) class: String,
    pub(crate) expect: String,
    pub(crate) saywhen_rank: Option<usize>,
    pub(crate) minisearch_rank: Option<usize>,
    pub(crate) saywhen_top3: Vec<String>,
    pub(crate) minisearch_top3: Vec<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Engine {
    pub(crate) overall: Figures,
    /// By class, for the classes the query set has.
    pub(crate) classes: BTreeMap<String, Figures>,
}

/// The whole evaluation: what `--nocapture` prints and
/// `SAYWHEN_EVAL_JSON` receives.
#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) saywhen: Engine,
    pub(crate) minisearch: Engine,
    pub(crate) queries: Vec<Outcome>,
}

/// The 1-based place of `slug` in `ranked`.
fn rank(ranked: &[String], slug: &str) -> Option<usize> {
    ranked.iter().position(|s| s == slug).map(|i| i + 1)
}

impl Report {
    /// The report for `queries`, given each engine's ranking of each.
    pub(crate) fn new(
        queries: &[Query],
        saywhen: &[Vec<String>],
        minisearch: &[Vec<String>],
    ) -> Report {
        assert_eq!(queries.len(), saywhen.len());
        assert_eq!(queries.len(), minisearch.len());
        let outcomes: Vec<Outcome> = queries
            .iter()
            .zip(saywhen.iter().zip(minisearch))
            .map(|(q, (s, m))| Outcome {
                query: q.query.clone(),
                class: q.class.clone(),
                expect: q.expect.clone(),
                saywhen_rank: rank(s, &q.expect),
                minisearch_rank: rank(m, &q.expect),
                saywhen_top3: s.iter().take(3).cloned().collect(),
                minisearch_top3: m.iter().take(3).cloned().collect(),
            })
            .collect();
        let engine = |rank_of: fn(&Outcome) -> Option<usize>| {
            let ranks = |class: Option<&str>| -> Vec<Option<usize>> {
                outcomes
                    .iter()
                    .filter(|o| class.is_none_or(|c| o.class == c))
                    .map(rank_of)
                    .collect()
            };
            Engine {
                overall: Figures::of(&ranks(None)),
                classes: CLASSES
                    .iter()
                    .filter(|c| outcomes.iter().any(|o| o.class == **c))
                    .map(|c| (c.to_string(), Figures::of(&ranks(Some(c)))))
                    .collect(),
            }
        };
        Report {
            saywhen: engine(|o| o.saywhen_rank),
            minisearch: engine(|o| o.minisearch_rank),
            queries: outcomes,
        }
    }

    /// The table of figures, then every query saywhen does not rank first.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{:<15}   {:^21}   {:^21}", "", "saywhen", "MiniSearch");
        let _ = writeln!(
            out,
            "{:<10} {:>4}   {:>7} {:>6} {:>6}   {:>7} {:>6} {:>6}",
            "class", "n", "R@1", "R@5", "MRR", "R@1", "R@5", "MRR"
        );
        let mut row = |name: &str, s: &Figures, m: &Figures| {
            let _ = writeln!(
                out,
                "{:<10} {:>4}   {:>7.3} {:>6.3} {:>6.3}   {:>7.3} {:>6.3} {:>6.3}",
                name,
                s.queries,
                s.recall_at_1,
                s.recall_at_5,
                s.mrr,
                m.recall_at_1,
                m.recall_at_5,
                m.mrr
            );
        };
        row("all", &self.saywhen.overall, &self.minisearch.overall);
        for class in CLASSES {
            if let (Some(s), Some(m)) = (
                self.saywhen.classes.get(*class),
                self.minisearch.classes.get(*class),
            ) {
                row(class, s, m);
            }
        }
        let misses: Vec<&Outcome> = self
            .queries
            .iter()
            .filter(|o| o.saywhen_rank != Some(1))
            .collect();
        let _ = writeln!(out, "\nsaywhen misses at rank 1: {}", misses.len());
        for o in misses {
            let place =
                |r: Option<usize>| r.map_or("not listed".to_string(), |r| format!("rank {r}"));
            let _ = writeln!(out, "  [{}] {:?}", o.class, o.query);
            let _ = writeln!(
                out,
                "      expected {} (saywhen: {}, MiniSearch: {})",
                o.expect,
                place(o.saywhen_rank),
                place(o.minisearch_rank)
            );
            let top = if o.saywhen_top3.is_empty() {
                "no results".to_string()
            } else {
                o.saywhen_top3.join(", ")
            };
            let _ = writeln!(out, "      saywhen top 3: {top}");
        }
        out
    }
}

#[test]
fn ranks_become_recall_and_reciprocal_rank() {
    let f = Figures::of(&[Some(1), Some(2), Some(5), None]);
    assert_eq!(f.queries, 4);
    assert_eq!(f.recall_at_1, 0.25);
    assert_eq!(f.recall_at_5, 0.75);
    assert!((f.mrr - (1.0 + 0.5 + 0.2) / 4.0).abs() < 1e-12, "{}", f.mrr);
    let f = Figures::of(&[Some(6)]);
    assert_eq!((f.recall_at_1, f.recall_at_5), (0.0, 0.0));
    assert!((f.mrr - 1.0 / 6.0).abs() < 1e-12);
}
