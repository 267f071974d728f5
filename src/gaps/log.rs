//! Reading web-server access logs for the search page's query beacons.
//!
//! A file is an access log in nginx's or Apache's `combined` (or `common`)
//! format when its first line is one; otherwise each line is one query.
//! Gzipped files (log rotations) are read through as they are. Lines are
//! read one at a time into a buffer of at most [`MAX_LINE`] bytes, so a
//! log of any size is read in the same small memory.

use flate2::bufread::MultiGzDecoder;
use std::io::{BufRead, BufReader};
use std::path::Path;
use time::{Date, OffsetDateTime};

/// The longest line read; a longer one is counted as unreadable. A beacon
/// line is well under a kilobyte.
pub(crate) const MAX_LINE: usize = 16 * 1024;

/// The longest query kept, in characters, as the page trims it.
pub(crate) const MAX_QUERY: usize = 100;

/// One beacon: a query an agent paused on, or a result opened for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    /// As the page sends it: trimmed, digits masked, lower-cased.
    pub(crate) query: String,
    /// The entry's URL (relative to the site) and its rank, for an opening.
    pub(crate) opened: Option<(String, u32)>,
    /// The day of the request (UTC); none for a file of plain queries.
    pub(crate) date: Option<Date>,
}

/// What was read, beside the beacons themselves.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Reading {
    pub(crate) files: u64,
    pub(crate) lines: u64,
    pub(crate) beacons: u64,
    /// Lines that are no access log line, or a beacon with no query.
    pub(crate) unreadable: u64,
    /// The first of those, as `file:line: why`.
    pub(crate) first_unreadable: Option<String>,
}

impl Reading {
    fn unreadable(&mut self, file: &Path, line: u64, why: &str) {
        self.unreadable += 1;
        if self.first_unreadable.is_none() {
            self.first_unreadable = Some(format!("{}:{line}: {why}", file.display()));
        }
    }
}

/// Reads one file (gzipped or not), passing each beacon request under
/// `beacon` (the absolute path of the beacon file, like `/kb/search/q.gif`)
/// to `each`.
pub(crate) fn read_file(
    path: &Path,
    beacon: &str,
    reading: &mut Reading,
    each: &mut dyn FnMut(Hit),
) -> std::io::Result<()> {
    let file = std::fs::File::open(path)?;
    let mut raw = BufReader::with_capacity(64 * 1024, file);
    let gzipped = raw.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    reading.files += 1;
    if gzipped {
        let reader = BufReader::with_capacity(64 * 1024, MultiGzDecoder::new(raw));
        read(reader, path, beacon, reading, each)
    } else {
        read(raw, path, beacon, reading, each)
    }
}

/// [`read_file`] on any reader; `name` is the file's, for messages.
pub(crate) fn read(
    reader: impl BufRead,
    name: &Path,
    beacon: &str,
    reading: &mut Reading,
    each: &mut dyn FnMut(Hit),
) -> std::io::Result<()> {
    let mut format: Option<bool> = None; // Some(true): an access log
    let mut number = 0u64;
    for_each_line(reader, &mut |line| {
        number += 1;
        reading.lines += 1;
        let Some(line) = line else {
            reading.unreadable(name, number, "longer than any access log line");
            return;
        };
        let line = String::from_utf8_lossy(line);
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        let is_log = *format.get_or_insert_with(|| access(line).is_ok());
        if !is_log {
            if let Some(query) = normalise(line) {
                reading.beacons += 1;
                each(Hit {
                    query,
                    opened: None,
                    date: None,
                });
            }
            return;
        }
        match access(line) {
            Err(why) => reading.unreadable(name, number, why),
            Ok(request) => match beacon_hit(&request, beacon) {
                None => {}
                Some(Err(why)) => reading.unreadable(name, number, why),
                Some(Ok(hit)) => {
                    reading.beacons += 1;
                    each(hit);
                }
            },
        }
    })
    .map(|_| ())
}

/// Calls `each` with every line of `reader` without its line ending, or
/// with `None` for a line longer than [`MAX_LINE`], which is skipped to
/// its end without being held. Returns the most bytes a line ever held.
pub(crate) fn for_each_line(
    mut reader: impl BufRead,
    each: &mut dyn FnMut(Option<&[u8]>),
) -> std::io::Result<usize> {
    let mut line = Vec::new();
    let mut too_long = false;
    let mut peak = 0;
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        let (chunk, used, ended) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..i], i + 1, true),
            None => (buf, buf.len(), false),
        };
        if !too_long {
            if line.len() + chunk.len() > MAX_LINE {
                too_long = true;
                line.clear();
            } else {
                line.extend_from_slice(chunk);
                peak = peak.max(line.len());
            }
        }
        reader.consume(used);
        if ended {
            finish(&mut line, &mut too_long, each);
        }
    }
    if too_long || !line.is_empty() {
        finish(&mut line, &mut too_long, each);
    }
    Ok(peak)
}

fn finish(line: &mut Vec<u8>, too_long: &mut bool, each: &mut dyn FnMut(Option<&[u8]>)) {
    if *too_long {
        each(None);
    } else {
        each(Some(line.strip_suffix(b"\r").unwrap_or(line)));
    }
    line.clear();
    *too_long = false;
}

/// The parts of an access log line a beacon needs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Request<'a> {
    pub(crate) date: Date,
    pub(crate) method: &'a str,
    pub(crate) target: &'a str,
}

/// Parses a `combined` or `common` line:
/// `host ident user [10/Oct/2026:13:55:36 +0000] "GET /path HTTP/1.1" 200 512 …`.
pub(crate) fn access(line: &str) -> Result<Request<'_>, &'static str> {
    let open = line.find(" [").ok_or("no [time]")?;
    let rest = &line[open + 2..];
    let close = rest
        .find("] \"")
        .ok_or("no [time] followed by a \"request\"")?;
    let stamp = OffsetDateTime::parse(&rest[..close], STAMP).map_err(|_| "unreadable [time]")?;
    let rest = &rest[close + 3..];
    // nginx writes a quote inside the request as \x22, Apache as \".
    let mut end = None;
    let bytes = rest.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                end = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let end = end.ok_or("the \"request\" is not closed")?;
    let status = rest[end + 1..].split_ascii_whitespace().next();
    if !status.is_some_and(|s| s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())) {
        return Err("no status after the \"request\"");
    }
    let mut parts = rest[..end].split(' ');
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("");
    Ok(Request {
        date: stamp.to_offset(time::UtcOffset::UTC).date(),
        method,
        target,
    })
}

const STAMP: &[time::format_description::BorrowedFormatItem<'static>] = time::macros::format_description!(
    "[day]/[month repr:short]/[year]:[hour]:[minute]:[second] [offset_hour sign:mandatory][offset_minute]"
);

/// The beacon in a request, `None` when the request is not for `beacon`.
fn beacon_hit(request: &Request, beacon: &str) -> Option<Result<Hit, &'static str>> {
    let (path, query) = request
        .target
        .split_once('?')
        .unwrap_or((request.target, ""));
    if path != beacon || !matches!(request.method, "GET" | "HEAD") {
        return None;
    }
    let mut q = None;
    let mut open = None;
    let mut rank = None;
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "q" => q = normalise(&value),
            "open" => open = Some(value.into_owned()),
            "rank" => rank = value.parse::<u32>().ok(),
            _ => {}
        }
    }
    let Some(query) = q else {
        return Some(Err("a beacon with no query"));
    };
    Some(Ok(Hit {
        query,
        opened: open.zip(rank),
        date: Some(request.date),
    }))
}

/// A query as the page sends it: spaces collapsed, each run of digits
/// masked as `#`, at most [`MAX_QUERY`] characters, lower-cased so that
/// queries differing only in case count as one; `None` when shorter than
/// two characters.
pub(crate) fn normalise(query: &str) -> Option<String> {
    let mut out = String::new();
    let mut in_digits = false;
    for word in query.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if c.is_numeric() {
                if !in_digits {
                    out.push('#');
                }
                in_digits = true;
            } else {
                in_digits = false;
                out.extend(c.to_lowercase());
            }
        }
        in_digits = false;
    }
    let out: String = out.chars().take(MAX_QUERY).collect();
    let out = out.trim_end().to_string();
    (out.chars().count() >= 2).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write as _};

    const BEACON: &str = "/kb/search/q.gif";

    fn hits(text: &[u8]) -> (Vec<Hit>, Reading) {
        let mut reading = Reading::default();
        let mut found = Vec::new();
        read(
            text,
            Path::new("access.log"),
            BEACON,
            &mut reading,
            &mut |h| found.push(h),
        )
        .unwrap();
        (found, reading)
    }

    fn day(y: i32, m: u8, d: u8) -> Option<Date> {
        Some(Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), d).unwrap())
    }

    #[test]
    fn nginx_combined_lines_give_searches_and_openings() {
        let log = concat!(
            "127.0.0.1 - - [03/Dec/2026:23:59:58 -0500] \"GET /kb/search/q.gif?q=refund+card HTTP/1.1\" 200 43 \"-\" \"Mozilla/5.0 (X11)\"\n",
            "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=refund+card&open=faq%2Frefund%2F&rank=2 HTTP/1.1\" 200 43 \"-\" \"Mozilla/5.0\"\n",
            "127.0.0.1 - - [04/Dec/2026:09:00:01 +0000] \"GET /kb/faq/refund/ HTTP/1.1\" 200 9000 \"-\" \"Mozilla/5.0\"\n",
            "127.0.0.1 - - [04/Dec/2026:09:00:02 +0000] \"GET /other/search/q.gif?q=elsewhere HTTP/1.1\" 200 43 \"-\" \"-\"\n",
        );
        let (found, reading) = hits(log.as_bytes());
        assert_eq!(
            found,
            vec![
                // 23:59:58 at -05:00 is the next day in UTC.
                Hit {
                    query: "refund card".into(),
                    opened: None,
                    date: day(2026, 12, 4)
                },
                Hit {
                    query: "refund card".into(),
                    opened: Some(("faq/refund/".into(), 2)),
                    date: day(2026, 12, 4)
                },
            ]
        );
        assert_eq!(
            (reading.lines, reading.beacons, reading.unreadable),
            (4, 2, 0)
        );
    }

    #[test]
    fn apache_combined_and_common_lines_are_read_too() {
        let log = concat!(
            "10.0.0.7 - alice [10/Oct/2026:13:55:36 -0700] \"GET /kb/search/q.gif?q=Angry%20Caller HTTP/1.0\" 304 - \"http://intranet/kb/search/\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"\n",
            "10.0.0.7 - - [10/Oct/2026:13:55:37 -0700] \"HEAD /kb/search/q.gif?q=say+\\\"sorry\\\" HTTP/1.1\" 200 -\n",
        );
        let (found, reading) = hits(log.as_bytes());
        let queries: Vec<&str> = found.iter().map(|h| h.query.as_str()).collect();
        assert_eq!(queries, ["angry caller", "say \\\"sorry\\\""]);
        assert_eq!(found[0].date, day(2026, 10, 10));
        assert_eq!(reading.unreadable, 0);
    }

    #[test]
    fn malformed_lines_are_counted_once_each_and_the_first_is_named() {
        let log = concat!(
            "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=hold+music HTTP/1.1\" 200 43 \"-\" \"-\"\n",
            "garbage\n",
            "127.0.0.1 - - [31/Foo/2026:09:00:00 +0000] \"GET / HTTP/1.1\" 200 1\n",
            "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif HTTP/1.1\" 200 43\n",
            "\n",
            "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=hold HTTP/1.1\n",
        );
        let (found, reading) = hits(log.as_bytes());
        assert_eq!(found.len(), 1);
        assert_eq!(reading.unreadable, 4);
        assert_eq!(
            reading.first_unreadable.as_deref(),
            Some("access.log:2: no [time]")
        );
    }

    #[test]
    fn a_file_of_plain_queries_is_one_query_a_line() {
        let (found, reading) = hits(b"refund to card 4111 1111\r\n\n  Angry   CALLER \nx\n");
        let queries: Vec<&str> = found.iter().map(|h| h.query.as_str()).collect();
        assert_eq!(queries, ["refund to card # #", "angry caller"]);
        assert!(found.iter().all(|h| h.date.is_none() && h.opened.is_none()));
        assert_eq!(reading.unreadable, 0);
    }

    #[test]
    fn queries_are_masked_trimmed_and_capped() {
        assert_eq!(
            normalise("card 4111-1111 ph 555٣").as_deref(),
            Some("card #-# ph #")
        );
        assert_eq!(normalise(" a ").as_deref(), None);
        let long = "word ".repeat(40);
        assert_eq!(normalise(&long).unwrap().chars().count(), MAX_QUERY - 1);
    }

    #[test]
    fn gzipped_rotations_read_like_the_plain_file() {
        let line = "127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=transfer HTTP/1.1\" 200 43 \"-\" \"-\"\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("access.log.2.gz");
        // Two gzip members, as `cat a.gz b.gz` or some rotations leave.
        let mut bytes = Vec::new();
        for _ in 0..2 {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(line.as_bytes()).unwrap();
            bytes.extend(gz.finish().unwrap());
        }
        std::fs::write(&path, bytes).unwrap();
        let mut reading = Reading::default();
        let mut found = Vec::new();
        read_file(&path, BEACON, &mut reading, &mut |h| found.push(h)).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[1].query, "transfer");
        assert_eq!(reading.files, 1);
    }

    /// A reader of `total` bytes made up as they are read: repeated log
    /// lines, and in the middle one line of 8 MiB with no line break.
    struct Generated {
        line: Vec<u8>,
        at: usize,
        total: usize,
        sent: usize,
    }

    impl Read for Generated {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = out.len().min(self.total - self.sent);
            let huge = self.total / 2..self.total / 2 + 8 * 1024 * 1024;
            for b in &mut out[..n] {
                *b = if huge.contains(&self.sent) {
                    b'x'
                } else {
                    let b = self.line[self.at];
                    self.at = (self.at + 1) % self.line.len();
                    b
                };
                self.sent += 1;
            }
            Ok(n)
        }
    }

    #[test]
    fn a_log_of_any_size_streams_through_one_bounded_line_buffer() {
        let line = b"127.0.0.1 - - [04/Dec/2026:09:00:00 +0000] \"GET /kb/search/q.gif?q=refund HTTP/1.1\" 200 43 \"-\" \"-\"\n".to_vec();
        let total = 64 * 1024 * 1024;
        let source = Generated {
            line: line.clone(),
            at: 0,
            total,
            sent: 0,
        };
        let mut lines = 0u64;
        let mut too_long = 0u64;
        let peak = for_each_line(BufReader::new(source), &mut |l| match l {
            Some(_) => lines += 1,
            None => too_long += 1,
        })
        .unwrap();
        assert!(peak <= MAX_LINE, "a line held {peak} bytes");
        assert_eq!(too_long, 1, "the 8 MiB line is one unreadable line");
        let expected = (total - 8 * 1024 * 1024) / line.len();
        assert!(
            (lines as usize).abs_diff(expected) <= 2,
            "{lines} lines, expected about {expected}"
        );
    }
}
