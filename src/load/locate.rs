//! Lines for the places later stages name. Resolve and check run after
//! each entry's text was dropped, so they name a [`Place`]; here the few
//! files with a problem are read again to find its line and column.

use super::{content_relative, front_matter, read_content, source_text};
use crate::diag::{Diagnostics, LineIndex, Location, Place};
use std::collections::BTreeMap;
use std::path::Path;

/// Turns every [`Place`] into a [`Location`], reading each file named once.
/// A file that cannot be read again, or a front matter key no longer
/// written, leaves the diagnostic with the file name alone. A file saved
/// between load and here is located in its new text; `serve` rebuilds on
/// that save anyway.
pub(crate) fn locate(root: &Path, diagnostics: &mut Diagnostics) {
    type Slot<'d> = (&'d mut Option<Place>, &'d mut Option<Box<Location>>);
    let mut by_file: BTreeMap<String, Vec<Slot<'_>>> = BTreeMap::new();
    for d in diagnostics.iter_mut() {
        if d.place.is_some()
            && let Some(file) = d.file.clone()
        {
            by_file
                .entry(file)
                .or_default()
                .push((&mut d.place, &mut d.location));
        }
        if let Some(also) = d.more.as_deref_mut().and_then(|m| m.also.as_mut())
            && also.place.is_some()
        {
            by_file
                .entry(also.file.clone())
                .or_default()
                .push((&mut also.place, &mut also.location));
        }
    }
    for (file, found) in by_file {
        let text = content_relative(&file)
            .and_then(|rel| read_content(root, rel).ok())
            .and_then(|bytes| source_text(&file, bytes).ok());
        let lines = LineIndex::new();
        for (place, location) in found {
            let place = place.take();
            *location = text
                .as_deref()
                .zip(place)
                .and_then(|(text, place)| find(&file, text, &lines, place))
                .map(Box::new);
        }
    }
}

fn find(file: &str, text: &str, lines: &LineIndex, place: Place) -> Option<Location> {
    match place {
        Place::Span { offset, len } => Some(lines.locate(text, offset, len)),
        Place::Block { offset, len } => Some(lines.locate_line(text, offset, len)),
        Place::Key(key) => {
            let split = front_matter::split(file, text, lines).ok()?;
            let span = front_matter::key_span(split.front, key)?;
            Some(lines.locate(text, split.front_offset + span.start, span.end - span.start))
        }
        Place::Item { key, index } => {
            let split = front_matter::split(file, text, lines).ok()?;
            let span = front_matter::item_span(split.front, key, index)
                .or_else(|| front_matter::key_span(split.front, key))?;
            Some(lines.locate(text, split.front_offset + span.start, span.end - span.start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Diagnostic;

    #[test]
    fn places_become_lines_read_from_the_file() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("content/faq")).unwrap();
        let text = "+++\ntitle = \"A\"\ntags = [\"x\"]\n+++\nSee [b](b.md).\n\n```snippet s\n```\n";
        std::fs::write(root.path().join("content/faq/a.md"), text).unwrap();
        let in_a = |place| {
            Diagnostic::error("e")
                .in_file("content/faq/a.md")
                .at_place(place)
        };
        let link = text.find("b.md").unwrap();
        let block = text.find("```snippet").unwrap();
        let mut found: Diagnostics = [
            in_a(Place::Span {
                offset: link,
                len: 4,
            }),
            in_a(Place::Block {
                offset: block,
                len: "```snippet s\n```".len(),
            }),
            in_a(Place::Key("tags")),
            in_a(Place::Key("owner")),
            in_a(Place::Item {
                key: "tags",
                index: 0,
            }),
            in_a(Place::Item {
                key: "tags",
                index: 5,
            }),
            Diagnostic::error("gone")
                .in_file("content/faq/gone.md")
                .at_place(Place::Key("tags")),
        ]
        .into_iter()
        .collect();
        locate(root.path(), &mut found);
        let at: Vec<_> = found
            .iter()
            .map(|d| {
                assert_eq!(d.place, None, "every place is consumed");
                d.location.as_ref().map(|l| (l.line, l.column, l.width))
            })
            .collect();
        assert_eq!(
            at,
            [
                Some((5, 9, 4)),
                Some((7, 1, "```snippet s".len())),
                Some((3, 1, 4)),
                None,
                Some((3, 9, 3)),
                Some((3, 1, 4)),
                None
            ]
        );
    }
}
