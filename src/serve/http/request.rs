//! Reading one request head, bounded in size and in time.

use super::{MAX_HEAD, MAX_HEADERS, MAX_REQUEST_LINE};
use std::io::Read as _;
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A request head, as far as the server needs it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Head {
    pub(super) method: String,
    pub(super) target: String,
}

/// Why a request head was not read.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Refusal {
    /// Answered 414.
    LineTooLong,
    /// Answered 431.
    HeadTooLarge,
    /// Answered 400.
    Malformed,
    /// Answered 408.
    TimedOut,
    /// The client went away: nothing to answer.
    Gone,
}

/// Reads one request head from `stream`, never more than [`MAX_HEAD`]
/// bytes (and a read's worth beyond), within `timeout` in all.
pub(super) fn read_head(
    stream: &mut impl ReadWithDeadline,
    timeout: Duration,
) -> Result<Head, Refusal> {
    let deadline = Instant::now() + timeout;
    let mut buf: Vec<u8> = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    // Where the request line ends, once seen; and how far the end of the
    // head has been looked for.
    let mut line_end = None;
    let mut searched: usize = 0;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Refusal::TimedOut);
        }
        let n = match stream.read_within(&mut chunk, left) {
            Ok(0) => return Err(Refusal::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return Err(Refusal::TimedOut);
            }
            Err(_) => return Err(Refusal::Gone),
        };
        let old_len = buf.len();
        buf.extend_from_slice(&chunk[..n]);
        if line_end.is_none() {
            line_end = memchr::memchr(b'\n', &buf[old_len..]).map(|at| old_len + at);
        }
        match line_end {
            Some(at) if at > MAX_REQUEST_LINE => return Err(Refusal::LineTooLong),
            None if buf.len() > MAX_REQUEST_LINE => return Err(Refusal::LineTooLong),
            _ => {}
        }
        // The head ends with an empty line (CRLF, or a bare LF, which
        // httparse accepts too). Each byte is looked at about once, however
        // the client splits its writes.
        let from = searched.saturating_sub(2);
        searched = buf.len();
        let end = memchr::memmem::find(&buf[from..], b"\n\r\n")
            .map(|at| from + at + 3)
            .into_iter()
            .chain(memchr::memmem::find(&buf[from..], b"\n\n").map(|at| from + at + 2))
            .min();
        let Some(end) = end else {
            if buf.len() > MAX_HEAD {
                return Err(Refusal::HeadTooLarge);
            }
            continue;
        };
        if end > MAX_HEAD {
            return Err(Refusal::HeadTooLarge);
        }
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        match request.parse(&buf[..end]) {
            Ok(httparse::Status::Complete(_)) => {
                return Ok(Head {
                    method: request.method.unwrap_or_default().to_string(),
                    target: request.path.unwrap_or_default().to_string(),
                });
            }
            // Empty lines before the request line looked like the end:
            // read on, the real end comes later.
            Ok(httparse::Status::Partial) => {
                if buf.len() > MAX_HEAD {
                    return Err(Refusal::HeadTooLarge);
                }
            }
            Err(httparse::Error::TooManyHeaders) => return Err(Refusal::HeadTooLarge),
            Err(_) => return Err(Refusal::Malformed),
        }
    }
}

/// A read that gives up after a while: a socket in the server, a script of
/// pieces in the unit tests.
pub(super) trait ReadWithDeadline {
    fn read_within(&mut self, buf: &mut [u8], within: Duration) -> std::io::Result<usize>;
}

impl ReadWithDeadline for TcpStream {
    fn read_within(&mut self, buf: &mut [u8], within: Duration) -> std::io::Result<usize> {
        self.set_read_timeout(Some(within))?;
        self.read(buf)
    }
}
