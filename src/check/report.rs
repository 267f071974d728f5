//! `saywhen report`: who owns what, what is overdue or about to expire, and
//! the share of entries that can be trusted today.

use crate::governance::{State, Status};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One entry as the report sees it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Item {
    pub(crate) file: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) owner: String,
    #[serde(flatten)]
    pub(crate) status: Status,
}

/// Why an entry is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Concern {
    Expired,
    Overdue,
    Unreviewed,
    Expiring,
    DueSoon,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Listed {
    pub(crate) concern: Concern,
    #[serde(flatten)]
    pub(crate) item: Item,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
    pub(crate) today: String,
    pub(crate) within_days: i64,
    pub(crate) total: usize,
    pub(crate) verified: usize,
    pub(crate) due: usize,
    pub(crate) expired: usize,
    /// Share of entries verified today, in whole percent.
    pub(crate) trust_score: u32,
    /// Owner → the entries that need them, most urgent first.
    pub(crate) owners: BTreeMap<String, Vec<Listed>>,
}

pub(crate) const NO_OWNER: &str = "(no owner)";

/// Every published entry with its owner and status.
pub(crate) fn items(site: &crate::resolve::Site) -> Vec<Item> {
    site.entries
        .iter()
        .zip(&site.status)
        .map(|(e, status)| Item {
            file: e.file.clone(),
            title: e.title.clone(),
            url: e.url().to_string(),
            owner: e
                .front
                .owner
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .unwrap_or(NO_OWNER)
                .to_string(),
            status: status.clone(),
        })
        .collect()
}

fn concern(status: &Status, within: i64) -> Option<Concern> {
    match status.state {
        State::Expired => Some(Concern::Expired),
        State::Due if status.reviewed.is_none() => Some(Concern::Unreviewed),
        State::Due => Some(Concern::Overdue),
        State::Verified if status.days_to_expiry.is_some_and(|d| d <= within) => {
            Some(Concern::Expiring)
        }
        State::Verified if status.days_to_due.is_some_and(|d| d <= within) => {
            Some(Concern::DueSoon)
        }
        State::Verified => None,
    }
}

pub(crate) fn build(items: Vec<Item>, today: time::Date, within_days: i64) -> Report {
    let total = items.len();
    let count = |s: State| items.iter().filter(|i| i.status.state == s).count();
    let (verified, due, expired) = (
        count(State::Verified),
        count(State::Due),
        count(State::Expired),
    );
    let trust_score = if total == 0 {
        100
    } else {
        ((verified * 100) as f64 / total as f64).floor() as u32
    };
    let mut owners: BTreeMap<String, Vec<Listed>> = BTreeMap::new();
    for item in items {
        if let Some(concern) = concern(&item.status, within_days) {
            owners
                .entry(item.owner.clone())
                .or_default()
                .push(Listed { concern, item });
        }
    }
    for list in owners.values_mut() {
        list.sort_by(|a, b| (a.concern, &a.item.file).cmp(&(b.concern, &b.item.file)));
    }
    Report {
        today: today.to_string(),
        within_days,
        total,
        verified,
        due,
        expired,
        trust_score,
        owners,
    }
}

impl Report {
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Governance report for {}", self.today);
        let _ = writeln!(
            out,
            "Trust score: {}% ({} of {} entries verified; {} due for review, {} expired)",
            self.trust_score, self.verified, self.total, self.due, self.expired
        );
        if self.owners.is_empty() {
            let _ = writeln!(
                out,
                "\nNothing is overdue, and nothing expires or falls due within {} days.",
                self.within_days
            );
            return out;
        }
        for (owner, list) in &self.owners {
            let _ = writeln!(out, "\n{owner} ({} to look at)", list.len());
            for l in list {
                let s = &l.item.status;
                let detail = match l.concern {
                    Concern::Expired => format!(
                        "expired {} ({} days ago)",
                        fmt(s.valid_until),
                        -s.days_to_expiry.unwrap_or(0)
                    ),
                    Concern::Overdue => format!(
                        "review was due {} ({} days ago)",
                        fmt(s.due_on),
                        -s.days_to_due.unwrap_or(0)
                    ),
                    Concern::Unreviewed => "never reviewed: no `reviewed` date".to_string(),
                    Concern::Expiring => format!(
                        "expires {} (in {} days)",
                        fmt(s.valid_until),
                        s.days_to_expiry.unwrap_or(0)
                    ),
                    Concern::DueSoon => format!(
                        "review due {} (in {} days)",
                        fmt(s.due_on),
                        s.days_to_due.unwrap_or(0)
                    ),
                };
                let label = match l.concern {
                    Concern::Expired => "expired",
                    Concern::Overdue => "overdue",
                    Concern::Unreviewed => "unreviewed",
                    Concern::Expiring => "expiring",
                    Concern::DueSoon => "due soon",
                };
                let _ = writeln!(out, "  {label:<10} {}  {detail}", l.item.file);
            }
        }
        out
    }
}

fn fmt(d: Option<time::Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn item(file: &str, owner: &str, status: Status) -> Item {
        Item {
            file: file.into(),
            title: file.into(),
            url: String::new(),
            owner: owner.into(),
            status,
        }
    }

    #[test]
    fn groups_by_owner_and_scores() {
        let today = date!(2026 - 06 - 01);
        let items = vec![
            item(
                "a.md",
                "Desk",
                Status::of(Some(date!(2026 - 05 - 01)), Some(90), None, today),
            ),
            item(
                "b.md",
                "Desk",
                Status::of(Some(date!(2026 - 01 - 01)), Some(90), None, today),
            ),
            item(
                "c.md",
                "Legal",
                Status::of(
                    Some(date!(2026 - 05 - 01)),
                    Some(90),
                    Some(date!(2026 - 06 - 10)),
                    today,
                ),
            ),
            item(
                "d.md",
                "Legal",
                Status::of(
                    Some(date!(2026 - 05 - 01)),
                    Some(90),
                    Some(date!(2026 - 05 - 10)),
                    today,
                ),
            ),
        ];
        let r = build(items, today, 14);
        assert_eq!(
            (r.total, r.verified, r.due, r.expired, r.trust_score),
            (4, 2, 1, 1, 50)
        );
        assert_eq!(r.owners["Desk"].len(), 1);
        assert_eq!(r.owners["Desk"][0].concern, Concern::Overdue);
        let legal: Vec<Concern> = r.owners["Legal"].iter().map(|l| l.concern).collect();
        assert_eq!(legal, [Concern::Expired, Concern::Expiring]);
        let text = r.text();
        assert!(
            text.contains(
                "Trust score: 50% (2 of 4 entries verified; 1 due for review, 1 expired)"
            ),
            "{text}"
        );
        assert!(
            text.contains("  overdue    b.md  review was due 2026-04-01 (61 days ago)"),
            "{text}"
        );
        assert!(
            text.contains("  expiring   c.md  expires 2026-06-10 (in 9 days)"),
            "{text}"
        );
    }
}
