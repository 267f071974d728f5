//! `saywhen new KIND TITLE`: a new entry with its front matter and the
//! section headings its kind uses, under a slug derived from the title.

use super::Exit;
use crate::load::{CONTENT_DIR, Kind};
use crate::slug::slugify;
use anyhow::{Context as _, bail};
use clap::{Args, ValueEnum};
use std::io::Write as _;
use std::path::Path;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum NewKind {
    Playbook,
    Technique,
    Faq,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The title; for `faq`, the situation ("the customer threatens to sue").
    pub title: String,
}

/// The file slug: the title's slug, without a leading article for FAQs
/// ("the customer threatens to sue" → `customer-threatens-to-sue`).
pub fn slug_for(kind: Kind, title: &str) -> String {
    let slug = slugify(title);
    if kind == Kind::Faq {
        for article in ["the-", "a-", "an-"] {
            if let Some(rest) = slug.strip_prefix(article) {
                return rest.to_string();
            }
        }
    }
    slug
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

pub fn run(root: &Path, args: &NewArgs) -> anyhow::Result<Exit> {
    let kind = match args.kind {
        NewKind::Playbook => Kind::Playbook,
        NewKind::Technique => Kind::Technique,
        NewKind::Faq => Kind::Faq,
    };
    let title = args.title.trim();
    let slug = slug_for(kind, title);
    if slug.is_empty() {
        bail!("the title `{title}` has no letters or digits to make a file name from");
    }
    let today = time::OffsetDateTime::now_utc().date();
    let head = match kind {
        Kind::Faq => format!(
            "situation = {}",
            toml_string(&crate::load::clean_situation(title))
        ),
        _ => format!("title = {}", toml_string(title)),
    };
    let body = match kind {
        Kind::Faq => {
            "## What to say\n\n```say\nFirst thing to say.\n\nAnother way to say it.\n```\n\n## Why they react this way\n\n\n## What to avoid\n\n```avoid\nWhat not to say.\n```\n\n## Steps\n\n1. \n"
        }
        Kind::Technique => {
            "## What it is\n\n\n## When to use it\n\n\n## How to do it\n\n1. \n\n## Example phrases\n\n```say\nAn example phrase.\n```\n\n## Pitfalls\n\n- \n"
        }
        Kind::Playbook => "When to use this playbook.\n\n## First step\n\n\n## Second step\n\n",
    };
    let text = format!(
        "+++\n{head}\ndescription = \"\"\ntags = []\naliases = []\nrelated = []\nowner = \"\"\nreviewed = {today}\n+++\n\n{body}"
    );
    let dir = root.join(CONTENT_DIR).join(kind.dir());
    std::fs::create_dir_all(&dir).with_context(|| format!("failed to create {}", dir.display()))?;
    let path = dir.join(format!("{slug}.md"));
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
