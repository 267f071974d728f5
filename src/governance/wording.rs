//! The `[[lint.forbidden]]` rules: wording an agent must not use. Load
//! applies them to each entry while its text is at hand; the check stage
//! applies them to the snippets.

use super::lint::{FirstWords, Matcher, Words};
use crate::config::ForbiddenRule;
use crate::diag::{Diagnostic, Diagnostics, LineIndex};

/// Where a line of Markdown sits: in ordinary text, a `say` block, or a
/// block whose words are not the agent's (`avoid`, code).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Body,
    Say,
    Skip,
}

struct Rule<'a> {
    rule: &'a ForbiddenRule,
    matchers: Vec<Matcher>,
}

/// The `[[lint.forbidden]]` rules, compiled once for every file they scan.
pub(crate) struct Wording<'a> {
    rules: Vec<Rule<'a>>,
    first: FirstWords,
}

impl<'a> Wording<'a> {
    pub(crate) fn new(rules: &'a [ForbiddenRule]) -> Self {
        let rules: Vec<Rule<'a>> = rules
            .iter()
            .map(|rule| Rule {
                rule,
                matchers: rule
                    .phrases
                    .iter()
                    .filter_map(|p| Matcher::new(p))
                    .collect(),
            })
            .collect();
        let first = FirstWords::new(rules.iter().flat_map(|r| r.matchers.iter()));
        Wording { rules, first }
    }

    /// Scans `source` from `start` line by line, following fenced blocks.
    pub(crate) fn lint(
        &self,
        file: &str,
        source: &str,
        lines: &LineIndex,
        start: usize,
        diagnostics: &mut Diagnostics,
    ) {
        let (rules, first) = (&self.rules, &self.first);
        if rules.is_empty() {
            return;
        }
        let mut fence: Option<(char, usize, Scope)> = None;
        let mut offset = start;
        for line in source[start.min(source.len())..].split_inclusive('\n') {
            let here = offset;
            offset += line.len();
            let trimmed = line.trim_start_matches(' ');
            let indent = line.len() - trimmed.len();
            let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
            if indent < 4
                && let Some(c) = marker
            {
                let run = trimmed.chars().take_while(|&x| x == c).count();
                if run >= 3 {
                    match fence {
                        Some((open, len, _))
                            if open == c && run >= len && trimmed[run..].trim().is_empty() =>
                        {
                            fence = None;
                            continue;
                        }
                        None => {
                            let info = trimmed[run..].split_whitespace().next().unwrap_or("");
                            let scope = if info == "say" {
                                Scope::Say
                            } else {
                                Scope::Skip
                            };
                            fence = Some((c, run, scope));
                            continue;
                        }
                        _ => {}
                    }
                }
            }
            let scope = fence.map_or(Scope::Body, |(_, _, s)| s);
            if scope == Scope::Skip {
                continue;
            }
            if !first.any_in(line) {
                continue;
            }
            let words = Words::of(line);
            for rule in rules {
                for matcher in &rule.matchers {
                    for (from, to) in matcher.find_in(&words) {
                        let at = Some(lines.locate(source, here + from, to - from));
                        let (d, where_) = if scope == Scope::Say {
                            (
                                Diagnostic::error(format!(
                                    "forbidden wording in a say-phrase: “{}” ({})",
                                    &line[from..to],
                                    rule.rule.name
                                )),
                                "agents read say-phrases aloud",
                            )
                        } else {
                            (
                                Diagnostic::warning(format!(
                                    "forbidden wording: “{}” ({})",
                                    &line[from..to],
                                    rule.rule.name
                                )),
                                "if the text quotes what not to say, move the words into an ```avoid block",
                            )
                        };
                        diagnostics.push(
                            d.in_file(file)
                                .at(at)
                                .help(format!("{}; {where_}", rule.rule.message)),
                        );
                    }
                }
            }
        }
    }
}
