//! A static file server for the output folder.
//!
//! It serves the site at the path part of `base_url` (`/kb/`), so pages
//! behave as they will when published, with the theme's `404.html` for
//! missing pages. Only files inside the output folder are ever read: `..`
//! segments (plain or percent-encoded), backslashes and NUL are refused, and
//! every resolved path is canonicalised and checked against the folder, so a
//! symlink cannot lead out of it.

use super::reload::{self, Hub};
use anyhow::Context as _;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolution {
    File(PathBuf),
    /// The path names a folder without its trailing slash, or lies outside
    /// the mount: send the browser here instead.
    Redirect(String),
    NotFound,
    Forbidden,
}

/// Resolves the path part of a request URL against the output folder.
pub fn resolve(root: &Path, mount: &str, url_path: &str) -> Resolution {
    let path = url_path.split(['?', '#']).next().unwrap_or("/");
    let Some(rest) = path
        .strip_prefix(mount)
        .or_else(|| (path == mount.trim_end_matches('/')).then_some(""))
    else {
        return if path == "/" {
            Resolution::Redirect(mount.to_string())
        } else {
            Resolution::NotFound
        };
    };
    let Some(decoded) = percent_decode(rest) else {
        return Resolution::Forbidden;
    };
    let mut target = root.to_path_buf();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return Resolution::Forbidden,
            s if s.contains('\\') || s.contains('\0') || s.contains(':') => {
                return Resolution::Forbidden;
            }
            s => target.push(s),
        }
    }
    let Ok(canonical_root) = root.canonicalize() else {
        return Resolution::NotFound;
    };
    let Ok(canonical) = target.canonicalize() else {
        return Resolution::NotFound;
    };
    if !canonical.starts_with(&canonical_root) {
        return Resolution::Forbidden;
    }
    if canonical.is_dir() {
        if !path.ends_with('/') {
            return Resolution::Redirect(format!("{path}/"));
        }
        let index = canonical.join("index.html");
        return if index.is_file() {
            Resolution::File(index)
        } else {
            Resolution::NotFound
        };
    }
    if canonical.is_file() {
        Resolution::File(canonical)
    } else {
        Resolution::NotFound
    }
}

/// `None` when the encoding is broken or decodes to invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            let (h, l) = (hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?);
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt" | "md") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// A running server. Dropping it stops it.
pub struct Server {
    pub addr: SocketAddr,
    inner: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Serves `root` at `mount` (e.g. `/kb/`) on `addr` (port 0: any free).
    pub fn start(root: PathBuf, mount: String, addr: SocketAddr) -> anyhow::Result<Server> {
        Self::start_with(root, mount, addr, None)
    }

    /// As [`Self::start`], with live reload and the status endpoint.
    pub fn start_with(
        root: PathBuf,
        mount: String,
        addr: SocketAddr,
        hub: Option<Arc<Hub>>,
    ) -> anyhow::Result<Server> {
        let inner = Arc::new(
            tiny_http::Server::http(addr)
                .map_err(|e| anyhow::anyhow!("{e}"))
                .with_context(|| format!("cannot listen on {addr}"))?,
        );
        let addr = inner
            .server_addr()
            .to_ip()
            .context("server has no IP address")?;
        let server = Arc::clone(&inner);
        let thread = std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let root = root.clone();
                let mount = mount.clone();
                let hub = hub.clone();
                // One thread per request keeps a slow client (or an event
                // stream) from stalling the others; the site is small files.
                std::thread::spawn(move || {
                    let path = request.url().split('?').next().unwrap_or("").to_string();
                    match &hub {
                        Some(hub) if path == format!("{mount}{}", reload::EVENTS) => {
                            stream_events(hub, request)
                        }
                        Some(hub) if path == format!("{mount}{}", reload::STATUS) => {
                            let body = hub.status_json().to_string();
                            send(
                                request,
                                "200 OK",
                                &[("Content-Type", "application/json")],
                                body.as_bytes(),
                            );
                        }
                        _ => respond(&root, &mount, request),
                    }
                });
            }
        });
        Ok(Server {
            addr,
            inner,
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
        self.inner.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Holds the connection open and writes each event as it comes.
fn stream_events(hub: &Hub, request: tiny_http::Request) {
    let (events, current) = hub.subscribe();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n";
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.write_all(current.as_bytes()))
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match events.recv_timeout(std::time::Duration::from_secs(15)) {
            Ok(m) => m,
            // A comment line keeps proxies from closing an idle stream and
            // tells us when the tab is gone.
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

fn respond(root: &Path, mount: &str, request: tiny_http::Request) {
    let resolution = if matches!(
        request.method(),
        tiny_http::Method::Get | tiny_http::Method::Head
    ) {
        resolve(root, mount, request.url())
    } else {
        Resolution::Forbidden
    };
    match resolution {
        Resolution::File(path) => match std::fs::read(&path) {
            Ok(bytes) => send(
                request,
                "200 OK",
                &[
                    ("Content-Type", content_type(&path)),
                    ("Cache-Control", "no-cache"),
                ],
                &bytes,
            ),
            Err(_) => send(request, "404 Not Found", &[], b""),
        },
        Resolution::Redirect(to) => send(request, "302 Found", &[("Location", &to)], b""),
        Resolution::Forbidden => send(
            request,
            "403 Forbidden",
            &[("Content-Type", "text/plain; charset=utf-8")],
            b"forbidden",
        ),
        Resolution::NotFound => {
            let page =
                std::fs::read(root.join("404.html")).unwrap_or_else(|_| b"not found".to_vec());
            send(
                request,
                "404 Not Found",
                &[("Content-Type", "text/html; charset=utf-8")],
                &page,
            )
        }
    }
}

/// Answers `request` and asks the client to close the connection after
/// it. tiny_http gives each open connection a thread of its pool until the
/// connection ends, and a connection accepted just as the last idle thread
/// is being handed another one waits in its queue until some connection
/// ends: behind a browser's idle keep-alive connections, a page's script
/// could wait minutes. Closed after each answer, connections give their
/// thread back at once. tiny_http leaves a `Connection` header out of its
/// own responses, so this one is written whole.
fn send(request: tiny_http::Request, status: &str, headers: &[(&str, &str)], body: &[u8]) {
    let head_only = *request.method() == tiny_http::Method::Head;
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
    let mut writer = request.into_writer();
    // A client that hung up early is not the server's problem.
    let _ = writer
        .write_all(head.as_bytes())
        .and_then(|()| {
            if head_only {
                Ok(())
            } else {
                writer.write_all(body)
            }
        })
        .and_then(|()| writer.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_and_refuses_outside() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(root.join("faq")).unwrap();
        std::fs::write(root.join("index.html"), "home").unwrap();
        std::fs::write(root.join("faq/a b.html"), "a").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        let canon = root.canonicalize().unwrap();
        assert_eq!(
            resolve(&root, "/kb/", "/kb/"),
            Resolution::File(canon.join("index.html"))
        );
        assert_eq!(
            resolve(&root, "/kb/", "/kb"),
            Resolution::Redirect("/kb/".into())
        );
        assert_eq!(
            resolve(&root, "/kb/", "/kb/faq/a%20b.html?q=1"),
            Resolution::File(canon.join("faq/a b.html"))
        );
        assert_eq!(
            resolve(&root, "/kb/", "/kb/faq"),
            Resolution::Redirect("/kb/faq/".into())
        );
        assert_eq!(
            resolve(&root, "/kb/", "/"),
            Resolution::Redirect("/kb/".into())
        );
        assert_eq!(
            resolve(&root, "/kb/", "/kb/missing.html"),
            Resolution::NotFound
        );
        assert_eq!(
            resolve(&root, "/kb/", "/other/index.html"),
            Resolution::NotFound
        );
        for attack in [
            "/kb/../secret.txt",
            "/kb/%2e%2e/secret.txt",
            "/kb/faq/%2E%2E/%2E%2E/secret.txt",
            "/kb/..%2fsecret.txt",
            "/kb/..%5csecret.txt",
            "/kb/%00",
            "/kb/%zz",
        ] {
            assert_eq!(
                resolve(&root, "/kb/", attack),
                Resolution::Forbidden,
                "{attack}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.txt")).unwrap();
        assert_eq!(resolve(&root, "/", "/link.txt"), Resolution::Forbidden);
    }
}
