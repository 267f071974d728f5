//! Diagnostics of the pass, placed at a byte span of the source file.

use super::pass::Pass;
use crate::diag::Diagnostic;

impl Pass<'_, '_> {
    pub(super) fn warn(
        &mut self,
        offset: usize,
        len: usize,
        message: String,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::warning(message), offset, len, help);
    }

    pub(super) fn error(
        &mut self,
        offset: usize,
        len: usize,
        message: String,
        help: impl Into<String>,
    ) {
        self.report(Diagnostic::error(message), offset, len, help);
    }

    /// `found` placed at `len` bytes from `offset` in this file.
    fn report(&mut self, found: Diagnostic, offset: usize, len: usize, help: impl Into<String>) {
        let loc = self.input.lines.locate(self.input.source, offset, len);
        self.diagnostics
            .push(found.in_file(self.input.file).at(Some(loc)).help(help));
    }
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}
