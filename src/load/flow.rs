//! Playbook branches: where each step can lead, and whether every step can
//! be reached.
//!
//! A branch is an arrow (`→` or `->`) followed by `step N`, a link to
//! another entry, or `end`: "if they already paid → [[already-paid]]",
//! "if it escalates → step 5". A step normally leads on to the next one. It
//! does not when its last block is a list whose every item branches (a
//! decision), or a paragraph that starts with an arrow (a jump). Step 1 is
//! always reached; any other step must be the next step after one that
//! leads on, or the target of a branch from a step that is reached.

use crate::diag::{Diagnostic, LineIndex};
use pulldown_cmark::{Tag, TagEnd};

/// The steps a playbook of `count` steps has, for a branch or a link to
/// one it does not have: "this playbook has steps 1 to 5".
pub(crate) fn steps_help(count: usize) -> String {
    match count {
        0 => "this playbook has no steps yet: each `##` heading is a step".to_string(),
        1 => "this playbook has one step, step 1".to_string(),
        n => format!("this playbook has steps 1 to {n}"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BranchTo {
    /// `→ step N`; `link` is the index of the link rendered for it.
    Step { number: usize, link: usize },
    /// `→ [[entry]]`, by link index.
    Entry(usize),
    /// `→ end`: the call ends here.
    End,
}

#[derive(Debug, Clone)]
pub(crate) struct Branch {
    /// The step it leaves from (0: the introduction).
    pub(crate) from: usize,
    pub(crate) to: BranchTo,
}

/// A `step N` written after an arrow, as a byte span in a text event.
pub(crate) struct StepRef {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) number: usize,
}

#[derive(Default)]
struct Block {
    list: bool,
    items: usize,
    branching_items: usize,
    item_branches: bool,
    /// A paragraph whose text starts with an arrow.
    arrow_first: bool,
    seen_text: bool,
    branches: bool,
}

#[derive(Default)]
pub(crate) struct Flow {
    depth: usize,
    block: Option<Block>,
    step: usize,
    /// `leads_on[k]`: step k continues to step k + 1 (index 0: introduction).
    leads_on: Vec<bool>,
    /// Byte span of each step's heading, from step 1.
    headings: Vec<(usize, usize)>,
    pub(crate) branches: Vec<Branch>,
    /// The last text ended in an arrow: a link that follows is a branch.
    arrow_pending: bool,
}

fn is_block(tag: &Tag<'_>) -> bool {
    !matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Link { .. }
            | Tag::Image { .. }
            | Tag::Superscript
            | Tag::Subscript
    )
}

fn ends_block(tag: &TagEnd) -> bool {
    !matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

const ARROWS: [&str; 2] = ["→", "->"];

/// The first arrow in `text` from byte `from`, and its length. Arrows
/// start with `-` or the first byte of `→`; memchr finds those at vector
/// speed, and most text of a playbook has none.
fn next_arrow(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = from;
    while let Some(p) = memchr::memchr2(b'-', ARROWS[0].as_bytes()[0], &bytes[i..]) {
        let at = i + p;
        if let Some(arrow) = ARROWS
            .iter()
            .find(|a| bytes[at..].starts_with(a.as_bytes()))
        {
            return Some((at, arrow.len()));
        }
        i = at + 1;
    }
    None
}

impl Flow {
    pub(crate) fn new() -> Flow {
        Flow {
            leads_on: vec![true],
            ..Flow::default()
        }
    }

    pub(crate) fn start(&mut self, tag: &Tag<'_>, offset: usize, len: usize) {
        if !is_block(tag) {
            return;
        }
        if let Tag::Heading {
            level: pulldown_cmark::HeadingLevel::H2,
            ..
        } = tag
        {
            self.step += 1;
            self.leads_on.push(true);
            self.headings.push((offset, len));
        }
        if self.depth == 0 {
            self.block = Some(Block {
                list: matches!(tag, Tag::List(_)),
                ..Block::default()
            });
        } else if self.depth == 1
            && matches!(tag, Tag::Item)
            && let Some(b) = self.block.as_mut().filter(|b| b.list)
        {
            b.items += 1;
            b.item_branches = false;
        }
        self.depth += 1;
    }

    pub(crate) fn end(&mut self, tag: &TagEnd) {
        if !ends_block(tag) {
            return;
        }
        self.arrow_pending = false;
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 1
            && matches!(tag, TagEnd::Item)
            && let Some(b) = self.block.as_mut().filter(|b| b.list && b.item_branches)
        {
            b.branching_items += 1;
        }
        if self.depth == 0
            && let Some(b) = self.block.take()
        {
            let stops = if b.list {
                b.items > 0 && b.items == b.branching_items
            } else {
                b.arrow_first && b.branches
            };
            self.leads_on[self.step] = !stops;
        }
    }

    fn mark(&mut self, to: BranchTo) {
        self.branches.push(Branch {
            from: self.step,
            to,
        });
        if let Some(b) = &mut self.block {
            b.branches = true;
            b.item_branches = true;
        }
    }

    /// Reads a text event: records `→ end` branches and returns the
    /// `step N` references, which the caller renders as links and reports
    /// back with [`Flow::step_link`].
    pub(crate) fn text(&mut self, text: &str) -> Vec<StepRef> {
        if let Some(b) = &mut self.block
            && !b.seen_text
        {
            b.seen_text = true;
            b.arrow_first = ARROWS.iter().any(|a| text.trim_start().starts_with(a));
        }
        let mut refs = Vec::new();
        let mut i = 0;
        while let Some((at, arrow)) = next_arrow(text, i) {
            let after = at + arrow;
            let rest = &text[after..];
            let skipped = rest.len() - rest.trim_start().len();
            let word_at = after + skipped;
            let word = &text[word_at..];
            if let Some((len, number)) = step_number(word) {
                refs.push(StepRef {
                    start: word_at,
                    end: word_at + len,
                    number,
                });
            } else if word.len() >= 3
                && word[..3].eq_ignore_ascii_case("end")
                && !word[3..].starts_with(|c: char| c.is_alphanumeric())
            {
                self.mark(BranchTo::End);
            }
            i = after;
        }
        self.arrow_pending = ARROWS.iter().any(|a| text.trim_end().ends_with(a));
        refs
    }

    pub(crate) fn step_link(&mut self, number: usize, link: usize) {
        self.mark(BranchTo::Step { number, link });
    }

    /// A link starts; `index` is its place in the entry's link table.
    pub(crate) fn link(&mut self, index: usize) {
        if std::mem::take(&mut self.arrow_pending) {
            self.mark(BranchTo::Entry(index));
        }
    }

    /// Steps that no path from step 1 reaches, with their heading spans.
    pub(crate) fn unreachable(&self) -> Vec<(usize, (usize, usize))> {
        let n = self.step;
        let mut reached = vec![false; n + 1];
        let mut todo = vec![0];
        reached[0] = true;
        while let Some(k) = todo.pop() {
            let mut next: Vec<usize> = self
                .branches
                .iter()
                .filter(|b| b.from == k)
                .filter_map(|b| match b.to {
                    BranchTo::Step { number, .. } if number <= n => Some(number),
                    _ => None,
                })
                .collect();
            if self.leads_on[k] && k < n {
                next.push(k + 1);
            }
            for m in next {
                if m > 0 && !reached[m] {
                    reached[m] = true;
                    todo.push(m);
                }
            }
        }
        (1..=n)
            .filter(|&k| !reached[k])
            .map(|k| (k, self.headings[k - 1]))
            .collect()
    }

    /// Whether step `k` ends in a decision or a jump.
    pub(crate) fn stops(&self, k: usize) -> bool {
        !self.leads_on.get(k).copied().unwrap_or(true)
    }
}

/// `step 5` / `Step 12` at the start of `text`: its byte length and number.
fn step_number(text: &str) -> Option<(usize, usize)> {
    if text.len() < 4 || !text[..4].eq_ignore_ascii_case("step") {
        return None;
    }
    let rest = &text[4..];
    let gap = rest.len() - rest.trim_start().len();
    if gap == 0 {
        return None;
    }
    let digits: usize = rest[gap..].chars().take_while(char::is_ascii_digit).count();
    let number = rest[gap..gap + digits].parse().ok()?;
    Some((4 + gap + digits, number))
}

/// The error for a step nothing leads to.
pub(crate) fn unreachable_step(
    file: &str,
    source: &str,
    lines: &LineIndex,
    step: usize,
    title: &str,
    span: (usize, usize),
    previous_stops: bool,
) -> Diagnostic {
    let why = if previous_stops {
        format!(
            "step {} ends in branches, and none of them leads to step {step}",
            step - 1
        )
    } else {
        format!("no step that is reached leads to step {step}")
    };
    Diagnostic::error(format!("step {step} “{title}” can never be reached: {why}"))
        .in_file(file)
        .at(Some(lines.locate_line(source, span.0, span.1)))
        .help(format!(
            "add a branch `→ step {step}` where the call can lead here, or remove the step"
        ))
}

#[cfg(test)]
mod tests {
    use super::step_number;

    #[test]
    fn reads_step_numbers() {
        assert_eq!(step_number("step 5."), Some((6, 5)));
        assert_eq!(step_number("Step  12 then"), Some((8, 12)));
        assert_eq!(step_number("steps 5"), None);
        assert_eq!(step_number("step five"), None);
        assert_eq!(step_number("step"), None);
    }
}
