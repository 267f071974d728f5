//! Parsing one entry: a Markdown file's bytes, by its content-relative
//! path, into an [`Entry`] (front matter, slug, title, body), with the
//! problems found on the way. [`EntryParser`] is the one way to do it, for
//! `load`, `serve`, the fuzz target and the tests alike.

use super::entry::{Digests, Entry};
use super::{CONTENT_DIR, Kind, front_matter, kind, markdown};
use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics, LineIndex};
use crate::governance::Wording;
use crate::slug::{
    MAX_NAME_BYTES, MAX_SLUG_BYTES, PAGE_EXTENSION, abbreviate, page_name_too_long, slugify,
};
use markdown::ParseInput;
use std::collections::BTreeSet;

/// One parsed file: the entry and the warnings that leave it published, or
/// `None` for a file that is not an entry and needs no word (in a folder
/// starting with `_`).
pub type Loaded = Option<(Entry, Vec<Diagnostic>)>;

/// Parses the entries of one site: its settings, the files beside the
/// entries (which links and images may name) and its wording rules,
/// compiled once for every file it parses.
pub struct EntryParser<'a> {
    config: &'a SiteConfig,
    assets: &'a BTreeSet<String>,
    wording: Wording<'a>,
}

impl<'a> EntryParser<'a> {
    pub fn new(config: &'a SiteConfig, assets: &'a BTreeSet<String>) -> Self {
        EntryParser {
            config,
            assets,
            wording: Wording::new(&config.lint.forbidden),
        }
    }

    /// Parses one Markdown file from its content-relative path and its
    /// bytes. A file outside the kinds' folders is an `Err` holding one
    /// warning, or `Ok(None)` in a folder starting with `_`; a file in them
    /// need not be read first. Never panics, whatever the bytes (the fuzz
    /// target and property tests call it).
    pub fn parse(&self, rel: &str, bytes: Vec<u8>) -> Result<Loaded, Vec<Diagnostic>> {
        let EntryParser {
            config,
            assets,
            wording,
        } = self;
        let file = format!("{CONTENT_DIR}/{rel}");
        let mut warnings = Vec::new();
        let Some(kind) = Kind::of_file(rel) else {
            if rel.starts_with('_') {
                return Ok(None);
            }
            warnings.push(
                Diagnostic::warning("Markdown file outside the entry folders is not published")
                    .in_file(file)
                    .help(format!(
                        "move it into {}; folders starting with `_` are ignored silently",
                        kind::listed(Kind::ALL.map(|k| format!("content/{}/", k.dir())), "or")
                    )),
            );
            return Err(warnings);
        };
        let source = source_text(&file, bytes).map_err(|d| vec![d])?;
        let lines = LineIndex::new();
        let split = front_matter::split(&file, &source, &lines).map_err(|d| vec![*d])?;
        let front_offset = split.front_offset;
        let body_offset = split.body_offset;
        let front = front_matter::parse(&file, &source, &split, &lines)?;
        let tags_at = || {
            front_matter::key_span(split.front, "tags")
                .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start))
        };
        let mut errors = Vec::new();
        for tag in &front.tags {
            if tag.trim().is_empty() {
                warnings.push(
                    Diagnostic::warning("empty tag is ignored")
                        .in_file(&file)
                        .at(tags_at())
                        .help("remove the empty string from `tags`"),
                );
            } else if slugify(tag).is_empty() {
                errors.push(
                    Diagnostic::error(format!(
                        "tag `{}` has no letters or digits",
                        tag.trim()
                    ))
                    .in_file(&file)
                    .at(tags_at())
                    .help("each tag gets a page named after its letters and digits (`tags/<tag>.html`); use a word"),
                );
            } else {
                let tag_slug = slugify(&crate::text::tags::normalize_tag(tag));
                if let Some(len) = page_name_too_long(&tag_slug) {
                    errors.push(
                        Diagnostic::error(format!(
                            "tag `{}` is too long: its page, `tags/{}{PAGE_EXTENSION}`, would be {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                            abbreviate(tag.trim(), 40),
                            abbreviate(&tag_slug, 40),
                        ))
                        .in_file(&file)
                        .at(tags_at())
                        .help(format!(
                            "shorten the tag: its page is named after its letters and digits, which may take at most {MAX_SLUG_BYTES} bytes (a letter outside ASCII takes 2 to 4); a tag is meant to be a word or two"
                        )),
                    );
                }
            }
        }
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md");
        let slug = slugify(stem);
        if slug.is_empty() {
            errors.push(
                Diagnostic::error("file name gives an empty slug")
                    .in_file(&file)
                    .help(
                        "name the file with letters or digits, e.g. `customer-threatens-to-sue.md`",
                    ),
            );
        } else if let Some(len) = page_name_too_long(&slug) {
            errors.push(
                Diagnostic::error(format!(
                    "file name is too long: its page, `{}/{}{PAGE_EXTENSION}`, would be {len} bytes, and file systems allow {MAX_NAME_BYTES}",
                    kind.dir(),
                    abbreviate(&slug, 40),
                ))
                .in_file(&file)
                .help(format!(
                    "rename the file: its page is named after it, so its name without `.md` may take at most {MAX_SLUG_BYTES} bytes (a letter outside ASCII takes 2 to 4)"
                )),
            );
        }
        let title = match (kind.derives_title(), &front.title, &front.situation) {
            (_, Some(title), _) if !title.trim().is_empty() => title.trim().to_string(),
            (true, _, Some(situation)) if !situation.trim().is_empty() => {
                format!("What should I say when {}?", clean_situation(situation))
            }
            (true, _, _) => {
                errors.push(
                    Diagnostic::error(format!("{} entry has no `situation`", kind.label()))
                        .in_file(&file)
                        .at(Some(lines.locate(&source, 0, 3)))
                        .help("add `situation = \"the customer threatens to sue\"`: it becomes the title and the A–Z index entry"),
                );
                String::new()
            }
            _ => {
                errors.push(
                    Diagnostic::error(format!("{} has no `title`", kind.name()))
                        .in_file(&file)
                        .at(Some(lines.locate(&source, 0, 3)))
                        .help("add `title = \"…\"` to the front matter"),
                );
                String::new()
            }
        };
        if let Some(declared) = &front.kind
            && declared != kind.name()
            && declared != kind.dir()
        {
            let loc = front_matter::key_span(split.front, "kind")
                .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start));
            errors.push(
                Diagnostic::error(format!(
                    "`kind = \"{declared}\"` disagrees with the folder, which makes this a {}",
                    kind.name()
                ))
                .in_file(&file)
                .at(loc)
                .help(format!(
                    "move the file to content/{}/ or remove the `kind` field",
                    Kind::ALL
                        .into_iter()
                        .find(|k| k.name() == declared || k.dir() == declared)
                        .map_or("<kind>", |k| k.dir())
                )),
            );
        }
        if front.situation.is_some() && !kind.derives_title() {
            let situated = || Kind::ALL.into_iter().filter(|k| k.derives_title());
            warnings.push(
                Diagnostic::warning(format!(
                    "`situation` is only used by {}",
                    kind::listed(situated().map(|k| format!("{} entries", k.label())), "and")
                ))
                .in_file(&file)
                .at(front_matter::key_span(split.front, "situation")
                    .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start)))
                .help(format!(
                    "move the entry to {}, or remove `situation`",
                    kind::listed(situated().map(|k| format!("content/{}/", k.dir())), "or")
                )),
            );
        }
        if front.owner.as_deref().is_some_and(|o| o.trim().is_empty()) {
            warnings.push(
                Diagnostic::warning("`owner` is empty: nobody is named to keep this entry correct")
                    .in_file(&file)
                    .at(front_matter::key_span(split.front, "owner")
                        .map(|s| lines.locate(&source, front_offset + s.start, s.end - s.start)))
                    .help("write the person or team who reviews the entry, as `owner = \"Billing team\"`; they add `reviewed = YYYY-MM-DD` once they have checked it"),
            );
        }
        unfinished(&file, &source, body_offset, &lines, &mut warnings);
        let input = ParseInput {
            file: &file,
            dir: rel.rsplit_once('/').map_or("", |(d, _)| d),
            source: &source,
            body_offset,
            lines: &lines,
            is_playbook: kind.has_steps(),
            raw_html: config.markdown.raw_html,
            allow_unsafe_links: config.markdown.allow_unsafe_links,
            assets,
        };
        let (mut body, body_diagnostics) = markdown::parse(&input);
        // The pass warns too (heading attributes it leaves out): a warning
        // must not keep the entry from being published.
        let (body_errors, body_warnings): (Vec<_>, Vec<_>) = body_diagnostics
            .into_iter()
            .partition(|d| d.severity == crate::diag::Severity::Error);
        errors.extend(body_errors);
        warnings.extend(body_warnings);
        let flow_errors = std::mem::take(&mut body.flow_errors);
        if !errors.is_empty() {
            errors.extend(flow_errors);
            errors.extend(warnings);
            return Err(errors);
        }
        let digests = Digests::of(
            &file,
            kind,
            &slug,
            &title,
            &front,
            &body,
            &source,
            body_offset.min(source.len()),
        );
        let mut found: Diagnostics = flow_errors.into_iter().collect();
        wording.lint(&file, &source, &lines, body_offset, &mut found);
        Ok(Some((
            Entry {
                url: format!("{}/{slug}.html", kind.dir()),
                reviewed: front.reviewed.as_ref().map(|d| d.to_string()),
                file,
                kind,
                slug,
                title,
                front,
                body,
                wording: found,
                digests,
            },
            warnings,
        )))
    }
}

/// Warns about each line of the body that is still one of the template's
/// placeholders (`saywhen new` writes them for the author to replace):
/// agents would read "First thing to say." as advice.
fn unfinished(
    file: &str,
    source: &str,
    body_offset: usize,
    lines: &LineIndex,
    warnings: &mut Vec<Diagnostic>,
) {
    let placeholders = || Kind::ALL.into_iter().flat_map(|k| k.info().placeholders);
    let mut offset = body_offset.min(source.len());
    for line in source[offset..].split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let text = line.trim_start().trim_start_matches('#').trim();
        let Some(placeholder) = placeholders().find(|p| **p == text) else {
            continue;
        };
        let start = here + line.find(text).unwrap_or(0);
        let is_heading = line.trim_start().starts_with('#');
        warnings.push(
            Diagnostic::warning(format!(
                "template text left in the entry: “{placeholder}”"
            ))
            .in_file(file)
            .at(Some(lines.locate(source, start, text.len())))
            .help(if is_heading {
                "`saywhen new` wrote this heading as an example: rename it for what the step does, or delete it"
            } else {
                "`saywhen new` wrote this line as an example: replace it with the entry's own words, or delete it"
            }),
        );
    }
}

/// A Markdown file's bytes as text: UTF-8 required, a byte-order mark
/// dropped, NUL replaced as CommonMark does (render's link slots rely on
/// no NUL surviving).
pub(crate) fn source_text(file: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let mut source = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => return Err(not_utf8(file, e.as_bytes(), e.utf8_error().valid_up_to())),
    };
    if let Some(stripped) = source.strip_prefix('\u{feff}') {
        source = stripped.to_string();
    }
    if source.contains('\0') {
        source = source.replace('\0', "\u{fffd}");
    }
    Ok(source)
}

/// The error for a file that is not UTF-8, located at the first bad byte.
pub(crate) fn not_utf8(file: &str, bytes: &[u8], valid: usize) -> Diagnostic {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error("file is UTF-16, not UTF-8")
            .in_file(file)
            .help("save the file with UTF-8 encoding (Notepad: Save as → Encoding: UTF-8)");
    }
    // The valid prefix is UTF-8, so line and column count as editors do.
    let before = std::str::from_utf8(&bytes[..valid]).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let line = before.matches('\n').count() + 1;
    let column = before[line_start..].chars().count() + 1;
    let line_end = bytes[valid..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| valid + i);
    let text = String::from_utf8_lossy(&bytes[line_start..line_end])
        .trim_end_matches('\r')
        .to_string();
    let bad = bytes[valid];
    Diagnostic::error(format!(
        "file is not valid UTF-8 (bad byte 0x{bad:02x} on line {line})"
    ))
    .in_file(file)
    .at(Some(crate::diag::Location {
        line,
        column,
        text,
        width: 1,
    }))
    .help("save the file with UTF-8 encoding (most editors: \"Save with encoding\" → UTF-8); files from older Windows tools are often Windows-1252")
}

/// "The customer threatens to sue?" → "the customer threatens to sue".
pub fn clean_situation(situation: &str) -> String {
    situation
        .trim()
        .trim_end_matches(['?', '.'])
        .trim()
        .to_string()
}
