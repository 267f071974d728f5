//! Site-wide warnings that need the whole resolved site: orphans, stale
//! reviews and tags outside the vocabulary.

use super::{Site, normalize_tag, suggest};
use crate::diag::{Diagnostic, Diagnostics};

pub(super) fn run(site: &Site, referenced: &[bool], diagnostics: &mut Diagnostics) {
    orphans(site, referenced, diagnostics);
    stale_reviews(site, diagnostics);
    vocabulary(site, diagnostics);
}

fn orphans(site: &Site, referenced: &[bool], diagnostics: &mut Diagnostics) {
    if site.entries.len() < 2 {
        return;
    }
    for (entry, &is_referenced) in site.entries.iter().zip(referenced) {
        if !is_referenced {
            diagnostics.push(
                Diagnostic::warning(format!("orphan entry: nothing links to `{}`", entry.id()))
                    .in_file(&entry.file)
                    .help(format!(
                        "link it from a playbook or FAQ (`[[{}]]`) or name it in another entry's `related`, so agents can find it from where they are",
                        entry.slug
                    )),
            );
        }
    }
}

/// The `reviewed` date as a calendar date, if it is a valid one.
pub fn reviewed_date(value: &toml::value::Datetime) -> Option<time::Date> {
    let d = value.date?;
    let month = time::Month::try_from(d.month).ok()?;
    time::Date::from_calendar_date(i32::from(d.year), month, d.day).ok()
}

fn stale_reviews(site: &Site, diagnostics: &mut Diagnostics) {
    let limit = i64::from(site.config.review_after_days);
    for entry in &site.entries {
        let Some(value) = &entry.front.reviewed else {
            continue;
        };
        let at = entry.key_location("reviewed");
        let Some(date) = reviewed_date(value) else {
            diagnostics.push(
                Diagnostic::error(format!("`reviewed = {value}` is not a calendar date"))
                    .in_file(&entry.file)
                    .at(at)
                    .help("write the date alone, as `reviewed = 2026-01-31`"),
            );
            continue;
        };
        let age = (site.today - date).whole_days();
        if age < 0 {
            diagnostics.push(
                Diagnostic::warning(format!("`reviewed` date {date} is in the future"))
                    .in_file(&entry.file)
                    .at(at)
                    .help("use the day the entry was actually reviewed"),
            );
        } else if limit > 0 && age > limit {
            diagnostics.push(
                Diagnostic::warning(format!(
                    "entry is due for review: last reviewed {date}, {age} days ago (site.toml sets review_after_days = {limit})"
                ))
                .in_file(&entry.file)
                .at(at)
                .help("have the owner check the entry, then update `reviewed`"),
            );
        }
    }
}

fn vocabulary(site: &Site, diagnostics: &mut Diagnostics) {
    let vocabulary: Vec<String> = site
        .config
        .tags
        .vocabulary
        .iter()
        .map(|t| normalize_tag(t))
        .collect();
    for (entry, raw) in site
        .entries
        .iter()
        .zip(site.entries.iter().map(|e| &e.front.tags))
    {
        for tag in raw {
            let norm = normalize_tag(tag);
            if !vocabulary.is_empty() && !vocabulary.contains(&norm) {
                let help = match suggest::closest(&norm, vocabulary.iter().map(String::as_str)) {
                    Some(s) => format!(
                        "did you mean `{s}`? the vocabulary is set in site.toml under [tags]"
                    ),
                    None => format!(
                        "use a tag from site.toml's [tags] vocabulary ({}), or add this one there",
                        vocabulary.join(", ")
                    ),
                };
                diagnostics.push(
                    Diagnostic::warning(format!("tag `{tag}` is not in the site's vocabulary"))
                        .in_file(&entry.file)
                        .at(entry.key_location("tags"))
                        .help(help),
                );
            } else if &norm != tag {
                diagnostics.push(
                    Diagnostic::warning(format!("tag `{tag}` is normalized to `{norm}`"))
                        .in_file(&entry.file)
                        .at(entry.key_location("tags"))
                        .help(format!(
                            "write `{norm}`: tags are matched lower-case with single spaces"
                        )),
                );
            }
        }
    }
}
