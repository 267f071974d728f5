//! A ```` ```snippet NAME ```` block in the pass: it names a shared snippet
//! and leaves a slot, `\0iN\0`, where render puts the snippet's HTML and
//! search puts its text.

use super::SnippetUse;
use super::pass::Pass;
use crate::diag::Diagnostic;
use pulldown_cmark::Event;

impl Pass<'_, '_> {
    pub(super) fn finish_snippet(&mut self) {
        let Some(state) = self.snippet.take() else {
            return;
        };
        let input = self.input;
        let at = Some(
            input
                .lines
                .locate_line(input.source, state.offset, state.len),
        );
        if state.name.is_empty() {
            self.diagnostics.push(
                Diagnostic::error("snippet include without a name")
                    .in_file(input.file)
                    .at(at)
                    .help("name the snippet after `snippet`: ```` ```snippet disclosure ```` includes content/_snippets/disclosure.md"),
            );
            return;
        }
        if state.has_text {
            self.diagnostics.push(
                Diagnostic::error(format!("snippet include `{}` has text inside it", state.name))
                    .in_file(input.file)
                    .at(at)
                    .help(format!("the block only names the snippet; its words live in content/_snippets/{}.md, so leave the block empty", state.name)),
            );
        }
        let n = self.out.snippets.len();
        self.out.snippets.push(SnippetUse {
            name: state.name,
            offset: state.offset,
            len: state.len,
        });
        self.events.push(Event::Html(format!("\0i{n}\0").into()));
        // The snippet's words belong to the entry's search text where they
        // land; the same slot marks the place.
        self.collect_text(&format!("\0i{n}\0"));
    }
}
