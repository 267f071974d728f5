//! `saywhen init DIR`: a new knowledge base with one entry of each kind,
//! cross-linked, that builds and checks clean at once.

use super::Exit;
use anyhow::{Context as _, bail};
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder to create (must be empty or absent).
    pub(crate) dir: PathBuf,
    /// Write into a folder that is not empty (existing files are kept).
    #[arg(long)]
    pub(crate) force: bool,
    /// The review date written into the starter entries (YYYY-MM-DD). Also
    /// read from SAYWHEN_TODAY, as `check` does; defaults to today's date
    /// (UTC).
    #[arg(long, value_name = "DATE", env = "SAYWHEN_TODAY")]
    pub(crate) today: Option<String>,
}

/// Stands for the review date in [`FILES`]: the starter entries are
/// reviewed the day they are written, so a new knowledge base checks
/// without warnings for its first `review_after_days`.
const REVIEWED: &str = "{reviewed}";

const FILES: &[(&str, &str)] = &[
    (
        "site.toml",
        r#"title = "Our difficult-calls knowledge base"
description = "What to say, and how, when a call gets hard."
# The published address, path included. Pages link relatively, so the site
# also works from any sub-path and straight from disk.
base_url = "https://intranet.example/kb/"
review_after_days = 180

[tags]
vocabulary = ["angry", "upset", "anxious", "confused", "inbound", "outbound", "escalated",
  "opening", "listening", "resolving", "closing", "after-call",
  "legal", "payment", "dispute", "privacy", "complaint", "hardship", "wellbeing"]

# Wording agents must never say: an example rule to adapt to your own. Each
# phrase matches whole words in any case (`arrest*` also matches "arrested").
# In a ```say block it is an error, elsewhere in the text a warning;
# ```avoid blocks are not checked, since they show what not to say.
[[lint.forbidden]]
name = "no-threats"
phrases = ["arrest*", "jail", "police will", "you have no choice"]
message = "never threaten arrest, prison or legal action that has not been authorized"
"#,
    ),
    (
        "content/playbooks/taking-over-an-escalated-call.md",
        r#"+++
title = "Taking over an escalated call"
description = "Pick up a call a colleague has escalated, without making the customer start again."
tags = ["escalated", "opening"]
owner = "Team lead"
reviewed = {reviewed}
+++

Use this when a colleague hands you a call that has gone wrong.

## Read the notes before you pick up

Know the customer's name, the problem and what was already offered, so they need not repeat it.

## Open with your name and a plan

Say who you are and that you are here to sort it out. Then [[active-listening|listen]] to their side.

```say
Hello, this is [your full name]. I've read the notes and I'm going to stay with you until this is sorted.
```

## Close without leaving a gap

Agree what happens next and when. If they ask what to expect, [[customer-demands-a-supervisor]] has the words.
"#,
    ),
    (
        "content/techniques/active-listening.md",
        r#"+++
title = "Active listening"
description = "Show the customer you have heard them, so they can stop repeating it."
tags = ["listening"]
owner = "Training team"
reviewed = {reviewed}
+++

## What it is

Listening to understand, and showing it: short acknowledgements, then a summary in your own words.

## How to do it

1. Let the customer finish.
2. Note the facts as they go.
3. Repeat the key points back and ask if you have them right.

```say
So the payment left your account on the 3rd, and it still shows as unpaid. Have I got that right?
```

Used in [[taking-over-an-escalated-call]].
"#,
    ),
    (
        "content/faq/customer-demands-a-supervisor.md",
        r#"+++
situation = "the customer demands a supervisor"
description = "Offer what you can do first, and escalate cleanly when they still want to."
tags = ["angry", "escalated"]
aliases = ["caller wants my manager", "customer asks for someone senior"]
owner = "Team lead"
reviewed = {reviewed}
+++

## What to say

```say
I can ask a supervisor to join. Before I do, can I tell you what I'm able to do right now?

Of course. I'll brief them so you don't have to explain it all again.
```

## What to avoid

```avoid
There's no one else you can talk to.
```

## Steps

1. Acknowledge the request with [[active-listening]].
2. Offer your own solution once.
3. If they still want a supervisor, follow [[taking-over-an-escalated-call]].
"#,
    ),
    (
        "search-tests.toml",
        r#"# Search tests: `saywhen check` fails when a query stops finding its entry
# within the top results, ranked exactly as the search page ranks them. Add
# the words agents type; when one fails, give the entry an alias in those
# words. `expect` names the entry as a [[link]] does; `top` defaults to 3.

[[test]]
query = "caller wants to talk to my manager"
expect = "customer-demands-a-supervisor"
top = 1

[[test]]
query = "customer is repeating the same thing"
expect = "active-listening"
"#,
    ),
];

pub(crate) fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let dir = &args.dir;
    let today = super::parse_today(args.today.as_deref())?.to_string();
    if dir.exists() {
        let mut items =
            std::fs::read_dir(dir).with_context(|| format!("failed to read {}", dir.display()))?;
        if items.next().is_some() && !args.force {
            bail!(
                "{} is not empty; choose a new folder, or pass --force to add the starter files (existing files are kept)",
                dir.display()
            );
        }
    }
    for (path, text) in FILES {
        write_new(&dir.join(path), &text.replace(REVIEWED, &today), args.force)?;
    }
    print!("{}", first_steps(dir));
    Ok(0)
}

/// What `init` prints: where the knowledge base is, what to change before
/// anything else, and how to see it. The values come from the `site.toml`
/// now in `dir`, which `--force` may have kept from before.
fn first_steps(dir: &Path) -> String {
    let config = std::fs::read_to_string(dir.join("site.toml"))
        .ok()
        .and_then(|text| crate::config::SiteConfig::parse(&text).ok());
    let at = dir.display();
    let root = shell_word(&at.to_string());
    let (title, base_url, preview) = match &config {
        Some(c) => (
            format!(", now \"{}\"", c.title),
            format!(", now \"{}\"", c.base_url),
            format!("http://127.0.0.1:1111{}", c.base_path()),
        ),
        None => (String::new(), String::new(), "http://127.0.0.1:1111".into()),
    };
    [
        format!("created a knowledge base in {at}"),
        String::new(),
        "What to edit first:".into(),
        format!("  1. site.toml, `title`: the name on every page{title}."),
        "  2. site.toml, `base_url`: the address the site will be published at, path".into(),
        format!("     included{base_url}. The preview uses the same path, so it opens"),
        format!("     at {preview} and its links work as they will when published."),
        "  3. `owner` in each entry under content/: the person or team who keeps it correct".into(),
        "     and writes the day they last checked it as `reviewed = YYYY-MM-DD`.".into(),
        "  4. site.toml, `[[lint.forbidden]]`: an example rule of words agents must never say;"
            .into(),
        "     make its phrases your own.".into(),
        "  5. search-tests.toml: queries agents type and the entry each must find;".into(),
        "     `check` runs them with the search page's own ranking.".into(),
        String::new(),
        "Then preview the site as you write (every save reloads the page):".into(),
        format!("  saywhen --root {root} serve"),
        "Before a pull request, check what CI will check:".into(),
        format!("  saywhen --root {root} check --deny-warnings"),
        String::new(),
    ]
    .join("\n")
}

/// `word` as one word for a POSIX shell, so the printed commands can be
/// pasted as they are.
fn shell_word(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:@+,=".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

fn write_new(path: &Path, text: &str, keep_existing: bool) -> anyhow::Result<()> {
    if keep_existing && path.exists() {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("failed to create {}", parent.display()))?;
    }
    std::fs::write(path, text).with_context(|| format!("failed to write {}", path.display()))
}
