//! A playbook's branches in the pass: each `step N` after an arrow is drawn
//! as a link, and once every step is known the links are pointed at the
//! steps' headings, with errors for missing steps and unreachable ones.

use super::pass::Pass;
use super::{Heading, LinkTarget, RawLink};
use crate::diag::Diagnostic;
use crate::load::flow::{self, BranchTo, StepRef};
use pulldown_cmark::Event;

impl Pass<'_, '_> {
    /// Draws each `step N` after an arrow as a link; its target is set
    /// once every step is known ([`Pass::finish_flow`]).
    pub(super) fn emit_step_branches(
        &mut self,
        text: &str,
        refs: Vec<StepRef>,
        offset: usize,
        len: usize,
    ) {
        // The text is as written unless it held escapes or entities.
        let verbatim = self.input.source.get(offset..offset + len) == Some(text);
        let mut at = 0;
        for r in refs {
            self.emit(Event::Text(text[at..r.start].to_string().into()));
            let n = self.out.links.len();
            let (o, l) = if verbatim {
                (offset + r.start, r.end - r.start)
            } else {
                (offset, len)
            };
            self.out.links.push(RawLink {
                target: LinkTarget::Anchor(String::new()),
                offset: o,
                len: l,
                wants_title: false,
            });
            self.flow.step_link(r.number, n);
            self.emit(Event::InlineHtml(
                format!("<a class=\"branch\" href=\"\0{n}\0\">").into(),
            ));
            self.emit(Event::Text(text[r.start..r.end].to_string().into()));
            self.emit(Event::InlineHtml("</a>".into()));
            at = r.end;
        }
        self.emit(Event::Text(text[at..].to_string().into()));
    }

    /// Points step branches at their steps, and reports branches to
    /// missing steps and steps nothing leads to.
    pub(super) fn finish_flow(&mut self) {
        let input = self.input;
        let steps: Vec<&Heading> = self
            .out
            .headings
            .iter()
            .filter(|h| h.step.is_some())
            .collect();
        for branch in &self.flow.branches {
            let BranchTo::Step { number, link } = branch.to else {
                continue;
            };
            match steps.get(number.wrapping_sub(1)) {
                Some(h) => self.out.links[link].target = LinkTarget::Anchor(h.id.clone()),
                None => {
                    let raw = &self.out.links[link];
                    let help = flow::steps_help(steps.len());
                    self.out.flow_errors.push(
                        Diagnostic::error(format!("branch to missing step {number}"))
                            .in_file(input.file)
                            .at(Some(input.lines.locate(input.source, raw.offset, raw.len)))
                            .help(help),
                    );
                }
            }
        }
        for (k, span) in self.flow.unreachable() {
            let title = steps.get(k - 1).map_or("", |h| h.text.as_str());
            self.out.flow_errors.push(flow::unreachable_step(
                input.file,
                input.source,
                input.lines,
                k,
                title,
                span,
                self.flow.stops(k - 1),
            ));
        }
        self.out.branches = std::mem::take(&mut self.flow.branches);
    }
}
