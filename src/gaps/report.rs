//! The gaps report: beacons tallied by query, each distinct query ranked
//! again on the current content, and the ones agents did not find listed
//! by frequency with what an author can do about each.

use super::log::Hit;
use crate::resolve::Site;
use crate::search::engine::Engine;
use crate::search::tokenize::Tokenizer;
use serde::Serialize;
use std::collections::HashMap;
use time::Date;

/// Distinct queries tallied at most; later new ones are only counted, so
/// a log of any size is read in bounded memory.
pub(crate) const MAX_QUERIES: usize = 100_000;

/// The earlier window (before `--since`) and the current one.
const EARLIER: usize = 0;
const CURRENT: usize = 1;

#[derive(Debug, Default, Clone)]
struct Tally {
    searches: [u64; 2],
    opened_top: [u64; 2],
    opened_below: [u64; 2],
    /// Entries opened below the top three in the current window, with how
    /// often: the ones agents wanted and had to scroll for. At most
    /// [`WANTED`] are kept.
    wanted: Vec<(String, u64)>,
}

/// Entries remembered a query as opened below the top three.
const WANTED: usize = 3;

/// Beacons counted by query and window.
pub(crate) struct Tallies {
    since: Option<Date>,
    by_query: HashMap<String, Tally>,
    /// Beacons of queries past [`MAX_QUERIES`], by window.
    untallied: [u64; 2],
}

impl Tallies {
    pub(crate) fn new(since: Option<Date>) -> Tallies {
        Tallies {
            since,
            by_query: HashMap::new(),
            untallied: [0; 2],
        }
    }

    pub(crate) fn add(&mut self, hit: Hit) {
        let window = match (self.since, hit.date) {
            (Some(since), Some(date)) if date < since => EARLIER,
            _ => CURRENT,
        };
        let full = self.by_query.len() >= MAX_QUERIES;
        let tally = match self.by_query.get_mut(&hit.query) {
            Some(t) => t,
            None if full => {
                self.untallied[window] += 1;
                return;
            }
            None => self.by_query.entry(hit.query).or_default(),
        };
        match hit.opened {
            None => tally.searches[window] += 1,
            Some((_, rank)) if rank <= 3 => tally.opened_top[window] += 1,
            Some((url, _)) => {
                tally.opened_below[window] += 1;
                if window == CURRENT {
                    if let Some((_, n)) = tally.wanted.iter_mut().find(|(u, _)| *u == url) {
                        *n += 1;
                    } else if tally.wanted.len() < WANTED {
                        tally.wanted.push((url, 1));
                    }
                }
            }
        }
    }

    #[cfg(test)]
    fn distinct(&self) -> usize {
        self.by_query.len()
    }
}

/// Why a query is a gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Gap {
    NoResult,
    NeverOpened,
    OpenedBelowTop3,
}

/// One query agents did not find, with what to do about it.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) query: String,
    pub(crate) searches: u64,
    /// Searches of the same query before `--since`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) searches_before: Option<u64>,
    pub(crate) opened_below_top3: u64,
    /// The entry the advice is for: the one ranked first now, or, for
    /// results opened only below the top three, the one agents opened.
    pub(crate) best: Option<Best>,
    /// The front matter line that would rank `best` first, or what to do.
    pub(crate) advice: String,
    /// Whether ranking with the alias added put `best` first.
    pub(crate) alias_verified: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct Best {
    pub(crate) title: String,
    pub(crate) file: String,
    /// Where it ranks now, if at all.
    pub(crate) rank: Option<usize>,
    /// The page calls the results weak: nothing matches closely.
    pub(crate) weak: bool,
}

/// A window's figures, each search ranked on the current content.
#[derive(Debug, Default, Serialize, Clone, Copy)]
pub(crate) struct Figures {
    pub(crate) searches: u64,
    pub(crate) distinct_queries: u64,
    pub(crate) no_result: u64,
    pub(crate) never_opened: u64,
    pub(crate) opened_below_top3: u64,
}

#[derive(Debug, Serialize)]
pub(crate) struct Report {
    pub(crate) since: Option<String>,
    pub(crate) figures: Figures,
    /// The same figures before `--since`, for how they moved.
    pub(crate) before: Option<Figures>,
    pub(crate) no_result: Vec<Row>,
    pub(crate) never_opened: Vec<Row>,
    pub(crate) opened_below_top3: Vec<Row>,
    pub(crate) untallied: u64,
}

/// Ranks every distinct query and builds the report, `top` rows a list.
pub(crate) fn build(
    tallies: &Tallies,
    site: &Site,
    engine: &Engine,
    top: usize,
) -> Result<Report, String> {
    let tokenizer = Tokenizer::default();
    let mut figures = [Figures::default(); 2];
    let mut rows: [Vec<(Gap, Row)>; 1] = [Vec::new()];
    let mut queries: Vec<(&String, &Tally)> = tallies.by_query.iter().collect();
    // Most searched first; the query breaks ties, so the report is stable.
    queries.sort_by(|a, b| {
        weight(b.1, CURRENT)
            .cmp(&weight(a.1, CURRENT))
            .then(a.0.cmp(b.0))
    });
    for (query, tally) in queries {
        let ranked = engine
            .rank(query)
            .map_err(|e| format!("search failed for “{query}”: {e}"))?;
        let mut gap_in = [None; 2];
        for w in [EARLIER, CURRENT] {
            let searches = tally.searches[w].max(tally.opened_top[w] + tally.opened_below[w]);
            if searches == 0 {
                continue;
            }
            let f = &mut figures[w];
            f.searches += searches;
            f.distinct_queries += 1;
            let gap = if ranked.urls.is_empty() {
                f.no_result += searches;
                Some(Gap::NoResult)
            } else if tally.opened_top[w] > 0 {
                None
            } else if tally.opened_below[w] > 0 {
                f.opened_below_top3 += searches;
                Some(Gap::OpenedBelowTop3)
            } else {
                f.never_opened += searches;
                Some(Gap::NeverOpened)
            };
            gap_in[w] = gap;
        }
        let Some(gap) = gap_in[CURRENT] else { continue };
        // For results opened only below the top three, the advice is for
        // the entry agents scrolled down to; otherwise for the first.
        let wanted = tally
            .wanted
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|w| w.0.as_str())
            .filter(|_| gap == Gap::OpenedBelowTop3);
        let (best, advice, alias_verified) =
            advise(query, &ranked, wanted, site, engine, &tokenizer)?;
        rows[0].push((
            gap,
            Row {
                query: query.clone(),
                searches: tally.searches[CURRENT]
                    .max(tally.opened_top[CURRENT] + tally.opened_below[CURRENT]),
                searches_before: tallies.since.map(|_| tally.searches[EARLIER]),
                opened_below_top3: tally.opened_below[CURRENT],
                best,
                advice,
                alias_verified,
            },
        ));
    }
    let [all] = rows;
    let mut lists: [Vec<Row>; 3] = [Vec::new(), Vec::new(), Vec::new()];
    for (gap, row) in all {
        let list = &mut lists[gap as usize];
        if list.len() < top {
            list.push(row);
        }
    }
    let [no_result, never_opened, opened_below_top3] = lists;
    Ok(Report {
        since: tallies.since.map(|d| d.to_string()),
        figures: figures[CURRENT],
        before: tallies.since.map(|_| figures[EARLIER]),
        no_result,
        never_opened,
        opened_below_top3,
        untallied: tallies.untallied[CURRENT],
    })
}

fn weight(t: &Tally, w: usize) -> u64 {
    t.searches[w].max(t.opened_top[w] + t.opened_below[w])
}

/// The best entry for `query` and the line that would rank it first: the
/// query as an alias (the exact-match rule ranks an entry whose alias
/// reduces to the query first), checked by ranking with it added.
fn advise(
    query: &str,
    ranked: &crate::search::engine::Ranked,
    wanted: Option<&str>,
    site: &Site,
    engine: &Engine,
    tokenizer: &Tokenizer,
) -> Result<(Option<Best>, String, bool), String> {
    let Some(url) = wanted.or(ranked.urls.first().map(String::as_str)) else {
        return Ok((
            None,
            format!("no entry covers this: write one (saywhen new faq \"{query}\")"),
            false,
        ));
    };
    let Some(entry) = site.entries.iter().find(|e| e.url() == url) else {
        return Ok((
            None,
            format!("agents opened {url}, which is no entry now"),
            false,
        ));
    };
    let best = Best {
        title: entry.title.clone(),
        file: entry.file.to_string(),
        rank: ranked.urls.iter().position(|u| u == url).map(|r| r + 1),
        weak: ranked.weak && wanted.is_none(),
    };
    // Masked digits say nothing an alias could match.
    let alias: String = query
        .split(' ')
        .filter(|w| !w.contains('#'))
        .collect::<Vec<_>>()
        .join(" ");
    let key = tokenizer.exact_key(&alias);
    if key.is_empty() {
        return Ok((
            Some(best),
            "the query holds no words an alias could match".into(),
            false,
        ));
    }
    let owners = engine.key_owners(&key)?;
    if owners.iter().any(|o| o.as_str() == url) {
        let advice = format!(
            "{} already ranks first for this: make its title and description answer “{query}”",
            best.file
        );
        return Ok((Some(best), advice, false));
    }
    if let Some(other) = owners.first() {
        let other = site
            .entries
            .iter()
            .find(|e| e.url() == other)
            .map_or(other.clone(), |e| e.file.to_string());
        return Ok((
            Some(best),
            format!(
                "{other} already has this wording as its title or an alias: check it answers “{query}”"
            ),
            false,
        ));
    }
    let verified = engine
        .rank_with_key(query, url, &key)?
        .urls
        .first()
        .is_some_and(|u| u.as_str() == url);
    let line = format!(
        "aliases = [{}]",
        serde_json::to_string(&alias).expect("a string serialises")
    );
    let mut advice = if verified {
        format!("add to {}: {line}", best.file)
    } else {
        format!(
            "add to {}: {line} (it would still not rank first: is the entry expired?)",
            best.file
        )
    };
    if best.weak {
        // The page itself says nothing matches closely: the closest entry
        // is likely about something else.
        advice = format!(
            "nothing matches closely: write an entry (saywhen new faq \"{alias}\"), or if {} does answer it, {advice}",
            best.file
        );
    }
    Ok((Some(best), advice, verified))
}

impl Report {
    /// The report as text, for a person or a CI message.
    pub(crate) fn text(&self, reading: &super::log::Reading) -> String {
        let mut out = String::new();
        let f = &self.figures;
        out.push_str(&format!(
            "{} searches, {} distinct queries, from {} beacons in {} file{}{}\n",
            f.searches,
            f.distinct_queries,
            reading.beacons,
            reading.files,
            if reading.files == 1 { "" } else { "s" },
            self.since
                .as_deref()
                .map(|s| format!(", since {s}"))
                .unwrap_or_default()
        ));
        for (title, rows) in [
            ("No result", &self.no_result),
            ("Results never opened", &self.never_opened),
            ("Opened only below the top three", &self.opened_below_top3),
        ] {
            out.push_str(&format!("\n{title}:\n"));
            if rows.is_empty() {
                out.push_str("  none\n");
            }
            for row in rows {
                let before = row
                    .searches_before
                    .map(|b| format!(" (before: {b})"))
                    .unwrap_or_default();
                out.push_str(&format!("  {:>5}{before}  “{}”\n", row.searches, row.query));
                if let Some(best) = &row.best {
                    let rank = match best.rank {
                        Some(1) => String::new(),
                        Some(r) => format!(", ranks {r}"),
                        None => ", not in the results now".into(),
                    };
                    out.push_str(&format!(
                        "         {}: {} ({}){rank}{}\n",
                        if row.opened_below_top3 > 0 {
                            "agents opened"
                        } else {
                            "best match"
                        },
                        best.title,
                        best.file,
                        if best.weak { ", a weak match" } else { "" }
                    ));
                }
                out.push_str(&format!("         {}\n", row.advice));
            }
        }
        if let Some(b) = &self.before {
            let share = |n: u64, of: u64| {
                if of == 0 {
                    "–".to_string()
                } else {
                    format!("{:.1}%", n as f64 * 100.0 / of as f64)
                }
            };
            out.push_str(&format!(
                "\nSince {}, against before it (both ranked on today's content): searches {} (before {}), no result {} (before {}), never opened {} (before {}), opened only below the top three {} (before {})\n",
                self.since.as_deref().unwrap_or(""),
                f.searches,
                b.searches,
                share(f.no_result, f.searches),
                share(b.no_result, b.searches),
                share(f.never_opened, f.searches),
                share(b.never_opened, b.searches),
                share(f.opened_below_top3, f.searches),
                share(b.opened_below_top3, b.searches),
            ));
        }
        if self.untallied > 0 {
            out.push_str(&format!(
                "\n{} beacons were counted but not ranked: more than {MAX_QUERIES} distinct queries\n",
                self.untallied
            ));
        }
        if reading.unreadable > 0 {
            out.push_str(&format!(
                "\n{} line{} skipped as no access log line or beacon (first: {})\n",
                reading.unreadable,
                if reading.unreadable == 1 { "" } else { "s" },
                reading.first_unreadable.as_deref().unwrap_or("")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(q: &str, opened: Option<u32>, day: u8) -> Hit {
        Hit {
            query: q.into(),
            opened: opened.map(|r| ("faq/x/".into(), r)),
            date: Some(Date::from_calendar_date(2026, time::Month::December, day).unwrap()),
        }
    }

    #[test]
    fn beacons_split_by_window_and_rank() {
        let since = Date::from_calendar_date(2026, time::Month::December, 2).ok();
        let mut t = Tallies::new(since);
        t.add(hit("refund", None, 1));
        t.add(hit("refund", None, 3));
        t.add(hit("refund", Some(2), 3));
        t.add(hit("refund", Some(5), 3));
        let r = &t.by_query["refund"];
        assert_eq!(r.searches, [1, 1]);
        assert_eq!(r.opened_top, [0, 1]);
        assert_eq!(r.opened_below, [0, 1]);
    }

    #[test]
    fn distinct_queries_past_the_bound_are_only_counted() {
        let mut t = Tallies::new(None);
        for n in 0..MAX_QUERIES + 10 {
            t.add(hit(&format!("q{n}"), None, 1));
        }
        t.add(hit("q0", None, 1));
        assert_eq!(t.distinct(), MAX_QUERIES);
        assert_eq!(t.untallied, [0, 10]);
        assert_eq!(t.by_query["q0"].searches[CURRENT], 2);
    }
}
