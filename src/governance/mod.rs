//! Content governance: whether an entry's words can be trusted today.
//!
//! Each entry has an owner, the date it was last reviewed, how often it must
//! be reviewed (`review_every`, or the site's `review_after_days`), and
//! optionally a date after which it must not be used (`valid_until`). From
//! those and today's date (injectable, so builds and tests are
//! reproducible) every entry is *verified*, *due for review* or *expired*.
//! The badge on each page, the search ranking, `check`, `report` and the
//! "Needs review" page all read the same [`Status`].
//!
//! This folder holds the rules alone ([`Status`], the wording rules); they
//! import nothing of the pipeline. The checks that apply them to a resolved
//! site are the check stage's (`src/check`).

mod lint;
mod status;
pub(crate) mod wording;

pub(crate) use status::{State, Status, date_of, parse_interval};
pub(crate) use wording::Wording;
