//! `saywhen new KIND TITLE`: a new entry with its front matter and the
//! section headings its kind uses, under a slug derived from the title.
//!
//! Whatever title it accepts, the file it writes loads and checks cleanly:
//! a title is refused when it holds a control character (a line break would
//! end the front matter early) or gives a slug the site cannot take (none,
//! `index`, or one another entry has), a long one is shortened to fit a
//! file name, and the title is written as a one-line TOML string with its
//! quotes and backslashes escaped.

use super::Exit;
use crate::diag::Diagnostics;
use crate::load::{CONTENT_DIR, Kind};
use crate::slug::{MAX_SLUG_BYTES, shorten, slugify};
use anyhow::{Context as _, bail};
use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};
use std::io::Write as _;
use std::path::Path;

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_parser = kind_parser())]
    pub(crate) kind: Kind,
    #[arg(help = title_help())]
    pub(crate) title: String,
}

/// Accepts the name of any kind of the table of kinds, and lists them all
/// in `--help` and in the error for any other word.
fn kind_parser() -> impl TypedValueParser<Value = Kind> {
    PossibleValuesParser::new(Kind::ALL.map(Kind::name))
        .map(|name| Kind::from_name(&name).expect("clap accepts the kinds' names alone"))
}

/// `TITLE`'s help, naming the kinds that take a situation instead.
fn title_help() -> String {
    let situated = Kind::ALL
        .into_iter()
        .filter(|k| k.derives_title())
        .map(|k| format!("`{}`", k.name()));
    format!(
        "The title; for {}, the situation (\"the customer threatens to sue\")",
        crate::load::listed(situated, "or")
    )
}

/// The file slug: the title's slug, without a leading article when the
/// title is a situation ("the customer threatens to sue" →
/// `customer-threatens-to-sue`), cut at a word to fit a page's file name.
pub(crate) fn slug_for(kind: Kind, title: &str) -> String {
    let mut slug = slugify(title);
    if kind.derives_title() {
        for article in ["the-", "a-", "an-"] {
            if let Some(rest) = slug.strip_prefix(article) {
                slug = rest.to_string();
                break;
            }
        }
    }
    shorten(&slug, MAX_SLUG_BYTES).to_string()
}

/// `s` as a TOML basic string: always one line, whatever it holds.
fn toml_string(s: &str) -> String {
    use toml_writer::ToTomlValue as _;
    toml_writer::TomlStringBuilder::new(s)
        .as_basic()
        .to_toml_value()
}

/// Why `title` cannot be an entry's title, if it cannot: a control
/// character, named and placed, since most are invisible in a terminal.
fn title_problem(title: &str) -> Option<String> {
    let (at, c) = title.chars().enumerate().find(|(_, c)| c.is_control())?;
    let name = match c {
        '\n' | '\r' => "a line break".to_string(),
        '\t' => "a tab".to_string(),
        c => format!("the control character U+{:04X}", u32::from(c)),
    };
    Some(format!(
        "the title holds {name} (character {}); a title is one line of text, so remove it",
        at + 1
    ))
}

/// Where `reviewed` would be: a new entry has not been reviewed, and a
/// date here would show it as verified from the first build. The owner
/// writes the line once they have checked the entry.
const REVIEWED_NOTE: &str =
    "# The owner adds `reviewed = YYYY-MM-DD` (no quotes) on the day they review this entry.";

/// The slug and text of the entry `new` writes for `title`, or why it
/// refuses the title.
pub(crate) fn entry_for(kind: Kind, title: &str) -> Result<(String, String), String> {
    let title = title.trim();
    if let Some(problem) = title_problem(title) {
        return Err(problem);
    }
    let slug = slug_for(kind, title);
    if slug.is_empty() {
        return Err(format!(
            "the title `{title}` has no letters or digits to make a file name from"
        ));
    }
    if slug == "index" {
        return Err(format!(
            "the title `{title}` would make the file `{}/index.md`, but `index` is the name of each kind's listing page; choose another title",
            kind.dir()
        ));
    }
    let head = if kind.derives_title() {
        format!(
            "situation = {}",
            toml_string(&crate::load::clean_situation(title))
        )
    } else {
        format!("title = {}", toml_string(title))
    };
    let body = kind.info().new_body;
    let text = format!(
        "+++\n{head}\ndescription = \"\"\ntags = []\naliases = []\nrelated = []\nowner = \"\"\n{REVIEWED_NOTE}\n+++\n\n{body}"
    );
    Ok((slug, text))
}

/// The entry under `content/` that already has `slug`, of any kind and in
/// any sub-folder: slugs are unique across kinds, since wikilinks find
/// entries by slug alone.
fn entry_with_slug(root: &Path, slug: &str) -> anyhow::Result<Option<String>> {
    let content = root.join(CONTENT_DIR);
    if !content.is_dir() {
        return Ok(None);
    }
    // Problems with other files are `check`'s to report.
    let (markdown, _) = crate::load::discover(&content, &mut Diagnostics::new())?;
    Ok(markdown.into_iter().find(|rel| {
        let is_entry = Kind::of_file(rel).is_some();
        let stem = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md");
        is_entry && slugify(stem) == slug
    }))
}

pub(crate) fn run(root: &Path, args: &NewArgs) -> anyhow::Result<Exit> {
    let kind = args.kind;
    let (slug, text) = match entry_for(kind, &args.title) {
        Ok(made) => made,
        Err(problem) => bail!("{}", crate::diag::printable(&problem)),
    };
    let path = root
        .join(CONTENT_DIR)
        .join(kind.dir())
        .join(format!("{slug}.md"));
    if let Some(other) = entry_with_slug(root, &slug)? {
        let other = Path::new(CONTENT_DIR).join(other);
        if root.join(&other) == path {
            bail!(
                "{} already exists; edit it, or choose another title",
                path.display()
            );
        }
        bail!(
            "{} already has the slug `{slug}`, and slugs are unique across kinds; edit it, or choose another title",
            other.display()
        );
    }
    let dir = root.join(CONTENT_DIR).join(kind.dir());
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; edit it, or choose another title",
                path.display()
            )
        }
        Err(e) => return Err(e).with_context(|| format!("failed to create {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("failed to write {}", path.display()))?;
    println!("{}", path.display());
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(name: &str) -> Kind {
        Kind::from_name(name).unwrap()
    }

    #[test]
    fn control_characters_are_named_and_placed() {
        let err = entry_for(kind("faq"), "the customer\n+++\nhacks").unwrap_err();
        assert_eq!(
            err,
            "the title holds a line break (character 13); a title is one line of text, so remove it"
        );
        let err = entry_for(kind("playbook"), "bell\u{7}").unwrap_err();
        assert!(
            err.contains("the control character U+0007 (character 5)"),
            "{err}"
        );
    }

    #[test]
    fn no_kind_is_written_as_reviewed() {
        for kind in Kind::ALL {
            let (_, text) = entry_for(kind, "the customer asks").unwrap();
            let (front, _) = text[4..].split_once("\n+++\n").unwrap();
            let table: toml::Table = toml::from_str(front).unwrap();
            assert!(!table.contains_key("reviewed"), "{kind:?}: {front}");
            assert!(front.contains(REVIEWED_NOTE), "{kind:?}: {front}");
        }
    }

    #[test]
    fn quotes_and_backslashes_stay_in_one_line() {
        let title = r#"say "no" \ or \" '''x'''"#;
        let s = toml_string(title);
        assert!(!s.contains('\n') && s.starts_with('"'), "{s}");
        let back: toml::Table = toml::from_str(&format!("t = {s}")).unwrap();
        assert_eq!(back["t"].as_str(), Some(title));
    }

    #[test]
    fn long_titles_are_cut_at_a_word() {
        let slug = slug_for(kind("technique"), &"listen closely ".repeat(40));
        assert!(slug.len() <= MAX_SLUG_BYTES, "{}", slug.len());
        assert!(
            slug.ends_with("listen") || slug.ends_with("closely"),
            "{slug}"
        );
    }
}
