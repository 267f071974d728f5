//! Whether an entry can be trusted on a given day: verified, due for
//! review or expired, from its review dates and interval.

use serde::Serialize;
use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum State {
    Verified,
    /// Not reviewed within its interval, or never reviewed.
    Due,
    /// Past `valid_until`.
    Expired,
}

/// An entry's standing on a given day.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Status {
    pub(crate) state: State,
    pub(crate) reviewed: Option<Date>,
    /// The day the next review falls due.
    pub(crate) due_on: Option<Date>,
    pub(crate) valid_until: Option<Date>,
    /// Days until `due_on` (negative when overdue).
    pub(crate) days_to_due: Option<i64>,
    /// Days until `valid_until` (negative when expired).
    pub(crate) days_to_expiry: Option<i64>,
}

impl Status {
    pub(crate) fn of(
        reviewed: Option<Date>,
        interval_days: Option<u32>,
        valid_until: Option<Date>,
        today: Date,
    ) -> Status {
        let due_on = match (reviewed, interval_days) {
            (Some(r), Some(days)) if days > 0 => {
                r.checked_add(time::Duration::days(i64::from(days)))
            }
            _ => None,
        };
        let days_to_due = due_on.map(|d| (d - today).whole_days());
        let days_to_expiry = valid_until.map(|d| (d - today).whole_days());
        let state = if days_to_expiry.is_some_and(|d| d < 0) {
            State::Expired
        } else if reviewed.is_none() || days_to_due.is_some_and(|d| d < 0) {
            State::Due
        } else {
            State::Verified
        };
        Status {
            state,
            reviewed,
            due_on,
            valid_until,
            days_to_due,
            days_to_expiry,
        }
    }

    /// The words on the badge.
    pub(crate) fn label(&self) -> String {
        match (self.state, self.reviewed) {
            (State::Expired, _) => format!(
                "Expired {}",
                self.valid_until.map(|d| d.to_string()).unwrap_or_default()
            ),
            (State::Due, None) => "Not yet reviewed".to_string(),
            (State::Due, Some(_)) => format!(
                "Review due since {}",
                self.due_on.map(|d| d.to_string()).unwrap_or_default()
            ),
            (State::Verified, Some(r)) => format!("Verified {r}"),
            (State::Verified, None) => "Verified".to_string(),
        }
    }
}

/// `"90d"`, `"12w"`, `"6m"` (30-day months) or `"1y"` (365 days) in days.
pub(crate) fn parse_interval(text: &str) -> Option<u32> {
    let text = text.trim();
    let (number, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: u32 = number.parse().ok()?;
    let per = match unit.trim() {
        "d" | "day" | "days" => 1,
        "w" | "week" | "weeks" => 7,
        "m" | "month" | "months" => 30,
        "y" | "year" | "years" => 365,
        _ => return None,
    };
    n.checked_mul(per).filter(|&d| d > 0)
}

/// A TOML date as a calendar date, if it is one.
pub(crate) fn date_of(value: &toml::value::Datetime) -> Option<Date> {
    let d = value.date?;
    let month = time::Month::try_from(d.month).ok()?;
    Date::from_calendar_date(i32::from(d.year), month, d.day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("90d"), Some(90));
        assert_eq!(parse_interval("12w"), Some(84));
        assert_eq!(parse_interval("6m"), Some(180));
        assert_eq!(parse_interval("1y"), Some(365));
        assert_eq!(parse_interval(" 30 days"), Some(30));
        assert_eq!(parse_interval("0d"), None);
        assert_eq!(parse_interval("soon"), None);
        assert_eq!(parse_interval("90"), None);
    }

    #[test]
    fn states() {
        let today = date!(2026 - 06 - 01);
        let s = Status::of(Some(date!(2026 - 05 - 01)), Some(90), None, today);
        assert_eq!((s.state, s.days_to_due), (State::Verified, Some(59)));
        assert_eq!(s.label(), "Verified 2026-05-01");
        let s = Status::of(Some(date!(2026 - 01 - 01)), Some(90), None, today);
        assert_eq!((s.state, s.days_to_due), (State::Due, Some(-61)));
        assert_eq!(s.label(), "Review due since 2026-04-01");
        let s = Status::of(
            Some(date!(2026 - 05 - 30)),
            Some(90),
            Some(date!(2026 - 05 - 31)),
            today,
        );
        assert_eq!((s.state, s.days_to_expiry), (State::Expired, Some(-1)));
        assert_eq!(Status::of(None, Some(90), None, today).state, State::Due);
        // No interval configured: a reviewed entry stays verified.
        assert_eq!(
            Status::of(Some(date!(2020 - 01 - 01)), None, None, today).state,
            State::Verified
        );
    }
}
