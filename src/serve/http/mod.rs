//! A static file server for the output folder.
//!
//! It serves the site at the path part of `base_url` (`/kb/`), so pages
//! behave as they will when published, with the theme's `404.html` for
//! missing pages. Only files inside the output folder are ever read: `..`
//! segments (plain or percent-encoded), backslashes and NUL are refused, and
//! every resolved path is canonicalised and checked against the folder, so a
//! symlink cannot lead out of it.
//!
//! The server itself is a few hundred lines over `std::net`, with httparse
//! parsing the request head. tiny_http, used before, reads a request's
//! headers without bound and has no setting for it, so one endless header
//! line took the process's memory; the servers that bound them are built on
//! hyper and an async executor, much more than a local preview needs. Here the
//! request line and the head are bounded (414 and 431 beyond), a client has
//! a deadline to send them, and each connection carries one request.

use super::reload::{self, Hub};
use anyhow::Context as _;
use std::io::{Read as _, Write as _};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

mod files;
mod request;
#[cfg(test)]
mod tests;

pub(crate) use files::{Resolution, content_type, resolve};
use request::{ReadWithDeadline as _, Refusal, read_head};

/// The longest request line (method, path and version) read; a longer one
/// is answered 414.
pub(crate) const MAX_REQUEST_LINE: usize = 16 * 1024;
/// The largest request head (request line and headers) read; a larger one
/// is answered 431.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Header fields read at most; more are answered 431. Browsers send about
/// twenty.
const MAX_HEADERS: usize = 100;
/// Connections served at once, each by a thread of its own. Further ones
/// wait in the system's listen queue until one ends; every wait is bounded
/// by the timeouts below, except an event stream's.
const MAX_CONNECTIONS: usize = 256;
/// Event streams held at once (each open tab holds one): beyond them a tab
/// is told to try later, so streams never take every connection.
const MAX_EVENT_STREAMS: usize = MAX_CONNECTIONS / 2;
/// How long a client has to send its whole request head.
const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write may wait on a client that stopped reading.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// What is read and dropped of a request after its answer, at most, before
/// the connection is closed (see [`finish`]).
const LINGER_BYTES: usize = 1024 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(1);

/// A running server. Dropping it stops it.
///
/// Plain `std::net`: one thread per connection up to [`MAX_CONNECTIONS`],
/// one request per connection (every answer says `Connection: close`), and
/// a request head read against a deadline and within [`MAX_REQUEST_LINE`]
/// and [`MAX_HEAD`], so no client can make the server read or keep more
/// than that. Only GET and HEAD are served.
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// What every connection's thread reads.
struct Shared {
    root: PathBuf,
    mount: String,
    hub: Option<Arc<Hub>>,
    /// Connections being served; the accept loop waits while it is full.
    busy: Mutex<usize>,
    freed: Condvar,
    /// Set, under `busy`'s lock, when the server is dropped.
    stopping: AtomicBool,
    streams: AtomicUsize,
}

/// One connection's place among the [`MAX_CONNECTIONS`]; given back when
/// the connection's thread ends.
struct Slot(Arc<Shared>);

impl Drop for Slot {
    fn drop(&mut self) {
        *self.0.busy.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        self.0.freed.notify_one();
    }
}

impl Shared {
    /// Waits for a free place; `None` once the server is stopping.
    fn slot(self: &Arc<Self>) -> Option<Slot> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while *busy >= MAX_CONNECTIONS && !self.stopping.load(Ordering::SeqCst) {
            busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        if self.stopping.load(Ordering::SeqCst) {
            return None;
        }
        *busy += 1;
        Some(Slot(Arc::clone(self)))
    }
}

impl Server {
    /// Serves `root` at `mount` (e.g. `/kb/`) on `addr` (port 0: any free).
    pub fn start(root: PathBuf, mount: String, addr: SocketAddr) -> anyhow::Result<Server> {
        Self::start_with(root, mount, addr, None)
    }

    /// As [`Self::start`], with live reload and the status endpoint.
    pub(crate) fn start_with(
        root: PathBuf,
        mount: String,
        addr: SocketAddr,
        hub: Option<Arc<Hub>>,
    ) -> anyhow::Result<Server> {
        let listener =
            TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
        let addr = listener
            .local_addr()
            .context("cannot tell the server's address")?;
        let shared = Arc::new(Shared {
            root,
            mount,
            hub,
            busy: Mutex::new(0),
            freed: Condvar::new(),
            stopping: AtomicBool::new(false),
            streams: AtomicUsize::new(0),
        });
        let accepting = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("saywhen-http".into())
            .spawn(move || accept_loop(&listener, &accepting))
            .context("cannot start the server's thread")?;
        Ok(Server {
            addr,
            shared,
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT/kb/`
    pub fn url(&self, mount: &str) -> String {
        format!("http://{}{}", self.addr, mount)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        {
            // Under the lock, so the accept loop cannot miss it between
            // looking and waiting.
            let _busy = self.shared.busy.lock().unwrap_or_else(|e| e.into_inner());
            self.shared.stopping.store(true, Ordering::SeqCst);
        }
        self.shared.freed.notify_all();
        // A connection of our own wakes the loop from `accept`.
        let mut wake = self.addr;
        if wake.ip().is_unspecified() {
            wake.set_ip(match wake.ip() {
                IpAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                IpAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        let woken = TcpStream::connect_timeout(&wake, Duration::from_secs(1)).is_ok();
        if let Some(thread) = self.thread.take()
            && (woken || thread.is_finished())
        {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: &TcpListener, shared: &Arc<Shared>) {
    while let Some(slot) = shared.slot() {
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            Err(_) if shared.stopping.load(Ordering::SeqCst) => return,
            // Out of file descriptors, or a connection reset before it was
            // taken: wait a moment rather than spin, and go on.
            Err(_) => {
                std::thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        let shared = Arc::clone(shared);
        // Should no thread be available, the connection closes unanswered.
        let _ = std::thread::Builder::new()
            .name("saywhen-http-conn".into())
            .spawn(move || {
                let _slot = slot;
                serve_connection(&shared, stream);
            });
    }
}

fn serve_connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let head = match read_head(&mut stream, HEAD_TIMEOUT) {
        Ok(head) => head,
        Err(refusal) => {
            let (status, text): (&str, &[u8]) = match refusal {
                Refusal::LineTooLong => ("414 URI Too Long", b"request line too long\n".as_slice()),
                Refusal::HeadTooLarge => (
                    "431 Request Header Fields Too Large",
                    b"request headers too large\n".as_slice(),
                ),
                Refusal::Malformed => ("400 Bad Request", b"malformed request\n".as_slice()),
                Refusal::TimedOut => ("408 Request Timeout", b"request too slow\n".as_slice()),
                Refusal::Gone => return,
            };
            send(&mut stream, false, status, &[TEXT], text);
            finish(stream);
            return;
        }
    };
    let head_only = head.method == "HEAD";
    if head.method != "GET" && !head_only {
        send(
            &mut stream,
            false,
            "405 Method Not Allowed",
            &[TEXT, ("Allow", "GET, HEAD")],
            b"only GET and HEAD are served\n",
        );
        finish(stream);
        return;
    }
    let path = head.target.split('?').next().unwrap_or("");
    let mount = &shared.mount;
    match &shared.hub {
        Some(hub) if path == format!("{mount}{}", reload::EVENTS) => {
            if shared.streams.fetch_add(1, Ordering::SeqCst) < MAX_EVENT_STREAMS {
                stream_events(hub, &mut stream);
                shared.streams.fetch_sub(1, Ordering::SeqCst);
            } else {
                shared.streams.fetch_sub(1, Ordering::SeqCst);
                // The browser's EventSource tries again by itself.
                send(
                    &mut stream,
                    head_only,
                    "503 Service Unavailable",
                    &[TEXT, ("Retry-After", "5")],
                    b"too many open tabs\n",
                );
            }
        }
        Some(hub) if path == format!("{mount}{}", reload::STATUS) => {
            let body = hub.status_json().to_string();
            send(
                &mut stream,
                head_only,
                "200 OK",
                &[("Content-Type", "application/json")],
                body.as_bytes(),
            );
        }
        hub => match hub.as_ref().and_then(|hub| hub.unbuilt_problems()) {
            // No good version has been built: every URL shows why.
            Some(problems) => {
                let page = reload::unbuilt_page(mount, &problems);
                send(
                    &mut stream,
                    head_only,
                    "500 Internal Server Error",
                    &[
                        ("Content-Type", "text/html; charset=utf-8"),
                        ("Cache-Control", "no-cache"),
                    ],
                    page.as_bytes(),
                );
            }
            None => respond(&shared.root, mount, &head.target, head_only, &mut stream),
        },
    }
    finish(stream);
}

const TEXT: (&str, &str) = ("Content-Type", "text/plain; charset=utf-8");

/// Holds the connection open and writes each event as it comes.
fn stream_events(hub: &Hub, stream: &mut TcpStream) {
    let (events, current) = hub.subscribe();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(current.as_bytes()))
        .is_err()
    {
        return;
    }
    loop {
        let message = match events.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            // A comment line keeps proxies from closing an idle stream and
            // tells us when the tab is gone.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if stream.write_all(message.as_bytes()).is_err() {
            return;
        }
    }
}

fn respond(root: &Path, mount: &str, target: &str, head_only: bool, stream: &mut TcpStream) {
    match resolve(root, mount, target) {
        Resolution::File(path) => match std::fs::read(&path) {
            Ok(bytes) => send(
                stream,
                head_only,
                "200 OK",
                &[
                    ("Content-Type", content_type(&path)),
                    ("Cache-Control", "no-cache"),
                ],
                &bytes,
            ),
            Err(_) => send(stream, head_only, "404 Not Found", &[], b""),
        },
        Resolution::Redirect(to) => send(stream, head_only, "302 Found", &[("Location", &to)], b""),
        Resolution::Forbidden => send(stream, head_only, "403 Forbidden", &[TEXT], b"forbidden"),
        Resolution::NotFound => {
            let page =
                std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
            send(
                stream,
                head_only,
                "404 Not Found",
                &[("Content-Type", "text/html; charset=utf-8")],
                &page,
            )
        }
    }
}

/// Answers on `stream` and asks the client to close the connection after
/// it: one request per connection keeps every connection's thread short
/// lived, so a burst of connections is never left waiting behind a
/// browser's idle keep-alive ones.
fn send(
    stream: &mut TcpStream,
    head_only: bool,
    status: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    let mut head = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str("Content-Length: ");
    head.push_str(&body.len().to_string());
    head.push_str("\r\nConnection: close\r\n\r\n");
    // A client that hung up early is not the server's problem.
    let _ = stream.write_all(head.as_bytes()).and_then(|()| {
        if head_only {
            Ok(())
        } else {
            stream.write_all(body)
        }
    });
}

/// Closes the connection without losing the answer. Closing a socket with
/// bytes of the request still unread makes the system reset the
/// connection, which can throw away an answer not yet delivered (a 431 to
/// a client still sending its header); so the sending side is shut first,
/// and what the client still sends is read and dropped, within
/// [`LINGER_BYTES`] and [`LINGER_TIME`], so that a client that never stops
/// cannot keep the thread.
fn finish(mut stream: TcpStream) {
    let _ = stream.shutdown(Shutdown::Write);
    // Usually nothing is left: the connection closes at once.
    let mut chunk = [0u8; 8192];
    if stream.set_nonblocking(true).is_err() {
        return;
    }
    match stream.read(&mut chunk) {
        Ok(n) if n > 0 => {}
        _ => return,
    }
    if stream.set_nonblocking(false).is_err() {
        return;
    }
    let deadline = Instant::now() + LINGER_TIME;
    let mut left = LINGER_BYTES;
    while left > 0 {
        let wait = deadline.saturating_duration_since(Instant::now());
        if wait.is_zero() {
            return;
        }
        match stream.read_within(&mut chunk, wait) {
            Ok(n) if n > 0 => left = left.saturating_sub(n),
            _ => return,
        }
    }
}
