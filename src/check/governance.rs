//! Governance on the resolved site: review dates and their fields,
//! overdue and expired entries, the snippets' wording and required
//! snippets.

use crate::config::Strictness;
use crate::diag::{Diagnostic, Diagnostics, Place};
use crate::governance::{State, Wording, date_of, parse_interval};
use crate::load::Entry;
use crate::resolve::Site;
use crate::text::tags::normalize_tag;

pub(super) fn run(site: &Site, diagnostics: &mut Diagnostics) {
    for (i, entry) in site.entries.iter().enumerate() {
        dates(site, i, entry, diagnostics);
    }
    let wording = Wording::new(&site.config.lint.forbidden);
    for snippet in site.snippets.values() {
        wording.lint(
            &snippet.file,
            &snippet.source,
            &snippet.lines,
            0,
            diagnostics,
        );
    }
    required(site, diagnostics);
}

fn with_strictness(strictness: Strictness, message: String) -> Option<Diagnostic> {
    match strictness {
        Strictness::Ignore => None,
        Strictness::Warning => Some(Diagnostic::warning(message)),
        Strictness::Error => Some(Diagnostic::error(message)),
    }
}

fn dates(site: &Site, i: usize, entry: &Entry, diagnostics: &mut Diagnostics) {
    let front = &entry.front;
    let dated = [
        (
            "reviewed",
            &front.reviewed,
            "write the date alone, as `reviewed = 2026-01-31`",
        ),
        (
            "valid_until",
            &front.valid_until,
            "write the last day the entry may be used, as `valid_until = 2026-12-31`",
        ),
    ];
    for (key, value, help) in dated {
        if let Some(value) = value
            && date_of(value).is_none()
        {
            diagnostics.push(
                Diagnostic::error(format!("`{key} = {value}` is not a calendar date"))
                    .in_file(&entry.file)
                    .at_place(Place::Key(key))
                    .help(help),
            );
        }
    }
    if let Some(text) = &front.review_every
        && parse_interval(text).is_none()
    {
        diagnostics.push(
            Diagnostic::error(format!("`review_every = \"{text}\"` is not an interval"))
                .in_file(&entry.file)
                .at_place(Place::Key("review_every"))
                .help("write a number and a unit: \"90d\" (days), \"12w\" (weeks), \"6m\" (months) or \"1y\" (years)"),
        );
    }
    let status = &site.status[i];
    let governance = &site.config.governance;
    if let Some(reviewed) = status.reviewed
        && reviewed > site.today
    {
        diagnostics.push(
            Diagnostic::warning(format!("`reviewed` date {reviewed} is in the future"))
                .in_file(&entry.file)
                .at_place(Place::Key("reviewed"))
                .help("use the day the entry was actually reviewed"),
        );
    }
    let found = match status.state {
        State::Expired => with_strictness(
            governance.expired,
            format!(
                "entry expired on {}: it stays readable but is marked expired",
                status.valid_until.map(|d| d.to_string()).unwrap_or_default()
            ),
        )
        .map(|d| {
            d.at_place(Place::Key("valid_until"))
                .help("have the owner update or retire the entry, then move `valid_until` on or remove it")
        }),
        State::Due => match (status.reviewed, status.due_on) {
            (Some(reviewed), Some(_)) => {
                let age = (site.today - reviewed).whole_days();
                let rule = match front.review_every.as_ref().filter(|e| parse_interval(e).is_some()) {
                    Some(every) => format!("its review_every is \"{every}\""),
                    None => format!("site.toml sets review_after_days = {}", site.config.review_after_days),
                };
                with_strictness(
                    governance.overdue,
                    format!("entry is due for review: last reviewed {reviewed}, {age} days ago ({rule})"),
                )
                .map(|d| d.at_place(Place::Key("reviewed")).help("have the owner check the entry, then update `reviewed`"))
            }
            _ => None,
        },
        State::Verified => None,
    };
    if let Some(d) = found {
        diagnostics.push(d.in_file(&entry.file));
    }
}

/// `[[lint.required]]`: entries of a kind or tag that must include a snippet.
fn required(site: &Site, diagnostics: &mut Diagnostics) {
    for rule in &site.config.lint.required {
        let tags: Vec<String> = rule.tags.iter().map(|t| normalize_tag(t)).collect();
        for (i, entry) in site.entries.iter().enumerate() {
            let kind_ok = rule
                .kind
                .as_deref()
                .is_none_or(|k| k == entry.kind.name() || k == entry.kind.dir());
            let tag_ok = tags.is_empty() || site.entry_tags[i].iter().any(|t| tags.contains(t));
            if !kind_ok || !tag_ok || entry.body.snippets.iter().any(|s| s.name == rule.snippet) {
                continue;
            }
            let why = match (&rule.kind, tags.is_empty()) {
                (Some(kind), false) => format!("every {kind} tagged {}", tags.join(" or ")),
                (Some(kind), true) => format!("every {kind}"),
                (None, false) => format!("every entry tagged {}", tags.join(" or ")),
                (None, true) => "every entry".to_string(),
            };
            let mut d = Diagnostic::error(format!("missing required snippet `{}` ({})", rule.snippet, rule.name))
                .in_file(&entry.file)
                .help(format!("{}; {why} must include it: add an empty fenced block opened with ```snippet {} where it belongs", rule.message, rule.snippet));
            if !tags.is_empty() {
                d = d.at_place(Place::Key("tags"));
            }
            diagnostics.push(d);
        }
    }
}
