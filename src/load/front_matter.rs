//! Front matter: split the `+++` block off an entry and parse its TOML.
//!
//! Every error points into the `.md` file itself: TOML spans are relative to
//! the block, so the block's offset is added back before locating them.
//! Unknown keys are all reported in one go, each with the closest allowed key.

use crate::diag::{Diagnostic, LineIndex};
use serde::Deserialize;

/// The fields an entry may set. Anything else is an error that lists these.
pub(crate) const ALLOWED_FIELDS: &[&str] = &[
    "title",
    "description",
    "situation",
    "tags",
    "aliases",
    "related",
    "owner",
    "reviewed",
    "draft",
    "weight",
    "kind",
    "review_every",
    "valid_until",
    "extra",
];

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FrontMatter {
    pub(crate) title: Option<String>,
    pub(crate) description: Option<String>,
    pub situation: Option<String>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) related: Vec<String>,
    pub(crate) owner: Option<String>,
    pub(crate) reviewed: Option<toml::value::Datetime>,
    /// How often the entry must be reviewed: `"90d"`, `"12w"`, `"6m"`, `"1y"`.
    pub(crate) review_every: Option<String>,
    /// After this date the entry is expired: still readable, marked, and
    /// ranked below current entries in search.
    pub(crate) valid_until: Option<toml::value::Datetime>,
    #[serde(default)]
    pub(crate) draft: bool,
    pub(crate) weight: Option<i64>,
    pub(crate) kind: Option<String>,
    #[serde(default)]
    pub(crate) extra: toml::Table,
}

/// An entry's source cut in two. Offsets are bytes into the whole file.
#[derive(Debug)]
pub struct Split<'a> {
    pub(crate) front: &'a str,
    pub(crate) front_offset: usize,
    pub(crate) body_offset: usize,
}

/// The line a fence sits on, without its line ending and trailing blanks.
fn is_fence(line: &str, fence: &str) -> bool {
    line.trim_end() == fence
}

pub fn split<'a>(
    file: &str,
    source: &'a str,
    lines: &LineIndex,
) -> Result<Split<'a>, Box<Diagnostic>> {
    let first_end = source.find('\n').map_or(source.len(), |i| i + 1);
    let first = &source[..first_end];
    if source.trim().is_empty() {
        return Err(Box::new(
            Diagnostic::error("empty entry: the file has no front matter and no text")
                .in_file(file)
                .help("start the file with a `+++` block holding at least `title = \"…\"`, or delete it"),
        ));
    }
    if is_fence(first, "---") {
        return Err(Box::new(
            Diagnostic::error(
                "front matter uses YAML (`---`), but saywhen reads TOML between `+++` lines",
            )
            .in_file(file)
            .at(Some(lines.locate(source, 0, 3)))
            .help(yaml_hint(source)),
        ));
    }
    if !is_fence(first, "+++") {
        return Err(Box::new(
            Diagnostic::error("missing front matter: the first line must be `+++`")
                .in_file(file)
                .at(Some(lines.locate(source, 0, first.trim_end().len())))
                .help("begin the file with a `+++` line, the TOML fields (e.g. `title = \"…\"`), and another `+++` line"),
        ));
    }
    let mut offset = first_end;
    while offset < source.len() {
        let end = source[offset..]
            .find('\n')
            .map_or(source.len(), |i| offset + i + 1);
        if is_fence(&source[offset..end], "+++") {
            return Ok(Split {
                front: &source[first_end..offset],
                front_offset: first_end,
                body_offset: end,
            });
        }
        offset = end;
    }
    Err(Box::new(
        Diagnostic::error("front matter is never closed: no second `+++` line")
            .in_file(file)
            .at(Some(lines.locate(source, 0, 3)))
            .help("add a line `+++` after the last front matter field"),
    ))
}

/// Shows the TOML an author would write for a few simple YAML lines.
fn yaml_hint(source: &str) -> String {
    let mut shown = Vec::new();
    for line in source
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .take(4)
    {
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim();
            let value = if value.starts_with('[')
                || value.parse::<f64>().is_ok()
                || value == "true"
                || value == "false"
            {
                value.to_string()
            } else {
                format!("\"{}\"", value.trim_matches(['"', '\'']))
            };
            shown.push(format!("{} = {}", key.trim(), value));
        }
    }
    if shown.is_empty() {
        "replace both `---` lines with `+++` and write the fields as TOML (`title = \"…\"`)".into()
    } else {
        format!(
            "replace both `---` lines with `+++` and write the fields as TOML, e.g. `{}`",
            shown.join("`, `")
        )
    }
}

/// Parses the front matter block. All problems in it are returned together.
pub fn parse(
    file: &str,
    source: &str,
    split: &Split<'_>,
    lines: &LineIndex,
) -> Result<FrontMatter, Vec<Diagnostic>> {
    let front = split.front;
    let locate = |span: std::ops::Range<usize>| {
        Some(lines.locate(
            source,
            split.front_offset + span.start,
            span.end - span.start,
        ))
    };
    let toml_error = |e: toml::de::Error| {
        let message = e.message().trim_end().replace('\n', " ");
        let mut d = Diagnostic::error(format!("invalid front matter: {message}"))
            .in_file(file)
            .at(e.span().and_then(locate));
        d = if message.contains("datetime") || message.contains("date") {
            d.help("write dates without quotes, as `reviewed = 2026-01-31`")
        } else if message.contains("expected a sequence") || message.contains("expected an array") {
            d.help("lists are written in brackets, as `tags = [\"angry\", \"legal\"]`")
        } else {
            d.help("front matter is TOML: `key = \"text\"`, `tags = [\"a\", \"b\"]`, `reviewed = 2026-01-31`")
        };
        d
    };
    // Parsed once: the keys are checked on the parsed table, which is then
    // read into the fields.
    let table = toml::de::DeTable::parse(front).map_err(|e| vec![toml_error(e)])?;
    let mut errors = Vec::new();
    for key in table.get_ref().keys() {
        let key: &str = key.get_ref();
        if !ALLOWED_FIELDS.contains(&key) {
            let suggestion = crate::text::suggest::closest(key, ALLOWED_FIELDS.iter().copied())
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            errors.push(
                Diagnostic::error(format!("unknown front matter field `{key}`"))
                    .in_file(file)
                    .at(key_span(front, key).and_then(locate))
                    .help(format!(
                        "{suggestion}allowed fields are: {}; free-form values go in an `[extra]` table",
                        ALLOWED_FIELDS.join(", ")
                    )),
            );
        }
    }
    errors.sort_by_key(|d| d.line());
    let front_matter = match FrontMatter::deserialize(toml::de::Deserializer::from(table)) {
        Ok(fm) => fm,
        Err(e) => {
            errors.push(toml_error(e));
            return Err(errors);
        }
    };
    if errors.is_empty() {
        Ok(front_matter)
    } else {
        Err(errors)
    }
}

/// The byte span of a top-level `key =` line in the block, for locating
/// problems with that key.
pub(crate) fn key_span(front: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with('[') {
            // A table header: keys below it are not top-level any more.
            break;
        }
        let name = trimmed.trim_start_matches(['"', '\'']);
        if let Some(rest) = name.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if rest.starts_with('=') {
                let start = offset + indent;
                return Some(start..start + key.len());
            }
        }
        offset += line.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let lines = LineIndex::new();
        let sp = split("f.md", src, &lines).map_err(|d| vec![*d])?;
        parse("f.md", src, &sp, &lines)
    }

    #[test]
    fn splits_and_parses() {
        let fm =
            run("+++\ntitle = \"A\"\ntags = [\"x\"]\nreviewed = 2026-01-02\n+++\nbody\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
        assert_eq!(fm.tags, vec!["x"]);
        assert!(fm.reviewed.is_some());
    }

    #[test]
    fn crlf_fences_work() {
        let fm = run("+++\r\ntitle = \"A\"\r\n+++\r\nbody\r\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("A"));
    }

    #[test]
    fn unknown_fields_all_reported_with_lines() {
        let errs =
            run("+++\ntitle = \"A\"\ntag = [\"x\"]\nowner = \"me\"\nrevewed = 2026-01-01\n+++\n")
                .unwrap_err();
        assert_eq!(errs.len(), 2);
        assert_eq!(errs[0].line(), Some(3));
        assert!(
            errs[0]
                .help
                .as_deref()
                .unwrap()
                .starts_with("did you mean `tags`?")
        );
        assert_eq!(errs[1].line(), Some(5));
    }

    #[test]
    fn toml_syntax_error_maps_to_file_line() {
        let errs = run("+++\ntitle = \"A\"\n\ndescription = \"unterminated\n+++\n").unwrap_err();
        assert_eq!(errs[0].line(), Some(4), "{:?}", errs[0]);
    }

    #[test]
    fn wrong_type_is_located() {
        let errs = run("+++\ntitle = \"A\"\ntags = \"x\"\n+++\n").unwrap_err();
        assert_eq!(errs[0].line(), Some(3), "{:?}", errs[0]);
    }

    #[test]
    fn yaml_and_unclosed_are_explained() {
        let errs = run("---\ntitle: Hello\n---\n").unwrap_err();
        assert!(errs[0].message.contains("YAML"));
        assert!(
            errs[0]
                .help
                .as_deref()
                .unwrap()
                .contains("title = \"Hello\"")
        );
        let errs = run("+++\ntitle = \"A\"\n").unwrap_err();
        assert!(errs[0].message.contains("never closed"));
        let errs = run("").unwrap_err();
        assert!(errs[0].message.contains("empty"));
    }
}
