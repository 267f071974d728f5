//! Dates as people write them (`12/01/2026`, `01.12.2026`, `1 Dec 2026`,
//! `"2026-12-01"`), read so the front matter's date fields can answer with
//! the one form TOML takes, `2026-12-01`, instead of a TOML parse error
//! and then, once quoted, a type error.

use time::{Date, Month};

/// What a date written some other way most likely means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// One day. `assumed` names the order taken when the numbers alone
    /// could be read both ways (`01.12.2026`, read day first).
    One {
        date: Date,
        assumed: Option<&'static str>,
    },
    /// Slashes or dashes with both numbers 12 or under: the month-first and
    /// the day-first readings, in that order.
    Either { month_first: Date, day_first: Date },
}

/// The reading of `value`, a front matter value as written (quotes
/// included), when it is a date in some spelling other than TOML's own
/// bare `2026-12-01`. `None` for anything else, a bare TOML date included.
pub(crate) fn read(value: &str) -> Option<Reading> {
    let (inner, quoted) = unquote(value);
    let inner = inner.trim();
    if let Some(date) = iso(inner) {
        // A bare ISO date is TOML's own; a quoted one is text.
        return quoted.then_some(Reading::One {
            date,
            assumed: None,
        });
    }
    numeric(inner).or_else(|| worded(inner))
}

/// The text inside matching quotes, and whether there were any.
fn unquote(value: &str) -> (&str, bool) {
    for q in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(q)
            .and_then(|v| v.strip_suffix(q))
            .filter(|_| value.len() >= 2)
        {
            return (inner, true);
        }
    }
    (value, false)
}

fn date(year: u32, month: u32, day: u32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()
}

/// `2026-12-01`.
fn iso(text: &str) -> Option<Date> {
    let parts = numbers(text, '-')?;
    (parts[0].1 == 4 && parts[1].1 == 2 && parts[2].1 == 2)
        .then(|| date(parts[0].0, parts[1].0, parts[2].0))
        .flatten()
}

/// Three runs of digits separated by `sep`: each value and its digit count.
fn numbers(text: &str, sep: char) -> Option<[(u32, usize); 3]> {
    let mut parts = text.split(sep);
    let mut out = [(0, 0); 3];
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = (part.parse().ok()?, part.len());
    }
    parts.next().is_none().then_some(out)
}

/// `12/01/2026`, `01.12.2026`, `1-12-2026`, `2026/12/01`.
fn numeric(text: &str) -> Option<Reading> {
    let sep = ['/', '.', '-']
        .into_iter()
        .find(|&s| text.matches(s).count() == 2)?;
    let [a, b, c] = numbers(text, sep)?;
    if a.1 == 4 {
        let date = date(a.0, b.0, c.0)?;
        return Some(Reading::One {
            date,
            assumed: None,
        });
    }
    if c.1 != 4 {
        return None;
    }
    let day_first = date(c.0, b.0, a.0);
    let month_first = date(c.0, a.0, b.0);
    match (month_first, day_first) {
        (Some(m), Some(d)) if m == d => Some(Reading::One {
            date: m,
            assumed: None,
        }),
        // Dots are written day first wherever they are used for dates.
        (Some(_), Some(d)) if sep == '.' => Some(Reading::One {
            date: d,
            assumed: Some("day.month.year"),
        }),
        (Some(m), Some(d)) => Some(Reading::Either {
            month_first: m,
            day_first: d,
        }),
        (Some(date), None) | (None, Some(date)) => Some(Reading::One {
            date,
            assumed: None,
        }),
        (None, None) => None,
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `1 Dec 2026`, `December 1, 2026`, `1st of December 2026`.
fn worded(text: &str) -> Option<Reading> {
    let (mut day, mut month, mut year) = (None, None, None);
    for word in text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        let lower = word.trim_end_matches('.').to_lowercase();
        if lower == "of" {
            continue;
        }
        let digits = lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let n: u32 = digits.parse().ok()?;
            let slot = if digits.len() == 4 && digits == lower {
                &mut year
            } else if digits.len() <= 2 {
                &mut day
            } else {
                return None;
            };
            if slot.replace(n).is_some() {
                return None;
            }
            continue;
        }
        let found = MONTHS
            .iter()
            .position(|m| lower.len() >= 3 && m.starts_with(&lower))?;
        if month.replace(found as u32 + 1).is_some() {
            return None;
        }
    }
    let date = date(year?, month?, day?)?;
    Some(Reading::One {
        date,
        assumed: None,
    })
}

/// `1 December`: a day as the help text names it.
pub(crate) fn spoken(date: Date) -> String {
    format!("{} {}", date.day(), date.month())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn one(value: &str) -> Date {
        match read(value) {
            Some(Reading::One { date, .. }) => date,
            other => panic!("{value}: {other:?}"),
        }
    }

    #[test]
    fn spellings() {
        assert_eq!(one("25/12/2026"), date!(2026 - 12 - 25));
        assert_eq!(one("12/25/2026"), date!(2026 - 12 - 25));
        assert_eq!(one("\"1 Dec 2026\""), date!(2026 - 12 - 01));
        assert_eq!(one("1 Dec 2026"), date!(2026 - 12 - 01));
        assert_eq!(one("December 1, 2026"), date!(2026 - 12 - 01));
        assert_eq!(one("'1st of September 2026'"), date!(2026 - 09 - 01));
        assert_eq!(one("Sept 3 2026"), date!(2026 - 09 - 03));
        assert_eq!(one("\"2026-12-01\""), date!(2026 - 12 - 01));
        assert_eq!(one("2026/12/01"), date!(2026 - 12 - 01));
        assert_eq!(one("05/05/2026"), date!(2026 - 05 - 05));
        assert_eq!(
            read("01.12.2026"),
            Some(Reading::One {
                date: date!(2026 - 12 - 01),
                assumed: Some("day.month.year")
            })
        );
        assert_eq!(
            read("12/01/2026"),
            Some(Reading::Either {
                month_first: date!(2026 - 12 - 01),
                day_first: date!(2026 - 01 - 12)
            })
        );
        assert_eq!(spoken(date!(2026 - 12 - 01)), "1 December");
    }

    #[test]
    fn not_dates() {
        for value in [
            "2026-12-01",
            "31/02/2026",
            "\"soon\"",
            "\"Maybe 2026\"",
            "12/01/26",
            "1 Dec",
            "\"the march 2026 review\"",
            "13.13.2026",
            "",
        ] {
            assert_eq!(read(value), None, "{value}");
        }
    }
}
