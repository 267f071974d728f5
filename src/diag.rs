//! Diagnostics: the author-facing problems every stage collects instead of
//! stopping at the first one.
//!
//! A content problem (bad front matter, broken link, unknown tag) becomes a
//! [`Diagnostic`] with the file relative to the site root, a computed line and
//! column, and a `help` line that says how to fix it. Stages push them into
//! [`Diagnostics`] and keep going, so one run reports everything; the CLI
//! decides the exit code at the end. Environment problems (unreadable disk,
//! port in use) are `anyhow` errors instead and never pass through here.

use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// Where in a source file a problem sits. Lines and columns are 1-based;
/// columns count characters, as editors do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub(crate) line: usize,
    pub(crate) column: usize,
    /// The whole source line, for the caret display.
    pub(crate) text: String,
    /// How many characters the caret underlines (at least one).
    pub(crate) width: usize,
}

/// A place in an entry's source, named before its line is known. Resolve
/// and governance run after the sources were dropped (a 100,000-entry
/// build would hold them all), so they name the place and
/// [`crate::load::locate`] reads the file again to turn it into a
/// [`Location`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    /// These bytes of the file, underlined.
    Span { offset: usize, len: usize },
    /// A block starting at these bytes: the caret marks the line that opens
    /// it, as [`LineIndex::locate_line`] does.
    Block { offset: usize, len: usize },
    /// A key of the front matter, underlined where it is written.
    Key(&'static str),
    /// The `index`-th value of a front matter list (`tags = ["a", "b"]`),
    /// or with index 0 the value of a key that is no list, underlined where
    /// it is written; the key when it cannot be found.
    Item { key: &'static str, index: usize },
}

/// A second place a problem involves, in another file or the same one:
/// the entry a duplicate repeats. Shown below the first, as compilers show
/// where a name was first defined.
#[derive(Debug, Clone)]
pub(crate) struct Also {
    pub(crate) file: String,
    pub(crate) place: Option<Place>,
    pub(crate) location: Option<Box<Location>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root with `/` separators, when the problem
    /// belongs to a file.
    pub file: Option<String>,
    #[serde(skip)]
    pub(crate) location: Option<Box<Location>>,
    /// A place still to be located: see [`Place`].
    #[serde(skip)]
    pub(crate) place: Option<Place>,
    pub message: String,
    /// A boxed `str`, like the boxed `location`, so that functions that
    /// return `Result<_, Diagnostic>` stay cheap to return.
    pub(crate) help: Option<Box<str>>,
    /// What few diagnostics have, boxed so that the rest stay small.
    #[serde(skip)]
    pub(crate) more: Option<Box<More>>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct More {
    pub(crate) also: Option<Also>,
    /// Facts a machine reading `--format json` wants beside the message,
    /// under their own key (a failed search test's query and ranks).
    pub(crate) data: Option<(&'static str, serde_json::Value)>,
}

impl Diagnostic {
    pub(crate) fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub(crate) fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: None,
            location: None,
            place: None,
            message: message.into(),
            help: None,
            more: None,
        }
    }

    /// Adds `value` under `key` to the diagnostic's JSON.
    pub(crate) fn with_data(mut self, key: &'static str, value: serde_json::Value) -> Self {
        self.more.get_or_insert_with(Default::default).data = Some((key, value));
        self
    }

    /// The facts [`Diagnostic::with_data`] added, with their key.
    pub(crate) fn data(&self) -> Option<&(&'static str, serde_json::Value)> {
        self.more.as_ref()?.data.as_ref()
    }

    /// The second place the problem involves, if any.
    pub(crate) fn also(&self) -> Option<&Also> {
        self.more.as_ref()?.also.as_ref()
    }

    pub(crate) fn in_file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub(crate) fn at(mut self, location: Option<Location>) -> Self {
        self.location = location.map(Box::new);
        self
    }

    /// Names the place in the file; [`crate::load::locate`] finds its line
    /// before the diagnostic is shown.
    pub(crate) fn at_place(mut self, place: Place) -> Self {
        self.place = Some(place);
        self
    }

    /// Names a second place the problem involves, located like the first.
    pub(crate) fn also_at(mut self, file: impl Into<String>, place: Place) -> Self {
        self.more.get_or_insert_with(Default::default).also = Some(Also {
            file: file.into(),
            place: Some(place),
            location: None,
        });
        self
    }

    /// The second place as `file:line:column` (or the file alone).
    pub(crate) fn also_text(&self) -> Option<String> {
        let also = self.also()?;
        Some(match &also.location {
            Some(l) => format!("{}:{}:{}", printable(&also.file), l.line, l.column),
            None => printable(&also.file),
        })
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into().into_boxed_str());
        self
    }

    pub(crate) fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    pub(crate) fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }

    /// Compiler-style text: headline, `--> file:line:col`, the source line
    /// with a caret, and the help. Editors and terminals can jump to it.
    pub fn render(&self, color: bool) -> String {
        let (label, code) = match self.severity {
            Severity::Error => ("error", "\x1b[1;31m"),
            Severity::Warning => ("warning", "\x1b[1;33m"),
        };
        let mut out = String::new();
        let message = printable(&self.message);
        if color {
            let _ = writeln!(out, "{code}{label}\x1b[0m\x1b[1m: {message}\x1b[0m");
        } else {
            let _ = writeln!(out, "{label}: {message}");
        }
        let also_location = self.also().and_then(|a| a.location.as_deref());
        let gutter = [self.location.as_deref(), also_location]
            .into_iter()
            .flatten()
            .map(|l| l.line.to_string().len())
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            snippet(&mut out, &pad, "-->", file, self.location.as_deref());
        }
        if let Some(also) = self.also() {
            snippet(&mut out, &pad, ":::", &also.file, also.location.as_deref());
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {}", printable(help));
        }
        out
    }
}

/// One place of a rendered diagnostic: `{arrow} file:line:col` and the
/// line with its caret, or the file alone.
fn snippet(out: &mut String, pad: &str, arrow: &str, file: &str, location: Option<&Location>) {
    let file = printable(file);
    match location {
        Some(loc) => {
            let _ = writeln!(out, "{pad}{arrow} {file}:{}:{}", loc.line, loc.column);
            let (shown, indent, width) = excerpt(loc);
            let _ = writeln!(out, "{pad} |");
            let line = format!("{:>w$}", loc.line, w = pad.len());
            let _ = writeln!(out, "{line} | {shown}");
            let indent = " ".repeat(indent);
            let carets = "^".repeat(width);
            let _ = writeln!(out, "{pad} | {indent}{carets}");
        }
        None => {
            let _ = writeln!(out, "{pad}{arrow} {file}");
        }
    }
}

/// Characters of a source line shown around the caret.
const EXCERPT: usize = 120;

/// The part of a located line to print, the caret's indent and its width,
/// in characters. A long line (a 100,000-character paragraph) is cut to a
/// window around the column, marked with `…`, so the caret stays under the
/// problem: the window holds the whole underlined span and a few
/// characters after it, and up to 40 before it where there is room. Only a
/// span wider than the window is cut.
fn excerpt(loc: &Location) -> (String, usize, usize) {
    const AFTER: usize = 10;
    let chars: Vec<char> = loc.text.chars().collect();
    let column = loc.column.saturating_sub(1).min(chars.len());
    let span_end = (column + loc.width).min(chars.len());
    let start = if chars.len() <= EXCERPT || span_end + AFTER <= EXCERPT {
        0
    } else {
        let before = EXCERPT.saturating_sub(span_end - column + AFTER).min(40);
        column
            .saturating_sub(before)
            .min(chars.len().saturating_sub(EXCERPT))
    };
    let end = (start + EXCERPT).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(chars[start..end].iter().map(|&c| printable_char(c)));
    if end < chars.len() {
        shown.push('…');
    }
    let indent = column - start + usize::from(start > 0);
    let width = loc.width.min(end.saturating_sub(column)).max(1);
    (shown, indent, width)
}

/// Content text as it may be printed to a terminal or CI log: control
/// characters (an escape sequence in a file name or a link) become `�`,
/// tabs a space, so a file cannot rewrite the reader's screen.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars().map(printable_char).collect()
}

fn printable_char(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

/// The problems of one run, in the order they were found; [`Self::sorted`]
/// gives the stable order used for display.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> impl Iterator<Item = &mut Diagnostic> {
        self.items.iter_mut()
    }

    /// Sorted by file, line, column, then message, so that parallel stages
    /// still print the same report every run.
    pub(crate) fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (
                a.file.as_deref(),
                a.line(),
                a.column(),
                &a.message,
                a.severity,
            )
                .cmp(&(
                    b.file.as_deref(),
                    b.line(),
                    b.column(),
                    &b.message,
                    b.severity,
                ))
        });
        v
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<T: IntoIterator<Item = Diagnostic>>(iter: T) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

/// Byte offset to line and column, for one source text (every lookup
/// passes the same text). The line starts are found on the first lookup, so
/// every diagnostic in a file is a binary search, not a rescan, and a file
/// without any costs nothing.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    starts: std::sync::OnceLock<Vec<usize>>,
}

impl LineIndex {
    pub fn new() -> Self {
        Self::default()
    }

    fn starts(&self, text: &str) -> &[usize] {
        self.starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
            starts
        })
    }

    /// The location of `offset`, underlining `len` bytes of it.
    /// Like [`LineIndex::locate`], with the span cut at the end of its first
    /// line: for a block (a fenced include, a heading) the caret marks the
    /// line that opens it.
    pub(crate) fn locate_line(&self, text: &str, offset: usize, len: usize) -> Location {
        let first = text
            .get(offset..)
            .and_then(|rest| rest.find('\n'))
            .map_or(len, |n| n.min(len));
        self.locate(text, offset, first)
    }

    pub(crate) fn locate(&self, text: &str, offset: usize, len: usize) -> Location {
        let offset = offset.min(text.len());
        let starts = self.starts(text);
        let line = starts.partition_point(|&s| s <= offset).max(1);
        let start = starts[line - 1];
        let end = starts.get(line).map_or(text.len(), |&e| e - 1);
        let line_text = text.get(start..end).unwrap_or("").trim_end_matches('\r');
        let column = text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        let span_end = (offset + len).min(end).max(offset);
        let width = text.get(offset..span_end).map_or(1, |s| s.chars().count());
        Location {
            line,
            column,
            text: line_text.to_string(),
            width: width.max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_lines_and_columns() {
        let text = "first\nsecond línea\r\nthird";
        let idx = LineIndex::new();
        let loc = idx.locate(text, text.find("nea").unwrap(), 3);
        assert_eq!(loc.line, 2);
        assert_eq!(loc.column, 10);
        assert_eq!(loc.text, "second línea");
        assert_eq!(loc.width, 3);
        assert_eq!(idx.locate(text, 0, 0).line, 1);
        assert_eq!(idx.locate(text, text.len(), 0).line, 3);
    }

    #[test]
    fn renders_compiler_style() {
        let text = "a\nStart with [x](y.md).\n";
        let idx = LineIndex::new();
        let d = Diagnostic::error("link to unknown entry `y`")
            .in_file("content/faq/a.md")
            .at(Some(idx.locate(text, text.find("y.md").unwrap(), 4)))
            .help("did you mean `x`?");
        assert_eq!(
            d.render(false),
            "error: link to unknown entry `y`\n --> content/faq/a.md:2:16\n  |\n2 | Start with [x](y.md).\n  |                ^^^^\n  = help: did you mean `x`?\n"
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let text = format!("{}[x](bad.md){}", "a".repeat(100_000), "b".repeat(500));
        let idx = LineIndex::new();
        let at = text.find("bad.md").unwrap();
        let d = Diagnostic::error("e")
            .in_file("f.md")
            .at(Some(idx.locate(&text, at, 6)));
        let out = d.render(false);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].ends_with("f.md:1:100005"), "{out}");
        let shown = lines[3].strip_prefix("1 | ").unwrap();
        let carets = lines[4].strip_prefix("  | ").unwrap();
        assert!(shown.chars().count() <= EXCERPT + 2, "{shown}");
        let col = carets.find('^').unwrap();
        let under: String = shown.chars().skip(col).take(6).collect();
        assert_eq!(under, "bad.md", "{out}");
        assert_eq!(carets.trim_start(), "^^^^^^");
    }

    #[test]
    fn a_cut_line_keeps_the_whole_span_in_view() {
        // The span starts before the old window's edge and ends past it.
        for (before, target) in [(60, "x".repeat(80)), (300, "y".repeat(100))] {
            let text = format!("{}[[{target}]]{}", "a".repeat(before), "b".repeat(500));
            let idx = LineIndex::new();
            let at = text.find(&target).unwrap();
            let d = Diagnostic::error("e").in_file("f.md").at(Some(idx.locate(
                &text,
                at,
                target.len(),
            )));
            let out = d.render(false);
            let lines: Vec<&str> = out.lines().collect();
            let shown = lines[3].strip_prefix("1 | ").unwrap();
            let carets = lines[4].strip_prefix("  | ").unwrap();
            assert!(shown.chars().count() <= EXCERPT + 2, "{shown}");
            let col = carets.find('^').unwrap();
            let under: String = shown.chars().skip(col).take(target.len()).collect();
            assert_eq!(under, target, "{out}");
            assert_eq!(carets.trim_start(), "^".repeat(target.len()), "{out}");
        }
    }

    #[test]
    fn control_characters_are_not_printed() {
        let d = Diagnostic::error("link to `\x1b[2J`")
            .in_file("content/faq/a\x07.md")
            .help("x\x1b]0;title\x07");
        let out = d.render(false);
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains("link to `\u{fffd}[2J`"));
    }
}
