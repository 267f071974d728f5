//! From a request path to a file of the output folder, and its type.

use std::path::{Path, PathBuf};

/// What a request path resolves to.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Resolution {
    File(PathBuf),
    /// The path names a folder without its trailing slash, or lies outside
    /// the mount: send the browser here instead.
    Redirect(String),
    NotFound,
    Forbidden,
}

/// Resolves the path part of a request URL against the output folder.
pub(crate) fn resolve(root: &Path, mount: &str, url_path: &str) -> Resolution {
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

pub(crate) fn content_type(path: &Path) -> &'static str {
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
