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

impl FrontMatter {
    /// The `tags` as written, before they are normalised.
    pub fn tags(&self) -> &[String] {
        &self.tags
    }

    /// The `aliases`: other wordings of the entry's situation or title.
    pub fn aliases(&self) -> &[String] {
        &self.aliases
    }

    /// The `description`, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
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

/// Shows the TOML an author would write for the first few YAML fields.
/// Every field shown is valid TOML on its own: text is quoted and escaped,
/// lists (`[a, b]` or `- a` lines) become lists of quoted text, and only
/// what TOML reads bare (numbers, `true`, dates) stays bare.
fn yaml_hint(source: &str) -> String {
    let mut shown = Vec::new();
    let mut lines = source
        .lines()
        .skip(1)
        .take_while(|l| l.trim_end() != "---")
        .peekable();
    while let Some(line) = lines.next() {
        if shown.len() == 4 {
            break;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if line.starts_with([' ', '\t', '-', '#']) || key.trim().is_empty() {
            continue;
        }
        let value = value.trim();
        let value = if value.is_empty() {
            // A block list: the `- item` lines below the key.
            let mut items = Vec::new();
            while let Some(item) = lines
                .peek()
                .and_then(|l| l.trim_start().strip_prefix('-'))
                .filter(|_| lines.peek().is_some_and(|l| l.starts_with([' ', '-'])))
            {
                items.push(yaml_scalar(item.trim()));
                lines.next();
            }
            format!("[{}]", items.join(", "))
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            let items: Vec<String> = split_flow_list(inner)
                .into_iter()
                .map(|item| yaml_scalar(item.trim()))
                .collect();
            format!("[{}]", items.join(", "))
        } else {
            yaml_scalar(value)
        };
        shown.push(format!("{} = {}", toml_key(key.trim()), value));
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

/// A YAML key as a TOML key: bare when TOML allows it, quoted otherwise.
fn toml_key(key: &str) -> String {
    let key = key.trim_matches(['"', '\'']);
    if !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        key.to_string()
    } else {
        toml_text(key)
    }
}

/// One YAML value as TOML: kept bare when TOML reads it as a number, a
/// boolean or a date, otherwise text in quotes.
fn yaml_scalar(value: &str) -> String {
    let bare = toml::from_str::<toml::Table>(&format!("v = {value}"))
        .ok()
        .and_then(|t| t.get("v").cloned())
        .filter(|v| {
            matches!(
                v,
                toml::Value::Integer(_)
                    | toml::Value::Float(_)
                    | toml::Value::Boolean(_)
                    | toml::Value::Datetime(_)
            )
        });
    if bare.is_some() {
        return value.to_string();
    }
    let unquoted = match value.as_bytes() {
        [b'"', .., b'"'] | [b'\'', .., b'\''] if value.len() >= 2 => &value[1..value.len() - 1],
        _ => value,
    };
    toml_text(unquoted)
}

/// `s` as a one-line TOML string, its quotes and backslashes escaped.
fn toml_text(s: &str) -> String {
    use toml_writer::ToTomlValue as _;
    toml_writer::TomlStringBuilder::new(s)
        .as_basic()
        .to_toml_value()
}

/// The items of a YAML flow list's inside, split at commas outside quotes.
fn split_flow_list(inner: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in inner.char_indices() {
        match (c, quote) {
            ('"' | '\'', None) => quote = Some(c),
            (c, Some(q)) if c == q => quote = None,
            (',', None) => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items.retain(|item| !item.trim().is_empty());
    items
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
            d.help("write the date as year-month-day without quotes, as `reviewed = 2026-01-31`")
        } else if message.contains("expected a sequence") || message.contains("expected an array") {
            d.help("lists are written in brackets, as `tags = [\"angry\", \"legal\"]`")
        } else {
            d.help("front matter is TOML: `key = \"text\"`, `tags = [\"a\", \"b\"]`, `reviewed = 2026-01-31`")
        };
        d
    };
    // A date written as people write it is answered at once with the form
    // to use: TOML would reject it unquoted, and quoted it is only text.
    // Its line is then blanked (same length, so every other span holds) for
    // the rest of the block to be checked in the same run.
    let dates = misspelled_dates(front);
    let mut errors: Vec<Diagnostic> = dates
        .iter()
        .map(|date| {
            Diagnostic::error(date.message.clone())
                .in_file(file)
                .at(locate(date.value.clone()))
                .help(date.help.clone())
        })
        .collect();
    let blanked;
    let front = if dates.is_empty() {
        front
    } else {
        let mut text = front.to_string();
        for date in &dates {
            text.replace_range(date.line.clone(), &" ".repeat(date.line.len()));
        }
        blanked = text;
        blanked.as_str()
    };
    // Parsed once: the keys are checked on the parsed table, which is then
    // read into the fields.
    let table = match toml::de::DeTable::parse(front) {
        Ok(table) => table,
        Err(e) => {
            errors.push(toml_error(e));
            errors.sort_by_key(|d| d.line());
            return Err(errors);
        }
    };
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

/// A date field written some way other than a bare `2026-12-01`.
struct MisspelledDate {
    /// The field's line in the block, from its key to the line's end.
    line: std::ops::Range<usize>,
    /// The value as written, quotes included.
    value: std::ops::Range<usize>,
    message: String,
    help: String,
}

/// The front matter's date fields written some way other than a bare
/// `2026-12-01`, in the block's order.
fn misspelled_dates(front: &str) -> Vec<MisspelledDate> {
    use super::date_spelling::{Reading, read, spoken};
    let mut found = Vec::new();
    for key in ["reviewed", "valid_until"] {
        let Some(at) = key_span(front, key) else {
            continue;
        };
        let line_end = front[at.end..]
            .find('\n')
            .map_or(front.len(), |i| at.end + i);
        let rest = &front[at.end..line_end];
        let Some(eq) = rest.find('=') else { continue };
        let after = &rest[eq + 1..];
        let start = at.end + eq + 1 + (after.len() - after.trim_start().len());
        let value = front[start..line_end].trim_end();
        // A quoted value ends at its closing quote; a bare one at a comment.
        let value = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].find(q).map_or(value, |i| &value[..i + 2]),
            _ => value.split('#').next().unwrap_or("").trim_end(),
        };
        let Some(reading) = read(value) else { continue };
        let quoted = value.starts_with(['"', '\'']);
        let written = value.trim_matches(['"', '\'']).trim();
        let message = if quoted {
            format!("`{key} = {value}` is text in quotes, not a date")
        } else {
            format!("`{key} = {value}` is not a date saywhen can read")
        };
        let form = "write the date as year-month-day without quotes";
        let help = match reading {
            Reading::One {
                date,
                assumed: None,
            } => format!("{form}: `{key} = {date}`"),
            Reading::One {
                date,
                assumed: Some(order),
            } => format!(
                "{form}: `{key} = {date}` ({written} read as {order}, {} {})",
                spoken(date),
                date.year()
            ),
            Reading::Either {
                month_first,
                day_first,
            } => format!(
                "{written} could be {} or {} {}: {form}: `{key} = {month_first}` for {}, `{key} = {day_first}` for {}",
                spoken(month_first),
                spoken(day_first),
                month_first.year(),
                spoken(month_first),
                spoken(day_first),
            ),
        };
        found.push(MisspelledDate {
            line: at.start..line_end,
            value: start..start + value.len(),
            message,
            help,
        });
    }
    found.sort_by_key(|date| date.line.start);
    found
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

/// Where the `index`-th value of the top-level list `key` is written in
/// `front`, quotes included (a lone value counts as a list of one); `None`
/// when the front matter does not parse or has no such value.
pub(crate) fn item_span(front: &str, key: &str, index: usize) -> Option<std::ops::Range<usize>> {
    use toml::de::{DeTable, DeValue};
    let table = DeTable::parse(front).ok()?;
    let value = table.get_ref().get(key)?;
    match value.get_ref() {
        DeValue::Array(items) => items.get(index).map(|item| item.span()),
        _ if index == 0 => Some(value.span()),
        _ => None,
    }
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

    /// The fields a YAML hint suggests, each parsed as TOML on its own.
    fn suggested(yaml: &str) -> Vec<(String, toml::Table)> {
        let hint = yaml_hint(yaml);
        let (_, fields) = hint.split_once("e.g. `").expect(&hint);
        fields
            .strip_suffix('`')
            .unwrap()
            .split("`, `")
            .map(|field| {
                let table =
                    toml::from_str(field).unwrap_or_else(|e| panic!("`{field}` is not TOML: {e}"));
                (field.to_string(), table)
            })
            .collect()
    }

    #[test]
    fn yaml_hints_are_valid_toml() {
        let fields = suggested(
            "---\ntitle: He said \"no\" \\ twice\ntags: [hardship, payment, \"upset, angry\"]\nreviewed: 2026-01-31\nweight: 3\n---\n",
        );
        let shown: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            shown,
            [
                r#"title = "He said \"no\" \\ twice""#,
                r#"tags = ["hardship", "payment", "upset, angry"]"#,
                "reviewed = 2026-01-31",
                "weight = 3",
            ]
        );
        assert_eq!(
            fields[0].1["title"].as_str(),
            Some(r#"He said "no" \ twice"#)
        );
        assert_eq!(fields[1].1["tags"].as_array().unwrap().len(), 3);
        assert!(fields[2].1["reviewed"].is_datetime());

        let fields = suggested(
            "---\ntags:\n  - hardship\n  - payment\nowner: 'Billing: UK'\ndraft: yes\n---\n",
        );
        let shown: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            shown,
            [
                r#"tags = ["hardship", "payment"]"#,
                r#"owner = "Billing: UK""#,
                r#"draft = "yes""#,
            ]
        );
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
